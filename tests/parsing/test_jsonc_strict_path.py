"""The strict-JSON fast path of parse_jsonc gives the tree `_Parser` gives, node for node.

`_strict_tree` builds the tree of a document the C `json` module accepts; `_Parser` is the tolerant
parser every other document (comments, trailing commas, a BOM, errors) goes through. Both are
compared on generated documents in many layouts, on mutations that are JSONC or broken, and on
the fuzz seeds.
"""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.errors import ParseError
from scanner.parsing import parse_jsonc
from scanner.parsing.jsonc import _Parser, _strict_tree
from scanner.parsing.node import PNode
from tests.fuzz.seeds import mutate, seeds


def _slow(text: str) -> PNode | str:
    try:
        return _Parser(text).parse()
    except ParseError as exc:
        return f"ParseError: {exc}"


def _fast(text: str) -> PNode | str | None:
    try:
        return _strict_tree(text)
    except ParseError as exc:
        return f"ParseError: {exc}"


def _public(text: str) -> PNode | str:
    try:
        return parse_jsonc(text)
    except ParseError as exc:
        return f"ParseError: {exc}"


def _same(text: str) -> bool:
    """True when the fast path declines or agrees with the slow parser (and parse_jsonc does)."""
    slow, fast, public = _slow(text), _fast(text), _public(text)
    if repr(public) != repr(slow) or public != slow and not _has_nan(text):
        return False
    return fast is None or repr(fast) == repr(slow)


def _has_nan(text: str) -> bool:
    return "NaN" in text  # NaN != NaN: compared through repr only


# Keys and strings that exercise escapes, surrogates (paired and lone), non-BMP characters, quotes,
# slashes that look like comments, and control characters (raw ones make json.loads decline).
_TEXT = st.text(
    alphabet=st.sampled_from(['a', 'Z', '0', ' ', '"', '\\', '/', '*', '\t', '\r', '\u00e9', '\u2028',
                              '\U0001f600', '\ud800', '\udfff', '{', '}', '[', ']', ',', ':', '\x7f'])
    | st.characters(),
    max_size=12,
)

class _Pairs(list[tuple[str, Any]]):
    """An object with its keys in order, duplicates kept."""


_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | _TEXT,
    # Objects as pair lists so duplicate keys occur.
    lambda children: st.lists(children, max_size=5)
    | st.lists(st.tuples(_TEXT | st.sampled_from(["a", "a", "mcpServers"]), children),
               max_size=5).map(_Pairs),
    max_leaves=40,
)


def _dump(value: Any, rng: random.Random, ascii_only: bool, depth: int = 0) -> str:
    """JSON text for `value` with random (valid) whitespace between tokens."""

    def gap() -> str:
        return rng.choice(["", "", " ", "\n", "\r\n", "\t", "  \n  ", "\n\n"])

    if isinstance(value, _Pairs):
        inner = ",".join(f"{gap()}{json.dumps(k, ensure_ascii=ascii_only)}{gap()}:{gap()}"
                         f"{_dump(v, rng, ascii_only, depth + 1)}{gap()}" for k, v in value)
        return "{" + inner + gap() + "}"
    if isinstance(value, list):
        items = (gap() + _dump(v, rng, ascii_only, depth + 1) + gap() for v in value)
        return "[" + ",".join(items) + gap() + "]"
    return json.dumps(value, ensure_ascii=ascii_only)


@settings(max_examples=300, deadline=None)
@given(value=_VALUES, seed=st.integers(0, 2**16), ascii_only=st.booleans())
def test_strict_path_matches_slow_parser(value: Any, seed: int, ascii_only: bool) -> None:
    rng = random.Random(seed)
    text = rng.choice(["", " ", "\n"]) + _dump(value, rng, ascii_only) + rng.choice(["", "\n", " \r\n"])
    assert _same(text)
    assert _fast(text) is not None  # strict JSON (escapes, blanks and all) takes the fast path


@settings(max_examples=300, deadline=None)
@given(value=_VALUES, seed=st.integers(0, 2**16), cut=st.integers(0, 10_000), op=st.integers(0, 7))
def test_jsonc_and_broken_documents_agree(value: Any, seed: int, cut: int, op: int) -> None:
    rng = random.Random(seed)
    text = _dump(value, rng, ascii_only=False)
    at = cut % (len(text) + 1)
    edits = [
        text[:at] + "// note\n" + text[at:],
        text[:at] + "/* c */" + text[at:],
        text[:at] + "," + text[at:],
        text[:at] + "\n" + text[at:],
        "\ufeff" + text,
        text[:at],
        text[:at] + '"' + text[at:],
        text[:at] + "\\" + text[at:],
    ]
    assert _same(edits[op])


@pytest.mark.parametrize("text", [
    '{"a": [1, 2.5, -0, 1e400, -1E-3, true, false, null, NaN, Infinity, -Infinity]}',
    '{"a": "x", "a": "y", "": ""}',
    '"\\ud800 lone \\udfff"',
    '"\U0001f600\U0001f600" ',
    "[" * 200 + "]" * 200,
    "[" * 201 + "]" * 201,
    '{"a":' * 300 + "1" + "}" * 300,
    "[" + "1" * 5000 + "]",  # past int()'s digit limit: json.loads declines, the slow path words it
    '["tab\there"]',
    '["cr\rhere"]',
    '["line\nbreak"]',
    "\ufeff{}",
    '{"u": "http://x/*y*/"}',
    "  7  ",
    '{"a": 1,}',
    "[1 2]",
])
def test_edge_documents_agree(text: str) -> None:
    assert _same(text)


def test_depth_error_is_the_slow_parsers() -> None:
    assert _fast("[" * 201 + "]" * 201) == "ParseError: nesting deeper than 200 levels"
    assert isinstance(_fast("[" * 200 + "]" * 200), PNode)


def test_nan_positions_and_kinds() -> None:
    fast = _strict_tree("[NaN, -Infinity]")
    assert fast is not None
    assert math.isnan(fast.items[0].value)  # type: ignore[arg-type]
    assert (fast.items[1].column, fast.items[1].end_column, fast.items[1].value) == (7, 16, float("-inf"))
    assert repr(fast) == repr(_Parser("[NaN, -Infinity]").parse())


def test_fuzz_seeds_and_their_mutations_agree() -> None:
    rng = random.Random(16)
    texts = [data.decode("utf-8", "replace") for _, files in seeds() for data in files.values()]
    for text in list(texts):
        texts.extend(mutate(text.encode(), rng).decode("utf-8", "replace") for _ in range(20))
    for text in texts:
        assert _same(text), text[:80]
