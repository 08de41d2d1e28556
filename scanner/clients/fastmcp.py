"""FastMCP's project file `fastmcp.json` (gofastmcp.com/deployment/server-configuration; >=436 public
repositories hold one): `source` (where the server code is), `environment` (uv dependencies) and
`deployment` (transport, host, port, `env`). `deployment.env` is set in the server's environment when
`fastmcp run` starts it; FastMCP expands `${NAME}` there from the environment it was started in
(mcp_server_config Deployment.apply_runtime_settings), so a literal value is a committed secret."""

from __future__ import annotations

from scanner.clients._build import DEFAULT_SPEC, env_map_values, location, string_leaves, transport_of
from scanner.model import Client, FieldValue, FileFormat, McpConfig, ServerEntry
from scanner.parsing.node import PNode


def build(path: str, root: PNode, fmt: FileFormat) -> McpConfig | None:
    """One server (named after `source.path`, else `fastmcp`) anchored on `deployment`/`source`."""
    deployment, source = root.get("deployment"), root.get("source")
    if not (deployment is not None and deployment.is_object or source is not None):
        return None
    anchor_name = "deployment" if deployment is not None and deployment.is_object else "source"
    anchor = next(k for name, k, _v in root.pairs() if name == anchor_name)
    env: list[FieldValue] = []
    values: list[FieldValue] = []
    transport_text: str | None = None
    if deployment is not None and deployment.is_object:
        env_node = deployment.get("env")
        if env_node is not None and env_node.is_object:
            env = env_map_values(path, env_node, "deployment.env")
        for name, _key, child in deployment.pairs():
            if name != "env":
                values.extend(string_leaves(path, child, f"deployment.{name}", name))
        kind = deployment.get("transport")
        transport_text = str(kind.value) if kind is not None and kind.is_string else None
    values.extend(env)
    name = "fastmcp"
    if source is not None and source.is_string:
        name = str(source.value)
    elif source is not None and source.is_object:
        where = source.get("path")
        if where is not None and where.is_string:
            name = str(where.value)
    transport = transport_of(transport_text, transport_text is None, None, "", DEFAULT_SPEC)
    entry = ServerEntry(name=name, client=Client.FASTMCP, location=location(path, anchor),
                        transport=transport, env=tuple(env), values=tuple(values))
    return McpConfig(path, Client.FASTMCP, fmt, (entry,))
