"""Dotenv files of MCP servers under names discovery did not know (real-config corpus 9):
per-environment / template copies of the MCP-named dotenv files (`.env.mcp.local`,
`.env.mcp.example`, `mcp.env.production`) and the `.env` an MCP server's own folder holds
(`mcp/.env`, `github-mcp/.env.local`: dotenv loaders read the `.env` of the working directory).
Every value is built at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.clients.discovery import classify_path
from scanner.model import Client
from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_hex, fake_token

NVIDIA = fake_token("nvapi-", 64, seed=91)
SUPABASE_PAT = "sbp_" + fake_hex(40, seed=92)
HEX_TOKEN = fake_hex(32, seed=93)


def findings(files: dict[str, str]) -> tuple[dict[str, set[int]], list[str]]:
    """{file: lines} of the secret findings, and the scanned files."""
    result = scan_files({k: v.encode() for k, v in files.items()},
                        ScanOptions(root=Path("."), use_gitleaks=False, fail_on=None))
    found: dict[str, set[int]] = {}
    for f in result.findings:
        if f.rule_id.startswith("MCPG1"):
            found.setdefault(f.file, set()).add(f.line)
    return found, result.scanned_files


@pytest.mark.parametrize("path", [
    ".env.mcp.local", ".env.mcp.example", "config/.env.mcp.production", "mcp.env.local",
    ".mcp.env.sample", "mcp/.env", "mcp-server/.env", "servers/github-mcp/.env",
    "mcp_servers/.env.local", "mcp/.env.example",
    # one level down in a folder of servers, and named environment files beside a server's config
    "mcp-servers/github/.env", "mcp/config/.env", "mcp/prod.env", "mcp/secrets.env",
    "tools/slack-mcp/staging.env",
])
def test_mcp_dotenv_names_are_dotenv_candidates(path: str) -> None:
    found = classify_path(path)
    assert found is not None and found.hints == (Client.DOTENV,) and not found.generic


@pytest.mark.parametrize("path", [
    ".env", ".env.local", ".env.example", "app/.env", "mcpserver/.env", "docs/.env.local",
    "mcp/env", "mcp/.envrc", "mcp/.env.mcp.json",
    # an MCP word three levels up, or only in a file name's stem
    "mcp/a/b/.env", "app/prod.env", "mcpserver/config/.env",
])
def test_other_dotenv_names_stay_out(path: str) -> None:
    found = classify_path(path)
    assert found is None or found.hints != (Client.DOTENV,)


def test_secrets_in_mcp_dotenv_copies_and_server_folders_are_found() -> None:
    files = {
        ".env.mcp.local": f"# local MCP tokens\nLUMEN_MCP_TOKEN={HEX_TOKEN}\nLUMEN_MCP_HOST=0.0.0.0\n",
        "mcp/.env": f"NVIDIA_API_KEY={NVIDIA}\nHOST=0.0.0.0\nPORT=9901\n",
        "tools/supabase-mcp/.env.local": f"SUPABASE_ACCESS_TOKEN={SUPABASE_PAT}\n",
    }
    found, scanned = findings(files)
    assert set(files) <= set(scanned)
    assert found == {".env.mcp.local": {2}, "mcp/.env": {1}, "tools/supabase-mcp/.env.local": {1}}


def test_secrets_one_level_down_and_in_named_env_files_are_found_and_their_templates_stay_quiet() -> None:
    files = {
        "mcp-servers/github/.env": f"SUPABASE_ACCESS_TOKEN={SUPABASE_PAT}\nLOG_LEVEL=debug\n",
        "mcp/prod.env": f"# deployed with --env-file\nNVIDIA_API_KEY={NVIDIA}\n",
        "mcp/config/.env": "BRAVE_API_KEY=\nOPENAI_API_KEY=<Your OpenAI API Key>\nAPI_KEY=${API_KEY}\n",
        "app/prod.env": f"NVIDIA_API_KEY={NVIDIA}\n",  # no MCP folder: not this tool's file
    }
    found, scanned = findings(files)
    assert {"mcp-servers/github/.env", "mcp/prod.env", "mcp/config/.env"} <= set(scanned)
    assert "app/prod.env" not in scanned
    assert found == {"mcp-servers/github/.env": {1}, "mcp/prod.env": {2}}


def test_placeholder_templates_stay_quiet() -> None:
    files = {
        ".env.mcp.example": ("# Copy this to .env.mcp and configure your tokens\n"
                             "GITHUB_TOKEN=ghp_your_github_token_here\nN8N_API_KEY=your_n8n_api_key_here\n"
                             "SPOTIFY_CLIENT_SECRET=your_spotify_client_secret_here\n"
                             "PERPLEXITY_API_KEY=pplx_your_perplexity_api_key_here\nMCP_DEBUG=false\n"),
        "mcp/.env": "BRAVE_API_KEY=\nAGENTVERSE_API_KEY=\nOPENAI_API_KEY=<Your OpenAI API Key>\n",
        "mcp/.env.example": 'BEDROCK_REGION="ap-southeast-2"\nUSE_UV="0"\nAPI_KEY=${API_KEY}\n',
    }
    found, scanned = findings(files)
    assert set(files) <= set(scanned)
    assert found == {}


def _severities(text: str) -> dict[int, str]:
    result = scan_files({"mcp/.env": text.encode()},
                        ScanOptions(root=Path("."), use_gitleaks=False, fail_on=None))
    return {f.line: f.severity.name for f in result.findings if f.rule_id.startswith("MCPG1")}


PASSWORD = fake_token("", 10, seed=94) + "@11"


def test_a_dotenv_password_whose_host_is_loopback_is_low() -> None:
    # as in a server's env (`ORACLE_HOST=localhost` beside `ORACLE_PASSWORD`) and in a loopback URL
    text = f"DB_HOST=localhost\nDB_PORT=3306\nDB_USER=root\nDB_PASSWORD={PASSWORD}\n"
    assert _severities(text) == {4: "LOW"}


@pytest.mark.parametrize("host", ["db.internal.example.com", "${DB_HOST}", "10.2.0.7"])
def test_a_dotenv_password_of_another_host_stays_high(host: str) -> None:
    assert _severities(f"DB_HOST={host}\nDB_PASSWORD={PASSWORD}\n") == {2: "HIGH"}


def test_a_dotenv_password_without_a_host_setting_stays_high() -> None:
    assert _severities(f"REDIS_HOST=localhost\nDB_PASSWORD={PASSWORD}\n") == {2: "HIGH"}


GH_TOKEN = fake_token("ghp_", 36, seed=95)


@pytest.mark.parametrize("path", ["mcp-config/servers.json", "mcp_servers/config.json",
                                  "tools/github-mcp/config.json"])
def test_a_server_map_in_an_mcp_named_folder_is_read(path: str) -> None:
    # `mcp-config/servers.json`: a bare map of servers an install script copies into the clients
    text = ('{"github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], '
            f'"env": {{"GITHUB_PERSONAL_ACCESS_TOKEN": "{GH_TOKEN}"}}}}}}\n')
    found, scanned = findings({path: text})
    assert path in scanned and found == {path: {1}}


def test_other_json_in_an_mcp_named_folder_is_not_a_config() -> None:
    files = {"mcp-server/package.json": '{"name": "x", "version": "1.0.0"}\n',
             "mcp-server/data.json": '{"items": [{"title": "a", "secret": "no"}]}\n'}
    found, scanned = findings(files)
    assert found == {} and not set(files) & set(scanned)
