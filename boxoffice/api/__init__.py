"""boxoffice.api: the async, Qt-free VoordeMensen API client.

Layers (openai-python/githubkit style): ``base`` (one httpx.AsyncClient, error mapping, retries for
reads) under ``public`` and ``peppered`` resource groups, typed DTOs in ``models``, the exception tree
in ``errors``, write reconciliation in ``reconcile``, date parsing in ``dates``, the key wrapper in
``secrets`` (also the one redactor) and URL safety in ``urls``; ``order_lookup`` decides whether
a lost order was made (shared by both groups, typed against protocols).
Layer: base. Imports nothing of boxoffice but ``boxoffice.domain.clock`` (the venue zone); no Qt.

The names below are loaded on first use (PEP 562): building the pydantic models costs a few hundred
milliseconds, and the desktop app paints its cached event list before it needs the client. Importing
a light submodule such as ``boxoffice.api.urls`` or ``boxoffice.api.secrets`` therefore stays cheap.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["VdmClient", "ApiKey", "RetryPolicy", "errors", "models", "is_loopback"]

_LAZY = {
    "VdmClient": ("client", "VdmClient"),
    "ApiKey": ("secrets", "ApiKey"),
    "RetryPolicy": ("retry", "RetryPolicy"),
    "is_loopback": ("urls", "is_loopback"),
    "errors": ("errors", None),
    "models": ("models", None),
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from . import errors, models
    from .client import VdmClient
    from .retry import RetryPolicy
    from .secrets import ApiKey
    from .urls import is_loopback


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    module = importlib.import_module(f".{module_name}", __name__)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
