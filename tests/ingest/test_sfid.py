"""15- and 18-character Salesforce ids normalise to one form, so they mint one IRI."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmkg.ingest.sfid import InvalidSalesforceId, to_id18

ID15 = st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=15, max_size=15)


def test_known_suffix() -> None:
    # the check suffix as Salesforce's CASESAFEID() gives it for this id
    assert to_id18("0015000000VALDt") == "0015000000VALDtAAP"


@given(ID15)
def test_15_and_18_forms_agree(id15: str) -> None:
    id18 = to_id18(id15)
    assert id18[:15] == id15
    assert len(id18) == 18
    assert to_id18(id18) == id18


@given(ID15)
def test_case_lost_in_a_spreadsheet_is_restored_from_the_suffix(id15: str) -> None:
    id18 = to_id18(id15)
    assert to_id18(id18.lower()) == id18
    assert to_id18(id18.upper()) == id18


@pytest.mark.parametrize(
    "bad", ["", "001", "001A000001XyZa", "001A000001XyZab!", "001A000001XyZabIA9", "001A000001XyZab12345"]
)
def test_invalid_ids_are_rejected(bad: str) -> None:
    with pytest.raises(InvalidSalesforceId):
        to_id18(bad)
