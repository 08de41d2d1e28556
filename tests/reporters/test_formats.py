"""Reporters: JSON contract, SARIF schema validity, and no raw secret in any format."""

from __future__ import annotations

import json
from pathlib import Path

import click
import jsonschema
import pytest

from scanner import cli
from scanner.pipeline import scan
from scanner.reporters import REPORTERS, OutputFormat, render
from scanner.result import ScanOptions
from tests.conftest import WriteRepo
from tests.fakes import assert_no_secret, fake_token

SCHEMA = json.loads((Path(__file__).parent.parent / "fixtures" / "sarif-schema-2.1.0.json").read_text())
CONTRACT_KEYS = {"rule_id", "category", "severity", "file", "line", "column", "client", "server", "field",
                 "environment", "secret_type", "redacted", "fingerprint", "message", "blocking"}


@pytest.fixture
def leaky_result(write_repo: WriteRepo) -> tuple[object, list[str]]:
    pat = fake_token("ghp_", 36, seed=3)
    password = fake_token("", 18, seed=4)
    root = write_repo({
        ".cursor/mcp.json": json.dumps({"mcpServers": {
            "github": {"command": "npx", "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": pat}},
            "db": {"command": "npx", "args": ["-y", "pg-mcp", f"postgresql://app:{password}@db.prod.example.com/app"]},
        }}, indent=2),
    })
    return scan(ScanOptions(root=root, use_gitleaks=False)), [pat, password]


def test_every_format_has_a_reporter_and_is_a_cli_choice() -> None:
    assert set(REPORTERS) == set(OutputFormat)
    option = next(p for p in cli.scan.params if p.name == "fmt")
    assert isinstance(option.type, click.Choice)
    assert list(option.type.choices) == [f.value for f in OutputFormat]


@pytest.mark.parametrize("fmt", [f.value for f in OutputFormat])
def test_no_secret_in_any_format(leaky_result: tuple[object, list[str]], fmt: str) -> None:
    result, secrets = leaky_result
    output = render(fmt, result)  # type: ignore[arg-type]
    assert output
    assert_no_secret(output, *secrets)


def test_json_contract(leaky_result: tuple[object, list[str]]) -> None:
    result, _ = leaky_result
    doc = json.loads(render("json", result))  # type: ignore[arg-type]
    assert doc["version"] == 1 and doc["tool"]["name"] == "mcp-guard"
    assert doc["scanned_files"] == [".cursor/mcp.json"]
    assert doc["summary"]["files"] == 1 and doc["summary"]["servers"] == 2
    assert doc["findings"], "expected findings"
    for finding in doc["findings"]:
        assert CONTRACT_KEYS <= set(finding)
        assert finding["severity"] in {"critical", "high", "medium", "low"}
        assert finding["environment"] in {"local", "dev", "staging", "prod", "unknown"}
        assert len(finding["fingerprint"]) == 64
    token = next(f for f in doc["findings"] if f["field"] == "env.GITHUB_PERSONAL_ACCESS_TOKEN")
    assert token["line"] == 6 and token["server"] == "github" and token["client"] == "cursor"
    assert token["redacted"].startswith("ghp_")


def test_sarif_validates_against_official_schema(leaky_result: tuple[object, list[str]]) -> None:
    result, _ = leaky_result
    doc = json.loads(render("sarif", result))  # type: ignore[arg-type]
    jsonschema.Draft4Validator(SCHEMA).validate(doc)
    run = doc["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    for res in run["results"]:
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert not loc["artifactLocation"]["uri"].startswith("/")
        assert "snippet" not in loc.get("region", {})
        assert len(res["partialFingerprints"]["mcpGuardFingerprint/v1"]) == 64
    for rule in run["tool"]["driver"]["rules"]:
        assert float(rule["properties"]["security-severity"]) > 0


def test_sarif_of_empty_scan_is_valid(write_repo: WriteRepo) -> None:
    root = write_repo({"README.md": "nothing here"})
    doc = json.loads(render("sarif", scan(ScanOptions(root=root, use_gitleaks=False))))
    jsonschema.Draft4Validator(SCHEMA).validate(doc)
    assert doc["runs"][0]["results"] == []
