"""The fix of a secret in a launcher's command line (clients/launchers.py): `${NAME}` where the
value was, as the shell that runs the line expands it (make expands it itself, from the
environment, whatever the shell quoting).

Inside a single-quoted shell word the shell expands nothing, so the word is closed around the
reference: `'KEY=…'` becomes `'KEY='"${KEY}"''` (in package.json the double quotes are written
`\\"`, the JSON string's escape). A value whose text is not the source's as written (JSON escapes,
a word of several quoted pieces) or that sits in a quoted YAML scalar gets no fix: there is no
honest in-place rewrite.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from scanner.clients.launchers import json_unescaped, line_prefix_end
from scanner.engines.credential import credential_span
from scanner.findings import Fix, TextEdit
from scanner.model import Client, FileFormat
from scanner.parsing.positions import LineIndex

if TYPE_CHECKING:
    from scanner.engines.engine import SecretMatch

_JSON_KEY = re.compile(r'[ \t]*"(?:[^"\\]|\\.)*"[ \t]*:[ \t]*"')
_MAKE_NAMES = ("makefile", "gnumakefile")


def launcher_fix(match: SecretMatch, source: str, name: str, index: LineIndex) -> Fix | None:
    """`index`: the line index of `source` (fix/build.py keeps one per text)."""
    fv = match.fv
    if fv is None or fv.end_line != fv.location.line:
        return None
    if fv.location.line > index.line_count:
        return None
    begin = index.offset(fv.location.line, 1)
    newline = source.find("\n", begin)
    line = source[begin:] if newline < 0 else source[begin:newline]
    start, end = fv.location.column - 1, fv.end_column - 1
    token = line[start:end]
    if fv.quoted and len(token) >= 2 and token[0] == token[-1] == '"':  # a JSON string a command wrote
        start, end, token = start + 1, end - 1, token[1:-1]
    elif fv.quoted and len(token) >= 4 and token.startswith('\\"') and token.endswith('\\"'):
        start, end, token = start + 2, end - 2, token[2:-2]  # the same, inside a package.json string
    if token != fv.text:
        return None
    span = credential_span(fv.text, match.value)
    if span is None:
        return None
    config = match.config
    reference = f"${{{name}}}"
    if config.client is Client.WINDOWS_SCRIPT:
        return _windows_fix(match, line, start, span, name)
    if not _make_expands(config.path):
        context = _quote_context(line[:start + span[0]], config.format is FileFormat.JSON
                                 and config.client is Client.NPM_SCRIPTS, config.format is FileFormat.YAML)
        if context is None:
            return None
        if context == "'":
            quote = '\\"' if config.format is FileFormat.JSON else '"'
            if span == (0, len(token)) and line[start - 1:start] == "'" and line[end:end + 1] == "'":
                start, end, span = start - 1, end + 1, (0, len(token) + 2)  # `'…'` whole: `"${NAME}"`
                reference = f"{quote}{reference}{quote}"
            else:
                reference = f"'{quote}{reference}{quote}'"
    column = start + 1
    line_no = fv.location.line
    edit = TextEdit(config.path, line_no, column + span[0], line_no, column + span[1], reference)
    return Fix(f"replace the value with ${{{name}}} (set {name} in the environment)", (edit,))


def dev_container_fix(match: SecretMatch, source: str, name: str, index: LineIndex) -> Fix | None:
    """A dev container's lifecycle command (clients/devcontainer.py): `${localEnv:NAME}`, which the
    dev container tools substitute from the host's environment (a Codespaces secret there) in any
    form of the command, before a shell (if any) runs it. Only where the value is written as is."""
    fv = match.fv
    if fv is None or fv.end_line != fv.location.line or fv.location.line > index.line_count:
        return None
    begin = index.offset(fv.location.line, 1)
    start = begin + fv.location.column - 1
    if source[start:start + len(fv.text)] != fv.text or begin + fv.end_column - 1 != start + len(fv.text):
        return None  # JSON escapes or several pieces: no honest in-place rewrite
    span = credential_span(fv.text, match.value)
    if span is None:
        return None
    reference = f"${{localEnv:{name}}}"
    line, column = fv.location.line, fv.location.column
    edit = TextEdit(match.config.path, line, column + span[0], line, column + span[1], reference)
    return Fix(f"replace the value with {reference} (set {name} in the environment the dev container "
               "starts from, or as a Codespaces secret)", (edit,))


def _windows_fix(match: SecretMatch, line: str, start: int, span: tuple[int, int], name: str) -> Fix | None:
    """cmd expands `%NAME%` anywhere in a batch line; PowerShell `$env:NAME` (`${env:NAME}` before a
    word character) outside single quotes only ('…' expands nothing: no honest in-place edit)."""
    fv = match.fv
    assert fv is not None
    if match.config.path.lower().endswith(".ps1"):
        context = _quote_context(line[:start + span[0]], False, False)
        if context is None or context == "'":
            return None
        followed = bool(re.match(r"[A-Za-z0-9_:]", line[start + span[1]:start + span[1] + 1]))
        reference = f"${{env:{name}}}" if followed else f"$env:{name}"
    else:
        reference = f"%{name}%"
    column = start + 1
    edit = TextEdit(match.config.path, fv.location.line, column + span[0], fv.location.line, column + span[1],
                    reference)
    return Fix(f"replace the value with {reference} (set {name} in the environment)", (edit,))


def _make_expands(path: str) -> bool:
    base = path.rsplit("/", 1)[-1].lower()
    return base in _MAKE_NAMES or base.endswith(".mk")


def _quote_context(prefix: str, in_json: bool, in_yaml: bool) -> str | None:
    """The shell quote open at the end of `prefix` (the value's line up to it): "" (none), "'" or
    '"'; None when the command's start cannot be told (a quoted YAML scalar, a JSON key line)."""
    if in_json:
        key = _JSON_KEY.match(prefix)
        if key is None:
            return None
        decoded = json_unescaped(prefix[key.end():])
        if decoded is None:
            return None
        prefix = decoded[0]
    else:
        prefix = prefix[line_prefix_end(prefix):]
        if in_yaml and prefix[:1] in ("'", '"'):
            return None  # a quoted YAML scalar (Taskfile): its own escapes come first
    state = ""
    escaped = False
    for char in prefix:
        if escaped:
            escaped = False
        elif char == "\\" and state != "'":
            escaped = True
        elif char == "'" and state != '"':
            state = "" if state == "'" else "'"
        elif char == '"' and state != "'":
            state = "" if state == '"' else '"'
    return state
