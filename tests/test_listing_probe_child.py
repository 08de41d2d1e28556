"""The probe child (scanner/sources/probe.py) decides the unknown names of a large listing in a
second interpreter: the listing it gives is the in-process listing, entry for entry, for every
kind of entry a tracked path can be (the fixture of test_listing_tracked_probe.py: links in and
out, a FIFO, a socket, a folder, a gone file, an unreadable file, UTF-16, files past the read);
and a child that cannot start, dies or answers wrongly leaves every name decided in process."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from scanner.sources import probe, worktree
from scanner.sources.worktree import list_candidates
from tests.test_listing_tracked_probe import _oracle, _repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "outside").mkdir()
    (tmp_path / "repo").mkdir()
    return _repo(tmp_path / "repo", tmp_path / "outside")


class _Counting(probe.ProbeChild):
    made: list[_Counting] = []

    def __init__(self, wheres: Sequence[str], *, more: bool = False) -> None:
        super().__init__(wheres, more=more)
        self.wheres = list(wheres)
        self.answered: list[bool | None] | None = None
        _Counting.made.append(self)

    def send(self, wheres: Sequence[str]) -> None:
        super().send(wheres)
        self.wheres += wheres

    def verdicts(self) -> list[bool | None] | None:
        self.answered = super().verdicts()
        return self.answered


def _with_child(monkeypatch: pytest.MonkeyPatch, root: Path,
                child: type[probe.ProbeChild]) -> worktree.Listing:
    with monkeypatch.context() as patch:
        patch.setattr(worktree, "CHILD_MIN_NAMES", 1)
        patch.setattr(worktree, "ProbeChild", child)
        return list_candidates(root, (), False)


def test_the_child_decides_what_the_listing_decides_in_process(repo: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _Counting.made.clear()
    in_process = list_candidates(repo, (), False)  # a small listing: no child
    assert not _Counting.made
    by_child = _with_child(monkeypatch, repo, _Counting)
    assert by_child == in_process == _oracle(monkeypatch, repo)
    (child,) = _Counting.made
    assert child.answered is not None  # the child answered: its verdicts were used
    assert child.answered == [probe.verdict(where) for where in child.wheres]
    # Structural: the child opened exactly the plain unknown names, each once.
    rel = sorted(os.path.relpath(where, repo) for where in child.wheres)
    assert "a/plain.json" in rel and "a/fifo.json" in rel and "b/link.json" in rel
    assert ".mcp.json" not in rel and "src/app.py" not in rel and not any("node_modules" in r for r in rel)
    assert len(rel) == len(set(rel))


class _NoStart(probe.ProbeChild):
    def __init__(self, wheres: Sequence[str], *, more: bool = False) -> None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(probe.sys, "executable", "/nonexistent/python")
            super().__init__(wheres, more=more)


class _Dies(probe.ProbeChild):
    def __init__(self, wheres: Sequence[str], *, more: bool = False) -> None:
        super().__init__(wheres, more=more)
        assert self.proc is not None
        self.proc.kill()


@pytest.mark.parametrize("child", [_NoStart, _Dies])
def test_a_child_that_fails_leaves_the_names_to_the_listing(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                           child: type[probe.ProbeChild]) -> None:
    assert _with_child(monkeypatch, repo, child) == list_candidates(repo, (), False)


def test_only_a_whole_well_formed_answer_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"mcpServers": {}}')
    (tmp_path / "b.json").write_text("{}")
    wheres = [str(tmp_path / "a.json"), str(tmp_path / "b.json"), str(tmp_path / "gone.json")]
    assert probe.ProbeChild(wheres).verdicts() == [True, False, None]
    real_popen = subprocess.Popen
    for program in ("import sys; sys.stdout.write('1')",  # one verdict short
                    "import sys; sys.stdout.write('10x')",  # not a verdict
                    "import sys; sys.stdout.write('10-'); sys.exit(3)"):  # a failed run
        def popen(argv: list[str], program: str = program, **kwargs: object) -> subprocess.Popen[bytes]:
            return real_popen([argv[0], "-c", program], **kwargs)  # type: ignore[call-overload]

        with monkeypatch.context() as patch:
            patch.setattr(probe.subprocess, "Popen", popen)
            assert probe.ProbeChild(wheres).verdicts() is None


def test_the_child_runs_the_standard_library_only() -> None:
    """It is started as `python -I -S scanner/sources/probe.py`: no scanner import can run there."""
    source = Path(probe.__file__).read_text(encoding="utf-8")
    assert "import scanner" not in source and "from scanner" not in source


def test_the_childs_loop_gives_verdict_for_every_kind_of_entry(repo: Path, tmp_path: Path) -> None:
    """`probe.codes` (the child's loop, `verdict` inlined) against `verdict` itself, name by name:
    every entry kind of the fixture plus escapes, a UTF-16 BOM alone and a name that is no path."""
    (repo / "c").mkdir()
    (repo / "c/escaped.json").write_text('{"\\u006dcpServers": {}}')
    (repo / "c/bom.json").write_bytes(b"\xfe\xff")
    (repo / "c/plain.yaml").write_text("title: x\n")
    wheres = sorted(os.fsencode(os.path.join(folder, name)) for folder, dirs, files in os.walk(repo)
                    if ".git" not in folder for name in (*files, *dirs))
    wheres += [b"", os.fsencode(tmp_path / "nowhere.json")]
    verdicts = [probe.verdict(where) for where in wheres]
    assert {True, False, None} <= set(verdicts)
    assert probe.codes(wheres) == b"".join(probe._CODES[v] for v in verdicts)


def test_the_child_starts_while_the_listing_still_classifies(repo: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted, not timed: the child is started with the first CHILD_MIN_NAMES deferred names and
    gets the rest in parts of CHILD_PART as the loop reaches them (it was started once, with every
    name, after the loop); its verdicts are the in-process ones and the listing is unchanged."""
    for index in range(9):
        (repo / f"d/plain{index}.json").parent.mkdir(exist_ok=True)
        (repo / f"d/plain{index}.json").write_text('{"name": "x"}')
    subprocess.run(["git", "-C", str(repo), "add", "d"], check=True, capture_output=True)
    parts: list[int] = []

    class _Parts(_Counting):
        def __init__(self, wheres: Sequence[str], *, more: bool = False) -> None:
            parts.append(len(wheres))
            super().__init__(wheres, more=more)

        def send(self, wheres: Sequence[str]) -> None:
            parts.append(len(wheres))
            super().send(wheres)

    _Counting.made.clear()
    in_process = list_candidates(repo, (), False)
    with monkeypatch.context() as patch:
        patch.setattr(worktree, "CHILD_MIN_NAMES", 3)
        patch.setattr(worktree, "CHILD_PART", 4)
        patch.setattr(worktree, "ProbeChild", _Parts)
        by_child = list_candidates(repo, (), False)
    assert by_child == in_process
    (child,) = _Counting.made
    assert child.answered == [probe.verdict(where) for where in child.wheres]
    total = len(child.wheres)
    assert total > 3 + 4  # at least two parts after the first
    assert parts[0] == 3 and all(part == 4 for part in parts[1:-1]) and 0 < parts[-1] <= 4
    assert sum(parts) == total


def test_a_child_fed_in_parts_answers_in_the_order_sent(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"mcpServers": {}}')
    (tmp_path / "b.json").write_text("{}")
    names = [str(tmp_path / name) for name in ("a.json", "b.json", "gone.json")] * 50
    child = probe.ProbeChild(names[:7], more=True)
    for start in range(7, len(names), 11):
        child.send(names[start:start + 11])
    assert child.verdicts() == [True, False, None] * 50
