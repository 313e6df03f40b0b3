"""``CheckoutPanel``: payment method, optional customer, Pay, then waiting for the payment.

Owns the checkout views inside the sale area (a panel, never a modal dialog, so the map and the
rest of the window stay usable). Pages:

* **choose** — the payment methods from the API as large toggle buttons (the last used one
  preselected by the service, shown highlighted and named on the Pay button), the surcharge on
  its own line, what is due in large type, the cash widget when the method is cash, the optional
  customer (all of it scrolls), and a fixed footer with "Back" (Esc) and "Pay" (Enter) that is
  always in view;
* **waiting** — the order key, a busy bar while the status is polled, the payment link as a
  large QR code for the customer's phone (card / iDEAL) or the change due (cash), "Open
  payment page", "Check now", "Stop waiting" (always safe: the order stays in the journal) and,
  once stopped, "Resume waiting" / "New sale";
* **not paid** — the reason in plain words and the next steps: Try again, Another method,
  Release the seats;
* **attention** — the outcome could not be confirmed; the sale is kept and checked again.

No network here: every button is a signal the sale controller acts on.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _, format_money, ngettext
from boxoffice.services.sale import PaymentChoice, Phase, SaleSnapshot
from boxoffice.services.shift_report import CASH_NAMES
from boxoffice.ui.cart.button_row import ButtonRow
from boxoffice.ui.checkout.cash import CashWidget
from boxoffice.ui.checkout.customer import CustomerBox
from boxoffice.ui.checkout.qr import QrCodeWidget

CHOOSE, WAITING, NOT_PAID, ATTENTION = "choose", "waiting", "not_paid", "attention"


def is_cash(method: PaymentChoice | None) -> bool:
    return method is not None and method.name.strip().lower() in CASH_NAMES


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("checkoutTitle")
    label.setWordWrap(True)   # "Deze verkoop wordt gecontroleerd" in 16 pt must not widen the pane
    return label


def _wrap(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    return label


class VerticalScroll(QScrollArea):
    """Scrolls up and down only: as wide as its page needs (with room for the scroll bar), so
    the page never scrolls sideways nor gets cut off on the right."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(page)
        # the sale pane's white shows through (a scroll area paints its own grey otherwise)
        self.viewport().setAutoFillBackground(False)
        page.setAutoFillBackground(False)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        frame = 2 * self.frameWidth()
        page = self.widget()
        assert page is not None   # set in __init__
        return QSize(page.minimumSizeHint().width() + bar + frame, hint.height())

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.LayoutRequest:   # the page's needs changed: pass them on
            self.updateGeometry()
        return super().viewportEvent(event)


class CheckoutPanel(QWidget):
    backRequested = Signal()
    payRequested = Signal()
    methodChosen = Signal(int)
    stopWaitingRequested = Signal()
    resumeWaitingRequested = Signal()
    checkNowRequested = Signal()
    openPaymentPageRequested = Signal()
    tryAgainRequested = Signal()
    otherMethodRequested = Signal()
    releaseRequested = Signal()
    newSaleRequested = Signal()
    recheckRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkoutPanel")
        self.page = CHOOSE
        #: the customer display is on: the payment code is shown there too (this one stays)
        self.customer_display_on = False
        self._methods_signature: object = None
        self.method_buttons: dict[int | str, QPushButton] = {}
        self.stack = QStackedWidget()
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.stack)
        self._build_choose()
        self._build_waiting()
        self._build_not_paid()
        self._build_attention()
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self._escape)
        # 1-9 choose the payment method shown with that number (a text field keeps its digits)
        for n in range(1, 10):
            key = QShortcut(QKeySequence(str(n)), self)
            key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            key.activated.connect(lambda n=n: self.choose_by_number(n))

    # --- pages -------------------------------------------------------------------------------
    def _build_choose(self) -> None:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(_title(_("Checkout")))
        self.summary_label = _wrap(name="checkoutSummary")
        col.addWidget(self.summary_label)
        col.addWidget(_wrap(_("Payment method"), "sectionHeader"))
        self.methods_box = QWidget()
        self.methods_grid = QGridLayout(self.methods_box)
        self.methods_grid.setContentsMargins(0, 0, 0, 0)
        self.methods_grid.setSpacing(6)
        self.method_group = QButtonGroup(self)
        self.method_group.setExclusive(True)
        col.addWidget(self.methods_box)
        self.methods_note = _wrap(name="methodsNote")
        col.addWidget(self.methods_note)
        self.methods_skipped = _wrap(name="methodsSkipped")
        self.methods_skipped.setVisible(False)
        col.addWidget(self.methods_skipped)
        self.surcharge_label = _wrap(name="checkoutSurcharge")
        col.addWidget(self.surcharge_label)
        self.due_label = QLabel()
        self.due_label.setWordWrap(True)
        self.due_label.setObjectName("amountDue")
        self.due_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.due_label)
        self.cash = CashWidget()
        col.addWidget(self.cash)
        self.customer = CustomerBox()
        col.addWidget(self.customer)
        col.addStretch(1)
        # Pay and Back are a footer under the scrolling part: always in view, never moved by
        # what the page shows (cash, the customer section); notices of the sale area go into the
        # slot between the two (see SaleArea.show_page), so they move neither the methods
        # above nor Pay below.
        buttons = self.choose_buttons = ButtonRow()
        self.back_button = QPushButton(_("Back to cart"))
        self.back_button.setObjectName("checkoutBack")
        self.back_button.setToolTip(_("Esc"))
        self.back_button.clicked.connect(self.backRequested.emit)
        self.pay_button = QPushButton(_("Pay"))
        self.pay_button.setObjectName("payButton")
        self.pay_button.setToolTip(_("Create the order and take the payment (Enter)"))
        self.pay_button.setDefault(True)
        self.pay_button.setAutoDefault(True)
        self.pay_button.clicked.connect(self.payRequested.emit)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.pay_button)
        self.choose_scroll = VerticalScroll(page)
        self.choose_page = QWidget()
        outer = QVBoxLayout(self.choose_page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)
        outer.addWidget(self.choose_scroll, 1)
        self.notice_slot = QVBoxLayout()
        self.notice_slot.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.notice_slot)
        outer.addWidget(buttons)
        self.stack.addWidget(self.choose_page)

    def _build_waiting(self) -> None:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        self.waiting_title = _title(_("Waiting for the payment"))
        col.addWidget(self.waiting_title)
        self.order_label = _wrap(name="orderKey")
        self.order_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.order_label)
        self.waiting_due = QLabel()
        self.waiting_due.setWordWrap(True)
        self.waiting_due.setObjectName("amountDue")
        self.waiting_due.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.waiting_due)
        # cash: the change right under the amount, in view before anything that may scroll
        self.cash_change_label = QLabel()
        self.cash_change_label.setObjectName("changeDue")
        self.cash_change_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cash_change_label.setWordWrap(True)
        col.addWidget(self.cash_change_label)
        self.progress = QProgressBar()
        self.progress.setObjectName("paymentProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        col.addWidget(self.progress)
        self.poll_label = _wrap(name="pollStatus")
        col.addWidget(self.poll_label)
        self.qr_caption = _wrap(_("Customer: scan this code with your phone to pay."), "qrCaption")
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.qr_caption)
        self.qr = QrCodeWidget()
        col.addWidget(self.qr, 1)
        # the payment page's link, offered wherever a payment page is involved: read-only, it
        # scrolls instead of widening the pane
        self.payment_link_label = QLineEdit()
        self.payment_link_label.setObjectName("paymentLink")
        self.payment_link_label.setReadOnly(True)
        self.payment_link_label.setAccessibleName(_("Payment link"))
        self.copy_link_button = QPushButton(_("Copy link"))
        self.copy_link_button.setObjectName("copyPaymentLink")
        self.copy_link_button.setToolTip(_("Copy the payment page's link, to open it in a browser "
                                           "or send it"))
        self.copy_link_button.clicked.connect(self._copy_link)
        self.link_row = ButtonRow()
        self.link_row.addWidget(self.payment_link_label, 1)
        self.link_row.addWidget(self.copy_link_button)
        col.addWidget(self.link_row)
        self.link_status = _wrap(name="linkStatus")
        col.addWidget(self.link_status)
        #: did the system browser open this order's payment page? (None: not tried yet)
        self.page_opened: bool | None = None
        self._payment_url: str | None = None
        self.cash_hint = _wrap(_("Confirm the cash payment on the payment page that opened in the "
                                 "browser."), "cashHint")
        col.addWidget(self.cash_hint)
        self.no_link_label = _wrap(name="noLink")
        col.addWidget(self.no_link_label)
        col.addStretch(0)
        self.filler = QWidget()     # takes the room of the QR code when there is none
        col.addWidget(self.filler, 1)
        self.open_page_button = QPushButton(_("Open payment page"))
        self.open_page_button.setObjectName("openPaymentPage")
        self.open_page_button.clicked.connect(self.openPaymentPageRequested.emit)
        self.check_button = QPushButton(_("Check now"))
        self.check_button.setObjectName("checkNow")
        self.check_button.clicked.connect(self.checkNowRequested.emit)
        self.stop_button = QPushButton(_("Stop waiting"))
        self.stop_button.setObjectName("stopWaiting")
        self.stop_button.setToolTip(_("The order is kept; it is checked again later or at the next start."))
        self.stop_button.clicked.connect(self.stopWaitingRequested.emit)
        self.resume_button = QPushButton(_("Resume waiting"))
        self.resume_button.setObjectName("resumeWaiting")
        self.resume_button.clicked.connect(self.resumeWaitingRequested.emit)
        self.waiting_new_button = QPushButton(_("New sale (F2)"))
        self.waiting_new_button.setObjectName("waitingNewSale")
        self.waiting_new_button.setToolTip(_("Serve the next customer; this order is kept and "
                                             "checked in the background."))
        self.waiting_new_button.clicked.connect(self.newSaleRequested.emit)
        # two rows of two (Stop and Resume take turns), each stacked when the pane is narrow
        self.waiting_buttons = (ButtonRow(), ButtonRow())
        for row, buttons in zip(self.waiting_buttons, (
                (self.open_page_button, self.check_button),
                (self.stop_button, self.resume_button, self.waiting_new_button))):
            for button in buttons:
                row.addWidget(button, 1)
        # the buttons are a footer that stays in view; what is above them scrolls when it does
        # not fit (at 1280x720 the QR code was squeezed under the link and the change)
        self.waiting_page = QWidget()
        outer = QVBoxLayout(self.waiting_page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)
        self.waiting_scroll = VerticalScroll(page)
        outer.addWidget(self.waiting_scroll, 1)
        for row in self.waiting_buttons:
            outer.addWidget(row)
        self.stack.addWidget(self.waiting_page)

    def _build_not_paid(self) -> None:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(_title(_("Not paid")))
        self.not_paid_label = _wrap(name="notPaidReason")
        col.addWidget(self.not_paid_label)
        self.try_again_button = QPushButton(_("Try again"))
        self.try_again_button.setObjectName("tryAgain")
        self.try_again_button.setToolTip(_("Put the same seats back (those still free) and pay "
                                           "with the same method"))
        self.try_again_button.clicked.connect(self.tryAgainRequested.emit)
        self.other_method_button = QPushButton(_("Another method"))
        self.other_method_button.setObjectName("otherMethod")
        self.other_method_button.clicked.connect(self.otherMethodRequested.emit)
        self.release_button = QPushButton(_("Release the seats"))
        self.release_button.setObjectName("releaseSeats")
        self.release_button.setToolTip(_("End this sale"))
        self.release_button.clicked.connect(self.releaseRequested.emit)
        for b in (self.try_again_button, self.other_method_button, self.release_button):
            b.setMinimumHeight(36)
            col.addWidget(b)
        col.addStretch(1)
        self.not_paid_page = page
        self.stack.addWidget(page)

    def _build_attention(self) -> None:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(_title(_("Checking this sale")))
        self.attention_label = _wrap(_(
            "It could not be confirmed whether the order was made. Nothing is made twice: the "
            "sale is kept and checked in the background and at the next start. Check the "
            "VoordeMensen dashboard before selling these seats again."), "attentionText")
        col.addWidget(self.attention_label)
        self.attention_status = _wrap(name="attentionStatus")
        col.addWidget(self.attention_status)
        # always there while the sale is being checked (it is also checked by itself, and as
        # soon as the connection is back): reads only, never orders again
        self.attention_check_button = QPushButton(_("Check now"))
        self.attention_check_button.setObjectName("attentionCheckNow")
        self.attention_check_button.setToolTip(_("Ask VoordeMensen again whether the order was "
                                                 "made. Nothing is ordered twice."))
        self.attention_check_button.clicked.connect(self.recheckRequested.emit)
        col.addWidget(self.attention_check_button)
        self.attention_new_button = QPushButton(_("New sale (F2)"))
        self.attention_new_button.setObjectName("attentionNewSale")
        self.attention_new_button.clicked.connect(self.newSaleRequested.emit)
        col.addWidget(self.attention_new_button)
        col.addStretch(1)
        self.attention_page = page
        self.stack.addWidget(page)

    # --- owner API ---------------------------------------------------------------------------
    def set_methods(self, methods: Sequence[PaymentChoice] | None, error: str = "") -> None:
        """``methods``: None while loading; a list (its ``skipped``, as the sale service gives
        it: how many of VoordeMensen's methods could not be read; the panel then says so)."""
        skipped = max(int(getattr(methods, "skipped", 0) or 0), 0) if methods is not None else 0
        if skipped:
            self.methods_skipped.setText(ngettext(
                "{count} payment method could not be read and is not offered.",
                "{count} payment methods could not be read and are not offered.",
                skipped).format(count=skipped))
        self.methods_skipped.setVisible(bool(skipped))
        signature = tuple(methods) if methods is not None else None
        if signature == self._methods_signature and not error:
            return
        self._methods_signature = signature
        for button in list(self.method_buttons.values()):
            self.method_group.removeButton(button)
            self.methods_grid.removeWidget(button)
            button.deleteLater()
        self.method_buttons.clear()
        for i, method in enumerate(methods or ()):
            text = method.name
            if method.surcharge:
                text += "\n" + _("+ {amount} surcharge").format(amount=format_money(method.surcharge))
            button = QPushButton(text)
            button.setObjectName("methodButton")
            button.setCheckable(True)
            button.setMinimumHeight(48)
            if i < 9:   # its number key; Enter on it pays
                button.setToolTip(_("Pay with {method} ({key}, then Enter)").format(
                    method=method.name, key=i + 1))
                button.setAccessibleName(_("Payment method {number}: {method}").format(
                    number=i + 1, method=method.name))
            else:
                button.setAccessibleName(method.name)
                button.setToolTip(_("Pay with {method}").format(method=method.name))
            button.installEventFilter(self)
            button.clicked.connect(lambda _c=False, mid=method.method_id: self.methodChosen.emit(mid))
            self.method_group.addButton(button)
            self.methods_grid.addWidget(button, i // 2, i % 2)
            self.method_buttons[method.method_id] = button
        if methods is None:
            self.methods_note.setText(error or _("Loading the payment methods\u2026"))
        else:
            self.methods_note.setText(error)
        self.methods_note.setVisible(bool(self.methods_note.text()))

    def show_page(self, page: str) -> None:
        self.page = page
        widget = {CHOOSE: self.choose_page, WAITING: self.waiting_page,
                  NOT_PAID: self.not_paid_page, ATTENTION: self.attention_page}[page]
        self.stack.setCurrentWidget(widget)

    def show_sale(self, snap: SaleSnapshot, *, payment_url: str | None, busy: bool) -> None:
        method = snap.payment_method
        for mid, button in self.method_buttons.items():
            button.setChecked(method is not None and method.method_id == mid)
        held = snap.held_lines
        n = len(held)
        self.summary_label.setText(ngettext("{count} ticket, total {amount}",
                                            "{count} tickets, total {amount}", n).format(
            count=n, amount=format_money(snap.total)) if n else _("The cart is empty."))
        if method is not None and snap.surcharge:
            self.surcharge_label.setText(_("Surcharge {method}: {amount}").format(
                method=method.name, amount=format_money(snap.surcharge)))
        else:
            self.surcharge_label.setText("")
        self.surcharge_label.setVisible(bool(self.surcharge_label.text()))
        self.due_label.setText(_("To pay {amount}").format(amount=format_money(snap.amount_due)))
        cash = is_cash(method)
        self.cash.setVisible(cash and snap.phase == Phase.OPEN)
        if cash:
            self.cash.set_due(snap.amount_due)
        self.pay_button.setEnabled(snap.phase == Phase.OPEN and bool(held) and method is not None
                                   and not busy and (not cash or self.cash.ready_to_pay))
        self.pay_button.setText(_("Creating the order\u2026") if snap.phase == Phase.ORDERING
                                else _("Pay {amount}").format(amount=format_money(snap.amount_due))
                                if method is None
                                # the method Pay will use is named on it: a method remembered
                                # from the last sale is never used unseen
                                else _("Pay {amount} \u00b7 {method}").format(
                                    amount=format_money(snap.amount_due), method=method.name))
        self.back_button.setEnabled(snap.phase == Phase.OPEN)

        order = snap.order
        if order is not None:
            self.order_label.setText(_("Order {key} \u2014 {method}").format(
                key=order.order_key, method=order.method.name))
            self.waiting_due.setText(_("To pay {amount}").format(amount=format_money(order.amount_due)))
            order_cash = is_cash(order.method)
            # the payment page, wherever there is one: as a link to copy or open again, and as
            # a QR code (for cash only when the browser did not show the page: the cashier
            # confirms it there, the customer needs no code); what the texts say must be what
            # is on the screen
            show_qr = bool(payment_url) and (not order_cash or not self.page_opened)
            self.qr.setVisible(show_qr)
            self.qr_caption.setVisible(show_qr)
            self.qr_caption.setText(
                _("Scan this code to open the payment page on a phone or tablet.") if order_cash
                else _("Shown on the customer display; the customer can also scan it here.")
                if self.customer_display_on
                else _("Customer: scan this code with your phone to pay."))
            self.filler.setVisible(not show_qr)
            if show_qr and self.qr.text() != payment_url:
                self.qr.set_text(payment_url)
            if payment_url != self._payment_url:
                self._payment_url = payment_url
                self.link_status.setText("")
            self.link_row.setVisible(bool(payment_url))
            self.link_status.setVisible(bool(self.link_status.text()))
            if payment_url and self.payment_link_label.text() != payment_url:
                self.payment_link_label.setText(payment_url)
                self.payment_link_label.setCursorPosition(0)
            self.cash_hint.setVisible(order_cash and bool(payment_url))
            self.cash_hint.setText(
                _("Confirm the cash payment on the payment page that opened in the browser.")
                if self.page_opened else
                _("Confirm the cash payment on the payment page: open it with \"Open payment "
                  "page\" or \"Copy link\", or scan the code."))
            change = self.cash.change if order_cash else None
            self.cash_change_label.setVisible(change is not None)
            if change is not None:
                self.cash_change_label.setProperty("kind", "ok" if change.enough else "error")
                self.cash_change_label.style().unpolish(self.cash_change_label)
                self.cash_change_label.style().polish(self.cash_change_label)
                self.cash_change_label.setText(
                    _("Change: {amount}").format(amount=format_money(change.change)) if change.enough
                    else _("Still to pay: {amount}").format(amount=format_money(change.short)))
            self.no_link_label.setVisible(not payment_url)
            self.no_link_label.setText("" if payment_url else _(
                "There is no payment link to show; the customer can pay another way."))
            waiting = order.waiting
            self.progress.setVisible(waiting)
            self.poll_label.setText(
                ngettext("Waiting for the payment\u2026 (checked {count} time)",
                         "Waiting for the payment\u2026 (checked {count} times)",
                         order.polls).format(count=order.polls) if waiting
                else _("Not checking any more. The order is kept and checked again later."))
            self.open_page_button.setEnabled(bool(payment_url))
            self.check_button.setVisible(waiting)
            self.stop_button.setVisible(waiting)
            self.resume_button.setVisible(not waiting and snap.phase == Phase.WAITING)
            self.waiting_new_button.setVisible(not waiting)
        if snap.not_paid is not None:
            self.not_paid_label.setText(snap.not_paid.text)
        checking = snap.busy == "checking"
        self.attention_status.setText(
            _("Checking with VoordeMensen\u2026") if checking else
            _("Checked again by itself every few seconds, and at once when the connection is "
              "back."))
        self.attention_check_button.setEnabled(snap.phase == Phase.ATTENTION and not checking)
        # one next step at a time: a second click while "Try again" runs would start it twice
        for button in (self.try_again_button, self.other_method_button, self.release_button):
            button.setEnabled(snap.phase == Phase.NOT_PAID and not busy)

    def _copy_link(self) -> None:
        if not self._payment_url:
            return
        QGuiApplication.clipboard().setText(self._payment_url)
        self.link_status.setText(_("Link copied: paste it into a browser."))
        self.link_status.setVisible(True)

    def focus_methods(self) -> None:
        checked = self.method_group.checkedButton()
        target = checked or next(iter(self.method_buttons.values()), None)
        if target is not None:
            target.setFocus()

    def choose_by_number(self, number: int) -> None:
        """The number key of a payment method: chosen as by a click, and it keeps the focus, so
        Enter pays (see eventFilter)."""
        if self.page != CHOOSE:
            return
        buttons = list(self.method_buttons.values())
        if 1 <= number <= len(buttons) and buttons[number - 1].isEnabled():
            button = buttons[number - 1]
            button.click()
            button.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Enter on a payment method pays (when Pay can), as Enter on Pay does."""
        if event.type() == QEvent.Type.KeyPress and watched in self.method_buttons.values() \
                and cast(QKeyEvent, event).key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.pay_button.isEnabled():
                self.pay_button.click()
            return True
        return super().eventFilter(watched, event)

    def _escape(self) -> None:
        if self.page == CHOOSE and self.back_button.isEnabled():
            self.backRequested.emit()
