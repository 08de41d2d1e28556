"""MCP client configs embedded in deployment manifests: a Kubernetes ConfigMap/Secret (or a Helm
template, or a kustomize file) whose `data:` / `stringData:` entry is named like a client config
(`mcp.json`, `.mcp.json`, `claude_desktop_config.json`, `cline_mcp_settings.json`, `config.toml`,
`servers.json`, `mcp-config.yaml`, ...) and holds the config's text, mounted into the client's
container with `subPath`; and a GitHub workflow step's `mcp_config:` input or the JSON of
`--mcp-config '...'` in its `claude_args:` (Claude Code's GitHub Action reads both as a `.mcp.json`).

The outer file is read line by line (no YAML parse: Helm templates are not YAML before rendering, and
manifests hold several documents). An entry's text is parsed as the client config its key names, in
the outer file's coordinates: a `|` block scalar keeps its lines verbatim, so the parser is given
the block's lines with their indentation (columns are the outer file's) and every parsed value is
then moved down to the outer file's lines; a single-quoted or flow (`{...}`) value on the key's line
is given at its own column. Positions of values, and so findings, are exact. A Secret `data:` entry
is base64: its value is kept as one value of the file, which the encoded-value reader
(engines/encoded.py) decodes and searches.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from scanner.clients.discovery import Candidate, classify_path
from scanner.model import Client, FieldValue, FileFormat, Location, McpConfig

ParseInner = Callable[[Candidate, str], McpConfig | None]

# `<indent><key>: <rest>` where the key (bare or quoted) ends in a config file extension. Linear: the
# lazy key part stops at the first `.ext` followed by the closing quote or the colon.
_ENTRY = re.compile(r"""(?m)^( *)(["']?)([\w.-]{1,120}?\.(?:json|jsonc|toml|ya?ml)|mcp[_-]config|"""
                    r"claude[_-]args)\2[ \t]*:[ \t]*(.*?)\r?$")
# A workflow step's `mcp_config:` input (anthropics/claude-code-action): the text of a `.mcp.json`.
_INPUT_NAMES = ("mcp_config", "mcp-config")
# Its `claude_args:` input is Claude Code's command line: `--mcp-config '<json>'` is a `.mcp.json` too.
_ARGS_NAMES = ("claude_args", "claude-args")
# `mcp_config:` naming a file (relative to the workspace) instead of holding the JSON.
INPUT_FILE_FIELD = "mcp_config"
_INPUT_PATH = re.compile(r"""["']?\.{0,2}/?[\w.-]+(?:/[\w.-]+)*\.jsonc?["']?""")
_FLAG_JSON = re.compile(r"--mcp-config(?:=|\s+)'([^']*)'")


def _flag_json(text: str) -> str | None:
    """`text` with everything but the single-quoted JSON of its `--mcp-config` flags blanked (line
    breaks kept, so positions stay the outer file's), or None when it has none."""
    found = [m.span(1) for m in _FLAG_JSON.finditer(text) if m.group(1).lstrip().startswith("{")]
    if not found:
        return None
    out = [ch if ch == "\n" else " " for ch in text]
    for start, end in found:
        out[start:end] = text[start:end]
    return "".join(out)
_BLOCK = re.compile(r"\|[-+]?[1-9]?[-+]?[ \t]*(?:#.*)?")
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


def may_embed(text: str) -> bool:
    """Cheap test before `build`: some line is an entry named like a config file."""
    return ".json" in text or ".toml" in text or ".y" in text or "mcp_config" in text or "mcp-config" in text


def build(candidate: Candidate, text: str, parse_inner: ParseInner) -> McpConfig | None:
    """One McpConfig (path: the manifest) of every client config embedded in `text`, or None."""
    if not may_embed(text):
        return None
    lines = text.split("\n")
    found: list[McpConfig] = []
    encoded: list[FieldValue] = []
    line, counted = 1, 0  # line numbers counted on from the previous entry: linear in the file
    for match in _ENTRY.finditer(text):
        inner = _inner_candidate(candidate.rel_path, match.group(3))
        if inner is None:
            continue
        line += text.count("\n", counted, match.start())
        counted = match.start()
        rest = match.group(4)
        shadow: str | None = None
        shift = line - 1  # the inner text's line 1 is the key's line, or the block's first line
        if match.group(3).lower() in _ARGS_NAMES:
            if _BLOCK.fullmatch(rest):
                shadow, shift = _block(lines, line, len(match.group(1))), line
            else:
                shadow = " " * (match.start(4) - match.start()) + rest
            shadow = _flag_json(shadow) if shadow is not None else None
        elif _BLOCK.fullmatch(rest):
            shadow, shift = _block(lines, line, len(match.group(1))), line
        elif rest.startswith("'") and rest.endswith("'") and len(rest) > 1 and "''" not in rest[1:-1]:
            shadow = " " * (match.start(4) - match.start() + 1) + rest[1:-1]
        elif rest.startswith("{"):
            shadow = " " * (match.start(4) - match.start()) + rest
        elif match.group(3).lower() in _INPUT_NAMES and _INPUT_PATH.fullmatch(rest):
            # `mcp_config: .github/claude/servers.json`: a file the action reads (config_references)
            column = match.start(4) - match.start() + 1
            where = Location(candidate.rel_path, line, column)
            encoded.append(FieldValue(INPUT_FILE_FIELD, rest, where, line, column + len(rest), None,
                                      quoted=False))
        elif _BASE64.fullmatch(rest):  # a Secret's `data:`: decoded by the encoded-value reader
            column = match.start(4) - match.start() + 1
            where = Location(candidate.rel_path, line, column)
            encoded.append(FieldValue(f"data.{match.group(3)}", rest, where, line, column + len(rest),
                                      match.group(3), quoted=False))
        if shadow is None or not shadow.strip():
            continue
        config = parse_inner(inner, shadow)
        if config is not None and (config.servers or config.parse_error is not None):
            found.append(_shifted(config, shift, line))
    if not found:
        return McpConfig(candidate.rel_path, Client.GENERIC, FileFormat.YAML,
                         extra_values=tuple(encoded)) if encoded else None
    return _merged(candidate.rel_path, found, encoded)


def _inner_candidate(path: str, key: str) -> Candidate | None:
    """The candidate a config named `key` would be, at the manifest's path (content-confirmed)."""
    lower = key.lower()
    if lower in _INPUT_NAMES or lower in _ARGS_NAMES:
        return Candidate(path, FileFormat.JSONC, (Client.CLAUDE_CODE,), True)
    named = classify_path(key)
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
    memo: dict[int, FieldValue] = {}  # a value sits in several tuples (`values` and `env`): once

    def where(at: Location) -> Location:
        return Location(at.path, at.line + by, at.column)

    def value(fv: FieldValue) -> FieldValue:
        moved = memo.get(id(fv))
        if moved is None:
            moved = memo[id(fv)] = replace(fv, location=where(fv.location), end_line=fv.end_line + by)
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
