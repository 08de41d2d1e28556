"""Markdown front matter `mcp-servers:` of GitHub custom agents (`.github/agents/*.md`) and GitHub
Agentic Workflows (`.github/workflows/*.md`)."""

from __future__ import annotations

import dataclasses

from scanner.clients._build import file_flags, leaves_except
from scanner.clients.mcpservers import servers_of
from scanner.model import Client, FileFormat, McpConfig, Transport
from scanner.parsing.node import PNode

# gh-aw front matter keys that configure the MCP servers it starts without an `mcp-servers` entry:
# `tools:` (the GitHub MCP server's `github-token`, Playwright, ...) and `engine:` (the agent's `env`).
_GH_AW_KEYS = ("tools", "engine")


def build(path: str, root: PNode, client: Client, fmt: FileFormat) -> McpConfig | None:
    """None when the front matter has no `mcp-servers` map (nor, for gh-aw, `tools` / `engine`)."""
    container = root.get("mcp-servers")
    if container is None or not container.is_object:
        if client is not Client.GH_AW or all(root.get(key) is None for key in _GH_AW_KEYS):
            return None
        # the built-in servers' settings: the whole front matter is searched, as with `mcp-servers`
        return McpConfig(path, client, fmt, (), tuple(leaves_except(path, root, ())), (), file_flags(root))
    servers = servers_of(path, container, client)
    # gh-aw runs `container:` servers over stdio.
    servers = [
        dataclasses.replace(s, transport=Transport.STDIO)
        if s.transport is Transport.UNKNOWN and any(v.field == "container" for v in s.values) else s
        for s in servers
    ]
    return McpConfig(path, client, fmt, tuple(servers), tuple(leaves_except(path, root, ("mcp-servers",))),
                     (), file_flags(root, ("mcp-servers",)))
