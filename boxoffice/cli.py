"""The command line: `python -m boxoffice COMMAND ...` (no Qt).

Commands talk to a real VdM API (``--api-url``/``--client``) or, with ``--demo``, to an embedded
simulator on loopback that settles payments by itself. The API key comes from the
``BOXOFFICE_API_KEY`` environment variable, else from the OS keyring entry of the profile whose client
name matches ``--client``.

Exit codes: 0 success, 2 usage, 3 API or network error (one line on stderr, no traceback),
4 the payment did not complete in time (or ended unpaid). ``sell`` is the app's sale (the same
sale service, journal in the profile's data folder, and recovery: ``services.counter``); an order
whose outcome is unknown ends with the app's "needs attention" checklist on stderr (exit 3) and
stays in the journal for the app's check at its next start. ``check`` exits 0 when every endpoint it
tried could be read (also without a key: then only the public part is tried) and 3 otherwise.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, AsyncIterator, Sequence

from boxoffice.api import ApiKey, VdmClient, errors, models

DEFAULT_API_URL = "https://api.voordemensen.nl/v1"
ENV_API_KEY = "BOXOFFICE_API_KEY"

EXIT_OK, EXIT_USAGE, EXIT_API, EXIT_UNPAID = 0, 2, 3, 4


class UsageError(Exception):
    """A command line that parses but cannot be carried out (exit code 2)."""


def positive_seconds(text: str) -> float:
    """An argparse type: a finite number of seconds above zero (``nan``, ``inf``, ``-1`` are usage
    errors, not tracebacks)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {text!r}")
    return value


def client_name(text: str) -> str:
    """An argparse type: a VdM client name (letters, digits, dots, dashes, underscores; no "/",
    never empty): a bad one is a usage error (exit 2), not a traceback."""
    from boxoffice.config import ProfileError, normalize_client_name

    try:
        name = normalize_client_name(text)
    except ProfileError:
        raise argparse.ArgumentTypeError(
            f"not a client name: {text!r} (letters, digits, dots, dashes and underscores)"
        ) from None
    if name in (".", ".."):
        raise argparse.ArgumentTypeError(f"not a client name: {text!r}")
    return name


# --------------------------------------------------------------------------- argument parsing


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("connection")
    group.add_argument("--api-url", default=DEFAULT_API_URL, help="API root (default: %(default)s)")
    group.add_argument("--client", type=client_name,
                       default=os.environ.get("BOXOFFICE_CLIENT", "demo"),
                       help="VdM client (organisation) name")
    group.add_argument("--demo", action="store_true",
                       help="run against an embedded simulator that settles payments by itself")
    group.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    group.add_argument("--timeout", type=positive_seconds, default=10.0, help="seconds per request")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(prog="python -m boxoffice", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("events", parents=[common], help="list productions and performances")
    p.add_argument("--upcoming", action="store_true", help="future performances only")
    p = sub.add_parser("tickettypes", parents=[common], help="ticket types of a performance")
    p.add_argument("event_id", type=int)
    p = sub.add_parser("seating", parents=[common], help="seating plan of a performance (needs a key)")
    p.add_argument("event_id", type=int)
    sub.add_parser("paymentmethods", parents=[common], help="payment methods")
    p = sub.add_parser("order", parents=[common], help="status of an order")
    p.add_argument("order_key")
    p = sub.add_parser("check", parents=[common],
                       help="first contact: read every endpoint the app uses (read-only) and "
                            "report what works and each deviation (no key in the report)")
    p.add_argument("--report", metavar="FILE",
                   help="also write the report to FILE (JSON with --json, else plain text)")
    p.add_argument("--cart", metavar="CART_ID",
                   help="also read this existing cart (the check never makes one)")

    p = sub.add_parser("sell", parents=[common], help="sell tickets: cart, order, payment URL")
    p.add_argument("event_id", type=int, help="performance (sub-event) id")
    p.add_argument("--payment-method", type=int, required=True, metavar="ID")
    p.add_argument("--ticket-type", metavar="ID",
                   help="ticket type (discount_id / priceId; default: the app's choice)")
    p.add_argument("--quantity", type=int, help="number of tickets (general admission / best available)")
    p.add_argument("--seat", nargs="+", metavar="SEAT_ID", help="specific seats (peppered cart)")
    p.add_argument("--wait", type=positive_seconds, metavar="SECONDS",
                   help="poll the order status until it is final or the time runs out")
    p.add_argument("--redirect-url", default=None, help="where the payment page returns to")
    p.add_argument("--email", default=None, help="buyer e-mail (optional)")

    from boxoffice.cli_orders import add_parser as add_orders_parser

    add_orders_parser(sub, common)

    p = sub.add_parser("demo-server", help="run the VdM simulator on loopback")
    p.add_argument("args", nargs=argparse.REMAINDER, help="simulator options (see demo-server --help)")
    return parser


# --------------------------------------------------------------------------- output helpers


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "model_dump"):
        return _jsonable(value.model_dump(mode="python"))
    return value


class Output:
    """Writes either human-readable lines or one JSON document to stdout."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def emit(self, data: Any, lines: Sequence[str]) -> None:
        if self.as_json:
            json.dump(_jsonable(data), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            for line in lines:
                print(line)

    def info(self, line: str) -> None:
        """Progress for people; kept off stdout in --json mode."""
        print(line, file=sys.stderr if self.as_json else sys.stdout, flush=True)


# --------------------------------------------------------------------------- connection


@dataclass
class Connection:
    client: VdmClient
    has_key: bool
    key_source: str


def _key_from_keyring(client_name: str) -> ApiKey | None:
    """The key of the saved profile for this client name, if a keyring is available."""
    try:
        from boxoffice.config import SettingsStore, app_paths
        from boxoffice.credentials import CredentialStore, KeyringUnavailable
    except ImportError:  # pragma: no cover - the shell modules are always shipped
        return None
    paths = app_paths()
    try:
        settings = SettingsStore(paths.config_dir / "settings.json").load()
    except Exception:  # noqa: BLE001 - a broken settings file must not break the CLI
        return None
    store = CredentialStore()
    for profile in settings.profiles:
        if profile.client_name == client_name and not profile.demo:
            try:
                return store.get(profile.id)
            except KeyringUnavailable:
                return None
    return None


@contextlib.asynccontextmanager
async def connect(args: argparse.Namespace) -> AsyncIterator[Connection]:
    if args.demo:
        from boxoffice.demo import SimulatorServer

        sim = SimulatorServer(seed=1, client_name="demo", auto_pay_after=2.0)
        await asyncio.to_thread(sim.start)
        try:
            client = VdmClient(api_root=sim.base_url, client_name=sim.client_name,
                               api_key=ApiKey(sim.api_key), timeout=args.timeout)
            async with client:
                yield Connection(client, True, "demo simulator")
        finally:
            await asyncio.to_thread(sim.stop)
        return
    raw = os.environ.get(ENV_API_KEY)
    key, source = (ApiKey(raw), "environment") if raw else (_key_from_keyring(args.client), "keyring")
    client = VdmClient(api_root=args.api_url, client_name=args.client, api_key=key,
                       timeout=args.timeout)
    async with client:
        yield Connection(client, key is not None, source if key else "none")


# --------------------------------------------------------------------------- commands


async def cmd_events(args: argparse.Namespace, out: Output) -> int:
    async with connect(args) as conn:
        events = await conn.client.public.events(upcoming=args.upcoming)
    lines = []
    for main in events:
        lines.append(f"{main.event_id:>6}  {main.event_name}")
        for sub in main.sub_events:
            start = sub.starts_at.strftime("%a %Y-%m-%d %H:%M") if sub.starts_at else "?"
            lines.append(f"  {sub.event_id:>6}  {start}  {sub.location_name}  "
                         f"[{sub.event_status}, max {sub.event_free}]")
    out.emit([e.model_dump(mode="json") for e in events], lines)
    return EXIT_OK


async def cmd_tickettypes(args: argparse.Namespace, out: Output) -> int:
    async with connect(args) as conn:
        types = await conn.client.public.ticket_types(args.event_id)
    lines = [f"{t.discount_id}  {t.discount_name:<20} {t.discounted_price:>8}  "
             f"(base {t.base_price}, {t.discount_type} {t.discount_value})" for t in types]
    out.emit([t.model_dump(mode="json") for t in types], lines)
    return EXIT_OK


async def cmd_seating(args: argparse.Namespace, out: Output) -> int:
    async with connect(args) as conn:
        plan = await conn.client.peppered.seating(args.event_id)
    lines = [f"event {plan.event_id}, hall {plan.hall_id}: {plan.available} seats available"]
    for level in plan.price_levels:
        lines.append(f"  rank {level.rank_id} {level.name}: {level.amount} ({level.price_id})")
    for section in plan.sections:
        seats = sum(len(row.seats) for row in section.rows)
        free = sum(1 for row in section.rows for s in row.seats if s.available)
        lines.append(f"  section {section.section_id} {section.section_name}: "
                     f"{len(section.rows)} rows, {free}/{seats} free")
    out.emit(plan.model_dump(mode="json", by_alias=True), lines)
    return EXIT_OK


async def cmd_paymentmethods(args: argparse.Namespace, out: Output) -> int:
    async with connect(args) as conn:
        methods = await conn.client.public.payment_methods()
    lines = [f"{m.payment_id:>4}  {m.payment_desc:<16} surcharge {m.payment_cost}" for m in methods]
    out.emit([m.model_dump(mode="json") for m in methods], lines)
    return EXIT_OK


async def cmd_order(args: argparse.Namespace, out: Output) -> int:
    async with connect(args) as conn:
        status = await conn.client.public.order_status(args.order_key)
    lines = [f"status: {status.order_payment_status}", f"tickets: {status.order_tickets_nr}"]
    if status.order_tickets_url:
        lines.append(f"tickets: {status.order_tickets_url}")
    out.emit(status.model_dump(mode="json"), lines)
    return EXIT_OK


async def cmd_check(args: argparse.Namespace, out: Output) -> int:
    """First contact: every GET endpoint the app uses (and the order export), read-only."""
    from boxoffice.services.first_contact import first_contact

    async with connect(args) as conn:
        api_url = "embedded simulator (--demo)" if args.demo else args.api_url
        report = await first_contact(conn.client, api_url=api_url, client_name=args.client,
                                     key_source=conn.key_source, cart_id=args.cart)
    data = report.as_dict()
    if args.report:
        text = report.to_json() + "\n" if args.json else report.text()
        try:
            with open(args.report, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise UsageError(f"cannot write the report to {args.report}: {exc.strerror}") from None
    out.emit(data, report.lines())
    return EXIT_OK if report.ok else EXIT_API


class SaleFailed(Exception):
    """The sale stopped: ``text`` goes to stderr, ``code`` is the exit code."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


def _sale_data_dir(args: argparse.Namespace) -> Path:
    """The profile data folder whose sale journal the command line's sale is written to, as the
    app's: the demo profile's with ``--demo``, else the saved profile with this client name, else
    a folder of its own for the client (``BOXOFFICE_HOME`` overrides the platform folders)."""
    from boxoffice.config import DEMO_PROFILE, SettingsStore, app_paths

    paths = app_paths()
    if args.demo:
        return DEMO_PROFILE.data_dir(paths)
    try:
        settings = SettingsStore(paths.config_dir / "settings.json").load()
        profiles = list(settings.profiles)
    except Exception:  # noqa: BLE001 - a broken settings file must not break the CLI
        profiles = []
    for profile in profiles:
        if profile.client_name == args.client and not profile.demo:
            return profile.data_dir(paths)
    return paths.data_dir / "profiles" / f"cli-{args.client}"


async def default_ticket_type(client: VdmClient, event_id: int) -> str:
    """The ticket type a quantity sale takes when none is given: the app's, i.e. the first one
    the quantity picker offers (the API's order). A seated sale without ``--ticket-type`` leaves
    the choice to the sale service, as the seat map does (the first price of the seat's rank)."""
    types = await client.public.ticket_types(event_id)
    if not types:
        raise SaleFailed(EXIT_API, f"no ticket types are available for event {event_id}")
    return str(types[0].discount_id)


def _check_seats(plan: models.SeatPlan, args: argparse.Namespace) -> None:
    by_id = {seat.seat_id: seat for section in plan.sections for row in section.rows
             for seat in row.seats}
    for seat_id in args.seat:
        seat = by_id.get(seat_id)
        if seat is None:
            raise UsageError(f"seat {seat_id} is not in the seating plan of event {args.event_id}")
        if args.ticket_type is not None and not any(
                lvl.price_id == args.ticket_type for lvl in plan.price_levels
                if lvl.rank_id == seat.rank_id):
            raise UsageError(f"ticket type {args.ticket_type} is not valid for rank {seat.rank_id}")


async def _sell(service: Any, client: VdmClient, args: argparse.Namespace, out: Output) -> int:
    """One sale through the app's sale service (journaled step by step, like the app's)."""
    from boxoffice.services.sale import CustomerInfo, Phase, SaleError, SeatRequest

    if args.seat:
        _check_seats(await service.load_seat_plan(args.event_id), args)
        result = await service.add_seats(
            args.event_id, [SeatRequest(seat_id, args.ticket_type) for seat_id in args.seat])
    else:
        ticket_type = args.ticket_type or await default_ticket_type(client, args.event_id)
        result = await service.add_general_admission(args.event_id, args.quantity, ticket_type)
    if not result.ok:
        raise SaleFailed(EXIT_API, result.message.text if result.message else "not added")
    cart = service.snapshot()
    methods = await service.payment_methods(refresh=True)
    method = next((m for m in methods if str(m.method_id) == str(args.payment_method)), None)
    if method is None:
        raise SaleFailed(EXIT_API, f"unknown payment method {args.payment_method}")
    service.select_payment_method(method.method_id)
    if args.email:
        service.set_customer(CustomerInfo(email=args.email))
    service.redirect_url = args.redirect_url
    try:
        snap = await service.pay()
    except SaleError as exc:
        raise SaleFailed(EXIT_API, exc.message.text) from None
    if snap.phase == Phase.ATTENTION or snap.order is None:
        # the app's "needs attention" checklist; the journal keeps the sale for the app's check
        text = snap.message.text if snap.message else "the order was not made"
        raise SaleFailed(EXIT_API, text)
    out.info(f"Order {snap.order.order_key}: pay at {snap.order.payment_url}")
    status_text = "none"
    if args.wait:
        try:
            snap = await asyncio.wait_for(service.wait_for_payment(), args.wait)
        except asyncio.TimeoutError:
            service.stop_waiting()
            snap = service.snapshot()
        if snap.order is not None:
            status_text = snap.order.status
        elif snap.phase == Phase.PAID:
            status_text = "paid"
        elif snap.not_paid is not None:
            status_text = snap.not_paid.status
    tickets = [{"event_id": ln.event_id, "row": ln.row, "seat": ln.seat, "price": ln.price,
                "ticket_type": ln.ticket_type} for ln in cart.held_lines]
    result_data = {"order_key": snap.order.order_key if snap.order else cart.sale_id,
                   "payment_url": snap.order.payment_url if snap.order else None,
                   "status": status_text, "total": cart.total, "cart_id": cart.cart_id,
                   "tickets": tickets}
    lines = [f"order {result_data['order_key']}: {status_text}", f"total {cart.total}"]
    lines += [f"  event {t['event_id']} row {t['row']} seat {t['seat']}  {t['price']}" for t in tickets]
    out.emit(result_data, lines)
    if args.wait and status_text != "paid":
        print(f"error: payment not completed (status: {status_text})", file=sys.stderr)
        return EXIT_UNPAID
    return EXIT_OK


async def cmd_sell(args: argparse.Namespace, out: Output) -> int:
    """Sell through the app's counter (``services.counter``): the same sale service, journal (in
    the profile's data folder) and recovery as the app."""
    from boxoffice.services.counter import Counter

    if bool(args.seat) == bool(args.quantity):
        raise UsageError("give either --quantity N [--ticket-type ID], or --seat SEAT_ID ...")
    if args.quantity is not None and args.quantity < 1:
        raise UsageError("--quantity needs a positive number")
    async with connect(args) as conn:
        # the embedded simulator starts afresh every run: its journal does too, as in the app
        counter = Counter.open(conn.client, _sale_data_dir(args), demo=args.demo,
                               fresh_journal=args.demo)
        try:
            return await _sell(counter.service, conn.client, args, out)
        finally:
            await counter.aclose()


async def cmd_orders(args: argparse.Namespace, out: Output) -> int:
    """``orders sync | find | door-list`` (``boxoffice.cli_orders``)."""
    from boxoffice.cli_orders import CliTools
    from boxoffice.cli_orders import cmd_orders as run_orders

    return await run_orders(args, out, CliTools(connect=connect, data_dir=_sale_data_dir))


COMMANDS = {
    "orders": cmd_orders,
    "events": cmd_events,
    "tickettypes": cmd_tickettypes,
    "seating": cmd_seating,
    "paymentmethods": cmd_paymentmethods,
    "order": cmd_order,
    "check": cmd_check,
    "sell": cmd_sell,
}


def main(argv: Sequence[str]) -> int:
    argv = list(argv)
    if argv and argv[0] == "demo-server":
        from boxoffice.demo.cli import run_server

        return run_server(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    out = Output(getattr(args, "json", False))
    try:
        return asyncio.run(COMMANDS[args.command](args, out))
    except UsageError as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SaleFailed as exc:
        print(f"error: {exc.text}", file=sys.stderr)
        return exc.code
    except errors.VdmError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_API
    except KeyboardInterrupt:
        return 130
