"""C-level packing of hall-sized arrays: ints and flags straight into preallocated arrays, rank
bytes. The bulk paths give the very bytes the plain ``array`` code gives (tests/domain/test_layout_fast_paths.py)."""
from __future__ import annotations

import struct
import sys
from array import array
from operator import truth
from typing import Any


def _low_bytes(values: Any) -> bytes | None:
    """The values of an integer ``array`` as bytes (one per item) when all are 0..255, else None.

    C-level: the low byte of every item by a strided slice of the raw buffer; the items all fit
    when widening those bytes back gives the same buffer (all higher bytes zero: no negatives)."""
    if not isinstance(values, array) or values.typecode not in "BhHiIlLqQ":
        return None
    size = values.itemsize
    raw = values.tobytes()
    at = 0 if sys.byteorder == "little" else size - 1
    low = raw[at::size]
    if size > 1:
        wide = bytearray(len(raw))
        wide[at::size] = low
        if wide != raw:
            return None
    return low


def _distinct(data: bytes) -> set[int]:
    """``set(data)`` in one C-level pass per distinct value (a hall has a handful of ranks)."""
    out: set[int] = set()
    while data:
        v = data[0]
        out.add(v)
        data = data.translate(None, bytes((v,)))
    return out


_TRUTH = b"\x00" + b"\x01" * 255   # bytes.translate table: byte value → its truth (0/1)
_LONG = array("l").itemsize


def _packed_longs(values: list[int]) -> bytes:
    """The memory of ``array("l", values)`` (``struct`` in one C call; ``array`` for values it refuses,
    so bad input fails as ``array`` fails)."""
    try:
        return struct.pack(f"{len(values)}l", *values)
    except struct.error:
        return array("l", values).tobytes()


def _put(arr: array, start: int, values: list[Any]) -> None:
    """``arr[start:start + len(values)] = values`` in a preallocated array: ``struct`` packs the list
    straight into the array's memory in one C call (the same bytes ``array`` would store); values
    ``struct`` refuses go through ``array``, so bad input fails as ``array`` fails."""
    if values:
        try:
            struct.pack_into(f"{len(values)}{arr.typecode}", arr, start * arr.itemsize, *values)
        except struct.error:
            arr[start:start + len(values)] = array(arr.typecode, values)


def _flags(values: list[Any]) -> bytearray:
    """``bytearray(map(truth, values))``: for bools / small ints in one C pass (bytes of the values,
    then every non-zero byte to 1), else item by item."""
    try:
        return bytearray(values).translate(_TRUTH)
    except (TypeError, ValueError):   # not small integers (None, floats, big numbers ...)
        return bytearray(map(truth, values))


def _repeated(value: int, count: int) -> bytes:
    """The memory of ``array("l", [value]) * count``."""
    return value.to_bytes(_LONG, sys.byteorder, signed=True) * count
