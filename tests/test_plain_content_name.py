"""`plain_content_name` is a shortcut of the listing: when it says True, `classify_path` is None
and `content_candidate` is a by-content candidate, exactly as if they had been asked.

The oracle is those two functions. The paths are built from every string constant of
scanner/clients/discovery.py and every name of the catalog tables (so a new literal condition in
discovery that the shortcut does not know makes this fail), plus the existing test corpora.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import scanner.clients.discovery as discovery
from scanner.clients.catalog import (
    BY_NAME,
    MCP_CONFIG_PARENT,
    MCP_JSON_GRANDPARENT,
    MCP_JSON_PARENT,
    SETTINGS_PARENT,
)
from scanner.clients.discovery import classify_path, content_candidate, plain_content_name
from scanner.sources import submodules
from tests.test_listing_fast_paths import _DIRS, _NAMES, _SUFFIXES

ROOT = Path(__file__).resolve().parent.parent


def _constants() -> list[str]:
    tree = ast.parse(Path(discovery.__file__).read_text(encoding="utf-8"))
    words: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and 0 < len(node.value) < 40:
            words.add(node.value)
    # The regex sources and copy words hold alternatives: their pieces are names too.
    for word in list(words):
        for piece in word.replace("(?:", "|").replace(")", "|").split("|"):
            if piece.isidentifier() or piece.replace("-", "").replace(".", "").isalnum():
                words.add(piece)
    return sorted(words)


_WORDS = sorted({*_constants(), *BY_NAME, *MCP_JSON_PARENT, *MCP_CONFIG_PARENT, *SETTINGS_PARENT,
                 *(d for pair in MCP_JSON_GRANDPARENT for d in pair), "src", "pkg00001", "deploy", "a"})
_PART = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(_WORDS).map(lambda w: "." + w.lstrip(".")),
    st.sampled_from(_WORDS).map(lambda w: w.lstrip(".")),
    st.sampled_from(_WORDS).map(lambda w: "dot_" + w.lstrip(".")),
    st.sampled_from(_WORDS).map(str.upper),
    st.text(alphabet="abcxyz019_-.", min_size=1, max_size=8),
)
_EXT = st.sampled_from([".json", ".jsonc", ".yaml", ".yml", ".toml", ".JSON", ".md", ".env", ".lock.json",
                        ""])
_SUFFIX = st.sampled_from(["", ".bak", "_copy", "-final", ".example", ".local", " (2)", "~", ".sample"])


def _check(rel: str) -> bool:
    if not plain_content_name(rel):
        return False
    assert classify_path(rel) is None, rel
    candidate = content_candidate(rel)
    assert candidate is not None and candidate.by_content and candidate.rel_path == rel, rel
    # The listing decides plain names after it asked git about submodules (worktree.start_listing):
    # a plain name is never a client's config folder, so a gitlink there changes nothing it asked.
    assert submodules.config_paths(rel) == [], rel
    return True


@given(st.lists(_PART, max_size=4), _PART, _SUFFIX, _EXT, st.booleans())
@settings(max_examples=3000, deadline=None)
def test_plain_names_are_what_classification_says(dirs: list[str], stem: str, suffix: str, ext: str,
                                                  copy_after_ext: bool) -> None:
    base = stem + ext + suffix if copy_after_ext else stem + suffix + ext
    _check("/".join([*dirs, base]))


def test_every_corpus_path_and_the_common_case() -> None:
    paths = [p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("*") if p.is_file()]
    paths += [d + n + s for d, n, s in itertools.product(_DIRS, _NAMES, _SUFFIXES)]
    paths += [f"{d}{w}{e}" for d in ("", "x/", "x/y/") for w in _WORDS for e in (".json", ".yaml", ".toml")]
    paths += [f"{w}/{v}/file.json" for w in _WORDS for v in ("a", "agents", "mcp", "User", "settings")]
    plain = sum(_check(rel) for rel in paths)
    assert plain > 500  # the shortcut takes ordinary names
    # The shapes of a large repository take it; client folders and MCP-looking names never do.
    assert all(_check(rel) for rel in ("pkg00001/file5.json", "src/components/chart.json",
                                       "conf/values.yaml", "pyproject.toml", "a/b-c_d.1.yml"))
    assert not any(plain_content_name(rel) for rel in (
        ".vscode/x.json", "vscode/x.json", "mcp/x.json", "x/mcp.json", "prod-mcp.yaml", "recipes/a.yaml",
        "goose-cfg/a.yaml", ".continue/a.yaml", "config/zed/settings.json", "dot_config/a.json",
        "a/SETTINGS.json", "compose.yaml", "catalog.yaml", "x.example.json", "package.json",
        "Code/User/a.json", "kiro/agents/a.json", "a\\b.json", "caf\u00e9/a.json"))
