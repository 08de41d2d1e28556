"""Python source (client `python-code`): the MCP API calls and server literals of a `.py` file.

Parsed with the standard library's `ast` (never compiled to code, never run); one walk over the tree.
Each call named in clients/source_code.py's tables becomes a Site, each dict literal an object node
(the server maps and server-shaped literals among them are servers too). Positions are the file's
own, in codepoints (`ast` counts UTF-8 bytes). Values:

- a string literal is itself (implicitly concatenated pieces are one literal);
- `os.environ["X"]`, `os.environ.get("X")`, `os.getenv("X")` (also `environ` / `getenv` imported
  bare) are the reference `${X}`; a non-empty literal default (`os.getenv("X", "…")`) is that literal;
- an f-string is its literal text with each `{…}` as a reference (`{os.environ['X']}` as `${X}`);
- anything else (a variable, a call) is not a value of the file.
"""

from __future__ import annotations

import ast

from scanner.clients import source_code
from scanner.clients.source_code import Site
from scanner.model import Client, FileFormat, McpConfig
from scanner.parsing.node import NodeKind, PNode

_ENV_GETTERS = frozenset({"getenv", "get"})


def code_read(name: str) -> str:
    """How a value the code reads or computes is written in a value's text (RefSyntax.CODE_ENV)."""
    return f'{{os.environ["{name}"]}}'


def build(path: str, text: str) -> McpConfig | None:
    """The servers of a Python file; raises SyntaxError / ValueError / RecursionError when it does
    not parse (the caller searches it line by line)."""
    tree = ast.parse(text, filename=path)
    reader = _Reader(text)
    reader.walk(tree)
    return source_code.build(path, Client.PYTHON_CODE, FileFormat.PYTHON, reader.sites, reader.objects)


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.sites: list[Site] = []
        self.objects: list[PNode] = []
        self._converted: dict[int, PNode | None] = {}

    def walk(self, tree: ast.AST) -> None:
        names: dict[int, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name):
                names[id(node.value)] = node.targets[0].id
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                    and node.value is not None:
                names[id(node.value)] = node.target.id
            elif isinstance(node, ast.Call):
                api = _call_name(node.func)
                if api is not None and (api in source_code.SERVER_CALLS or api in source_code.MAP_CALLS
                                        or api in source_code.CONFIG_CALLS):
                    line, column = self.position(node.lineno, node.col_offset)
                    site = Site(api, line, column, [self.value(arg) for arg in node.args
                                                    if not isinstance(arg, ast.Starred)],
                                name=names.get(id(node)))
                    for keyword in node.keywords:
                        if keyword.arg is None:
                            continue  # `**params`: not a value of the file
                        value = self.value(keyword.value)
                        if value is not None:
                            k_line, k_column = self.position(keyword.lineno, keyword.col_offset)
                            site.keywords.append((source_code.key_node(keyword.arg, k_line, k_column), value))
                    self.sites.append(site)
                    # a keyword named like a server map (`ClaudeAgentOptions(mcp_servers={…})`)
                for keyword in node.keywords:
                    if keyword.arg in source_code.MAP_KEYS and isinstance(keyword.value, ast.Dict):
                        mapping = self.value(keyword.value)
                        if mapping is not None:
                            k_line, k_column = self.position(keyword.lineno, keyword.col_offset)
                            holder = PNode(NodeKind.OBJECT, k_line, k_column, k_line, k_column, entries=[
                                (source_code.key_node(keyword.arg, k_line, k_column), mapping)])
                            self.objects.append(holder)
            elif isinstance(node, ast.Dict):
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
        """The PNode of an argument or dict value, once per node (a dict is met by the walk again)."""
        key = id(node)
        if key not in self._converted:
            self._converted[key] = self._value(node)
        return self._converted[key]

    def _value(self, node: ast.expr) -> PNode | None:
        if isinstance(node, ast.Constant):
            line, column, end_line, end_column = self._span(node)
            if isinstance(node.value, str):
                return PNode(NodeKind.STRING, line, column, end_line, end_column, node.value)
            if isinstance(node.value, bool):
                return PNode(NodeKind.BOOL, line, column, end_line, end_column, node.value, quoted=False)
            if isinstance(node.value, int | float):
                return PNode(NodeKind.NUMBER, line, column, end_line, end_column, node.value, quoted=False)
            return None
        if isinstance(node, ast.Dict):
            line, column, end_line, end_column = self._span(node)
            entries: list[tuple[PNode, PNode]] = []
            for key, item in zip(node.keys, node.values, strict=True):
                if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                    continue  # `**os.environ`, a computed key
                converted = self.value(item)
                if converted is None:
                    continue
                k_line, k_column, k_end_line, k_end_column = self._span(key)
                entries.append((PNode(NodeKind.STRING, k_line, k_column, k_end_line, k_end_column, key.value),
                                converted))
            return PNode(NodeKind.OBJECT, line, column, end_line, end_column, entries=entries)
        if isinstance(node, ast.List | ast.Tuple):
            line, column, end_line, end_column = self._span(node)
            items = [item for item in (self.value(element) for element in node.elts) if item is not None]
            return PNode(NodeKind.ARRAY, line, column, end_line, end_column, items=items)
        if isinstance(node, ast.JoinedStr):
            line, column, end_line, end_column = self._span(node)
            return PNode(NodeKind.STRING, line, column, end_line, end_column, self._fstring(node))
        read = _env_read(node)
        if read is not None:
            name, default = read
            if default is not None and isinstance(default.value, str) and default.value:
                return self.value(default)  # the literal the code falls back to is in the file
            line, column, end_line, end_column = self._span(node)
            return PNode(NodeKind.STRING, line, column, end_line, end_column, code_read(name))
        return None

    def _fstring(self, node: ast.JoinedStr) -> str:
        parts: list[str] = []
        for piece in node.values:
            if isinstance(piece, ast.Constant) and isinstance(piece.value, str):
                parts.append(piece.value)
            elif isinstance(piece, ast.FormattedValue):
                read = _env_read(piece.value)
                parts.append(code_read(read[0] if read is not None else _label(piece.value)))
        return "".join(parts)


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _label(node: ast.expr) -> str:
    """A name for an interpolated expression (`{token}` -> `token`): a reference, never a value."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return "VALUE"


def _is_environ(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "environ" or \
        isinstance(node, ast.Attribute) and node.attr == "environ"


def _env_read(node: ast.expr) -> tuple[str, ast.Constant | None] | None:
    """(variable name, literal default) of `os.environ["X"]`, `os.environ.get("X"[, d])`,
    `os.getenv("X"[, d])`, or None."""
    if isinstance(node, ast.Subscript) and _is_environ(node.value):
        index = node.slice
        if isinstance(index, ast.Constant) and isinstance(index.value, str):
            return index.value, None
        return None
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func = node.func
    getter = (isinstance(func, ast.Name) and func.id == "getenv"
              or isinstance(func, ast.Attribute) and func.attr in _ENV_GETTERS
              and (func.attr == "getenv" or _is_environ(func.value)))
    first = node.args[0]
    if not getter or not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return None
    default = node.args[1] if len(node.args) > 1 else next(
        (k.value for k in node.keywords if k.arg == "default"), None)
    return first.value, default if isinstance(default, ast.Constant) else None
