"""The full-scan listing's shortcuts decide exactly what the slow path decides.

`never_candidate` rejects a path from its extension before `classify_path` runs; the probe of
unknown names skips, without parsing, files that hold none of the MCP key words. Both must give the
same listing and the same notices as asking every function about every file.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
from pathlib import Path

import pytest

from scanner import pipeline
from scanner.clients import _MCP_KEY
from scanner.clients.catalog import BY_NAME, MCP_CONFIG_PARENT, MCP_JSON_PARENT, SETTINGS_PARENT
from scanner.clients.discovery import SKIP_DIRS, classify_path, content_candidate, never_candidate
from scanner.sources import worktree
from scanner.sources.worktree import PROBE_WORDS, list_candidates, may_be_mcp_content
from tests.fakes import fake_token

FIXTURES = Path(__file__).parent / "fixtures"

_DIRS = ["", "src/", "a/b/", ".github/", ".github/agents/", ".github/workflows/", ".GitHub/Agents/",
         "docs/.github/", ".continue/", ".continue/assistants/", "mcp/", ".mcp/", "config/codex/",
         "dot_config/zed/", "config/", "dot_codex/", ".gemini/config/", ".amazonq/cli-agents/",
         ".kiro/agents/", ".claude-plugin/", ".devcontainer/", "recipes/", "goose/", "stow/codex/",
         "node_modules/pkg/", "a\\b\\", *(f"{d}/" for d in (*MCP_JSON_PARENT, *SETTINGS_PARENT,
                                                             *MCP_CONFIG_PARENT, *sorted(SKIP_DIRS)[:3]))]
_NAMES = ["mcp.json", "settings.json", "settings.local.json", "config.toml", "config.yaml", "config.json",
          "mcp_config.json", "agent.md", "x.agent.md", "README.md", "ci.md", "agents/x.json", "compose.yaml",
          "docker-compose.yml", "catalog.yaml", "recipe.yaml", "plugin.json", "default.json", "app.py",
          "index.ts", "Makefile", "LICENSE", ".env", "prod.env", "dot_claude.json", "x.code-workspace",
          "devcontainer.json", ".devcontainer.json", "mcp.prod.json", "prod-mcp.yaml", "my.mcp",
          "package.json", "photo.PNG", "archive.tar.gz", "notes.txt", *BY_NAME]
_SUFFIXES = ["", ".bak", ".BAK", ".old", "~", " (2)", "_copy", "-final", ".example", ".sample.txt", ".txt",
             ".md", ".MD", ".orig~", ".dist", ".py"]


def test_never_candidate_only_rejects_what_classification_rejects() -> None:
    rejected = 0
    for directory, name, suffix in itertools.product(_DIRS, _NAMES, _SUFFIXES):
        rel = directory + name + suffix
        if never_candidate(rel):
            rejected += 1
            assert classify_path(rel) is None, rel
            assert content_candidate(rel) is None, rel
    assert rejected > 1000  # the shortcut takes the common case: source files, docs, images
    assert never_candidate("src/app.go") and never_candidate("docs/README.md")
    assert not never_candidate(".codex")  # no extension: may be a symlinked client folder


_TOKEN = fake_token("ghp_", 36, seed=16)
_PROBED = {
    "a/servers.json": json.dumps({"mcpServers": {"gh": {"command": "npx", "env": {"T": _TOKEN}}}}),
    "a/tools.json": json.dumps({"servers": {"gh": {"type": "stdio", "command": "npx"}}}),
    "a/editor.json": json.dumps({"context_servers": {"gh": {"command": "npx", "args": []}}}),
    "a/agent.yaml": "mcpServers:\n  gh:\n    command: npx\n",
    "a/goose.yaml": "extensions:\n  gh:\n    type: stdio\n    cmd: npx\n    enabled: true\n",
    "a/agent.toml": '[mcp_servers.gh]\ncommand = "npx"\n',
    "a/opencode.json": json.dumps({"mcp": {"gh": {"type": "local", "command": ["npx", "x"]}}}),
    "a/plain.json": json.dumps({"name": "x", "version": "1.0.0", "scripts": {"test": "pytest"}}),
    "a/deploy.yaml": "hosts:\n  - web1\n  - web2\n",
    "a/notes.toml": "title = 'x'\n[owner]\nname = 'y'\n",
    "a/broken.json": '{"servers": [1, 2,,]',
}


def _tree(root: Path) -> Path:
    for rel, text in _PROBED.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    # Encodings the parsers accept: UTF-16 with a BOM (no ASCII bytes to search) and Windows-1252.
    utf16 = json.dumps({"mcpServers": {"gh": {"command": "npx"}}})
    (root / "b").mkdir()
    (root / "b/utf16le.json").write_bytes(b"\xff\xfe" + utf16.encode("utf-16-le"))
    (root / "b/utf16be.json").write_bytes(b"\xfe\xff" + utf16.encode("utf-16-be"))
    (root / "b/latin1.json").write_bytes('{"servers": {"caf\xe9": {"command": "npx"}}}'.encode("cp1252"))
    (root / "b/binary.json").write_bytes(b"\x00\x01mcpServers\x02")
    for i, path in enumerate(sorted(FIXTURES.rglob("*"))):  # real client shapes under unknown names
        if path.suffix in (".json", ".jsonc", ".yaml", ".yml", ".toml") and path.stat().st_size < 200_000:
            (root / "c").mkdir(exist_ok=True)
            (root / "c" / f"shape{i}{path.suffix}").write_bytes(path.read_bytes())
    return root


def _probed(probes: list[tuple[pipeline.Candidate, Path]]) -> list[tuple[pipeline.Candidate, bytes, Path]]:
    return pipeline._probe(probes, 5 * 1024 * 1024, [])


def test_probe_prefilter_reports_exactly_what_probing_every_file_reports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path)
    fast = list_candidates(root, (), False)
    monkeypatch.setattr(worktree, "may_be_mcp_content", lambda path: True)
    slow = list_candidates(root, (), False)
    assert len(fast.probes) < len(slow.probes)  # the prefilter skipped files
    assert _probed(fast.probes) == _probed(slow.probes)
    reported = {candidate.rel_path for candidate, _data, _path in _probed(fast.probes)}
    assert {"a/servers.json", "a/tools.json", "a/agent.toml", "b/utf16le.json", "b/utf16be.json",
            "b/latin1.json"} <= reported
    assert not reported & {"a/plain.json", "a/deploy.yaml", "a/notes.toml", "b/binary.json"}
    # Left to the caller (who reads them while gitleaks runs): the same probes, the same filter.
    monkeypatch.undo()
    deferred = list_candidates(root, (), False, prefilter_probes=False)
    assert deferred.probes == slow.probes
    assert [probe for probe in deferred.probes if may_be_mcp_content(probe[1])] == fast.probes


def test_the_probe_words_are_in_every_key_the_content_probe_accepts(tmp_path: Path) -> None:
    """clients._MCP_KEY decides the probe; with the words blanked out it matches nothing."""
    texts = [*_PROBED.values(), *(p.read_text("utf-8", "replace") for p in _tree(tmp_path).rglob("*.*"))]
    matched = 0
    for text in texts:
        matched += _MCP_KEY.search(text) is not None
        blank = text
        for word in PROBE_WORDS:
            blank = blank.replace(word.decode(), "_" * len(word))
        assert _MCP_KEY.search(blank) is None, text[:80]
    assert matched >= 8


def test_prefilter_does_not_block_on_a_fifo_or_follow_a_link(tmp_path: Path) -> None:
    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    done: list[bool] = []
    thread = threading.Thread(target=lambda: done.append(may_be_mcp_content(fifo)), daemon=True)
    thread.start()
    thread.join(5)
    assert done == [True]  # not read: left to the probe, which never sees a FIFO in a listing
    target = tmp_path / "real.json"
    target.write_text('{"mcpServers": {}}')
    (tmp_path / "link.json").symlink_to(target)
    assert may_be_mcp_content(tmp_path / "link.json")  # not opened through the link: undecided
    assert may_be_mcp_content(target) and not may_be_mcp_content(_plain(tmp_path))


def _plain(tmp_path: Path) -> Path:
    path = tmp_path / "plain.json"
    path.write_text('{"name": "x"}')
    return path
