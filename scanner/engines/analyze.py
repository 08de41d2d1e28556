"""Value analysis for the built-in engine: one string (plus the name it sits under) -> secret hits.

Handles provider shapes, JWT roles, URIs with passwords, secret query parameters, Bearer/Basic
values, JSON packed in a string, shell-ish command strings and argv flag/value pairs, and finally
the generic "literal under a sensitive name" rule. Pure: no I/O, no logging.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from collections.abc import Sequence

from scanner.engines.apppass import is_grouped_app_password
from scanner.engines.decode import (
    json_leaves,
    jwt_payload,
    query_params,
    shell_words,
)
from scanner.engines.encoded import MIN_LEN as _MIN_DECODE_LEN
from scanner.engines.encoded import encoded_hits
from scanner.engines.engine import Hit, HitAccumulator
from scanner.engines.filters import (
    generic_ok,
    is_not_a_secret,
    is_password_name,
    is_placeholder,
    is_sensitive_name,
    shannon_entropy,
)
from scanner.engines.longvalue import analyze_long
from scanner.engines.opaque import MIN_OPAQUE, endpoint_hits, header_hit, positional_hit, url_carried_tokens
from scanner.engines.otlp import header_pairs
from scanner.engines.shellvars import ASSIGNMENT, printed_literal, substituted
from scanner.engines.uri import (
    _REF_DEFAULT,
    _auth_schemes,
    _oracle_thin,
    _query,
    _semicolon_pairs,
    _strip_scheme,
    _uris,
    uri_hit,
)
from scanner.engines.wallet import mnemonic_hit
from scanner.findings import redact
from scanner.hosts import DEFAULT_LOCAL_PASSWORDS, is_loopback
from scanner.model import Severity
from scanner.providers import provider_for
from scanner.providers.base import random_enough
from scanner.providers.patterns import PATTERNS, Pattern
from scanner.providers.prefilter import ShapeIndex
from scanner.references import find_references

__all__ = ["Hit", "analyze", "analyze_argv", "analyze_header_line", "uri_hit"]  # Hit/uri_hit re-exported
_Acc = HitAccumulator

_MAX_DEPTH = 3
_MAX_TEXT = 200_000


_ENV_FLAGS = frozenset({"-e", "--env", "--environment"})
_HEADER_FLAGS = frozenset({"-H", "--header", "--headers", "--http-header"})
_USER_FLAGS = frozenset({"-u", "--user"})
_CURL = re.compile(r"(?:^|[(/])curl(?:\.exe)?$")
_CONN_FLAGS = frozenset({"--connection-string", "--db-url", "--database-url", "--dsn", "--conn", "--url"})
_FLAGS_READ = _ENV_FLAGS | _HEADER_FLAGS | _USER_FLAGS  # the flags `_analyze_argv` reads with their value
# PowerShell's `$env:NAME='value'` (or `$env:NAME = 'value'` over three words) in a launcher script.
_PS_ENV = re.compile(r"^\$env:([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$", re.S | re.I)
_PS_EXPRESSION = re.compile(r"^[\[($@-]|\(|::")


def analyze(text: str, name: str | None = None, kind: str = "field", depth: int = 0) -> list[Hit]:
    """Secrets in `text`. `kind` is env|header|url|arg|command|comment|field (how to read it)."""
    if not text:
        return []
    if (size := len(text)) < _MIN_DECODE_LEN and kind != "header" and _PLAIN_ARG.fullmatch(text) \
            and (name is None or not is_sensitive_name(name)):
        # A word of name characters under 16 (`--opt-12345`, `x12`, `pkg-7`) not under a credential
        # name nor sent as a header: no reader below but the provider shapes finds anything in it
        # (each other one needs a longer text, a character outside the class, a blank, a header or a
        # credential name), and none is this short under 8. (The name-gated shapes need 32+.)
        if size < _MIN_SHAPE_LEN:
            return []
        acc = _Acc()
        _shapes(text, None, acc)
        return acc.hits
    if depth > _MAX_DEPTH:
        # Nested past the decoding bound (JSON in a string in a string ...): nothing is decoded
        # further, but a provider shape in the text is still one (the search is linear).
        acc = _Acc()
        if len(text) <= _MAX_TEXT:
            _shapes(text, name, acc)
        return acc.hits
    if len(text) > _MAX_TEXT:  # never skipped: searched in bounded windows (scanner/engines/longvalue.py)
        return analyze_long(text, name, kind, depth, analyze, _shape_hit, _is_header_name)
    if len(text) <= _SHORT_LEN:
        return list(_cached_analyze(text, name, kind, depth))
    if len(text) <= _CACHE_MAX_LEN:
        return list(_cached_long(text, name, kind, depth))
    return _analyze(text, name, kind, depth)


# No provider shape is this short (_MIN_SHAPE_LEN), the decoders need 16+ characters (encoded.MIN_LEN)
# or a bracket, the URI, connection-string, scheme (`bearer`/`basic` need a blank after them),
# reference and shell readers a character outside this class or a blank, and the name-based ones a
# name: `-y`, `v12`, `--stdio`, `--opt-12345` (tests/test_hostile_prefilters.py, test_plain_arg_words.py).
_PLAIN_ARG = re.compile(r"[A-Za-z0-9._-]+")


# Pure, so bounded process-wide caches serve every repeat of a (value, name, kind): the engine, the
# inventory and nested decoders ask about the same values, and the head, base and history scans of
# one PR share most of them. Short values (nearly all) get a cache large enough for a whole 5 MiB
# config; the bound on characters keeps what the caches hold alive to a few MiB.
_SHORT_LEN = 256
_CACHE_MAX_LEN = 4096


@functools.lru_cache(maxsize=65536)
def _cached_analyze(text: str, name: str | None, kind: str, depth: int) -> tuple[Hit, ...]:
    return tuple(_analyze(text, name, kind, depth))


@functools.lru_cache(maxsize=2048)
def _cached_long(text: str, name: str | None, kind: str, depth: int) -> tuple[Hit, ...]:
    return tuple(_analyze(text, name, kind, depth))


def clear_caches() -> None:
    """Forget every cached analysis (tests that count work start from nothing)."""
    _cached_analyze.cache_clear()
    _cached_long.cache_clear()
    _cached_argv.cache_clear()


def _analyze(text: str, name: str | None, kind: str, depth: int) -> list[Hit]:
    leaves = json_leaves(text) if kind != "comment" else None
    if leaves is not None:
        nested: list[Hit] = []
        firebase = _is_firebase_web_config(leaves)
        for key, leaf in leaves:
            if firebase and key == "apiKey" and leaf.startswith("AIza"):
                continue  # Firebase web config: "API keys for Firebase are not secret" (Firebase docs)
            nested.extend(analyze(leaf, key or name, "header" if _is_header_name(key) else "env", depth + 1))
        return nested
    acc = _Acc()
    _shapes(text, name, acc)
    phrase = mnemonic_hit(text, name) if kind != "comment" else None
    if phrase is not None:
        acc.add(phrase)
    has_uri = "://" in text  # every URI reader starts at a literal `scheme://`
    if has_uri:
        _uris(text, acc)
    _oracle_thin(text, acc)
    if has_uri:
        _query(text, name, acc)
        _encoded_query(text, kind, depth, acc)
        if kind in ("url", "arg", "env"):  # (`ACME_MCP_URL=https://…/<token>/sse`: what the server dials)
            _endpoint(text, kind, acc)
    _semicolon_pairs(text, acc)
    _auth_schemes(text, name, kind, acc)
    if "config=" in text:
        _encoded_config(text, name, depth, acc)
    # `${NAME:-default}`: the client uses the literal default when NAME is unset, so it is a value.
    defaults = _REF_DEFAULT.findall(text) if "${" in text else []
    for default in defaults:
        for hit in analyze(default, name, kind, depth + 1):
            acc.add(hit)
    if len(defaults) > 1 and depth < 2:  # `${A:-ghp_12…}${B:-…}`: with A and B unset, the joined defaults
        joined = _REF_DEFAULT.sub(lambda match: match.group(1), text)
        if not find_references(joined):
            for hit in analyze(joined, name, kind, depth + 1):
                if not any(hit.value in other.value or other.value in hit.value for other in acc.hits):
                    acc.add(hit)
    # `$(echo …)` / `` `printf %s …` `` (optionally through `| base64 -d`): what a shell, or a client
    # that resolves command substitutions (Crush), puts in the value is the literal it prints.
    if ("$(" in text or "`" in text) and (printed := substituted(text)) is not None:
        for hit in analyze(printed, name, kind, depth + 1):
            acc.add(hit)
    # A credential helper (`apiKeyHelper`, `otelHeadersHelper`, `headersHelper`: a command whose
    # output the client sends) that prints a literal: what it prints is the credential.
    if name is not None and name[-6:].lower() == "helper" and (printed := printed_literal(text)):
        inner = name[:-6] or "token"
        for hit in analyze(printed, inner, "header" if "header" in inner.lower() else "env", depth + 1):
            acc.add(hit)
    # `Authorization=Bearer …,x-api-key=…` (OTLP), `x-api-key: …` lines (`*_CUSTOM_HEADERS`): each a header
    for key, value in header_pairs(name, text) if ("=" in text or ":" in text) else ():
        for hit in analyze(value, key, "header", depth + 1):
            if not any(hit.value in other.value or other.value in hit.value for other in acc.hits):
                acc.add(hit)
    # Whitespace inside the stripped text, i.e. more than one whitespace-separated word.
    if kind in ("arg", "command") and len(text.split(maxsplit=1)) > 1:
        words = shell_words(text)
        if len(words) > 1:
            # A one-line command string (`sh -c "…"`) is a command line; decoded or multi-line text
            # (a PEM block's base64 lines) is not, so its random-looking words are no arguments.
            command_line = depth == 0 and "\n" not in text
            for _index, hit in analyze_argv(words, depth + 1, positional=command_line):
                acc.add(hit)
    if not acc.hits and not acc.public:  # a wholly base64/hex/percent-encoded value: its decoded text
        for hit in encoded_hits(text, name, kind, depth, analyze):
            acc.add(hit)
    if not acc.hits and not acc.public and name is not None:
        _generic(text, name, kind, acc)
    if not acc.hits and not acc.public and kind == "header" and (opaque := header_hit(text)) is not None:
        acc.add(opaque)  # a header the client sends, whatever its name: a random value is its credential
    return acc.hits


def _encoded_query(text: str, kind: str, depth: int, acc: _Acc) -> None:
    """A query parameter wholly base64/hex-encoded, under any name (`?x=<base64 of a token>`): the
    token its decoded text holds (the parameter as a whole value: encoded.py)."""
    for key, value, _offset in query_params(text):
        if len(value) >= 16 and value not in acc.claimed and not any(value in hit.value for hit in acc.hits):
            for hit in encoded_hits(value, key, kind, depth, analyze):
                acc.add(hit)


# An MCP endpoint by its path: what a proxy argument (`mcp-remote https://…/sse`) ends in.
_MCP_PATH = re.compile(r"(?i)/(?:mcp|sse)/?(?:[?#]|$)")


def _endpoint(text: str, kind: str, acc: _Acc) -> None:
    """Random tokens in an MCP endpoint URL (a server's `url`, or an argument or env value URL whose
    path ends in `/mcp` or `/sse`) that nothing else claimed: a capability URL's secret under no name."""
    if acc.public or (kind != "url" and _MCP_PATH.search(text) is None):
        return
    for hit in endpoint_hits(text):
        if not any(hit.value in other.value or other.value in hit.value for other in acc.hits):
            acc.add(hit)


def _is_firebase_web_config(leaves: list[tuple[str, str]]) -> bool:
    keys = {key for key, _leaf in leaves}
    return ("apiKey" in keys and "authDomain" in keys
            and bool(keys & {"projectId", "appId", "messagingSenderId"}))


def _encoded_config(text: str, name: str | None, depth: int, acc: _Acc) -> None:
    """Smithery-style `?config=<base64 JSON>`: the upstream server's keys, encoded in the URL. The
    encoded parameter is the literal in the file, so it is what is reported (and replaced)."""
    for key, value, _offset in query_params(text):
        if key != "config" or value in acc.claimed or len(value) < 16:
            continue
        try:
            decoded = base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_"
                                       if "-" in value or "_" in value else None, validate=True)
            inner_text = decoded.decode("utf-8")
        except (ValueError, binascii.Error, UnicodeDecodeError):
            continue
        if json_leaves(inner_text) is None:
            continue
        for inner in analyze(inner_text, name, "field", depth + 1):
            acc.add(Hit(value, inner.secret_type, inner.provider, inner.severity,
                        f"{inner.description}, base64-encoded in a `config` URL parameter", redact(value),
                        "config", (*inner.facts, ("encoded", "base64"))))
            break


def analyze_argv(words: Sequence[str], depth: int = 0, context: Sequence[str] = (),
                 positional: bool = True) -> list[tuple[int, Hit]]:
    """Secrets in an argv list, as (index of the item holding the secret, hit).

    Reads `--flag value` across two items, `--flag=value`, docker `-e NAME=value` (`-e NAME`
    alone is a pass-through), `--header "Name: value"`, `NAME=value` words and positional values,
    and database clients' password flags (`mysql -p<pw>`, `mongosh -p <pw>`, `sqlcmd -P <pw>`,
    `redis-cli -a <pw>`). `context` holds the command the argv belongs to (when it is separate).
    `positional`: the words are a command line, so a random token as a positional value (or a short
    flag's) is a credential (engines/opaque.py).
    """
    if len(words) <= _ARGV_CACHE_WORDS and sum(map(len, words)) <= _CACHE_MAX_LEN:
        return list(_cached_argv(tuple(words), depth, tuple(context), positional))
    return _analyze_argv(words, depth, context, positional)


# An argv is read by the engine and again by the inventory: cache whole (short) argvs too.
_ARGV_CACHE_WORDS = 64


@functools.lru_cache(maxsize=8192)
def _cached_argv(words: tuple[str, ...], depth: int, context: tuple[str, ...],
                 positional: bool) -> tuple[tuple[int, Hit], ...]:
    return tuple(_analyze_argv(words, depth, context, positional))


def _analyze_argv(words: Sequence[str], depth: int, context: Sequence[str],
                  positional: bool) -> list[tuple[int, Hit]]:
    out: list[tuple[int, Hit]] = []
    i, n = 0, len(words)
    family = db_client_family([*context, *words])
    host = _db_host(words) if family else None
    while i < n:
        word = words[i]
        nxt = words[i + 1] if i + 1 < n else None
        if family is not None:
            flagged = _db_flag_password(family, word, nxt)
            if flagged is not None:
                value, offset, step = flagged
                hit = db_flag_hit(family, value, host)
                if hit is not None:
                    out.append((i + offset, hit))
                i += step
                continue
        if (family is None and len(word) < _MIN_DECODE_LEN and word not in _FLAGS_READ
                and _PLAIN_ARG.fullmatch(word) is not None
                and not (word.startswith("-") and nxt is not None and not nxt.startswith("-")
                         and _is_secret_flag(word))):
            # A word of name characters under 16 that is no flag read below (`--opt-7`, `v7`): no
            # `=`, `$` or blank, too short for an opaque token, so only its own analysis is left.
            if hits := analyze(word, None, "arg", depth):
                out.extend((i, h) for h in hits)
            i += 1
            continue
        flag, eq, inline = word.partition("=") if word.startswith("-") else (word, "", "")
        if flag in _ENV_FLAGS:
            target, index = (inline, i) if eq else (nxt, i + 1)
            assign = ASSIGNMENT.fullmatch(target or "")
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
            if hits := analyze(inline, flag, "arg", depth):
                out.extend((i, h) for h in hits)
            i += 1
            continue
        if word.startswith("-") and nxt is not None and not nxt.startswith("-") and _is_secret_flag(word):
            if hits := analyze(nxt, word, "arg", depth):
                out.extend((i + 1, h) for h in hits)
            i += 2
            continue
        if word[:5].lower() == "$env:" and (ps := _PS_ENV.match(word)) is not None:
            if ps.group(2) is not None:
                if _PS_EXPRESSION.search(ps.group(2)) is None:
                    out.extend((i, h) for h in analyze(ps.group(2), ps.group(1), "env", depth))
                i += 1
                continue
            if nxt == "=" and i + 2 < n:
                value = words[i + 2]
                if _PS_EXPRESSION.search(value) is None:  # a literal, not `[Env]::Get…(…)` / `$x`
                    out.extend((i + 2, h) for h in analyze(value, ps.group(1), "env", depth))
                i += 3
                continue
        assign = ASSIGNMENT.fullmatch(word)
        # `Z2hw...RA==` is padded base64, not NAME=value: it is read as a positional value.
        # `NAME="$(security find-generic-password ...)"` (one quoted shell word) assigns a reference.
        if assign and not word.startswith("-") and assign.group(2).strip("=") \
                and (not any(ch.isspace() for ch in word.strip()) or find_references(assign.group(2))):
            out.extend((i, h) for h in analyze(assign.group(2), assign.group(1), "env", depth))
        elif (pair := _HEADER_PAIR.fullmatch(word)) is not None and _is_header_name(pair.group(1)):
            # `x-honeycomb-team=<key>`: a header pair passed as one argument (OTLP / proxy CLIs).
            out.extend((i, h) for h in analyze(pair.group(2), pair.group(1), "header", depth))
        else:
            hits = analyze(word, None, "arg", depth)
            # A positional value or a short flag's (`-k <token>`), never a named option's
            # (`--sheet-id <id>` says what it is): a random token there is what the server is sent.
            if (not hits and positional and len(word) >= MIN_OPAQUE
                    and not (i > 0 and _named_option(words[i - 1])) and not _public(word)):
                opaque = _positional_shape(word) or positional_hit(word)
                hits = [opaque] if opaque is not None else hits
            if hits:  # (most words hold none: no generator per word)
                out.extend((i, h) for h in hits)
        i += 1
    return out


def _named_option(word: str) -> bool:
    """`--sheet-id` (its value is what the name says), not `--`, `-k` or `--flag=value`."""
    return word.startswith("--") and word != "--" and "=" not in word


# Database command-line clients and MCP servers that take their flags (mysql style: `-p<pw>` joined,
# no space: a space makes mysql prompt and read the next word as the database name).
_DB_CLIENTS = (
    ("mysql", re.compile(r"(?i)(?:^|[/\\@])(?:mysql|mariadb|mysqldump|mysqladmin|mysqlsh|mycli|mariadb-dump|"
                         r"mysqlimport|mysqlcheck)(?:\.exe)?$|mcp-server-mysql|mysql-mcp|mcp-mysql|mariadb-mcp|"
                         r"^jdbc:(?:mysql|mariadb):")),
    ("mongodb", re.compile(r"(?i)(?:^|[/\\])(?:mongosh|mongo|mongodump|mongorestore|mongoexport|mongoimport)"
                           r"(?:\.exe)?$")),
    ("mssql", re.compile(r"(?i)(?:^|[/\\])(?:sqlcmd|bcp)(?:\.exe)?$")),
    ("redis", re.compile(r"(?i)(?:^|[/\\])(?:redis-cli|valkey-cli|keydb-cli)(?:\.exe)?$")),
)
# The env var each client itself reads its password from: what a fix should move the value into.
_DB_ENV = {"mysql": "MYSQL_PWD", "mongodb": "MONGO_PASSWORD", "mssql": "SQLCMD_PASSWORD",
           "redis": "REDISCLI_AUTH"}
_PORTISH = re.compile(r"^\d+(?::\d+)*(?:/(?:tcp|udp))?$")
_DB_HOST_FLAGS = frozenset({"-h", "--host", "-S", "--server"})


# Any family at all, in one pass per word (most words are none); which one is still decided in the
# families' order, as the combined pattern's leftmost match need not be the first family's.
assert all(regex.pattern.startswith("(?i)") for _family, regex in _DB_CLIENTS)
_ANY_DB_CLIENT = re.compile("(?i)" + "|".join(f"(?:{regex.pattern[4:]})" for _family, regex in _DB_CLIENTS))


# A literal every family's pattern holds (same case folding): when no word holds one, no word can
# match, and one search of the joined words answers for an argv of 100,000 words (args_list).
_DB_CLIENT_HINT = re.compile(r"(?i)mysql|mariadb|mycli|mongo|sqlcmd|bcp|-cli")


def db_client_family(words: Sequence[str]) -> str | None:
    """The database client family an argv runs (mysql, mongodb, mssql, redis), or None."""
    if _DB_CLIENT_HINT.search("\n".join(words)) is None:
        return None
    for word in words:
        stripped = word.strip()
        if _ANY_DB_CLIENT.search(stripped) is None:
            continue
        for family, regex in _DB_CLIENTS:
            if regex.search(stripped):
                return family
    return None


def _db_flag_password(family: str, word: str, nxt: str | None) -> tuple[str, int, int] | None:
    """(value, offset of the item holding it, items consumed) for a client's password flag."""
    if family == "mysql":
        if word.startswith("-p") and len(word) > 2 and not word.startswith("-p="):
            return word[2:], 0, 1
        return None
    flag = {"mongodb": "-p", "mssql": "-P", "redis": "-a"}[family]
    if word == flag and nxt is not None and not nxt.startswith("-"):
        return nxt, 1, 2
    if word.startswith(flag) and len(word) > 2 and not word.startswith("--"):
        return word[2:], 0, 1
    return None


def _db_host(words: Sequence[str]) -> str | None:
    """The host a database client's command line reaches: a host flag given twice reaches the last
    one (getopt), a list (`localhost,db2`) any of them, so a host that is not loopback wins."""
    hosts: list[str] = []
    for index, word in enumerate(words):
        for flag in _DB_HOST_FLAGS:
            if word == flag and index + 1 < len(words):
                hosts.append(words[index + 1])
            elif flag.startswith("--") and word.startswith(flag + "="):
                hosts.append(word.split("=", 1)[1])
            elif len(flag) == 2 and word.startswith(flag) and len(word) > 2 and not word.startswith("--"):
                hosts.append(word[2:])
    names = [part.split(":", 1)[0] for host in hosts for part in host.split(",")]
    return next((name for name in names if not is_loopback(name)), names[0] if names else None)


def db_flag_hit(family: str, value: str, host: str | None) -> Hit | None:
    """The hit for a database client's password flag value; None for references, ports, prompts,
    placeholders and local defaults on the developer's machine."""
    value = value.strip().strip("'\"")
    if (not value or value[0] in "$%" or find_references(value) or _PORTISH.match(value)
            or is_not_a_secret(value) or value.lower() in _DB_PLACEHOLDER_PASSWORDS):
        return None
    local = host is None or is_loopback(host)
    if value.lower() in DEFAULT_LOCAL_PASSWORDS or value.lower() == "toor":
        if local:
            return None
        severity = Severity.LOW
    else:
        severity = Severity.LOW if local and host is not None else Severity.HIGH
    facts: list[tuple[str, str]] = [("db_client", family)]
    if host:
        facts.append(("host", host))
        if is_loopback(host):
            facts.append(("loopback", "true"))
    return Hit(value, "db-client-password", family, severity,
               "Database password in a command-line flag (also visible in the process list)",
               redact(value), _DB_ENV[family], tuple(facts))


_DB_PLACEHOLDER_PASSWORDS = frozenset({"password", "pass", "passwd", "pwd", "yourpassword", "mypassword"})


def analyze_header_line(line: str, depth: int = 0) -> list[Hit]:
    """Secrets in one `Name: value` header string (curl -H, mcp-remote --header)."""
    name, sep, value = line.partition(":")
    if not sep or not re.match(r"^[A-Za-z0-9_-]+$", name.strip()):
        return analyze(line, None, "arg", depth)
    return analyze(value.strip(), name.strip(), "header", depth)


# Wallet CLIs' secret flags (solana-keygen/anchor `--keypair`, `--mnemonic`, `--seed-phrase`): their
# values are judged by the wallet shapes, which need the name (a path to id.json is not a secret).
_WALLET_FLAGS = frozenset({"--keypair", "--mnemonic", "--seed", "--seed-phrase", "--secret-key",
                           "--private-key"})


def _is_secret_flag(flag: str) -> bool:
    return flag in _CONN_FLAGS or flag in _WALLET_FLAGS or (flag.startswith("--") and is_sensitive_name(flag))


_HEADER_PAIR = re.compile(r"([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+)=(\S+)")


def _is_header_name(key: str) -> bool:
    return key.lower() in {"authorization", "proxy-authorization", "cookie"} or key.lower().startswith("x-")


# No provider shape in PATTERNS is shorter than this; most args ("-y", "--stdio") are skipped cheaply.
_MIN_SHAPE_LEN = 8


# One keyword pass picks the rows a value can match (scanner/providers/prefilter.py); the others'
# regexes cannot match it, so skipping them changes nothing but the time. Built on first use (it
# parses every row's regex), so importing the engine stays cheap.
@functools.cache
def shape_index() -> ShapeIndex:
    return ShapeIndex(PATTERNS)


def _shape_rows(text: str, name: str | None) -> Sequence[Pattern]:
    return shape_index().candidates(text, name)


def _shapes(text: str, name: str | None, acc: _Acc) -> None:
    if len(text) < _MIN_SHAPE_LEN:
        return
    for pattern in _shape_rows(text, name):
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
            acc.add(hit)


@functools.cache
def _positional_rows() -> tuple[Pattern, ...]:
    return tuple(p for p in PATTERNS if p.positional)


@functools.cache
def _public_rows() -> tuple[Pattern, ...]:
    return tuple(p for p in PATTERNS if p.public)


def _public(word: str) -> bool:
    """A key public by design (a Stripe publishable key): no opaque-token finding as an argument either."""
    return any(p.regex.fullmatch(word) for p in _public_rows())


def _positional_shape(word: str) -> Hit | None:
    """A whole positional argument in a name-gated shape its issuer alone uses (Pattern.positional)."""
    for pattern in _positional_rows():
        if pattern.regex.fullmatch(word):
            return _shape_hit(pattern, word, None)
    return None


def _shape_hit(pattern: Pattern, secret: str, name: str | None) -> Hit | None:
    body = secret[len(pattern.prefix):] if secret.startswith(pattern.prefix) else secret
    if pattern.id != "private-key":
        if is_placeholder(secret) or is_not_a_secret(body) or shannon_entropy(body) < pattern.min_entropy:
            return None
        if pattern.random_body and not random_enough(body):
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
    if role == "anon":  # public by design (row-level security protects the data): low, never blocking
        return Hit(token, "supabase-anon-key", "supabase", Severity.LOW,
                   "Supabase anon key (public by design, protected by row-level security)",
                   redact(token, "eyJ"), name, tuple(facts))
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
    password = is_password_name(name)
    if password and is_grouped_app_password(value):  # `abcd efgh ijkl mnop`: a password, not prose
        acc.add(Hit(value, "password", provider_for(name, None), Severity.HIGH,
                    "Application password (groups of four, as WordPress and Google display them)",
                    redact(value), name))
        return
    if "://" in value:  # `ACME_API_KEY=acme://<key>`, `https://api.acme.dev/<key>`: the key it carries
        for token, whole in url_carried_tokens(value):
            if not whole or generic_ok(token, name):
                acc.add(Hit(token, "generic-secret", provider_for(name, None), Severity.HIGH,
                            "Secret value under a credential name, carried in a URL", redact(token), name))
        return
    if _BASIC.match(value) or not generic_ok(value, name):
        return
    if password and len(value) <= _SHORT_PASSWORD:
        # Short literals under an explicit password name are real passwords often enough (keystore
        # and demo-account passwords) to report, rarely enough worth blocking on: low, with the reason.
        acc.add(Hit(value, "password", provider_for(name, None), Severity.LOW,
                    "Short password (3-8 characters, low severity: weak if real, still a credential)",
                    redact(value), name, (("short", "true"),)))
        return
    acc.add(Hit(value, "password" if password else "generic-secret", provider_for(name, None),
                Severity.HIGH, "Password" if password else "Secret value under a credential name",
                redact(value), name))


_SHORT_PASSWORD = 8
_BASIC = re.compile(r"(?i)^basic\s")
