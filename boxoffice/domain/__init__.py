"""boxoffice.domain: the box office's rules as plain Python: money, cash change, the venue clock,
ticket types, performance status, seat plans and the hall layout engine (``domain.layout``).

Layer: base (with ``api`` and ``i18n``). May import ``boxoffice.api`` models and ``boxoffice.i18n``;
never store, services, the UI or Qt (tests/test_architecture.py checks it).
"""
