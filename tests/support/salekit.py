"""Sale-test helpers over the simulator: a fast-retrying client, performance info, payment method
ids and the request log (``free_seats`` lives in :mod:`tests.support.seats`)."""
from __future__ import annotations

from boxoffice.api import ApiKey, RetryPolicy, VdmClient
from boxoffice.services.sale import PerformanceInfo
from tests.support.seats import free_seats

__all__ = ["api_requests", "free_seats", "make_client", "method_id", "perf_info"]


def make_client(sim, *, key: bool = True, timeout: float = 3.0, **kwargs) -> VdmClient:
    return VdmClient(sim.base_url, sim.client_name, ApiKey(sim.api_key) if key else None,
                     timeout=timeout,
                     retry=RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05), **kwargs)


def perf_info(sim, perf) -> PerformanceInfo:
    prod = sim.catalog.production_of(perf)
    return PerformanceInfo(perf.event_id, prod.name, perf.start)


def method_id(sim, name: str) -> int:
    return next(m.payment_id for m in sim.catalog.payment_methods.values() if m.name == name)


def api_requests(sim, method: str | None = None, suffix: str | None = None) -> list:
    """The simulator's log of API requests (its /_sim control calls left out), optionally only
    those of *method* and whose path ends with *suffix*."""
    return [r for r in sim.requests()
            if "/_sim" not in r.path and (method is None or r.method == method)
            and (suffix is None or r.path.endswith(suffix))]
