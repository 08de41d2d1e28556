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
reference (`${process.env.X}` as `${X}`) or the literal it holds (`${"…"}`, a constant of the file);
`new URL("…")` is its string. What an expression can evaluate to without running anything is its
value too: `"a" + b` joined (a piece that is no literal a reference), `("…")`, and otherwise each
literal operand of it (`c ? "…" : x`, `x || "…"`, `"…".trim()`, String.raw`…`: one entry each, a
literal compared with `===` / `!=` / `<` excepted); `Object.assign({}, {…})` and `{...{…}}` merge
their object literals; `["K"]: v` is the key `K`; a name declared once as a literal
(`const TOKEN = "…"`) is that literal, also as a shorthand entry (`{ TOKEN }`); an MCP API imported
or declared under another name (`import { StdioClientTransport as T }`) is that API.
"""

from __future__ import annotations

from scanner.clients import source_code
from scanner.clients.js_tokens import (
    CLOSERS,
    DECLARE,
    NAME,
    NUM,
    PUNCT,
    STR,
    TPL,
    Token,
    bindings,
    code_read,
    env_read,
    tokenize,
    type_end,
    typed_equals,
)
from scanner.clients.source_code import Site
from scanner.model import Client, FileFormat, McpConfig
from scanner.parsing.node import NodeKind, PNode

_CLOSERS, _DECLARE = CLOSERS, DECLARE
# Brackets nested deeper than this are stepped over (the reader recurses once per level).
_MAX_DEPTH = 48
# A literal next to one of these is compared, not a value (`x === "none" ? … : …`).
_COMPARE = frozenset({"==", "!=", "=", "<", ">", "<=", ">=", "in", "instanceof"})


def build(path: str, text: str, imported: bool = False) -> McpConfig | None:
    """The servers of a TypeScript / JavaScript file and the local modules it imports (never fails:
    unknown syntax is stepped over); `imported`: a module such a file imports, whose top-level
    literals are values of the file too."""
    reader = _Reader(text, tokenize(text))
    reader.read_all()
    imports = tuple(dict.fromkeys(rel for specifier in reader.specifiers
                                  for rel in source_code.script_paths(path, specifier) if rel != path))
    objects = list(reader.objects)  # (reading the writes below meets their objects a second time)
    values = [*(reader.declared if imported else ()), *reader.environment_writes()]
    return source_code.build(path, Client.JS_CODE, FileFormat.JAVASCRIPT, reader.sites, objects,
                             imports, values or None)


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
        self.declared: list[tuple[str, PNode]] = []  # top-level `const NAME = <literal>` values
        self.aliases, self.constants, self.specifiers, self._once = bindings(tokens, _CALLS)
        # `const ENV = {…}` (a name assigned once): read as that object where the name is used later
        self.named_objects: dict[str, PNode] = {}

    def environment_writes(self) -> list[tuple[str, PNode]]:
        """(name, value) of each literal the file writes into its own environment: `process.env.K = v`,
        `process.env["K"] = v`, `Object.assign(process.env, {K: v})`. The servers it starts inherit it
        (`env: process.env`, or a child process's environment), as they get their `env`."""
        out: list[tuple[str, PNode]] = []
        tokens, n = self.tokens, self.n
        for i in range(n - 4):
            if tokens[i].text != "process" or tokens[i + 1].text != "." or tokens[i + 2].text != "env":
                continue
            at = i + 3
            if at + 2 < n and tokens[at].text == "." and tokens[at + 1].kind == NAME \
                    and tokens[at + 2].text == "=":
                name, value_at = tokens[at + 1].text, at + 3
            elif at + 4 < n and tokens[at].text == "[" and tokens[at + 1].kind == STR \
                    and tokens[at + 2].text == "]" and tokens[at + 3].text == "=":
                name, value_at = tokens[at + 1].text, at + 4
            elif i >= 4 and tokens[i - 1].text == "(" and tokens[i - 2].text == "assign" \
                    and tokens[i - 4].text == "Object" and at + 1 < n and tokens[at].text == "," \
                    and tokens[at + 1].text == "{":
                target, _end = self.object(at + 1)
                out.extend((key, value) for key, _node, value in target.pairs() if value.is_string)
                continue
            else:
                continue
            values, _end = self.expr_values(value_at, name)
            out.extend((name, value) for value in values if value.is_string)
        return out

    def where(self, offset: int) -> tuple[int, int]:
        from bisect import bisect_right

        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def read_all(self) -> None:
        i = 0
        while i < self.n:
            name = None
            tok = self.tokens[i]
            at = i + 1 if tok.text == "export" else i  # `export const NAME = …`
            eq = at + 2
            if at + 2 < self.n and self.tokens[at].kind == NAME and self.tokens[at].text in _DECLARE \
                    and self.tokens[at + 1].kind == NAME:
                name = self.tokens[at + 1].text
                eq = typed_equals(self.tokens, at + 1)
                if eq != at + 2:  # `const ENV: Type = …`: the type is stepped over
                    i = eq
            start = i
            values, i = self.expr_values(i, name)
            if name is not None and eq < self.n and self.tokens[eq].text == "=":
                self.declared.extend((name, value) for value in values if value.is_string or value.is_object)
                objects = [value for value in values if value.is_object]
                if name in self._once and len(objects) == 1:
                    self.named_objects[name] = objects[0]
            if i == start:  # a closer out of place
                i += 1
                self.steps += 1

    def expr(self, i: int, name: str | None = None) -> tuple[PNode | None, int]:
        """One expression from `i` to the next closer at its depth: (its value, preferring a literal
        to an environment read, or None; index after)."""
        found, i = self.expr_values(i, name)
        literal = next((v for v in found if v.is_string and not _is_read(v)), None)
        return literal or (found[0] if found else None), i

    def expr_values(self, i: int, name: str | None = None) -> tuple[list[PNode], int]:
        """One expression from `i` to the next closer at its depth: (every value it can evaluate to:
        a single literal, an env read or an env read with a literal fallback, a `+` join, else each
        literal operand; index after)."""
        value: PNode | None = None
        parts = 0
        tokens, n = self.tokens, self.n
        operands: list[tuple[Token, PNode | None]] = []
        first = i
        while i < n and not (tokens[i].kind == PUNCT and tokens[i].text in _CLOSERS):
            tok = tokens[i]
            if tok.kind == PUNCT and tok.text in ("||", "??") and parts == 1 and value is not None \
                    and value.value is not None and str(value.value).startswith("${process.env."):
                fallback, after = self.primary(i + 1, name)
                if fallback is not None and fallback.is_string and fallback.value:
                    value = fallback  # the literal the code falls back to is in the file
                    operands[-1] = (tok, fallback)
                    i = after
                    continue
            node, i = self.primary(i, name)
            if node is not None and node.is_array and i + 2 < n and tokens[i].text == "." \
                    and tokens[i + 1].text == "join" and tokens[i + 2].text == "(":
                node, i = self._array_join(node, tok, i + 2)  # `["…", "…"].join("")`
            if tok.kind == NAME and tok.text in ("as", "satisfies") and parts == 1 and i < n \
                    and not (tokens[i].kind == PUNCT and tokens[i].text in _CLOSERS):
                i = self._type(i)  # `"…" as const`, `{…} as Record<string, string>`: the value stays
                continue
            if tok.kind == PUNCT and tok.text in (":", "!"):
                continue  # a type annotation / non-null assertion after the value keeps it
            parts += 1
            operands.append((tok, node))
            value = node if parts == 1 else None
        if parts <= 1:
            return ([] if value is None else [value]), i
        return self._operand_values(operands, first, i), i

    def _operand_values(self, operands: list[tuple[Token, PNode | None]], first: int,
                        end: int) -> list[PNode]:
        """The values of an expression of several operands: their `+` join when a piece is a
        literal, else each string or object literal not compared with something."""
        pieces: list[list[tuple[Token, PNode | None]]] = [[]]
        for tok, node in operands:
            if tok.kind == PUNCT and tok.text == "+":
                pieces.append([])
            else:
                pieces[-1].append((tok, node))
        if len(pieces) > 1 and all(pieces) and any(len(p) == 1 and p[0][1] is not None and p[0][1].is_string
                                                   for p in pieces):
            texts = []
            for piece in pieces:
                node = piece[0][1] if len(piece) == 1 else None
                if node is not None and node.kind in (NodeKind.STRING, NodeKind.NUMBER):
                    texts.append(str(node.value))
                else:
                    label = next((t.text for t, _n in reversed(piece) if t.kind == NAME), "VALUE")
                    texts.append(code_read(label))
            start, last = self.tokens[first], self.tokens[end - 1]
            return [self.scalar(NodeKind.STRING, start, "".join(texts), end=last.end)]
        out: list[PNode] = []
        for index, (_tok, node) in enumerate(operands):
            if node is None or not (node.is_object or node.is_string and node.value):
                continue
            around = [operands[k][0].text for k in (index - 1, index + 1) if 0 <= k < len(operands)]
            if node.is_string and any(text in _COMPARE for text in around):
                continue
            out.append(node)
        return out

    def _array_join(self, array: PNode, start: Token, i: int) -> tuple[PNode | None, int]:
        """`[…].join(sep)` at `i` (its `(`): the items joined (an item that is no literal is its
        reference) when one is a string literal, else the array; index after the call."""
        args, after = self.arguments(i)
        separator = args[0] if args else None
        if separator is not None and not separator.is_string \
                or not any(item.is_string for item in array.items):
            return array, after
        joiner = "," if separator is None else str(separator.value)
        texts = [str(item.value) if item.kind in (NodeKind.STRING, NodeKind.NUMBER) else code_read("VALUE")
                 for item in array.items]
        return self.scalar(NodeKind.STRING, start, joiner.join(texts), end=self.tokens[after - 1].end), after

    def _type(self, i: int) -> int:
        """The index after a type written after `as` / `satisfies` (js_tokens.type_end)."""
        end = type_end(self.tokens, i)
        self.steps += end - i
        return end

    def primary(self, i: int, name: str | None = None) -> tuple[PNode | None, int]:
        """One operand at `i` (always consumes at least one token)."""
        tokens = self.tokens
        tok = tokens[i]
        self.steps += 1
        if self.depth >= _MAX_DEPTH:
            return None, i + 1  # nested past any real config: stepped over token by token
        if tok.kind in (STR, TPL):
            return self.scalar(NodeKind.STRING, tok, self._filled(tok)), i + 1
        if tok.kind == NUM:
            return self.scalar(NodeKind.NUMBER, tok, tok.text, quoted=False), i + 1
        if tok.kind == PUNCT and tok.text == "{":
            return self.object(i)
        if tok.kind == PUNCT and tok.text == "[":
            return self.array(i)
        if tok.kind == PUNCT and tok.text == "(":
            args, after = self.arguments(i)
            grouped = len(args) == 1 and not (after < self.n and tokens[after].text == "=>")
            return (args[0] if grouped else None), after  # `("…")`; not an arrow's parameters
        if tok.kind == NAME:
            read = env_read(tokens, i)
            if read is not None:
                end = tokens[read[1] - 1]
                node = self.scalar(NodeKind.STRING, tok, code_read(read[0]), end=end.end)
                return node, read[1]
            if tok.text in ("true", "false"):
                return self.scalar(NodeKind.BOOL, tok, tok.text == "true", quoted=False), i + 1
            if tok.text == "new" and i + 2 < self.n and tokens[i + 1].text in ("URL", "Headers") \
                    and tokens[i + 2].text == "(":
                args, after = self.arguments(i + 2)  # `new URL("…")`: its string; `new Headers({…})`
                kind = NodeKind.STRING if tokens[i + 1].text == "URL" else NodeKind.OBJECT
                return (args[0] if args and args[0] is not None and args[0].kind is kind else None), after
            if tok.text == "Object" and i + 3 < self.n and tokens[i + 2].text == "assign" \
                    and tokens[i + 1].text == "." and tokens[i + 3].text == "(":
                args, after = self.arguments(i + 3)
                entries = [entry for arg in args if arg is not None and arg.is_object
                           for entry in arg.entries]
                line, column = self.where(tok.start)
                end_line, end_column = self.where(tokens[after - 1].end)
                return PNode(NodeKind.OBJECT, line, column, end_line, end_column, entries=entries), after
            if i + 1 < self.n and tokens[i + 1].text == "(" and tokens[i + 1].kind == PUNCT:
                args, after = self.arguments(i + 1)
                api = self.aliases.get(tok.text, tok.text)
                if api in _CALLS:
                    line, column = self.where(tok.start)
                    self.sites.append(Site(api, line, column, args, name=name))
                return None, after
            constant = self._constant(i)
            if constant is not None:
                return constant, i + 1
            named = self.named_objects.get(tok.text)
            if named is not None and not (i and tokens[i - 1].text in (".", "?.")) \
                    and not (i + 1 < self.n and tokens[i + 1].text in (".", "?.", "[")):
                return named, i + 1  # `env: ENV` of a `const ENV = {…}` (not `ENV.x`, `x.ENV`)
        return None, i + 1

    def _constant(self, i: int) -> PNode | None:
        """The literal of the constant named at `i` (never a property `x.NAME`), positioned where the
        literal is written."""
        tokens = self.tokens
        literal = self.constants.get(tokens[i].text)
        if literal is None or i and tokens[i - 1].text in (".", "?.") or literal.start == tokens[i].start:
            return None
        return self.scalar(NodeKind.STRING, literal, self._filled(literal))

    def _filled(self, tok: Token) -> str:
        """A literal's text with each `${NAME}` of a constant of the file replaced by its literal."""
        if not tok.holes:
            return tok.text
        text = tok.text
        for offset, length, name in reversed(tok.holes):
            constant = self.constants.get(name)
            if constant is not None and constant is not tok and not constant.holes:
                text = text[:offset] + constant.text + text[offset + length:]
        return text

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
            values, i = self.expr_values(i)
            items.extend(values)
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
            at = i
            if tok.kind == PUNCT and tok.text == "[" and i + 3 < self.n and tokens[i + 2].text == "]" \
                    and tokens[i + 3].text == ":" and tokens[i + 1].kind in (STR, TPL, NAME):
                tok, i = tokens[i + 1], i + 2  # a computed key `["K"]: v` (a name: its constant, else itself)
            if tok.kind in (NAME, STR, NUM, TPL) and i + 1 < self.n and tokens[i + 1].text == ":" \
                    and tokens[i + 1].kind == PUNCT:
                self.steps += 1
                values, i = self.expr_values(i + 2, tok.text if tok.kind != NUM else None)
                constant = self._constant(at + 1) if at != i and tok.kind == NAME else None
                line, column = self.where(tok.start)
                end_line, end_column = self.where(tok.end)
                text = str(constant.value) if constant is not None else self._filled(tok)
                key = PNode(NodeKind.STRING, line, column, end_line, end_column, text)
                entries.extend((key, value) for value in values)
            elif tok.kind == PUNCT and tok.text == "..." and i + 1 < self.n and tokens[i + 1].text == "{":
                spread, i = self.object(i + 1)  # `{...{K: "…"}}`: its entries are this object's
                entries.extend(spread.entries)
            elif tok.kind == NAME and i + 1 < self.n and tokens[i + 1].text in (",", "}") \
                    and (constant := self._constant(i)) is not None:
                line, column = self.where(tok.start)  # a shorthand `{ TOKEN }` of a constant
                end_line, end_column = self.where(tok.end)
                key = PNode(NodeKind.STRING, line, column, end_line, end_column, tok.text)
                entries.append((key, constant))
                i += 1
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


def _is_read(node: PNode) -> bool:
    """Whether a string node is only a read of the environment (`${process.env.X}`)."""
    text = str(node.value)
    return text.startswith("${process.env.") and text.endswith("}") and text.count("$") == 1
