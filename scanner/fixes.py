"""Machine-applicable fixes: replace a secret with a reference in the client's own syntax.

`build_fix` is called by the secret rules with the raw value still at hand; the value is used to
locate the secret inside its token and never ends up in an edit. Fix.edits[0] always replaces the
value's token; a second edit, when present, inserts a declaration (VS Code `inputs`, Codex
`env_vars`). Clients with no interpolation get no fix: there is no honest text-only change.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.findings import Fix, TextEdit
from scanner.model import Client, FieldValue, FileFormat, McpConfig
from scanner.parsing.node import PNode
from scanner.parsing.positions import LineIndex
from scanner.remediation.client_syntax import env_name, input_id, syntax_for

if TYPE_CHECKING:
    from scanner.engines.engine import SecretMatch
    from scanner.pipeline import ScanResult


def build_fix(match: SecretMatch, source_text: str) -> Fix | None:
    """The edits that replace `match`'s secret with a reference the client resolves, or None."""
    fv = match.fv
    if fv is None or not match.value or match.value not in fv.text:
        return None
    name = _suggested_name(match)
    if match.config.client is Client.CODEX:
        from scanner.remediation.codex_fix import codex_fix

        return codex_fix(match.config, match.server.name if match.server else None, fv, name, source_text)
    syntax = syntax_for(match.config.client)
    if not syntax.interpolates:
        return None
    token = _token(source_text, fv)
    if token is None or (match.config.format is FileFormat.YAML and fv.end_line != fv.location.line):
        return None
    followed = _followed_by_word_char(fv.text, match.value)
    extra: TextEdit | None = None
    reference = syntax.reference(name, followed)
    if syntax.style == "input":
        inserted = vscode_input_edit(match.config, source_text, name)
        if inserted is None:  # no `servers` container found: ${env:} needs no declaration
            reference = f"${{env:{name}}}"
        elif isinstance(inserted, TextEdit):
            extra = inserted
    if reference is None:
        return None
    encoded = _encode(fv.text.replace(match.value, reference), token)
    if encoded is None:
        return None
    loc = fv.location
    edits = [TextEdit(loc.path, loc.line, loc.column, fv.end_line, fv.end_column, encoded)]
    if extra is not None:
        edits.append(extra)
    return Fix(f"replace the value with {reference}", tuple(edits))


def _suggested_name(match: SecretMatch) -> str:
    name = match.fact("env_name") or (match.fv.key if match.fv is not None else None)
    if match.secret_type == "db-password" and name and name.endswith("URL"):
        # Only the password moves out of the URI; the host and user stay readable.
        name = name.removesuffix("URL").rstrip("_") + "_PASSWORD" if name != "URL" else "DB_PASSWORD"
    return env_name(name, "MCP_SECRET")


@functools.lru_cache(maxsize=8)
def _line_index(source: str) -> LineIndex:
    """One index per file text: a file with thousands of findings must not rebuild it each time."""
    return LineIndex(source)


def _token(source: str, fv: FieldValue) -> str | None:
    index = _line_index(source)
    if fv.end_line > index.line_count:
        return None
    start = index.offset(fv.location.line, fv.location.column)
    end = index.offset(fv.end_line, fv.end_column)
    if not 0 <= start < end <= len(source):
        return None
    return source[start:end]


def _encode(text: str, token: str) -> str | None:
    """`text` as a string literal in the token's own quoting (JSON/YAML/TOML double quotes)."""
    if token.startswith(('"""', "'''")):
        return None  # TOML/YAML multi-line strings: not rewritten
    if token.startswith("'") and token.endswith("'"):
        return "'" + text.replace("'", "''") + "'" if "\n" not in text else None
    # JSON escapes are valid in JSON, YAML double-quoted and TOML basic strings alike.
    return json.dumps(text, ensure_ascii=False)


def vscode_input_edit(config: McpConfig, source: str, name: str) -> TextEdit | bool | None:
    """Insertion of a `password: true` promptString input for `name`; True when already declared."""
    from scanner.errors import ParseError
    from scanner.parsing import parse_jsonc

    ident = input_id(name)
    if ident in config.input_ids:
        return True
    try:
        root = parse_jsonc(source)
    except ParseError:
        return None
    container = None
    for path in ((), ("mcp",), ("settings", "mcp"), ("customizations", "vscode", "mcp")):
        node: PNode | None = root
        for key in path:
            node = node.get(key) if node is not None and node.is_object else None
        if node is not None and node.is_object and node.get("servers") is not None:
            container = node
            break
    if container is None:
        return None
    entry = json.dumps({"type": "promptString", "id": ident, "description": name, "password": True})
    inputs = container.get("inputs")
    if inputs is not None and inputs.is_array:
        for item in inputs.items:
            item_id = item.get("id") if item.is_object else None
            if item_id is not None and item_id.value == ident:
                return True
        return TextEdit(config.path, inputs.line, inputs.column + 1, inputs.line, inputs.column + 1,
                        f"\n    {entry},")
    if inputs is not None:
        return None
    return TextEdit(config.path, container.line, container.column + 1, container.line, container.column + 1,
                    f'\n  "inputs": [\n    {entry}\n  ],')


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """`text` with non-overlapping edits applied (insertions at one point keep their order)."""
    index = LineIndex(text)

    def offset(line: int, column: int) -> int:
        if line == index.line_count + 1 and column == 1:
            return len(text)
        if not 1 <= line <= index.line_count:
            raise ValueError("edit outside the file")
        return index.offset(line, column)

    spans = sorted(((offset(e.start_line, e.start_column), offset(e.end_line, e.end_column), i, e)
                    for i, e in enumerate(edits)), key=lambda s: (s[0], s[1], s[2]))
    out: list[str] = []
    pos = 0
    for start, end, _, edit in spans:
        if start < pos or end < start or end > len(text):
            raise ValueError("overlapping or malformed edits")
        out.append(text[pos:start])
        out.append(edit.replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def apply_fixes(path: Path, edits: Sequence[TextEdit]) -> str:
    """The content of `path` after `edits`; the caller decides whether to write it."""
    return apply_edits(path.read_text(encoding="utf-8"), edits)


def run_fix(result: ScanResult, root: Path, dry_run: bool) -> tuple[str, int]:
    """Apply every fix in `result` under `root` (or only show them): (redacted unified diff, edits)."""
    from scanner.remediation.fix_run import run_fix as _run

    return _run(result, root, dry_run)


_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def _followed_by_word_char(text: str, value: str) -> bool:
    """Whether some occurrence of `value` in `text` is directly followed by [A-Za-z0-9_] (the
    reference then needs braces). Plain string search: a regex built from each secret value
    was compiled once per finding."""
    pos = text.find(value)
    while pos != -1:
        after = pos + len(value)
        if after < len(text) and text[after] in _WORD_CHARS:
            return True
        pos = text.find(value, pos + 1)
    return False
