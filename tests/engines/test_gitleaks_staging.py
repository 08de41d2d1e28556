"""What gitleaks sees: a private copy written from memory, under `f/`, with no policy, ignore file,
symlink or environment of the scanned repository; started early when asked; always fail closed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scanner.clients import parse_config
from scanner.clients.discovery import dotenv_candidate
from scanner.engines.gitleaks import GitleaksEngine, find_gitleaks
from scanner.errors import EngineError
from scanner.pipeline import scan
from scanner.result import ScanOptions
from tests.engines.helpers import parse_files
from tests.fakes import executable, fake_token, token_config

BUNDLED = find_gitleaks(None, {"PATH": ""})
needs_gitleaks = pytest.mark.skipif(BUNDLED is None, reason="no gitleaks binary")

# A stand-in gitleaks: records its argv, environment and the tree it was given, writes `[]`.
_RECORDER = """#!/bin/sh
out="{out}"
n=$(ls "$out" | wc -l)
d="$out/run$n"; mkdir "$d"
printf '%s\\n' "$@" > "$d/argv"
env > "$d/env"
find . -mindepth 1 -printf '%y %p\\n' | sort > "$d/tree"
r=''; while [ $# -gt 0 ]; do [ "$1" = -r ] && r=$2; shift; done
ls -ld "$r" 2>/dev/null > "$d/report-before"
{body}
"""


def _recorder(tmp_path: Path, body: str = "echo '[]' > \"$r\"; exit 0") -> tuple[str, Path]:
    out = tmp_path / "runs"
    out.mkdir(parents=True)
    return executable(tmp_path / "fake-gitleaks", _RECORDER.format(out=out, body=body)), out


@needs_gitleaks
def test_a_scanned_gitleaksignore_or_gitleaks_toml_is_never_obeyed() -> None:
    """A config may point at a dotenv file of any name (envFile: .gitleaksignore): it is scanned,
    but gitleaks must not read it as its ignore list, nor a `.gitleaks.toml` as its policy."""
    token = fake_token("ghp_", 36, 16)
    ignore = b"".join(f"{p}.mcp.json:github-pat:2\n".encode() for p in ("", "./", "f/", "./f/"))
    files = {".mcp.json": token_config(token).encode(), ".gitleaksignore": ignore,
             ".gitleaks.toml": b"title = 'x'\n[allowlist]\nregexes = ['''ghp_''']\npaths = ['''.*''']\n",
             "f/.gitleaksignore": ignore}
    run = GitleaksEngine(BUNDLED, 60).start(files)
    try:
        records = run.records()
    finally:
        run.close()
    hits = [(run.staged.get(str(r["File"])), r["RuleID"]) for r in records]
    assert (".mcp.json", "github-pat") in hits


@needs_gitleaks
def test_odd_paths_are_scanned_and_mapped_back() -> None:
    token = fake_token("ghp_", 36, 17)
    configs, sources = parse_files({".mcp.json": token_config(token)})
    odd = {"dir\\.mcp.json": sources[".mcp.json"], "a/./.mcp.json": sources[".mcp.json"],
           "nul\0/.mcp.json": sources[".mcp.json"]}
    engine = GitleaksEngine(BUNDLED, 60)
    run = engine.start({**sources, **odd})
    try:
        paths = {run.staged.get(str(r["File"])) for r in run.records()}
    finally:
        run.close()
    assert paths == {".mcp.json", "dir\\.mcp.json", "a/./.mcp.json", "nul\0/.mcp.json"}


def test_the_copy_holds_regular_files_only_and_no_repository_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITLEAKS_CONFIG", str(tmp_path / "evil.toml"))
    monkeypatch.setenv("GITLEAKS_CONFIG_TOML", "title='evil'")
    binary, runs = _recorder(tmp_path)
    repo = tmp_path / "repo"
    (repo / ".cursor").mkdir(parents=True)
    (repo / "cfg.json").write_text(token_config("${env:GITHUB_TOKEN}"))
    (repo / ".cursor" / "mcp.json").symlink_to(repo / "cfg.json")  # followed by the client, inside
    (repo / ".gitleaksignore").write_text("*\n")
    (repo / ".gitleaks.toml").write_text("title='repo'\n")
    (repo / ".vscode").mkdir()
    (repo / ".vscode" / "mcp.json").symlink_to("/etc/hostname")  # out of the repository
    result = scan(ScanOptions(root=repo, gitleaks_path=binary, require_gitleaks=True,
                              environ=dict(os.environ)))
    assert "gitleaks" in result.engines and not result.complete  # the link out is fatal, reported
    [run] = sorted(runs.iterdir())
    tree = (run / "tree").read_text().splitlines()
    assert tree == ["d ./f", "d ./f/.cursor", "f ./f/.cursor/mcp.json"]  # no link, no policy file
    env = dict(line.split("=", 1) for line in (run / "env").read_text().splitlines() if "=" in line)
    assert not {key for key in env if key.startswith("GITLEAKS")}
    argv = (run / "argv").read_text().splitlines()
    assert argv[argv.index("-c") + 1] != str(tmp_path / "evil.toml")
    assert "--ignore-gitleaks-allow" in argv
    report = Path(argv[argv.index("-r") + 1])
    assert report.name == "report.json" and not report.exists()  # in the private dir, removed after
    assert (run / "report-before").read_text() == ""  # gitleaks creates it: never a device or a link
    ignore = Path(argv[argv.index("-i") + 1])
    assert ignore.parent == report.parent and not ignore.exists()


def test_an_early_start_is_used_when_it_saw_every_config(tmp_path: Path) -> None:
    binary, runs = _recorder(tmp_path)
    configs, sources = parse_files({".mcp.json": token_config("${env:T}")})
    engine = GitleaksEngine(binary, 5)
    started = engine.start({**sources, "other.json": b"{}"})
    assert engine.detect(configs, sources, started) == []
    assert len(list(runs.iterdir())) == 1 and not started.tmp.exists()
    # Started over different bytes (a file re-encoded later, a dotenv found by parsing): run anew.
    started = engine.start({".mcp.json": b"{}"})
    assert engine.detect(configs, sources, started) == []
    # The unused run is killed at once (it may not have got as far as recording itself).
    assert len(list(runs.iterdir())) in (2, 3) and not started.tmp.exists()
    assert started.proc is not None and started.proc.poll() is not None


def test_an_early_start_fails_closed_and_is_cleaned_up(tmp_path: Path) -> None:
    binary, _ = _recorder(tmp_path, body="exit 1")
    configs, sources = parse_files({".mcp.json": token_config("${env:T}")})
    engine = GitleaksEngine(binary, 5)
    started = engine.start(sources)
    with pytest.raises(EngineError, match="status 1"):
        engine.detect(configs, sources, started)
    assert not started.tmp.exists()
    slow, _ = _recorder(tmp_path / "slow", body="sleep 30")
    started = GitleaksEngine(slow, 5).start(sources)
    started.close()  # an abandoned run is killed and removed
    assert started.proc is not None and started.proc.poll() is not None and not started.tmp.exists()


def test_a_missing_report_is_a_failed_run(tmp_path: Path) -> None:
    binary, _ = _recorder(tmp_path, body="exit 0")
    configs, sources = parse_files({".mcp.json": token_config("${env:T}")})
    with pytest.raises(EngineError, match="without writing its report"):
        GitleaksEngine(binary, 5).detect(configs, sources)


def test_dotenv_named_like_an_ignore_file_is_scanned_by_gitleaks(tmp_path: Path) -> None:
    """The scanned `.gitleaksignore` is staged as `f/.gitleaksignore`, so gitleaks reads it as text."""
    binary, runs = _recorder(tmp_path)
    configs, sources = parse_files({".mcp.json": token_config("${env:T}")})
    data = b"TOKEN=abc\n"
    dotenv = parse_config(dotenv_candidate(".gitleaksignore"), data)
    assert dotenv is not None
    GitleaksEngine(binary, 5).detect([*configs, dotenv], {**sources, ".gitleaksignore": data})
    [run] = sorted(runs.iterdir())
    assert "f ./f/.gitleaksignore" in (run / "tree").read_text().splitlines()
    assert json.dumps(sorted(os.listdir(tmp_path / "runs"))) == '["run0"]'
