"""parse_toml: tomllib values, exact positions for every string, depth bound and errors."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.errors import ParseError
from scanner.parsing import parse_toml
from scanner.parsing.node import NodeKind, PNode
from tests.fakes import assert_no_secret, fake_token
from tests.parsing.helpers import source_at, to_python, walk

CODEX = """\
# ~/.codex/config.toml
model = "o3"  # trailing comment

[mcp_servers.github]
command = "npx"
args = [
  "-y",  # first
  '@modelcontextprotocol/server-github',
  \"\"\"multi
line\"\"\",
  '''lit
eral''',
]
env = { "GITHUB_TOKEN" = "🔑 ${GH}", 'B' = 'lit', nested.key = "n" }
enabled = true
startup_timeout_sec = 20
when = 1979-05-27 07:32:00Z
a.b."c d" = "dotted"

[[profiles]]
name = "one"
[[profiles]]
name = "two"
tags = ["x", ["y", "z"]]
"""


def _get(node: PNode, *path: str | int) -> PNode:
    for step in path:
        found = node.items[step] if isinstance(step, int) else node.get(step)
        assert found is not None, step
        node = found
    return node


def _decodes_to(token: str, value: object) -> bool:
    """A string token, read on its own by tomllib, gives the node's value."""
    return tomllib.loads(f"x = {token}")["x"] == value


def test_parse_toml_values_match_tomllib() -> None:
    root = parse_toml(CODEX)
    expected = tomllib.loads(CODEX)
    expected["mcp_servers"]["github"]["when"] = expected["mcp_servers"]["github"]["when"].isoformat()
    assert to_python(root) == expected


def test_parse_toml_every_string_points_at_its_token() -> None:
    root = parse_toml(CODEX)
    strings = [n for n in walk(root) if n.kind is NodeKind.STRING and n.quoted]
    assert len(strings) > 15
    for node in strings:
        assert _decodes_to(source_at(CODEX, node), node.value) or source_at(CODEX, node) == node.value


def test_parse_toml_positions() -> None:
    root = parse_toml(CODEX)
    github = _get(root, "mcp_servers", "github")
    assert (github.line, github.column) == (4, 1)
    assert [(i.line, i.column) for i in _get(github, "args").items] == [(7, 3), (8, 3), (9, 3), (11, 3)]
    assert _get(github, "args", 2).end_line == 10
    token = _get(github, "env", "GITHUB_TOKEN")
    assert (token.line, token.column, token.value) == (14, 26, "🔑 ${GH}")
    assert (_get(github, "env", "B").line, _get(github, "env", "B").column) == (14, 43)
    assert (_get(github, "env", "nested", "key").column) == (63)
    timeout = _get(github, "startup_timeout_sec")
    assert (timeout.kind, timeout.value, timeout.line, timeout.column, timeout.quoted) == (
        NodeKind.NUMBER,
        20,
        16,
        23,
        False,
    )
    assert (_get(github, "enabled").kind, _get(github, "enabled").line) == (NodeKind.BOOL, 15)
    when = _get(github, "when")
    assert (when.kind, when.quoted, source_at(CODEX, when)) == (
        NodeKind.STRING,
        False,
        "1979-05-27 07:32:00Z",
    )
    dotted = _get(github, "a", "b", "c d")
    assert (dotted.line, dotted.column) == (18, 13)
    key = [k for k, _ in _get(github, "a", "b").entries][0]
    assert (key.value, key.column, key.quoted) == ("c d", 5, True)
    profiles = _get(root, "profiles")
    assert [(t.line, _get(t, "name").line) for t in profiles.items] == [(20, 21), (22, 23)]
    assert (_get(profiles, 1, "tags", 1, 0).line, _get(profiles, 1, "tags", 1, 0).column) == (24, 15)


def test_parse_toml_crlf() -> None:
    text = '[mcp_servers.x]\r\ncommand = "a"\r\nargs = [\r\n  "b",\r\n]\r\n'
    root = parse_toml(text)
    assert (
        _get(root, "mcp_servers", "x", "args", 0).line,
        _get(root, "mcp_servers", "x", "args", 0).column,
    ) == (4, 3)


def test_parse_toml_table_defined_after_its_subtable() -> None:
    root = parse_toml('[a.b]\nx = "1"\n[a]\ny = "2"\n')
    assert (_get(root, "a").line, _get(root, "a", "y").line) == (3, 4)
    key = root.entries[0][0]
    assert (key.value, key.line, key.column) == ("a", 3, 2)
    assert to_python(root) == {"a": {"b": {"x": "1"}, "y": "2"}}


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 10_000 + "]" * 10_000,
        "a = " + "[" * 10_000,
        "a = " + "{b = " * 10_000,
        ".".join(["k"] * 10_000) + " = 1",
        ".".join(['"k"'] * 10_000) + " = 1",  # tomllib is quadratic in key parts: must stop early
        "[" + ".".join(["k"] * 10_000) + "]",
    ],
)
def test_parse_toml_deep_nesting_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match="^nesting deeper than 200 levels$"):
        parse_toml(text)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ('a = "@@S@@', 1, "unterminated string"),
        ("a = @@S@@", 1, "invalid value"),
        ('a = "x"\na = "@@S@@"', 2, "cannot overwrite a value"),
        ('[t]\n[t]\nk = "@@S@@"', 2, "cannot declare (duplicate or conflicting key)"),
        ('[t]\n[t."@@S@@"]\n[t."@@S@@"]', 3, "cannot declare (duplicate or conflicting key)"),
        ('a = ["@@S@@"', 1, "unclosed array"),
        ('"@@S@@" "x"', 1, "expected '=' after a key in a key/value pair"),
        ('a = "x"\n\n[b\nc = "@@S@@"', 3, "expected ']' at the end of a table declaration"),
    ],
)
def test_parse_toml_rejects_without_leaking(text: str, line: int, problem: str) -> None:
    secret = fake_token("xoxb-", 43, seed=3)
    with pytest.raises(ParseError) as info:
        parse_toml(text.replace("@@S@@", secret))
    message = str(info.value)
    assert message.startswith(f"invalid TOML at {line}:") and message.endswith(f": {problem}"), message
    assert_no_secret(message, secret)


# Property: random documents in varied TOML styles parse to tomllib's values, and every string
# node's token decodes (on its own) to that node's value.
_scalars = st.text(max_size=8) | st.integers(-(10**6), 10**6) | st.booleans()
_keys = st.text(min_size=1, max_size=6)


def _basic_string(value: str) -> str:
    escaped = (
        f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else "\\" + c if c in '"\\' else c
        for c in value
    )
    return '"' + "".join(escaped) + '"'


def _emit_value(value: Any, style: int) -> str:
    if isinstance(value, str):
        if style % 3 == 1 and "'" not in value and "\n" not in value and value.isprintable():
            return f"'{value}'"
        return _basic_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list) and not value:
        return "[]"
    if isinstance(value, list):
        sep = ",\n  # note\n  " if style % 2 else ", "
        return "[" + sep.join(_emit_value(v, style + 1) for v in value) + (",\n]" if style % 2 else "]")
    return "{" + ", ".join(f"{_basic_string(k)} = {_emit_value(v, style)}" for k, v in value.items()) + "}"


_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(
    tables=st.dictionaries(_keys, st.dictionaries(_keys, _values, max_size=4), max_size=3),
    style=st.integers(0, 5),
)
def test_parse_toml_property(tables: dict[str, dict[str, Any]], style: int) -> None:
    text = "".join(
        f"[{_basic_string(name)}]\n"
        + "".join(f"{_basic_string(k)} = {_emit_value(v, style)}\n" for k, v in body.items())
        for name, body in tables.items()
    )
    root = parse_toml(text)
    assert to_python(root) == tomllib.loads(text)
    for node in walk(root):
        if node.kind is NodeKind.STRING and node.quoted:
            assert _decodes_to(source_at(text, node), node.value)
