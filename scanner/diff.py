"""Diff-mode scanning for the Action: head vs base by fingerprint, plus secrets left in the PR's history.

The base tree is rebuilt as "head with the changed paths put back to their base version", so the
whole head tree is still scanned (cross-environment reuse compares against every config).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from scanner.clients.discovery import classify_path
from scanner.findings import Finding, sort_key
from scanner.model import Category
from scanner.pipeline import scan_files
from scanner.result import ScanOptions, ScanResult
from scanner.sources import gitrefs

ReadFile = Callable[[str], bytes | None]
# A PR with more commits than this gets its newest commits' history scanned only (with a warning).
MAX_HISTORY_COMMITS = 250


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
    return [path for path in changed if path in scanned or classify_path(path) is not None]


def scan_diff(data: DiffInput, options: ScanOptions, *, history_blocks: bool) -> DiffOutcome:
    """Findings at head whose fingerprint is not at base, plus history-only secrets of the range."""
    head = scan_files(data.head_files, options)
    changes = {path: data.read_base(path) for path in data.changed}
    base = scan_files(gitrefs.OverlayFiles(data.head_files, changes), options)
    base_prints = {finding.fingerprint for finding in base.findings}
    new = [finding for finding in head.findings if finding.fingerprint not in base_prints]
    warnings = list(dict.fromkeys(head.warnings + base.warnings))
    history: list[Finding] = []
    commits = 0
    if data.git_range is not None:
        known = base_prints | {finding.fingerprint for finding in head.findings}
        history, commits, note = _history(data.git_range, data.head_files, options, known, head, base)
        if note:
            warnings.append(note)
        if not history_blocks:
            history = [replace(finding, blocking=False) for finding in history]
    result = ScanResult(
        root=head.root, scanned_files=head.scanned_files,
        errors=sorted({(e.path, e.reason): e for e in head.errors + base.errors}.values(),
                      key=lambda e: e.path),
        findings=sorted(new + history, key=sort_key), configs=head.configs, warnings=warnings,
        complete=head.complete and base.complete, suppressed=head.suppressed, engines=head.engines,
    )
    return DiffOutcome(result, tuple(_relevant(data.changed, head, base)), commits)


def _history(git_range: tuple[str, str], head_files: Mapping[str, bytes], options: ScanOptions,
             known: set[str], *results: ScanResult) -> tuple[list[Finding], int, str | None]:
    """Secrets present in some intermediate commit of the range but neither at base nor at head.

    Each commit's versions of the touched MCP paths are scanned (identical file sets only once).
    """
    repo = options.root
    base, head = git_range
    touched = _relevant(gitrefs.paths_touched(repo, base, head), *results)
    if not touched:
        return [], 0, None
    commits = [c for c in gitrefs.commits_between(repo, base, head) if c != head]
    note = None
    if len(commits) > MAX_HISTORY_COMMITS:
        note = f"history: only the newest {MAX_HISTORY_COMMITS} of {len(commits)} commits were scanned"
        commits = commits[-MAX_HISTORY_COMMITS:]
    seen_sets: set[frozenset[tuple[str, str]]] = set()
    found: dict[str, Finding] = {}
    for commit in commits:
        files: dict[str, bytes] = {}
        for path in touched:
            content = gitrefs.read_at(repo, commit, path, options.max_file_bytes)
            if content is not None:
                files[path] = content
        key = frozenset((p, hashlib.sha256(c).hexdigest()) for p, c in files.items())
        if not files or key in seen_sets:
            continue
        seen_sets.add(key)
        for finding in scan_files(_WithReferenced(files, head_files), options).findings:
            if finding.category is Category.SECRET and finding.fingerprint not in known \
                    and finding.file in files:
                found.setdefault(finding.fingerprint, replace(finding, history_only=True))
    return list(found.values()), len(commits), note


class _WithReferenced(Mapping[str, bytes]):
    """A commit's touched files; other paths a config references (dotenv) resolve from head."""

    def __init__(self, files: dict[str, bytes], fallback: Mapping[str, bytes]) -> None:
        self._files = files
        self._fallback = fallback

    def __getitem__(self, path: str) -> bytes:
        if path in self._files:
            return self._files[path]
        return self._fallback[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


def workspace_reader(root: Path) -> ReadFile:
    """Read a file of the checked-out work tree (policy files in tree mode)."""
    def read(path: str) -> bytes | None:
        target = root / path
        if target.is_symlink() or not target.is_file():
            return None
        return target.read_bytes()
    return read
