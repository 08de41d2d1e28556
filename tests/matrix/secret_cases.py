"""Labeled secret-detection matrix: (config file, expected secret values) cases built at run time.

Positives cover every placement (env, args pairs, --flag=value, docker -e, headers, URL query, shell
strings, JSON-in-string, comments, dotenv, settings env and permission strings) across providers and
clients; negatives cover every reference syntax, placeholder family and non-secret lookalike.
Nothing secret-shaped is committed: values come from tests.fakes at run time.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.fakes import fake_hex, fake_token

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@dataclass(frozen=True)
class Case:
    """One config file and the secret values a detector must report in it (empty: none)."""

    id: str
    path: str
    text: str = field(repr=False)
    expect: tuple[str, ...] = field(default=(), repr=False)
    secret_type: str | None = None  # checked for the built-in engine when set


Template = Callable[[str, str], tuple[str, str]]


def _mcp(path: str, key: str, entry: dict[str, object], **top: object) -> tuple[str, str]:
    return path, json.dumps({key: {"svc": entry}, **top}, indent=2)


def env_claude(name: str, value: str) -> tuple[str, str]:
    return _mcp(
        ".mcp.json", "mcpServers", {"command": "npx", "args": ["-y", "svc-mcp"], "env": {name: value}}
    )


def env_vscode(name: str, value: str) -> tuple[str, str]:
    return _mcp(".vscode/mcp.json", "servers", {"type": "stdio", "command": "npx", "env": {name: value}})


def env_gemini(name: str, value: str) -> tuple[str, str]:
    return _mcp(
        ".gemini/settings.json", "mcpServers", {"command": "uvx", "args": ["svc"], "env": {name: value}}
    )


def env_codex(name: str, value: str) -> tuple[str, str]:
    return ".codex/config.toml", (
        f'[mcp_servers.svc]\ncommand = "npx"\nargs = ["-y", "svc-mcp"]\n\n'
        f'[mcp_servers.svc.env]\n{name} = "{value}"\n'
    )


def env_continue(name: str, value: str) -> tuple[str, str]:
    return ".continue/mcpServers/svc.yaml", (
        f"name: svc\nversion: 0.0.1\nschema: v1\nmcpServers:\n"
        f"  - name: svc\n    command: npx\n    args:\n      - -y\n"
        f'      - svc-mcp\n    env:\n      {name}: "{value}"\n'
    )


def env_opencode(name: str, value: str) -> tuple[str, str]:
    return "opencode.json", json.dumps(
        {"mcp": {"svc": {"type": "local", "command": ["npx", "-y", "svc"], "environment": {name: value}}}}
    )


def env_zed(name: str, value: str) -> tuple[str, str]:
    return ".zed/settings.json", json.dumps(
        {"context_servers": {"svc": {"command": {"path": "npx", "args": ["svc"], "env": {name: value}}}}}
    )


def env_desktop(name: str, value: str) -> tuple[str, str]:
    return _mcp("claude_desktop_config.json", "mcpServers", {"command": "npx", "env": {name: value}})


def flag_pair(name: str, value: str) -> tuple[str, str]:
    flag = "--" + name.lower().replace("_", "-")
    return _mcp(".cursor/mcp.json", "mcpServers", {"command": "npx", "args": ["-y", "svc-mcp", flag, value]})


def flag_equals(name: str, value: str) -> tuple[str, str]:
    return _mcp(
        "claude_desktop_config.json",
        "mcpServers",
        {"command": "npx", "args": ["-y", "svc-mcp", f"--api-key={value}"]},
    )


def docker_env(name: str, value: str) -> tuple[str, str]:
    return _mcp(
        ".mcp.json",
        "mcpServers",
        {"command": "docker", "args": ["run", "-i", "--rm", "-e", f"{name}={value}", "ghcr.io/acme/svc-mcp"]},
    )


def header_bearer(name: str, value: str) -> tuple[str, str]:
    return _mcp(
        "mcp_config.json",
        "mcpServers",
        {"serverUrl": "https://mcp.acme-tools.io/mcp", "headers": {"Authorization": f"Bearer {value}"}},
    )


def header_vendor(name: str, value: str) -> tuple[str, str]:
    return _mcp(
        ".cursor/mcp.json",
        "mcpServers",
        {"url": "https://mcp.acme-tools.io/mcp", "headers": {"X-API-Key": value}},
    )


def url_query(name: str, value: str) -> tuple[str, str]:
    return _mcp(
        ".mcp.json", "mcpServers", {"type": "http", "url": f"https://mcp.acme-tools.io/mcp?apiKey={value}"}
    )


def shell_string(name: str, value: str) -> tuple[str, str]:
    return _mcp(
        ".mcp.json", "mcpServers", {"command": "bash", "args": ["-c", f"{name}={value} npx -y svc-mcp"]}
    )


def json_in_env(name: str, value: str) -> tuple[str, str]:
    headers = json.dumps({"Authorization": f"Bearer {value}", "Notion-Version": "2022-06-28"})
    return _mcp(".mcp.json", "mcpServers", {"command": "npx", "env": {"OPENAPI_MCP_HEADERS": headers}})


def mcp_remote_header(name: str, value: str) -> tuple[str, str]:
    return _mcp(
        ".cursor/mcp.json",
        "mcpServers",
        {
            "command": "npx",
            "args": [
                "mcp-remote",
                "https://mcp.acme-tools.io/sse",
                "--header",
                f"Authorization: Bearer {value}",
            ],
        },
    )


def dotenv(name: str, value: str) -> tuple[str, str]:
    return ".mcp.env", f"# secrets for the gateway\n{name}={value}\nLOG_LEVEL=debug\n"


def settings_env(name: str, value: str) -> tuple[str, str]:
    return ".claude/settings.json", json.dumps({"env": {name: value}, "permissions": {"allow": []}}, indent=2)


def settings_allow(name: str, value: str) -> tuple[str, str]:
    rule = f'Bash(curl -s -H "Authorization: Bearer {value}" https://api.acme-tools.io/v1/items)'
    return ".claude/settings.json", json.dumps({"permissions": {"allow": [rule]}}, indent=2)


def comment_jsonc(name: str, value: str) -> tuple[str, str]:
    return ".cursor/mcp.json", (
        '{\n  "mcpServers": {\n    // "' + name + '": "' + value + '",\n'
        '    "svc": {"command": "npx", "env": {"' + name + '": "${env:' + name + '}"}}\n'
        "  }\n}\n"
    )


def codex_headers(name: str, value: str) -> tuple[str, str]:
    return ".codex/config.toml", (
        f'[mcp_servers.svc]\nurl = "https://mcp.acme-tools.io/mcp"\n'
        f'http_headers = {{ "Authorization" = "Bearer {value}" }}\n'
    )


def gh_aw(name: str, value: str) -> tuple[str, str]:
    return ".github/workflows/triage.md", (
        f"---\non: issues\nmcp-servers:\n  svc:\n    url: https://mcp.acme-tools.io\n"
        f'    headers:\n      X-API-Key: "{value}"\n---\nTriage.\n'
    )


PLACEMENTS: tuple[Template, ...] = (
    env_claude,
    flag_pair,
    env_vscode,
    env_codex,
    env_continue,
    env_opencode,
    env_gemini,
    header_bearer,
    flag_equals,
    docker_env,
    dotenv,
    settings_env,
    comment_jsonc,
    url_query,
    shell_string,
    json_in_env,
    settings_allow,
    codex_headers,
    env_zed,
    gh_aw,
    mcp_remote_header,
    header_vendor,
    env_desktop,
)


def _jwt(role: str, seed: int) -> str:
    def enc(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return (
        f"{enc({'alg': 'HS256', 'typ': 'JWT'})}.{enc({'iss': 'supabase', 'ref': 'abc', 'role': role})}."
        f"{fake_token('', 43, seed, '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-')}"
    )


def _providers() -> list[tuple[str, str, str | None]]:
    """(env name, secret value, expected built-in secret_type in env placement)."""
    t = fake_token
    return [
        ("GITHUB_PERSONAL_ACCESS_TOKEN", t("ghp_", 36, 1), "github-pat"),
        (
            "GITHUB_TOKEN",
            t("github_pat_", 82, 2, UPPER + "abcdefghijklmnopqrstuvwxyz_"),
            "github-fine-grained-pat",
        ),
        ("GH_OAUTH_TOKEN", t("gho_", 36, 3), "github-oauth"),
        ("GH_USER_TOKEN", t("ghu_", 36, 4), "github-user-to-server"),
        ("GH_APP_TOKEN", t("ghs_", 36, 5), "github-app-token"),
        ("GH_REFRESH_TOKEN", t("ghr_", 36, 6), "github-refresh-token"),
        ("GITLAB_PERSONAL_ACCESS_TOKEN", t("glpat-", 20, 7), "gitlab-pat"),
        ("OPENAI_API_KEY", t("sk-proj-", 100, 8), "openai-project-key"),
        ("OPENAI_SVC_KEY", t("sk-svcacct-", 80, 9), "openai-service-account-key"),
        ("OPENAI_LEGACY_KEY", t("sk-", 20, 10) + "T3BlbkFJ" + t("", 20, 11), "openai-api-key"),
        ("ANTHROPIC_API_KEY", t("sk-ant-api03-", 93, 12) + "AA", "anthropic-api-key"),
        ("ANTHROPIC_ADMIN_KEY", t("sk-ant-admin01-", 93, 13) + "AA", "anthropic-admin-key"),
        (
            "SLACK_BOT_TOKEN",
            f"xoxb-{fake_token('', 12, 14, '0123456789')}-{fake_token('', 13, 15, '0123456789')}-"
            + t("", 24, 16),
            "slack-bot-token",
        ),
        (
            "SLACK_USER_TOKEN",
            f"xoxp-{fake_token('', 12, 17, '0123456789')}-{fake_token('', 12, 18, '0123456789')}-"
            f"{fake_token('', 13, 19, '0123456789')}-{fake_hex(32, 20)}",
            "slack-user-token",
        ),
        (
            "SLACK_APP_TOKEN",
            f"xapp-1-A{t('', 10, 21, UPPER)}-{fake_token('', 13, 22, '0123456789')}-{fake_hex(64, 23)}",
            "slack-app-token",
        ),
        (
            "SLACK_WEBHOOK_URL",
            f"https://hooks.slack.com/services/T{t('', 8, 24, UPPER)}/B{t('', 10, 25, UPPER)}/"
            + t("", 24, 26),
            "slack-webhook",
        ),
        ("STRIPE_SECRET_KEY", t("sk_live_", 99, 27), "stripe-live-key"),
        ("STRIPE_RESTRICTED_KEY", t("rk_live_", 99, 28), "stripe-live-key"),
        ("STRIPE_TEST_KEY", t("sk_test_", 99, 29), "stripe-test-key"),
        ("GOOGLE_MAPS_API_KEY", t("AIza", 35, 30), "google-api-key"),
        ("SUPABASE_ACCESS_TOKEN", "sbp_" + fake_hex(40, 31), "supabase-access-token"),
        ("SUPABASE_PAT", "sbp_v0_" + fake_hex(40, 32), "supabase-access-token"),
        ("SUPABASE_SECRET_KEY", t("sb_secret_", 32, 33), "supabase-secret-key"),
        ("SUPABASE_SERVICE_ROLE_KEY", _jwt("service_role", 34), "supabase-service-role-key"),
        # Public by design, still a literal credential in the file: reported at low severity.
        ("SUPABASE_ANON_KEY", _jwt("anon", 201), "supabase-anon-key"),
        ("NOTION_TOKEN", t("ntn_", 46, 35), "notion-token"),
        ("NOTION_API_TOKEN", t("secret_", 43, 36), "notion-legacy-token"),
        ("LINEAR_API_KEY", t("lin_api_", 40, 37), "linear-api-key"),
        ("HF_TOKEN", t("hf_", 34, 38), "huggingface-token"),
        ("SENTRY_AUTH_TOKEN", "sntrys_eyJ" + t("", 120, 39), "sentry-org-token"),
        ("SENTRY_USER_TOKEN", "sntryu_" + fake_hex(64, 40), "sentry-user-token"),
        ("FIGMA_API_KEY", t("figd_", 40, 41), "figma-token"),
        ("NPM_TOKEN", t("npm_", 36, 42), "npm-token"),
        ("TWILIO_API_KEY", "SK" + fake_hex(32, 43), "twilio-api-key"),
        ("TWILIO_AUTH_TOKEN", fake_hex(32, 44), "twilio-auth-token"),
        ("SENDGRID_API_KEY", "SG." + t("", 22, 45) + "." + t("", 43, 46), "sendgrid-api-key"),
        ("JIRA_API_TOKEN", t("ATATT3", 180, 47), "atlassian-api-token"),
        ("TAVILY_API_KEY", t("tvly-dev-", 32, 48), "tavily-api-key"),
        ("TAVILY_PROD_KEY", t("tvly-", 32, 49), "tavily-api-key"),
        ("FIRECRAWL_API_KEY", "fc-" + fake_hex(32, 50), "firecrawl-api-key"),
        (
            "CONTEXT7_API_KEY",
            f"ctx7sk-{fake_hex(8, 51)}-{fake_hex(4, 52)}-{fake_hex(4, 53)}-{fake_hex(12, 54)}",
            "context7-api-key",
        ),
        ("XAI_API_KEY", t("xai-", 80, 55), "xai-api-key"),
        ("OPENROUTER_API_KEY", "sk-or-v1-" + fake_hex(64, 56), "openrouter-api-key"),
        ("PERPLEXITY_API_KEY", t("pplx-", 48, 57), "perplexity-api-key"),
        ("DATABRICKS_TOKEN", "dapi" + fake_hex(32, 58), "databricks-token"),
        ("DD_API_KEY", fake_hex(32, 59), "datadog-api-key"),
        ("DD_APP_KEY", fake_hex(40, 60), "datadog-app-key"),
        ("CLOUDFLARE_API_TOKEN", t("", 40, 61), "cloudflare-api-token"),
        ("HEROKU_API_KEY", t("HRKU-AA", 58, 62), "heroku-api-key"),
        ("AIRTABLE_API_KEY", t("pat", 14, 63) + "." + fake_hex(64, 64), "airtable-pat"),
        ("BRAVE_API_KEY", t("BSA", 28, 65), "brave-api-key"),
        ("GROQ_API_KEY", t("gsk_", 52, 66), "groq-api-key"),
        ("MISTRAL_API_KEY", t("", 32, 67), "mistral-api-key"),
        ("NEON_API_KEY", t("napi_", 64, 68), "neon-api-key"),
        (
            "CLICKUP_API_TOKEN",
            f"pk_{fake_token('', 8, 69, '0123456789')}_{t('', 32, 70, UPPER)}",
            "clickup-api-token",
        ),
        ("AWS_ACCESS_KEY_ID", t("AKIA", 16, 71, UPPER), "aws-access-key-id"),
        (
            "EXA_API_KEY",
            f"{fake_hex(8, 72)}-{fake_hex(4, 73)}-{fake_hex(4, 74)}-{fake_hex(4, 75)}-{fake_hex(12, 76)}",
            "generic-secret",
        ),
        ("KALI_API_KEY", t("", 40, 77), "generic-secret"),
        (
            "TELEGRAM_BOT_TOKEN",
            f"{fake_token('', 10, 78, '0123456789')}:AA{t('', 33, 79)}",
            "telegram-bot-token",
        ),
        ("ODOO_PASSWORD", "Summer2024!", "password"),
        (
            "ES_API_KEY",
            base64.b64encode(t("", 20, 80).encode() + b":" + t("", 22, 81).encode()).decode(),
            "generic-secret",
        ),
    ]


def positive_cases() -> list[Case]:
    cases: list[Case] = []
    for index, (name, value, secret_type) in enumerate(_providers()):
        # Each provider in its natural env placement plus two others, rotating through all placements.
        picks = (
            env_claude,
            PLACEMENTS[(2 * index + 1) % len(PLACEMENTS)],
            PLACEMENTS[(2 * index + 2) % len(PLACEMENTS)],
        )
        for template in dict.fromkeys(picks):
            path, text = template(name, value)
            expected_type = secret_type if template is env_claude else None
            cases.append(Case(f"pos-{name.lower()}-{template.__name__}", path, text, (value,), expected_type))
    cases.extend(_db_cases())
    cases.extend(_special_positive_cases())
    return cases


def _db_cases() -> list[Case]:
    cases: list[Case] = []
    schemes = [
        "postgres",
        "postgresql",
        "mysql",
        "mariadb",
        "mongodb",
        "mongodb+srv",
        "redis",
        "rediss",
        "amqp",
        "amqps",
        "mssql",
        "sqlserver",
    ]
    for index, scheme in enumerate(schemes):
        password = fake_token("", 18, 100 + index)
        user = "" if scheme.startswith("redis") else "app_rw"
        uri = f"{scheme}://{user}:{password}@db-{index}.prod.acme-corp.net:5432/orders"
        if index % 3 == 0:
            path, text = _mcp(".mcp.json", "mcpServers", {"command": "npx", "args": ["-y", "db-mcp", uri]})
        elif index % 3 == 1:
            path, text = env_codex("DATABASE_URI", uri)
        else:
            path, text = env_vscode("MDB_MCP_CONNECTION_STRING", uri)
        cases.append(Case(f"pos-db-{scheme}", path, text, (password,), "db-password"))
    password = fake_token("", 16, 130)
    path, text = dotenv("DATABASE_URL", f"postgresql://svc:{password}@10.20.0.5:5432/app")
    cases.append(Case("pos-db-dotenv-private-ip", path, text, (password,), "db-password"))
    return cases


def _special_positive_cases() -> list[Case]:
    key_id, secret = fake_token("AKIA", 16, 140, UPPER), fake_token("", 40, 141)
    basic = base64.b64encode(b"svc-bot:" + fake_token("", 20, 142).encode()).decode()
    bearer = fake_token("", 40, 143)
    block = "-----BEGIN RSA PRIVATE KEY-----\n" + fake_token("", 64, 144) + "\n-----END RSA PRIVATE KEY-----"
    pat = fake_token("ghp_", 36, 145)
    neon = fake_token("napi_", 64, 146)
    return [
        Case(
            "pos-aws-pair",
            *_mcp(
                ".mcp.json",
                "mcpServers",
                {
                    "command": "uvx",
                    "args": ["awslabs.core-mcp"],
                    "env": {"AWS_ACCESS_KEY_ID": key_id, "AWS_SECRET_ACCESS_KEY": secret},
                },
            ),
            (secret,),
            "aws-secret-access-key",
        ),
        Case(
            "pos-basic-header",
            *_mcp(
                ".cursor/mcp.json",
                "mcpServers",
                {"url": "https://mcp.acme-tools.io", "headers": {"Authorization": f"Basic {basic}"}},
            ),
            (basic,),
            "basic-auth",
        ),
        Case(
            "pos-bearer-opaque",
            *_mcp(
                ".mcp.json",
                "mcpServers",
                {
                    "type": "http",
                    "url": "https://mcp.acme-tools.io",
                    "headers": {"Authorization": f"Bearer {bearer}"},
                },
            ),
            (bearer,),
            "bearer-token",
        ),
        Case("pos-private-key", *env_claude("SSH_PRIVATE_KEY", block), (block,), "private-key"),
        Case(
            "pos-url-userinfo",
            *_mcp(
                ".mcp.json",
                "mcpServers",
                {"type": "http", "url": f"https://bot:{bearer[:20]}@mcp.acme-tools.io/mcp"},
            ),
            (bearer[:20],),
            "url-password",
        ),
        Case(
            "pos-codex-bearer-token",
            ".codex/config.toml",
            f'[mcp_servers.svc]\nurl = "https://mcp.acme-tools.io/mcp"\nbearer_token = "{bearer}"\n',
            (bearer,),
        ),
        Case(
            "pos-docker-pat-pretty",
            ".vscode/mcp.json",
            json.dumps(
                {
                    "servers": {
                        "github": {
                            "command": "docker",
                            "args": [
                                "run",
                                "-i",
                                "--rm",
                                "-e",
                                f"GITHUB_PERSONAL_ACCESS_TOKEN={pat}",
                                "ghcr.io/github/github-mcp-server",
                            ],
                        }
                    }
                },
                indent=4,
            ),
            (pat,),
            "github-pat",
        ),
        Case(
            "pos-neon-start",
            *_mcp(
                ".mcp.json",
                "mcpServers",
                {"command": "npx", "args": ["-y", "@neondatabase/mcp-server-neon", "start", neon]},
            ),
            (neon,),
            "neon-api-key",
        ),
        Case(
            "pos-smithery-example",
            "smithery.yaml",
            f"startCommand:\n  type: stdio\n  exampleConfig:\n    apiKey: {bearer}\n",
            (bearer,),
        ),
    ]


_REFERENCES = [
    "${GITHUB_TOKEN}",
    "${GITHUB_TOKEN:-}",
    "${env:GITHUB_TOKEN}",
    "${input:gh-token}",
    "{env:GITHUB_TOKEN}",
    "{file:~/.secrets/gh}",
    "${file:/run/secrets/gh}",
    "${{ secrets.GITHUB_TOKEN }}",
    "${{ inputs.token }}",
    "${user_config.api_key}",
    "$GITHUB_TOKEN",
    "%GITHUB_TOKEN%",
    "Bearer ${env:API_TOKEN}",
    "Bearer {env:T}",
    "Bearer ${API_TOKEN}",
    "postgresql://${DB_USER}:${DB_PASS}@db.prod.example.com/x",
]
_PLACEHOLDERS = [
    "<YOUR_TOKEN>",
    "YOUR_API_KEY",
    "your_api_key_here",
    "your-api-key-here",
    "<NOTION_API_KEY>",
    "ntn_****",
    "ntn_xxxxxxxxxxxxxxxxxxxx",
    "sk_test_xxxxx",
    "sk-...",
    "fc-YOUR_API_KEY",
    "<YOUR_HEROKU_AUTH_TOKEN>",
    "secret_xxx",
    "pat123.abc123",
    "xoxb-your-bot-token",
    "[REDACTED_API_KEY]",
    "changeme",
    "REPLACE_ME",
    "{{connection_string}}",
    "YOUR_ANTHROPIC_API_KEY_HERE",
    "YOUR_OPENAI_KEY_HERE",
    "YOUR_OLLAMA_API_KEY_HERE",
    "ghp_" + "1234567890abcdef" * 2 + "1234",  # the docs example, built at run time
    "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "sk-ant-api03-...",
    "example-token",
    "dummy-key-123",
    "fake_token_value",
    "ghp_" + "A" * 36,
    "your_shodan_api_key_here",
    "...",
    "…",
    "********",
    "sk-proj-…",
    "",
    "   ",
    "xxxxxxxxxxxxxxxxxxxxxxxx",
    "abcdef1234567890abcdef1234567890",
    "0123456789abcdef0123456789abcdef",
    "insert-your-token",
    "postgresql://user:password@host:port/database",
    "mongodb+srv://user:pass@cluster0.abc.mongodb.net/db",
    "sk_live_" + "0" * 24,
    "tvly-YOUR_API_KEY",
    "Bearer <YOUR_HF_TOKEN>",
    "TODO",
]
_LOOKALIKES: list[tuple[str, str]] = [
    ("AWS_REGION", "us-east-1"),
    ("AWS_PROFILE", "default"),
    ("SLACK_TEAM_ID", "T01234567"),
    ("MAX_TOKENS", "4096"),
    ("GITHUB_TOOLSETS", "repos,issues,pull_requests"),
    ("GITHUB_READ_ONLY", "1"),
    ("NODE_ENV", "production"),
    ("SUPABASE_PROJECT_REF", "qwhjzkxmvnrtplbsdgfa"),
    ("TWILIO_ACCOUNT_SID", "AC" + fake_hex(32, 200)),
    ("SUPABASE_KEY", fake_token("sb_publishable_", 32, 202)),
    ("STRIPE_PUBLISHABLE_KEY", fake_token("pk_live_", 32, 203)),
    ("KEY_FILE", "/etc/ssl/private/server.key"),
    ("GOOGLE_APPLICATION_CREDENTIALS", "/home/me/.config/gcloud/sa.json"),
    ("OPENAI_MODEL", "gpt-4o-mini"),
    ("DATABASE_URL", "postgres://postgres:postgres@localhost:5432/dev"),
    ("REDIS_URL", "redis://localhost:6379/0"),
    ("DATABASE_URL", "sqlite:///./data/app.db"),
    ("API_URL", "https://api.acme-tools.io/v1"),
    ("GITHUB_HOST", "github.acme-corp.net"),
    ("TOKEN_LIMIT", "100000"),
    ("API_KEY_HEADER", "X-API-Key"),
    ("AUTH_TYPE", "oauth"),
    ("JIRA_USERNAME", "me@acme-corp.net"),
    ("CLIENT_ID", "3f1c2a9e-8d7b-4c6a-9e5f-1b2c3d4e5f60"),
    ("ENABLE_TOKEN_REFRESH", "true"),
    ("PASSWORD_MIN_LENGTH", "12"),
    ("API_KEY", ""),
    ("MYSQL_URL", "mysql://root:root@127.0.0.1:3306/test"),
    ("GITHUB_TOKEN", "GH_TOKEN"),
    ("AUTH_MODE", "read-only"),
    ("AWS_ACCESS_KEY_ID", "${AWS_ACCESS_KEY_ID}"),
    ("MONGODB_URI", "mongodb://localhost:27017/app"),
    ("OPENAI_API_BASE", "https://api.openai.com/v1"),
    ("SECRET_NAME", "prod/db/password"),
    ("TOKEN_URL", "https://auth.acme-tools.io/oauth/token"),
    ("API_KEY", "set in keychain by the installer"),
    ("PRIVATE_KEY_PATH", "~/.ssh/id_ed25519"),
]


def negative_cases() -> list[Case]:
    cases: list[Case] = []
    templates = (
        env_claude,
        env_vscode,
        env_codex,
        env_continue,
        env_opencode,
        env_gemini,
        dotenv,
        settings_env,
    )
    for index, value in enumerate(_REFERENCES + _PLACEHOLDERS):
        template = templates[index % len(templates)]
        path, text = template("GITHUB_PERSONAL_ACCESS_TOKEN", value)
        cases.append(Case(f"neg-{index:03d}-{template.__name__}", path, text))
    for index, (name, value) in enumerate(_LOOKALIKES):
        template = templates[(index + 3) % len(templates)]
        path, text = template(name, value)
        cases.append(Case(f"neg-look-{name.lower()}-{index}", path, text))
    cases.extend(_structural_negatives())
    return cases


def _structural_negatives() -> list[Case]:
    return [
        Case(
            "neg-docker-passthrough",
            *_mcp(
                ".mcp.json",
                "mcpServers",
                {
                    "command": "docker",
                    "args": [
                        "run",
                        "-i",
                        "--rm",
                        "-e",
                        "GITHUB_PERSONAL_ACCESS_TOKEN",
                        "ghcr.io/github/github-mcp-server",
                    ],
                },
            ),
        ),
        Case(
            "neg-flags",
            *_mcp(
                ".mcp.json",
                "mcpServers",
                {
                    "command": "npx",
                    "args": [
                        "-y",
                        "@supabase/mcp-server-supabase@0.5.5",
                        "--read-only",
                        "--project-ref",
                        "qwhjzkxmvnrtplbsdgfa",
                        "--port",
                        "8080",
                        "--features=database,docs",
                    ],
                },
            ),
        ),
        Case(
            "neg-shell-vars",
            *_mcp(
                ".mcp.json",
                "mcpServers",
                {
                    "command": "bash",
                    "args": ["-c", 'cd $HOME/projects && exec npx -y svc-mcp --token "$SVC_TOKEN"'],
                },
            ),
        ),
        Case(
            "neg-headers",
            *_mcp(
                ".cursor/mcp.json",
                "mcpServers",
                {
                    "url": "https://mcp.acme-tools.io",
                    "headers": {
                        "Notion-Version": "2022-06-28",
                        "Content-Type": "application/json",
                        "X-Team": "platform",
                    },
                },
            ),
        ),
        Case(
            "neg-codex-names",
            ".codex/config.toml",
            '[mcp_servers.docs]\nurl = "https://mcp.acme-tools.io/mcp"\n'
            'bearer_token_env_var = "DOCS_MCP_TOKEN"\nenv_http_headers = { "X-Api-Key" = "DOCS_API_KEY" }\n'
            '\n[mcp_servers.db]\ncommand = "npx"\nenv_vars = ["DB_READONLY_URL"]\n',
        ),
        Case(
            "neg-vscode-inputs",
            ".vscode/mcp.json",
            json.dumps(
                {
                    "inputs": [
                        {
                            "type": "promptString",
                            "id": "gh-pat",
                            "description": "GitHub token",
                            "password": True,
                        }
                    ],
                    "servers": {
                        "github": {
                            "type": "http",
                            "url": "https://api.githubcopilot.com/mcp/",
                            "headers": {"Authorization": "Bearer ${input:gh-pat}"},
                        }
                    },
                },
                indent=2,
            ),
        ),
        Case(
            "neg-comment-docs",
            ".cursor/mcp.json",
            '{\n  // set "GITHUB_TOKEN": "<YOUR_TOKEN>" in your env\n'
            '  "mcpServers": {"svc": {"command": "npx",\n'
            '    "env": {"GITHUB_TOKEN": "${env:GITHUB_TOKEN}"}}}\n}\n',
        ),
        Case(
            "neg-url-no-creds",
            *_mcp(
                ".mcp.json",
                "mcpServers",
                {
                    "type": "http",
                    "url": "https://mcp.supabase.com/mcp?project_ref=qwhjzkxmvnrtplbsdgfa&read_only=true",
                },
            ),
        ),
        Case(
            "neg-allow-rules",
            ".claude/settings.json",
            json.dumps(
                {
                    "permissions": {
                        "allow": [
                            "Bash(npm run test:*)",
                            "mcp__github__get_issue",
                            'Bash(curl -H "Authorization: Bearer $TOKEN" *)',
                        ]
                    }
                }
            ),
        ),
        Case(
            "neg-local-db-args",
            *_mcp(
                ".mcp.json",
                "mcpServers",
                {
                    "command": "npx",
                    "args": [
                        "-y",
                        "@modelcontextprotocol/server-postgres",
                        "postgresql://postgres:postgres@127.0.0.1:54322/postgres",
                    ],
                },
            ),
        ),
    ]


def all_cases() -> list[Case]:
    """Every labeled case (ids are unique)."""
    cases = positive_cases() + negative_cases()
    assert len({c.id for c in cases}) == len(cases), "duplicate case ids"
    return cases
