"""Config files people commit under names and places found in public repositories (wave-4 real-world
pass): client-named copies without an `mcp` word, iFlow/Augment settings, MCP hosts' own generic names
inside their directory, Claude Code plugin marketplaces. Every value is built at run time."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from scanner.clients.discovery import classify_path
from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_hex, fake_token

TOKEN = fake_token("ghp_", 36, seed=41)


def servers(env: dict[str, str] | None = None, **extra: object) -> str:
    body: dict[str, object] = {"mcpServers": {"gh": {"command": "npx", "args": ["-y", "gh-mcp"],
                                                     "env": env or {"GITHUB_TOKEN": TOKEN}}}}
    body.update(extra)
    return json.dumps(body, indent=2)


def scan(files: dict[str, str]) -> tuple[dict[str, set[str]], list[str]]:
    """{file: {client of each secret finding}}, and the scanned files."""
    result = scan_files({k: v.encode() for k, v in files.items()},
                        ScanOptions(root=Path("."), use_gitleaks=False, fail_on=None))
    found: dict[str, set[str]] = {}
    for f in result.findings:
        if f.rule_id.startswith("MCPG1"):
            found.setdefault(f.file, set()).add(f.client)
    return found, result.scanned_files


# path -> client the finding names. Sources (find_files over public repositories): hundreds of repos
# hold `claude-desktop-config.json` / `examples/claude-desktop-config.json`, >100 each
# `claude_config.json`, `claude-config.json`, an undotted `claude.json` (one with a Firecrawl key),
# ~50 `cursor-config.json`, `claude-code-config.json`, ~30 `cursor_config.json`, `mcpServers.json`,
# `mcpo/config.json`, 92 dotfiles `.config/mcphub/servers.json`, 81 `.iflow/settings.json`
# (SMGoro/mcsm-mcp: a key in `headers`), 41 `.augment/settings.json` (SkyyRoseCo/DevSkyy: mcpServers).
NAMED = {
    "claude-desktop-config.json": "claude-desktop",
    "examples/claude-desktop-config.json": "claude-desktop",
    "claude-desktop-config.example.json": "claude-desktop",
    "claude_desktop.json": "claude-desktop",
    "claude_config.json": "generic",
    "docs/claude-config.json": "generic",
    "claude.json": "claude-code",
    "claude-code-config.json": "claude-code",
    "cursor-config.json": "cursor",
    "cursor_config.json": "cursor",
    "windsurf-config.json": "windsurf",
    "cline-config.json": "cline",
    "mcpServers.json": "generic",
    "mcpconfig.json": "generic",
    "mcpo.json": "generic",
    "mcpo/config.json": "generic",
    "mcp-proxy/config.json": "generic",
    ".config/mcphub/servers.json": "generic",
    "nvim/.config/mcphub/servers.json": "generic",
    ".iflow/settings.json": "iflow",
    ".augment/settings.json": "augment",
    ".mcp.json.tpl": "claude-code",
    ".devcontainer/images/mcp.json.tpl": "generic",  # kodflow/devcontainer-template
}


@pytest.mark.parametrize("path", sorted(NAMED))
def test_client_named_copies_are_scanned(path: str) -> None:
    found, scanned = scan({path: servers()})
    assert found == {path: {NAMED[path]}} and scanned == [path]


@pytest.mark.parametrize("path", ["claude_config.json", "claude.json", "cursor-config.json",
                                  "mcpo/config.json", ".config/mcphub/servers.json", "mcpServers.json"])
def test_ambiguous_names_count_only_with_mcp_content(path: str) -> None:
    """`claude.json` is also a theme/onboarding file: without MCP content it is not a config."""
    text = json.dumps({"hasCompletedOnboarding": True, "theme": "dark", "apiUrl": "https://example.com"})
    assert classify_path(path) is not None
    assert scan({path: text}) == ({}, [])


@pytest.mark.parametrize("path", ["config.json", "servers.json", "src/config.json", "app/mcpo/other.json",
                                  "config.toml", "kimi/notes.toml"])
def test_generic_names_outside_their_host_directory_are_not_candidates(path: str) -> None:
    assert classify_path(path) is None


def test_undotted_claude_json_reads_project_servers() -> None:
    text = json.dumps({"numStartups": 2, "projects": {"/home/u/app": {"mcpServers": {
        "gh": {"command": "npx", "env": {"GITHUB_TOKEN": TOKEN}}}}}})
    assert scan({"claude.json": text})[0] == {"claude.json": {"claude-code"}}


def test_iflow_top_level_api_key_and_header_key() -> None:
    """iFlow settings hold the model `apiKey` at the top level; MCP keys sit in `headers`."""
    api_key = fake_token("sk-", 32, seed=42)
    header = fake_hex(32, seed=43)
    text = json.dumps({"apiKey": api_key, "baseUrl": "https://apis.iflow.cn/v1", "mcpServers": {
        "m": {"url": "http://localhost:3009/mcp", "headers": {"MCSM_API_KEY": header}, "transport": "sse"}}})
    result = scan_files({".iflow/settings.json": text.encode()},
                        ScanOptions(root=Path("."), use_gitleaks=False, fail_on=None))
    fields = {(f.server, f.field, f.client) for f in result.findings if f.rule_id.startswith("MCPG1")}
    assert fields == {(None, "apiKey", "iflow"), ("m", "headers.MCSM_API_KEY", "iflow")}


def test_marketplace_plugin_entry_with_inline_servers() -> None:
    text = json.dumps({"name": "m", "owner": {"name": "o"}, "plugins": [
        {"name": "p", "source": "./p", "strict": False,
         "mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": TOKEN}}}}]})
    found, _ = scan({".claude-plugin/marketplace.json": text})
    assert found == {".claude-plugin/marketplace.json": {"claude-code"}}


@pytest.mark.parametrize("path", [".openhands/config.toml", ".kimi/config.toml"])
def test_agent_toml_configs_are_searched_whole(path: str) -> None:
    """OpenHands and Kimi CLI keep the LLM `api_key` literal next to their `[mcp]` table."""
    key = fake_token("sk-proj-", 48, seed=44)
    text = f'[llm]\nmodel = "openai/gpt-5"\napi_key = "{key}"\n\n[mcp]\nsse_servers = []\n'
    found, scanned = scan({path: text})
    assert scanned == [path] and path in found


# Claude Code subagents list configured server names and one-key inline definitions (seen in public
# `.claude/agents/*.md`: `mcpServers: [mmcg]`, `- vault-read: {type: http, url, headers}`); Gemini CLI
# subagents take a map (gemini-cli docs/core/subagents.md).
AGENT_INLINE = """---
name: detective
description: Finds facts in the vault.
model: sonnet
mcpServers:
  - github
  - vault-read:
      type: http
      url: "https://vault.acme.test/mcp/read/mcp"
      headers:
        Authorization: "Bearer {token}"
---
You are the vault detective.
"""


@pytest.mark.parametrize("path,client", [(".claude/agents/detective.md", "claude-code"),
                                         ("plugin/.claude/agents/detective.md", "claude-code")])
def test_subagent_inline_server_is_scanned(path: str, client: str) -> None:
    opaque = fake_token("", 40, seed=45)
    result = scan_files({path: AGENT_INLINE.format(token=opaque).encode()},
                        ScanOptions(root=Path("."), use_gitleaks=False, fail_on=None))
    hits = [(f.server, f.field, f.client) for f in result.findings if f.rule_id.startswith("MCPG1")]
    assert hits == [("vault-read", "headers.Authorization", client)]


def test_gemini_subagent_server_map() -> None:
    text = f"---\nname: r\nmcpServers:\n  gh:\n    command: npx\n    env:\n      GITHUB_TOKEN: {TOKEN}\n---\n"
    assert scan({".gemini/agents/r.md": text})[0] == {".gemini/agents/r.md": {"gemini"}}


@pytest.mark.parametrize("text", [
    AGENT_INLINE.replace('"https://vault.acme.test/mcp/read/mcp"', '"<SERVER_URL>/mcp"').format(
        token="<AUTH_TOKEN>"),
    "---\nname: r\ntools: Read, Grep\nmcpServers: [mmcg]\n---\nbody\n",
    "---\nname: r\ndescription: Use this agent for reviews\n---\nbody\n",
])
def test_subagents_without_inline_secrets_stay_quiet(text: str) -> None:
    assert scan({".claude/agents/r.md": text})[0] == {}


def test_markdown_outside_agent_directories_is_not_read() -> None:
    assert classify_path("docs/agents/notes.md") is None
    assert classify_path("agents/reviewer.md") is None


def _jwt(payload: dict[str, object], seed: int) -> str:
    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(payload)}.{fake_token('', 86, seed)}"


# The clients' own secret files, committed by mistake: `.gemini/.env` (89 public repos), Codex's login
# store `.codex/auth.json` (>=330 repos), Claude Code's `.claude/.credentials.json`, Gemini's OAuth file.
SECRET_FILES = {
    ".gemini/.env": lambda: f"GEMINI_API_KEY=AIza{fake_token('', 35, 51)}\nGOOGLE_CLOUD_PROJECT=my-proj\n",
    ".qwen/.env": lambda: f"DASHSCOPE_API_KEY={fake_token('sk-', 32, 52, '0123456789abcdef')}\n",
    ".continue/.env": lambda: f"OPENAI_API_KEY={fake_token('sk-proj-', 48, 53)}\n",
    ".codex/auth.json": lambda: json.dumps({"OPENAI_API_KEY": None, "tokens": {
        "id_token": _jwt({"sub": "user-1", "exp": 4102444800}, 54),
        "access_token": _jwt({"sub": "user-1", "scp": ["openid"], "exp": 4102444800}, 55),
        "refresh_token": fake_token("rt_", 60, 56), "account_id": "acct-1"}, "last_refresh": "2026-11-30"}),
    ".claude/.credentials.json": lambda: json.dumps({"claudeAiOauth": {
        "accessToken": fake_token("sk-ant-oat01-", 95, 57), "expiresAt": 4102444800000}}),
    ".gemini/oauth_creds.json": lambda: json.dumps({"access_token": "ya29." + fake_token("", 120, 58),
                                                    "token_type": "Bearer", "expiry_date": 4102444800000}),
}


@pytest.mark.parametrize("path", sorted(SECRET_FILES))
def test_client_secret_files_are_searched_whole(path: str) -> None:
    found, scanned = scan({path: SECRET_FILES[path]()})
    assert scanned == [path] and path in found


@pytest.mark.parametrize("path,text", [
    (".gemini/.env", "GEMINI_API_KEY=your_api_key_here\nGOOGLE_CLOUD_PROJECT=my-proj\n"),
    (".codex/auth.json", json.dumps({"OPENAI_API_KEY": None, "tokens": None})),
])
def test_client_secret_files_without_secrets_stay_quiet(path: str, text: str) -> None:
    assert scan({path: text})[0] == {}


def test_template_copy_with_mustache_placeholders_stays_quiet() -> None:
    """kodflow/devcontainer-template `.devcontainer/images/mcp.json.tpl`: `{{GITHUB_TOKEN}}` is filled
    in later."""
    text = servers({"GITHUB_PERSONAL_ACCESS_TOKEN": "{{GITHUB_TOKEN}}",
                    "CODACY_ACCOUNT_TOKEN": "{{CODACY_TOKEN}}"})
    path = ".devcontainer/images/mcp.json.tpl"
    found, scanned = scan({path: text})
    assert found == {} and scanned == [path]
