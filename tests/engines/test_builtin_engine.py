"""Built-in engine: placements, provider shapes, decoders and suppression, via the real parse path."""

from __future__ import annotations

import json

import pytest

from scanner.model import Severity
from tests.engines.helpers import mcp_json, scan
from tests.fakes import assert_no_secret, fake_hex, fake_token

GH = fake_token("ghp_", 36, 1)
SK_LIVE = fake_token("sk_live_", 24, 2)


def _server(**entry: object) -> dict[str, str]:
    return mcp_json(json.dumps({"srv": entry}))


def test_env_token_is_found_with_facts() -> None:
    [match] = scan(_server(command="npx", env={"GITHUB_PERSONAL_ACCESS_TOKEN": GH}))
    assert match.secret_type == "github-pat"
    assert match.field_name == "env.GITHUB_PERSONAL_ACCESS_TOKEN"
    assert match.fact("placement") == "env"
    assert match.fact("env_name") == "GITHUB_PERSONAL_ACCESS_TOKEN"
    assert match.location.line == 1
    assert match.redacted.startswith("ghp_") and GH not in match.redacted
    assert_no_secret(repr(match), GH)


def test_flag_value_across_two_args_gets_a_derived_env_name() -> None:
    [match] = scan(_server(command="npx", args=["-y", "@stripe/mcp", "--api-key", SK_LIVE]))
    assert (match.field_name, match.secret_type, match.severity) == ("args[3]", "stripe-live-key",
                                                                   Severity.CRITICAL)
    assert match.fact("live") == "true"
    assert match.fact("env_name") == "SRV_API_KEY"


def test_db_uri_password_keeps_host_in_redaction() -> None:
    pw = fake_token("", 14, 3)
    [match] = scan(_server(command="npx", args=["pg", f"postgresql://app:{pw}@db.prod.internal:5432/x"]))
    assert match.secret_type == "db-password" and match.value == pw
    assert match.fact("host") == "db.prod.internal" and match.fact("db_scheme") == "postgresql"
    assert match.redacted == "postgresql://app:****@db.prod.internal:5432"
    assert match.severity is Severity.CRITICAL


def test_aws_key_id_and_secret_in_one_server_are_one_finding() -> None:
    key_id = fake_token("AKIA", 16, 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    secret = fake_token("", 40, 5)
    matches = scan(_server(command="uvx", env={"AWS_ACCESS_KEY_ID": key_id, "AWS_SECRET_ACCESS_KEY": secret}))
    assert [(m.secret_type, m.field_name) for m in matches] == [
        ("aws-secret-access-key", "env.AWS_SECRET_ACCESS_KEY")]


def test_jwt_roles() -> None:
    def jwt(role: str) -> str:
        import base64

        def enc(obj: dict[str, str]) -> str:
            return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
        return f"{enc({'alg': 'HS256'})}.{enc({'iss': 'supabase', 'role': role})}.{fake_token('', 43, 6)}"

    service, anon = sorted(scan(_server(command="npx", env={"SUPABASE_SERVICE_ROLE_KEY": jwt("service_role"),
                                                            "SUPABASE_ANON_KEY": jwt("anon")})),
                           key=lambda m: m.secret_type, reverse=True)
    assert service.secret_type == "supabase-service-role-key" and service.severity is Severity.CRITICAL
    assert service.fact("role") == "service_role"
    # The anon key is public by design (row-level security protects the data): reported, low, so it
    # never blocks by default, redacted like any other JWT.
    assert anon.secret_type == "supabase-anon-key" and anon.severity is Severity.LOW
    assert anon.fact("role") == "anon" and anon.redacted.startswith("eyJ") and anon.value not in anon.redacted


def test_json_in_env_value_is_decoded() -> None:
    token = fake_token("ntn_", 46, 7)
    headers = json.dumps({"Authorization": f"Bearer {token}", "Notion-Version": "2022-06-28"})
    [match] = scan(_server(command="npx", env={"OPENAPI_MCP_HEADERS": headers}))
    assert match.secret_type == "notion-token" and match.value == token


def test_shell_command_string_and_docker_env() -> None:
    token = fake_token("", 32, 8)
    matches = scan(_server(command="bash", args=["-c", f"API_TOKEN={token} npx -y srv"]))
    assert [(m.field_name, m.value) for m in matches] == [("args[1]", token)]
    docker = scan(_server(command="docker", args=["run", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "-e",
                                                   f"API_KEY={token}", "img"]))
    assert [(m.field_name, m.fact("env_name")) for m in docker] == [("args[4]", "API_KEY")]


def test_url_userinfo_query_and_headers() -> None:
    tavily = fake_token("tvly-dev-", 32, 9)
    opaque = fake_token("", 30, 10)
    matches = scan(_server(type="http", url=f"https://mcp.tavily.com/mcp/?tavilyApiKey={tavily}",
                           headers={"Authorization": f"Bearer {opaque}"}))
    assert sorted((m.field_name, m.secret_type) for m in matches) == [
        ("headers.Authorization", "bearer-token"), ("url", "tavily-api-key")]


def test_comment_in_jsonc_is_scanned() -> None:
    token = fake_token("glpat-", 20, 11)
    text = '{\n  // "GITLAB_PERSONAL_ACCESS_TOKEN": "' + token + '"\n  "mcpServers": {}\n}'
    [match] = scan({".cursor/mcp.json": text})
    assert match.fact("placement") == "comment" and match.location.line == 2
    assert match.fact("env_name") == "GITLAB_PERSONAL_ACCESS_TOKEN"


@pytest.mark.parametrize("value", [
    "", "${GITHUB_TOKEN}", "${env:GITHUB_TOKEN}", "${input:gh-pat}", "{env:GITHUB_TOKEN}",
    "${{ secrets.GITHUB_TOKEN }}", "<YOUR_TOKEN>", "YOUR_API_KEY_HERE", "your-api-key-here",
    "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "ghp_" + "1234567890abcdef" * 2 + "1234",
    "[REDACTED_API_KEY]", "changeme", "true", "4096", "ntn_****", "sk-...", "Bearer ${API_TOKEN}",
])
def test_non_secrets_under_a_token_name_are_suppressed(value: str) -> None:
    assert scan(_server(command="npx", env={"GITHUB_TOKEN": value})) == []


@pytest.mark.parametrize("env", [
    {"AWS_REGION": "us-east-1"}, {"SLACK_TEAM_ID": "T01234567"}, {"MAX_TOKENS": "4096"},
    {"GITHUB_TOOLSETS": "repos,issues"}, {"DATABASE_URL": "postgresql://postgres:postgres@localhost:5432/x"},
    {"DATABASE_URL": "postgresql://user:password@host:port/database"},
    {"SUPABASE_KEY": "sb_publishable_" + fake_token("", 30, 12)}, {"KEY_FILE": "/etc/keys/key.pem"},
    {"TWILIO_ACCOUNT_SID": "AC" + fake_hex(32, 13)}, {"OPENAI_MODEL": "gpt-4o-mini"},
])
def test_non_secret_lookalikes_are_not_flagged(env: dict[str, str]) -> None:
    assert scan(_server(command="npx", env=env)) == []


def test_human_password_under_password_name_is_a_secret() -> None:
    [match] = scan(_server(command="npx", env={"ODOO_PASSWORD": "Summer2024!"}))
    assert match.secret_type == "password"


def test_mcp_remote_header_of_one_variable_is_reported_where_the_value_is_written() -> None:
    # `--header "Authorization: Bearer ${TOKEN}"` with TOKEN's literal in env is one secret, written
    # once (in env): the argument holds a reference, not the value. Real vscode/mcp.json shape.
    token = fake_token("access_", 40, 31)
    [match] = scan(_server(command="npx", args=["mcp-remote", "https://mcp.acme.test/mcp", "--header",
                                                "Authorization: Bearer ${ACME_OAUTH_TOKEN}"],
                           env={"ACME_OAUTH_TOKEN": token}))
    assert match.field_name == "env.ACME_OAUTH_TOKEN" and match.value == token


def test_mcp_remote_header_split_over_neutral_variables_is_still_found() -> None:
    token = fake_token("", 40, 32)
    matches = scan(_server(command="npx", args=["mcp-remote", "https://mcp.acme.test/mcp",
                                                "--header=Authorization: Bearer ${A}${B}"],
                           env={"A": token[:20], "B": token[20:]}))
    assert [(m.field_name, m.value) for m in matches] == [("args[2]", token)]


def test_opencode_permission_map_keys_are_commands_not_credential_names() -> None:
    # opencode's permission maps are keyed by command pattern: `"pwd": "allow"` is no password.
    config = {"agent": {"build": {"permission": {"bash": {"pwd": "allow", "git push *": "ask"}}}},
              "permission": {"edit": "deny", "bash": {"pwd": "allow"}},
              "mcp": {"db": {"type": "local", "command": ["npx", "db-mcp"],
                             "environment": {"DB_PASSWORD": "hunter2-prod"}}}}
    matches = scan({"opencode.json": json.dumps(config)})
    assert [m.field_name for m in matches] == ["env.DB_PASSWORD"]


def test_dotenv_variable_that_is_another_variables_whole_value_is_reported_once() -> None:
    # `TOKEN=${A}` with A's literal a finding itself: one secret, reported where it is written.
    token = fake_token("gh" + "p_", 36, 33)
    server = {"command": "x", "envFile": "${workspaceFolder}/.env"}
    matches = scan({".env": f"GH_TOKEN={token}\nGITHUB_PERSONAL_ACCESS_TOKEN=${{GH_TOKEN}}\n",
                    ".cursor/mcp.json": json.dumps({"mcpServers": {"a": server}})})
    assert [(m.location.path, m.location.line) for m in matches if m.value == token] == [(".env", 1)]
