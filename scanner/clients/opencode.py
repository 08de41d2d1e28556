"""opencode (`mcp.<name>` with `type: local|remote`, array `command`, `environment`) and Crush
(`mcp.<name>` with `type: stdio|http|sse`, `command` + `args`, `env`)."""

from __future__ import annotations

from scanner.clients._build import EntrySpec, file_flags, leaves_except
from scanner.clients.mcpservers import servers_of
from scanner.model import Client, FileFormat, McpConfig
from scanner.parsing.node import PNode

_SPEC = EntrySpec(renames={"environment": "env"}, url_keys=("url",))


def is_mcp_map(node: PNode | None) -> bool:
    """An object of entries that carry an opencode/Crush `type`, a command or a url."""
    if node is None or not node.is_object:
        return False
    entries = [value for _name, _key, value in node.pairs()]
    return bool(entries) and all(v.is_object for v in entries) and any(
        {"type", "command", "url"}.intersection(v.keys()) for v in entries)


def server_map(root: PNode) -> tuple[PNode, str] | None:
    """The server map and its top-level key: `mcp`, opencode 2.0 `mcp.servers` (2nd-hand)."""
    mcp = root.get("mcp")
    if mcp is not None and mcp.is_object:
        nested = mcp.get("servers")
        if is_mcp_map(nested) and not is_mcp_map(mcp):
            assert nested is not None
            return nested, "mcp"
        return mcp, "mcp"
    return None


def build(path: str, root: PNode, client: Client, fmt: FileFormat) -> McpConfig | None:
    """Servers from `mcp` (or, for `.agents/mcp.json`, the unwrapped root map)."""
    found = server_map(root)
    if found is None:
        if not is_mcp_map(root):
            return None
        return McpConfig(path, client, fmt, tuple(servers_of(path, root, client, _SPEC)))
    container, key = found
    # The rest of the file is kept: opencode/Crush provider blocks hold API keys too.
    return McpConfig(path, client, fmt, tuple(servers_of(path, container, client, _SPEC)),
                     tuple(leaves_except(path, root, (key,))), (), file_flags(root, (key,)))
