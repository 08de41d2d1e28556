"""MCP servers declared in application source code (clients `python-code`, `js-code`).

Agents and apps start MCP servers from their own code, not only from a client's config file: the
Python SDK's `StdioServerParameters(command=…, args=[…], env={…})`, langchain-mcp-adapters
`MultiServerMCPClient({name: {…}})`, the OpenAI Agents SDK `MCPServerStdio(params={…})` /
`MCPServerStreamableHttp(params={"url": …, "headers": …})`, pydantic-ai `MCPServerStdio("npx", args=…)`,
LlamaIndex `BasicMCPClient(…)`, mcp-use `MCPClient.from_dict({"mcpServers": …})`, Claude Agent SDK
`mcp_servers={…}` / `mcpServers: {…}`; in TypeScript / JavaScript `new StdioClientTransport({command,
args, env})`, `new StreamableHTTPClientTransport(new URL(…), {requestInit: {headers}})`, Mastra
`new MCPClient({servers: {…}})`, Vercel AI `experimental_createMCPClient({transport: …})`.

The readers (clients/source_py.py: the standard library's `ast`, parse only; clients/source_js.py: a
linear tokenizer) turn each such call or literal into a `Site`: positioned PNode trees of its
arguments. This module says what each API's arguments mean (the tables below) and builds one
ServerEntry per server. Values read from the environment (`os.environ["X"]`, `os.getenv("X")`,
`process.env.X`, `${process.env.X}` in a template) come as `${X}` references; a literal default
(`os.getenv("X", "…")`, `process.env.X || "…"`) is the literal itself, judged as any value.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from scanner.clients._build import server_from_node, string_leaves
from scanner.model import Client, FieldValue, FileFormat, McpConfig, ServerEntry
from scanner.parsing.node import NodeKind, PNode

# The API names a source file must hold before it is read (the listing's `git grep` words and the
# content gate of the two catalog rows): constructors and factories of the SDKs above, and the map
# keys their options take.
PY_API_WORDS = ("StdioServerParameters", "MultiServerMCPClient", "MCPServerStdio", "MCPServerStreamableHttp",
                "MCPServerStreamableHTTP", "MCPServerSse", "MCPServerSSE", "MCPServerHTTP", "BasicMCPClient",
                "MCPClient", "StreamableHTTPConnectionParams", "SseConnectionParams",
                "StreamableHTTPServerParams", "SseServerParams", "streamablehttp_client", "sse_client",
                "mcpServers", "mcp_servers", "MCPTools", "MCPStdioPlugin", "MCPSsePlugin",
                "MCPStreamableHttpPlugin", "StdioServerParams", "MCP_SERVERS")
JS_API_WORDS = ("StdioClientTransport", "StreamableHTTPClientTransport", "SSEClientTransport",
                "StdioMCPTransport", "createMCPClient", "MCPClient", "MultiServerMCPClient",
                "MCPServerStdio", "MCPServerStreamableHttp", "MCPServerSSE", "mcpServers", "mcp_servers",
                "MCPConfiguration")
API_WORDS = tuple(dict.fromkeys((*PY_API_WORDS, *JS_API_WORDS)))
_GATE = re.compile("|".join(sorted(API_WORDS, key=len, reverse=True)))

# Calls whose arguments are one server: the names of their positional arguments, in order.
SERVER_CALLS: dict[str, tuple[str, ...]] = {
    "StdioServerParameters": ("command", "args"),
    "MCPServerStdio": ("command", "args"),  # pydantic-ai positional; OpenAI Agents `params={…}`
    "MCPServerStreamableHttp": ("url",), "MCPServerStreamableHTTP": ("url",), "MCPServerSse": ("url",),
    "MCPServerSSE": ("url",), "MCPServerHTTP": ("url",),
    "BasicMCPClient": ("command_or_url", "args"),  # LlamaIndex: a URL or a command
    "StreamableHTTPConnectionParams": ("url",), "SseConnectionParams": ("url",),  # Google ADK
    "StreamableHTTPServerParams": ("url",), "SseServerParams": ("url",),
    "streamablehttp_client": ("url",), "sse_client": ("url",),  # the Python SDK's HTTP clients
    "MCPTools": ("command",),  # agno: `MCPTools(command="npx …", env={…})` or `url=`
    # Semantic Kernel (Python) MCP plugins: `MCPStdioPlugin(name=…, command=…, args=[…], env={…})`
    "MCPStdioPlugin": ("name", "command", "args"), "MCPSsePlugin": ("name", "url"),
    "MCPStreamableHttpPlugin": ("name", "url"),
    "StdioServerParams": ("command", "args"),  # AutoGen autogen_ext.tools.mcp
    # TypeScript SDK transports: an options object, or `new URL(…)` then options
    "StdioClientTransport": ("options",), "StdioMCPTransport": ("options",),
    "Experimental_StdioMCPTransport": ("options",),
    "StreamableHTTPClientTransport": ("url", "options"), "SSEClientTransport": ("url", "options"),
}
# Calls whose first argument (or this keyword) maps server names to servers.
MAP_CALLS: dict[str, str] = {"MultiServerMCPClient": "connections"}
# Calls whose first argument is an options object holding a server map under one of these keys.
CONFIG_CALLS: dict[str, tuple[str, ...]] = {
    "MCPClient": ("servers", "mcpServers"),  # Mastra `new MCPClient({servers})`, mcp-use `MCPClient(config)`
    "MCPConfiguration": ("servers",),  # Mastra before 0.6: `new MCPConfiguration({servers})`
    "from_dict": ("mcpServers",),  # mcp-use `MCPClient.from_dict({"mcpServers": …})`
    "MultiServerMCPClient": ("mcpServers",),  # langchain-mcp-adapters JS `{mcpServers: …}`
    "createMCPClient": ("transport",), "experimental_createMCPClient": ("transport",),  # Vercel AI
}
# Keys (and keyword arguments) whose value maps server names to servers, wherever they are.
MAP_KEYS = frozenset({"mcpServers", "mcp_servers"})
# An object literal of these keys is a server's parameters (`params = {"command": "npx", …}` handed
# to an SDK later): a launch key plus one of the keys a server entry has.
_LAUNCH = ("command", "url")
_ENTRY_KEYS = frozenset({"args", "env", "headers", "transport", "type", "requestInit"})
# Option keys merged into the server (OpenAI Agents `params`, the TypeScript SDK's `requestInit`).
_FLATTEN = ("params", "options", "requestInit", "transport", "server_params", "serverParams")


@dataclass(slots=True)
class Site:
    """One call of an MCP API: its name, positional and keyword argument nodes, where it is, and
    the name it is assigned to (`github = StdioServerParameters(…)`), if any."""

    api: str
    line: int
    column: int
    args: list[PNode | None] = field(default_factory=list)
    keywords: list[tuple[PNode, PNode]] = field(default_factory=list)
    name: str | None = None
    spreads: list[PNode] = field(default_factory=list)  # `**params` objects merged into `keywords`


def names_api(text: str) -> bool:
    """True when `text` holds one of the MCP API names (the content gate of a source file)."""
    return _GATE.search(text) is not None


def key_node(text: str, line: int, column: int) -> PNode:
    """A key node (a STRING at the key's position) for an entry made from an argument."""
    return PNode(NodeKind.STRING, line, column, line, column + len(text), text)


def build(path: str, client: Client, fmt: FileFormat, sites: list[Site],
          objects: list[PNode], imports: tuple[str, ...] = (),
          module_values: list[tuple[str, PNode]] | None = None) -> McpConfig | None:
    """The config of one source file: a server per call of `sites` and per server map or
    server-shaped object literal among `objects` (every object literal, in source order) that no
    site took already, and the local modules its calls read names from (`imports`); None when there
    is none. `module_values` (a module an MCP client file imports: read whatever it names) are its
    names bound at the top level: each literal (or object of literals) not a server is a value of
    the file, keyed by its name (or key)."""
    servers: list[ServerEntry] = []
    taken: set[int] = set()
    counts: dict[str, int] = {}

    def add(name: str, name_node: PNode, node: PNode) -> None:
        _take(node, taken)
        counts[name] = counts.get(name, 0) + 1
        label = name if counts[name] == 1 else f"{name}#{counts[name]}"
        servers.append(server_from_node(path, label, name_node, _flattened(node), client))

    for site in sites:
        found = [entry for entry in _site_servers(site) if id(entry[2]) not in taken]
        for name, name_node, node in found:
            add(name, name_node, node)
        if found:  # the call's own argument objects are this server's, not more servers
            for arg in (*site.args, *(value for _key, value in site.keywords), *site.spreads):
                if arg is not None:
                    _take(arg, taken)
    for obj in objects:
        if id(obj) in taken:
            continue
        for name, _key, value in obj.pairs():
            if name in MAP_KEYS and value.is_object:
                for server, server_key, entry in value.pairs():
                    if entry.is_object and id(entry) not in taken:
                        add(server, server_key, entry)
    # a server-shaped literal that is a member of another (`MCP_SERVERS = {"tavily": {"command": …}}`)
    # is named by its key
    member_of = {id(value): (name, key) for obj in objects for name, key, value in obj.pairs()
                 if value.is_object}
    for obj in objects:
        if id(obj) not in taken and is_server_shaped(obj):
            name, name_node = member_of.get(id(obj)) or ("server", key_node("server", obj.line, obj.column))
            add(name, name_node, obj)
    values: list[FieldValue] = []
    served = {(v.location.line, v.location.column) for server in servers for v in server.values}
    for name, node in module_values or ():  # (a value a server holds already is that server's)
        values.extend(v for v in string_leaves(path, node, name, name if node.is_string else None)
                      if (v.location.line, v.location.column) not in served)
    if not servers and not imports and not values:
        return None
    flags = tuple((IMPORT_FLAG, rel) for rel in imports)
    return McpConfig(path, client, fmt, tuple(servers), tuple(values), flags=flags)


# The file-level flag naming a local module a source file's MCP API calls read a name from.
IMPORT_FLAG = "import"


def imported_modules(config: McpConfig) -> list[str]:
    """The local modules (relative paths) a source config's MCP API calls read names from
    (`from .servers import SERVERS`, `import { env } from "./env"`): each is read as that client's
    source too (clients/_files.config_references)."""
    if config.client is not Client.PYTHON_CODE and config.client is not Client.JS_CODE:
        return []
    return [rel for key, rel in config.flags if key == IMPORT_FLAG]


def module_paths(path: str, module: str, level: int = 0) -> list[str]:
    """The repository files a Python import of `module` (`level` leading dots) from the file at
    `path` may load: the package-relative one, or for an absolute import the same folder's and the
    root's (the folder a script runs from and the repository root are on the path)."""
    parts = [part for part in module.split(".") if part]
    folder = posixpath.dirname(path)
    if level:
        for _ in range(level - 1):
            folder = posixpath.dirname(folder)
        bases = [folder]
    else:
        bases = list(dict.fromkeys([folder, ""]))
    stem = "/".join(parts)
    return [posixpath.join(base, candidate) for base in bases for candidate in
            ((stem + ".py", stem + "/__init__.py") if stem else ("__init__.py",))]


_JS_EXTS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")


def script_paths(path: str, specifier: str) -> list[str]:
    """The repository files an `import … from "./x"` of the file at `path` may load (a relative
    specifier only: a package comes from node_modules): as written, with a source extension, or the
    folder's index; a `.js` specifier also as its TypeScript source (`./x.js` -> `./x.ts`)."""
    if not specifier.startswith(("./", "../")):
        return []
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), specifier))
    if joined.startswith("../") or joined == "..":
        return []
    stem, dot, ext = joined.rpartition(".")
    out = [joined] if dot and "." + ext in _JS_EXTS else []
    base = stem if dot and "." + ext in _JS_EXTS and "/" not in ext else joined
    out += [base + e for e in _JS_EXTS] + [joined + "/index" + e for e in _JS_EXTS]
    return list(dict.fromkeys(out))


def is_server_shaped(node: PNode) -> bool:
    """An object literal of a server's parameters: a string launch key and an entry key."""
    return any((v := node.get(k)) is not None and v.is_string for k in _LAUNCH) \
        and any(k in _ENTRY_KEYS for k in node.keys())


def _take(node: PNode, taken: set[int]) -> None:
    """Mark `node` and every object under it as read (each object belongs to one server)."""
    stack = [node]
    while stack:
        current = stack.pop()
        taken.add(id(current))
        stack.extend(child for _k, child in current.entries)
        stack.extend(current.items)


def _site_servers(site: Site) -> list[tuple[str, PNode, PNode]]:
    """(server name, name node, entry object) for each server of one call."""
    at = key_node(site.api, site.line, site.column)
    if site.api in MAP_CALLS:
        mapping = _keyword(site, MAP_CALLS[site.api]) or (site.args[0] if site.args else None)
        if mapping is not None and mapping.is_object and mapping.get("mcpServers") is None:
            return [(name, key, entry) for name, key, entry in mapping.pairs() if entry.is_object]
    if site.api in CONFIG_CALLS:
        options = site.args[0] if site.args else None
        for word in CONFIG_CALLS[site.api]:
            inner = options.get(word) if options is not None and options.is_object else None
            inner = inner or _keyword(site, word)
            if inner is not None and inner.is_object:
                if word == "transport":  # one server: its transport options
                    return [(site.name or site.api, at, inner)]
                return [(name, key, entry) for name, key, entry in inner.pairs() if entry.is_object]
        if options is not None and options.is_object and is_server_shaped(options):
            return [(site.name or site.api, at, options)]  # smolagents `MCPClient({"url": …})`
        return []
    positional = SERVER_CALLS.get(site.api)
    if positional is None:
        return []
    entries: list[tuple[PNode, PNode]] = []
    for slot, node in zip(positional, site.args, strict=False):
        if node is None:
            continue
        if slot == "options" and node.is_object:
            entries.extend(node.entries)
            continue
        if slot == "command_or_url":
            remote = node.is_string and str(node.value).startswith(("http://", "https://"))
            slot = "url" if remote else "command"
        entries.append((key_node(slot, node.line, node.column), node))
    entries.extend(site.keywords)
    if not entries:
        return []
    name = site.name or site.api
    label = next((str(v.value) for k, v in site.keywords if k.value == "name" and v.is_string), name)
    obj = PNode(NodeKind.OBJECT, site.line, site.column, site.line, site.column, entries=entries)
    return [(label, at, obj)]


def _keyword(site: Site, word: str) -> PNode | None:
    return next((value for key, value in site.keywords if key.value == word), None)


def _flattened(node: PNode) -> PNode:
    """`node` with the option objects of `_FLATTEN` merged in (nested at most twice: the TypeScript
    SDK's `{requestInit: {headers}}` under a Mastra server, OpenAI Agents `params`)."""
    if not any(k in _FLATTEN for k in node.keys()):
        return node
    entries: list[tuple[PNode, PNode]] = []
    for key, value in node.entries:
        if key.value in _FLATTEN and value.is_object:
            entries.extend(_flattened(value).entries)
        else:
            entries.append((key, value))
    return PNode(NodeKind.OBJECT, node.line, node.column, node.end_line, node.end_column, entries=entries)

