"""VS Code family: `.vscode/mcp.json` / Visual Studio `.mcp.json` (`servers` + `inputs`), the legacy
`mcp` key of settings.json / `*.code-workspace`, and devcontainer `customizations.vscode.mcp`."""

from __future__ import annotations

from scanner.clients._build import file_flags, join_field, leaves_except, make_value, string_leaves
from scanner.clients.mcpservers import servers_of
from scanner.model import Client, FieldValue, FileFormat, McpConfig, ServerEntry
from scanner.names import is_sensitive_name
from scanner.parsing.node import NodeKind, PNode

_ENTRY_KEYS = frozenset({"command", "url", "type", "args"})


def looks_like_servers(node: PNode | None) -> bool:
    """An object of entry objects (empty, or at least one with command/url/type/args)."""
    if node is None or not node.is_object:
        return False
    entries = [value for _name, _key, value in node.pairs()]
    if not all(value.is_object for value in entries):
        return False
    return not entries or any(_ENTRY_KEYS.intersection(value.keys()) for value in entries)


def find_section(root: PNode) -> tuple[PNode, str] | None:
    """The object holding `servers`/`inputs` and its field prefix, wherever this file keeps it."""
    if looks_like_servers(root.get("servers")):
        return root, ""
    candidates: list[tuple[tuple[str, ...], str]] = [
        (("mcp",), "mcp"),
        (("settings", "mcp"), "settings.mcp"),  # *.code-workspace
        (("customizations", "vscode", "mcp"), "customizations.vscode.mcp"),  # devcontainer.json
        (("customizations", "vscode", "settings", "mcp"), "customizations.vscode.settings.mcp"),
    ]
    for keys, prefix in candidates:
        node: PNode | None = root
        for key in keys:
            node = node.get(key) if node is not None else None
        if node is not None and node.is_object and (
            looks_like_servers(node.get("servers")) or _is_inputs(node.get("inputs"))
        ):
            return node, prefix
    return None


# devcontainer.json keys that make the environment VS Code, and the MCP servers it starts inside the
# container, run in: `containerEnv` / `remoteEnv` maps, and `runArgs` (docker run's `--env-file`,
# followed as a referenced dotenv by clients._files.referenced_files).
_CONTAINER_ENV = ("containerEnv", "remoteEnv")
DEVCONTAINER_RUN_ARGS = "runArgs"


def _container_env(path: str, root: PNode) -> list[FieldValue]:
    out: list[FieldValue] = []
    for name in _CONTAINER_ENV:
        node = root.get(name)
        if node is not None and node.is_object:
            out.extend(string_leaves(path, node, name))
    args = root.get(DEVCONTAINER_RUN_ARGS)
    if args is not None and args.is_array:
        out.extend(string_leaves(path, args, DEVCONTAINER_RUN_ARGS))
    return out


def _is_inputs(node: PNode | None) -> bool:
    return node is not None and node.is_array and all(item.is_object for item in node.items)


def build(path: str, root: PNode, section: PNode, prefix: str, client: Client, fmt: FileFormat) -> McpConfig:
    """McpConfig of a VS Code-shaped section; a dedicated file (prefix "") also keeps its other
    top-level strings as file values."""
    servers_node = section.get("servers")
    servers = servers_of(path, servers_node, client) if servers_node is not None and servers_node.is_object \
        else []
    input_ids: list[str] = []
    file_values: list[FieldValue] = []
    flags: list[tuple[str, str]] = []
    inputs = section.get("inputs")
    if inputs is not None and inputs.is_array:
        used = _InputUses(servers)
        for index, item in enumerate(inputs.items):
            if not item.is_object:
                continue
            base = join_field(prefix, f"inputs[{index}]")
            ident = item.get("id")
            if ident is not None and ident.is_string:
                input_ids.append(str(ident.value))
            key = _default_key(item, ident, used)
            default = item.get("default")
            if default is not None and default.kind is NodeKind.STRING:
                file_values.append(make_value(path, f"{base}.default", default, key))
            options = item.get("options")  # pickString: the value picked is what `${input:id}` becomes
            if options is not None and options.is_array:
                for number, option in enumerate(options.items):
                    value = option.get("value") if option.is_object else option
                    if value is not None and value.kind is NodeKind.STRING:
                        field = f"{base}.options[{number}]" + (".value" if option.is_object else "")
                        file_values.append(make_value(path, field, value, key))
            password = item.get("password")
            if password is not None and password.kind is NodeKind.BOOL:
                flags.append((f"{base}.password", password.scalar_text() or ""))
    if prefix == "":
        file_values.extend(leaves_except(path, root, ("servers", "inputs")))
        flags.extend(file_flags(root, ("servers", "inputs")))
    else:
        for name, _key, child in section.pairs():
            if name not in ("servers", "inputs"):
                file_values.extend(string_leaves(path, child, join_field(prefix, name), name))
    if prefix.startswith("customizations."):
        file_values.extend(_container_env(path, root))
    return McpConfig(path, client, fmt, tuple(servers), tuple(file_values), tuple(input_ids), tuple(flags))


def _default_key(item: PNode, ident: PNode | None, used: _InputUses) -> str:
    """The name a prompt's `default` is judged under: VS Code fills it in as the `${input:id}`
    value, so the default of a secret prompt is the secret itself. `password` for a prompt marked
    `"password": true`, else the first credential name it is used under (`"GITHUB_TOKEN":
    "${input:gh}"`) or its own id when that is one; `default` when none says secret."""
    password = item.get("password")
    if password is not None and password.kind is NodeKind.BOOL and password.value is True:
        return "password"
    name = str(ident.value) if ident is not None and ident.is_string else ""
    if name:
        key = used.first_key(name)
        if key is not None:
            return key
        if is_sensitive_name(name):
            return name
    return "default"


class _InputUses:
    """The first credential name each `${input:NAME}` is used under, over the servers' env, header
    and other values in that order: what scanning every value for each input's marker finds, read
    in one pass over the values (per input, that scan made N inputs x N values)."""

    __slots__ = ("_servers", "_uses", "_first")

    def __init__(self, servers: list[ServerEntry]) -> None:
        self._servers = servers
        self._uses: list[tuple[str, str]] | None = None  # (key, text) holding an `${input:`, in order
        self._first: dict[str, str] = {}

    def first_key(self, name: str) -> str | None:
        """The key of the first value under a credential name whose text holds `${input:<name>}`."""
        if self._uses is None:
            self._index()
        assert self._uses is not None
        if "}" in name:  # such a marker does not end at the first `}`: the plain search
            marker = "${input:" + name + "}"
            return next((key for key, text in self._uses if marker in text), None)
        return self._first.get(name)

    def _index(self) -> None:
        uses: list[tuple[str, str]] = []
        for server in self._servers:
            for fv in (*server.env, *server.headers, *server.values):
                if fv.key and "${input:" in fv.text and is_sensitive_name(fv.key):
                    uses.append((fv.key, fv.text))
        first = self._first
        for key, text in uses:
            # A marker of a name without `}` closes at the first `}` after its opening; openings
            # may overlap (`${input:${input:a}`), so every one is read.
            start = text.find("${input:")
            while start != -1:
                close = text.find("}", start + 8)
                if close == -1:
                    break
                first.setdefault(text[start + 8:close], key)
                start = text.find("${input:", start + 1)
        self._uses = uses
