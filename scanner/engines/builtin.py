"""Built-in MCP-aware secret engine: walks every parsed value of every server and file, plus the
comments of the raw text, and turns analysis hits into SecretMatches with placement facts."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from scanner.detail_budget import DetailBudget
from scanner.engines.analyze import Hit, analyze, analyze_argv, analyze_header_line
from scanner.engines.decode import comment_spans
from scanner.engines.engine import SecretMatch
from scanner.engines.filters import is_sensitive_name, name_parts
from scanner.engines.shellvars import expand_vars, expanded_script_hits
from scanner.engines.unjudged import unjudged_matches
from scanner.hosts import forwards_a_port, names_remote_host, password_host_is_loopback, remote_database_url
from scanner.model import FieldValue, FileFormat, Location, McpConfig, ServerEntry, Severity
from scanner.names import ENV_NAME

# Fields whose values are env var NAMES, never secrets (Codex, Goose, Cursor/VS Code).
_NAMES_ONLY = ("bearer_token_env_var", "env_vars", "env_http_headers", "env_keys", "envFile", "env_file")
_URL_FIELDS = frozenset({"url", "serverUrl", "httpUrl", "uri", "sseUrl", "endpoint"})
_ENV_PREFIXES = ("env.", "environment.", "envs.", "env[")
# A key is the rest of a run of name characters from its first letter: the lookbehind starts a
# match only at the start of a run and the possessive quantifiers never give characters back, so
# each character is examined a bounded number of times (the old form retried every suffix of a long
# word and backtracked through each: a 20 KB comment word took 42 s).
_COMMENT_KV = re.compile(
    r"""(?<![\w.-])["']?(?:(?![A-Za-z_])[\w.-])*+([A-Za-z_][\w.-]*+)["']?\s*+[:=]\s*+"""
    r"""(?:"([^"\n]*+)"|'([^'\n]*+)'|([^\s,"'{}\[\]]+))(?!\s*[:=])""")


class BuiltinEngine:
    """MCP-aware detector: placements, provider shapes, decoders and the generic name rule."""

    name = "builtin"

    def detect(self, configs: Sequence[McpConfig], sources: dict[str, bytes],
               budget: DetailBudget | None = None) -> list[SecretMatch]:
        """Find secrets in parsed values and in comments of each config's raw text; with a `budget`,
        each pass stops analysing a file's items past its cut-off (scanner/detail_budget.py)."""
        budget = budget if budget is not None else DetailBudget(0)
        matches: list[SecretMatch] = []
        for config in configs:
            budget.start(config.path)
            raw = sources.get(config.path)
            text = raw.decode("utf-8", "replace").removeprefix("\ufeff") if raw is not None else ""
            found = list(_scan_config(config, text, budget))
            # tokens used as names, later YAML documents
            found += unjudged_matches(config, text, found, budget)
            matches.extend(found)
        return confirm_short_passwords(pair_aws(dedupe(matches)))


def _scan_config(config: McpConfig, text: str, budget: DetailBudget) -> Iterator[SecretMatch]:
    for server in config.servers:
        tunnel: bool | None = None
        for fv, hit, placement in _server_hits(server, budget):
            budget.found(_VALUES, fv.location.path)
            hit = _local_database(server.env, fv, hit, server.values)
            if ("loopback", "true") in hit.facts:  # a loopback port a tunnel of the server leads away
                if tunnel is None:
                    command = (server.command,) if server.command is not None else ()
                    tunnel = forwards_a_port(v.text for v in (*command, *server.args))
                hit = _tunnelled(hit) if tunnel else hit
            yield _match(config, server, fv, hit, placement, fv.location)
    for fv in (*config.file_values, *config.extra_values):
        if not budget.admit(_VALUES, fv.location):
            continue
        names_field = fv.field.split(".", 1)[0].split("[", 1)[0]
        if names_field in _NAMES_ONLY or fv.key in _NAMES_ONLY or names_env_var(fv.key):
            for hit in _names_field_hits(fv, names_field if names_field in _NAMES_ONLY else fv.key):
                budget.found(_VALUES, fv.location.path)
                yield _match(config, None, fv, hit, "file", fv.location)
            continue
        if config.format is FileFormat.DOTENV:
            placement, kind = "dotenv", "env"
        elif fv.field.startswith("permissions.") or fv.key == "command":
            # a command the client runs (permission rules, Claude Code hooks and status line): its
            # words are read as the shell reads them (flags, headers, assignments, positional tokens)
            placement, kind = "command", "command"
        else:
            placement, kind = placement_of(fv.field)
            placement = "file" if placement == "file" else placement
        # opencode's `permission` maps (top level or an agent's) are keyed by tool or command pattern
        # (`"pwd": "allow"`, `"git push *": "ask"`): the key names a command, not a credential.
        name = None if _PERMISSION_MAP.search(fv.field) else fv.key
        text = permission_command(fv.text) if placement == "command" else fv.text
        for hit in analyze(text, name, kind):
            budget.found(_VALUES, fv.location.path)
            if placement == "dotenv":  # the file's own host settings, as a server's env has them
                hit = _local_database(config.file_values, fv, hit, config.file_values)
            yield _match(config, None, fv, hit, placement, fv.location)
    if config.format is FileFormat.DOTENV:
        for fv, hit in _expanded_dotenv(config, budget):
            budget.found(_VALUES, fv.location.path)
            yield _match(config, None, fv, hit, "dotenv", fv.location)
    # A file that did not parse has its comment lines in the line search already.
    if text and config.format is not FileFormat.DOTENV and config.parse_error is None:
        yield from _scan_comments(config, text, budget)


# The budget's stages (scanner/detail_budget.py): each stops after the limit of hits in a file.
_VALUES = "values"
_COMMENTS = "comments"


def _tunnelled(hit: Hit) -> Hit:
    """A loopback hit whose server forwards a local port to another machine: as severe as the same
    password for that machine."""
    severity = Severity.CRITICAL if hit.secret_type == "db-password" else Severity.HIGH
    facts = tuple(fact for fact in hit.facts if fact != ("loopback", "true")) + (("tunnel", "true"),)
    return replace(hit, severity=max(severity, hit.severity), facts=facts,
                   description=hit.description + " (its loopback port is a tunnel the server starts)")


def _local_database(settings: Sequence[FieldValue], fv: FieldValue, hit: Hit,
                    around: Sequence[FieldValue]) -> Hit:
    """A password setting whose own host settings all name the developer's machine (`ORACLE_HOST=
    localhost` next to `ORACLE_PASSWORD`, in a server's env or in one dotenv file) is low, as the
    same password in a loopback connection string is: it opens a database on this machine only.
    Not when a database URL of `around` (the server's values, the dotenv file) reaches another host
    (libpq sends PGPASSWORD to the host of `postgresql://user@db01.example.com/db`, PGHOST is only
    its default), nor when any other host setting or host flag there names another machine."""
    if hit.secret_type != "password" or hit.severity < Severity.HIGH or not fv.key \
            or not any(fv is value for value in settings):
        return hit
    if not password_host_is_loopback(fv.key, ((v.key or "", v.text) for v in settings)):
        return hit
    if any(remote_database_url(value.text) for value in around) or names_remote_host(
            ((value.key, value.text) for value in around if value.key and value is not fv),
            [value.text for value in around if value.field.startswith("args[")]):
        return hit
    return replace(hit, severity=Severity.LOW, facts=(*hit.facts, ("loopback", "true")),
                   description="Password of a database on the developer's machine (its host is loopback)")


def _server_hits(server: ServerEntry, budget: DetailBudget) -> Iterator[tuple[FieldValue, Hit, str]]:
    # A value is read once, known by its field and place: a key written twice (`"API_KEY"` in one
    # object twice: JSON.parse keeps the last one) is two values, both searched.
    seen: set[tuple[str, int, int]] = set()
    command_items = tuple(v for v in server.values if v.field.startswith("command["))
    for items, placement in ((command_items, "command"), (server.args, "args")):
        if not items:
            continue
        seen.update((v.field, v.location.line, v.location.column) for v in items)
        if budget.limit > 0 and not budget.admit(_VALUES, min(
                (v.location for v in items), key=lambda loc: (loc.line, loc.column))):
            continue  # one argv, read as a whole (a flag's value is the next item)
        context = (server.command.text,) if server.command is not None and placement == "args" else ()
        for index, hit in analyze_argv([v.text for v in items], context=context):
            yield items[index], hit, placement
    extra = (server.command, server.url, *server.env, *server.headers)
    for fv in (*server.values, *(v for v in extra if v is not None)):
        place = (fv.field, fv.location.line, fv.location.column)
        if place in seen:
            continue
        seen.add(place)
        if not budget.admit(_VALUES, fv.location):
            continue
        skip, placement, kind = _field_reading(fv.field)
        if skip:
            head = fv.field.split(".", 1)[0].split("[", 1)[0]
            if head in _NAMES_ONLY:
                yield from ((fv, hit, placement) for hit in _names_field_hits(fv, head, kind))
            continue
        if names_env_var(fv.key) and not fv.field.startswith(_ENV_PREFIXES):
            yield from ((fv, hit, placement) for hit in _names_field_hits(fv, fv.key, kind))
            continue
        for hit in analyze(fv.text, fv.key, kind):
            yield fv, hit, placement
        if fv.key in _CODE_KEYS:
            yield from ((fv, hit, placement) for hit in _code_pair_hits(fv.text))
    yield from _expanded_headers(server, budget)
    yield from _expanded_scripts(server, budget)


# Values that are source code the client runs to start the server: smithery.yaml's `commandFunction`
# (JavaScript returning `{command, args, env}`): its `KEY: 'literal'` pairs are values under KEY.
_CODE_KEYS = frozenset({"commandFunction"})


def _code_pair_hits(code: str) -> list[Hit]:
    """Hits of the string literals of each `name: <expression>` / `name = <expression>` of a piece
    of code (`KEY: 'x'`, `KEY: config.key || 'x'`), each judged under its name; a hit of the code as
    a whole is reported by the caller."""
    hits: list[Hit] = []
    claimed: set[str] = set()
    for pair in _CODE_PAIR.finditer(code):
        for literal in _CODE_STRING.finditer(pair.group(2)):
            value = next(group for group in literal.groups() if group is not None)
            for hit in analyze(value, pair.group(1), "env"):
                if hit.value not in claimed:
                    claimed.add(hit.value)
                    hits.append(hit)
    return hits


# `name: expression` up to the next `,` `;` bracket or line end, and the string literals in one.
_CODE_PAIR = re.compile(r"""["']?([A-Za-z_$][\w$]*+)["']?[ \t]*+[:=](?!=)[ \t]*+([^,;{}()\[\]\n]*+)""")
_CODE_STRING = re.compile(r"""'([^'\n]*)'|"([^"\n]*)"|`([^`$]*)`""")


def _expanded_scripts(server: ServerEntry, budget: DetailBudget) -> Iterator[tuple[FieldValue, Hit, str]]:
    """A shell launcher's script (`sh -c "A=…; B=…; TOKEN=$A$B exec npx …"`, the command string
    itself or an argument) with its variables expanded, the entry's `env` included (engines/shellvars.py)."""
    items = [v for v in (server.command, *server.args) if v is not None and "$" in v.text]
    if not items:
        return
    literal = [fv for fv in server.env if fv.key and not fv.is_reference]
    env = {fv.key: fv.text for fv in literal if fv.key}

    def env_reports(value: str) -> bool:  # an env entry holding the value finds it by itself
        return any(value in fv.text and _reported_where_written(fv, value) for fv in literal)

    for fv in items:
        if len(fv.text.split(maxsplit=1)) < 2:
            continue  # one word: no script
        if not budget.admit(_VALUES, fv.location):
            continue
        for hit in expanded_script_hits(fv.text, env, _script_argv, env_reports):
            yield fv, hit, "command" if fv is server.command else "args"


def _script_argv(words: Sequence[str]) -> list[tuple[int, Hit]]:
    return analyze_argv(words, 1, positional=True)


# Claude Code permission rules (`permissions.allow` of settings(.local).json): `Bash(<command>)`, a
# trailing `:*` marking a prefix rule (`Bash(npm run test:*)`).
_SHELL_RULE = re.compile(r"^\s*(?:Bash|Shell|PowerShell)\((.*)\)\s*$", re.S)


def permission_command(text: str) -> str:
    """The command of a `Bash(...)` permission rule (the rule text itself otherwise): the tool
    wrapper glued `Bash(` to the first word (`Bash(PGPASSWORD=… psql`) and `)` / `:*` to the last."""
    found = _SHELL_RULE.match(text)
    if found is None:
        return text
    command = found.group(1).strip()
    return command[:-2].rstrip() if command.endswith(":*") else command


_DOLLAR_BRACE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# A field path inside a permission map: `permission.bash.pwd`, `agent.build.permission.edit`.
_PERMISSION_MAP = re.compile(r"(?:^|\.)permission\.")


def _expanded_headers(server: ServerEntry, budget: DetailBudget) -> Iterator[tuple[FieldValue, Hit, str]]:
    """mcp-remote's `--header` values as it sends them: it expands `${NAME}` from its own
    environment, which the entry's `env` sets, so `Authorization:Bearer ${A}${B}` with the token
    split over `A` and `B` (names that say nothing) is the whole token in one header."""
    items = [v for v in (server.command, *server.args) if v is not None]
    if not server.env or not any("mcp-remote" in v.text for v in items):
        return
    env = {fv.key: fv.text for fv in server.env if fv.key and not fv.is_reference}
    by_text = {fv.text: fv for fv in server.env if fv.key and not fv.is_reference}
    for index, fv in enumerate(items):
        if fv.text.startswith("--header="):
            header = fv.text[len("--header="):]
        elif index > 0 and items[index - 1].text == "--header":
            header = fv.text
        else:
            continue
        if "${" not in header:
            continue
        expanded = _DOLLAR_BRACE.sub(lambda ref: env.get(ref.group(1), ref.group(0)), header)
        if expanded != header and budget.admit(_VALUES, fv.location):
            for hit in analyze_header_line(expanded):
                if _reported_where_written(by_text.get(hit.value), hit.value):
                    continue  # one variable's whole value: its own env finding reports it, once
                yield fv, hit, "args"


def _reported_where_written(source: FieldValue | None, value: str) -> bool:
    """Whether the env entry `source`, whose text is (or holds) `value`, is itself a finding of it."""
    if source is None:
        return False
    kind = _field_reading(source.field)[2]
    return any(hit.value == value for hit in analyze(source.text, source.key, kind))


def _expanded_dotenv(config: McpConfig, budget: DetailBudget) -> Iterator[tuple[FieldValue, Hit]]:
    """Values of a dotenv file that reference the file's own earlier variables, as the loaders that
    expand them (python-dotenv, docker compose, dotenv-cli/dotenvx) send them: `TOKEN=${A}${B}`
    with the token split over `A` and `B` (names that say nothing) is the whole token."""
    defined: dict[str, str] = {}
    written: dict[str, FieldValue] = {}  # earlier variables by their literal text
    for fv in config.file_values:
        if fv.key is None:
            continue
        text = fv.text
        if "$" in text and defined:
            expanded = expand_vars(text, defined)
            if expanded is not None and budget.admit(_VALUES, fv.location):
                for hit in analyze(expanded, fv.key, "env"):
                    # `TOKEN=${A}` with A's own literal a finding: reported once, where it is written.
                    source = written.get(hit.value)
                    if hit.value not in text and not _reported_where_written(source, hit.value):
                        yield fv, hit
                text = expanded
        else:
            written.setdefault(text, fv)
        defined[fv.key] = text


# What a names-only field holds when it is used as intended: an upper-case variable name.
_UPPER_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_CREDENTIAL_WORDS = frozenset({"KEY", "TOKEN", "SECRET", "PASSWORD", "PASS", "PAT", "AUTH", "CREDENTIAL"})
_ENV_NAME_ENDINGS = frozenset({"VAR", "VARIABLE", "NAME"})


def names_env_var(key: str | None) -> bool:
    """A key whose value is the NAME of the variable holding a credential, in tools' own config
    shapes: `api_key_env`, `apiKeyEnv`, `token_env_var`, `secret_env_name` (as Codex's
    `bearer_token_env_var`). `NODE_ENV` / `APP_ENV` name an environment, not a variable: no credential
    word before `ENV`."""
    if not key:
        return False
    if key.isascii() and "env" not in key.lower():
        return False  # no part is ENV (the parts of an ASCII name are runs of its own characters)
    parts = name_parts(key)
    if len(parts) >= 3 and parts[-2] == "ENV" and parts[-1] in _ENV_NAME_ENDINGS:
        parts = parts[:-1]
    return len(parts) >= 2 and parts[-1] == "ENV" and parts[-2] in _CREDENTIAL_WORDS


def _names_field_hits(fv: FieldValue, names_field: str | None, kind: str = "field") -> list[Hit]:
    """A names-only field holding something else: a token pasted where its variable's NAME belongs
    (`bearer_token_env_var = "ghp_…"`, `env_keys: [sk-…]`) is a literal secret in the file.

    An upper-case name still gets the provider shapes (a token can be a valid identifier); any other
    value is judged as a credential, except in a path field (envFile), where only shapes count."""
    text = fv.text.strip()  # these fields are marked references (names): judged here all the same
    if not text:
        return []
    if _UPPER_NAME.fullmatch(text) or names_field in ("envFile", "env_file"):
        return analyze(text, None, kind)
    return analyze(text, "token", kind)


def _field_reading(field_name: str) -> tuple[bool, str, str]:
    """(skip, placement, analysis kind) of a server field path: argv items are read as one argv,
    and name-only fields hold env var names. Field paths repeat across servers, hence the cache;
    an `env.NAME` path (distinct per key in a big env map, so a cache miss each) is read directly."""
    if field_name.startswith("env.") and not field_name.endswith(".url"):
        return _ENV_READING  # what placement_of gives for it ("env" is not a names-only field)
    return _cached_reading(field_name)


_ENV_READING = (False, "env", "env")


@functools.lru_cache(maxsize=4096)
def _cached_reading(field_name: str) -> tuple[bool, str, str]:
    skip = field_name.startswith("args[") or field_name.split(".", 1)[0].split("[", 1)[0] in _NAMES_ONLY
    return (skip, *placement_of(field_name))


def placement_of(field_name: str) -> tuple[str, str]:
    """(placement fact, analysis kind) for a field path."""
    if field_name == "command" or field_name.startswith("command["):
        return "command", "command"
    if field_name.startswith("args["):
        return "args", "arg"
    if field_name in _URL_FIELDS or field_name.endswith(".url"):
        return "url", "url"
    if field_name.startswith(_ENV_PREFIXES):
        return "env", "env"
    if "header" in field_name.lower() or field_name == "bearer_token":
        return "header", "header"
    return "file", "field"


def _scan_comments(config: McpConfig, text: str, budget: DetailBudget) -> Iterator[SecretMatch]:
    for line, column, comment in comment_spans(text, config.format):
        if budget.limit > 0 and not budget.admit_at(_COMMENTS, config.path, line, column):
            continue
        hits: list[Hit] = []
        claimed: set[str] = set()
        # Key/value pairs first, so a hit keeps the name it sat under (`"API_KEY": "..."`).
        pairs = [(kv.group(1), next((g for g in kv.group(2, 3, 4) if g is not None), ""))
                 for kv in _COMMENT_KV.finditer(comment)]
        for name, value in (*pairs, (None, comment)):
            for hit in analyze(value, name, "env" if name else "comment"):
                if hit.value not in claimed:
                    claimed.add(hit.value)
                    hits.append(hit)
        for hit in hits:
            offset = comment.find(hit.value)
            location = Location(config.path, line, column + max(offset, 0))
            budget.found(_COMMENTS, config.path)
            yield _match(config, None, None, hit, "comment", location, field_name=f"comment:{line}")


def _match(config: McpConfig, server: ServerEntry | None, fv: FieldValue | None, hit: Hit,
           placement: str, location: Location, field_name: str | None = None) -> SecretMatch:
    facts = [*hit.facts, ("placement", placement)]
    env_name = suggest_env_name(server.name if server else None, hit, fv, placement)
    if env_name:
        facts.append(("env_name", env_name))
    return SecretMatch(
        secret_type=hit.secret_type, value=hit.value, config=config, server=server, fv=fv,
        field_name=field_name or (fv.field if fv is not None else "file"), location=location,
        severity=hit.severity, redacted=hit.redacted, provider=hit.provider, description=hit.description,
        engine="builtin", facts=tuple(facts))




def suggest_env_name(server_name: str | None, hit: Hit, fv: FieldValue | None, placement: str) -> str:
    """Env var name a fix should move the secret into: the env key itself, or `<SERVER>_<FLAG>`."""
    key = fv.key if fv is not None else None
    if key and hit.name == key and placement in ("env", "dotenv") and ENV_NAME.fullmatch(key):
        return key  # what _suggested gives for a value under its own env key
    return _suggested(server_name, hit, fv, placement)


def _suggested(server_name: str | None, hit: Hit, fv: FieldValue | None, placement: str) -> str:
    """suggest_env_name without its shortcut (the general rule; the shortcut's test oracle)."""
    named = hit.name if hit.name and is_sensitive_name(hit.name) else None
    if named and ENV_NAME.fullmatch(named) and named.upper() == named and "_" in named:
        return named
    if placement in ("env", "dotenv") and fv is not None and fv.key and ENV_NAME.fullmatch(fv.key):
        return fv.key
    server = "_".join(name_parts(server_name)) if server_name else ""
    if hit.secret_type == "db-password":
        base = "DATABASE_URL"
    elif named:
        parts = [p for p in name_parts(named) if p != "X"]
        base = "TOKEN" if not parts or parts[-1] in {"AUTHORIZATION", "BEARER"} else "_".join(parts)
    else:
        base = "API_KEY" if hit.provider not in ("generic", "url", "jwt") else "TOKEN"
    if server and not base.startswith(server):
        return f"{server}_{base}"
    return base


_SPECIFICITY = {"generic-secret": 0, "password": 0, "bearer-token": 1, "url-query-secret": 1,
                "connection-string-secret": 1}


def dedupe(matches: Sequence[SecretMatch]) -> list[SecretMatch]:
    """One match per (file, server, field, value): the most specific, then the most severe."""
    best: dict[tuple[str, str, str, str], SecretMatch] = {}
    order: list[tuple[str, str, str, str]] = []
    for match in matches:
        key = (match.config.path, match.server.name if match.server else "", match.field_name, match.hash)
        current = best.get(key)
        if current is None:
            order.append(key)
            best[key] = match
        elif _rank(match) > _rank(current):
            best[key] = match
    return [best[key] for key in order]


def _rank(match: SecretMatch) -> tuple[int, int]:
    return (_SPECIFICITY.get(match.secret_type, 2), int(match.severity))


def pair_aws(matches: list[SecretMatch]) -> list[SecretMatch]:
    """AWS key id + secret key in one server are one credential: keep one finding, at the secret."""
    secrets = {(m.config.path, m.server.name) for m in matches
               if m.server is not None and (m.secret_type == "aws-secret-access-key"
                                            or _is_aws_secret_name(m))}
    out: list[SecretMatch] = []
    for match in matches:
        if (match.secret_type == "aws-access-key-id" and match.server is not None
                and (match.config.path, match.server.name) in secrets):
            continue
        out.append(match)
    return out


def confirm_short_passwords(matches: list[SecretMatch]) -> list[SecretMatch]:
    """A short password is LOW on its own (weak if real); when the same value is a blocking
    credential elsewhere in the file (the password of `SUPABASE_DB_URL` next to
    `SUPABASE_DB_PASSWORD`), it is that credential, so every place gets the same severity."""
    strong: dict[tuple[str, str], Severity] = {}
    for match in matches:
        if match.severity >= Severity.HIGH:
            key = (match.config.path, match.hash)
            strong[key] = max(strong.get(key, match.severity), match.severity)
    if not strong:
        return matches
    out: list[SecretMatch] = []
    for match in matches:
        severity = strong.get((match.config.path, match.hash))
        if severity is not None and match.severity < severity and ("short", "true") in match.facts:
            match = replace(match, severity=severity,
                            description="Password (also the password of a credential elsewhere in this file)")
        out.append(match)
    return out


def _is_aws_secret_name(match: SecretMatch) -> bool:
    name = match.fact("env_name") or ""
    return "SECRET_ACCESS_KEY" in name.upper() and match.severity >= Severity.HIGH
