"""Red-team regressions: real-world-shaped values the built-in engine once missed or misreported."""

from __future__ import annotations

import json

import pytest

from scanner.engines.builtin import BuiltinEngine
from scanner.engines.decode import json_leaves
from scanner.engines.filters import is_not_a_secret, is_sensitive_name
from tests.engines.helpers import mcp_json, parse_files, scan
from tests.fakes import assert_no_secret, fake_hex, fake_token

GENERIC = fake_token("", 40, 901)


def _env(env: dict[str, str]) -> dict[str, str]:
    return mcp_json(json.dumps({"srv": {"command": "npx", "args": ["-y", "pkg"], "env": env}}))


def _should_flag() -> list[tuple[str, str]]:
    return [
        # Telegram app credential: `*_API_HASH` is a secret, unlike other `*_HASH` names.
        ("TELEGRAM_API_HASH", fake_hex(32, 902)),
        # ADO.NET / ODBC / Azure connection strings carry the secret in a `;`-separated pair.
        ("MSSQL_CONNECTION_STRING", "Server=tcp:sql1.database.windows.net,1433;Database=app;"
         f"User ID=admin;Password={fake_token('', 18, 903)};Encrypt=true"),
        ("AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=https;AccountName=acct;"
         f"AccountKey={fake_token('', 86, 904)}==;EndpointSuffix=core.windows.net"),
        ("ODBC", f"Driver={{ODBC Driver 18}};Server=sql.corp.net;Uid=sa;Pwd={fake_token('', 16, 905)};"),
        # `${NAME:-default}` falls back to the literal default: a secret there is committed.
        ("API_KEY", "${API_KEY:-" + GENERIC + "}"),
    ]


@pytest.mark.parametrize(("name", "value"), _should_flag())
def test_real_values_are_found(name: str, value: str) -> None:
    matches = scan(_env({name: value}))
    assert matches, name
    assert_no_secret(repr(matches), value)


@pytest.mark.parametrize(("name", "value"), [
    ("GITHUB_PERSONAL_ACCESS_TOKEN", "$(cat ~/.config/gh/token)"),
    ("GITHUB_PERSONAL_ACCESS_TOKEN", "`op read op://vault/github/token`"),
    ("GITHUB_PERSONAL_ACCESS_TOKEN", "${secrets.GITHUB_TOKEN}"),
    ("GITHUB_PERSONAL_ACCESS_TOKEN", "env:GITHUB_TOKEN"),
    ("API_KEY", "AKIA" + "IOSFODNN7EXAMPLE"),
    ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("SQL", "Server=sql.corp.net;User ID=sa;Password=${SQL_PASSWORD};"),
    ("SQL", "Server=localhost;Database=app;Trusted_Connection=True;"),
    ("OPTIONS", "timeout=30;retries=3;mode=fast"),
    ("COMMIT_HASH", fake_hex(40, 906)),
    ("API_KEY", "${API_KEY:-}"),
    ("API_KEY", "${API_KEY:-your_api_key_here}"),
    ("GOOGLE_OAUTH_CREDENTIALS", "C:/Users/me/gcp-oauth.keys.json"),  # Windows path, forward slashes
])
def test_expressions_and_examples_are_not_secrets(name: str, value: str) -> None:
    assert scan(_env({name: value})) == []


def test_header_expression_is_not_a_secret() -> None:
    files = mcp_json(json.dumps({"r": {"url": "https://x.example/mcp",
                                       "headers": {"Authorization": "Bearer $(cat ~/.token)"}}}))
    assert scan(files) == []


def test_predicates_directly() -> None:
    assert is_not_a_secret("$(security find-generic-password -s gh -w)")
    assert not is_not_a_secret(GENERIC)
    assert is_sensitive_name("TELEGRAM_API_HASH") and not is_sensitive_name("PASSWORD_HASH")


def test_deeply_nested_json_string_does_not_crash() -> None:
    deep = "[" * 5000
    assert json_leaves(deep) is None
    configs, sources = parse_files(_env({"OPENAPI_MCP_HEADERS": deep}))
    assert BuiltinEngine().detect(configs, sources) == []


def _allow(command: str) -> dict[str, str]:
    return {".claude/settings.local.json": json.dumps({"permissions": {"allow": [f"Bash({command})"]}})}


def test_curl_basic_user_password_in_allow_rule_is_found() -> None:
    password = fake_token("", 20, 907)
    matches = scan(_allow(f"curl -u admin:{password} https://api.x.example/v1"))
    assert [m.secret_type for m in matches] == ["password"]
    assert_no_secret(repr(matches), password)


@pytest.mark.parametrize("command", [
    "curl -u admin:${ADMIN_PASSWORD} https://api.x.example/v1",
    "docker run -u 1000:1000 --rm img",
    "docker run -u app:" + fake_token("", 12, 908) + " --rm img",  # -u outside curl is a user spec
])
def test_non_curl_user_flags_and_references_are_clean(command: str) -> None:
    assert scan(_allow(command)) == []
