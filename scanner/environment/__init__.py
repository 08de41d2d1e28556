"""Classify each config file and server as local/dev/staging/prod/unknown from weighted evidence.

Words count only as whole segments (`prod-db` is prod, `product-catalog` is not); the policy's
production definitions outrank every heuristic. Each verdict keeps its evidence as short strings.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from scanner.clients.catalog import DEV_TOOL_CLIENTS
from scanner.environment.evidence import MEDIUM, POLICY, STRONG, WEAK, Evidence
from scanner.environment.targets import kubeconfig_evidence, provider_host_evidence, settings_file_evidence
from scanner.environment.words import (
    _ENV_PAIR_FLAGS,
    _HOST_TAILS,
    _SELECTOR_NAMES,
    _SELECTOR_TAILS,
    _TARGET_TAILS,
    _TOOL_SEGMENTS,
    DEV_WORDS,
    ENV_FILE_FLAGS,
    HOST_FLAGS,
    KUBECONFIG_FLAGS,
    KUBECONFIG_NAMES,
    LOCAL_WORDS,
    PATH_DEV_WORDS,
    PROD_WORDS,
    PROVIDER_SELECTOR_PREFIXES,
    RUNTIME_MODE_NAMES,
    SELECTOR_FLAGS,
    SELECTOR_PROD_WORDS,
    STAGING_WORDS,
    TAG_LISTS,
    TARGET_FLAGS,
    segments,
    word_environment,
)
from scanner.hosts import INTERNAL_SUFFIXES, LOCAL_SUFFIXES, LOOPBACK_HOSTS, MANAGED_SUFFIXES, is_db_scheme
from scanner.model import Client, Environment, EnvVerdict, FieldValue, McpConfig, ServerEntry
from scanner.names import ENV_NAME
from scanner.references import find_references, strip_references

if TYPE_CHECKING:
    from scanner.engines.engine import SecretMatch
    from scanner.policy import Policy

__all__ = ["Evidence", "ScanEvidence", "classify", "decide", "file_evidence", "host_evidence",
    "server_evidence", "url_evidence", "PROD_WORDS", "SELECTOR_PROD_WORDS", "STAGING_WORDS", "DEV_WORDS",
    "PATH_DEV_WORDS", "LOCAL_WORDS", "SELECTOR_FLAGS", "TARGET_FLAGS", "HOST_FLAGS",
    "PROVIDER_SELECTOR_PREFIXES", "segments", "word_environment"]

# Matches start only at the start of a run of scheme characters and never give characters back:
# retrying after every `.`/`-` of a long run rescanned the rest of it each time (quadratic).
_URL_RE = re.compile(r"(?<![a-z0-9+.-])[0-9+.-]*+\b([a-z][a-z0-9+.-]*+)://([^\s/?#\"']++)([^\s?#\"']*+)"
                     r"(\?[^\s#\"']*+)?", re.I)


class ScanEvidence:
    """The environment evidence of one scan, each piece computed once: every server's evidence (the
    classifier and the prod-env rules read the same list), and every distinct named value, URL and
    host (the same `LOG_LEVEL=info`, `${env:X}` or host recurs across servers). Built for one
    (secrets, policy) pair; results equal `server_evidence` with the server's own secrets.
    """

    __slots__ = ("secrets", "policy", "_by_server", "_servers", "_memo", "_secret_parts")

    def __init__(self, secrets: Sequence[SecretMatch], policy: Policy | None) -> None:
        self.secrets = secrets
        self.policy = policy
        self._by_server: dict[tuple[str, str], list[SecretMatch]] | None = None
        self._servers: dict[tuple[str, int], tuple[ServerEntry, tuple[Evidence, ...]]] = {}
        self._memo: _Memo = {}
        # The evidence of each (path, server name)'s secrets: servers sharing a name in one file
        # (`.claude.json` projects) share their secrets, and with them this part of the evidence.
        self._secret_parts: dict[tuple[str, str], tuple[Evidence, ...]] = {}

    def secrets_of(self, config: McpConfig, server: ServerEntry) -> list[SecretMatch]:
        """The secret matches of one server, in scan order (a new list)."""
        return list(self._secrets_of(config, server))

    def server_secrets(self, config: McpConfig, server: ServerEntry) -> Sequence[SecretMatch]:
        """`secrets_of` without the copy, for readers that never modify it."""
        return self._secrets_of(config, server)

    def _secrets_of(self, config: McpConfig, server: ServerEntry) -> Sequence[SecretMatch]:
        if self._by_server is None:
            by_server: dict[tuple[str, str], list[SecretMatch]] = {}
            for match in self.secrets:
                if match.server is not None:
                    by_server.setdefault((match.config.path, match.server.name), []).append(match)
            self._by_server = by_server
        return self._by_server.get((config.path, server.name), ())

    def server(self, config: McpConfig, server: ServerEntry) -> list[Evidence]:
        """`server_evidence(config, server, <its secrets>, policy)`, computed once per server."""
        return list(self._found(config, server))

    def _found(self, config: McpConfig, server: ServerEntry) -> tuple[Evidence, ...]:
        """`server` without the copy (callers never modify it)."""
        key = (config.path, id(server))
        entry = self._servers.get(key)
        if entry is None or entry[0] is not server:
            secrets = self._secrets_of(config, server)
            part: tuple[Evidence, ...] = ()
            if secrets:
                group = (config.path, server.name)
                found_part = self._secret_parts.get(group)
                if found_part is None:
                    found_part = self._secret_parts[group] = tuple(
                        evidence for match in secrets for evidence in _secret_evidence(match, self.policy,
                                                                                     self._memo))
                part = found_part
            found = tuple(_server_evidence(server, secrets, self.policy, self._memo, part))
            entry = self._servers[key] = (server, found)
        return entry[1]


def classify(
    configs: Sequence[McpConfig], secrets: Sequence[SecretMatch], policy: Policy | None,
    evidence: ScanEvidence | None = None,
) -> tuple[dict[str, EnvVerdict], dict[tuple[str, str], EnvVerdict]]:
    """Verdicts per config path and per (config path, server name). `evidence`, when given, must be
    built for the same secrets and policy (the pipeline shares it with the rules)."""
    if evidence is None:
        evidence = ScanEvidence(secrets, policy)
    file_env: dict[str, EnvVerdict] = {}
    server_env: dict[tuple[str, str], EnvVerdict] = {}
    for config in configs:
        file_verdict = decide(file_evidence(config, policy))
        file_env[config.path] = file_verdict
        path = config.path
        for server in config.servers:
            found = evidence._found(config, server)
            if not found:  # decide([]) is UNKNOWN and not remote: the file's verdict, as below
                server_env[(path, server.name)] = file_verdict
                continue
            # Where a server lives is judged without the kind of key it holds: an `sk_live_` key in a
            # dev config does not make the config production (MCPG203 reports exactly that), and a
            # verdict resting on the key made one place "prod" for one rule and "dev" for another.
            verdict = decide([e for e in found if e.kind != "key"])
            if verdict.environment is Environment.UNKNOWN and not verdict.unknown_remote:
                verdict = file_verdict  # nothing about the target: it lives where its file lives
            server_env[(path, server.name)] = verdict
    return file_env, server_env


def decide(evidence: Sequence[Evidence]) -> EnvVerdict:
    """Highest total weight wins; ties go to the riskier tier (prod > staging > dev > local)."""
    if not evidence:
        return EnvVerdict(Environment.UNKNOWN, (), False)
    first: dict[str, Evidence] = {}
    for item in evidence:
        first.setdefault(item.text, item)  # one vote per fact, even when two sources report it
    unique = list(first.values())
    texts = tuple(e.text for e in unique)
    scores: dict[Environment, int] = {}
    for item in unique:
        if not item.remote:
            scores[item.environment] = scores.get(item.environment, 0) + item.weight
    if not scores:
        return EnvVerdict(Environment.UNKNOWN, texts, any(e.remote for e in unique))
    order = (Environment.PROD, Environment.STAGING, Environment.DEV, Environment.LOCAL)
    best = max(order, key=lambda env: (scores.get(env, 0), -order.index(env)))
    return EnvVerdict(best, texts, False)


def file_evidence(config: McpConfig, policy: Policy | None) -> list[Evidence]:
    """Evidence from the file's path (policy path globs first) and the kind of client reading it."""
    out: list[Evidence] = []
    if policy is not None:
        hit = policy.production.path_environment(config.path)
        if hit is not None:
            out.append(Evidence(hit[1], POLICY, f"policy path '{hit[0]}' matches {config.path}", "policy"))
            return out
    for part in config.path.split("/"):
        if part.lower().lstrip(".") in _TOOL_SEGMENTS:
            continue
        words = [s for s in segments(part) if s not in _TOOL_SEGMENTS]
        found = word_environment(" ".join(words))
        if found is None and PATH_DEV_WORDS.intersection(words):
            found = Environment.DEV, sorted(PATH_DEV_WORDS.intersection(words))[0]
        if found is not None:
            env, word = found
            weight = MEDIUM if env in (Environment.DEV, Environment.LOCAL) else STRONG
            out.append(Evidence(env, weight, f"path {config.path} has segment '{word}'", "path"))
    if config.client in DEV_TOOL_CLIENTS:
        weight = WEAK if config.client is Client.GENERIC else MEDIUM
        out.append(Evidence(Environment.DEV, weight,
                            f"{config.path} is a developer-tool config ({config.client.value})", "client"))
    return out


# Evidence of one value, keyed by what it depends on, with no FieldValue (rebound by the reader).
_Memo = dict[tuple[str, ...], tuple[Evidence, ...]]


def _memoised(memo: _Memo | None, key: tuple[str, ...], fv: FieldValue | None,
              compute: Callable[[FieldValue | None], Iterable[Evidence]]) -> Iterable[Evidence]:
    """`compute(fv)`, through the scan's memo when there is one (computed with fv=None, rebound)."""
    if memo is None:
        return compute(fv)
    found = memo.get(key)
    if found is None:
        found = memo[key] = tuple(compute(None))
    if not found or fv is None:
        return found
    return [Evidence(e.environment, e.weight, e.text, e.kind, fv, e.remote) for e in found]


def server_evidence(
    config: McpConfig, server: ServerEntry, secrets: Iterable[SecretMatch], policy: Policy | None
) -> list[Evidence]:
    """Evidence about the resource a server reaches: name, hosts, selectors, flags, key kinds.

    The reference computation (nothing cached); a scan reads ScanEvidence.server instead."""
    return list(_server_evidence(server, secrets, policy, None))


def _server_evidence(server: ServerEntry, secrets: Iterable[SecretMatch], policy: Policy | None,
                     memo: _Memo | None, secret_part: Sequence[Evidence] | None = None) -> Iterator[Evidence]:
    """The evidence of one server; `secret_part`, when given, is what its `secrets` give (made once
    per group of servers sharing them, see ScanEvidence._found)."""
    found = word_environment(server.name)
    if found is not None:
        env, word = found
        weight = MEDIUM if env in (Environment.DEV, Environment.LOCAL) else STRONG
        yield Evidence(env, weight, f"server name '{server.name}' has segment '{word}'", "name")
    if server.url is not None:
        yield from _url(server.url.text, server.url, policy, memo)
    if server.env_file is not None:
        env_file = server.env_file
        yield from settings_file_evidence(f"envFile {env_file.text}", env_file.text, env_file)
    for value in server.env:
        yield from _named(value.key or "", value.text, value, policy, "env", memo)
    for value in server.headers:
        yield from _named(value.key or "", value.text, value, policy, "header", memo)
    if server.args:
        yield from _args_evidence(server.args, policy, memo)
    if secret_part is not None:
        yield from secret_part
        return
    for match in secrets:
        yield from _secret_evidence(match, policy, memo)


def _secret_evidence(match: SecretMatch, policy: Policy | None, memo: _Memo | None) -> Iterator[Evidence]:
    live = match.fact("live")
    if live == "true":
        yield Evidence(Environment.PROD, STRONG, f"{match.field_name} holds a live-mode key "
                       f"({match.description or match.secret_type})", "key", match.fv)
    elif live == "false":
        yield Evidence(Environment.DEV, MEDIUM, f"{match.field_name} holds a test-mode key", "key", match.fv)
    host = match.fact("host")
    if host:
        yield from _host(host, match.fv, policy, "", memo)


def url_evidence(text: str, fv: FieldValue | None, policy: Policy | None) -> Iterator[Evidence]:
    """Host, database name and environment query parameters of every URL inside `text`."""
    return iter(_url(text, fv, policy, None))


def _url(text: str, fv: FieldValue | None, policy: Policy | None, memo: _Memo | None) -> Iterable[Evidence]:
    if "://" not in text:
        return ()
    return _memoised(memo, ("url", text), fv, lambda bound: _url_raw(text, bound, policy, memo))


def _url_raw(text: str, fv: FieldValue | None, policy: Policy | None,
             memo: _Memo | None) -> Iterator[Evidence]:
    for match in _URL_RE.finditer(text):
        scheme, netloc, path, query = match.group(1).lower(), match.group(2), match.group(3), match.group(4)
        hosts = [h for h in (_strip_port(part) for part in netloc.rpartition("@")[2].split(",")) if h]
        for host in hosts:
            yield from _host(host, fv, policy, query or "", memo)
        if scheme in ("file", "sqlite", "sqlite3"):
            yield Evidence(Environment.LOCAL, STRONG, f"{scheme}: URL is a local file", "host", fv)
        if is_db_scheme(scheme) and path.strip("/") and not find_references(path):
            db = path.strip("/").split("/")[0]
            found = word_environment(db)
            if found is not None and found[0] is not Environment.LOCAL:
                yield Evidence(found[0], MEDIUM, f"database '{db}' has segment '{found[1]}'", "db", fv)
        if not query:
            continue
        for key, value in parse_qsl(query.lstrip("?")):
            if key.lower() in ("env", "environment", "stage") and not find_references(value):
                hit = word_environment(value, selector=True)
                if hit is not None:
                    yield Evidence(hit[0], STRONG, f"URL parameter {key}={value}", "selector", fv)


def host_evidence(host: str, fv: FieldValue | None, policy: Policy | None,
                  query: str = "") -> Iterator[Evidence]:
    """Environment of one host name: policy globs, loopback, labels, managed/internal suffixes."""
    return iter(_host(host, fv, policy, query, None))


def _host(host: str, fv: FieldValue | None, policy: Policy | None, query: str,
          memo: _Memo | None) -> Iterable[Evidence]:
    # All the query decides is whether it names a Supabase project_ref.
    flag = "project_ref" if "project_ref" in query else ""
    return _memoised(memo, ("host", host, flag), fv, lambda bound: _host_raw(host, bound, policy, query))


def _host_raw(host: str, fv: FieldValue | None, policy: Policy | None, query: str) -> Iterator[Evidence]:
    host = host.strip("[]").lower().rstrip(".")
    if not host or "$" in host or "{" in host or find_references(host):
        return
    if policy is not None and policy.production.hosts:
        glob = policy.production.host_is_prod(host)
        if glob is not None:
            yield Evidence(Environment.PROD, POLICY, f"host {host} matches policy host '{glob}'",
                           "policy", fv)
            return
    ip = _ip(host)
    if host in LOOPBACK_HOSTS or host.endswith(LOCAL_SUFFIXES) or (ip is not None and ip.is_loopback):
        yield Evidence(Environment.LOCAL, STRONG, f"host {host} is loopback/local", "host", fv)
        return
    provider = provider_host_evidence(host, fv)
    if provider is not None:
        yield provider
        return
    labels = host.split(".")
    if len(labels) > 1 and ip is None:
        found = word_environment(" ".join(labels[:-1]))  # the TLD (.dev, .test) is not a tier
        if found is not None:
            weight = MEDIUM if found[0] in (Environment.DEV, Environment.LOCAL) else STRONG
            yield Evidence(found[0], weight, f"host {host} has segment '{found[1]}'", "host", fv)
            return
    if host.endswith(MANAGED_SUFFIXES) or (host == "mcp.supabase.com" and "project_ref" in query):
        yield Evidence(Environment.UNKNOWN, MEDIUM, f"host {host} is a managed cloud host with no "
                       "environment marker (possibly production)", "host", fv, remote=True)
    elif host.endswith(INTERNAL_SUFFIXES):
        yield Evidence(Environment.UNKNOWN, WEAK, f"host {host} is an internal company host", "host", fv,
                       remote=True)


def _named(name: str, text: str, fv: FieldValue | None, policy: Policy | None, where: str,
           memo: _Memo | None) -> Iterable[Evidence]:
    """NAME=value pairs (env vars, headers, docker -e, KEY=VALUE args)."""
    return _memoised(memo, ("named", name, text, where), fv,
                     lambda bound: _named_raw(name, text, bound, policy, where, memo))


# Every tail _named_raw reads, in one search: a segment is a lower-cased run of the name's ASCII
# letters and digits, so a tail among the segments is a piece of the lower-cased name.
_TAIL_HINT = re.compile("|".join(sorted(_SELECTOR_TAILS | _HOST_TAILS | _TARGET_TAILS)))


def _named_raw(name: str, text: str, fv: FieldValue | None, policy: Policy | None, where: str,
               memo: _Memo | None) -> Iterator[Evidence]:
    glob = policy.production.env_glob(name, text) if policy is not None and policy.production.env else None
    if glob is not None:
        # The policy's glob, not the value: a glob such as `*` matches a credential's value too.
        yield Evidence(Environment.PROD, POLICY, f"{where} {name} matches policy production.env "
                       f"{name}: '{glob}'", "policy", fv)
        return
    if "://" in text:
        yield from _url(text, fv, policy, memo)
        yield from _name_evidence(name, fv, where)
        return
    text = strip_references(text).strip()
    if not text:
        return  # a pure reference (`${APP_ENV}`) says nothing about the environment
    lowered = name.lower()
    if lowered in RUNTIME_MODE_NAMES:
        return  # a runtime mode (NODE_ENV), not the tier of anything the server reaches
    if lowered in TAG_LISTS:
        yield from _tag_evidence(name, text, fv, where)
        return
    # (splitting the name is the costly part; most names hold none of the tails read below)
    if lowered in _SELECTOR_NAMES or _TAIL_HINT.search(lowered) is not None:
        segs = segments(name)
        tail = segs[-1] if segs else ""
    else:
        segs, tail = [], ""
    if tail in _SELECTOR_TAILS or lowered in _SELECTOR_NAMES:
        hit = word_environment(text, selector=True)
        if hit is not None and len(text) <= 64:
            provider = len(segs) > 1 and segs[0] in PROVIDER_SELECTOR_PREFIXES
            kind = "provider-selector" if provider else "selector"
            yield Evidence(hit[0], STRONG, f"{where} {name}={text}", kind, fv)
        return
    if tail in _HOST_TAILS and len(text) <= 253 and " " not in text.strip():
        yield from _host(text.split("/")[0], fv, policy, "", memo)
        return
    if lowered in KUBECONFIG_NAMES:
        yield from kubeconfig_evidence(f"{where} {name}={text}", text, fv)
        return
    if tail in _TARGET_TAILS and len(text) <= 128:
        hit = word_environment(text)
        if hit is not None:
            yield Evidence(hit[0], MEDIUM, f"{where} {name}={text} has segment '{hit[1]}'", "target", fv)
        return
    switch = text.lower()
    if switch in _SWITCH_VALUES:
        # PRODUCTION=true / SANDBOX=true (Square's MCP server) switch to the tier the name spells;
        # PRODUCTION=false switches away from it and is no evidence at all.
        hit = word_environment(name)
        if hit is not None and switch in _SWITCH_ON:
            yield Evidence(hit[0], MEDIUM, f"{where} {name}={text} switches to '{hit[1]}'", "name", fv)
        return
    yield from _name_evidence(name, fv, where)


def _tag_evidence(name: str, text: str, fv: FieldValue | None, where: str) -> Iterator[Evidence]:
    """The environment tag of a telemetry tag list (`deployment.environment=production,…`,
    `env:prod team:x`): a selector, as DD_ENV / SENTRY_ENVIRONMENT are."""
    separators, pair, keys = TAG_LISTS[name.lower()]
    for item in re.split(f"[{re.escape(separators)}]+", text[:1024]):
        key, eq, value = item.partition(pair)
        hit = word_environment(value.strip(), selector=True) if eq and key.strip().lower() in keys else None
        if hit is not None and len(value) <= 64:
            yield Evidence(hit[0], STRONG, f"{where} {name} tag {key.strip()}{pair}{value.strip()}",
                           "selector", fv)
            return


_SWITCH_ON = frozenset({"true", "1", "yes", "on"})
_SWITCH_VALUES = _SWITCH_ON | {"false", "0", "no", "off"}


def _name_evidence(name: str, fv: FieldValue | None, where: str) -> Iterator[Evidence]:
    # PROD_DATABASE_URL / STAGING_API_KEY: the variable name says which tier the value belongs to.
    hit = word_environment(name)
    if hit is not None and hit[0] in (Environment.PROD, Environment.STAGING):
        yield Evidence(hit[0], MEDIUM, f"{where} name {name} has segment '{hit[1]}'", "name", fv)


_VALUE_FLAGS = (_ENV_PAIR_FLAGS | SELECTOR_FLAGS | TARGET_FLAGS | HOST_FLAGS | KUBECONFIG_FLAGS
                | ENV_FILE_FLAGS)


def _args_evidence(args: Sequence[FieldValue], policy: Policy | None,
                   memo: _Memo | None) -> Iterator[Evidence]:
    count = len(args)
    for index, arg in enumerate(args):
        text = arg.text
        if text.startswith("-"):
            flag, eq, inline = text.partition("=")
            lowered = flag.lower()
            if lowered not in _VALUE_FLAGS:
                continue  # a flag none of the branches below reads
            nxt = args[index + 1] if index + 1 < count else None
            value_fv = arg if eq else nxt
            value = inline if eq else (nxt.text if nxt is not None and not nxt.text.startswith("-") else None)
            if value is None or find_references(value):
                continue
            name, is_pair, env_value = value.partition("=")
            if lowered in _ENV_PAIR_FLAGS and value_fv is not None and is_pair and ENV_NAME.fullmatch(name):
                # docker `-e NAME=value` / `--env NAME=value`: an env var, not an environment name
                yield from _rebound(_named(name, env_value, None, policy, "env", memo), value_fv, env_value)
            elif lowered in SELECTOR_FLAGS:
                hit = word_environment(value, selector=True)
                if hit is not None:
                    yield Evidence(hit[0], STRONG, f"argument {flag} {value}", "selector", value_fv)
            elif lowered in TARGET_FLAGS:
                hit = word_environment(value)
                if hit is not None:
                    yield Evidence(hit[0], MEDIUM, f"argument {flag} {value} has segment '{hit[1]}'",
                                   "target", value_fv)
            elif lowered in ENV_FILE_FLAGS:
                yield from settings_file_evidence(f"argument {flag} {value}", value, value_fv)
            elif lowered in KUBECONFIG_FLAGS:
                yield from kubeconfig_evidence(f"argument {flag} {value}", value, value_fv)
            elif lowered in HOST_FLAGS and "://" not in value:
                yield from _host(_strip_port(value.split("/")[0]), value_fv, policy, "", memo)
            continue
        if "://" in text:
            yield from _url(text, arg, policy, memo)
            continue
        if "=" not in text:
            continue
        flag, eq, inline = text.partition("=")
        if ENV_NAME.fullmatch(flag) and (index == 0 or args[index - 1].text not in _ENV_PAIR_FLAGS):
            yield from _rebound(_named(flag, inline, None, policy, "env", memo), arg, inline)


def _rebound(found: Iterable[Evidence], fv: FieldValue, text: str) -> Iterator[Evidence]:
    """Evidence of a `NAME=value` piece, pointing at the piece (its value FieldValue made only when
    there is evidence to point from)."""
    piece: FieldValue | None = None
    for item in found:
        if piece is None:
            piece = _with_text(fv, text)
        yield Evidence(item.environment, item.weight, item.text, item.kind, piece, item.remote)


def _with_text(fv: FieldValue, text: str) -> FieldValue:
    return FieldValue(fv.field, text, fv.location, fv.end_line, fv.end_column, fv.key, fv.is_reference,
                      fv.quoted)


def _strip_port(hostport: str) -> str:
    hostport = hostport.strip()
    if hostport.startswith("["):
        return hostport[1:hostport.find("]")] if "]" in hostport else ""
    return hostport.split(":")[0] if hostport.count(":") == 1 else hostport


# Every string ipaddress.ip_address accepts has a ':' (IPv6) or is ASCII digits and dots (IPv4).
_MAYBE_IP = re.compile(r"[0-9.]+|.*:.*", re.S)


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not _MAYBE_IP.fullmatch(host):
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None
