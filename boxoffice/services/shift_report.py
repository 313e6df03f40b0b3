"""The end-of-shift report, built from the sale journal (no network).

Owns :func:`build_shift_report` and its renderings (:func:`to_csv`, :func:`to_text`,
:func:`to_html`). A sale counts when an order was requested for it; carts that never became an
order are not sales. Periods (Europe/Amsterdam time):

* a **shift**: from its first sale to the close. The open shift (:func:`current_shift`) starts at
  the first sale after the last close (:func:`close_shift`, recorded in the journal) and no
  earlier than the start of the current business day; it runs until now;
* a **business day** (:func:`business_day_range`): from the day start (default 06:00,
  ``boxoffice.config.DEFAULT_DAY_START``, a setting) to the same time the next day, so a late
  shift (19:00–01:00) is not split at midnight; the default period of
  :func:`build_shift_report`;
* or any range.

Per period:

* paid sales with totals per payment method and per performance. Only money actually taken
  counts as charged: the paid sales. Failed, cancelled, expired and not (yet) known attempts are
  listed separately with the amount of the order, never under "Amount charged";
* **cash expected in the drawer** = the sum of the amounts charged (cart total + the method's
  surcharge) of the *paid* sales whose payment method is cash. Nothing is subtracted or added:
  the app records no opening float, refunds, pay-outs or cash corrections, so count the float
  separately. Cash methods are the ids given in ``cash_method_ids``, or else the methods whose
  recorded name is "Cash"/"Contant(en)" (names are per venue; pass the ids when they differ);
* cancelled / failed / expired attempts, and orders still open or needing attention.
"""
from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from boxoffice.config import DEFAULT_DAY_START
from boxoffice.domain.clock import VENUE_ZONE, venue_now
from boxoffice.domain.money import ZERO
from boxoffice.i18n import _, format_datetime, format_money, format_time
from boxoffice.store.journal import JournalSale, SaleJournal, SaleState

CASH_NAMES = frozenset({"cash", "contant", "contanten"})
NOT_PAID_STATES = frozenset({SaleState.CANCELLED, SaleState.FAILED, SaleState.EXPIRED})
SHIFT_CLOSED_PREF = "shift_closed_at"              # journal pref: when the last shift was closed
SHIFT_PREVIOUS_CLOSE_PREF = "shift_previous_closed_at"


@dataclass(frozen=True)
class MethodTotal:
    method_id: int | None
    name: str
    sales: int
    tickets: int
    total: Decimal        # cart totals
    surcharge: Decimal
    amount: Decimal       # total + surcharge (what was charged)
    is_cash: bool


@dataclass(frozen=True)
class PerformanceTotal:
    event_id: int | str
    performance: str
    starts_at: datetime | None
    tickets: int
    amount: Decimal


@dataclass(frozen=True)
class SaleRow:
    sale_id: str
    at: datetime
    state: SaleState
    order_key: str | None
    method: str
    tickets: int
    total: Decimal
    surcharge: Decimal
    amount: Decimal       # the order's amount (total + surcharge)
    performances: tuple[str, ...]

    @property
    def charged(self) -> Decimal:
        """What was actually taken: the amount of a paid sale, nothing for any other."""
        return self.amount if self.state == SaleState.PAID else ZERO


@dataclass(frozen=True)
class ShiftReport:
    start: datetime
    end: datetime
    paid: tuple[SaleRow, ...]
    not_paid: tuple[SaleRow, ...]
    open: tuple[SaleRow, ...]
    by_method: tuple[MethodTotal, ...]
    by_performance: tuple[PerformanceTotal, ...]
    tickets: int
    total: Decimal
    surcharges: Decimal
    amount: Decimal
    cash_expected: Decimal


def day_range(day: date) -> tuple[datetime, datetime]:
    """[00:00, next 00:00) of ``day`` in venue time (DST-safe): a calendar day."""
    return business_day_range(day, time(0))


def business_day_range(day: date, day_start: time = DEFAULT_DAY_START) -> tuple[datetime, datetime]:
    """The business day ``day``: [day at ``day_start``, next day at ``day_start``) in venue time."""
    start = datetime.combine(day, day_start, tzinfo=VENUE_ZONE)
    end = datetime.combine(day + timedelta(days=1), day_start, tzinfo=VENUE_ZONE)
    return start, end


def business_day(moment: datetime, day_start: time = DEFAULT_DAY_START) -> date:
    """The business day ``moment`` belongs to (before ``day_start`` it is still the day before)."""
    local = moment.astimezone(VENUE_ZONE)
    day = local.date()
    return day - timedelta(days=1) if local.time() < day_start else day


def _now() -> datetime:
    return venue_now()


def _pref_time(journal: SaleJournal, key: str) -> datetime | None:
    text = journal.get_pref(key)
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _is_sale(sale: JournalSale) -> bool:
    return sale.order_requested_at is not None or bool(sale.order_key)


def _first_sale(journal: SaleJournal, start: datetime, end: datetime) -> datetime | None:
    return next((s.created_at for s in journal.between(start, end) if _is_sale(s)), None)


def current_shift(journal: SaleJournal, now: datetime | None = None,
                  day_start: time = DEFAULT_DAY_START) -> tuple[datetime, datetime]:
    """The open shift: from its first sale to ``now``. It starts after the last close and no
    earlier than the current business day; with no sale yet it is empty, starting at that bound."""
    now = now or _now()
    floor = business_day_range(business_day(now, day_start), day_start)[0]
    closed = _pref_time(journal, SHIFT_CLOSED_PREF)
    if closed is not None and floor < closed <= now:
        floor = closed
    first = _first_sale(journal, floor, now)
    return (first if first is not None else floor), now


def close_shift(journal: SaleJournal, now: datetime | None = None,
                day_start: time = DEFAULT_DAY_START) -> tuple[datetime, datetime]:
    """Close the open shift now (recorded in the journal); returns its period."""
    now = now or _now()
    period = current_shift(journal, now, day_start)
    previous = journal.get_pref(SHIFT_CLOSED_PREF)
    if previous:
        journal.set_pref(SHIFT_PREVIOUS_CLOSE_PREF, previous)
    journal.set_pref(SHIFT_CLOSED_PREF, now.isoformat())
    return period


def last_shift(journal: SaleJournal,
               day_start: time = DEFAULT_DAY_START) -> tuple[datetime, datetime] | None:
    """The last closed shift (from its first sale to its close), or None when none was closed."""
    closed = _pref_time(journal, SHIFT_CLOSED_PREF)
    if closed is None:
        return None
    floor = business_day_range(business_day(closed, day_start), day_start)[0]
    previous = _pref_time(journal, SHIFT_PREVIOUS_CLOSE_PREF)
    if previous is not None and floor < previous <= closed:
        floor = previous
    first = _first_sale(journal, floor, closed)
    return (first if first is not None else floor), closed


def _held_lines(sale: JournalSale) -> list[dict]:
    return [ln for ln in sale.lines if ln.get("status", "held") == "held"]


def _row(sale: JournalSale) -> SaleRow:
    lines = _held_lines(sale)
    fee = sale.surcharge or ZERO
    perfs = tuple(dict.fromkeys(ln.get("performance") or str(ln.get("event_id")) for ln in lines))
    return SaleRow(sale.sale_id, sale.order_requested_at or sale.created_at, sale.state,
                   sale.order_key, sale.payment_method_name or "", len(lines), sale.total, fee,
                   sale.total + fee, perfs)


def build_shift_report(journal: SaleJournal, start: datetime | None = None,
                       end: datetime | None = None, *, day: date | None = None,
                       day_start: time = DEFAULT_DAY_START,
                       cash_method_ids: Iterable[int] | None = None) -> ShiftReport:
    """The report of [start, end); without them, of the business day ``day`` (default: the
    current one), starting at ``day_start``."""
    if start is None or end is None:
        start, end = business_day_range(day or business_day(_now(), day_start), day_start)
    cash_ids = set(cash_method_ids) if cash_method_ids is not None else None

    def is_cash(sale: JournalSale) -> bool:
        if cash_ids is not None:
            return sale.payment_method_id in cash_ids
        return (sale.payment_method_name or "").strip().lower() in CASH_NAMES

    from boxoffice.domain.performance import id_order, opaque_id  # (issue 15: ids may be text)

    paid, not_paid, still_open = [], [], []
    methods: dict[int | None, dict] = {}
    perfs: dict[int | str, dict] = {}
    for sale in journal.between(start, end):
        if not _is_sale(sale):
            continue  # never became an order: not a sale
        row = _row(sale)
        if sale.state == SaleState.PAID:
            paid.append(row)
            m = methods.setdefault(sale.payment_method_id, {
                "name": sale.payment_method_name or "", "sales": 0, "tickets": 0, "total": ZERO,
                "surcharge": ZERO, "cash": is_cash(sale)})
            m["sales"] += 1
            m["tickets"] += row.tickets
            m["total"] += row.total
            m["surcharge"] += row.surcharge
            for ln in _held_lines(sale):
                p = perfs.setdefault(opaque_id(ln["event_id"]), {
                    "name": ln.get("performance") or str(ln["event_id"]),
                    "starts_at": ln.get("starts_at"), "tickets": 0, "amount": ZERO})
                p["tickets"] += 1
                p["amount"] += Decimal(ln.get("price") or "0")
        elif sale.state in NOT_PAID_STATES:
            not_paid.append(row)
        elif sale.state != SaleState.RELEASED:
            still_open.append(row)
    by_method = tuple(
        MethodTotal(mid, m["name"], m["sales"], m["tickets"], m["total"], m["surcharge"],
                    m["total"] + m["surcharge"], m["cash"])
        for mid, m in sorted(methods.items(),
                             key=lambda kv: (kv[1]["name"], id_order(kv[0] if kv[0] is not None else 0))))
    by_perf = tuple(
        PerformanceTotal(eid, p["name"],
                         datetime.fromisoformat(p["starts_at"]) if p["starts_at"] else None,
                         p["tickets"], p["amount"])
        for eid, p in sorted(perfs.items(), key=lambda kv: (kv[1]["starts_at"] or "", id_order(kv[0]))))
    total = sum((r.total for r in paid), ZERO)
    fees = sum((r.surcharge for r in paid), ZERO)
    return ShiftReport(
        start=start, end=end, paid=tuple(paid), not_paid=tuple(not_paid), open=tuple(still_open),
        by_method=by_method, by_performance=by_perf, tickets=sum(r.tickets for r in paid),
        total=total, surcharges=fees, amount=total + fees,
        cash_expected=sum((m.amount for m in by_method if m.is_cash), ZERO))


def _state_text(state: SaleState) -> str:
    return {
        SaleState.PAID: _("paid"), SaleState.CANCELLED: _("cancelled"),
        SaleState.FAILED: _("failed"), SaleState.EXPIRED: _("expired"),
        SaleState.NEEDS_ATTENTION: _("needs attention"),
        SaleState.ORDER_CREATED: _("waiting for payment"),
        SaleState.ORDER_REQUESTED: _("being checked"),
    }.get(state, state.value)


def to_csv(report: ShiftReport) -> str:
    """One row per sale attempt (paid, not paid, open); amounts with a decimal point. "Amount
    charged" is what was taken (0.00 unless paid); "Order amount" what the order was for."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("Time"), _("Order"), _("Status"), _("Payment method"), _("Tickets"),
                     _("Total"), _("Surcharge"), _("Amount charged"), _("Performances"),
                     _("Order amount")])
    rows = sorted(report.paid + report.not_paid + report.open, key=lambda r: r.at)
    for r in rows:
        writer.writerow([r.at.astimezone(VENUE_ZONE).isoformat(timespec="seconds"),
                         r.order_key or "", _state_text(r.state), r.method, r.tickets,
                         f"{r.total:.2f}", f"{r.surcharge:.2f}", f"{r.charged:.2f}",
                         "; ".join(r.performances), f"{r.amount:.2f}"])
    return out.getvalue()


def _period(report: ShiftReport) -> str:
    return _("{start} to {end}").format(start=format_datetime(report.start),
                                        end=format_datetime(report.end))


def to_text(report: ShiftReport) -> str:
    """A plain-text rendering for printing."""
    lines = [_("Shift report"), _period(report), ""]
    lines.append(_("Paid sales: {count}, tickets: {tickets}").format(
        count=len(report.paid), tickets=report.tickets))
    lines.append(_("Total: {amount} (surcharges {fees})").format(
        amount=format_money(report.amount), fees=format_money(report.surcharges)))
    lines.append(_("Cash expected in the drawer: {amount}").format(
        amount=format_money(report.cash_expected)))
    lines += ["", _("Per payment method")]
    for m in report.by_method:
        lines.append(f"  {m.name}: {m.sales} × — {format_money(m.amount)}")
    lines += ["", _("Per performance")]
    for p in report.by_performance:
        when = f" {format_time(p.starts_at)}" if p.starts_at else ""
        lines.append(f"  {p.performance}{when}: {p.tickets} — {format_money(p.amount)}")
    if report.not_paid:
        lines += ["", _("Not paid (cancelled, failed or expired)")]
        for r in report.not_paid:
            lines.append(f"  {format_time(r.at)} {r.order_key or ''} {_state_text(r.state)} {r.method} "
                         + _("{amount}, not charged").format(amount=format_money(r.amount)))
    if report.open:
        lines += ["", _("Still open or needing attention")]
        for r in report.open:
            lines.append(f"  {format_time(r.at)} {r.order_key or ''} {_state_text(r.state)} "
                         + _("{amount}, not charged").format(amount=format_money(r.amount)))
    return "\n".join(lines) + "\n"


def to_html(report: ShiftReport) -> str:
    """A small self-contained HTML page (everything escaped) for printing."""
    e = html.escape

    def table(head: list[str], rows: list[list[str]]) -> str:
        th = "".join(f"<th>{e(h)}</th>" for h in head)
        body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"

    cash_line = _('Cash expected in the drawer: {amount}').format(amount=format_money(report.cash_expected))
    total_line = _('Total: {amount} (surcharges {fees})').format(
        amount=format_money(report.amount), fees=format_money(report.surcharges))
    parts = [f"<h1>{e(_('Shift report'))}</h1>", f"<p>{e(_period(report))}</p>",
             f"<p>{e(cash_line)}</p>",
             f"<p>{e(total_line)}</p>",
             f"<h2>{e(_('Per payment method'))}</h2>",
             table([_("Payment method"), _("Sales"), _("Tickets"), _("Amount charged")],
                   [[m.name, str(m.sales), str(m.tickets), format_money(m.amount)]
                    for m in report.by_method]),
             f"<h2>{e(_('Per performance'))}</h2>",
             table([_("Performances"), _("Tickets"), _("Total")],
                   [[p.performance, str(p.tickets), format_money(p.amount)]
                    for p in report.by_performance])]
    if report.not_paid:
        parts += [f"<h2>{e(_('Not paid (cancelled, failed or expired)'))}</h2>",
                  table([_("Time"), _("Order"), _("Status"), _("Order amount (not charged)")],
                        [[format_time(r.at), r.order_key or "", _state_text(r.state),
                          format_money(r.amount)] for r in report.not_paid])]
    if report.open:
        parts += [f"<h2>{e(_('Still open or needing attention'))}</h2>",
                  table([_("Time"), _("Order"), _("Status"), _("Order amount (not charged)")],
                        [[format_time(r.at), r.order_key or "", _state_text(r.state),
                          format_money(r.amount)] for r in report.open])]
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>"
            + e(_("Shift report")) + "</title></head><body>" + "".join(parts) + "</body></html>")
