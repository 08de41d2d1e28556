"""Tolerant JSON (JSONC) -> PNode: comments, trailing commas, exact positions, iterative (no recursion).

The grammar is JSON plus `//` and `/* */` comments and trailing commas in objects and arrays, as
VS Code, Cursor and Claude accept. Error messages carry line:column and never source text.
"""

from __future__ import annotations

import json
import re
from json import JSONDecodeError
from json.decoder import scanstring  # type: ignore[attr-defined]  # C-accelerated, untyped in typeshed

from scanner.errors import ParseError
from scanner.parsing.node import ARRAY, BOOL, NULL, NUMBER, OBJECT, STRING, NodeKind, PNode
from scanner.parsing.positions import LineIndex

MAX_DEPTH = 200

# What VS Code's JSONC reader (vs/base/common/json.ts, which Cursor and the other forks share) takes
# for a line break and for white space between tokens. A `//` comment ends at any of those line
# breaks: `// note<CR>"env": {...}` is a comment and then a live `env` to the client, so it must be
# one here too (ending it only at `\n` hid the entry). The white space set is wider than JSON's so
# a file VS Code loads is parsed as a tree, not searched line by line.
_LINE_BREAKS = "\n\r\u2028\u2029"
_BLANKS = " \t\v\f\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff" + _LINE_BREAKS
# Whitespace and comments between tokens. An unterminated `/*` is left unmatched on purpose so the
# tokenizer can report it where it starts.
_SKIP = re.compile(rf"(?:[{_BLANKS}]+|//[^{_LINE_BREAKS}]*|/\*.*?\*/)*", re.S)
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_WORD = re.compile(r"-?[A-Za-z_$][A-Za-z0-9_$]*")
_WORDS: dict[str, tuple[NodeKind, bool | float | None]] = {
    "true": (BOOL, True),
    "false": (BOOL, False),
    "null": (NULL, None),
    # json.loads accepts these too; keeping parity avoids rejecting files other tools read.
    "NaN": (NUMBER, float("nan")),
    "Infinity": (NUMBER, float("inf")),
    "-Infinity": (NUMBER, float("-inf")),
}
# Comments only; strings are matched first so `//` inside "https://..." is not a comment.
_COMMENT_SCAN = re.compile(rf'"(?:[^"\\\n]|\\.)*"?|(//[^{_LINE_BREAKS}]*|/\*.*?(?:\*/|\Z))', re.S)

# Tokens of a document json.loads accepted (so strict JSON: no comments, no trailing commas, no raw
# control characters in strings): strings, scalars, brackets and line breaks; `,` `:` and blanks are
# skipped by the search itself.
_STRICT_TOKEN = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"|[^ \t\r\n,:\[\]{}"]+|[\[\]{}\n]')

# Parser states.
_VALUE, _AFTER_VALUE, _KEY_OR_CLOSE, _COLON, _ITEM_OR_CLOSE = range(5)


def parse_jsonc(text: str) -> PNode:
    """Parse JSON with comments and trailing commas into a positioned tree.

    Duplicate keys are all kept in `entries` (PNode.get returns the last, like JSON.parse).
    Raises ParseError("invalid JSON at L:C: ...") or ParseError("nesting deeper than 200 levels").

    NOTE: a document the C `json` module accepts as strict JSON takes a fast path (`_strict_tree`)
    that gives the same tree; anything else (comments, trailing commas, a BOM, errors) is parsed
    by `_Parser`, which alone words the error messages.
    """
    root = _strict_tree(text)
    return root if root is not None else _Parser(text).parse()


def _strict_tree(text: str) -> PNode | None:
    """The tree of `text` when it is strict JSON (else None), built from one regex pass.

    json.loads validates in C; the document is then known to be well formed, so its tokens can be
    attached in order without a grammar check, and a line's column is its offset minus the offset
    of the line start. Values are decoded exactly as `_Parser` decodes them (`scanstring` without
    strict, `int`/`float` of the token), so both paths agree node for node.
    """
    if not _is_strict(text):
        return None
    string, obj, array = STRING, OBJECT, ARRAY
    words = _WORDS
    stack: list[PNode] = []
    parent: PNode | None = None
    in_object = False
    key: PNode | None = None
    root: PNode | None = None
    line, line_start = 1, 0
    for match in _STRICT_TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == "\n":
            line += 1
            line_start = match.end()
            continue
        column = match.start() - line_start + 1
        if first == '"':
            node = PNode(string, line, column, line, column + len(token),
                         scanstring(token, 1, False)[0] if "\\" in token else token[1:-1])
            if in_object and key is None:
                key = node
                continue
        elif first == "}" or first == "]":
            assert parent is not None
            parent.end_line, parent.end_column = line, column + 1
            parent = stack.pop() if stack else None
            in_object = parent is not None and parent.kind is obj
            continue
        elif first == "{" or first == "[":
            if len(stack) + (parent is not None) >= MAX_DEPTH:
                raise ParseError(f"nesting deeper than {MAX_DEPTH} levels")
            node = PNode(obj if first == "{" else array, line, column, line, column + 1)
        else:
            literal = words.get(token)
            if literal is not None:
                kind, value = literal
            else:
                kind = NUMBER
                value = float(token) if ("." in token or "e" in token or "E" in token) else int(token)
            node = PNode(kind, line, column, line, column + len(token), value, quoted=False)
        if parent is None:
            root = node
        elif in_object:
            assert key is not None
            parent.entries.append((key, node))
            key = None
        else:
            parent.items.append(node)
        if first == "{" or first == "[":
            if parent is not None:
                stack.append(parent)
            parent = node
            in_object = first == "{"
    return root


def _drop(_pairs: object) -> None:
    return None


def _is_strict(text: str) -> bool:
    """True when json.loads accepts `text` (strict JSON: no comments, no trailing commas).

    A large text's answer is kept for the next ask (the parser asks, then the comment search
    asks again about the same file's text, decoded anew by the engine): json.loads of a 5 MiB
    file costs far more than hashing and comparing it."""
    if len(text) < _REMEMBERED_LEN:
        return _decide_strict(text)
    found = _STRICT_ANSWERS.get(text)
    if found is None:
        found = _decide_strict(text)
        if len(_STRICT_ANSWERS) >= 2:
            _STRICT_ANSWERS.clear()
        _STRICT_ANSWERS[text] = found
    return found


_REMEMBERED_LEN = 64 * 1024
_STRICT_ANSWERS: dict[str, bool] = {}  # the last large texts asked about (at most 2)


def _decide_strict(text: str) -> bool:
    try:
        json.loads(text, object_pairs_hook=_drop)
    except (ValueError, RecursionError):  # JSONDecodeError, or int() past its digit limit
        return False
    return True


def jsonc_comments(text: str) -> list[tuple[int, int, str]]:
    """(line, column, text) of every `//` and `/* */` comment, markers included.

    The text is the exact source slice (a `//` comment ends before the line break that ends it,
    `\\r` or U+2028/U+2029 as in VS Code), so an offset inside it maps back to the file. Works
    lexically, so it also returns comments of files that fail to parse.
    """
    if "/" not in text or _is_strict(text):
        # No comment marker at all, or strict JSON: every `/` of a document json.loads accepts is
        # inside a string, and the scan below matches exactly those strings (they hold no raw line
        # break), so it would find no comment; json.loads decides that in C, the scan in Python.
        return []
    index = LineIndex(text)
    found: list[tuple[int, int, str]] = []
    for match in _COMMENT_SCAN.finditer(text):
        comment = match.group(1)
        if comment is None:
            continue
        line, column = index.position(match.start(1))
        found.append((line, column, comment))
    return found


class _Parser:
    __slots__ = ("text", "index")

    def __init__(self, text: str) -> None:
        self.text = text
        self.index = LineIndex(text)

    def error(self, offset: int, message: str) -> ParseError:
        line, column = self.index.position(offset)
        return ParseError(f"invalid JSON at {line}:{column}: {message}")

    def node(self, kind: NodeKind, start: int, end: int, value: str | int | float | bool | None) -> PNode:
        line, column = self.index.position(start)
        end_line, end_column = self.index.position(end)
        return PNode(kind, line, column, end_line, end_column, value)

    def skip(self, pos: int) -> int:
        pos = _SKIP.match(self.text, pos).end()  # type: ignore[union-attr]  # `*` always matches
        if self.text.startswith("/*", pos):
            raise self.error(pos, "unterminated comment")
        return pos

    def string(self, pos: int) -> tuple[PNode, int]:
        """The string token whose opening quote is at `pos` and the offset after it."""
        text = self.text
        try:
            value, end = scanstring(text, pos + 1, False)
        except JSONDecodeError as exc:
            if exc.msg.startswith("Unterminated"):
                raise self.error(pos, "unterminated string") from None
            raise self.error(exc.pos, "invalid escape in string") from None
        # A raw line break means the closing quote is missing (the match ran into a later string).
        if text.find("\n", pos, end) != -1:
            raise self.error(pos, "unterminated string")
        return self.node(STRING, pos, end, value), end

    def scalar(self, pos: int) -> tuple[PNode, int]:
        """A number or literal starting at `pos`."""
        text = self.text
        word = _WORD.match(text, pos)
        if word is not None:
            literal = _WORDS.get(word.group())
            if literal is None:
                raise self.error(pos, "unexpected word (strings must be double-quoted)")
            kind, value = literal
            node = self.node(kind, pos, word.end(), value)
            node.quoted = False
            return node, word.end()
        number = _NUMBER.match(text, pos)
        if number is None:
            raise self.error(pos, "expected a value")
        raw = number.group()
        end = number.end()
        if end < len(text) and (text[end].isalnum() or text[end] in "._$"):
            raise self.error(pos, "invalid number")
        try:
            parsed: int | float = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
        except ValueError:  # more digits than int() accepts (sys.int_info.str_digits_check_threshold)
            raise self.error(pos, "number too large") from None
        node = self.node(NUMBER, pos, end, parsed)
        node.quoted = False
        return node, end

    def parse(self) -> PNode:
        text = self.text
        size = len(text)
        stack: list[PNode] = []
        keys: list[PNode | None] = []
        root: PNode | None = None
        state = _VALUE
        pos = self.skip(0)
        while True:
            if pos >= size:
                if root is not None and not stack:
                    return root
                raise self.error(pos, "unexpected end of input" if root is not None else "empty document")
            char = text[pos]
            if state == _VALUE or (state == _ITEM_OR_CLOSE and char != "]"):
                if char == "{" or char == "[":
                    if len(stack) >= MAX_DEPTH:
                        raise ParseError(f"nesting deeper than {MAX_DEPTH} levels")
                    line, column = self.index.position(pos)
                    kind = OBJECT if char == "{" else ARRAY
                    value_node = PNode(kind, line, column, line, column + 1)
                    end = pos + 1
                    next_state = _KEY_OR_CLOSE if char == "{" else _ITEM_OR_CLOSE
                elif char == '"':
                    value_node, end = self.string(pos)
                    next_state = _AFTER_VALUE
                elif char in "}],:":
                    raise self.error(pos, "expected a value")
                else:
                    value_node, end = self.scalar(pos)
                    next_state = _AFTER_VALUE
                if stack:
                    parent = stack[-1]
                    if parent.kind is OBJECT:
                        key = keys[-1]
                        assert key is not None
                        parent.entries.append((key, value_node))
                    else:
                        parent.items.append(value_node)
                elif root is None:
                    root = value_node
                else:
                    raise self.error(pos, "unexpected content after the document")
                if next_state != _AFTER_VALUE:
                    stack.append(value_node)
                    keys.append(None)
                state = next_state
                pos = end
            elif state == _AFTER_VALUE:
                if not stack:
                    raise self.error(pos, "unexpected content after the document")
                closer = "}" if stack[-1].kind is OBJECT else "]"
                if char == ",":
                    state = _KEY_OR_CLOSE if closer == "}" else _ITEM_OR_CLOSE
                    pos += 1
                elif char == closer:
                    pos = self.close(stack, keys, pos)
                else:
                    raise self.error(pos, f"expected ',' or '{closer}'")
            elif state == _KEY_OR_CLOSE:
                if char == '"':
                    keys[-1], pos = self.string(pos)
                    state = _COLON
                elif char == "}":
                    pos = self.close(stack, keys, pos)
                    state = _AFTER_VALUE
                else:
                    raise self.error(pos, "expected a double-quoted key or '}'")
            elif state == _COLON:
                if char != ":":
                    raise self.error(pos, "expected ':'")
                state = _VALUE
                pos += 1
            else:  # _ITEM_OR_CLOSE on "]"
                pos = self.close(stack, keys, pos)
                state = _AFTER_VALUE
            pos = self.skip(pos)

    def close(self, stack: list[PNode], keys: list[PNode | None], pos: int) -> int:
        """Pop the container closed by the bracket at `pos`; return the offset after it."""
        container = stack.pop()
        keys.pop()
        container.end_line, container.end_column = self.index.position(pos + 1)
        return pos + 1
