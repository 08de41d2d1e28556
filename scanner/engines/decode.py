"""Decoders the secret engines need: JWT payloads, Basic auth, URIs with credentials, JSON packed in
a string, and shell-ish command strings. Pure functions; nothing here verifies or logs a value."""

from __future__ import annotations

import base64
import binascii
import json
import re
import shlex
from dataclasses import dataclass, field
from urllib.parse import unquote

from scanner.model import FileFormat
from scanner.parsing.jsonc import jsonc_comments


def b64url_decode(segment: str) -> bytes | None:
    """Decode base64url without padding; None when it is not valid base64url."""
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        return None


def jwt_payload(token: str) -> dict[str, object] | None:
    """The JSON payload of a JWT (no signature check: only the claims matter here), or None."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    raw = b64url_decode(parts[1])
    if raw is None:
        return None
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return payload if isinstance(payload, dict) else None


def basic_credentials(encoded: str) -> tuple[str, str] | None:
    """(user, password) from the base64 part of `Authorization: Basic ...`, or None."""
    try:
        raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if ":" not in text or not text.isprintable():
        return None
    user, password = text.split(":", 1)
    return user, password


@dataclass(frozen=True, slots=True)
class UriCredential:
    """A URI with userinfo: `scheme://user:password@host:port/...`; offsets index the source text."""

    scheme: str
    user: str
    password: str = field(repr=False)
    host: str
    port: str
    password_start: int
    password_end: int
    uri_start: int
    uri_end: int
    path: str = ""


_URI_START = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{1,20})://")
_URI_STOP = "\"' \t\r\n<>`,;"


def find_uris(text: str) -> list[tuple[str, int, int]]:
    """(scheme, start, end) of every `scheme://...` run in `text`."""
    found: list[tuple[str, int, int]] = []
    last_end = -1
    for match in _URI_START.finditer(text):
        end = match.end()
        if end <= last_end:
            # Inside the previous URI's run (`a://a://...`): no stop character lies between, so
            # the run ends where that one did. Rescanning it per URI was quadratic.
            end = last_end
        else:
            end = _URI_REST.match(text, end).end()  # type: ignore[union-attr]  # `*` always matches
        last_end = end
        found.append((match.group(1).lower(), match.start(), end))
    return found


_URI_REST = re.compile("[^" + re.escape(_URI_STOP) + "]*")
_AUTHORITY_STOP = re.compile(r"[/?#]")


def _token_user(user: str) -> bool:
    """A user name that is a token (`https://<token>@host`, as git and many APIs take one): 20+
    characters of letters and digits mixed at random, never a login (`git`, `oauth2`, an e-mail)."""
    import math
    from collections import Counter

    if len(user) < 20 or not re.fullmatch(r"[A-Za-z0-9_.~-]+", user) or not re.search(r"\d", user) \
            or not re.search(r"[A-Za-z]", user):
        return False
    counts = Counter(user)
    entropy = -sum(n / len(user) * math.log2(n / len(user)) for n in counts.values())
    return entropy >= 3.5


def uri_credentials(text: str) -> list[UriCredential]:
    """Every URI in `text` whose userinfo holds a password (`user:pw@`, `:pw@`, or a token alone:
    `<token>@`, read as the password of an empty user)."""
    creds: list[UriCredential] = []
    uris = find_uris(text)
    for number, (scheme, start, end) in enumerate(uris):
        rest_start = start + len(scheme) + 3
        # The authority ends at the first "/", "?" or "#" (RFC 3986: a "/" in a password is %-encoded).
        # Searched in place: slicing the rest of a long run for every URI in it was quadratic.
        stop = _AUTHORITY_STOP.search(text, rest_start, end)
        at = text.rfind("@", rest_start, stop.start() if stop else end)
        if at < 0:
            continue
        at -= rest_start
        # A later URI inside this one's run starts a new URI; this one's path stops there.
        nxt = uris[number + 1][1] if number + 1 < len(uris) else end
        rest = text[rest_start:min(end, max(nxt, rest_start + at + 1))]
        userinfo = rest[:at]
        if ":" not in userinfo:
            if not _token_user(userinfo) or "sentry" in rest[at + 1:].split("/", 1)[0].lower():
                continue  # (a Sentry DSN's user is its public key, public by design)
            userinfo = ":" + userinfo  # `https://<token>@host`: the token sent as the user name
        user, password = userinfo.split(":", 1)
        hostport = re.split(r"[/?#]", rest[at + 1:], maxsplit=1)[0]
        host, _, port = hostport.partition(":")
        if hostport.startswith("["):  # IPv6 literal
            host, _, port = hostport[1:].partition("]")
            port = port.lstrip(":")
        path = rest[at + 1 + len(hostport):]
        pw_start = rest_start + len(user) + 1
        creds.append(UriCredential(scheme, unquote(user), password, host.lower(), port,
                                   pw_start, pw_start + len(password), start, end, path))
    return creds


def _query_end(text: str, end: int) -> int:
    """Where a query that `find_uris` stopped at `end` really ends: a comma is a sub-delimiter a
    query may hold (`?tools=a,b&key=…`), so the query runs on over comma-joined pieces that hold no
    `://` (a piece that does is the next URL of a comma-separated list)."""
    while end < len(text) and text[end] == ",":
        piece_end = _URI_REST.match(text, end + 1).end()  # type: ignore[union-attr]  # `*` always matches
        if piece_end == end + 1 or "://" in text[end + 1:piece_end]:
            break
        end = piece_end
    return end


def query_params(text: str) -> list[tuple[str, str, int]]:
    """(key, value, offset of value in `text`) of every query parameter of every URI in `text`, and
    of a fragment written as parameters (`#access_token=…`, OAuth's implicit-flow form)."""
    params: list[tuple[str, str, int]] = []
    covered_end = -1  # end of the last query parsed: a nested URI's query is a suffix of it
    for _scheme, start, end in find_uris(text):
        if end == covered_end:
            continue
        qpos = text.find("?", start, end)
        hpos = text.find("#", start, end)
        if qpos < 0 or 0 <= hpos < qpos:
            qpos = hpos if hpos >= 0 and "=" in text[hpos:end] else -1
        if qpos < 0:
            continue
        covered_end = end
        qpos -= start
        uri = text[start:_query_end(text, end)]
        offset = start + qpos + 1
        query = uri[qpos + 1:].replace("#", "&", 1)  # query and fragment parameters alike
        for part in query.split("&"):
            key, sep, value = part.partition("=")
            if sep and value:
                params.append((unquote(key), unquote(value), offset + len(key) + 1))
            offset += len(part) + 1
    return params


# The name a JSON object key is judged under (names.is_sensitive_name is False for it), and the
# shortest key that can hold a token (shorter ones are names: `Authorization`, `client_id`).
JSON_KEY_NAME = "property"
_MIN_KEY_TOKEN = 16


def json_leaves(text: str) -> list[tuple[str, str]] | None:
    """(last key, string value) for every string leaf of a JSON object/array held in a string.

    None when `text` is not JSON. Used for values like `OPENAPI_MCP_HEADERS='{"Authorization": ...}'`.
    Every object key is a leaf too, under the neutral name `JSON_KEY_NAME`: a token pasted as a
    key (`{"<token>": true}`) is sent all the same, and is judged by its shape alone.
    """
    stripped = text.strip()
    if not stripped.startswith(("{", "[")):
        return None
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError):  # deeply nested arrays overflow the C decoder's stack
        return None
    leaves: list[tuple[str, str]] = []
    stack: list[tuple[str, object]] = [("", data)]
    while stack:  # every leaf: a cap would pass the rest in silence (the walk is linear)
        key, node = stack.pop()
        if isinstance(node, dict):
            # `{"name": "X-Api-Key", "value": "…"}` (header and env lists): the value is named by its
            # pair, and the name is a name (judged by its shape alone, like a key)
            pair = ("name" if "name" in node else "key") if isinstance(node.get("value"), str) else None
            named = node.get(pair) if pair is not None else None
            if isinstance(named, str) and named:
                labels = {"value": named, pair: JSON_KEY_NAME}
                stack.extend((labels.get(str(k), str(k)), v) for k, v in reversed(list(node.items())))
            else:
                stack.extend((str(k), v) for k, v in reversed(list(node.items())))
            leaves.extend((JSON_KEY_NAME, str(k)) for k in node if len(str(k)) >= _MIN_KEY_TOKEN)
        elif isinstance(node, list):
            stack.extend((key, v) for v in reversed(node))
        elif isinstance(node, str):
            leaves.append((key, node))
    return leaves


def shell_words(text: str) -> list[str]:
    """Split a shell-ish command string (`bash -c "TOKEN=x npx ..."`) into words, tolerantly.

    The command separators `;`, `&`, `|` are words of their own (outside quotes), as the shell reads
    them: `export KEY=value; exec npx` assigns `value`, not `value;`."""
    try:
        lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split = True
        return list(lexer)
    except ValueError:
        return text.split()


def comment_spans(text: str, fmt: FileFormat) -> list[tuple[int, int, str]]:
    """(line, column, text) of every comment line: `//` and `/* */` for the JSON family (string
    aware), `#` for YAML/TOML/Markdown front matter. Columns are 1-based codepoints of the text."""
    if fmt in (FileFormat.JSON, FileFormat.JSONC):
        return _json_comments(text)
    return _hash_comments(text)


def _json_comments(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for line, column, comment in jsonc_comments(text):
        if comment.startswith("//"):
            out.append((line, column + 2, comment[2:]))
            continue
        body = comment[2:-2] if comment.endswith("*/") else comment[2:]
        for k, chunk in enumerate(body.split("\n")):
            out.append((line + k, column + 2 if k == 0 else 1, chunk.rstrip("\r")))
    return out


def _hash_comments(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    if "#" not in text:
        return out
    for number, raw in enumerate(text.splitlines(), start=1):
        if "#" not in raw:
            continue  # (a line without `#` holds no comment: skip its character walk)
        quote: str | None = None
        for pos, ch in enumerate(raw):
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "#" and (pos == 0 or raw[pos - 1].isspace()):
                out.append((number, pos + 2, raw[pos + 1:]))
                break
    return out
