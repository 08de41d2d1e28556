"""n8n workflow exports holding MCP Client Tool nodes (`@n8n/n8n-nodes-langchain.mcpClientTool`, the
community `n8n-nodes-mcp` node): each such node of `nodes[]` is a server named by the node's `name`,
reached at `parameters.endpointUrl` (`sseEndpoint` before node version 1.1). n8n keeps credentials
apart from the export (`credentials: {httpBearerAuth: {id, name}}` only names them), so what a
committed export can leak is a key in that URL or in another parameter string of the node; every
string of `parameters` is read (corpus 13: exports under `n8n/workflows/`).
"""

from __future__ import annotations

from scanner.clients._build import location, make_value, string_leaves
from scanner.model import Client, FileFormat, McpConfig, ServerEntry, Transport
from scanner.parsing.node import PNode

CONTENT_WORDS = ("mcpClientTool",)
_URL_KEYS = ("endpointUrl", "sseEndpoint")


def build(path: str, root: PNode, fmt: FileFormat) -> McpConfig | None:
    nodes = root.get("nodes") if root.is_object else None
    if nodes is None or not nodes.is_array:
        return None
    servers: list[ServerEntry] = []
    for index, node in enumerate(nodes.items):
        kind = node.get("type") if node.is_object else None
        if kind is None or not kind.is_string or not str(kind.value).endswith(CONTENT_WORDS[0]):
            continue
        label = node.get("name")
        name = str(label.value) if label is not None and label.is_string else f"nodes[{index}]"
        params = node.get("parameters")
        if params is None or not params.is_object:
            continue
        url_nodes = [found for key in _URL_KEYS if (found := params.get(key)) is not None and found.is_string]
        url = make_value(path, "url", url_nodes[0], "url") if url_nodes else None
        values = [v for v in string_leaves(path, params, f"nodes[{index}].parameters")
                  if url is None or v.location != url.location]
        transport_node = params.get("serverTransport")
        transport = Transport.HTTP if transport_node is not None and transport_node.is_string \
            and str(transport_node.value) == "httpStreamable" else Transport.SSE
        servers.append(ServerEntry(name=name, client=Client.N8N, location=location(path, label or node),
                                   transport=transport, url=url, values=(*values, *((url,) if url else ()))))
    return McpConfig(path, Client.N8N, fmt, tuple(servers)) if servers else None
