"""Subagent definitions with inline MCP servers in their Markdown front matter: Claude Code
`.claude/agents/*.md` (`mcpServers:` a list of configured server names and one-key maps
`- name: {type, url, headers, ...}`; code.claude.com sub-agents "supported frontmatter fields") and
Gemini CLI `.gemini/agents/*.md` (`mcpServers` / `mcp_servers` maps; gemini-cli docs/core/subagents.md).
A name alone refers to a server configured elsewhere: nothing to read here."""

from __future__ import annotations

from scanner.clients._build import file_flags, leaves_except
from scanner.clients.mcpservers import servers_of
from scanner.model import Client, FileFormat, McpConfig, ServerEntry
from scanner.parsing.node import PNode

_KEYS = ("mcpServers", "mcp_servers")


def build(path: str, root: PNode, client: Client, fmt: FileFormat) -> McpConfig | None:
    """None when the front matter declares no inline server (no key, or names only)."""
    servers: list[ServerEntry] = []
    found = False
    for key in _KEYS:
        container = root.get(key)
        if container is None:
            continue
        found = True
        if container.is_object:
            servers += servers_of(path, container, client)
        elif container.is_array:
            for item in container.items:
                if item.is_object:  # `- name: {...}`; a bare string is a configured server's name
                    servers += servers_of(path, item, client)
    if not found:
        return None
    return McpConfig(path, client, fmt, tuple(servers), tuple(leaves_except(path, root, _KEYS)),
                     (), file_flags(root, _KEYS))
