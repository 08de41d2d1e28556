"""Docker compose fixes: a service's `environment:` value becomes `${NAME}`, which compose
substitutes from the shell it runs in or the untracked `.env` beside the file (docs.docker.com
compose "Interpolation"; the `- NAME` / `NAME:` forms pass the shell's value through as well).

Line-based, like the Goose fix: only an entry on one line directly under a block `environment:` key
(map `NAME: value` or list `- NAME=value`) is rewritten; an MCP Toolkit catalog's `env:` (the store
is `docker mcp secret set`) and other layouts get the row's advice instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from scanner.findings import Fix, TextEdit
from scanner.parsing.positions import indent_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from scanner.engines.engine import SecretMatch

_ENVIRONMENT = re.compile(r"^\s*environment\s*:\s*(?:#.*)?$")


def _parent(lines: list[str], row: int) -> str | None:
    """The key line an entry at `row` belongs to (a list item may sit at its key's indentation)."""
    indent = indent_of(lines[row])
    item = lines[row].lstrip(" ").startswith("- ")
    for i in range(row - 1, -1, -1):
        text = lines[i]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        other = indent_of(text)
        if other < indent or (item and other == indent and not text.lstrip(" ").startswith("- ")):
            return text
        if other == indent:
            continue
        return None
    return None


def compose_fix(match: SecretMatch, source: str, name: str, encode: Callable[[str, str], str | None],
                credential: tuple[int, int]) -> Fix | None:
    """`${NAME}` in place of the credential of a compose service's `environment` entry, or None."""
    fv = match.fv
    if fv is None or not fv.field.startswith("env.") or fv.end_line != fv.location.line:
        return None
    lines = source.split("\n")
    row = fv.location.line - 1
    if row >= len(lines):
        return None
    parent = _parent(lines, row)
    if parent is None or not _ENVIRONMENT.match(parent):
        return None
    line = lines[row]
    start, end = fv.location.column - 1, fv.end_column - 1
    token = line[start:end]
    reference = f"${{{name}}}"
    replaced = fv.text[:credential[0]] + reference + fv.text[credential[1]:]
    if token[:1] in ("'", '"'):
        encoded = encode(replaced, token)
    elif start > 0 and line[start - 1] == "=":  # `- NAME=value`: the value is part of one scalar
        encoded = replaced if token == fv.text else None
    else:
        encoded = encode(replaced, token)
    if encoded is None:
        return None
    loc = fv.location
    edit = TextEdit(loc.path, loc.line, loc.column, fv.end_line, fv.end_column, encoded)
    return Fix(f"replace the value with {reference} (compose substitutes it from the shell or .env)", (edit,))
