"""MCP client configs embedded in deployment manifests: a Kubernetes ConfigMap/Secret (or a Helm
template, or a kustomize file) whose `data:` / `stringData:` entry is named like a client config
(`mcp.json`, `.mcp.json`, `claude_desktop_config.json`, `cline_mcp_settings.json`, `config.toml`,
`servers.json`, `mcp-config.yaml`, ...) and holds the config's text, mounted into the client's
container with `subPath`.

The outer file is read line by line (no YAML parse: Helm templates are not YAML before rendering, and
manifests hold several documents). An entry's text is parsed as the client config its key names, in
the outer file's coordinates: a `|` block scalar keeps its lines verbatim, so the parser is given
the block's lines with their indentation (columns are the outer file's; a folded `>` JSON entry
too, as folding only turns line breaks into spaces) and every parsed value is
then moved down to the outer file's lines; a single-quoted or flow (`{...}`) value on the key's line
is given at its own column. Positions of values, and so findings, are exact. A Secret `data:` entry
is base64: its value is kept as one value of the file, which the encoded-value reader
(engines/encoded.py) decodes and searches.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from scanner.clients.discovery import Candidate, classify_path, dotenv_candidate
from scanner.clients.docker import toolkit_config
from scanner.clients.unparsed import YAML_ESCAPES, line_values
from scanner.errors import ParseError
from scanner.model import Client, FieldValue, FileFormat, Location, McpConfig
from scanner.parsing import parse_yaml
from scanner.references import is_reference

ParseInner = Callable[[Candidate, str], McpConfig | None]

# `<indent><key>: <rest>` where the key (bare or quoted) ends in a config file extension. Linear: the
# lazy key part stops at the first `.ext` followed by the closing quote or the colon.
_ENTRY = re.compile(r"""(?m)^( *)(["']?)([\w.-]{1,120}?\.(?:json|jsonc|toml|ya?ml)|configYamlContent"""
                    r"""|[\w-]{0,60}\.env)\2"""
                    r"""[ \t]*:[ \t]*"""
                    r"(.*?)\r?$")
_BLOCK = re.compile(r"\|[-+]?[1-9]?[-+]?[ \t]*(?:#.*)?")
_FOLDED = re.compile(r">[-+]?[1-9]?[-+]?[ \t]*(?:#.*)?")
_JSON_FORMATS = (FileFormat.JSON, FileFormat.JSONC)
_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
# Names that are a client's config only by where they are mounted (`~/.codex/config.toml`, MCPHub's
# `servers.json`): read as that client's config when their content says so.
_MOUNTED_NAMES = {
    "config.toml": (FileFormat.TOML, (Client.CODEX,)),
    "servers.json": (FileFormat.JSONC, (Client.GENERIC,)),
}


_KIND = re.compile(r"(?m)^kind:[ \t]*[\"']?(?:ConfigMap|Secret)\b")


def is_manifest(text: str) -> bool:
    """True when `text` holds a Kubernetes ConfigMap or Secret (a document's top-level `kind:`)."""
    return _KIND.search(text) is not None


# Helm values keys that hold a client config's text under the chart's own name: the LibreChat chart's
# `librechat.configYamlContent` is its `librechat.yaml` (with `mcpServers`), mounted into the pod.
_CONTENT_KEYS = {"configyamlcontent": "librechat.yaml"}


def may_embed(text: str) -> bool:
    """Cheap test before `build`: some line is an entry named like a config file."""
    return ".json" in text or ".toml" in text or ".y" in text or "configYamlContent" in text or ".env" in text


def build(candidate: Candidate, text: str, parse_inner: ParseInner) -> McpConfig | None:
    """One McpConfig (path: the manifest) of every client config embedded in `text`, or None."""
    if not may_embed(text):
        return None
    lines = text.split("\n")
    found: list[McpConfig] = []
    encoded: list[FieldValue] = []
    embedded: list[tuple[int, int]] = []  # (key line, key indent) of each embedded config
    line, counted = 1, 0  # line numbers counted on from the previous entry: linear in the file
    gateway = _GATEWAY_WORDS.search(text) is not None
    for match in _ENTRY.finditer(text):
        inner = _inner_candidate(candidate.rel_path, match.group(3), gateway)
        if inner is None:
            continue
        line += text.count("\n", counted, match.start())
        counted = match.start()
        rest = match.group(4)
        shadow: str | None = None
        shift = line - 1  # the inner text's line 1 is the key's line, or the block's first line
        if _BLOCK.fullmatch(rest) or _FOLDED.fullmatch(rest) and inner.fmt in _JSON_FORMATS:
            # a folded (`>`) JSON entry: folding turns its line breaks into spaces, which JSON reads
            # as the breaks they were, so its lines are parsed as a `|` block's
            shadow, shift = _block(lines, line, len(match.group(1))), line
        elif rest.startswith("'") and rest.endswith("'") and len(rest) > 1 and "''" not in rest[1:-1]:
            shadow = " " * (match.start(4) - match.start() + 1) + rest[1:-1]
        elif rest.startswith("{"):
            shadow = " " * (match.start(4) - match.start()) + rest
        elif len(rest) > 1 and rest[0] == '"' and _DOUBLE_QUOTED.fullmatch(rest):
            # `mcp.json: "{\"mcpServers\": …}"` (kubectl -o yaml writes entries so): the unescaped
            # text is parsed, its positions mapped back through the escapes to the outer line
            decoded = _unescape(_DOUBLE_QUOTED.match(rest).group(1))  # type: ignore[union-attr]
            if decoded is not None:
                config = parse_inner(inner, decoded[0])
                if config is not None and (config.servers or config.parse_error is not None):
                    base = match.start(4) - match.start() + 2  # the column after the opening quote
                    found.append(_escaped(config, decoded[0], decoded[1], line, base))
                    embedded.append((line, len(match.group(1))))
            continue
        elif _BASE64.fullmatch(rest):  # a Secret's `data:`: decoded by the encoded-value reader
            column = match.start(4) - match.start() + 1
            where = Location(candidate.rel_path, line, column)
            encoded.append(FieldValue(f"data.{match.group(3)}", rest, where, line, column + len(rest),
                                      match.group(3), quoted=False))
        if shadow is None or not shadow.strip():
            continue
        toolkit = inner.hints[0] is Client.DOCKER_MCP
        config = _toolkit(inner, shadow) if toolkit else parse_inner(inner, shadow)
        if config is not None and (config.servers or config.parse_error is not None
                                   or inner.fmt is FileFormat.DOTENV and config.file_values):
            found.append(_shifted(config, shift, line))
            embedded.append((line, len(match.group(1))))
    if not found:
        return McpConfig(candidate.rel_path, Client.GENERIC, FileFormat.YAML,
                         extra_values=tuple(encoded)) if encoded else None
    found.extend(_siblings(candidate.rel_path, lines, embedded, parse_inner))
    return _merged(candidate.rel_path, found, encoded)


_SIBLING = re.compile(r"""( *)(["']?)([\w.-]{1,120})\2[ \t]*:[ \t]*(.*?)\r?""")
_SECTIONS = ("data:", "stringData:")


def _siblings(path: str, lines: list[str], embedded: list[tuple[int, int]],
              parse_inner: ParseInner) -> list[McpConfig]:
    """The other entries of the `data:` / `stringData:` sections that embed a client config: the
    values the config reads from the same Secret (`SVC_API_KEY: …` beside `mcp.json: |` that says
    `${SVC_API_KEY}`, a `.env: |` block), each judged under its entry name. Each section is read
    once."""
    out: list[McpConfig] = []
    values: list[FieldValue] = []
    taken = {line for line, _indent in embedded}
    read_to = -1  # 0-based end of the last section read: entries in order, so one check is enough
    for line, indent in embedded:
        if line - 1 < read_to:
            continue  # in the section just read
        header = line - 2  # 0-based index of the line above the entry
        while header >= 0:
            body = lines[header]
            stripped = body.strip()
            if stripped and not stripped.startswith("#") and len(body) - len(body.lstrip(" ")) < indent:
                break
            header -= 1
        if header < 0 or lines[header].strip() not in _SECTIONS:
            continue
        section = lines[header].strip()[:-1]
        read_to = len(lines)
        for index in range(header + 1, len(lines)):
            body = lines[index].rstrip("\r")
            stripped = body.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                continue
            depth = len(body) - len(stripped)
            if depth < indent:
                read_to = index
                break
            match = _SIBLING.fullmatch(body) if depth == indent else None
            if match is None or index + 1 in taken:
                continue
            name, rest, column = match.group(3), match.group(4), match.start(4) + 1
            if _BLOCK.fullmatch(rest):
                if name.lower().endswith(".env") or name.lower().startswith(".env"):
                    block = _block(lines, index + 1, indent)
                    dotenv = parse_inner(dotenv_candidate(path), block) if block else None
                    if dotenv is not None:
                        out.append(_shifted(dotenv, index + 1, index + 1))
                continue
            if not rest or rest[0] in "[{|>&*!" or rest.startswith("{{"):
                continue
            where = Location(path, index + 1, column)
            quoted = len(rest) > 1 and rest[0] == rest[-1] and rest[0] in "'\""
            text = rest[1:-1] if quoted else rest.split(" #", 1)[0].rstrip()
            values.append(FieldValue(f"{section}.{name}", text, where, index + 1, column + len(rest), name,
                                     is_reference(text), quoted))
    if values:
        out.append(McpConfig(path, Client.GENERIC, FileFormat.YAML, extra_values=tuple(values)))
    return out


# The Docker MCP gateway's files mounted from a ConfigMap or Secret (`config.yaml` beside `registry.yaml`,
# in a manifest that names the gateway): `config.yaml` holds the servers' settings (clients/docker.py),
# a `.env` entry the `--secrets` file it reads (`docker mcp gateway run --secrets=/run/secrets/mcp.env`).
_GATEWAY_WORDS = re.compile(r"(?m)mcp-gateway|^[ \t]+[\"']?registry\.yaml[\"']?[ \t]*:")
_TOOLKIT_ENTRY = "config.yaml"


def _toolkit(inner: Candidate, shadow: str) -> McpConfig | None:
    """The gateway's `config.yaml` entry; one that does not parse is searched line by line (and so
    reported as not parsed), as a client config entry is."""
    try:
        root = parse_yaml(shadow)
    except ParseError as exc:
        return McpConfig(inner.rel_path, Client.DOCKER_MCP, FileFormat.YAML,
                         extra_values=line_values(inner.rel_path, shadow), parse_error=str(exc))
    return toolkit_config(inner.rel_path, root, FileFormat.YAML) if root.is_object else None


def _inner_candidate(path: str, key: str, gateway: bool = False) -> Candidate | None:
    """The candidate a config named `key` would be, at the manifest's path (content-confirmed)."""
    lower = key.lower()
    if gateway and lower == _TOOLKIT_ENTRY:
        return Candidate(path, FileFormat.YAML, (Client.DOCKER_MCP,), True)
    if lower.endswith(".env"):  # the gateway's `--secrets` file (`.env: |` of its Secret): a dotenv
        return dotenv_candidate(path) if gateway else None
    named = classify_path(_CONTENT_KEYS.get(lower, key))
    if named is not None:
        return Candidate(path, named.fmt, named.hints, True)
    mounted = _MOUNTED_NAMES.get(lower)
    if mounted is not None:
        return Candidate(path, mounted[0], mounted[1], True)
    return None


def _block(lines: list[str], line: int, key_indent: int) -> str | None:
    """The lines of the `|` block after line `line` (1-based), indentation kept, or None.

    The block is the following lines that are blank or indented more than the key; it ends at the
    first line indented less than its first content line."""
    kept: list[str] = []
    indent: int | None = None
    for raw in lines[line:]:
        body = raw.rstrip("\r")
        stripped = body.lstrip(" ")
        if not stripped:
            kept.append("")
            continue
        depth = len(body) - len(stripped)
        if indent is None:
            if depth <= key_indent:
                break
            indent = depth
        elif depth < indent:
            break
        kept.append(body)
    return None if indent is None else "\n".join(kept) + "\n"


def _shifted(config: McpConfig, by: int, key_line: int) -> McpConfig:
    """`config` (parsed from an entry's text) with every line moved `by` lines down: the outer
    file's lines. Columns are the outer file's already (the text kept its indentation)."""
    return _moved(config, lambda line, column: (line + by, column), key_line)


# A one-line YAML double-quoted scalar: escapes, no unescaped quote before the closing one.
_DOUBLE_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"[ \t]*(?:#.*)?')
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def _unescape(body: str) -> tuple[str, list[int]] | None:
    """The text of a YAML double-quoted scalar's `body`, and for each of its characters (plus one
    past the end) the offset in `body` where it is written; None for an escape YAML rejects."""
    out: list[str] = []
    at: list[int] = []
    index, size = 0, len(body)
    while index < size:
        char = body[index]
        at.append(index)
        if char != "\\":
            out.append(char)
            index += 1
            continue
        code = body[index + 1] if index + 1 < size else ""
        if code in YAML_ESCAPES:
            out.append(YAML_ESCAPES[code])
            index += 2
        elif code in _HEX_ESCAPES:
            digits = body[index + 2:index + 2 + _HEX_ESCAPES[code]]
            if len(digits) != _HEX_ESCAPES[code] or not all(c in "0123456789abcdefABCDEF" for c in digits):
                return None
            out.append(chr(int(digits, 16)))
            index += 2 + len(digits)
        else:
            return None
    at.append(size)
    return "".join(out), at


def _escaped(config: McpConfig, text: str, at: list[int], line: int, base: int) -> McpConfig:
    """`config` (parsed from the unescaped `text` of a double-quoted entry on outer line `line`) at
    the outer positions: inner (line, column) -> offset in `text` -> offset of its escape (`at`)."""
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]

    def where(inner_line: int, column: int) -> tuple[int, int]:
        offset = starts[min(inner_line, len(starts)) - 1] + column - 1
        return line, base + at[max(0, min(offset, len(at) - 1))]

    return _moved(config, where, line)


def _moved(config: McpConfig, where_to: Callable[[int, int], tuple[int, int]], key_line: int) -> McpConfig:
    """`config` with every position moved by `where_to(line, column)` (the outer file's)."""
    memo: dict[int, FieldValue] = {}  # a value sits in several tuples (`values` and `env`): once

    def where(at: Location) -> Location:
        line, column = where_to(at.line, at.column)
        return Location(at.path, line, column)

    def value(fv: FieldValue) -> FieldValue:
        moved = memo.get(id(fv))
        if moved is None:
            start = where(fv.location)
            end_line, end_column = where_to(fv.end_line, fv.end_column)
            moved = memo[id(fv)] = replace(fv, location=start, end_line=end_line, end_column=end_column)
        return moved

    def values(items: tuple[FieldValue, ...]) -> tuple[FieldValue, ...]:
        return tuple(value(fv) for fv in items)

    def single(fv: FieldValue | None) -> FieldValue | None:
        return None if fv is None else value(fv)

    servers = tuple(replace(s, location=where(s.location), command=single(s.command), args=values(s.args),
                            env=values(s.env), url=single(s.url), headers=values(s.headers),
                            env_file=single(s.env_file), values=values(s.values)) for s in config.servers)
    error = None if config.parse_error is None else f"entry at line {key_line}: {config.parse_error}"
    return replace(config, servers=servers, file_values=values(config.file_values),
                   extra_values=values(config.extra_values), parse_error=error)


def _merged(path: str, configs: list[McpConfig], encoded: list[FieldValue]) -> McpConfig:
    """The manifest as one config: every embedded config's servers and values, in file order."""
    first = configs[0]
    errors = [c.parse_error for c in configs if c.parse_error is not None]
    return McpConfig(
        path, first.client, FileFormat.YAML,
        servers=tuple(server for c in configs for server in c.servers),
        file_values=tuple(fv for c in configs for fv in c.file_values),
        input_ids=tuple(i for c in configs for i in c.input_ids),
        flags=tuple(f for c in configs for f in c.flags),
        extra_values=tuple(fv for c in configs for fv in c.extra_values) + tuple(encoded),
        parse_error=f"embedded config {errors[0]}" if errors else None,
    )
