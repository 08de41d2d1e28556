"""End-to-end pipeline behaviour across families (secret + production reuse on the same value)."""

from __future__ import annotations

import json

from scanner.pipeline import scan
from scanner.result import ScanOptions
from tests.conftest import WriteRepo
from tests.fakes import assert_no_secret, fake_token


def test_live_key_shared_by_dev_and_prod_configs_is_reuse_at_both(write_repo: WriteRepo) -> None:
    live = fake_token("sk_" + "live_", 24, seed=11)
    dev = {"mcpServers": {"stripe": {"command": "npx", "args": ["-y", "@stripe/mcp", f"--api-key={live}"]}}}
    prod = {"mcpServers": {"payments": {"command": "npx", "env": {"STRIPE_SECRET_KEY": live}}}}
    root = write_repo({".mcp.json": json.dumps(dev, indent=2),
                       "deploy/prod/mcp.json": json.dumps(prod, indent=2)})
    result = scan(ScanOptions(root=root, use_gitleaks=False))
    reuse = [f for f in result.findings if f.rule_id == "MCPG202"]
    assert sorted(f.file for f in reuse) == [".mcp.json", "deploy/prod/mcp.json"]
    assert {f.environment.value for f in reuse} == {"dev", "prod"}
    assert all(f.related for f in reuse)
    rules_at_dev_value = {f.rule_id for f in result.findings if f.file == ".mcp.json"}
    assert {"MCPG102", "MCPG202", "MCPG203"} <= rules_at_dev_value
    assert_no_secret(repr(result.findings), live)


def test_same_key_in_two_dev_configs_is_not_reuse(write_repo: WriteRepo) -> None:
    token = fake_token("ghp_", 36, seed=12)
    config = {"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": token}}}}
    root = write_repo({".mcp.json": json.dumps(config), ".cursor/mcp.json": json.dumps(config)})
    result = scan(ScanOptions(root=root, use_gitleaks=False))
    assert not [f for f in result.findings if f.rule_id == "MCPG202"]
    assert len([f for f in result.findings if f.category.value == "secret"]) == 2
