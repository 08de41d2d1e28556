"""Codex CLI TOML `[mcp_servers.<name>]`: literal `env` / `http_headers` / legacy `bearer_token`;
env NAMES in `env_vars`, `bearer_token_env_var` and `env_http_headers` (references, not values)."""

from __future__ import annotations

from scanner.clients._build import EntrySpec, canonical_pairs, file_flags, leaves_except, server_from_pairs
from scanner.model import Client, FileFormat, McpConfig, ServerEntry
from scanner.parsing.node import NodeKind, PNode

# Codex ignores a `headers` key (2nd-hand) but its values may still be secrets: read both.
_SPEC = EntrySpec(url_keys=("url",), header_keys=("http_headers", "headers"), env_file_key="")
_NAME_FIELDS = frozenset({"env_vars", "bearer_token_env_var", "env_http_headers"})


def _env_refs(node: PNode) -> list[str]:
    refs: list[str] = []
    env_vars = node.get("env_vars")
    if env_vars is not None and env_vars.is_array:
        for item in env_vars.items:
            name = item.get("name") if item.is_object else item
            if name is not None and name.kind is NodeKind.STRING:
                refs.append(str(name.value))
    bearer = node.get("bearer_token_env_var")
    if bearer is not None and bearer.is_string:
        refs.append(str(bearer.value))
    headers = node.get("env_http_headers")
    if headers is not None and headers.is_object:
        refs.extend(str(v.value) for _n, _k, v in headers.pairs() if v.is_string)
    return refs


def build(path: str, root: PNode, fmt: FileFormat) -> McpConfig | None:
    """None for a config.toml without an `mcp_servers` table (approval/sandbox settings only)."""
    container = root.get("mcp_servers")
    if container is None or not container.is_object:
        return None
    servers: list[ServerEntry] = []
    for name, key_node, node in container.pairs():
        if node.is_object:
            servers.append(server_from_pairs(
                path, name, key_node, canonical_pairs(node, {}), Client.CODEX, _SPEC,
                env_refs=_env_refs(node), reference_fields=_NAME_FIELDS,
            ))
    rest = ("mcp_servers",)
    return McpConfig(path, Client.CODEX, fmt, tuple(servers), tuple(leaves_except(path, root, rest)), (),
                     file_flags(root, rest))
