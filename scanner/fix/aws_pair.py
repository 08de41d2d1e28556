"""An AWS secret access key's fix takes the server's access key id with it: the pair is one credential.

The reference way (`whole_file`) applies the secret's edits to the file, parses the result to find
the key id again, builds the key id's fix there and diffs the two files: a file with N pairs cost N
parses and N whole-file diffs (N * N). `in_place` works out the same fix on the lines around the
pair for the layouts it can prove equal (JSON clients, VS Code with its `inputs` declaration, Codex
TOML); anything else takes the reference way. tests/fix/test_aws_pair_in_place.py compares the two.
"""

from __future__ import annotations

import bisect
import dataclasses
import enum
import re
import tomllib
from typing import TYPE_CHECKING, Literal

from scanner.clients.catalog import input_id, syntax_for
from scanner.findings import Fix, TextEdit
from scanner.fix.build import (
    _build_fix,
    _inputs_layout,
    _line_index,
    _per_text,
    _span_edit,
    _suggested_name,
    span_edit_at,
)
from scanner.model import Client, FieldValue, FileFormat, McpConfig, ServerEntry
from scanner.parsing.toml_tree import DECODE_FAILURES, loads_shared

if TYPE_CHECKING:
    from scanner.clients.discovery import Candidate
    from scanner.engines.engine import SecretMatch

_AWS_KEY_ID = re.compile(r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}")


class _NotLocal(enum.Enum):
    """A case the in-place way does not cover: the whole-file way runs instead."""

    NOT_LOCAL = enum.auto()


NOT_LOCAL = _NotLocal.NOT_LOCAL
# What the in-place way gives: the fix (None: no fix) or NOT_LOCAL.
_Local = Fix | None | Literal[_NotLocal.NOT_LOCAL]


def is_aws_secret(match: SecretMatch) -> bool:
    name = (match.fact("env_name") or (match.fv.key if match.fv else "") or "").upper()
    return match.secret_type == "aws-secret-access-key" or "SECRET_ACCESS_KEY" in name


def with_aws_key_id(match: SecretMatch, fix: Fix, source: str) -> Fix | None:
    """`fix` extended so the server's AWS access key id goes too (the key id's fix is computed on the
    text the secret's fix leaves, so the two never overlap); `fix` itself when the server has none."""
    assert match.server is not None
    key_fv = next((fv for fv in match.server.values
                   if fv is not match.fv and _AWS_KEY_ID.fullmatch(fv.text.strip())), None)
    if key_fv is None:
        return fix
    local = in_place(match, fix, source, key_fv)
    if local is not NOT_LOCAL:
        return local
    return whole_file(match, fix, source, key_fv)


def _key_match(match: SecretMatch, key_fv: FieldValue, fv: FieldValue | None = None,
               config: McpConfig | None = None, server: ServerEntry | None = None) -> SecretMatch:
    """The key id as a match of its own (the secret's, with the key id's type, value and facts),
    at `fv` (the key id, possibly moved), in `config` / `server` when given."""
    fv = fv or key_fv
    return dataclasses.replace(
        match, secret_type="aws-access-key-id", value=key_fv.text.strip(), fv=fv, field_name=fv.field,
        location=fv.location, config=config or match.config, server=server or match.server,
        facts=(("placement", match.fact("placement") or "env"),
               ("env_name", key_fv.key or "AWS_ACCESS_KEY_ID")))


def _joined(fix: Fix, key_fix: Fix, edits: tuple[TextEdit, ...]) -> Fix:
    return Fix(f"{fix.description}; and the key id: {key_fix.description}", edits)


def whole_file(match: SecretMatch, fix: Fix, source: str, key_fv: FieldValue) -> Fix | None:
    """The reference way: parse the file the secret's fix leaves, fix the key id there, diff."""
    from scanner.clients import parse_config
    from scanner.clients.discovery import classify_path
    from scanner.errors import ParseError
    from scanner.fix.apply import apply_edits

    assert match.server is not None
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
    key_fix = _build_fix(_key_match(match, key_fv, config=config, server=server, fv=new_fv), mid)
    final = _applied(mid, key_fix)
    if key_fix is None or final is None:
        return None
    return _joined(fix, key_fix, (_span_edit(match.config.path, source, final),))


def _applied(mid: str, key_fix: Fix | None) -> str | None:
    """`mid` with the key id's fix applied, or None when there is no fix or its edits do not apply."""
    from scanner.fix.apply import apply_edits

    if key_fix is None:
        return None
    try:
        return apply_edits(mid, key_fix.edits)
    except ValueError:
        return None


def in_place(match: SecretMatch, fix: Fix, source: str, key_fv: FieldValue) -> _Local:
    """What `whole_file` gives, worked out on the lines of the pair, or NOT_LOCAL when this file's
    case is not one shown to be equal (then the whole-file way runs)."""
    from scanner.clients.discovery import classify_path

    config, server = match.config, match.server
    assert server is not None and match.fv is not None
    candidate = classify_path(config.path)
    if candidate is None or candidate.by_content or candidate.manifest or config.parse_error is not None:
        return NOT_LOCAL  # which servers the file yields could depend on its text
    # The parse finds the first server of the name and its first value of the field: these ones.
    if _first_servers(config.servers).get(server.name) is not server \
            or next(fv for fv in server.values if fv.field == key_fv.field) is not key_fv:
        return NOT_LOCAL
    if config.client is Client.CODEX:
        return _codex(match, fix, source, key_fv) if config.format is FileFormat.TOML else NOT_LOCAL
    if config.format not in (FileFormat.JSON, FileFormat.JSONC) or config.client is Client.GOOSE \
            or not _keeps_content_words(candidate, source, fix.edits):
        return NOT_LOCAL
    if syntax_for(config.client).style == "input":
        return _vscode(match, fix, source, key_fv)
    return _json(match, fix, source, key_fv)


def _keeps_content_words(candidate: Candidate, source: str, edits: tuple[TextEdit, ...]) -> bool:
    """Whether the file the secret's `edits` leave is read as a config for the reason `source` is:
    its kind needs no content word (`.vscode/mcp.json`), or one of them stands in `source` where no
    edit touches it (settings.json, `.code-workspace`, devcontainer: `mcp`), so it stands in that
    file too. Otherwise (the word only inside the secret's token) the whole-file way decides.
    Stops at the first untouched occurrence: at most one per edit is passed over."""
    from scanner.clients import content_words

    needs = content_words(candidate)
    if needs is None:
        return True
    index = _line_index(source)
    if any(edit.file != candidate.rel_path or not 1 <= edit.start_line <= edit.end_line <= index.line_count
           for edit in edits):
        return False  # (an edit at the end of the file: not worked out here)
    spans = [(index.offset(edit.start_line, edit.start_column), index.offset(edit.end_line, edit.end_column))
             for edit in edits]
    for word in needs:
        at = source.find(word)
        while at >= 0:
            if all(end <= at or start >= at + len(word) for start, end in spans):
                return True
            at = source.find(word, at + 1)
    return False


def _json(match: SecretMatch, fix: Fix, source: str, key_fv: FieldValue) -> _Local:
    """A client whose reference needs no declaration: both edits replace one token each, within a
    line; the parse would give the same servers and values, the key id moved along its line only,
    so the key id's fix is built against the file itself and the lines from the first edit to the
    last are diffed (the text around them is equal in both files)."""
    from scanner.fix.apply import apply_edits

    config = match.config
    if len(fix.edits) != 1:
        return NOT_LOCAL
    edit = fix.edits[0]
    loc = key_fv.location
    if not _one_line(edit) or edit.file != config.path or loc.path != config.path \
            or key_fv.end_line != loc.line:
        return NOT_LOCAL
    moved = key_fv
    if loc.line == edit.start_line:
        if key_fv.end_column <= edit.start_column:
            pass  # before the secret on its line: where it was
        elif loc.column >= edit.end_column:
            shift = len(edit.replacement) - (edit.end_column - edit.start_column)
            moved = dataclasses.replace(key_fv, location=dataclasses.replace(loc, column=loc.column + shift),
                                        end_column=key_fv.end_column + shift)
        else:
            return NOT_LOCAL
    key_match = _key_match(match, key_fv, fv=moved)
    key_fix = _build_fix(key_match, source) if loc.line != edit.start_line or moved is key_fv \
        else _build_fix_moved(key_match, source, key_fv)
    if key_fix is None:
        return None
    if len(key_fix.edits) != 1:
        return NOT_LOCAL
    key_edit = key_fix.edits[0]
    if not _one_line(key_edit):
        return NOT_LOCAL
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
    return _joined(fix, key_fix, (span,))


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


def _vscode(match: SecretMatch, fix: Fix, source: str, key_fv: FieldValue) -> _Local:
    """VS Code: each of the two references may need an `inputs` entry. The whole-file way declares
    the secret's input, parses, then declares the key id's in the file that left; here both tokens
    are replaced in the file itself and the two declarations are one insertion (the key id's entry
    first, where the second declaration puts it). The result is the span over the pair's lines and,
    when one is needed and lies outside them, that insertion as a second edit: the whole-file diff
    would be one edit from the declaration down to the pair, as long as the distance between them
    (a file of N pairs: N * N characters). Applied, the two give the same text.

    Equal to the whole-file way because: the secret's insertion adds `inputs` to (or an entry at the
    head of) the object `_inputs_layout` reads, which is the section the VS Code parser reads (checked
    when an insertion happens), so the parse of that file has the same servers and values and its
    declared ids are this file's plus the secret's; the key id's reference and declaration follow
    from those ids alone (`_build_fix` below sees them through `input_ids`)."""
    from scanner.fix.apply import apply_edits

    config = match.config
    secret_edit = fix.edits[0]
    inserted = fix.edits[1] if len(fix.edits) == 2 else None
    if len(fix.edits) > 2 or not _one_line(secret_edit) or key_fv.end_line != key_fv.location.line:
        return NOT_LOCAL
    key_config = config
    if inserted is not None:
        layout = _inputs_layout(source)
        if layout is None or not _section_is_container(source):
            return NOT_LOCAL
        declared = input_id(_suggested_name(match))
        key_config = dataclasses.replace(config, input_ids=(*config.input_ids, declared))
    key_fix = _build_fix(_key_match(match, key_fv, config=key_config), source)
    if key_fix is None:
        return None
    key_edit = key_fix.edits[0]
    key_inserted = key_fix.edits[1] if len(key_fix.edits) == 2 else None
    if len(key_fix.edits) > 2 or not _one_line(key_edit):
        return NOT_LOCAL
    insertion = _one_insertion(source, inserted, key_inserted)
    if insertion is NOT_LOCAL:
        return NOT_LOCAL
    first = min(secret_edit.start_line, key_edit.start_line)
    last = max(secret_edit.start_line, key_edit.start_line)
    edits = [secret_edit, key_edit]
    separate: tuple[TextEdit, ...] = ()
    if insertion is not None:
        if first <= insertion.start_line <= last:
            edits.append(insertion)
        else:
            separate = (insertion,)
    index = _line_index(source)
    start = index.offset(first, 1)
    end = index.offset(last + 1, 1) if last < index.line_count else len(source)
    back = first - 1
    try:
        final = apply_edits(source[start:end], [dataclasses.replace(
            e, start_line=e.start_line - back, end_line=e.end_line - back) for e in edits])
    except ValueError:
        return None
    return _joined(fix, key_fix, (span_edit_at(config.path, source, start, end, final), *separate))


def _one_line(edit: TextEdit) -> bool:
    return edit.start_line == edit.end_line and "\n" not in edit.replacement


def _section_is_container(source: str) -> bool:
    """Whether the object `_inputs_layout` declares inputs in is the section the VS Code parser reads
    (an `inputs` array added to another object could make the parser pick that one instead)."""
    return _per_text(_SECTION_CHECKS, source, _read_section_check)


_SECTION_CHECKS: dict[int, tuple[str, bool]] = {}


def _read_section_check(source: str) -> bool:
    from scanner.clients.vscode import find_section
    from scanner.errors import ParseError
    from scanner.parsing import parse_jsonc

    layout = _inputs_layout(source)
    try:
        root = parse_jsonc(source)
    except ParseError:
        return False
    found = find_section(root)
    if layout is None or found is None:
        return False
    container, node = layout[0], found[0]
    return (container.line, container.column) == (node.line, node.column)


def _one_insertion(source: str, inserted: TextEdit | None,
                   key_inserted: TextEdit | None) -> TextEdit | None | Literal[_NotLocal.NOT_LOCAL]:
    """The declarations the whole-file way makes, as one insertion into this file."""
    if inserted is None or key_inserted is None:
        return inserted or key_inserted
    if (inserted.start_line, inserted.start_column) != (key_inserted.start_line, key_inserted.start_column):
        return NOT_LOCAL
    layout = _inputs_layout(source)
    assert layout is not None
    if layout[1] is None:  # the secret's edit created `inputs`: the key id's entry goes at its head
        entry = key_inserted.replacement.split("\n")[2]
        head = inserted.replacement.index("[") + 1
        text = inserted.replacement[:head] + "\n" + entry + "," + inserted.replacement[head:]
    else:  # both at the head of the existing array, the key id's entry first
        text = key_inserted.replacement + inserted.replacement
    return dataclasses.replace(inserted, replacement=text)


def _codex(match: SecretMatch, fix: Fix, source: str, key_fv: FieldValue) -> _Local:
    """Codex: the secret's `KEY = "…"` leaves its env table (or inline `env`, or its `http_headers`
    table) for `env_vars` (or `env_http_headers` / `bearer_token_env_var`), then the key id's does the
    same in the file that left. Every line the Codex fix reads for one server lies between the
    server's `[mcp_servers.<name>]` header and the later of: the next table, the two values and the
    secret's edits; on that slice of the file the same two fixes are built and diffed
    (tests/fix/test_aws_pair_in_place.py compares it with the whole-file way).

    When the values sit in a table far below, past other servers' tables (all headers first, all env
    tables at the end), the slice is two pieces instead: the server's own table (what `_table_has`
    and the declaration read) and the stretch from the values' table header to the last line read,
    joined as one text; the Codex fix reads nothing in between, so it builds the same edits there.
    The fix is then two edits, one per piece (the one holding the secret first): the whole-file diff
    would be one edit across every other server's tables, as long as the distance between them (a
    file of N pairs: N * N characters, and no two such fixes could be applied together). Applied,
    the two give the same text.

    Equal to the whole-file way because the file the secret's fix leaves parses with the same
    servers and values: the header is the server's own (its position is the parser's), the slice
    holds no multi-line string, or it and the slice the secret's fix leaves each parse as a TOML
    document alone (`_parses_alone`: neither ends inside a string, so the file's tokens there are
    the slice's own), and a declaration is added only where the parsed table has none (or appended
    to the `env_vars` list the table has), so the parse cannot fail."""
    from scanner.fix import codex

    server, fv = match.server, match.fv
    assert server is not None and fv is not None
    if not fv.field.startswith(_CODEX_FIELDS) or len(fix.edits) != 2 \
            or key_fv.end_line != key_fv.location.line:
        return NOT_LOCAL
    lines, headers, stops, servers = codex._layout(source)
    header = servers.get(server.name)
    if header is None or server.location.line != header + 1 or key_fv.location.line <= header + 1:
        return NOT_LOCAL
    declared = _toml_declared(source).get(server.name)
    if declared is None or any((key in declared) != codex._table_has(source, header, key)
                               for key in _DECLARES):
        return NOT_LOCAL
    following = bisect.bisect_right(stops, header)
    stop = stops[following] if following < len(stops) else len(lines) - 1
    rows = [fv.location.line - 1, key_fv.location.line - 1, *(e.end_line - 1 for e in fix.edits)]
    last = max(stop, *rows)
    if min(e.start_line for e in fix.edits) <= header + 1 or last >= len(lines):
        return NOT_LOCAL
    far = [row for row in rows if row > stop]
    if far:
        table = headers[bisect.bisect_right(headers, min(far)) - 1]
        if table > stop and _other_server_between(source, server.name, stop, table) \
                and all((e.start_line - 1 <= stop) == (e.end_line - 1 <= stop) for e in fix.edits):
            local = _codex_in(match, fix, source, key_fv, header, ((header, stop), (table, last)))
            if local is not _CONTIGUOUS:
                return local
    local = _codex_in(match, fix, source, key_fv, header, ((header, last),))
    return NOT_LOCAL if local is _CONTIGUOUS else local


_CODEX_FIELDS = ("env.", "http_headers.", "headers.")
# What a Codex fix declares in the server's table (scanner/fix/codex.py): the parse of the file the
# secret's fix leaves fails if tomllib sees one the fix's line reading does not.
_DECLARES = ("env_vars", "env_http_headers", "bearer_token_env_var")


class _Seam(enum.Enum):
    """(Codex) Two pieces that cannot be read apart: the one-slice way decides."""

    CONTIGUOUS = enum.auto()


_CONTIGUOUS = _Seam.CONTIGUOUS


def _codex_in(match: SecretMatch, fix: Fix, source: str, key_fv: FieldValue, header: int,
              pieces: tuple[tuple[int, int], ...]) -> _Local | Literal[_Seam.CONTIGUOUS]:
    """`_codex` over the text of `pieces` (0-based inclusive rows of `source`, the first starting at
    the server's header, each at a table header), joined as one slice. _CONTIGUOUS when two pieces
    cannot be read apart (a multi-line string in them, an edit across their seam)."""
    from scanner.fix import codex
    from scanner.fix.apply import apply_edits
    from scanner.parsing.positions import LineIndex

    config, server = match.config, match.server
    assert server is not None
    index = _line_index(source)
    spans = [(index.offset(a + 1, 1), index.offset(b + 2, 1) if b + 1 < index.line_count else len(source))
             for a, b in pieces]
    texts = [source[start:end] for start, end in spans]
    window = "".join(texts)
    multi_line = '"""' in window or "'''" in window
    if multi_line and (len(pieces) > 1 or not _parses_alone(window)):
        return _CONTIGUOUS if len(pieces) > 1 else NOT_LOCAL
    bases = [0]
    for a, b in pieces[:-1]:
        bases.append(bases[-1] + b - a + 1)

    def to_window(line: int) -> int:  # a 1-based line of `source` -> of the window
        for (a, b), base in zip(pieces, bases, strict=True):
            if a <= line - 1 <= b:
                return base + line - a
        raise ValueError("line outside the pieces")

    moved_edits = [dataclasses.replace(e, start_line=to_window(e.start_line), end_line=to_window(e.end_line))
                   for e in fix.edits]
    try:
        mid = apply_edits(window, moved_edits)
    except ValueError:
        return None
    if multi_line and not _parses_alone(mid):
        return NOT_LOCAL
    here = LineIndex(window)
    token = (here.offset(to_window(key_fv.location.line), key_fv.location.column),
             here.offset(to_window(key_fv.end_line), key_fv.end_column))
    seam = len(texts[0])  # where the second piece starts (window, then mid, then final offsets)
    shift = seam_shift = 0
    for e in moved_edits:
        e0 = here.offset(e.start_line, e.start_column)
        e1 = here.offset(e.end_line, e.end_column)
        if e1 <= token[0]:
            shift += len(e.replacement) - (e1 - e0)
        elif e0 < token[1]:
            return NOT_LOCAL
        if e0 < seam:
            seam_shift += len(e.replacement) - (e1 - e0)
    there = LineIndex(mid)
    line, column = there.position(token[0] + shift)
    end_line, end_column = there.position(token[1] + shift)
    moved = dataclasses.replace(key_fv, end_line=end_line, end_column=end_column,
                                location=dataclasses.replace(key_fv.location, line=line, column=column))
    key_fix = codex.codex_fix(config, server.name, moved, _suggested_name(_key_match(match, key_fv)), mid)
    final = _applied(mid, key_fix)
    if key_fix is None or final is None:
        return None
    if len(pieces) == 1:
        return _joined(fix, key_fix, (span_edit_at(config.path, source, spans[0][0], spans[0][1], final),))
    seam += seam_shift
    for e in key_fix.edits:
        e0 = there.offset(e.start_line, e.start_column)
        e1 = there.offset(e.end_line, e.end_column)
        if e0 < seam < e1 or (e0 < seam and e1 == seam and e0 == e1):
            return _CONTIGUOUS
        if e0 < seam:
            seam += len(e.replacement) - (e1 - e0)
    edits = [span_edit_at(config.path, source, start, end, part)
             for (start, end), part, old in zip(spans, (final[:seam], final[seam:]), texts, strict=True)
             if part != old]
    secret_row = match.fv.location.line - 1 if match.fv is not None else header
    if len(edits) == 2 and pieces[1][0] <= secret_row:
        edits.reverse()  # the piece holding the secret's token first
    return _joined(fix, key_fix, tuple(edits))


def _other_server_between(source: str, name: str, after: int, before: int) -> bool:
    """Whether a table of another server than `name` opens between rows `after` and `before`."""
    rows, names = _per_text(_SERVER_ROWS, source, _read_server_rows)
    own = (name, f'"{name}"', f"'{name}'")
    at = bisect.bisect_right(rows, after)
    while at < len(rows) and rows[at] < before:
        other = names[at]
        if other not in own and not other.startswith(tuple(spelled + "." for spelled in own)) \
                and not other.startswith(tuple(spelled + " " for spelled in own)):
            return True
        at += 1
    return False


_SERVER_ROWS: dict[int, tuple[str, tuple[list[int], list[str]]]] = {}


def _read_server_rows(source: str) -> tuple[list[int], list[str]]:
    from scanner.fix import codex

    table = sorted((row, name) for name, row in codex._layout(source)[3].items())
    return [row for row, _ in table], [name for _, name in table]


def _parses_alone(window: str) -> bool:
    """Whether a slice of a TOML file that starts at a table header the parser confirmed is a TOML
    document by itself. Then it ends where a statement ends, outside any multi-line string (one cut
    by the slice's end is unterminated), so the file's tokens there are the slice's own, and the
    line reading of the Codex fix over the slice sees what it sees over the file."""
    try:
        tomllib.loads(window)
    except tomllib.TOMLDecodeError:
        return False
    return True


def _toml_declared(source: str) -> dict[str, frozenset[str]]:
    """For each `mcp_servers` table of a TOML text as tomllib reads it, the keys it sets (in any
    spelling: dotted, quoted, escaped), once per text object."""
    return _per_text(_TOML_DECLARED, source, _read_toml_declared)


_TOML_DECLARED: dict[int, tuple[str, dict[str, frozenset[str]]]] = {}


def _read_toml_declared(source: str) -> dict[str, frozenset[str]]:
    try:
        servers = loads_shared(source).get("mcp_servers")
    except DECODE_FAILURES:
        return {}
    if not isinstance(servers, dict):
        return {}
    return {name: frozenset(table) for name, table in servers.items() if isinstance(table, dict)}


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
