"""Findings as workflow-command annotations, capped like the runner shows them (10 errors, 10 warnings).

GitHub places a job's annotations on the files of the commit its check suite is for (a pull request's
head): when the tree judged is not that commit (the merge with a base that moved on), `at_head` gives
each finding's line in the head file (scanner.gh.head_lines), and a line the head lacks is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scanner.findings import Finding
from scanner.gh.head_lines import HeadLine
from scanner.gh.runner import workflow_command
from scanner.model import Severity

# The runner displays only 10 error and 10 warning annotations per step; more are dropped silently,
# so the rest are counted and pointed at the summary instead.
MAX_PER_LEVEL = 10


def level_of(finding: Finding) -> str:
    if finding.blocking:
        return "error"
    return "warning" if finding.severity >= Severity.MEDIUM else "notice"


def annotation(finding: Finding, at_head: HeadLine | None = None) -> str:
    """One annotation; the message holds the redacted form only (Finding has no raw value)."""
    history = " (removed later in this PR but still in git history)" if finding.history_only else ""
    line: int | None = finding.line
    column: int | None = finding.column
    where = ""
    # A history finding's line is its own commit's; the others are the judged tree's.
    if at_head is not None and not finding.history_only and finding.line:
        line = at_head(finding.file, finding.line)
        if line is None:
            column = None
            where = f" (line {finding.line} of the merge with the base branch)"
    message = f"{finding.message}{history}{where}"
    return workflow_command(level_of(finding), message, {
        "file": finding.file, "line": line, "col": column,
        "title": f"{finding.rule_id} {finding.severity.label}",
    })


def finding_annotations(findings: Iterable[Finding], used: Mapping[str, int] | None = None,
                        at_head: HeadLine | None = None) -> tuple[list[str], int]:
    """Annotation lines (most severe first, at most 10 per level counting the `used` ones the step
    already printed, e.g. warnings) and how many were left out; lines through `at_head` (above)."""
    ordered = sorted(findings, key=lambda f: (not f.blocking, -int(f.severity), f.file, f.line))
    counts: dict[str, int] = dict(used or {})
    lines: list[str] = []
    omitted = 0
    for finding in ordered:
        level = level_of(finding)
        counts[level] = counts.get(level, 0) + 1
        if counts[level] > MAX_PER_LEVEL:
            omitted += 1
            continue
        lines.append(annotation(finding, at_head))
    return lines, omitted
