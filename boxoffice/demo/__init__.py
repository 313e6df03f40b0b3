"""The VdM simulator: a stateful, seeded stand-in for the VoordeMensen API on loopback.

    from boxoffice.demo import SimulatorServer
    with SimulatorServer(seed=1) as sim:
        sim.base_url, sim.client_name, sim.api_key        # API root, client, peppered key
        sim.catalog.find("seated" | "ga" | "soldout" | "nosal" | ...)  # demo performances
        sim.faults.inject("drop_after", method="POST", path="/order/create")
        sim.advance_clock(901); sim.settle(order_key, "paid"); sim.state.holds(event_id)
        # the venue's online orders (channel "www"; the seed's sold seats belong to them):
        ids = sim.add_online_orders(3, event_id=None)   # new paid orders, changed now
        sim.set_order_status(ids[0], "cancel")           # seats -> deletedSeats, free again
        sim.online_orders()                               # export-shaped dicts, by orderId
    SimulatorServer(order_volume=100_000)   # about that many orders (past performances added)
    # (`python -m boxoffice demo-server --order-volume N`)

Modules: simulator (SimulatorServer), server (h11 HTTP), app (routing), public / peppered /
pages (response shapes), state (seats, carts, orders), online (the seeded online orders and
their hooks), seed + halls + catalog (demo data),
faults, clock, ids, pdf, behaviour (every undocumented choice), cli (standalone runner).
Imports nothing of boxoffice outside ``boxoffice.demo``: an independent ground truth for the client.
"""
from __future__ import annotations

from .faults import KINDS as FAULT_KINDS
from .faults import FaultSettings
from .simulator import SimulatorServer

__all__ = ["FAULT_KINDS", "FaultSettings", "SimulatorServer"]
