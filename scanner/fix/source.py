"""The fix of a secret in application source (clients/source_code.py): read the value from the
environment in the language's own syntax.

A string literal that is the secret becomes `os.environ["NAME"]` (Python) or `process.env.NAME`
(TypeScript / JavaScript); one that holds it with other text (`"Bearer ghp_…"`) becomes an f-string
(`f"Bearer {os.environ['NAME']}"`) or a template literal (`` `Bearer ${process.env.NAME}` ``).
Only a plain one-line literal whose text is the source's as written is rewritten: an f-string, a
template literal with `${…}`, a raw / byte / triple-quoted string or one with escapes gets no edit
(there is no honest in-place rewrite of what the code computes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scanner.engines.credential import credential_span
from scanner.findings import Fix, TextEdit
from scanner.model import FileFormat
from scanner.parsing.positions import LineIndex

if TYPE_CHECKING:
    from scanner.engines.engine import SecretMatch


def source_fix(match: SecretMatch, source: str, name: str, index: LineIndex) -> Fix | None:
    """`name`: the variable the value moves to (fix/build.py's suggestion)."""
    fv = match.fv
    if fv is None or fv.end_line != fv.location.line or fv.location.line > index.line_count:
        return None
    begin = index.offset(fv.location.line, 1)
    token = source[begin + fv.location.column - 1:begin + fv.end_column - 1]
    python = match.config.format is FileFormat.PYTHON
    quotes = ("'", '"') if python else ("'", '"', "`")
    if len(token) < 2 or token[0] not in quotes or token[-1] != token[0] or token[1:-1] != fv.text \
            or "\\" in token or python and token.startswith(('"""', "'''")) or "${" in token:
        return None
    span = credential_span(fv.text, match.value)
    if span is None:
        return None
    before, after = fv.text[:span[0]], fv.text[span[1]:]
    if python:
        read = f'os.environ["{name}"]'
        if before or after:
            inner = "'" if token[0] == '"' else '"'
            environ = f"{{os.environ[{inner}{name}{inner}]}}"
            read = f"f{token[0]}{_braces(before)}{environ}{_braces(after)}{token[0]}"
    else:
        read = f"process.env.{name}"
        if before or after:
            read = f"`{_template(before)}${{process.env.{name}}}{_template(after)}`"
    loc = fv.location
    return Fix(f"read the value from the environment: {read if not (before or after) else name}",
               (TextEdit(loc.path, loc.line, loc.column, fv.end_line, fv.end_column, read),))


def _braces(text: str) -> str:
    """Literal text inside an f-string (braces doubled)."""
    return text.replace("{", "{{").replace("}", "}}")


def _template(text: str) -> str:
    """Literal text inside a template literal (backticks and `${` escaped)."""
    return text.replace("`", "\\`").replace("${", "\\${")
