"""Hosted MCP gateways' URLs and keys: the key in a path or query string is found, the ids those
URLs carry (a ModelScope deployment id, a Smithery profile name) are not. Every value is built at
run time."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_hex, fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)


def _uuid(seed: int) -> str:
    return str(uuid.UUID(fake_hex(32, seed)))


def _secret_types(server: dict[str, object]) -> list[str | None]:
    text = json.dumps({"mcpServers": {"gateway": server}})
    result = scan_files({".cursor/mcp.json": text.encode()}, _OPTIONS)
    return [f.secret_type for f in result.findings if f.rule_id.startswith("MCPG1")]


def test_modelscope_access_token_is_found_under_any_name() -> None:
    token = "ms-" + _uuid(1)
    server = {"command": "uvx", "args": ["modelscope-mcp-server"], "env": {"SETTING": token}}
    assert _secret_types(server) == ["modelscope-access-token"]


def test_modelscope_token_lookalikes_pass() -> None:
    # a Microsoft-style `ms-` word that is no UUID, a placeholder UUID, a bare UUID under a plain name
    for value in ("ms-python.python", "ms-00000000-0000-0000-0000-000000000000", "ms-vscode-remote"):
        server = {"command": "uvx", "args": ["modelscope-mcp-server"], "env": {"SETTING": value}}
        assert _secret_types(server) == [], value


@pytest.mark.parametrize("path", ["sse", "mcp"])
def test_modelscope_hosted_url_names_a_deployment_not_a_key(path: str) -> None:
    # `mcp.api-inference.modelscope.net/<14 hex>/sse`: the id ModelScope shows for a hosted server
    # (public examples share it; the account's token is what authenticates, sent separately).
    url = f"https://mcp.api-inference.modelscope.net/{fake_hex(14, 2)}/{path}"
    assert _secret_types({"type": "sse", "url": url}) == []


def test_smithery_api_key_in_the_query_is_found_and_its_profile_is_not() -> None:
    url = f"https://server.smithery.ai/@acme/tool/mcp?api_key={_uuid(3)}&profile=quiet-cat-x1y2"
    assert _secret_types({"url": url}) == ["url-query-secret"]
    assert _secret_types({"url": "https://server.smithery.ai/@acme/tool/mcp?profile=quiet-cat-x1y2"}) == []


def test_zapier_actions_key_in_the_path_is_found() -> None:
    url = f"https://actions.zapier.com/mcp/{fake_token('sk-ak-', 26, 4)}/sse"
    assert _secret_types({"url": url}) == ["zapier-actions-key"]
    assert _secret_types({"url": "https://actions.zapier.com/mcp/sk-akxxxxx/sse"}) == []
