"""The details pane gives way when the window is narrow (issue 12).

At 1280x800 the list, the details and the cart side by side left the hall column cut to "S…".
:class:`DetailsCollapse` watches the list's splitter: when it is narrower than the list wants
(every hall name whole, :meth:`EventBrowser.comfortable_width`) plus the details' own minimum, the
details are hidden; when there is room again they come back. The browser's "Details" toggle
(Ctrl+I) shows or hides them by hand; that choice holds until the window crosses the threshold.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractButton, QSplitter, QWidget


class DetailsCollapse(QObject):
    def __init__(self, splitter: QSplitter, browser: QWidget, details: QWidget,
                 toggle: QAbstractButton) -> None:
        super().__init__(splitter)
        self.splitter = splitter
        self.browser = browser
        self.details = details
        self.toggle = toggle
        self._narrow: bool | None = None
        toggle.toggled.connect(self._toggled)
        splitter.installEventFilter(self)

    def needed_width(self) -> int:
        comfortable = getattr(self.browser, "comfortable_width", None)
        list_width = comfortable() if callable(comfortable) else self.browser.minimumSizeHint().width()
        holder = self.browser.parentWidget()
        holder_layout = holder.layout() if holder is not None and holder is not self.splitter \
            else None
        if holder_layout is not None:
            m = holder_layout.contentsMargins()
            list_width += m.left() + m.right()
        return list_width + self.splitter.handleWidth() + self.details.minimumSizeHint().width()

    @property
    def narrow(self) -> bool:
        return bool(self._narrow)

    def apply(self) -> None:
        """Collapse or bring back the details when the width crossed the threshold."""
        narrow = self.splitter.width() < self.needed_width()
        if narrow == self._narrow:
            return
        self._narrow = narrow
        self._show(not narrow)

    def _show(self, show: bool) -> None:
        self.details.setVisible(show)
        self.splitter.refresh()   # the handle goes with the pane at once: sizes() tells the truth
        self.toggle.blockSignals(True)
        self.toggle.setChecked(show)
        self.toggle.blockSignals(False)

    def _toggled(self, checked: bool) -> None:
        self.details.setVisible(checked)
        self.splitter.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.splitter and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.apply()
        return False


class CartPaneFit(QObject):
    """The cart pane beside the list takes what the list leaves when every hall name is whole,
    between ``MIN`` and ``MAX`` pixels (at 1280 px in Dutch a fixed 470 px cut "Stadsschouwburg
    Grote Zaal" to "Stadsschouwburg Gro…").

    It fits again when the window is resized and when a new event list arrives, until the cashier
    drags the handle: from then on the width is theirs.
    """

    MIN = 380   # the cart's place column still wraps readably (tests/ui/seating/test_fit_and_labels)
    MAX = 470   # checkout with cash and the customer section open

    def __init__(self, splitter: QSplitter, pane: QWidget, list_needs: Callable[[], int]) -> None:
        super().__init__(splitter)
        self.splitter = splitter
        self.pane = pane
        self.list_needs = list_needs
        self.moved_by_hand = False
        splitter.splitterMoved.connect(self._moved)
        splitter.installEventFilter(self)

    def width_for(self, total: int) -> int:
        room = total - self.list_needs() - self.splitter.handleWidth()
        return max(self.MIN, min(self.MAX, room))

    def apply(self) -> None:
        if self.moved_by_hand or self.pane.isHidden():
            return
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        cart = self.width_for(total)
        if self.splitter.sizes()[-1] != cart:
            self.splitter.setSizes([max(total - cart, 0), cart])

    def _moved(self, _pos: int, _index: int) -> None:
        self.moved_by_hand = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.splitter and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.apply()
        return False
