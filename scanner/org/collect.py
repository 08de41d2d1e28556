"""Read the per-repository artifacts of an org run: DIR/<owner>__<name>/{inventory,scan,status}.json.

Every problem (a missing, unreadable or corrupt file, a failed clone or scan) becomes a Problem
record for the report; nothing raises except a DIR that cannot be listed at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.errors import ConfigError

INVENTORY, SCAN, STATUS = "inventory.json", "scan.json", "status.json"
MAX_ARTIFACT_BYTES = 64 * 1024 * 1024  # a repository with thousands of configs stays well below


@dataclass(frozen=True, slots=True)
class Problem:
    repo: str
    kind: str  # missing-inventory, corrupt-scan, clone-failed, scan-incomplete, file-unparsed, ...
    detail: str


@dataclass
class RepoArtifacts:
    repo: str  # owner/name
    folder: str
    inventory: dict[str, Any] | None = None
    scan: dict[str, Any] | None = None
    status: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)


def folder_to_repo(name: str) -> str:
    owner, sep, repo = name.partition("__")
    return f"{owner}/{repo}" if sep and owner and repo else name


def repo_to_folder(repo: str) -> str:
    return repo.replace("/", "__", 1)


def _load(path: Path, repo: str, label: str, problems: list[Problem],
          required_key: str) -> dict[str, Any] | None:
    if path.is_symlink():
        problems.append(Problem(repo, f"corrupt-{label}", f"{path.name} is a symlink (not followed)"))
        return None
    if not path.is_file():
        return None
    try:
        size = path.stat().st_size
        if size > MAX_ARTIFACT_BYTES:
            problems.append(Problem(repo, f"corrupt-{label}", f"{path.name} is {size} bytes (limit "
                                    f"{MAX_ARTIFACT_BYTES})"))
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(repo, f"corrupt-{label}", f"{path.name} unreadable ({type(exc).__name__})"))
        return None
    except json.JSONDecodeError as exc:
        problems.append(Problem(repo, f"corrupt-{label}", f"{path.name} is not JSON (line {exc.lineno})"))
        return None
    if not isinstance(data, dict) or (required_key and not isinstance(data.get(required_key), list)):
        problems.append(Problem(repo, f"corrupt-{label}", f"{path.name} lacks a '{required_key}' list"))
        return None
    return data


def load_repo(folder: Path) -> RepoArtifacts:
    repo = folder_to_repo(folder.name)
    arts = RepoArtifacts(repo=repo, folder=folder.name)
    arts.status = _load(folder / STATUS, repo, "status", arts.problems, "")
    arts.inventory = _load(folder / INVENTORY, repo, "inventory", arts.problems, "servers")
    arts.scan = _load(folder / SCAN, repo, "scan", arts.problems, "findings")
    status = arts.status or {}
    if status.get("checkout") not in (None, "success"):
        arts.problems.append(Problem(repo, "clone-failed", f"checkout {status.get('checkout')}"))
    for label, name, data in (("inventory", INVENTORY, arts.inventory), ("scan", SCAN, arts.scan)):
        if data is None and not (folder / name).exists():
            arts.problems.append(Problem(repo, f"missing-{label}", f"no {name}"))
        exit_code = status.get(f"{label}_exit")
        if isinstance(exit_code, int) and exit_code not in (0, 1):
            arts.problems.append(Problem(repo, f"{label}-failed", f"mcp-guard {label} exited {exit_code}"))
    if arts.scan is not None:
        if arts.scan.get("complete") is False:
            arts.problems.append(Problem(repo, "scan-incomplete", "some files could not be scanned"))
        for error in arts.scan.get("errors") or []:
            if isinstance(error, dict):
                # fatal False: searched line by line (its findings count), but its servers are not listed
                kind = "file-unparsed" if error.get("fatal") is False else "file-skipped"
                arts.problems.append(Problem(repo, kind,
                                             f"{error.get('file', '?')}: {error.get('message', '?')}"))
    return arts


def load_dir(root: Path, planned: list[str] | None = None) -> list[RepoArtifacts]:
    """Every repository folder under root (sorted), plus a record for each planned repo with none."""
    if not root.is_dir():
        raise ConfigError(f"results directory not found: {root}")
    try:
        folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink())
    except OSError as exc:
        raise ConfigError(f"cannot list {root}: {type(exc).__name__}") from None
    repos = [load_repo(folder) for folder in folders]
    seen = {r.repo.lower() for r in repos}
    for repo in planned or []:
        if repo.lower() not in seen:
            arts = RepoArtifacts(repo=repo, folder=repo_to_folder(repo))
            arts.problems.append(Problem(repo, "not-in-artifacts", "planned but no results were uploaded"))
            repos.append(arts)
    return repos


def planned_repos(plan_file: Path) -> list[str]:
    """owner/name of every entry of a saved `org plan` output."""
    try:
        data = json.loads(plan_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read plan {plan_file}: {type(exc).__name__}") from None
    chunks = data if isinstance(data, list) else [data]
    out = []
    for chunk in chunks:
        for entry in (chunk.get("include") if isinstance(chunk, dict) else None) or []:
            if isinstance(entry, dict) and isinstance(entry.get("repo"), str):
                out.append(entry["repo"])
    return out
