"""Java `.properties` (Spring Boot `application.properties`) -> PNode: the dotted keys as a nested
OBJECT tree (`a.b[0]=x` -> {a: {b: [x]}}, as Spring's relaxed binding reads them), each value a
STRING positioned on its text.

The grammar of java.util.Properties.load: a natural line ends at `\\n`, `\\r\\n` or a lone `\\r`;
a logical line may continue over lines ending in an odd number of backslashes (the next line's
leading blanks dropped); `#` / `!` start a comment line; the key ends at the first unescaped `=`,
`:` or blank (blanks around the separator dropped); `\\t \\n \\r \\f` and `\\uXXXX` are escapes,
any other `\\x` is `x`. Spring's YAML-style `---` / `#---` document
separators are comment lines here (the documents' keys join one tree; later keys win in `get`).
"""

from __future__ import annotations

import re

from scanner.parsing.node import ARRAY, NULL, OBJECT, STRING, PNode

_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|(.))", re.S)
_CHARS = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}
_INDEX = re.compile(r"^(.*?)\[(\d{1,6})\]$")
_MAX_DEPTH = 64


def parse_properties(text: str) -> PNode:
    """Parse a properties file into a nested tree; a key that is both a value and a prefix keeps
    the value under its own name next to the deeper keys (`a=x`, `a.b=y`: {a: x, a.b: y})."""
    lines = text.split("\n")
    root = PNode(OBJECT, 1, 1, len(lines), len(lines[-1]) + 1)
    natural = _natural_lines(lines)
    latest: _Latest = {}
    index = 0
    while index < len(natural):
        number, column, body = natural[index]
        start = len(body) - len(body.lstrip(" \t\f"))
        if start == len(body) or body[start] in "#!":
            index += 1
            continue
        # the logical line: (line number, column offset, text) of each natural line's piece
        pieces = [(number, column + start, body[start:])]
        while _continues(pieces[-1][2]) and index + 1 < len(natural):
            pieces[-1] = (pieces[-1][0], pieces[-1][1], pieces[-1][2][:-1])
            index += 1
            number, column, nxt = natural[index]
            lead = len(nxt) - len(nxt.lstrip(" \t\f"))
            pieces.append((number, column + lead, nxt[lead:]))
        if _continues(pieces[-1][2]):
            pieces[-1] = (pieces[-1][0], pieces[-1][1], pieces[-1][2][:-1])
        index += 1
        _entry(root, pieces, latest)
    return root


def _natural_lines(lines: list[str]) -> list[tuple[int, int, str]]:
    """(line number, column offset, text) of each natural line: java.util.Properties.load ends one at
    `\n`, `\r\n` or a lone `\r` (a file with old Mac line ends is one `\n` line of many entries);
    positions count `\n` lines only, as every parser's do (parsing/positions.py)."""
    natural: list[tuple[int, int, str]] = []
    for number, line in enumerate(lines, 1):
        body = line[:-1] if line.endswith("\r") else line
        if "\r" not in body:
            natural.append((number, 0, body))
            continue
        column = 0
        for part in body.split("\r"):
            natural.append((number, column, part))
            column += len(part) + 1
    return natural


def _continues(text: str) -> bool:
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def _entry(root: PNode, pieces: list[tuple[int, int, str]], latest: _Latest) -> None:
    line, offset, text = pieces[0]
    at = 0
    while at < len(text) and text[at] not in "=: \t\f":
        at += 2 if text[at] == "\\" else 1
    at = min(at, len(text))
    raw_key = text[:at]
    rest = at
    while rest < len(text) and text[rest] in " \t\f":
        rest += 1
    if rest < len(text) and text[rest] in "=:":
        rest += 1
        while rest < len(text) and text[rest] in " \t\f":
            rest += 1
    key = _unescape(raw_key)
    if not key:
        return
    key_node = PNode(STRING, line, offset + 1, line, offset + at + 1, key, quoted=False)
    value_text = text[rest:] + "".join(piece for _line, _off, piece in pieces[1:])
    end_line, end_offset, last = pieces[-1]
    end_column = (offset + len(text) if len(pieces) == 1 else end_offset + len(last)) + 1
    value = PNode(STRING, line, offset + rest + 1, end_line, end_column, _unescape(value_text),
                  quoted=False)
    _place(root, key, key_node, value, latest)


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(_decoded, text)


def _decoded(match: re.Match[str]) -> str:
    if match.group(1):
        return chr(int(match.group(1), 16))
    return _CHARS.get(match.group(2), match.group(2))


# Each object node's latest value per key (what `PNode.get` returns), kept as entries are added: a
# lookup per key part instead of a scan of the node's entries (N x N for a file of N keys).
_Latest = dict[int, dict[str, PNode]]


def _add(node: PNode, key_node: PNode, value: PNode, latest: _Latest) -> None:
    node.entries.append((key_node, value))
    latest.setdefault(id(node), {})[str(key_node.value)] = value


def _place(root: PNode, key: str, key_node: PNode, value: PNode, latest: _Latest) -> None:
    """Put `value` at the dotted path `key` (indexes `[n]` make arrays), creating containers."""
    parts = key.split(".")
    if len(parts) > _MAX_DEPTH or any(not part for part in parts):
        _add(root, key_node, value, latest)  # no binding path: keep the key whole
        return
    node = root
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        name, slot = part, None
        indexed = _INDEX.match(part)
        if indexed is not None:
            name, slot = indexed.group(1), int(indexed.group(2))
        step = PNode(STRING, key_node.line, key_node.column, key_node.end_line, key_node.end_column,
                     name, quoted=False)
        child = latest.get(id(node), {}).get(name) if name else None
        if slot is None:
            if last:
                _add(node, step, value, latest)
                return
            if child is None or not child.is_object:
                child = PNode(OBJECT, value.line, value.column, value.end_line, value.end_column)
                _add(node, step, child, latest)
            node = child
            continue
        if child is None or not child.is_array:
            child = PNode(ARRAY, value.line, value.column, value.end_line, value.end_column)
            if name:
                _add(node, step, child, latest)
            else:
                return
        while len(child.items) <= slot and len(child.items) < 4096:
            child.items.append(PNode(NULL, value.line, value.column, value.end_line,
                                     value.end_column))
        if slot >= len(child.items):
            return
        if last:
            child.items[slot] = value
            return
        item = child.items[slot]
        if not item.is_object:
            item = PNode(OBJECT, value.line, value.column, value.end_line, value.end_column)
            child.items[slot] = item
        node = item
