"""Diff-mode scanning for the Action: head vs base by fingerprint, plus secrets left in the PR's history.

The base tree is rebuilt as "head with the changed paths put back to their base version", so the
whole head tree is still scanned (cross-environment reuse compares against every config).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from scanner.budget import DEADLINE_REASON, current_budget
from scanner.clients.discovery import classify_path, content_candidate
from scanner.findings import Finding, sort_key
from scanner.model import Category, SkippedFile
from scanner.pipeline import scan_files
from scanner.result import ScanOptions, ScanResult
from scanner.sources import gitrefs, submodules
from scanner.sources.worktree import in_skipped_dir

ReadFile = Callable[[str], bytes | None]
# A range with more commits than this touching MCP paths is not history-scanned: the scan is incomplete.
MAX_HISTORY_COMMITS = 2000


@dataclass(frozen=True)
class DiffInput:
    """What diff mode compares: the head tree, the changed paths, and how to read a base version."""

    head_files: Mapping[str, bytes]
    changed: Sequence[str]
    read_base: ReadFile
    git_range: tuple[str, str] | None = None  # (base, head) when both commits are local: enables history


@dataclass(frozen=True)
class DiffOutcome:
    result: ScanResult
    relevant_changes: tuple[str, ...]  # changed paths that are MCP configs or files they reference
    history_commits: int  # intermediate commits scanned for secrets removed again


def _relevant(changed: Sequence[str], *results: ScanResult) -> list[str]:
    scanned = {path for result in results for path in result.scanned_files}
    scanned |= {skipped.path for result in results for skipped in result.errors}
    return [path for path in changed if path in scanned or _named_config(path)]


def _named_config(path: str) -> bool:
    """A path discovery names a config by its name alone (a launcher's, `package.json`, counts only
    when its content is one: `unknown_names`)."""
    candidate = classify_path(path)
    return candidate is not None and not candidate.by_content


def scan_diff(data: DiffInput, options: ScanOptions, *, history_blocks: bool,
              head_result: ScanResult | None = None) -> DiffOutcome:
    """Findings at head whose fingerprint is not at base, plus history-only secrets of the range.

    `head_result`: the head tree's scan when the caller has it already (full mode on a PR)."""
    probe = unknown_names(data.changed)  # scanned when their content is an MCP config
    head = head_result if head_result is not None else scan_files(data.head_files, options, probe)
    changes = {path: data.read_base(path) for path in data.changed}
    base = scan_files(gitrefs.OverlayFiles(data.head_files, changes), options, probe)
    base_prints = {finding.fingerprint for finding in base.findings}
    new = [finding for finding in head.findings if finding.fingerprint not in base_prints]
    warnings = list(dict.fromkeys(head.warnings + base.warnings))
    history: list[Finding] = []
    commits = 0
    history_errors: list[SkippedFile] = []
    if data.git_range is not None:
        known = base_prints | {finding.fingerprint for finding in head.findings}
        history, commits, history_errors = _history(data.git_range, data.head_files, options, known,
                                                    head, base)
        if not history_blocks:
            history = [replace(finding, blocking=False) for finding in history]
    result = ScanResult(
        root=head.root, scanned_files=head.scanned_files,
        errors=sorted({(e.path, e.reason): e for e in head.errors + base.errors + history_errors}.values(),
                      key=lambda e: e.path),
        findings=sorted(new + history, key=sort_key), configs=head.configs, warnings=warnings,
        complete=head.complete and base.complete and not history_errors, suppressed=head.suppressed,
        suppressions=head.suppressions, engines=head.engines,
    )
    return DiffOutcome(result, tuple(_relevant(data.changed, head, base)), commits)


def unknown_names(paths: Iterable[str]) -> set[str]:
    """The paths of names discovery does not know that may hold an MCP config by content (JSON,
    YAML, TOML outside vendored trees), and launchers (`package.json`, `*.sh`, a Makefile: a config
    only by content too): `scan_files` scans those whose content is one."""
    found: set[str] = set()
    for path in paths:
        candidate = classify_path(path)
        if (candidate.by_content if candidate is not None else content_candidate(path) is not None) \
                and not in_skipped_dir(path):
            found.add(path)
    return found


def _history(git_range: tuple[str, str], head_files: Mapping[str, bytes], options: ScanOptions,
             known: set[str], *results: ScanResult) -> tuple[list[Finding], int, list[SkippedFile]]:
    """Secrets present in some intermediate commit of the range but neither at base nor at head.

    Every commit that touches an MCP path (merge commits against their parents) has its versions of
    the touched MCP paths scanned (identical file sets only once). More than MAX_HISTORY_COMMITS such
    commits makes the scan incomplete: a bound is never a silent "nothing to scan".
    """
    repo = options.root
    base, head = git_range
    log = gitrefs.commit_paths(repo, base, head)
    paths_of_log = {path for _sha, paths in log for path in paths}
    # A symlinked config changes with its target: scan it in the commits that touch the target.
    # The links of the base and of every commit that changes one count too (a folder link added
    # with a config under its target and removed again in the range).
    every = gitrefs.links_in_range(repo, base, head, paths_of_log)
    links = {path: target for found in reversed(every) for path, target in found.items()}  # head wins
    # A file a config reads (dotenv, `{file:}`, a plugin's servers file) is relevant even when it
    # exists in neither end of the range: added with a secret, then deleted again.
    referenced = _referenced_paths(results) & paths_of_log
    # A file of a name discovery does not know is a config when its content is one (`--mcp-config
    # tools/x.json`): its versions are read too, and scanned when they hold a config.
    probe = unknown_names(paths_of_log)
    touched = sorted({*_relevant(sorted(paths_of_log | set(links)), *results), *referenced, *probe})
    if not touched:
        return [], 0, []
    wanted = set(touched)
    targets = wanted | {target for found in every for target in found.values()}
    commits = [sha for sha, paths in log if sha != head and paths & targets]
    if len(commits) > MAX_HISTORY_COMMITS:
        reason = (f"git history not scanned: {len(commits)} commits of this range touch MCP configs, "
                  f"more than the limit of {MAX_HISTORY_COMMITS}")
        return [], 0, [SkippedFile(path, reason) for path in touched]
    # A touched file that is no config (a dotenv, an opencode {file:} target) is read by a config:
    # the head's configs are scanned with each version of it (their own findings are known already).
    configs = sorted({path for result in results for path in result.scanned_files
                      if classify_path(path) is not None}) if any(
        classify_path(path) is None for path in touched) else []
    seen_sets: set[frozenset[tuple[str, str]]] = set()
    found: dict[str, Finding] = {}
    errors: list[SkippedFile] = []
    for commit in commits:
        if current_budget().expired():  # the caller has reported the deadline already
            errors.append(SkippedFile(touched[0], DEADLINE_REASON))
            break
        files: dict[str, bytes] = {}
        for path in touched:
            content = gitrefs.read_following(repo, commit, path, options.max_file_bytes)
            if content is not None and submodules.is_lfs_pointer(content):
                errors.append(SkippedFile(path, f"in commit {commit[:12]}: {submodules.LFS_REASON}"))
            elif content is not None:
                files[path] = content
        key = frozenset((p, hashlib.sha256(c).hexdigest()) for p, c in files.items())
        if not files or key in seen_sets:
            continue
        seen_sets.add(key)
        # What a config of this commit reads (its envFile, ...) is read as this commit has it, when
        # the range touches it; it then counts as this commit's file.
        scanned = scan_files(_WithReferenced(files, head_files, configs, _reader(repo, commit, paths_of_log,
                                                                                  options.max_file_bytes)),
                             options, probe)
        # A version that could not be scanned (parse error, size, time budget) is a hole in the
        # history scan, like one at head: the scan is incomplete, not silently clean.
        errors.extend(SkippedFile(e.path, f"in commit {commit[:12]}: {e.reason}")
                      for e in scanned.errors if e.fatal)
        for finding in scanned.findings:
            if finding.category is Category.SECRET and finding.fingerprint not in known \
                    and finding.file in files:
                found.setdefault(finding.fingerprint, replace(finding, history_only=True))
    return list(found.values()), len(commits), errors


def _referenced_paths(results: Sequence[ScanResult]) -> set[str]:
    """Every path a config of `results` reads as a file (existing or not)."""
    from scanner.clients import referenced_files
    from scanner.clients._files import config_references, file_references

    found: set[str] = set()
    for result in results:
        for config in result.configs:
            found.update(referenced_files(config))
            found.update(path for path, _key in file_references(config))
            found.update(config_references(config))
    return found


def _reader(repo: Path, commit: str, touched: set[str], limit: int) -> Callable[[str], bytes | None]:
    def read(path: str) -> bytes | None:
        return gitrefs.read_following(repo, commit, path, limit) if path in touched else None
    return read


class _WithReferenced(Mapping[str, bytes]):
    """A commit's touched files, plus `configs` of head that read them; other paths a config
    references (dotenv) resolve from the commit (`at_commit`, for paths the range touches, added to
    the commit's files) or else from head."""

    def __init__(self, files: dict[str, bytes], fallback: Mapping[str, bytes],
                 configs: Sequence[str] = (), at_commit: Callable[[str], bytes | None] | None = None) -> None:
        self._files = files
        self._fallback = fallback
        self._at_commit = at_commit
        self._paths = [*files, *(path for path in configs if path not in files)]

    def __getitem__(self, path: str) -> bytes:
        if path in self._files:
            return self._files[path]
        data = self._at_commit(path) if self._at_commit is not None else None
        if data is not None:
            if submodules.is_lfs_pointer(data):
                raise ValueError(submodules.LFS_REASON)
            self._files[path] = data
            return data
        return self._fallback[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def workspace_reader(root: Path) -> ReadFile:
    """Read a file of the checked-out work tree (policy files in tree mode)."""
    def read(path: str) -> bytes | None:
        target = root / path
        if target.is_symlink() or not target.is_file():
            return None
        return target.read_bytes()
    return read
