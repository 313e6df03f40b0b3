"""``SaleArea``: the right-hand side of the main window during a sale.

Owns the composition only: a header with the hold countdown (always in view), the start-up
recovery notice, the message line, a busy bar for every network wait, and a page stack —
cart (:class:`~boxoffice.ui.cart.panel.CartPanel`), checkout
(:class:`~boxoffice.ui.checkout.panel.CheckoutPanel`) and confirmation
(:class:`~boxoffice.ui.checkout.confirmation.ConfirmationPanel`). The sale controller decides
which page shows. Its look is kept in :data:`SALE_STYLE` (colours always come with words).
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _
from boxoffice.ui.cart.button_row import ButtonRow
from boxoffice.ui.cart.countdown import HoldCountdown
from boxoffice.ui.cart.message_line import MessageLine
from boxoffice.ui.cart.panel import CartPanel
from boxoffice.ui.cart.recovery_notice import RecoveryNotice
from boxoffice.ui.checkout.confirmation import ConfirmationPanel
from boxoffice.ui.checkout.panel import CheckoutPanel

CART, CHECKOUT, CONFIRMATION = "cart", "checkout", "confirmation"
FLOOR_WIDTH = 320   # the pane is never narrower than this

SALE_STYLE = """
QWidget#saleArea { background: #ffffff; }
QLabel#saleTitle { font-size: 15pt; font-weight: bold; color: #111111; }
QLabel#holdCountdown { font-size: 14pt; font-weight: bold; padding: 2px 10px; border-radius: 6px; }
QLabel#holdCountdown[hold="ok"] { color: #1b4d2e; background: #e3f1e7; }
QLabel#holdCountdown[hold="warning"] { color: #4d3000; background: #ffc94d; }
QLabel#holdCountdown[hold="expired"] { color: #ffffff; background: #a4262c; }
QWidget#saleMessage { border-radius: 4px; }
QWidget#saleMessage[severity="info"] { background: #e8f0fb; }
QWidget#saleMessage[severity="info"] QLabel { color: #1f3556; }
QWidget#saleMessage[severity="warning"] { background: #fff1c7; }
QWidget#saleMessage[severity="warning"] QLabel { color: #4d3800; }
QWidget#saleMessage[severity="error"] { background: #fde7e9; }
QWidget#saleMessage[severity="error"] QLabel { color: #7a1116; font-weight: bold; }
QWidget#recoveryNotice { background: #e8f0fb; border-radius: 4px; }
QLabel#recoveryTitle { font-weight: bold; color: #1f3556; }
QLabel#busyText { color: #444444; }
QLabel#cartEmpty { color: #666666; font-size: 12pt; padding: 24px 8px; }
QTreeWidget#cartLines { border: 1px solid #e0e0dc; font-size: 11pt; }
QTreeWidget#cartLines::item { padding: 3px 2px; }
QTreeWidget#cartLines:focus { border: 2px solid #00399e; margin: 0px; }
QLabel#cartTotal { font-size: 15pt; font-weight: bold; color: #111111; }
QLabel#cartCount { font-size: 12pt; color: #333333; }
QLabel#cartSurcharge { color: #444444; }
QLabel#cartDue { font-size: 13pt; font-weight: bold; color: #111111; }
QLabel#releasedNote { color: #7a1116; }
QPushButton#checkoutButton, QPushButton#payButton, QPushButton#newSaleButton {
    padding: 8px 18px; font-size: 13pt; font-weight: bold; background: #1b6e3a; color: white;
    border-radius: 4px; }
QPushButton#checkoutButton:disabled, QPushButton#payButton:disabled { background: #c9c9c5; color: #555555; }
QPushButton#checkoutButton:focus, QPushButton#payButton:focus, QPushButton#newSaleButton:focus {
    border: 2px solid #000000; margin: 0px; }
QPushButton#readdButton { font-weight: bold; }
QLabel#checkoutTitle, QLabel#paidTitle { font-size: 16pt; font-weight: bold; color: #111111; }
QLabel#paidTitle { color: #1b6e3a; }
QLabel#sectionHeader { font-weight: bold; margin-top: 6px; }
QPushButton#methodButton { font-size: 12pt; padding: 6px; }
QPushButton#methodButton:checked { background: #1f3556; color: #ffffff; font-weight: bold; }
QLabel#amountDue { font-size: 22pt; font-weight: bold; color: #111111; padding: 4px; }
QLabel#changeDue { font-size: 24pt; font-weight: bold; padding: 6px; border-radius: 6px; }
QLabel#changeDue[kind="ok"] { color: #ffffff; background: #1b6e3a; }
QLabel#changeDue[kind="error"] { color: #7a1116; background: #fde7e9; font-size: 14pt; }
QLabel#changeDue[kind="idle"] { color: #555555; font-size: 11pt; font-weight: normal; }
QLineEdit#cashTendered { font-size: 16pt; padding: 4px; }
QPushButton#quickAmount { font-size: 12pt; padding: 6px; }
QLabel#orderKey, QLabel#confirmedKey { font-size: 14pt; font-weight: bold; font-family: monospace; }
QLabel#confirmedAmount { font-size: 14pt; font-weight: bold; }
QLabel#notPaidReason { font-size: 13pt; color: #7a1116; }
QLabel#qrCaption { font-size: 12pt; font-weight: bold; }
"""


class SaleArea(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saleArea")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(SALE_STYLE)
        col = self._column = QVBoxLayout(self)
        col.setContentsMargins(10, 8, 10, 8)
        col.setSpacing(6)
        # title and countdown side by side when they fit, else the countdown under the title (the
        # Dutch "Stoelen vast nog 14:59" must never be cut off, nor widen a narrow pane)
        head = self.head = ButtonRow()
        self.title = QLabel(_("Sale"))
        self.title.setObjectName("saleTitle")
        head.addWidget(self.title)
        head.addStretch(1)
        self.countdown = HoldCountdown()
        head.addWidget(self.countdown, 0, Qt.AlignmentFlag.AlignRight)
        col.addWidget(head)
        # the notices (recovery, message line, busy bar) sit above the cart; on the checkout
        # choose page they move into its slot between the methods and Pay, so nothing jumps under
        # the cursor
        self.notices = QWidget()
        self.notices.setObjectName("saleNotices")
        notices = QVBoxLayout(self.notices)
        notices.setContentsMargins(0, 0, 0, 0)
        notices.setSpacing(6)
        col.addWidget(self.notices)
        self.recovery = RecoveryNotice()
        notices.addWidget(self.recovery)
        self.message = MessageLine()
        notices.addWidget(self.message)
        busy_row = QHBoxLayout()
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("busyBar")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(6)
        self.busy_text = QLabel()
        self.busy_text.setObjectName("busyText")
        self.busy_text.setWordWrap(True)
        busy_row.addWidget(self.busy_text)
        busy_row.addWidget(self.busy_bar, 1)
        self.busy_box = QWidget()
        self.busy_box.setLayout(busy_row)
        busy_row.setContentsMargins(0, 0, 0, 0)
        self.busy_box.setVisible(False)
        notices.addWidget(self.busy_box)
        self.stack = QStackedWidget()
        self.cart = CartPanel()
        self.checkout = CheckoutPanel()
        self.confirmation = ConfirmationPanel()
        # the change stays on the Paid screen until the cash widget is cleared for the next sale
        self.confirmation.change_source = lambda: self.checkout.cash.change
        self.checkout.cash.changed.connect(self.confirmation.refresh_change)
        self.stack.addWidget(self.cart)
        self.stack.addWidget(self.checkout)
        self.stack.addWidget(self.confirmation)
        col.addWidget(self.stack, 1)
        self.page = CART

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """What the pages really need, never under :data:`FLOOR_WIDTH`. Texts wrap and button
        rows stack so that this stays at most 360 px (the performance page needs the room; see
        tests/ui/sale/test_ui_cart_width.py). Not a fixed minimum width: that would let the
        pane get narrower than its content and cut text off."""
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), FLOOR_WIDTH), hint.height())

    def show_page(self, page: str) -> None:
        self.page = page
        self.stack.setCurrentWidget({CART: self.cart, CHECKOUT: self.checkout,
                                     CONFIRMATION: self.confirmation}[page])
        top = self._column
        if page == CHECKOUT and self.checkout.page == "choose":
            if top.indexOf(self.notices) >= 0:
                top.removeWidget(self.notices)
                self.checkout.notice_slot.addWidget(self.notices)
        elif top.indexOf(self.notices) < 0:
            self.checkout.notice_slot.removeWidget(self.notices)
            top.insertWidget(1, self.notices)

    def set_busy(self, text: str | None) -> None:
        self.busy_text.setText(text or "")
        self.busy_box.setVisible(bool(text))
