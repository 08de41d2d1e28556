"""Tests for scanner/policy.py: parsing, validation messages, ignores, branch and path globs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from scanner.errors import ConfigError
from scanner.findings import Finding, fingerprint
from scanner.model import Category, Environment, Location, Severity
from scanner.policy import (
    HistoryMode,
    Policy,
    apply_ignores,
    find_policy_file,
    load_policy,
    load_schema,
    match_path_glob,
    matches_branch,
    parse_policy,
)
from tests.fakes import fake_hex

REPO = Path(__file__).resolve().parents[1]
FULL = """\
version: 1
fail-on: high
ignore:
  - fingerprint: {fp}
    reason: "test fixture token, revoked"
    expires: 2027-01-31
  - fingerprint: {fp2}
    reason: accepted
production:
  hosts: ["*.prod.example.com", "db-main.internal"]
  env: {{DEPLOY_TARGET: "live", APP_ENV: "prod*"}}
  paths: {{"deploy/prod/**": prod, "infra/staging/**": staging}}
  branches: ["main", "release/*"]
history: warn
"""


def _finding(fp: str) -> Finding:
    return Finding(rule_id="MCPG101", category=Category.SECRET, severity=Severity.HIGH,
                   location=Location(".mcp.json", 3, 5), client="claude-code", server="gh",
                   field="env.GITHUB_TOKEN", environment=Environment.DEV, secret_type="github-pat",
                   redacted="ghp_…abcd", fingerprint=fp, message="m")


def test_parse_policy_full_document() -> None:
    fp, fp2 = fake_hex(64, 1), fake_hex(64, 2).upper()
    policy = parse_policy(FULL.format(fp=fp, fp2=fp2), ".mcp-guard.yml")
    assert policy.fail_on is Severity.HIGH
    assert policy.history is HistoryMode.WARN
    assert [(i.fingerprint, i.expires) for i in policy.ignores] == [
        (fp, dt.date(2027, 1, 31)), (fp2.lower(), None)]
    prod = policy.production
    assert prod.host_is_prod("API.prod.example.com") == "*.prod.example.com"
    assert prod.host_is_prod("api.staging.example.com") is None
    assert prod.env_is_prod("APP_ENV", "Production") and prod.env_is_prod("DEPLOY_TARGET", "live")
    assert not prod.env_is_prod("APP_ENV", "staging")
    assert prod.path_environment("deploy/prod/a/.mcp.json") == ("deploy/prod/**", Environment.PROD)
    assert prod.path_environment("infra/staging/mcp.json") == ("infra/staging/**", Environment.STAGING)
    assert prod.path_environment(".cursor/mcp.json") is None
    assert prod.branches == ("main", "release/*")


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_parse_policy_empty_is_default(text: str) -> None:
    assert parse_policy(text, "p.yml") == Policy(origin="p.yml")


@pytest.mark.parametrize(("text", "expected"), [
    ("ignore:\n  - fingerprint: {fp}\n", "policy .mcp-guard.yml: ignore[0].reason: required"),
    ("ignore:\n  - reason: x\n", "policy .mcp-guard.yml: ignore[0].fingerprint: required"),
    ("fail-on: urgent\n", "policy .mcp-guard.yml: fail-on: 'urgent' is not one of"),
    ("history: maybe\n", "policy .mcp-guard.yml: history: 'maybe' is not one of"),
    ("version: 2\n", "policy .mcp-guard.yml: version: must be 1"),
    ("ignores: []\n", "policy .mcp-guard.yml: ignores: unknown key"),
    ("ignore:\n  - fingerprint: abc\n    reason: x\n",
     "policy .mcp-guard.yml: ignore[0].fingerprint: 'abc' has"),
    ("ignore:\n  - fingerprint: {fp}\n    reason: x\n    expires: 2027-02-30\n",
     "policy .mcp-guard.yml: ignore[0].expires: not a valid date"),
    ("production:\n  paths: {{'a/**': live}}\n", "policy .mcp-guard.yml: production.paths.a/**: 'live'"),
    ("production:\n  hosts: prod.example.com\n", "policy .mcp-guard.yml: production.hosts: expected array"),
    ("- 1\n- 2\n", "policy .mcp-guard.yml: (top level): expected object, got array"),
    ("ignore: [\n", "policy .mcp-guard.yml: invalid YAML"),
    ("a: &a [1]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, "
     "*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, "
     "*a, *a, *a, *a, *a, *a, *a, *a]\n", "policy .mcp-guard.yml: invalid YAML: too many aliases"),
])
def test_parse_policy_errors_are_one_line_and_name_the_key(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_policy(text.format(fp=fake_hex(64, 3)), ".mcp-guard.yml")
    message = str(info.value)
    assert message.startswith(expected), message
    assert "\n" not in message


def test_load_policy_reads_file_and_defaults(tmp_path: Path) -> None:
    assert load_policy(None) == Policy()
    assert find_policy_file(tmp_path) is None
    (tmp_path / ".mcp-guard.yaml").write_text("fail-on: medium\n", encoding="utf-8")
    found = find_policy_file(tmp_path)
    assert found is not None and found.name == ".mcp-guard.yaml"
    assert load_policy(found).fail_on is Severity.MEDIUM
    (tmp_path / ".mcp-guard.yml").write_text("fail-on: low\n", encoding="utf-8")
    assert find_policy_file(tmp_path) == tmp_path / ".mcp-guard.yml"
    with pytest.raises(ConfigError, match="cannot read"):
        load_policy(tmp_path / "missing.yml")


def test_apply_ignores_suppresses_and_warns() -> None:
    live, expired, unused = (fingerprint("MCPG101", ".mcp.json", "gh", "env.T", str(i)) for i in range(3))
    other = fingerprint("MCPG101", ".mcp.json", "gh", "env.U", "x")
    text = (f"ignore:\n  - {{fingerprint: {live}, reason: ok, expires: 2026-11-21}}\n"
            f"  - {{fingerprint: {expired}, reason: old, expires: 2026-11-20}}\n"
            f"  - {{fingerprint: {unused}, reason: gone}}\n")
    policy = parse_policy(text, ".mcp-guard.yml")
    findings = [_finding(live), _finding(expired), _finding(other)]
    outcome = apply_ignores(findings, policy, dt.date(2026, 11, 21))
    assert [f.fingerprint for f in outcome.suppressed] == [live]
    assert [f.fingerprint for f in outcome.kept] == [expired, other]
    assert len(outcome.warnings) == 2
    assert "ignore[1]" in outcome.warnings[0] and "expired on 2026-11-20" in outcome.warnings[0]
    assert "ignore[2]" in outcome.warnings[1] and "matched no finding" in outcome.warnings[1]
    assert all("\n" not in w for w in outcome.warnings)


def test_apply_ignores_without_policy_keeps_everything() -> None:
    outcome = apply_ignores([_finding("a" * 64)], Policy(), dt.date(2026, 1, 1))
    assert len(outcome.kept) == 1 and not outcome.suppressed and not outcome.warnings


@pytest.mark.parametrize(("branch", "patterns", "expected"), [
    ("main", ["main"], True),
    ("refs/heads/main", ["main"], True),
    ("release/1.2", ["main", "release/*"], True),
    ("release", ["release/*"], False),
    ("feature/main", ["main"], False),
    ("mainline", ["main"], False),
    ("prod", [], False),
])
def test_matches_branch(branch: str, patterns: list[str], expected: bool) -> None:
    assert matches_branch(branch, patterns) is expected


@pytest.mark.parametrize(("path", "pattern", "expected"), [
    ("deploy/prod/.mcp.json", "deploy/prod/**", True),
    ("deploy/prod/x/y/mcp.json", "deploy/prod/**", True),
    ("deploy/production/mcp.json", "deploy/prod/**", False),
    (".mcp.json", "**/.mcp.json", True),
    ("a/b/.mcp.json", "**/.mcp.json", True),
    ("a/b/.mcp.json", "*/.mcp.json", False),
    ("./infra/staging/mcp.json", "infra/staging/*.json", True),
])
def test_match_path_glob(path: str, pattern: str, expected: bool) -> None:
    assert match_path_glob(path, pattern) is expected


def test_schema_public_copy_is_identical_to_packaged_copy() -> None:
    public = json.loads((REPO / "schema" / "mcp-guard.schema.json").read_text(encoding="utf-8"))
    assert public == load_schema()
    assert (REPO / "schema" / "mcp-guard.schema.json").read_bytes() == (
        REPO / "scanner" / "data" / "mcp-guard.schema.json").read_bytes()
