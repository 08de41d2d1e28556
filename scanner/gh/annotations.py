"""Findings as workflow-command annotations, capped like the runner shows them (10 errors, 10 warnings)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scanner.findings import Finding
from scanner.gh.runner import workflow_command
from scanner.model import Severity

# The runner displays only 10 error and 10 warning annotations per step; more are dropped silently,
# so the rest are counted and pointed at the summary instead.
MAX_PER_LEVEL = 10


def level_of(finding: Finding) -> str:
    if finding.blocking:
        return "error"
    return "warning" if finding.severity >= Severity.MEDIUM else "notice"


def annotation(finding: Finding) -> str:
    """One annotation; the message holds the redacted form only (Finding has no raw value)."""
    history = " (removed later in this PR but still in git history)" if finding.history_only else ""
    message = f"{finding.message}{history}"
    return workflow_command(level_of(finding), message, {
        "file": finding.file, "line": finding.line, "col": finding.column,
        "title": f"{finding.rule_id} {finding.severity.label}",
    })


def finding_annotations(findings: Iterable[Finding], used: Mapping[str, int] | None = None,
                        ) -> tuple[list[str], int]:
    """Annotation lines (most severe first, at most 10 per level counting the `used` ones the step
    already printed, e.g. warnings) and how many were left out."""
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
        lines.append(annotation(finding))
    return lines, omitted
