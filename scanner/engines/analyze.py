"""Value analysis for the built-in engine: one string (plus the name it sits under) -> secret hits.

Handles provider shapes, JWT roles, URIs with passwords, secret query parameters, Bearer/Basic
values, JSON packed in a string, shell-ish command strings and argv flag/value pairs, and finally
the generic "literal under a sensitive name" rule. Pure: no I/O, no logging.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from scanner.engines.decode import (
    UriCredential,
    basic_credentials,
    json_leaves,
    jwt_payload,
    query_params,
    shell_words,
    uri_credentials,
)
from scanner.engines.filters import (
    is_non_secret_value,
    is_not_a_secret,
    is_password_name,
    is_placeholder,
    is_reference_only,
    is_sensitive_name,
    name_parts,
    shannon_entropy,
)
from scanner.engines.patterns import PATTERNS, Pattern
from scanner.findings import redact
from scanner.model import Severity
from scanner.references import find_references

_MAX_DEPTH = 3
_MAX_TEXT = 200_000

DB_SCHEMES = frozenset({
    "postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2", "postgresql+asyncpg", "mysql",
    "mysql+pymysql", "mariadb", "mongodb", "mongodb+srv", "redis", "rediss", "amqp", "amqps", "mssql",
    "sqlserver", "jdbc:postgresql", "cockroachdb", "clickhouse", "neo4j", "neo4j+s", "bolt", "couchbase",
    "couchbases", "oracle", "memcached", "nats", "kafka", "snowflake",
})
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", "host.docker.internal"})
# Default credentials of local dev databases (docker images, tutorials): not worth a finding on
# loopback, where they open nothing beyond the developer's own machine.
_DEFAULT_PASSWORDS = frozenset({
    "postgres", "password", "root", "admin", "mysql", "secret", "test", "guest", "mongo", "redis",
    "pass", "123456", "changeme", "example", "dev", "development", "local", "docker", "sa", "neo4j",
})
_PLACEHOLDER_HOSTS = re.compile(r"(?i)^(?:host|hostname|server|your[-_.].*|.*[-_.]your[-_.].*|db[-_]?host|"
                                r"<.*>|cluster|example|domain)$")
_PLACEHOLDER_PASSWORDS = frozenset({"password", "pass", "passwd", "pwd", "pw", "secret", "xxx", "****"})

_SECRET_QUERY_KEYS = frozenset({"key", "token", "access_token", "api_key", "apikey", "auth", "secret",
                                "password", "pass", "pwd", "client_secret", "private_token", "code_key"})
_ENV_FLAGS = frozenset({"-e", "--env", "--environment"})
_HEADER_FLAGS = frozenset({"-H", "--header", "--headers", "--http-header"})
_USER_FLAGS = frozenset({"-u", "--user"})
_CURL = re.compile(r"(?:^|[(/])curl(?:\.exe)?$")
_CONN_FLAGS = frozenset({"--connection-string", "--db-url", "--database-url", "--dsn", "--conn", "--url"})
_ENV_ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.S)
_ENV_VAR_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_BEARER = re.compile(r"(?i)\bbearer\s+([A-Za-z0-9._~+/=-]{8,})")
_TOKEN_SCHEME = re.compile(r"(?i)^(?:token|apikey|api-key|key)\s+([A-Za-z0-9._~+/=-]{8,})$")
_BASIC = re.compile(r"(?i)\bbasic\s+([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])")


@dataclass(frozen=True, slots=True)
class Hit:
    """A secret found inside one analysed string. `name` is the env/flag/header name it sat under."""

    value: str = field(repr=False)
    secret_type: str
    provider: str
    severity: Severity
    description: str
    redacted: str
    name: str | None = None
    facts: tuple[tuple[str, str], ...] = ()


class _Acc:
    """Hits of one analysis plus the values already claimed (so the generic rule does not repeat)."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self.claimed: set[str] = set()
        self.public = False

    def add(self, hit: Hit) -> None:
        if hit.value not in self.claimed:
            self.claimed.add(hit.value)
            self.hits.append(hit)


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


def _uris(text: str, acc: _Acc) -> None:
    for cred in uri_credentials(text):
        hit = uri_hit(cred)
        if hit is not None:
            acc.add(hit)


def uri_hit(cred: UriCredential) -> Hit | None:
    """The hit for a URI password, or None when it is a reference, placeholder or local default."""
    password, user, host = cred.password, cred.user, cred.host
    if (not password or find_references(password) or find_references(host) or is_placeholder(password)
            or password.lower() in _PLACEHOLDER_PASSWORDS or _PLACEHOLDER_HOSTS.match(host)
            or (user.lower() in {"user", "username", "usr"} and password.lower().startswith("pass"))):
        return None
    loopback = host in _LOOPBACK or host.endswith((".localhost", ".local"))
    port = f":{cred.port}" if cred.port else ""
    shown = f"{cred.scheme}://{user}:{redact(password)}@{host}{port}"
    facts: list[tuple[str, str]] = [("host", host), ("scheme", cred.scheme)]
    if user:
        facts.append(("user", user))
    if cred.port:
        facts.append(("port", cred.port))
    if loopback:
        facts.append(("loopback", "true"))
    scheme = cred.scheme.removeprefix("jdbc:")
    if scheme in DB_SCHEMES:
        if loopback and (password.lower() in _DEFAULT_PASSWORDS or password == user):
            return None
        database = cred.path.lstrip("/").split("?", 1)[0].split("/", 1)[0]
        facts.append(("db_scheme", scheme))
        if database:
            facts.append(("database", database))
        severity = Severity.LOW if loopback else Severity.CRITICAL
        return Hit(password, "db-password", scheme.split("+", 1)[0], severity,
                   "Database connection string with a password", shown, None, tuple(facts))
    if loopback and password.lower() in _DEFAULT_PASSWORDS:
        return None
    return Hit(password, "url-password", "url", Severity.LOW if loopback else Severity.HIGH,
               "Password in URL userinfo", shown, None, tuple(facts))


def _query(text: str, name: str | None, acc: _Acc) -> None:
    for key, value, _offset in query_params(text):
        if value in acc.claimed:
            continue
        if key.lower() in _SECRET_QUERY_KEYS or is_sensitive_name(key):
            if _generic_ok(value, key):
                acc.add(Hit(value, "url-query-secret", _provider_from_name(key, name), Severity.HIGH,
                            "Secret in URL query parameter", redact(value), key))


_REF_DEFAULT = re.compile(r"\$\{[A-Za-z_]\w*+:?-([^{}]+)\}")  # never crosses a brace: linear
_PAIR = re.compile(r"(?:^|;)\s*([A-Za-z][\w ]{0,40}?)\s*=\s*([^;]+)")


def _semicolon_pairs(text: str, acc: _Acc) -> None:
    """ADO.NET / ODBC / Azure connection strings: `Server=...;User ID=sa;Password=...;`,
    `AccountKey=...`, `SharedAccessKey=...` (no URI, so neither _uris nor _query reads them)."""
    if ";" not in text or "=" not in text:
        return
    for match in _PAIR.finditer(text):
        key, value = match.group(1).strip(), match.group(2).strip().strip("'\"")
        if value in acc.claimed or not is_sensitive_name(key) or not _generic_ok(value, key):
            continue
        password = is_password_name(key)
        acc.add(Hit(value, "password" if password else "connection-string-secret",
                    _provider_from_name(key, None), Severity.HIGH,
                    "Secret in a connection string", redact(value), key))


def _auth_schemes(text: str, name: str | None, kind: str, acc: _Acc) -> None:
    header_like = kind == "header" or (name is not None and is_sensitive_name(name))
    for match in _BEARER.finditer(text):
        token = match.group(1)
        if token in acc.claimed or not _generic_ok(token, "TOKEN"):
            continue
        if not header_like and (len(token) < 12 or shannon_entropy(token) < 3.0):
            continue
        acc.add(Hit(token, "bearer-token", _provider_from_name(name, None), Severity.HIGH,
                    "Bearer token", redact(token), name))
    for match in _BASIC.finditer(text):
        encoded = match.group(1)
        creds = basic_credentials(encoded)
        if creds is None or encoded in acc.claimed:
            continue
        user, password = creds
        if (not password or is_placeholder(password) or password.lower() in _PLACEHOLDER_PASSWORDS
                or find_references(password)):
            continue
        acc.add(Hit(encoded, "basic-auth", _provider_from_name(name, None), Severity.HIGH,
                    "HTTP Basic credentials", redact(encoded), name, (("user", user),) if user else ()))
    if kind == "header":
        scheme = _TOKEN_SCHEME.match(text.strip())
        if scheme and scheme.group(1) not in acc.claimed and _generic_ok(scheme.group(1), "TOKEN"):
            acc.add(Hit(scheme.group(1), "bearer-token", _provider_from_name(name, None), Severity.HIGH,
                        "API token in an Authorization header", redact(scheme.group(1)), name))


def _strip_scheme(value: str) -> str:
    return re.sub(r"(?i)^(?:bearer|token)\s+", "", value)


def _generic(text: str, name: str, kind: str, acc: _Acc) -> None:
    if not is_sensitive_name(name):
        return
    value = _strip_scheme(text.strip())
    if re.match(r"(?i)^basic\s", value) or not _generic_ok(value, name):
        return
    password = is_password_name(name)
    acc.add(Hit(value, "password" if password else "generic-secret", _provider_from_name(name, None),
                Severity.HIGH, "Password" if password else "Secret value under a credential name",
                redact(value), name))


def _generic_ok(value: str, name: str) -> bool:
    """A literal under a sensitive name is a secret unless it is clearly not one."""
    if is_not_a_secret(value) or is_non_secret_value(value) or find_references(value):
        return False
    if "://" in value:  # URIs are judged by their userinfo/query only (uri_hit, _query)
        return False
    if is_reference_only(value) or _ENV_VAR_NAME.match(value):  # indirection: the value names a var
        return False
    if is_password_name(name):
        return len(value) >= 4 and value.lower() not in _DEFAULT_PASSWORDS
    if len(value) < 8:
        return False
    if re.fullmatch(r"[a-z]{1,15}", value) or re.fullmatch(r"[a-z]+(?:[-_][a-z]+)+", value):
        return False  # plain words ("keychain", "read-only") are settings, not keys
    return shannon_entropy(value) >= 2.5


_KNOWN_PROVIDERS = frozenset({p.provider for p in PATTERNS} | {
    "openai", "anthropic", "exa", "brave", "elastic", "elasticsearch", "jira", "confluence", "paypal",
    "twitter", "telegram", "azure", "mongodb", "postgres", "redis", "supabase", "vercel", "netlify",
    "deepseek", "cohere", "replicate", "tavily", "kagi", "serper", "serpapi", "browserbase", "odoo",
    "shodan", "gemini", "google", "aws", "github", "gitlab", "slack", "discord", "zapier", "smithery",
})


def _provider_from_name(name: str | None, fallback: str | None) -> str:
    """Provider id guessed from the first word of the name (`OPENAI_API_KEY` -> openai)."""
    for candidate in (name, fallback):
        if candidate:
            parts = name_parts(candidate)
            if parts and parts[0].lower() in _KNOWN_PROVIDERS:
                return parts[0].lower()
    return "generic"
