"""Python source (client `python-code`): the MCP API calls and server literals of a `.py` file.

Parsed with the standard library's `ast` (never compiled to code, never run); one walk over the tree.
Each call named in clients/source_code.py's tables becomes a Site, each dict literal an object node
(the server maps and server-shaped literals among them are servers too). Positions are the file's
own, in codepoints (`ast` counts UTF-8 bytes). Values:

- a string literal is itself (implicitly concatenated pieces are one literal);
- `os.environ["X"]`, `os.environ.get("X")`, `os.getenv("X")` (also `environ` / `getenv` imported
  bare) are the reference `${X}`; a non-empty literal default (`os.getenv("X", "…")`) is that literal;
- an f-string is its literal text with each `{…}` as a reference (`{os.environ['X']}` as `${X}`),
  or as the literal it holds (`{"…"}`, a module constant);
- what an expression can evaluate to without running anything: `"a" + "b"` and `"".join(["a", "b"])`
  (joined, a non-literal piece a reference), each operand of `or` / `and` and each branch of
  `x if c else y` (one entry per literal), `str(x)` / `x.strip()` / `b"…".decode()` (the literal),
  `dict(K="…")` (an object), and a name assigned once in the file to such a value (`TOKEN = "…"`);
- an API imported or assigned under another name (`from mcp import StdioServerParameters as P`) is
  that API;
- anything else (a parameter, a call) is not a value of the file.
"""

from __future__ import annotations

import ast
import sys

from scanner.clients import source_code
from scanner.clients.py_values import (
    call_name,
    class_attributes,
    code_read,
    env_read,
    filling,
    formatted,
    is_environ,
    is_read,
    label,
    percent,
    unpacked,
)
from scanner.clients.source_code import Site
from scanner.model import Client, FileFormat, McpConfig
from scanner.parsing.node import NodeKind, PNode

_API_NAMES = frozenset({*source_code.SERVER_CALLS, *source_code.MAP_CALLS, *source_code.CONFIG_CALLS})
# Methods that return their string receiver (or its bytes) with at most blanks trimmed: the value stays.
_KEEPS_VALUE = frozenset({"strip", "lstrip", "rstrip", "encode", "decode"})
_STDLIB = frozenset(sys.stdlib_module_names)
_MAX_NAME_DEPTH = 8  # names resolved through names (`A = B`, `B = "…"`) at most this deep


def build(path: str, text: str, imported: bool = False) -> McpConfig | None:
    """The servers of a Python file and the local modules its MCP API calls read names from
    (`imported`: a module such a file imports, whose top-level literals are values of the file too);
    raises SyntaxError / ValueError / RecursionError when it does not parse (the caller searches it
    line by line)."""
    tree = ast.parse(text, filename=path)
    reader = _Reader(text)
    reader.walk(tree)
    module_values = None
    if imported and isinstance(tree, ast.Module):
        module_values = [(target.id, value) for statement in tree.body
                         if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None
                         for target in (statement.targets if isinstance(statement, ast.Assign)
                                        else [statement.target]) if isinstance(target, ast.Name)
                         for value in reader.values(statement.value) if value.is_string or value.is_object]
    if isinstance(tree, ast.Module):  # `os.environ["K"] = "…"`: the servers it starts inherit it
        written = _environment_writes(tree, reader)
        module_values = [*(module_values or ()), *written] if written else module_values
    imports = tuple(rel for name in reader.used_names() if name in reader.modules
                    and (reader.modules[name][1] or reader.modules[name][0].split(".")[0] not in _STDLIB)
                    for rel in source_code.module_paths(path, *reader.modules[name]) if rel != path)
    return source_code.build(path, Client.PYTHON_CODE, FileFormat.PYTHON, reader.sites, reader.objects,
                             tuple(dict.fromkeys(imports)), module_values)


def _environment_writes(tree: ast.Module, reader: _Reader) -> list[tuple[str, PNode]]:
    """(name, value) of each literal the file writes into its own environment: `os.environ["K"] = v`,
    `os.environ.setdefault("K", v)`, `os.environ.update({"K": v})` / `update(K=v)`, `os.putenv("K",
    v)`. A file that starts MCP servers hands its environment to them (the SDKs' `env=os.environ`, a
    child process's inherited environment), so such a value is a server's as much as its `env`."""
    out: list[tuple[str, PNode]] = []

    def add(name: ast.expr | str | None, value: ast.expr) -> None:
        key = name if isinstance(name, str) else name.value if isinstance(name, ast.Constant) else None
        if isinstance(key, str) and key:
            out.extend((key, node) for node in reader.values(value) if node.is_string)

    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and is_environ(target.value):
                    add(target.slice, node.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, args = node.func.attr, node.args
            if method == "setdefault" and is_environ(node.func.value) and len(args) == 2:
                add(args[0], args[1])
            elif method == "putenv" and len(args) == 2:
                add(args[0], args[1])
            elif method == "update" and is_environ(node.func.value):
                for keyword in node.keywords:
                    if keyword.arg is not None:
                        add(keyword.arg, keyword.value)
                mapping = args[0] if args else None
                if isinstance(mapping, ast.Dict):
                    for key, value in zip(mapping.keys, mapping.values, strict=True):
                        if key is not None:
                            add(key, value)
    return out


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.sites: list[Site] = []
        self.objects: list[PNode] = []
        self._converted: dict[int, list[PNode]] = {}
        self.aliases: dict[str, str] = {}  # a local name of an MCP API -> the API
        self.constants: dict[str, ast.expr] = {}  # a name assigned once in the file -> its value
        self._resolving: list[str] = []
        self.modules: dict[str, tuple[str, int]] = {}  # a name imported from a module -> (module, level)
        self._fed: list[ast.expr] = []  # the argument expressions of the MCP API calls
        self._filled: dict[int, list[tuple[ast.expr | str, ast.expr]]] = {}  # dict id -> later entries

    def _bindings(self, tree: ast.AST) -> None:
        """The file's aliases of MCP APIs and its names assigned exactly once."""
        assigned: dict[str, list[ast.expr | None]] = {}
        filled: dict[str, list[tuple[ast.expr | str, ast.expr]]] = {}
        for node in ast.walk(tree):
            filling(node, filled)
            if isinstance(node, ast.ImportFrom | ast.Import):
                for alias in node.names:
                    api = alias.name.rsplit(".", 1)[-1]
                    if alias.asname and api in _API_NAMES:
                        self.aliases[alias.asname] = api
                    local = alias.asname or alias.name.split(".")[0]
                    self.modules[local] = ((node.module or "", node.level) if isinstance(node, ast.ImportFrom)
                                           else (alias.name if alias.asname else local, 0))
            elif isinstance(node, ast.arguments):  # `def make(env={…})`: a default binds the name too
                bound = [*node.posonlyargs, *node.args]
                pairs = [*zip(bound[len(bound) - len(node.defaults):], node.defaults, strict=True),
                         *((a, d) for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=True) if d)]
                defaults = {id(arg): default for arg, default in pairs}
                for arg in (*bound, *node.kwonlyargs):
                    assigned.setdefault(arg.arg, []).append(defaults.get(id(arg)))
                for star in (node.vararg, node.kwarg):
                    if star is not None:
                        assigned.setdefault(star.arg, []).append(None)
            elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    plain = not isinstance(node, ast.AugAssign) and len(targets) == 1
                    for bound_name, value in unpacked(target, node.value if plain else None):
                        assigned.setdefault(bound_name, []).append(value)
            elif isinstance(node, ast.ClassDef):  # `class Settings: KEY = "…"`, read as `Settings.KEY`
                for bound_name, value in class_attributes(node):
                    assigned.setdefault(bound_name, []).append(value)
        for name, values in assigned.items():
            value = values[0]
            if len(values) == 1 and isinstance(value, ast.Dict) and name in filled:
                self._filled[id(value)] = filled[name]  # `env = {}` then `env["K"] = …`, `env.update(…)`
            if len(values) != 1 or value is None:
                continue
            named = call_name(value) if isinstance(value, ast.Name | ast.Attribute) else None
            if named is not None and named in _API_NAMES:
                self.aliases[name] = named  # `Params = StdioServerParameters`, `= mcp.MCPClient`
            else:
                self.constants[name] = value

    def used_names(self) -> list[str]:
        """The names the MCP API calls' arguments read, through the names bound once they read."""
        found: list[str] = []
        stack = list(self._fed)
        while stack and len(found) < 256:
            for node in ast.walk(stack.pop()):
                if isinstance(node, ast.Name) and node.id not in found:
                    found.append(node.id)
                    if node.id in self.constants:
                        stack.append(self.constants[node.id])
        return found

    def api_name(self, func: ast.expr) -> str | None:
        name = call_name(func)
        return self.aliases.get(name, name) if isinstance(func, ast.Name) and name is not None else name

    def walk(self, tree: ast.AST) -> None:
        self._bindings(tree)
        names: dict[int, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name):
                names[id(node.value)] = node.targets[0].id
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                    and node.value is not None:
                names[id(node.value)] = node.target.id
            elif isinstance(node, ast.Call):
                api = self.api_name(node.func)
                if api is not None and (api in source_code.SERVER_CALLS or api in source_code.MAP_CALLS
                                        or api in source_code.CONFIG_CALLS):
                    line, column = self.position(node.lineno, node.col_offset)
                    site = Site(api, line, column, [self.value(arg) for arg in node.args
                                                    if not isinstance(arg, ast.Starred)],
                                name=names.get(id(node)))
                    for keyword in node.keywords:
                        if keyword.arg is None:  # `**params`: its entries when it is an object of the file
                            spread = self.value(keyword.value)
                            if spread is not None and spread.is_object:
                                site.keywords.extend(spread.entries)
                                site.spreads.append(spread)
                            continue
                        k_line, k_column = self.position(keyword.lineno, keyword.col_offset)
                        for value in self.values(keyword.value):
                            site.keywords.append((source_code.key_node(keyword.arg, k_line, k_column), value))
                    self.sites.append(site)
                    self._fed.extend([*node.args, *(keyword.value for keyword in node.keywords)])
                    # a keyword named like a server map (`ClaudeAgentOptions(mcp_servers={…})`)
                for keyword in node.keywords:
                    if keyword.arg in source_code.MAP_KEYS:
                        self._fed.append(keyword.value)
                    if keyword.arg in source_code.MAP_KEYS and isinstance(keyword.value, ast.Dict):
                        mapping = self.value(keyword.value)
                        if mapping is not None:
                            k_line, k_column = self.position(keyword.lineno, keyword.col_offset)
                            holder = PNode(NodeKind.OBJECT, k_line, k_column, k_line, k_column, entries=[
                                (source_code.key_node(keyword.arg, k_line, k_column), mapping)])
                            self.objects.append(holder)
            if isinstance(node, ast.Dict) or isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id == "dict":
                converted = self.value(node)
                if converted is not None:
                    self.objects.append(converted)

    def position(self, lineno: int, col_offset: int) -> tuple[int, int]:
        """(line, 1-based codepoint column) of an `ast` position (a UTF-8 byte offset)."""
        if 1 <= lineno <= len(self.lines):
            line = self.lines[lineno - 1]
            if not line.isascii():
                col_offset = len(line.encode("utf-8")[:col_offset].decode("utf-8", "replace"))
        return lineno, col_offset + 1

    def _span(self, node: ast.expr) -> tuple[int, int, int, int]:
        line, column = self.position(node.lineno, node.col_offset)
        end_line, end_column = self.position(node.end_lineno or node.lineno,
                                             node.end_col_offset if node.end_col_offset is not None else 0)
        return line, column, end_line, end_column

    def value(self, node: ast.expr) -> PNode | None:
        """The one PNode of an argument: its first literal string value, else its first value."""
        found = self.values(node)
        return next((v for v in found if v.is_string and not is_read(v)), found[0] if found else None)

    def values(self, node: ast.expr) -> list[PNode]:
        """Every value `node` can evaluate to (several for `a or b`, `a if c else b`), once per node
        (a dict is met by the walk again)."""
        key = id(node)
        if key not in self._converted:
            self._converted[key] = []  # a name met again while it is resolved yields nothing
            self._converted[key] = self._values(node)
        return self._converted[key]

    def _values(self, node: ast.expr) -> list[PNode]:
        if isinstance(node, ast.NamedExpr):  # `(key := "…")` is its value
            return self.values(node.value)
        if isinstance(node, ast.BoolOp):
            return [v for operand in node.values for v in self.values(operand)]
        if isinstance(node, ast.IfExp):
            return [*self.values(node.body), *self.values(node.orelse)]
        single = self._value(node)
        return [] if single is None else [single]

    def _value(self, node: ast.expr) -> PNode | None:
        if isinstance(node, ast.Constant):
            line, column, end_line, end_column = self._span(node)
            if isinstance(node.value, str | bytes):
                text = node.value if isinstance(node.value, str) else node.value.decode("latin-1")
                return PNode(NodeKind.STRING, line, column, end_line, end_column, text)
            if isinstance(node.value, bool):
                return PNode(NodeKind.BOOL, line, column, end_line, end_column, node.value, quoted=False)
            if isinstance(node.value, int | float):
                return PNode(NodeKind.NUMBER, line, column, end_line, end_column, node.value, quoted=False)
            return None
        if isinstance(node, ast.Dict):
            line, column, end_line, end_column = self._span(node)
            entries: list[tuple[PNode, PNode]] = []
            for key, item in [*zip(node.keys, node.values, strict=True), *self._filled.get(id(node), ())]:
                if isinstance(key, str):  # `env.update(K=…)`: a keyword's name
                    k_line, k_column = self.position(item.lineno, item.col_offset)
                    key_at = source_code.key_node(key, k_line, k_column)
                    entries.extend((key_at, v) for v in self.values(item))
                    continue
                if key is None:  # `**os.environ`: nothing; `**{…}` (an object of the file): its entries
                    spread = self.value(item)
                    if spread is not None and spread.is_object:
                        entries.extend(spread.entries)
                    continue
                folded = self.value(key)  # `f"API_KEY"`, `"API_" + "KEY"`, a constant; else its name
                name = str(folded.value) if folded is not None and folded.is_string else label(key)
                k_line, k_column, k_end_line, k_end_column = self._span(key)
                for converted in self.values(item):
                    entries.append((PNode(NodeKind.STRING, k_line, k_column, k_end_line, k_end_column, name),
                                    converted))
            return PNode(NodeKind.OBJECT, line, column, end_line, end_column, entries=entries)
        if isinstance(node, ast.List | ast.Tuple):
            line, column, end_line, end_column = self._span(node)
            items = [item for item in (self.value(element) for element in node.elts) if item is not None]
            return PNode(NodeKind.ARRAY, line, column, end_line, end_column, items=items)
        if isinstance(node, ast.JoinedStr):
            line, column, end_line, end_column = self._span(node)
            return PNode(NodeKind.STRING, line, column, end_line, end_column, self._fstring(node))
        read = env_read(node)
        if read is not None:
            name, default = read
            if default is not None and isinstance(default.value, str) and default.value:
                return self.value(default)  # the literal the code falls back to is in the file
            line, column, end_line, end_column = self._span(node)
            return PNode(NodeKind.STRING, line, column, end_line, end_column, code_read(name))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._joined(node, [node.left, node.right])
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):  # `"Bearer %s" % token`
            template = self.value(node.left)
            if template is not None and template.is_string:
                right = node.right
                operands = list(right.elts) if isinstance(right, ast.Tuple) else [right]
                named = {k.value: v for k, v in zip(right.keys, right.values, strict=True)
                         if isinstance(k, ast.Constant) and isinstance(k.value, str)} \
                    if isinstance(right, ast.Dict) else {}
                return self._joined(node, percent(str(template.value), operands, named))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):  # `os.environ | {…}`
            sides = [side for side in (self.value(node.left), self.value(node.right))
                     if side is not None and side.is_object]
            if sides:
                line, column, end_line, end_column = self._span(node)
                return PNode(NodeKind.OBJECT, line, column, end_line, end_column,
                             entries=[entry for side in sides for entry in side.entries])
        bound = node.id if isinstance(node, ast.Name) else (
            f"{node.value.id}.{node.attr}"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) else None)
        if bound is not None and bound in self.constants and len(self._resolving) < _MAX_NAME_DEPTH:
            self._resolving.append(bound)
            try:
                return self.value(self.constants[bound])
            finally:
                self._resolving.pop()
        if isinstance(node, ast.Call):
            return self._call_value(node)
        return None

    def _call_value(self, node: ast.Call) -> PNode | None:
        """`dict(K=…)`, `str(x)`, `x.strip()` / `.decode()`, `"".join([…])`: what they evaluate to."""
        func = node.func
        if isinstance(func, ast.Name) and func.id == "dict" and len(node.args) <= 1:
            line, column, end_line, end_column = self._span(node)
            first = self.value(node.args[0]) if node.args else None
            entries = list(first.entries) if first is not None and first.is_object else []
            if first is not None and first.is_array:  # `dict([("K", "…"), …])`: its key-value pairs
                entries = [(pair.items[0], pair.items[1]) for pair in first.items
                           if pair.is_array and len(pair.items) == 2 and pair.items[0].is_string]
            for keyword in node.keywords:
                if keyword.arg is not None:
                    k_line, k_column = self.position(keyword.lineno, keyword.col_offset)
                    entries.extend((source_code.key_node(keyword.arg, k_line, k_column), value)
                                   for value in self.values(keyword.value))
            return PNode(NodeKind.OBJECT, line, column, end_line, end_column, entries=entries)
        if isinstance(func, ast.Name) and func.id == "str" and len(node.args) == 1:
            return self.value(node.args[0])
        if not isinstance(func, ast.Attribute):
            return None
        if func.attr in _KEEPS_VALUE:
            return self.value(func.value)
        joiner = self.value(func.value)
        if func.attr == "format" and joiner is not None and joiner.is_string:
            return self._joined(node, formatted(str(joiner.value), node.args, {
                k.arg: k.value for k in node.keywords if k.arg is not None}))
        if func.attr == "join" and len(node.args) == 1 and isinstance(node.args[0], ast.List | ast.Tuple) \
                and joiner is not None and joiner.is_string:
            pieces: list[ast.expr | str] = []
            for index, element in enumerate(node.args[0].elts):
                pieces.extend([func.value, element] if index else [element])
            return self._joined(node, pieces)
        return None

    def _joined(self, node: ast.expr, pieces: list[ast.expr | str]) -> PNode | None:
        """The text of `pieces` joined (a piece with no literal is its reference; a str piece is
        text of the format it came from), positioned on `node`; None when no piece is a string."""
        texts: list[str] = []
        literal = False
        for piece in pieces:
            if isinstance(piece, str):
                texts.append(piece)
                continue
            value = self.value(piece)
            if value is not None and value.is_string:
                texts.append(str(value.value))
                literal = True
            elif value is not None and value.kind is not NodeKind.OBJECT and value.kind is not NodeKind.ARRAY:
                texts.append(value.scalar_text() or "")
            else:
                texts.append(code_read(label(piece)))
        if not literal:
            return None
        line, column, end_line, end_column = self._span(node)
        return PNode(NodeKind.STRING, line, column, end_line, end_column, "".join(texts))

    def _fstring(self, node: ast.JoinedStr) -> str:
        parts: list[str] = []
        for piece in node.values:
            if isinstance(piece, ast.Constant) and isinstance(piece.value, str):
                parts.append(piece.value)
            elif isinstance(piece, ast.FormattedValue):
                read = env_read(piece.value)
                inner = None if read is not None else self.value(piece.value)
                if inner is not None and inner.is_string:
                    parts.append(str(inner.value))  # `{"…"}`, a constant: its literal is in the file
                else:
                    parts.append(code_read(read[0] if read is not None else label(piece.value)))
        return "".join(parts)
