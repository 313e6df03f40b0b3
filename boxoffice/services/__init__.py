"""boxoffice.services: the Qt-free application layer: the session, catalog, sale service, payment,
recovery, connection test, shift report and the cashier's messages. The app and the CLI drive it.

May import store, config/credentials, api, domain and i18n (and start the simulator for demo
mode); never the UI, the CLI or Qt (tests/test_architecture.py checks it).
"""
