"""Reference-syntax hardening MCPG301-308: syntax the client does not resolve, dangling inputs."""

from __future__ import annotations

import json

import pytest

from scanner.rules import all_rules
from scanner.rules.base import RuleContext
from tests.engines.helpers import parse_files


def _ids(files: dict[str, str]) -> list[str]:
    configs, _sources = parse_files(files)
    ctx = RuleContext(configs=configs)
    return sorted(f.rule_id for rule in all_rules() if "MCPG301" <= rule.id <= "MCPG309"
                  for f in rule.check(ctx))


def _servers(path: str, key: str, entry: dict[str, object], **extra: object) -> dict[str, str]:
    return {path: json.dumps({key: {"s": entry}, **extra})}


@pytest.mark.parametrize(("files", "expected"), [
    (_servers(".mcp.json", "mcpServers", {"command": "npx", "env": {"T": "${input:tok}"}}), ["MCPG301"]),
    (_servers(".mcp.json", "mcpServers", {"command": "npx", "env": {"T": "${env:TOKEN}"}}), ["MCPG302"]),
    (_servers(".vscode/mcp.json", "servers", {"command": "npx", "env": {"T": "${TOKEN}"}}), ["MCPG303"]),
    (_servers(".cursor/mcp.json", "mcpServers",
              {"url": "https://x.example.net", "headers": {"Authorization": "Bearer {env:T}"}}), ["MCPG304"]),
    (_servers(".mcp.json", "mcpServers", {"command": "npx", "env": {"T": "${{ secrets.T }}"}}), ["MCPG305"]),
    (_servers(".vscode/mcp.json", "servers", {"command": "npx", "env": {"T": "${input:missing}"}},
              inputs=[{"type": "promptString", "id": "other", "password": True}]), ["MCPG306"]),
    (_servers(".cursor/mcp.json", "mcpServers", {"command": "npx", "env": {"T": "$TOKEN"}}), ["MCPG307"]),
    (_servers(".cursor/mcp.json", "mcpServers", {"command": "npx", "env": {"T": "${file:/run/t}"}}),
     ["MCPG308"]),
])
def test_unresolved_syntax_is_reported(files: dict[str, str], expected: list[str]) -> None:
    assert _ids(files) == expected


@pytest.mark.parametrize("files", [
    _servers(".mcp.json", "mcpServers", {"command": "npx", "env": {"T": "${TOKEN}", "U": "${U:-x}"}}),
    _servers(".cursor/mcp.json", "mcpServers", {"command": "npx", "args": ["${workspaceFolder}"],
                                                "env": {"T": "${env:TOKEN}"}}),
    _servers(".vscode/mcp.json", "servers", {"command": "npx", "env": {"T": "${input:tok}", "E": "${env:E}"}},
             inputs=[{"type": "promptString", "id": "tok", "password": True}]),
    _servers(".gemini/settings.json", "mcpServers", {"command": "npx", "env": {"T": "$TOKEN"}}),
    _servers(".mcp.json", "mcpServers", {"command": "bash", "args": ["-c", "echo $HOME ${PATH}"]}),
    _servers(".cursor/mcp.json", "mcpServers", {"command": "bash", "args": ["-c", "run ${X}"]}),
])
def test_resolved_syntax_is_quiet(files: dict[str, str]) -> None:
    assert _ids(files) == []


_REMOTE = "https://mcp.acme-tools.io/sse"


@pytest.mark.parametrize(("path", "key", "entry"), [
    # mcp-remote's README: `"Authorization:${AUTH_HEADER}"` with `"env": {"AUTH_HEADER": "Bearer <token>"}`.
    (".cursor/mcp.json", "mcpServers", {"command": "npx", "args": ["-y", "mcp-remote", _REMOTE, "--header",
                                                                   "Authorization:${AUTH_HEADER}"],
                                        "env": {"AUTH_HEADER": "Bearer ${env:TOKEN}"}}),
    ("claude_desktop_config.json", "mcpServers", {"command": "npx", "args": [
        "mcp-remote@0.1.29", _REMOTE, "--header", "Authorization: Bearer ${AUTH_TOKEN}"]}),
    (".vscode/mcp.json", "servers", {"command": "npx", "args": ["-y", "mcp-remote@latest", _REMOTE,
                                                                "--header=X-Api-Key:${API_KEY}"]}),
])
def test_mcp_remote_header_substitution_is_resolved(path: str, key: str, entry: dict[str, object]) -> None:
    assert "MCPG303" not in _ids(_servers(path, key, entry))


def test_dollar_brace_elsewhere_in_an_mcp_remote_entry_still_counts() -> None:
    entry = {"command": "npx", "args": ["-y", "mcp-remote", "https://mcp.acme-tools.io/${PATH_PART}"]}
    assert _ids(_servers(".cursor/mcp.json", "mcpServers", entry)) == ["MCPG303"]
    other = {"command": "npx", "args": ["-y", "supergateway", "--header", "Authorization:${AUTH}"]}
    assert _ids(_servers(".cursor/mcp.json", "mcpServers", other)) == ["MCPG303"]
