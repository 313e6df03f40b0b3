"""What the two endpoint groups (``client.public``, ``client.peppered``) share: the base client
they send through and the settle delay before a write that got no answer is read back."""
from __future__ import annotations

from typing import Any

from .base import BaseClient
from .order_lookup import late_apply_timing


class EndpointGroup:
    def __init__(self, base: BaseClient) -> None:
        self._b = base
        #: Seconds to wait before reading back a write that timed out or dropped (it may still be
        #: applied late); None: derived from the request timeout (``reconcile.settle_delay``).
        self.settle_delay: float | None = None

    @property
    def base(self) -> BaseClient:
        return self._b

    def _late(self) -> dict[str, Any]:
        return late_apply_timing(self._b, self.settle_delay)
