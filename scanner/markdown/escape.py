"""Markdown + HTML escaping for values that come from a pull request (file, server, field names).

Everything a template interpolates passes through `md_escape` (the Jinja environment's finalize
hook calls it), unless it is a `Safe` string produced by our own code (code blocks, partials).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from scanner.output_guard import redact_known

# The zero-width space breaks GitHub's @mention, #123 and URL autolink detection without
# changing what a reader sees (the trick Dependabot uses for `@&#8203;user`).
_ZWSP = "&#8203;"
_MAX_LEN = 300

_CHAR_MAP: dict[str, str] = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "~": "\\~",
    "[": "\\[",
    "]": "\\]",
    "(": "\\(",
    ")": "\\)",
    "{": "\\{",
    "}": "\\}",
    "|": "\\|",
    "!": "\\!",
    "$": "\\$",  # GitHub renders $...$ as math
    "@": "@" + _ZWSP,
    "#": "\\#" + _ZWSP,
    "\n": " ",
    "\r": " ",
    "\t": " ",
}
# C0/C1 controls and bidi overrides (Trojan Source) are dropped.
_DROP = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_AUTOLINK = re.compile(r"(?i)(://|www\.)")


class Safe(str):
    """Text our own code produced and already escaped; finalize passes it through unchanged."""

    __slots__ = ()


def md_escape(value: object) -> Safe:
    """Neutralise a value for Markdown and HTML: no tags, links, emphasis, mentions, autolinks,
    table-cell breaks or newlines survive. Already-Safe text is returned unchanged."""
    if isinstance(value, Safe):
        return value
    # A path holding a token is shown with the token redacted (output_guard.register_redactions),
    # before escaping and cutting could leave a piece of it that the boundary no longer recognises.
    text = _DROP.sub("", redact_known(str(value)))
    if len(text) > _MAX_LEN:
        text = text[: _MAX_LEN - 1] + "…"
    escaped = "".join(_CHAR_MAP.get(ch, ch) for ch in text)
    escaped = _AUTOLINK.sub(lambda m: m.group(1)[0] + _ZWSP + m.group(1)[1:], escaped)
    # A leading list/quote/heading marker would restructure the line it lands on.
    if escaped[:1] in {"-", "+", "="}:
        escaped = "\\" + escaped
    escaped = re.sub(r"^(\d+)\.", r"\1\\.", escaped)
    return Safe(escaped)


def code_block(text: str, language: str = "") -> Safe:
    """A fenced code block whose fence is longer than any backtick run inside `text`.

    Inside a fence GitHub shows text literally (no HTML, links or mentions), so only the fence
    itself needs protecting. Bidi and control characters are still dropped.
    """
    body = _DROP.sub("", redact_known(text)).rstrip("\n")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    lang = re.sub(r"[^a-z0-9+-]", "", language.lower())
    return Safe(f"{fence}{lang}\n{body}\n{fence}")


def code_span(text: str) -> Safe:
    """Inline code for a short value (env var name, reference): literal, single line, `|`-safe."""
    body = _DROP.sub("", text).replace("\n", " ").replace("\r", " ")
    # `|` would still split a table cell inside a code span; GFM accepts `\|` there.
    body = body.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return Safe(f"{ticks}{pad}{body}{pad}{ticks}")


# A backticked part of a rule's own wording (`inputs[].id`, `${env:X}`): no backtick, space or markup.
_PLAIN_CODE = re.compile(r"`([A-Za-z0-9_.:${}\[\]/=-]{1,80})`")


def rich_text(value: object, fields: Iterable[str] = ()) -> Safe:
    """A rule message as Markdown, built from structured parts, never by splitting on backticks.

    `fields` are the user-controlled strings the message quotes in backticks (field name, file,
    server...): each `field` occurrence becomes a code span fenced longer than any backtick run in
    it. Remaining backticked parts become code only when they are plain tokens of the rule's own
    wording; everything else is md_escape'd text, so a name that closes one code span and opens
    another (adjacent backtick runs merge) renders as text, never as an image, link, HTML or @mention.
    """
    if isinstance(value, Safe):
        return value
    text = str(value)
    quoted = sorted({f"`{field}`" for field in fields if field}, key=len, reverse=True)
    out: list[str] = []
    pos = 0
    while pos < len(text):
        hit = min(((text.find(q, pos), -len(q), q) for q in quoted if text.find(q, pos) >= 0), default=None)
        end = hit[0] if hit is not None else len(text)
        out.extend(_plain_with_code(text[pos:end]))
        if hit is None:
            break
        out.append(code_span(hit[2][1:-1]))
        pos = hit[0] + len(hit[2])
    return Safe(_join_spans(out))


def _plain_with_code(segment: str) -> list[str]:
    parts: list[str] = []
    pos = 0
    for match in _PLAIN_CODE.finditer(segment):
        parts.append(md_escape(segment[pos:match.start()]))
        parts.append(code_span(match.group(1)))
        pos = match.end()
    parts.append(md_escape(segment[pos:]))
    return parts


def _join_spans(parts: list[str]) -> str:
    """Concatenate, keeping a backtick run of one part from merging with the next part's."""
    out = ""
    for part in parts:
        if out.endswith("`") and part.startswith("`"):
            out += " "
        out += part
    return out


def safe_url(value: object) -> Safe:
    """An http(s) URL fit for a Markdown link target; anything else becomes an empty string."""
    text = str(value)
    if not re.fullmatch(r"https?://[^\s<>\"'`\\]+", text):
        return Safe("")
    return Safe(text.replace("(", "%28").replace(")", "%29").replace("|", "%7C"))
