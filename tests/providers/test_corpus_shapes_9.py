"""False positives of the ninth real-config corpus (2026), values built at run time.

- A credential word after a test word, glued (`testpassword123`, `test_token`, `dummysecret`,
  `fakepassword1`): the stand-in a local test stack commits (`NEO4J_PASSWORD=testpassword123` beside
  `bolt://localhost`), made like `supersecretpassword` (corpus 7) with a test word first.
Lookalikes that stay findings: a random run between the words, more digits than a version, a
service word first (`adminpassword`), a test word pasted before a random password.
"""

from __future__ import annotations

import json

import pytest

from scanner.engines import filters
from scanner.names import is_sensitive_name
from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_token


def _hits(env: dict[str, str]) -> list[str | None]:
    server = {"command": "npx", "args": ["-y", "some-mcp"], "env": env}
    return [m.secret_type for m in scan(mcp_json(json.dumps({"srv": server})))]


_TEST_STANDINS = ["test" + "password" + "123", "test_" + "password", "Test" + "Token", "dummy" + "secret",
                  "fake" + "password" + "1", "demo" + "api" + "key", "test" + "db" + "password"]


@pytest.mark.parametrize("value", _TEST_STANDINS)
@pytest.mark.parametrize("name", ["NEO4J_PASSWORD", "API_TOKEN", "CLIENT_SECRET"])
def test_test_word_standins_are_not_findings(value: str, name: str) -> None:
    assert filters.is_placeholder(value)
    assert _hits({name: value}) == []


_LOOKALIKES = [
    "test" + fake_token("", 12, seed=31) + "password",  # a random run between the words
    "test" + "password" + "98765",  # more digits than a version number
    "admin" + "password",  # a service word first: judged as before
    "test" + fake_token("", 20, seed=32),  # a test word pasted before a random password
]


@pytest.mark.parametrize("value", _LOOKALIKES)
def test_lookalikes_under_password_names_are_still_found(value: str) -> None:
    assert not filters.is_placeholder(value)
    assert _hits({"NEO4J_PASSWORD": value}) != []


# A setting that orders or ranks where a token comes from (`TID_TOKEN_SOURCE_ORDER=ambient,cached,
# pkce` in an MCP server's `mcp/.env`) describes the token; it is not one.
@pytest.mark.parametrize("name", ["TID_TOKEN_SOURCE_ORDER", "AUTH_ORDER", "TOKEN_PRIORITY",
                                  "CREDENTIAL_SOURCES", "API_KEY_PRECEDENCE"])
def test_order_and_priority_settings_are_not_credentials(name: str) -> None:
    assert not is_sensitive_name(name)
    assert _hits({name: "ambient,cached,pkce"}) == []


@pytest.mark.parametrize("name", ["ORDER_API_TOKEN", "PRIORITY_SECRET", "SOURCES_PASSWORD"])
def test_credentials_named_after_those_words_are_still_found(name: str) -> None:
    assert is_sensitive_name(name)
    assert _hits({name: fake_token("", 32, seed=33)}) != []


# A demo stack's pair (`mcp_user` / `mcp_password`: the user name with its user word swapped for a
# password word) at a compose service or on this machine opens only the stack it came with, as a
# default password there does (`postgres:postgres@postgres`).
@pytest.mark.parametrize("url", [
    "postgresql://mcp_" + "user:mcp_" + "password@postgres:5432/mcp_tracker",
    "mysql://app-" + "usr:app-" + "pass@db:3306/app",
    "postgres://shop" + "user:shop" + "pass@localhost:5432/shop",
])
def test_demo_user_password_pairs_at_service_hosts_are_not_findings(url: str) -> None:
    assert _hits({"DATABASE_URL": url}) == []


@pytest.mark.parametrize("url", [
    "postgresql://mcp_" + "user:mcp_" + "password@db.example.com:5432/mcp",  # a real host
    "postgresql://mcp_" + "user:" + fake_token("", 16, seed=34) + "@postgres:5432/mcp",  # a real password
    "postgresql://mcp_" + "user:other_" + "password@postgres:5432/mcp",  # not the user's stem
    "postgresql://mcp:mcp_" + "password@postgres:5432/mcp",  # no user word to swap
])
def test_other_passwords_at_service_hosts_are_still_found(url: str) -> None:
    assert _hits({"DATABASE_URL": url}) != []
