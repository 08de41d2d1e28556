"""Machine-applicable fixes: replace a secret with a reference in the client's own syntax.

`_build_fix` is called for each secret match (through scanner/fix/secrets.py, which adds an AWS
secret key's key id) with the raw value still at hand; the value is used to locate the secret inside
its token and never ends up in an edit. Fix.edits[0] always replaces the
value's token; a second edit, when present, inserts a declaration (VS Code `inputs`, Codex
`env_vars`). Clients with no interpolation get no fix: there is no honest text-only change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from scanner.clients.catalog import LAUNCHER_CLIENTS, SOURCE_CLIENTS, env_name, input_id, syntax_for
from scanner.engines.credential import credential_span
from scanner.engines.engine import Placement
from scanner.findings import Fix, TextEdit
from scanner.model import Client, FieldValue, FileFormat, McpConfig
from scanner.output_guard import find_leaks, holds_secret
from scanner.parsing.node import PNode
from scanner.parsing.positions import LineIndex

if TYPE_CHECKING:
    from scanner.engines.engine import SecretMatch

REMOVED = "<removed>"


# Clients whose docs say references resolve anywhere in the file, not only in the MCP section.
_EXPANDS_ANYWHERE = frozenset({Client.CRUSH, Client.OPENCODE, Client.GEMINI, Client.CONTINUE})


def _span_edit(path: str, old: str, new: str) -> TextEdit:
    """One edit turning `old` into `new`, over whole lines from the first changed line to the last."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    start = old.rfind("\n", 0, start) + 1
    tail = 0
    while tail < limit - start and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
    old_end, new_end = len(old) - tail, len(new) - tail
    newline = old.find("\n", old_end)
    extra = (len(old) if newline < 0 else newline) - old_end
    old_end, new_end = old_end + extra, new_end + extra
    index = LineIndex(old)
    l0, c0 = index.position(start)
    if old_end >= len(old):
        l1, c1 = index.line_count, len(old) - index.offset(index.line_count, 1) + 1
    else:
        l1, c1 = index.position(old_end)
    return TextEdit(path, l0, c0, l1, c1, new[start:new_end])


def span_edit_at(path: str, source: str, start: int, end: int, middle: str) -> TextEdit:
    """`_span_edit(path, source, source[:start] + middle + source[end:])`, without building that
    text or comparing the equal text around `start:end` (work in the size of the slice, not the
    file's): the same prefix and suffix walks, the suffix one entering the slice only when the
    equal tail has not already met the walk's bound."""
    n_old = len(source)
    n_new = start + len(middle) + (n_old - end)

    def new_at(i: int) -> str:
        if i < start:
            return source[i]
        if i < start + len(middle):
            return middle[i - start]
        return source[end + i - start - len(middle)]

    limit = min(n_old, n_new)
    first = start
    while first < limit and source[first] == new_at(first):
        first += 1
    first = source.rfind("\n", 0, first) + 1
    equal_tail = n_old - end
    tail = min(equal_tail, max(limit - first, 0))
    if tail == equal_tail:
        while tail < limit - first and source[n_old - 1 - tail] == new_at(n_new - 1 - tail):
            tail += 1
    old_end, new_end = n_old - tail, n_new - tail
    newline = source.find("\n", old_end)
    extra = (n_old if newline < 0 else newline) - old_end
    old_end, new_end = old_end + extra, new_end + extra
    index = _line_index(source)
    l0, c0 = index.position(first)
    if old_end >= n_old:
        l1, c1 = index.line_count, n_old - index.offset(index.line_count, 1) + 1
    else:
        l1, c1 = index.position(old_end)
    return TextEdit(path, l0, c0, l1, c1, _slice(source, start, end, middle, first, new_end))


def _slice(source: str, start: int, end: int, middle: str, a: int, b: int) -> str:
    """(source[:start] + middle + source[end:])[a:b] from the three pieces."""
    m_end = start + len(middle)
    parts = []
    if a < start:
        parts.append(source[a:min(b, start)])
    if b > start and a < m_end:
        parts.append(middle[max(a, start) - start:min(b, m_end) - start])
    if b > m_end:
        parts.append(source[end + max(a, m_end) - m_end:end + b - m_end])
    return "".join(parts)


def _build_fix(match: SecretMatch, source_text: str) -> Fix | None:
    fv = match.fv
    if match.config.parse_error is not None:
        return None  # a file that did not parse gets no machine edit
    if fv is None and match.placement is Placement.COMMENT and match.value:
        return comment_fix(match, source_text)
    if fv is None or not match.value or match.value not in fv.text:
        return None
    if match.config.client in LAUNCHER_CLIENTS:  # a command line: `${NAME}` as its shell expands it
        from scanner.fix.launcher import launcher_fix

        return launcher_fix(match, source_text, _suggested_name(match), _line_index(source_text))
    if match.config.client in SOURCE_CLIENTS:  # application source: the language's environment read
        from scanner.fix.source import source_fix

        return source_fix(match, source_text, _suggested_name(match), _line_index(source_text))
    if match.server is not None and match.server.client in LAUNCHER_CLIENTS:  # a dev container's command
        from scanner.fix.launcher import dev_container_fix

        return dev_container_fix(match, source_text, _suggested_name(match), _line_index(source_text))
    outside = match.config.extra_values
    if match.config.client not in _EXPANDS_ANYWHERE and outside and fv in _value_set(outside):
        return None  # outside the MCP section only these clients resolve a reference
    name = _suggested_name(match)
    if match.config.client is Client.CODEX:
        from scanner.fix.codex import codex_fix

        return codex_fix(match.config, match.server.name if match.server else None, fv, name, source_text)
    if match.config.client is Client.GOOSE:
        from scanner.fix.goose import goose_fix

        return goose_fix(match.config, fv, source_text)
    if match.server is not None and match.server.client is Client.KUBERNETES:
        from scanner.fix.kubernetes import kubernetes_fix

        return kubernetes_fix(match.config, match.server, fv, source_text)
    if match.config.client is Client.DOCKER_MCP:
        from scanner.fix.compose import compose_fix

        span = credential_span(fv.text, match.value)
        return None if span is None else compose_fix(match, source_text, name, _encode, span)
    syntax = syntax_for(match.config.client)
    if not syntax.interpolates or not _expanded_there(syntax.expands_in, match):
        return None
    token = _token(source_text, fv)
    if token is None or (match.config.format in _ONE_LINE_FORMATS and fv.end_line != fv.location.line):
        return None
    # The whole credential goes (`SK…:secret`, not just `SK…`): no part of it may survive.
    span = credential_span(fv.text, match.value)
    if span is None:
        return None
    # `$NAME` glued to a word on either side is not read as a reference (`bot$NAME`, `$NAMEx`):
    # then the braced form (a Telegram token inside `api.telegram.org/bot<token>`).
    preceded = span[0] > 0 and bool(_WORD_CHAR.match(fv.text, span[0] - 1))
    followed = preceded or bool(_WORD_CHAR.match(fv.text, span[1]))
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
    replaced = fv.text[:span[0]] + reference + fv.text[span[1]:]
    if _keeps_piece(replaced, fv.text[span[0]:span[1]]) or find_leaks(replaced):
        # The fixed value would still hold secret material, this one's or another's, in any form the
        # output boundary knows (`$(printf '%s' '<base64>' | base64 -d)` fixed at its first word keeps
        # the encoded token): no fix, the note says what to do.
        return None
    encoded = (_properties_value(replaced) if match.config.format is FileFormat.PROPERTIES
               else _encode(replaced, token))
    if encoded is None:
        return None
    loc = fv.location
    edits = [TextEdit(loc.path, loc.line, loc.column, fv.end_line, fv.end_column, encoded)]
    if extra is not None:
        edits.append(extra)
    return Fix(f"replace the value with {reference}", tuple(edits))


def _expanded_there(fields: tuple[str, ...] | None, match: SecretMatch) -> bool:
    """Whether the client expands references in the match's field (`oauth.clientSecret`, `cwd` or a
    top-level key of `.mcp.json` are passed on as written by Claude Code and Cursor)."""
    if fields is None:
        return True
    if match.server is None or match.fv is None:
        return False
    return match.fv.field.split(".", 1)[0].split("[", 1)[0] in fields


_WORD_CHAR = re.compile(r"[A-Za-z0-9_]")
# One set per tuple of values (identity-checked): `fv in tuple` compared every value field by field,
# once per finding (a file's findings x its values outside the MCP section).
_VALUE_SETS: dict[int, tuple[tuple[FieldValue, ...], frozenset[FieldValue]]] = {}


def _value_set(values: tuple[FieldValue, ...]) -> frozenset[FieldValue]:
    """frozenset(values), made once per tuple (membership is the tuple's: hash, then ==)."""
    entry = _VALUE_SETS.get(id(values))
    if entry is None or entry[0] is not values:
        if len(_VALUE_SETS) > 64:
            _VALUE_SETS.clear()
        entry = _VALUE_SETS[id(values)] = (values, frozenset(values))
    return entry[1]


def _keeps_piece(text: str, secret: str, piece: int = 12) -> bool:
    """True when `text` still holds `secret` or any `piece`-character part of it."""
    if len(secret) < piece:
        return secret in text
    return any(secret[i:i + piece] in text for i in range(len(secret) - piece + 1))


def _suggested_name(match: SecretMatch) -> str:
    name = match.fact("env_name") or (match.fv.key if match.fv is not None else None)
    if name and holds_secret(name):
        # A name made from a key or server name that is itself a token (`{"<token>": "<token>"}`):
        # `${<TOKEN>}` would write the secret, upper-cased, into the file and the suggestion.
        name = None
    if match.secret_type == "db-password" and name and name.endswith("URL"):
        # Only the password moves out of the URI; the host and user stay readable.
        name = name.removesuffix("URL").rstrip("_") + "_PASSWORD" if name != "URL" else "DB_PASSWORD"
    return env_name(name, "MCP_SECRET")


_LINE_INDEXES: dict[int, tuple[str, LineIndex]] = {}


def _line_index(source: str) -> LineIndex:
    """One index per file text: a file with thousands of findings must not rebuild it each time.
    Keyed by the text object (identity-checked): a cache keyed by the text's value compared a new
    but equal text (the next scan of the same file) character by character on every lookup."""
    return _per_text(_LINE_INDEXES, source, LineIndex)


_T = TypeVar("_T")


def _per_text(cache: dict[int, tuple[str, _T]], source: str, make: Callable[[str], _T]) -> _T:
    """`make(source)` once per text object (identity-checked; at most 8 texts kept)."""
    entry = cache.get(id(source))
    if entry is None or entry[0] is not source:
        if len(cache) >= 8:
            cache.clear()
        entry = cache[id(source)] = (source, make(source))
    return entry[1]


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
    if token.startswith('\\"') and token.endswith('\\"') and len(token) >= 4:
        # a JSON string inside a double-quoted one (a ConfigMap entry `mcp.json: "{\"env\": …}"`):
        # the JSON string literal, escaped again for the outer string
        return _JSON_STRING(_JSON_STRING(text))[1:-1]
    # JSON escapes are valid in JSON, YAML double-quoted and TOML basic strings alike.
    return _JSON_STRING(text)


# Formats whose multi-line values (YAML blocks, `.properties` continuation lines) are not rewritten.
_ONE_LINE_FORMATS = (FileFormat.YAML, FileFormat.PROPERTIES)


def _properties_value(text: str) -> str:
    """`text` as a Java `.properties` value: unquoted (quotes there are part of the value, so a JSON
    string literal would hand Spring `"${NAME}"` with its quotes), its backslashes and line breaks
    escaped and a leading blank kept with `\\ `."""
    out = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return "\\" + out if out[:1] in (" ", "\f") else out


# json.dumps(text, ensure_ascii=False) is this encoder's encode(): dumps builds a new encoder per call
# when an argument is not the default, once per finding.
_JSON_STRING = json.JSONEncoder(ensure_ascii=False).encode


def vscode_input_edit(config: McpConfig, source: str, name: str) -> TextEdit | bool | None:
    """Insertion of a `password: true` promptString input for `name`; True when already declared."""
    ident = input_id(name)
    if ident in config.input_ids:
        return True
    layout = _inputs_layout(source)
    if layout is None:
        return None
    container, inputs, declared = layout
    entry = json.dumps({"type": "promptString", "id": ident, "description": name, "password": True})
    if inputs is not None and inputs.is_array:
        if ident in declared:
            return True
        return TextEdit(config.path, inputs.line, inputs.column + 1, inputs.line, inputs.column + 1,
                        f"\n    {entry},")
    if inputs is not None:
        return None
    return TextEdit(config.path, container.line, container.column + 1, container.line, container.column + 1,
                    f'\n  "inputs": [\n    {entry}\n  ],')


_InputsLayout = tuple[PNode, PNode | None, frozenset[object]]
_INPUTS_LAYOUTS: dict[int, tuple[str, _InputsLayout | None]] = {}


def _inputs_layout(source: str) -> _InputsLayout | None:
    """(the object holding `servers`, its `inputs` node, the ids its inputs declare) of a VS Code
    file text, or None (not JSONC, or no `servers` container). Once per text object, like
    _line_index: made per finding, a file with N secrets was parsed N times (N * N)."""
    return _per_text(_INPUTS_LAYOUTS, source, _read_inputs_layout)


def _read_inputs_layout(source: str) -> _InputsLayout | None:
    from scanner.errors import ParseError
    from scanner.parsing import parse_jsonc

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
    inputs = container.get("inputs")
    declared: set[object] = set()
    if inputs is not None and inputs.is_array:
        for item in inputs.items:
            item_id = item.get("id") if item.is_object else None
            if item_id is not None:
                declared.add(item_id.value)
    return container, inputs, frozenset(declared)


def comment_fix(match: SecretMatch, source_text: str) -> Fix | None:
    """A secret inside a comment: the fix deletes the whole credential from the comment (the comment
    itself, and the file's formatting, stay)."""
    loc = match.location
    index = _line_index(source_text)
    if not 1 <= loc.line <= index.line_count:
        return None
    start = index.offset(loc.line, 1)
    end = source_text.find("\n", start)
    line = source_text[start:] if end < 0 else source_text[start:end]
    at = line.find(match.value, max(loc.column - 1, 0))
    if at < 0:
        at = line.find(match.value)
    if at < 0:
        return None
    span = credential_span(line[at:], match.value)
    if span is None:
        return None
    s0, s1 = at + span[0], at + span[1]
    # `Bearer <token>` / `token=<token>` keep their label; only the credential goes.
    edit = TextEdit(loc.path, loc.line, s0 + 1, loc.line, s1 + 1, REMOVED)
    return Fix("delete the secret from the comment", (edit,))
