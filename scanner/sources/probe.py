"""The listing's content test of unknown JSON/YAML/TOML names, and a child process that runs it.

A large repository's listing opens most of its files here (the bench: 39,800 of 100,000). The
opens are system calls the main thread would wait for one by one (~6 us each on the bench
machine, ~0.3 s in all); `ProbeChild` runs `verdict` over every such name in a second interpreter
(`python -I -S` on this file: the standard library only, nothing from the scanned repository),
given the names in parts while the listing still classifies the rest and deciding them while the
scan reads, stages and parses its known configs; it hands back one verdict per name.
Whatever goes wrong with the child (it cannot start, dies, is late, answers in a shape other
than one verdict per name), the caller decides every name in process instead: the same function,
the same outcome, never a name left undecided.

Only the standard library is imported: this file is also run as a program.
"""

from __future__ import annotations

import os
import queue
import re
import stat
import subprocess
import sys
import threading
from collections.abc import Sequence

# Every top-level key the content probe accepts (clients._MCP_KEY: mcpServers, mcp_servers,
# context_servers, servers, mcp, extensions, ...) holds one of these words (a compose file's
# `services` count only beside `mcp`): a probed file without any of them is not an MCP config,
# decided without decoding or parsing it.
# A launcher (clients/launchers.py) names MCP or the reference servers' npm scope (`npx -y
# @modelcontextprotocol/server-github` holds no `mcp`).
PROBE_WORDS = (b"mcp", b"servers", b"extensions", b"modelcontextprotocol", b"MCP")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A key written with escapes (`"mcp\u0053ervers"`, YAML `"\x6dcp"`) holds no probe word as written.
_ESCAPES = (b"\\u", b"\\U", b"\\x")
# Bytes of which a file that `holds_probe_word` holds at least one, wherever they are in it: a
# search for them anywhere (git grep over a tree) keeps every file the probe would keep.
PROBE_MARKS = (*PROBE_WORDS, *_UTF16_BOMS, *_ESCAPES)
# The words and escapes as one alternation: one pass over the bytes instead of eight searches.
_WORD_OR_ESCAPE = re.compile(b"|".join(re.escape(mark) for mark in (*PROBE_WORDS, *_ESCAPES)))

# The listing's content test reads the first PROBE_MAX_BYTES + 1 bytes of an unknown name (most
# files of a large repository): a larger file is kept for the probe, which reads it whole up to
# the file limit (`pipeline._probe`).
PROBE_MAX_BYTES = 256 * 1024

_PROBE_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def holds_probe_word(data: bytes) -> bool:
    """False only when `data` surely holds no MCP config: no UTF-16 BOM and none of PROBE_WORDS."""
    return data.startswith(_UTF16_BOMS) or _WORD_OR_ESCAPE.search(data) is not None


def _probe_bytes(fd: int, size: int) -> bytes:
    """`_read_on(fd, size)`: the first PROBE_MAX_BYTES + 1 bytes of the open file. Its first read
    asks for the `size` bytes fstat saw and one more, not for the whole limit (a 256 KiB buffer
    per file of a large repository): an unchanged file is read whole by it; one that grew or
    shrank since is read on by `_read_on`, to the same bytes (a read of a regular file gives what
    it asks for up to the file's end)."""
    first = os.read(fd, min(size, PROBE_MAX_BYTES) + 1)
    return first if len(first) == size else _read_on(fd, size, first)


def _read_on(fd: int, size: int, first: bytes = b"") -> bytes:
    """The first PROBE_MAX_BYTES + 1 bytes of the open file of `size` bytes (as fstat saw it),
    fewer at its end, of which `first` was read already: read until the file's end or the limit,
    or once `size` bytes were read (no read just for the end of a file that did not change)."""
    chunks = [first]
    left = PROBE_MAX_BYTES + 1 - len(first)
    got = len(first)
    while left > 0 and (chunk := os.read(fd, left)):
        chunks.append(chunk)
        left -= len(chunk)
        got += len(chunk)
        if got >= size and left > 0:  # all the file held when it was opened: no read just for EOF
            break
    return b"".join(chunks)


def verdict(where: str | bytes) -> bool | None:
    """For a by-content name of the git listing: whether the probe keeps it (a regular file over
    PROBE_MAX_BYTES, or one whose first bytes `holds_probe_word` does not rule out), decided from
    one open without following a link and one fstat. None when it cannot be opened that way (a
    symlink, gone, unreadable, a socket): the caller then decides from lstat as for any other
    name. An opened file that cannot be read is True (left to the probe, which reports it)."""
    try:
        fd = os.open(where, _PROBE_OPEN)
    except OSError:
        return None
    try:
        try:
            info = os.fstat(fd)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return False  # lstat would say the same of this inode: not probed
        # A larger file is left to the probe, which searches it whole (`pipeline._probe`): padding
        # a config past the first bytes read here must not make it unseen.
        if info.st_size > PROBE_MAX_BYTES:
            return True
        try:
            return holds_probe_word(_probe_bytes(fd, info.st_size))
        except OSError:
            return True  # opened but unreadable: left to the probe, as may_be_mcp_content does
    finally:
        os.close(fd)


# One byte per name on the child's stdout.
_CODES = {True: b"1", False: b"0", None: b"-"}
_VERDICTS = {ord("1"): True, ord("0"): False, ord("-"): None}
# The child decides a listing of at least this many names: fewer cost less than its start (~15 ms).
CHILD_MIN_NAMES = 2000
# Names per part sent to a running child (the listing sends each as it reaches it).
CHILD_PART = 4000
_CHILD_TIMEOUT = 120


class ProbeChild:
    """`verdict` of every path of `wheres` (and of those `send` adds), computed by a child
    interpreter started now.

    With `more=True` the names may come in parts: `send(wheres)` adds some, `end()` says there
    are no more; the child decides each part as it arrives (the listing hands it the names while
    it is still classifying the rest, so the opens start before the listing is done).
    `verdicts()` waits for it and returns one verdict per path, in the order sent, or None when
    the child could not give them all (the caller then computes them itself). `close()` stops it.
    Two threads move the bytes (the names in, one verdict byte per name out), so neither side of
    the pipes ever waits for the other."""

    def __init__(self, wheres: Sequence[str], *, more: bool = False) -> None:
        self.count = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self._threads: list[threading.Thread] = []
        self._out: list[bytes] = []
        self._parts: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._ended = False
        if not sys.executable:
            return
        try:
            first = _names(wheres)
        except UnicodeError:
            return
        try:
            self.proc = subprocess.Popen([sys.executable, "-I", "-S", os.path.abspath(__file__)],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, env={})
        except (OSError, ValueError):
            self.proc = None
            return
        self.count = len(wheres)
        self._parts.put(first)
        if not more:
            self.end()
        self._threads = [threading.Thread(target=_write_all, args=(self.proc, self._parts), daemon=True,
                                          name="mcp-guard-probe-in"),
                         threading.Thread(target=_read_all, args=(self.proc, self._out), daemon=True,
                                          name="mcp-guard-probe-out")]
        for thread in self._threads:
            thread.start()

    def send(self, wheres: Sequence[str]) -> None:
        """More names for a child started with `more=True` (decided after the ones sent before)."""
        if self.proc is None or self._ended:
            return
        try:
            part = _names(wheres)
        except UnicodeError:  # a name the child cannot be given: every name is decided in process
            self.close()
            self.proc = None
            return
        self.count += len(wheres)
        self._parts.put(part)

    def end(self) -> None:
        """No more names: the child's stdin is closed once what was sent is written."""
        if not self._ended:
            self._ended = True
            self._parts.put(None)

    def verdicts(self) -> list[bool | None] | None:
        proc = self.proc
        if proc is None:
            return None
        self.end()
        for thread in self._threads:
            thread.join(_CHILD_TIMEOUT)
        try:
            returncode = proc.wait(timeout=1 if self._threads[-1].is_alive() else _CHILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            returncode = None
        if returncode != 0 or any(thread.is_alive() for thread in self._threads):
            self.close()
            return None
        out = b"".join(self._out)
        if len(out) != self.count:
            return None
        try:
            return [_VERDICTS[code] for code in out]
        except KeyError:
            return None

    def close(self) -> None:
        """Stop the child (idempotent); its pipes close once the threads see it gone."""
        proc = self.proc
        self.end()
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        for thread in self._threads:
            thread.join()


def _names(wheres: Sequence[str]) -> bytes:
    """The child's input for `wheres`: each name ended by a NUL (raises UnicodeError)."""
    return b"".join(os.fsencode(where) + b"\0" for where in wheres)


def _write_all(proc: subprocess.Popen[bytes], parts: queue.SimpleQueue[bytes | None]) -> None:
    """Write each part to the child's stdin until the end mark (None), then close it."""
    stdin = proc.stdin
    if stdin is None:
        return
    try:
        while (part := parts.get()) is not None:
            stdin.write(part)
            stdin.flush()  # the child decides this part while the listing makes the next
    except (OSError, ValueError):  # the child died: verdicts() then sees it and decides in process
        pass
    finally:
        try:
            stdin.close()
        except (OSError, ValueError):
            pass


def _read_all(proc: subprocess.Popen[bytes], out: list[bytes]) -> None:
    stdout = proc.stdout
    if stdout is None:
        return
    try:
        out.append(stdout.read())
    except (OSError, ValueError):
        out.append(b"!")  # not a verdict: verdicts() then decides every name in process
    finally:
        stdout.close()


def codes(wheres: Sequence[bytes]) -> bytes:
    """`_CODES[verdict(where)]` of each path, joined: the child's loop, with `verdict`'s steps
    inlined (the same calls in the same order and the same outcome for every kind of entry; the
    bench's 39,800 names ~10% faster than a call per name; tests/test_listing_probe_child.py)."""
    open_, fstat, read, close = os.open, os.fstat, os.read, os.close
    search, boms, flags, limit = _WORD_OR_ESCAPE.search, _UTF16_BOMS, _PROBE_OPEN, PROBE_MAX_BYTES
    out = bytearray()
    add = out.append
    for where in wheres:
        try:
            fd = open_(where, flags)
        except OSError:
            add(_NONE)
            continue
        try:
            try:
                info = fstat(fd)
            except OSError:
                add(_NONE)
                continue
            size = info.st_size
            if not stat.S_ISREG(info.st_mode):
                add(_NO)
            elif size > limit:
                add(_YES)
            else:
                try:
                    data = read(fd, size + 1)  # as _probe_bytes
                    if len(data) != size:
                        data = _read_on(fd, size, data)
                except OSError:
                    add(_YES)
                    continue
                add(_YES if data.startswith(boms) or search(data) is not None else _NO)
        finally:
            close(fd)
    return bytes(out)


_YES, _NO, _NONE = (_CODES[key][0] for key in (True, False, None))


def _main() -> None:
    """Decide the NUL-ended names of stdin part by part as they arrive (a last name without its
    NUL is a name too), writing one verdict byte per name."""
    stdin, stdout = sys.stdin.fileno(), sys.stdout.buffer
    tail = b""
    while chunk := os.read(stdin, 1 << 16):
        names = (tail + chunk).split(b"\0")
        tail = names.pop()
        stdout.write(codes(names))
    if tail:
        stdout.write(codes([tail]))
    stdout.flush()


if __name__ == "__main__":
    _main()
