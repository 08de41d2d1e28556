"""URIs with passwords, secret query parameters, `;`-separated connection strings and
Bearer/Basic/token Authorization values: the credential-in-a-locator part of value analysis."""

from __future__ import annotations

import re

from scanner.engines.credential import looks_secret
from scanner.engines.decode import UriCredential, basic_credentials, query_params, uri_credentials
from scanner.engines.engine import Hit, HitAccumulator
from scanner.engines.filters import (
    generic_ok,
    is_password_name,
    is_sensitive_name,
    random_password,
    shannon_entropy,
    stands_in,
)
from scanner.findings import redact
from scanner.hosts import (
    DB_SCHEMES,
    DEFAULT_LOCAL_PASSWORDS,
    is_loopback,
    is_service_name,
    reaches_only_loopback,
)
from scanner.model import Severity
from scanner.providers import provider_for
from scanner.references import find_references

_PLACEHOLDER_HOSTS = re.compile(r"(?i)^(?:host|hostname|server|your[-_.].*|.*[-_.]your[-_.].*|db[-_]?host|"
                                r"<.*>|cluster|example|domain)$")
_PLACEHOLDER_PASSWORDS = frozenset({"password", "pass", "passwd", "pwd", "pw", "secret", "xxx", "****"})
_SECRET_QUERY_KEYS = frozenset({"key", "token", "access_token", "api_key", "apikey", "auth", "secret",
                                "password", "pass", "pwd", "client_secret", "private_token", "code_key"})
_BEARER = re.compile(r"(?i)\bbearer\s+([A-Za-z0-9._~+/=-]{8,})")
_TOKEN_SCHEME = re.compile(r"(?i)^(?:token|apikey|api-key|key)\s+([A-Za-z0-9._~+/=-]{8,})$")
_BASIC = re.compile(r"(?i)\bbasic\s+([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])")

_Acc = HitAccumulator  # the accumulator analyze() passes in


def _uris(text: str, acc: _Acc) -> None:
    for cred in uri_credentials(text):
        hit = uri_hit(cred)
        if hit is not None:
            acc.add(hit)


# A demo stack's user / password pair: one stem, a user word, then a password word in its place
# (`mcp_user` / `mcp_password`, `app-usr` / `app-pass`, `shopuser` / `shoppass`: corpus 9).
_USER_WORD = re.compile(r"(?i)(.+?[_-]?)(?:user|usr|username)")
_PASSWORD_WORDS = ("password", "passwd", "pass", "pwd")


def _demo_pair(user: str, password: str) -> bool:
    """True when `password` is `user` with its trailing user word swapped for a password word."""
    match = _USER_WORD.fullmatch(user)
    if match is None or len(match.group(1).strip("_-")) < 2:
        return False
    stem = match.group(1).lower()
    return password.lower() in {stem + word for word in _PASSWORD_WORDS}


def uri_hit(cred: UriCredential) -> Hit | None:
    """The hit for a URI password, or None when it is a reference, placeholder or local default."""
    password, user, host = _unbracketed(cred.password), cred.user, cred.host
    if (not password or find_references(password) or find_references(host) or stands_in(password)
            or password.lower() in _PLACEHOLDER_PASSWORDS
            # a docs host (`@host:5432`) with a docs password; a random one is real whatever the
            # host reads like (a single label resolves through the DNS search domain)
            or (_PLACEHOLDER_HOSTS.match(host) and not random_password(password))
            or (user.lower() in {"user", "username", "usr"} and password.lower().startswith("pass"))):
        return None
    loopback = reaches_only_loopback(host, cred.path)
    # A default password on the developer's machine or on a compose service (`@postgres:5432`)
    # opens only the demo stack it came with.
    demo = (loopback or is_service_name(host)) and (password.lower() in DEFAULT_LOCAL_PASSWORDS
                                                     or password == user or _demo_pair(user, password))
    port = f":{cred.port}" if cred.port else ""
    # A user part that is itself a key (Twilio `SK…` API key SID) is masked like the password.
    shown_user = "****" if looks_secret(user) else user
    shown = f"{cred.scheme}://{shown_user}:{redact(password)}@{host}{port}"
    facts: list[tuple[str, str]] = [("host", host), ("scheme", cred.scheme)]
    if user:
        facts.append(("user", user))
    if cred.port:
        facts.append(("port", cred.port))
    if loopback:
        facts.append(("loopback", "true"))
    scheme = cred.scheme.removeprefix("jdbc:")
    if scheme in DB_SCHEMES:
        if demo:
            return None
        database = cred.path.lstrip("/").split("?", 1)[0].split("/", 1)[0]
        facts.append(("db_scheme", scheme))
        if database:
            facts.append(("database", database))
        severity = Severity.LOW if loopback else Severity.CRITICAL
        return Hit(password, "db-password", scheme.split("+", 1)[0], severity,
                   "Database connection string with a password", shown, None, tuple(facts))
    if demo and password.lower() in DEFAULT_LOCAL_PASSWORDS:
        return None
    return Hit(password, "url-password", "url", Severity.LOW if loopback else Severity.HIGH,
               "Password in URL userinfo", shown, None, tuple(facts))


def _unbracketed(password: str) -> str:
    """The password inside the brackets of a dashboard's `[YOUR-PASSWORD]` slot. Supabase shows its
    connection string as `postgresql://postgres.<ref>:[YOUR-PASSWORD]@…pooler.supabase.com…` and
    people paste their password over the words but keep the brackets: the inside is judged (a
    placeholder stays quiet, a password is the credential), not the bracketed whole, which reads as
    a `[PLACEHOLDER]` marker."""
    if len(password) > 2 and password[0] == "[" and password[-1] == "]" and "]" not in password[1:-1]:
        return password[1:-1]
    return password


# Oracle's thin JDBC form is no URI (`jdbc:oracle:thin:user/password@//host:1521/service` or
# `...@host:1521:SID`), so the URI reader misses its password.
_ORACLE_THIN = re.compile(r"jdbc:oracle:thin:([A-Za-z0-9_$#.]{1,64})/([^@\s/\"']{1,128})@(?://)?([A-Za-z0-9.-]{1,253})")


def _oracle_thin(text: str, acc: _Acc) -> None:
    if "jdbc:oracle:thin:" not in text:
        return
    for match in _ORACLE_THIN.finditer(text):
        user, password, host = match.groups()
        if (password in acc.claimed or find_references(password) or stands_in(password)
                or password.lower() in _PLACEHOLDER_PASSWORDS):
            continue
        loopback = is_loopback(host)
        if loopback and (password.lower() in DEFAULT_LOCAL_PASSWORDS or password == user):
            continue
        facts = [("host", host), ("scheme", "jdbc:oracle"), ("user", user), ("db_scheme", "oracle")]
        if loopback:
            facts.append(("loopback", "true"))
        acc.add(Hit(password, "db-password", "oracle", Severity.LOW if loopback else Severity.CRITICAL,
                    "Database connection string with a password",
                    f"jdbc:oracle:thin:{user}/{redact(password)}@{host}", None, tuple(facts)))


def _query(text: str, name: str | None, acc: _Acc) -> None:
    for key, value, _offset in query_params(text):
        if value in acc.claimed:
            continue
        if key.lower() in _SECRET_QUERY_KEYS or is_sensitive_name(key):
            if generic_ok(value, key):
                acc.add(Hit(value, "url-query-secret", provider_for(key, name), Severity.HIGH,
                            "Secret in URL query parameter", redact(value), key))


# The literal a reference falls back to when its variable is unset: `${NAME:-default}` (shells, compose,
# Claude Code), Spring's `${NAME:default}` and dev containers' `${localEnv:NAME:default}` /
# `${containerEnv:NAME:default}`. Never crosses a brace: linear.
_REF_DEFAULT = re.compile(r"\$\{(?:[A-Za-z_]\w*+:?-"
                          r"|(?!(?:localEnv|containerEnv|env|input|file):)[A-Za-z_]\w*+:(?![-?])(?=[^{}\s]+\})"
                          r"|(?:localEnv|containerEnv):[A-Za-z_]\w*+:)([^{}]+)\}")
_PAIR = re.compile(r"(?:^|;)\s*([A-Za-z][\w ]{0,40}?)\s*=\s*([^;]+)")


def _semicolon_pairs(text: str, acc: _Acc) -> None:
    """ADO.NET / ODBC / Azure connection strings: `Server=...;User ID=sa;Password=...;`,
    `AccountKey=...`, `SharedAccessKey=...` (no URI, so neither _uris nor _query reads them)."""
    if ";" not in text or "=" not in text:
        return
    for match in _PAIR.finditer(text):
        key, value = match.group(1).strip(), match.group(2).strip().strip("'\"")
        if value in acc.claimed or not is_sensitive_name(key) or not generic_ok(value, key):
            continue
        password = is_password_name(key)
        acc.add(Hit(value, "password" if password else "connection-string-secret",
                    provider_for(key, None), Severity.HIGH,
                    "Secret in a connection string", redact(value), key))


# Both scheme readers need their word (same flags, so the same case folding): one pass rules both out.
_SCHEME_WORD = re.compile(r"(?i)bearer|basic")


_MIN_RAW_BASIC = 16  # a raw key after `Basic` (no base64 user:password): as long as a short API key


def _auth_schemes(text: str, name: str | None, kind: str, acc: _Acc) -> None:
    if kind != "header" and _SCHEME_WORD.search(text) is None:
        return
    header_like = kind == "header" or (name is not None and is_sensitive_name(name))
    for match in _BEARER.finditer(text):
        token = match.group(1)
        if token in acc.claimed or not generic_ok(token, "TOKEN"):
            continue
        if not header_like and (len(token) < 12 or shannon_entropy(token) < 3.0):
            continue
        acc.add(Hit(token, "bearer-token", provider_for(name, None), Severity.HIGH,
                    "Bearer token", redact(token), name))
    for match in _BASIC.finditer(text):
        encoded = match.group(1)
        creds = basic_credentials(encoded)
        if creds is None and header_like and encoded not in acc.claimed and len(encoded) >= _MIN_RAW_BASIC \
                and generic_ok(encoded, "TOKEN") and shannon_entropy(encoded) >= 3.0:
            # `Basic <key>` whose value is no base64 `user:password`: the key itself is sent
            acc.add(Hit(encoded, "basic-auth", provider_for(name, None), Severity.HIGH,
                        "Credential in an HTTP Basic header (not user:password)", redact(encoded), name))
            continue
        if creds is None or encoded in acc.claimed:
            continue
        user, password = creds
        if (not password or stands_in(password) or password.lower() in _PLACEHOLDER_PASSWORDS
                or find_references(password)):
            continue
        acc.add(Hit(encoded, "basic-auth", provider_for(name, None), Severity.HIGH,
                    "HTTP Basic credentials", redact(encoded), name, (("user", user),) if user else ()))
    if kind == "header":
        scheme = _TOKEN_SCHEME.match(text.strip())
        if scheme and scheme.group(1) not in acc.claimed and generic_ok(scheme.group(1), "TOKEN"):
            acc.add(Hit(scheme.group(1), "bearer-token", provider_for(name, None), Severity.HIGH,
                        "API token in an Authorization header", redact(scheme.group(1)), name))


def _strip_scheme(value: str) -> str:
    """`Bearer `/`token ` off the front (the pattern is anchored: at most one match, at 0)."""
    found = _LEADING_SCHEME.match(value)
    return value[found.end():] if found else value


_LEADING_SCHEME = re.compile(r"(?i)^(?:bearer|token)\s+")
