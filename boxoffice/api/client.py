"""VdmClient: the entry point. One shared httpx.AsyncClient (keep-alive) under two resource groups,
``client.public`` and ``client.peppered``.

    async with VdmClient(api_root="https://api.voordemensen.nl/v1", client_name="demo",
                         api_key=ApiKey("...")) as client:
        events = await client.public.events()
"""
from __future__ import annotations

from datetime import datetime

import httpx

from .base import DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, BaseClient
from .drift import DriftLog
from .models.public import Cart
from .peppered import PepperedAPI
from .public import PublicAPI
from .retry import RetryPolicy
from .secrets import ApiKey


class VdmClient:
    """Async VdM API client. Qt-free; create and use it on one event loop."""

    def __init__(
        self,
        api_root: str,
        client_name: str,
        api_key: ApiKey | str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        *,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    ) -> None:
        self._base = BaseClient(
            api_root, client_name, api_key, timeout=timeout, connect_timeout=connect_timeout,
            transport=transport, retry=retry,
        )
        # Composed here, each group built once and complete: peppered checkout reads the cart
        # through the public group (looked up when called), public create_order looks a lost
        # order up in the peppered export (api/order_lookup.py).
        self.peppered = PepperedAPI(self._base, read_cart=self._read_public_cart)
        self.public = PublicAPI(self._base, orders=self.peppered)

    async def _read_public_cart(self, cart_id: str) -> Cart:
        return await self.public.cart(cart_id)

    @property
    def base_url(self) -> str:
        """``{api_root}/{client_name}``."""
        return self._base.base_url

    @property
    def client_name(self) -> str:
        return self._base.client_name

    @property
    def drift(self) -> DriftLog:
        """What the server's answers did differently from what the client expects."""
        return self._base.drift

    @property
    def has_api_key(self) -> bool:
        return self._base.has_api_key

    def forget_api_key(self) -> None:
        """Go on public-only (VoordeMensen refused the key): no peppered call is sent any more,
        and every path that chooses by ``has_api_key`` takes its public way."""
        self._base.api_key = None

    def server_now(self) -> datetime:
        """Our best idea of the server's clock (from its last Date header; else ours)."""
        return self._base.server_now()

    async def aclose(self) -> None:
        await self._base.aclose()

    async def __aenter__(self) -> VdmClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        key = "ApiKey('****')" if self.has_api_key else "None"
        return f"VdmClient({self.base_url!r}, api_key={key})"
