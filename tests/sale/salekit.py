"""Helpers shared by the sale tests (imported by path: pytest runs in importlib mode)."""
from __future__ import annotations

from boxoffice.api import ApiKey, RetryPolicy, VdmClient
from boxoffice.services.sale import PerformanceInfo


def make_client(sim, *, key: bool = True, timeout: float = 3.0) -> VdmClient:
    return VdmClient(sim.base_url, sim.client_name, ApiKey(sim.api_key) if key else None,
                     timeout=timeout,
                     retry=RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05))


def perf_info(sim, perf) -> PerformanceInfo:
    prod = sim.catalog.production_of(perf)
    return PerformanceInfo(perf.event_id, prod.name, perf.start)


def free_seats(plan, n: int, *, same_rank: bool = True) -> list[str]:
    """n available seat ids next to each other in one row (first row that has them)."""
    for _section, row, _seat in plan.seats():
        pass
    for section in plan.sections:
        for row in section.rows:
            run: list = []
            for seat in row.seats:
                if seat.available and (not run or not same_rank or seat.rank_id == run[0].rank_id):
                    run.append(seat)
                    if len(run) == n:
                        return [s.seat_id for s in run]
                else:
                    run = [seat] if seat.available else []
    raise LookupError("no free seats")


def method_id(sim, name: str) -> int:
    return next(m.payment_id for m in sim.catalog.payment_methods.values() if m.name == name)


def api_requests(sim, method: str | None = None, suffix: str | None = None) -> list:
    out = []
    for r in sim.requests():
        if "/_sim" in r.path:
            continue
        if method and r.method != method:
            continue
        if suffix and not r.path.endswith(suffix):
            continue
        out.append(r)
    return out
