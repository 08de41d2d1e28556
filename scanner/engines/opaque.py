"""Tokens with no name and no shape where an MCP client sends them anyway: a positional argument or
short flag's value of a server command (`npx -y acme-mcp <token>`, `-k <token>`), a header value under
a name that says nothing (`X-Acme-Org: <token>`), a segment of an MCP endpoint URL's path
(`https://mcp.acme.dev/s/<token>/mcp`, a capability URL) and a query value under a name that says
nothing (`?c=<token>`).

Only a value that is demonstrably random (scanner/fingerprints.is_random_token: 24+ characters of
one token alphabet, near-uniform, 128+ bits) and mixes upper case, lower case and digits counts: hex
(commit and content hashes), UUIDs (tenant and item ids), slugs, words, versions and paths never do.
A value of the base58 alphabet alone in a public key's or address's form (Solana, Bitcoin, IPFS
CIDv0) and one whose base64 decodes to text (an encoded setting, judged by engines/encoded.py) do
not either.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote, urlsplit

from scanner.engines.engine import Hit
from scanner.findings import redact
from scanner.fingerprints import is_random_token
from scanner.model import Severity

MIN_OPAQUE = 24  # is_random_token's shortest run
_WORD = re.compile(r"[A-Za-z0-9_-]{24,512}")
_B58 = frozenset("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")


def _address_like(value: str) -> bool:
    """A base58 value of a public key's or address's form: a 32-byte key (Solana: 43-44 characters),
    a Bitcoin address (`1…`/`3…`, 26-35), an IPFS CIDv0 (`Qm…`, 46)."""
    n = len(value)
    return n in (43, 44) or (26 <= n <= 35 and value[0] in "13") or (n == 46 and value.startswith("Qm"))


def opaque_token(value: str) -> bool:
    """Whether `value` alone is a random credential-like token (see the module doc)."""
    if _WORD.fullmatch(value) is None:
        return False
    if not (any(c.isupper() for c in value) and any(c.islower() for c in value)
            and any(c.isdigit() for c in value)):
        return False
    if set(value) <= _B58 and _address_like(value):
        return False
    return is_random_token(value) and not _encoded_text(value)


def _encoded_text(value: str) -> bool:
    """base64(url) of printable text: an encoding, not a key."""
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=True)
        text = raw.decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return text.isprintable()


def _hit(value: str, where: str) -> Hit:
    return Hit(value, "opaque-token", "generic", Severity.HIGH,
               f"Random token {where} (no name or known shape, but sent as the credential)",
               redact(value), None, (("opaque", "true"),))


def positional_hit(value: str) -> Hit | None:
    """A positional argument (or a short flag's value) of a server command that is a random token."""
    return _hit(value, "as a command-line argument") if opaque_token(value) else None


def header_hit(value: str) -> Hit | None:
    """A header value (any header name) that is a random token: the client sends it to the server."""
    return _hit(value, "as a header value") if opaque_token(value.strip()) else None


def endpoint_hits(url: str) -> list[Hit]:
    """Random tokens in an MCP endpoint URL's path segments and query values (a capability URL)."""
    text = url.strip()
    if not text.lower().startswith(("https://", "http://", "wss://", "ws://")):
        return []
    try:
        parts = urlsplit(text)
    except ValueError:
        return []
    hits = [_hit(seg, "in the MCP server URL's path (a capability URL)")
            for seg in (unquote(s) for s in parts.path.split("/")) if opaque_token(seg)]
    for pair in (parts.query + "&" + parts.fragment).split("&"):
        _key, sep, value = pair.partition("=")
        value = unquote(value)
        if sep and opaque_token(value):
            hits.append(_hit(value, "in the MCP server URL's query"))
    return hits
