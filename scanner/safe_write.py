"""Every file mcp-guard writes goes through `write_text_safely`: never through a symlink.

A pull request controls the work tree, so any path in it (e.g. `mcp-guard.sarif`, a config that
`mcp-guard fix` edits, a directory on the way) may be a committed symlink to somewhere else. The
final component is opened with O_NOFOLLOW (an existing symlink fails instead of being followed), and
when a `root` is given the real parent directory must lie inside it.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from scanner.errors import McpGuardError


class UnsafeWriteError(McpGuardError):
    """A write was refused: the target is a symlink or lies outside the allowed directory."""


def check_inside(path: Path, root: Path) -> None:
    """Raise UnsafeWriteError unless `path`'s real parent directory lies inside `root`'s real path."""
    real_root = os.path.realpath(root)
    real_parent = os.path.realpath(path.parent)
    if os.path.commonpath([real_root, real_parent]) != real_root:
        raise UnsafeWriteError(f"refusing to write {path}: it lies outside {root}")


def write_text_safely(path: Path, text: str, *, root: Path | None = None, append: bool = False) -> None:
    """Write (or append) UTF-8 `text` to `path` without following a symlink at any step we control.

    Raises UnsafeWriteError for a symlink target or a path outside `root`; other OSErrors pass on.
    """
    if root is not None:
        check_inside(path, root)
    if path.is_symlink():
        raise UnsafeWriteError(f"refusing to write {path}: it is a symbolic link")
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= os.O_APPEND if append else os.O_TRUNC
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeWriteError(f"refusing to write {path}: it is a symbolic link") from None
        raise
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
