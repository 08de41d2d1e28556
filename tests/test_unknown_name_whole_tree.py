"""Configs of unknown names are probed in every whole-tree scan, whatever their size up to the
file limit: the CLI full scan (before: only files of at most 256 KiB were probed, a larger one was
left out without a word) and the Action's full scan of a push, schedule or dispatch (before: no
unknown name was probed at all, only a PR's changed ones). A file over the file limit that may
hold a config is named as not probed (a note, not a failure: in a whole tree it is data nobody
changed in this run; a PR's changed file over the limit stays fatal, tests/test_gate_attack_wave7.py).
Every secret is built at run time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.sources import gitrefs
from scanner.sources.worktree import PROBE_MARKS
from tests.gh.action_helpers import STATUS, Repo, everything, git, no_piece, opaque, pat, run, states
from tests.gh.github_contract import FakeGitHub, status_reply

CONFIG = "tools/agent-servers.json"
_PAD = 300_000  # past the listing's 256 KiB read, under the 5 MiB file limit


def _servers(key: str, pad: int = 0) -> str:
    server = {"command": "npx", "args": ["-y", "@acme/mcp-server"], "env": {"ACME_API_KEY": key}}
    return json.dumps({"notes": " " * pad, "mcpServers": {"acme": server}}, indent=2) + "\n"


def _cli(repo: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "scanner", "scan", "--no-gitleaks", "--format", "json", *extra, str(repo)]
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def _committed(tmp_path: Path, files: dict[str, str]) -> Repo:
    repo = Repo(tmp_path / "ws")
    repo.commit(files)
    return repo


def test_cli_full_scan_probes_a_config_of_unknown_name_past_256_kib(tmp_path: Path) -> None:
    secret = opaque(7101)
    repo = _committed(tmp_path, {CONFIG: _servers(secret, _PAD), "README.md": "hi\n"})
    assert (repo.path / CONFIG).stat().st_size > 256 * 1024
    done = _cli(repo.path)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert [(f["file"], f["server"]) for f in report["findings"] if f["rule_id"].startswith("MCPG1")] == [
        (CONFIG, "acme")]
    no_piece(done.stdout + done.stderr, secret)


def test_cli_names_an_unknown_name_over_the_file_limit_that_may_hold_a_config(tmp_path: Path) -> None:
    repo = _committed(tmp_path, {CONFIG: _servers("${ACME_API_KEY}", _PAD),
                                 "data/rows.json": json.dumps({"rows": ["x" * 100] * 4000}) + "\n"})
    done = _cli(repo.path, "--max-file-size", str(200_000))
    assert done.returncode == 0, done.stderr  # a note, not a failure
    report = json.loads(done.stdout)
    text = json.dumps(report)
    assert CONFIG in text and "not probed" in text
    assert "data/rows.json" not in text  # over the limit too, but no MCP word: not named


def _push(repo: Repo, tmp_path: Path, gh: FakeGitHub, event: str = "push") -> tuple[int, list[str], str]:
    gh.add("POST", STATUS, status_reply)
    head = git(repo.path, "rev-parse", "HEAD")
    payload = {"ref": "refs/heads/main", "after": head} if event == "push" else {}
    result = run(repo.path, tmp_path, event, payload, {"GITHUB_REF": "refs/heads/main"}, scan_mode="full")
    return result.code, states(gh), everything(result, gh)


@pytest.mark.parametrize("event", ["push", "schedule", "workflow_dispatch"])
def test_action_whole_tree_scan_probes_configs_of_unknown_names(tmp_path: Path, gh: FakeGitHub,
                                                                 event: str) -> None:
    secret = pat(7102)
    repo = _committed(tmp_path, {CONFIG: _servers(secret), "README.md": "hi\n"})
    code, posted, output = _push(repo, tmp_path, gh, event)
    assert (code, posted) == (1, ["failure"]), output[-2000:]
    no_piece(output, secret)


def test_action_whole_tree_scan_probes_a_padded_config(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = opaque(7103)
    repo = _committed(tmp_path, {CONFIG: _servers(secret, _PAD)})
    code, posted, output = _push(repo, tmp_path, gh)
    assert (code, posted) == (1, ["failure"]), output[-2000:]
    no_piece(output, secret)


def test_action_whole_tree_scan_passes_unrelated_files(tmp_path: Path, gh: FakeGitHub) -> None:
    files = {CONFIG: _servers("${ACME_API_KEY}"),
             "data/servers.json": json.dumps({"servers": [{"host": "a.example.com", "port": 8080}]}) + "\n",
             "ui/chart.json": json.dumps({"type": "bar"}) + "\n"}
    code, posted, output = _push(_committed(tmp_path, files), tmp_path, gh)
    assert (code, posted) == (0, ["success"]), output[-2000:]


def test_whole_tree_probe_reads_only_files_holding_a_probe_word(
        tmp_path: Path, gh: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    """Work, not time: one search of the tree; the 60 files without an MCP word are never read."""
    secret = pat(7104)
    files = {f"ui/panel{i}.json": json.dumps({"id": i, "type": "bar"}) + "\n" for i in range(60)}
    files[CONFIG] = _servers(secret)
    repo = _committed(tmp_path, files)
    read: list[str] = []
    real = gitrefs.read_at

    def counting(repo_path: Path, ref: str, path: str, max_bytes: int | None = None) -> bytes | None:
        read.append(path)
        return real(repo_path, ref, path, max_bytes)

    monkeypatch.setattr(gitrefs, "read_at", counting)
    code, posted, output = _push(repo, tmp_path, gh)
    assert (code, posted) == (1, ["failure"]), output[-2000:]
    assert CONFIG in read and not [path for path in read if path.startswith("ui/")]


def test_tree_holding_keeps_every_file_the_probe_keeps(tmp_path: Path) -> None:
    """The tree search is a superset of `holds_probe_word`: words anywhere, UTF-16 by its BOM,
    symlinks (read as their target) always; a file with none of them is left out."""
    repo = Repo(tmp_path / "ws")
    utf16 = b"\xff\xfe" + json.dumps({"mcpServers": {}}).encode("utf-16-le")
    (repo.path / "a").mkdir()
    (repo.path / "a/u16.json").write_bytes(utf16)
    (repo.path / "a/late.json").write_text(" " * _PAD + '{"extensions": {}}')
    (repo.path / "a/none.json").write_text('{"id": 1}')
    (repo.path / "a/link.json").symlink_to("none.json")
    git(repo.path, "add", "-A")
    head = repo.commit({"b.yaml": "servers: {}\n"})
    tree = gitrefs.TreeFiles(repo.path, head)
    names = {"a/u16.json", "a/late.json", "a/none.json", "a/link.json", "b.yaml"}
    assert tree.holding(PROBE_MARKS, names) == names - {"a/none.json"}


def test_action_whole_tree_scan_names_a_data_file_over_the_limit(tmp_path: Path, gh: FakeGitHub) -> None:
    rows = json.dumps({"rows": ["x" * 100] * 60_000, "servers": []}) + "\n"  # over 5 MiB, word at its end
    repo = _committed(tmp_path, {CONFIG: _servers("${ACME_API_KEY}"), "data/big.json": rows})
    code, posted, output = _push(repo, tmp_path, gh)
    assert (code, posted) == (0, ["success"]), output[-2000:]  # a note, not a failure
    assert "data/big.json" in output and "not probed" in output
