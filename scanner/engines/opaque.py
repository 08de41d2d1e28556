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
not either. As a positional argument padded and standard base64 (`+`, `/`, `=`) count too (a key
passed alone); values with a `/` that read as paths do not. A positional value in placeholder words
(`your-key-…`) counts only for a random run pasted into it (24+ as above, or 16-23 by
filters.short_random_run): the words hide made-up runs, not keys.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote, urlsplit

from scanner.engines.apppass import is_grouped_app_password
from scanner.engines.engine import Hit
from scanner.engines.filters import is_placeholder, short_random_run
from scanner.findings import redact
from scanner.fingerprints import is_random_token
from scanner.model import Severity

MIN_OPAQUE = 24  # is_random_token's shortest run
_WORD = re.compile(r"[A-Za-z0-9_-]{24,512}")
# Base64 of random bytes with its padding or standard alphabet (`+`, `/`, `=`: Akamai client secrets,
# generated shared keys, padded base64url).
# A `/` is also a path's separator: a value starting or ending with one, or holding `//`, `./` or a
# segment of lower-case letters only (`src/…`, `Users/…/projects`), is a path, not a key.
_B64_WORD = re.compile(r"[A-Za-z0-9+/_-]{24,512}={0,2}")
_PATHISH = re.compile(r"^/|/$|//|(?:^|/)[a-z]{3,}(?:/|$)")
_RUN = re.compile(r"[A-Za-z0-9]{16,512}")
_WP_GROUPS = re.compile(r"[A-Za-z0-9]{4}(?: [A-Za-z0-9]{4}){5}")
_B58 = frozenset("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")


def _address_like(value: str) -> bool:
    """A base58 value of a public key's or address's form: a 32-byte key (Solana: 43-44 characters),
    a Bitcoin address (`1…`/`3…`, 26-35), an IPFS CIDv0 (`Qm…`, 46)."""
    n = len(value)
    return n in (43, 44) or (26 <= n <= 35 and value[0] in "13") or (n == 46 and value.startswith("Qm"))


def _mixed(value: str) -> bool:
    return (any(c.isupper() for c in value) and any(c.islower() for c in value)
            and any(c.isdigit() for c in value))


def opaque_token(value: str, padded: bool = False) -> bool:
    """Whether `value` alone is a random credential-like token (see the module doc). `padded`: padded or
    standard base64 counts too (positional arguments only: in a URL query or header such a value is as
    often a checksum or signature, `?checksum=<base64 digest>`)."""
    if _WORD.fullmatch(value) is None and (not padded or _B64_WORD.fullmatch(value) is None
                                           or _PATHISH.search(value)):
        return False
    if not _mixed(value):
        return False
    if set(value) <= _B58 and _address_like(value):
        return False
    return is_random_token(value) and not _encoded_text(value)


def _encoded_text(value: str) -> bool:
    """base64(url) of printable text: an encoding, not a key."""
    body = value.rstrip("=")
    try:
        altchars = b"+/" if set("+/") & set(body) else b"-_"
        raw = base64.b64decode(body + "=" * (-len(body) % 4), altchars=altchars, validate=True)
        text = raw.decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return text.isprintable()


def _hit(value: str, where: str) -> Hit:
    return Hit(value, "opaque-token", "generic", Severity.HIGH,
               f"Random token {where} (no name or known shape, but sent as the credential)",
               redact(value), None, (("opaque", "true"),))


def positional_hit(value: str) -> Hit | None:
    """A positional argument (or a short flag's value) of a server command that is a random token, or a
    WordPress application password as WordPress shows it (six groups of four, mixed case and digits)."""
    if _WP_GROUPS.fullmatch(value) and _mixed(value.replace(" ", "")) and is_grouped_app_password(value):
        return Hit(value, "password", "wordpress", Severity.HIGH,
                   "WordPress application password as a command-line argument (six groups of four)",
                   redact(value), None, (("opaque", "true"),))
    if not is_placeholder(value):
        return _hit(value, "as a command-line argument") if opaque_token(value, padded=True) else None
    # Placeholder words (`your-key-…`) hide a made-up run (`your_token-Abc123Xyz789Def456`, however
    # uniform its characters), not a random one pasted after them: that key is sent with the words.
    runs = _RUN.findall(value)
    if any(short_random_run(run) if len(run) < MIN_OPAQUE else opaque_token(run) for run in runs):
        return _hit(value, "pasted after placeholder words, as a command-line argument")
    return None


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


# Schemes whose `//` starts a network location (a host): any other scheme's body may be the key itself.
_NETWORK_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp", "sftp", "ssh", "git", "grpc", "grpcs"})
_NOT_A_BODY = re.compile(r"[/.@:?#\s]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,31}")


def url_carried_tokens(text: str) -> list[tuple[str, bool]]:
    """The tokens a URL written under a credential name (`ACME_API_KEY=…`) carries where the userinfo
    and named-query readers do not look, each with True when it is the whole body of a scheme that
    names no host (`acme://<key>`: the key with a prefix, judged as the value itself) and False for a
    random path segment (`https://api.acme.dev/v1/keys/<key>`) or a random query / fragment value under
    a name that says nothing (`?k=<key>`), which opaque_token has judged already."""
    value = text.strip()
    scheme, sep, rest = value.partition("://")
    if not sep or _SCHEME.fullmatch(scheme) is None:
        return []
    body = rest.strip()  # (`acme://\u00a0<key>`: the reader's own trim drops the blank)
    if scheme.lower() not in _NETWORK_SCHEMES and body and _NOT_A_BODY.search(body) is None:
        return [(body, True)]
    try:
        parts = urlsplit(value)
    except ValueError:
        return []
    # decoded first (`/v1%2F<key>` is the segment `<key>` to the server), each part trimmed
    segments = [s.strip() for s in unquote(parts.path).split("/")]
    if scheme.lower() not in _NETWORK_SCHEMES:
        segments.append(unquote(parts.netloc).strip())  # `acme://<key>/v1`: no host, the key first
    found = [(seg, False) for seg in segments if opaque_token(seg)]
    for pair in (parts.query + "&" + parts.fragment).split("&"):
        _key, eq, item = pair.partition("=")
        item = unquote(item)
        if eq and opaque_token(item):
            found.append((item, False))
    return found
