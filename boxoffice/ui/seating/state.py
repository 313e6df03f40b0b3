"""What the cashier has done on a seat map, independent of drawing: ``SeatMapState``.

Owns the selection rules and the texts derived from them (no Qt in here, so the rules are tested
without painting):

* a seat is selectable only when it is available, not already in this cart and the map is not
  read-only; ``toggle``/``add``/``remove`` return what actually changed;
* ``in_cart`` seats (held by this sale) are shown with their own marker even though the fresh plan
  reports them as unavailable; putting a seat in the cart takes it out of the selection;
* a best-available ``suggestion`` is held until confirmed (it then *replaces* the selection) or
  dismissed, and never outlives what it was made for: another count, any change
  in availability (``apply_plan``), in this cart's seats (``set_in_cart``) or read-only drops it
  (another performance is a new state). ``confirm_suggestion(count=...)`` refuses a suggestion
  made for another count;
* ``apply_plan`` takes a fresh plan of the same hall: availability changes in place, selected seats
  that were taken meanwhile leave the selection and are returned so the owner can tell the cashier;
* prices: the price of a seat is the full price of its rank (the highest amount among that rank's
  price levels) unless the owner gives a ``price_resolver(seat_id, rank_id) -> Decimal | None``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from boxoffice.domain.best_available import BestAvailable, Outcome, best_available
from boxoffice.domain.layout import HallLayout
from boxoffice.domain.seatplan import PlanInput, rank_order
from boxoffice.i18n import _, format_money, ngettext

PriceResolver = Callable[[str, int], "Decimal | None"]
STATUS_MAX_ROWS = 2     # the status line names the selected seats only when they lie in so few rows
STATUS_MAX_CHARS = 60   # ... and their description stays this short


def full_prices(layout: HallLayout) -> dict[int, Decimal]:
    """rankId → the highest amount among that rank's price levels (the full price)."""
    out: dict[int, Decimal] = {}
    for pl in layout.price_levels:
        if pl.rank_id not in out or pl.amount > out[pl.rank_id]:
            out[pl.rank_id] = pl.amount
    return out


def rank_names(layout: HallLayout) -> dict[int, str]:
    """rankId → the name of its full-price level (e.g. "Rang 1"); ranks without levels get none."""
    best: dict[int, tuple[Decimal, str]] = {}
    for pl in layout.price_levels:
        if pl.rank_id not in best or pl.amount > best[pl.rank_id][0]:
            best[pl.rank_id] = (pl.amount, pl.name)
    return {r: name for r, (_amount, name) in best.items()}


def ordered_ranks(layout: HallLayout) -> list[int]:
    """Ranks present in the hall or its price levels, best first (``seatplan.rank_order``)."""
    order = rank_order(layout.price_levels, layout.ranks_present)
    return sorted(order, key=order.__getitem__)


def seat_words(layout: HallLayout, i: int) -> str:
    """"Parket, row 5, seat 12" — how a cashier names one seat."""
    row = layout.row_text(layout.row_of[i])
    return _("{section}, row {row}, seat {seat}").format(
        section=layout.section_name(i), row=row, seat=layout.seat_text(i))


def seats_words(layout: HallLayout, indices: Iterable[int]) -> str:
    """Several seats grouped per row: "Parket row 5: seats 11–14; Balkon row 2: seat 3"."""
    groups: dict[int, list[int]] = {}
    for i in sorted(indices):
        groups.setdefault(layout.row_of[i], []).append(i)
    parts = []
    for ri, idx in groups.items():
        row = layout.rows[ri]
        section = layout.sections[row.section_index].name
        nrs = [layout.seat_nrs[i] for i in idx]
        labelled = bool(layout.seat_labels) and any(i in layout.seat_labels for i in idx)
        if len(nrs) == 1:
            seats = _("seat {seat}").format(seat=layout.seat_text(idx[0]))
        elif labelled:   # seats named by labels ("12a", "12b"): listed as they are called
            seats = _("seats {list}").format(list=", ".join(layout.seat_text(i) for i in idx))
        elif len(nrs) > 2 and sorted(nrs) == list(range(min(nrs), max(nrs) + 1)):
            seats = _("seats {first}\u2013{last}").format(first=min(nrs), last=max(nrs))
        else:
            seats = _("seats {list}").format(list=", ".join(str(n) for n in sorted(nrs)))
        parts.append(_("{section} row {row}: {seats}").format(section=section, row=layout.row_text(ri),
                                                              seats=seats))
    return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class PlanUpdate:
    """What ``apply_plan`` did: seats whose availability changed, and selected seats taken meanwhile."""

    changed: tuple[int, ...]
    dropped: tuple[int, ...]
    suggestion_dropped: bool = False


class SeatMapState:
    """Selection, cart markers, suggestion, focus and read-only state over one ``HallLayout``."""

    def __init__(self, layout: HallLayout, price_resolver: PriceResolver | None = None) -> None:
        self.layout = layout
        self.price_resolver = price_resolver
        self.selected: set[int] = set()
        self.in_cart: set[int] = set()
        self.suggestion: BestAvailable | None = None
        self.suggestion_count: int | None = None   # the count the suggestion was made for
        self.focus: int | None = None
        self.read_only = False
        self.read_only_reason = ""
        #: the tooltip's word for the ``in_cart`` seats when they mark something else (the order
        #: desk's read-only map of an order's seats); None: "In this cart"
        self.in_cart_label: str | None = None
        self._full = full_prices(layout)

    # --- queries ------------------------------------------------------------------------------
    def selectable(self, i: int) -> bool:
        return (not self.read_only and 0 <= i < self.layout.seat_count
                and bool(self.layout.available[i]) and i not in self.in_cart)

    def price_of(self, i: int) -> Decimal | None:
        rank = self.layout.rank_ids[i]
        if self.price_resolver is not None:
            value = self.price_resolver(self.layout.seat_ids[i], rank)
            if value is not None:
                return value
        return self._full.get(rank)

    def total(self) -> Decimal:
        return sum((self.price_of(i) or Decimal("0") for i in self.selected), Decimal("0"))

    def selected_ids(self) -> list[str]:
        """Selected seat ids in hall order (section, row, left to right)."""
        return [self.layout.seat_ids[i] for i in sorted(self.selected)]

    def status_text(self) -> str:
        """"Parket row 12: seats 6–8 · 3 seats selected, €97.50" — which seats, when that is short
        (at most ``STATUS_MAX_ROWS`` rows and ``STATUS_MAX_CHARS`` characters); else the count only."""
        n = len(self.selected)
        count = ngettext("{count} seat selected, {total}", "{count} seats selected, {total}", n).format(
            count=n, total=format_money(self.total()))
        if not n or len({self.layout.row_of[i] for i in self.selected}) > STATUS_MAX_ROWS:
            return count
        seats = seats_words(self.layout, self.selected)
        if len(seats) > STATUS_MAX_CHARS:
            return count
        return _("{seats} \u00b7 {count}").format(seats=seats, count=count)

    # --- selection ----------------------------------------------------------------------------
    def toggle(self, i: int) -> bool:
        """Select a free seat or unselect a selected one; False when nothing changed."""
        if i in self.selected:
            self.selected.discard(i)
            return True
        if self.selectable(i):
            self.selected.add(i)
            return True
        return False

    def add(self, indices: Iterable[int]) -> list[int]:
        added = [i for i in indices if i not in self.selected and self.selectable(i)]
        self.selected.update(added)
        return added

    def remove(self, indices: Iterable[int]) -> list[int]:
        removed = [i for i in indices if i in self.selected]
        self.selected.difference_update(removed)
        return removed

    def toggle_many(self, indices: Iterable[int]) -> list[int]:
        return [i for i in indices if self.toggle(i)]

    def clear(self) -> bool:
        had = bool(self.selected)
        self.selected.clear()
        return had

    def set_in_cart(self, seat_ids: Iterable[str]) -> None:
        idx = {self.layout.index_of(s) for s in seat_ids}
        idx.discard(None)
        if idx != self.in_cart:
            self.dismiss_suggestion()   # what is free for this sale changed
        self.in_cart = idx  # type: ignore[assignment]
        self.selected.difference_update(self.in_cart)

    def set_read_only(self, read_only: bool, reason: str = "") -> None:
        self.read_only = read_only
        self.read_only_reason = reason if read_only else ""
        if read_only:
            self.selected.clear()
            self.dismiss_suggestion()

    # --- best available -----------------------------------------------------------------------
    def suggest(self, n: int) -> BestAvailable:
        """Ask for the ``n`` best seats (seats in this cart are not offered)."""
        result = best_available(self.layout, n, exclude=self.in_cart)
        self.suggestion = None if result.outcome is Outcome.NOT_ENOUGH else result
        self.suggestion_count = n if self.suggestion is not None else None
        return result

    def confirm_suggestion(self, count: int | None = None) -> list[int]:
        """The suggested seats become the selection (replacing it); returns them. With ``count``
        (what the count box says now) a suggestion made for another count is dropped instead."""
        if self.suggestion is None or self.read_only:
            return []
        if count is not None and count != self.suggestion_count:
            self.dismiss_suggestion()
            return []
        seats = [i for i in self.suggestion.seats if self.selectable(i)]
        self.selected = set(seats)
        self.dismiss_suggestion()
        return seats

    def dismiss_suggestion(self) -> bool:
        had = self.suggestion is not None
        self.suggestion = None
        self.suggestion_count = None
        return had

    # --- live availability --------------------------------------------------------------------
    def apply_plan(self, plan: PlanInput) -> PlanUpdate:
        """Take availability from a fresh plan of the same hall (layout, focus and zoom stay)."""
        changed = tuple(self.layout.update_availability(plan))
        avail = self.layout.available
        dropped = tuple(sorted(i for i in self.selected if not avail[i] and i not in self.in_cart))
        self.selected.difference_update(dropped)
        # any change in availability may make another block the best one (or take a suggested
        # seat): the suggestion is dropped, never kept stale
        suggestion_dropped = bool(changed) and self.dismiss_suggestion()
        return PlanUpdate(changed, dropped, suggestion_dropped)

    def taken_message(self, dropped: Iterable[int]) -> str:
        dropped = list(dropped)
        if not dropped:
            return ""
        if len(dropped) == 1:
            i = dropped[0]
            return _("{section} row {row} seat {seat} was just taken at another counter.").format(
                section=self.layout.section_name(i), row=self.layout.row_text(self.layout.row_of[i]),
                seat=self.layout.seat_text(i))
        return ngettext("{count} selected seat was just taken at another counter: {seats}.",
                        "{count} selected seats were just taken at another counter: {seats}.",
                        len(dropped)).format(count=len(dropped), seats=seats_words(self.layout, dropped))

    # --- tooltip ------------------------------------------------------------------------------
    def tooltip(self, i: int) -> str:
        lay = self.layout
        names = rank_names(lay)
        rank = lay.rank_ids[i]
        price = self.price_of(i)
        lines = [seat_words(lay, i),
                 "{rank} \u00b7 {price}".format(rank=names.get(rank) or _("Rank {id}").format(id=rank),
                                                price=format_money(price) if price is not None
                                                else _("no price"))]
        if i in self.in_cart:
            lines.append(self.in_cart_label or _("In this cart"))
        elif i in self.selected:
            lines.append(_("Selected"))
        elif not lay.available[i]:
            lines.append(_("Not available"))
        if self.read_only and self.read_only_reason:
            lines.append(self.read_only_reason)
        return "\n".join(lines)
