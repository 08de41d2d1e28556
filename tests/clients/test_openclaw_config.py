"""OpenClaw's gateway config `openclaw.json` (root of a repository, or `.openclaw/openclaw.json` in a
dotfiles copy; JSON5, committed by >=1,580 public repositories, corpus realsample14): its MCP
servers under `mcp.servers` are read, and the gateway token, channel secrets and model providers'
keys beside them are searched. Placeholders, env references and OpenClaw's `{source: env}` secret
references are not findings. Every value is built at run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_hex, fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)


def _scan(text: str, path: str = "openclaw.json"):
    return scan_files({path: text.encode()}, _OPTIONS)


def _blocking_lines(text: str, path: str = "openclaw.json") -> list[int]:
    result = _scan(text, path)
    return sorted(f.line for f in result.findings if f.category.value == "secret" and f.blocking)


def _config(token: object, api_key: str, server_env: dict[str, str]) -> str:
    return json.dumps({
        "gateway": {"mode": "local", "auth": {"mode": "token", "token": token}, "port": 18789},
        "models": {"providers": {"deepseek": {"baseUrl": "https://api.deepseek.com/v1", "apiKey": api_key}}},
        "mcp": {"servers": {"search": {"command": "npx", "args": ["-y", "search-mcp"], "env": server_env}}},
    }, indent=2)


@pytest.mark.parametrize("path", ["openclaw.json", ".openclaw/openclaw.json", "deploy/openclaw.json"])
def test_gateway_token_provider_key_and_server_env_are_found(path: str) -> None:
    text = _config(fake_hex(48, 1), "sk-" + fake_hex(32, 2), {"SEARCH_API_KEY": fake_token("", 40, 3)})
    lines = text.splitlines()
    want = sorted(i for i, line in enumerate(lines, 1)
                  if '"token": "' in line or '"apiKey"' in line or '"SEARCH_API_KEY"' in line)
    assert _blocking_lines(text, path) == want


def test_mcp_servers_are_servers() -> None:
    env = {"SEARCH_API_KEY": "${SEARCH_API_KEY}"}
    text = _config("${OPENCLAW_GATEWAY_TOKEN}", "${DEEPSEEK_API_KEY}", env)
    result = _scan(text)
    assert result.scanned_files == ["openclaw.json"] and not result.errors
    assert [s.name for s in result.configs[0].servers] == ["search"]


@pytest.mark.parametrize("token, api_key", [
    ({"source": "env", "provider": "default", "id": "OPENCLAW_GATEWAY_TOKEN"}, "OPENROUTER_API_KEY"),
    ("test-token-123", "${DEEPSEEK_API_KEY}"),
    ("your-gateway-token", "sk-your-deepseek-key"),
    ("${OPENCLAW_GATEWAY_TOKEN}", "<DEEPSEEK_API_KEY>"),
])
def test_references_and_placeholders_pass(token: object, api_key: str) -> None:
    assert _blocking_lines(_config(token, api_key, {"SEARCH_API_KEY": "${SEARCH_API_KEY}"})) == []


def test_json5_comments_and_trailing_commas_parse() -> None:
    key = "sk-" + fake_hex(32, 4)
    text = ('{\n  /* gateway */\n'
            '  "gateway": {"auth": {"mode": "token", "token": "${OPENCLAW_GATEWAY_TOKEN}"},},\n'
            '  // providers\n  "models": {"providers": {"deepseek": {\n'
            '    "apiKey": "' + key + '",\n  }}},\n}\n')
    result = _scan(text)
    assert not result.errors and all(c.parse_error is None for c in result.configs)
    assert _blocking_lines(text) == [6]
