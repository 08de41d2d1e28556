"""TypeScript / JavaScript source (client `js-code`): the MCP API calls and server literals of a
`.ts` / `.tsx` / `.js` / `.mjs` / `.cjs` / `.mts` / `.cts` file.

No maintained pure-Python parser reads TypeScript (esprima 4.0.1 is from 2018 and ES2017 only; its
forks read no TypeScript either; tree-sitter needs compiled grammars): a small tokenizer reads string
and template literals, names, numbers and punctuation (comments and regular expression literals
skipped), and a reader over its tokens builds object and array literals as positioned PNodes.
Everything else (types, statements, function bodies) is stepped over, so an expression the reader
does not understand costs nothing and yields no value. Both passes are linear in the text: each
character is read once by the tokenizer, each token once by the reader (a regular expression that
does not close is remembered, not rescanned from every later slash).

Values: a string literal is itself; `process.env.X` / `process.env["X"]` is the reference `${X}`,
with a literal after `||` / `??` as that literal; a template literal is its text with each `${…}` a
reference (`${process.env.X}` as `${X}`); `new URL("…")` is its string.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.clients import source_code
from scanner.clients.source_code import Site
from scanner.model import Client, FileFormat, McpConfig
from scanner.parsing.node import NodeKind, PNode

STR, TPL, NAME, NUM, PUNCT = "str", "tpl", "name", "num", "punct"
_PUNCT2 = frozenset({"=>", "||", "??", "&&", "?.", "...", "==", "!=", "<=", ">=", "+=", "-=", "**"})
# After these tokens a `/` starts a regular expression, not a division.
_REGEX_AFTER = frozenset({"(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%",
                          "<", ">", "~", "^", "=>", "||", "??", "&&", "==", "!=", "return", "typeof",
                          "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield",
                          "await"})
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_CLOSERS = frozenset({",", ")", "]", "}", ";"})
_DECLARE = frozenset({"const", "let", "var"})
# Brackets nested deeper than this are stepped over (the reader recurses once per level).
_MAX_DEPTH = 48


@dataclass(slots=True)
class Token:
    kind: str
    text: str  # a literal's value (escapes decoded; a template's `${…}` as references), else as written
    start: int  # offset of the token's first character
    end: int  # exclusive


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, comments and regular expressions left out; linear in `len(text)`."""
    return _Tokenizer(text).run()


class _Tokenizer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.tokens: list[Token] = []
        self.regex_fails_before = -1  # a `/` before this offset cannot open a regular expression

    def run(self, i: int = 0, until_brace: bool = False) -> list[Token]:
        """Tokens from `i` (to the end, or, with `until_brace`, to the `}` closing a template's `${`;
        then `self.stop` is that brace's offset)."""
        text, n, out = self.text, self.n, self.tokens
        depth = 0
        while i < n:
            c = text[i]
            if c in " \t\r\n\ufeff\u2028\u2029":
                i += 1
            elif c == "/" and i + 1 < n and text[i + 1] == "/":
                j = text.find("\n", i)
                i = n if j < 0 else j
            elif c == "/" and i + 1 < n and text[i + 1] == "*":
                j = text.find("*/", i + 2)
                i = n if j < 0 else j + 2
            elif c in "\"'":
                i = self._string(i, c)
            elif c == "`":
                i = self._template(i)
            elif c.isalpha() or c in "_$" or ord(c) > 127:
                j = i + 1
                while j < n and (text[j].isalnum() or text[j] in "_$" or ord(text[j]) > 127):
                    j += 1
                out.append(Token(NAME, text[i:j], i, j))
                i = j
            elif c.isdigit():
                j = i + 1
                while j < n and (text[j].isalnum() or text[j] in "._"):
                    j += 1
                out.append(Token(NUM, text[i:j], i, j))
                i = j
            elif c == "/" and self._regex_allowed():
                i = self._regex(i)
            else:
                if until_brace:
                    if c == "{":
                        depth += 1
                    elif c == "}":
                        if depth == 0:
                            self.stop = i
                            return out
                        depth -= 1
                pair = text[i:i + 2]
                if text[i:i + 3] == "...":
                    out.append(Token(PUNCT, "...", i, i + 3))
                    i += 3
                elif pair in _PUNCT2:
                    out.append(Token(PUNCT, pair, i, i + 2))
                    i += 2
                else:
                    out.append(Token(PUNCT, c, i, i + 1))
                    i += 1
        self.stop = n
        return out

    def _regex_allowed(self) -> bool:
        if not self.tokens:
            return True
        last = self.tokens[-1]
        return last.kind in (PUNCT, NAME) and last.text in _REGEX_AFTER

    def _regex(self, i: int) -> int:
        """Past a regular expression literal at `i`, or past the lone `/` when none closes on its line."""
        text, n = self.text, self.n
        if i < self.regex_fails_before:
            self.tokens.append(Token(PUNCT, "/", i, i + 1))
            return i + 1
        j, in_class = i + 1, False
        while j < n and text[j] != "\n":
            c = text[j]
            if c == "\\":
                j += 2
                continue
            if c == "[":
                in_class = True
            elif c == "]":
                in_class = False
            elif c == "/" and not in_class:
                j += 1
                while j < n and text[j].isalpha():  # flags
                    j += 1
                self.tokens.append(Token(PUNCT, "regex", i, j))
                return j
            j += 1
        self.regex_fails_before = j
        self.tokens.append(Token(PUNCT, "/", i, i + 1))
        return i + 1

    def _string(self, i: int, quote: str) -> int:
        text, n = self.text, self.n
        parts: list[str] = []
        j = i + 1
        while j < n:
            c = text[j]
            if c == quote:
                self.tokens.append(Token(STR, "".join(parts), i, j + 1))
                return j + 1
            if c == "\n":
                break  # unterminated: ends at the line's end
            if c == "\\" and j + 1 < n:
                nxt = text[j + 1]
                if nxt == "\n":
                    j += 2
                    continue
                parts.append(_ESCAPES.get(nxt, nxt))
                j += 2
                continue
            parts.append(c)
            j += 1
        self.tokens.append(Token(STR, "".join(parts), i, j))
        return j

    def _template(self, i: int) -> int:
        text, n = self.text, self.n
        parts: list[str] = []
        j = i + 1
        while j < n:
            c = text[j]
            if c == "`":
                self.tokens.append(Token(TPL, "".join(parts), i, j + 1))
                return j + 1
            if c == "\\" and j + 1 < n:
                parts.append(_ESCAPES.get(text[j + 1], text[j + 1]))
                j += 2
                continue
            if c == "$" and j + 1 < n and text[j + 1] == "{":
                inner = _Tokenizer(text)
                inner.regex_fails_before = self.regex_fails_before
                found = inner.run(j + 2, until_brace=True)
                self.regex_fails_before = max(self.regex_fails_before, inner.regex_fails_before)
                parts.append(code_read(_interpolated(found)))
                j = inner.stop + 1
                continue
            parts.append(c)
            j += 1
        self.tokens.append(Token(TPL, "".join(parts), i, j))
        return j


def code_read(name: str) -> str:
    """How a value the code reads or computes is written in a value's text (RefSyntax.CODE_ENV)."""
    return f"${{process.env.{name}}}"


def _interpolated(tokens: list[Token]) -> str:
    """The name a `${…}` reads: `X` of `process.env.X`, else its last name (a reference, never a value)."""
    read = _env_read(tokens, 0)
    if read is not None:
        return read[0]
    names = [t.text for t in tokens if t.kind == NAME]
    return names[-1] if names else "VALUE"


def _env_read(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """(variable name, index after it) for `process.env.X` / `process.env["X"]` / `import.meta.env.X`
    / `Deno.env.get("X")` at `i`, or None."""
    n = len(tokens)

    def text(k: int) -> str:
        return tokens[k].text if k < n and tokens[k].kind in (NAME, PUNCT) else ""

    if text(i) in ("process", "import") and text(i + 1) in (".", "?.") and text(i + 2) in ("env", "meta"):
        k = i + 3
        if text(i + 2) == "meta":
            if text(k) != "." or text(k + 1) != "env":
                return None
            k += 2
        if text(k) in (".", "?.") and k + 1 < n and tokens[k + 1].kind == NAME:
            return tokens[k + 1].text, k + 2
        if text(k) == "[" and k + 2 < n and tokens[k + 1].kind == STR and text(k + 2) == "]":
            return tokens[k + 1].text, k + 3
    return None


def build(path: str, text: str) -> McpConfig | None:
    """The servers of a TypeScript / JavaScript file (never fails: unknown syntax is stepped over)."""
    reader = _Reader(text, tokenize(text))
    reader.read_all()
    return source_code.build(path, Client.JS_CODE, FileFormat.JAVASCRIPT, reader.sites, reader.objects)


_CALLS = frozenset({*source_code.SERVER_CALLS, *source_code.MAP_CALLS, *source_code.CONFIG_CALLS})


class _Reader:
    """Object literals and MCP API calls over the tokens; `steps` counts the tokens consumed."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.n = len(tokens)
        self.sites: list[Site] = []
        self.objects: list[PNode] = []
        self.steps = 0
        self.depth = 0  # brackets open around the token being read (bounded: _MAX_DEPTH)
        # offset -> (line, column): line starts, looked up by bisection
        self._starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self._starts.append(index + 1)

    def where(self, offset: int) -> tuple[int, int]:
        from bisect import bisect_right

        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def read_all(self) -> None:
        i = 0
        while i < self.n:
            name = None
            tok = self.tokens[i]
            if tok.kind == NAME and tok.text in _DECLARE and i + 2 < self.n \
                    and self.tokens[i + 1].kind == NAME:
                name = self.tokens[i + 1].text
            start = i
            _node, i = self.expr(i, name)
            if i == start:  # a closer out of place
                i += 1
                self.steps += 1

    def expr(self, i: int, name: str | None = None) -> tuple[PNode | None, int]:
        """One expression from `i` to the next closer at its depth: (its value when it is a single
        literal, an env read or an env read with a literal fallback, else None; index after)."""
        value: PNode | None = None
        parts = 0
        tokens, n = self.tokens, self.n
        while i < n and not (tokens[i].kind == PUNCT and tokens[i].text in _CLOSERS):
            tok = tokens[i]
            if tok.kind == PUNCT and tok.text in ("||", "??") and parts == 1 and value is not None \
                    and value.value is not None and str(value.value).startswith("${process.env."):
                fallback, after = self.primary(i + 1, name)
                if fallback is not None and fallback.is_string and fallback.value:
                    value = fallback  # the literal the code falls back to is in the file
                    i = after
                    continue
            node, i = self.primary(i, name)
            if tok.kind == NAME and tok.text in ("as", "satisfies") and parts == 1 and i < n \
                    and not (tokens[i].kind == PUNCT and tokens[i].text in _CLOSERS):
                i = self._type(i)  # `"…" as const`, `{…} as Record<string, string>`: the value stays
                continue
            if tok.kind == PUNCT and tok.text in (":", "!"):
                continue  # a type annotation / non-null assertion after the value keeps it
            parts += 1
            value = node if parts == 1 else None
        return value, i

    def _type(self, i: int) -> int:
        """The index after a type written after `as` / `satisfies` (names, `.`, `|`, `&`, `[]`, and
        `<…>` arguments balanced: their commas are not the expression's)."""
        tokens, n = self.tokens, self.n
        angle = 0
        while i < n:
            tok = tokens[i]
            if tok.kind == PUNCT and tok.text == "<":
                angle += 1
            elif tok.kind == PUNCT and tok.text == ">" and angle:
                angle -= 1
            elif not (angle or tok.kind in (NAME, STR, NUM) or tok.text in (".", "|", "&", "[", "]")):
                break
            elif angle and tok.kind == PUNCT and tok.text in (";", "{", "}", ")"):
                break  # not a type after all: the expression goes on from here
            i += 1
            self.steps += 1
        return i

    def primary(self, i: int, name: str | None = None) -> tuple[PNode | None, int]:
        """One operand at `i` (always consumes at least one token)."""
        tokens = self.tokens
        tok = tokens[i]
        self.steps += 1
        if self.depth >= _MAX_DEPTH:
            return None, i + 1  # nested past any real config: stepped over token by token
        if tok.kind in (STR, TPL):
            return self.scalar(NodeKind.STRING, tok, tok.text), i + 1
        if tok.kind == NUM:
            return self.scalar(NodeKind.NUMBER, tok, tok.text, quoted=False), i + 1
        if tok.kind == PUNCT and tok.text == "{":
            return self.object(i)
        if tok.kind == PUNCT and tok.text == "[":
            return self.array(i)
        if tok.kind == PUNCT and tok.text == "(":
            _args, after = self.arguments(i)
            return None, after
        if tok.kind == NAME:
            read = _env_read(tokens, i)
            if read is not None:
                end = tokens[read[1] - 1]
                node = self.scalar(NodeKind.STRING, tok, code_read(read[0]), end=end.end)
                return node, read[1]
            if tok.text in ("true", "false"):
                return self.scalar(NodeKind.BOOL, tok, tok.text == "true", quoted=False), i + 1
            if tok.text == "new" and i + 2 < self.n and tokens[i + 1].text == "URL" \
                    and tokens[i + 2].text == "(":
                args, after = self.arguments(i + 2)
                return (args[0] if args and args[0] is not None and args[0].is_string else None), after
            if i + 1 < self.n and tokens[i + 1].text == "(" and tokens[i + 1].kind == PUNCT:
                args, after = self.arguments(i + 1)
                if tok.text in _CALLS:
                    line, column = self.where(tok.start)
                    self.sites.append(Site(tok.text, line, column, args, name=name))
                return None, after
        return None, i + 1

    def scalar(self, kind: NodeKind, tok: Token, value: str | bool, *, quoted: bool = True,
               end: int | None = None) -> PNode:
        line, column = self.where(tok.start)
        end_line, end_column = self.where(tok.end if end is None else end)
        return PNode(kind, line, column, end_line, end_column, value, quoted=quoted)

    def arguments(self, i: int) -> tuple[list[PNode | None], int]:
        """The expressions of a parenthesised list at `i` (`(`), and the index after its `)`."""
        self.depth += 1
        try:
            return self._arguments(i)
        finally:
            self.depth -= 1

    def _arguments(self, i: int) -> tuple[list[PNode | None], int]:
        args: list[PNode | None] = []
        i += 1
        while i < self.n and self.tokens[i].text != ")":
            value, i = self.expr(i)
            args.append(value)
            if i < self.n and self.tokens[i].text in (",", ";"):
                i += 1
            elif i < self.n and self.tokens[i].text in ("]", "}"):
                i += 1  # out of place: stepped over
        return args, min(i + 1, self.n)

    def array(self, i: int) -> tuple[PNode, int]:
        self.depth += 1
        try:
            return self._array(i)
        finally:
            self.depth -= 1

    def _array(self, i: int) -> tuple[PNode, int]:
        start = self.tokens[i]
        items: list[PNode] = []
        i += 1
        while i < self.n and self.tokens[i].text != "]":
            value, i = self.expr(i)
            if value is not None:
                items.append(value)
            if i < self.n and self.tokens[i].text in (",", ";", ")", "}"):
                i += 1
        end = self.tokens[min(i, self.n - 1)]
        line, column = self.where(start.start)
        end_line, end_column = self.where(end.end)
        return PNode(NodeKind.ARRAY, line, column, end_line, end_column, items=items), min(i + 1, self.n)

    def object(self, i: int) -> tuple[PNode, int]:
        """An object literal (or a block read as one: its statements yield no entries)."""
        self.depth += 1
        try:
            return self._object(i)
        finally:
            self.depth -= 1

    def _object(self, i: int) -> tuple[PNode, int]:
        tokens = self.tokens
        start = tokens[i]
        entries: list[tuple[PNode, PNode]] = []
        i += 1
        while i < self.n and tokens[i].text != "}":
            tok = tokens[i]
            if tok.kind in (NAME, STR, NUM) and i + 1 < self.n and tokens[i + 1].text == ":" \
                    and tokens[i + 1].kind == PUNCT:
                self.steps += 1
                value, i = self.expr(i + 2, tok.text if tok.kind != NUM else None)
                if value is not None:
                    line, column = self.where(tok.start)
                    end_line, end_column = self.where(tok.end)
                    key = PNode(NodeKind.STRING, line, column, end_line, end_column, tok.text)
                    entries.append((key, value))
            else:
                _value, after = self.expr(i)  # shorthand, spread, method, statement: no entry
                i = after if after > i else i + 1
            if i < self.n and tokens[i].text in (",", ";", ")", "]"):
                i += 1
                self.steps += 1
        end = tokens[min(i, self.n - 1)]
        line, column = self.where(start.start)
        end_line, end_column = self.where(end.end)
        node = PNode(NodeKind.OBJECT, line, column, end_line, end_column, entries=entries)
        self.objects.append(node)
        return node, min(i + 1, self.n)
