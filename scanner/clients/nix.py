"""MCP servers declared in Nix: home-manager modules (`programs.claude-code.mcpServers.<name>.env`,
`programs.mcp.servers.<name>.headers`, `programs.opencode.settings.mcp.<name>.environment`) and
mcp-servers-nix (`mkConfig pkgs { programs.<name>.env = { … }; settings.servers.<name> = { … }; }`),
as public dotfiles write them (corpus 13).

No Nix evaluator runs (nothing of a scanned repository is executed) and no maintained Python Nix parser
exists, so the text is tokenised (strings, comments, attribute paths, braces) and only the
`name = <string>;` bindings under an attribute named `env` / `environment` / `headers` are read: the
environment and headers the module hands the server, named by the attribute above that one. A set
or string behind a modifier (`lib.mkForce { … }`, `rec { … }`, `lib.mkDefault "…"`, `lib.mkIf c { … }`;
not behind a reading function) is that attribute's. The string may be written as Nix writes strings:
`"…"`, an indented `''…''` (one line or several: its common indentation dropped, as Nix does), strings
and names joined with `+`, and a name bound to a string elsewhere in the file (`let key = "…"; in`,
`env.K = key;`, also `"${key}"`). A `${…}` that is no such name is Nix interpolation
(`${config.age.secrets.x.path}`, `${builtins.readFile /run/agenix/gh}`): a reference, its value unknown
here. A string holding a JSON object (`builtins.fromJSON ''{ … }''`, `home.file."….json".text = ''…''`)
is that JSON: its string leaves are values of the file (`file_values`), judged under their keys. Anything else
(`command`, `args`, package hashes, `envFile` paths) is not read.
"""

from __future__ import annotations

import re

from scanner import parsing
from scanner.clients._build import string_leaves
from scanner.errors import ParseError
from scanner.model import Client, FieldValue, FileFormat, Location, McpConfig, ServerEntry, Transport
from scanner.parsing.positions import LineIndex

# A file is read only when its text says MCP (most `.nix` files of a repository do not).
_MCP = re.compile(r"(?i)mcp")
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<str>"(?:[^"\\]|\\.)*")
  | (?P<ind>''(?:[^']|'(?!')|'''|''\$|''\\.)*(?:''|\Z))
  | (?P<path>(?:[A-Za-z_][\w'-]*|"(?:[^"\\]|\\.)*")(?:[ \t]*\.[ \t]*(?:[A-Za-z_][\w'-]*|"(?:[^"\\]|\\.)*"))*)
  | (?P<punct>[{}=;+])
  | (?P<other>.)
""", re.S | re.X)
_SEGMENT = re.compile(r"""[A-Za-z_][\w'-]*|"((?:[^"\\]|\\.)*)\"""")
SECTIONS = frozenset({"env", "environment", "headers", "environmentVariables"})
_HEADERS = "headers"
_NAMES = ("path", "str")  # an attribute name: bare or quoted (`"X-Api-Key" = …`)
_OPERANDS = ("str", "ind", "path")  # what a string expression joins with `+`
# What may stand between `name =` and its set or string: the module system's priorities and
# conditions (`lib.mkForce`, `mkDefault`, `lib.mkIf cfg.enable`) and `rec`; at most two names in all
# (a reading function, `builtins.readFile "/run/secrets/x"`, binds no literal).
_MODIFIERS = frozenset({"mkForce", "mkDefault", "mkIf", "mkBefore", "mkAfter", "rec"})
# `${name}` / `${a.b}` in a string: interpolation of a name the file may bind to a literal.
_INTERPOLATION = re.compile(r"\$\{\s*([A-Za-z_][\w'-]*(?:\.[A-Za-z_][\w'-]*)*)\s*\}")
# `${builtins.readFile /run/agenix/gh}`: an expression evaluated when the system is built. Its value is
# unknown here; it is written `${builtins.readFile}` (its first name) so that it reads as the reference
# it is, the literal text around it kept.
_EXPRESSION = re.compile(r"\$\{([^{}]*[^\w.{}'\s-][^{}]*|[^{}]*\s[^{}]*)\}")
_FIRST_NAME = re.compile(r"[A-Za-z_][\w'-]*(?:\.[A-Za-z_][\w'-]*)*")
_IND_ESCAPES = re.compile(r"''(\$|'|\\.)")
_IND_JSON_ESCAPE = re.compile(r"''(\$|')")
_IND_ESCAPED = {"$": "$", "'": "''", "\\n": "\n", "\\t": "\t", "\\r": "\r"}
_MAX_OPERANDS = 64  # operands of one `+` chain followed (no module joins more)

Token = tuple[str | None, str, int]
# (attribute path, operand tokens of its value expression, offset of the first, offset after the last)
Binding = tuple[list[str], list[Token], int, int]


def build(path: str, text: str) -> McpConfig | None:
    """The servers whose `env` / `headers` bindings `text` writes as strings, or None."""
    if _MCP.search(text) is None:
        return None
    lines = LineIndex(text)
    tokens = [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(text)
              if m.lastgroup not in ("ws", "comment")]
    bindings = _bindings(tokens)
    names = _literal_names(bindings)
    servers: dict[str, list[FieldValue]] = {}
    anchors: dict[str, Location] = {}
    for attr, operands, start, end in bindings:
        at = next((i for i in range(len(attr) - 2, -1, -1) if attr[i] in SECTIONS), None)
        if at is None or at != len(attr) - 2:
            continue  # only `…<server>.env.NAME`: the binding directly under a section
        value, known = _evaluate(operands, names)
        if not known and all(op[0] == "path" for op in operands):
            continue  # `env.K = cfg.key;` of no literal here: nothing written in this file
        name = attr[at - 1] if at > 0 else "nix"
        line, column = lines.position(start)
        end_line, end_column = lines.position(end)
        where = Location(path, line, column)
        servers.setdefault(name, []).append(FieldValue(f"{attr[at]}.{attr[-1]}", value, where, end_line,
                                                       end_column, attr[-1], not known, True))
        anchors.setdefault(name, where)
    embedded = _embedded_json(path, tokens, lines)
    if not servers and not embedded:
        return None
    entries = tuple(ServerEntry(name=name, client=Client.NIX, location=anchors[name],
                                transport=Transport.UNKNOWN,
                                env=tuple(v for v in values if not v.field.startswith(_HEADERS)),
                                headers=tuple(v for v in values if v.field.startswith(_HEADERS)),
                                values=tuple(values))
                    for name, values in servers.items())
    return McpConfig(path, Client.NIX, FileFormat.NIX, entries, tuple(embedded))


def _bindings(tokens: list[Token]) -> list[Binding]:
    """Each `path = <operand> [+ <operand>]…;` binding, the path including the attribute sets it sits
    in (`a = { b.c = "x"; };` gives `a.b.c`); an operand is a string or a name."""
    stack: list[list[str]] = []
    out: list[Binding] = []
    for index, (kind, body, _offset) in enumerate(tokens):
        if kind == "punct" and body == "{":
            name = _bound_name(tokens, index)
            stack.append(_segments(name) if name is not None else [])
        elif kind == "punct" and body == "}":
            if stack:
                stack.pop()
        elif kind in _OPERANDS and (operands := _expression(tokens, index)) \
                and (name := _bound_name(tokens, index)) is not None:
            inside = [segment for frame in stack for segment in frame]
            last = operands[-1]
            out.append((inside + _segments(name), operands, operands[0][2], last[2] + len(last[1])))
    return out


def _expression(tokens: list[Token], index: int) -> list[Token]:
    """The operands of `<operand> [+ <operand>]… ;` starting at `index`, or [] when no such chain
    ends there in `;` (a function call, a list, a set)."""
    operands: list[Token] = []
    at = index
    while at < len(tokens) and len(operands) < _MAX_OPERANDS:
        token = tokens[at]
        if token[0] not in _OPERANDS or token[0] == "ind" and not token[1].endswith("''"):
            return []
        operands.append(token)
        follow = tokens[at + 1][1] if at + 1 < len(tokens) else ""
        if follow == ";":
            return operands
        if follow != "+":
            return []
        at += 2
    return []


def _literal_names(bindings: list[Binding]) -> dict[tuple[str, ...], str | None]:
    """Attribute path -> the string it is bound to when that is known (literals only; a path bound
    twice, or to something unknown, maps to None)."""
    names: dict[tuple[str, ...], str | None] = {}
    for attr, operands, _start, _end in bindings:
        value, known = _evaluate(operands, {})
        key = tuple(attr)
        names[key] = value if known and key not in names else None
    return names


def _resolve(name: str, names: dict[tuple[str, ...], str | None]) -> str | None:
    """The literal a name (`key`, `cfg.key`) reads: the one binding whose path ends with it."""
    wanted = tuple(_segments(name))
    found = [value for attr, value in names.items() if attr[-len(wanted):] == wanted]
    return found[0] if len(found) == 1 else None


def _evaluate(operands: list[Token], names: dict[tuple[str, ...], str | None]) -> tuple[str, bool]:
    """The string the operands join to and whether all of it is known (no unresolved name or `${…}`)."""
    parts: list[str] = []
    known = True
    for kind, body, _offset in operands:
        if kind == "path":
            value = _resolve(body, names)
            if value is None:
                known = False
                value = "${" + body + "}"
            parts.append(value)
            continue
        text = body[1:-1] if kind == "str" else _indented(body[2:-2])
        if "${" in text:
            text = _INTERPOLATION.sub(lambda m: _resolve(m.group(1), names) or m.group(), text)
            known = known and "${" not in text
            text = _EXPRESSION.sub(_unknown, text)
        parts.append(text)
    return "".join(parts), known


def _unknown(match: re.Match[str]) -> str:
    name = _FIRST_NAME.search(match.group(1))
    return "${" + (name.group() if name is not None else "nix") + "}"


def _indented(raw: str) -> str:
    """An indented string's value: a blank first line dropped, the common indentation of its other
    lines removed (blank lines do not count), `''$` / `'''` / `''\\x` escapes decoded."""
    if "\n" not in raw:
        return _IND_ESCAPES.sub(_ind_escape, raw)
    lines = raw.split("\n")
    if not lines[0].strip(" \t"):
        lines = lines[1:]
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip(" \t")]
    cut = min(indents) if indents else 0
    text = "\n".join(line[cut:] if line.strip(" \t") else "" for line in lines)
    return _IND_ESCAPES.sub(_ind_escape, text)


def _ind_escape(match: re.Match[str]) -> str:
    escape = match.group(1)
    return _IND_ESCAPED.get(escape, escape[-1:])


def _embedded_json(path: str, tokens: list[Token], lines: LineIndex) -> list[FieldValue]:
    """The string leaves of each string literal that holds a JSON object, at the file's positions."""
    out: list[FieldValue] = []
    for kind, body, offset in tokens:
        if kind not in ("str", "ind") or ":" not in body:
            continue
        quote = 1 if kind == "str" else 2
        raw = body[quote:-quote] if kind == "str" or body.endswith("''") else body[quote:]
        if not raw.lstrip().startswith("{") or kind == "str" and "\\" in raw:
            continue  # an escaped JSON in a `"…"` string is left (its columns are not the file's)
        decoded, removed = _decoded_lines(raw) if kind == "ind" else (raw, {})
        try:
            root = parsing.parse_jsonc(decoded)
        except ParseError:
            continue
        first_line, first_column = lines.position(offset + quote)
        for leaf in string_leaves(path, root, "json"):
            start = _file_column(leaf.location.line, leaf.location.column, removed, first_column)
            end = _file_column(leaf.end_line, leaf.end_column, removed, first_column)
            out.append(FieldValue(_section_field(leaf.field), leaf.text,
                                  Location(path, first_line + leaf.location.line - 1, start),
                                  first_line + leaf.end_line - 1, end, leaf.key, leaf.is_reference,
                                  leaf.quoted))
    return out


def _file_column(line: int, column: int, removed: dict[int, list[tuple[int, int]]], first_column: int) -> int:
    """A column of a string's decoded text (1-based `line` of it) as the file's column."""
    column += sum(width for where, width in removed.get(line, ()) if where < column)
    return column + (first_column - 1 if line == 1 else 0)


def _decoded_lines(raw: str) -> tuple[str, dict[int, list[tuple[int, int]]]]:
    """`raw` (an indented string's text) with its `''$` and triple-quote escapes decoded, and per
    1-based line the (1-based decoded column, characters dropped) of each escape, to map columns back."""
    removed: dict[int, list[tuple[int, int]]] = {}
    out: list[str] = []
    for number, line in enumerate(raw.split("\n"), 1):
        if "''" not in line:
            out.append(line)
            continue
        pieces: list[str] = []
        width = 0
        last = 0
        for match in _IND_JSON_ESCAPE.finditer(line):
            pieces.append(line[last:match.start()])
            width += match.start() - last
            decoded = "$" if match.group(1) == "$" else "''"
            removed.setdefault(number, []).append((width + 1, 3 - len(decoded)))
            pieces.append(decoded)
            width += len(decoded)
            last = match.end()
        pieces.append(line[last:])
        out.append("".join(pieces))
    return "\n".join(out), removed


def _section_field(field: str) -> str:
    """`json.mcpServers.gh.env.K` -> `env.K`: a leaf under a server's env / headers is judged as one."""
    parts = field.split(".")
    at = next((i for i in range(len(parts) - 2, -1, -1) if parts[i] in SECTIONS), None)
    return ".".join(parts[at:]) if at is not None else field


def _bound_name(tokens: list[Token], index: int) -> str | None:
    """The attribute path `tokens[index]` (a set's `{` or a value) is bound to: `name = <it>`, or
    `name = lib.mkForce <it>` (a _MODIFIERS name, and its condition for `mkIf`); None when it is bound
    to none."""
    at = index - 1
    while at >= 0 and index - at <= 2 and tokens[at][0] == "path":
        at -= 1
    if at < 1 or tokens[at][1] != "=" or tokens[at - 1][0] not in _NAMES:
        return None
    if at + 1 < index and _segments(tokens[at + 1][1])[-1:] != [] \
            and _segments(tokens[at + 1][1])[-1] not in _MODIFIERS:
        return None  # `builtins.readFile "/run/secrets/x"`: a function reading, not a literal
    return tokens[at - 1][1]


def _segments(path: str) -> list[str]:
    return [m.group(1) if m.group(1) is not None else m.group() for m in _SEGMENT.finditer(path)]
