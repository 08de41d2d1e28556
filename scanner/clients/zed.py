"""Zed `context_servers`: custom stdio (`command` string, or the older nested `command` object),
remote `url` + `headers`, and extension servers whose `settings` keys are extension-defined."""

from __future__ import annotations

from scanner.clients.mcpservers import servers_of
from scanner.model import Client, FileFormat, McpConfig
from scanner.parsing.node import PNode


def build(path: str, root: PNode, fmt: FileFormat) -> McpConfig | None:
    """Only `context_servers` is read: the rest of a Zed settings file is editor configuration."""
    container = root.get("context_servers")
    if container is None or not container.is_object:
        return None
    return McpConfig(path, Client.ZED, fmt, tuple(servers_of(path, container, Client.ZED)))
