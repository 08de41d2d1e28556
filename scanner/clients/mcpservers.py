"""The `mcpServers` family (Claude Code/Desktop, Cursor, Windsurf, Cline, Roo, Kiro, Amazon Q, Junie,
LM Studio, Antigravity, Copilot CLI, Gemini, generic copies) and MCPB `manifest.json`."""

from __future__ import annotations

from scanner.clients._build import (
    DEFAULT_SPEC,
    EntrySpec,
    file_flags,
    leaves_except,
    make_value,
    server_from_node,
    string_leaves,
)
from scanner.model import Client, FieldValue, FileFormat, McpConfig, ServerEntry, Transport
from scanner.parsing.node import NodeKind, PNode

# Gemini: a `url` without `type` is SSE (`httpUrl` is streamable HTTP).
_GEMINI_SPEC = EntrySpec(url_default=Transport.SSE)


def servers_of(
    path: str, container: PNode, client: Client, spec: EntrySpec = DEFAULT_SPEC
) -> list[ServerEntry]:
    """One ServerEntry per object-valued member of a server map (non-objects are not servers)."""
    return [
        server_from_node(path, name, key_node, node, client, spec)
        for name, key_node, node in container.pairs()
        if node.kind is NodeKind.OBJECT
    ]


def build(path: str, root: PNode, client: Client, fmt: FileFormat, key: str = "mcpServers") -> McpConfig:
    """McpConfig of a file whose `key` member is an object of server entries."""
    container = root.get(key)
    assert container is not None and container.is_object
    spec = _GEMINI_SPEC if client is Client.GEMINI else DEFAULT_SPEC
    return McpConfig(
        path=path,
        client=client,
        format=fmt,
        servers=tuple(servers_of(path, container, client, spec)),
        file_values=tuple(leaves_except(path, root, (key,))),
        flags=file_flags(root, (key,)),
    )


def build_list(path: str, root: PNode, client: Client, fmt: FileFormat,
               key: str = "servers") -> McpConfig | None:
    """A `key` list of entry objects, each named by its `key` or `name` (5ire's `mcp.json`: `{"servers":
    [{"key": "tavily", "command": "npx", "env": {…}}]}`; Mistral Vibe's `[[mcp_servers]]` tables); a
    file keeping `mcpServers` is read as that."""
    mcp_servers = root.get("mcpServers")
    if mcp_servers is not None and mcp_servers.is_object:
        return build(path, root, client, fmt)
    items = root.get(key)
    if items is None or not items.is_array:
        return None
    servers: list[ServerEntry] = []
    for index, item in enumerate(items.items):
        if not item.is_object:
            continue
        label = item.get("key") or item.get("name")
        name = str(label.value) if label is not None and label.is_string else f"{key}[{index}]"
        servers.append(server_from_node(path, name, label or item, item, client))
    return McpConfig(path, client, fmt, tuple(servers), tuple(leaves_except(path, root, (key,))))


def build_at(path: str, root: PNode, client: Client, fmt: FileFormat,
             keys: tuple[str, ...]) -> McpConfig | None:
    """McpConfig of the server map at `keys` (fast-agent / mcp-agent `mcp.servers`), every object
    member a server even without a command (a `*.secrets.yaml` entry adds `env` / `headers` to the
    server its config file starts); None when there is no such map."""
    node: PNode | None = root
    for key in keys:
        node = node.get(key) if node is not None and node.is_object else None
    if node is None or not node.is_object:
        return None
    return McpConfig(path, client, fmt, tuple(servers_of(path, node, client)))


# What an entry of a server map holds: how it is started or reached.
_LAUNCH_KEYS = ("command", "url", "serverUrl", "httpUrl")


def is_server_map(root: PNode) -> bool:
    """True for a bare server map: every member an object that says how its server is started or
    reached (a string `command`/`url`/`serverUrl`/`httpUrl`), at least one member."""
    pairs = list(root.pairs())
    return bool(pairs) and all(
        node.kind is NodeKind.OBJECT
        and any((launch := node.get(key)) is not None and launch.is_string for key in _LAUNCH_KEYS)
        for _name, _key, node in pairs)


def build_bare(path: str, root: PNode, client: Client, fmt: FileFormat) -> McpConfig:
    """McpConfig of a file that is a bare server map (is_server_map)."""
    return McpConfig(path=path, client=client, format=fmt, servers=tuple(servers_of(path, root, client)))


def build_mcpb(path: str, root: PNode, fmt: FileFormat) -> McpConfig | None:
    """MCPB / DXT `manifest.json`: `server.mcp_config` is the one server; `user_config.*.default`
    values are file values (a non-empty default on a `sensitive` option is a leak)."""
    server = root.get("server")
    mcp_config = server.get("mcp_config") if server is not None else None
    if mcp_config is None or not mcp_config.is_object:
        return None
    assert server is not None
    name_node = root.get("name")
    name = str(name_node.value) if name_node is not None and name_node.is_string else "server"
    key_node = next(k for k, v in server.entries if v is mcp_config)
    entry = server_from_node(path, name, key_node, mcp_config, Client.MCPB)
    file_values: list[FieldValue] = []
    flags: list[tuple[str, str]] = []
    user_config = root.get("user_config")
    if user_config is not None and user_config.is_object:
        for option, _key, spec in user_config.pairs():
            if not spec.is_object:
                continue
            default = spec.get("default")
            if default is not None and default.is_string:
                file_values.append(make_value(path, f"user_config.{option}.default", default, option))
            elif default is not None and default.is_array:
                file_values.extend(string_leaves(path, default, f"user_config.{option}.default", option))
            sensitive = spec.get("sensitive")
            if sensitive is not None and sensitive.kind is NodeKind.BOOL:
                flags.append((f"user_config.{option}.sensitive", sensitive.scalar_text() or ""))
    return McpConfig(path, Client.MCPB, fmt, (entry,), tuple(file_values), (), tuple(flags))
