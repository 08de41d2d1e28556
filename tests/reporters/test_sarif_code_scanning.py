"""SARIF as GitHub code scanning reads it: the rule's severity is the result's severity."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from scanner.pipeline import ScanOptions, scan_files
from scanner.reporters import render
from scanner.reporters.sarif import AUTOMATION_ID
from scanner.rules import REGISTRY
from tests.fakes import assert_no_secret, fake_token

SCHEMA = json.loads((Path(__file__).parent.parent / "fixtures" / "sarif-schema-2.1.0.json").read_text())
SEVERITY_SCORE = {"critical": (9.0, 10.0), "high": (7.0, 8.9), "medium": (4.0, 6.9), "low": (0.1, 3.9)}
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}


def _scan() -> tuple[dict[str, object], list[object], list[str]]:
    pat, password = fake_token("ghp_", 36, seed=3), fake_token("", 18, seed=4)
    stripe = "sk_live_" + fake_token("", 24, seed=5)
    config = {"mcpServers": {
        "github": {"command": "npx", "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": pat}},
        "db": {"command": "npx", "args": ["-y", "pg-mcp", f"postgresql://app:{password}@db.prod.example.com/app"]},
        "pay": {"command": "npx", "env": {"STRIPE_SECRET_KEY": stripe}},
    }}
    result = scan_files({".cursor/mcp.json": json.dumps(config, indent=2).encode()},
                        ScanOptions(root=Path("."), use_gitleaks=False))
    return json.loads(render("sarif", result)), list(result.findings), [pat, password, stripe]


def test_rule_severity_matches_each_result() -> None:
    doc, findings, secrets = _scan()
    jsonschema.Draft4Validator(SCHEMA).validate(doc)
    run = doc["runs"][0]  # type: ignore[index]
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    # The critical live Stripe key: a rule whose default is high still reads critical in code scanning.
    assert any(f.rule_id == "MCPG101" and f.severity.label == "critical" for f in findings)
    for finding, res in zip(findings, run["results"], strict=True):
        rule = rules[res["ruleIndex"]]
        label = finding.severity.label  # what the PR comment shows
        low, high = SEVERITY_SCORE[label]
        assert rule["id"] == res["ruleId"] and rule["id"].split("/")[0] == finding.rule_id
        assert low <= float(rule["properties"]["security-severity"]) <= high
        assert rule["defaultConfiguration"]["level"] == res["level"] == LEVEL[label]
        assert rule["properties"]["precision"] in {"very-high", "high", "medium", "low"}
        assert res["rank"] == rule["defaultConfiguration"]["rank"]
        if finding.severity is REGISTRY[finding.rule_id].default_severity:
            assert res["ruleId"] == finding.rule_id  # ids stay stable for the usual case
        if finding.fix is not None:
            assert "Fix:" in res["message"]["text"] and res["fixes"]
    assert run["automationDetails"]["id"] == AUTOMATION_ID
    secret_rule = next(r for r in rules if r["id"] == "MCPG101")
    assert "mcp-guard fix" in secret_rule["help"]["markdown"] and "rotate" in secret_rule["help"]["text"]
    assert_no_secret(json.dumps(doc), *secrets)
