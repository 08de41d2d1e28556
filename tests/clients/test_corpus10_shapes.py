"""Server declarations the real-config corpus 10 found searched only as loose file values (no
server, so no inventory row and no server rule): Continue's legacy `config.json`
(`experimental.modelContextProtocolServers`, whose text holds no lower-case `mcp` / `servers`), and
Augment Code's `augment.advanced.mcpServers` array in VS Code settings (`.vscode/settings.json`,
the user settings of a dotfiles tree, a `*.code-workspace`), as Augment's docs and server READMEs
give it. Every secret is built at run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.pipeline import scan_files
from scanner.result import ScanOptions, ScanResult
from tests.fakes import fake_token

GH = fake_token("ghp_", 36, seed=1101)
GH2 = fake_token("ghp_", 36, seed=1102)


def scan(files: dict[str, str]) -> ScanResult:
    return scan_files({k: v.encode() for k, v in files.items()},
                      ScanOptions(root=Path("."), use_gitleaks=False, fail_on=None))


def servers(result: ScanResult) -> dict[str, tuple[str, str | None, list[str]]]:
    """{server name: (client, command, env names)}."""
    return {s.name: (s.client.value, s.command.text if s.command else None, [v.key or "" for v in s.env])
            for c in result.configs for s in c.servers}


def secret_fields(result: ScanResult) -> set[tuple[str, int, str | None, str | None]]:
    return {(f.file, f.line, f.server, f.field) for f in result.findings if f.rule_id.startswith("MCPG1")}


CONTINUE_LEGACY = json.dumps({
    "models": [{"title": "Local", "provider": "ollama", "model": "qwen2.5-coder"}],
    "experimental": {"modelContextProtocolServers": [
        {"name": "github", "transport": {"type": "stdio", "command": "npx",
                                         "args": ["-y", "@modelcontextprotocol/server-github"],
                                         "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": GH}}},
        {"transport": {"type": "stdio", "command": "uvx", "args": ["time-server"]}}]}}, indent=2)


def test_continue_legacy_config_json_servers_are_servers() -> None:
    result = scan({".continue/config.json": CONTINUE_LEGACY})
    assert servers(result) == {"github": ("continue", "npx", ["GITHUB_PERSONAL_ACCESS_TOKEN"]),
                               "server1": ("continue", "uvx", [])}
    line = next(i for i, t in enumerate(CONTINUE_LEGACY.splitlines(), 1) if GH in t)
    assert secret_fields(result) == {
        (".continue/config.json", line, "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN")}


def _augment(entries: str, wrap: str = "") -> str:
    body = f'"augment.advanced": {{\n    "mcpServers": [\n{entries}\n    ]\n  }}'
    if wrap:
        return f'{{\n  "folders": [{{"path": "."}}],\n  "{wrap}": {{\n  {body}\n  }}\n}}\n'
    return f'{{\n  // editor\n  "editor.formatOnSave": true,\n  {body},\n}}\n'


AUGMENT_ENTRIES = (
    '      { "name": "github", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],\n'
    f'        "env": {{ "GITHUB_PERSONAL_ACCESS_TOKEN": "{GH}" }} }},\n'
    '      { "name": "fetch", "command": "uvx", "args": ["mcp-server-fetch"] }')


@pytest.mark.parametrize("path", [".vscode/settings.json", ".config/Code/User/settings.json",
                                  "Library/Application Support/Code/User/settings.json"])
def test_augment_servers_in_vscode_settings_are_servers(path: str) -> None:
    text = _augment(AUGMENT_ENTRIES)
    result = scan({path: text})
    assert servers(result) == {"github": ("augment", "npx", ["GITHUB_PERSONAL_ACCESS_TOKEN"]),
                               "fetch": ("augment", "uvx", [])}
    line = next(i for i, t in enumerate(text.splitlines(), 1) if GH in t)
    assert secret_fields(result) == {(path, line, "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN")}


def test_augment_servers_in_a_code_workspace_settings() -> None:
    text = _augment(AUGMENT_ENTRIES, wrap="settings")
    result = scan({"app.code-workspace": text})
    assert set(servers(result)) == {"github", "fetch"}
    assert {f[2] for f in secret_fields(result)} == {"github"}


def test_augment_beside_vscode_mcp_section_keeps_both() -> None:
    text = ('{\n  "mcp": { "servers": { "vs": { "command": "npx", "args": ["x"],\n'
            f'    "env": {{ "TOKEN": "{GH2}" }} }} }} }},\n'
            + _augment(AUGMENT_ENTRIES)[2:])
    result = scan({".vscode/settings.json": text})
    assert {name: spec[0] for name, spec in servers(result).items()} == {
        "vs": "vscode", "github": "augment", "fetch": "augment"}
    assert {f[2] for f in secret_fields(result)} == {"vs", "github"}


# --- lookalikes --------------------------------------------------------------------------------

def test_augment_settings_without_servers_or_with_references_are_quiet() -> None:
    empty = '{\n  "augment.advanced": { "apiToken": "", "completionURL": "" }\n}\n'
    entry = '      { "name": "gh", "command": "npx", "env": { "GITHUB_TOKEN": "%s" } }'
    refs = _augment(entry % "${env:GITHUB_TOKEN}")
    placeholder = _augment(entry % "YOUR_GITHUB_TOKEN")
    result = scan({".vscode/settings.json": empty, "a/.vscode/settings.json": refs,
                   "b/.vscode/settings.json": placeholder})
    assert [f for f in result.findings if f.rule_id.startswith("MCPG1")] == []
    assert [f for f in result.findings if f.severity.label in ("high", "critical")] == []


def test_continue_config_json_without_mcp_is_not_a_server_file() -> None:
    text = json.dumps({"models": [{"title": "x", "provider": "ollama", "model": "m", "apiKey": ""}],
                       "experimental": {"modelRoles": False}})
    result = scan({".continue/config.json": text})
    assert servers(result) == {} and result.findings == []


# fast-agent / mcp-agent keep each server's secrets in `*.secrets.yaml` under the same
# `mcp.servers.<name>` key as the config file (merged at start): an entry there has no command.
SECRETS = f"""openai:
  api_key: sk-placeholder
mcp:
  servers:
    github:
      env:
        GITHUB_PERSONAL_ACCESS_TOKEN: {GH}
"""


@pytest.mark.parametrize("path", ["mcp_agent.secrets.yaml", "agent/fastagent.secrets.yaml"])
def test_agent_secrets_overlay_entries_are_their_servers(path: str) -> None:
    result = scan({path: SECRETS})
    assert servers(result) == {"github": ("fast-agent", None, ["GITHUB_PERSONAL_ACCESS_TOKEN"])}
    assert secret_fields(result) == {(path, 7, "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN")}


def test_agent_config_servers_keep_their_shape() -> None:
    text = ("mcp:\n  servers:\n    fetch:\n      command: uvx\n      args: [mcp-server-fetch]\n"
            "    remote:\n      transport: sse\n      url: https://mcp.example-tools.dev/sse\n"
            f"      headers:\n        Authorization: Bearer {GH2}\n")
    result = scan({"mcp_agent.config.yaml": text})
    assert servers(result) == {"fetch": ("fast-agent", "uvx", []), "remote": ("fast-agent", None, [])}
    assert {f[2:] for f in secret_fields(result)} == {("remote", "headers.Authorization")}


def test_agent_secrets_with_references_only_are_quiet() -> None:
    text = ("mcp:\n  servers:\n    github:\n      env:\n"
            "        GITHUB_PERSONAL_ACCESS_TOKEN: ${GITHUB_TOKEN}\n")
    result = scan({"mcp_agent.secrets.yaml": text})
    assert [f for f in result.findings if f.rule_id.startswith("MCPG1")] == []


# Claude Code's managed (enterprise) scope, committed by container images, MDM / IT repositories
# (>= 46 public repositories hold a root `managed-settings.json`): `managed-settings.json` (and its
# `managed-settings.d/*.json` drop-ins) is a settings file (`env` handed to every process,
# `ANTHROPIC_AUTH_TOKEN` for gateways), `managed-mcp.json` an `mcpServers` file. Codex's managed
# layer is `managed_config.toml`.
ANT = fake_token("sk-ant-api03-", 93, seed=1103) + "AA"


@pytest.mark.parametrize("path", ["managed-settings.json", "etc/claude-code/managed-settings.json",
                                  "Library/Application Support/ClaudeCode/managed-settings.json",
                                  "etc/claude-code/managed-settings.d/10-gateway.json"])
def test_claude_managed_settings_env_is_read(path: str) -> None:
    text = json.dumps({"permissions": {"deny": ["Bash"]}, "env": {
        "ANTHROPIC_AUTH_TOKEN": ANT, "ANTHROPIC_BASE_URL": "https://gateway.example.com"}}, indent=2)
    result = scan({path: text})
    assert {(f.client, f.field) for f in result.findings if f.rule_id.startswith("MCPG1")} == {
        ("claude-settings", "env.ANTHROPIC_AUTH_TOKEN")}


def test_claude_managed_mcp_json_servers() -> None:
    text = json.dumps({"mcpServers": {"github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/",
                                                 "headers": {"Authorization": f"Bearer {GH}"}}}}, indent=2)
    result = scan({"etc/claude-code/managed-mcp.json": text})
    assert servers(result) == {"github": ("claude-code", None, [])}
    assert {f[2:] for f in secret_fields(result)} == {("github", "headers.Authorization")}


def test_codex_managed_config_toml() -> None:
    text = f'[mcp_servers.github]\ncommand = "npx"\n[mcp_servers.github.env]\nGITHUB_TOKEN = "{GH}"\n'
    result = scan({"etc/codex/managed_config.toml": text})
    assert servers(result) == {"github": ("codex", "npx", ["GITHUB_TOKEN"])}


def test_managed_settings_lookalikes_are_quiet() -> None:
    empty = json.dumps({"env": {"ANTHROPIC_AUTH_TOKEN": "", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318"},
                        "permissions": {"deny": ["Read(/home/node/.claude/**)"]}})
    refs = json.dumps({"env": {"ANTHROPIC_AUTH_TOKEN": "${ANTHROPIC_AUTH_TOKEN}"}})
    result = scan({"managed-settings.json": empty, "a/managed-settings.json": refs,
                   "managed-settings.d/README.json": '{"note": "drop-ins go here"}'})
    assert [f for f in result.findings if f.rule_id.startswith("MCPG1")] == []
