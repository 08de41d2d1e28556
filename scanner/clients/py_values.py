"""What a Python expression evaluates to without running it: the helpers of clients/source_py.py
(environment reads, format strings, the statements that fill a dict bound to a name, the names an
unpacking or a class body binds)."""

from __future__ import annotations

import ast
import re
import string

from scanner.parsing.node import PNode

_ENV_GETTERS = frozenset({"getenv", "get"})
_PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([a-zA-Z%])")


def code_read(name: str) -> str:
    """How a value the code reads or computes is written in a value's text (RefSyntax.CODE_ENV)."""
    return f'{{os.environ["{name}"]}}'


def filling(node: ast.AST, filled: dict[str, list[tuple[ast.expr | str, ast.expr]]]) -> None:
    """Record the entries a statement adds to a dict bound to a name: `env["K"] = v`,
    `env.update({"K": v})` / `env.update(K=v)`."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript):
        target = node.targets[0]
        if isinstance(target.value, ast.Name):
            filled.setdefault(target.value.id, []).append((target.slice, node.value))
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update" \
            and isinstance(node.func.value, ast.Name):
        added = filled.setdefault(node.func.value.id, [])
        for arg in node.args:
            if isinstance(arg, ast.Dict):
                added.extend((k, v) for k, v in zip(arg.keys, arg.values, strict=True) if k is not None)
        added.extend((k.arg, k.value) for k in node.keywords if k.arg is not None)


def formatted(template: str, args: list[ast.expr], keywords: dict[str, ast.expr]) -> list[ast.expr | str]:
    """The pieces of `template.format(*args, **keywords)`: literal text and the argument of each field."""
    pieces: list[ast.expr | str] = []
    auto = 0
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return [template]
    for text, field, _spec, _conversion in fields:
        pieces.append(text)
        if field is None:
            continue
        head = re.split(r"[.\[]", field, maxsplit=1)[0]
        if head == "":
            head, auto = str(auto), auto + 1
        chosen = args[int(head)] if head.isdigit() and int(head) < len(args) else keywords.get(head)
        pieces.append(chosen if chosen is not None else code_read(head or "VALUE"))
    return pieces


def percent(template: str, items: list[ast.expr], named: dict[str, ast.expr]) -> list[ast.expr | str]:
    """The pieces of `template % items` (or `% {"name": …}`): literal text and each field's value."""
    pieces: list[ast.expr | str] = []
    at = index = 0
    for match in _PERCENT.finditer(template):
        pieces.append(template[at:match.start()])
        at = match.end()
        if match.group(2) == "%":
            pieces.append("%")
            continue
        name = match.group(1)
        chosen = named.get(name) if name else (items[index] if index < len(items) else None)
        index += 0 if name else 1
        pieces.append(chosen if chosen is not None else code_read(name or "VALUE"))
    pieces.append(template[at:])
    return pieces


def is_read(node: PNode) -> bool:
    """Whether a string node is only a read of the environment (`{os.environ["X"]}`)."""
    text = str(node.value)
    return text.startswith('{os.environ["') and text.endswith('"]}') and text.count("{") == 1


def call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def label(node: ast.expr) -> str:
    """A name for an interpolated expression (`{token}` -> `token`): a reference, never a value."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return "VALUE"


def is_environ(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "environ" or \
        isinstance(node, ast.Attribute) and node.attr == "environ"


def env_read(node: ast.expr) -> tuple[str, ast.Constant | None] | None:
    """(variable name, literal default) of `os.environ["X"]`, `os.environ.get("X"[, d])`,
    `os.getenv("X"[, d])`, or None."""
    if isinstance(node, ast.Subscript) and is_environ(node.value):
        index = node.slice
        if isinstance(index, ast.Constant) and isinstance(index.value, str):
            return index.value, None
        return None
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func = node.func
    getter = (isinstance(func, ast.Name) and func.id == "getenv"
              or isinstance(func, ast.Attribute) and func.attr in _ENV_GETTERS
              and (func.attr == "getenv" or is_environ(func.value)))
    first = node.args[0]
    if not getter or not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return None
    default = node.args[1] if len(node.args) > 1 else next(
        (k.value for k in node.keywords if k.arg == "default"), None)
    return first.value, default if isinstance(default, ast.Constant) else None


def unpacked(target: ast.expr, value: ast.expr | None) -> list[tuple[str, ast.expr | None]]:
    """The names `target` binds and the value each gets: `A = v`; `A, B = "…", "…"` element-wise
    (a starred or uneven unpacking binds its names to no known value)."""
    if isinstance(target, ast.Name):
        return [(target.id, value)]
    if not isinstance(target, ast.Tuple | ast.List):
        return []
    values: list[ast.expr | None] = [None] * len(target.elts)
    if isinstance(value, ast.Tuple | ast.List) and len(value.elts) == len(target.elts) \
            and not any(isinstance(e, ast.Starred) for e in (*target.elts, *value.elts)):
        values = list(value.elts)
    return [pair for element, item in zip(target.elts, values, strict=True)
            for pair in unpacked(element.value if isinstance(element, ast.Starred) else element,
                                  None if isinstance(element, ast.Starred) else item)]


def class_attributes(node: ast.ClassDef) -> list[tuple[str, ast.expr | None]]:
    """`Class.NAME` and its value for each attribute the class body assigns (`KEY = "…"`)."""
    out: list[tuple[str, ast.expr | None]] = []
    for statement in node.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            out.extend((f"{node.name}.{target.id}", statement.value if len(targets) == 1 else None)
                       for target in targets if isinstance(target, ast.Name))
    return out
