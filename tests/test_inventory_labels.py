"""Inventory lists every credential field the rules see; one place has one environment verdict across
all findings and the inventory (issue 11). Values built at run time."""

from __future__ import annotations

import json
from pathlib import Path

from scanner.inventory import build_inventory
from scanner.pipeline import scan_files
from scanner.result import ScanOptions, ScanResult
from tests.fakes import fake_token

LIVE = fake_token("sk_" + "live_", 24, 41)
PASSWORD = fake_token("", 20, 42)


def _scan(files: dict[str, object]) -> ScanResult:
    data = {path: json.dumps(doc, indent=2).encode() for path, doc in files.items()}
    return scan_files(data, ScanOptions(root=Path("."), use_gitleaks=False))


def test_one_place_one_environment_across_findings_and_inventory() -> None:
    # A live key in a dev config, reused in a prod config: MCPG102, MCPG202 and MCPG203 sit at the
    # same place and must agree on where it is (the demo said prod on one and dev on another).
    result = _scan({
        ".mcp.json": {"mcpServers": {"stripe": {"command": "npx",
                                                "args": ["-y", "@stripe/mcp", "--api-key", LIVE]}}},
        "deploy/prod/mcp.json": {"mcpServers": {"payments": {"command": "npx",
                                                             "env": {"STRIPE_SECRET_KEY": LIVE}}}},
    })
    at_place = [f for f in result.findings if f.file == ".mcp.json"]
    assert {f.rule_id for f in at_place} >= {"MCPG102", "MCPG202", "MCPG203"}
    assert {f.environment.value for f in at_place} == {"dev"}
    rows = {row.server: row for row in build_inventory(result)}
    assert rows["stripe"].environment == "dev" and rows["payments"].environment == "prod"
    assert {f.environment.value for f in result.findings if f.file == "deploy/prod/mcp.json"} == {"prod"}


def test_inventory_lists_credentials_in_args_urls_and_connection_strings() -> None:
    result = _scan({".cursor/mcp.json": {"mcpServers": {
        "db": {"command": "npx", "args": ["-y", "pg-mcp", f"postgresql://app:{PASSWORD}@db.example.com/app"]},
        "api": {"command": "npx", "args": ["server", "--api-key", "${API_KEY}", "--token=<your-token>"]},
        "remote": {"url": f"https://u:{PASSWORD}@mcp.example.com/mcp"},
        "plain": {"command": "npx", "args": ["-y", "server-fs", "/tmp"]},
    }}})
    rows = {row.server: row for row in build_inventory(result)}
    assert rows["db"].credentials == (("args[2]", "literal"),)
    assert rows["api"].credentials == (("args[2]", "reference"), ("args[3]", "placeholder"))
    assert rows["remote"].credentials == (("url", "literal"),)
    assert rows["plain"].credentials == ()
