"""Read-only git plumbing for diff mode: changed paths, file content at a ref, commit ranges, lazy trees.

Every call is an argv list with a timeout; nothing from the repository is executed (no hooks, no
filters: `cat-file` reads raw blobs). Paths are repository-relative POSIX strings.
"""

from __future__ import annotations

import posixpath
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from scanner.errors import GitError

_TIMEOUT = 120
# Regular files only: symlinks (120000) and submodules (160000) are never read as configs.
_FILE_MODES = (b"100644", b"100755")


def _git(repo: Path, *args: str, check: bool = True,
         timeout: int = _TIMEOUT) -> subprocess.CompletedProcess[bytes]:
    argv = ["git", "-C", str(repo), "-c", "core.quotepath=off", *args]
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=timeout, check=False,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]} could not run ({type(exc).__name__})") from None
    if check and proc.returncode != 0:
        # stderr of git names refs and paths, never file content.
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {detail[-1] if detail else proc.returncode}")
    return proc


def _split_z(data: bytes) -> list[str]:
    return [part.decode("utf-8", "surrogateescape") for part in data.split(b"\0") if part]


def has_commit(repo: Path, ref: str) -> bool:
    """Whether `ref` names a commit present in the local object store (shallow clones often lack base)."""
    return _git(repo, "cat-file", "-e", f"{ref}^{{commit}}", check=False).returncode == 0


def fetch_commits(repo: Path, *shas: str, timeout: int = 120) -> bool:
    """Best effort `git fetch origin <sha>...` for commits a shallow checkout lacks; True on success."""
    proc = _git(repo, "fetch", "--no-tags", "--quiet", "--no-recurse-submodules", "origin", *shas,
                check=False, timeout=timeout)
    return proc.returncode == 0


def changed_files(repo: Path, base: str, head: str) -> list[str]:
    """Paths that differ between the merge base of base/head and head (what a PR shows).

    Renames are reported as delete + add so both the old and the new path are listed.
    Falls back to a two-dot diff when no merge base is available (shallow history).
    """
    proc = _git(repo, "diff", "--name-only", "-z", "--no-renames", f"{base}...{head}", "--", check=False)
    if proc.returncode != 0:
        proc = _git(repo, "diff", "--name-only", "-z", "--no-renames", base, head, "--")
    return sorted(set(_split_z(proc.stdout)))


def merge_base(repo: Path, base: str, head: str) -> str | None:
    proc = _git(repo, "merge-base", base, head, check=False)
    text = proc.stdout.decode("ascii", "replace").strip()
    return text if proc.returncode == 0 and text else None


def read_at(repo: Path, ref: str, path: str, max_bytes: int | None = None) -> bytes | None:
    """Raw bytes of `path` at `ref`; None when it does not exist there or is not a regular file.

    Raises GitError when larger than `max_bytes` (the caller records it as skipped).
    """
    entry = _git(repo, "ls-tree", "-z", ref, "--", path, check=False)
    if entry.returncode != 0:
        if not has_commit(repo, ref):
            raise GitError(f"commit {ref[:12]} is not available in the local repository")
        return None
    fields = entry.stdout.split(b"\0", 1)[0]
    meta, _, name = fields.partition(b"\t")
    parts = meta.split()
    if len(parts) != 3 or parts[0] not in _FILE_MODES or parts[1] != b"blob":
        return None
    if name.decode("utf-8", "surrogateescape") != path:
        return None
    blob = parts[2].decode("ascii")
    if max_bytes is not None:
        size = int(_git(repo, "cat-file", "-s", blob).stdout.strip() or 0)
        if size > max_bytes:
            raise GitError(f"{path} at {ref[:12]} is larger than the size limit")
    return _git(repo, "cat-file", "blob", blob).stdout


def list_files(repo: Path, ref: str) -> list[str]:
    """Every regular file in the tree of `ref`."""
    proc = _git(repo, "ls-tree", "-r", "-z", "--full-tree", ref)
    files: list[str] = []
    for record in proc.stdout.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        parts = meta.split()
        if len(parts) == 3 and parts[0] in _FILE_MODES and parts[1] == b"blob":
            files.append(name.decode("utf-8", "surrogateescape"))
    return files


def commit_paths(repo: Path, base: str, head: str) -> list[tuple[str, frozenset[str]]]:
    """Every commit in base..head (oldest first, no cap) with the paths it added, changed or deleted.

    Merge commits are diffed against all their parents (`--cc`): a path whose merge result matches
    none of the parents (a change made inside the merge, an "evil merge") is listed like any other
    change; plain `git log` shows no paths for merges. Content a merge takes unchanged from a parent
    is either in the range already (that parent's own commits) or in the base's history, so it is
    not listed again (`-m` would list every file an "update branch" merge brings from the base).
    """
    proc = _git(repo, "log", "--reverse", "--cc", "--format=%x01%H", "--name-only", "-z", "--no-renames",
                f"{base}..{head}", "--")
    order: list[str] = []
    paths: dict[str, set[str]] = {}
    for chunk in proc.stdout.split(b"\x01"):
        fields = chunk.split(b"\0")
        sha = fields[0].decode("ascii", "replace").strip()
        if not sha:
            continue
        if sha not in paths:
            order.append(sha)
            paths[sha] = set()
        paths[sha].update(_split_z(b"\0".join(f.lstrip(b"\n") for f in fields[1:])))
    return [(sha, frozenset(paths[sha])) for sha in order]


SYMLINK_OUTSIDE = "symlink points outside the repository; its target is not scanned"
_MAX_LINK_HOPS = 8


def list_symlinks(repo: Path, ref: str) -> dict[str, str]:
    """Every symlink (mode 120000) in the tree of `ref`: path -> blob id of its link text."""
    proc = _git(repo, "ls-tree", "-r", "-z", "--full-tree", ref)
    links: dict[str, str] = {}
    for record in proc.stdout.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        parts = meta.split()
        if len(parts) == 3 and parts[0] == b"120000" and parts[1] == b"blob":
            links[name.decode("utf-8", "surrogateescape")] = parts[2].decode("ascii")
    return links


def link_target(path: str, text: str) -> str | None:
    """Repository-relative path a symlink at `path` with link text `text` points to; None outside."""
    if text.startswith("/") or not text:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), text))
    if joined in (".", "..") or joined.startswith("../"):
        return None
    return joined


def read_following(repo: Path, ref: str, path: str, max_bytes: int | None = None) -> bytes | None:
    """Like read_at, but a symlink at `path` (or a chain of them) to a regular file of the same tree
    reads as that file, as a client following the link would; None for a link out of the repository."""
    for _hop in range(_MAX_LINK_HOPS):
        entry = _git(repo, "ls-tree", "-z", ref, "--", path, check=False)
        meta, _, name = entry.stdout.split(b"\0", 1)[0].partition(b"\t")
        parts = meta.split()
        if entry.returncode != 0 or len(parts) != 3 or parts[0] != b"120000" \
                or name.decode("utf-8", "surrogateescape") != path:
            return read_at(repo, ref, path, max_bytes)
        text = _git(repo, "cat-file", "blob", parts[2].decode("ascii")).stdout[:4096]
        target = link_target(path, text.decode("utf-8", "surrogateescape"))
        if target is None:
            return None
        path = target
    return None


def symlinks_to(repo: Path, ref: str, paths: Iterable[str]) -> dict[str, str]:
    """Symlinks of `ref`'s tree that lead (directly or through other links) to one of `paths`: a
    change to a link's target is a change to the config the link is. Link path -> target path."""
    links = list_symlinks(repo, ref)
    wanted = set(paths)
    found: dict[str, str] = {}
    for link in links:
        path, hops = link, 0
        while path in links and hops < _MAX_LINK_HOPS:
            text = _git(repo, "cat-file", "blob", links[path]).stdout[:4096]
            target = link_target(path, text.decode("utf-8", "surrogateescape"))
            if target is None:
                break
            path, hops = target, hops + 1
            if path in wanted:
                found[link] = path
                break
    return found


class TreeFiles(Mapping[str, bytes]):
    """A commit's tree as a lazy mapping path -> bytes: only the files the scanner asks for are read.

    A symlink to a regular file of the same tree maps to that file's content (clients follow the
    link); one pointing out of the repository raises ValueError(SYMLINK_OUTSIDE) when read.
    """

    def __init__(self, repo: Path, ref: str) -> None:
        self._repo = repo
        self._ref = ref
        self._links = list_symlinks(repo, ref)
        self._paths = sorted([*list_files(repo, ref), *self._links])
        self._known = set(self._paths) - set(self._links)
        self._cache: dict[str, bytes] = {}

    def __getitem__(self, path: str) -> bytes:
        hops = 0
        while path in self._links and hops < _MAX_LINK_HOPS:
            text = _git(self._repo, "cat-file", "blob", self._links[path]).stdout[:4096]
            target = link_target(path, text.decode("utf-8", "surrogateescape"))
            if target is None:
                raise ValueError(SYMLINK_OUTSIDE)
            path, hops = target, hops + 1
        if path not in self._known:
            raise KeyError(path)
        if path not in self._cache:
            data = read_at(self._repo, self._ref, path)
            if data is None:
                raise KeyError(path)
            self._cache[path] = data
        return self._cache[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


class OverlayFiles(Mapping[str, bytes]):
    """`base` with some paths replaced (bytes) or removed (None): the base tree rebuilt from head."""

    def __init__(self, base: Mapping[str, bytes], changes: Mapping[str, bytes | None]) -> None:
        self._base = base
        self._changes = dict(changes)
        self._paths = sorted((set(base) - {p for p, v in changes.items() if v is None})
                             | {p for p, v in changes.items() if v is not None})

    def __getitem__(self, path: str) -> bytes:
        if path in self._changes:
            value = self._changes[path]
            if value is None:
                raise KeyError(path)
            return value
        return self._base[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


class WorkTreeFiles(Mapping[str, bytes]):
    """The checked-out work tree's tracked files, lazily (fallback when head is not a local commit)."""

    def __init__(self, root: Path) -> None:
        self._root = root
        proc = _git(root, "ls-files", "-z", "--cached", check=False)
        self._paths = sorted(set(_split_z(proc.stdout))) if proc.returncode == 0 else []
        self._known = set(self._paths)

    def __getitem__(self, path: str) -> bytes:
        target = self._root / path
        if path not in self._known or target.is_symlink() or not target.is_file():
            raise KeyError(path)
        return target.read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)
