"""Helpers for the order desk tests: new online orders in the simulator where seats are free."""
from __future__ import annotations


def add_orders(sim, count: int) -> list[int]:
    """``count`` new paid online orders on the arena performance (20,000 seats: never full)."""
    return sim.add_online_orders(count, event_id=sim.catalog.find("arena").event_id)
