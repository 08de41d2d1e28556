"""Value analysis for the built-in engine: one string (plus the name it sits under) -> secret hits.

Handles provider shapes, JWT roles, URIs with passwords, secret query parameters, Bearer/Basic
values, JSON packed in a string, shell-ish command strings and argv flag/value pairs, and finally
the generic "literal under a sensitive name" rule. Pure: no I/O, no logging.
"""

from __future__ import annotations

import functools
import re

from scanner.engines.decode import (
    json_leaves,
    jwt_payload,
    shell_words,
)
from scanner.engines.engine import Hit, HitAccumulator
from scanner.engines.filters import (
    generic_ok,
    is_not_a_secret,
    is_password_name,
    is_placeholder,
    is_sensitive_name,
    shannon_entropy,
)
from scanner.engines.uri import (
    _REF_DEFAULT,
    _auth_schemes,
    _query,
    _semicolon_pairs,
    _strip_scheme,
    _uris,
    uri_hit,
)
from scanner.findings import redact
from scanner.model import Severity
from scanner.providers import provider_for
from scanner.providers.patterns import PATTERNS, Pattern

__all__ = ["Hit", "analyze", "analyze_argv", "analyze_header_line", "uri_hit"]  # Hit/uri_hit re-exported
_Acc = HitAccumulator

_MAX_DEPTH = 3
_MAX_TEXT = 200_000


_ENV_FLAGS = frozenset({"-e", "--env", "--environment"})
_HEADER_FLAGS = frozenset({"-H", "--header", "--headers", "--http-header"})
_USER_FLAGS = frozenset({"-u", "--user"})
_CURL = re.compile(r"(?:^|[(/])curl(?:\.exe)?$")
_CONN_FLAGS = frozenset({"--connection-string", "--db-url", "--database-url", "--dsn", "--conn", "--url"})
_ENV_ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.S)


def analyze(text: str, name: str | None = None, kind: str = "field", depth: int = 0) -> list[Hit]:
    """Secrets in `text`. `kind` is env|header|url|arg|command|comment|field (how to read it)."""
    if depth > _MAX_DEPTH or not text or len(text) > _MAX_TEXT:
        return []
    if len(text) <= _CACHE_MAX_LEN:
        return list(_cached_analyze(text, name, kind, depth))
    return _analyze(text, name, kind, depth)


# Pure, so one bounded process-wide cache serves every repeat of a (value, name, kind) in a scan
# (the same value is analysed several times: fields, argv pairs, nested decoders).
_CACHE_MAX_LEN = 4096


@functools.lru_cache(maxsize=8192)
def _cached_analyze(text: str, name: str | None, kind: str, depth: int) -> tuple[Hit, ...]:
    return tuple(_analyze(text, name, kind, depth))


def _analyze(text: str, name: str | None, kind: str, depth: int) -> list[Hit]:
    leaves = json_leaves(text) if kind != "comment" else None
    if leaves is not None:
        nested: list[Hit] = []
        for key, leaf in leaves:
            nested.extend(analyze(leaf, key or name, "header" if _is_header_name(key) else "env", depth + 1))
        return nested
    acc = _Acc()
    _shapes(text, name, acc)
    _uris(text, acc)
    _query(text, name, acc)
    _semicolon_pairs(text, acc)
    _auth_schemes(text, name, kind, acc)
    # `${NAME:-default}`: the client uses the literal default when NAME is unset, so it is a value.
    for default in _REF_DEFAULT.findall(text):
        for hit in analyze(default, name, kind, depth + 1):
            acc.add(hit)
    if kind in ("arg", "command") and any(ch.isspace() for ch in text.strip()):
        words = shell_words(text)
        if len(words) > 1:
            for _index, hit in analyze_argv(words, depth + 1):
                acc.add(hit)
    if not acc.hits and not acc.public and name is not None:
        _generic(text, name, kind, acc)
    return acc.hits


def analyze_argv(words: list[str], depth: int = 0) -> list[tuple[int, Hit]]:
    """Secrets in an argv list, as (index of the item holding the secret, hit).

    Reads `--flag value` across two items, `--flag=value`, docker `-e NAME=value` (`-e NAME`
    alone is a pass-through), `--header "Name: value"`, `NAME=value` words and positional values.
    """
    out: list[tuple[int, Hit]] = []
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        nxt = words[i + 1] if i + 1 < n else None
        flag, eq, inline = word.partition("=") if word.startswith("-") else (word, "", "")
        if flag in _ENV_FLAGS:
            target, index = (inline, i) if eq else (nxt, i + 1)
            assign = _ENV_ASSIGN.match(target or "")
            if assign:
                out.extend((index, h) for h in analyze(assign.group(2), assign.group(1), "env", depth))
            i = i + 1 if eq else i + 2
            continue
        if flag in _USER_FLAGS and nxt is not None and any(_CURL.search(w) for w in words[:i]):
            # curl -u user:password (docker's -u is uid:gid, hence the curl check).
            _user, colon, password = nxt.partition(":")
            if colon and not password.isdigit():
                out.extend((i + 1, h) for h in analyze(password, "PASSWORD", "env", depth))
            i += 2
            continue
        if flag in _HEADER_FLAGS and (eq or nxt is not None):
            target, index = (inline, i) if eq else (nxt or "", i + 1)
            out.extend((index, h) for h in analyze_header_line(target, depth))
            i = i + 1 if eq else i + 2
            continue
        if word.startswith("-") and eq:
            out.extend((i, h) for h in analyze(inline, flag, "arg", depth))
            i += 1
            continue
        if word.startswith("-") and nxt is not None and not nxt.startswith("-") and _is_secret_flag(word):
            out.extend((i + 1, h) for h in analyze(nxt, word, "arg", depth))
            i += 2
            continue
        assign = _ENV_ASSIGN.match(word)
        if assign and not word.startswith("-") and not any(ch.isspace() for ch in word.strip()):
            out.extend((i, h) for h in analyze(assign.group(2), assign.group(1), "env", depth))
        else:
            out.extend((i, h) for h in analyze(word, None, "arg", depth))
        i += 1
    return out


def analyze_header_line(line: str, depth: int = 0) -> list[Hit]:
    """Secrets in one `Name: value` header string (curl -H, mcp-remote --header)."""
    name, sep, value = line.partition(":")
    if not sep or not re.match(r"^[A-Za-z0-9_-]+$", name.strip()):
        return analyze(line, None, "arg", depth)
    return analyze(value.strip(), name.strip(), "header", depth)


def _is_secret_flag(flag: str) -> bool:
    return flag in _CONN_FLAGS or (flag.startswith("--") and is_sensitive_name(flag))


def _is_header_name(key: str) -> bool:
    return key.lower() in {"authorization", "proxy-authorization", "cookie"} or key.lower().startswith("x-")


# No provider shape in PATTERNS is shorter than this; most args ("-y", "--stdio") are skipped cheaply.
_MIN_SHAPE_LEN = 8


def _shapes(text: str, name: str | None, acc: _Acc) -> None:
    if len(text) < _MIN_SHAPE_LEN:
        return
    for pattern in PATTERNS:
        if pattern.name is not None:
            if name is None or not pattern.name.search(name):
                continue
            candidate = _strip_scheme(text.strip())
            secrets = [candidate] if pattern.regex.match(candidate) else []
        else:
            secrets = [m.group(pattern.group) for m in pattern.regex.finditer(text)]
        for secret in secrets:
            if secret in acc.claimed:
                continue
            if pattern.public:
                acc.public = True
                acc.claimed.add(secret)
                continue
            hit = _shape_hit(pattern, secret, name)
            if hit is None:
                continue
            if hit.secret_type == "public-jwt":
                acc.public = True
                acc.claimed.add(secret)
                continue
            acc.add(hit)


def _shape_hit(pattern: Pattern, secret: str, name: str | None) -> Hit | None:
    body = secret[len(pattern.prefix):] if secret.startswith(pattern.prefix) else secret
    if pattern.id != "private-key":
        if is_placeholder(secret) or is_not_a_secret(body) or shannon_entropy(body) < pattern.min_entropy:
            return None
    elif is_placeholder(secret[:200]):
        return None
    if pattern.id == "jwt":
        return _jwt_hit(secret, name)
    facts: tuple[tuple[str, str], ...] = (("live", "true"),) if pattern.live else ()
    return Hit(secret, pattern.id, pattern.provider, pattern.severity, pattern.description,
               redact(secret, pattern.prefix), name, facts)


def _jwt_hit(token: str, name: str | None) -> Hit | None:
    payload = jwt_payload(token)
    if payload is None:
        return None
    role = payload.get("role")
    issuer = str(payload.get("iss", ""))
    facts: list[tuple[str, str]] = []
    if isinstance(role, str):
        facts.append(("role", role))
    if role == "anon":  # Supabase anon key: public by design, protected by row-level security
        return Hit(token, "public-jwt", "supabase", Severity.LOW, "Supabase anon key", "", name)
    if role == "service_role":
        return Hit(token, "supabase-service-role-key", "supabase", Severity.CRITICAL,
                   "Supabase service_role key (bypasses row-level security)", redact(token, "eyJ"), name,
                   tuple(facts))
    provider = "supabase" if "supabase" in issuer else "jwt"
    return Hit(token, "jwt", provider, Severity.HIGH, "JSON Web Token", redact(token, "eyJ"), name,
               tuple(facts))


def _generic(text: str, name: str, kind: str, acc: _Acc) -> None:
    if not is_sensitive_name(name):
        return
    value = _strip_scheme(text.strip())
    if re.match(r"(?i)^basic\s", value) or not generic_ok(value, name):
        return
    password = is_password_name(name)
    acc.add(Hit(value, "password" if password else "generic-secret", provider_for(name, None),
                Severity.HIGH, "Password" if password else "Secret value under a credential name",
                redact(value), name))
