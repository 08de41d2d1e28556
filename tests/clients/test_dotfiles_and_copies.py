"""Discovery of the clients added from research/clients.md, renamed copies, and user-level configs in
dotfiles trees (stow, chezmoi, `home/`, `.config/`); every value is built at run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.clients.catalog import syntax_for
from scanner.clients.discovery import classify_path
from scanner.model import Client
from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

TOKEN = fake_token("ghp_", 36, seed=5)


def servers(key: str = "mcpServers") -> str:
    return json.dumps({key: {"gh": {"command": "npx", "args": ["-y", "gh-mcp"],
                                    "env": {"GITHUB_TOKEN": TOKEN}}}}, indent=2)


def scan(files: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """{file: client} of the secret findings, and the scanned files."""
    result = scan_files({k: v.encode() for k, v in files.items()},
                        ScanOptions(root=Path("."), use_gitleaks=False, fail_on=None))
    found = {f.file: f.client for f in result.findings if f.rule_id.startswith("MCPG1")}
    return found, result.scanned_files


ZED = json.dumps({"theme": "One Dark", "context_servers": {
    "gh": {"source": "custom", "command": "npx", "args": [], "env": {"GITHUB_TOKEN": TOKEN}}}})
BEARER = f"Bearer {fake_token('ghp_', 36, seed=6)}"
CLAUDE_USER = json.dumps({
    "numStartups": 3, "mcpServers": {"a": {"command": "npx", "env": {"GITHUB_TOKEN": TOKEN}}},
    "projects": {"/home/u/src/app": {"allowedTools": [], "mcpServers": {
        "b": {"type": "http", "url": "https://api.example.com/mcp", "headers": {"Authorization": BEARER}}}}}})
CODEX = f'model = "o3"\n[mcp_servers.gh]\ncommand = "npx"\nenv = {{ GITHUB_TOKEN = "{TOKEN}" }}\n'
KILO = json.dumps({"mcp": {"gh": {"type": "local", "command": ["npx", "gh-mcp"],
                                  "environment": {"GITHUB_TOKEN": TOKEN}}}})
FAST_AGENT = f"mcp:\n  servers:\n    gh:\n      command: npx\n      env:\n        GITHUB_TOKEN: {TOKEN}\n"
LIBRECHAT = f"version: 1.2.1\nmcpServers:\n  gh:\n    command: npx\n    env:\n      GITHUB_TOKEN: {TOKEN}\n"
AMP = json.dumps({"amp.mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": TOKEN}}}})

# path -> (content, client the finding names)
CLIENT_FILES = {
    "config/mcporter.json": (servers(), "mcporter"),
    ".mcporter/mcporter.jsonc": (servers(), "mcporter"),
    ".qwen/settings.json": (servers(), "qwen"),
    ".kilocode/mcp.json": (servers(), "kilo"),
    "kilo.jsonc": (KILO, "kilo-config"),
    ".github/copilot-mcp.json": (servers(), "copilot-agent"),
    ".gemini/antigravity/mcp_config.json": (servers(), "antigravity"),
    ".devin/mcp_config.json": (servers(), "devin"),
    ".devin/mcp_config.local.json": (servers(), "devin"),
    ".trae/mcp.json": (servers(), "trae"),
    ".amp/settings.json": (AMP, "amp"),
    ".factory/mcp.json": (servers(), "factory"),
    ".kiro/mcp.json": (servers(), "kiro"),
    ".lmstudio/mcp.json": (servers(), "lmstudio"),
    "librechat.yaml": (LIBRECHAT, "librechat"),
    "fastagent.config.yaml": (FAST_AGENT, "fast-agent"),
    "mcp_agent.secrets.yaml": (FAST_AGENT, "fast-agent"),
    ".junie/mcp/mcp.json": (servers(), "junie"),
}


@pytest.mark.parametrize("path", sorted(CLIENT_FILES))
def test_client_rows_are_discovered_and_named(path: str) -> None:
    text, client = CLIENT_FILES[path]
    found, _ = scan({path: text})
    assert found == {path: client}


COPIES = {
    "claude_desktop_config_FINAL.json": "claude-desktop",
    "claude_desktop_config.example.json": "claude-desktop",
    ".vscode/mcp.json.example": None,  # VS Code shape needs `servers`: checked below
    ".cursor/mcp.json.bak": "cursor",
    ".cursor/mcp.sample.json": "cursor",
    ".mcp.json.orig": "claude-code",
    ".mcp.local.json": "claude-code",
    "mcp-copy.json": "generic",
    "cline_mcp_settings (1).json": "cline",
    # configuration-management templates (Ansible roles/*/templates/*.j2, Jinja, Chef/Puppet .erb)
    "roles/ai/templates/claude_desktop_config.json.j2": "claude-desktop",
    "templates/.mcp.json.jinja2": "claude-code",
    ".cursor/mcp.json.jinja": "cursor",
    "cookbooks/dev/templates/cline_mcp_settings.json.erb": "cline",
}


def test_jinja_templates_with_control_blocks_are_searched_line_by_line() -> None:
    """A role template that renders its servers in a loop does not parse as JSON: its lines are
    searched (a literal token found, Jinja variables quiet) and the reason is a non-fatal warning."""
    template = "\n".join([
        '{"mcpServers": {', "{% for s in mcp_servers %}", '  "{{ s.name }}": {"command": "{{ s.command }}",',
        '    "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "{{ vault_github_token }}",',
        '            "API_KEY": "{{ lookup(\'env\', \'API_KEY\') }}"}}{% if not loop.last %},{% endif %}',
        "{% endfor %}", "}}", ""])
    result = scan_files({"roles/ai/templates/mcp.json.j2": template.encode()},
                        ScanOptions(root=Path("."), use_gitleaks=False, fail_on=None))
    assert [f for f in result.findings if f.category == "secret"] == []
    assert [(e.kind, e.fatal) for e in result.errors] == [("parse", False)]
    leaked = template.replace("{{ vault_github_token }}", TOKEN)
    found, _ = scan({"roles/ai/templates/mcp.json.j2": leaked})
    assert found == {"roles/ai/templates/mcp.json.j2": "generic"}
    assert classify_path("roles/web/templates/nginx.conf.j2") is None


@pytest.mark.parametrize("path", sorted(COPIES))
def test_renamed_copies_are_scanned_as_the_original(path: str) -> None:
    text = servers("servers") if path.startswith(".vscode") else servers()
    found, _ = scan({path: text})
    assert found == {path: COPIES[path] or "vscode"}


def test_claude_user_file_reads_top_level_and_project_servers() -> None:
    result = scan_files({"home/.claude.json": CLAUDE_USER.encode()},
                        ScanOptions(root=Path("."), use_gitleaks=False, fail_on=None))
    assert {s.name for c in result.configs for s in c.servers} == {"a", "b"}
    assert {(f.server, f.client) for f in result.findings if f.rule_id.startswith("MCPG1")} == {
        ("a", "claude-code"), ("b", "claude-code")}


@pytest.mark.parametrize("path", ["settings.json", "config.yaml", "src/settings.json", "config/settings.json",
                                  "app/config/config.yaml", "zed/theme.json", "package.json.bak",
                                  "notes.md.bak"])
def test_generic_names_are_not_candidates(path: str) -> None:
    assert classify_path(path) is None


@pytest.mark.parametrize("path", ["zed/settings.json", "codex/config.toml", "gemini/settings.json"])
def test_undotted_stow_packages_need_content_words(path: str) -> None:
    """`zed/settings.json` is a candidate, but a Zed-less settings file is not a config (no error)."""
    assert classify_path(path) is not None
    found, scanned = scan({path: json.dumps({"editor": {"fontSize": 12}}) if path.endswith("json")
                           else 'model = "o3"\n'})
    assert found == {} and scanned == []


_CLAUDE_KEY = fake_token("sk-ant-api03-", 93, seed=1206) + "AA"


@pytest.mark.parametrize("path", ["claude/settings.json", "dotfiles/claude/settings.local.json"])
@pytest.mark.parametrize("doc", [
    {"env": {"ANTHROPIC_API_KEY": _CLAUDE_KEY}, "permissions": {"allow": ["Bash(ls)"]}},
    {"apiKeyHelper": f"echo {_CLAUDE_KEY}"},
    {"hooks": {"Stop": [{"hooks": [{"type": "command", "command": f"notify --key {_CLAUDE_KEY}"}]}]}},
], ids=["env", "apiKeyHelper", "hooks"])
def test_stow_copy_of_claude_settings_is_read(path: str, doc: dict[str, object]) -> None:
    # corpus 12: `claude/settings.json` (a stow package for ~/.claude/settings.json) is in 2,000+ public
    # repositories; without an MCP word it was never opened
    found, scanned = scan({path: json.dumps(doc, indent=2)})
    assert found == {path: "claude-settings"} and scanned == [path]


@pytest.mark.parametrize("doc", [
    {"editor": {"fontSize": 12}, "env": {"ANTHROPIC_API_KEY": _CLAUDE_KEY}},  # no Claude Code key
    {"permissions": {"allow": ["Bash(npm test)"]}, "env": {"ANTHROPIC_API_KEY": "${ANTHROPIC_API_KEY}"}},
    {"apiKeyHelper": "~/.claude/key.sh", "env": {"GITHUB_TOKEN": "your-github-token-here"}},
])
def test_stow_claude_settings_lookalikes_do_not_block(doc: dict[str, object]) -> None:
    result = scan_files({"claude/settings.json": json.dumps(doc).encode()},
                        ScanOptions(root=Path("."), use_gitleaks=False))
    assert [f for f in result.findings if f.blocking] == []


def test_copilot_rows_follow_the_documented_syntax() -> None:
    agent = syntax_for(Client.COPILOT_AGENT)
    assert agent.reference("SENTRY_TOKEN") == "$COPILOT_MCP_SENTRY_TOKEN"
    assert agent.reference("COPILOT_MCP_X", followed_by_word=True) == "${COPILOT_MCP_X}"
    assert syntax_for(Client.COPILOT_CLI).reference("X") is None  # no documented expansion


def test_dotfiles_tree_config_count() -> None:
    """A dotfiles repository as people publish them: stow packages, chezmoi names, `home/`, `.config/`."""
    tree = {
        "home/.config/zed/settings.json": ZED,
        ".config/zed/settings.json": ZED,
        "dot_config/zed/settings.json": ZED,
        "zed/.config/zed/settings.json": ZED,
        "home/.claude.json": CLAUDE_USER,
        "dot_claude.json": CLAUDE_USER,
        "config/codex/config.toml": CODEX,
        "codex/.codex/config.toml": CODEX,
        "dot_codex/config.toml": CODEX,
        "dotfiles/.cursor/mcp.json": servers(),
        "home/.gemini/settings.json": servers(),
        "dot_gemini/antigravity/mcp_config.json": servers(),
        ".config/Code/User/mcp.json": servers("servers"),
        ".config/devin/mcp_config.json": servers(),
        ".config/amp/settings.json": AMP,
        ".config/kilo/kilo.json": KILO,
        ".config/crush/crush.json": json.dumps({"mcp": {"gh": {"type": "stdio", "command": "npx",
                                                               "env": {"GITHUB_TOKEN": TOKEN}}}}),
        "home/.codeium/windsurf/mcp_config.json": servers(),
        "Library/Application Support/Claude/claude_desktop_config.json": servers(),
        "home/.aws/amazonq/mcp.json": servers(),
        "home/.kiro/settings/mcp.json": servers(),
        # not configs: editor settings without MCP, shell files, a generic settings.json
        "home/.config/zed/keymap.json": "[]",
        "config/git/config.yaml": "user: x\n",
        "settings.json": json.dumps({"theme": "dark"}),
        "home/.bashrc": "export PATH=$PATH\n",
    }
    found, scanned = scan(tree)
    configs = len(tree) - 4
    assert len(scanned) == configs, sorted(set(tree) - set(scanned))
    assert set(found) == set(scanned)
    print(f"dotfiles tree: {len(scanned)} of {configs} configs found")


@pytest.mark.parametrize("path", [".config/Code/User/settings.json", "Code/User/settings.json",
                                  "AppData/Roaming/Code/User/settings.json",
                                  "Library/Application Support/Code - Insiders/User/settings.json",
                                  "vscode/settings.json", "dot_config/Code/User/settings.json"])
def test_vscode_user_settings_in_dotfiles_are_read_for_their_mcp_section(path: str) -> None:
    text = json.dumps({"editor.fontSize": 14, "mcp": json.loads(servers("servers"))})
    found, scanned = scan({path: text})
    assert found == {path: "vscode"} and scanned == [path]
    # the rest of the user's settings is not an MCP config: nothing without an `mcp` section
    plain = json.dumps({"editor.fontSize": 14, "sqltools.connections": [{"password": TOKEN}]})
    quiet = json.dumps({"mcp": {"servers": {"gh": {"command": "npx",
                                                   "env": {"GITHUB_TOKEN": "${env:GITHUB_TOKEN}"}}}}})
    assert scan({path: plain}) == ({}, []) and scan({path: quiet})[0] == {}
    assert classify_path(path.replace("settings.json", "keybindings.json")) is None
