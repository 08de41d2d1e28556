"""Shapes from the second real-config corpus (public repositories' committed MCP configs, 2026):
application passwords pasted with their display spaces, and the documentation examples and
ciphertexts that sit where a credential would. Values are built at run time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from scanner.engines.gitleaks import GitleaksEngine, find_gitleaks
from tests.engines.helpers import parse_files, scan
from tests.fakes import fake_token

_LOWER = "abcdefghijklmnopqrstuvwxyz"
BUNDLED = find_gitleaks(None, {"PATH": ""})


def _groups(value: str) -> str:
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


def _env(env: dict[str, str], path: str = "claude_desktop_config.json") -> dict[str, str]:
    return {path: json.dumps({"mcpServers": {"svc": {"command": "npx", "args": ["-y", "svc-mcp"],
                                                     "env": env}}}, indent=2)}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt_io_sample() -> str:
    """The jwt.io debugger's default token, rebuilt (HS256 over its documented sample secret)."""
    head = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = _b64url(json.dumps({"sub": "1234567890", "name": "John Doe", "iat": 1516239022},
                              separators=(",", ":")).encode())
    sig = hmac.new(b"your-256-bit-secret", f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64url(sig)}"


def sops_value(seed: int) -> str:
    data, iv, tag = (base64.b64encode(fake_token("", n, seed + i).encode()).decode()
                     for i, n in enumerate((18, 24, 12)))
    return f"ENC[AES256_GCM,data:{data},iv:{iv},tag:{tag},type:str]"


@pytest.mark.parametrize(("name", "length", "seed", "alphabet"), [
    ("WORDPRESS_APP_PASSWORD", 24, 1, None),  # WordPress: six groups of letters and digits
    ("WP_APPLICATION_PASSWORD", 24, 2, None),
    ("EMAIL_PASSWORD", 16, 3, _LOWER),  # Google app password: four groups of lower-case letters
    ("SMTP_PASS", 16, 4, _LOWER),
])
def test_spaced_application_passwords_block(name: str, length: int, seed: int, alphabet: str | None) -> None:
    value = _groups(fake_token("", length, seed, alphabet) if alphabet else fake_token("", length, seed))
    matches = [m for m in scan(_env({name: value})) if m.value == value]
    assert matches, name
    assert matches[0].severity >= matches[0].severity.HIGH


@pytest.mark.parametrize("value", [
    "xxxx xxxx xxxx xxxx xxxx xxxx", "abcd efgh ijkl mnop", "aaaa bbbb cccc dddd",
    "1234 5678 9012 3456", "your pass word here",
])
def test_spaced_password_placeholders_stay_quiet(value: str) -> None:
    assert scan(_env({"WORDPRESS_APPLICATION_PASSWORD": value, "GMAIL_APP_PASSWORD": value})) == []


def test_spaced_groups_under_a_non_password_name_are_not_read_as_passwords() -> None:
    # Four words under a descriptive name ("USER_AGENT", "MODE") are settings, not secrets.
    assert scan(_env({"SERVER_MODE": _groups(fake_token("", 16, 5, _LOWER))})) == []


@pytest.mark.parametrize("kind", ["jwt-io", "sops", "test-words"])
def test_documentation_examples_and_ciphertext_stay_quiet(kind: str) -> None:
    env = {
        "jwt-io": {"AUTH_TOKEN": jwt_io_sample()},
        "sops": {"API_KEY": sops_value(7), "DB_PASSWORD": sops_value(8)},
        "test-words": {"API_KEY": "test-api-key-12345", "SECRET_TOKEN": "my-test-key-123",
                       "APP_SECRET": "demo_secret_2024"},
    }[kind]
    assert scan(_env(env)) == []


def test_docs_example_jwt_in_a_bearer_header_stays_quiet() -> None:
    files = {".cursor/mcp.json": json.dumps({"mcpServers": {"api": {
        "url": "https://mcp.acme-tools.io/mcp", "headers": {"Authorization": "Bearer " + jwt_io_sample()}}}})}
    assert scan(files) == []


def test_real_tokens_next_to_the_example_words_still_block() -> None:
    real = fake_token("", 40, 9)
    # A random run after the words is a pasted key, and a signed JWT with other claims is a token.
    other = jwt_io_sample().split(".")
    other[1] = _b64url(json.dumps({"sub": "user-81", "name": "Ops"}).encode())
    env = {"API_KEY": "test-key-" + real, "AUTH_TOKEN": ".".join(other), "API_TOKEN": "api-key-9381726450"}
    found = {m.value for m in scan(_env(env))}
    assert {"test-key-" + real, ".".join(other), "api-key-9381726450"} <= found


@pytest.mark.skipif(BUNDLED is None, reason="gitleaks binary not installed")
def test_gitleaks_reports_of_examples_and_ciphertext_are_dropped() -> None:
    # gitleaks' own `jwt` / `generic-api-key` rules match these; the adapter applies the same filter.
    text = json.dumps({"mcpServers": {"a": {"command": "npx", "env": {
        "AUTH_TOKEN": jwt_io_sample(), "API_KEY": sops_value(11)}}}}, indent=2)
    configs, sources = parse_files({".mcp.json": text})
    assert GitleaksEngine(BUNDLED, 60).detect(configs, sources) == []


def test_short_password_that_is_also_a_remote_database_password_blocks_everywhere() -> None:
    # Supabase MCP configs repeat the database password: in SUPABASE_DB_URL and on its own.
    password = fake_token("", 8, 12)
    url = f"postgresql://postgres:{password}@db.acme-tools-prod.example-cloud.com:5432/postgres"
    found = [m for m in scan(_env({"SUPABASE_DB_URL": url, "SUPABASE_DB_PASSWORD": password}))
             if m.value == password]
    assert {m.field_name for m in found} == {"env.SUPABASE_DB_URL", "env.SUPABASE_DB_PASSWORD"}
    assert all(m.severity >= m.severity.HIGH for m in found)


def test_short_password_on_its_own_stays_low() -> None:
    password = fake_token("", 8, 13)
    found = scan(_env({"SUPABASE_DB_PASSWORD": password}))
    assert [m.severity.name for m in found] == ["LOW"]


@pytest.mark.parametrize("value", [
    _b64url(b'{"alg":"HS256","typ":"JWT"}') + "...",  # `eyJhbGciOi...`: a README's truncated token
    _b64url(b'{"alg":"HS256","typ":"JWT"}') + "." + _b64url(b'{"role":"anon"}') + "\u2026",
])
def test_truncated_jwt_examples_stay_quiet(value: str) -> None:
    assert scan(_env({"SUPABASE_KEY": value})) == []


@pytest.mark.parametrize("value", ["mysecretpassword", "my-secret-pw"])
def test_docker_image_readme_passwords_stay_quiet(value: str) -> None:
    # The postgres and mysql images' documented example passwords (`-e POSTGRES_PASSWORD=...`).
    assert scan(_env({"POSTGRES_PASSWORD": value, "MYSQL_ROOT_PASSWORD": value})) == []


@pytest.mark.skipif(BUNDLED is None, reason="gitleaks binary not installed")
def test_gitleaks_keyword_rules_on_identifier_fields_are_dropped() -> None:
    # gitleaks' `discord-client-id` / `airtable-api-key` keyword rules match the ids that Discord
    # and Airtable MCP servers take next to their token; an `*_ID` value without a token shape is an id.
    token = fake_token("", 40, 14)
    text = json.dumps({"mcpServers": {"a": {"command": "npx", "env": {
        "DISCORD_CLIENT_ID": fake_token("", 18, 15, "0123456789"),
        "DISCORD_GUILD_ID": fake_token("", 18, 16, "0123456789"),
        "AIRTABLE_BASE_ID": "app" + fake_token("", 14, 17),
        "DISCORD_TOKEN": token}}}}, indent=2)
    configs, sources = parse_files({".mcp.json": text})
    found = GitleaksEngine(BUNDLED, 60).detect(configs, sources)
    assert {m.field_name for m in found} <= {"env.DISCORD_TOKEN"}


def test_ansible_vault_block_is_ciphertext() -> None:
    body = "\n".join(fake_token("", 80, 20 + i, "0123456789abcdef") for i in range(3))
    vault = "$ANSIBLE_VAULT;1.1;AES256\n" + body
    assert scan(_env({"DB_PASSWORD": vault, "API_KEY": vault})) == []


@pytest.mark.parametrize("key", ["api_key_env", "apiKeyEnv", "token_env_var", "secret_env_name"])
def test_token_pasted_into_a_field_that_names_an_env_var_blocks(key: str) -> None:
    # `.cursor/mcp.json` of a real repository: `"api_key_env": "sk-user-…"` (the variable's NAME was
    # expected); the value is the key itself.
    token = "sk-user-" + fake_token("", 120, 21, _LOWER + _LOWER.upper() + "0123456789-_")
    files = {".cursor/mcp.json": json.dumps({"providers": {"acme": {"url": "https://mcp.acme-tools.io",
                                                                      key: token}}}, indent=2)}
    assert [m.value for m in scan(files)] == [token]


@pytest.mark.parametrize("value", ["ACME_API_KEY", "acme_api_key", "production"])
def test_env_name_fields_holding_a_name_stay_quiet(value: str) -> None:
    files = {".cursor/mcp.json": json.dumps({"providers": {"acme": {"api_key_env": value,
                                                                      "NODE_ENV": value}}})}
    assert scan(files) == []


def test_token_in_a_server_field_that_names_an_env_var_blocks() -> None:
    token = fake_token("tok_", 40, 22)
    files = {".mcp.json": json.dumps({"mcpServers": {"acme": {"url": "https://mcp.acme-tools.io/mcp",
                                                              "api_key_env": token}}}, indent=2)}
    assert [m.value for m in scan(files)] == [token]


def _allow(*rules: str) -> dict[str, str]:
    return {".claude/settings.local.json": json.dumps({"permissions": {"allow": list(rules)}}, indent=2)}


@pytest.mark.parametrize("rule", [
    "Bash(PGPASSWORD={pw} psql -h db.acme-tools-cloud.com -U app -d app)",  # seen with an RDS host
    "Bash(PGPASSWORD={pw} psql:*)",  # Claude Code's prefix rule: `:*` after the command
    "Bash(API_TOKEN={pw} npm run sync)",
    "Bash(mysql -h db.acme-tools-cloud.com -u root -p{pw} app)",
])
def test_credentials_inside_claude_bash_permission_rules_block(rule: str) -> None:
    # Claude Code stores each approved command as `Bash(<command>)` in settings(.local).json.
    password = fake_token("", 16, 23)
    found = [m for m in scan(_allow(rule.format(pw=password))) if m.value == password]
    assert found and found[0].severity >= found[0].severity.HIGH


def test_local_default_passwords_in_bash_permission_rules_stay_quiet() -> None:
    assert scan(_allow("Bash(PGPASSWORD=postgres psql -h localhost -U postgres)", "Bash(psql:*)",
                       "Bash(npm run test:*)")) == []
