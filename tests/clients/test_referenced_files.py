"""referenced_files: dotenv paths a config points at, normalised and kept inside the scan root."""

from __future__ import annotations

import json

import pytest

from scanner.clients import parse_config, referenced_files
from scanner.clients._files import project_dir, resolve
from scanner.clients.discovery import classify_path
from tests.clients.helpers import load


def _config(rel_path: str, body: dict[str, object]) -> list[str]:
    candidate = classify_path(rel_path)
    assert candidate is not None
    config = parse_config(candidate, json.dumps(body).encode())
    assert config is not None
    return referenced_files(config)


@pytest.mark.parametrize(
    "rel_path,env_file,expected",
    [
        (".cursor/mcp.json", "${workspaceFolder}/.env.mcp", [".env.mcp"]),
        ("app/.vscode/mcp.json", "${workspaceFolder}/config/.env", ["app/config/.env"]),
        ("app/.cursor/mcp.json", ".env", ["app/.env"]),
        (".cursor/mcp.json", "./secrets/../.env.local", [".env.local"]),
        (".cursor/mcp.json", "/etc/mcp.env", []),
        (".cursor/mcp.json", "~/.mcp.env", []),
        (".cursor/mcp.json", "${userHome}/.env", []),
        (".cursor/mcp.json", "../../outside.env", []),
        (".cursor/mcp.json", "C:\\Users\\dev\\.env", []),
    ],
)
def test_env_file_resolution(rel_path: str, env_file: str, expected: list[str]) -> None:
    servers = {"servers" if "vscode" in rel_path else "mcpServers": {
        "x": {"command": "npx", "envFile": env_file}}}
    assert _config(rel_path, servers) == expected


def test_env_file_args_both_spellings() -> None:
    body = {"mcpServers": {
        "a": {"command": "docker", "args": ["run", "--env-file", ".env.docker", "img"]},
        "b": {"command": "docker", "args": ["run", "--env-file=.env.docker", "--env-file=ops/.env", "img"]},
    }}
    assert _config(".mcp.json", body) == [".env.docker", "ops/.env"]


def test_compose_secret_and_env_files_relative_to_compose_dir() -> None:
    config, _ = load("compose.yaml", "deploy/compose.yaml")
    assert config is not None
    # the `.env` of the compose folder is loaded by compose itself (interpolation), named or not
    assert referenced_files(config) == ["deploy/agent.env", "deploy/.mcp.env", "deploy/.env"]


def test_project_dir_strips_client_directories() -> None:
    assert project_dir(".kiro/settings/mcp.json") == ""
    assert project_dir("svc/.vscode/mcp.json") == "svc"
    assert project_dir("deploy/compose.yaml") == "deploy"
    assert resolve("${workspaceFolder}", "") is None
