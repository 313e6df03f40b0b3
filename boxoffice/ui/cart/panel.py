"""``CartPanel``: the lines of the sale, grouped per performance, with the totals and "Checkout".

Owns showing the cart (no network, no service calls: it emits what the cashier asked for and
the sale controller does it). Per line: the place (section, row, seat or "General admission"),
a ticket-type combo with the types valid for that seat's rank, the price and a remove button
(Del removes the selected line). Released lines (the hold ran out) are shown struck out with
one "Re-add" for all. Below: the exact total, the payment method's surcharge on its own line,
what is due, "Remove all" and "Checkout (F9)".
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _, format_datetime, format_money, ngettext
from boxoffice.services.sale import PriceOption, SaleLine, SaleSnapshot
from boxoffice.ui.cart.button_row import ButtonRow

LINE_ROLE = Qt.ItemDataRole.UserRole + 1
COL_PLACE, COL_TYPE, COL_PRICE, COL_REMOVE = range(4)

TYPE_COMBO_CHARS = 7   # ticket-type combo width in characters ("Rang 1", "CJP", "Kind …")

TypeOptions = Callable[[SaleLine], Sequence[PriceOption]]


def wrap_friendly(place: str) -> str:
    """"Parket, Row 6, seat 12" never wraps between "seat" and "12": after the section name the
    parts keep together. The section name itself may wrap between its words ("Tweede balkon
    zijvak links" is wider than the column in a narrow pane; kept together it was cut off)."""
    section, *rest = place.split(", ")
    return ", ".join([section, *(part.replace(" ", "\u00a0") for part in rest)])


class PlaceDelegate(QStyledItemDelegate):
    """The place column: wraps after a comma, row height measured at the column's current width."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:  # noqa: N802 - Qt API
        super().initStyleOption(option, index)
        if option.text and not self._tree.isFirstColumnSpanned(index.row(), index.parent()):
            option.text = wrap_friendly(option.text)

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if index.column() != COL_PLACE or not text:
            return hint
        if self._tree.isFirstColumnSpanned(index.row(), index.parent()):
            # a performance's heading spans the row: it wraps at the list's width (in a narrow
            # pane "Hamlet · 12-03-2026, 20:15 · € 49,00" would otherwise lose time and subtotal)
            width, shown = self._tree.viewport().width(), str(text)
        else:
            width, shown = self._tree.columnWidth(COL_PLACE), wrap_friendly(str(text))
        width = max(20, width - 12)   # minus the cell's padding
        font = index.data(Qt.ItemDataRole.FontRole) or option.font
        rect = QFontMetrics(font).boundingRect(QRect(0, 0, width, 10_000),
                                               int(Qt.TextFlag.TextWordWrap), shown)
        return QSize(hint.width(), max(hint.height(), rect.height() + 10))


class CartTree(QTreeWidget):
    deletePressed = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            item = self.currentItem()
            line_id = item.data(0, LINE_ROLE) if item is not None else None
            if line_id:
                self.deletePressed.emit(line_id)
                event.accept()
                return
        super().keyPressEvent(event)


class CartPanel(QWidget):
    removeRequested = Signal(str)
    removeAllRequested = Signal()
    typeChangeRequested = Signal(str, str)   # line id, price id
    readdRequested = Signal()
    checkoutRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cartPanel")
        self._signature: object = None
        self._busy = False
        self.type_combos: dict[str, QComboBox] = {}
        self.remove_buttons: dict[str, QToolButton] = {}

        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(6)
        self.empty_label = QLabel(_("The cart is empty.\nChoose seats on the map or a number of "
                                    "tickets, then press Add to cart."))
        self.empty_label.setObjectName("cartEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.empty_label)

        self.tree = CartTree()
        self.tree.setObjectName("cartLines")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([_("Place"), _("Ticket type"), _("Price"), ""])
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(0)
        self.tree.setUniformRowHeights(False)
        # the place ("Parket, Rij 6, stoel 12") is what the cashier checks: it gets the width that
        # is left and wraps onto a second line rather than being cut off with "…"
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setItemDelegateForColumn(COL_PLACE, PlaceDelegate(self.tree))
        self.tree.setAccessibleName(_("Tickets in the cart"))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_PLACE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_TYPE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_PRICE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_REMOVE, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(COL_REMOVE, 34)
        header.setMinimumSectionSize(24)
        header.sectionResized.connect(self._column_resized)
        self.tree.deletePressed.connect(self._remove)
        col.addWidget(self.tree, 1)

        released_row = QHBoxLayout()
        self.released_label = QLabel()
        self.released_label.setObjectName("releasedNote")
        self.released_label.setWordWrap(True)
        released_row.addWidget(self.released_label, 1)
        self.readd_button = QPushButton(_("Re-add"))
        self.readd_button.setObjectName("readdButton")
        self.readd_button.setToolTip(_("Put the released seats back in the cart (those still free)"))
        self.readd_button.clicked.connect(self.readdRequested.emit)
        released_row.addWidget(self.readd_button)
        self.released_box = QWidget()
        self.released_box.setLayout(released_row)
        self.released_box.hide()
        col.addWidget(self.released_box)

        totals = QVBoxLayout()
        totals.setSpacing(2)
        self.count_label = QLabel()
        self.count_label.setObjectName("cartCount")
        self.total_label = QLabel()
        self.total_label.setObjectName("cartTotal")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.surcharge_label = QLabel()
        self.surcharge_label.setObjectName("cartSurcharge")
        self.surcharge_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.due_label = QLabel()
        self.due_label.setObjectName("cartDue")
        self.due_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.total_label)
        totals.addLayout(top)
        totals.addWidget(self.surcharge_label)
        totals.addWidget(self.due_label)
        col.addLayout(totals)

        buttons = self.buttons = ButtonRow()
        self.remove_all_button = QPushButton(_("Remove all"))
        self.remove_all_button.setObjectName("removeAllButton")
        self.remove_all_button.setToolTip(_("Release every seat in this cart"))
        self.remove_all_button.clicked.connect(self.removeAllRequested.emit)
        self.checkout_button = QPushButton(_("Checkout (F9)"))
        self.checkout_button.setObjectName("checkoutButton")
        self.checkout_button.setToolTip(_("Pay for the tickets in the cart (F9)"))
        self.checkout_button.clicked.connect(self.checkoutRequested.emit)
        buttons.addWidget(self.remove_all_button)
        buttons.addStretch(1)
        buttons.addWidget(self.checkout_button)
        col.addWidget(buttons)
        self.show_sale(None)

    # --- owner API ---------------------------------------------------------------------------
    def show_sale(self, snap: SaleSnapshot | None, type_options: TypeOptions | None = None) -> None:
        lines = snap.lines if snap is not None else ()
        busy = bool(snap is not None and snap.busy)
        signature = (lines, busy)
        if signature != self._signature:
            self._signature = signature
            self._busy = busy
            self._rebuild(snap, type_options)
        held = snap.held_lines if snap is not None else ()
        released = snap.released_lines if snap is not None else ()
        self.empty_label.setVisible(not lines)
        self.tree.setVisible(bool(lines))
        if released:
            places = ", ".join(ln.place for ln in released[:3]) + (" \u2026" if len(released) > 3 else "")
            self.released_label.setText(ngettext(
                "{count} seat was released: {places}", "{count} seats were released: {places}",
                len(released)).format(count=len(released), places=places))
        self.released_box.setVisible(bool(released))
        self.readd_button.setEnabled(not busy)
        n = len(held)
        self.count_label.setText(ngettext("{count} ticket", "{count} tickets", n).format(count=n)
                                 if n else "")
        if snap is not None and held:
            self.total_label.setText(_("Total {amount}").format(amount=format_money(snap.total)))
            method = snap.payment_method
            if method is not None and snap.surcharge:
                self.surcharge_label.setText(_("+ surcharge {method}: {amount}").format(
                    method=method.name, amount=format_money(snap.surcharge)))
                self.due_label.setText(_("To pay {amount}").format(amount=format_money(snap.amount_due)))
            else:
                self.surcharge_label.setText("")
                self.due_label.setText("")
        else:
            self.total_label.setText("")
            self.surcharge_label.setText("")
            self.due_label.setText("")
        self.surcharge_label.setVisible(bool(self.surcharge_label.text()))
        self.due_label.setVisible(bool(self.due_label.text()))
        self.remove_all_button.setEnabled(bool(lines) and not busy)
        self.checkout_button.setEnabled(bool(held) and not busy)

    def _line_items(self) -> Iterator[QTreeWidgetItem]:
        """The line items under the performance groups, in order."""
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            assert group is not None   # i is in range
            for j in range(group.childCount()):
                child = group.child(j)
                assert child is not None
                yield child

    def line_ids(self) -> list[str]:
        return [item.data(0, LINE_ROLE) for item in self._line_items()]

    def line_item(self, line_id: str) -> QTreeWidgetItem | None:
        for item in self._line_items():
            if item.data(0, LINE_ROLE) == line_id:
                return item
        return None

    # --- building ----------------------------------------------------------------------------
    def _rebuild(self, snap: SaleSnapshot | None, type_options: TypeOptions | None) -> None:
        current = self.tree.currentItem()
        current_id = current.data(0, LINE_ROLE) if current is not None else None
        self.tree.clear()
        self.type_combos.clear()
        self.remove_buttons.clear()
        if snap is None:
            return
        for group in snap.groups:
            when = f" \u00b7 {format_datetime(group.starts_at, 'short')}" if group.starts_at else ""
            head = QTreeWidgetItem([f"{group.performance}{when} \u00b7 {format_money(group.subtotal)}"])
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            head.setToolTip(0, head.text(0))
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            self.tree.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)
            head.setExpanded(True)
            for line in group.lines:
                self._add_line(head, line, type_options)
        if current_id:
            item = self.line_item(current_id)
            if item is not None:
                self.tree.setCurrentItem(item)

    def _add_line(self, head: QTreeWidgetItem, line: SaleLine, type_options: TypeOptions | None) -> None:
        place = line.place if line.held else _("{place} (released)").format(place=line.place)
        item = QTreeWidgetItem([place, "" , format_money(line.price), ""])
        item.setData(0, LINE_ROLE, line.line_id)
        item.setTextAlignment(COL_PRICE, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(0, place)
        if not line.held:
            font = item.font(0)
            font.setStrikeOut(True)
            item.setFont(0, font)
            item.setFont(COL_PRICE, font)
            for c in range(3):
                item.setForeground(c, Qt.GlobalColor.darkGray)
        head.addChild(item)
        options = list(type_options(line)) if (type_options is not None and line.held) else []
        if len(options) > 1:
            combo = QComboBox()
            combo.setObjectName("ticketTypeCombo")
            # narrow (the full names are in the popup): the place column keeps the width
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(TYPE_COMBO_CHARS)
            combo.setAccessibleName(_("Ticket type for {place}").format(place=line.place))
            for opt in options:   # the price has its own column; it is in the tooltip too
                combo.addItem(opt.name, opt.price_id)
                if opt.price is not None:
                    combo.setItemData(combo.count() - 1, f"{opt.name}: {format_money(opt.price)}",
                                      Qt.ItemDataRole.ToolTipRole)
            index = combo.findData(line.price_id)
            if index < 0:
                combo.insertItem(0, line.ticket_type or line.price_id, line.price_id)
                index = 0
            combo.setCurrentIndex(index)
            combo.setEnabled(not self._busy)
            combo.activated.connect(lambda i, c=combo, lid=line.line_id: self._type_chosen(lid, c, i))
            self.tree.setItemWidget(item, COL_TYPE, combo)
            self.type_combos[line.line_id] = combo
        else:
            item.setText(COL_TYPE, line.ticket_type)
        remove = QToolButton()
        remove.setObjectName("removeLineButton")
        remove.setText("\u2715")
        remove.setToolTip(_("Remove this ticket (Del)"))
        remove.setAccessibleName(_("Remove {place}").format(place=line.place))
        remove.setEnabled(not self._busy)
        remove.clicked.connect(lambda _c=False, lid=line.line_id: self._remove(lid))
        self.tree.setItemWidget(item, COL_REMOVE, remove)
        self.remove_buttons[line.line_id] = remove

    def _column_resized(self, index: int, _old: int, _new: int) -> None:
        if index == COL_PLACE:   # wrapped places need their row heights measured again
            self.tree.doItemsLayout()

    def _type_chosen(self, line_id: str, combo: QComboBox, index: int) -> None:
        price_id = combo.itemData(index)
        if price_id:
            self.typeChangeRequested.emit(line_id, str(price_id))

    def _remove(self, line_id: str) -> None:
        if not self._busy:
            self.removeRequested.emit(line_id)
