"""dotenv (`.env`) -> PNode: an OBJECT of NAME -> STRING, each value positioned on its token.

Follows the common python-dotenv / docker compose dialect: `NAME=value`, `export NAME=value`,
single quotes literal, double quotes with backslash escapes and line breaks, ` #` comments after
unquoted values. Lines that are not assignments are skipped, as those tools do.
"""

from __future__ import annotations

import re

from scanner.parsing.node import NodeKind, PNode

_ASSIGN = re.compile(r"[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*")
_DOUBLE = re.compile(r'"([^"\\]*(?:\\[\s\S][^"\\]*)*)"')
_SINGLE = re.compile(r"'([^']*)'")
_UNQUOTED = re.compile(r"[^\n]*")
_INLINE_COMMENT = re.compile(r"[ \t]+#.*$")
# The escapes python-dotenv decodes in double quotes; any other backslash stays as written.
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    '"': '"',
    "'": "'",
    "\\": "\\",
}
_ESCAPE = re.compile(r"\\(.)", re.S)


def parse_dotenv(text: str) -> PNode:
    """Parse a dotenv file; duplicate names are all kept (PNode.get returns the last)."""
    size = len(text)
    last_break = text.rfind("\n")
    root = PNode(NodeKind.OBJECT, 1, 1, text.count("\n") + 1, size - last_break)
    string = NodeKind.STRING
    # One pass, line by line: `pos` is the start of line `line`, so a column is an offset minus
    # `pos`; only a quoted value can span lines, and its own line breaks are counted.
    pos = 0
    line = 1
    while pos < size:
        assign = _ASSIGN.match(text, pos)
        if assign is None:
            line_end = text.find("\n", pos)
            lines = 1
        else:
            name_start, name_end = assign.span(1)
            key = PNode(string, line, name_start - pos + 1, line, name_end - pos + 1, assign.group(1),
                        quoted=False)
            start = assign.end()
            quoted = _SINGLE.match(text, start) if text.startswith("'", start) else _DOUBLE.match(text, start)
            if quoted is not None:
                raw = quoted.group(1)
                value = _ESCAPE.sub(_unescape, raw) if text[start] == '"' else raw
                end = quoted.end()
                breaks = text.count("\n", start, end)
                if breaks:
                    end_line, end_column = line + breaks, end - text.rfind("\n", start, end)
                else:
                    end_line, end_column = line, end - pos + 1
                node = PNode(string, line, start - pos + 1, end_line, end_column, value, quoted=True)
                line_end = text.find("\n", end)
                lines = breaks + 1
            else:
                rest = _UNQUOTED.match(text, start).group()  # type: ignore[union-attr]  # `*`
                value = _INLINE_COMMENT.sub("", rest.rstrip("\r")).rstrip()
                column = start - pos + 1
                node = PNode(string, line, column, line, column + len(value), value, quoted=False)
                line_end = start + len(rest) if start + len(rest) < size else -1
                lines = 1
            root.entries.append((key, node))
        pos = size if line_end == -1 else line_end + 1
        line += lines
    return root


def _unescape(match: re.Match[str]) -> str:
    char = match.group(1)
    return _ESCAPES.get(char, match.group())
