"""Goose `extensions` (config.yaml map, or a recipe's list): `cmd`, `args`, literal `envs`,
`env_keys` (names resolved from the keyring), remote `uri` + `headers`."""

from __future__ import annotations

from scanner.clients._build import EntrySpec, canonical_pairs, server_from_pairs
from scanner.model import Client, FileFormat, McpConfig, ServerEntry
from scanner.parsing.node import NodeKind, PNode

_SPEC = EntrySpec(renames={"cmd": "command", "envs": "env", "uri": "url"}, url_keys=("url",))
_GOOSE_TYPES = frozenset({"stdio", "sse", "streamable_http", "builtin", "platform", "frontend",
                          "inline_python"})


def _is_extension(node: PNode) -> bool:
    if not node.is_object:
        return False
    kind = node.get("type")
    return bool({"cmd", "uri"}.intersection(node.keys())) or (
        kind is not None and kind.is_string and str(kind.value) in _GOOSE_TYPES)


def _entries(container: PNode) -> list[tuple[str, PNode, PNode]]:
    if container.is_object:
        return [(name, key, node) for name, key, node in container.pairs()]
    out: list[tuple[str, PNode, PNode]] = []
    for index, item in enumerate(container.items):
        name_node = item.get("name") if item.is_object else None
        if name_node is not None and name_node.kind is NodeKind.STRING:
            out.append((str(name_node.value), name_node, item))
        else:
            out.append((f"extensions[{index}]", item, item))
    return out


def build(path: str, root: PNode, fmt: FileFormat) -> McpConfig | None:
    """None unless `extensions` holds at least one Goose-shaped entry."""
    container = root.get("extensions")
    if container is None or container.kind not in (NodeKind.OBJECT, NodeKind.ARRAY):
        return None
    entries = [e for e in _entries(container) if _is_extension(e[2])]
    if not entries:
        return None
    servers: list[ServerEntry] = []
    for name, name_node, node in entries:
        env_keys = node.get("env_keys")
        refs = [str(i.value) for i in env_keys.items if i.is_string] if env_keys is not None \
            and env_keys.is_array else []
        servers.append(server_from_pairs(path, name, name_node, canonical_pairs(node, _SPEC.renames),
                                         Client.GOOSE, _SPEC, env_refs=refs,
                                         reference_fields=frozenset({"env_keys"})))
    return McpConfig(path, Client.GOOSE, fmt, tuple(servers))
