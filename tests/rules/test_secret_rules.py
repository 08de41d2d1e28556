"""Secret rules MCPG101-105: routing by placement, finding fields, no raw value anywhere."""

from __future__ import annotations

import json

import pytest

from scanner.engines.builtin import BuiltinEngine
from scanner.findings import Finding
from scanner.fix.secrets import fixer
from scanner.model import Severity
from scanner.rules import all_rules
from scanner.rules.base import RuleContext
from scanner.rules.secret import route
from tests.engines.helpers import parse_files
from tests.fakes import assert_no_secret, fake_token

GH = fake_token("ghp_", 36, 21)


def _findings(files: dict[str, str]) -> list[Finding]:
    configs, sources = parse_files(files)
    matches = BuiltinEngine().detect(configs, sources)
    texts = {k: v.decode() for k, v in sources.items()}
    ctx = RuleContext(configs=configs, secrets=matches, sources=texts, fix_for=fixer(texts))
    return [f for rule in all_rules() if rule.id.startswith("MCPG1") for f in rule.check(ctx)]


def _mcp(entry: dict[str, object]) -> dict[str, str]:
    return {".mcp.json": json.dumps({"mcpServers": {"gh": entry}})}


@pytest.mark.parametrize(("files", "rule_id"), [
    (_mcp({"command": "npx", "env": {"GITHUB_TOKEN": GH}}), "MCPG101"),
    (_mcp({"type": "http", "url": "https://x.example.net/mcp", "headers": {"Authorization": f"Bearer {GH}"}}),
     "MCPG101"),
    (_mcp({"command": "npx", "args": ["srv", "--token", GH]}), "MCPG102"),
    (_mcp({"command": "npx", "args": ["srv", "mysql://root:Xq83hZpw1@10.2.3.4/db"]}), "MCPG103"),
    ({".claude/settings.json": json.dumps({"env": {"GITHUB_TOKEN": GH}})}, "MCPG104"),
    ({".mcp.env": f"GITHUB_TOKEN={GH}\n"}, "MCPG104"),
    ({".cursor/mcp.json": '{\n// "GITHUB_TOKEN": "' + GH + '"\n"mcpServers": {}}'}, "MCPG105"),
])
def test_each_placement_routes_to_one_rule(files: dict[str, str], rule_id: str) -> None:
    findings = _findings(files)
    assert [f.rule_id for f in findings] == [rule_id]
    finding = findings[0]
    assert finding.secret_type and finding.redacted and finding.detail("engine") == "builtin"
    assert finding.detail("placement") and finding.detail("provider")
    for text in (finding.message, repr(finding), finding.redacted, str(finding.details)):
        assert_no_secret(text, GH)


def test_severity_comes_from_the_match() -> None:
    key = fake_token("sk_live_", 24, 3)
    [finding] = _findings(_mcp({"command": "npx", "env": {"STRIPE_SECRET_KEY": key}}))
    assert finding.severity is Severity.CRITICAL and finding.detail("live") == "true"


def test_route_is_total_over_placements() -> None:
    configs, sources = parse_files(_mcp({"command": "npx", "env": {"GITHUB_TOKEN": GH}}))
    [match] = BuiltinEngine().detect(configs, sources)
    assert route(match) == "MCPG101"
