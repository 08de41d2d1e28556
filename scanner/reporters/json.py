"""JSON report, contract version 1 (a dedicated serializer: internal types are not the schema)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scanner import __version__
from scanner.findings import Finding, Fix
from scanner.fingerprints import is_ephemeral
from scanner.reporters.indented import dumps_indented

if TYPE_CHECKING:
    from scanner.result import ScanResult


def fix_dict(fix: Fix) -> dict[str, Any]:
    return {
        "description": fix.description,
        "edits": [
            {"file": e.file, "start_line": e.start_line, "start_column": e.start_column,
             "end_line": e.end_line, "end_column": e.end_column, "replacement": e.replacement}
            for e in fix.edits
        ],
    }


def finding_dict(finding: Finding) -> dict[str, Any]:
    """One finding in the v1 contract (plus evidence, related locations, fix)."""
    out: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "category": finding.category.value,
        "severity": finding.severity.label,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "client": finding.client,
        "server": finding.server,
        "field": finding.field,
        "environment": finding.environment.value,
        "secret_type": finding.secret_type,
        "redacted": finding.redacted,
        "fingerprint": finding.fingerprint,
        # False past the slow-hash budget (scanner/fingerprints.py): no baseline or ignore matches it.
        "fingerprint_stable": not is_ephemeral(finding.fingerprint),
        "message": finding.message,
        "blocking": finding.blocking,
        "evidence": list(finding.evidence),
        "related": [{"file": loc.path, "line": loc.line, "column": loc.column} for loc in finding.related],
        "history_only": finding.history_only,
    }
    if finding.fix is not None:
        out["fix"] = fix_dict(finding.fix)
    return out


def to_dict(result: ScanResult) -> dict[str, Any]:
    return {
        "version": 1,
        "tool": {"name": "mcp-guard", "version": __version__},
        "scanned_files": list(result.scanned_files),
        "errors": [{"file": e.path, "message": e.reason, "kind": e.kind, "fatal": e.fatal}
                   for e in result.errors],
        "warnings": list(result.warnings),
        "skipped": [{"file": e.path, "reason": e.reason} for e in result.skipped],
        "complete": result.complete,
        "findings": [finding_dict(f) for f in result.findings],
        "summary": result.summary() | {"suppressed": result.suppressed},
        # Every policy entry (or the baseline) that hid findings: suppression is never silent.
        "suppressions": [{"kind": s.kind, "match": s.match, "reason": s.reason,
                          "expires": s.expires.isoformat() if s.expires else None,
                          "suppressed": s.count, "source": s.origin} for s in result.suppressions],
    }


def render(result: ScanResult, *, color: bool = False) -> str:
    return dumps_indented(to_dict(result), indent=2) + "\n"  # = json.dumps(indent=2, ensure_ascii=False)
