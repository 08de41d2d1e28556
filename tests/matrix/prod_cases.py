"""Labeled production-reuse matrix: configs + secrets -> expected (rule, file, server) findings.

Built at test time (secret values come from tests/fakes.py) and shared by
tests/matrix/test_prod_matrix.py and bench/prod_matrix.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from scanner.engines.engine import SecretMatch
from scanner.model import McpConfig
from scanner.policy import parse_policy
from scanner.rules.prod_env import (
    CredentialAcrossEnvironments,
    ProdOnlyCredentialInNonProdConfig,
    ProdResourceFromNonProdConfig,
)
from tests.fakes import fake_token
from tests.matrix.builders import config, context, secret

Key = tuple[str, str, str]  # (rule id, file, server)
# Placeholder -> (public prefix, length); values are generated per run, never committed.
VALUES = {
    "@@PG@@": ("", 24),
    "@@LIVE@@": ("sk_live_", 24),
    "@@RKLIVE@@": ("rk_live_", 24),
    "@@TEST@@": ("sk_test_", 24),
    "@@SBP@@": ("sbp_", 40),
    "@@GHP@@": ("ghp_", 36),
    "@@PP@@": ("A21AA", 40),
}


@dataclass(frozen=True)
class SecretSpec:
    path: str
    server: str
    field: str
    placeholder: str
    secret_type: str = "generic"
    facts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Case:
    name: str
    files: tuple[tuple[str, object], ...]
    expected: frozenset[Key] = frozenset()
    secrets: tuple[SecretSpec, ...] = ()
    policy: str = ""


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    mistakes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def mcp(entries: Mapping[str, object]) -> dict[str, object]:
    return {"mcpServers": dict(entries)}


def one(path: str, name: str, entry: Mapping[str, object], *expected: str, **kw: object) -> Case:
    """A single-server case; `expected` rule ids fire on that server."""
    body: object = (
        {"servers": {name: dict(entry)}} if path.endswith(".vscode/mcp.json") else mcp({name: entry})
    )
    exp = frozenset((rule, path, name) for rule in expected)
    return Case(f"{path}:{name}:{entry}"[:90], ((path, body),), exp, **kw)  # type: ignore[arg-type]


def npx(*args: str, **env: str) -> dict[str, object]:
    entry: dict[str, object] = {"command": "npx", "args": ["-y", *args]}
    if env:
        entry["env"] = env
    return entry


C, V, M = ".cursor/mcp.json", ".vscode/mcp.json", ".mcp.json"
PG_PROD = "postgresql://app:@@PG@@@db.prod.example.com:5432/app"


def _reuse(path_a: str, a: str, path_b: str, b: str, expected: Iterable[Key], value: str = "@@SBP@@") -> Case:
    entry = npx("@supabase/mcp-server-supabase", SUPABASE_ACCESS_TOKEN=value)
    field_name = "env.SUPABASE_ACCESS_TOKEN"
    if path_a == path_b:
        files: tuple[tuple[str, object], ...] = ((path_a, mcp({a: entry, b: entry})),)
    else:
        files = ((path_a, mcp({a: entry})), (path_b, mcp({b: entry})))
    specs = (SecretSpec(path_a, a, field_name, value), SecretSpec(path_b, b, field_name, value))
    return Case(f"reuse {path_a}:{a} / {path_b}:{b}", files, frozenset(expected), specs)


def cases() -> list[Case]:
    """The labeled matrix (positives and lookalike negatives for MCPG201-203)."""
    out = [
        # MCPG201 positives: developer/staging configs reaching production.
        one(C, "api", {"url": "https://mcp.prod.example.com/mcp"}, "MCPG201"),
        one(M, "db", npx("pg-mcp", "postgresql://app@db.example.com/orders_production"), "MCPG201"),
        # Was a positive until 2026-12: NODE_ENV=production only sets the Node runtime mode of a local
        # stdio process and says nothing about what it reaches (docs/rules.md, "NODE_ENV"), so the
        # VS Code stdio shape keeps its positive with a selector that does pick a tier (APP_ENV), and
        # NODE_ENV=production alone is a negative below; next to a production host the host decides.
        one(V, "app", {"type": "stdio", **npx("app-mcp", APP_ENV="production")}, "MCPG201"),
        one(
            "claude_desktop_config.json",
            "app",
            {"command": "node", "args": ["mcp.mjs"],
             "env": {"NODE_ENV": "production", "BACKUP_URL": "https://mcp-acme-production.up.railway.app"}},
            "MCPG201",
        ),
        one(C, "k8s", npx("kubernetes-mcp-server", "--context", "prod-cluster"), "MCPG201"),
        one(
            C,
            "aws",
            {
                "command": "uvx",
                "args": ["awslabs.aws-api-mcp-server", "--allow-write"],
                "env": {"AWS_PROFILE": "acme-prod"},
            },
            "MCPG201",
        ),
        one(
            C,
            "pg",
            {
                "command": "uvx",
                "args": ["postgres-mcp", "--access-mode=unrestricted"],
                "env": {"DATABASE_URI": "postgresql://app@pg.prod.acme.io/app"},
            },
            "MCPG201",
        ),
        one(M, "pgro", npx("pg-mcp", "postgresql://readonly@pg.prod.acme.io/app"), "MCPG201"),
        one(
            C,
            "remote",
            {"url": "https://mcp.example.com/x", "headers": {"X-Environment": "production"}},
            "MCPG201",
        ),
        one(
            C,
            "mongo",
            npx(
                "mongodb-mcp-server",
                "--readOnly",
                MDB_MCP_CONNECTION_STRING="mongodb+srv://cluster-prod.ab1cd.mongodb.net/db",
            ),
            "MCPG201",
        ),
        one(
            M,
            "supabase-prod",
            npx("@supabase/mcp-server-supabase", "--project-ref", "abcdefghijklmnop"),
            "MCPG201",
        ),
        one(C, "svc", npx("svc-mcp", "--stage", "prod"), "MCPG201"),
        one(
            C,
            "rails",
            {"command": "docker", "args": ["run", "-i", "-e", "RAILS_ENV=production", "acme/mcp"]},
            "MCPG201",
        ),
        one(
            M,
            "db",
            npx("pg-mcp", "postgres://u@db-main.internal/app"),
            "MCPG201",
            policy='production:\n  hosts: ["db-main.internal"]\n',
        ),
        one(
            C,
            "deployer",
            npx("deploy-mcp", DEPLOY_TARGET="live-eu"),
            "MCPG201",
            policy='production:\n  env: {DEPLOY_TARGET: "live*"}\n',
        ),
        one(
            "environments/staging/mcp.json", "api", {"url": "https://api.production.acme.com/mcp"}, "MCPG201"
        ),
        one(
            C,
            "rds",
            {
                "command": "uvx",
                "args": ["pg-mcp", "--allow-write"],
                "env": {"DATABASE_URL": "postgres://u@x.abc.us-east-1.rds.amazonaws.com/app"},
            },
            "MCPG201",
        ),
        one(".gemini/settings.json", "db", npx("pg-mcp", DATABASE_HOST="pg.prod.internal"), "MCPG201"),
        one(C, "dotnet", npx("dotnet-mcp", ASPNETCORE_ENVIRONMENT="Production"), "MCPG201"),
        one(C, "cli", npx("acme-mcp", "--env=production"), "MCPG201"),
        one("mcp_config.json", "sse", {"serverUrl": "https://mcp.prd.acme.com/sse"}, "MCPG201"),
        one(C, "prodDb", npx("pg-mcp", "postgresql://u@db.acme.com/app"), "MCPG201"),
        one(
            M,
            "pgcred",
            npx("pg-mcp", PG_PROD),
            "MCPG201",
            secrets=(SecretSpec(M, "pgcred", "args[2]", "@@PG@@", "db-password"),),
        ),
        one(C, "ops", npx("ops-mcp", PROD_DATABASE_URL="postgres://u@db.acme.io/ops"), "MCPG201"),
        # MCPG201 lookalike negatives.
        one(C, "local", {"url": "http://localhost:8080/mcp"}),
        one(C, "stg", {"url": "https://mcp.staging.example.com/mcp"}),
        one(C, "product-catalog", npx("product-catalog-mcp", PRODUCT_API_URL="https://products.example.com")),
        one(C, "productivity", npx("productivity-mcp", "--host", "reproduce.example.com")),
        one(C, "prodigy", npx("prodigy-mcp")),
        one(C, "pg", npx("pg-mcp", "postgresql://u@localhost:5432/app_production")),
        one(C, "app", npx("app-mcp", NODE_ENV="${NODE_ENV}")),
        one(C, "supabase", {"url": "https://mcp.supabase.com/mcp?project_ref=abcdefghij"}),
        one(C, "rds", npx("pg-mcp", "postgres://u@x.abc.us-east-1.rds.amazonaws.com/a")),
        one("deploy/prod/mcp.json", "api", {"url": "https://mcp.prod.example.com/mcp"}),
        one(
            "deploy/prod/mcp.json", "app", npx("app-mcp", NODE_ENV="production", API_TOKEN="${env:API_TOKEN}")
        ),
        one(C, "app", npx("app-mcp", NODE_ENV="development")),
        one(V, "app", {"type": "stdio", **npx("app-mcp", NODE_ENV="production")}),
        one(
            "claude_desktop_config.json",
            "n8n-mcp",
            {"command": "node", "args": ["n8n-mcp/dist/mcp/index.js"],
             "env": {"MCP_MODE": "stdio", "LOG_LEVEL": "error", "NODE_ENV": "production"}},
        ),
        one(C, "preprod", {"url": "https://api.pre-prod.acme.com/mcp"}),
        one(C, "np", {"url": "https://mcp.nonprod.acme.com/mcp"}),
        one(C, "live-server", npx("live-server", "--port", "8080")),
        one(C, "sentry", {"url": "https://mcp.sentry.dev/mcp"}),
        one(
            C,
            "aws",
            {
                "command": "uvx",
                "args": ["awslabs.aws-api-mcp-server", "--allow-write"],
                "env": {"AWS_PROFILE": "default"},
            },
        ),
        one(
            C,
            "github",
            npx("@modelcontextprotocol/server-github", GITHUB_PERSONAL_ACCESS_TOKEN="@@GHP@@"),
            secrets=(SecretSpec(C, "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN", "@@GHP@@", "github-pat"),),
        ),
        one(
            C,
            "supabase",
            npx("@supabase/mcp-server-supabase", "--access-token", "@@SBP@@"),
            secrets=(SecretSpec(C, "supabase", "args[2]", "@@SBP@@", "supabase-pat"),),
        ),
        one(V, "app", {"type": "stdio", **npx("app-mcp", "--stage", "dev")}),
        one(C, "stage", npx("app-mcp", APP_STAGE="staging")),
        one(C, "db", npx("pg-mcp", "postgresql://u@127.0.0.1:54322/postgres")),
        one(C, "mcp", npx("x-mcp", DATABASE_URL="postgres://u@${DB_HOST}/prod"), "MCPG201"),
        one(
            C,
            "refs",
            npx(
                "x-mcp",
                DATABASE_URL="postgres://${DB_USER}@${DB_HOST}:5432/${DB_NAME}",
                APP_ENV="${APP_ENV:-production}",
            ),
        ),
        # MCPG203 positives.
        one(
            C,
            "stripe",
            npx("@stripe/mcp", "--api-key=@@LIVE@@"),
            "MCPG203",
            secrets=(
                SecretSpec(C, "stripe", "args[2]", "@@LIVE@@", "stripe-access-token", (("live", "true"),)),
            ),
        ),
        one(
            V,
            "stripe",
            {"type": "stdio", **npx("@stripe/mcp", STRIPE_SECRET_KEY="@@RKLIVE@@")},
            "MCPG203",
            secrets=(
                SecretSpec(
                    V,
                    "stripe",
                    "env.STRIPE_SECRET_KEY",
                    "@@RKLIVE@@",
                    "stripe-access-token",
                    (("live", "true"),),
                ),
            ),
        ),
        one(
            C,
            "paypal",
            npx("@paypal/mcp", PAYPAL_ACCESS_TOKEN="${env:PP}", PAYPAL_ENVIRONMENT="PRODUCTION"),
            "MCPG203",
        ),
        one(
            M,
            "paypal",
            npx("@paypal/mcp", PAYPAL_ACCESS_TOKEN="@@PP@@", PAYPAL_ENVIRONMENT="PRODUCTION"),
            "MCPG203",
            secrets=(SecretSpec(M, "paypal", "env.PAYPAL_ACCESS_TOKEN", "@@PP@@", "paypal-token"),),
        ),
        one(
            "environments/staging/.mcp.json",
            "stripe",
            npx("@stripe/mcp", "--api-key=@@LIVE@@"),
            "MCPG203",
            secrets=(
                SecretSpec(
                    "environments/staging/.mcp.json",
                    "stripe",
                    "args[2]",
                    "@@LIVE@@",
                    "stripe-access-token",
                    (("live", "true"),),
                ),
            ),
        ),
        one(C, "adyen", npx("adyen-mcp", ADYEN_API_KEY="${env:ADYEN}", ADYEN_ENVIRONMENT="LIVE"), "MCPG203"),
        # MCPG203 negatives.
        one(
            C,
            "stripe",
            npx("@stripe/mcp", "--api-key=@@TEST@@"),
            secrets=(
                SecretSpec(C, "stripe", "args[2]", "@@TEST@@", "stripe-access-token", (("live", "false"),)),
            ),
        ),
        one(
            "deploy/production/mcp.json",
            "stripe",
            npx("@stripe/mcp", "--api-key=@@LIVE@@"),
            secrets=(
                SecretSpec(
                    "deploy/production/mcp.json",
                    "stripe",
                    "args[2]",
                    "@@LIVE@@",
                    "stripe-access-token",
                    (("live", "true"),),
                ),
            ),
        ),
        one(C, "paypal", npx("@paypal/mcp", PAYPAL_ACCESS_TOKEN="${env:PP}", PAYPAL_ENVIRONMENT="SANDBOX")),
        one(
            "deploy/prod/mcp.json",
            "paypal",
            npx("@paypal/mcp", PAYPAL_ACCESS_TOKEN="${PP}", PAYPAL_ENVIRONMENT="PRODUCTION"),
        ),
        one(C, "stripe", npx("@stripe/mcp", "--api-key=${env:STRIPE_KEY}")),
        # MCPG202: one credential, two environments.
        _reuse(
            M,
            "supabase-staging",
            M,
            "supabase-prod",
            [
                ("MCPG202", M, "supabase-staging"),
                ("MCPG202", M, "supabase-prod"),
                ("MCPG201", M, "supabase-prod"),
            ],
        ),
        _reuse(
            "deploy/staging/mcp.json",
            "db",
            "deploy/prod/mcp.json",
            "db",
            [("MCPG202", "deploy/staging/mcp.json", "db"), ("MCPG202", "deploy/prod/mcp.json", "db")],
        ),
        _reuse(
            C,
            "gh",
            "deploy/prod/mcp.json",
            "gh",
            [("MCPG202", C, "gh"), ("MCPG202", "deploy/prod/mcp.json", "gh")],
            "@@GHP@@",
        ),
        _reuse(
            "infra/stg/mcp.json",
            "db",
            "infra/dev/mcp.json",
            "db",
            [("MCPG202", "infra/stg/mcp.json", "db"), ("MCPG202", "infra/dev/mcp.json", "db")],
        ),
        # MCPG202 negatives: same tier, or different values.
        _reuse(C, "db", "tools/.cursor/mcp.json", "db", []),
        _reuse(M, "supabase", M, "supabase-dev", []),
        _reuse("deploy/prod/a/mcp.json", "db", "deploy/prod/b/mcp.json", "db", []),
        Case(
            "different values staging/prod",
            (
                ("deploy/staging/mcp.json", mcp({"db": npx("x", TOKEN="@@SBP@@")})),
                ("deploy/prod/mcp.json", mcp({"db": npx("x", TOKEN="@@GHP@@")})),
            ),
            frozenset(),
            (
                SecretSpec("deploy/staging/mcp.json", "db", "env.TOKEN", "@@SBP@@"),
                SecretSpec("deploy/prod/mcp.json", "db", "env.TOKEN", "@@GHP@@"),
            ),
        ),
    ]
    return out


def build(case: Case, seed: int = 0) -> tuple[list[McpConfig], list[SecretMatch], dict[str, str]]:
    """Parse the case's files with fresh secret values; return configs, matches and sources."""
    values = {ph: fake_token(prefix, length, seed) for ph, (prefix, length) in VALUES.items()}
    configs: list[McpConfig] = []
    sources: dict[str, str] = {}
    for path, body in case.files:
        text = _fill(body, values)
        configs.append(config(path, text))
        sources[path] = text
    by_path = {c.path: c for c in configs}
    matches = [
        secret(by_path[s.path], s.server, s.field, values[s.placeholder], s.secret_type, facts=s.facts)
        for s in case.secrets
    ]
    return configs, matches, sources


def _fill(body: object, values: Mapping[str, str]) -> str:
    import json

    text = body if isinstance(body, str) else json.dumps(body, indent=2)
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


RULES = (ProdResourceFromNonProdConfig(), CredentialAcrossEnvironments(), ProdOnlyCredentialInNonProdConfig())


def predict(case: Case) -> set[Key]:
    configs, matches, sources = build(case)
    policy = parse_policy(case.policy, ".mcp-guard.yml") if case.policy else None
    ctx = context(configs, matches, policy, sources)
    return {(f.rule_id, f.file, f.server or "") for rule in RULES for f in rule.check(ctx)}


def evaluate(all_cases: Sequence[Case]) -> dict[str, Score]:
    """Scores per rule id and overall ("all")."""
    return score_predictions((case.name, predict(case), set(case.expected)) for case in all_cases)


def score_predictions(results: Iterable[tuple[str, set[Key], set[Key]]]) -> dict[str, Score]:
    """Scores per rule id and overall ("all") of (case name, predicted keys, expected keys)."""
    scores: dict[str, Score] = {"all": Score()}
    for name, got, expected in results:
        for key in got | expected:
            score = scores.setdefault(key[0], Score())
            for target in (score, scores["all"]):
                if key in got and key in expected:
                    target.tp += 1
                elif key in got:
                    target.fp += 1
                    target.mistakes.append(f"FP {key} in {name}")
                else:
                    target.fn += 1
                    target.mistakes.append(f"FN {key} in {name}")
    return scores
