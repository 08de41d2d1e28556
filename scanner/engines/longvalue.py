"""Values too long for the full analysis: never skipped in silence.

`analyze` runs every decoder on a value up to `MAX_TEXT` characters. A longer value is still read:
- padded (`<token>` + 200,000 spaces): the stripped value is analysed in full;
- JSON held in a string: each string leaf is analysed (no leaf cap), as a short value would be;
- anything else: the provider token shapes (the unnamed ones: a named shape must be the whole value)
  and URI passwords are searched in windows of `WINDOW` characters that overlap by `OVERLAP`, longer
  than any bounded provider token (a PEM private key is at most ~8,100), so no token is cut. A match
  belongs to the window it starts in; each regex search is bounded by one window, so the cost is
  linear in the value's length.
A field that got only the windowed search (the decoders, the generic name rule, argv reading and
encoded-value decoding did not run on it) is never passed in silence: `long_value_holes` makes the
scan incomplete for text (an opaque key under a name, a script's `export KEY=…`, a base64 JSON
config in it was never judged); `long_value_warnings` names binary data (base64/hex of bytes that
are no text, PEM certificates), which the shapes (PEM private keys included) cover. Pure: no I/O.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from scanner.engines.decode import json_leaves
from scanner.engines.engine import Hit, HitAccumulator
from scanner.model import FieldValue, McpConfig
from scanner.providers.base import Pattern

MAX_TEXT = 200_000
WINDOW = 64 * 1024
OVERLAP = 16 * 1024

Analyzer = Callable[[str, str | None, str, int], list[Hit]]  # analyze(text, name, kind, depth)
ShapeHit = Callable[[Pattern, str, str | None], Hit | None]  # the hit for one shape match, or None


def analyze_long(text: str, name: str | None, kind: str, depth: int, analyze: Analyzer, shape_hit: ShapeHit,
                 is_header_name: Callable[[str], bool]) -> list[Hit]:
    """Hits in a value longer than MAX_TEXT. The callers' functions come in as arguments (analyze.py
    imports this module): `analyze` is the full analysis, for the parts it can take; `shape_hit`
    judges one shape match; `is_header_name` tells a JSON key that is a header name."""
    stripped = text.strip()
    if len(stripped) <= MAX_TEXT:
        return analyze(stripped, name, kind, depth) if stripped else []
    leaves = json_leaves(stripped) if kind != "comment" else None
    if leaves is not None:
        acc = HitAccumulator()
        for key, leaf in leaves:
            for hit in analyze(leaf, key or name, "header" if is_header_name(key) else "env", depth + 1):
                acc.add(hit)
        return acc.hits
    return windowed_hits(text, name, shape_hit)


def windowed_hits(text: str, name: str | None, shape_hit: ShapeHit) -> list[Hit]:
    """Provider token shapes and URI passwords in `text`, searched window by window."""
    from scanner.engines.uri import _uris

    acc = HitAccumulator()
    for _pos, hit in shape_matches(text, name, shape_hit):
        acc.add(hit)
    for start, end in windows(len(text)):
        if "://" in text[start:end]:
            _uris(text[start:end], acc)
    return acc.hits


def shape_matches(text: str, name: str | None, shape_hit: ShapeHit,
                  skip: Callable[[int], bool] | None = None,
                  stop: Callable[[], int] | None = None) -> Iterator[tuple[int, Hit]]:
    """(offset, hit) for the unnamed provider shapes in `text`, window by window; `skip(offset)`
    drops the matches starting there. `stop()`, when given, is an offset from which `skip` drops
    every match (it may only move down as the search goes on: a file's cut-off): the search ends
    there instead of trying, and dropping, every match after it (the windows still end where they
    would, so a match starting before it is the same)."""
    if stop is None:
        def stop() -> int:
            return len(text)
    bounded, anchored, starts = _shapes()
    by_first, unknown = _by_first_char(anchored)
    # The others start with a literal: re searches for it quickly, and not at all when it is absent.
    rest = [(index, pattern) for index, pattern, needle in _literal_led() if needle in text]
    last_end = [0] * len(bounded)  # per shape, as finditer: no match overlaps the previous one
    claimed: set[str] = set()

    def found(index: int, pattern: Pattern, match: re.Match[str]) -> Hit | None:
        last_end[index] = match.end()
        secret = match.group(pattern.group)
        if secret in claimed or (skip is not None and skip(match.start())):
            return None
        hit = shape_hit(pattern, secret, name)
        if hit is None:
            return None
        claimed.add(secret)
        return hit

    for start, end in windows(len(text)):
        if start >= stop():
            break
        owned = start + WINDOW  # a match starting at or after this belongs to the next window
        # Shapes that start at a word boundary: one pass finds the positions where any of them
        # matches, then each is tried only there (a random base64 blob has almost none).
        for candidate in starts.finditer(text, start, end):
            pos = candidate.start()
            if pos >= owned or pos >= stop():
                break
            if skip is not None and skip(pos):
                continue
            for index, pattern in by_first.get(text[pos], unknown):
                if pos >= last_end[index] and (match := pattern.regex.match(text, pos, end)) is not None:
                    if (hit := found(index, pattern, match)) is not None:
                        yield match.start(pattern.group), hit
        for index, pattern in rest:
            begin = last_end[index] if last_end[index] > start else start
            for match in pattern.regex.finditer(text, begin, end):
                if match.start() >= owned or match.start() >= stop():
                    break
                if (hit := found(index, pattern, match)) is not None:
                    yield match.start(pattern.group), hit


_Indexed = list[tuple[int, Pattern]]
_BY_FIRST: dict[int, tuple[_Indexed, tuple[dict[str, _Indexed], _Indexed]]] = {}


def _by_first_char(anchored: _Indexed) -> tuple[dict[str, _Indexed], _Indexed]:
    """The shapes of `anchored` a match starting with each character can be (in their order), and
    those whose first characters are not known (tried everywhere): made once per list (identity-
    checked). At a position the union found, the shapes whose matches cannot begin with the
    character there cannot match (prefilter.first_chars is exact), so only the others are tried
    (each position tried all 143 shapes: a file of N tokens made 143 * N regex calls)."""
    entry = _BY_FIRST.get(id(anchored))
    if entry is None or entry[0] is not anchored:
        from scanner.providers.base import LEFT
        from scanner.providers.prefilter import first_chars

        firsts = [first_chars(pattern.regex.pattern[len(LEFT):])
                  if pattern.regex.pattern.startswith(LEFT) else None for _index, pattern in anchored]
        chars = set().union(*(found for found in firsts if found is not None))
        by_first = {char: [shape for shape, found in zip(anchored, firsts, strict=True)
                           if found is None or char in found] for char in chars}
        unknown = [shape for shape, found in zip(anchored, firsts, strict=True) if found is None]
        if len(_BY_FIRST) > 8:
            _BY_FIRST.clear()
        entry = _BY_FIRST[id(anchored)] = (anchored, (by_first, unknown))
    return entry[1]


@functools.cache
def _shapes() -> tuple[list[tuple[int, Pattern]], list[tuple[int, Pattern]], re.Pattern[str]]:
    """(every unnamed secret shape, those starting at a word boundary, one lookahead union of those).

    The union is tried only where a character one of its shapes can begin with stands (`first`):
    without that test every position after a non-word character (`$`, `{`, `"`, a blank) entered
    the union's 136 alternatives, the cost of the whole-text search of a punctuation-dense file.
    The test is exact (prefilter.first_chars), so the positions found are the same; it is left out
    when some shape's first characters are not known."""
    from scanner.providers.base import LEFT
    from scanner.providers.patterns import PATTERNS

    shapes = list(enumerate(p for p in PATTERNS if p.name is None and not p.public))
    anchored = [(i, p) for i, p in shapes if p.regex.pattern.startswith(LEFT) and not p.regex.flags & ~re.U]
    bodies = [p.regex.pattern[len(LEFT):] for _i, p in anchored]
    return shapes, anchored, re.compile(f"{LEFT}{_first_test(bodies)}(?={_grouped_union(bodies)})")


def _grouped_union(bodies: Sequence[str]) -> str:
    """The alternation of `bodies`, those that begin with a literal character grouped under it
    (`g(?:(?:hp_…)|(?:ho_…))|…`): at a position the regex engine then passes over one branch per
    first character instead of one per shape (220; a flat union took 0.12 s per MiB of text, the
    grouped one half of that). The lookahead asks only whether some body matches there, so the
    order and grouping of the alternatives do not change the positions found. A body is grouped
    only when the standard library's parser reads it as that character followed by the rest
    (a top-level `a|b` or a quantified first character is not), so each group means the same."""
    groups: dict[str, list[str]] = {}
    others: list[str] = []
    for body in bodies:
        head = _literal_head(body)
        if head is None:
            others.append(f"(?:{body})")
        else:
            groups.setdefault(head, []).append(f"(?:{body[len(head):]})")
    grouped = [re.escape(head) + ("(?:" + "|".join(rests) + ")" if len(rests) > 1 else rests[0])
               for head, rests in groups.items()]
    return "|".join(grouped + others)


def _literal_head(body: str) -> str | None:
    """`body`'s first character when the body is that literal character followed by the rest."""
    import re._parser as sre_parse  # NOTE: lazy, as the shapes are (built on first use)

    head = body[:1]
    if len(body) < 2 or not head.isascii() or not (head.isalnum() or head == "_"):
        return None
    try:
        whole, rest = sre_parse.parse(body), sre_parse.parse(body[1:])
    except re.error:
        return None
    return head if repr(whole.data) == repr([(sre_parse.LITERAL, ord(head)), *rest.data]) else None


def _first_test(bodies: Sequence[str]) -> str:
    """`(?=[...])` of every character the regexes `bodies` can begin with, or "" when unknown."""
    from scanner.providers.prefilter import first_chars

    chars: set[str] = set()
    for body in bodies:
        found = first_chars(body)
        if found is None:
            return ""
        chars |= found
    return "(?=[" + "".join(re.escape(char) for char in sorted(chars)) + "])" if chars else ""


_LITERAL = re.compile(r"(?:\\[./-]|[A-Za-z0-9 /:-])+")


@functools.cache
def _literal_led() -> list[tuple[int, Pattern, str]]:
    """(index, shape, a literal every match contains) for the shapes not starting at a word boundary
    (the literal is "" when none is read off the pattern's start: that shape is always searched)."""
    bounded, anchored, _union = _shapes()
    anchored_ids = {index for index, _pattern in anchored}
    out: list[tuple[int, Pattern, str]] = []
    for index, pattern in bounded:
        if index not in anchored_ids:
            lead = _LITERAL.match(pattern.regex.pattern)
            literal = lead.group(0) if lead else ""
            if literal and pattern.regex.pattern[len(literal):][:1] in ("?", "*", "{"):
                literal = literal[:-1]  # the last character is optional or repeated
            needle = literal.replace("\\", "")
            out.append((index, pattern, needle))
    return out


def windows(length: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the overlapping windows covering `length` characters."""
    for start in range(0, max(length, 1), WINDOW):
        yield start, min(length, start + WINDOW + OVERLAP)


def needs_windows(text: str) -> bool:
    """True when a value gets only the windowed shape search (not every analysis)."""
    if len(text) <= MAX_TEXT:
        return False
    stripped = text.strip()
    return len(stripped) > MAX_TEXT and json_leaves(stripped) is None


def long_value_warnings(configs: Sequence[McpConfig]) -> list[str]:
    """One warning per field whose value is binary data (base64 or hex of bytes that are no text,
    PEM certificates) searched only for token shapes and URI passwords: a client reads no
    credential out of it that the shapes (PEM private keys included) do not find."""
    return [message for _path, message, data in _partly_searched(configs) if data]


def long_value_holes(configs: Sequence[McpConfig]) -> list[tuple[str, str]]:
    """(config path, reason) per field whose value (text, not binary data) was searched only for
    token shapes and URI passwords: an opaque key under a name, a script's assignment or a decoded
    config in it was never judged, so the scan is incomplete (fail closed)."""
    return [(path, message) for path, message, data in _partly_searched(configs) if not data]


def _partly_searched(configs: Sequence[McpConfig]) -> Iterator[tuple[str, str, bool]]:
    """(config path, what was left out, binary data?) per value that got only the windowed search."""
    for config in configs:
        for where, fv in _long_values(config):
            if not needs_windows(fv.text):
                continue
            if is_binary_data(fv.text):
                yield config.path, (f"{config.path}: {where}{fv.field}: value of {len(fv.text):,} characters "
                                    f"searched for provider token shapes and URI passwords only (the other "
                                    f"checks read values up to {MAX_TEXT:,} characters)"), True
            else:
                yield config.path, (f"{where}{fv.field}: value of {len(fv.text):,} characters not fully "
                                    f"searched (only for provider token shapes and URI passwords; the other "
                                    f"checks read values up to {MAX_TEXT:,} characters)"), False


_PEM_CERT = re.compile(r"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----")
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+={0,2}")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")


def is_binary_data(text: str) -> bool:
    """Whether `text` is wholly base64 (or hex) of bytes that are not UTF-8 text, or only PEM
    certificates (public): data no client reads a credential from by itself."""
    if text.lstrip().startswith("-----BEGIN CERTIFICATE-----"):
        return _PEM_CERT.sub("", text).strip() == ""
    if " " in text.strip() or "\t" in text:
        return False  # words: text (a blob is one word, or lines of one)
    stripped = "".join(text.split())
    if _HEX.fullmatch(stripped):
        raw = bytes.fromhex(stripped)
    elif _BASE64.fullmatch(stripped):
        import base64
        import binascii

        try:
            raw = base64.b64decode(stripped.replace("-", "+").replace("_", "/") + "=" * (-len(stripped) % 4))
        except (binascii.Error, ValueError):
            return False
    else:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _long_values(config: McpConfig) -> Iterable[tuple[str, FieldValue]]:
    """Each value longer than MAX_TEXT once (at its first place), in the order of `_values`: only a
    value that long can need the windows, so the others are passed over before any bookkeeping."""
    seen: set[int] = set()
    limit = MAX_TEXT
    for server in config.servers:
        extra = (server.command, server.url, *server.env, *server.headers, *server.args)
        for fv in (*server.values, *extra):
            if fv is not None and len(fv.text) > limit and id(fv) not in seen:
                seen.add(id(fv))
                yield f"server {server.name}: ", fv
    for fv in (*config.file_values, *config.extra_values):
        if len(fv.text) > limit and id(fv) not in seen:
            seen.add(id(fv))
            yield "", fv


def _values(config: McpConfig) -> Iterable[tuple[str, FieldValue]]:
    """Every value of `config` once (at its first place): the reference order of `_long_values`."""
    seen: set[int] = set()
    for server in config.servers:
        extra = (server.command, server.url, *server.env, *server.headers, *server.args)
        for fv in (*server.values, *(v for v in extra if v is not None)):
            if id(fv) not in seen:
                seen.add(id(fv))
                yield f"server {server.name}: ", fv
    for fv in (*config.file_values, *config.extra_values):
        if id(fv) not in seen:
            seen.add(id(fv))
            yield "", fv
