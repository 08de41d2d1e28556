"""Shapes from real sample 15 (docs/real-world-corpus.md): committed configs of Warp
(`.warp/.mcp.json`), JetBrains Air (`.air/mcp.json`) and JetBrains AI Assistant's `.ai/mcp/mcp.json`
written with VS Code's `servers` key. Synthetic files of the same shape; every value is built at
run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.clients.catalog import CATALOG
from scanner.clients.discovery import classify_path
from scanner.model import Client
from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

TOKEN = fake_token("ghp_", 36, seed=15)
HF = fake_token("hf_", 34, seed=15)


def _servers(key: str) -> str:
    """Two servers, as the public files hold them: a local one with a literal token in `env`, and a
    remote one with a bearer header."""
    return json.dumps({key: {
        "github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
                   "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": TOKEN}},
        "hf": {"type": "http", "url": "https://huggingface.co/mcp",
               "headers": {"Authorization": f"Bearer {HF}"}}}}, indent=2)


def _scan(path: str, text: str):
    return scan_files({path: text.encode()}, ScanOptions(root=Path("."), use_gitleaks=False, fail_on=None))


# path -> the client the file belongs to (Warp: docs of warpdotdev/warp, `~/.warp/.mcp.json` and
# `{repo}/.warp/.mcp.json`; JetBrains Air: jetbrains.com/help/air/mcp-servers.html, `.air/mcp.json`).
CLIENT_FILES = {
    ".warp/.mcp.json": Client.WARP,
    "home/.warp/.mcp.json": Client.WARP,
    ".air/mcp.json": Client.JETBRAINS_AIR,
}


@pytest.mark.parametrize("path", sorted(CLIENT_FILES))
def test_client_file_is_named_for_its_client(path: str) -> None:
    client = CLIENT_FILES[path]
    candidate = classify_path(path)
    assert candidate is not None and candidate.hints[0] is client
    result = _scan(path, _servers("mcpServers"))
    secrets = [f for f in result.findings if f.rule_id.startswith("MCPG1")]
    assert {(f.client, f.server) for f in secrets} == {(client.value, "github"), (client.value, "hf")}
    assert CATALOG[client].label


def test_dot_mcp_json_elsewhere_is_still_claude_codes() -> None:
    candidate = classify_path("warp/.mcp.json")
    assert candidate is not None and candidate.hints[0] is Client.CLAUDE_CODE


@pytest.mark.parametrize("key", ["mcpServers", "servers"])
def test_jetbrains_project_file_reads_either_server_key(key: str) -> None:
    # `.ai/mcp/mcp.json` committed with VS Code's `servers` key (a copied config): its servers are
    # servers, not loose values of the file.
    result = _scan(".ai/mcp/mcp.json", _servers(key))
    (config,) = result.configs
    assert config.client is Client.JETBRAINS
    assert sorted(s.name for s in config.servers) == ["github", "hf"]
    secrets = {(f.server, f.field) for f in result.findings if f.rule_id.startswith("MCPG1")}
    assert secrets == {("github", "env.GITHUB_PERSONAL_ACCESS_TOKEN"), ("hf", "headers.Authorization")}


def test_jetbrains_servers_key_that_is_no_map_gives_no_server() -> None:
    text = json.dumps({"servers": ["github"], "note": "see README"})
    result = _scan(".ai/mcp/mcp.json", text)
    assert all(not c.servers for c in result.configs)


MISTRAL = fake_token("", 32, seed=15)
VIBE = ('active_model = "devstral-2"\n\n[[providers]]\nname = "mistral"\n'
        'api_key_env_var = "MISTRAL_API_KEY"\n\n'
        f'[[mcp_servers]]\nname = "hf"\ntransport = "http"\nurl = "https://huggingface.co/mcp"\n'
        f'headers = {{ "Authorization" = "Bearer {HF}" }}\n\n'
        f'[[mcp_servers]]\nname = "github"\ntransport = "stdio"\ncommand = "npx"\n'
        f'args = ["-y", "@modelcontextprotocol/server-github"]\n\n'
        f'[mcp_servers.env]\nGITHUB_PERSONAL_ACCESS_TOKEN = "{TOKEN}"\n')


def test_mistral_vibe_config_servers_are_its_mcp_servers_tables() -> None:
    # Mistral Vibe (docs.mistral.ai vibe/code/cli/mcp-servers): `[[mcp_servers]]` tables named by
    # `name`, a `[mcp_servers.env]` table belonging to the entry above it.
    result = _scan(".vibe/config.toml", VIBE)
    (config,) = result.configs
    assert config.client is Client.MISTRAL_VIBE
    assert sorted(s.name for s in config.servers) == ["github", "hf"]
    secrets = {(f.server, f.field) for f in result.findings if f.rule_id.startswith("MCPG1")}
    assert secrets == {("github", "env.GITHUB_PERSONAL_ACCESS_TOKEN"), ("hf", "headers.Authorization")}


def test_mistral_vibe_config_without_servers_is_searched_whole() -> None:
    text = ('active_model = "devstral-2"\nmcp_servers = []\n\n'
            f'[[providers]]\nname = "x"\napi_key = "{TOKEN}"\n')
    result = _scan(".vibe/config.toml", text)
    assert [f.line for f in result.findings if f.rule_id.startswith("MCPG1")] == [6]


@pytest.mark.parametrize("path", [".vibe/.env", "home/.vibe/.env"])
def test_mistral_vibe_saved_key_file_is_read(path: str) -> None:
    # Vibe saves the key typed at first run to `~/.vibe/.env` (committed in dotfiles trees).
    result = _scan(path, f"MISTRAL_API_KEY='{MISTRAL}'\n")
    assert path in result.scanned_files
    assert [(f.line, f.client) for f in result.findings if f.rule_id.startswith("MCPG1")] == [(1, "dotenv")]


def test_openhands_own_config_mcp_lists_are_servers() -> None:
    # OpenHands `.openhands/config.toml` (read whole): its `[mcp] stdio_servers = [...]` entries are
    # servers.
    text = ('[llm]\nmodel = "gpt-4o"\n\n[mcp]\nstdio_servers = [\n  {name = "github", command = "npx", '
            'args = ["-y", "@modelcontextprotocol/server-github"], '
            f'env = {{GITHUB_TOKEN = "{TOKEN}"}}}},\n]\n')
    result = _scan(".openhands/config.toml", text)
    (config,) = result.configs
    assert [s.name for s in config.servers] == ["github"]
    secrets = [(f.server, f.line) for f in result.findings if f.rule_id.startswith("MCPG1")]
    assert secrets == [("github", 6)]


# chezmoi source trees name `~/.cursor/mcp.json` `dot_cursor/mcp.json` (15 public dotfiles repositories
# in sample 15's index): a generic name inside a client's folder is that client's file.
CHEZMOI = {
    "dot_cursor/mcp.json": Client.CURSOR,
    "home/private_dot_cursor/mcp.json": Client.CURSOR,
    "dot_kiro/settings/mcp.json": Client.KIRO,
    "dot_config/Code/User/mcp.json": Client.VSCODE,
}


@pytest.mark.parametrize("path", sorted(CHEZMOI))
def test_chezmoi_copy_of_a_client_mcp_json_is_that_clients(path: str) -> None:
    key = "servers" if CHEZMOI[path] is Client.VSCODE else "mcpServers"
    result = _scan(path, _servers(key))
    (config,) = result.configs
    assert config.client is CHEZMOI[path]
    assert sorted(s.name for s in config.servers) == ["github", "hf"]


@pytest.mark.parametrize("path", ["mcp.json", "config/mcp.json", "tools/dot_env/mcp.json"])
def test_generic_mcp_json_outside_client_folders_stays_generic(path: str) -> None:
    candidate = classify_path(path)
    assert candidate is not None and candidate.generic and candidate.hints[0] is Client.GENERIC


def test_mcphub_project_servers_json_is_read_by_name() -> None:
    # mcphub.nvim 6 reads a workspace's `.mcphub/servers.json` (21 public repositories), as its
    # `~/.config/mcphub/servers.json`: named, not only found by content in a git work tree.
    candidate = classify_path(".mcphub/servers.json")
    assert candidate is not None and candidate.generic
    result = _scan(".mcphub/servers.json", _servers("mcpServers"))
    (config,) = result.configs
    assert sorted(s.name for s in config.servers) == ["github", "hf"]
    assert not _scan(".mcphub/servers.json", json.dumps({"theme": "dark"})).configs
