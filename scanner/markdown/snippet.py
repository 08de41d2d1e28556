"""The "before"/"after" lines shown for a finding, cut from the source so no other value leaks.

A snippet shows only the finding's own key and value token (`"NAME": "<value>"`), never the
whole line: a minified file keeps every value on one line, and other values may be secrets.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from scanner.findings import Finding
from scanner.references import find_references

_MAX_TOKEN = 160
_URL_USERINFO = re.compile(r"(://[^/\s:@]*:)[^@\s/]+@")
# A run counts an escape the source line wrote a character with (`\u0067`, `\x67`, JSON's `\/`) as that
# character: a value written in escapes is judged, and cut, as the value it is.
_ESCAPE = r"\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|/)"
_ESCAPED = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2})|(/))")
_LONG_RUN = re.compile(rf"(?:[A-Za-z0-9+/=_\-.]|{_ESCAPE}){{24,}}")
# Defence in depth: a long letter+digit run nobody reported (a second key in the same value, a
# baselined secret on a minified line) is cut before it is shown anywhere.
_RUN = re.compile(rf"(?:[A-Za-z0-9_\-+/=.]|{_ESCAPE}){{20,}}")


# A dotted host name (labels of letters, digits and hyphens, an alphabetic last label) or a plain
# identifier made of words (ORDERS_DB_PASSWORD, orders-db-readonly): shown whole, never cut.
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?")
# One part of a worded identifier: a lower-case, upper-case or capitalised word with at most two
# trailing digits (db01, V2), or a short number (2026); parts are split on _ . -
_WORD = re.compile(r"(?:[a-z]+|[A-Z]+|[A-Z][a-z]+)[0-9]{0,2}|[0-9]{1,4}")


def _plain_label(label: str) -> bool:
    """A host label people write (orders, acme-corp, db01), not a random token used as a subdomain."""
    return len(label) < 12 or _is_identifier(label) or (
        label.islower() and sum(c.isdigit() for c in label) <= 2)


def _is_identifier(run: str) -> bool:
    parts = re.split(r"[_.\-]+", run.strip("_.-"))
    return len(parts) > 1 and all(_WORD.fullmatch(part) for part in parts)


def _looks_secret(run: str) -> bool:
    """A letter+digit run with high entropy that is neither a host name nor a worded identifier."""
    if "/" in run or not (re.search(r"[0-9]", run) and re.search(r"[A-Za-z]", run)):
        return False
    if (_HOST.fullmatch(run) and all(_plain_label(label) for label in run.split("."))) or _is_identifier(run):
        return False
    counts = [run.count(ch) / len(run) for ch in set(run)]
    entropy = -sum(p * math.log2(p) for p in counts)
    return entropy >= 3.0


def _cut(match: re.Match[str]) -> str:
    return _cut_run(match.group(0))


def _cut_run(run: str) -> str:
    """`--api-key=<key>` keeps `--api-key=` and cuts the key; `=` padding at the end stays part of it."""
    if "=" in run.rstrip("="):
        head, tail = run.split("=", 1)
        return f"{head}={_cut_run(tail) if len(tail) >= 12 else tail}"
    plain = _ESCAPED.sub(_unescape, run) if "\\" in run else run
    return plain[:4] + "…" if _looks_secret(plain) else run


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2) or match.group(3) or "2f", 16)
    return chr(code) if code <= 0x10FFFF else "\ufffd"


def defang(text: str) -> str:
    """`text` with long high-entropy letter+digit runs cut to their first 4 characters."""
    return _RUN.sub(_cut, text)


@dataclass(frozen=True, slots=True)
class Snippet:
    before: str
    after: str | None
    extra: str | None  # a second edit shown on its own (VS Code `inputs` entry)


@functools.lru_cache(maxsize=8)
def _lines(text: str) -> tuple[str, ...]:
    """Lines of a file text, cached: every finding of a file asks for them."""
    return tuple(line.rstrip("\r") for line in text.split("\n"))


def token_end(line: str, start: int) -> int:
    """Exclusive 0-based end of the token starting at `start` (quoted string or bare scalar)."""
    if start >= len(line):
        return start
    quote = line[start]
    if quote in "\"'":
        i = start + 1
        while i < len(line):
            if line[i] == "\\" and quote == '"':
                i += 2
                continue
            if line[i] == quote:
                return i + 1
            i += 1
        return len(line)
    match = re.match(r"[^,\]}#\s]*(?:[ \t]+[^,\]}#\s]+)*", line[start:])
    return start + (match.end() if match else 0)


def key_start(line: str, start: int) -> int:
    """0-based column of the key in front of the token at `start` (`"KEY": value`), else `start`."""
    i = start - 1
    while i >= 0 and line[i] in " \t":
        i -= 1
    if i < 0 or line[i] not in ":=":
        return start
    i -= 1
    while i >= 0 and line[i] in " \t":
        i -= 1
    if i < 0:
        return start
    if line[i] in "\"'":
        quote, j = line[i], i - 1
        while j >= 0 and line[j] != quote:
            j -= 1
        return j if j >= 0 else start
    j = i
    while j >= 0 and re.match(r"[\w.\-]", line[j]):
        j -= 1
    return j + 1 if j < i else start


def _mask_token(token: str, redacted: str | None) -> str:
    """The token with its content replaced by the redacted form (secret) or defanged (other)."""
    quote = token[0] if token[:1] in ("\"", "'") else ""
    if redacted is not None:
        return f"{quote}{redacted}{quote}"
    # Not a secret finding, but the value may still carry one (URL password, long key).
    masked = _URL_USERINFO.sub(r"\1****@", token)
    masked = _LONG_RUN.sub(_cut, masked)
    if len(masked) > _MAX_TOKEN:
        masked = masked[:_MAX_TOKEN] + "…" + quote
    return masked


def _password_part(redacted: str) -> str:
    """The masked password of a redacted connection string (`scheme://user:MASK@host` -> MASK):
    a fix replaces only the password, so only its mask belongs in the reference's place."""
    if "://" in redacted and "@" in redacted:
        userinfo = redacted.split("://", 1)[1].rsplit("@", 1)[0]
        if ":" in userinfo:
            return userinfo.split(":", 1)[1]
    return redacted


def masked_token(token: str, redacted: str | None, replacement: str | None = None) -> str:
    """The token as shown to people: when a fix replaced the secret with a reference, the fixed
    token with that reference swapped for the redacted form (keeps `Bearer `, `--flag=`, URI parts)."""
    if replacement is not None and redacted is not None:
        shown = replacement
        part = _password_part(redacted)
        for ref in reversed(find_references(replacement)):
            if replacement[ref.start:ref.end] not in token:
                shown = shown[:ref.start] + part + shown[ref.end:]
        if shown != replacement:
            return shown
    return _mask_token(token, redacted)


def build_snippet(finding: Finding, source: str | None) -> Snippet | None:
    """Before/after text for one finding, or None when the source line is not available.

    Fix.edits[0] (see scanner/fix/build.py) replaces the value token, possibly with its key; a second
    edit, when present, is an insertion elsewhere (VS Code `inputs`, Codex `env_vars`).
    """
    if source is None:
        return None
    lines = _lines(source)
    if not 1 <= finding.line <= len(lines):
        return None
    line = lines[finding.line - 1]
    start = finding.column - 1
    end = token_end(line, start)
    if not 0 <= start < end <= len(line):
        return None
    edits = finding.fix.edits if finding.fix is not None else ()
    main = edits[0] if edits and edits[0].start_line == finding.line else None
    region = key_start(line, start)
    if main is not None and main.start_column - 1 < region:
        region = main.start_column - 1
    indent_match = re.match(r"[ \t]*", line)
    indent = indent_match.group(0) if indent_match and region > len(indent_match.group(0)) else ""
    redacted = finding.redacted if finding.redacted else None
    same_span = main is not None and main.start_column - 1 == start and main.end_line == main.start_line \
        and main.end_column - 1 == end
    before = indent + line[region:start] + masked_token(
        line[start:end], redacted, main.replacement if main is not None and same_span else None)
    after: str | None = None
    if main is not None:
        kept = line[region:main.start_column - 1]
        tail = ""
        if main.end_line == main.start_line and main.end_column - 1 > end:
            return None  # an edit wider than the token: nothing sensible to show
        if main.end_line == main.start_line:
            tail = line[main.end_column - 1:end]
        after = (indent + kept + main.replacement + tail).rstrip("\n") or "(line removed)"
    extra = edits[1].replacement.strip("\n") if len(edits) > 1 else None
    if extra is not None and finding.file.endswith(".toml"):
        # Inserted at the start of a line: the text goes before it, so the header is above that line.
        above = edits[1].start_line - (1 if edits[1].start_column == 1 else 0)
        extra = _under_table(lines, above, extra)
    return Snippet(defang(before), defang(after) if after else None, defang(extra) if extra else None)


_TOML_TABLE = re.compile(r"^[ \t]*\[[^\[\]]+\][ \t]*(?:#.*)?$")


def _under_table(lines: Sequence[str], last: int, extra: str) -> str:
    """A TOML insertion shown under the table header it goes into (Codex `env_vars` belongs to
    `[mcp_servers.NAME]`, not to the `.env` table the secret sat in)."""
    if extra.lstrip().startswith("["):
        return extra
    for number in range(min(last, len(lines)), 0, -1):
        if _TOML_TABLE.match(lines[number - 1]):
            return lines[number - 1].strip() + "\n" + extra
    return extra
