"""Credential names written as one glued word or absent from the part list before the wave-4 pass:
psql's `PGPASSWORD` (seen with opaque values in public `.cursor/mcp.json` files), `DBPASSWORD`,
`GHTOKEN`, `JWT`, `PASSCODE`; their non-secret relatives stay non-secret."""

from __future__ import annotations

import json

import pytest

from scanner.names import is_password_name, is_sensitive_name
from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_token


@pytest.mark.parametrize("name", ["PGPASSWORD", "DBPASSWORD", "ADMINPASSWD", "GHTOKEN", "OPENAIAPIKEY",
                                  "APPSECRET", "SUPABASE_JWT", "JWT", "PASSCODE", "--pgpassword"])
def test_glued_credential_names_are_sensitive(name: str) -> None:
    assert is_sensitive_name(name)


@pytest.mark.parametrize("name", ["PGPASSWORD", "DBPASSWORD", "MYSQL_PWD", "ADMIN_PASSWORD"])
def test_glued_password_names_are_password_names(name: str) -> None:
    assert is_password_name(name)


@pytest.mark.parametrize("name", ["PGPASSWORD_FILE", "JWT_ISSUER", "JWT_AUDIENCE", "MAX_TOKENS", "MAXTOKENS",
                                  "GHTOKEN_URL", "BYPASS", "COMPASS", "PASSWORD_MIN_LENGTH", "SESSION_ID",
                                  "TOKEN_LIMIT", "PUBLIC_TOKEN"])
def test_their_relatives_are_not(name: str) -> None:
    assert not is_sensitive_name(name)


def test_pgpassword_value_is_reported() -> None:
    secret = fake_token("", 24, seed=71)
    servers = json.dumps({"pg": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres"],
                                 "env": {"PGHOST": "db.acme.test", "PGUSER": "app", "PGPASSWORD": secret}}})
    assert [m.value for m in scan(mcp_json(servers))] == [secret]
