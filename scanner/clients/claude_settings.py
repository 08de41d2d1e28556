"""Claude Code `.claude/settings*.json`: no servers, but an `env` map handed to every subprocess,
permission rules that store whole commands, and MCP approval switches."""

from __future__ import annotations

from scanner.clients._build import NAME_LIST_KEYS, env_map_values, file_flags, leaves_except
from scanner.model import Client, FieldValue, FileFormat, McpConfig
from scanner.parsing.node import PNode

_APPROVAL_LISTS = ("enabledMcpjsonServers", "disabledMcpjsonServers", "allowedMcpServers", "deniedMcpServers")
assert all(name in NAME_LIST_KEYS for name in _APPROVAL_LISTS)
# Keys only Claude Code settings have (code.claude.com/docs/en/settings), quoted as JSON writes them:
# they confirm a dotfiles copy of the file without its `.claude` folder (`claude/settings.json`).
SETTINGS_KEYS = tuple(f'"{key}"' for key in (
    "permissions", "apiKeyHelper", "hooks", "statusLine", "enabledMcpjsonServers",
    "enableAllProjectMcpServers", "includeCoAuthoredBy", "alwaysThinkingEnabled", "outputStyle",
    "cleanupPeriodDays", "awsAuthRefresh", "otelHeadersHelper", "forceLoginMethod", "spinnerTipsEnabled"))


def build(path: str, root: PNode, fmt: FileFormat) -> McpConfig:
    """Every string of the file is a file value (`env.NAME`, `permissions.allow[2]`, hook commands,
    `apiKeyHelper`); top-level booleans and approval lists are flags."""
    values: list[FieldValue] = []
    env = root.get("env")
    if env is not None and env.is_object:
        values.extend(env_map_values(path, env))
    values.extend(leaves_except(path, root, ("env",)))
    return McpConfig(path, Client.CLAUDE_SETTINGS, fmt, (), tuple(values), (), file_flags(root))
