"""Tests for scanner/rules/prod_env.py (MCPG201-MCPG203) and scanner/rules/capability.py."""

from __future__ import annotations

import pytest

from scanner.model import Category, Environment, Severity
from scanner.policy import parse_policy
from scanner.rules._capability import capability, is_write_tool
from scanner.rules.prod_env import (
    CredentialAcrossEnvironments,
    ProdOnlyCredentialInNonProdConfig,
    ProdResourceFromNonProdConfig,
)
from tests.fakes import assert_no_secret, fake_token
from tests.matrix.builders import config, context, run, secret, servers

R201, R202, R203 = ProdResourceFromNonProdConfig(), CredentialAcrossEnvironments(), \
    ProdOnlyCredentialInNonProdConfig()


def _run201(path: str, entry: dict[str, object], policy: str = "") -> list[Severity]:
    cfg = servers(path, {"s": entry})
    ctx = context([cfg], policy=parse_policy(policy, "p") if policy else None)
    return [f.severity for f in run(R201, ctx)]


@pytest.mark.parametrize(("entry", "severity"), [
    ({"url": "https://mcp.prod.example.com/mcp"}, Severity.HIGH),
    ({"command": "npx", "args": ["pg-mcp", "postgresql://app@db.example.com/orders_production"]},
     Severity.HIGH),
    ({"command": "npx", "args": ["x"], "env": {"APP_ENV": "production"}}, Severity.HIGH),
    ({"command": "npx", "args": ["k8s-mcp", "--context", "prod-cluster"]}, Severity.HIGH),
    ({"command": "npx", "args": ["aws-mcp", "--allow-write"], "env": {"AWS_PROFILE": "prod"}},
     Severity.CRITICAL),
    ({"command": "uvx", "args": ["postgres-mcp", "--access-mode=unrestricted"],
      "env": {"DATABASE_URI": "postgresql://app@pg.prod.acme.io/app"}}, Severity.CRITICAL),
    ({"command": "uvx", "args": ["postgres-mcp", "--access-mode=restricted"],
      "env": {"DATABASE_URI": "postgresql://app@pg.prod.acme.io/app"}}, Severity.MEDIUM),
    ({"command": "npx", "args": ["pg", "postgresql://readonly@pg.prod.acme.io/app"]}, Severity.MEDIUM),
    ({"url": "https://mcp.example.com/x", "headers": {"X-Environment": "production"}}, Severity.HIGH),
    ({"command": "npx", "args": ["mongodb-mcp-server", "--readOnly"],
      "env": {"MDB_MCP_CONNECTION_STRING": "mongodb+srv://cluster-prod.ab1cd.mongodb.net/db"}},
     Severity.MEDIUM),
    ({"command": "uvx", "args": ["pg-mcp", "--allow-write"],
      "env": {"DATABASE_URL": "postgres://u@x.abc.us-east-1.rds.amazonaws.com/app"}}, Severity.LOW),
])
def test_mcpg201_flags_prod_targets(entry: dict[str, object], severity: Severity) -> None:
    assert _run201(".cursor/mcp.json", entry) == [severity]


@pytest.mark.parametrize(("path", "entry"), [
    (".cursor/mcp.json", {"url": "http://localhost:8080/mcp"}),
    (".cursor/mcp.json", {"url": "https://mcp.staging.example.com/mcp"}),
    (".cursor/mcp.json", {"command": "npx", "args": ["x"], "env": {"PRODUCT_API_URL": "https://products.example.com"}}),
    (".cursor/mcp.json", {"command": "npx", "args": ["pg", "postgresql://u@localhost:5432/app_production"]}),
    (".cursor/mcp.json", {"command": "npx", "args": ["x"], "env": {"NODE_ENV": "${NODE_ENV}"}}),
    (".cursor/mcp.json", {"command": "npx", "args": ["x"], "env": {"NODE_ENV": "production"}}),
    (".cursor/mcp.json", {"url": "https://mcp.supabase.com/mcp?project_ref=abcdefghij"}),
    (".cursor/mcp.json", {"command": "npx", "args": ["pg", "postgres://u@x.abc.us-east-1.rds.amazonaws.com/a"]}),
    (".vscode/mcp.json", {"type": "stdio", "command": "npx", "args": ["productivity-mcp", "--stage", "dev"]}),
    ("deploy/prod/mcp.json", {"url": "https://mcp.prod.example.com/mcp"}),
    (".cursor/mcp.json", {"command": "npx", "args": ["x"], "env": {"PAYPAL_ENVIRONMENT": "PRODUCTION",
                                                                    "PAYPAL_ACCESS_TOKEN": "${env:PP}"}}),
])
def test_mcpg201_ignores_lookalikes(path: str, entry: dict[str, object]) -> None:
    if path.startswith(".vscode"):
        assert run(R201, context([config(path, {"servers": {"s": entry}})])) == []
    else:
        assert _run201(path, entry) == []


def test_mcpg201_literal_credential_raises_and_message_names_evidence() -> None:
    password = fake_token("", 24, 3)
    cfg = servers(".cursor/mcp.json", {"supabase-prod": {"command": "npx", "args": [
        "pg", f"postgresql://postgres:{password}@db.prod.example.com/postgres"]}})
    match = secret(cfg, "supabase-prod", "args[1]", password, "db-password", "postgres")
    [finding] = run(R201, context([cfg], [match]))
    assert finding.severity is Severity.CRITICAL and finding.environment is Environment.PROD
    assert finding.category is Category.PROD_ENV_REUSE
    assert "server name 'supabase-prod'" in " ".join(finding.evidence)
    assert "literal credential" in finding.message
    assert_no_secret(repr(finding), password)


def test_mcpg201_policy_host_makes_target_prod() -> None:
    policy = 'production:\n  hosts: ["db-main.internal"]\n'
    assert _run201(".mcp.json", {"command": "npx", "args": ["pg", "postgres://u@db-main.internal/app"]},
                   policy) == [Severity.HIGH]


def _two(path_a: str, name_a: str, path_b: str, name_b: str) -> tuple[list[object], str]:
    value = fake_token("sbp_", 40, 9)
    entry = {"command": "npx", "args": ["@supabase/mcp-server-supabase"],
             "env": {"SUPABASE_ACCESS_TOKEN": value}}
    if path_a == path_b:
        configs = [servers(path_a, {name_a: entry, name_b: entry})]
        matches = [secret(configs[0], n, "env.SUPABASE_ACCESS_TOKEN", value) for n in (name_a, name_b)]
    else:
        configs = [servers(path_a, {name_a: entry}), servers(path_b, {name_b: entry})]
        matches = [secret(c, n, "env.SUPABASE_ACCESS_TOKEN", value) for c, n in
                   ((configs[0], name_a), (configs[1], name_b))]
    return list(run(R202, context(configs, matches))), value


def test_mcpg202_same_credential_in_staging_and_prod_servers() -> None:
    findings, value = _two(".mcp.json", "supabase-staging", ".mcp.json", "supabase-prod")
    assert len(findings) == 2
    by_server = {f.server: f for f in findings}  # type: ignore[attr-defined]
    prod = by_server["supabase-prod"]
    assert prod.environment is Environment.PROD and prod.severity is Severity.HIGH
    assert "supabase-staging" in prod.message and prod.related == (by_server["supabase-staging"].location,)
    assert prod.fingerprint != by_server["supabase-staging"].fingerprint
    assert_no_secret(repr(findings), value)


def test_mcpg202_across_files() -> None:
    findings, _ = _two("deploy/staging/mcp.json", "db", "deploy/prod/mcp.json", "db")
    assert sorted(f.file for f in findings) == ["deploy/prod/mcp.json", "deploy/staging/mcp.json"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("a", "b"), [
    ((".cursor/mcp.json", "db"), ("tools/.cursor/mcp.json", "db")),  # both developer tools
    ((".mcp.json", "supabase"), (".mcp.json", "supabase-dev")),
])
def test_mcpg202_same_tier_is_not_reuse(a: tuple[str, str], b: tuple[str, str]) -> None:
    findings, _ = _two(a[0], a[1], b[0], b[1])
    assert findings == []


def test_mcpg203_live_key_in_dev_config() -> None:
    value = fake_token("sk_live_", 24, 4)
    entry = {"command": "npx", "args": ["@stripe/mcp", f"--api-key={value}"]}
    cfg = servers(".cursor/mcp.json", {"stripe": entry})
    match = secret(cfg, "stripe", "args[1]", value, "stripe-access-token", "stripe", [("live", "true")])
    ctx = context([cfg], [match])
    [finding] = run(R203, ctx)
    assert (finding.location, finding.severity, finding.redacted) == (match.location, Severity.HIGH,
                                                                        match.redacted)
    assert run(R201, ctx) == []  # the live key is MCPG203's evidence, not a second finding
    assert_no_secret(repr(finding), value)


@pytest.mark.parametrize(("path", "facts"), [
    (".cursor/mcp.json", [("live", "false")]),
    ("deploy/production/mcp.json", [("live", "true")]),
])
def test_mcpg203_ignores_test_keys_and_prod_files(path: str, facts: list[tuple[str, str]]) -> None:
    value = fake_token("sk_test_", 24, 5)
    cfg = servers(path, {"stripe": {"command": "npx", "args": ["@stripe/mcp", f"--api-key={value}"]}})
    match = secret(cfg, "stripe", "args[1]", value, "stripe-access-token", "stripe", facts)
    assert run(R203, context([cfg], [match])) == []


def test_mcpg203_provider_selector_with_credential() -> None:
    entry = {"command": "npx", "args": ["@paypal/mcp"],
             "env": {"PAYPAL_ACCESS_TOKEN": "${env:PAYPAL_TOKEN}", "PAYPAL_ENVIRONMENT": "PRODUCTION"}}
    cfg = servers(".cursor/mcp.json", {"paypal": entry})
    [finding] = run(R203, context([cfg]))
    assert finding.field == "env.PAYPAL_ENVIRONMENT" and finding.severity is Severity.MEDIUM
    sandbox = dict(entry, env={"PAYPAL_ACCESS_TOKEN": "${env:PAYPAL_TOKEN}", "PAYPAL_ENVIRONMENT": "SANDBOX"})
    assert run(R203, context([servers(".cursor/mcp.json", {"paypal": sandbox})])) == []


@pytest.mark.parametrize(("name", "expected"), [
    ("execute_sql", True), ("apply_migration", True), ("deploy_edge_function", True), ("deleteBranch", True),
    ("mcp__supabase__execute_sql", True), ("*", True), ("list_tables", False), ("get_issue", False),
    ("search_docs", False), ("read_file", False),
])
def test_is_write_tool(name: str, expected: bool) -> None:
    assert is_write_tool(name) is expected


def test_capability_hosted_supabase() -> None:
    write = servers(".mcp.json", {"s": {"type": "http", "url": "https://mcp.supabase.com/mcp?project_ref=ab"}})
    ro = servers(".mcp.json", {"s": {"type": "http", "url": "https://mcp.supabase.com/mcp?read_only=true"}})
    assert capability(write, write.servers[0]).can_write
    cap = capability(ro, ro.servers[0])
    assert not cap.can_write and cap.read_only


@pytest.mark.parametrize(("entry", "can_write", "read_only"), [
    ({"command": "npx", "args": ["gh-mcp"], "env": {"GITHUB_READ_ONLY": "1"}}, False, True),
    ({"command": "npx", "args": ["gh-mcp"], "env": {"GITHUB_READ_ONLY": "${env:RO}"}}, False, False),
    ({"command": "npx", "args": ["mongodb-mcp-server"], "env": {"MDB_MCP_READ_ONLY": "false"}}, True, False),
    ({"command": "uvx", "args": ["postgres-mcp", "--access-mode", "unrestricted"]}, True, False),
    ({"command": "uvx", "args": ["postgres-mcp", "--access-mode", "restricted"]}, False, True),
    ({"command": "npx", "args": ["sb-mcp", "--read-only"], "alwaysAllow": ["execute_sql"]}, False, True),
    ({"command": "npx", "args": ["supabase-mcp"], "alwaysAllow": ["execute_sql"]}, True, False),
    ({"command": "npx", "args": ["pg", "postgresql://app_ro@db.example.com/app"]}, False, True),
    ({"command": "npx", "args": ["pg", "postgresql://robert@db.example.com/app"]}, False, False),
])
def test_capability_modes(entry: dict[str, object], can_write: bool, read_only: bool) -> None:
    cfg = servers(".roo/mcp.json", {"s": entry})
    cap = capability(cfg, cfg.servers[0])
    assert (cap.can_write, bool(cap.read_only)) == (can_write, read_only), cap
