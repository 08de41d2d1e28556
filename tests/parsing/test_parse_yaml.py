"""parse_yaml / parse_front_matter: values, positions, aliases, merge keys, bounds and errors."""

from __future__ import annotations

import pytest

from scanner.errors import ParseError
from scanner.parsing import parse_front_matter, parse_yaml
from scanner.parsing.node import NodeKind, PNode
from tests.fakes import assert_no_secret, fake_token
from tests.parsing.helpers import source_at, to_python

CONFIG = """\
# goose-style extensions
extensions:
  github:
    cmd: npx
    args: [-y, '@modelcontextprotocol/server-github', "🙂x"]
    envs:
      GITHUB_TOKEN: "${GITHUB_TOKEN}"
      PORT: 8080
      DEBUG: true
      EMPTY:
    timeout: 1.5
  list:
    - first
    - 'sé 🔑': second
"""


def _get(node: PNode, *path: str | int) -> PNode:
    for step in path:
        found = node.items[step] if isinstance(step, int) else node.get(step)
        assert found is not None, step
        node = found
    return node


def test_parse_yaml_values() -> None:
    root = parse_yaml(CONFIG)
    assert to_python(root) == {
        "extensions": {
            "github": {
                "cmd": "npx",
                "args": ["-y", "@modelcontextprotocol/server-github", "🙂x"],
                "envs": {"GITHUB_TOKEN": "${GITHUB_TOKEN}", "PORT": 8080, "DEBUG": True, "EMPTY": None},
                "timeout": 1.5,
            },
            "list": ["first", {"sé 🔑": "second"}],
        }
    }


def test_parse_yaml_positions() -> None:
    root = parse_yaml(CONFIG)
    github = _get(root, "extensions", "github")
    cmd = _get(github, "cmd")
    assert (cmd.line, cmd.column, cmd.end_line, cmd.end_column, cmd.quoted) == (4, 10, 4, 13, False)
    args = _get(github, "args")
    assert [(a.line, a.column) for a in args.items] == [(5, 12), (5, 16), (5, 55)]
    assert [a.quoted for a in args.items] == [False, True, True]
    assert source_at(CONFIG, args.items[1]) == "'@modelcontextprotocol/server-github'"
    token = _get(github, "envs", "GITHUB_TOKEN")
    assert (token.line, token.column) == (7, 21)
    port = _get(github, "envs", "PORT")
    assert (port.kind, port.line, port.column, port.quoted) == (NodeKind.NUMBER, 8, 13, False)
    key, value = _get(root, "extensions", "list", 1).entries[0]
    assert (key.kind, key.line, key.column, key.quoted) == (NodeKind.STRING, 14, 7, True)
    # The key holds an emoji: the value column counts codepoints.
    assert (value.line, value.column) == (14, 15)


def test_parse_yaml_crlf_positions() -> None:
    text = "servers:\r\n  a:\r\n    url: https://x.test\r\n"
    url = _get(parse_yaml(text), "servers", "a", "url")
    assert (url.value, url.line, url.column) == ("https://x.test", 3, 10)


def test_parse_yaml_non_string_keys_keep_their_text() -> None:
    root = parse_yaml("8080: a\ntrue: b\n~: c\n'q': d\n")
    assert root.keys() == ["8080", "true", "~", "q"]
    assert all(key.kind is NodeKind.STRING for key, _ in root.entries)


def test_parse_yaml_first_document_only() -> None:
    assert parse_yaml("a: 1\n---\nb: [\n").keys() == ["a"]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n...\n"])
def test_parse_yaml_empty_is_null(text: str) -> None:
    assert parse_yaml(text).kind is NodeKind.NULL


def test_parse_yaml_aliases_and_merge_keys() -> None:
    text = (
        "defaults: &d\n  command: npx\n  env: {A: '1'}\n"
        "other: &o {env: x, extra: y}\n"
        "server:\n  <<: [*d, *o]\n  command: node\n"
        "copy: *d\n"
    )
    root = parse_yaml(text)
    assert to_python(_get(root, "server")) == {"env": {"A": "1"}, "extra": "y", "command": "node"}
    # Alias values point at the anchored source, where the value really lives.
    copied = _get(root, "copy", "env", "A")
    assert (copied.line, copied.column) == (3, 12)


def test_parse_yaml_alias_bomb_is_bounded() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        prev, name = chr(96 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(ParseError, match="^YAML alias expansion too large$"):
        parse_yaml("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000,
        "[" * 10_000 + "]" * 10_000,
        "{a: " * 10_000,
        "- " * 10_000 + "x",
        "".join(" " * i + "k:\n" for i in range(2_000)),
        "a: &a " + "[" * 150 + "]" * 150 + "\nb: " + "[" * 150 + "*a" + "]" * 150 + "\n",
    ],
)
def test_parse_yaml_deep_nesting_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match="^nesting deeper than 200 levels$"):
        parse_yaml(text)


def test_parse_yaml_depth_limit_is_exact() -> None:
    assert parse_yaml("[" * 200 + "]" * 200).kind is NodeKind.ARRAY


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: b: @@S@@", "invalid YAML at 1:5: mapping values are not allowed in this context"),
        ("a: [1, @@S@@", "invalid YAML at 2:1: did not find expected ',' or ']'"),
        ("- @@S@@\nb: c", "invalid YAML at 2:1: did not find expected '-' indicator"),
        ("a: '@@S@@\n", "invalid YAML at 2:1: found unexpected end of stream"),
        ("a: *nope\n", "invalid YAML at 1:4: undefined or recursive alias"),
        ("a: &x [*x]\n", "invalid YAML at 1:8: undefined or recursive alias"),
        ("? [@@S@@]\n: 1\n", "invalid YAML at 1:3: complex mapping keys are not supported"),
        ("a: {<<: @@S@@}\n", "invalid YAML at 1:9: merge key needs a mapping or a list of mappings"),
        ("a: 1\x01@@S@@\nb: [", "invalid YAML at 3:1: did not find expected node content"),
    ],
)
def test_parse_yaml_rejects_without_leaking(text: str, message: str) -> None:
    secret = fake_token("sk-", 40, seed=2)
    with pytest.raises(ParseError) as info:
        parse_yaml(text.replace("@@S@@", secret))
    assert str(info.value) == message
    assert_no_secret(str(info.value), secret)


MARKDOWN = """---
name: reviewer
mcp-servers:
  github:
    env: {TOKEN: "${{ secrets.T }}"}
---
# Body

---
not: front matter
"""


def test_parse_front_matter_positions_are_in_file_coordinates() -> None:
    node = parse_front_matter(MARKDOWN)
    assert node is not None
    assert node.keys() == ["name", "mcp-servers"]
    token = _get(node, "mcp-servers", "github", "env", "TOKEN")
    assert (token.line, token.column) == (5, 18)
    assert source_at(MARKDOWN, token) == '"${{ secrets.T }}"'


def test_parse_front_matter_crlf() -> None:
    node = parse_front_matter("---\r\na: b\r\n...\r\nbody\r\n")
    assert node is not None and (_get(node, "a").line, _get(node, "a").column) == (2, 4)


@pytest.mark.parametrize(
    "text",
    [
        "# no front matter\n---\na: b\n---\n",
        "---\na: b\n",  # never closed
        "---\n---\nbody\n",  # empty
        " ---x\na: b\n---\n",
        "",
    ],
)
def test_parse_front_matter_absent(text: str) -> None:
    assert parse_front_matter(text) is None


@pytest.mark.parametrize("text", [" ---\na: b\n---\n", "---\u00a0\r\na: b\n\t---\n",
                                  "---\na: b\n  ---\nbody\n", "---\na: b\n  ---\nbody: [\n---\n"])
def test_parse_front_matter_fences_as_gh_aw_trims_them(text: str) -> None:
    # gh-aw: `strings.TrimSpace(line) == "---"` opens and closes (pkg/parser/frontmatter.go).
    node = parse_front_matter(text)
    assert node is not None and node.keys() == ["a"]


def test_parse_front_matter_reads_past_an_indented_fence_when_that_parses() -> None:
    # Readers that close only at a `---` in column 0 read the second key too (a block scalar).
    node = parse_front_matter("---\na: |\n  x\n  ---\nb: c\n---\nbody\n")
    assert node is not None and node.keys() == ["a", "b"]


def test_parse_front_matter_errors_use_file_lines() -> None:
    with pytest.raises(ParseError, match=r"^invalid YAML at 4:1: "):
        parse_front_matter("---\na: 1\nb: [\n---\n")


@pytest.mark.parametrize("deep", ["[" * 10_000, "- " * 10_000 + "x"])
def test_parse_yaml_pure_python_loader_same_results(monkeypatch: pytest.MonkeyPatch, deep: str) -> None:
    """Without libyaml the pure-Python event parser is used: same tree, same bounds."""
    import yaml

    from scanner.parsing import yaml_tree

    expected = parse_yaml(CONFIG)
    monkeypatch.setattr(yaml_tree, "_Loader", yaml.SafeLoader)
    assert parse_yaml(CONFIG) == expected
    with pytest.raises(ParseError, match="^nesting deeper than 200 levels$"):
        parse_yaml(deep)


@pytest.mark.parametrize(("text", "value"), [
    ("a: !!bool maybe", "maybe"), ("a: !!int ''", ""), ("a: !!float ''", ""), ("a: !!int '_'", "_"),
    ("a: !!int abc", "abc"), ("a: !!float 1:x", "1:x"),
])
def test_parse_yaml_explicit_tag_that_does_not_fit_keeps_the_text(text: str, value: str) -> None:
    # These once escaped as KeyError/IndexError from PyYAML's constructors and stopped the scan.
    node = parse_yaml(text).get("a")
    assert node is not None and (node.kind, node.value) == (NodeKind.STRING, value)
