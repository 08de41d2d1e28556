"""MCP sections of a file no client shape reads: the servers and values under a key that names MCP.

Hosts with a layout of their own keep their MCP servers under keys the client table does not list:
LiteLLM's proxy `config.yaml` (`mcp_servers: {name: {url, auth_value}}`), OpenHands (`[mcp]
stdio_servers = [...]` in `config.toml`, `mcp_tools: {stdio_servers: [...]}` in a microagent's front
matter), Spring AI (`spring.ai.mcp.client.stdio.connections`), docker cagent toolsets (`- type: mcp`).
When no shape took a file, every member whose key names MCP as a word (`mcp`, `mcp_tools`,
`mcpServers`, `spring.ai.mcp.client`) and every object whose `type` is `mcp` is an MCP section: an
object in it that says how a server is started or reached is a server, and every other string in it is
a file value. Strings outside the sections are not read (the file is not a client config as a whole).
"""

from __future__ import annotations

import re
from dataclasses import replace

from scanner.clients import spring_refs
from scanner.clients._build import DEFAULT_SPEC, EntrySpec, join_field, server_from_node, string_leaves
from scanner.model import Client, FieldValue, FileFormat, McpConfig, ServerEntry
from scanner.parsing.node import NodeKind, PNode

# `mcp` as a word of a key: delimited (`mcp_tools`, `spring.ai.mcp.client`, `x-mcp`) or a camel-case
# word (`mcpServers`, `useMcp`, `MCPServers`); not inside a word (`mcphub`, `smcp`, `mcpo`).
_MCP_WORD = re.compile(r"(?:^|[^A-Za-z0-9])(?:mcp|MCP|Mcp)(?![a-z])|(?<=[a-z0-9])(?:Mcp|MCP)(?![a-z])")
_LAUNCH_KEYS = ("command", "url", "serverUrl", "httpUrl")
_DEPTH = 64  # nesting followed at most (a tree deeper than this is no config layout)
# .NET configuration binds keys case-insensitively and is written in PascalCase (`appsettings.json`
# `McpServers:Servers:github:Command`); the names .NET MCP clients bind, as the canonical keys.
_DOTNET_KEYS = {"command": "command", "args": "args", "arguments": "args", "env": "env",
                "environment": "env", "environmentvariables": "env", "url": "url", "endpoint": "url",
                "headers": "headers", "type": "type", "transporttype": "type", "transport": "type",
                "name": "name", "workingdirectory": "cwd"}
_DOTNET_LAUNCH = frozenset({"command", "url", "endpoint"})
# Quarkus LangChain4j (`quarkus.langchain4j.mcp.<name>.environment.<VAR>`, `.transport-type`).
_SPECS = {Client.QUARKUS: EntrySpec(renames={"environment": "env", "transport-type": "type"})}


# .NET binds section names case-insensitively, `:` separating sections in one key: `mcpservers` and
# `MCPSERVERS:Servers` are the `McpServers` section an application binds, whose case says no word.
_DOTNET_SECTION = re.compile(r"mcp(?:s|servers?|clients?|settings|options|config(?:uration)?|hosts?|tools"
                             r"|gateway|endpoints?|connections?|integrations?)?")


def names_mcp(key: str, client: Client = Client.GENERIC) -> bool:
    if _MCP_WORD.search(key) is not None:
        return True
    return client is Client.DOTNET and any(_DOTNET_SECTION.fullmatch(part.strip().lower())
                                           for part in key.split(":"))


def build(path: str, root: PNode, fmt: FileFormat, client: Client = Client.GENERIC) -> McpConfig | None:
    """The servers and values of the MCP sections of `root`, or None when it has none."""
    servers: list[ServerEntry] = []
    values: list[FieldValue] = []
    _find(path, root, "", servers, values, _DEPTH, client)
    if not servers and not values:
        return None
    spring = spring_refs.is_spring(root)
    if client is Client.GENERIC and spring:  # `application.yml`: Spring binds (and resolves) it as well
        client = Client.SPRING_AI
    if client is not Client.GENERIC:
        servers = [replace(server, client=client) for server in servers]
    # Spring resolves `${acme.key}` from the file itself: the literal it reads is searched too.
    read = tuple(spring_refs.own_literals(path, root, [*(fv for s in servers for fv in s.values), *values])
                 if spring else ())
    return McpConfig(path, client, fmt, tuple(servers), tuple(values), extra_values=read)


def _find(path: str, node: PNode, prefix: str, servers: list[ServerEntry], values: list[FieldValue],
          depth: int, client: Client = Client.GENERIC) -> None:
    if depth <= 0:
        return
    if node.kind is NodeKind.ARRAY:
        for index, item in enumerate(node.items):
            _find(path, item, f"{prefix}[{index}]", servers, values, depth - 1, client)
        return
    if node.kind is not NodeKind.OBJECT:
        return
    kind = node.get("type")
    if kind is not None and kind.is_string and str(kind.value).lower() == "mcp":
        _section(path, None, node, prefix, servers, values, depth, client)
        return
    for name, key_node, child in node.pairs():
        field = join_field(prefix, name)
        if names_mcp(name, client):
            _section(path, key_node, child, field, servers, values, depth, client)
        else:
            _find(path, child, field, servers, values, depth - 1, client)


def _section(path: str, key_node: PNode | None, node: PNode, prefix: str, servers: list[ServerEntry],
             values: list[FieldValue], depth: int, client: Client = Client.GENERIC) -> None:
    """Servers (objects with a launch key) and the other string leaves of one MCP section."""
    if depth <= 0:
        return
    if node.kind is NodeKind.STRING:
        values.extend(string_leaves(path, node, prefix, prefix.rsplit(".", 1)[-1]))
        return
    dotnet = client is Client.DOTNET
    server = _dotnet_server(path, key_node, node) if dotnet and node.kind is NodeKind.OBJECT else None
    if server is not None:
        servers.append(server)
        return
    if not dotnet and node.kind is NodeKind.OBJECT and any(
            (launch := node.get(key)) is not None and launch.is_string for key in _LAUNCH_KEYS):
        label = node.get("name")
        if label is not None and label.is_string:
            name = str(label.value)
        elif client is Client.QUARKUS and key_node is not None:  # quarkus.langchain4j.mcp.<name>
            name = str(key_node.value)
        else:
            name = prefix or "server"
        servers.append(server_from_node(path, name, key_node or node, node, Client.GENERIC,
                                        _SPECS.get(client, DEFAULT_SPEC)))
        return
    if node.kind is NodeKind.OBJECT:
        for name, member_key, child in node.pairs():
            _section(path, member_key, child, join_field(prefix, name), servers, values, depth - 1, client)
    elif node.kind is NodeKind.ARRAY:
        for index, item in enumerate(node.items):
            _section(path, None, item, f"{prefix}[{index}]", servers, values, depth - 1, client)


def _dotnet_server(path: str, key_node: PNode | None, node: PNode) -> ServerEntry | None:
    """A .NET entry (keys in any case: `Command`, `Url`, `Environment`, ...) that says how its server is
    started or reached, named by its `Name` or its key; None for any other object."""
    renames = {key: _DOTNET_KEYS[key.lower()] for key in node.keys() if key.lower() in _DOTNET_KEYS}
    launches = [node.get(key) for key in renames if key.lower() in _DOTNET_LAUNCH]
    if not any(launch is not None and launch.is_string for launch in launches):
        return None
    label = next((node.get(key) for key, canonical in renames.items() if canonical == "name"), None)
    if label is not None and label.is_string:
        name = str(label.value)
    else:
        name = str(key_node.value) if key_node is not None else "server"
    return server_from_node(path, name, key_node or node, node, Client.DOTNET, EntrySpec(renames=renames))
