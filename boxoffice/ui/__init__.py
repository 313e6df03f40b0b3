"""Qt views of the box office: the desktop shell, event browser, settings and dialogs.

Everything under ``boxoffice.ui`` is a thin PySide6 layer over the Qt-free core
(``boxoffice.services``, ``boxoffice.store``, ``boxoffice.domain``); it holds no business rules.
"""
