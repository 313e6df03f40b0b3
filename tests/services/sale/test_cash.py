"""Change due and quick amounts: exact Decimal arithmetic a cashier can trust."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boxoffice.domain.cash import change_due, quick_amounts, round_up_to
from boxoffice.domain.money import amount_due, surcharge, to_money, total


def test_change_for_a_fifty():
    c = change_due(D("36.50"), D("50"))
    assert c.change == D("13.50") and c.short == D("0.00") and c.enough


def test_exact_amount_gives_no_change():
    c = change_due(D("24.50"), D("24.50"))
    assert c.change == D("0.00") and c.enough


def test_too_little_is_reported_as_short():
    c = change_due(D("24.50"), D("20"))
    assert not c.enough and c.short == D("4.50") and c.change == D("0.00")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        change_due(D("1.00"), 2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_money(0.1)


def test_no_float_drift_in_totals():
    assert total([D("0.10")] * 3) == D("0.30")
    assert amount_due(D("49.00"), D("1.50")) == D("50.50")
    assert surcharge(None) == D("0.00")


def test_quick_amounts_make_sense_for_the_total():
    assert quick_amounts(D("23.50")) == [D("23.50"), D("25.00"), D("30.00"), D("40.00"),
                                         D("50.00")]
    assert quick_amounts(D("7.00")) == [D("7.00"), D("10.00"), D("20.00"), D("50.00")]
    assert quick_amounts(D("20.00")) == [D("20.00"), D("50.00")]
    assert quick_amounts(D("50.00"))[0] == D("50.00")
    assert D("50.00") not in quick_amounts(D("50.00"))[1:]


@given(st.decimals(min_value=D("0.01"), max_value=D("9999"), places=2))
def test_quick_amounts_always_cover_the_total(due):
    amounts = quick_amounts(due)
    assert amounts[0] == due
    assert all(a >= due for a in amounts)
    assert amounts == sorted(set(amounts))


@given(st.decimals(min_value=D("0"), max_value=D("9999"), places=2),
       st.decimals(min_value=D("0"), max_value=D("9999"), places=2))
def test_change_plus_due_is_tendered(due, tendered):
    c = change_due(due, tendered)
    assert c.due + c.change - c.short == c.tendered


def test_round_up():
    assert round_up_to(D("23.01"), D(5)) == D("25.00")
    assert round_up_to(D("25.00"), D(5)) == D("25.00")
