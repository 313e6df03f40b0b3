"""Picking free seats from a seating plan (``boxoffice.api.models`` plan: sections > rows > seats)."""
from __future__ import annotations


def free_seats(plan, n: int, *, same_rank: bool = True) -> list[str]:
    """*n* available seat ids next to each other in one row (the first row that has them); with
    *same_rank* (the default) they are also of one rank (price band)."""
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
