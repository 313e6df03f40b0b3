"""boxoffice.store: what the app keeps on disk: the sale journal (SQLite, crash-safe), the offline
cache of events and seat plans, private files. (``boxoffice.config`` and ``boxoffice.credentials``,
settings and the keychain, sit in the same layer.)

May import ``boxoffice.api``, ``boxoffice.domain`` and ``boxoffice.i18n`` only; no Qt.
"""
