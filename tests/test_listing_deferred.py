"""The full scan opens the unknown plain names of git's listing after gitleaks has its files
(`worktree.start_listing`, then `PendingListing.finish`): the deferred listing is, entry for entry
and in the same order, the listing that decides every name as it comes (`defer=False`) and the
lstat path of every name (the oracle of tests/test_listing_tracked_probe.py).

The trees mix plain names (deferred) with names that are not plain (decided at once) next to
each other in git's order, in every state a tracked path can be in, so a probe or a skipped link
of a deferred name that landed anywhere but where it came would make the lists differ.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner import pipeline
from scanner.reporters import render
from scanner.result import ScanOptions
from scanner.sources import worktree
from scanner.sources.worktree import PROBE_MAX_BYTES, list_candidates, start_listing
from tests.fakes import fake_token
from tests.test_listing_tracked_probe import _repo

_SERVERS = json.dumps({"mcpServers": {"gh": {"command": "npx", "env": {"T": fake_token("ghp_", 36, 23)}}}})


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                   check=True, stdin=subprocess.DEVNULL, capture_output=True)


def _listings(monkeypatch: pytest.MonkeyPatch, root: Path) -> tuple[worktree.Listing, ...]:
    pending = start_listing(root, (), False)
    deferred = pending.finish()
    assert pending.candidates == deferred.candidates  # what gitleaks got is the final list
    at_once = start_listing(root, (), False, defer=False).finish()
    with monkeypatch.context() as patch:
        patch.setattr(worktree, "_probe_tracked", lambda where: None)  # every name through lstat
        patch.setattr(worktree, "plain_content_name", lambda rel: False)  # and through classify_path
        oracle = list_candidates(root, (), False)
    return deferred, at_once, oracle, list_candidates(root, (), False)


# (kind of entry, content): plain names (lower case) and names that are not (upper case) side by side.
_KINDS = ("word", "none", "bom", "big", "link-in", "link-out", "dangling", "dir", "gone")


def _make(root: Path, outside: Path, rel: str, kind: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind in ("link-in", "link-out", "dangling"):
        target = {"link-in": root / "inside.json", "link-out": outside / "o.json",
                  "dangling": root / "missing.json"}[kind]
        path.symlink_to(target)
        return
    text = {"word": _SERVERS, "none": '{"name": "x"}', "bom": "", "big": "mcp" + " " * PROBE_MAX_BYTES,
            "dir": "{}", "gone": _SERVERS}[kind]
    if kind == "bom":
        path.write_bytes(b"\xff\xfe" + json.dumps({"servers": {"a": {"command": "x"}}}).encode("utf-16-le"))
    else:
        path.write_text(text)


def _tree(root: Path, outside: Path, entries: dict[str, str]) -> Path:
    root.mkdir()
    (root / "inside.json").write_text(_SERVERS)
    (outside / "o.json").write_text(_SERVERS)
    for rel, kind in entries.items():
        _make(root, outside, rel, kind)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "x", "--no-verify")
    for rel, kind in entries.items():  # the work tree then differs from what git tracks
        if kind == "gone":
            (root / rel).unlink()
        elif kind == "dir":
            (root / rel).unlink()
            (root / rel).mkdir()
    return root


def test_deferred_names_land_where_they_came(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "outside").mkdir()
    entries = {"a/out.json": "link-out", "a/x/Out.json": "link-out",  # skipped: deferred, then at once
               "a/servers.json": "word", "a/x/Servers.json": "word",  # probes: deferred, then at once
               "b/link.json": "link-in", "b/x/Link.json": "link-in", "b/dangling.json": "dangling",
               "b/x/Dangling.json": "dangling", "c/utf16.json": "bom", "c/x/Utf16.json": "bom",
               "d/plain.json": "none", "d/Plain.json": "none", "d/big.json": "big", "d/gone.json": "gone",
               "d/dir.json": "dir", ".mcp.json": "word"}
    root = _tree(tmp_path / "repo", tmp_path / "outside", entries)
    deferred, at_once, oracle, again = _listings(monkeypatch, root)
    assert deferred == at_once == oracle == again
    assert [s.path for s in deferred.skipped] == ["a/out.json", "a/x/Out.json", "b/dangling.json",
                                                  "b/x/Dangling.json"]
    assert [c.rel_path for c, _ in deferred.probes] == [
        "a/servers.json", "a/x/Servers.json", "b/link.json", "b/x/Link.json", "c/utf16.json",
        "c/x/Utf16.json", "d/big.json", "inside.json"]  # big: over the listing's read, probed whole


def test_every_tracked_state_of_the_probe_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "repo").mkdir()
    root = _repo(tmp_path / "repo", tmp_path / "outside")  # FIFO, socket, swapped links, unreadable
    deferred, at_once, oracle, _ = _listings(monkeypatch, root)
    assert deferred == at_once == oracle
    assert {s.path for s in deferred.skipped if s.fatal} == {"b/out.json", "a/swapped.json"}


_REL = st.tuples(st.sampled_from(["", "a/", "a/b/", "A/", "a/B/", "z/"]),
                 st.sampled_from(["s", "t", "u", "S", "T", "v-1", "W_2"]),
                 st.sampled_from([".json", ".yaml", ".toml", ".JSON"])).map("".join)


@given(st.dictionaries(_REL, st.sampled_from(_KINDS), min_size=1, max_size=14))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_deferred_listing_is_the_listing_for_any_tree(tmp_path_factory: pytest.TempPathFactory,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      entries: dict[str, str]) -> None:
    base = tmp_path_factory.mktemp("tree")
    (base / "outside").mkdir()
    if any(other.startswith(rel + "/") for rel in entries for other in entries):
        return  # a file where another entry needs a folder
    root = _tree(base / "repo", base / "outside", entries)
    deferred, at_once, oracle, _ = _listings(monkeypatch, root)
    assert deferred == at_once == oracle


def test_gitleaks_gets_its_files_before_a_plain_name_is_opened(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Work order, not time: the scan stages the candidates for gitleaks, then opens the probes."""
    (tmp_path / "outside").mkdir()
    entries = {f"pkg/f{i}.json": "none" for i in range(20)}
    entries |= {"pkg/servers.json": "word", ".mcp.json": "word"}
    root = _tree(tmp_path / "repo", tmp_path / "outside", entries)
    events: list[str] = []
    real_probe, real_start = worktree._probe_tracked, pipeline._start_gitleaks

    def probe(where: str) -> bool | None:
        events.append("open " + os.path.relpath(where, root))
        return real_probe(where)

    def start(loaded: object, *args: object) -> None:
        events.append(f"gitleaks {sorted(loaded)}")  # type: ignore[call-overload]
        return real_start(loaded, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(worktree, "_probe_tracked", probe)
    monkeypatch.setattr(pipeline, "_start_gitleaks", start)
    options = ScanOptions(root=root, use_gitleaks=False)
    result = pipeline.scan(options)
    assert events[0] == "gitleaks ['.mcp.json']"
    assert len([e for e in events if e.startswith("open pkg/")]) == 21 and "open inside.json" in events
    assert result.skipped == []  # the probed files whose content is a config are scanned
    assert {"inside.json", "pkg/servers.json"} <= set(result.scanned_files)
    monkeypatch.setattr(pipeline, "start_listing", lambda *a, **k: start_listing(*a, **k, defer=False))
    events.clear()
    assert render("json", pipeline.scan(options)) == render("json", result)
    assert events.index("gitleaks ['.mcp.json']") > 0  # decided at once: opened during the listing
