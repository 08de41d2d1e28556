"""The faster parsers and builders give exactly what the code before them gave (kept as oracles).

tests/parsing/oracle/ holds the modules as they were at a04763e (before the per-object work of issue
16). Each fast path is compared with its oracle on generated documents, on edge cases, and on the
fuzz seeds and their mutations: same tree (repr: kinds, positions, values, quoting, entry order),
same error message, same comments, same servers and values.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.errors import ParseError
from scanner.parsing import jsonc, yaml_tree
from tests.fuzz.seeds import mutate, seeds
from tests.parsing.oracle import jsonc as old_jsonc
from tests.parsing.oracle import yaml_tree as old_yaml


def _outcome(parse: Callable[[str], object], text: str) -> str:
    try:
        return repr(parse(text))
    except ParseError as exc:
        return f"ParseError: {exc}"
    except RecursionError:
        return "RecursionError"


def _seed_texts(count: int = 12) -> list[str]:
    rng = random.Random(1604)
    texts = [data.decode("utf-8", "replace") for _, files in seeds() for data in files.values()]
    for text in list(texts):
        texts.extend(mutate(text.encode(), rng).decode("utf-8", "replace") for _ in range(count))
    return texts


_SEED_TEXTS = _seed_texts()

_TEXT = st.text(
    alphabet=st.sampled_from(["a", "Z", "0", " ", '"', "'", "\\", "/", "*", "#", "-", ":", "&", "*",
                              "!", "<", "\t", "\n", "\u00e9", "\U0001f600", "{", "}", "[", "]", ",",
                              "$", "="])
    | st.characters(codec="utf-8"),
    max_size=10,
)
_SCALARS = (st.none() | st.booleans() | st.integers(-(10**20), 10**20)
            | st.floats(allow_nan=False) | _TEXT
            | st.sampled_from(["yes", "No", "~", "0x1F", "1_000", "2001-12-14", ".inf", "<<", "12:30"]))
_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_TEXT, children, max_size=4),
    max_leaves=30,
)


# --- YAML ---------------------------------------------------------------------------------------

def _yaml_same(text: str) -> None:
    assert _outcome(yaml_tree.parse_yaml, text) == _outcome(old_yaml.parse_yaml, text), text[:200]
    assert (_outcome(yaml_tree.parse_front_matter, "---\n" + text + "\n---\n")
            == _outcome(old_yaml.parse_front_matter, "---\n" + text + "\n---\n"))


@settings(max_examples=200, deadline=None)
@given(value=_VALUES, flow=st.sampled_from([None, True, False]), width=st.sampled_from([20, 80, 1000]),
       canonical=st.booleans())
def test_yaml_generated_documents(value: Any, flow: bool | None, width: int, canonical: bool) -> None:
    _yaml_same(yaml.safe_dump(value, default_flow_style=flow, width=width, canonical=canonical,
                              allow_unicode=True))


@pytest.mark.parametrize("text", [
    "base: &b {x: 1, y: [a, b]}\nuse:\n  <<: *b\n  y: z\nall: [*b, *b]\n",
    "- &a [1, 2]\n- <<: [*a]\n",
    "a: &s str\nb: *s\n*s : key-alias\n",
    "? [complex]\n: value\n",
    "!!int 12: x\n!!bool maybe: y\n!custom 1: z\n'quoted': \"q\"\n1.5: f\nnull: n\ntrue: t\n",
    "<<: {a: 1}\n<<: [{b: 2}, {c: 3}]\nd: 4\n",
    "<<: 5\n",
    "a: *missing\n",
    "x: !!binary aGVsbG8=\nt: 2001-12-14t21:59:43.10-05:00\n",
    "first: 1\n---\nsecond: 2\n",
    "",
    "# only a comment\n",
    "plain\n",
    "&top [a, b]\n",
    "- " * 210 + "x\n",
    "a: [" * 150 + "]" * 150 + "\n",
    "k: 'unterminated\n",
    "k:\tv\n  - broken\n",
    "env:\n  A: 1\n  B: yes\n  C: ~\n  D: ''\n",
    # Alias expansion at and just past its bound (an anchored list of 999 scalars counts 1,000).
    "a: &a [" + ", ".join(["x"] * 999) + "]\nb: [" + ", ".join(["*a"] * 100) + "]\n",
    "a: &a [" + ", ".join(["x"] * 999) + "]\nb: [" + ", ".join(["*a"] * 101) + "]\n",
    "a: &a [" + ", ".join(["x"] * 998) + ", &s y]\nb: [" + ", ".join(["*a"] * 100) + ", *s]\n",
])
def test_yaml_edge_documents(text: str) -> None:
    _yaml_same(text)


def test_yaml_fuzz_seeds_and_mutations() -> None:
    for text in _SEED_TEXTS:
        _yaml_same(text)


# --- JSONC comments -------------------------------------------------------------------------------

def _comments_same(text: str) -> None:
    assert jsonc.jsonc_comments(text) == old_jsonc.jsonc_comments(text), text[:200]


@settings(max_examples=300, deadline=None)
@given(value=_VALUES, indent=st.sampled_from([None, 0, 2]), ascii_only=st.booleans(),
       seed=st.integers(0, 2**16), op=st.integers(0, 6))
def test_jsonc_comments_generated(value: Any, indent: int | None, ascii_only: bool, seed: int,
                                  op: int) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    at = random.Random(seed).randrange(len(text) + 1)
    edits = [text, text[:at] + "// c\n" + text[at:], text[:at] + "/* c */" + text[at:],
             text[:at] + "/" + text[at:], text[:at] + '"' + text[at:], "\ufeff" + text,
             text[:at] + "\\" + text[at:]]
    _comments_same(edits[op])


@pytest.mark.parametrize("text", [
    '{"u": "http://x/*y*/", "v": "//no"}',
    '{"u": "a\\"//b"}',
    '{"a": 1} // after\r\n',
    '{"a": "\\\\"}//x',
    "[" * 300 + "]" * 300 + "//deep",
    "[" * 3000 + "]" * 3000,
    '["' + "1" * 5000 + '", /* c */ 1]',
    "[" + "1" * 5000 + "]",
    '"\\ud800"',
    '/* unterminated',
    "",
])
def test_jsonc_comments_edges(text: str) -> None:
    _comments_same(text)


def test_jsonc_comments_fuzz_seeds_and_mutations() -> None:
    for text in _SEED_TEXTS:
        _comments_same(text)
