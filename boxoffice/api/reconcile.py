"""Reconciliation of state-changing requests whose outcome is ambiguous.

A POST/PUT/DELETE is sent exactly once. If it fails ambiguously (timeout or dropped connection after
the request may have been sent, 5xx, malformed answer), the client reads the affected resource back
and decides:

* applied      -> return what the read-back shows (the effect is there; nothing is repeated);
* not applied  -> the request is sent once more (a *verified* resend, never a blind retry), and if that
                  is ambiguous too, reconciled once more (see "Late application" below);
* undecidable  -> :class:`errors.OutcomeUnknown` (nothing was repeated; the journal takes over).

A failed read-back also gives OutcomeUnknown. Unambiguous failures (4xx, connect errors before
anything was sent) are raised unchanged.

Late application. A write whose answer timed out, or whose connection dropped, may still be
queued on the server and be applied *after* our read-back. Therefore, when the first failure is
such a transport failure (:func:`may_land_late`):

* the read-back waits a short *settle delay* first (:func:`settle_delay`: a bounded fraction of
  the request timeout, at most ``SETTLE_MAX``; slept through the client's retry policy, so tests
  inject it), so that a late request most likely lands before we look;
* a verified resend that fails unambiguously (refused: e.g. "Cart is empty" because the late
  first attempt consumed the cart, or "Seat not available" because it holds the seat already;
  but also rate-limited, or never sent) is not taken as the outcome: the first attempt may have
  landed meanwhile. The resource is read back once more and, if the first attempt turns out to
  have been applied late, that is the result (an order is then looked up, never made twice);
  otherwise OutcomeUnknown (it may still land);
* for the same reason, when an attempt that got no answer does not show in the last read-back,
  the outcome is OutcomeUnknown, never an established "not applied" (the caller must not act as
  if it was refused: a second order could follow);
* after a successful verified resend, ``verify`` (when the write supplies one) reads back once
  more, after another settle delay, and removes anything the late first attempt doubled (cart
  adds: see ``PublicAPI.add_tickets`` / ``PepperedAPI.add_items``).

Orders (``resend=False``) are never sent a second time, whatever the read-back shows: their
read-back is the venue's order export only (a cart that still holds its lines proves nothing: the
docs do not say whether an order empties the cart; docs/simulator-guesses.md). One matching
order -> that order; provably none after an attempt that got an answer -> the error, established;
none shown after an attempt that may still land -> OutcomeUnknown.

Also here: finding an order whose creation answer was lost, through the peppered order export,
by matching the cart's seats (event + row + seat; general admission by count) within the attempt
(:class:`OrderLookup`: its window on the server clock, the order keys that existed before it and
the candidates seen right after it). Never a second order, and never another sale's order: when
more than one order fits, or the rules cannot be applied, the outcome stays unknown.
"""
from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Awaitable, Callable, Generic, TypeVar

from . import errors

log = logging.getLogger("boxoffice.api")

T = TypeVar("T")

APPLIED = "applied"
NOT_APPLIED = "not_applied"
UNKNOWN = "unknown"
#: the read-back proves that the cart's hold lapsed with no order made from it (raised to the
#: caller as errors.HoldLapsed: nothing to resend, nothing to look for)
LAPSED = "lapsed"
#: later (never right after the attempt): which order is the attempt's stays unknown, but the hold
#: has lapsed and every order that might be it has ended unpaid, so nothing was paid for the sale
#: and nothing can be (see :func:`whatever_it_made_ended_unpaid`)
ENDED_UNPAID = "ended_unpaid"

#: Lower-bound leeway when the pre-attempt key snapshot is known: an order dated more than this
#: before the attempt cannot be ours (it would have been in the snapshot, taken with this window).
EXPORT_WINDOW = timedelta(minutes=5)
#: Clock tolerance around an attempt window (orderDate and the Date header have 1 s resolution;
#: the client's idea of the server clock lags by up to a round trip).
WINDOW_TOLERANCE = timedelta(seconds=5)
#: Upper end of an attempt whose end was never recorded (the app died while it was in flight).
UNFINISHED_ATTEMPT = timedelta(seconds=30)
#: Settle delay before reading back a write that timed out or whose connection dropped: this
#: fraction of the request timeout, capped at ``SETTLE_MAX`` seconds (10 s timeout -> 1 s).
SETTLE_FRACTION = 0.5
SETTLE_MAX = 1.0


def settle_delay(request_timeout: float | None) -> float:
    """How long to wait before reading back a write that may still be applied late."""
    if request_timeout is None or request_timeout <= 0:
        return SETTLE_MAX
    return min(SETTLE_MAX, SETTLE_FRACTION * request_timeout)


#: 5xx statuses a gateway in front of the API answers while the request may still be running
#: behind it (bad gateway, gateway timeout): like a lost answer, the write may land later
GATEWAY_STATUSES = frozenset({502, 504})


def may_land_late(exc: BaseException) -> bool:
    """A write that failed like this may still be in the server's queue and be applied later:
    no answer arrived (timeout), the connection broke after the request was sent, or a gateway
    answered for a server that may still be working on it (502, 504)."""
    if isinstance(exc, errors.TransportError) and exc.ambiguous:
        return True
    return isinstance(exc, errors.ServerError) and exc.status in GATEWAY_STATUSES



@dataclass(frozen=True)
class OrderLookup:
    """What is known about one order-creation attempt, to recognise its order later.

    ``started``/``ended``: the attempt window on the server clock (``server_now()``), ``ended``
    None while in flight or when the app died during it. ``known_keys``: the keys of the orders
    that existed just before the attempt (None: no snapshot). ``seen_keys``: the keys of the
    orders that could be ours in the export read right after the attempt (None: not read); any
    later order is then excluded without relying on clocks. ``hold_until``: the cart's hold
    deadline (its peppered ``timeOut``, server clock) read just before the attempt (None: not
    known): the server makes no order from an expired cart, so an order dated after it is not
    ours, however well it matches (an expired cart reads empty just like a consumed one, and
    another sale may meanwhile have ordered the same general-admission count).
    """

    started: datetime
    ended: datetime | None = None
    known_keys: frozenset[str] | None = None
    seen_keys: frozenset[str] | None = None
    hold_until: datetime | None = None
    #: the label of the payment method used and the buyer's e-mail (None: anonymous/unknown);
    #: an exported order that carries a different one is not ours (see :func:`consistent`)
    payment_label: str | None = None
    email: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "started": self.started.isoformat(),
            "ended": None if self.ended is None else self.ended.isoformat(),
            "known_keys": None if self.known_keys is None else sorted(self.known_keys),
            "seen_keys": None if self.seen_keys is None else sorted(self.seen_keys),
            "hold_until": None if self.hold_until is None else self.hold_until.isoformat(),
            "payment_label": self.payment_label,
            "email": self.email,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OrderLookup:
        def when(text: Any) -> datetime | None:
            return None if not text else datetime.fromisoformat(text)

        def keys(value: Any) -> frozenset[str] | None:
            return None if value is None else frozenset(str(k) for k in value)

        started = when(data.get("started"))
        if started is None:
            raise ValueError("order lookup without a start")
        def text(value: Any) -> str | None:
            return value if isinstance(value, str) and value.strip() else None

        return cls(started, when(data.get("ended")), keys(data.get("known_keys")),
                   keys(data.get("seen_keys")), when(data.get("hold_until")),
                   text(data.get("payment_label")), text(data.get("email")))


@dataclass(frozen=True)
class Outcome(Generic[T]):
    state: str
    value: T | None = None
    why: str = ""
    #: order keys that may be the outcome (an unknown order outcome with candidates)
    candidates: tuple[str, ...] = ()

    def applied_value(self) -> T:
        """The value of an APPLIED outcome (:func:`applied` always sets one)."""
        assert self.value is not None, "an applied outcome carries its value"
        return self.value


def applied(value: T) -> Outcome[T]:
    return Outcome(APPLIED, value)


def not_applied(why: str = "") -> Outcome[Any]:
    return Outcome(NOT_APPLIED, why=why)


def unknown(why: str, candidates: Iterable[str] = ()) -> Outcome[Any]:
    return Outcome(UNKNOWN, why=why, candidates=tuple(candidates))


def lapsed(why: str) -> Outcome[Any]:
    return Outcome(LAPSED, why=why)


def ended(why: str, candidates: Iterable[str] = ()) -> Outcome[Any]:
    return Outcome(ENDED_UNPAID, why=why, candidates=tuple(candidates))


async def write_once_reconciled(
    endpoint: str,
    attempt: Callable[[], Awaitable[T]],
    check: Callable[[], Awaitable[Outcome[T]]],
    *,
    settle: float = 0.0,
    pause: Callable[[float], Awaitable[Any]] | None = None,
    verify: Callable[[T], Awaitable[T]] | None = None,
    resend: bool = True,
) -> T:
    """Run ``attempt``; on an ambiguous failure decide through ``check`` (see module doc).

    ``resend=False`` (orders): never a second attempt. A read-back that shows nothing applied
    then establishes a refusal only when the first attempt got an answer (it cannot land
    later): the first error is raised, no longer ambiguous. An attempt that got no answer and
    does not show gives OutcomeUnknown.

    ``settle``: seconds to wait (through ``pause``) before a read-back when the request may still
    be applied late (:func:`may_land_late`). ``verify``: called with the result of a verified resend
    when the first attempt may land late; it reads back and undoes a doubled effect (or raises
    OutcomeUnknown).
    """
    try:
        return await attempt()
    except errors.VdmError as exc:
        if not exc.ambiguous:
            raise
        first: errors.VdmError = exc
    late = may_land_late(first)
    log.warning("%s: ambiguous failure (%s); reading back", endpoint, type(first).__name__)
    if late:
        await _settle(settle, pause)
    outcome = await _check(endpoint, check, first)
    if outcome.state == APPLIED:
        log.info("%s: read-back shows the request was applied", endpoint)
        return outcome.value  # type: ignore[return-value]
    if outcome.state == UNKNOWN:
        raise errors.OutcomeUnknown(outcome.why, endpoint=endpoint, cause=first,
                                    candidates=outcome.candidates) from first
    if not resend:
        if late:
            raise errors.OutcomeUnknown(
                f"{outcome.why or 'the read-back does not show it'}, but the attempt got no "
                f"answer and may still be applied later", endpoint=endpoint, cause=first,
            ) from first
        log.info("%s: the read-back shows it was not applied (%s); not sent again", endpoint,
                 outcome.why or "established")
        first.ambiguous = False
        raise first

    log.info("%s: read-back shows the request was not applied; sending it once more", endpoint)
    try:
        value = await attempt()
    except errors.VdmError as exc:
        if not exc.ambiguous:
            if late:
                return await _after_refused_resend(endpoint, check, verify, first, exc)
            raise
        second: errors.VdmError = exc
    else:
        if late and verify is not None:
            await _settle(settle, pause)
            return await _verify(endpoint, verify, value, first)
        return value
    log.warning("%s: resend failed ambiguously (%s); reading back", endpoint, type(second).__name__)
    if may_land_late(second):
        await _settle(settle, pause)
    outcome = await _check(endpoint, check, second)
    if outcome.state == APPLIED:
        if (late or may_land_late(second)) and verify is not None:
            return await _verify(endpoint, verify, outcome.value, second)  # type: ignore[arg-type]
        return outcome.value  # type: ignore[return-value]
    if outcome.state == NOT_APPLIED:
        if late or may_land_late(second):
            # Nothing shows *yet*, but an attempt that got no answer may still be queued at the
            # server and land later (then a "refused" verdict would invite a second sale).
            raise errors.OutcomeUnknown(
                "neither attempt shows in the read-back, but an attempt that got no answer may "
                "still be applied later", endpoint=endpoint, cause=second,
            ) from second
        # Established: nothing was applied. Raise the server error, no longer ambiguous.
        second.ambiguous = False
        raise second
    raise errors.OutcomeUnknown(outcome.why, endpoint=endpoint, cause=second) from second


async def _settle(seconds: float, pause: Callable[[float], Awaitable[Any]] | None) -> None:
    if seconds <= 0:
        return
    await (pause or asyncio.sleep)(seconds)


async def _after_refused_resend(
    endpoint: str,
    check: Callable[[], Awaitable[Outcome[T]]],
    verify: Callable[[T], Awaitable[T]] | None,
    first: errors.VdmError,
    refusal: errors.VdmError,
) -> T:
    """The verified resend failed unambiguously after a first attempt that may land late: the
    refusal may be *caused* by that first attempt, or it landed meanwhile. Read back to tell."""
    log.warning("%s: resend failed (%s); the first attempt may have been applied late; "
                "reading back", endpoint, type(refusal).__name__)
    outcome = await _check(endpoint, check, first)
    if outcome.state == APPLIED:
        log.warning("%s: the first attempt was applied late; taking its result", endpoint)
        if verify is not None:
            return await _verify(endpoint, verify, outcome.value, first)  # type: ignore[arg-type]
        return outcome.value  # type: ignore[return-value]
    if outcome.state == UNKNOWN:
        raise errors.OutcomeUnknown(
            f"the resend failed ({type(refusal).__name__}: {refusal}) and {outcome.why}",
            endpoint=endpoint, cause=first,
        ) from first
    # Not applied so far; but the first attempt got no answer and may still land later, so the
    # resend's refusal does not establish the outcome.
    raise errors.OutcomeUnknown(
        f"the resend failed ({type(refusal).__name__}: {refusal}) and the first attempt, which "
        f"got no answer, does not show yet but may still be applied later",
        endpoint=endpoint, cause=refusal,
    ) from refusal


async def _verify(endpoint: str, verify: Callable[[T], Awaitable[T]], value: T,
                  cause: errors.VdmError) -> T:
    try:
        return await verify(value)
    except errors.OutcomeUnknown:
        raise
    except errors.VdmError as exc:
        raise errors.OutcomeUnknown(
            f"could not verify the resend against a late first attempt "
            f"({type(exc).__name__}: {exc})", endpoint=endpoint, cause=cause,
        ) from cause


async def _check(
    endpoint: str, check: Callable[[], Awaitable[Outcome[T]]], cause: errors.VdmError
) -> Outcome[T]:
    try:
        outcome = await check()
    except errors.OutcomeUnknown:
        raise
    except errors.VdmError as exc:
        raise errors.OutcomeUnknown(
            f"read-back failed ({type(exc).__name__}: {exc})", endpoint=endpoint, cause=cause
        ) from cause
    if outcome.state == LAPSED:
        raise errors.HoldLapsed(outcome.why, endpoint=endpoint) from cause
    return outcome


def order_signature(order) -> Counter:
    """An exported order's seats as (event, row, seat), live and deleted together: a cancelled or
    expired order keeps its tickets only under ``deletedSeats``, and it may still be ours."""
    sig: Counter = order.seat_signature()
    for seat in getattr(order, "deleted_seats", None) or []:
        sig[(seat.event_id, _norm(seat.row_nr), _norm(seat.seat_nr))] += 1
    return sig


def _norm(value: object) -> str:
    text = "0" if value is None else str(value).strip()
    return str(int(text)) if text.isdigit() else text


def order_prices(order) -> Counter | None:
    """An exported order's tickets as (event, priceId), live and deleted together; None when a
    seat carries no priceId (then prices cannot tell orders apart)."""
    sig: Counter = Counter()
    for seat in [*(getattr(order, "seats", None) or []),
                 *(getattr(order, "deleted_seats", None) or [])]:
        if not seat.price_id:
            return None
        sig[(seat.event_id, seat.price_id)] += 1
    return sig


def _same_text(a: str | None, b: str | None) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()  # type: ignore[union-attr]


def _same_amount(order, total: Decimal | None) -> bool:
    """The exported ``amount`` is the order's total (vdm-api.md §4.6). Whether it includes the
    payment ``fee`` or the ``donation`` is not documented: the cart total plus either (or
    neither) is accepted."""
    amount = getattr(order, "amount", None)
    if total is None or amount is None:
        return True
    fee = getattr(order, "fee", None) or Decimal("0")
    donation = getattr(order, "donation", None) or Decimal("0")
    options = {total, total + fee, total + donation, total + fee + donation}
    return any(abs(Decimal(amount) - o) < Decimal("0.005") for o in options)


def consistent(order, prices: Counter | None, lookup: OrderLookup,
               total: Decimal | None = None) -> bool:
    """False when something the order carries shows it was not made by this attempt.

    Beyond seats (or, for general admission, only ticket counts, which other sales share) an
    exported order shows the ticket type of each ticket (``priceId`` = the cart's ``discount_id``,
    vdm-api.md §4.3), the label of its payment method (``handlingTextPayment``) and its buyer's
    e-mail. Each is compared only when both sides know it, so a missing field never excludes
    our own order. [I] The docs do not say that ``handlingTextPayment`` is the same label as the
    public method's ``payment_desc``; the simulator makes them equal (boxoffice/demo). Should
    they differ at VoordeMensen, our order is excluded too and the lookup ends "unknown" (the
    sale needs attention): never the wrong order taken.
    """
    if prices is not None:
        theirs = order_prices(order)
        if theirs is not None and theirs != prices:
            return False
    if not _same_amount(order, total):
        return False
    label = getattr(order, "handling_text_payment", None)
    if lookup.payment_label and label and not _same_text(label, lookup.payment_label):
        return False
    email = _order_email(order)
    if lookup.email and email and not _same_text(email, lookup.email):
        return False
    return True


#: margin on the server clock (1 s resolution, read from Date headers) before a hold is taken
#: to have lapsed for certain
LAPSE_MARGIN = timedelta(seconds=2)


def event_counts(order) -> Counter | None:
    """An exported order's tickets per performance (event id as text), live and deleted
    together; None when it shows no ticket at all (then it cannot be ruled out by counts)."""
    counts: Counter = Counter()
    for seat in [*(getattr(order, "seats", None) or []),
                 *(getattr(order, "deleted_seats", None) or [])]:
        counts[str(seat.event_id)] += 1
    return counts or None


def signature_counts(signature: Counter) -> Counter:
    """The cart's tickets per performance (event id as text) from its seat signature."""
    counts: Counter = Counter()
    for (event, _row, _seat), n in signature.items():
        counts[str(event)] += n
    return counts


def orders_that_may_be_ours(orders: list, signature: Counter, lookup: OrderLookup, *,
                            exclude_keys: Iterable[str] = (),
                            until: datetime | None = None) -> list:
    """Every exported order that this attempt *might* have made, on the loosest reading.

    Used only to prove that no order was made (the opposite of :func:`pick_lost_order`, which
    must never take a wrong one), so nothing here may hide our order: rows and seat numbers are
    not compared (how the export numbers general-admission places, and whether its row/seat
    numbers read like the cart's, is not documented), nor ticket types, payment method, buyer,
    amount, the export fence or the hold deadline. An order counts when it is not known to be
    another's (``exclude_keys``, the key snapshot from before the attempt), is dated from the
    attempt's start on (or carries no date) and, with ``until``, no later than it, and holds the
    same number of tickets per performance as the cart, or shows no tickets at all."""
    exclude = set(exclude_keys)
    lower = lookup.started - (EXPORT_WINDOW if lookup.known_keys is not None
                              else WINDOW_TOLERANCE)
    want = signature_counts(signature)
    out = []
    for order in orders:
        key = order.order_key
        if key in exclude or (lookup.known_keys is not None and key in lookup.known_keys):
            continue
        if order.order_date is not None and (
                order.order_date < lower or (until is not None and order.order_date > until)):
            continue
        counts = event_counts(order)
        if counts is None or counts == want:
            out.append(order)
    return out


def no_order_shown(orders: list, signature: Counter, lookup: OrderLookup, *,
                   exclude_keys: Iterable[str] = (), until: datetime | None = None) -> bool:
    """True when the export (read after the attempt) shows no order this attempt might have
    made (:func:`orders_that_may_be_ours`): then it made none *so far*. Whether one can still
    come is the caller's question (an attempt that got no answer may still be queued)."""
    return not orders_that_may_be_ours(orders, signature, lookup, exclude_keys=exclude_keys,
                                       until=until)


def hold_lapsed_unordered(orders: list, signature: Counter, lookup: OrderLookup,
                          read_at: datetime, *, exclude_keys: Iterable[str] = ()) -> bool:
    """True when the cart's hold provably lapsed with no order made from it.

    The export was read (at ``read_at``, server clock) after the hold deadline
    (``lookup.hold_until``, the cart's own ``timeOut``) and shows no order the attempt might
    have made up to that deadline (:func:`no_order_shown`: compared by ticket counts only, so a
    doubtful field can never hide our order). [I] The server makes an order from a cart only
    while the cart holds its seats (vdm-api.md §4.3: ``timeOut`` is when the hold expires), so
    none was made and none can be made from it any more (docs/simulator-guesses.md says what
    this rests on). The cart is never read for this: whether a server empties a cart when it
    makes an order, or keeps its lines, is not documented; this proof holds either way.
    Anything less certain is left "unknown" by the caller."""
    if lookup.hold_until is None or read_at < lookup.hold_until + LAPSE_MARGIN:
        return False
    return no_order_shown(orders, signature, lookup, exclude_keys=exclude_keys,
                          until=lookup.hold_until)


#: ``orderStatus`` of an order that holds no tickets any more (vdm-api.md §7: cancelled,
#: soft-deleted)
ENDED_ORDER_STATUSES = frozenset({"cancel", "trash"})


def ended_unpaid(order) -> bool:
    """The order has ended (cancelled or deleted) and shows no payment: no money came with it."""
    status = str(getattr(order, "order_status", None) or "").strip().lower()
    paid = str(getattr(order, "order_payment_status", None) or "").strip().lower()
    return status in ENDED_ORDER_STATUSES and paid != "paid"


def whatever_it_made_ended_unpaid(orders: list, signature: Counter, lookup: OrderLookup,
                                  read_at: datetime, *,
                                  exclude_keys: Iterable[str] = ()) -> bool:
    """True when the cart's hold provably lapsed (read after ``hold_until``, so no order can be
    made from the cart any more) and every exported order this attempt might have made, on the
    loosest reading (:func:`orders_that_may_be_ours`, no upper date bound), has ended unpaid.

    Which of them (if any) is the attempt's stays unknown: an anonymous general-admission order
    cannot be told apart from another sale's (``GA_COUNT_ONLY``). For the sale it does not
    matter: nothing was paid for it and nothing can be, so it can end without a person, its
    cart let go. A paid or still open order among them keeps it for a person."""
    if lookup.hold_until is None or read_at < lookup.hold_until + LAPSE_MARGIN:
        return False
    maybe = orders_that_may_be_ours(orders, signature, lookup, exclude_keys=exclude_keys)
    return bool(maybe) and all(ended_unpaid(o) for o in maybe)


def is_general_admission(signature: Counter) -> bool:
    return any(row == "0" and seat == "0" for (_event, row, seat) in signature)


def pick_lost_order(
    orders: list,
    signature: Counter,
    lookup: OrderLookup,
    *,
    exclude_keys: Iterable[str] = (),
    upper_bound: bool = True,
    prices: Counter | None = None,
    total: Decimal | None = None,
) -> tuple[list, str | None]:
    """The exported orders that can be the one created by the attempt ``lookup`` describes.

    Returns ``(candidates, doubt)``; the caller may take a single candidate only when ``doubt`` is
    None. An order is a candidate when its seats (live + deleted: its status does not matter, a
    lost order that has expired since is still ours) equal ``signature`` and it is:

    * not one of ``exclude_keys`` (orders a journal already holds) nor of ``lookup.known_keys``
      (orders that existed before the attempt);
    * among ``lookup.seen_keys`` when that export fence exists;
    * dated no earlier than the start (``EXPORT_WINDOW`` leeway with the key snapshot, else
      ``WINDOW_TOLERANCE``) and, with ``upper_bound`` and no fence, no later than the end of the
      attempt plus ``WINDOW_TOLERANCE``;
    * dated no later than ``lookup.hold_until`` when known (no tolerance: both are the server's
      clock at 1 s resolution, truncated alike; an order from our cart was made while it held);
    * :func:`consistent` with the attempt: ticket types (``prices``, the cart's (event,
      discount_id) multiset), amount (``total``, the cart's total), payment method label and
      buyer e-mail, where both sides know them.

    ``doubt`` is set when the rules cannot be applied safely: an order without an ``orderDate``
    passes the seat match, a general-admission cart (matched by count only) has neither the
    key snapshot nor a recorded end of the attempt, or general-admission orders fit without the
    attempt's buyer e-mail on them (:data:`GA_COUNT_ONLY`).
    """
    exclude = set(exclude_keys)
    started = lookup.started
    lower = started - (EXPORT_WINDOW if lookup.known_keys is not None else WINDOW_TOLERANCE)
    ended = lookup.ended if lookup.ended is not None else started + UNFINISHED_ATTEMPT
    upper = ended + WINDOW_TOLERANCE if upper_bound and lookup.seen_keys is None else None
    found, undated = [], []
    for order in orders:
        key = order.order_key
        if key in exclude or (lookup.known_keys is not None and key in lookup.known_keys):
            continue
        if lookup.seen_keys is not None and key not in lookup.seen_keys:
            continue
        if order_signature(order) != signature or not consistent(order, prices, lookup, total):
            continue
        if order.order_date is None:
            undated.append(order)
            continue
        if order.order_date < lower or (upper is not None and order.order_date > upper):
            continue
        if lookup.hold_until is not None and order.order_date > lookup.hold_until:
            continue
        found.append(order)
    doubt = None
    if undated:
        doubt = f"{len(undated)} matching exported orders carry no order date"
    elif (is_general_admission(signature) and lookup.known_keys is None
          and lookup.ended is None and lookup.seen_keys is None):
        doubt = ("a general-admission order cannot be told apart from other orders of the same "
                 "count without the order snapshot or the end of the attempt")
    elif len(found) == 1 and is_general_admission(signature) and not _same_buyer(found, lookup):
        doubt = GA_COUNT_ONLY
    return found + undated, doubt


#: Why a general-admission order that fits is still not taken. Its places carry no seat numbers,
#: so it is matched by ticket counts, types and amount only, and another counter (or the web shop)
#: selling the same tickets in the same seconds makes an order that fits just as well: when this
#: attempt made nothing, that order is the only one in the window. Nothing documented links an
#: exported order to the cart it came from (vdm-api.md §4.6), so only the buyer's e-mail, given
#: with the attempt and shown on the order, tells them apart. Without it a person decides (the
#: candidates are named); found by the soak at two counters in CI.
GA_COUNT_ONLY = ("a general-admission order is recognised by its ticket counts only, which "
                 "another sale of the same tickets at the same moment shares, and no buyer's "
                 "e-mail tells them apart")


def _order_email(order) -> str | None:
    user = getattr(order, "user", None)
    return getattr(user, "email", None) if user is not None else None


def _same_buyer(orders: list, lookup: OrderLookup) -> bool:
    """True when this attempt gave a buyer's e-mail and every order in ``orders`` shows it."""
    if not lookup.email:
        return False
    return all(_order_email(o) and _same_text(_order_email(o), lookup.email) for o in orders)
