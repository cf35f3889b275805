"""The report's JSON writer writes exactly what ``json.dumps(..., ensure_ascii=False, indent=2)`` writes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from crmkg.validation.formats.json_text import dumps_indented

VALUES: list[Any] = [
    {},
    [],
    "",
    None,
    True,
    0,
    -7,
    2**70,
    1.5,
    -0.0,
    1e300,
    {"a": {}, "b": [], "c": [[]], "d": {"e": {}}},
    {"text": 'ä "quoted" \\ back\nnew\tline \x01 \u2028 𝄞', "n": None, "t": True, "f": False},
    [1, "two", 3.0, [4, {"five": (6, 7)}], {"eight": [9]}],
    {"results": [{"focusNode": {"type": "uri", "value": "https://example.org/a"}, "location": None}]},
]


@pytest.mark.parametrize("value", VALUES)
def test_same_text_as_json_dumps(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("value", [{1: "int key"}, {"x": float("nan")}, [float("inf")], {"nested": {None: 1}}])
def test_unusual_values_are_left_to_json_dumps(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_what_json_cannot_write_is_refused_as_json_refuses_it() -> None:
    with pytest.raises(TypeError):
        dumps_indented({"a": {1, 2}})
