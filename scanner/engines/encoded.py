"""Secrets hidden by an encoding: a value that is entirely base64/base64url, hex or percent-encoded.

`ghp_...` written as base64 (`Z2hwX...`), hex (`6768705f...`) or `%67%68%70%5F...` is the same token
to a server that decodes it (kubeconfig and Kubernetes Secret `data:` values, docker `auths`,
tokens passed through URL-encoding layers), but no provider pattern sees it. Such a value is
decoded (at most two layers, each bounded in size, in linear time) and the decoded text goes
through the same detectors; a hit is reported on the original literal (the text in the file, which
is what a fix replaces), with the encoding named. Ordinary encoded data stays quiet: a layer must
decode to printable UTF-8 text (certificates, images, keys in DER, hashes and random bytes do not),
and only a detector hit on the decoded text is reported. Pure: no I/O, no logging.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from urllib.parse import unquote

from scanner.engines.engine import Hit
from scanner.findings import redact

Analyze = Callable[[str, str | None, str, int], list[Hit]]

MAX_LAYERS = 2
MIN_LEN = 16  # 12 bytes of base64: shorter values are words, ids and hashes more often than tokens
MAX_LEN = 64 * 1024  # an encoded PEM private key is ~3-7 KB; larger values are data, not credentials
_B64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_B64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")
_PCT = re.compile(r"%[0-9A-Fa-f]{2}")
_TEXT_CONTROLS = frozenset("\n\r\t")


def _text(raw: bytes) -> str | None:
    """`raw` as UTF-8 text with no control characters other than line breaks and tabs, else None."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # (str.isprintable answers for the whole text in C; only a text with a non-printable character
    # is walked, to tell line breaks and tabs from other controls.)
    if not text.strip() or not (text.isprintable()
                                or all(ch.isprintable() or ch in _TEXT_CONTROLS for ch in text)):
        return None
    return text


def decode_once(value: str) -> tuple[str, str] | None:
    """(decoded text, encoding) when `value` is wholly hex, base64(url) or percent-encoded text."""
    value = value.strip()
    if not MIN_LEN <= len(value) <= MAX_LEN:
        return None
    if _HEX.fullmatch(value) and len(value) >= 24:
        text = _text(binascii.unhexlify(value))
        if text is not None:
            return text, "hex"
    for pattern, altchars, name in ((_B64, None, "base64"), (_B64URL, b"-_", "base64url")):
        if not pattern.fullmatch(value) or len(value.rstrip("=")) % 4 == 1:
            continue
        try:
            raw = base64.b64decode(value + "=" * (-len(value) % 4), altchars=altchars, validate=True)
        except (binascii.Error, ValueError):
            continue
        text = _text(raw)
        if text is not None:
            return text, name
    if "%" in value and _PCT.search(value):
        text = unquote(value, errors="strict") if _utf8_escapes(value) else None
        if text is not None and text != value and _text(text.encode("utf-8")) is not None:
            return text, "percent"
    return None


def _utf8_escapes(value: str) -> bool:
    try:
        unquote(value, errors="strict")
    except UnicodeDecodeError:
        return False
    return True


def encoded_hits(text: str, name: str | None, kind: str, depth: int, analyze: Analyze) -> list[Hit]:
    """Hits in the decoded form of `text`, reported on `text` itself (the literal in the file).

    `analyze` is the built-in value analysis (passed in: it calls this module) and `depth` its
    recursion depth: one layer is peeled here and the decoded text is analysed one level deeper,
    where a second layer may be peeled; below MAX_LAYERS nothing more is decoded.
    """
    if depth >= MAX_LAYERS:
        return []
    decoded = decode_once(text)
    if decoded is None:
        return []
    current, encoding = decoded
    # The generic rule firing on the decoded text only because of `name` says nothing the same rule
    # on the literal would not: only what the decoding reveals is reported.
    inner = [hit for hit in analyze(current, name, kind, depth + 1)
             if not (hit.secret_type in _GENERIC and hit.name == name)]
    if not inner:
        return []
    best = max(inner, key=lambda hit: (hit.secret_type not in _GENERIC, int(hit.severity)))
    facts = dict(best.facts)
    layers = [encoding, *([facts["encoded"]] if "encoded" in facts else [])]
    description = _SUFFIX.sub("", best.description)
    return [Hit(text, best.secret_type, best.provider, best.severity,
                f"{description} ({' then '.join(layers)}-encoded)", redact(text), best.name or name,
                (*((k, v) for k, v in best.facts if k != "encoded"), ("encoded", "+".join(layers))))]


_GENERIC = frozenset({"generic-secret", "password"})
_SUFFIX = re.compile(r" \([a-z0-9 ]+-encoded\)$")
