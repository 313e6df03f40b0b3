"""Identifier formats: reversible 10-char seat ids, cart ids, order keys, random item ids."""
from __future__ import annotations

import random

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BASE = len(ALPHABET)
_MOD = _BASE ** 10
# A multiplier coprime to 62 makes n -> (n * A + B) mod 62**10 a bijection (a cheap scramble).
_MULT = 0x2545F4914F6CDD1D % _MOD | 1
while _MULT % 31 == 0:
    _MULT += 2
_INV = pow(_MULT, -1, _MOD)
_SLOTS = 1_000_000  # seat indexes per performance (capacity must stay below this)


_PAIRS = [a + b for a in ALPHABET for b in ALPHABET]  # two digits at a time (seeds are big)


def _b62(n: int, width: int) -> str:
    out = []
    for _ in range(width // 2):
        n, r = divmod(n, _BASE * _BASE)
        out.append(_PAIRS[r])
    if width % 2:
        n, r = divmod(n, _BASE)
        out.append(ALPHABET[r])
    return "".join(reversed(out))


def _unb62(s: str) -> int:
    n = 0
    for ch in s:
        i = ALPHABET.find(ch)
        if i < 0:
            raise ValueError(s)
        n = n * _BASE + i
    return n


class SeatIdCodec:
    """Maps (performance id, seat index) <-> a 10-character seat id, without any table."""

    def __init__(self, seed: int) -> None:
        self._salt = random.Random(f"seat-ids:{seed}").randrange(_MOD)

    def encode(self, event_id: int, index: int) -> str:
        n = event_id * _SLOTS + index
        return _b62((n * _MULT + self._salt) % _MOD, 10)

    def decode(self, seat_id: str) -> tuple[int, int] | None:
        if not isinstance(seat_id, str) or len(seat_id) != 10:
            return None
        try:
            m = _unb62(seat_id)
        except ValueError:
            return None
        n = ((m - self._salt) * _INV) % _MOD
        return divmod(n, _SLOTS)


def random_token(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(length))


def order_key(rng: random.Random) -> str:
    return "-".join(random_token(rng, 5) for _ in range(4))
