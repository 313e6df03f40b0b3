"""boxoffice.api: the async, Qt-free VoordeMensen API client.

Layers (openai-python/githubkit style): ``base`` (one httpx.AsyncClient, error mapping, retries for
reads) under ``public`` and ``peppered`` resource groups, typed DTOs in ``models``, the exception tree
in ``errors``, write reconciliation in ``reconcile``, date parsing in ``dates``, the key wrapper in
``secrets`` and URL safety in ``urls``.
"""
from __future__ import annotations

from . import errors, models
from .client import VdmClient
from .retry import RetryPolicy
from .secrets import ApiKey
from .urls import is_loopback

__all__ = ["VdmClient", "ApiKey", "RetryPolicy", "errors", "models", "is_loopback"]
