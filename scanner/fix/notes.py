"""Why a secret finding has no machine-applicable fix, and the client's best alternative.

Shown in the comment (templates/partials/remediation.md.j2) and listed by `mcp-guard fix`, which
exits non-zero while such findings remain.
"""

from __future__ import annotations

from scanner.clients.catalog import ClientSpec, syntax_for
from scanner.findings import Finding


def is_secret_finding(finding: Finding) -> bool:
    return finding.category.value == "secret" or finding.redacted is not None


def no_fix_note(finding: Finding, syntax: ClientSpec | None = None) -> str | None:
    """The note for a secret finding without a fix (Markdown we wrote), None when it has one."""
    if finding.fix is not None or finding.history_only or not is_secret_finding(finding):
        return None
    syntax = syntax or syntax_for(finding.client)
    if syntax.interpolates or (syntax.style == "names" and not syntax.alternative):
        return f"No automatic fix for this layout in {syntax.label}: change it by hand. {syntax.note}"
    return f"No in-file fix for {syntax.label}: {syntax.alternative or syntax.note}"


def unfixed(findings: list[Finding]) -> list[str]:
    """One line per secret finding `mcp-guard fix` cannot fix: where, which rule, and why. A finding
    on a value another finding's fix replaces (a live key's production-reuse finding next to its
    hardcoded-secret one) is fixed with it, not left over."""
    fixed = {(f.file, f.line, f.column) for f in findings if f.fix is not None and not f.history_only}
    lines: list[str] = []
    for finding in findings:
        if (finding.file, finding.line, finding.column) in fixed:
            continue
        note = no_fix_note(finding)
        if note is not None:
            lines.append(f"{finding.file}:{finding.line}: {finding.rule_id} not fixed: {note}")
    return lines
