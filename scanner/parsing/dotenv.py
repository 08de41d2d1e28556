"""dotenv (`.env`) -> PNode: an OBJECT of NAME -> STRING, each value positioned on its token.

Follows the common python-dotenv / docker compose dialect: `NAME=value`, `export NAME=value`,
single quotes literal, double quotes with backslash escapes and line breaks, ` #` comments after
unquoted values. Lines that are not assignments are skipped, as those tools do. The Node `dotenv`
package and VS Code's `envFile` reader (vs/base/common/envfile.ts: the first `=` or `:` separates)
also take `NAME: value` / `NAME:value`, backtick quotes (literal) and a lone `\r` as a line break:
read too (positions stay on the `\n` lines).

Two readings go past that dialect, as the readers of the file do:
- a quoted value with more text after its closing quote on the line (`KEY=""value`, `KEY=\"\"\"value\"\"\"`)
  is no quoted value to Node's dotenv: its line regex then takes the line up to a `#` unquoted and
  drops one pair of matching outer quotes (`""value`, `""value""`); python-dotenv refuses the line.
  Read as Node reads it (`_node_unquoted`).
- an unquoted value of words after which `NAME=value` words follow (`X=1 ACME_API_KEY=v`) is several
  assignments to a shell that sources the file (`set -a; . ./.env`): each such word is an entry too.
"""

from __future__ import annotations

import re

from scanner.parsing.node import OBJECT, STRING, PNode

_ASSIGN = re.compile(r"[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*[=:][ \t]*")
# The common line, `NAME=value` with an unquoted value, no `#` and no `\r`, up to its `\n`: one match
# for what the loop below reads in a dozen steps (the value is `rest.rstrip()` there too). The blanks
# before the value are possessive: giving one back would read ` "x"` as an unquoted value.
_SIMPLE_LINE = re.compile(r"[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*[=:][ \t]*+"
                          r"((?!['\"`])[^\r\n#]*)\n")
_DOUBLE = re.compile(r'"([^"\\]*(?:\\[\s\S][^"\\]*)*)"')
_SINGLE = re.compile(r"'([^']*)'")
_BACKTICK = re.compile(r"`([^`]*)`")
_BREAK = re.compile(r"\r\n?|\n")
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
    root = PNode(OBJECT, 1, 1, text.count("\n") + 1, size - last_break)
    string = STRING
    # One pass, line by line: `pos` is where the logical line starts (after `\n`, `\r\n` or a lone
    # `\r`), `row` the start of its `\n` line, so a column is an offset minus `row`; only a quoted
    # value can span lines, and its own line breaks are counted.
    pos = 0
    row = 0
    line = 1
    simple_line = _SIMPLE_LINE.match
    while pos < size:
        simple = simple_line(text, pos)
        if simple is not None:
            name_start, name_end = simple.span(1)
            start = simple.start(2)
            value = simple.group(2).rstrip()
            column = start - row + 1
            root.entries.append((
                PNode(string, line, name_start - row + 1, line, name_end - row + 1, simple.group(1),
                      quoted=False),
                PNode(string, line, column, line, column + len(value), value, quoted=False)))
            if " " in value and "=" in value:
                _shell_assignments(root, value, line, column)
            pos = row = simple.end()
            line += 1
            continue
        assign = _ASSIGN.match(text, pos)
        if assign is None:
            end = pos
        else:
            name_start, name_end = assign.span(1)
            key = PNode(string, line, name_start - row + 1, line, name_end - row + 1, assign.group(1),
                        quoted=False)
            start = assign.end()
            first = text[start : start + 1]
            if first == "'":
                quoted = _SINGLE.match(text, start)
            elif first == "`":
                quoted = _BACKTICK.match(text, start)
            else:  # a double-quoted value, or none: the regex needs the quote
                quoted = _DOUBLE.match(text, start) if first == '"' else None
            if quoted is not None and not _ends_line(text, quoted.end()):
                # `KEY=""value`: Node's dotenv reads the line unquoted (see above)
                stop = _NODE_STOP.search(text, start)
                raw = text[start:stop.start() if stop is not None else size].rstrip()
                node = _node_unquoted(raw, line, start - row + 1)
                end = start + len(raw)
            elif quoted is not None:
                raw = quoted.group(1)
                value = _ESCAPE.sub(_unescape, raw) if text[start] == '"' else raw
                end = quoted.end()
                breaks = text.count("\n", start, end)
                column = start - row + 1
                if breaks:
                    row = text.rfind("\n", start, end) + 1
                    end_line, end_column = line + breaks, end - row + 1
                else:
                    end_line, end_column = line, end - row + 1
                node = PNode(string, line, column, end_line, end_column, value, quoted=True)
                line = end_line
            else:
                end = _line_end(text, start)
                rest = text[start:end]
                value = _INLINE_COMMENT.sub("", rest).rstrip() if "#" in rest else rest.rstrip()
                column = start - row + 1
                node = PNode(string, line, column, line, column + len(value), value, quoted=False)
                end = start + len(rest)
            root.entries.append((key, node))
            words = node.value if not node.quoted and isinstance(node.value, str) else ""
            if (" " in words or "\t" in words) and "=" in words:
                _shell_assignments(root, words, line, node.column)
        line_end = _line_end(text, end)
        if line_end >= size:
            break
        brk = _BREAK.match(text, line_end)
        assert brk is not None
        pos = brk.end()
        if "\n" in brk.group():
            line += 1
            row = pos
    return root


def _line_end(text: str, start: int) -> int:
    """Offset of the line break (`\n`, `\r\n` or a lone `\r`) at or after `start`, or len(text)."""
    found = _BREAK.search(text, start)
    return len(text) if found is None else found.start()


def _unescape(match: re.Match[str]) -> str:
    char = match.group(1)
    return _ESCAPES.get(char, match.group())


# What follows a quoted value on its line when that is not the end of the assignment: blanks, then a
# `#` comment or the line break. Anything else makes Node's dotenv read the line unquoted.
_AFTER_QUOTE = re.compile(r"[ \t]*(?:#[^\r\n]*)?(?:\r\n?|\n|$)")
# Where Node dotenv's unquoted alternative (`[^#\r\n]+`) stops: a `#` or the line's break.
_NODE_STOP = re.compile(r"[#\r\n]")
_MATCHING_QUOTES = re.compile(r"""^(['"`])([\s\S]*)\1$""")
# `NAME=value` words of an unquoted value, after its first word (a shell reads each as an assignment).
_SHELL_WORD = re.compile(r"[ \t]+([A-Za-z_][A-Za-z0-9_]*)=([^\s'\"`]+)")


def _ends_line(text: str, at: int) -> bool:
    return _AFTER_QUOTE.match(text, at) is not None


def _node_unquoted(raw: str, line: int, column: int) -> PNode:
    """The value Node's dotenv gives a line it reads unquoted: one pair of matching outer quotes
    dropped, `\\n` / `\\r` expanded when that pair was double quotes."""
    outer = _MATCHING_QUOTES.match(raw)
    value = raw
    if outer is not None:
        value = outer.group(2)
        if outer.group(1) == '"':
            value = value.replace("\\n", "\n").replace("\\r", "\r")
    return PNode(STRING, line, column, line, column + len(raw), value, quoted=False)


def _shell_assignments(root: PNode, value: str, line: int, column: int) -> None:
    """Entries for the `NAME=value` words following the first word of `value` (at `column` of `line`):
    `X=1 ACME_API_KEY=v` sourced by a shell assigns both."""
    first = re.match(r"\S*", value)
    at = first.end() if first is not None else 0
    while (word := _SHELL_WORD.match(value, at)) is not None:
        name_start, name_end = word.span(1)
        value_start, value_end = word.span(2)
        root.entries.append((
            PNode(STRING, line, column + name_start, line, column + name_end, word.group(1),
                  quoted=False),
            PNode(STRING, line, column + value_start, line, column + value_end, word.group(2),
                  quoted=False)))
        at = word.end()
