"""Generated configs for environment/prod-env equivalence checks: random mixes of environment-
spelling server names, env selectors, hosts, URLs, flags and policies (secret-shaped values built at
run time). Shared by tests/test_evidence_cache.py and bench/equivalence.py."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

Item = tuple[str, dict[str, bytes], str]  # (name, files, policy text)

_NAMES = ["prod-db", "staging", "dev-tools", "github", "supabase", "analytics_prod", "localDev", "qa-runner",
          "product-catalog", "preprod-api", "nonprod", "live-server", "test", "sandbox", "postgres"]
_ENV_KEYS = ["NODE_ENV", "APP_ENV", "STAGE", "AWS_PROFILE", "PAYPAL_ENVIRONMENT", "STRIPE_MODE", "DB_HOST",
             "DATABASE_URL", "REDIS_URL", "PROJECT_NAME", "CLUSTER", "KUBE_CONTEXT", "API_TOKEN",
             "PROD_DATABASE_URL", "STAGING_API_KEY", "SUPABASE_URL", "DEPLOY_TARGET", "LOG_LEVEL",
             "SERVER", "ENDPOINT", "READ_ONLY", "ALLOW_WRITE", "SPRING_PROFILES_ACTIVE", "X_TIER"]
_VALUES = ["prod", "production", "staging", "dev", "live", "PRODUCTION", "SANDBOX", "local", "info",
           "${APP_ENV}", "${env:DB}", "db-prod.internal", "db.staging.example.com", "localhost:5432",
           "127.0.0.1", "10.0.0.5", "[::1]:8080", "abc.supabase.co", "mcp.supabase.com", "api.prod.acme.io",
           "postgres://app:${P}@db.prod.internal:5432/app_prod?sslmode=require",
           "postgresql://ro_user@db-main.internal/analytics_dev",
           "mysql://u@h1.internal,h2.prod.internal/app?env=staging", "sqlite:///tmp/x.db",
           "https://mcp.supabase.com/mcp?project_ref=abc&read_only=true", "https://mcp.supabase.com/mcp",
           "http://api.acme.corp/v1", "live-2", "true", "false", "uat", "pre-prod", "my-cluster-prod",
           "https://${HOST}/x", "file:///home/alice/x.db", "redis://cache.prod.internal:6379/0"]
_FLAGS = ["--env", "--stage", "--profile", "--namespace", "--project", "--host", "--url", "--dsn",
          "--read-only", "--allow-write", "-e", "--env-var", "--access-mode", "--port"]
_POLICIES = ["", 'production:\n  hosts: ["db-main.internal", "*.prod.acme.io"]\n',
             'production:\n  env: {DEPLOY_TARGET: "live*", APP_ENV: "prd"}\n',
             'production:\n  paths:\n    "ops/**": prod\n']
_PATHS = [".cursor/mcp.json", ".mcp.json", "ops/.mcp.json", "staging/.vscode/mcp.json",
          "examples/demo/.mcp.json", "prod/claude_desktop_config.json"]


def generated(count: int, seed: int = 7) -> Iterator[Item]:
    """`count` scans: (name, files, policy YAML text or "")."""
    from tests.fakes import fake_token

    rng = random.Random(seed)
    for index in range(count):
        files: dict[str, bytes] = {}
        for path in rng.sample(_PATHS, rng.randint(1, 3)):
            servers: dict[str, object] = {}
            for s in range(rng.randint(1, 5)):
                env = {rng.choice(_ENV_KEYS): rng.choice(_VALUES) for _ in range(rng.randint(0, 5))}
                if rng.random() < 0.4:
                    env[rng.choice(["STRIPE_SECRET_KEY", "GITHUB_TOKEN", "API_KEY"])] = rng.choice([
                        fake_token("sk_" + "live_", 24, index), fake_token("sk_" + "test_", 24, index),
                        fake_token("ghp_", 36, s), fake_token("", 24, index)])
                args: list[str] = ["-y", rng.choice(["@acme/mcp@latest", "pkg", "git+https://x.test/r"])]
                for _ in range(rng.randint(0, 4)):
                    flag = rng.choice(_FLAGS)
                    value = rng.choice(_VALUES + [f"{rng.choice(_ENV_KEYS)}={rng.choice(_VALUES)}"])
                    args += [f"{flag}={value}"] if rng.random() < 0.3 else [flag, value]
                if rng.random() < 0.2:
                    args.append(f"{rng.choice(_ENV_KEYS)}={rng.choice(_VALUES)}")
                entry: dict[str, object] = {"command": rng.choice(["npx", "docker", "uvx", "bash"]),
                                            "args": args, "env": env}
                if rng.random() < 0.3:
                    entry = {"url": rng.choice([v for v in _VALUES if "://" in v]),
                             "headers": {"X-Env": rng.choice(_VALUES), "x-read-only": "true"}}
                if rng.random() < 0.2:
                    entry["alwaysAllow"] = ["execute_sql", "list_tables"]
                servers[f"{rng.choice(_NAMES)}{s if rng.random() < 0.5 else ''}"] = entry
            key = "servers" if "vscode" in path else "mcpServers"
            files[path] = json.dumps({key: servers}, indent=rng.choice([None, 2])).encode()
        yield f"generated-{index}", files, rng.choice(_POLICIES)
