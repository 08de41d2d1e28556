"""Values of a config file that does not parse, found line by line (issue 11).

A file with one missing comma, merge-conflict markers or a stray character still holds its secrets.
Each line is read for `key: value` / `"key": "value"` / `key = value` pairs and for quoted strings
(array items such as `args`); every value becomes a FieldValue at its exact line and column, keyed
by the name it sits under, so the engines judge it with the same shapes, sensitive-name rule and
placeholder/reference filters as a parsed value. `field` is that nearest key, or "unparsed".
"""

from __future__ import annotations

import re

from scanner.model import FieldValue, Location
from scanner.references import is_reference

UNPARSED_FIELD = "unparsed"
# key (optionally quoted), `:` or `=`, then a double-quoted, single-quoted or bare value. Possessive
# quantifiers and a start only at the beginning of a name run keep it linear on hostile lines.
# The quoted forms, in the order tried: TOML's one-line `"""…"""` and `'''…'''`, a double-quoted string
# (escapes), a single-quoted one (YAML's `''` is one quote: `'x''y'` is `x'y`).
_STRINGS = (r'"""((?:[^"\\\n]|\\.|"(?!""))*+)(?:"""|$)'
            r"|'''((?:[^'\n]|'(?!''))*+)(?:'''|$)"
            r'|"((?:[^"\\\n]|\\.?)*+)(?:"|$)'
            r"|'((?:[^'\n]|'')*+)(?:'|$)")
_PAIR = re.compile(
    r"""(?<![\w.$-])["']?+([A-Za-z_][\w.-]*+)["']?+[ \t]*+[:=][ \t]*+"""
    rf"""(?:{_STRINGS}|([^\s,"'{{}}\[\]#]++))""")
# Shorter values cannot be a secret: 3 characters is the shortest password reported under a
# password name, and a value under no name needs a provider shape (all are longer than 8).
_MIN_KEYED, _MIN_KEYLESS = 3, 8
_AFTER = re.compile(r"[ \t]*+[:=]")
# A string runs to its closing quote or to the end of the line: every match that starts succeeds,
# so no position is scanned twice on a line of unterminated strings.
_QUOTED = re.compile(_STRINGS)
# Per group of _STRINGS (1-based): the width of its quotes and whether its escapes are decoded.
_QUOTES = {1: (3, True), 2: (3, False), 3: (1, True), 4: (1, False)}


# A double-quoted string (`"`, TOML `"""`) open at the end of a line, which ends in one backslash:
# the parser joins the next line to it without the line break and the indentation (TOML multi-line
# basic strings, YAML double-quoted scalars), so a token split there is one value.
_OPEN_CONTINUED = re.compile(r'(?:^|[:=][ \t]*+)(?:"""|")((?:[^"\\\n]|\\.)*+)\\$')
_REST = re.compile(r'((?:[^"\\\n]|\\.)*+)(\\$|")?')
_MAX_JOINED = 64  # lines one continued string may span (each line is read once)


def _continued(path: str, lines: list[str], index: int) -> FieldValue | None:
    """The whole value of a string continued from line `index` (0-based), or None."""
    line = lines[index]
    opened = _OPEN_CONTINUED.search(line)
    if opened is None or (len(line) - len(line.rstrip("\\"))) % 2 == 0:
        return None
    key = _PAIR.search(line[:opened.start(1)] + '""')
    parts = [opened.group(1)]
    for follow in lines[index + 1:index + 1 + _MAX_JOINED]:
        rest = _REST.match(follow.lstrip())
        assert rest is not None  # the pattern matches the empty string
        parts.append(rest.group(1))
        if rest.group(2) != "\\":
            break
    text = unescape("".join(parts))
    start = opened.start(1)
    quote = start - (3 if line[max(0, start - 3):start] == '"""' else 1)  # 0-based, at the opening quote
    return FieldValue(field=key.group(1) if key else UNPARSED_FIELD, text=text,
                      location=Location(path, index + 1, quote + 1), end_line=index + 1,
                      end_column=len(line) + 1, key=key.group(1) if key else None,
                      is_reference=is_reference(text), quoted=True)


# YAML, a key whose value starts on the next line: a block scalar (`KEY: |-`, `KEY: >2`) or a plain
# scalar written under the key (`KEY:` then the value, indented). A line of one plain word is such a
# value; the block's lines (more indented than the key) are one value, joined as the parser joins them.
_BLOCK_KEY = re.compile(r"""^([ \t]*+(?:-[ \t]++)*+)["']?+([A-Za-z_][\w.-]*+)["']?+[ \t]*+:"""
                        r"""(?:[ \t]++([|>])[1-9+-]{0,2}+)?+[ \t]*+(?:#.*+)?$""")
_PLAIN_WORD = re.compile(r"""[ \t]++([^\s#'"\[\]{}|>&*!%@`,?:-][^\s#]*+)(?<!:)[ \t]*+(?:#.*+)?""")
_MAX_BLOCK = 200  # lines one block scalar value may span (each line is read at most twice)


def _value_below(path: str, lines: list[str], index: int) -> FieldValue | None:
    """The value of the key that line `index` (0-based) leaves for the lines below it, or None."""
    head = _BLOCK_KEY.match(lines[index])
    if head is None:
        return None
    indent, key, style = len(head.group(1)), head.group(2), head.group(3)
    body: list[tuple[int, str]] = []  # (0-based line, text)
    for number in range(index + 1, min(len(lines), index + 1 + _MAX_BLOCK)):
        line = lines[number]
        if not line.strip():
            if style:
                body.append((number, ""))
            continue
        if len(line) - len(line.lstrip(" \t")) <= indent:
            break
        body.append((number, line))
        if not style:
            break
    while body and not body[-1][1]:
        body.pop()
    if not body:
        return None
    first, text = body[0]
    if not style:
        word = _PLAIN_WORD.fullmatch(text)
        if word is None:
            return None
        start, end = word.span(1)
        return _value(path, first + 1, start, end, word.group(1), key, 0)
    margin = min(len(t) - len(t.lstrip(" \t")) for _, t in body if t)
    parts = [t[margin:] for _, t in body]
    value = "\n".join(parts) if style == "|" else " ".join(p for p in parts if p)
    last, last_text = body[-1]
    return FieldValue(field=key, text=value, location=Location(path, first + 1, margin + 1),
                      end_line=last + 1, end_column=len(last_text) + 1, key=key,
                      is_reference=is_reference(value), quoted=False)


# A line that ends right after a key's separator (`"ACME_API_KEY":`): its value is on the next line.
_DANGLING = re.compile(r"""(?:^|[\s{,])["']?+([A-Za-z_][\w.-]*+)["']?+[ \t]*+[:=][ \t]*+$""")


def line_values(path: str, text: str) -> tuple[FieldValue, ...]:
    """Every value the lines of `text` hold, with exact positions (1-based codepoint columns)."""
    out: list[FieldValue] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.endswith("\\") and (joined := _continued(path, lines, index)) is not None:
            out.append(joined)  # the value as the parser would have joined it (plus its pieces below)
        elif ":" in line:
            below = _value_below(path, lines, index)
            if below is not None:
                out.append(below)  # YAML: a block scalar, or a plain scalar on the key's next line
    dangling: str | None = None  # the key the previous non-blank line left without a value
    # (line, text, offset after its closing quote) of the last quoted item so far when it is a flag
    flag: tuple[int, str, int] | None = None
    previous = 0  # the last non-blank line read
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        pending, dangling = dangling, None
        if line.rstrip().endswith((":", "=")) and (left := _DANGLING.search(line.rstrip())) is not None:
            dangling = left.group(1)
        taken: list[tuple[int, int]] = []  # spans of the pairs, in order
        for pair in _PAIR.finditer(line):
            group = next(g for g in (2, 3, 4, 5, 6) if pair.group(g) is not None)
            start, end = pair.span(group)
            taken.append((pair.start(), pair.end()))
            if end - start < _MIN_KEYED:
                continue
            width, double = _QUOTES.get(group - 1, (0, False))
            out.append(_value(path, number, start, end, line[start:end], pair.group(1), width, double))
        k = 0
        if flag is not None and flag[0] != previous:
            flag = None  # a flag names only an item on its own line or on the next non-blank one
        for item in _QUOTED.finditer(line):
            group = next(g for g in (1, 2, 3, 4) if item.group(g) is not None)
            start, end = item.span(group)
            body = line[start:end]
            before, flag = flag, (number, body, item.end()) if _FLAG.fullmatch(body) else None
            while k < len(taken) and taken[k][1] <= item.start():
                k += 1  # both lists run left to right: one pass over the pairs
            if k < len(taken) and taken[k][0] <= item.start():
                continue
            if end - start < _MIN_KEYLESS:
                continue
            after = _AFTER.match(line, item.end())
            if after is not None:
                continue  # a key whose value did not match the pair form (an object follows)
            # The line's first item is the value of a key left dangling on the line before; an item
            # right after a `--flag` item (`"--api-key", "<value>"`, as an argv reads it) is the flag's.
            key = pending if pending is not None and not line[:start - 1].strip() else None
            if key is None and before is not None and _ITEM_GAP.fullmatch(
                    line[before[2]:start - 1] if before[0] == number
                    else lines[before[0] - 1][before[2]:] + "\n" + line[:start - 1]):
                key = before[1]
            out.append(_value(path, number, start, end, body, key, *_QUOTES[group]))
        previous = number
    return tuple(out)


# A named command-line option, which takes its value as the next argv item (`--api-key <value>`), and
# what may lie between the two items.
_FLAG = re.compile(r"--[A-Za-z][\w.-]*+")
_ITEM_GAP = re.compile(r"[ \t]*+,?[ \t]*+(?:\n[ \t\[]*+)?")


# The escapes of a double-quoted string in JSON, YAML and TOML: `\\uXXXX` (JSON's surrogate pairs
# joined), `\\xXX` (YAML), `\\UXXXXXXXX` (YAML, TOML) and the one-letter ones. A client reads
# `"ghp_\\u0041..."` as the token, so the search must too; an escape no format knows stays as written.
ESCAPE = re.compile(r"\\(?:u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
                     r"|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|U([0-9a-fA-F]{8})|(.))", re.S)
# The one-letter escapes of YAML's double-quoted scalars (JSON's and TOML's are a subset of them).
YAML_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "0": "\0", "e": "\x1b", "a": "\a",
                "v": "\v", '"': '"', "\\": "\\", "/": "/", " ": " ", "N": "\x85", "_": "\xa0",
                "L": "\u2028", "P": "\u2029"}


def _unescaped(match: re.Match[str]) -> str:
    high, low, four, two, eight, simple = match.groups()
    if high is not None:
        return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + int(low, 16) - 0xDC00)
    if simple is not None:
        return YAML_ESCAPES.get(simple, match.group(0))
    code = int(four or two or eight, 16)
    return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else match.group(0)


def unescape(text: str) -> str:
    """`text`, the inside of a double-quoted string as written, as its parser reads it."""
    return ESCAPE.sub(_unescaped, text) if "\\" in text else text


def _value(path: str, line: int, start: int, end: int, text: str, key: str | None,
           width: int, double: bool = False) -> FieldValue:
    """`width`: how many quote characters open (and close) the value, 0 for a bare one."""
    # Like a parsed value, the token starts at its opening quote and ends after its closing one.
    offset, quoted = width, width > 0
    if double:
        text = unescape(text)
    elif width == 1:
        text = text.replace("''", "'")  # YAML single-quoted: `''` is one quote
    return FieldValue(field=key or UNPARSED_FIELD, text=text,
                      location=Location(path, line, start + 1 - offset),
                      end_line=line, end_column=end + 1 + offset, key=key,
                      is_reference=is_reference(text), quoted=quoted)


def is_blank(text: str) -> bool:
    """True for a file with nothing to scan: whitespace only, or comment lines only (no values)."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "//", "/*", "*")):
            return False
    return True
