"""TOML -> PNode: tomli (stdlib tomllib when absent) validates and decodes, a small scanner here
supplies the positions.

The decoder reports no positions, so `_Scanner` walks the (already validated) text and builds the
positioned skeleton; `_fill` then copies the decoded values into it. A bracket-depth pre-scan runs
first because the decoder recurses once per nested array/inline table.

NOTE: tomli 2.2-2.3 is the code tomllib was made from (TOML 1.0), shipped as mypyc-compiled wheels:
it decodes 2.5x faster with the same results and the same messages (tests/parsing/test_toml_decoder.py
compares the two). Without it (a platform with no wheel installs its pure-Python one, or an install
without dependencies) the standard library's tomllib gives the same trees.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from bisect import bisect_right

try:
    import tomli as _tomli
except ImportError:  # pragma: no cover  # the lock installs it; tomllib gives the same results
    _tomli = None  # type: ignore[assignment]

from scanner.errors import ParseError
from scanner.parsing.node import ARRAY, BOOL, NUMBER, OBJECT, STRING, NodeKind, PNode
from scanner.parsing.positions import LineIndex

MAX_DEPTH = 200

# The decoder and the errors it raises (loads_shared's callers catch DECODE_FAILURES).
_loads = tomllib.loads if _tomli is None else _tomli.loads
DECODE_ERRORS: tuple[type[ValueError], ...] = (tomllib.TOMLDecodeError,) if _tomli is None else (
    tomllib.TOMLDecodeError, _tomli.TOMLDecodeError)
DECODE_FAILURES: tuple[type[Exception], ...] = (*DECODE_ERRORS, RecursionError)

_ML_BASIC = r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"{3,5}'
_ML_LITERAL = r"'''[\s\S]*?'{3,5}"
_BASIC = r'"(?:[^"\\\n]|\\.)*"'
_LITERAL = r"'[^'\n]*'"
_STRING = re.compile("|".join((_ML_BASIC, _ML_LITERAL, _BASIC, _LITERAL)))
_KEY = re.compile(f"{_BASIC}|{_LITERAL}|[A-Za-z0-9_-]+")
# One part of a dotted key with the blanks around it (a key never spans lines).
_KEY_PART = re.compile(rf"[ \t]*({_KEY.pattern})[ \t]*")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?")
_BARE_VALUE = re.compile(r"[^\s,\]}#]+")
_SPACE = re.compile(r"[ \t]*")
# Whitespace, newlines and comments (allowed between statements and inside arrays).
_GAP = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
# The pre-scan runs before validation, so its strings also end at the end of the line (one-line
# forms) or of the text (multi-line forms) when unterminated, as tomllib reads them: an unterminated
# string is then skipped once instead of being rescanned from each of its quotes (16,000 `\\"` took
# 20 s). The quantifiers are possessive: no alternative can match a character another one gave up.
_PRESCAN = re.compile(
    r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*+(?:"{3,5}|\\?\Z)'
    r"|'''(?:[^']|'(?!''))*+(?:'{3,5}|\Z)"
    r'|"(?:[^"\\\n]|\\[^\n])*+(?:"|\\?(?=\n)|\\?\Z)'
    r"|'[^'\n]*+'?"
    r"|#[^\n]*+|([\[\]{}.=,\n])")
# A dotted key of bare parts without blanks between them (`mcp_servers.s0.env`), with the blanks after
# it, when no further part follows (`a.b . "c"` takes the general path).
_BARE_KEYS = re.compile(r"((?:[A-Za-z0-9_-]++\.)*[A-Za-z0-9_-]++)[ \t]*+(?![.A-Za-z0-9_-])")
# A one-line array of one-line strings (`args = ["-y", "pkg"]`), and the strings in it.
_ONE_LINE_STRING = r'"(?!"")(?:[^"\\\n]|\\.)*"|\'(?!\'\')[^\'\n]*\''
_STRING_ARRAY = re.compile(rf"\[[ \t]*+(?:(?:{_ONE_LINE_STRING})[ \t]*+(?:,[ \t]*+|(?=\])))*\]")
_ONE_LINE_STRINGS = re.compile(_ONE_LINE_STRING)
# The common statement `bare_key = one-line value`, matched at once (the scanner's hot path: one match
# instead of a key-part, a blank, a value match and their line lookups). The value alternatives are
# those `_Scanner.value` tries, in its order: a one-line string that does not open a multi-line one
# (`"""` / `'''`), else a date-time, else a bare value; anything else (dotted or quoted keys, arrays,
# inline tables, multi-line strings) takes the general path.
_SIMPLE_KV = re.compile(
    r"([A-Za-z0-9_-]+)[ \t]*=[ \t]*"
    rf"(?:({_ONE_LINE_STRING})|(?![\[{{\"'])({_DATETIME.pattern}|{_BARE_VALUE.pattern}))")
_ERROR_AT = re.compile(r"^(.*?) \(at (?:line (\d+), column (\d+)|end of document)\)$")
# tomllib messages that name a key: keep the phrase, drop the key.
_KEYED = ("Cannot declare", "Cannot mutate immutable namespace", "Cannot redefine namespace", "Duplicate")


def parse_toml(text: str) -> PNode:
    """Parse TOML into a positioned tree.

    Every value (strings in arrays and inline tables included) is positioned on its token; a
    table is positioned on its header (`[a.b]`, `[[a]]`) or, when only implied by dotted keys,
    on the key part that created it. Dates and times become unquoted STRING nodes (ISO format).
    """
    _check_depth(text)
    try:
        data = _decode(text)
    except DECODE_ERRORS as exc:
        # TOML 1.1 (Codex and the other Rust clients read it with `toml` 1.x; tomllib knows 1.0): the
        # 1.0 text that means the same is decoded instead, and the scanner walks the file as written
        # (it allows line breaks, comments and a trailing comma inside `{}` already).
        older = _toml_1_0(text)
        try:
            if older == text:
                raise
            data = _loads(older)
        except DECODE_ERRORS:
            raise ParseError(_error_message(str(exc), text)) from None
    try:
        root = _Scanner(text).scan()
    except IndexError:  # the scanner ran off a document tomllib accepted: a bug here, not user error
        raise ParseError("invalid TOML: positions could not be mapped") from None
    _fill(root, data)
    return root


# The last text parse_toml decoded and what tomllib gave (its dict, or the error it raised): the
# AWS-pair fix reads the `mcp_servers` tables of the file the parser has just decoded, and decoding a
# 5 MiB file again cost as much as the parse itself (docs/performance.md, wave 11). One entry: a scan
# parses one file at a time, and holding more would keep old files' trees alive. The parser always
# decodes (a scan never skips its own work because an earlier one read the same text).
_last_loads: tuple[str, dict[str, object] | Exception] | None = None


def _decode(text: str) -> dict[str, object]:
    """`_loads(text)`, remembered for loads_shared."""
    global _last_loads
    try:
        found: dict[str, object] | Exception = _loads(text)
    except DECODE_FAILURES as exc:
        found = exc
    _last_loads = (text, found)
    if isinstance(found, BaseException):
        raise found.with_traceback(None)
    return found


def loads_shared(text: str) -> dict[str, object]:
    """The decoded `text`, the parser's own decode when it has just read the same text (the same
    dict: callers read it and never change it). Raises one of DECODE_FAILURES (RecursionError included)."""
    last = _last_loads
    if last is None or not (last[0] is text or last[0] == text):
        return _decode(text)
    if isinstance(last[1], BaseException):
        raise last[1].with_traceback(None)
    return last[1]


# TOML 1.1 additions over 1.0 (toml-lang CHANGELOG 1.1.0): line breaks, comments and a trailing comma
# inside an inline table, `\xHH` and `\e` escapes in basic strings, times without seconds.
# An unterminated string is one token to the end of its line (or of the text, for `"""` / `'''`): a
# string that had to close failed at every quote and the next quote scanned to the end again (N x N).
_TOKENS_1_1 = re.compile(
    r'(?P<basic>"""(?:[^"\\]|\\[\s\S]|"(?!""))*+(?:"{3,5}|\\?\Z)'
    r'|"(?:[^"\\\n]|\\[^\n])*+(?:"|\\?(?=\n)|\\?\Z))'
    r"|(?P<literal>'''(?:[^']|'(?!''))*+(?:'{3,5}|\Z)|'[^'\n]*+'?)"
    r"|(?P<comment>#[^\n]*+)|(?P<open>[{\[])|(?P<close>[}\]])|(?P<comma>,)|(?P<newline>\r?\n)"
    r"|(?P<time>(?<![\d:.])\d{2}:\d{2}(?![:\d]))|(?P<blank>[ \t]+)"
    r"|(?P<other>[^\"'#{}\[\],\r\n\d \t]+|[\s\S])")
_ESCAPES_1_1 = re.compile(r"\\(?:x([0-9a-fA-F]{2})|(e)|\\)")


def _escape_1_0(match: re.Match[str]) -> str:
    hex_digits, escape = match.groups()
    if hex_digits is not None:
        return f"\\u00{hex_digits}"
    return "\\u001b" if escape else match.group(0)  # `\\` stays itself


def _toml_1_0(text: str) -> str:
    """`text` with its TOML 1.1 forms written as TOML 1.0, for tomllib (line numbers may move: the
    positions come from the scanner, which reads the text as written)."""
    out: list[str] = []
    stack: list[str] = []  # the brackets open at this point
    comma_at = -1  # index in `out` of a comma nothing but blanks has followed, inside `{}`
    for match in _TOKENS_1_1.finditer(text):
        kind, token = match.lastgroup, match.group()
        in_table = bool(stack) and stack[-1] == "{"
        if kind == "basic":
            token = _ESCAPES_1_1.sub(_escape_1_0, token)
        elif kind == "open":
            stack.append(token)
        elif kind == "close":
            if token == "}" and comma_at >= 0:
                out[comma_at] = ""  # `{ a = 1, }`
            if stack:
                stack.pop()
        elif kind == "time":
            token += ":00"
        elif in_table and kind in ("comment", "newline"):
            token = " "
        if kind == "comma":
            comma_at = len(out) if in_table else -1
        elif kind not in ("comment", "newline", "blank"):
            comma_at = -1
        out.append(token)
    return "".join(out)


def _check_depth(text: str) -> None:
    """Reject deep brackets and long dotted keys before tomllib sees them.

    tomllib recurses once per nested array/inline table (RecursionError) and is quadratic in the
    number of parts of a dotted key (`a.b.c...`), so both are bounded here, lexically.
    """
    depth = dots = 0
    for token in _PRESCAN.findall(text):  # the bracket or separator; "" for a string or comment
        if not token:
            continue
        if token == ".":
            dots += 1
        elif token == "[" or token == "{":
            depth += 1
            dots = 0
        elif token == "]" or token == "}":
            depth = max(depth - 1, 0)
            dots = 0
        else:  # "=", "," or a line break
            dots = 0
        if depth + dots >= MAX_DEPTH:  # the root table is a level too
            raise ParseError(f"nesting deeper than {MAX_DEPTH} levels")


def _error_message(raw: str, text: str) -> str:
    match = _ERROR_AT.match(raw)
    if match is None:
        return "invalid TOML"
    problem = match.group(1)
    for phrase in _KEYED:
        if problem.startswith(phrase):
            problem = phrase + " (duplicate or conflicting key)"
    if match.group(2) is None:
        index = LineIndex(text)
        line, column = index.position(len(text))
    else:
        line, column = int(match.group(2)), int(match.group(3))
    return f"invalid TOML at {line}:{column}: {problem[:1].lower()}{problem[1:]}"


class _Scanner:
    """Positioned skeleton of a valid TOML document; scalar values are filled in later."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index = LineIndex(text)
        self.starts = self.index.starts
        end_line, end_column = self.index.position(len(text))
        self.root = PNode(OBJECT, 1, 1, end_line, end_column)
        self.children: dict[int, dict[str, PNode]] = {id(self.root): {}}

    def node(self, kind: NodeKind, start: int, end: int, quoted: bool = False) -> PNode:
        starts = self.starts
        line = bisect_right(starts, start)
        line_start = starts[line - 1]
        if line == len(starts) or end < starts[line]:  # ends on the line it starts on
            node = PNode(kind, line, start - line_start + 1, line, end - line_start + 1, quoted=quoted)
        else:
            end_line, end_column = self.index.position(end)
            node = PNode(kind, line, start - line_start + 1, end_line, end_column, quoted=quoted)
        if kind is OBJECT:
            self.children[id(node)] = {}
        return node

    def add(self, table: PNode, key: PNode, value: PNode) -> None:
        table.entries.append((key, value))
        self.children[id(table)][str(key.value)] = value

    def scan(self) -> PNode:
        text = self.text
        table = self.root
        pos = _GAP.match(text, 0).end()  # type: ignore[union-attr]  # `*` always matches
        while pos < len(text):
            start = pos
            if text.startswith("[[", pos):
                keys, pos = self.keys(pos + 2)
                parent = self.descend(self.root, keys[:-1])
                array = self.children[id(parent)].get(str(keys[-1].value))
                if array is None:
                    array = self.node(ARRAY, start, pos + 2)
                    self.add(parent, keys[-1], array)
                table = self.node(OBJECT, start, pos + 2)
                array.items.append(table)
                pos += 2  # "]]"
            elif text[pos] == "[":
                keys, pos = self.keys(pos + 1)
                parent = self.descend(self.root, keys[:-1])
                header = self.node(OBJECT, start, pos + 1)
                table = self.children[id(parent)].get(str(keys[-1].value)) or header
                if table is header:
                    self.add(parent, keys[-1], table)
                else:  # implied earlier by `[a.b]`: point the table and its key at this header
                    table.line, table.column = header.line, header.column
                    table.end_line, table.end_column = header.end_line, header.end_column
                    parent.entries = [(keys[-1] if v is table else k, v) for k, v in parent.entries]
                pos += 1  # "]"
            else:
                pos = self.key_value(table, pos)
            pos = _GAP.match(text, pos).end()  # type: ignore[union-attr]
        return self.root

    def keys(self, pos: int) -> tuple[list[PNode], int]:
        """A dotted key starting at `pos`; returns key part nodes and the offset after it."""
        text = self.text
        starts = self.starts
        line = bisect_right(starts, pos)
        line_start = starts[line - 1] - 1  # columns are 1-based
        string = STRING
        parts: list[PNode] = []
        bare = _BARE_KEYS.match(text, pos)
        if bare is not None:  # `a.b.c`: the parts the loop below finds, without a match per part
            start = pos
            for raw in bare.group(1).split("."):
                end = start + len(raw)
                parts.append(PNode(string, line, start - line_start, line, end - line_start, raw,
                                   quoted=False))
                start = end + 1
            return parts, bare.end()
        match_part = _KEY_PART.match
        while True:
            match = match_part(text, pos)
            if match is None:
                raise ParseError("invalid TOML: positions could not be mapped")
            raw = match.group(1)
            start, end = match.span(1)
            first = raw[0]
            if first == '"' or first == "'":
                parts.append(PNode(string, line, start - line_start, line, end - line_start,
                                   _decode_key(raw), quoted=True))
            else:  # a bare key is its own text
                parts.append(PNode(string, line, start - line_start, line, end - line_start, raw,
                                   quoted=False))
            pos = match.end()
            if not text.startswith(".", pos):
                return parts, pos
            pos += 1

    def descend(self, table: PNode, keys: list[PNode]) -> PNode:
        """Walk/create the tables named by `keys`; an array of tables yields its last table."""
        for key in keys:
            child = self.children[id(table)].get(str(key.value))
            if child is None:
                child = PNode(OBJECT, key.line, key.column, key.end_line, key.end_column)
                self.children[id(child)] = {}
                self.add(table, key, child)
            elif child.kind is ARRAY:
                child = child.items[-1]
            table = child
        return table

    def key_value(self, table: PNode, pos: int) -> int:
        simple = _SIMPLE_KV.match(self.text, pos)
        if simple is not None:  # `name = "one line"`, `name = 42`: the nodes keys() and value() make
            starts = self.starts
            line = bisect_right(starts, pos)
            line_start = starts[line - 1] - 1  # columns are 1-based
            name = simple.group(1)
            end = simple.end()
            key = PNode(STRING, line, pos - line_start, line, pos + len(name) - line_start, name,
                        quoted=False)
            value_start = simple.start(2)
            if value_start >= 0:
                value = PNode(STRING, line, value_start - line_start, line, end - line_start)
            else:
                value = PNode(NUMBER, line, simple.start(3) - line_start, line, end - line_start,
                              quoted=False)
            table.entries.append((key, value))
            self.children[id(table)][name] = value
            return end
        keys, pos = self.keys(pos)
        pos = _SPACE.match(self.text, pos + 1).end()  # type: ignore[union-attr]  # past "="
        value, end = self.value(pos)
        self.add(self.descend(table, keys[:-1]), keys[-1], value)
        return end

    def value(self, pos: int) -> tuple[PNode, int]:
        """The value token at `pos` (depth is bounded by _check_depth, so recursion is safe)."""
        text = self.text
        char = text[pos]
        if char == '"' or char == "'":
            match = _STRING.match(text, pos)
            if match is not None:
                # A one-line string: `node` without its line lookups and object bookkeeping.
                end = match.end()
                starts = self.starts
                line = bisect_right(starts, pos)
                if line == len(starts) or end < starts[line]:
                    line_start = starts[line - 1] - 1
                    return PNode(STRING, line, pos - line_start, line, end - line_start), end
                return self.node(STRING, pos, end, quoted=True), end
        if char == "[":
            strings = _STRING_ARRAY.match(text, pos)
            if strings is not None:  # `["-y", "pkg"]`: the nodes the loop below makes, from one match
                end = strings.end()
                starts = self.starts
                line = bisect_right(starts, pos)
                line_start = starts[line - 1] - 1
                array = PNode(ARRAY, line, pos - line_start, line, end - line_start, quoted=False)
                array.items = [
                    PNode(STRING, line, item.start() - line_start, line, item.end() - line_start)
                    for item in _ONE_LINE_STRINGS.finditer(text, pos, end)]
                return array, end
            array = self.node(ARRAY, pos, pos)
            pos = _GAP.match(text, pos + 1).end()  # type: ignore[union-attr]
            while text[pos] != "]":
                item, pos = self.value(pos)
                array.items.append(item)
                pos = _GAP.match(text, pos).end()  # type: ignore[union-attr]
                if text[pos] == ",":
                    pos = _GAP.match(text, pos + 1).end()  # type: ignore[union-attr]
            array.end_line, array.end_column = self.index.position(pos + 1)
            return array, pos + 1
        if char == "{":
            inline = self.node(OBJECT, pos, pos)
            pos = _GAP.match(text, pos + 1).end()  # type: ignore[union-attr]
            while text[pos] != "}":
                pos = _GAP.match(text, self.key_value(inline, pos)).end()  # type: ignore[union-attr]
                if text[pos] == ",":
                    pos = _GAP.match(text, pos + 1).end()  # type: ignore[union-attr]
            inline.end_line, inline.end_column = self.index.position(pos + 1)
            return inline, pos + 1
        match = _DATETIME.match(text, pos) or _BARE_VALUE.match(text, pos)
        if match is None:
            raise ParseError("invalid TOML: positions could not be mapped")
        return self.node(NUMBER, pos, match.end()), match.end()


def _decode_key(raw: str) -> str:
    if raw[0] == "'":
        return raw[1:-1]
    if raw[0] == '"':
        # NOTE: tomllib decodes the escapes, so keys and values agree byte for byte.
        return str(next(iter(tomllib.loads(f"{_ESCAPES_1_1.sub(_escape_1_0, raw)} = 0"))))
    return raw


def _fill(root: PNode, data: dict[str, object]) -> None:
    """Copy tomllib's values into the skeleton (iteratively, checking depth and shape)."""
    todo: list[tuple[PNode, object, int]] = [(root, data, 1)]
    string = STRING
    while todo:
        node, value, depth = todo.pop()
        if node.kind is OBJECT and isinstance(value, dict):
            if depth > MAX_DEPTH:
                raise ParseError(f"nesting deeper than {MAX_DEPTH} levels")
            for key, child in node.entries:
                if key.value not in value:
                    raise ParseError("invalid TOML: positions could not be mapped")
                child_value = value[key.value]
                if type(child_value) is str and child.kind is string:
                    child.value = child_value  # what the str case below does, without the round trip
                else:
                    todo.append((child, child_value, depth + 1))
        elif node.kind is ARRAY and isinstance(value, list) and len(value) == len(node.items):
            if depth > MAX_DEPTH:
                raise ParseError(f"nesting deeper than {MAX_DEPTH} levels")
            todo.extend(
                (item, item_value, depth + 1) for item, item_value in zip(node.items, value, strict=True)
            )
        elif isinstance(value, bool):
            node.kind, node.value = BOOL, value
        elif isinstance(value, int | float) and node.kind is not STRING:
            node.kind, node.value = NUMBER, value
        elif isinstance(value, str) and node.kind is STRING:
            node.value = value
        elif isinstance(value, datetime.date | datetime.time) and not node.quoted:
            node.kind, node.value = STRING, value.isoformat()
        else:
            raise ParseError("invalid TOML: positions could not be mapped")
