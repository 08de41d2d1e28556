"""Markdown front matter `mcp-servers:` of GitHub custom agents (`.github/agents/*.md`) and GitHub
Agentic Workflows (`.github/workflows/*.md`)."""

from __future__ import annotations

import dataclasses

from scanner.clients._build import file_flags, leaves_except
from scanner.clients.mcpservers import servers_of
from scanner.model import Client, FileFormat, McpConfig, Transport
from scanner.parsing.node import PNode


def build(path: str, root: PNode, client: Client, fmt: FileFormat) -> McpConfig | None:
    """None when the front matter has no `mcp-servers` map."""
    container = root.get("mcp-servers")
    if container is None or not container.is_object:
        return None
    servers = servers_of(path, container, client)
    # gh-aw runs `container:` servers over stdio.
    servers = [
        dataclasses.replace(s, transport=Transport.STDIO)
        if s.transport is Transport.UNKNOWN and any(v.field == "container" for v in s.values) else s
        for s in servers
    ]
    return McpConfig(path, client, fmt, tuple(servers), tuple(leaves_except(path, root, ("mcp-servers",))),
                     (), file_flags(root, ("mcp-servers",)))
