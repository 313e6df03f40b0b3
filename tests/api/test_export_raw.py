"""A large export read item by item from its bytes (RawArray): the same values as decoding it at
once, whatever piece boundaries fall inside names, numbers and multi-byte characters."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from boxoffice.api import errors
from boxoffice.api import peppered as pep_module
from boxoffice.api.models import peppered as p
from boxoffice.api.peppered import RawArray

ITEMS = [
    {"orderId": 1, "name": "Zoë Çelik", "amount": Decimal("49.00"), "n": 12345678901234},
    {"orderId": 2, "name": "Björn Åström 🎭", "amount": Decimal("0.5"), "list": [1, 2, "x"]},
    {"orderId": 3, "name": '"quoted" and \\ slashes', "amount": 7, "flag": True,
     "none": None},
]


def _body(items, **dump) -> bytes:
    text = json.dumps([{k: (float(v) if isinstance(v, Decimal) else v) for k, v in i.items()}
                       for i in items], ensure_ascii=False, **dump)
    return text.encode("utf-8")


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64, 1 << 20])
@pytest.mark.parametrize("indent", [None, 2])
def test_pieces_of_any_size_give_the_same_values(monkeypatch, chunk, indent):
    monkeypatch.setattr(pep_module, "_CHUNK", chunk)
    body = _body(ITEMS, indent=indent)
    got = list(RawArray("POST /x", body).values())
    assert got == json.loads(body, parse_float=Decimal)
    assert got[0]["amount"] == Decimal("49.0") and isinstance(got[0]["amount"], Decimal)


@pytest.mark.parametrize("body", [b"", b"  ", b"[]", b" [ ] "])
def test_an_empty_answer_has_no_items(body):
    assert list(RawArray("POST /x", body).values()) == []


def test_a_data_wrapper_is_unwrapped():
    assert [v["a"] for v in RawArray("POST /x", b'{"data": [{"a": 1}, {"a": 2}]}').values()] == [1, 2]


@pytest.mark.parametrize("body", [b'[{"a": 1}, {"a": 2', b'[{"a": 1} {"a": 2}]', b'[{"a": 1},',
                                  b'{"message": "nope"}', b'[{"a": "\xff\xfe"}]'])
def test_a_broken_answer_is_a_bad_response(monkeypatch, body):
    monkeypatch.setattr(pep_module, "_CHUNK", 3)
    with pytest.raises(errors.BadResponse):
        list(RawArray("POST /x", body).values())


def test_an_unreadable_order_is_left_out_and_counted():
    good = {"orderId": 5, "orderKey": "AAAAA-BBBBB-CCCCC-DDDDD", "amount": 10}
    bad = {"orderId": 6, "orderKey": None, "amount": "lots"}
    raw = RawArray("POST /peppered/export/orders", json.dumps([good, bad, good]).encode())
    got = list(raw.read(p.OrderExport))
    assert [o.order_id for o in got] == [5, 5]
    assert raw.skipped == 1
