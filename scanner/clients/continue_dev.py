"""Continue: `mcpServers` as a YAML list of entries with `name` (config.yaml and block files), JSON
drop-ins in `.continue/mcpServers/` (mcpServers object, as Claude/Cursor), and the rest of the file
(model `apiKey`s) as file values."""

from __future__ import annotations

from scanner.clients import mcpservers
from scanner.clients._build import canonical_pairs, file_flags, leaves_except, server_from_pairs
from scanner.model import Client, FileFormat, McpConfig, ServerEntry
from scanner.parsing.node import NodeKind, PNode


def _pairs(item: PNode) -> list[tuple[str, PNode, PNode]]:
    """Entry pairs with `requestOptions.headers` read as the entry's headers (field `headers.X`)."""
    pairs: list[tuple[str, PNode, PNode]] = []
    for key, key_node, value in canonical_pairs(item, {}):
        if key == "requestOptions" and value.is_object:
            for sub, sub_key, sub_value in value.pairs():
                pairs.append(("headers" if sub == "headers" else f"requestOptions.{sub}", sub_key, sub_value))
        elif key != "name":
            pairs.append((key, key_node, value))
    return pairs


def build(path: str, root: PNode, fmt: FileFormat, client: Client = Client.CONTINUE) -> McpConfig | None:
    """None when `mcpServers` is missing or neither a list nor an object."""
    container = root.get("mcpServers")
    if container is None:
        return _lone(path, root, fmt, client) or _legacy(path, root, fmt, client)
    if container.is_object:
        return mcpservers.build(path, root, client, fmt)
    if container.kind is not NodeKind.ARRAY:
        return None
    return McpConfig(path, client, fmt, tuple(list_servers(path, container, client)),
                     tuple(leaves_except(path, root, ("mcpServers",))), (), file_flags(root, ("mcpServers",)))


def list_servers(path: str, container: PNode, client: Client) -> list[ServerEntry]:
    """One server per object of an `mcpServers` list, named by its `name` (else by its index)."""
    servers: list[ServerEntry] = []
    for index, item in enumerate(container.items):
        if not item.is_object:
            continue
        name_node = item.get("name")
        if name_node is not None and name_node.kind is NodeKind.STRING:
            name, anchor = str(name_node.value), name_node
        else:
            name, anchor = f"mcpServers[{index}]", item
        servers.append(server_from_pairs(path, name, anchor, _pairs(item), client))
    return servers


# Keys that make an object one server entry (a launch command or an endpoint).
_ENTRY_KEYS = ("command", "url", "serverUrl")


def _lone(path: str, root: PNode, fmt: FileFormat, client: Client) -> McpConfig | None:
    """A file in `.continue/mcpServers/` holding one server entry at its top level (`name`, `command`,
    `args`, `env`), as committed beside the documented forms: read as that one server. The folder
    holds MCP server definitions only, so a top-level `command` or `url` is the entry itself."""
    parts = path.split("/")
    if len(parts) < 3 or parts[-2] != "mcpServers" or parts[-3] != ".continue" or not root.is_object:
        return None
    entry = [root.get(key) for key in _ENTRY_KEYS]
    if not any(node is not None and node.is_string for node in entry):
        return None
    name_node = root.get("name")
    if name_node is not None and name_node.is_string:
        name, anchor = str(name_node.value), name_node
    else:
        name, anchor = parts[-1].rsplit(".", 1)[0], root
    return McpConfig(path, client, fmt, (server_from_pairs(path, name, anchor, _pairs(root), client),))


def _legacy(path: str, root: PNode, fmt: FileFormat, client: Client) -> McpConfig | None:
    """Legacy `config.json`: `experimental.modelContextProtocolServers[i].transport` holds the entry
    (UNVERIFIED shape, so read tolerantly)."""
    experimental = root.get("experimental")
    legacy = experimental.get("modelContextProtocolServers") if experimental is not None else None
    if legacy is None or not legacy.is_array:
        return None
    servers: list[ServerEntry] = []
    for index, item in enumerate(legacy.items):
        transport = item.get("transport") if item.is_object else None
        if transport is None or not transport.is_object:
            continue
        name_node = item.get("name")
        name = str(name_node.value) if name_node is not None and name_node.is_string else f"server{index}"
        servers.append(server_from_pairs(path, name, name_node or item, _pairs(transport), client))
    if not servers:
        return None
    return McpConfig(path, client, fmt, tuple(servers), tuple(leaves_except(path, root, ("experimental",))))
