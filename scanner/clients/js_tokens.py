"""The tokenizer of TypeScript / JavaScript source (clients/source_js.py reads its tokens).

String and template literals (escapes decoded, a template's `${…}` written as the reference it reads),
names, numbers and punctuation; comments and regular expression literals left out. Linear in the text:
each character is read once (a regular expression that does not close is remembered, not rescanned
from every later slash).
"""

from __future__ import annotations

from dataclasses import dataclass, field

STR, TPL, NAME, NUM, PUNCT = "str", "tpl", "name", "num", "punct"
_PUNCT2 = frozenset({"=>", "||", "??", "&&", "?.", "...", "==", "!=", "<=", ">=", "+=", "-=", "**"})
# After these tokens a `/` starts a regular expression, not a division.
_REGEX_AFTER = frozenset({"(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%",
                          "<", ">", "~", "^", "=>", "||", "??", "&&", "==", "!=", "return", "typeof",
                          "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield",
                          "await"})
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_HEX = frozenset("0123456789abcdefABCDEF")


def _escape(text: str, j: int) -> tuple[str, int]:
    """The character of the escape at `text[j]` (a backslash) and the offset after it: `\\n`,
    `\\xHH`, `\\uXXXX` (a surrogate pair joined), `\\u{X…}` decoded as JavaScript does; any other
    escaped character is itself."""
    nxt = text[j + 1]
    code = _hex_escape(text, j)
    if code is None:
        return _ESCAPES.get(nxt, nxt), j + 2
    point, end = code
    if 0xD800 <= point < 0xDC00 and text.startswith("\\u", end):
        low = _hex_escape(text, end)
        if low is not None and 0xDC00 <= low[0] < 0xE000:
            return chr(0x10000 + (point - 0xD800) * 0x400 + low[0] - 0xDC00), low[1]
    return ("\ufffd" if 0xD800 <= point < 0xE000 else chr(point)), end


def _hex_escape(text: str, j: int) -> tuple[int, int] | None:
    """(code point, offset after) of `\\xHH` / `\\uXXXX` / `\\u{X…}` at `text[j]`, or None."""
    kind = text[j + 1]
    if kind == "x":
        digits, end = text[j + 2:j + 4], j + 4
        size_ok = len(digits) == 2
    elif kind == "u" and text.startswith("{", j + 2):
        close = text.find("}", j + 3, j + 10)
        digits, end = (text[j + 3:close], close + 1) if close > 0 else ("", j + 2)
        size_ok = bool(digits)
    elif kind == "u":
        digits, end = text[j + 2:j + 6], j + 6
        size_ok = len(digits) == 4
    else:
        return None
    if not size_ok or not _HEX.issuperset(digits) or int(digits, 16) > 0x10FFFF:
        return None
    return int(digits, 16), end


@dataclass(slots=True)
class Token:
    kind: str
    text: str  # a literal's value (escapes decoded; a template's `${…}` as references), else as written
    start: int  # offset of the token's first character
    end: int  # exclusive
    # A template's `${NAME}` of one bare name: (offset in `text`, length of its reference, NAME), so
    # the reader can put the literal of a constant of the file there.
    holes: list[tuple[int, int, str]] = field(default_factory=list)


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
                char, j = _escape(text, j)
                parts.append(char)
                continue
            parts.append(c)
            j += 1
        self.tokens.append(Token(STR, "".join(parts), i, j))
        return j

    def _template(self, i: int) -> int:
        text, n = self.text, self.n
        parts: list[str] = []
        holes: list[tuple[int, int, str]] = []
        j = i + 1
        while j < n:
            c = text[j]
            if c == "`":
                self.tokens.append(Token(TPL, "".join(parts), i, j + 1, holes))
                return j + 1
            if c == "\\" and j + 1 < n:
                char, j = _escape(text, j)
                parts.append(char)
                continue
            if c == "$" and j + 1 < n and text[j + 1] == "{":
                inner = _Tokenizer(text)
                inner.regex_fails_before = self.regex_fails_before
                found = inner.run(j + 2, until_brace=True)
                self.regex_fails_before = max(self.regex_fails_before, inner.regex_fails_before)
                if len(found) == 1 and found[0].kind in (STR, TPL) and not found[0].holes:
                    parts.append(found[0].text)  # `${"…"}`: the literal is in the file
                else:
                    read = code_read(_interpolated(found))
                    if len(found) == 1 and found[0].kind == NAME:
                        holes.append((sum(map(len, parts)), len(read), found[0].text))
                    parts.append(read)
                j = inner.stop + 1
                continue
            parts.append(c)
            j += 1
        self.tokens.append(Token(TPL, "".join(parts), i, j, holes))
        return j


def code_read(name: str) -> str:
    """How a value the code reads or computes is written in a value's text (RefSyntax.CODE_ENV)."""
    return f"${{process.env.{name}}}"


def _interpolated(tokens: list[Token]) -> str:
    """The name a `${…}` reads: `X` of `process.env.X`, else its last name (a reference, never a value)."""
    read = env_read(tokens, 0)
    if read is not None:
        return read[0]
    names = [t.text for t in tokens if t.kind == NAME]
    return names[-1] if names else "VALUE"


def env_read(tokens: list[Token], i: int) -> tuple[str, int] | None:
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


CLOSERS = frozenset({",", ")", "]", "}", ";"})
DECLARE = frozenset({"const", "let", "var"})


def type_end(tokens: list[Token], i: int) -> int:
    """The index after a type written after `as` / `satisfies` (names, `.`, `|`, `&`, `[]`, and
    `<…>` arguments balanced: their commas are not the expression's)."""
    n = len(tokens)
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
    return i


_MAX_TYPE_TOKENS = 64  # a declared name's type annotation longer than this is not looked through


def typed_equals(tokens: list[Token], i: int) -> int:
    """The index of the `=` of a declaration whose name is at `i` when a type annotation sits
    between them (`const ENV: Record<string, string> = …`), else `i + 1`."""
    if i + 1 >= len(tokens) or tokens[i + 1].text != ":":
        return i + 1
    depth = 0
    for j in range(i + 2, min(len(tokens), i + 2 + _MAX_TYPE_TOKENS)):
        text = tokens[j].text
        if text in ("<", "(", "[", "{"):
            depth += 1
        elif text in (">", ")", "]", "}"):
            depth -= 1
            if depth < 0:
                break
        elif text == "=" and depth == 0:
            return j
        elif text == ";" and depth == 0:
            break
    return i + 1


def bindings(tokens: list[Token], calls: frozenset[str]
             ) -> tuple[dict[str, str], dict[str, Token], list[str], frozenset[str]]:
    """One pass over the tokens: (aliases: `X as Y` / `const Y = X` of an MCP API X in `calls`;
    constants: names declared exactly once, never assigned again, as one literal `const TOKEN = "…";`;
    the relative modules the file loads: `from "./x"`, `import "./x"`, `require("./x")`; the names
    assigned exactly once, whatever their value)."""
    n = len(tokens)
    aliases: dict[str, str] = {}
    specifiers: list[str] = []
    declared: dict[str, int] = {}
    literal: dict[str, Token] = {}
    for i, tok in enumerate(tokens):
        before = tokens[i - 1].text if i else ""
        if tok.kind == STR and tok.text.startswith(("./", "../")) and (
                before in ("from", "import") or before == "(" and i > 1
                and tokens[i - 2].text in ("require", "import")):
            specifiers.append(tok.text)
        if tok.kind != NAME or i + 2 >= n:
            continue
        eq = typed_equals(tokens, i) if before in DECLARE else i + 1  # `const NAME: Type = …`
        if eq + 1 >= n:
            continue
        nxt, third = tokens[eq], tokens[eq + 1]
        if tok.text in calls and nxt.text == "as" and third.kind == NAME:
            aliases[third.text] = tok.text
        elif nxt.kind == PUNCT and nxt.text in ("=", "+=") and before not in (".", "?."):
            declared[tok.text] = declared.get(tok.text, 0) + 1
            if third.kind in (STR, TPL) and (eq + 2 >= n or tokens[eq + 2].text in CLOSERS) \
                    and before in DECLARE and nxt.text == "=":
                literal[tok.text] = third
            elif third.kind == NAME and third.text in calls:
                aliases[tok.text] = third.text
    return (aliases, {name: tok for name, tok in literal.items() if declared.get(name) == 1}, specifiers,
            frozenset(name for name, count in declared.items() if count == 1))
