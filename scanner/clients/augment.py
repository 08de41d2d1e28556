"""Augment Code's VS Code extension: `augment.advanced.mcpServers`, a list of `{name, command, args,
env}` entries in VS Code settings (user `settings.json`, a workspace's `.vscode/settings.json`, the
`settings` of a `*.code-workspace`), as Augment's docs and MCP servers' READMEs give it. The other
members of `augment.advanced` (`apiToken`, `completionURL`) are file values of the section."""

from __future__ import annotations

from scanner.clients._build import leaves_except
from scanner.clients.continue_dev import list_servers
from scanner.model import Client, FileFormat, McpConfig
from scanner.parsing.node import PNode

KEY = "augment.advanced"
# Where settings keep it: the top level of a settings file, `settings` of a `*.code-workspace`.
_PLACES = ((KEY,), ("settings", KEY))


def build(path: str, root: PNode, fmt: FileFormat) -> McpConfig | None:
    """The section's servers and other values, or None when no `augment.advanced` object has an
    `mcpServers` list."""
    for keys in _PLACES:
        node: PNode | None = root
        for key in keys:
            node = node.get(key) if node is not None and node.is_object else None
        servers = node.get("mcpServers") if node is not None and node.is_object else None
        if node is not None and servers is not None and servers.is_array:
            prefix = ".".join(keys)
            return McpConfig(path, Client.AUGMENT, fmt, tuple(list_servers(path, servers, Client.AUGMENT)),
                             tuple(leaves_except(path, node, ("mcpServers",), prefix)))
    return None
