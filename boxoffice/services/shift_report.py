"""The end-of-shift report, built from the sale journal (no network).

Owns :func:`build_shift_report` and its renderings (:func:`to_csv`, :func:`to_text`,
:func:`to_html`). A sale counts when an order was requested for it; carts that never became an
order are not sales. Per period (today by default, Europe/Amsterdam days, or any range):

* paid sales with totals per payment method and per performance;
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

from boxoffice.domain.money import ZERO
from boxoffice.i18n import VENUE_TIMEZONE, _, format_datetime, format_money, format_time
from boxoffice.store.journal import JournalSale, SaleJournal, SaleState

CASH_NAMES = frozenset({"cash", "contant", "contanten"})
NOT_PAID_STATES = frozenset({SaleState.CANCELLED, SaleState.FAILED, SaleState.EXPIRED})


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
    event_id: int
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
    amount: Decimal
    performances: tuple[str, ...]


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
    """[00:00, next 00:00) of ``day`` in venue time (DST-safe)."""
    start = datetime.combine(day, time(0), tzinfo=VENUE_TIMEZONE)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=VENUE_TIMEZONE)
    return start, end


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
                       cash_method_ids: Iterable[int] | None = None) -> ShiftReport:
    if start is None or end is None:
        start, end = day_range(day or datetime.now(VENUE_TIMEZONE).date())
    cash_ids = set(cash_method_ids) if cash_method_ids is not None else None

    def is_cash(sale: JournalSale) -> bool:
        if cash_ids is not None:
            return sale.payment_method_id in cash_ids
        return (sale.payment_method_name or "").strip().lower() in CASH_NAMES

    paid, not_paid, still_open = [], [], []
    methods: dict[int | None, dict] = {}
    perfs: dict[int, dict] = {}
    for sale in journal.between(start, end):
        if sale.order_requested_at is None and not sale.order_key:
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
                p = perfs.setdefault(int(ln["event_id"]), {
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
        for mid, m in sorted(methods.items(), key=lambda kv: (kv[1]["name"], kv[0] or 0)))
    by_perf = tuple(
        PerformanceTotal(eid, p["name"],
                         datetime.fromisoformat(p["starts_at"]) if p["starts_at"] else None,
                         p["tickets"], p["amount"])
        for eid, p in sorted(perfs.items(), key=lambda kv: (kv[1]["starts_at"] or "", kv[0])))
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
    """One row per sale attempt (paid, not paid, open); amounts with a decimal point."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("Time"), _("Order"), _("Status"), _("Payment method"), _("Tickets"),
                     _("Total"), _("Surcharge"), _("Amount charged"), _("Performances")])
    rows = sorted(report.paid + report.not_paid + report.open, key=lambda r: r.at)
    for r in rows:
        writer.writerow([r.at.astimezone(VENUE_TIMEZONE).isoformat(timespec="seconds"),
                         r.order_key or "", _state_text(r.state), r.method, r.tickets,
                         f"{r.total:.2f}", f"{r.surcharge:.2f}", f"{r.amount:.2f}",
                         "; ".join(r.performances)])
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
            lines.append(f"  {format_time(r.at)} {r.order_key or ''} {_state_text(r.state)} "
                         f"{r.method} {format_money(r.amount)}")
    if report.open:
        lines += ["", _("Still open or needing attention")]
        for r in report.open:
            lines.append(f"  {format_time(r.at)} {r.order_key or ''} {_state_text(r.state)} "
                         f"{format_money(r.amount)}")
    return "\n".join(lines) + "\n"


def to_html(report: ShiftReport) -> str:
    """A small self-contained HTML page (everything escaped) for printing."""
    e = html.escape

    def table(head: list[str], rows: list[list[str]]) -> str:
        th = "".join(f"<th>{e(h)}</th>" for h in head)
        body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"

    parts = [f"<h1>{e(_('Shift report'))}</h1>", f"<p>{e(_period(report))}</p>",
             f"<p>{e(_('Cash expected in the drawer: {amount}').format(amount=format_money(report.cash_expected)))}</p>",
             f"<p>{e(_('Total: {amount} (surcharges {fees})').format(amount=format_money(report.amount), fees=format_money(report.surcharges)))}</p>",
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
                  table([_("Time"), _("Order"), _("Status"), _("Amount charged")],
                        [[format_time(r.at), r.order_key or "", _state_text(r.state),
                          format_money(r.amount)] for r in report.not_paid])]
    if report.open:
        parts += [f"<h2>{e(_('Still open or needing attention'))}</h2>",
                  table([_("Time"), _("Order"), _("Status"), _("Amount charged")],
                        [[format_time(r.at), r.order_key or "", _state_text(r.state),
                          format_money(r.amount)] for r in report.open])]
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>"
            + e(_("Shift report")) + "</title></head><body>" + "".join(parts) + "</body></html>")
