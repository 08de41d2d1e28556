"""Codex CLI fixes: Codex has no interpolation, so a literal becomes an env var *name* setting.

Only layouts that can be rewritten without a TOML editor are handled: a `KEY = "value"` line in a
`[mcp_servers.<name>.env]` table (moved to `env_vars`) and `bearer_token = "value"` (renamed to
`bearer_token_env_var`). Anything else (inline tables, headers, args) gets advice, not a fix.
"""

from __future__ import annotations

import json
import re

from scanner.findings import Fix, TextEdit
from scanner.model import FieldValue, McpConfig

_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")


def _key_pattern(name: str) -> str:
    bare = re.escape(name)
    return rf"(?:{bare}|\"{bare}\"|'{bare}')"


def _server_header(lines: list[str], server: str) -> int | None:
    """0-based index of the `[mcp_servers.<server>]` header line."""
    pattern = re.compile(r"^mcp_servers\s*\.\s*" + _key_pattern(server) + r"$")
    for i, line in enumerate(lines):
        match = _HEADER.match(line)
        if match and pattern.match(match.group(1)):
            return i
    return None


def _table_has(lines: list[str], header: int, key: str) -> bool:
    """Whether the table opened at `header` already sets `key`."""
    for line in lines[header + 1:]:
        if _HEADER.match(line) or line.lstrip().startswith("[["):
            return False
        if re.match(r"^\s*" + _key_pattern(key) + r"\s*=", line):
            return True
    return False


def codex_fix(config: McpConfig, server: str | None, fv: FieldValue, name: str, source: str) -> Fix | None:
    """Edits for a Codex `[mcp_servers.x]` secret, or None when the layout is not a simple one."""
    if server is None or fv.end_line != fv.location.line:
        return None
    lines = source.split("\n")
    row = fv.location.line - 1
    if row >= len(lines):
        return None
    line = lines[row]
    key = fv.key or ""
    assign = re.match(r"^\s*(" + _key_pattern(key) + r")\s*=\s*", line) if key else None
    if assign is None or assign.end() != fv.location.column - 1:
        return None  # inline table or dotted key: not a line we can rewrite safely
    rest = line[fv.end_column - 1:].strip()
    if rest and not rest.startswith("#"):
        return None
    header = _server_header(lines, server)
    if header is None or header >= row:
        return None
    path = config.path
    if fv.field == "bearer_token":
        if _table_has(lines, header, "bearer_token_env_var"):
            return None
        edit = TextEdit(path, row + 1, assign.start(1) + 1, row + 1, fv.end_column,
                        f"bearer_token_env_var = {json.dumps(name)}")
        return Fix(f"use bearer_token_env_var = {json.dumps(name)}", (edit,))
    if not fv.field.startswith("env.") or not key:
        return None
    # The table this line sits in must be exactly [mcp_servers.<server>.env].
    table = next((i for i in range(row - 1, -1, -1) if _HEADER.match(lines[i])), None)
    env_table = re.compile(r"^mcp_servers\s*\.\s*" + _key_pattern(server) + r"\s*\.\s*env$")
    table_match = _HEADER.match(lines[table]) if table is not None else None
    if table_match is None or not env_table.match(table_match.group(1)):
        return None
    if _table_has(lines, header, "env_vars"):
        return None
    remove = (TextEdit(path, row + 1, 1, row + 2, 1, "") if row + 1 < len(lines)
              else TextEdit(path, row + 1, 1, row + 1, len(line) + 1, ""))
    insert = TextEdit(path, header + 2, 1, header + 2, 1, f"env_vars = [{json.dumps(key)}]\n")
    return Fix(f"pass {key} from the environment with env_vars", (remove, insert))
