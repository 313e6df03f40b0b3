"""``python -m boxoffice orders ...``: the order desk on the command line (no Qt).

* ``orders sync``: bring the profile's order index up to date (full the first time, then the
  changes; needs the venue's API key).
* ``orders find QUERY [--json]``: search the local index (no network): exit 0 when something
  is found, 3 when nothing matches.
* ``orders door-list EVENT_ID [--csv]``: the door list of a performance from the index.

The index is the app's: ``orders.sqlite3`` in the profile's data folder (the saved profile with
this client name, the demo profile's with ``--demo``; ``BOXOFFICE_HOME`` overrides the folders).
``boxoffice.cli`` registers these and hands over its connection and folder helpers
(:class:`CliTools`), so this module never imports it back.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from boxoffice.domain.orders import DeskOrder, SyncProgress, channel_words, status_words

EXIT_OK, EXIT_API, EXIT_NOTHING = 0, 3, 3


@dataclass(frozen=True)
class CliTools:
    """What the command line lends these commands: ``connect(args)`` (an async context manager
    giving ``.client``) and ``data_dir(args)`` (the profile's data folder)."""

    connect: Callable[[argparse.Namespace], Any]
    data_dir: Callable[[argparse.Namespace], Path]


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Register ``orders`` and its subcommands on the CLI's subparsers."""
    orders = sub.add_parser("orders", help="the order desk: sync the local order index, find an "
                                           "order, print a door list")
    inner = orders.add_subparsers(dest="orders_command", required=True, metavar="SUBCOMMAND")
    inner.add_parser("sync", parents=[common], help="update the local order index (needs a key)")
    p = inner.add_parser("find", parents=[common],
                         help="find orders in the local index (no network); exit 3: none")
    p.add_argument("query", nargs="+", help="order key or id, e-mail, name, performance, "
                                            "'row 5 seat 12'")
    p.add_argument("--limit", type=int, default=50)
    p = inner.add_parser("door-list", parents=[common], help="door list of a performance")
    p.add_argument("event_id", help="performance (sub-event) id")
    p.add_argument("--csv", action="store_true", help="CSV on stdout")


def _index_path(args: argparse.Namespace, tools: CliTools) -> Path:
    from boxoffice.services.order_desk import order_index_path

    return order_index_path(tools.data_dir(args))


def order_json(order: DeskOrder) -> dict[str, Any]:
    """One order as ``orders find --json`` prints it (amounts as decimal strings)."""
    return {
        "order_key": order.order_key,
        "order_id": order.order_id,
        "status": order.status,
        "payment_status": order.payment_status,
        "status_words": status_words(order),
        "amount": str(order.amount),
        "fee": str(order.fee),
        "donation": str(order.donation),
        "payment_label": order.payment_label,
        "channel": order.channel,
        "online": not order.is_counter,
        "email": order.email,
        "name": order.name,
        "customer_id": order.customer_id,
        "created_at": order.created_at.isoformat() if order.created_at else None,
        "reserved_until": order.reserved_until.isoformat() if order.reserved_until else None,
        "seats": [{"event_id": s.event_id, "row": s.row, "seat": s.seat,
                   "section": s.section, "ticket_type": s.ticket_type, "price": str(s.price)}
                  for s in order.seats],
        "deleted_seats": [{"event_id": s.event_id, "row": s.row, "seat": s.seat}
                          for s in order.deleted_seats],
        "events": [{"event_id": e.event_id, "title": e.title,
                    "starts_at": e.starts_at.isoformat() if e.starts_at else None}
                   for e in order.events],
    }


def _order_line(order: DeskOrder) -> str:
    seats = ", ".join(f"{s.row}/{s.seat}" if s.row or s.seat else s.ticket_type
                      for s in order.seats)
    events = "; ".join(f"{e.title} {e.starts_at:%Y-%m-%d %H:%M}" if e.starts_at else e.title
                       for e in order.events)
    return (f"{order.order_key}  #{order.order_id}  {order.name or '-'} <{order.email or '-'}>  "
            f"{status_words(order)}  {order.amount}  {channel_words(order)}  {events}  "
            f"[{seats}]")


async def cmd_sync(args: argparse.Namespace, out: Any, tools: CliTools) -> int:
    from boxoffice.services.order_desk import OrderDesk

    path = _index_path(args, tools)
    if args.demo:
        # the embedded simulator starts afresh every run: its order index does too
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    async with tools.connect(args) as conn:
        desk = OrderDesk(conn.client, path)
        try:
            if desk.notice:
                print(desk.notice, file=sys.stderr)
            if not desk.has_key:
                print("error: the order desk needs the venue's API key (BOXOFFICE_API_KEY or "
                      "the saved profile's key)", file=sys.stderr)
                return EXIT_API
            last = [""]

            def progress(p: SyncProgress) -> None:
                text = f"{p.phase}: {p.fetched} read, {p.stored} stored"
                if text != last[0]:
                    last[0] = text
                    if not args.json:
                        out.info(text)

            result = await desk.sync(progress)
            total = desk.count
        finally:
            await desk.aclose()
    data = {"added": result.added, "updated": result.updated, "skipped": result.skipped,
            "full": result.full, "as_of": result.as_of.isoformat(), "orders": total,
            "index": str(path)}
    lines = [f"orders as of {result.as_of:%Y-%m-%d %H:%M}: {result.added} added, "
             f"{result.updated} updated, {result.skipped} skipped ({total} in the index)"]
    out.emit(data, lines)
    return EXIT_OK


def _open_offline(args: argparse.Namespace, tools: CliTools) -> Any:
    from boxoffice.services.order_desk import OrderDesk

    return OrderDesk(None, _index_path(args, tools))


async def cmd_find(args: argparse.Namespace, out: Any, tools: CliTools) -> int:
    desk = _open_offline(args, tools)
    try:
        found = desk.search(" ".join(args.query), limit=max(1, args.limit))
        as_of = desk.as_of
    finally:
        await desk.aclose()
    if not found:
        if args.json:
            out.emit([], [])
        print("no order matches" + ("" if as_of else " (the order index was never synced: "
                                     "run 'orders sync')"), file=sys.stderr)
        return EXIT_NOTHING
    out.emit([order_json(o) for o in found], [_order_line(o) for o in found])
    return EXIT_OK


async def cmd_door_list(args: argparse.Namespace, out: Any, tools: CliTools) -> int:
    event_id: int | str = int(args.event_id) if args.event_id.isdigit() else args.event_id
    desk = _open_offline(args, tools)
    try:
        door = desk.door_list(event_id)
        csv_text = desk.door_list_csv(door)
    finally:
        await desk.aclose()
    if args.csv:
        sys.stdout.write(csv_text)
    else:
        head = f"{door.event.title or event_id}"
        if door.event.starts_at:
            head += f" {door.event.starts_at:%Y-%m-%d %H:%M}"
        as_of = f"{door.as_of:%Y-%m-%d %H:%M}" if door.as_of else "never synced"
        lines = [f"{head}: {len(door.entries)} orders, {door.tickets} tickets (as of {as_of})"]
        for e in door.entries:
            seats = ", ".join(f"{s.row}/{s.seat}" if s.row or s.seat else s.ticket_type
                              for s in e.seats)
            lines.append(f"{e.name:<32} {e.tickets:>3}  {seats}  {e.status}  {e.order_key}")
        out.emit({"event_id": event_id, "title": door.event.title,
                  "as_of": door.as_of.isoformat() if door.as_of else None,
                  "entries": [{"name": e.name, "email": e.email, "order_key": e.order_key,
                               "status": e.status, "tickets": e.tickets,
                               "seats": [{"row": s.row, "seat": s.seat, "section": s.section}
                                         for s in e.seats]} for e in door.entries]}, lines)
    return EXIT_OK if door.entries else EXIT_NOTHING


SUBCOMMANDS = {"sync": cmd_sync, "find": cmd_find, "door-list": cmd_door_list}


async def cmd_orders(args: argparse.Namespace, out: Any, tools: CliTools) -> int:
    """Run ``orders <subcommand>``; *out* is the CLI's Output (``emit``, ``info``)."""
    return await SUBCOMMANDS[args.orders_command](args, out, tools)
