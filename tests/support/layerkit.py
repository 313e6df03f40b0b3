"""The seat layer's colour buckets, as built and as the seats say."""
from __future__ import annotations

from boxoffice.ui.seating import seat_layer as sl
from boxoffice.ui.seating.seat_layer import SeatLayer


def buckets(layer: SeatLayer) -> list[dict[int, list[tuple[float, float]]]]:
    """What the layer built: per tile, per colour key, the polygon's points."""
    return [{g: [(p.x(), p.y()) for p in poly] for g, poly in tile.items()}
            for tile in layer._tile_polys]


def expected_buckets(layer: SeatLayer) -> list[dict[int, list[tuple[float, float]]]]:
    """Ground truth from the layout arrays, seat by seat: per tile, per key the centres in hall order."""
    lay, out = layer.layout, []
    for a, b in zip(layer._tile_start, layer._tile_end):
        tile: dict[int, list[tuple[float, float]]] = {}
        for i in range(a, b):
            g = sl.UNAVAILABLE_KEY if not lay.available[i] else layer.rank_slot[lay.rank_ids[i]]
            tile.setdefault(g, []).append((lay.xs[i], lay.ys[i]))
        out.append(tile)
    return out
