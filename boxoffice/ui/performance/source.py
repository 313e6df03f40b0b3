"""``PerformanceSource``: what the performance page reads from one open session (no Qt here).

Owns the data paths of an opened performance, so the widgets never touch the client or the
cache directly: the seating plan (network first through the catalog, which saves every fetched
plan to the offline cache), the saved plan (offline), the ticket types, the live per-order
maximum (``event_free``) and the hall layout file of a hall
(``<profile data folder>/layouts/hall-<id>.json``).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from boxoffice.domain.hall_file import HallFileLoad, hall_file_path, load_hall_file

log = logging.getLogger(__name__)


def install_demo_hall_files(data_dir: Path) -> list[Path]:
    """Copy the simulator's shipped hall files into a (demo) profile's ``layouts/`` folder.

    Never replaces a file that is there already; returns what was written. Quietly does nothing
    when the demo package has no layouts module, or the folder cannot be written.
    """
    try:
        from boxoffice.demo.layouts import install_hall_files
    except ImportError:  # pragma: no cover - a build without the demo layouts
        return []
    try:
        return install_hall_files(hall_file_path(Path(data_dir), 0).parent)
    except OSError as exc:
        log.warning("could not install the demo hall files: %s", type(exc).__name__)
        return []


class PerformanceSource:
    """Reads for the performance page over one :class:`~boxoffice.services.session.BoxOfficeSession`."""

    def __init__(self, session: Any, data_dir: Path) -> None:
        self.session = session
        self.data_dir = Path(data_dir)

    @property
    def has_seat_maps(self) -> bool:
        return bool(getattr(self.session, "has_seat_maps", False))

    @property
    def public_only_reason(self) -> str | None:
        return getattr(self.session, "public_only_reason", None)

    def key_refused(self) -> None:
        """VoordeMensen refused the key: the session goes on public-only (sale by number)."""
        refuse = getattr(self.session, "key_refused", None)
        if callable(refuse):
            refuse()

    async def seat_plan(self, event_id: int | str) -> tuple[Any, bool]:
        """``(plan, from_cache)``; raises the client's error (``NotFound`` = general admission)."""
        return await self.session.catalog.seat_plan(event_id)

    def cached_plan(self, event_id: int | str) -> Any:
        """The saved plan (``Cached(value, fetched_at)``) or None; no network."""
        try:
            return self.session.cache.load_seat_plan(event_id)
        except Exception:  # noqa: BLE001 - a damaged cache row is simply "nothing saved"
            log.warning("could not read the saved seating plan", exc_info=True)
            return None

    async def ticket_types(self, event_id: int | str) -> tuple[list[Any], bool]:
        return await self.session.catalog.ticket_types(event_id)

    async def per_order_maximum(self, event_id: int | str) -> int | None:
        """The performance's current ``event_free`` (per-order maximum), or None if unknown."""
        event = await self.session.client.public.event(event_id)
        value = getattr(event, "event_free", None)
        return None if value is None else max(int(value), 0)

    def hall_file(self, hall_id: int | None) -> HallFileLoad:
        if hall_id is None:
            return HallFileLoad(None)
        return load_hall_file(hall_file_path(self.data_dir, hall_id), hall_id)
