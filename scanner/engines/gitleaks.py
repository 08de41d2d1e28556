"""gitleaks adapter: one `gitleaks dir` run per scan over private copies of the config files, JSON
report parsed as untrusted data and mapped back onto parsed fields. Output is never logged.

Staging, measured on the bench (500 configs, 2 cores): writing the copies from memory to tmpfs
costs ~0.05 s, against ~0.3-0.5 s for gitleaks' own start and ~1 s for its scan, so the copy stays
(hard links would share repository inodes, cannot cross into tmpfs and do not carry the UTF-8
re-encoding or in-memory git-ref content; `gitleaks stdin` takes one blob without paths, so path
allowlists and per-file line numbers would be lost, and it started slower here). What saves time
is starting gitleaks early (`GitleaksEngine.start`) so that its start overlaps the built-in work,
and for a large repository before the scanner is even imported (`GitleaksRun.launch`, then `feed`;
the process, its private copy and its report are scanner/engines/gitleaks_run.py): its ~0.3-0.5 s
of start-up then runs beside the imports and the listing instead of after them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from scanner.engines.analyze import Hit, uri_hit
from scanner.engines.builtin import placement_of, suggest_env_name
from scanner.engines.decode import comment_spans, jwt_payload, uri_credentials
from scanner.engines.engine import SecretMatch
from scanner.engines.examples import is_documented_non_secret
from scanner.engines.filters import is_not_a_secret, name_parts
from scanner.engines.gitleaks_run import GitleaksRun, find_gitleaks
from scanner.errors import EngineUnavailable
from scanner.findings import redact
from scanner.model import FieldValue, FileFormat, Location, McpConfig, ServerEntry, Severity
from scanner.providers.patterns import PATTERNS
from scanner.references import find_references

__all__ = ["GitleaksEngine", "GitleaksRun", "find_gitleaks"]  # the run lives in gitleaks_run

_RULE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")


class GitleaksEngine:
    """Runs gitleaks once over private copies of the configs and converts its report.

    `start(sources)` launches the process early (its start-up, ~0.3 s of Go initialisation, then
    overlaps the built-in engines); `detect(configs, sources, started)` uses that run when it saw
    exactly the bytes of every config, else runs gitleaks anew.
    """

    name = "gitleaks"

    def __init__(self, binary: str | None, timeout: int = 120) -> None:
        self.binary = binary
        self.timeout = timeout

    def start(self, sources: Mapping[str, bytes]) -> GitleaksRun:
        """gitleaks started now over private copies of `sources` (raises EngineUnavailable /
        EngineError). The caller ends it: `detect(..., started=run)` or `run.close()`."""
        if not self.binary or not Path(self.binary).is_file():
            raise EngineUnavailable("gitleaks binary not found")
        return GitleaksRun(self.binary, dict(sources), self.timeout)

    def detect(self, configs: Sequence[McpConfig], sources: dict[str, bytes],
               started: GitleaksRun | None = None) -> list[SecretMatch]:
        """Scan the configs' raw text with gitleaks; raises EngineUnavailable / EngineError."""
        runs: list[GitleaksRun] = []
        try:
            files = {c.path: sources[c.path] for c in configs if c.path in sources}
            if not files:
                return []
            # The configs the started run missed (referenced files, unknown names found by their
            # content after it was fed) get a second run of their own instead of a rerun of all.
            rest = files if started is None else {
                rel: data for rel, data in files.items() if started.files.get(rel) != data}
            if started is not None and len(rest) < len(files):
                runs.append(started)
            if rest:
                runs.append(self.start(rest))
            reports = [(run.records(), run.staged) for run in runs]
        finally:
            for run in runs:
                run.close()
            if started is not None:
                started.close()  # unused (it missed every config) or done: never left running
        by_path = {c.path: c for c in configs}
        matches: list[SecretMatch] = []
        for records, staged in reports:
            for record in records:
                match = _convert(record, by_path, files, staged)
                if match is not None:
                    matches.append(match)
        return matches


def _convert(record: dict[str, object], configs: dict[str, McpConfig], files: dict[str, bytes],
             staged: Mapping[str, str]) -> SecretMatch | None:
    path, line, secret, rule = (record.get("File"), record.get("StartLine"), record.get("Secret"),
                                record.get("RuleID"))
    if not (isinstance(path, str) and isinstance(line, int) and isinstance(secret, str)
            and isinstance(rule, str) and _RULE_ID.match(rule)):
        return None
    path = staged.get(path.removeprefix("./"), "")  # a path gitleaks was not given maps to nothing
    config = configs.get(path)
    if config is None or not secret.strip() or not _is_secret(secret, rule):
        return None
    text = files[path].decode("utf-8", "replace").removeprefix("\ufeff")
    lines = text.splitlines()
    line_text = lines[line - 1] if 0 < line <= len(lines) else ""
    hit = _uri_hit_for(secret, line_text) if "://" in line_text else _hit(secret, rule)
    if hit is None:
        return None
    server, fv = _locate(config, line, secret)
    if fv is not None and hit.secret_type == rule and _identifier_field(fv, secret):
        return None
    if fv is not None:
        placement = "dotenv" if config.format is FileFormat.DOTENV else placement_of(fv.field)[0]
        location, field_name = fv.location, fv.field
    else:
        comment_lines = {ln for ln, _c, _t in comment_spans(text, config.format)}
        placement = "comment" if line in comment_lines else "file"
        offset = line_text.find(secret)
        location = Location(path, line, offset + 1 if offset >= 0 else 1)
        field_name = f"comment:{line}" if placement == "comment" else f"line:{line}"
    facts = [("placement", placement), ("gitleaks_rule", rule)]
    env_name = suggest_env_name(server.name if server else None, hit, fv, placement)
    if env_name:
        facts.append(("env_name", env_name))
    return SecretMatch(secret_type=hit.secret_type, value=secret, config=config, server=server, fv=fv,
                       field_name=field_name, location=location, severity=hit.severity,
                       redacted=hit.redacted, provider=hit.provider, description=hit.description,
                       engine="gitleaks", facts=tuple(facts))


def _is_secret(secret: str, rule: str) -> bool:
    """The built-in filters, applied to gitleaks' secret too: references, placeholders, public keys."""
    if find_references(secret) or is_not_a_secret(secret) or is_documented_non_secret(secret):
        return False
    if any(p.public and p.regex.fullmatch(secret) for p in PATTERNS):
        return False
    if rule == "jwt" or secret.startswith("eyJ"):
        payload = jwt_payload(secret)
        if payload is not None and payload.get("role") == "anon":
            return False
    return True


def _identifier_field(fv: FieldValue, secret: str) -> bool:
    """The whole value of an `*_ID` / `*_IDS` field (`DISCORD_CLIENT_ID`, `AIRTABLE_BASE_ID`): gitleaks'
    keyword rules take the id written next to their keyword for the credential. Only called for a
    match with no token shape of ours (an `AWS_ACCESS_KEY_ID` AKIA value keeps its shape's hit)."""
    parts = name_parts(fv.key) if fv.key else []
    return bool(parts) and parts[-1] in ("ID", "IDS") and fv.text.strip() == secret


def _uri_hit_for(secret: str, line_text: str) -> Hit | None:
    """A URI password is judged like the built-in engine does (local default creds, placeholders
    are dropped; host kept in the redaction); any other secret gets its shape description."""
    for cred in uri_credentials(line_text):
        if cred.password == secret:
            return uri_hit(cred)
    return _hit(secret, "")


def _locate(config: McpConfig, line: int, secret: str) -> tuple[ServerEntry | None, FieldValue | None]:
    """The parsed value holding `secret` that starts closest above (or on) `line`, servers first."""
    best: tuple[int, ServerEntry | None, FieldValue | None] = (-1, None, None)
    owners: list[tuple[ServerEntry | None, tuple[FieldValue, ...]]] = [
        (server, (*server.values, *server.args, *server.env, *server.headers)) for server in config.servers]
    owners.append((None, (*config.file_values, *config.extra_values)))
    for server, values in owners:
        for fv in values:
            # Multi-line values: gitleaks' line may be a later line of the value.
            if fv.location.line <= line <= max(fv.end_line, fv.location.line) and secret in fv.text:
                if fv.location.line > best[0]:
                    best = (fv.location.line, server, fv)
    return best[1], best[2]


def _hit(secret: str, rule: str) -> Hit:
    """Describe gitleaks' secret with our own shape when one matches (severity, provider, prefix)."""
    for pattern in PATTERNS:
        if pattern.name is None and not pattern.public and pattern.regex.fullmatch(secret):
            facts = (("live", "true"),) if pattern.live else ()
            return Hit(secret, pattern.id, pattern.provider, pattern.severity, pattern.description,
                       redact(secret, pattern.prefix), None, facts)
    if rule == "mcpg-db-uri-password":
        return Hit(secret, "db-password", "database", Severity.CRITICAL,
                   "Database connection string with a password", redact(secret))
    provider = rule.split("-", 1)[0].lower()
    return Hit(secret, rule, provider if provider != "mcpg" else "generic", Severity.HIGH,
               f"Secret matched by gitleaks rule {rule}", redact(secret))
