"""Provider tokens in a config's text that no parsed value holds: never passed in silence.

The engines judge the values the parser produced. A token can sit where no value is:
- used as a name: an env key (`"env": {"<token>": "x"}`), a header name, a server name, any object
  key (also of an empty object or a non-string setting);
- in a YAML document after the first (`---`): the parser reads one document, as the clients do
  (serde_yaml / the `yaml` package reject or ignore the rest), but the text is committed all the same.
So the whole text is searched for the provider shapes (the unnamed ones: no generic name/entropy
rule, a key is not a value) outside the spans of the parsed values (those were judged already,
placeholders and public keys included); and the YAML documents after the first get the line search
of a file that did not parse (scanner/clients/unparsed.py), their values judged as any value is.
Pure: no I/O.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence

from scanner.detail_budget import DetailBudget, line_column, offset_of
from scanner.engines.analyze import _shape_hit, analyze
from scanner.engines.engine import SecretMatch
from scanner.engines.longvalue import shape_matches
from scanner.model import FieldValue, FileFormat, Location, McpConfig

# A document marker at column 0 (`---` or `...`, alone or followed by a space).
_NEWLINE = re.compile("\n")
_DOC_MARKER = re.compile(r"^(?:---|\.\.\.)(?=[ \t]|$)", re.M)


def unjudged_matches(config: McpConfig, text: str, found: Sequence[SecretMatch],
                     budget: DetailBudget | None = None) -> list[SecretMatch]:
    """Matches for tokens of `text` outside every parsed value (and in later YAML documents); with a
    `budget`, none at or after the file's cut-off, and a cut-off after the limit of hits of each kind."""
    if not text:
        return []
    budget = budget if budget is not None else DetailBudget(0)
    path = config.path
    claimed = {match.value for match in found}
    out: list[SecretMatch] = []
    # The line starts and the value spans are made on first use (a file without any token shape in
    # its text, the common case, never needs them).
    lines: list[list[int]] = []

    def line_starts() -> list[int]:
        if not lines:
            lines.append([0, *(m.end() for m in _NEWLINE.finditer(text))])
        return lines[0]

    rest = _later_documents_line(config, text)
    if rest is not None:
        out.extend(_later_document_matches(config, text, line_starts(), rest, claimed, budget))
    made: list[tuple[list[tuple[int, int]], list[int]]] = []  # ([(start, end)], [start]) once made
    # The spans of the values the values' pass found secrets in (a part of every span): a token
    # inside one of them is inside a value, the answer without the spans of every value of the file.
    found_made: list[tuple[list[tuple[int, int]], list[int]]] = []

    def inside_value(pos: int) -> bool:
        if not found_made:
            spans = _merged(_spans(_found_values(config, found), config.path, line_starts(), len(text)))
            found_made.append((spans, [start for start, _end in spans]))
        if _inside(found_made[0], pos):
            return True
        if not made:
            spans = _value_spans(config, line_starts(), len(text))
            made.append((spans, [start for start, _end in spans]))
        return _inside(made[0], pos)

    def refused(pos: int) -> bool:  # past the cut-off, or the limit of names' hits is reached
        cutoff = budget.cutoff(path)
        if cutoff is not None and pos >= offset_of(line_starts(), len(text), cutoff):
            return True
        return budget.spent(_NAMES, path) and not budget.admit_at(_NAMES, path,
                                                                  *line_column(line_starts(), pos))

    skip = inside_value if budget.limit <= 0 else (lambda pos: inside_value(pos) or refused(pos))
    stopped: list[tuple[object, int]] = []  # (the cut-off, its offset) last computed

    def stop() -> int:  # `refused` drops every position from the cut-off's offset on
        cutoff = budget.cutoff(path)
        if cutoff is None:
            return len(text)
        if not stopped or stopped[0][0] != cutoff:
            stopped[:] = [(cutoff, offset_of(line_starts(), len(text), cutoff))]
        return stopped[0][1]

    names: list[str] | None = None
    pieces: frozenset[str] = frozenset()
    for pos, hit in shape_matches(text, None, _shape_hit, skip, stop if budget.limit > 0 else None):
        if hit.value in claimed:
            continue
        claimed.add(hit.value)
        budget.found(_NAMES, path)
        starts_of_lines = line_starts()
        line = bisect.bisect_right(starts_of_lines, pos)
        column = pos - starts_of_lines[line - 1] + 1
        if names is None:
            names = _names(config)
            pieces = _name_pieces(names)
        # A piece of a name that is the token (a key holding it whole) answers without the walk over
        # every name, which made a file of N tokens used as keys cost N * N; else the walk decides.
        as_name = hit.value in pieces or any(hit.value in name for name in names)
        where = "used as a name (key)" if as_name else "outside any value the config's parser read"
        out.append(SecretMatch(
            secret_type=hit.secret_type, value=hit.value, config=config, server=None, fv=None,
            field_name=f"{'key' if as_name else 'text'}:{line}", location=Location(config.path, line, column),
            severity=hit.severity, redacted=hit.redacted, provider=hit.provider,
            description=f"{hit.description}, {where}", engine="builtin",
            facts=(*hit.facts, ("placement", "file"))))
    return out


# The budget's stages of this module (scanner/detail_budget.py).
_NAMES = "names"
_DOCUMENTS = "documents"


def _later_documents_line(config: McpConfig, text: str) -> int | None:
    """0-based line where the YAML documents after the first begin, or None (one document)."""
    if config.format is not FileFormat.YAML or config.parse_error is not None:
        return None
    if _DOC_MARKER.search(text) is None:  # (multi-line: some line starts with a marker, or none does)
        return None
    content = False
    line = 0
    for line, raw in enumerate(text.split("\n")):
        if _DOC_MARKER.match(raw):
            if content:
                return line
            continue  # the first document's own start marker
        stripped = raw.strip()
        if stripped and not stripped.startswith(("#", "%")):
            content = True
    return None


def _later_document_matches(config: McpConfig, text: str, line_starts: list[int], first: int,
                            claimed: set[str], budget: DetailBudget) -> Iterator[SecretMatch]:
    """The values of the later documents, read line by line, judged as values."""
    from scanner.clients.unparsed import line_values
    tail = "\n" * first + text[line_starts[first]:]  # line numbers stay the file's
    for fv in line_values(config.path, tail):
        if not budget.admit(_DOCUMENTS, fv.location):
            continue
        for hit in analyze(fv.text, fv.key, "field"):
            if hit.value in claimed:
                continue
            claimed.add(hit.value)
            budget.found(_DOCUMENTS, fv.location.path)
            yield SecretMatch(
                secret_type=hit.secret_type, value=hit.value, config=config, server=None, fv=None,
                field_name=f"document:{fv.location.line}", location=fv.location, severity=hit.severity,
                redacted=hit.redacted, provider=hit.provider,
                description=f"{hit.description}, in a later YAML document (`---`) of the file",
                engine="builtin", facts=(*hit.facts, ("placement", "file")))


def _values(config: McpConfig) -> Iterable[FieldValue]:
    for server in config.servers:
        extra = (server.command, server.url, server.env_file, *server.env, *server.headers, *server.args)
        yield from server.values
        yield from (fv for fv in extra if fv is not None)
    yield from config.file_values
    yield from config.extra_values


def _inside(made: tuple[list[tuple[int, int]], list[int]], pos: int) -> bool:
    spans, starts = made
    index = bisect.bisect_right(starts, pos) - 1
    return index >= 0 and pos < spans[index][1]


def _found_values(config: McpConfig, found: Sequence[SecretMatch]) -> Iterator[FieldValue]:
    """The values of `config` (those `_values` yields) that `found`'s matches were made from."""
    ids: dict[int, set[int]] = {}  # per server (and for the file's own values: key 0), made once
    for match in found:
        fv, server = match.fv, match.server
        if fv is None or match.config is not config:
            continue
        key = id(server) if server is not None else 0
        own = ids.get(key)
        if own is None:
            values = (*config.file_values, *config.extra_values) if server is None else (
                server.command, server.url, server.env_file, *server.env, *server.headers, *server.args,
                *server.values)
            own = ids[key] = {id(value) for value in values if value is not None}
        if id(fv) in own:
            yield fv


def _value_spans(config: McpConfig, line_starts: list[int], length: int) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) offsets of the parsed values in the text."""
    return _merged(_spans(_values(config), config.path, line_starts, length))


def _spans(values: Iterable[FieldValue], path: str, line_starts: list[int],
           length: int) -> list[tuple[int, int]]:
    """(start, end) offsets of `values` located in `path`."""
    count = len(line_starts)
    raw: list[tuple[int, int]] = []
    append = raw.append
    for fv in values:  # offset(line, column) inlined for both ends: one call per value
        loc = fv.location
        if loc.path != path:
            continue
        line, column = loc.line, loc.column
        start = length if line < 1 or line > count else \
            min(length, line_starts[line - 1] + (column if column > 1 else 1) - 1)
        line, column = fv.end_line, fv.end_column
        end = length if line < 1 or line > count else \
            min(length, line_starts[line - 1] + (column if column > 1 else 1) - 1)
        append((start, end))
    return raw


def _merged(raw: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`raw` sorted, overlapping spans merged."""
    raw.sort()
    merged: list[tuple[int, int]] = []
    for start, end in raw:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, max(start, end)))
    return merged


_NAME_SEPARATORS = re.compile(r"[.\[\]]")


def _name_pieces(names: Iterable[str]) -> frozenset[str]:
    """Every name and its parts between `.`, `[` and `]` (each a substring of its name)."""
    pieces: set[str] = set()
    for name in names:
        pieces.add(name)
        pieces.update(_NAME_SEPARATORS.split(name))
    return frozenset(pieces)


def _names(config: McpConfig) -> list[str]:
    names = [server.name for server in config.servers]
    names += [fv.field for fv in _values(config)]
    names += [field for server in config.servers for field, _text in server.flags]
    names += [field for field, _text in config.flags]
    return names
