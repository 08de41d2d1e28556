"""Every parser either returns a tree or raises ParseError, whatever the input."""

from __future__ import annotations

import tomllib
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.errors import ParseError
from scanner.parsing import parse_dotenv, parse_front_matter, parse_jsonc, parse_toml, parse_xml, parse_yaml
from scanner.parsing.node import NodeKind, PNode
from tests.parsing.helpers import source_at, toml_actual, toml_expected, walk

# Syntax-heavy alphabets reach far more parser states than arbitrary unicode.
_JSON_CHARS = st.sampled_from(
    list('{}[]:,"\\/*\n\r\t -01eE.truefalsn') + ["//", "/*", "*/", '"a"', "é", "🙂"]
)
_YAML_CHARS = st.sampled_from(list("{}[]:,-?&*!|>'\"#\n \t%@`") + ["<<", "a", "1", "~", "---", "...", "é"])
_TOML_CHARS = st.sampled_from(
    list("[]{}=,.\"'#\n \t-:_\\") + ['"""', "'''", "a", "1", "true", "1979-05-27", " 07:32:00"]
)


def _sentences(chars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(chars, max_size=60).map("".join)


def _tree_or_parse_error(parse: Callable[[str], PNode | None], text: str) -> None:
    try:
        parse(text)
    except ParseError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=300, deadline=None)
@given(text=_sentences(_JSON_CHARS))
def test_parse_jsonc_never_crashes(text: str) -> None:
    _tree_or_parse_error(parse_jsonc, text)


@settings(max_examples=300, deadline=None)
@given(text=_sentences(_YAML_CHARS) | st.text(max_size=40))
def test_parse_yaml_never_crashes(text: str) -> None:
    _tree_or_parse_error(parse_yaml, text)
    _tree_or_parse_error(parse_front_matter, "---\n" + text + "\n---\n")


@settings(max_examples=400, deadline=None)
@given(text=_sentences(_TOML_CHARS) | st.text(max_size=40))
def test_parse_toml_never_crashes(text: str) -> None:
    _tree_or_parse_error(parse_toml, text)


_XML_CHARS = st.sampled_from(
    list("<>/=\"' \n\t&;!?-[]") + ["<a", "</a>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#x41;",
                                      "<!DOCTYPE a>", "<?xml version='1.0'?>", 'name="v"', "é", "🙂"]
)


@settings(max_examples=300, deadline=None)
@given(text=_sentences(_XML_CHARS) | st.text(max_size=40))
def test_parse_xml_never_crashes(text: str) -> None:
    _tree_or_parse_error(parse_xml, text)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=80))
def test_parse_dotenv_never_crashes(text: str) -> None:
    parse_dotenv(text)


@pytest.mark.parametrize(
    "text",
    [
        "a = 1979-05-27\nb = 07:32:00\nc = 1979-05-27T07:32:00.999-07:00\nd = [1979-05-27 07:32:00 , 2]",
        "a = inf\nb = -nan\nc = 0xdead_beef\nd = 1_000\ne = +1.5e-3",
        'a = """\\\n  folded \\""" x """""\nb = \'\'\'x\'\'\'\'\'\n',
        '"a.b" . c = 1\n[ x . "y z" ]\n[[ arr ]]\n[[arr]]\nk = {}',
        "a = [ [ ], [ { } ], { x = [ ] } ]",
        "k = 'v'",
    ],
)
def test_parse_toml_edge_syntax(text: str) -> None:
    root = parse_toml(text)
    assert toml_actual(root) == toml_expected(text)
    for node in walk(root):
        if node.kind is NodeKind.STRING and node.quoted:
            assert tomllib.loads(f"x = {source_at(text, node)}")["x"] == node.value
