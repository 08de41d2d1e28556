"""The output boundary: no text leaves mcp-guard holding a secret value or a 12-character piece of one.

Every scan registers the raw values its engines matched (and the whole composite credential around
each, e.g. `SK…:secret`). `check_output` is called on everything that leaves the process: reporter
output (text, JSON, SARIF, Markdown, hence the Action's SARIF file), the fix diff, GitHub request
bodies (comment, status, review), workflow commands (annotations), outputs and the step summary.

- strict mode (MCP_GUARD_OUTPUT_CHECK=raise; the test suite sets it): a leak raises SecretLeakError,
  so a reporter that would print a secret fails loudly;
- otherwise (production): the leaked characters are replaced with `*` and the output goes on.

Paths are the one place a secret is printed on purpose, in its redacted form: a token committed as a
folder or file name (scanner/engines/paths.py) is registered with `register_redactions`, and every
output has each occurrence of it replaced by that form before the leak check runs.

The registry is per process (one CLI run or Action run); `reset()` empties it (tests do so per test).
Values are held in memory only, as they already are during the scan.
"""

from __future__ import annotations

import base64
import bisect
import json
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from scanner.output_pieces import (
    GRAM,
    MIN_WHOLE,
    PIECE,
    SHORT_GRAM,
    ShortIndex,
    folded_pieces,
    mask,
    open_escape,
    windows,
)
from scanner.output_pieces import fold as _fold

MODE_ENV = "MCP_GUARD_OUTPUT_CHECK"


class SecretLeakError(AssertionError):
    """Strict mode: an output would have contained secret material (never says which)."""


class _Registry:
    def __init__(self) -> None:
        self.pieces: set[str] = set()
        self.grams: set[str] = set()  # every GRAM-character piece of the same forms (find_leaks' sieve)
        self.short: set[str] = set()
        self.alphabet: set[str] = set()
        self._runs: re.Pattern[str] | None = None
        self._short_index: ShortIndex | None = None
        # The last text `check_output` passed unchanged, while nothing new was registered: the CLI checks
        # a report once in the reporter and again on writing it (a 200 MB JSON report is 2 s a pass).
        self.passed: str | None = None
        self.redactions: dict[str, str] = {}  # raw form (as printed) -> its redacted form
        self._redaction: re.Pattern[str] | None = None
        # (pieces, short) folded for `holds_secret`: made on first use, then kept up to date by `add`
        # (built anew after each registration, a file of 1,000 secrets whose fixes each ask it was
        # quadratic in the registry).
        self._folded: tuple[set[str], set[str]] | None = None
        self.values: set[str] = set()  # every raw value added (a path's or name's token comes twice)
        # quote_safely's keep-independent part per text (the leak spans, the key-shaped runs), valid
        # while nothing new is registered: 8,300 findings quote ~44,000 texts, ~1,000 of them distinct.
        self.quoted: dict[str, tuple[list[tuple[int, int]], list[tuple[int, int, str]]]] = {}

    def folded(self) -> tuple[set[str], set[str]]:
        """The pieces and short values case- and punctuation-folded (`_fold`; never mutate them)."""
        if self._folded is None:
            self._folded = (folded_pieces(self.pieces), {_fold(value) for value in self.short})
        return self._folded

    def redaction(self) -> re.Pattern[str] | None:
        """One alternation of every raw form to replace, longest first (a form inside a longer one)."""
        if self._redaction is None and self.redactions:
            forms = sorted(self.redactions, key=len, reverse=True)
            self._redaction = re.compile("|".join(map(re.escape, forms)))
        return self._redaction

    def runs(self) -> re.Pattern[str]:
        """Runs of 12+ characters that all occur in some secret: only they can hold a piece."""
        if self._runs is None:
            chars = "".join(sorted(self.alphabet))
            self._runs = re.compile(f"[{re.escape(chars)}]{{{PIECE},}}")
        return self._runs

    def short_index(self) -> ShortIndex:
        """The short values indexed for `find_leaks` (built again after a registration)."""
        if self._short_index is None:
            self._short_index = ShortIndex(self.short)
        return self._short_index

    def add(self, value: str) -> None:
        if value in self.values:  # every set below holds its forms already: nothing changes
            return
        self.values.add(value)
        self.passed = None
        self.quoted.clear()
        for form in _forms(value):
            if len(form) >= PIECE:
                self.pieces.update(windows(form, PIECE))
                if self._folded is not None:  # an ASCII form folds alone (see folded_pieces)
                    self._folded[0].update(windows(_fold(form), PIECE) if form.isascii()
                                           else folded_pieces(windows(form, PIECE)))
                self.grams.update(windows(form, GRAM))
                self.alphabet.update(form)
                self._runs = None
            elif len(form) >= MIN_WHOLE:
                self.short.add(form)
                self._short_index = None
                if self._folded is not None:
                    self._folded[1].add(_fold(form))


# The characters json.dumps(ensure_ascii=False) writes as escapes (json.encoder's ESCAPE).
_JSON_ESCAPED = re.compile(r'[\x00-\x1f\\"]')
_UPPER = re.compile(r"[A-Z]")
_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def fold_case(text: str) -> str:
    """`text` with ASCII letters lower-cased, same length (positions stay): the registry and the
    output are compared in this form, so an upper- or lower-cased copy of a value is caught too."""
    if _UPPER.search(text) is None:
        return text
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


def _forms(value: str) -> set[str]:
    """The forms of `value` an output may carry, folded by `fold_case`: as written; JSON-escaped (only
    differs when it holds a character json.dumps escapes); percent-encoded (a URL or a SARIF `uri`);
    base64 and base64url at each of the three byte alignments a longer encoded blob can give it
    (only the 4-character groups that hold its bytes alone: the edges depend on the neighbours)."""
    forms = {value}
    if _JSON_ESCAPED.search(value):
        forms.add(json.dumps(value, ensure_ascii=False)[1:-1])
    forms.add(quote(value, safe=""))
    data = value.encode("utf-8", "surrogatepass")
    if len(data) >= PIECE:
        for skip in range(3):
            whole = (len(data) - skip) // 3 * 3
            encoded = base64.b64encode(data[skip:skip + whole]).decode("ascii")
            forms.add(encoded)
            forms.add(encoded.replace("+", "-").replace("/", "_"))
    return {fold_case(form) for form in forms}
_REGISTRY = _Registry()
# Up to this many short values, one str.find per value over the output is the faster way (C speed);
# past it, the per-position index of `find_leaks` keeps the work linear in the output.
_FEW_SHORT = 16


def register_secrets(values: Iterable[str]) -> None:
    """Remember raw secret values (and composite credentials) that no output may contain."""
    registry = _REGISTRY
    for value in dict.fromkeys(values):  # a value repeats across matches: registering is idempotent
        if value:
            registry.add(value)


def register_redactions(values: Mapping[str, str]) -> None:
    """Secrets that outputs show in their redacted form (raw -> redacted; a token in a path): each is
    registered as a secret too, and its raw, JSON-escaped and percent-encoded forms are replaced."""
    registry = _REGISTRY
    for value, shown in values.items():
        if len(value) < MIN_WHOLE:
            continue
        register_secrets([value])
        for form in {value, json.dumps(value, ensure_ascii=False)[1:-1], quote(value, safe="")}:
            registry.redactions[form] = shown
        registry._redaction = None
        registry.passed = None


def redact_known(text: str) -> str:
    """`text` with every registered redaction applied (the paths that hold a token)."""
    pattern = _REGISTRY.redaction()
    if pattern is None:
        return text
    redactions = _REGISTRY.redactions
    return pattern.sub(lambda m: redactions[m.group(0)], text)


def holds_secret(text: str) -> bool:
    """True when `text` holds a registered value or a 12-character piece of one in any letter case
    and punctuation: what a name derived from a config's names (a fix's `${NAME}`, a Secret name)
    asks before it is written, since `check_output` compares exact characters only."""
    pieces, short = _REGISTRY.folded()
    folded = _fold(text)
    if pieces and any(folded[i:i + PIECE] in pieces for i in range(len(folded) - PIECE + 1)):
        return True
    return bool(short) and any(folded[i:i + size] in short for size in range(MIN_WHOLE, PIECE)
                               for i in range(len(folded) - size + 1))


def reset() -> None:
    """Forget every registered value (start of a new, independent run)."""
    global _REGISTRY
    _REGISTRY = _Registry()


def strict() -> bool:
    return os.environ.get(MODE_ENV, "").strip().lower() == "raise"


def find_leaks(text: str) -> list[tuple[int, int]]:
    """Merged [start, end) spans of `text` that hold a registered value or a 12-character piece."""
    reg = _REGISTRY
    spans: list[tuple[int, int]] = []
    text = fold_case(text)  # the registry holds folded forms (`_forms`)
    if reg.pieces and len(text) >= PIECE:
        pieces, grams = reg.pieces, reg.grams
        for run in reg.runs().finditer(text):
            start, end = run.span()
            last = end - PIECE
            for p in range((start + 3) & ~3, end - GRAM + 1, 4):
                if text[p:p + GRAM] in grams:
                    for i in range(max(start, p - 3), min(p, last) + 1):
                        if text[i:i + PIECE] in pieces:
                            spans.append((i, i + PIECE))
    if len(reg.short) <= _FEW_SHORT:
        for value in reg.short:
            found = text.find(value)
            while found >= 0:
                spans.append((found, found + len(value)))
                found = text.find(value, found + 1)
    elif len(text) >= MIN_WHOLE:
        # Many short values (a file of thousands of `"KEY_n": "valueN"` secrets): one search per value
        # over the whole output was N x output; the index reads each run once instead (ShortIndex).
        index = reg.short_index()
        offsets, heads, lengths, values = index.offsets, index.heads, index.lengths, index.values
        for run in index.runs.finditer(text):
            start, end = run.span()
            for p in range((start + 3) & ~3, end - SHORT_GRAM + 1, 4):
                at = offsets.get(text[p:p + SHORT_GRAM])
                if at is None:
                    continue
                for offset in at:
                    i = p - offset
                    if i >= start and text[i:i + MIN_WHOLE] in heads:
                        spans.extend((i, i + length) for length in lengths if text[i:i + length] in values)
    return _merge(spans) if spans else spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with the overlapping or touching ones joined."""
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# An escape a config may write a value with and an output may echo as written (a snippet of the
# source line): JSON / YAML / TOML `\uXXXX`, `\UXXXXXXXX`, `\xXX`, JSON's `\/`. Any run of backslashes
# before it counts (a JSON report escapes the snippet's backslash once more).
_ESCAPE = re.compile(r"\\+(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2})|(/))")


def _escaped_leaks(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that hold secret material once its escapes are read (`\u0067\u0068…`): the
    registered forms are the decoded values, so the plain search cannot see an escaped copy."""
    parts: list[str] = []
    marks: list[tuple[int, int, int]] = []  # (decoded position, escape start, escape end) per escape
    pos = decoded = 0
    for match in _ESCAPE.finditer(text):
        code = int(match.group(1) or match.group(2) or match.group(3) or "2f", 16)
        if code > 0x10FFFF:
            continue
        parts.append(text[pos:match.start()])
        decoded += match.start() - pos
        marks.append((decoded, match.start(), match.end()))
        parts.append(chr(code))
        decoded += 1
        pos = match.end()
    if not marks:
        return []
    parts.append(text[pos:])
    starts = [mark[0] for mark in marks]

    def span_of(index: int) -> tuple[int, int]:
        """The original [start, end) of decoded character `index`."""
        at = bisect.bisect_right(starts, index) - 1
        if at < 0:
            return index, index + 1
        mark_pos, start, end = marks[at]
        if index == mark_pos:
            return start, end
        offset = end + index - mark_pos - 1
        return offset, offset + 1

    return [(span_of(start)[0], span_of(end - 1)[1]) for start, end in find_leaks("".join(parts))]


# A run of token characters as random keys are written: 20+ characters mixing upper case, lower
# case and digits (base62 / base64 keys); words, host names, package names, ENV_NAMES and hex digests
# do not mix all three.
_TOKEN_RUN = re.compile(r"[A-Za-z0-9_+/-]{20,}={0,2}")
_QUOTED_MAX = 65536  # distinct texts remembered by quote_safely (then it starts again)


def _token_like(run: str) -> bool:
    return (any(c.isdigit() for c in run) and any(c.islower() for c in run)
            and any(c.isupper() for c in run))


def quote_safely(text: str, keep: Iterable[str] = ()) -> str:
    """`text` (a message or evidence line quoting config values as written) with each stretch that
    holds registered secret material, and each run shaped like a random key (`_TOKEN_RUN`) that no
    string of `keep` (the finding's own server, field and path, shown as they are anyway) holds, shown
    as `…` + its last 4 characters, as a redacted form shows a value. The rules quote `env
    READ_ONLY=<value>`, `argument --env <value>`, a tool name: a value that is, or holds, a secret no
    engine judged there (a tool name is no secret field) must not be quoted as written, nor a found one
    be starred out at the boundary (production) or fail the report (strict mode)."""
    quoted = _REGISTRY.quoted
    found = quoted.get(text)
    if found is None:
        if len(quoted) >= _QUOTED_MAX:
            quoted.clear()
        found = quoted[text] = (find_leaks(text) if len(text) >= MIN_WHOLE else [],
                                [(*m.span(), m.group(0)) for m in _TOKEN_RUN.finditer(text)
                                 if _token_like(m.group(0))])
    spans, runs = found
    if runs:
        kept = tuple(k for k in keep if k)
        spans = _merge(spans + [(start, end) for start, end, run in runs if not any(run in k for k in kept)])
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(text[pos:start])
        out.append("…" + text[end - 4:end] if end - start >= PIECE else "****")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def check_output(text: str, where: str) -> str:
    """`text` (registered redactions applied) if it holds no secret material, escaped copies included;
    otherwise raise (strict) or return it redacted."""
    text = redact_known(text)
    if text is _REGISTRY.passed:  # the very object found clean, nothing registered since
        return text
    spans = find_leaks(text)
    if "\\" in text and (_REGISTRY.pieces or _REGISTRY.short):
        spans = _merge(spans + _escaped_leaks(text))
    if not spans:
        _REGISTRY.passed = text
        return text
    if strict():
        raise SecretLeakError(f"secret material in {where} ({len(spans)} place(s))")
    out: list[str] = []
    pos = 0
    for start, end in spans:
        if start > pos and text[start - 1] == "\\":  # do not leave half a JSON/Markdown escape
            start -= 1
        start = max(start, pos)
        if end < len(text) and open_escape(text, start, end):
            end += 1  # nor the other half: `\` masked alone would turn an escaped `"` into a bare one
        out.append(text[pos:start])
        out.append(mask(text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def check_json(body: Any, where: str) -> Any:
    """A JSON-able request body with every string passed through `check_output`."""
    if isinstance(body, str):
        return check_output(body, where)
    if isinstance(body, dict):
        return {key: check_json(value, where) for key, value in body.items()}
    if isinstance(body, list):
        return [check_json(value, where) for value in body]
    return body
