"""gitleaks launched by the CLI before it imports the scanner (scanner/early.py): only for the
default scan of a work tree whose index holds at least EARLY_LAUNCH_NAMES entries (read from the
index header, `gitlist.index_entries`), as the one gitleaks process of the scan, fed by the
pipeline; stopped when the scan stops before feeding it; with the timeout the pipeline would give."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner import cli, early, pipeline
from scanner.budget import run_with_deadline
from scanner.engines import gitleaks_run
from scanner.engines.gitleaks_run import GITLEAKS_TIMEOUT, GitleaksRun
from scanner.result import ScanOptions
from scanner.sources.gitlist import index_entries
from tests.fakes import executable, fake_token, token_config


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                    *args], check=True, capture_output=True, stdin=subprocess.DEVNULL)


def _repo(root: Path, configs: int, others: int = 0) -> Path:
    for i in range(configs):
        path = root / f"svc{i}" / ".cursor" / "mcp.json"
        path.parent.mkdir(parents=True)
        path.write_text(token_config(fake_token("ghp_", 36, 300 + i)))
    for i in range(others):
        (root / f"n{i}.txt").write_text(str(i))
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    return root


def test_index_entries_is_git_s_count_of_tracked_files(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", 2, 3)
    assert index_entries(repo, {}) == 5
    (repo / "more.txt").write_text("x")
    _git(repo, "add", "more.txt")
    assert index_entries(repo, {}) == 6
    _git(repo, "commit", "-qm", "c", "--no-verify")
    assert index_entries(repo, {}) == 6


def test_index_entries_is_none_where_the_index_is_not_at_dot_git(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", 1, 1)
    assert index_entries(repo, {"GIT_DIR": str(repo / ".git")}) is None  # git may use another index
    assert index_entries(repo, {"GIT_INDEX_FILE": "/elsewhere"}) is None
    _git(repo, "commit", "-qm", "c", "--no-verify")
    _git(repo, "worktree", "add", "-q", str(tmp_path / "linked"))
    assert (tmp_path / "linked" / ".git").is_file() and index_entries(tmp_path / "linked", {}) is None
    assert index_entries(tmp_path / "no-repo", {}) is None


@pytest.mark.parametrize("kind", ["fifo", "garbage", "short", "directory"])
def test_an_index_that_is_not_one_is_none(tmp_path: Path, kind: str) -> None:
    repo = _repo(tmp_path / "repo", 1)
    index = repo / ".git" / "index"
    index.unlink()
    if kind == "fifo":
        os.mkfifo(index)  # never opened for a blocking read: no writer would ever come
    elif kind == "garbage":
        index.write_bytes(b"NOPE" + bytes(8) + b"x" * 100)
    elif kind == "short":
        index.write_bytes(b"DIRC\x00\x00\x00\x02")
    else:
        index.mkdir()
    assert index_entries(repo, {}) is None


def test_the_early_timeout_is_the_one_the_pipeline_gives(tmp_path: Path) -> None:
    options = ScanOptions(root=tmp_path)
    assert options.gitleaks_timeout == GITLEAKS_TIMEOUT
    assert early._timeout(None) == run_with_deadline(lambda: pipeline._gitleaks_timeout(options), None, None)
    for timeout in (0.4, 1.0, 7.9, 119.0, 119.5, 500.0):
        # launched before the deadline starts: the pipeline's figure at the scan's first instant
        # (which the seconds already spent only lower by one at a whole number)
        late = run_with_deadline(lambda: pipeline._gitleaks_timeout(options), timeout, None)
        assert early._timeout(timeout) - late in (0, 1) and early._timeout(timeout) <= max(1, timeout)


# A stand-in gitleaks that records its source tree and writes an empty report, in gitleaks' order
# (the gate of GitleaksRun.launch): `-c`, then `-i` (an early run's blocks until it is fed).
_RECORDING = """#!/bin/sh
out="{out}"
d="$out/run$$"; mkdir "$d"
src=$2; c=''; r=''; i=''
while [ $# -gt 0 ]; do [ "$1" = -c ] && c=$2; [ "$1" = -r ] && r=$2; [ "$1" = -i ] && i=$2; shift; done
cat "$c" > "$d/config"
cat "$i" > /dev/null 2>&1
find "$src" -type f | sort > "$d/tree"
echo '[]' > "$r"
"""

_ORDER = """
import json, sys
import scanner.early
from scanner.engines import gitleaks_run
scanner.early.EARLY_LAUNCH_NAMES = int(sys.argv[4])
seen = []
real = gitleaks_run.GitleaksRun.launch.__func__
def launch(cls, *args):
    seen.append(sorted(name for name in sys.modules if name.startswith("scanner.")))
    return real(cls, *args)
gitleaks_run.GitleaksRun.launch = classmethod(launch)
from scanner.cli import main
sys.argv = ["mcp-guard", "scan", "--require-gitleaks", "--gitleaks-path", sys.argv[3], "--format", "json",
            "-o", sys.argv[1], sys.argv[2]]
try:
    main()
finally:
    sys.stderr.write("SEEN=" + json.dumps(seen) + "\\n")
"""


def _cli_scan(tmp_path: Path, repo: Path,
              threshold: int) -> tuple[list[list[str]], list[Path], dict[str, object]]:
    runs = tmp_path / "runs"
    runs.mkdir(exist_ok=True)
    for old in runs.iterdir():
        for item in old.iterdir():
            item.unlink()
        old.rmdir()
    binary = executable(tmp_path / "fake-gitleaks", _RECORDING.format(out=runs))
    out = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-c", _ORDER, str(out), str(repo), binary, str(threshold)],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                          check=False, cwd=tmp_path)
    line = next(line for line in proc.stderr.splitlines() if line.startswith("SEEN="))
    return json.loads(line.removeprefix("SEEN=")), sorted(runs.iterdir()), json.loads(out.read_text())


def test_the_cli_launches_gitleaks_before_it_imports_the_scanner(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", 3, 2)
    launches, runs, report = _cli_scan(tmp_path, repo, threshold=5)  # the index holds 5 entries
    [modules] = launches  # launched once, by the CLI, and the pipeline launched none of its own
    heavy = {"scanner.pipeline", "scanner.sources.worktree", "scanner.clients", "scanner.policy",
             "scanner.reporters", "scanner.result"}
    assert "scanner.early" in modules and not heavy & set(modules)
    assert {name for name in modules if name.startswith("scanner.engines")} <= {
        "scanner.engines", "scanner.engines.gitleaks_run", "scanner.engines.gitleaks_config"}
    [run] = runs  # the one gitleaks process of the scan, fed every config
    assert (run / "tree").read_text().splitlines() == [f"tree/f/svc{i}/.cursor/mcp.json" for i in range(3)]
    assert report["complete"] is True and report["warnings"] == []  # --require-gitleaks: it ran


def test_a_smaller_index_leaves_gitleaks_where_it_was_started(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", 3, 2)
    launches, runs, report = _cli_scan(tmp_path, repo, threshold=6)
    assert launches == []  # started by the pipeline once the files are known (GitleaksEngine.start)
    [run] = runs
    assert len((run / "tree").read_text().splitlines()) == 3
    assert report["complete"] is True and report["warnings"] == []


def test_a_scan_that_stops_before_feeding_it_stops_it(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path / "repo", 2)
    (repo / "policy.yml").write_text("fail_on: [\n")  # the options cannot be built
    binary = executable(tmp_path / "fake-gitleaks", _RECORDING.format(out=tmp_path))
    launched: list[GitleaksRun] = []
    real = GitleaksRun.launch.__func__  # type: ignore[attr-defined]

    def keep(cls: type[GitleaksRun], *args: object) -> GitleaksRun | None:
        run = real(cls, *args)
        if run is not None:
            launched.append(run)
        return run  # type: ignore[no-any-return]

    monkeypatch.setattr(early, "EARLY_LAUNCH_NAMES", 1)
    monkeypatch.setattr(gitleaks_run.GitleaksRun, "launch", classmethod(keep))
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(cli.main, ["scan", "--gitleaks-path", binary, "--config",
                                           str(repo / "policy.yml"), str(repo)])
    assert result.exit_code == 2, result.output
    [run] = launched
    assert run.proc is not None and run.proc.poll() is not None and not run.tmp.exists()
