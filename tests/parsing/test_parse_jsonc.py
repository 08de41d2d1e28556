"""parse_jsonc / jsonc_comments: values, exact positions, tolerance and errors."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.errors import ParseError
from scanner.parsing import decode_text, jsonc_comments, parse_jsonc
from scanner.parsing.node import NodeKind, PNode
from tests.fakes import assert_no_secret, fake_token
from tests.parsing.helpers import source_at, to_python, walk

PRETTY = """{
  // user-level servers
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github",],  /* trailing comma */
      "env": { "GITHUB_TOKEN": "${env:GH}", "🔑é": "v\\u00e9\\"q\\"" },
    },
  },
}
"""


def _key_node(node: PNode, key: str) -> PNode:
    for key_node, _ in node.entries:
        if key_node.value == key:
            return key_node
    raise AssertionError(key)


def _get(node: PNode, *path: str | int) -> PNode:
    for step in path:
        found = node.items[step] if isinstance(step, int) else node.get(step)
        assert found is not None, step
        node = found
    return node


def test_parse_jsonc_pretty_positions() -> None:
    root = parse_jsonc(PRETTY)
    assert (root.line, root.column, root.end_line, root.end_column) == (1, 1, 10, 2)
    servers = _get(root, "mcpServers")
    assert (servers.line, servers.column) == (3, 17)
    assert (_key_node(root, "mcpServers").line, _key_node(root, "mcpServers").column) == (3, 3)
    command = _get(servers, "github", "command")
    assert (command.kind, command.value, command.line, command.column) == (NodeKind.STRING, "npx", 5, 18)
    assert (command.end_line, command.end_column) == (5, 23)
    second_arg = _get(servers, "github", "args", 1)
    assert (second_arg.line, second_arg.column) == (6, 22)
    assert source_at(PRETTY, second_arg) == '"@modelcontextprotocol/server-github"'
    env = _get(servers, "github", "env")
    assert env.keys() == ["GITHUB_TOKEN", "🔑é"]
    token = _get(env, "GITHUB_TOKEN")
    assert (token.line, token.column) == (7, 32)
    # The emoji key sits before the value on the same line: columns count codepoints, not bytes.
    escaped = _get(env, "🔑é")
    assert escaped.value == 'vé"q"'
    assert (escaped.line, escaped.column) == (7, 51)
    assert source_at(PRETTY, escaped) == '"v\\u00e9\\"q\\""'


def test_parse_jsonc_minified_one_line() -> None:
    data = {"mcpServers": {"a": {"command": "x", "args": ["1", "2", "🙂", "3"], "env": {"K": "v"}}}}
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    root = parse_jsonc(text)
    assert to_python(root) == data
    for item in _get(root, "mcpServers", "a", "args").items:
        assert item.line == 1
        assert source_at(text, item) == json.dumps(item.value, ensure_ascii=False)
    value = _get(root, "mcpServers", "a", "env", "K")
    assert value.column == text.index('"v"') + 1


def test_parse_jsonc_crlf_and_bom() -> None:
    raw = '\ufeff{\r\n  "a": "x",\r\n  // note\r\n  "b": [\r\n    "y"\r\n  ]\r\n}\r\n'.encode()
    text = decode_text(raw)
    root = parse_jsonc(text)
    assert (_get(root, "a").line, _get(root, "a").column) == (2, 8)
    assert (_get(root, "b", 0).line, _get(root, "b", 0).column) == (5, 5)
    assert (root.end_line, root.end_column) == (7, 2)
    assert jsonc_comments(text) == [(3, 3, "// note")]


def test_parse_jsonc_surrogate_pairs_and_escapes() -> None:
    text = '{"a": "\\ud83d\\ude00 \\n\\t\\/\\\\", "b": "\U0001f600"}'
    root = parse_jsonc(text)
    assert _get(root, "a").value == "😀 \n\t/\\"
    assert _get(root, "b").column == text.index('"\U0001f600"') + 1


def test_parse_jsonc_scalars_and_duplicates() -> None:
    root = parse_jsonc('{"n": -1.5e3, "i": 42, "t": true, "f": false, "z": null, "n": 7}')
    assert [k for k, _, _ in root.pairs()] == ["n", "i", "t", "f", "z", "n"]
    assert _get(root, "n").value == 7
    assert [(_get(root, k).kind, _get(root, k).value) for k in "itfz"] == [
        (NodeKind.NUMBER, 42),
        (NodeKind.BOOL, True),
        (NodeKind.BOOL, False),
        (NodeKind.NULL, None),
    ]
    assert _get(root, "i").quoted is False
    assert root.entries[0][1].value == -1500.0
    assert math.isnan(parse_jsonc("[NaN]").items[0].value)  # type: ignore[arg-type]


def _plain(node: PNode) -> Any:
    """The parsed tree as plain Python values (to compare with what the text means)."""
    if node.is_object:
        return {key.value: _plain(value) for key, value in node.entries}
    if node.is_array:
        return [_plain(item) for item in node.items]
    return node.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{} // end", {}),
        ("/* lead */ [1, 2,]", [1, 2]),
        ('{"a": 1,}', {"a": 1}),
        ('{"u": "http://example.com/*not a comment*/"}', {"u": "http://example.com/*not a comment*/"}),
        ("\n\n  42  \n", 42),
        ('"solo"', "solo"),
    ],
)
def test_parse_jsonc_accepts(text: str, expected: object) -> None:
    root = parse_jsonc(text)
    assert root is not None
    assert _plain(root) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a" "b"}', "invalid JSON at 1:6: expected ':'"),
        ('{"a": "@@S@@', "invalid JSON at 1:7: unterminated string"),
        ('{"a": "@@S@@}\n', "invalid JSON at 1:7: unterminated string"),
        ('{"a": "@@S@@,\n "b": "x"}', "invalid JSON at 1:7: unterminated string"),
        ("[1, 2\n", "invalid JSON at 2:1: unexpected end of input"),
        ('{"a": 1]', "invalid JSON at 1:8: expected ',' or '}'"),
        ("[1}", "invalid JSON at 1:3: expected ',' or ']'"),
        ('{"a": 1}}', "invalid JSON at 1:9: unexpected content after the document"),
        ('{"a": @@S@@}', "invalid JSON at 1:7: unexpected word (strings must be double-quoted)"),
        ("{'a': 1}", "invalid JSON at 1:2: expected a double-quoted key or '}'"),
        ("{,}", "invalid JSON at 1:2: expected a double-quoted key or '}'"),
        ("[,]", "invalid JSON at 1:2: expected a value"),
        ('{"a":,}', "invalid JSON at 1:6: expected a value"),
        ("[01]", "invalid JSON at 1:2: invalid number"),
        ('["\\q@@S@@"]', "invalid JSON at 1:3: invalid escape in string"),
        ("[1] /* open", "invalid JSON at 1:5: unterminated comment"),
        ("", "invalid JSON at 1:1: empty document"),
        ("  // only a comment\n", "invalid JSON at 2:1: empty document"),
    ],
)
def test_parse_jsonc_rejects_without_leaking(text: str, message: str) -> None:
    secret = fake_token("ghp_", 36, seed=1)
    source = text.replace("@@S@@", f"{secret}")
    with pytest.raises(ParseError) as info:
        parse_jsonc(source)
    assert str(info.value) == message
    assert_no_secret(str(info.value), secret)


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_parse_jsonc_deep_nesting_is_a_parse_error(opener: str) -> None:
    with pytest.raises(ParseError, match="^nesting deeper than 200 levels$"):
        parse_jsonc(opener * 10_000)


def test_parse_jsonc_depth_limit_is_exact() -> None:
    assert parse_jsonc("[" * 200 + "]" * 200).kind is NodeKind.ARRAY
    with pytest.raises(ParseError, match="nesting deeper"):
        parse_jsonc("[" * 201 + "]" * 201)


def test_jsonc_comments_positions_and_strings() -> None:
    text = (
        '{\n  "url": "https://x.test/a//b", // real one\n'
        '  /* "disabled": {\n     "env": {"K": "v"} } */\n  "q": "/* no */"\n}'
    )
    assert jsonc_comments(text) == [
        (2, 33, "// real one"),
        (3, 3, '/* "disabled": {\n     "env": {"K": "v"} } */'),
    ]
    # Lexical: comments of an unparsable file are still found.
    assert jsonc_comments('{"a": // x\n') == [(1, 7, "// x")]


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(value=_json_values, indent=st.sampled_from([None, 2, "\t"]), ascii_only=st.booleans())
def test_parse_jsonc_matches_json_loads(value: Any, indent: int | str | None, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    root = parse_jsonc(text)
    assert to_python(root) == json.loads(text)
    for node in walk(root):
        if node.kind is NodeKind.STRING:
            assert source_at(text, node) == json.dumps(node.value, ensure_ascii=ascii_only)
        elif node.kind is not NodeKind.OBJECT and node.kind is not NodeKind.ARRAY:
            assert json.loads(source_at(text, node)) == node.value
