"""n8n workflow exports holding MCP Client Tool nodes (`@n8n/n8n-nodes-langchain.mcpClientTool`, the
community `n8n-nodes-mcp` package's `n8n-nodes-mcp.mcpClientTool` / `n8n-nodes-mcp.mcpClient`): each
such node of a workflow's `nodes[]` is a server named by the node's `name`, reached at
`parameters.endpointUrl` (`sseEndpoint` before node version 1.1; the community nodes' `serverUrl` /
`endpoint`). n8n keeps credentials apart from the export (`credentials: {httpBearerAuth: {id, name}}`
only names them), so what a committed export can leak is a key in that URL or in another parameter
string of the node; every string of `parameters` is read (corpus 13: exports under `n8n/workflows/`).

An export is one workflow object (the editor's Download, `n8n export:workflow --id=…`), a JSON array
of them (`n8n export:workflow --all` without `--separate`), or the public API's page of them
(`GET /api/v1/workflows`: `{"data": [...], "nextCursor": …}`); it is recognised by its content (a node
type naming an MCP client node: `is_export`) wherever it lies, not only in an n8n-named folder.

`n8n export:credentials --decrypted` writes the credentials themselves: records of `type` and `data`.
The community node's credentials (`mcpClientApi`: the stdio server's `command`, `args` and its
`environments`, `NAME=value` pairs; `mcpClientSseApi` / `mcpClientHttpApi`: URL and headers) are an MCP
server's configuration: each such record is a server, `environments` split into its env values.
"""

from __future__ import annotations

import re

from scanner.clients._build import location, make_value, string_leaves
from scanner.model import Client, FieldValue, FileFormat, Location, McpConfig, ServerEntry, Transport
from scanner.parsing.node import PNode

CONTENT_WORDS = ("mcpClientTool", "n8n-nodes-mcp.")
_URL_KEYS = ("endpointUrl", "sseEndpoint", "serverUrl", "endpoint")
_COMMUNITY = "n8n-nodes-mcp."
# A node `"type": "…mcpClientTool"` / `"n8n-nodes-mcp.<node>"` in any JSON spelling of the key.
_NODE_TYPE = re.compile(r'"type"\s*:\s*"(?:[^"\\]*mcpClientTool"|n8n-nodes-mcp\.|mcpClient\w*Api")')
_CREDENTIAL = re.compile(r"mcpClient\w*Api")
# `environments` of an mcpClientApi credential: `NAME=value` pairs, one a line or comma-separated.
_ENV_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=([^,\n]*)")


def is_export(text: str) -> bool:
    """True when JSON `text` holds a node whose type is an MCP client node, or an MCP client credential
    (cheap: two words first)."""
    return ("mcpClient" in text or _COMMUNITY in text) and _NODE_TYPE.search(text) is not None


def _is_mcp_node(kind: str) -> bool:
    return kind.endswith(CONTENT_WORDS[0]) or kind.startswith(_COMMUNITY)


def _workflows(root: PNode) -> list[tuple[str, PNode]]:
    """(field prefix, workflow object) of each workflow an export holds."""
    if root.is_array:
        return [(f"[{i}].", item) for i, item in enumerate(root.items) if item.is_object]
    if not root.is_object:
        return []
    page = root.get("data")
    if root.get("nodes") is None and page is not None and page.is_array:
        return [(f"data[{i}].", item) for i, item in enumerate(page.items) if item.is_object]
    return [("", root)]


def build(path: str, root: PNode, fmt: FileFormat) -> McpConfig | None:
    servers: list[ServerEntry] = []
    for prefix, workflow in _workflows(root):
        nodes = workflow.get("nodes")
        if nodes is not None and nodes.is_array:
            servers.extend(_servers(path, nodes, prefix))
        elif (server := _credential(path, workflow, prefix)) is not None:
            servers.append(server)
    return McpConfig(path, Client.N8N, fmt, tuple(servers)) if servers else None


def _credential(path: str, record: PNode, prefix: str) -> ServerEntry | None:
    """A decrypted MCP client credential record (`{"type": "mcpClientApi", "data": {…}}`) as a server."""
    kind, data = record.get("type"), record.get("data")
    if kind is None or not kind.is_string or _CREDENTIAL.fullmatch(str(kind.value)) is None \
            or data is None or not data.is_object:
        return None
    label = record.get("name")
    name = str(label.value) if label is not None and label.is_string else f"{prefix}credential"
    values = string_leaves(path, data, f"{prefix}data")
    env = []
    environments = data.get("environments")
    if environments is not None and environments.is_string and environments.line == environments.end_line:
        text = str(environments.value)
        quote = 1 if environments.quoted else 0
        for pair in _ENV_PAIR.finditer(text) if "\\" not in text else ():  # columns: no escape in it
            key, value = pair.group(1), pair.group(2)
            if value.strip():
                column = environments.column + quote + pair.start(2)
                env.append(FieldValue(f"env.{key}", value.strip(), Location(path, environments.line, column),
                                      environments.line, column + len(value), key))
    transport = Transport.STDIO if str(kind.value) == "mcpClientApi" else Transport.HTTP
    return ServerEntry(name=name, client=Client.N8N, location=location(path, label or record),
                       transport=transport, env=tuple(env), values=(*values, *env))


def _servers(path: str, nodes: PNode, prefix: str) -> list[ServerEntry]:
    servers: list[ServerEntry] = []
    for index, node in enumerate(nodes.items):
        kind = node.get("type") if node.is_object else None
        if kind is None or not kind.is_string or not _is_mcp_node(str(kind.value)):
            continue
        label = node.get("name")
        name = str(label.value) if label is not None and label.is_string else f"{prefix}nodes[{index}]"
        params = node.get("parameters")
        if params is None or not params.is_object:
            continue
        url_nodes = [found for key in _URL_KEYS if (found := params.get(key)) is not None and found.is_string]
        url = make_value(path, "url", url_nodes[0], "url") if url_nodes else None
        values = [v for v in string_leaves(path, params, f"{prefix}nodes[{index}].parameters")
                  if url is None or v.location != url.location]
        transport_node = params.get("serverTransport")
        transport = Transport.HTTP if transport_node is not None and transport_node.is_string \
            and str(transport_node.value) == "httpStreamable" else Transport.SSE
        servers.append(ServerEntry(name=name, client=Client.N8N, location=location(path, label or node),
                                   transport=transport, url=url, values=(*values, *((url,) if url else ()))))
    return servers
