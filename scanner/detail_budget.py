"""The per-file budget of detailed findings: once a file has given `limit` of them, the rest of it is
not analysed value by value; one MCPG106 finding stands for that rest.

A file of 100,000 literal values (generated, minified, a dump pasted into a config) cost ~100 us per
finding in analysis, fixes, evidence and fingerprints, and made reports no one reads. The budget keeps
the invariant that makes it safe: every part of the file *before* its cut-off position was analysed by
every pass in full (values, expansions, comments, tokens used as names, later YAML documents), and
the part from the cut-off on is digested into the MCPG106 fingerprint, so any change there (a new
secret added after a baseline accepted the finding) makes the finding new. The engine passes consult
`DetailBudget` before analysing an item (stage by stage, each stage stopping after `limit` hits); the
pipeline then drops what lies at or after the cut-off (gitleaks' matches included) before the rules,
and `cap_findings` keeps at most `limit` findings per file (moving the cut-off to the first one it
drops) and adds the MCPG106 finding. 0 means no limit.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from scanner.findings import Finding, sort_key
from scanner.model import Location
from scanner.result import DEFAULT_MAX_FINDINGS_PER_FILE

if TYPE_CHECKING:
    from scanner.fingerprints import ValueDigester
    from scanner.model import McpConfig

# The fingerprint context of the unanalysed rest's digest (never the secret values' one).
REGION_CONTEXT = "unanalysed-region"

Position = tuple[int, int]  # (line, column), 1-based


class DetailBudget:
    """The cut-off of one scan's files (by path): items at or after it are not analysed in detail.

    Each engine pass (`stage`) may find `limit` hits per file; the item it is asked about after that
    becomes the cut-off (the earliest such item wins). An item at or after the cut-off is refused."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.cutoffs: dict[str, Position] = {}
        self._counts: dict[tuple[str, str], int] = {}
        self._files: set[str] = set()

    def start(self, path: str) -> None:
        """Budget the items located in `path` (a scanned config's own file): an item located in any
        other file (a value a config reports at another file's position) is always analysed, so a
        cut-off exists only where `cap_findings` can put the MCPG106 finding."""
        self._files.add(path)

    def admit(self, stage: str, location: Location) -> bool:
        """Whether the item at `location` is analysed (always when there is no limit)."""
        if self.limit <= 0:
            return True
        return self.admit_at(stage, location.path, location.line, location.column)

    def admit_at(self, stage: str, path: str, line: int, column: int) -> bool:
        if path not in self._files:
            return True
        here = (line, column)
        cutoff = self.cutoffs.get(path)
        if cutoff is not None and here >= cutoff:
            return False
        if self._counts.get((stage, path), 0) >= self.limit:
            self.cutoffs[path] = here
            return False
        return True

    def found(self, stage: str, path: str, count: int = 1) -> None:
        """Count `count` hits of `stage` in `path`."""
        if self.limit > 0:
            key = (stage, path)
            self._counts[key] = self._counts.get(key, 0) + count

    def spent(self, stage: str, path: str) -> bool:
        """Whether `stage` found its limit of hits in `path` (never without a limit)."""
        return self.limit > 0 and self._counts.get((stage, path), 0) >= self.limit

    def cutoff(self, path: str) -> Position | None:
        return self.cutoffs.get(path)


def lower_limit(first: int | None, second: int | None) -> int | None:
    """The lower of two limits (0 = no limit counts as the highest; None = not set)."""
    if first is None or second is None:
        return second if first is None else first
    if first == 0 or second == 0:
        return max(first, second)
    return min(first, second)


def before(location: Location, cutoffs: Mapping[str, Position]) -> bool:
    """Whether `location` lies before its file's cut-off (or its file has none)."""
    cutoff = cutoffs.get(location.path)
    return cutoff is None or (location.line, location.column) < cutoff


def cap_findings(findings: Sequence[Finding], cutoffs: Mapping[str, Position], limit: int,
                 configs: Sequence[McpConfig], texts: Mapping[str, str],
                 digester: ValueDigester) -> list[Finding]:
    """`findings` with at most `limit` per file (those before the file's cut-off, in report order)
    and one MCPG106 finding per file that has a cut-off or more findings than that."""
    if limit <= 0:
        return list(findings)
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    if not cutoffs and all(len(group) <= limit for group in by_file.values()):
        return list(findings)
    from scanner.rules.secret import FindingsLimitReached

    rule = FindingsLimitReached()
    config_of = {config.path: config for config in configs}
    out: list[Finding] = []
    for path in sorted(set(by_file) | set(cutoffs)):
        group = sorted(by_file.get(path, ()), key=sort_key)
        config = config_of.get(path)
        if config is None:  # (not a config's own file: nothing there was left out, nothing is capped)
            out.extend(group)
            continue
        cutoff = cutoffs.get(path)
        if cutoff is not None:
            group = [f for f in group if (f.line, f.column) < cutoff]
        if len(group) > limit:
            cutoff = (group[limit].line, group[limit].column)
            group = [f for f in group if (f.line, f.column) < cutoff]
        out.extend(group)
        if cutoff is None:
            continue
        rest = _rest(texts.get(path, ""), cutoff)
        digest = digester.digest("unanalysed:" + hashlib.sha256(
            rest.encode("utf-8", "surrogatepass")).hexdigest(), REGION_CONTEXT)
        out.append(rule.limit_finding(config, Location(path, *cutoff), len(group), limit, digest))
    return out


def _rest(text: str, cutoff: Position) -> str:
    """The text from the cut-off position to the end of the file."""
    line, column = cutoff
    starts = [0]
    position = text.find("\n")
    while position >= 0 and len(starts) < line:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    if line > len(starts):
        return ""
    return text[min(len(text), starts[line - 1] + max(column, 1) - 1):]


def offset_of(line_starts: Sequence[int], length: int, position: Position) -> int:
    """The text offset of a (line, column) position, given the offsets where lines start."""
    line, column = position
    if line < 1 or line > len(line_starts):
        return length
    return min(length, line_starts[line - 1] + max(column, 1) - 1)


def line_column(line_starts: Sequence[int], offset: int) -> Position:
    """The (line, column) of a text offset."""
    line = bisect.bisect_right(line_starts, offset)
    return line, offset - line_starts[line - 1] + 1


__all__ = ["DEFAULT_MAX_FINDINGS_PER_FILE", "DetailBudget", "before", "cap_findings", "line_column",
           "lower_limit", "offset_of"]
