"""A line of the tree judged (the merge with a base that moved on) as a line of the PR head's file.

The job's annotations belong to the check suite of the pull request's head commit, and GitHub places
them on that commit's files; the findings' lines are the merged file's. A line the merge took from
the head is found again in the head file by a line diff (difflib: the merged file against the head
file, matching runs only, after the common first and last lines); a line the head does not have (the
base's side of the merge) has none, nor has one of a part too costly to diff (MAX_PAIRS).
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from scanner.errors import GitError
from scanner.sources import gitrefs

# Past this many lines a file is not diffed: its findings get no line.
MAX_LINES = 20_000
# difflib (no autojunk) costs about the pairs of equal lines it can match, and more again on lines that
# repeat (20,000 short repeated lines took minutes): past this many pairs, the part between the common
# first and last lines is not diffed, and its lines get none.
MAX_PAIRS = 200_000

HeadLine = Callable[[str, int], int | None]  # (path, line of the tree judged) -> head file line


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _line_map(judged: bytes, head: bytes) -> dict[int, int] | None:
    """judged line -> head line (1-based) for the lines of matching runs; None: too large to diff."""
    old, new = _lines(judged), _lines(head)
    if len(old) > MAX_LINES or len(new) > MAX_LINES:
        return None
    out: dict[int, int] = {}
    first = 0  # the common first lines, then the common last ones: matched without a diff
    while first < len(old) and first < len(new) and old[first] == new[first]:
        out[first + 1] = first + 1
        first += 1
    last = 0
    while last < len(old) - first and last < len(new) - first and old[-1 - last] == new[-1 - last]:
        out[len(old) - last] = len(new) - last
        last += 1
    middle_old, middle_new = old[first:len(old) - last], new[first:len(new) - last]
    if not middle_old or not middle_new:
        return out
    counts = Counter(middle_new)
    if sum(counts.get(line, 0) for line in middle_old) > MAX_PAIRS:
        return out
    for block in difflib.SequenceMatcher(None, middle_old, middle_new, autojunk=False).get_matching_blocks():
        for offset in range(block.size):
            out[first + block.a + offset + 1] = first + block.b + offset + 1
    return out


def head_line_map(workspace: Path, judged: str, head: str) -> HeadLine:
    """`(path, line of the judged tree) -> line of the head file`, or None when the head has no such
    line (the base's side of the merge, a file the head lacks, one too large to diff). Each file is
    read and diffed once; a file the merge left as the head has it keeps its lines."""
    maps: dict[str, dict[int, int] | None] = {}
    same: set[str] = set()

    def at_head(path: str, line: int) -> int | None:
        if path not in maps and path not in same:
            try:
                merged = gitrefs.read_at(workspace, judged, path)
                theirs = gitrefs.read_at(workspace, head, path)
            except GitError:
                merged = theirs = None
            if merged is not None and merged == theirs:
                same.add(path)
            else:
                maps[path] = _line_map(merged, theirs) if merged is not None and theirs is not None else None
        if path in same:
            return line
        lines = maps[path]
        return lines.get(line) if lines is not None else None

    return at_head
