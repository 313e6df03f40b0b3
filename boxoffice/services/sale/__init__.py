"""The sale at one counter: cart, holds, checkout, payment and confirmation (Qt-free).

Owns :class:`SaleService`, one per session/counter. The UI drives it with async methods and
observes it through plain listeners that receive an immutable :class:`SaleSnapshot` after every
change (``subscribe``). Every step is journaled before and after (``boxoffice.store.journal``)
so a crash never loses or doubles a sale; ``boxoffice.services.recovery`` resumes what was left.

How the requests are used (fewest round trips while the cashier waits):

* ``prepare()`` creates the cart ahead (public ``POST /cart/``) when a performance opens, so
  adding is the only request when the cashier confirms.
* Seats chosen on the map go through the peppered cart (``seatId``, ``priceId``, ``rankId``) in
  one all-or-nothing request; general admission through the public cart (``event_id``,
  ``numberoftickets``, ``discount_id``). Several performances share one cart. The client
  reconciles every write by reading back; the service passes what it already knows
  (``known_cart``) so no extra read is needed on the happy path.
* "Pay" always uses the public ``POST /order/create``, also when a customer record is attached.
  Why this one path: it is the only order endpoint that carries the two GDPR opt-ins
  (``avg_optin``, ``avg_mailinglist``); it works for public-only sessions (no API key); the
  customer is linked by the e-mail address sent with it (the address of the record found or
  created); and one path means one reconciliation rule ("never a second order").
* The order status is polled (``boxoffice.services.payment``): 1 s for 20 s, then 2 s, then
  5 s, never faster than once a second. Stopping the wait is always safe.

Hold countdown: the exact ``timeOut`` of the peppered cart when the answer carries one,
otherwise a local estimate (last add + an assumed hold, ``HoldInfo.estimated``: the docs do not
give the hold's length, so the cashier reads "about"). At
:data:`HOLD_WARNING_SECONDS` the countdown warns; at expiry the cart is read back and lines the
server let go are shown as released; ``readd_released()`` puts back those still free.

The parts: ``model`` (value classes, ``SaleSnapshot``), ``state`` (``SaleDraft``, the draft of
one sale, and ``SaleContext``, what the parts share), ``plans`` (performances, seat plans, ticket
type names), ``hold`` (the hold clock), ``cart_view`` (the server's cart applied to the lines),
``cart`` (adds, removes, re-adds), ``checkout`` (methods, customer, cash), ``ordering`` (pay,
recheck), ``payment_watch`` (polling) and ``service``, the façade ``SaleService``: collaborators
that each take the context, behind one façade. ``service`` says which part writes which journal
step (each step has one writer).
"""
from __future__ import annotations

from boxoffice.services.sale.model import (
    _PLACES_NAMED,
    ASSUMED_HOLD_SECONDS,
    HOLD_WARNING_SECONDS,
    PREF_LAST_METHOD,
    PREF_METHODS,
    AddResult,
    Confirmation,
    CustomerInfo,
    HoldInfo,
    LineStatus,
    Listener,
    NotPaid,
    OrderInfo,
    PaymentChoice,
    PerformanceGroup,
    PerformanceInfo,
    Phase,
    PriceOption,
    ReaddResult,
    SaleError,
    SaleLine,
    SaleSnapshot,
    SeatRequest,
    _SeatMeta,
    _utcnow,
    cart_expired_about,
    line_from_dict,
    line_to_dict,
    not_paid_reason,
    order_needs_checking,
    snapshot_cart,
)
from boxoffice.services.sale.service import SaleService

__all__ = [
    "_PLACES_NAMED",
    "_SeatMeta",
    "_utcnow",
    "AddResult",
    "ASSUMED_HOLD_SECONDS",
    "cart_expired_about",
    "Confirmation",
    "CustomerInfo",
    "HOLD_WARNING_SECONDS",
    "HoldInfo",
    "line_from_dict",
    "line_to_dict",
    "LineStatus",
    "Listener",
    "not_paid_reason",
    "NotPaid",
    "order_needs_checking",
    "OrderInfo",
    "PaymentChoice",
    "PerformanceGroup",
    "PerformanceInfo",
    "Phase",
    "PREF_LAST_METHOD",
    "PREF_METHODS",
    "PriceOption",
    "ReaddResult",
    "SaleError",
    "SaleLine",
    "SaleService",
    "SaleSnapshot",
    "SeatRequest",
    "snapshot_cart",
]
