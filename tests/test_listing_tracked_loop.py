"""The listing's loop over git's names (`worktree._add_tracked`) decides `never_candidate` once per
extension and the pruned-directory test once per directory: for any listing it hands `add` and
the deferred plain names exactly the names the per-name tests keep, in listing order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.clients import discovery
from scanner.clients.discovery import never_by_extension, never_candidate, plain_content_name
from scanner.sources import worktree
from scanner.sources.worktree import in_skipped_dir

# Extensions and name pieces discovery reads: its sets, copy words, case, non-ASCII, odd characters.
_EXTS = ["json", "JSON", "yaml", "yml", "toml", "md", "MD", "py", "ts", "sh", "env", "bak", "BAK", "j2",
         "json~", "json)", "json_bak", "json-old", "tmpl", "code-workspace", "mcp", "Σ", "é", "",
         "lock", "txt"]
_DIRS = ["src", "node_modules", ".github", "agents", "a.b", "pkg", "dot_config", "vendor", "Cfg", "mcp", "é"]
_STEMS = ["file", "mcp", "x", ".hidden", "compose", "settings", "final", "a_copy", "b (1)", "dot_env", ""]


@st.composite
def _names(draw: st.DrawFn) -> str:
    dirs = draw(st.lists(st.sampled_from(_DIRS), max_size=3))
    stem = draw(st.sampled_from(_STEMS))
    exts = draw(st.lists(st.sampled_from(_EXTS), max_size=2))
    base = ".".join([stem, *exts]) if exts else stem
    if draw(st.booleans()) and not base:
        base = "x"
    return "/".join([*dirs, base or "y"]) + draw(st.sampled_from(["", "", "", "\\x.json"]))


@given(st.lists(_names(), max_size=60))
@settings(max_examples=300, deadline=None)
def test_the_loop_keeps_what_the_per_name_tests_keep(names: list[str]) -> None:
    names = sorted(set(names))
    added: list[str] = []
    pending: list[tuple[int, int, str, str]] = []
    worktree._add_tracked(names, added.append, True, set(), pending, [], [], "/r/")
    kept = [name for name in names if not never_candidate(name) and not in_skipped_dir(name)]
    assert added == [name for name in kept if not plain_content_name(name)]
    assert [rel for _p, _s, rel, _w in pending] == [name for name in kept if plain_content_name(name)]
    assert all(where == "/r/" + rel for _p, _s, rel, where in pending)
    added.clear()
    worktree._add_tracked(names, added.append, False, set(), pending[:0], [], [], "/r/")
    assert added == kept  # not deferring: every kept name goes to `add`


@given(_names())
@settings(max_examples=1000, deadline=None)
def test_the_extension_decides_never_candidate(name: str) -> None:
    slash, dot = name.rfind("/"), name.rfind(".")
    if dot > slash + 1 and "\\" not in name:
        decided = never_by_extension(name[dot + 1:])
        assert decided is None or decided == never_candidate(name)


def test_every_extension_discovery_knows_is_asked_not_ruled_out() -> None:
    for ext in (*discovery._EXTS, *discovery.LAUNCHER_EXTS, *discovery.SOURCE_EXTS):
        assert never_by_extension(ext) in (False, None), ext
    assert never_by_extension("go") is True and never_by_extension("md") is None
