"""A file whose name discovery does not know but whose content is an MCP config is scanned like a
known one: a client is pointed at any path (`claude --mcp-config tools/agent-servers.json` in a
package.json script, `--mcp-config` in a workflow). Before, the CLI only named such a file in a
notice and the Action never looked at it, so an opaque key in it passed the gate.
Every secret is built at run time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.gh.action_helpers import (
    Files,
    everything,
    expect_run,
    no_piece,
    one_change_pr,
    opaque,
    pat,
    pr_payload,
    run,
    states,
)
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub

CONFIG = "tools/agent-servers.json"
SCRIPT = json.dumps({"name": "app", "scripts": {"agent": f"claude --mcp-config {CONFIG}"}}) + "\n"


def _servers(key: str) -> str:
    server = {"command": "npx", "args": ["-y", "@acme/mcp-server"], "env": {"ACME_API_KEY": key}}
    return json.dumps({"mcpServers": {"acme": server}}, indent=2) + "\n"


def test_opaque_key_in_a_config_of_unknown_name_blocks(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = opaque(7001)
    _blocked(_pr(tmp_path, gh, [{CONFIG: _servers(secret), "package.json": SCRIPT}]), secret)


def test_config_of_unknown_name_changed_alone_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    # The fast path ("no MCP config changed") must not skip it.
    secret = opaque(7002)
    base: Files = {"README.md": "hi\n", CONFIG: _servers("${ACME_API_KEY}"), "package.json": SCRIPT}
    _blocked(_pr(tmp_path, gh, [{CONFIG: _servers(secret)}], base=base), secret)


def test_config_of_unknown_name_added_then_removed_is_found_in_history(
        tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(7003)
    _blocked(_pr(tmp_path, gh, [{CONFIG: _servers(secret)}, {CONFIG: None}]), secret)


def test_full_scan_mode_on_a_pr_scans_a_changed_config_of_unknown_name(
        tmp_path: Path, gh: FakeGitHub) -> None:
    secret = opaque(7005)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: _servers(secret), "package.json": SCRIPT})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), scan_mode="full")
    assert (result.code, states(gh)) == (1, ["failure"]), result.log[-2000:]
    no_piece(everything(result, gh), secret)


def test_unknown_name_without_mcp_content_or_with_a_reference_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    files: Files = {
        CONFIG: _servers("${ACME_API_KEY}"),  # a config that reads its key from the environment
        "data/servers.json": json.dumps({"servers": [{"host": "a.example.com", "port": 8080}]}) + "\n",
    }
    _passed(_pr(tmp_path, gh, [files]))


def test_cli_scan_reports_a_config_of_unknown_name(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "tools").mkdir(parents=True)
    secret = opaque(7004)
    (repo / CONFIG).write_text(_servers(secret), encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    argv = [sys.executable, "-m", "scanner", "scan", "--no-gitleaks", "--format", "json", str(repo)]
    run = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert [(f["file"], f["server"]) for f in report["findings"] if f["rule_id"].startswith("MCPG1")] == [
        (CONFIG, "acme")]
    no_piece(run.stdout + run.stderr, secret)
