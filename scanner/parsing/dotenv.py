"""dotenv (`.env`) -> PNode: an OBJECT of NAME -> STRING, each value positioned on its token.

Follows the common python-dotenv / docker compose dialect: `NAME=value`, `export NAME=value`,
single quotes literal, double quotes with backslash escapes and line breaks, ` #` comments after
unquoted values. Lines that are not assignments are skipped, as those tools do.
"""

from __future__ import annotations

import re

from scanner.parsing.node import NodeKind, PNode
from scanner.parsing.positions import LineIndex

_ASSIGN = re.compile(r"[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\[\s\S])*)"')
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
    index = LineIndex(text)
    end_line, end_column = index.position(len(text))
    root = PNode(NodeKind.OBJECT, 1, 1, end_line, end_column)
    pos = 0
    while pos < len(text):
        assign = _ASSIGN.match(text, pos)
        line_end = text.find("\n", pos)
        if assign is not None:
            name_start, name_end = assign.span(1)
            key = _string(index, name_start, name_end, assign.group(1), quoted=False)
            start = assign.end()
            quoted = _DOUBLE.match(text, start) or _SINGLE.match(text, start)
            if quoted is not None:
                raw = quoted.group(1)
                value = _ESCAPE.sub(_unescape, raw) if text[start] == '"' else raw
                node = _string(index, start, quoted.end(), value, quoted=True)
                line_end = text.find("\n", quoted.end())
            else:
                rest = _UNQUOTED.match(text, start).group()  # type: ignore[union-attr]  # `*`
                value = _INLINE_COMMENT.sub("", rest.rstrip("\r")).rstrip()
                node = _string(index, start, start + len(value), value, quoted=False)
            root.entries.append((key, node))
        pos = len(text) if line_end == -1 else line_end + 1
    return root


def _unescape(match: re.Match[str]) -> str:
    char = match.group(1)
    return _ESCAPES.get(char, match.group())


def _string(index: LineIndex, start: int, end: int, value: str, quoted: bool) -> PNode:
    line, column = index.position(start)
    end_line, end_column = index.position(end)
    return PNode(NodeKind.STRING, line, column, end_line, end_column, value, quoted=quoted)
