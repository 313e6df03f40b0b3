"""``CustomerDisplay``: the window turned towards the customer, big and calm, read from 2 m.

Shows one :class:`~boxoffice.services.customer_view.CustomerView` at a time (it never sees the
sale snapshot, so nothing the customer must not see can reach it): the venue's welcome; the
lines (performance, place, ticket type, price) and the total; "Scan to pay" with the payment
link as a large QR code and the amount; cash: the amount, what was handed over and the change;
"Paid — enjoy the show" with the e-tickets as a QR code; "One moment, please" for anything the
cashier sorts out. Two big buttons (NL / EN) switch the display's own language
(:class:`~boxoffice.ui.customer_display.language.DisplayLanguage`), whatever the cashier's is.
Type sizes follow the window's height, so it reads the same full screen on any monitor.
"""
from __future__ import annotations

from itertools import groupby

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import LANGUAGE_NAMES, _
from boxoffice.services.customer_view import IDLE_VIEW, CustomerLine, CustomerStage, CustomerView
from boxoffice.ui.checkout.qr import QrCodeWidget
from boxoffice.ui.customer_display.language import DisplayLanguage

#: the language the display starts in, and returns to for the next customer
DEFAULT_LANGUAGE = "nl"
#: at most this many ticket lines are listed; the rest as "and N more tickets"
MAX_LINES = 8

_STYLE = """
#customerDisplay {{ background: #14213d; }}
#customerDisplay QLabel {{ color: #f4f1ea; font-size: {body}px; }}
#customerDisplay QLabel#cdVenue {{ color: #c9d3e6; font-size: {small}px; }}
#customerDisplay QLabel#cdHuge {{ font-size: {huge}px; font-weight: 600; }}
#customerDisplay QLabel#cdLarge {{ font-size: {large}px; }}
#customerDisplay QLabel#cdAmount {{ color: #ffd166; font-size: {huge}px; font-weight: 700; }}
#customerDisplay QLabel#cdChange {{ color: #8ce99a; font-size: {huge}px; font-weight: 700; }}
#customerDisplay QLabel#cdHint {{ color: #c9d3e6; font-size: {small}px; }}
#customerDisplay QLabel#cdPerformance {{ font-size: {body}px; font-weight: 600; color: #ffffff; }}
#customerDisplay QLabel#cdLine {{ font-size: {line}px; }}
#customerDisplay QLabel#cdPrice {{ font-size: {line}px; }}
#customerDisplay QPushButton#cdLanguage {{
    color: #f4f1ea; background: transparent; border: 2px solid #5c6f96; border-radius: {radius}px;
    font-size: {small}px; font-weight: 600; min-width: {button}px; min-height: {button_h}px;
    padding: 0 {pad}px; }}
#customerDisplay QPushButton#cdLanguage:checked {{ background: #f4f1ea; color: #14213d; }}
#customerDisplay QWidget#cdRule {{ background: #3b4a6b; }}
"""


def _label(name: str, text: str = "", *, wrap: bool = True,
           align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setAlignment(align)
    return label


class CustomerDisplay(QWidget):
    """The customer's window; ``show_view(view)`` is all it is told."""

    closed = Signal()
    languageChanged = Signal(str)

    def __init__(self, venue: str, *, demo: bool = False, language: str = DEFAULT_LANGUAGE,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerDisplay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle(_("Customer display"))
        self.venue = venue
        self.demo = demo
        self.lang = DisplayLanguage(language)
        self.view: CustomerView = IDLE_VIEW
        self._scale = 0.0
        self._stage = CustomerStage.IDLE

        col = QVBoxLayout(self)
        col.setContentsMargins(40, 24, 40, 32)
        col.setSpacing(12)
        top = QHBoxLayout()
        self.venue_label = _label("cdVenue", wrap=False, align=Qt.AlignmentFlag.AlignLeft
                                  | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.venue_label, 1)
        self.language_group = QButtonGroup(self)
        self.language_buttons: dict[str, QPushButton] = {}
        for code in ("nl", "en"):
            button = QPushButton(code.upper())
            button.setObjectName("cdLanguage")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleName(LANGUAGE_NAMES[code])
            button.setToolTip(LANGUAGE_NAMES[code])
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _c=False, c=code: self.set_language(c))
            self.language_group.addButton(button)
            self.language_buttons[code] = button
            top.addWidget(button)
        col.addLayout(top)
        self.stack = QStackedWidget()
        col.addWidget(self.stack, 1)
        self._build_idle()
        self._build_cart()
        self._build_paying()
        self._build_cash()
        self._build_paid()
        self._build_moment()
        self._apply_scale()
        self.show_view(IDLE_VIEW)

    # --- pages -------------------------------------------------------------------------------
    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        self.stack.addWidget(page)
        return page, col

    def _build_idle(self) -> None:
        self.idle_page, col = self._page()
        col.addStretch(2)
        self.welcome_label = _label("cdHuge")
        self.idle_venue = _label("cdLarge")
        col.addWidget(self.welcome_label)
        col.addWidget(self.idle_venue)
        col.addStretch(3)

    def _build_cart(self) -> None:
        self.cart_page, col = self._page()
        self.cart_title = _label("cdLarge", align=Qt.AlignmentFlag.AlignLeft)
        col.addWidget(self.cart_title)
        self.lines_box = QWidget()
        self.lines_grid = QGridLayout(self.lines_box)
        self.lines_grid.setContentsMargins(0, 8, 0, 8)
        self.lines_grid.setHorizontalSpacing(32)
        self.lines_grid.setVerticalSpacing(6)
        self.lines_grid.setColumnStretch(0, 1)
        col.addWidget(self.lines_box)
        col.addStretch(1)
        rule = QWidget()
        rule.setObjectName("cdRule")
        rule.setFixedHeight(2)
        col.addWidget(rule)
        totals = QGridLayout()
        self.surcharge_name = _label("cdLine", align=Qt.AlignmentFlag.AlignLeft)
        self.surcharge_value = _label("cdPrice", align=Qt.AlignmentFlag.AlignRight)
        self.total_name = _label("cdLarge", align=Qt.AlignmentFlag.AlignLeft
                                 | Qt.AlignmentFlag.AlignVCenter)
        self.total_value = _label("cdAmount", wrap=False, align=Qt.AlignmentFlag.AlignRight)
        self.cart_cash = _label("cdLine", align=Qt.AlignmentFlag.AlignRight)
        totals.addWidget(self.surcharge_name, 0, 0)
        totals.addWidget(self.surcharge_value, 0, 1)
        totals.addWidget(self.total_name, 1, 0)
        totals.addWidget(self.total_value, 1, 1)
        totals.addWidget(self.cart_cash, 2, 0, 1, 2)
        totals.setColumnStretch(0, 1)
        col.addLayout(totals)

    def _build_paying(self) -> None:
        self.paying_page = QWidget()
        row = QHBoxLayout(self.paying_page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(48)
        self.pay_qr = QrCodeWidget(minimum=240)
        self.pay_qr.setObjectName("customerPaymentQr")
        row.addWidget(self.pay_qr, 5)
        text = QVBoxLayout()
        text.addStretch(1)
        self.scan_label = _label("cdHuge", align=Qt.AlignmentFlag.AlignLeft)
        self.pay_amount = _label("cdAmount", wrap=False, align=Qt.AlignmentFlag.AlignLeft)
        self.pay_hint = _label("cdHint", align=Qt.AlignmentFlag.AlignLeft)
        for w in (self.scan_label, self.pay_amount, self.pay_hint):
            text.addWidget(w)
        text.addStretch(1)
        row.addLayout(text, 4)
        self.stack.addWidget(self.paying_page)

    def _build_cash(self) -> None:
        self.cash_page, col = self._page()
        col.addStretch(1)
        grid = QGridLayout()
        grid.setHorizontalSpacing(48)
        grid.setVerticalSpacing(18)
        self.cash_due_name = _label("cdLarge", align=Qt.AlignmentFlag.AlignRight
                                    | Qt.AlignmentFlag.AlignVCenter)
        self.cash_due = _label("cdAmount", wrap=False, align=Qt.AlignmentFlag.AlignLeft)
        self.cash_given_name = _label("cdLarge", align=Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
        self.cash_given = _label("cdHuge", wrap=False, align=Qt.AlignmentFlag.AlignLeft)
        self.cash_change_name = _label("cdLarge", align=Qt.AlignmentFlag.AlignRight
                                       | Qt.AlignmentFlag.AlignVCenter)
        self.cash_change = _label("cdChange", wrap=False, align=Qt.AlignmentFlag.AlignLeft)
        for i, (name, value) in enumerate(((self.cash_due_name, self.cash_due),
                                           (self.cash_given_name, self.cash_given),
                                           (self.cash_change_name, self.cash_change))):
            grid.addWidget(name, i, 0)
            grid.addWidget(value, i, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        col.addLayout(grid)
        col.addStretch(2)

    def _build_paid(self) -> None:
        self.paid_page = QWidget()
        row = QHBoxLayout(self.paid_page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(48)
        text = QVBoxLayout()
        text.addStretch(1)
        self.paid_title = _label("cdHuge", align=Qt.AlignmentFlag.AlignLeft)
        self.paid_amount = _label("cdLarge", align=Qt.AlignmentFlag.AlignLeft)
        self.paid_change = _label("cdChange", align=Qt.AlignmentFlag.AlignLeft)
        self.tickets_hint = _label("cdHint", align=Qt.AlignmentFlag.AlignLeft)
        for w in (self.paid_title, self.paid_amount, self.paid_change, self.tickets_hint):
            text.addWidget(w)
        text.addStretch(1)
        row.addLayout(text, 5)
        self.tickets_qr = QrCodeWidget(minimum=200)
        self.tickets_qr.setObjectName("customerTicketsQr")
        row.addWidget(self.tickets_qr, 4)
        self.stack.addWidget(self.paid_page)

    def _build_moment(self) -> None:
        self.moment_page, col = self._page()
        col.addStretch(2)
        self.moment_title = _label("cdHuge")
        self.moment_hint = _label("cdLarge")
        col.addWidget(self.moment_title)
        col.addWidget(self.moment_hint)
        col.addStretch(3)

    # --- owner API ---------------------------------------------------------------------------
    @property
    def language(self) -> str:
        return self.lang.code

    def set_language(self, language: str) -> None:
        """The customer's choice (NL / EN): this window only, the cashier's screen keeps its own."""
        if language != self.lang.code:
            self.lang = DisplayLanguage(language)
            self.languageChanged.emit(self.lang.code)
        self.show_view(self.view)

    def page(self) -> CustomerStage:
        """The stage on screen (for checks)."""
        return self._stage

    def shown_texts(self) -> list[str]:
        """Every text on screen, in order (for checks): what the customer can read."""
        page = self.stack.currentWidget()
        assert page is not None
        texts = [self.venue_label.text()] if self.venue_label.text() else []
        texts += [w.text() for w in page.findChildren(QLabel) if w.isVisibleTo(page) and w.text()]
        texts += [w.text() for w in page.findChildren(QrCodeWidget) if w.isVisibleTo(page)]
        return texts

    def show_view(self, view: CustomerView) -> None:
        self.view = view
        t = self.lang
        for code, button in self.language_buttons.items():
            button.setChecked(code == t.code)
        venue = t.gettext("Demo venue") if self.demo else self.venue
        stage = view.stage
        self._stage = stage
        self.venue_label.setText(venue if stage != CustomerStage.IDLE else "")
        if stage == CustomerStage.CART:
            self._show_cart(view)
            self.stack.setCurrentWidget(self.cart_page)
        elif stage == CustomerStage.PAYING:
            url = view.payment_url
            self.pay_qr.setVisible(bool(url))
            if url and self.pay_qr.text() != url:
                self.pay_qr.set_text(url)
            self.scan_label.setText(t.gettext("Scan to pay") if url else t.gettext("To pay"))
            self.pay_amount.setText(t.money(view.amount_due))
            self.pay_hint.setText(t.gettext("Point your phone's camera at the code and pay on "
                                            "your phone.") if url else
                                  t.gettext("The cashier will help you pay."))
            self.stack.setCurrentWidget(self.paying_page)
        elif stage == CustomerStage.CASH:
            self.cash_due_name.setText(t.gettext("To pay"))
            self.cash_due.setText(t.money(view.amount_due))
            given = view.cash_given is not None
            self.cash_given_name.setText(t.gettext("Given"))
            self.cash_given.setText(t.money(view.cash_given) if view.cash_given is not None
                                    else "")
            self.cash_change_name.setText(t.gettext("Change") if view.cash_change is not None
                                          else t.gettext("Still to pay"))
            amount = view.cash_change if view.cash_change is not None else view.cash_short
            self.cash_change.setText(t.money(amount) if amount is not None else "")
            for w in (self.cash_given_name, self.cash_given, self.cash_change_name,
                      self.cash_change):
                w.setVisible(given)
            self.stack.setCurrentWidget(self.cash_page)
        elif stage == CustomerStage.PAID:
            self.paid_title.setText(t.gettext("Paid \u2014 enjoy the show!"))
            paid = view.amount_paid if view.amount_paid is not None else view.amount_due
            self.paid_amount.setText(t.gettext("Paid: {amount}").format(amount=t.money(paid)))
            self.paid_change.setVisible(view.cash_change is not None and view.cash_change > 0)
            self.paid_change.setText(t.gettext("Your change: {amount}").format(
                amount=t.money(view.cash_change)) if view.cash_change is not None else "")
            url = view.tickets_url
            self.tickets_qr.setVisible(bool(url))
            if url and self.tickets_qr.text() != url:
                self.tickets_qr.set_text(url)
            self.tickets_hint.setVisible(bool(url))
            self.tickets_hint.setText(t.gettext("Scan the code to take your e-tickets on your "
                                                "phone."))
            self.stack.setCurrentWidget(self.paid_page)
        elif stage == CustomerStage.ONE_MOMENT:
            self.moment_title.setText(t.gettext("One moment, please"))
            self.moment_hint.setText(t.gettext("The cashier will help you."))
            self.stack.setCurrentWidget(self.moment_page)
        else:
            self.welcome_label.setText(t.gettext("Welcome"))
            self.idle_venue.setText(venue)
            self.stack.setCurrentWidget(self.idle_page)

    def _show_cart(self, view: CustomerView) -> None:
        t = self.lang
        grid = self.lines_grid
        while grid.count():
            item = grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        n = len(view.lines)
        self.cart_title.setText(t.ngettext("Your ticket", "Your tickets", n))
        row = shown = 0
        for (name, starts), group in groupby(view.lines, key=lambda ln: (ln.performance,
                                                                          ln.starts_at)):
            if shown >= MAX_LINES:
                break
            head = _label("cdPerformance", " \u00b7 ".join(p for p in (name, t.when(starts)) if p),
                          align=Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(head, row, 0, 1, 3)
            row += 1
            for line in group:
                if shown >= MAX_LINES:
                    break
                grid.addWidget(_label("cdLine", self._place(line), align=Qt.AlignmentFlag.AlignLeft),
                               row, 0)
                grid.addWidget(_label("cdLine", line.ticket_type, wrap=False,
                                      align=Qt.AlignmentFlag.AlignLeft), row, 1)
                grid.addWidget(_label("cdPrice", t.money(line.price), wrap=False,
                                      align=Qt.AlignmentFlag.AlignRight), row, 2)
                row += 1
                shown += 1
        if n > shown:
            grid.addWidget(_label("cdLine", t.ngettext("and {count} more ticket",
                                                       "and {count} more tickets",
                                                       n - shown).format(count=n - shown),
                                  align=Qt.AlignmentFlag.AlignLeft), row, 0, 1, 3)
        fee = view.surcharge > 0
        self.surcharge_name.setVisible(fee)
        self.surcharge_value.setVisible(fee)
        self.surcharge_name.setText(t.gettext("Payment costs"))
        self.surcharge_value.setText(t.money(view.surcharge))
        self.total_name.setText(t.gettext("Total"))
        self.total_value.setText(t.money(view.amount_due))
        cash = view.cash_given is not None
        self.cart_cash.setVisible(cash)
        if view.cash_given is not None:
            parts = [t.gettext("Given: {amount}").format(amount=t.money(view.cash_given))]
            if view.cash_change is not None:
                parts.append(t.gettext("Change: {amount}").format(amount=t.money(view.cash_change)))
            elif view.cash_short is not None:
                parts.append(t.gettext("Still to pay: {amount}").format(
                    amount=t.money(view.cash_short)))
            self.cart_cash.setText("    ".join(parts))
        for i in range(grid.count()):   # shown now, not at the next turn of the event loop
            item = grid.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.show()

    def _place(self, line: CustomerLine) -> str:
        t = self.lang
        if line.general_admission or line.row is None or line.seat is None:
            return t.gettext("General admission")
        text = t.gettext("Row {row}, seat {seat}").format(row=line.row, seat=line.seat)
        return f"{line.section}, {text}" if line.section else text

    # --- size --------------------------------------------------------------------------------
    def _apply_scale(self) -> None:
        scale = max(0.6, min(self.height() / 800, self.width() / 1280)) if self.height() > 0 \
            else 1.0
        if abs(scale - self._scale) < 0.02:
            return
        self._scale = scale

        def px(n: float) -> int:
            return round(n * scale)

        self.setStyleSheet(_STYLE.format(huge=px(60), large=px(40), body=px(32), line=px(28),
                                         small=px(24), button=px(72), button_h=px(52),
                                         radius=px(10), pad=px(14)))
        margin = px(40)
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(margin, px(24), margin, px(32))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self._apply_scale()
        super().resizeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        event.accept()
        self.closed.emit()
