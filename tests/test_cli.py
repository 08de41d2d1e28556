"""CLI: one test per documented exit code, options, and the no-secret-in-output guarantee."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.reporters import OutputFormat
from tests.conftest import WriteRepo, git
from tests.fakes import assert_no_secret, fake_token


def cursor_config(value: str) -> str:
    return json.dumps({"mcpServers": {"github": {"command": "npx", "args": ["-y", "gh-mcp"],
                                                 "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": value}}}}, indent=2)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_exit_0_on_clean_repo(write_repo: WriteRepo) -> None:
    root = write_repo({".cursor/mcp.json": cursor_config("${env:GITHUB_TOKEN}")})
    code, out, _ = run("scan", "--no-gitleaks", str(root))
    assert code == 0
    assert "1 MCP config file(s), 1 server(s), 0 finding(s)" in out


def test_cli_exit_1_on_leaked_token(write_repo: WriteRepo, github_pat: str) -> None:
    root = write_repo({".cursor/mcp.json": cursor_config(github_pat)})
    code, out, err = run("scan", "--no-gitleaks", str(root))
    assert code == 1
    assert ".cursor/mcp.json:10:41" in out and "MCPG1" in out
    assert_no_secret(out + err, github_pat)


def test_cli_fail_on_none_exits_0_with_findings(write_repo: WriteRepo, github_pat: str) -> None:
    root = write_repo({".cursor/mcp.json": cursor_config(github_pat)})
    code, out, _ = run("scan", "--no-gitleaks", "--fail-on", "none", "--format", "json", str(root))
    assert code == 0
    doc = json.loads(out)
    assert doc["summary"]["findings"] >= 1 and doc["summary"]["blocking"] == 0


def test_cli_exit_2_on_missing_path(tmp_path: Path) -> None:
    code, _, err = run("scan", str(tmp_path / "nope"))
    assert code == 2
    assert "does not exist" in err


def test_cli_exit_2_on_bad_option() -> None:
    code, _, _ = run("scan", "--fail-on", "urgent")
    assert code == 2


def test_cli_exit_2_on_bad_policy(write_repo: WriteRepo) -> None:
    root = write_repo({".mcp-guard.yml": "fail-on: urgent\n", ".cursor/mcp.json": cursor_config("")})
    code, _, err = run("scan", "--no-gitleaks", str(root))
    assert code == 2
    assert "fail-on" in err and len(err.strip().splitlines()) == 1


def test_cli_broken_file_is_warning_and_others_still_scanned(write_repo: WriteRepo, github_pat: str) -> None:
    root = write_repo({".cursor/mcp.json": cursor_config(github_pat), ".vscode/mcp.json": '{"servers": {'})
    code, out, err = run("scan", "--no-gitleaks", "--format", "json", str(root))
    doc = json.loads(out)
    errors = [(e["file"], e["kind"], e["fatal"]) for e in doc["errors"]]
    assert errors == [(".vscode/mcp.json", "parse", False)]
    assert doc["complete"] is True
    assert any(f["file"] == ".cursor/mcp.json" for f in doc["findings"])
    assert code == 1
    assert "mcp-guard: warning: .vscode/mcp.json: invalid JSON" in err


def test_cli_broken_file_alone_exits_0_unless_strict_parse(write_repo: WriteRepo) -> None:
    root = write_repo({".vscode/mcp.json": '{"servers": {'})
    code, _, err = run("scan", "--no-gitleaks", str(root))
    assert code == 0 and ".vscode/mcp.json" in err
    code, _, err = run("scan", "--no-gitleaks", "--strict-parse", str(root))
    assert code == 2 and "mcp-guard: error: .vscode/mcp.json" in err


def test_cli_incomplete_scan_never_exits_0(write_repo: WriteRepo) -> None:
    root = write_repo({".vscode/mcp.json": ""})
    (root / ".vscode/mcp.json").write_bytes(b"\x00\x01binary\x00")
    code, _, err = run("scan", "--no-gitleaks", str(root))
    assert code == 2
    assert ".vscode/mcp.json" in err


def test_cli_output_file_and_formats(write_repo: WriteRepo, github_pat: str, tmp_path: Path) -> None:
    root = write_repo({".cursor/mcp.json": cursor_config(github_pat)})
    for fmt in [f.value for f in OutputFormat]:
        out_file = tmp_path / f"report.{fmt}"
        code, out, err = run("scan", "--no-gitleaks", "--format", fmt, "-o", str(out_file), str(root))
        assert code == 1
        assert out == ""
        text = out_file.read_text(encoding="utf-8")
        assert "github" in text
        assert_no_secret(text + err, github_pat)


def test_cli_git_repo_scans_tracked_files_only(write_repo: WriteRepo, github_pat: str) -> None:
    root = write_repo({".cursor/mcp.json": cursor_config("${env:GITHUB_TOKEN}")})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    (root / ".mcp.json").write_text(cursor_config(github_pat), encoding="utf-8")  # untracked
    assert run("scan", "--no-gitleaks", str(root))[0] == 0


def test_cli_fix_lists_what_it_did_not_fix_and_exits_non_zero(write_repo: WriteRepo, github_pat: str) -> None:
    desktop = json.dumps({"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": github_pat}}}})
    root = write_repo({".cursor/mcp.json": cursor_config(github_pat), "claude_desktop_config.json": desktop})
    code, out, err = run("fix", "--no-gitleaks", str(root))
    assert code == 1
    assert "claude_desktop_config.json:1: MCPG101 not fixed: No in-file fix for Claude Desktop" in err
    assert "Desktop Extension" in err and "1 secret finding(s) left" in err
    assert_no_secret(out + err, github_pat)
    assert_no_secret((root / ".cursor/mcp.json").read_text(encoding="utf-8"), github_pat)
    assert run("scan", "--no-gitleaks", "--all-files", str(root))[0] == 1


def test_cli_fix_counts_a_value_fixed_once_for_every_finding_on_it(write_repo: WriteRepo) -> None:
    # A live Stripe key on a command line: MCPG102 (with the fix) and MCPG203 (production key in a dev
    # config) sit on the one value; the fix takes it out for both, so nothing is left by hand.
    live = fake_token("sk_live_", 30, seed=98)
    server = {"type": "stdio", "command": "npx", "args": ["-y", "@stripe/mcp", f"--api-key={live}"]}
    vscode = json.dumps({"servers": {"stripe": server}}, indent=2)
    root = write_repo({".vscode/mcp.json": vscode})
    code, out, err = run("fix", "--no-gitleaks", str(root))
    assert "not fixed" not in err and "left for you" not in err and code == 0
    assert_no_secret(out + err + (root / ".vscode/mcp.json").read_text(encoding="utf-8"), live)
    assert run("scan", "--no-gitleaks", str(root))[0] == 0


def test_cli_skips_vendored_trees(write_repo: WriteRepo, github_pat: str) -> None:
    root = write_repo({"node_modules/pkg/.mcp.json": cursor_config(github_pat)})
    code, out, _ = run("scan", "--no-gitleaks", "--format", "json", str(root))
    assert code == 0 and json.loads(out)["scanned_files"] == []


def test_cli_baseline_round_trip(write_repo: WriteRepo, github_pat: str, tmp_path: Path) -> None:
    root = write_repo({".cursor/mcp.json": cursor_config(github_pat)})
    baseline = tmp_path / "baseline.json"
    code, _, _ = run("baseline", "--no-gitleaks", "-o", str(baseline), str(root))
    assert code == 0
    assert_no_secret(baseline.read_text(encoding="utf-8"), github_pat)
    assert run("scan", "--no-gitleaks", "--baseline", str(baseline), str(root))[0] == 0
    other = fake_token("ghp_", 36, seed=99)
    (root / ".cursor/mcp.json").write_text(cursor_config(other), encoding="utf-8")
    assert run("scan", "--no-gitleaks", "--baseline", str(baseline), str(root))[0] == 1


def test_cli_inventory_lists_names_never_values(write_repo: WriteRepo, github_pat: str) -> None:
    remote = {"type": "http", "url": "https://mcp.example.com/mcp",
              "headers": {"Authorization": "Bearer ${input:tok}"}}
    root = write_repo({".cursor/mcp.json": cursor_config(github_pat),
                       ".vscode/mcp.json": json.dumps({"servers": {"s": remote}})})
    code, out, err = run("inventory", "--format", "json", str(root))
    assert code == 0
    servers = {s["server"]: s for s in json.loads(out)["servers"]}
    assert servers["github"]["env"] == [{"name": "GITHUB_PERSONAL_ACCESS_TOKEN", "mode": "literal"}]
    assert servers["s"]["headers"] == [{"name": "Authorization", "mode": "reference"}]
    assert servers["s"]["target"] == "mcp.example.com" and servers["s"]["transport"] == "http"
    assert_no_secret(out + err, github_pat)
    code, out, _ = run("inventory", str(root))
    assert code == 0 and "GITHUB_PERSONAL_ACCESS_TOKEN=literal" in out
    assert_no_secret(out, github_pat)


def test_cli_version_and_module_entry_point() -> None:
    proc = subprocess.run([sys.executable, "-m", "scanner", "--version"], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("mcp-guard, version ")


@pytest.mark.parametrize("fail_on,expected", [("critical", 0), ("high", 1), ("low", 1), ("none", 0)])
def test_cli_fail_on_threshold(write_repo: WriteRepo, github_pat: str, fail_on: str, expected: int) -> None:
    root = write_repo({".cursor/mcp.json": cursor_config(github_pat)})
    assert run("scan", "--no-gitleaks", "--fail-on", fail_on, str(root))[0] == expected


def test_cli_fix_dry_run_then_apply(write_repo: WriteRepo, github_pat: str) -> None:
    root = write_repo({".cursor/mcp.json": cursor_config(github_pat)})
    before = (root / ".cursor/mcp.json").read_text(encoding="utf-8")
    code, out, err = run("fix", "--dry-run", "--no-gitleaks", str(root))
    assert code == 0
    assert "${env:GITHUB_PERSONAL_ACCESS_TOKEN}" in out
    assert_no_secret(out + err, github_pat)
    assert (root / ".cursor/mcp.json").read_text(encoding="utf-8") == before
    code, out, err = run("fix", "--no-gitleaks", str(root))
    assert code == 0
    assert_no_secret(out + err, github_pat)
    assert_no_secret((root / ".cursor/mcp.json").read_text(encoding="utf-8"), github_pat)
    assert run("scan", "--no-gitleaks", str(root))[0] == 0
