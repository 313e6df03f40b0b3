"""Every simulator choice where the VdM documentation is silent, in one place.

Each constant carries a comment saying what it decides. The numbered items mirror the team
contract ("Simulator behaviour where the docs are silent"); items marked [sim] are further choices
made while building the simulator. The API client may rely only on the contract's items; the [sim]
items are simulator conveniences and may differ on the live API.

Messages here are API response bodies (the server's words, English like the live API's
"Unauthenticated."), not cashier-facing text, so they are deliberately not translated.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

# --- Tunables (SimulatorServer arguments override the defaults) --------------------------------

# 4. A cart holds its seats until timeOut = time of the last add + HOLD_SECONDS.
HOLD_SECONDS = 900
# 8. An unpaid order (payment status "none") expires this long after creation; seats are released.
PAYMENT_TIMEOUT_SECONDS = 900
# 6. event_free = min(PER_ORDER_MAX, free seats); the public cart refuses more per event per cart.
PER_ORDER_MAX = 10
# 14. "timeout" fault: the (applied) answer is delayed this long. Settable via faults.set().
FAULT_TIMEOUT_SECONDS = 30.0
# 14. Retry-After value (seconds) sent with a 429.
RETRY_AFTER_SECONDS = 1
# 7. What a cart looks like after an order was made from it (the docs do not say):
#    "emptied" - the order consumes the cart: it reads empty ([{"cart": 0}], numberOfItems 0);
#    "kept"    - the cart keeps its lines (its seats now belong to the order). Ordering the same
#                cart again makes another order of the same seats, as an independent server
#                built from the docs did: the client must never send a second order for a cart.
#    Per SimulatorServer(cart_after_order=...); the default comes from the environment variable
#    VDM_SIM_CART_AFTER_ORDER (so the soak, benchmarks and whole test runs can choose).
CART_AFTER_ORDER_MODES = ("emptied", "kept")
CART_AFTER_ORDER_ENV = "VDM_SIM_CART_AFTER_ORDER"


def default_cart_after_order() -> str:
    """The cart-after-order mode from VDM_SIM_CART_AFTER_ORDER, else "emptied"."""
    value = os.environ.get(CART_AFTER_ORDER_ENV, "").strip().lower() or "emptied"
    if value not in CART_AFTER_ORDER_MODES:
        raise ValueError(f"{CART_AFTER_ORDER_ENV}={value!r}: expected one of "
                         f"{CART_AFTER_ORDER_MODES}")
    return value


@dataclass(frozen=True)
class Tunables:
    """Run-time tunables of one simulator instance."""

    hold_seconds: float = HOLD_SECONDS
    payment_timeout: float = PAYMENT_TIMEOUT_SECONDS
    per_order_max: int = PER_ORDER_MAX
    # --auto-pay-after: unpaid orders become "paid" this many (simulated) seconds after creation.
    auto_pay_after: float | None = None
    # --cart-after-order: "emptied" or "kept" (item 7 below).
    cart_after_order: str = "emptied"

    def __post_init__(self) -> None:
        if self.cart_after_order not in CART_AFTER_ORDER_MODES:
            raise ValueError(f"cart_after_order must be one of {CART_AFTER_ORDER_MODES}")


# --- Request decoding ---------------------------------------------------------------------------

# 1. POST bodies are JSON; public POSTs also accept application/x-www-form-urlencoded.
# [sim] Integer fields (event_id, numberoftickets, payment_id, ...) also accept digit strings,
#       because form bodies can only carry strings.
ACCEPT_FORM_BODIES_ON_PUBLIC = True

# --- Identifiers --------------------------------------------------------------------------------

# 2. The seating plan seatId is a 10-character string, unique per (performance, seat); a seated
#    ticket's public cart line seat_id and peppered cart itemId equal it. Order status
#    seats[].seat_id and export seatId are integers (ticket ids), numbered from FIRST_TICKET_ID.
SEAT_ID_LENGTH = 10
FIRST_TICKET_ID = 2900
# [sim] Order ids start here (the doc example shows 12345); customer ids start at FIRST_CUSTOMER_ID.
FIRST_ORDER_ID = 12345
FIRST_CUSTOMER_ID = 867
# [sim] Cart ids are 32 alphanumerics; order keys are 4 groups of 5 alphanumerics joined by "-".
CART_ID_LENGTH = 32

# --- Public cart --------------------------------------------------------------------------------

# 3. The public add assigns the best available *adjacent* seats (server side): the window of
#    free seats in one row with the lowest total "preference score" (better rank first, then
#    front rows, then the centre of the row).
# [sim] When no row has enough adjacent free seats, the best individual free seats are taken
#       (scattered) rather than refusing the sale.
# [sim] Public adds may take seats of any rank; each line is priced at its seat's rank price with
#       the ticket type applied. The public /tickettypes base_price is the price of the hall's
#       best rank (rank order 1), so a line in a cheaper rank costs less than the listed price.
# [sim] category_name on a public cart line is the seat's rank name (e.g. "Rang 1").
# 3. General-admission rooms give seat_row_nr / seat_nr "0".
GA_ROW_SEAT = "0"
# [sim] Public cart lines carry the D2-only field event_view_end ("DD-MM-YYYY", sentinel
#       "00-00-0000"); "recommand" is not sent.
CART_VIEW_END_SENTINEL = "00-00-0000"
EVENTS_VIEW_END_SENTINEL = "0000-00-00 00:00:00"

# 6. Public add errors. The per-order maximum counts the tickets for that performance already in
#    the cart plus the new ones.
MSG_MAX_PER_ORDER = "Maximum number of tickets per order exceeded"
MSG_NOT_ON_SALE = "Event is not on sale"
MSG_NOT_ENOUGH_SEATS = "Not enough seats available"
# [sim] event_free is 0 whenever the performance is not on sale (nosal, unpub, already started).
# [sim] "On sale" = event_status "pub" and the performance has not started yet.

# 4. Expired/unknown carts.
MSG_CART_NOT_FOUND = "Cart not found"
# [sim] Public DELETE of a seat_id that is not in the cart -> 404 {"message": "Seat not in cart"};
#       peppered DELETE of an unknown itemId -> 404 {"message": "Item not found"}.
MSG_SEAT_NOT_IN_CART = "Seat not in cart"
MSG_ITEM_NOT_FOUND = "Item not found"
# [sim] An empty (or expired) peppered cart has timeOut null and amount 0.

# [sim] Ticket type "Uitflits" has a per-performance quota (see seed.py). When it is used up
#       (tickets held in carts or ordered), /tickettypes omits it and adding it gives
#       422 {"message": "Ticket type not available"} (docs: error shape undocumented).
MSG_TICKET_TYPE_UNAVAILABLE = "Ticket type not available"
MSG_INVALID_DISCOUNT = "Invalid discount_id"
MSG_INVALID_QUANTITY = "numberoftickets must be a positive integer"

# --- Peppered cart ------------------------------------------------------------------------------

# 5. Peppered add of a taken seat (sold, blocked, held by another cart, or already in this cart)
#    -> 409 {"message": "Seat <row>-<nr> is not available"}; adds are all-or-nothing.
#    Wrong rankId for the seat, or a priceId not valid for that rank -> 422.
# [sim] Peppered add without seatId assigns the best adjacent seats *within rankId*
#       (numberOfTickets, default 1); too few -> 409 "Not enough seats available".
# [sim] The per-order maximum does not apply to peppered (box-office) adds; "not on sale"
#       (nosal/unpub/started) does.
# [sim] Donations: {"priceId": "donation", "rankId": 0, "amount": > 0} -> itemType "donation".
# [sim] cartItems[].description is "<production> — <hall>"; priceName is the ticket-type name.
MSG_SEAT_NOT_AVAILABLE = "Seat {row}-{nr} is not available"

# --- Orders -------------------------------------------------------------------------------------

# 7. order/create consumes the cart ("emptied", the default) or leaves its lines in it ("kept"):
#    see CART_AFTER_ORDER_MODES above. Empty/expired cart -> 422 {"message": "Cart is empty"}.
# [sim] A kept cart after its order no longer expires (its seats belong to the order); removing
#       its lines or clearing it never releases the order's seats.
MSG_CART_EMPTY = "Cart is empty"
# [sim] Unknown payment_id / paymentMethodId -> 422 {"message": "Invalid payment method"}.
MSG_INVALID_PAYMENT = "Invalid payment method"
# [sim] If order/create carries an e-mail, the order is linked to the customer with that e-mail,
#       created from firstname/lastname/... when none exists (so exports show the buyer).
# 8. Payment statuses: none -> paid | cancelled | failed | expired; all but "paid" are final
#    and release the seats; orderStatus becomes "cancel" and the tickets move to deletedSeats.
PAYMENT_STATUSES = ("none", "paid", "cancelled", "failed", "expired")
# [sim] orderChannel: "www" (the only documented value) for the seeded online orders and those
#       added by SimulatorServer.add_online_orders; orders made through this API (the box
#       office's cart/order flow, public or peppered) carry COUNTER_CHANNEL, a guess (the docs
#       name no other channel value).
ONLINE_CHANNEL = "www"
COUNTER_CHANNEL = "kassa"
# [sim] Order statuses (docs §7) and the seats: "ord", "res" (reservation, unpaid until its
#       timeOut), "pros" (offer), "reemit" (the re-issued replacement) and "reissue" (an older
#       order re-issued, valid again) hold their seats (shown sold on the map); "cancel" and
#       "trash" hold none: their seats are in deletedSeats and free again (unless sold since).
LIVE_ORDER_STATUSES = ("ord", "res", "pros", "reemit", "reissue")
FREED_ORDER_STATUSES = ("cancel", "trash")
# [sim] Payment status per order status of the seeded online orders and of
#       set_order_status(): ord/reemit/reissue "paid", res/pros "none", cancel "cancelled"
#       (an unpaid one) or stays "paid" (refund not modelled), trash keeps what it had.
# [sim] The seed's sold seats belong to online orders built on first use of the order list,
#       an order or a customer (online.py); their order ids and keys come from the run's own
#       counters like every order's. Their dates lie in the 6 weeks before the seed time and at
#       least 30 minutes before it, so a sale's recent-orders window never shows them. A seeded
#       reservation paid on the payment page becomes "ord"; cancelled/expired there, "cancel".
# [sim] A seeded or test-added reservation does not lapse by itself at its timeOut (the docs
#       do not say what happens then); set_order_status(id, "cancel") lapses it.
# [sim] The export's "user" is the full customer record (UserResource) or None; with
#       EXPORT_USER = "short" it is only {customerId, email} (the docs' example is cut off
#       there), so a client must fill in names from /export/customers or GET /customer/{id}.
EXPORT_USER_MODES = ("full", "short")
EXPORT_USER = "full"
# [sim] SimulatorServer(order_volume=N) calls gc.freeze() after building when it holds at least
#       this many orders (not a VdM behaviour: keeps the benchmark's event loop free of long
#       collections when the simulator runs in its process).
GC_FREEZE_ORDERS = 20_000
# [sim] Public order status seats[] / order_tickets_nr count only the live tickets (0 once an
#       order is cancelled/failed/expired). Ticket PDF and receipt URLs answer 404 until paid.
# [sim] The payment page redirects to redirectURL?return=<order_key> (the documented "return"
#       parameter; "&" is used if redirectURL already has a query).
# [sim] Cash and PIN orders are NOT paid on creation: every order goes through the payment page,
#       auto-pay or settle(). (The live API's behaviour for box-office cash is unknown.)
# [sim] Peppered changedSince (GET /order, POST /export/orders, POST /export/customers)
#       accepts the formats in CHANGED_SINCE_FORMATS: "date" = YYYY-MM-DD (Amsterdam midnight),
#       "datetime" = ISO 8601 date-time (no offset: Amsterdam; "Z" allowed). Anything else
#       -> 422. Set it to ("date",) to play a server that refuses date-times.
#       Records whose lastChanged >= it are listed (docs: "changed on/after");
#       CHANGED_SINCE_INCLUSIVE = False makes it strictly after.
CHANGED_SINCE_FORMATS = ("date", "datetime")
CHANGED_SINCE_INCLUSIVE = True

# 9. Peppered auth: raw key or Basic base64("key:").
MSG_UNAUTHENTICATED = "Unauthenticated."

# 10. Peppered checkout body {"paymentMethodId", "customerId", "redirectUrl"} -> 200 OrderResource
#     plus "paymentUrl". [sim] Unknown customerId -> 422 {"message": "Customer not found"}.

# 11. Seating for general admission / unknown event.
MSG_NO_SEATING = "No seating plan for this event"
MSG_EVENT_NOT_FOUND = "Event not found"
MSG_SUB_EVENT_NOT_FOUND = "sub_event not found"

# 12. Public payment_id and peppered paymentMethodId share one id space.

# [sim] Customers: 422 bodies are Laravel-style {"message": ..., "errors": {field: [..]}};
#       e-mail uniqueness is case-insensitive; findByEmail matches case-insensitively.
MSG_CUSTOMER_NOT_FOUND = "Customer not found"
MSG_VALIDATION = "The given data was invalid."

# 14. Fault bodies.
MSG_SERVER_ERROR = "Internal server error"
MSG_TOO_MANY = "Too many requests"
# [sim] "5xx" and "429" are answered *before* the request is applied. The extra kind "5xx_after"
#       applies the request and then answers 500.
# [sim] Faults apply only to the API (/v1/<client>/...), never to /v1/_sim, the payment page,
#       tickets or receipts.

# [sim] Public /events lists every main event with its pub and nosal sub-events (past ones
#       included); "unpub" sub-events are hidden. One production has no performances yet, so it is
#       listed with "sub_events": [] (the docs say clients must tolerate that). /events/upcoming
#       keeps sub-events that have not ended and drops main events left without any.
# [sim] Peppered /event lists every performance (any status); startDate/endDate filter on the
#       local (Amsterdam) start date, inclusive.
# [sim] Peppered event detail: availability = [{"rankId", "available", "total"}] per rank
#       ("available": free seats of that rank, "total": all its seats; the docs name the field
#       "seat-level availability per rank, if loaded" and show no shape);
#       blockAvailability = [{"blockType", "blockName", "count"}] for all nine block types.
#       EVENT_AVAILABILITY = "not_loaded" plays the other plausible server: the detail leaves
#       "availability" out (not loaded), so a client has to count from the seating plan's
#       "available" (general admission: no plan, no count). The event list's "seats left"
#       reads either (boxoffice/services/availability.py).
EVENT_AVAILABILITY_MODES = ("per_rank", "not_loaded")
EVENT_AVAILABILITY = "per_rank"
BLOCK_TYPES = (
    ("block", "Capaciteit"), ("perf", "Bespeler"), ("ext", "Externe verkoop"),
    ("group", "Genodigden"), ("press", "Pers"), ("wheel", "Rolstoel"), ("tech", "Techniek"),
    ("theat", "Theater"), ("sight", "Zichtlijnen"),
)
# [sim] Unknown client name -> 404 {"message": "Client not found"}; unknown path -> 404
#       {"message": "Not found"}; wrong method on a known path -> 405 {"message": "Method not allowed"}.
MSG_CLIENT_NOT_FOUND = "Client not found"

# [sim] The nights the clocks change. The docs are silent (public times carry no zone at all,
#       peppered ones are "ISO 8601 with UTC offset"). Guess: a performance is stored as the local
#       time entered in the back office; public /events and cart lines echo it as entered, so
#       "2027-03-28" "02:30:00" (a time no clock shows: at 02:00 it becomes 03:00) and
#       "2026-10-25" "02:30:00" (a time that comes twice). Peppered writes the instant with the
#       offset then in force, as PHP's DateTime does: "2027-03-28T03:30:00+02:00";
#       "2026-10-25T02:30:00+02:00" for the first 02:30, "...+01:00" for the second.
#       DST_PEPPERED_FORM = "as_entered" plays the other plausible writer: the wall time as
#       entered with the offset from before the change, "2027-03-28T02:30:00+01:00" (Python
#       zoneinfo's form, the same instant). DST_AMBIGUOUS_FOLD: which 02:30 of 2026-10-25 the
#       performance is (0: the first, summer time; 1: the second). Read when a simulator starts.
#       The production "Klokkennacht" (Studio) has them: 02:30 on 2026-10-25, and 02:30
#       and 03:00 on 2027-03-28 (03:00 comes BEFORE the 02:30 that is really 03:30).
#       DST_PERFORMANCES = False leaves it out. The client's reading: boxoffice/api/dates.py.
DST_PERFORMANCES = True
DST_PEPPERED_FORMS = ("in_force", "as_entered")
DST_PEPPERED_FORM = "in_force"
DST_AMBIGUOUS_FOLD = 0
#: the local times as entered (naive, Europe/Amsterdam) of "Klokkennacht"
DST_STARTS = (datetime(2026, 10, 25, 2, 30), datetime(2027, 3, 28, 2, 30),
              datetime(2027, 3, 28, 3, 0))

ZERO = Decimal("0.00")
