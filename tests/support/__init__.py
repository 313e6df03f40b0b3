"""Helpers shared by the tests, one copy each (import as ``tests.support.<module>``).

``memkeyring``  the in-memory keychain (the one OS service the tests replace), also for children
``seats``       picking free seats from a seating plan
``salekit``     clients, performance info, payment methods and the request log of the simulator
``relkit``      reliability proofs: fast payment poller, order ledger, child-process line reader
``sale_driver`` a one-sale child process (``python -m tests.support.sale_driver``)
``salehelpers`` driving the sale UI (Qt)
``layerkit``    seat-layer colour buckets (Qt)
``packkit``     the project root and file listings for the packaging tests
"""
