"""Which tracked source files of a work tree name an MCP API (clients/source_code.py), asked of git.

A large repository has tens of thousands of `.py` / `.ts` / `.js` files and a handful that declare MCP
servers: one `git grep -l -F` of the API names over them (git's own threads, started as soon as the
listing is known, while the scan reads its known configs) answers which, instead of an open and a
read per file in this process. When git cannot answer (it is missing, fails, or is late), each file
is read here instead (the same words, so the same outcome): a source file is never left undecided.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from scanner.clients.catalog import SOURCE_EXTS
from scanner.clients.source_code import API_WORDS

_TIMEOUT = 120
_WORDS = re.compile("|".join(re.escape(word) for word in API_WORDS).encode())
# Files up to this size are read whole by the fallback (larger ones are read in chunks).
_CHUNK = 1024 * 1024


def names_api_bytes(data: bytes) -> bool:
    """True when `data` holds one of the MCP API names (ASCII words: a byte search is exact for the
    UTF-8 / Windows-1252 texts the parsers read; UTF-16 source is not read)."""
    return _WORDS.search(data) is not None


def file_names_api(path: str | Path) -> bool:
    """`names_api_bytes` of the file at `path`, read in overlapping chunks; True when it cannot be
    read (left to the reader, which reports it)."""
    overlap = max(len(word) for word in API_WORDS) - 1
    try:
        with open(path, "rb") as handle:
            tail = b""
            while chunk := handle.read(_CHUNK):
                if names_api_bytes(tail[-overlap:] + chunk):
                    return True
                tail = chunk
    except OSError:
        return True
    return False


def api_files_at(repo: Path, ref: str) -> set[str] | None:
    """The source files of commit `ref` that name an MCP API (one `git grep -l -F`), or None when git
    cannot answer."""
    patterns = [arg for word in API_WORDS for arg in ("-e", word)]
    specs = [f":(icase)*.{ext}" for ext in SOURCE_EXTS]
    try:
        proc = subprocess.run(["git", "-C", str(repo), "grep", "-l", "-z", "-F", "--no-color",
                               "--no-textconv", *patterns, ref, "--", *specs], stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode not in (0, 1):  # 1: no file names any of them
        return None
    prefix = f"{ref}:"
    return {item.decode("utf-8", "surrogateescape").removeprefix(prefix) for item in proc.stdout.split(b"\0")
            if item}


class SourceGrep:
    """`git grep` of the API names over the tracked source files of the work tree at `root` (every
    extension of catalog.SOURCE_EXTS), started now, before the listing is classified: git reads
    while the names are. `kept(names)` waits for it and returns those of `names` it matched, in
    their order. One thread: git's reads are system calls, and the scan keeps the other core busy
    (more threads cost more CPU for the same wall time on the bench)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.proc: subprocess.Popen[bytes] | None = None
        patterns = [arg for word in API_WORDS for arg in ("-e", word)]
        specs = [f":(icase)*.{ext}" for ext in SOURCE_EXTS]
        try:
            self.proc = subprocess.Popen(
                ["git", "-C", str(root), "grep", "--threads=1", "-l", "-z", "-F", "--no-color",
                 "--no-textconv", *patterns, "--", *specs],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            self.proc = None

    def kept(self, names: list[str]) -> list[str]:
        if not names:
            self.cancel()
            return []
        matched = self._grep()
        if matched is None:  # git could not answer: every file read here, none undecided
            return [name for name in names if file_names_api(os.path.join(self.root, name))]
        return [name for name in names if name in matched]

    def _grep(self) -> set[str] | None:
        if self.proc is None:
            return None
        try:
            out, _ = self.proc.communicate(timeout=_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            return None
        if self.proc.returncode not in (0, 1):  # 1: no file holds any of them
            return None
        return set(out.decode("utf-8", "surrogateescape").split("\0"))

    def cancel(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()
