"""Reconciling the sale's lines with the server's view of its cart: what a peppered or a public
cart answer (or read) says is held, what the server let go, and whether the last public view may
stand in for a read-before. Changes only the draft (and the hold clock); no request, no journal.
"""
from __future__ import annotations

from collections.abc import Container
from dataclasses import replace

from boxoffice.api.models import Cart, PepperedCart
from boxoffice.domain.money import ZERO
from boxoffice.services.sale.hold import HoldClock
from boxoffice.services.sale.model import LineStatus, SaleLine, _SeatMeta
from boxoffice.services.sale.state import SaleContext, SaleDraft


class CartView:
    """Applies the server's cart onto the draft's lines (``apply_*``)."""

    def __init__(self, ctx: SaleContext, hold: HoldClock) -> None:
        self.ctx = ctx
        self.hold = hold

    @property
    def draft(self) -> SaleDraft:
        return self.ctx.draft

    def drop_missing_lines(self, present: Container[str], removed: Container[str]) -> None:
        """Held lines the server's cart no longer has: gone if we removed them, else released."""
        for lid, ln in list(self.draft.lines.items()):
            if ln.held and lid not in present:
                if lid in removed:
                    del self.draft.lines[lid]
                else:
                    self.draft.lines[lid] = replace(ln, status=LineStatus.RELEASED)

    def apply_peppered(self, cart: PepperedCart, new_meta: dict[str, _SeatMeta],
                       removed: Container[str] = frozenset()) -> list[SaleLine]:
        present = {i.item_id: i for i in cart.cart_items if i.item_type == "ticket"}
        added = []
        self.drop_missing_lines(present, removed)
        for item_id, item in present.items():
            old = self.draft.lines.get(item_id)
            meta = new_meta.get(item_id)
            if meta is None and old is None:
                known = self.ctx.seats.seat_index.get(item_id)
                meta = known[1] if known else None
            name, starts = self.ctx.seats.perf_name(item.event_id or 0, item.description)
            if old is not None and old.held:
                self.draft.lines[item_id] = replace(
                    old, price_id=item.price_id or old.price_id,
                    ticket_type=item.price_name or old.ticket_type,
                    price=item.amount if item.amount is not None else old.price)
                continue
            line = SaleLine(
                line_id=item_id, event_id=item.event_id or 0, performance=name, starts_at=starts,
                section=meta.section if meta else None, row=meta.row if meta else None,
                seat=meta.seat if meta else None, general_admission=meta is None,
                price_id=item.price_id or "", ticket_type=item.price_name or "",
                rank_id=meta.rank_id if meta else None,
                price=item.amount if item.amount is not None else ZERO)
            self.draft.lines.pop(item_id, None)
            self.draft.lines[item_id] = line
            added.append(line)
        self.draft.public_known = None
        if present:
            self.hold.set_exact(cart.time_out)
        return added

    def apply_public(self, cart: Cart, removed: Container[str] = frozenset()) -> list[SaleLine]:
        from boxoffice.domain.seatplan import place_value  # (issue 15: rows may be labels)

        present = {ln.seat_id: ln for ln in cart.lines}
        added = []
        self.drop_missing_lines(present, removed)
        for seat_id, cl in present.items():
            old = self.draft.lines.get(seat_id)
            if old is not None and old.held:
                self.draft.lines[seat_id] = replace(
                    old, price_id=cl.discount_id, ticket_type=cl.discount_name or old.ticket_type,
                    price=cl.seat_price)
                continue
            ga = cl.is_general_admission
            known = self.ctx.seats.seat_index.get(seat_id)
            name, starts = self.ctx.seats.perf_name(cl.event_id, cl.event_name)
            line = SaleLine(
                line_id=seat_id, event_id=cl.event_id, performance=name,
                starts_at=starts or cl.starts_at,
                section=known[1].section if known else None,
                # a row/seat may be a label ("A", "12a"): kept as text, numbers as ints
                row=None if ga else place_value(cl.seat_row_nr),
                seat=None if ga else place_value(cl.seat_nr),
                general_admission=ga, price_id=cl.discount_id,
                ticket_type=cl.discount_name or "", rank_id=known[1].rank_id if known else None,
                price=cl.seat_price)
            self.draft.lines.pop(seat_id, None)
            self.draft.lines[seat_id] = line
            added.append(line)
        self.draft.public_known = cart
        return added

    def known_is_fresh(self) -> bool:
        """The last public cart view may stand in for a read-before only while nothing else
        changed the cart and its hold cannot have lapsed (with a safety margin)."""
        if self.draft.public_known is None or self.draft.stale:
            return False
        if not self.draft.public_known.lines:
            return True
        if self.draft.hold_deadline is None:
            return False
        return (self.draft.hold_deadline - self.ctx.server_now()).total_seconds() > 60

