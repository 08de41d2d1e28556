"""Facts about hosts and connection strings, in one place: loopback names, managed-service and
internal suffixes, database URL schemes, and the default passwords of local dev databases."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence
from urllib.parse import unquote, urlsplit

# The developer's own machine, also as seen from inside a container.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", "host.docker.internal",
                            "host.containers.internal", "kubernetes.docker.internal"})
# RFC 6761: every name under `.localhost` is loopback. `.local` is not: it is mDNS (another machine on
# the network: `nas.local`) and the suffix of many Active Directory domains (`db01.corp.local`).
LOCAL_SUFFIXES = (".localhost",)
# Managed databases/services: the host names a tenant but says nothing about its environment.
MANAGED_SUFFIXES = (
    ".rds.amazonaws.com", ".supabase.co", ".supabase.com", ".neon.tech", ".render.com", ".mongodb.net",
    ".database.windows.net", ".psdb.cloud", ".cockroachlabs.cloud", ".upstash.io", ".atlassian.net",
    ".redis.cache.windows.net", ".documents.azure.com", ".aivencloud.com", ".cloud.es.io",
    ".elastic-cloud.com", ".snowflakecomputing.com", ".turso.io", ".redns.redis-cloud.com",
    ".redis-cloud.com", ".clickhouse.cloud", ".tsdb.cloud.timescale.com", ".firebaseio.com",
    ".postgres.database.azure.com", ".mysql.database.azure.com", ".cloudsql.googleapis.com",
)
INTERNAL_SUFFIXES = (".internal", ".corp", ".lan", ".intranet", ".intra", ".local")

# URL schemes of databases and brokers whose connection strings carry a password.
DB_SCHEMES = frozenset({
    "postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2", "postgresql+asyncpg", "mysql",
    "mysql+pymysql", "mariadb", "mongodb", "mongodb+srv", "redis", "rediss", "amqp", "amqps", "mssql",
    "sqlserver", "jdbc:postgresql", "cockroachdb", "clickhouse", "neo4j", "neo4j+s", "bolt", "couchbase",
    "couchbases", "oracle", "memcached", "nats", "kafka", "snowflake",
})
# Default credentials of local dev databases (docker images, tutorials): not worth a finding on
# loopback, where they open nothing beyond the developer's own machine.
DEFAULT_LOCAL_PASSWORDS = frozenset({
    "postgres", "password", "root", "admin", "mysql", "secret", "test", "guest", "mongo", "redis",
    "pass", "123456", "changeme", "example", "dev", "development", "local", "docker", "sa", "neo4j",
    # The postgres / mysql Docker images' documented examples (`-e POSTGRES_PASSWORD=mysecretpassword`,
    # `-e MYSQL_ROOT_PASSWORD=my-secret-pw`), copied into MCP configs with the rest of the command.
    "mysecretpassword", "my-secret-pw",
})


def is_loopback(host: str) -> bool:
    """True for the developer's own machine: loopback names, *.localhost, 127.0.0.0/8, ::1 (never
    *.local: a machine on the network)."""
    if host in LOOPBACK_HOSTS or host.endswith(LOCAL_SUFFIXES):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# A host of one label (`postgres`, `db`, `mongo`): a compose service or cluster-local name, resolvable
# only inside the private network the demo stack creates.
_SERVICE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,62}")


def is_service_name(host: str) -> bool:
    """True for a single-label host name (a docker compose service such as `postgres`)."""
    return bool(_SERVICE_NAME.fullmatch(host))


# Names of the settings that hold a database password and its host, as database MCP servers read
# them: ORACLE_PASSWORD / ORACLE_HOST, MYSQL_PASS / MYSQL_HOST, PGPASSWORD / PGHOST, DB_PASSWORD /
# DB_SERVER, NEO4J_PASSWORD / NEO4J_URI (`bolt://localhost:7687`: the host is the URI's), and libpq's
# PGHOSTADDR (it is the address connected to; PGHOST then only names it). Longest tails first, so
# `PASSWORD` is not read as `...PASS` + `WORD`, nor `PGHOSTADDR` as `PGHOST` + `ADDR`.
_PASSWORD_TAILS = ("PASSWORD", "PASSWD", "PASS", "PWD")
_HOST_TAILS = ("HOSTNAME", "HOSTADDR", "ADDRESS", "SERVER", "HOST", "ADDR", "URI", "URL")


def _stem(name: str, tails: tuple[str, ...]) -> str | None:
    upper = name.upper()
    for tail in tails:
        if upper.endswith(tail):
            return upper[: -len(tail)].rstrip("_-")
    return None


def password_host_is_loopback(name: str, settings: Iterable[tuple[str, str]]) -> bool:
    """True when the password setting `name` has host settings of the same stem (`ORACLE_HOST` for
    `ORACLE_PASSWORD`) and every one of them names the developer's machine. No host, a host that is
    a reference, or any other host: False (nothing says the password opens only this machine)."""
    stem = _stem(name, _PASSWORD_TAILS)
    if stem is None:
        return False
    hosts = [value for key, value in settings if _stem(key, _HOST_TAILS) == stem]
    return bool(hosts) and all(is_loopback(_host_of(value)) for value in hosts)


_DB_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.:-]*)://([^/?#\s\"']*)([^\s\"']*)")
# libpq reads `host` / `hostaddr` query parameters after the authority: they replace its host
# (`postgresql://u:pw@localhost/db?hostaddr=203.0.113.10` connects to 203.0.113.10).
_QUERY_HOST = re.compile(r"[?&](?:host|hostaddr)=([^&#]*)", re.IGNORECASE)


def reaches_only_loopback(host: str, rest: str) -> bool:
    """True when a URL's authority host and every host its query names after it (`rest`: path and
    query; a `/…` Unix socket folder counts as this machine) are the developer's machine."""
    hosts = [host, *(part for found in _QUERY_HOST.findall(rest) for part in unquote(found).split(","))]
    return all(part.startswith("/") or is_loopback(part.strip().strip("[]").lower()) for part in hosts)


def remote_database_url(text: str) -> bool:
    """True when `text` holds a database URL (`postgresql://…`, `jdbc:mysql://…`) whose host, one of
    whose hosts (`h1,h2`) or a host its query names is not the developer's machine; references are
    not hosts."""
    for scheme, authority, rest in _DB_URL.findall(text):
        if not is_db_scheme(scheme.lower().removeprefix("jdbc:")):
            continue
        for host in authority.rpartition("@")[2].split(","):
            name = _host_of(host) if host.startswith("[") else host.rsplit(":", 1)[0].lower()
            if "$" in name or "{" in name:
                continue
            if (name or _QUERY_HOST.search(rest)) and not reaches_only_loopback(name or "localhost", rest):
                return True
    return False


_HOST_SETTING_TAILS = ("HOSTNAME", "HOSTADDR", "ADDRESS", "SERVER", "HOST", "ADDR")
_HOST_FLAG = re.compile(r"--(?:[A-Za-z0-9]+[-_])*(?:host|hostname|hostaddr|server|address)", re.IGNORECASE)


def names_remote_host(settings: Iterable[tuple[str, str]], argv: Sequence[str]) -> bool:
    """True when a host setting of any name (`DATABASE_HOST`, `MYSQL_SERVER`) or a host flag of the
    command line (`--host X`, `--mysql-host=X`) names a machine other than the developer's: which
    one a server reads is its own choice, so a password is local only when every one is."""
    hosts = [text for key, text in settings if _stem(key, _HOST_SETTING_TAILS) is not None]
    for index, word in enumerate(argv):
        flag, eq, value = word.partition("=")
        if _HOST_FLAG.fullmatch(flag):
            hosts.append(value if eq else (argv[index + 1] if index + 1 < len(argv) else ""))
    for text in hosts:
        text = text.strip()
        if text and "$" not in text and "{" not in text and not text.startswith("-") \
                and not is_loopback(_host_of(text)):
            return True
    return False


def _host_of(value: str) -> str:
    value = value.strip()
    if "://" in value:
        return (urlsplit(value).hostname or "").lower()
    if value.startswith("["):
        return value[1:value.find("]")].lower() if "]" in value else ""
    return (value.rsplit(":", 1)[0] if value.count(":") == 1 else value).lower()


def is_db_scheme(scheme: str) -> bool:
    """True for a database/broker URL scheme (driver suffixes such as `+asyncpg` ignored)."""
    return scheme in DB_SCHEMES or scheme.split("+")[0] in DB_SCHEMES


# Commands that make a port of this machine lead to another one: a password for `localhost` behind
# them opens that machine's database (ssh -L, kubectl / oc port-forward, the Cloud SQL / AlloyDB
# proxies, AWS SSM port forwarding, IAP tunnels, socat, sshuttle, Teleport / Boundary).
_TUNNEL = re.compile(
    r"\b(?:auto)?ssh(?![\w.-])[^;&|\n]*?\s-[A-Za-z]*L|\b(?:kubectl|oc)\b[^;&|\n]*?\bport-forward\b"
    r"|\bcloud[-_]sql[-_]proxy\b|\balloydb-auth-proxy\b|\bssm\s+start-session\b[^;&|\n]*PortForwarding"
    r"|\bstart-iap-tunnel\b|\bsocat\b[^;&|\n]*TCP[46]?-LISTEN|\bsshuttle\b|\btsh\s+proxy\b"
    r"|\bboundary\s+connect\b|\baz\s+network\s+bastion\s+tunnel\b")  # case kept: `-L` is not `-l`


def forwards_a_port(command_line: Iterable[str]) -> bool:
    """True when the words of a server's command line start a tunnel to another machine."""
    return _TUNNEL.search(" ".join(command_line)) is not None
