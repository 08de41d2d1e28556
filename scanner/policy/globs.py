"""Branch and path globs of the policy file (`**` spans directories; matching is case-sensitive
for paths, fnmatch for branches)."""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterable


def matches_branch(branch: str, patterns: Iterable[str]) -> bool:
    """True when the branch (with or without `refs/heads/`) matches an fnmatch-style glob."""
    name = branch.removeprefix("refs/heads/")
    return any(fnmatch.fnmatchcase(name, pattern.removeprefix("refs/heads/")) for pattern in patterns)


def match_path_glob(path: str, pattern: str) -> bool:
    """Glob over POSIX paths: `*` and `?` stay inside a segment, `**` crosses directories."""
    return _path_regex(pattern).fullmatch(path.removeprefix("./")) is not None


@functools.lru_cache(maxsize=256)
def _path_regex(pattern: str) -> re.Pattern[str]:
    pattern = pattern.removeprefix("./").lstrip("/")
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))
