"""The JSON report's serializer writes exactly what `json.dumps(indent=2, ensure_ascii=False)` does."""

from __future__ import annotations

import enum
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.reporters.indented import dumps_indented

_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
            | st.text())
_keys = st.text() | st.integers() | st.floats() | st.booleans() | st.none()
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner)
                       | st.dictionaries(_keys, inner, max_size=5), max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(_values)
def test_equals_json_dumps(value: Any) -> None:
    for indent in (2, 0, 4):
        assert dumps_indented(value, indent) == json.dumps(value, indent=indent, ensure_ascii=False)


class _Level(enum.IntEnum):
    HIGH = 3


class _Kind(str, enum.Enum):
    SECRET = "secret"


@pytest.mark.parametrize("value", [
    {"a": [], "b": {}, "c": [[]], "d": [{}], "é": "\u2028\x00\"\\\n", "f": (1, 2.5), "g": -0.0},
    [math.inf, -math.inf, math.nan, 10**30, True, False, None, _Level.HIGH, _Kind.SECRET],
    {_Kind.SECRET: _Level.HIGH, 1.5: "x", None: "y", True: "z", 7: "w"},
    "plain", 3, None,
])
def test_equals_json_dumps_on_edge_values(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_what_json_rejects_it_rejects_alike() -> None:
    shared: list[Any] = [1]
    assert dumps_indented({"a": shared, "b": shared}) == json.dumps({"a": shared, "b": shared}, indent=2)
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented(loop)
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps_indented({"a": {1, 2}})
    with pytest.raises(TypeError, match="keys must be"):
        dumps_indented({(1, 2): "x"})
