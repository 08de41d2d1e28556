"""MCP servers declared in Nix: home-manager modules (`programs.claude-code.mcpServers.<name>.env`,
`programs.mcp.servers.<name>.headers`, `programs.opencode.settings.mcp.<name>.environment`) and
mcp-servers-nix (`mkConfig pkgs { programs.<name>.env = { … }; settings.servers.<name> = { … }; }`),
as public dotfiles write them (corpus 13).

No Nix evaluator runs (nothing of a scanned repository is executed) and no maintained Python Nix parser
exists, so the text is tokenised (strings, comments, attribute paths, braces) and only the plain
`name = "literal";` bindings under an attribute named `env` / `environment` / `headers` are read: the
environment and headers the module hands the server, named by the attribute above that one. A set
or string behind a modifier (`lib.mkForce { … }`, `rec { … }`, `lib.mkDefault "…"`, `lib.mkIf c { … }`;
not behind a reading function) is that attribute's; a one-line indented string (`''…''`) is a literal
too. A string with `${…}` is Nix interpolation (`${config.age.secrets.x.path}`): a reference, its
value unknown here. Anything else (`command`, `args`, package hashes, `envFile` paths) is not read.
"""

from __future__ import annotations

import re

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
  | (?P<punct>[{}=;])
  | (?P<other>.)
""", re.S | re.X)
_SEGMENT = re.compile(r"""[A-Za-z_][\w'-]*|"((?:[^"\\]|\\.)*)\"""")
SECTIONS = frozenset({"env", "environment", "headers", "environmentVariables"})
_HEADERS = "headers"
_NAMES = ("path", "str")  # an attribute name: bare or quoted (`"X-Api-Key" = …`)
_STRINGS = ("str", "ind")  # a value: a string or a one-line indented string
# What may stand between `name =` and its set or string: the module system's priorities and
# conditions (`lib.mkForce`, `mkDefault`, `lib.mkIf cfg.enable`) and `rec`; at most two names in all
# (a reading function, `builtins.readFile "/run/secrets/x"`, binds no literal).
_MODIFIERS = frozenset({"mkForce", "mkDefault", "mkIf", "mkBefore", "mkAfter", "rec"})


def build(path: str, text: str) -> McpConfig | None:
    """The servers whose `env` / `headers` bindings `text` writes as string literals, or None."""
    if _MCP.search(text) is None:
        return None
    lines = LineIndex(text)
    servers: dict[str, list[FieldValue]] = {}
    anchors: dict[str, Location] = {}
    for attr, raw, offset, width in _bindings(text):
        at = next((i for i in range(len(attr) - 2, -1, -1) if attr[i] in SECTIONS), None)
        if at is None or at != len(attr) - 2:
            continue  # only `…<server>.env.NAME`: the binding directly under a section
        name = attr[at - 1] if at > 0 else "nix"
        line, column = lines.position(offset)
        where = Location(path, line, column)
        value = FieldValue(f"{attr[at]}.{attr[-1]}", raw, where, line, column + width, attr[-1],
                           "${" in raw, True)
        servers.setdefault(name, []).append(value)
        anchors.setdefault(name, where)
    if not servers:
        return None
    entries = tuple(ServerEntry(name=name, client=Client.NIX, location=anchors[name],
                                transport=Transport.UNKNOWN,
                                env=tuple(v for v in values if not v.field.startswith(_HEADERS)),
                                headers=tuple(v for v in values if v.field.startswith(_HEADERS)),
                                values=tuple(values))
                    for name, values in servers.items())
    return McpConfig(path, Client.NIX, FileFormat.NIX, entries)


def _bindings(text: str) -> list[tuple[list[str], str, int, int]]:
    """(full attribute path, string text, offset of its opening quote, length with its quotes) of each
    `path = "…";` binding, the path including the attribute sets it sits in (`a = { b.c = "x"; };`
    gives `a.b.c`)."""
    tokens = [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(text)
              if m.lastgroup not in ("ws", "comment")]
    stack: list[list[str]] = []
    out: list[tuple[list[str], str, int, int]] = []
    for index, (kind, body, offset) in enumerate(tokens):
        if kind == "punct" and body == "{":
            name = _bound_name(tokens, index)
            stack.append(_segments(name) if name is not None else [])
        elif kind == "punct" and body == "}":
            if stack:
                stack.pop()
        elif kind in _STRINGS and index + 1 < len(tokens) and tokens[index + 1][1] == ";" \
                and (kind == "str" or "\n" not in body and len(body) >= 4 and body.endswith("''")) \
                and (name := _bound_name(tokens, index)) is not None:
            inside = [segment for frame in stack for segment in frame]
            quote = 1 if kind == "str" else 2
            out.append((inside + _segments(name), body[quote:-quote], offset, len(body)))
    return out


def _bound_name(tokens: list[tuple[str | None, str, int]], index: int) -> str | None:
    """The attribute path `tokens[index]` (a set's `{` or a string) is bound to: `name = <it>`, or
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
