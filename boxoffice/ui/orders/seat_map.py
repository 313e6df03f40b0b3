"""``OrderSeatMapDialog``: an order's seats, marked on the performance's seat map (read only).

Owns a small non-modal window with the hall map (the app's own
:class:`~boxoffice.ui.seating.view.SeatMapView`, read-only), the order's seats drawn with the
cart's marker (``set_highlighted``), a line saying whose seats they are, and a plain message
when the map cannot be shown (free seating, offline without a saved plan, an error). Seats are
found by their seat id; where the export's ids do not match the plan's (the docs do not confirm
that they do), by section, row and seat number. Loading the plan is the desk controller's.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QStackedWidget, QVBoxLayout, QWidget

from boxoffice.domain.hall_file import HallFile
from boxoffice.domain.layout import HallLayout
from boxoffice.domain.orders import DeskOrder, DeskSeat, fold
from boxoffice.i18n import _, ngettext
from boxoffice.ui.seating.view import SeatMapView

MAP_STYLE = """
QLabel#orderMapTitle { font-size: 14pt; font-weight: bold; }
QLabel#orderMapNote { color: #333333; }
QLabel#orderMapMessage { color: #555555; font-size: 12pt; padding: 24px; }
"""


def _label(text: Any) -> str:
    return fold(str(text or "")).strip()


def rank_prices(plan: Any) -> dict[str, set[Decimal]]:
    """The prices each rank of a plan is sold at (``price_levels``), rank ids as text."""
    prices: dict[str, set[Decimal]] = {}
    levels = plan.get("price_levels", plan.get("priceLevels", ())) if isinstance(plan, dict) \
        else getattr(plan, "price_levels", ())
    for level in levels or ():
        rank = level.get("rank_id", level.get("rankId")) if isinstance(level, dict) \
            else getattr(level, "rank_id", None)
        amount = level.get("amount") if isinstance(level, dict) else getattr(level, "amount", None)
        if rank is not None and amount is not None:
            try:
                prices.setdefault(str(rank), set()).add(Decimal(str(amount)))
            except ArithmeticError:
                continue
    return prices


def match_seats(layout: HallLayout, seats: Sequence[DeskSeat],
                prices: dict[str, set[Decimal]] | None = None) -> list[str]:
    """The plan's seat ids of *seats*: by seat id; else by section, row and seat as the cashier
    reads them; else (the export names no section) by row and seat number among the seats that
    are taken, of a rank sold at the seat's price, in the section that holds most of the
    order's seats. A seat that stays ambiguous
    is left out: marking a stranger's seat would be worse than marking none."""
    found: list[str] = []
    missing: list[DeskSeat] = []
    for seat in seats:
        i = layout.index_of(seat.seat_id)
        if i is None:
            missing.append(seat)
        else:
            found.append(layout.seat_ids[i])
    if not missing:
        return found
    by_full: dict[tuple[str, str, str], int] = {}
    by_row: dict[tuple[str, str], list[int]] = {}
    for i in range(layout.seat_count):
        row, nr = _label(layout.row_text(layout.row_of[i])), _label(layout.seat_text(i))
        by_full[(_label(layout.section_name(i)), row, nr)] = i
        by_row.setdefault((row, nr), []).append(i)
    options: list[list[int]] = []
    for seat in missing:
        if seat.section:
            i = by_full.get((_label(seat.section), _label(seat.row), _label(seat.seat)))
            options.append([i] if i is not None else [])
            continue
        same = by_row.get((_label(seat.row), _label(seat.seat)), [])
        taken = [i for i in same if not layout.available[i]] or same
        if prices and len(taken) > 1:   # a rank sold at the seat's price
            priced = [i for i in taken
                      if seat.price in prices.get(str(layout.rank_ids[i]), set())]
            taken = priced or taken
        options.append(taken)
    votes: dict[int, int] = {}
    for choice in options:
        for section in {layout.section_of[i] for i in choice}:
            votes[section] = votes.get(section, 0) + 1
    ranked = sorted(votes.values(), reverse=True)
    best = next((sec for sec, n in votes.items() if n == ranked[0]), None) \
        if ranked and (len(ranked) == 1 or ranked[0] > ranked[1]) else None
    for choice in options:
        if len(choice) > 1:
            choice = [i for i in choice if layout.section_of[i] == best]
        if len(choice) == 1:
            found.append(layout.seat_ids[choice[0]])
    return found


class OrderSeatMapDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderSeatMapDialog")
        self.setModal(False)
        self.setStyleSheet(MAP_STYLE)
        self.setWindowTitle(_("Seats of the order"))
        self.order: DeskOrder | None = None
        self.event_id: Any = None
        self.highlighted: list[str] = []
        self.resize(900, 640)
        col = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("orderMapTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.note = QLabel()
        self.note.setObjectName("orderMapNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        col.addWidget(self.title)
        col.addWidget(self.note)
        self.stack = QStackedWidget()
        self.message = QLabel()
        self.message.setObjectName("orderMapMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view = SeatMapView()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.view)
        col.addWidget(self.stack, 1)

    def start(self, order: DeskOrder, event_id: Any, title: str) -> None:
        """A new order / performance: its title, and "Loading…" until the plan is there."""
        self.order = order
        self.event_id = event_id
        self.highlighted = []
        self.title.setText(title)
        self.note.setText(order.name or order.email or order.order_key)
        self.show_message(_("Loading the seat map\u2026"))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    @property
    def message_text(self) -> str:
        return self.message.text() if self.stack.currentWidget() is self.message else ""

    def show_plan(self, plan: Any, hall_file: HallFile | None, seats: Sequence[DeskSeat]) -> None:
        self.view.set_plan(plan, hall_file)
        self.view.set_read_only(True, _("Shown for an order: nothing is sold here."))
        layout = self.view.layout_
        ids = match_seats(layout, seats, rank_prices(plan)) if layout is not None else []
        self.highlighted = self.view.set_highlighted(ids, _("This order's seat"))
        who = self.order.name if self.order is not None and self.order.name else ""
        count = len(self.highlighted)
        text = ngettext("{count} seat of this order is marked (white with a dark ring).",
                        "{count} seats of this order are marked (white with a dark ring).",
                        count).format(count=count)
        if who:
            text = who + " \u00b7 " + text
        if count < len(seats):
            text += " " + _("Not every seat of the order could be found on this map.")
        self.note.setText(text)
        self.stack.setCurrentWidget(self.view)
        if self.highlighted and layout is not None:
            indices = [i for i in (layout.index_of(s) for s in self.highlighted) if i is not None]
            self.view.ensure_visible(indices)
