"""smithery.yaml (server repositories): `startCommand` with `exampleConfig` literals, `env`,
`configSchema.properties.*.default` and the `commandFunction` JavaScript string."""

from __future__ import annotations

from scanner.clients._build import (
    DEFAULT_SPEC,
    collect_flags,
    env_map_values,
    location,
    make_value,
    string_leaves,
    transport_of,
)
from scanner.model import Client, FieldValue, FileFormat, McpConfig, ServerEntry
from scanner.parsing.node import NodeKind, PNode


def build(path: str, root: PNode, fmt: FileFormat) -> McpConfig | None:
    """One server named `smithery`, anchored on the `startCommand` key."""
    start = root.get("startCommand")
    if start is None or not start.is_object:
        return None
    key_node = next(k for k, v in root.entries if v is start)
    values: list[FieldValue] = []
    env: list[FieldValue] = []
    flags: list[tuple[str, str]] = []
    for source in (start, root):  # newer files put `env` at the top level
        env_node = source.get("env")
        if env_node is not None and env_node.is_object:
            env.extend(env_map_values(path, env_node))
    values.extend(env)
    example = start.get("exampleConfig")
    if example is not None:
        values.extend(string_leaves(path, example, "exampleConfig"))
        collect_flags(example, "exampleConfig", flags)
    function = start.get("commandFunction")
    if function is not None and function.kind is NodeKind.STRING:
        values.append(make_value(path, "commandFunction", function, "commandFunction"))
    schema = start.get("configSchema")
    properties = schema.get("properties") if schema is not None else None
    if properties is not None and properties.is_object:
        for name, _key, prop in properties.pairs():
            default = prop.get("default") if prop.is_object else None
            if default is not None and default.kind is NodeKind.STRING:
                values.append(make_value(path, f"configSchema.properties.{name}.default", default, name))
    kind = start.get("type")
    type_text = str(kind.value) if kind is not None and kind.is_string else None
    transport = transport_of(type_text, False, None, "", DEFAULT_SPEC)
    entry = ServerEntry(name="smithery", client=Client.SMITHERY, location=location(path, key_node),
                        transport=transport, env=tuple(env), values=tuple(values), flags=tuple(flags))
    return McpConfig(path, Client.SMITHERY, fmt, (entry,))
