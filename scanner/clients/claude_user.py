"""Claude Code's user file `~/.claude.json` (kept in dotfiles trees): user-scope servers at the top
level (`mcpServers`) and local-scope servers per project (`projects.<path>.mcpServers`)."""

from __future__ import annotations

from scanner.clients._build import file_flags, leaves_except
from scanner.clients.mcpservers import servers_of
from scanner.model import Client, FileFormat, McpConfig, ServerEntry
from scanner.parsing.node import PNode


def build(path: str, root: PNode, fmt: FileFormat) -> McpConfig | None:
    servers: list[ServerEntry] = []
    top = root.get("mcpServers")
    if top is not None and top.is_object:
        servers += servers_of(path, top, Client.CLAUDE_CODE)
    projects = root.get("projects")
    if projects is not None and projects.is_object:
        for _name, _key, project in projects.pairs():
            inner = project.get("mcpServers") if project.is_object else None
            if inner is not None and inner.is_object:
                servers += servers_of(path, inner, Client.CLAUDE_CODE)
    if not servers and top is None:
        return None
    return McpConfig(path, Client.CLAUDE_CODE, fmt, tuple(servers),
                     file_values=tuple(leaves_except(path, root, ("mcpServers", "projects"))),
                     flags=file_flags(root, ("mcpServers", "projects")))


def marketplace(path: str, root: PNode, fmt: FileFormat) -> McpConfig | None:
    """A Claude Code plugin marketplace (`.claude-plugin/marketplace.json`): the servers a plugin
    entry declares inline (`"mcpServers": {...}`, with `strict: false`) are that plugin's servers.
    The rest of the file is searched whole by the caller; None when no entry declares any."""
    servers: list[ServerEntry] = []
    plugins = root.get("plugins")
    for entry in plugins.items if plugins is not None and plugins.is_array else ():
        inner = entry.get("mcpServers") if entry.is_object else None
        if inner is not None and inner.is_object:
            servers += servers_of(path, inner, Client.CLAUDE_CODE)
    return McpConfig(path, Client.CLAUDE_CODE, fmt, tuple(servers)) if servers else None
