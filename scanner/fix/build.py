"""Machine-applicable fixes: replace a secret with a reference in the client's own syntax.

`build_fix` is called by the secret rules with the raw value still at hand; the value is used to
locate the secret inside its token and never ends up in an edit. Fix.edits[0] always replaces the
value's token; a second edit, when present, inserts a declaration (VS Code `inputs`, Codex
`env_vars`). Clients with no interpolation get no fix: there is no honest text-only change.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

from scanner.clients.catalog import env_name, input_id, syntax_for
from scanner.engines.credential import credential_span
from scanner.engines.engine import Placement
from scanner.findings import Fix, TextEdit
from scanner.model import Client, FieldValue, FileFormat, McpConfig, ServerEntry
from scanner.parsing.node import PNode
from scanner.parsing.positions import LineIndex

if TYPE_CHECKING:
    from scanner.engines.engine import SecretMatch

REMOVED = "<removed>"


# Clients whose docs say references resolve anywhere in the file, not only in the MCP section.
_EXPANDS_ANYWHERE = frozenset({Client.CRUSH, Client.OPENCODE, Client.GEMINI, Client.CONTINUE})


def fixer(sources: Mapping[str, str]) -> Callable[[SecretMatch], Fix | None]:
    """`RuleContext.fix_for` for one scan: build_fix against each config's decoded text."""
    return lambda match: build_fix(match, sources.get(match.config.path, ""))


def build_fix(match: SecretMatch, source_text: str) -> Fix | None:
    """The edits that replace `match`'s secret with a reference the client resolves, or None.
    An AWS secret key takes its key id (same server) with it: the pair is one credential."""
    fix = _build_fix(match, source_text)
    if fix is None or match.server is None or not _is_aws_secret(match):
        return fix
    return _with_aws_key_id(match, fix, source_text)


_AWS_KEY_ID = re.compile(r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}")


def _is_aws_secret(match: SecretMatch) -> bool:
    name = (match.fact("env_name") or (match.fv.key if match.fv else "") or "").upper()
    return match.secret_type == "aws-secret-access-key" or "SECRET_ACCESS_KEY" in name


def _with_aws_key_id(match: SecretMatch, fix: Fix, source: str) -> Fix | None:
    """`fix` extended so the server's AWS access key id goes too, as one edit over the changed lines
    (the key id fix is computed on the text the secret's fix leaves, so the two never overlap)."""
    from scanner.clients import parse_config
    from scanner.clients.discovery import classify_path
    from scanner.errors import ParseError
    from scanner.fix.apply import apply_edits

    assert match.server is not None
    key_fv = next((fv for fv in match.server.values
                   if fv is not match.fv and _AWS_KEY_ID.fullmatch(fv.text.strip())), None)
    if key_fv is None:
        return fix
    local = _aws_fix_in_place(match, fix, source, key_fv)
    if local is not _NOT_LOCAL:
        return local  # type: ignore[return-value]
    candidate = classify_path(match.config.path)
    try:
        mid = apply_edits(source, fix.edits)
        config = parse_config(candidate, mid.encode("utf-8")) if candidate is not None else None
    except (ValueError, ParseError):
        return None
    server = next((s for s in config.servers if s.name == match.server.name), None) if config else None
    new_fv = next((fv for fv in server.values if fv.field == key_fv.field), None) if server else None
    if config is None or server is None or new_fv is None:
        return None
    key_match = dataclasses.replace(
        match, secret_type="aws-access-key-id", value=key_fv.text.strip(), config=config, server=server,
        fv=new_fv, field_name=new_fv.field, location=new_fv.location,
        facts=(("placement", match.fact("placement") or "env"),
               ("env_name", key_fv.key or "AWS_ACCESS_KEY_ID")))
    key_fix = _build_fix(key_match, mid)
    if key_fix is None:
        return None
    try:
        final = apply_edits(mid, key_fix.edits)
    except ValueError:
        return None
    edit = _span_edit(match.config.path, source, final)
    return Fix(f"{fix.description}; and the key id: {key_fix.description}", (edit,))


_NOT_LOCAL = object()


def _aws_fix_in_place(match: SecretMatch, fix: Fix, source: str, key_fv: FieldValue) -> Fix | None | object:
    """What `_with_aws_key_id` gives, worked out on the lines between the two values, or _NOT_LOCAL
    when this file's case is not one it can be (then the whole-file way runs).

    The whole-file way applies the secret's edit to the file, parses the result to find the key id
    again, builds its fix there and diffs the two files: a file with N secret keys cost N parses
    (N * N). When both edits replace one token each, within a line, in a JSON file of a client
    whose reference needs no declaration elsewhere and whose config does not depend on the values
    (so the parse would give the same servers and values, the key id moved along its line only),
    the same key-id fix is built against the file itself, and `_span_edit` over the lines from the
    first edit to the last gives the edit the whole-file diff gives (the text around them is
    equal in both files)."""
    from scanner.clients import _may_hold_mcp
    from scanner.clients.discovery import classify_path
    from scanner.fix.apply import apply_edits

    config, server = match.config, match.server
    assert server is not None
    if (config.format not in (FileFormat.JSON, FileFormat.JSONC) or len(fix.edits) != 1
            or config.client in (Client.CODEX, Client.GOOSE) or syntax_for(config.client).style == "input"):
        return _NOT_LOCAL
    candidate = classify_path(config.path)
    if candidate is None or candidate.by_content or candidate.manifest or not _may_hold_mcp(candidate, ""):
        return _NOT_LOCAL  # which servers the file yields could depend on its text
    edit = fix.edits[0]
    loc = key_fv.location
    if (edit.start_line != edit.end_line or "\n" in edit.replacement or edit.file != config.path
            or loc.path != config.path or key_fv.end_line != loc.line):
        return _NOT_LOCAL
    # The parse finds the first server of the name and its first value of the field: these ones.
    if _first_servers(config.servers).get(server.name) is not server \
            or next(fv for fv in server.values if fv.field == key_fv.field) is not key_fv:
        return _NOT_LOCAL
    moved = key_fv
    if loc.line == edit.start_line:
        if key_fv.end_column <= edit.start_column:
            pass  # before the secret on its line: where it was
        elif loc.column >= edit.end_column:
            shift = len(edit.replacement) - (edit.end_column - edit.start_column)
            moved = dataclasses.replace(key_fv, location=dataclasses.replace(loc, column=loc.column + shift),
                                        end_column=key_fv.end_column + shift)
        else:
            return _NOT_LOCAL
    key_match = dataclasses.replace(
        match, secret_type="aws-access-key-id", value=key_fv.text.strip(), fv=moved, field_name=moved.field,
        location=moved.location, facts=(("placement", match.fact("placement") or "env"),
                                        ("env_name", key_fv.key or "AWS_ACCESS_KEY_ID")))
    key_fix = _build_fix(key_match, source) if loc.line != edit.start_line or moved is key_fv \
        else _build_fix_moved(key_match, source, key_fv)
    if key_fix is None:
        return None
    if len(key_fix.edits) != 1:
        return _NOT_LOCAL
    key_edit = key_fix.edits[0]
    if key_edit.start_line != key_edit.end_line or "\n" in key_edit.replacement:
        return _NOT_LOCAL
    first = min(edit.start_line, key_edit.start_line)
    last = max(edit.start_line, key_edit.start_line)
    index = _line_index(source)
    start = index.offset(first, 1)
    end = index.offset(last + 1, 1) - 1 if last < index.line_count else len(source)
    old = source[start:end]
    back = first - 1
    try:
        mid = apply_edits(old, [dataclasses.replace(edit, start_line=edit.start_line - back,
                                                    end_line=edit.end_line - back)])
        final = apply_edits(mid, [dataclasses.replace(key_edit, start_line=key_edit.start_line - back,
                                                      end_line=key_edit.end_line - back)])
    except ValueError:
        return None
    span = _span_edit(config.path, old, final)
    span = dataclasses.replace(span, start_line=span.start_line + back, end_line=span.end_line + back)
    return Fix(f"{fix.description}; and the key id: {key_fix.description}", (span,))


_FIRST_SERVERS: dict[int, tuple[tuple[ServerEntry, ...], dict[str, ServerEntry]]] = {}


def _first_servers(servers: tuple[ServerEntry, ...]) -> dict[str, ServerEntry]:
    """The first server of each name, made once per tuple of servers (identity-checked)."""
    entry = _FIRST_SERVERS.get(id(servers))
    if entry is None or entry[0] is not servers:
        if len(_FIRST_SERVERS) > 64:
            _FIRST_SERVERS.clear()
        first: dict[str, ServerEntry] = {}
        for server in servers:
            first.setdefault(server.name, server)
        entry = _FIRST_SERVERS[id(servers)] = (servers, first)
    return entry[1]


def _build_fix_moved(key_match: SecretMatch, source: str, original: FieldValue) -> Fix | None:
    """_build_fix for a key id the secret's edit moved along its line: its token is read where it is
    in `source` (`original`), the edit is made where it is after the secret's edit (key_match.fv)."""
    fix = _build_fix(dataclasses.replace(key_match, fv=original, location=original.location), source)
    if fix is None:
        return None
    moved = key_match.fv
    assert moved is not None
    shift = moved.location.column - original.location.column
    return Fix(fix.description, tuple(
        dataclasses.replace(e, start_column=e.start_column + shift, end_column=e.end_column + shift)
        for e in fix.edits))


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


def _build_fix(match: SecretMatch, source_text: str) -> Fix | None:
    fv = match.fv
    if match.config.parse_error is not None:
        return None  # a file that did not parse gets no machine edit
    if fv is None and match.placement is Placement.COMMENT and match.value:
        return comment_fix(match, source_text)
    if fv is None or not match.value or match.value not in fv.text:
        return None
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
    syntax = syntax_for(match.config.client)
    if not syntax.interpolates:
        return None
    token = _token(source_text, fv)
    if token is None or (match.config.format is FileFormat.YAML and fv.end_line != fv.location.line):
        return None
    # The whole credential goes (`SK…:secret`, not just `SK…`): no part of it may survive.
    span = credential_span(fv.text, match.value)
    if span is None:
        return None
    followed = bool(_WORD_CHAR.match(fv.text, span[1]))
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
    if _keeps_piece(replaced, fv.text[span[0]:span[1]]):
        return None
    encoded = _encode(replaced, token)
    if encoded is None:
        return None
    loc = fv.location
    edits = [TextEdit(loc.path, loc.line, loc.column, fv.end_line, fv.end_column, encoded)]
    if extra is not None:
        edits.append(extra)
    return Fix(f"replace the value with {reference}", tuple(edits))


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
