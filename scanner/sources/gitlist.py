"""git's listings of a work tree, started as processes and collected later (standard library only:
the CLI starts a default scan's listings before it imports the scanner, so git lists while Python
imports, see `WorkTreeListings`)."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Mapping
from pathlib import Path

_GIT_TIMEOUT = 120


class GitList:
    """`git -C directory <args>` started now, its NUL-separated output collected by `names()`: the
    work-tree listings run side by side (each spends most of its time in git, not here)."""

    def __init__(self, directory: Path, *args: str) -> None:
        try:
            self.proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                ["git", "-C", str(directory), *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL)
        except OSError:
            self.proc = None

    def names(self) -> list[str] | None:
        """The sorted distinct names, or None when git could not answer."""
        if self.proc is None:
            return None
        try:
            out, _ = self.proc.communicate(timeout=_GIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            return None
        if self.proc.returncode != 0:
            return None
        return sorted_names(out)

    def cancel(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def sorted_names(out: bytes) -> list[str]:
    """The sorted distinct non-empty names of NUL-separated git output: `sorted(set(names))`,
    computed without hashing into a set and re-sorting 100,000 names that git already gives in
    order and (but for the stages of a merge conflict) once each."""
    names = out.decode("utf-8", "surrogateescape").split("\0")
    if "" in names:
        names = [name for name in names if name]
    names.sort()  # linear on git's own order (bytes order; undecodable bytes may differ)
    if len(set(names)) != len(names):
        names = sorted(set(names))
    return names


_OTHERS = ("ls-files", "-z", "--others", "--exclude-standard")
_IGNORED = ("ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory")


def repo_top(path: Path) -> Path | None:
    """The git top level of the work tree holding `path` (a file or directory), or None."""
    directory = path if path.is_dir() else path.parent
    try:
        proc = subprocess.run(["git", "-C", str(directory), "rev-parse", "--show-toplevel"],
                              capture_output=True, timeout=_GIT_TIMEOUT, check=False,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    top = proc.stdout.decode("utf-8", "surrogateescape").strip()
    if proc.returncode != 0 or not top:
        return None
    return Path(top)


# git's own variables that move the index or the repository away from `<top>/.git/index`
_INDEX_MOVED = ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_COMMON_DIR")


def index_entries(top: Path, environ: Mapping[str, str] | None = None) -> int | None:
    """The entry count git's index header holds for the work tree at `top` (about its number of
    tracked files), from 12 bytes of `<top>/.git/index`; None when that is not where this git keeps
    its index (a linked work tree or submodule has a `.git` file; a variable above is set) or it
    cannot be read as one. Read only to decide how early to launch gitleaks, never what to scan."""
    env = os.environ if environ is None else environ
    if any(env.get(name) for name in _INDEX_MOVED):
        return None
    try:
        fd = os.open(top / ".git" / "index", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0))  # a FIFO there never blocks the CLI
    except OSError:
        return None
    try:
        head = os.read(fd, 12) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
    except OSError:
        head = b""
    finally:
        os.close(fd)
    if len(head) != 12 or head[:4] != b"DIRC" or int.from_bytes(head[4:8], "big") not in (2, 3, 4):
        return None
    return int.from_bytes(head[8:12], "big")


class WorkTreeListings:
    """The three listings of a default scan of the work tree at `root` (tracked, untracked,
    ignored), started now: `worktree.start_listing` takes them instead of starting its own (the
    same commands, so the same names), and `cancel()` stops whatever it did not collect."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lists = (GitList(root, "ls-files", "-z", "--cached"), GitList(root, *_OTHERS),
                      GitList(root, *_IGNORED))

    def cancel(self) -> None:
        for listing in self.lists:
            listing.cancel()
