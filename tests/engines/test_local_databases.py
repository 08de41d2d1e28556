"""Database credentials that open only the developer's machine or a compose network (third real-config
corpus, 2026): a database MCP server configured by separate env vars (`ORACLE_HOST=localhost` next to
`ORACLE_PASSWORD`) and a connection string to a compose service (`postgres://postgres:postgres@postgres`)
are not blocking, as their one-URL loopback forms already were; the same shapes aimed at a remote host
still block. Values are built at run time."""

from __future__ import annotations

import json

import pytest

from scanner.model import Severity
from tests.engines.helpers import scan
from tests.fakes import fake_token


def _server(env: dict[str, str] | None = None, args: list[str] | None = None,
            path: str = ".cursor/mcp.json") -> dict[str, str]:
    server: dict[str, object] = {"command": "npx", "args": ["-y", "db-mcp", *(args or [])]}
    if env is not None:
        server["env"] = env
    return {path: json.dumps({"mcpServers": {"db": server}}, indent=2)}


def _severity(files: dict[str, str], value: str) -> Severity | None:
    found = [m.severity for m in scan(files) if m.value == value]
    return max(found) if found else None


# A human-chosen password of more than 8 characters (the short-password rule does not decide it).
_PASSWORD = "Clarity" + "1234"


@pytest.mark.parametrize(("env", "host_name"), [
    ({"ORACLE_USERNAME": "CLARITY", "ORACLE_PASSWORD": _PASSWORD, "ORACLE_HOST": "localhost",
      "ORACLE_PORT": "1521"}, "ORACLE_HOST"),
    ({"MYSQL_HOST": "127.0.0.1", "MYSQL_USER": "root", "MYSQL_PASS": _PASSWORD, "MYSQL_DB": "shop"},
     "MYSQL_HOST"),
    ({"DB_SERVER": "host.docker.internal:5432", "DB_PASSWORD": _PASSWORD}, "DB_SERVER"),
    ({"PGHOST": "localhost", "PGPASSWORD": _PASSWORD}, "PGHOST"),
])
def test_env_password_of_a_loopback_database_is_low(env: dict[str, str], host_name: str) -> None:
    assert _severity(_server(env), _PASSWORD) == Severity.LOW, host_name


@pytest.mark.parametrize("env", [
    {"ORACLE_PASSWORD": _PASSWORD, "ORACLE_HOST": "oracle-db.acme-corp.com"},
    {"MYSQL_HOST": "10.0.4.12", "MYSQL_PASS": _PASSWORD},
    # The loopback host belongs to another credential: this password's own host is remote.
    {"REDIS_HOST": "localhost", "DB_HOST": "db.acme-corp.com", "DB_PASSWORD": _PASSWORD},
    # No host at all: nothing says where the password opens.
    {"DB_PASSWORD": _PASSWORD},
    # A loopback host next to a remote one with the same prefix: not only the developer's machine.
    {"DB_HOST": "localhost", "DB_SERVER": "db.acme-corp.com", "DB_PASSWORD": _PASSWORD},
])
def test_env_password_of_a_remote_or_unknown_database_still_blocks(env: dict[str, str]) -> None:
    severity = _severity(_server(env), _PASSWORD)
    assert severity is not None and severity >= Severity.HIGH, env


def test_a_provider_key_next_to_a_loopback_host_still_blocks() -> None:
    key = "sk-proj-" + fake_token("", 48, 3)
    env = {"DB_HOST": "localhost", "DB_PASSWORD": key}
    severity = _severity(_server(env), key)
    assert severity is not None and severity >= Severity.HIGH


@pytest.mark.parametrize("url", [
    "postgresql://postgres:postgres@postgres:5432/saas_starter",  # compose service `postgres`
    "mysql://app:app@db:3306/app",
    "mongodb://root:example@mongo:27017/",
])
def test_default_credentials_of_a_compose_service_are_quiet(url: str) -> None:
    password = url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
    assert _severity(_server(args=[url]), password) is None


@pytest.mark.parametrize("url", [
    "postgresql://postgres:{pw}@postgres:5432/app",  # a chosen password on a compose service
    "postgresql://postgres:postgres@db.acme-corp.com:5432/app",  # a default password on a remote host
])
def test_chosen_or_remote_database_passwords_still_report(url: str) -> None:
    url = url.replace("{pw}", fake_token("", 16, 5))
    password = url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
    assert _severity(_server(args=[url]), password) is not None
