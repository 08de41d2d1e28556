"""Path ignores and rule disables: parsing, expiry, unused warnings, and the visible record of what
they hid (ScanResult.suppressions, the JSON `suppressions` list)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from scanner.errors import ConfigError
from scanner.findings import Finding
from scanner.model import Category, Environment, Location, Severity
from scanner.policy import PathIgnore, RuleDisable, apply_ignores, parse_policy
from scanner.reporters import render
from scanner.result import ScanOptions
from tests.fakes import fake_hex, fake_token

TODAY = dt.date(2026, 12, 1)


def _finding(rule: str, path: str, seed: int) -> Finding:
    return Finding(rule_id=rule, category=Category.SECRET, severity=Severity.HIGH,
                   location=Location(path, 3, 5), client="claude-code", server="gh",
                   field="env.GITHUB_TOKEN", environment=Environment.DEV, secret_type="github-pat",
                   redacted="ghp_…abcd", fingerprint=fake_hex(64, seed), message="m")


def test_parse_path_ignores_and_rule_disables() -> None:
    policy = parse_policy("ignore-paths:\n  - {path: ./examples/**, reason: samples, expires: 2027-01-31}\n"
                          "disable-rules:\n  - {rule: mcpg312, reason: we pin by digest elsewhere}\n",
                          ".mcp-guard.yml")
    assert policy.ignore_paths == (PathIgnore("examples/**", "samples", dt.date(2027, 1, 31)),)
    assert policy.disable_rules == (RuleDisable("MCPG312", "we pin by digest elsewhere", None),)


@pytest.mark.parametrize(("text", "message"), [
    ("ignore-paths:\n  - {path: 'x/**'}\n", "ignore-paths[0].reason: required"),
    ("ignore-paths:\n  - {reason: r}\n", "ignore-paths[0].path: required"),
    ("ignore-paths:\n  - {path: '', reason: r}\n", "ignore-paths[0].path: must not be empty"),
    ("disable-rules:\n  - {rule: hardcoded-secret, reason: r}\n",
     "disable-rules[0].rule: 'hardcoded-secret' has"),
    ("disable-rules:\n  - {rule: MCPG101, reason: r, expires: 2027-02-30}\n",
     "disable-rules[0].expires: not a valid date"),
    ("disable-rules:\n  - {rule: MCPG101, reason: r, paths: [x]}\n", "disable-rules[0].paths: unknown key"),
])
def test_bad_entries_are_one_line_errors(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_policy(text, ".mcp-guard.yml")
    assert f"policy .mcp-guard.yml: {message}" in str(info.value) and "\n" not in str(info.value)


def test_apply_path_ignores_and_rule_disables_with_expiry_and_unused() -> None:
    policy = parse_policy(
        "ignore-paths:\n"
        "  - {path: 'examples/**', reason: sample configs, expires: 2026-12-01}\n"  # valid through today
        "  - {path: 'old/**', reason: gone, expires: 2026-11-30}\n"  # expired
        "  - {path: 'nowhere/*.json', reason: never matches}\n"  # unused
        "disable-rules:\n"
        "  - {rule: MCPG312, reason: accepted}\n"
        "  - {rule: MCPG999, reason: typo}\n",  # unused
        ".mcp-guard.yml")
    findings = [_finding("MCPG101", "examples/a/.mcp.json", 1), _finding("MCPG312", ".mcp.json", 2),
                _finding("MCPG312", "examples/.mcp.json", 3), _finding("MCPG101", "old/.mcp.json", 4),
                _finding("MCPG101", "src/examples/.mcp.json", 5)]
    outcome = apply_ignores(findings, policy, TODAY)
    assert [f.fingerprint for f in outcome.kept] == [fake_hex(64, 4), fake_hex(64, 5)]
    assert len(outcome.suppressed) == 3
    # A finding hit by two entries counts for both: neither is reported unused.
    assert [(s.kind, s.match, s.count) for s in outcome.suppressions] == [
        ("path", "examples/**", 2), ("rule", "MCPG312", 2)]
    assert outcome.suppressions[0].reason == "sample configs"
    assert outcome.suppressions[0].expires == dt.date(2026, 12, 1)
    assert outcome.warnings == (
        ".mcp-guard.yml: ignore-paths[1] (old/**) expired on 2026-11-30; "
        "findings in these files are reported again",
        ".mcp-guard.yml: ignore-paths[2] (nowhere/*.json) matched no finding; remove it",
        ".mcp-guard.yml: disable-rules[1] (MCPG999) matched no finding; remove it",
    )


def test_fingerprint_ignore_is_recorded_shortened() -> None:
    fp = fake_hex(64, 7)
    policy = parse_policy(f"ignore:\n  - {{fingerprint: {fp}, reason: revoked fixture}}\n", ".mcp-guard.yml")
    outcome = apply_ignores([_finding("MCPG101", ".mcp.json", 7)], policy, TODAY)
    assert [(s.kind, s.match, s.count) for s in outcome.suppressions] == [("fingerprint", fp[:12], 1)]


def test_scan_json_lists_suppressions(tmp_path: Path) -> None:
    from scanner.pipeline import scan

    token = fake_token("ghp_", 36, seed=31)
    config = json.dumps({"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": token}}}})
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / ".mcp.json").write_text(config, encoding="utf-8")
    (tmp_path / ".mcp.json").write_text(config.replace(token, token[::-1]), encoding="utf-8")
    policy = parse_policy("ignore-paths:\n  - {path: 'examples/**', reason: 'sample configs'}\n",
                          ".mcp-guard.yml")
    result = scan(ScanOptions(root=tmp_path, use_gitleaks=False, policy=policy, today=TODAY))
    assert {f.file for f in result.findings} == {".mcp.json"}
    unfiltered = scan(ScanOptions(root=tmp_path, use_gitleaks=False, today=TODAY)).findings
    hidden = [f for f in unfiltered if f.file.startswith("examples/")]
    assert result.suppressed == len(hidden) > 0
    data = json.loads(render("json", result))
    assert data["suppressions"] == [{"kind": "path", "match": "examples/**", "reason": "sample configs",
                                     "expires": None, "suppressed": len(hidden), "source": ".mcp-guard.yml"}]
    assert data["summary"]["suppressed"] == len(hidden)
