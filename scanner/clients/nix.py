"""MCP servers declared in Nix: home-manager modules (`programs.claude-code.mcpServers.<name>.env`,
`programs.mcp.servers.<name>.headers`, `programs.opencode.settings.mcp.<name>.environment`) and
mcp-servers-nix (`mkConfig pkgs { programs.<name>.env = { … }; settings.servers.<name> = { … }; }`),
as public dotfiles write them (corpus 13).

No Nix evaluator runs (nothing of a scanned repository is executed) and no maintained Python Nix parser
exists, so the text is tokenised (strings, comments, attribute paths, braces) and only the plain
`name = "literal";` bindings under an attribute named `env` / `environment` / `headers` are read: the
environment and headers the module hands the server, named by the attribute above that one. A string
with `${…}` is Nix interpolation (`${config.age.secrets.x.path}`): a reference, its value unknown here.
Anything else (`command`, `args`, package hashes, `envFile` paths) is not read.
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


def build(path: str, text: str) -> McpConfig | None:
    """The servers whose `env` / `headers` bindings `text` writes as string literals, or None."""
    if _MCP.search(text) is None:
        return None
    lines = LineIndex(text)
    servers: dict[str, list[FieldValue]] = {}
    anchors: dict[str, Location] = {}
    for attr, raw, offset in _bindings(text):
        at = next((i for i in range(len(attr) - 2, -1, -1) if attr[i] in SECTIONS), None)
        if at is None or at != len(attr) - 2:
            continue  # only `…<server>.env.NAME`: the binding directly under a section
        name = attr[at - 1] if at > 0 else "nix"
        line, column = lines.position(offset)
        where = Location(path, line, column)
        value = FieldValue(f"{attr[at]}.{attr[-1]}", raw, where, line, column + len(raw) + 2, attr[-1],
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


def _bindings(text: str) -> list[tuple[list[str], str, int]]:
    """(full attribute path, string text, offset of its opening quote) of each `path = "…";` binding,
    the path including the attribute sets it sits in (`a = { b.c = "x"; };` gives `a.b.c`)."""
    tokens = [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(text)
              if m.lastgroup not in ("ws", "comment")]
    stack: list[list[str]] = []
    out: list[tuple[list[str], str, int]] = []
    for index, (kind, body, offset) in enumerate(tokens):
        if kind == "punct" and body == "{":
            before = tokens[index - 2: index]
            named = len(before) == 2 and before[0][0] in _NAMES and before[1][1] == "="
            stack.append(_segments(before[0][1]) if named else [])
        elif kind == "punct" and body == "}":
            if stack:
                stack.pop()
        elif kind == "str" and index >= 2 and tokens[index - 1][1] == "=" and tokens[index - 2][0] in _NAMES \
                and index + 1 < len(tokens) and tokens[index + 1][1] == ";":
            inside = [segment for frame in stack for segment in frame]
            out.append((inside + _segments(tokens[index - 2][1]), body[1:-1], offset))
    return out


def _segments(path: str) -> list[str]:
    return [m.group(1) if m.group(1) is not None else m.group() for m in _SEGMENT.finditer(path)]
