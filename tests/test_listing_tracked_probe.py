"""The git listing decides an unknown JSON/YAML/TOML name from one open + fstat (no lstat), with
exactly the outcome of the lstat path it replaces: the same candidates, probes, skipped files and
notices, in the same order, for every kind of entry a work tree can hold at a tracked path.

The oracle is the lstat path itself: `_probe_tracked` answering None and `plain_content_name`
answering False send every name through classify_path, content_candidate and lstat as before.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner import pipeline
from scanner.clients.discovery import is_source
from scanner.sources import gitlist, worktree
from scanner.sources.worktree import PROBE_MAX_BYTES, list_candidates
from tests.fakes import fake_token


def _probe(probes: list[tuple[pipeline.Candidate, Path]]) -> list[tuple[pipeline.Candidate, bytes, Path]]:
    return pipeline._probe(probes, 5 * 1024 * 1024, [])


_SERVERS = json.dumps({"mcpServers": {"gh": {"command": "npx", "env": {"T": fake_token("ghp_", 36, 61)}}}})


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                   check=True, stdin=subprocess.DEVNULL, capture_output=True)


def _repo(root: Path, outside: Path) -> Path:
    files = {
        "a/servers.json": _SERVERS,
        "a/plain.json": '{"name": "x"}',
        "a/tools.yaml": "servers:\n  gh:\n    command: npx\n",
        "a/deploy.yml": "hosts: [web1]\n",
        "a/agent.toml": '[mcp_servers.gh]\ncommand = "npx"\n',
        "a/notes.toml": "title = 'x'\n",
        "a/empty.json": "",
        "a/late.json": " " * (PROBE_MAX_BYTES - 3) + "mcp",  # the word in the last bytes read
        "a/big.json": "mcp" + " " * PROBE_MAX_BYTES,  # over the listing's read: left to the probe
        "a/bigplain.json": " " * PROBE_MAX_BYTES + '{"name": "x"}',  # probed whole: no word, dropped
        "a/gone.json": '{"mcpServers": {}}',
        "a/dir.json": "{}",
        "a/fifo.json": "{}",
        "a/sock.json": "{}",
        "a/swapped.json": "{}",
        "a/locked.json": '{"servers": {}}',
        ".mcp.json": _SERVERS,  # a known name: a candidate, never probed
        "node_modules/x/servers.json": _SERVERS,  # pruned
        "src/app.py": "print('mcp')\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    utf16 = json.dumps({"mcpServers": {"gh": {"command": "npx"}}})
    (root / "b").mkdir()
    (root / "b/utf16.json").write_bytes(b"\xff\xfe" + utf16.encode("utf-16-le"))
    (root / "b/latin1.json").write_bytes('{"servers": {"caf\xe9": {"command": "npx"}}}'.encode("cp1252"))
    (root / "b/inside.json").write_text(_SERVERS)
    (root / "b/link.json").symlink_to("inside.json")  # tracked as a link, inside the repository
    (outside / "o.json").write_text(_SERVERS)
    (root / "b/out.json").symlink_to(outside / "o.json")  # a link out: fatal, never read
    (root / "b/dangling.json").symlink_to("missing.json")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "x", "--no-verify")
    # The work tree then differs from what git tracks, in every way a tracked path can.
    (root / "a/gone.json").unlink()
    (root / "a/dir.json").unlink()
    (root / "a/dir.json").mkdir()
    (root / "a/fifo.json").unlink()
    os.mkfifo(root / "a/fifo.json")
    (root / "a/sock.json").unlink()
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(root / "a/sock.json"))
    except OSError:  # a path too long for AF_UNIX: left a regular file
        (root / "a/sock.json").write_text("{}")
    finally:
        server.close()
    (root / "a/swapped.json").unlink()
    (root / "a/swapped.json").symlink_to(outside / "o.json")  # a file swapped for a link out
    (root / "a/locked.json").chmod(0)
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "outside").mkdir()
    (tmp_path / "repo").mkdir()
    return _repo(tmp_path / "repo", tmp_path / "outside")


def _oracle(monkeypatch: pytest.MonkeyPatch, root: Path, prefilter: bool = True) -> worktree.Listing:
    with monkeypatch.context() as patch:
        patch.setattr(worktree, "_probe_tracked", lambda where: None)  # every name through lstat
        patch.setattr(worktree, "plain_content_name", lambda rel: False)  # and through classify_path
        return list_candidates(root, (), False, prefilter_probes=prefilter)


def test_one_open_decides_exactly_what_lstat_decided(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _oracle(monkeypatch, repo)
    fast = list_candidates(repo, (), False)
    assert fast == expected  # candidates, skipped, unscanned, probes: same entries, same order
    assert _probe(fast.probes) == _probe(expected.probes)
    probed = {c.rel_path for c, _ in fast.probes}
    assert {"a/servers.json", "a/tools.yaml", "a/agent.toml", "a/late.json", "b/utf16.json",
            "b/latin1.json", "b/link.json", "a/big.json", "a/bigplain.json"} <= probed
    assert not probed & {"a/plain.json", "a/deploy.yml", "a/notes.toml", "a/empty.json",
                         "a/gone.json", "a/dir.json", "a/fifo.json", "a/sock.json"}
    assert {s.path for s in fast.skipped if s.fatal} == {"b/out.json", "a/swapped.json"}
    # What the scan reports of its probes is what probing every listed file after the listing gave.
    deferred = _oracle(monkeypatch, repo, prefilter=False)
    assert _probe(fast.probes) == _probe(deferred.probes)
    # (application source is kept by the MCP API names instead: clients/source_code.py)
    assert [p for p in deferred.probes
            if (worktree.file_names_api(p[1]) if is_source(p[0]) else
                p[1].stat().st_size > PROBE_MAX_BYTES or worktree.may_be_mcp_content(p[1]))] == fast.probes


def test_regular_files_are_never_lstat_ed(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Work, not time: an lstat only for names one open could not decide (links, gone, sockets)."""
    seen: list[str] = []
    real = os.lstat

    def counting(path: str | os.PathLike[str], *args: object, **kwargs: object) -> os.stat_result:
        seen.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(worktree.os, "lstat", counting)
    list_candidates(repo, (), False)
    rel = {os.path.relpath(path, repo) for path in seen}
    assert {"b/link.json", "b/out.json", "a/gone.json", "a/swapped.json"} <= rel  # the lstat path
    assert not rel & {"a/plain.json", "a/servers.json", "a/tools.yaml", "a/big.json", "a/late.json",
                      "a/dir.json", "a/fifo.json", "b/utf16.json", "b/latin1.json"}


def test_the_fifo_is_not_waited_on_and_a_link_is_not_followed(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f.json")
    assert worktree._probe_tracked(str(tmp_path / "f.json")) is False  # opened without blocking
    (tmp_path / "t.json").write_text(_SERVERS)
    (tmp_path / "l.json").symlink_to(tmp_path / "t.json")
    assert worktree._probe_tracked(str(tmp_path / "l.json")) is None  # left to resolve_symlink
    assert worktree._probe_tracked(str(tmp_path / "t.json")) is True
    assert worktree._probe_tracked(str(tmp_path / "missing.json")) is None


_NAME_PARTS = st.sampled_from(["a", "b/", "B", "c.json", "\\", ".", "é", "\udcff", "/", " ", "z", "~"])
_NAME = st.lists(_NAME_PARTS, max_size=6).map("".join)


@given(st.lists(_NAME, max_size=30), st.booleans())
@settings(max_examples=300, deadline=None)
def test_sorted_names_is_sorted_set_of_the_listing(names: list[str], trailing: bool) -> None:
    out = "\0".join(names).encode("utf-8", "surrogateescape") + (b"\0" if trailing else b"")
    expected = sorted({name for name in out.decode("utf-8", "surrogateescape").split("\0") if name})
    assert gitlist.sorted_names(out) == expected
    assert gitlist.sorted_names(out + b"\0" + out) == expected  # conflict stages list a path more than once


def test_plain_names_skip_classification(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Work, not time: classify_path runs for names that are not plain, never for plain ones."""
    asked: list[str] = []
    real = worktree.classify_path
    monkeypatch.setattr(worktree, "classify_path", lambda rel: asked.append(rel) or real(rel))
    listing = list_candidates(repo, (), False)
    assert ".mcp.json" in asked and "b/link.json" in asked  # a known name; a link (lstat path)
    assert not {"a/plain.json", "a/deploy.yml", "a/notes.toml", "b/latin1.json"} & set(asked)
    monkeypatch.undo()
    assert listing == _oracle(monkeypatch, repo)


class _File:
    """A regular file as `os.read` sees it: `data` now (it may have grown or shrunk since fstat);
    a read gives what it asks for up to the end of the file. Reads are counted."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at, self.reads = data, 0, 0

    def read(self, fd: int, n: int) -> bytes:
        self.reads += 1
        chunk = self.data[self.at:self.at + n]
        self.at += len(chunk)
        return chunk


@given(st.integers(0, PROBE_MAX_BYTES + 2), st.integers(-3, 3))
@settings(max_examples=300, deadline=None)
def test_the_sized_first_read_reads_what_the_general_loop_reads(size: int, change: int) -> None:
    """`_probe_bytes` asks for fstat's size and a byte more first; whatever the file did since
    (unchanged, grown, shrunk), it gets the bytes `_read_on` gets from one read of the limit."""
    data = bytes(range(256)) * ((size + 260) // 256)
    data = data[:max(0, size + change)]
    expected_file, fast_file = _File(data), _File(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(worktree.os, "read", expected_file.read)
        expected = worktree._read_on(0, size)
        patch.setattr(worktree.os, "read", fast_file.read)
        fast = worktree._probe_bytes(0, size)
    assert fast == expected
    if change == 0 and size <= PROBE_MAX_BYTES:
        assert fast_file.reads == 1  # an unchanged file: one read of its size and a byte more
