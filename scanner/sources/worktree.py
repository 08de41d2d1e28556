"""Which files a work-tree scan reads: git-tracked files (or a bounded walk), never following symlinks."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from scanner.clients.discovery import Candidate, classify_path, is_skipped_dir
from scanner.errors import ConfigError
from scanner.model import SkippedFile

_GIT_TIMEOUT = 120


@dataclass(frozen=True, slots=True)
class Listing:
    """Candidate MCP files of a work tree, plus the paths that had to be skipped and why."""

    candidates: list[tuple[Candidate, Path]]
    skipped: list[SkippedFile]


def _git_files(directory: Path, all_files: bool) -> list[str] | None:
    """Paths git tracks under `directory` (relative to it), or None when not in a work tree."""
    argv = ["git", "-C", str(directory), "ls-files", "-z", "--cached"]
    if all_files:
        argv += ["--others", "--exclude-standard"]
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=_GIT_TIMEOUT, check=False,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted({name for name in names if name})


def _walk(directory: Path) -> Iterator[str]:
    """Every file under `directory` (relative POSIX), pruning vendored trees; links not followed."""
    for dirpath, dirnames, filenames in os.walk(directory, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not is_skipped_dir(d))
        rel_dir = os.path.relpath(dirpath, directory)
        for name in sorted(filenames):
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            yield rel.replace(os.sep, "/")
        # Symlinked directories appear in dirnames; os.walk does not descend into them, but they
        # are listed (as git lists them) so that list_candidates can see a symlinked client folder.
        for name in sorted(dirnames):
            if os.path.islink(os.path.join(dirpath, name)):
                yield name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")


def in_skipped_dir(rel: str) -> bool:
    """True for paths inside vendored/generated trees (applied to git's list as well as the walk)."""
    parts = rel.split("/")[:-1]
    return any(is_skipped_dir(part) for part in parts)


SYMLINK_OUTSIDE = "symlink points outside the repository; its target is not scanned"


def resolve_symlink(path: Path, root: Path) -> tuple[Path | None, str]:
    """(target, "") for a link to a regular file inside `root`, else (None, why it is not read).

    MCP clients follow a symlinked config, so a link to a file inside the repository is scanned as
    the link's client config (its content is read from the target; nothing is ever written through
    it). A link out of the repository is reported as fatal: its target is not read, so the scan is
    incomplete. A dangling or looping link has no content to scan (reported, not fatal).
    """
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, "symlink is dangling or loops; not followed"
    try:
        target.relative_to(root.resolve())
    except ValueError:
        return None, SYMLINK_OUTSIDE
    if not target.is_file():
        return None, "symlink does not point to a regular file; not followed"
    return target, ""


def list_candidates(root: Path, paths: Sequence[Path], all_files: bool) -> Listing:
    """Candidate MCP config files under the requested paths, relative to `root`."""
    candidates: list[tuple[Candidate, Path]] = []
    skipped: list[SkippedFile] = []
    seen: set[str] = set()
    for requested in paths or (root,):
        if not os.path.lexists(requested):
            raise ConfigError(f"path does not exist: {requested}")
        if requested.is_dir() and not requested.is_symlink():
            tracked = _git_files(requested, all_files)
            names: Iterator[str] | list[str] = tracked if tracked is not None else _walk(requested)
            base = requested
        else:
            names = [requested.name]
            base = requested.parent
        # Path objects are built only for candidates: this loop sees every file of the repository.
        prefix = _relative(base, root)
        prefix = "" if prefix == "." else prefix + "/"
        pending: list[Iterator[str] | list[str]] = [names]
        via_link: set[str] = set()
        while pending:
            name = next(pending[-1], None) if isinstance(pending[-1], Iterator) else \
                (pending[-1].pop(0) if pending[-1] else None)
            if name is None:
                pending.pop()
                continue
            rel = prefix + name
            if rel in seen:
                continue
            seen.add(rel)
            candidate = classify_path(rel)
            if candidate is None:
                # A symlinked folder (`.codex` -> `cfg`): a client opening `.codex/config.toml` reads
                # `cfg/config.toml`, so the files under it are listed at their path through the link.
                if "." not in name.rsplit("/", 1)[-1][1:] and name not in via_link:
                    more = _through_folder_link(base, name, root)
                    via_link.update(more)  # one hop: a link under a linked folder is not expanded
                    pending.append(more)
                continue
            if in_skipped_dir(name):
                continue
            absolute = base / name
            try:
                mode = os.lstat(absolute).st_mode
            except OSError:
                continue  # listed by git but deleted in the work tree
            if stat.S_ISLNK(mode):
                target, reason = resolve_symlink(absolute, root)
                if target is None:
                    skipped.append(SkippedFile(rel, reason, fatal=reason == SYMLINK_OUTSIDE))
                    continue
                candidates.append((candidate, target))
                continue
            if not stat.S_ISREG(mode):
                continue
            candidates.append((candidate, absolute))
    return Listing(candidates, skipped)


def _through_folder_link(base: Path, name: str, root: Path) -> list[str]:
    """`name/rest` for every file under the folder `name` links to (inside `root`), else []."""
    absolute = base / name
    try:
        if not stat.S_ISLNK(os.lstat(absolute).st_mode) or not absolute.is_dir():
            return []
        target = absolute.resolve(strict=True)
        target.relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):
        return []
    return [f"{name}/{rel}" for rel in _walk(target)]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return Path(os.path.relpath(path.absolute(), root.absolute())).as_posix()


def read_limited(path: Path, limit: int) -> bytes:
    """Read at most `limit` bytes; raise ValueError when the file is larger (never a partial scan)."""
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(size_limit_reason(limit))
    return data


def size_limit_reason(limit: int) -> str:
    """The one-line reason for a file over the size limit (work tree and in-memory scans alike)."""
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"file larger than the {limit // (1024 * 1024)} MiB limit"
    return f"file larger than the {limit}-byte limit"
