"""The YAML builder gives a scalar its str tag without asking PyYAML's resolver when no implicit
pattern can apply (a quoted scalar, or a plain one whose first character starts no pattern), and
builds the same tree as the resolver path (counted and compared, not timed)."""

from __future__ import annotations

import itertools

import pytest
import yaml

from scanner.parsing import yaml_tree

# First characters of every kind: each one that starts a resolver pattern (digits, signs, `.`, `~`,
# `<` of the merge key, `=` of the value key, the letters of booleans and nulls) and many that do not.
_FIRSTS = [chr(c) for c in range(0x21, 0x7F) if chr(c) not in "#&*!|>'\"%@`[]{},:?-"] + ["é", "日", "-1"]
# Whole texts the resolver reads as something other than a string (or nearly so).
_TEXTS = ["", "~", "null", "Null", "NULL", "true", "False", "yes", "No", "on", "OFF", "y", "n", "0", "-1",
          "+12", "0x1F", "0o17", "017", "1_000", "3.5", "-.5", ".inf", "-.Inf", ".nan", "1e3", "6.8523015e+5",
          "190:20:30", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "<<", "=", "nan", "infinity", "08",
          "1:2", "truex", "nullable", "Yesterday", "o", "on-call", "0.0.0.0", "1.2.3", "+", ".", "-", "12abc"]


def _parses(piece: str) -> bool:
    try:
        yaml.compose(piece, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    return True


def _document(texts: list[str]) -> str:
    """Mapping entries and list items holding each text plain, quoted both ways, tagged, and as a key
    (each piece kept only when it is YAML by itself)."""
    entries, items, flow = [], [], []
    for index, text in enumerate(texts):
        quoted = text.replace("\\", "\\\\").replace('"', '\\"')
        single = text.replace("'", "''")
        for piece in (f'"k{index}": "{quoted}"', f"'q{index}': '{single}'", f"p{index}: {text}",
                      f"t{index}: !!str {text}", f"b{index}: ! {text}", f"{text}: v{index}",
                      f"i{index}: !!int {text}", f"f{index}: !!float {text}", f"n{index}: !!null {text}"):
            if _parses("root:\n  " + piece) and not piece.startswith("<<:"):  # a merge needs a mapping
                entries.append("  " + piece)
        if _parses("- " + text):
            items.append("  - " + text)
        if _parses(f"[{text}, x]"):
            flow.append(text)
    return "root:\n" + "\n".join(entries) + "\nlist:\n" + "\n".join(items) + f"\nflow: [{', '.join(flow)}]\n"


def _resolver_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builders that ask the resolver for every untagged scalar (the path before the fast one)."""
    original = yaml_tree._Builder.__init__

    def init(self: yaml_tree._Builder, line_offset: int) -> None:
        original(self, line_offset)
        self.pattern_starts = None

    monkeypatch.setattr(yaml_tree._Builder, "__init__", init)


TEXTS = _TEXTS + [first + rest for first, rest in itertools.product(_FIRSTS, ["", "x", "1", ".5", "rue"])]


@pytest.mark.parametrize("loader", ["c", "pure"])
def test_tree_equals_the_resolver_path(monkeypatch: pytest.MonkeyPatch, loader: str) -> None:
    if loader == "pure":
        monkeypatch.setattr(yaml_tree, "_Loader", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    document = _document(TEXTS)
    fast = repr(yaml_tree.parse_yaml(document))  # repr: `.nan` is not equal to itself
    with monkeypatch.context() as patch:
        _resolver_only(patch)
        slow = repr(yaml_tree.parse_yaml(document))
    assert fast == slow
    assert "NodeKind.NUMBER" in fast and "NodeKind.BOOL" in fast and "NodeKind.NULL" in fast  # resolved ones


def test_the_fast_path_sees_no_pattern_missed() -> None:
    """The table it reads is the resolver's own: every pattern's first characters are in it."""
    starts = yaml_tree._Builder(0).pattern_starts
    assert starts is not None
    assert set(yaml.resolver.Resolver.yaml_implicit_resolvers) == starts
    assert {"", "~", "<", "=", ".", "-", "+", "0", "9", "t", "F", "n", "Y", "o"} <= starts


def test_strings_ask_the_resolver_only_where_a_pattern_may_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    resolve = yaml.resolver.Resolver.resolve

    def counted(self: yaml.resolver.Resolver, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        calls.append(value)
        return resolve(self, kind, value, implicit)  # type: ignore[arg-type]

    monkeypatch.setattr(yaml.resolver.Resolver, "resolve", counted)
    n = 300
    servers = "".join(f"  ext{i}:\n    type: stdio\n    cmd: \"npx\"\n    args: [-y, 'pkg-{i}', {i}, on]\n"
                      for i in range(n))
    root = yaml_tree.parse_yaml("extensions:\n" + servers)
    assert len(root.entries[0][1].entries) == n
    # Only `type`, `-y`, `on` and the numbers (first characters that start a pattern: `t` of true, `-`
    # and digits of numbers, `o` of on/off) reach the resolver, once per distinct text (the document's
    # cache); `ext<i>`, `stdio`, `cmd`, `args` and the quoted ones never do (they did: a call each).
    assert sorted(set(calls)) == sorted({"type", "-y", "on", *(str(i) for i in range(n))})
    assert len(calls) == n + 3
