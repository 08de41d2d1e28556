"""Goose fixes: `envs` values are literal, so the name moves to `env_keys: [NAME]` (Goose reads the
value from the OS keyring, stored with `goose configure`, or from the environment).

Only a block-style `envs:` map with one `NAME: value` per line is rewritten (line-based, so comments
and formatting stay); flow maps, multi-line values and an existing `env_keys` get advice, not a fix.
"""

from __future__ import annotations

import functools
import json
import re

from scanner.findings import Fix, TextEdit
from scanner.model import FieldValue, McpConfig
from scanner.output_guard import holds_secret
from scanner.parsing.positions import indent_of

_KEY = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*|\"[^\"]+\"|'[^']+')\s*:\s*\S")


@functools.lru_cache(maxsize=4)
def _lines(source: str) -> list[str]:
    """One split per file text, not per finding (a file with N secrets must not cost N * N)."""
    return source.split("\n")


def _key_indent(line: str) -> int:
    """Column of the mapping key on a line (`  - name: x` has its key at 4)."""
    stripped = line.lstrip(" ")
    base = indent_of(line)
    while stripped.startswith("- "):
        stripped = stripped[2:].lstrip(" ")
        base = len(line) - len(stripped)
    return base


def goose_fix(config: McpConfig, fv: FieldValue, source: str) -> Fix | None:
    if not fv.field.startswith("env.") or fv.end_line != fv.location.line:
        return None
    key = fv.field[len("env."):]
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) or holds_secret(key):
        # `env_keys: [KEY]` writes the key as it is: a key that is (or holds) the token would stay in
        # the file and be quoted in the fix's description (the value has to move by hand).
        return None
    lines = _lines(source)
    row = fv.location.line - 1
    if row >= len(lines):
        return None
    line = lines[row]
    match = _KEY.match(line)
    if match is None or match.group(2).strip("\"'") != key:
        return None
    rest = line[fv.end_column - 1:].strip()
    if rest and not rest.startswith("#"):
        return None
    entry_indent = indent_of(line)
    envs_row = next((i for i in range(row - 1, -1, -1)
                     if lines[i].strip() and not lines[i].lstrip().startswith("#")
                     and _key_indent(lines[i]) < entry_indent), None)
    if envs_row is None or not re.match(r"^(?:\s*-\s+)?\s*envs\s*:\s*(?:#.*)?$", lines[envs_row]):
        return None
    level = _key_indent(lines[envs_row])
    # The extension's keys: lines at `level` up to the first line indented less (siblings of envs).
    start = envs_row
    while start > 0 and (not lines[start - 1].strip() or _key_indent(lines[start - 1]) >= level):
        if indent_of(lines[start]) < level:  # `- name:` item start reached
            break
        start -= 1
    end = envs_row + 1
    while end < len(lines) and (not lines[end].strip() or _key_indent(lines[end]) > level
                                or (_key_indent(lines[end]) == level and indent_of(lines[end]) == level)):
        end += 1
    siblings = [i for i in range(start, end) if _key_indent(lines[i]) == level]
    existing = next((i for i in siblings if re.match(r"^(?:\s*-\s+)?\s*env_keys\s*:", lines[i])), None)
    flow = re.match(r"^(?:\s*-\s+)?\s*env_keys\s*:\s*\[([^\[\]]*)\]\s*(?:#.*)?$",
                    lines[existing]) if existing is not None else None
    if existing is not None and flow is None:
        return None  # a block list or another layout: not rewritten line by line
    # The other entries of this `envs:` block (the contiguous lines indented deeper than it).
    block_end = envs_row + 1
    while block_end < len(lines) and (not lines[block_end].strip() or _key_indent(lines[block_end]) > level):
        block_end += 1
    others = [i for i in range(envs_row + 1, block_end) if i != row and lines[i].strip()]
    path = config.path
    edits: list[TextEdit] = []
    remove = (TextEdit(path, row + 1, 1, row + 2, 1, "") if row + 1 < len(lines)
              else TextEdit(path, row + 1, 1, row + 1, len(line) + 1, ""))
    envs_line = lines[envs_row]
    prefix = envs_line[:level]  # indentation, and the `- ` of a list item when `envs:` opens it
    comment = envs_line[envs_line.index("envs") + 4:].lstrip(" :")
    envs_text = " " * level + "envs:" + (" {}" if not others else "") + (f" {comment}" if comment else "")
    if flow is not None and existing is not None:
        items = flow.group(1)
        sep = ", " if items.strip() and not items.rstrip().endswith(",") else ""
        edits.append(TextEdit(path, existing + 1, flow.end(1) + 1, existing + 1, flow.end(1) + 1,
                              f"{sep}{json.dumps(key)}"))
        if not others:
            edits.append(TextEdit(path, envs_row + 1, 1, envs_row + 1, len(envs_line) + 1,
                                  prefix + envs_text[level:]))
    else:
        setting = f"{prefix}env_keys: [{json.dumps(key)}]\n{envs_text}"
        edits.append(TextEdit(path, envs_row + 1, 1, envs_row + 1, len(envs_line) + 1, setting))
    edits.insert(0, remove)
    return Fix(f"move {key} to env_keys (store the value with `goose configure`)", tuple(edits))
