"""Codex CLI fixes: Codex has no interpolation, so a literal becomes an env var *name* setting.

Only layouts that can be rewritten without a TOML editor are handled: a `KEY = "value"` line in a
`[mcp_servers.<name>.env]` table (moved to `env_vars`) and `bearer_token = "value"` (renamed to
`bearer_token_env_var`). Anything else (inline tables, headers, args) gets advice, not a fix.
"""

from __future__ import annotations

import bisect
import functools
import json
import re

from scanner.findings import Fix, TextEdit
from scanner.model import FieldValue, McpConfig
from scanner.output_guard import holds_secret

_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")


def _key_pattern(name: str) -> str:
    bare = re.escape(name)
    return rf"(?:{bare}|\"{bare}\"|'{bare}')"


@functools.lru_cache(maxsize=4)
def _layout(source: str) -> tuple[list[str], list[int], list[int], dict[str, int]]:
    """Lines, `[table]` header rows, rows that end a table (headers and `[[...]]`), and the first
    `[mcp_servers.<name>]` header row by server name: computed once per source, not per finding
    (a per-finding pass over the file made a config with N secrets cost N * N)."""
    lines = source.split("\n")
    headers: list[int] = []
    stops: list[int] = []
    servers: dict[str, int] = {}
    for i, line in enumerate(lines):
        match = _HEADER.match(line)
        if match is not None:
            headers.append(i)
            server = _SERVER_TABLE.match(match.group(1))
            if server is not None:
                name = server.group(1)
                if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'":
                    name = name[1:-1]
                servers.setdefault(name, i)
        if match is not None or line.lstrip().startswith("[["):
            stops.append(i)
    return lines, headers, stops, servers


_SERVER_TABLE = re.compile(r"^mcp_servers\s*\.\s*(.+)$")


def _server_header(source: str, server: str) -> int | None:
    """0-based index of the `[mcp_servers.<server>]` header line."""
    return _layout(source)[3].get(server)


@functools.lru_cache(maxsize=1024)
def _table_has(source: str, header: int, key: str) -> bool:
    """Whether the table opened at `header` already sets `key`."""
    lines, _headers, stops, _servers = _layout(source)
    nxt = bisect.bisect_right(stops, header)
    end = stops[nxt] if nxt < len(stops) else len(lines)
    assign = re.compile(r"^\s*" + _key_pattern(key) + r"\s*=")
    return any(assign.match(line) for line in lines[header + 1:end])


def codex_fix(config: McpConfig, server: str | None, fv: FieldValue, name: str, source: str) -> Fix | None:
    """Edits for a Codex `[mcp_servers.x]` secret, or None when the layout is not a simple one."""
    if server is None or fv.end_line != fv.location.line:
        return None
    lines, headers, _stops, _servers = _layout(source)
    row = fv.location.line - 1
    if row >= len(lines):
        return None
    line = lines[row]
    key = fv.key or ""
    if key and holds_secret(key):
        # The fix writes the key itself (`env_vars = ["KEY"]`, `env_http_headers = { "KEY" = … }`): a key
        # that is (or holds) the token would be written again, and quoted in the fix's description.
        return None
    if fv.field.startswith(("http_headers.", "headers.")) and key:
        return _header_fix(config, source, row, header_of(source, server), fv, key, name)
    if fv.field.startswith("env.") and key and re.match(r"^\s*env\s*=\s*\{", line):
        return _inline_env_fix(config, source, row, header_of(source, server), fv, key)
    assign = re.match(r"^\s*(" + _key_pattern(key) + r")\s*=\s*", line) if key else None
    if assign is None or assign.end() != fv.location.column - 1:
        return None  # inline table or dotted key: not a line we can rewrite safely
    rest = line[fv.end_column - 1:].strip()
    if rest and not rest.startswith("#"):
        return None
    header = _server_header(source, server)
    if header is None or header >= row:
        return None
    path = config.path
    if fv.field == "bearer_token":
        if _table_has(source, header, "bearer_token_env_var"):
            return None
        edit = TextEdit(path, row + 1, assign.start(1) + 1, row + 1, fv.end_column,
                        f"bearer_token_env_var = {json.dumps(name)}")
        return Fix(f"use bearer_token_env_var = {json.dumps(name)}", (edit,))
    if not fv.field.startswith("env.") or not key:
        return None
    # The table this line sits in must be exactly [mcp_servers.<server>.env].
    before = bisect.bisect_left(headers, row)
    table = headers[before - 1] if before else None
    table_match = _HEADER.match(lines[table]) if table is not None else None
    if table_match is None or not is_env_table(table_match.group(1), server):
        return None
    insert = _env_vars_edit(config, source, header, key)
    if insert is None:
        return None
    remove = (TextEdit(path, row + 1, 1, row + 2, 1, "") if row + 1 < len(lines)
              else TextEdit(path, row + 1, 1, row + 1, len(line) + 1, ""))
    return Fix(f"pass {key} from the environment with env_vars", (remove, insert))


_ENV_TABLE_HEAD = re.compile(r"mcp_servers\s*\.")
_BLANKS = re.compile(r"\s*")
_ENV_TABLE_TAIL = re.compile(r"\s*\.\s*env")


def is_env_table(key: str, server: str) -> bool:
    r"""Whether a table header's key is `mcp_servers.<server>.env` (the server's name bare or quoted,
    blanks around the dots): `re.match(r"^mcp_servers\s*\.\s*" + _key_pattern(server) +
    r"\s*\.\s*env$", key)` without a pattern compiled per server name (a file of N servers compiled
    N of them, ~0.3 ms each, past the `re` module's cache). The blanks after the dot may be given back
    to a name that starts with blanks, as the regex backtracks; `$` also matches before a final
    newline (tests/fix/test_codex_fix.py compares the two on random keys)."""
    head = _ENV_TABLE_HEAD.match(key)
    if head is None:
        return False
    run = _BLANKS.match(key, head.end())  # (always matches: `\s*`)
    blanks = run.end() if run is not None else head.end()
    ends = (len(key), len(key) - 1) if key.endswith("\n") else (len(key),)
    for at in range(head.end(), blanks + 1):
        for spelled in (server, f'"{server}"', f"'{server}'"):
            if key.startswith(spelled, at) and any(
                    _ENV_TABLE_TAIL.fullmatch(key, at + len(spelled), end) for end in ends):
                return True
    return False


def header_of(source: str, server: str | None) -> int | None:
    return _server_header(source, server) if server is not None else None


_TOML_STR = r"(?:\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*')"


def _header_fix(config: McpConfig, source: str, row: int, header: int | None, fv: FieldValue, key: str,
                name: str) -> Fix | None:
    """`http_headers = { "Authorization" = "Bearer …" }` (the only header) becomes
    `bearer_token_env_var = "NAME"`; another single header becomes `env_http_headers = { "H" = "NAME" }`
    (the variable then holds the whole header value). A `[mcp_servers.x.http_headers]` table line moves
    the same way. Inline tables with several headers are left for a human (no fix)."""
    lines = _layout(source)[0]
    if header is None or header >= row:
        return None
    line = lines[row]
    value = fv.text
    bearer = key.lower() == "authorization" and re.match(r"(?i)^bearer\s+\S+$", value) is not None
    target = "bearer_token_env_var" if bearer else "env_http_headers"
    if _table_has(source, header, target):
        return None
    setting = (f"bearer_token_env_var = {json.dumps(name)}" if bearer
               else f"env_http_headers = {{ {json.dumps(key)} = {json.dumps(name)} }}")
    inline = re.match(r"^\s*(?:http_headers|headers|\"http_headers\")\s*=\s*\{\s*" + _key_pattern(key)
                      + r"\s*=\s*" + _TOML_STR + r"\s*,?\s*\}\s*(?:#.*)?$", line)
    path = config.path
    what = (f"send it with bearer_token_env_var = {json.dumps(name)} (set {name} to the token only)" if bearer
            else f"send it with env_http_headers (set {name} to the header value)")
    if inline is not None:
        edit = TextEdit(path, row + 1, 1, row + 1, len(line) + 1, setting)
        return Fix(what, (edit,))
    before = bisect.bisect_left(_layout(source)[1], row)
    table = _layout(source)[1][before - 1] if before else None
    table_match = _HEADER.match(lines[table]) if table is not None else None
    if table_match is None or not re.match(r"^mcp_servers\s*\.\s*.+\.\s*(?:http_headers|headers)$",
                                           table_match.group(1)):
        return None
    if not re.match(r"^\s*" + _key_pattern(key) + r"\s*=\s*" + _TOML_STR + r"\s*(?:#.*)?$", line):
        return None
    remove = (TextEdit(path, row + 1, 1, row + 2, 1, "") if row + 1 < len(lines)
              else TextEdit(path, row + 1, 1, row + 1, len(line) + 1, ""))
    insert = TextEdit(path, header + 2, 1, header + 2, 1, setting + "\n")
    return Fix(what, (remove, insert))


def _inline_env_fix(config: McpConfig, source: str, row: int, header: int | None, fv: FieldValue,
                    key: str) -> Fix | None:
    """`env = { NAME = "value", ... }` in the server's own table: the pair leaves the inline table and
    the name goes to `env_vars = ["NAME"]` (Codex passes that variable through from its environment)."""
    lines, headers, _stops, _servers = _layout(source)
    if header is None or header >= row:
        return None
    before = bisect.bisect_left(headers, row)
    if not before or headers[before - 1] != header:
        return None
    insert = _env_vars_edit(config, source, header, key)
    if insert is None:
        return None
    line = lines[row]
    start, end = fv.location.column - 1, fv.end_column - 1
    pair = re.search(r"(?:^|[{,]\s*)(" + _key_pattern(key) + r")\s*=\s*$", line[:start])
    if pair is None:
        return None
    s0 = pair.start(1)
    after = re.match(r"\s*,\s*", line[end:])
    if after is not None:
        s1 = end + after.end()
    else:
        lead = re.search(r",\s*$", line[:s0])
        s0 = lead.start() if lead is not None else s0
        s1 = end
    path = config.path
    remove = TextEdit(path, row + 1, s0 + 1, row + 1, s1 + 1, "")
    return Fix(f"pass {key} from the environment with env_vars", (remove, insert))


def _env_vars_edit(config: McpConfig, source: str, header: int, key: str) -> TextEdit | None:
    """`env_vars = ["KEY"]` after the server's header, or KEY added to a one-line `env_vars` list
    already in that table; None for a layout not rewritten safely (multi-line list)."""
    if not _table_has(source, header, "env_vars"):
        return TextEdit(config.path, header + 2, 1, header + 2, 1, f"env_vars = [{json.dumps(key)}]\n")
    lines, _headers, stops, _servers = _layout(source)
    nxt = bisect.bisect_right(stops, header)
    end = stops[nxt] if nxt < len(stops) else len(lines)
    for row in range(header + 1, end):
        one = re.match(r"^\s*env_vars\s*=\s*\[([^\[\]]*)\]\s*(?:#.*)?$", lines[row])
        if one is None:
            continue
        items = one.group(1)
        if any(f"{left}{key}{right}" in items for left in "\"'" for right in "\"'"):  # per key: no regex
            return TextEdit(config.path, row + 1, one.end(1) + 1, row + 1, one.end(1) + 1, "")
        sep = ", " if items.strip() and not items.rstrip().endswith(",") else ""
        return TextEdit(config.path, row + 1, one.end(1) + 1, row + 1, one.end(1) + 1,
                        f"{sep}{json.dumps(key)}")
    return None
