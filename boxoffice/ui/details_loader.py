"""``DetailsLoader``: fills the details pane for what is selected in the event list.

A production: its picture. A performance: its status and whether it can be sold now, then (after
a short pause, so arrowing through the list does not fire a request per row) its ticket types —
with each type's price at every price level of the hall when the venue's key can read them — and
its picture (kept per URL for the session). Work for an earlier selection is cancelled.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from boxoffice.api import errors
from boxoffice.i18n import _
from boxoffice.services.connectivity import is_offline_error
from boxoffice.ui.events.rows import PerformanceRow, ProductionRow
from boxoffice.ui.tasks import TaskTracker

log = logging.getLogger("boxoffice.ui.controller")


class DetailsLoader:
    def __init__(self, window: Any, tracker: TaskTracker, session: Callable[[], Any],
                 blocked_reason: Callable[[PerformanceRow], str | None]) -> None:
        self.window = window
        self.tracker = tracker
        self._session = session            # the open session (None while there is none)
        self._blocked_reason = blocked_reason
        self._image_cache: dict[str, bytes] = {}

    @property
    def session(self) -> Any:
        return self._session()

    def forget_images(self) -> None:
        """A new session: pictures are read again."""
        self._image_cache.clear()

    def production_selected(self, prod: ProductionRow) -> None:
        self.tracker.cancel_named("details")
        self.window.details.show_production(prod)
        self.tracker.spawn(self._load_image(prod.source, None), name="details")

    def performance_selected(self, perf: PerformanceRow | None) -> None:
        self.tracker.cancel_named("details")
        if perf is None:
            self.window.details.clear()
            return
        main = self._main_event(perf)
        self.window.details.show_performance(perf, self.window.browser.model.status_of(perf), main)
        reason = self._blocked_reason(perf)
        self.window.details.set_sale_available(reason is None, reason or "")
        self.tracker.spawn(self._load_details(perf, main), name="details")

    def _main_event(self, perf: PerformanceRow) -> Any:
        for prod in self.window.browser.model.productions():
            if prod.event_id == perf.production_id:
                return prod.source
        return None

    async def _ticket_types(self, perf: PerformanceRow) -> tuple[Any, bool, str | None]:
        session = self.session
        if session is None:
            return None, False, None
        try:
            types, from_cache = await session.catalog.ticket_types(perf.event_id)
        except errors.VdmError as exc:
            if is_offline_error(exc):
                return None, False, _("Prices are not in the offline copy; they load when the "
                                      "connection is back.")
            from boxoffice.services.messages import reason_text, technical_details

            log.warning("ticket types not loaded: %s", technical_details(exc))
            return None, False, _("Prices could not be loaded: {reason}").format(
                reason=reason_text(exc))
        return types, from_cache, None

    async def _level_prices(self, perf: PerformanceRow) -> dict[str, list[Any]] | None:
        """Each ticket type's price at every price level of the hall (the venue's performance
        resource, with the key); None without a key or when it cannot be read (the public price
        is shown then)."""
        session = self.session
        if session is None or not getattr(session, "has_seat_maps", False):
            return None
        try:
            event = await session.client.peppered.event(perf.event_id)
        except errors.VdmError:
            return None
        out: dict[str, list[Any]] = {}
        for price in event.prices:
            if price.price_id:
                out.setdefault(str(price.price_id), []).append(price.amount)
        return out or None

    async def _load_details(self, perf: PerformanceRow, main: Any) -> None:
        await asyncio.sleep(0.08)  # arrowing through the list should not fire a request per row
        types, from_cache, error = await self._ticket_types(perf)
        levels = await self._level_prices(perf) if types and not from_cache else None
        if self.window.details.performance is perf:
            self.window.details.set_ticket_types(types, from_cache, error, levels)
        await self._load_image(perf.source, main)

    async def _load_image(self, source: Any, main: Any) -> None:
        url = getattr(source, "event_image", None) or getattr(main, "event_image", None)
        if not url or self.session is None:
            self.window.details.set_image(None)
            return
        data = self._image_cache.get(url)
        if data is None:
            try:
                data = await self.session.catalog.image(url)
            except errors.VdmError:
                data = None
            if data:
                self._image_cache[url] = data
        self.window.details.set_image(data)
