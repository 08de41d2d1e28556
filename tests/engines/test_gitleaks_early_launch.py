"""gitleaks launched before its files are known (GitleaksRun.launch / feed): it waits for its
configuration on a pipe, finds its source only once the whole copy is in place, is killed when
never fed, and a scan that launches it early reports exactly what a scan that starts it late does."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

import scanner.engines.gitleaks_run as gitleaks_module
import scanner.pipeline as pipeline
from scanner.engines.gitleaks import GitleaksEngine, GitleaksRun, find_gitleaks
from scanner.engines.gitleaks_config import GITLEAKS_CONFIG_TOML
from scanner.errors import EngineError
from scanner.pipeline import scan
from scanner.result import ScanOptions
from tests.engines.helpers import parse_files
from tests.fakes import executable, fake_token, token_config

BUNDLED = find_gitleaks(None, {"PATH": ""})
needs_gitleaks = pytest.mark.skipif(BUNDLED is None, reason="no gitleaks binary")

# A stand-in gitleaks that works in gitleaks' order: its configuration first (`-c`), then its
# ignore file (`-i`; a folder's `cat` fails and is not recorded), then its source (`dir <source>`);
# it records all three and writes an empty report.
_GATED = """#!/bin/sh
out="{out}"
n=$(ls "$out" | wc -l)
d="$out/run$n"; mkdir "$d"
src=$2; c=''; r=''; i=''
while [ $# -gt 0 ]; do [ "$1" = -c ] && c=$2; [ "$1" = -r ] && r=$2; [ "$1" = -i ] && i=$2; shift; done
cat "$c" > "$d/config.part" && mv "$d/config.part" "$d/config"
cat "$i" > "$d/ignore.part" 2>/dev/null && mv "$d/ignore.part" "$d/ignore"
{look}
find "$src" -mindepth 1 -printf '%y %p\\n' | sort > "$d/tree"
echo '[]' > "$r"
"""


def _gated(tmp_path: Path, look: str = "") -> tuple[str, Path]:
    out = tmp_path / "runs"
    out.mkdir(parents=True)
    return executable(tmp_path / "gated-gitleaks", _GATED.format(out=out, look=look)), out


def _waited(path: Path, seconds: float = 20.0) -> bool:
    end = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < end:
        time.sleep(0.02)
    return path.exists()


def test_the_source_appears_whole_after_the_gate_is_released(tmp_path: Path) -> None:
    binary, runs = _gated(tmp_path)
    run = GitleaksRun.launch(binary, 5)
    assert run is not None and run.proc is not None
    assert not (run.tmp / "tree").exists()  # nothing to look at before `feed`
    # Its whole configuration is there at the launch: gitleaks loads and compiles its rules
    # while the scanner lists, and then waits on its ignore file (the pipe `feed` closes).
    assert _waited(runs / "run0" / "config")
    assert (runs / "run0" / "config").read_text() == GITLEAKS_CONFIG_TOML
    time.sleep(0.2)
    assert run.proc.poll() is None and not (runs / "run0" / "ignore").exists()  # waiting at the gate
    files = {".mcp.json": b"{}", "a/b/.cursor/mcp.json": b"{}", "dir\\odd.json": b"{}"}
    run.feed(files)
    assert run.records() == []
    [record] = sorted(runs.iterdir())
    assert (record / "ignore").read_bytes() == b""  # no ignore entry: nothing was written to it
    tree = (record / "tree").read_text().splitlines()
    assert "f tree/f/.mcp.json" in tree and "f tree/f/a/b/.cursor/mcp.json" in tree
    assert sorted(run.staged.values()) == sorted(files)
    assert all(line.split()[1].startswith(("tree/f", "tree/x")) for line in tree)
    run.close()
    assert not run.tmp.exists()


def test_a_run_never_fed_is_killed_at_the_gate(tmp_path: Path) -> None:
    binary, runs = _gated(tmp_path, look="echo looked > \"$d/looked\"")
    run = GitleaksRun.launch(binary, 5)
    assert run is not None and run.proc is not None
    time.sleep(0.2)
    run.close()
    assert run.proc.poll() is not None and not run.tmp.exists()
    for record in runs.iterdir():
        assert not (record / "looked").exists()  # killed while it waited: it never went on


def test_a_gitleaks_that_looks_before_the_gate_fails_closed(tmp_path: Path) -> None:
    binary, _ = _gated(tmp_path / "early")
    early = executable(tmp_path / "early-looker",
                       f"#!/bin/sh\nls \"$2\" >/dev/null 2>&1 || exit 1\nexec {binary} \"$@\"\n")
    run = GitleaksRun.launch(early, 5)
    assert run is not None
    time.sleep(0.3)  # it has looked by now, and found no source
    run.feed({".mcp.json": b"{}"})
    with pytest.raises(EngineError, match="status 1"):
        run.records()
    run.close()


def test_a_failed_feed_falls_back_to_a_fresh_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    binary, runs = _gated(tmp_path)
    configs, sources = parse_files({".mcp.json": token_config("${env:T}")})
    launched = GitleaksRun.launch(binary, 5)
    assert launched is not None
    real = gitleaks_module._write_tree
    calls: list[Path] = []

    def full_once(root: Path, files: dict[str, bytes]) -> None:
        calls.append(root)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        real(root, files)

    monkeypatch.setattr(gitleaks_module, "_write_tree", full_once)
    options = ScanOptions(root=tmp_path, gitleaks_path=binary)
    started = pipeline._start_gitleaks(sources, options, launched)
    assert started is not None and started is not launched
    assert launched.proc is not None and launched.proc.poll() is not None and not launched.tmp.exists()
    assert GitleaksEngine(binary, 5).detect(configs, sources, started) == []
    assert len(list(runs.iterdir())) in (1, 2)  # the killed one may have recorded itself


@needs_gitleaks
def test_real_gitleaks_waits_for_its_files_and_finds_the_secret() -> None:
    assert BUNDLED is not None
    token = fake_token("ghp_", 36, 71)
    run = GitleaksRun.launch(BUNDLED, 60)
    assert run is not None and run.proc is not None
    time.sleep(1.0)  # past its start-up: now blocked reading its configuration
    assert run.proc.poll() is None
    run.feed({"svc/.mcp.json": token_config(token).encode(), "other.json": b"{}"})
    try:
        hits = [(run.staged.get(str(r["File"])), r["RuleID"]) for r in run.records()]
    finally:
        run.close()
    assert ("svc/.mcp.json", "github-pat") in hits


def _repo(root: Path, count: int) -> Path:
    for i in range(count):
        path = root / f"svc{i}" / ".cursor" / "mcp.json"
        path.parent.mkdir(parents=True)
        path.write_text(token_config(fake_token("ghp_", 36, 80 + i)))
        (root / f"svc{i}" / "notes.json").write_text(json.dumps({"n": i}))
    subprocess.run(["git", "-C", str(root), "init", "-q"], check=True, stdin=subprocess.DEVNULL)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, stdin=subprocess.DEVNULL)
    return root


def test_an_early_launch_is_the_one_gitleaks_of_the_scan(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    binary, runs = _gated(tmp_path / "bin")
    repo = _repo(tmp_path / "repo", 3)
    launched: list[GitleaksRun | None] = []
    real = pipeline._launch_gitleaks
    monkeypatch.setattr(pipeline, "_EARLY_GITLEAKS_NAMES", 1)
    monkeypatch.setattr(pipeline, "_launch_gitleaks",
                        lambda options: launched.append(real(options)) or launched[-1])
    options = ScanOptions(root=repo, gitleaks_path=binary, require_gitleaks=True, environ=dict(os.environ))
    result = scan(options)
    assert len(launched) == 1 and launched[0] is not None
    assert "gitleaks" in result.engines and result.complete
    [record] = sorted(runs.iterdir())  # one process: the early one, fed every config
    tree = (record / "tree").read_text().splitlines()
    assert [line for line in tree if line.startswith("f ")] == [
        f"f tree/f/svc{i}/.cursor/mcp.json" for i in range(3)]
    # A listing under the threshold starts gitleaks after it, as before.
    monkeypatch.setattr(pipeline, "_EARLY_GITLEAKS_NAMES", 10**6)
    scan(options)
    assert len(launched) == 1 and len(list(runs.iterdir())) == 2


@needs_gitleaks
def test_early_and_late_gitleaks_find_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path, 4)
    options = ScanOptions(root=repo, require_gitleaks=True, environ={"PATH": ""})
    monkeypatch.setattr(pipeline, "_EARLY_GITLEAKS_NAMES", 10**6)
    late = scan(options)
    monkeypatch.setattr(pipeline, "_EARLY_GITLEAKS_NAMES", 1)
    early = scan(options)
    assert "gitleaks" in early.engines and early.complete
    assert early.findings and early.findings == late.findings
    assert early.errors == late.errors and early.warnings == late.warnings


def test_a_scan_that_fails_after_the_launch_leaves_no_gitleaks(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    binary, _ = _gated(tmp_path / "bin")
    repo = _repo(tmp_path / "repo", 2)
    launched: list[GitleaksRun] = []
    real = pipeline._launch_gitleaks

    def keep(options: ScanOptions) -> GitleaksRun | None:
        run = real(options)
        if run is not None:
            launched.append(run)
        return run

    def broken(*args: object) -> list[object]:
        raise RuntimeError("probe failed")

    monkeypatch.setattr(pipeline, "_EARLY_GITLEAKS_NAMES", 1)
    monkeypatch.setattr(pipeline, "_launch_gitleaks", keep)
    monkeypatch.setattr(pipeline, "_probe", broken)
    with pytest.raises(RuntimeError, match="probe failed"):
        scan(ScanOptions(root=repo, gitleaks_path=binary, environ=dict(os.environ)))
    [run] = launched
    assert run.proc is not None and run.proc.poll() is not None and not run.tmp.exists()


@needs_gitleaks
def test_configs_a_started_run_missed_get_a_run_of_their_own(monkeypatch: pytest.MonkeyPatch) -> None:
    # A config known only after gitleaks was fed (an unknown name found by its content, a referenced
    # file) is searched by a second run over it alone; the started run's report is kept, not redone.
    first, second = fake_token("ghp_", 36, 11), fake_token("ghp_", 36, 12)
    configs, sources = parse_files({".mcp.json": token_config(first),
                                    ".cursor/mcp.json": token_config(second)})
    assert BUNDLED is not None
    engine = GitleaksEngine(BUNDLED, 60)
    started = engine.start({".mcp.json": sources[".mcp.json"]})
    fed: list[set[str]] = []
    real_start = GitleaksEngine.start

    def counting(self: GitleaksEngine, files: dict[str, bytes]) -> GitleaksRun:
        fed.append(set(files))
        return real_start(self, files)

    monkeypatch.setattr(GitleaksEngine, "start", counting)
    found = engine.detect(configs, sources, started)
    assert fed == [{".cursor/mcp.json"}]
    assert sorted((m.fv.location.path if m.fv else "", m.value) for m in found) == [
        (".cursor/mcp.json", second), (".mcp.json", first)]
