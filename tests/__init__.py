"""The test suite. A package so that the shared helpers import as ``tests.support.<name>``
(pyproject.toml puts the project root on ``sys.path`` for pytest: ``pythonpath = ["."]``)."""
