"""Qt views of the box office: the desktop shell, event browser, settings and dialogs.

Everything under ``boxoffice.ui`` is a thin PySide6 layer over the Qt-free core
(``boxoffice.services``, ``boxoffice.store``, ``boxoffice.domain``); it holds no business rules.
May import services and below (and the simulator, for the self-test); never ``boxoffice.app``
or ``boxoffice.cli``. ``ui/bootstrap.py`` sets up Qt and the event loop for the app and self-test.
"""
