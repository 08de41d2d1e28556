"""Shared builders: PNode -> FieldValue / ServerEntry with positions, used by every client module.

Field notation (JSON contract): the value's path inside its server entry (or inside the file for
file-level values), `key.sub` for mappings and `key[i]` for arrays, with one normalisation: every
env-like map (`environment`, `envs`, Zed's nested `command.env`) is reported as `env.NAME`, the
launcher key (`cmd`, Zed's `command.path`) as `command`, and Goose's `uri` as `url`. opencode's
array `command` keeps its source notation: `command[0]` is the program and `command[1]`... are the
arguments (ServerEntry.args); Docker compose `command` lists likewise (`command[i]`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field

from scanner.model import Client, FieldValue, Location, ServerEntry, Transport
from scanner.parsing.node import ARRAY, BOOL, NULL, NUMBER, OBJECT, STRING, PNode
from scanner.references import is_reference

# Lists of tool or server names: their joined text also goes to `flags` because rules read them as
# settings (auto-approval of write tools), while their strings stay in `values` too.
NAME_LIST_KEYS = frozenset(
    {"autoApprove", "alwaysAllow", "disabledTools", "includeTools", "excludeTools", "enabled_tools",
     "disabled_tools", "allowed", "tools", "allowedTools", "enabledMcpjsonServers",
     "disabledMcpjsonServers", "allowedMcpServers", "deniedMcpServers", "scopes"}
)

_TRANSPORTS: dict[str, Transport] = {
    "stdio": Transport.STDIO, "local": Transport.STDIO, "command": Transport.STDIO,
    "http": Transport.HTTP, "https": Transport.HTTP, "streamable-http": Transport.HTTP,
    "streamablehttp": Transport.HTTP, "streamable_http": Transport.HTTP, "streamable": Transport.HTTP,
    "remote": Transport.HTTP, "sse": Transport.SSE, "ws": Transport.WS, "websocket": Transport.WS,
}


@dataclass(frozen=True, slots=True)
class EntrySpec:
    """Which keys of a server entry mean what for one client family (after `renames`)."""

    renames: Mapping[str, str] = dc_field(default_factory=dict)  # source key -> canonical key
    url_keys: tuple[str, ...] = ("url", "serverUrl", "httpUrl")
    header_keys: tuple[str, ...] = ("headers",)
    env_file_key: str = "envFile"
    type_keys: tuple[str, ...] = ("type", "transport")
    url_default: Transport = Transport.HTTP  # transport of a bare `url` (Gemini: SSE)


DEFAULT_SPEC = EntrySpec()


def location(path: str, node: PNode) -> Location:
    return Location(path, node.line, node.column)


def make_value(
    path: str, field: str, node: PNode, key: str | None, *, reference: bool | None = None
) -> FieldValue:
    """FieldValue for a scalar node; `reference` forces is_reference (env-name fields)."""
    text = node.scalar_text() or ""
    return FieldValue(field, text, Location(path, node.line, node.column), node.end_line, node.end_column,
                      key, _is_reference(text) if reference is None else reference, node.quoted)


def _string_value(path: str, field: str, node: PNode, key: str | None) -> FieldValue:
    """make_value for a STRING node (the hot path of every walk: no keyword handling)."""
    text = node.value if type(node.value) is str else (node.scalar_text() or "")
    # _is_reference, inline: every reference syntax holds `$`, `{` or `%`.
    return FieldValue(field, text, Location(path, node.line, node.column), node.end_line, node.end_column,
                      key, ("$" in text or "{" in text or "%" in text) and is_reference(text), node.quoted)


def _reference_value(path: str, field: str, node: PNode, key: str | None) -> FieldValue:
    """_as_reference(_string_value(...)) without the value thrown away."""
    text = node.value if type(node.value) is str else (node.scalar_text() or "")
    return FieldValue(field, text, Location(path, node.line, node.column), node.end_line, node.end_column,
                      key, True, node.quoted)


def _is_reference(text: str) -> bool:
    # Every reference syntax holds `$`, `{` or `%`: most values are decided without a lookup.
    return ("$" in text or "{" in text or "%" in text) and is_reference(text)


def join_field(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def string_leaves(path: str, node: PNode, prefix: str, key: str | None = None) -> list[FieldValue]:
    """Every STRING leaf under `node`, with its field path (`prefix.key`, `prefix[i]`)."""
    out: list[FieldValue] = []
    if node.kind is STRING:
        out.append(_string_value(path, prefix, node, key))
    else:
        _walk(path, node, prefix, out, None)
    return out


def uncovered_leaves(path: str, node: PNode, covered: set[tuple[int, int]]) -> list[FieldValue]:
    """string_leaves(path, node, "") minus the leaves whose (line, column) is in `covered`; the
    covered ones cost a set lookup, not a FieldValue."""
    out: list[FieldValue] = []
    if node.kind is STRING:
        if (node.line, node.column) not in covered:
            out.append(_string_value(path, "", node, None))
    else:
        _walk(path, node, "", out, covered)
    return out


def _walk(path: str, node: PNode, prefix: str, out: list[FieldValue],
          covered: set[tuple[int, int]] | None) -> None:
    """String leaves under the container `node` (string children inline, containers recursively)."""
    string, obj, array = STRING, OBJECT, ARRAY
    if node.kind is obj:
        for key_node, child in node.entries:
            kind = child.kind
            if kind is string:
                if covered is None or (child.line, child.column) not in covered:
                    name = str(key_node.value)
                    label = name if name != "value" and name != "key" else _pair_label(node, name)
                    out.append(_string_value(path, f"{prefix}.{name}" if prefix else name, child, label))
            elif kind is obj or kind is array:
                name = str(key_node.value)
                _walk(path, child, f"{prefix}.{name}" if prefix else name, out, covered)
    elif node.kind is array:
        # Array items sit under no mapping key of their own (`args[3]` has key None).
        for index, child in enumerate(node.items):
            kind = child.kind
            if kind is string:
                if covered is None or (child.line, child.column) not in covered:
                    out.append(_string_value(path, f"{prefix}[{index}]", child, None))
            elif kind is obj or kind is array:
                _walk(path, child, f"{prefix}[{index}]", out, covered)


def collect_flags(node: PNode, prefix: str, out: list[tuple[str, str]]) -> None:
    """Non-string scalars as (field, text), and name lists (NAME_LIST_KEYS) joined with commas."""
    kind = node.kind
    if kind is OBJECT:
        for key_node, child in node.entries:
            child_kind = child.kind
            if child_kind is STRING or child_kind is NULL:
                continue  # no flag, nothing below
            name = str(key_node.value)
            field = join_field(prefix, name)
            if child_kind is ARRAY and name in NAME_LIST_KEYS:
                texts = [t for t in (item.scalar_text() for item in child.items) if t is not None]
                out.append((field, ",".join(texts)))
            else:
                collect_flags(child, field, out)
    elif kind is ARRAY:
        for index, child in enumerate(node.items):
            child_kind = child.kind
            if child_kind is not STRING and child_kind is not NULL:
                collect_flags(child, f"{prefix}[{index}]", out)
    elif kind is BOOL or kind is NUMBER:
        out.append((prefix, node.scalar_text() or ""))


def canonical_pairs(node: PNode, renames: Mapping[str, str]) -> list[tuple[str, PNode, PNode]]:
    """(canonical key, key node, value node) of an entry object; Zed's nested command is flattened."""
    pairs: list[tuple[str, PNode, PNode]] = []
    append = pairs.append
    obj = OBJECT
    for key_node, value in node.entries:
        name = key_node.value if type(key_node.value) is str else str(key_node.value)
        canonical = renames.get(name, name) if renames else name
        if canonical == "command" and value.kind is obj:
            # Older Zed: "command": {"path": ..., "args": [...], "env": {...}}
            for sub, sub_key, sub_value in value.pairs():
                append(("command" if sub == "path" else sub, sub_key, sub_value))
            continue
        append((canonical, key_node, value))
    return pairs


def transport_of(type_text: str | None, has_command: bool, url_key: str | None, url_text: str,
                 spec: EntrySpec) -> Transport:
    """Explicit `type` (aliases included) wins; else stdio for a command, http/sse for a URL."""
    if type_text:
        explicit = _TRANSPORTS.get(type_text.strip().lower())
        if explicit is not None:
            return explicit
    if has_command:
        return Transport.STDIO
    if url_key is None:
        return Transport.UNKNOWN
    lowered = url_text.lower()
    if lowered.startswith(("ws://", "wss://")):
        return Transport.WS
    if url_key in ("httpUrl", "serverUrl"):
        return Transport.HTTP
    if lowered.rstrip("/").endswith("/sse"):
        return Transport.SSE
    return spec.url_default


def server_from_pairs(
    path: str,
    name: str,
    name_node: PNode,
    pairs: Iterable[tuple[str, PNode, PNode]],
    client: Client,
    spec: EntrySpec = DEFAULT_SPEC,
    *,
    env_refs: Iterable[str] = (),
    reference_fields: frozenset[str] = frozenset(),
    extra_values: Iterable[FieldValue] = (),
) -> ServerEntry:
    """Build a ServerEntry from canonical (key, key node, value node) pairs of one entry.

    `reference_fields` lists top-level keys whose strings are env NAMES (forced is_reference).
    """
    command: FieldValue | None = None
    args: list[FieldValue] = []
    env: list[FieldValue] = []
    headers: list[FieldValue] = []
    url: FieldValue | None = None
    url_key: str | None = None
    env_file: FieldValue | None = None
    type_text: str | None = None
    values: list[FieldValue] = list(extra_values)
    flags: list[tuple[str, str]] = []
    disabled = False
    string, obj, null = STRING, OBJECT, NULL
    for key, _key_node, node in pairs:
        kind = node.kind
        if kind is string:  # the common case, without the walk (a string has no flags)
            leaf = (_reference_value if key in reference_fields else _string_value)(path, key, node, key)
            leaves = [leaf]
            values.append(leaf)
        else:
            if key == "env" and kind is obj:
                leaves = _map_scalars(path, node, "env")
                env.extend(leaves)
            elif key in reference_fields:
                leaves = [_as_reference(v) for v in string_leaves(path, node, key, key)]
            else:
                leaves = string_leaves(path, node, key, key)
            values.extend(leaves)
            if key != "env" and kind is not null:  # env values are strings to the server, never settings
                pair_flags(key, node, flags)
        if key == "command":
            if node.kind is STRING:
                command = leaves[0]
            elif node.kind is ARRAY and leaves:  # opencode: [program, *args]
                command, args = leaves[0], args + leaves[1:]
        elif key == "args" and node.kind is ARRAY:
            args.extend(leaves)
        elif key in spec.header_keys and node.kind is OBJECT:
            headers.extend(leaves)
        elif key in spec.url_keys and node.kind is STRING and url is None:
            url, url_key = leaves[0], key
        elif key == spec.env_file_key and node.kind is STRING:
            env_file = leaves[0]
        elif key in spec.type_keys and node.kind is STRING:
            type_text = str(node.value)
        elif key == "disabled" and node.value is True or key == "enabled" and node.value is False:
            disabled = True
    transport = transport_of(type_text, command is not None, url_key, url.text if url else "", spec)
    # Positional, in field order (name, client, location, transport, command, args, env, url, headers,
    # env_file, env_refs, values, flags, disabled): a call with 14 keywords costs more than the object.
    return ServerEntry(name, client, Location(path, name_node.line, name_node.column), transport, command,
                       tuple(args), tuple(env), url, tuple(headers), env_file, tuple(env_refs), tuple(values),
                       tuple(flags), disabled)


def server_from_node(path: str, name: str, name_node: PNode, node: PNode, client: Client,
                     spec: EntrySpec = DEFAULT_SPEC) -> ServerEntry:
    """ServerEntry for an entry object keyed by `name` (mcpServers / servers / context_servers)."""
    return server_from_pairs(path, name, name_node, canonical_pairs(node, spec.renames), client, spec)


def pair_flags(key: str, node: PNode, flags: list[tuple[str, str]]) -> None:
    """Flags of one top-level entry key (a name list becomes one joined flag)."""
    if node.kind is ARRAY and key in NAME_LIST_KEYS:
        _list_flag(key, node, flags)
    else:
        collect_flags(node, key, flags)


def _list_flag(key: str, node: PNode, flags: list[tuple[str, str]]) -> None:
    texts = [t for t in (item.scalar_text() for item in node.items) if t is not None]
    flags.append((key, ",".join(texts)))


def _pair_label(node: PNode, member: str) -> str:
    """The name a member of a `{"name"|"key": N, "value": V}` pair (header and env lists:
    `headers: [{name: X-Api-Key, value: …}]`, `env: [{name: API_KEY, value: …}]`) is judged under:
    V under N, and the `key` member N under `name` (it is a name, not a secret under the word
    `key`). Any other object keeps the member's own name."""
    value = node.get("value")
    if value is None or value.kind is not STRING:
        return member
    if member == "key":
        return "name"
    for label in ("name", "key"):
        named = node.get(label)
        if named is not None and named.kind is STRING and named.value:
            return str(named.value)
    return member


def _map_scalars(path: str, node: PNode, prefix: str) -> list[FieldValue]:
    """Every scalar value of a flat map (env maps: numbers and booleans are strings to the server)."""
    out: list[FieldValue] = []
    string = STRING
    for key_node, child in node.entries:
        name = str(key_node.value)
        field = f"{prefix}.{name}" if prefix else name
        if child.kind is string:
            out.append(_string_value(path, field, child, name))
        elif child.kind is NUMBER or child.kind is BOOL:
            out.append(make_value(path, field, child, name))
        else:
            out.extend(string_leaves(path, child, field, name))
    return out


def _as_reference(value: FieldValue) -> FieldValue:
    return FieldValue(value.field, value.text, value.location, value.end_line, value.end_column,
                      value.key, True, value.quoted)


def env_map_values(path: str, node: PNode, prefix: str = "env") -> list[FieldValue]:
    """Public form of the env-map walker (dotenv files, settings env)."""
    return _map_scalars(path, node, prefix)


def file_flags(root: PNode, exclude: Iterable[str] = ()) -> tuple[tuple[str, str], ...]:
    """File-level flags: top-level non-string scalars and name lists, skipping `exclude` keys."""
    skipped = set(exclude)
    flags: list[tuple[str, str]] = []
    for name, _key_node, child in root.pairs():
        if name in skipped:
            continue
        if child.kind is ARRAY and name in NAME_LIST_KEYS:
            _list_flag(name, child, flags)
        elif child.kind in (BOOL, NUMBER):
            flags.append((name, child.scalar_text() or ""))
    return tuple(flags)


def leaves_except(path: str, root: PNode, exclude: Iterable[str], prefix: str = "") -> list[FieldValue]:
    """String leaves of `root` outside the top-level keys in `exclude` (file_values)."""
    skipped = set(exclude)
    out: list[FieldValue] = []
    for name, _key_node, child in root.pairs():
        if name not in skipped:
            out.extend(string_leaves(path, child, join_field(prefix, name), name))
    return out
