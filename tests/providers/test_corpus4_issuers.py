"""Issuer rows from the fourth real-config corpus (2026): TestSprite API keys (`sk-user-` + 131
base64url characters under API_KEY in an Antigravity config) and Zapier's connect-form MCP URL
(`mcp.zapier.com/api/v1/connect?token=…` passed to mcp-remote) are named after their issuer, so the
comment links the page that revokes them; before, both were anonymous generic findings. Values are
built at run time."""

from __future__ import annotations

import base64
import json

import pytest

from scanner.providers import ROTATIONS
from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_token

_B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def _testsprite(seed: int) -> str:
    return "sk-" + "user-" + fake_token("", 131, seed, _B64URL)


def _zapier_url(seed: int) -> str:
    token = base64.b64encode(fake_token("", 48, seed).encode()).decode()
    return "https://mcp.zapier.com/api/v1/connect?token=" + token


def _types(server: dict[str, object]) -> list[str]:
    return [m.secret_type for m in scan(mcp_json(json.dumps({"srv": server})))]


@pytest.mark.parametrize("server", [
    {"command": "npx", "args": ["@testsprite/testsprite-mcp@latest"], "env": {"API_KEY": _testsprite(1)}},
    {"command": "npx", "args": ["-y", "some-mcp", _testsprite(2)]},
])
def test_testsprite_keys_are_named(server: dict[str, object]) -> None:
    assert _types(server) == ["testsprite-api-key"]


def test_zapier_connect_token_is_named() -> None:
    server = {"command": "npx", "args": ["-y", "mcp-remote", _zapier_url(3)]}
    assert _types(server) == ["zapier-mcp-connect-token"]


@pytest.mark.parametrize("provider", ["testsprite", "zapier"])
def test_rows_link_their_revoke_page(provider: str) -> None:
    assert ROTATIONS[provider].url.startswith("https://")
