"""Shapes from the fourth real-config corpus (public repositories' committed MCP configs, 2026): a
Supabase pooler password pasted inside the dashboard's `[YOUR-PASSWORD]` brackets, a long path to a
key file under a credential name, a prompt written as one CamelCase word (`0xYourWalletPrivateKeyHere`),
and a graph database on the developer's machine named by its URI setting (`NEO4J_URI=bolt://localhost`).
Values are built at run time."""

from __future__ import annotations

import json

import pytest

from scanner.model import Severity
from tests.engines.helpers import scan
from tests.fakes import fake_token


def _env(env: dict[str, str], args: list[str] | None = None,
         path: str = "claude_desktop_config.json") -> dict[str, str]:
    server = {"command": "npx", "args": ["-y", "svc-mcp", *(args or [])], "env": env}
    return {path: json.dumps({"mcpServers": {"svc": server}}, indent=2)}


def _pooler(password: str) -> str:
    ref = fake_token("", 20, 1, "abcdefghijklmnopqrstuvwxyz")
    return f"postgresql://postgres.{ref}:{password}@aws-1-eu-west-1.pooler.supabase.com:6543/postgres"


# A human-chosen password (letters and digits, no shape), as people type over `[YOUR-PASSWORD]`.
_PASSWORD = "Nilgiris" + "next" + "2026"


def test_password_pasted_inside_the_dashboard_brackets_blocks() -> None:
    url = _pooler(f"[{_PASSWORD}]")
    found = [m for m in scan(_env({}, [url])) if m.value == _PASSWORD]
    assert found and found[0].severity is Severity.CRITICAL
    assert _PASSWORD not in found[0].redacted


@pytest.mark.parametrize("slot", ["[YOUR-PASSWORD]", "[password]", "[PASSWORD]", "[]",
                                  "[your_password_here]"])
def test_the_dashboards_bracketed_slot_itself_stays_quiet(slot: str) -> None:
    assert scan(_env({}, [_pooler(slot)])) == []


@pytest.mark.parametrize("path", [
    "/mnt/Dados1/Estudos/APPDOWNLOADYOUTUBE/android/app/firebase-key.json",
    "/home/developer/projects/some-long-project-name/credentials/service-account.json",
    "C:\\Users\\developer\\AppData\\Roaming\\gcloud\\application_default_credentials.json",
])
def test_a_long_path_to_a_key_file_is_not_a_key(path: str) -> None:
    assert scan(_env({"GOOGLE_APPLICATION_CREDENTIALS": path, "SERVICE_ACCOUNT_KEY_FILE": path})) == []


def test_a_path_shaped_key_still_blocks() -> None:
    """A key that starts with `/` is path-shaped; no file name at its end, so it is still judged."""
    key = "/" + fake_token("", 39, 2)
    assert [m.value for m in scan(_env({"API_SECRET": key}))] == [key]


@pytest.mark.parametrize(("name", "value"), [
    ("JTRADER_WALLET_PRIVATE_KEY", "0x" + "Your" + "Wallet" + "Private" + "Key" + "Here"),
    ("API_KEY", "Your" + "Api" + "Key" + "Here"),
    ("BOT_TOKEN", "Insert" + "Bot" + "Token"),
    ("DB_PASSWORD", "Password" + "Here"),
])
def test_a_camelcase_prompt_is_a_placeholder(name: str, value: str) -> None:
    assert scan(_env({name: value})) == []


def test_a_camelcase_value_that_is_no_prompt_is_still_judged() -> None:
    # Words, but no verb first and no `Here` last: a password like any other.
    value = "Purple" + "Monkey" + "Dishwasher" + "Seven"
    assert [m.value for m in scan(_env({"DB_PASSWORD": value}))] == [value]


_GRAPH_PASSWORD = "vault" + "-dev-" + "password"


@pytest.mark.parametrize("uri_name", ["VAULT_NEO4J_URI", "VAULT_NEO4J_URL"])
def test_password_of_a_graph_database_on_this_machine_is_low(uri_name: str) -> None:
    env = {uri_name: "bolt://localhost:7687", "VAULT_NEO4J_PASSWORD": _GRAPH_PASSWORD}
    found = [m.severity for m in scan(_env(env)) if m.value == _GRAPH_PASSWORD]
    assert found == [Severity.LOW]


def test_password_of_a_remote_graph_database_still_blocks() -> None:
    env = {"NEO4J_URI": "neo4j+s://a1b2c3d4.databases.neo4j.io", "NEO4J_PASSWORD": _GRAPH_PASSWORD}
    found = [m.severity for m in scan(_env(env)) if m.value == _GRAPH_PASSWORD]
    assert found and found[0] >= Severity.HIGH
