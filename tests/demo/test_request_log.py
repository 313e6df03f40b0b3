"""The simulator's request log stays bounded over a long evening: it keeps the most recent
``REQUEST_LOG_LIMIT`` requests (a demo app or the endurance benchmark runs for hours)."""
from __future__ import annotations

import httpx

from boxoffice.demo import SimulatorServer
from boxoffice.demo import server as sim_server


def test_the_request_log_keeps_only_the_most_recent_requests(monkeypatch):
    monkeypatch.setattr(sim_server, "REQUEST_LOG_LIMIT", 5)
    with SimulatorServer(seed=1) as sim, httpx.Client(base_url=sim.client_url, timeout=10) as api:
        for n in range(8):
            assert api.get(f"/events/upcoming?n={n}").status_code == 200
            assert api.post("/cart/").status_code == 201
        log = sim.requests()
        assert len(log) == 5
        # the newest five, oldest first: the last requests made are the last entries
        assert [r.method for r in log] == ["POST", "GET", "POST", "GET", "POST"]
        sim.clear_requests()
        assert sim.requests() == []
        api.post("/cart/")
        assert [r.method for r in sim.requests()] == ["POST"]
