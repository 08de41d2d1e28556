"""Tests for scanner/environment.py: segment matching, file and server verdicts, evidence, policy."""

from __future__ import annotations

import pytest

from scanner.environment import classify, segments, word_environment
from scanner.model import Environment
from scanner.policy import parse_policy
from tests.fakes import fake_token
from tests.matrix.builders import secret, servers

P, S, D, L, U = (Environment.PROD, Environment.STAGING, Environment.DEV, Environment.LOCAL,
                 Environment.UNKNOWN)


@pytest.mark.parametrize(("text", "expected"), [
    ("supabase-prod", P), ("PROD_DATABASE", P), ("prodDb", P), ("db.prod.example.com", P),
    ("production-planner", P), ("orders_prd", P), ("prod01", P), ("api-staging", S), ("uat", S),
    ("pre-prod", S), ("non_prod", S), ("preprod", S), ("dev-box", D), ("sandbox", D),
    ("product-catalog", None), ("productivity", None), ("reproduce", None), ("prodigy", None),
    ("products", None), ("staged", None), ("devops", None), ("latest", None), ("live-server", None),
])
def test_word_environment_whole_segments(text: str, expected: Environment | None) -> None:
    found = word_environment(text)
    assert (found[0] if found else None) == expected


def test_word_environment_selector_accepts_live() -> None:
    assert word_environment("LIVE", selector=True) == (P, "live")
    assert word_environment("live") is None


def test_segments_split_on_every_delimiter() -> None:
    assert segments("myProdDB.us-east_1/x:y@z=w") == ["my", "prod", "db", "us", "east", "x", "y", "z", "w"]


def _server_env(path: str, entry: dict[str, object], policy_text: str = "") -> tuple[Environment, bool,
                                                                                     tuple[str, ...]]:
    cfg = servers(path, {"s": entry})
    policy = parse_policy(policy_text, ".mcp-guard.yml") if policy_text else None
    _files, by_server = classify([cfg], [], policy)
    verdict = by_server[(cfg.path, "s")]
    return verdict.environment, verdict.unknown_remote, verdict.evidence


@pytest.mark.parametrize(("entry", "expected", "evidence_part"), [
    ({"url": "https://mcp.prod.example.com/mcp"}, P, "host mcp.prod.example.com has segment 'prod'"),
    ({"url": "https://mcp.staging.example.com/mcp"}, S, "segment 'staging'"),
    ({"url": "http://localhost:3000/mcp"}, L, "loopback"),
    ({"url": "https://mcp.sentry.dev/mcp"}, D, "developer-tool config"),
    ({"command": "npx", "args": ["-y", "pg-mcp", "postgresql://app@db.example.com:5432/orders_prod"]}, P,
     "database 'orders_prod'"),
    ({"command": "npx", "args": ["pg-mcp", "postgresql://app@localhost:5432/app_production"]}, L, "loopback"),
    ({"command": "npx", "args": ["x"], "env": {"APP_ENV": "production"}}, P, "env APP_ENV=production"),
    # NODE_ENV is the Node runtime mode, not a tier: the file's verdict stands, whichever value.
    ({"command": "npx", "args": ["x"], "env": {"NODE_ENV": "production"}}, D, "developer-tool"),
    ({"command": "node", "args": ["dist/index.js"], "env": {"NODE_ENV": "production", "PORT": "3001"}}, D,
     "developer-tool"),
    ({"command": "node", "args": ["mcp.mjs"], "env": {
        "NODE_ENV": "production", "BACKUP_URL": "https://mcp-acme-production.up.railway.app"}}, P,
     "host mcp-acme-production.up.railway.app has segment 'production'"),
    ({"command": "npx", "args": ["x"], "env": {"APP_ENV": "staging"}}, S, "env APP_ENV=staging"),
    ({"command": "npx", "args": ["x"], "env": {"ASPNETCORE_ENVIRONMENT": "Development"}}, D, "Development"),
    ({"command": "npx", "args": ["x"], "env": {"PAYPAL_ENVIRONMENT": "PRODUCTION"}}, P, "PAYPAL_ENVIRONMENT"),
    ({"command": "npx", "args": ["x"], "env": {"STAGE": "live"}}, P, "env STAGE=live"),
    ({"command": "npx", "args": ["x"], "env": {"AWS_PROFILE": "acme-prod"}}, P, "AWS_PROFILE=acme-prod"),
    ({"command": "npx", "args": ["x"], "env": {"NODE_ENV": "${NODE_ENV}"}}, D, "developer-tool"),
    ({"command": "npx", "args": ["x", "--env=production"]}, P, "argument --env production"),
    ({"command": "npx", "args": ["x", "--stage", "prod"]}, P, "argument --stage prod"),
    ({"command": "npx", "args": ["k8s-mcp", "--context", "prod-cluster"]}, P, "--context prod-cluster"),
    ({"command": "docker", "args": ["run", "-e", "RAILS_ENV=production", "img"]}, P, "RAILS_ENV"),
    # Boolean switches named for a tier (Square's MCP server: SANDBOX=true / PRODUCTION=true).
    ({"command": "npx", "args": ["x"], "env": {"PRODUCTION": "true"}}, P, "env PRODUCTION=true switches"),
    ({"command": "npx", "args": ["x"], "env": {"PRODUCTION": "false"}}, D, "developer-tool"),
    ({"command": "npx", "args": ["x"], "env": {"PRODUCTION": "False", "PROD": "0"}}, D, "developer-tool"),
    # The dotenv file the server starts with: .env.production is production settings, a sample is not.
    ({"command": "npx", "args": ["x"], "envFile": "${workspaceFolder}/.env.production"}, P,
     "holds 'production' settings"),
    ({"command": "docker", "args": ["run", "-i", "--env-file", ".env.prod", "img"]}, P,
     "--env-file .env.prod"),
    ({"command": "npx", "args": ["x"], "envFile": "${workspaceFolder}/.env.production.example"}, D,
     "developer-tool"),
    ({"command": "npx", "args": ["x"], "envFile": "${workspaceFolder}/.env.local"}, D, "developer-tool"),
    # Payment providers' live API hosts and production MCP server; their sandbox twins.
    ({"command": "npx", "args": ["x"], "env": {"PAYPAL_API_BASE_URL": "https://api-m.paypal.com"}}, P,
     "PayPal's live API"),
    ({"command": "npx", "args": ["mcp-remote", "https://mcp.paypal.com/sse"]}, P, "production MCP server"),
    ({"command": "npx", "args": ["mcp-remote", "https://mcp.sandbox.paypal.com/sse"]}, D, "'sandbox'"),
    ({"command": "npx", "args": ["x"], "env": {"SQUARE_BASE_URL": "https://connect.squareupsandbox.com"}}, D,
     "Square's sandbox"),
    ({"command": "npx", "args": ["x"], "env": {
        "ADYEN_URL": "https://1797a841fbb37ca7-AcmeShop-checkout-live.adyenpayments.com/checkout"}}, P,
     "Adyen's live API"),
    # A kubeconfig file named for its cluster; the home directory part of the path is no tier.
    ({"command": "npx", "args": ["k8s-mcp"], "env": {"KUBECONFIG": "/home/dev/.kube/prod-cluster.yaml"}}, P,
     "names a 'prod' kubeconfig"),
    ({"command": "npx", "args": ["k8s-mcp", "--kubeconfig", "C:\\Users\\me\\.kube\\config-production"]}, P,
     "argument --kubeconfig"),
    ({"command": "npx", "args": ["k8s-mcp"], "env": {"KUBECONFIG": "~/.kube/staging/config"}}, S,
     "'staging'"),
    ({"command": "npx", "args": ["k8s-mcp"], "env": {"KUBECONFIG": "/home/prod/.kube/config"}}, D,
     "developer-tool"),
    ({"url": "https://mcp.example.com/mcp", "headers": {"X-Environment": "production"}}, P,
     "header X-Environment=production"),
    ({"command": "npx", "args": ["x"], "env": {"DATABASE_HOST": "pg.prod.internal"}}, P, "pg.prod.internal"),
    ({"command": "npx", "args": ["x"], "env": {"PRODUCT_CATALOG_URL": "https://products.example.com"}}, D,
     "developer-tool"),
    ({"command": "npx", "args": ["x", "--host", "reproduce.example.com"]}, D, "developer-tool"),
])
def test_server_verdicts(entry: dict[str, object], expected: Environment, evidence_part: str) -> None:
    env, _remote, evidence = _server_env(".cursor/mcp.json", entry)
    assert env is expected, evidence
    assert any(evidence_part in e for e in evidence), evidence


@pytest.mark.parametrize("entry", [
    {"command": "npx", "args": ["pg-mcp", "postgresql://app@abc.xyz.us-east-1.rds.amazonaws.com/app"]},
    {"url": "https://mcp.supabase.com/mcp?project_ref=abcdefghij"},
    {"command": "npx", "args": ["x"], "env": {"MDB_MCP_CONNECTION_STRING": "mongodb+srv://c0.ab1cd.mongodb.net/db"}},
    {"command": "npx", "args": ["x"], "env": {"DATABASE_URL": "postgres://u@ep-x-1.us-east-2.aws.neon.tech/db"}},
])
def test_managed_hosts_are_unknown_remote(entry: dict[str, object]) -> None:
    env, remote, evidence = _server_env(".cursor/mcp.json", entry)
    assert (env, remote) == (U, True), evidence
    assert any("managed cloud host" in e for e in evidence)


def test_managed_host_with_environment_word_is_classified() -> None:
    env, remote, _ = _server_env(".mcp.json", {"url": "https://db-staging.abc.supabase.co/x"})
    assert (env, remote) == (S, False)


@pytest.mark.parametrize(("path", "expected"), [
    (".cursor/mcp.json", D), (".vscode/mcp.json", D), (".mcp.json", D), (".gemini/settings.json", D),
    ("deploy/prod/.mcp.json", P), ("environments/staging/.mcp.json", S), ("mcp.production.json", P),
    ("mcp.json", D), ("examples/product-catalog/mcp.json", D),
])
def test_file_verdicts(path: str, expected: Environment) -> None:
    cfg = servers(path, {"s": {"command": "npx", "args": ["x"]}})
    files, by_server = classify([cfg], [], None)
    assert files[cfg.path].environment is expected, files[cfg.path].evidence
    # A server with no evidence of its own lives where its file lives.
    assert by_server[(cfg.path, "s")] == files[cfg.path]


def test_policy_overrides_heuristics() -> None:
    policy = """production:
  hosts: ["*.corp.example.com"]
  env: {DEPLOY_TARGET: "blue*"}
  paths: {"ops/**": prod}
"""
    env, _, evidence = _server_env(".cursor/mcp.json", {"url": "https://mcp.dev.corp.example.com/x"}, policy)
    assert env is P and any("policy host '*.corp.example.com'" in e for e in evidence)
    env, _, evidence = _server_env(".cursor/mcp.json", {"command": "x", "env": {"DEPLOY_TARGET": "blue-1"}},
                                   policy)
    assert env is P and any("policy production.env" in e for e in evidence)
    cfg = servers("ops/.cursor/mcp.json", {"s": {"command": "npx"}})
    files, _ = classify([cfg], [], parse_policy(policy, "p"))
    assert files[cfg.path].environment is P


def test_live_key_does_not_move_its_place_to_prod_and_evidence_has_no_value() -> None:
    # Where a server lives is judged without the kind of key it holds: a live key in a dev config
    # is MCPG203's finding, and the place keeps one verdict (dev) for every rule (issue 11).
    value = fake_token("sk_live_", 24, 1)
    entry = {"command": "npx", "args": ["@stripe/mcp", f"--api-key={value}"]}
    cfg = servers(".cursor/mcp.json", {"stripe": entry})
    match = secret(cfg, "stripe", "args[1]", value, "stripe-access-token", "stripe", [("live", "true")])
    _, by_server = classify([cfg], [match], None)
    verdict = by_server[(cfg.path, "stripe")]
    assert verdict.environment is D
    assert all(value not in e and value[8:] not in e for e in verdict.evidence)


def test_overlong_paths_are_not_read_or_echoed() -> None:
    long_dir = "/" + "a" * 300
    for entry in ({"command": "npx", "args": ["k8s"], "env": {"KUBECONFIG": long_dir + "/prod.yaml"}},
                  {"command": "npx", "args": ["x"], "envFile": long_dir + "/.env.production"}):
        env, _, evidence = _server_env(".cursor/mcp.json", entry)
        assert env is D and not any(long_dir in e for e in evidence)


def test_sandbox_switch_is_development_evidence() -> None:
    env, _, evidence = _server_env("deploy/prod/mcp.json", {"command": "npx", "args": ["square-mcp-server"],
                                                             "env": {"SANDBOX": "true"}})
    assert env is D and "env SANDBOX=true switches to 'sandbox'" in evidence


def test_userinfo_never_reaches_evidence() -> None:
    password = fake_token("", 20, 7)
    env, _, evidence = _server_env(".mcp.json", {"command": "npx", "args": [
        "pg", f"postgresql://admin:{password}@db.prod.example.com/app"]})
    assert env is P
    assert all(password not in e and "admin" not in e for e in evidence)


@pytest.mark.parametrize(("args", "expected"), [
    (["run", "--env", "APP_ENV=production", "img"], P),
    (["run", "--env", "NODE_ENV=production", "img"], D),
    (["run", "--env=APP_ENV=staging", "img"], S),
    (["run", "-e", "GITHUB_TOKEN", "img"], D),
    (["run", "-e", "PRODUCT_ID=42", "img"], D),
])
def test_docker_env_pairs(args: list[str], expected: Environment) -> None:
    env, _, evidence = _server_env(".cursor/mcp.json", {"command": "docker", "args": args})
    assert env is expected, evidence


def test_same_fact_from_two_sources_votes_once() -> None:
    from scanner.environment import Evidence, decide

    host = Evidence(P, 3, "host db.prod.example.com has segment 'prod'", "host")
    local = Evidence(L, 3, "host localhost is loopback/local", "host")
    name = Evidence(L, 2, "server name 'local-db' has segment 'local'", "name")
    verdict = decide([host, host, local, name])
    assert verdict.environment is L
    assert verdict.evidence == (host.text, local.text, name.text)
