"""Production-reuse shapes seen in public MCP configs and MCP server READMEs (2026-12 search pass),
scanned end to end (discovery, parsing, built-in detectors, classifier, MCPG2xx rules).

Each case names where the shape was seen; hosts, projects and names are rewritten to acme-style
values and every credential is built at run time (tests/fakes.py). `expect` lists the MCPG2xx
(rule, file, server) findings; a case with none is a lookalike that must stay quiet. Shared by
tests/matrix/test_prod_real_matrix.py and bench/prod_real.py.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from scanner.model import Category
from scanner.pipeline import scan
from scanner.result import ScanOptions
from tests.fakes import fake_token
from tests.matrix.prod_cases import Key, Score, score_predictions

C, M, V, D = ".cursor/mcp.json", ".mcp.json", ".vscode/mcp.json", "claude_desktop_config.json"


@dataclass(frozen=True)
class RealCase:
    id: str
    seen: str  # where the shape comes from
    files: tuple[tuple[str, str], ...]
    expect: frozenset[Key]


def _body(path: str, servers: Mapping[str, object]) -> str:
    key = "servers" if path.endswith(".vscode/mcp.json") else "mcpServers"
    return json.dumps({key: dict(servers)}, indent=2)


def _npx(*args: str, **env: str) -> dict[str, object]:
    entry: dict[str, object] = {"command": "npx", "args": ["-y", *args]}
    if env:
        entry["env"] = env
    return entry


def _uvx(*args: str, **env: str) -> dict[str, object]:
    entry: dict[str, object] = {"command": "uvx", "args": list(args)}
    if env:
        entry["env"] = env
    return entry


class _Cases:
    def __init__(self) -> None:
        self.out: list[RealCase] = []

    def one(self, cid: str, seen: str, path: str, name: str, entry: Mapping[str, object],
            *rules: str) -> None:
        self.out.append(RealCase(cid, seen, ((path, _body(path, {name: entry})),),
                                 frozenset((rule, path, name) for rule in rules)))

    def many(self, cid: str, seen: str, files: Sequence[tuple[str, Mapping[str, object]]],
             expect: Sequence[Key]) -> None:
        self.out.append(RealCase(cid, seen, tuple((p, _body(p, s)) for p, s in files), frozenset(expect)))


def _pw(seed: int) -> str:
    return fake_token("", 20, 900 + seed)


def real_cases() -> list[RealCase]:
    b = _Cases()
    # --- databases reached from developer-tool configs -----------------------------------------
    b.one("pg-prod-host", "README 'SSL required' example: postgres-prod, prod-db.<domain>:5432", C,
          "postgres", _npx("@mcp-community/postgres-mcp-server",
                           f"postgresql://app:{_pw(1)}@prod-db.acme-shop.com:5432/shop?sslmode=require"),
          "MCPG201")
    b.one("rds-prod-instance", "RDS endpoint named after the tier (<name>-prod.<id>.<region>.rds)", M,
          "orders-db", _uvx("postgres-mcp", "--access-mode=restricted",
                            DATABASE_URI="postgresql://readonly@orders-prod.c9akciq32lmn.us-east-1.rds.amazonaws.com"
                                         "/orders"), "MCPG201")
    b.one("rds-replica", "read replica of the production RDS cluster", C, "analytics",
          _npx("@modelcontextprotocol/server-postgres",
               "postgresql://reporting@app-prod-replica.cluster-ro-c9akciq32lmn.eu-west-1.rds.amazonaws.com/app"),
          "MCPG201")
    b.one("atlas-prod-cluster", "mongodb-mcp-server with an Atlas cluster named prod", C, "mongodb",
          _npx("mongodb-mcp-server", "--readOnly",
               MDB_MCP_CONNECTION_STRING=f"mongodb+srv://svc:{_pw(2)}@prod-cluster.ab1cd.mongodb.net/app"),
          "MCPG201")
    b.one("atlas-prod-db", "Atlas URI naming the production database (<cluster>.mongodb.net/production)",
          D, "mongo", _npx("mongodb-mcp-server",
                           MDB_MCP_CONNECTION_STRING="mongodb+srv://cluster0.ab1cd.mongodb.net/production"),
          "MCPG201")
    b.one("universal-db-flags", "universal-db-mcp README 'remote database': --host/--database production", D,
          "db", _npx("universal-db-mcp", "--type", "postgres", "--host", "db.acme-shop.com", "--user",
                     "readonly_user", "--database", "production"), "MCPG201")
    b.one("mysql-prod-host", "mysql MCP env block with MYSQL_HOST", C, "mysql",
          _npx("@benborla29/mcp-server-mysql", MYSQL_HOST="mysql.prod.acme-shop.internal", MYSQL_USER="ro",
               MYSQL_DB="shop"), "MCPG201")
    b.one("redis-prod", "redis MCP with an ElastiCache production endpoint", C, "redis",
          _npx("@modelcontextprotocol/server-redis",
               "rediss://redis-prod.abc123.ng.0001.use1.cache.amazonaws.com:6379"), "MCPG201")
    b.one("snowflake-prod-db", "Snowflake MCP env block: SNOWFLAKE_DATABASE", C, "snowflake",
          _uvx("mcp_snowflake_server", SNOWFLAKE_ACCOUNT="acme-xy12345", SNOWFLAKE_DATABASE="PROD_ANALYTICS",
               SNOWFLAKE_WAREHOUSE="COMPUTE_WH"), "MCPG201")
    b.one("bigquery-prod-project", "BigQuery MCP --project <gcp project>", C, "bigquery",
          _uvx("mcp-server-bigquery", "--project", "acme-data-prod", "--location", "US"), "MCPG201")
    b.one("gcp-project-env", "GOOGLE_CLOUD_PROJECT in a Google MCP server env", M, "gcloud",
          _npx("@google-cloud/gcloud-mcp", GOOGLE_CLOUD_PROJECT="acme-shop-production"), "MCPG201")
    b.one("es-prod", "Elasticsearch MCP with ES_URL", C, "elasticsearch",
          _npx("@elastic/mcp-server-elasticsearch", ES_URL="https://es-prod.acme-shop.io:9200"), "MCPG201")
    b.one("grafana-prod", "mcp-grafana with GRAFANA_URL", C, "grafana",
          {"command": "mcp-grafana", "env": {"GRAFANA_URL": "https://grafana.prod.acme-shop.io"}}, "MCPG201")
    # --- cloud, cluster and workspace selectors ------------------------------------------------
    b.one("aws-profile-prod", "README 'AWS profile' option: AWS_PROFILE=production", D, "aws",
          {"command": "whitelistmcp", "env": {"AWS_PROFILE": "production"}}, "MCPG201")
    b.one("aws-core-profile", "devops guide .claude/mcp.json: awslabs core server, AWS_PROFILE=production", M,
          "aws-core", _npx("@awslabs/core-mcp-server", AWS_PROFILE="production", AWS_REGION="us-east-1"),
          "MCPG201")
    b.one("aws-profile-flag", "aws CLI-style --profile prod argument", C, "aws-api",
          _uvx("awslabs.aws-api-mcp-server", "--profile", "prod"), "MCPG201")
    b.one("k8s-context-prod", "kubectl-style --context prod-cluster argument", C, "kubernetes",
          _npx("kubernetes-mcp-server", "--context", "prod-cluster"), "MCPG201")
    b.one("k8s-eks-context", "EKS context ARN as the context", C, "k8s",
          _npx("mcp-server-kubernetes", K8S_CONTEXT="arn:aws:eks:us-east-1:123456789012:cluster/prod-eks"),
          "MCPG201")
    b.one("k8s-gke-context", "GKE context name gke_<project>_<zone>_<cluster>", C, "k8s",
          _npx("mcp-server-kubernetes", K8S_CONTEXT="gke_acme-prod_us-central1_main"), "MCPG201")
    b.one("kubeconfig-prod", "KUBECONFIG pointing at a per-cluster kubeconfig file", C, "kubernetes",
          _npx("mcp-server-kubernetes", KUBECONFIG="/home/dev/.kube/prod-cluster.yaml"), "MCPG201")
    b.one("kubeconfig-flag-prod", "kubernetes-mcp-server --kubeconfig <file>", C, "kubernetes",
          _npx("kubernetes-mcp-server", "--kubeconfig", "/home/dev/.kube/config-production"), "MCPG201")
    b.one("tf-workspace", "Terraform MCP with TF_WORKSPACE", C, "terraform",
          {"command": "docker", "args": ["run", "-i", "--rm", "-e", "TF_WORKSPACE=production",
                                         "hashicorp/terraform-mcp-server"]}, "MCPG201")
    b.one("supabase-prod-name", "supabase MCP with --project-ref, server named for the tier", M,
          "supabase-production",
          _npx("@supabase/mcp-server-supabase", "--project-ref", "abcdefghijklmnopqrst"),
          "MCPG201")
    b.one("env-flag", "internal MCP CLI with --env production", C, "ops",
          _npx("@acme/ops-mcp", "--env", "production"),
          "MCPG201")
    b.one("app-env-prod", "APP_ENV=production selecting the app's production settings", C, "admin",
          {"command": "php", "args": ["artisan", "mcp:serve"], "env": {"APP_ENV": "production"}}, "MCPG201")
    b.one("square-production-switch", "square-mcp-server: PRODUCTION=true selects connect.squareup.com", C,
          "square", _npx("square-mcp-server", "start", ACCESS_TOKEN="${env:SQUARE_ACCESS_TOKEN}",
                         PRODUCTION="true"), "MCPG201")
    b.one("envfile-production", "VS Code/Cursor envFile pointing at the app's .env.production", V, "app",
          {"type": "stdio", "command": "node", "args": ["dist/mcp.js"],
           "envFile": "${workspaceFolder}/.env.production"}, "MCPG201")
    b.one("docker-env-file-prod", "docker compose/run --env-file .env.prod (deploy scripts' shape)", C, "app",
          {"command": "docker", "args": ["run", "-i", "--rm", "--env-file", ".env.prod", "acme/app-mcp"]},
          "MCPG201")
    b.one("railway-prod-host", "claude_desktop_config.json: NODE_ENV=production next to a -production host",
          D, "app-mcp", {"command": "node", "args": ["mcp.mjs"],
                         "env": {"API_URL": "https://api.acme-shop.net/", "NODE_ENV": "production",
                                 "BACKUP_URL": "https://mcp-acme-production.up.railway.app"}}, "MCPG201")
    # --- payment providers: live keys and live-mode selectors ------------------------------------
    live = fake_token("sk_" + "live_", 24, 901)
    b.one("stripe-live-arg", "@stripe/mcp --api-key=<sk_live_> in a committed config", C, "stripe",
          _npx("@stripe/mcp", "--tools=all", f"--api-key={live}"), "MCPG203")
    rk = fake_token("rk_" + "live_", 24, 902)
    b.one("stripe-restricted-live", "@stripe/mcp with a restricted live key in env", V, "stripe",
          {"type": "stdio", **_npx("@stripe/mcp", STRIPE_SECRET_KEY=rk)}, "MCPG203")
    b.one("paypal-production", "@paypal/mcp PAYPAL_ENVIRONMENT=PRODUCTION", C, "paypal",
          _npx("@paypal/mcp", "--tools=all", PAYPAL_ACCESS_TOKEN="${env:PAYPAL_ACCESS_TOKEN}",
               PAYPAL_ENVIRONMENT="PRODUCTION"), "MCPG203")
    b.one("plaid-production", "Plaid settings: PLAID_ENV=production with the production secret", C, "plaid",
          _npx("plaid-mcp", PLAID_CLIENT_ID="${PLAID_CLIENT_ID}", PLAID_SECRET="${PLAID_SECRET}",
               PLAID_ENV="production"), "MCPG203")
    b.one("adyen-live", "Adyen MCP env: ADYEN_ENVIRONMENT=live", C, "adyen",
          _npx("@adyen/mcp-server", ADYEN_API_KEY="${ADYEN_API_KEY}", ADYEN_MERCHANT_ACCOUNT="AcmeECOM",
               ADYEN_ENVIRONMENT="live"), "MCPG203")
    b.one("square-production", "Square: SQUARE_ENVIRONMENT=production", C, "square",
          _npx("square-mcp-server", SQUARE_ACCESS_TOKEN="${SQUARE_ACCESS_TOKEN}",
               SQUARE_ENVIRONMENT="production"),
          "MCPG203")
    b.one("braintree-production", "Braintree: BRAINTREE_ENVIRONMENT=production", C, "braintree",
          _npx("braintree-mcp", BRAINTREE_MERCHANT_ID="abc123", BRAINTREE_PRIVATE_KEY="${BT_PRIVATE_KEY}",
               BRAINTREE_ENVIRONMENT="production"), "MCPG203")
    shippo = fake_token("shippo_" + "live_", 40, 906, "0123456789abcdef")
    b.one("shippo-live", "Shippo env: SHIPPO_API_KEY=shippo_live_... (docs: shippo_test_ for testing)", C,
          "shippo", _npx("@shippo/shippo-mcp", SHIPPO_API_KEY=shippo), "MCPG203")
    merchant = fake_token("", 16, 907, "0123456789abcdefghijklmnopqrstuvwxyz")
    bt_live = "access_token$" + "production$" + merchant + "$" + fake_token("", 32, 908, "0123456789abcdef")
    b.one("braintree-token-live", "Braintree SDK access token (access_token$production$...) in env", M,
          "braintree", _npx("braintree-mcp", BRAINTREE_ACCESS_TOKEN=bt_live), "MCPG203")
    b.one("paypal-live-host", "PayPal settings: PAYPAL_API_BASE_URL=https://api-m.paypal.com + app secret",
          C, "paypal", _npx("paypal-mcp", PAYPAL_CLIENT_ID="${PAYPAL_CLIENT_ID}",
                            PAYPAL_CLIENT_SECRET="${PAYPAL_CLIENT_SECRET}",
                            PAYPAL_API_BASE_URL="https://api-m.paypal.com"), "MCPG203")
    b.one("paypal-remote-production", "PayPal README: remote MCP, Production endpoint mcp.paypal.com", D,
          "paypal", _npx("mcp-remote", "https://mcp.paypal.com/sse"), "MCPG201")
    # --- one credential in two tiers -----------------------------------------------------------
    shared = fake_token("ghp_", 36, 903)
    gh = _npx("@modelcontextprotocol/server-github", GITHUB_PERSONAL_ACCESS_TOKEN=shared)
    b.many("gh-dev-and-prod", "the same PAT in the developer config and a deploy/production config",
           [(C, {"github": gh}), ("deploy/production/mcp.json", {"github": gh})],
           [("MCPG202", C, "github"), ("MCPG202", "deploy/production/mcp.json", "github")])
    stripe_shared = fake_token("sk_" + "live_", 24, 904)
    st = _npx("@stripe/mcp", STRIPE_SECRET_KEY=stripe_shared)
    b.many("stripe-dev-and-prod", "a live Stripe key in the dev config and the production one",
           [(M, {"stripe": st}), ("config/mcp.production.json", {"stripe": st})],
           [("MCPG202", M, "stripe"), ("MCPG202", "config/mcp.production.json", "stripe"),
            ("MCPG203", M, "stripe")])
    # --- lookalikes: must stay quiet -----------------------------------------------------------
    b.one("node-env-local-n8n", "n8n-mcp README: local stdio with NODE_ENV=production", D, "n8n-mcp",
          {"command": "node", "args": ["C:\\Users\\dev\\n8n-mcp\\dist\\mcp\\index.js"],
           "env": {"MCP_MODE": "stdio", "LOG_LEVEL": "error", "NODE_ENV": "production"}})
    b.one("node-env-local-port", "locally built adapter: NODE_ENV=production, PORT=3001", D, "adapter",
          {"command": "node", "args": ["/Users/dev/adapter/dist/adapter-http.js"],
           "env": {"NODE_ENV": "production", "PORT": "3001"}})
    b.one("node-env-gmail", ".mcp.json gmail stdio server with NODE_ENV=production", M, "gmail",
          {"type": "stdio", "command": "node", "args": ["mcp_servers/email/server.js"],
           "env": {"GMAIL_TOKEN_PATH": "${PROJECT_ROOT}/token.json", "NODE_ENV": "production"}})
    b.one("product-catalog", "'product' is no tier", C, "product-catalog",
          _npx("product-catalog-mcp", PRODUCT_API_URL="https://products.acme-shop.com"))
    b.one("productivity", "productivity tools server", C, "productivity", _npx("productivity-mcp"))
    b.one("production-ready-desc", "server description 'Production-ready Postgres MCP'", C, "postgres",
          {**_npx("@acme/pg-mcp", "postgresql://u@localhost:5432/app"),
           "description": "Production-ready Postgres MCP server"})
    b.one("preprod-host", "pre-production host", C, "api", {"url": "https://mcp.preprod.acme-shop.com/mcp"})
    b.one("pre-prod-context", "pre-prod kube context", C, "k8s",
          _npx("kubernetes-mcp-server", "--context", "pre-prod"))
    b.one("nonprod-cluster", "non-prod cluster context", C, "k8s",
          _npx("kubernetes-mcp-server", "--context", "nonprod-cluster"))
    b.one("non-production-profile", "AWS profile for the non-production account", C, "aws",
          _uvx("awslabs.aws-api-mcp-server", AWS_PROFILE="acme-non-production"))
    b.one("prod-like-docker", "local docker database copied from production (prod-like)", C, "db",
          _npx("@modelcontextprotocol/server-postgres", "postgresql://postgres@localhost:5433/prod_copy"))
    b.one("prod-db-localhost", "localhost URL with a production database name", C, "pg",
          _npx("@modelcontextprotocol/server-postgres", "postgresql://postgres@127.0.0.1:5432/myapp_production"))
    b.one("docker-internal-prod-db", "host.docker.internal with a prod database name", C, "pg",
          _uvx("postgres-mcp", DATABASE_URI="postgresql://u@host.docker.internal:5432/production"))
    b.one("stripe-test", "@stripe/mcp with a test-mode key", C, "stripe",
          _npx("@stripe/mcp", "--tools=all", "--api-key=" + fake_token("sk_" + "test_", 24, 905)))
    bt_test = "access_token$" + "sandbox$" + merchant + "$" + fake_token("", 32, 909, "0123456789abcdef")
    b.one("braintree-token-sandbox", "Braintree sandbox access token", M, "braintree",
          _npx("braintree-mcp", BRAINTREE_ACCESS_TOKEN=bt_test))
    b.one("paypal-sandbox", "@paypal/mcp README: PAYPAL_ENVIRONMENT=SANDBOX", C, "paypal",
          _npx("@paypal/mcp", "--tools=all", PAYPAL_ACCESS_TOKEN="${env:PAYPAL_ACCESS_TOKEN}",
               PAYPAL_ENVIRONMENT="SANDBOX"))
    b.one("plaid-sandbox", "PLAID_ENV=sandbox", C, "plaid",
          _npx("plaid-mcp", PLAID_SECRET="${PLAID_SECRET}", PLAID_ENV="sandbox"))
    b.one("adyen-test", "Adyen MCP README: ADYEN_ENVIRONMENT=test", C, "adyen",
          _npx("@adyen/mcp-server", ADYEN_API_KEY="${ADYEN_API_KEY}", ADYEN_ENVIRONMENT="test"))
    b.one("square-sandbox", "SQUARE_ENVIRONMENT=sandbox", C, "square",
          _npx("square-mcp-server", SQUARE_ACCESS_TOKEN="${SQUARE_ACCESS_TOKEN}",
               SQUARE_ENVIRONMENT="sandbox"))
    b.one("square-sandbox-switch", "square-mcp-server README: ACCESS_TOKEN + SANDBOX=true", C, "square",
          _npx("square-mcp-server", "start", ACCESS_TOKEN="${env:SQUARE_ACCESS_TOKEN}", SANDBOX="true"))
    b.one("production-false", "app settings with PRODUCTION=false (a boolean switch set off)", C, "app",
          {"command": "uv", "args": ["run", "server.py"], "env": {"PRODUCTION": "false", "TESTING": "true"}})
    b.one("envfile-example", "envFile naming the committed sample (.env.production.example)", V, "app",
          {"type": "stdio", "command": "node", "args": ["dist/mcp.js"],
           "envFile": "${workspaceFolder}/.env.production.example"})
    b.one("paypal-remote-sandbox", "PayPal README: remote MCP via mcp-remote, Sandbox endpoint", D, "paypal",
          _npx("mcp-remote", "https://mcp.sandbox.paypal.com/sse"))
    b.one("paypal-sandbox-host", "PAYPAL_API_BASE_URL on the sandbox host", C, "paypal",
          _npx("paypal-mcp", PAYPAL_CLIENT_SECRET="${PAYPAL_CLIENT_SECRET}",
               PAYPAL_API_BASE_URL="https://api-m.sandbox.paypal.com"))
    b.one("square-sandbox-host", "Square base URL on connect.squareupsandbox.com", C, "square",
          _npx("square-mcp", SQUARE_ACCESS_TOKEN="${SQUARE_ACCESS_TOKEN}",
               SQUARE_BASE_URL="https://connect.squareupsandbox.com"))
    b.one("salesforce-test-login", "Salesforce sandbox login (test.salesforce.com)", C, "salesforce",
          _npx("@tsmztech/mcp-server-salesforce", SALESFORCE_INSTANCE_URL="https://test.salesforce.com",
               SALESFORCE_USERNAME="dev@acme.com.uat"))
    b.one("aws-profile-dev", "AWS_PROFILE=dev", C, "aws",
          _uvx("awslabs.aws-api-mcp-server", AWS_PROFILE="dev"))
    b.one("k8s-local-contexts", "kind/minikube contexts", C, "k8s",
          _npx("kubernetes-mcp-server", "--context", "kind-local"))
    b.one("staging-env-flag", "--env staging", C, "ops", _npx("@acme/ops-mcp", "--env", "staging"))
    b.one("live-server", "live-server dev tool", C, "live-server", _npx("live-server", "--port", "8080"))
    b.one("sentry-dev-host", "remote Sentry MCP on mcp.sentry.dev", C, "sentry", {"url": "https://mcp.sentry.dev/mcp"})
    b.one("prod-config-prod-target", "a production deploy config reaching production is no reuse",
          "deploy/production/mcp.json", "db",
          _npx("@modelcontextprotocol/server-postgres", "postgresql://app@db.prod.acme-shop.internal/app"))
    b.one("neon-no-tier", "Neon endpoint host carries no branch/tier (unknown remote, read-only)", C, "neon",
          _npx("@modelcontextprotocol/server-postgres",
               "postgresql://ro@ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb"))
    b.one("supabase-url-no-tier", "remote Supabase MCP with project_ref and read_only", C, "supabase",
          {"url": "https://mcp.supabase.com/mcp?project_ref=abcdefghijklmnopqrst&read_only=true"})
    return b.out


def predict(case: RealCase) -> set[Key]:
    """The MCPG2xx (rule, file, server) keys of a full scan of the case's files (no gitleaks)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, text in case.files:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        result = scan(ScanOptions(root=root, use_gitleaks=False))
    return {(f.rule_id, f.file, f.server or "") for f in result.findings
            if f.category is Category.PROD_ENV_REUSE}


def evaluate(cases: Sequence[RealCase]) -> dict[str, Score]:
    """Scores per rule id and overall ("all"), as tests/matrix/prod_cases.evaluate."""
    return score_predictions((case.id, predict(case), set(case.expect)) for case in cases)
