"""JetBrains AI Assistant: MCP servers in the IDE's XML options (`options/llm.mcpServers.xml`, a
project's `.idea/workspace.xml`, Rider's `.idea/.idea.<Solution>/.idea/workspace.xml`) and, since
2025.3, in `.ai/mcp/mcp.json` (`mcpServers`, VS Code's `servers` in copied files, or the server map
itself).

The XML component (`McpApplicationServerCommands` / `McpProjectServerCommands`) has had three
layouts: entries directly under it (2025.1, 2025.2), entries under `<commands>` / `<urls>`, and
state-only entries there (2025.3+, whose definitions moved to mcp.json); the wrappers IntelliJ's
XmlSerializer writes a collection with (`<option name="commands"><list>`) are looked through. An entry
is options
`<option name="…" value="…"/>` (`name`, `programPath` or `command`, `arguments` as one command line
or `args` as a `<list>`, `url`, `workingDirectory`, `enabled`), its environment `<envs><env name
value/></envs>` (or an `env` option holding a `<map>`), and `headers` as a `<map>` of `<entry key
value/>`. Only this component's entries become servers: the rest of workspace.xml is IDE state
(run configurations, VCS state), which only the provider-token line search of every read config sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from scanner.clients import mcpservers
from scanner.clients._build import server_from_pairs
from scanner.model import Client, FileFormat, McpConfig, ServerEntry
from scanner.parsing.node import NodeKind, PNode

COMPONENTS = ("McpProjectServerCommands", "McpApplicationServerCommands")
# What a file of this client must hold before it is parsed: a component name (XML), or a server
# entry's key (mcp.json, with or without `mcpServers`).
CONTENT_WORDS = (*COMPONENTS, "mcpServers", '"command"', '"url"')
# The server map of `.ai/mcp/mcp.json`: JetBrains' `mcpServers`, or VS Code's `servers` (public project
# files copied from `.vscode/mcp.json` keep it).
_SERVER_KEYS = ("mcpServers", "servers")
_WRAPPERS = frozenset({"commands", "urls", "list", "set", "map", "entry", "value", "array"})
_WRAPPER_DEPTH = 8
# Option name -> the canonical key of a server entry.
_OPTIONS = {"programPath": "command", "command": "command", "url": "url", "workingDirectory": "cwd",
            "type": "type"}
# One argument of a command line as JetBrains splits it (ParametersListUtil: quotes group words).
_ARG = re.compile(r'"[^"]*"|\'[^\']*\'|\S+')


def keep_component(tag: str, attributes: Sequence[str]) -> bool:
    """For parse_xml: build only the MCP components (a workspace.xml is mostly other IDE state)."""
    return tag == "component" and any(attributes[i] == "name" and attributes[i + 1] in COMPONENTS
                                      for i in range(0, len(attributes) - 1, 2))


def build(path: str, root: PNode, fmt: FileFormat) -> McpConfig | None:
    """The servers of an XML options file or of `.ai/mcp/mcp.json`; None when it declares none."""
    if fmt is FileFormat.XML:
        servers = tuple(_servers(path, root))
        return McpConfig(path, Client.JETBRAINS, fmt, servers) if servers else None
    for key in _SERVER_KEYS:
        container = root.get(key)
        if container is not None and container.is_object:
            return mcpservers.build(path, root, Client.JETBRAINS, fmt, key)
    if mcpservers.is_server_map(root):  # Gson reads a file without `mcpServers` as the map itself
        return mcpservers.build_bare(path, root, Client.JETBRAINS, fmt)
    return None


def _tag(node: PNode) -> str:
    tag = node.get("tag")
    return str(tag.value) if tag is not None else ""


def _attr(node: PNode, name: str) -> PNode | None:
    attrs = node.get("attrs")
    found = attrs.get(name) if attrs is not None else None
    return found if found is not None and found.is_string else None


def _children(node: PNode) -> list[PNode]:
    children = node.get("children")
    return children.items if children is not None else []


def _entries(root: PNode) -> Iterator[PNode]:
    """Every server entry of the MCP components under the document element, or of the document
    element itself when it is one (the IDE loads a file of one `<component>` as that component)."""
    for component in _children(root) if _tag(root) != "component" else [root]:
        name = _attr(component, "name")
        if _tag(component) != "component" or name is None or name.value not in COMPONENTS:
            continue
        yield from _unwrapped(component, 0)


def _unwrapped(node: PNode, depth: int) -> Iterator[PNode]:
    """The entries under `node`, through the wrappers IntelliJ's XmlSerializer writes a collection
    field with (`<commands>`, `<option name="commands"><list>`, a `<map>`'s `<entry><value>`)."""
    for child in _children(node):
        tag = _tag(child)
        if depth < _WRAPPER_DEPTH and (tag in _WRAPPERS or tag == "option" and _attr(child, "value") is None):
            yield from _unwrapped(child, depth + 1)
        else:
            yield child


def _servers(path: str, root: PNode) -> Iterator[ServerEntry]:
    for index, entry in enumerate(_entries(root)):
        pairs, name_node = _pairs(entry)
        if not pairs:  # a state-only entry (2025.3+): its definition is in mcp.json
            continue
        name = str(name_node.value) if name_node is not None and name_node.value else f"server{index}"
        yield server_from_pairs(path, name, name_node or entry, pairs, Client.JETBRAINS)


def _pairs(entry: PNode) -> tuple[list[tuple[str, PNode, PNode]], PNode | None]:
    """(canonical pairs, name value node) of one entry; no pairs when it says how to start nothing."""
    pairs: list[tuple[str, PNode, PNode]] = []
    name_node: PNode | None = None
    for child in _children(entry):
        tag = _tag(child)
        if tag == "envs":
            pairs.append(("env", child, _map(child, "name")))
            continue
        if tag != "option":
            continue
        label, value = _attr(child, "name"), _attr(child, "value")
        option = str(label.value) if label is not None else ""
        if option == "name" and value is not None:
            name_node = value
        elif option in _OPTIONS and value is not None:
            pairs.append((_OPTIONS[option], label or child, value))
        elif option == "arguments" and value is not None:
            pairs.append(("args", label or child, _split(value)))
        elif option == "args":
            items = [v for item in _walk(child) if _tag(item) == "option" and (v := _attr(item, "value"))]
            pairs.append(("args", label or child, PNode(NodeKind.ARRAY, child.line, child.column,
                                                       child.end_line, child.end_column, items=items)))
        elif option in ("headers", "env", "envs"):
            pairs.append(("headers" if option == "headers" else "env", label or child, _map(child, "key")))
        elif option == "enabled" and value is not None and value.value == "false":
            pairs.append(("enabled", label or child, PNode(NodeKind.BOOL, value.line, value.column,
                                                          value.end_line, value.end_column, False)))
    if not any(key in ("command", "url", "env", "headers") for key, _k, _v in pairs):
        return [], name_node
    return pairs, name_node


def _walk(node: PNode) -> Iterator[PNode]:
    for child in _children(node):
        yield child
        yield from _walk(child)


def _map(node: PNode, key_attr: str) -> PNode:
    """An OBJECT of the `<env name value/>` / `<entry key value/>` pairs at any depth under `node`."""
    entries: list[tuple[PNode, PNode]] = []
    for item in _walk(node):
        key = _attr(item, key_attr) or _attr(item, "name" if key_attr == "key" else "key")
        value = _attr(item, "value")
        if key is not None and value is not None:
            entries.append((key, value))
    return PNode(NodeKind.OBJECT, node.line, node.column, node.end_line, node.end_column, entries=entries)


def _split(value: PNode) -> PNode:
    """The `arguments` command line as an ARRAY of its words, each positioned inside the value when
    the value is written as it reads (no entity in it), else at the value."""
    text = str(value.value)
    exact = value.line == value.end_line and value.end_column - value.column - 2 == len(text)
    items: list[PNode] = []
    for match in _ARG.finditer(text):
        word = match.group(0)
        if word[0] in "\"'" and len(word) > 1:
            word = word[1:-1]
        if exact:
            column = value.column + 1 + match.start()
            items.append(PNode(NodeKind.STRING, value.line, column, value.line, column + len(match.group(0)),
                               word, quoted=word != match.group(0)))
        else:
            items.append(PNode(NodeKind.STRING, value.line, value.column, value.end_line, value.end_column,
                               word))
    return PNode(NodeKind.ARRAY, value.line, value.column, value.end_line, value.end_column, items=items)
