"""SARIF 2.1.0 report: rules from the registry, our fingerprints, relative URIs, never a snippet."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from scanner import __version__
from scanner.findings import Finding
from scanner.fingerprints import is_ephemeral
from scanner.model import Severity

if TYPE_CHECKING:
    from scanner.result import ScanResult
    from scanner.rules.base import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/mcp-guard/mcp-guard"
# GitHub code scanning reads rules[].properties["security-severity"] (0.0-10.0).
_SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0",
                      Severity.MEDIUM: "5.5", Severity.LOW: "3.0"}


# GitHub code scanning rejects a run with more than 25,000 results and a result with more than 1,000
# locations (it displays 5,000 results by severity and 100 locations). Results past the cap are left
# out, most severe kept, and a notification says how many; they still count for the status.
MAX_RESULTS = 25_000
MAX_RELATED = 100


def level(severity: Severity) -> str:
    """The one mapping from our severity to a SARIF level."""
    if severity >= Severity.HIGH:
        return "error"
    if severity is Severity.MEDIUM:
        return "warning"
    return "note"


# `precision` (how often a result is a true positive), per rule family: the secret detectors match
# provider formats and MCP fields; production reuse rests on environment evidence (host names,
# variable names) that a human should confirm; hardening rules are exact syntax checks.
_PRECISION = {"secret": "high", "prod_env": "medium", "hardening": "very-high"}
AUTOMATION_ID = "mcp-guard/"
_FIX_HELP = ("\n\n**Fix:** `mcp-guard fix` (or the one-click suggestion in the pull request) replaces the "
             "value with a reference in the client's own syntax; then rotate the credential, because "
             "it stays in the git history.")


def rule_id_for(rule_id: str, severity: Severity, default: Severity) -> str:
    """The SARIF rule id of a result: GitHub code scanning reads the severity from the RULE, so a
    result more (or less) severe than its rule's default gets a severity-specific rule `ID/label`."""
    return rule_id if severity is default else f"{rule_id}/{severity.label}"


def _rule_descriptor(rule: type[Rule], severity: Severity | None = None) -> dict[str, Any]:
    severity = severity or rule.default_severity
    help_md = rule.remediation + (_FIX_HELP if rule.category.value == "secret" else "")
    return {
        "id": rule_id_for(rule.id, severity, rule.default_severity),
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": help_md.replace("`", "").replace("**", ""), "markdown": help_md},
        "helpUri": rule.help_uri(),
        "defaultConfiguration": {"level": level(severity), "rank": rank(severity)},
        "properties": {
            "security-severity": _SECURITY_SEVERITY[severity],
            "precision": _PRECISION.get(rule.category.value, "medium"),
            "problem.severity": _PROBLEM_SEVERITY[level(severity)],
            "severity": severity.label,
            "tags": ["security", rule.category.value],
        },
    }


_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}


def rank(severity: Severity) -> float:
    """SARIF rank (0-100), the same order as security-severity."""
    return float(_SECURITY_SEVERITY[severity]) * 10


def _region(line: int, column: int) -> dict[str, int]:
    return {"startLine": max(line, 1), "startColumn": max(column, 1)}


def _result(finding: Finding, rule_id: str, rule_index: int) -> dict[str, Any]:
    message = finding.message
    if finding.redacted:
        message = f"{message} ({finding.redacted})"
    if finding.fix is not None:
        message = f"{message} Fix: {finding.fix.description}."
    out: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "rank": rank(finding.severity),
        "message": {"text": message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": finding.file, "uriBaseId": "%SRCROOT%"},
                "region": _region(finding.line, finding.column),
            },
            "logicalLocations": ([{"name": finding.server, "kind": "object"}] if finding.server else []),
        }],
        "partialFingerprints": {"mcpGuardFingerprint/v1": finding.fingerprint},
        "properties": {
            "severity": finding.severity.label,
            "security-severity": _SECURITY_SEVERITY[finding.severity],
            "category": finding.category.value,
            "environment": finding.environment.value,
            "client": finding.client,
            "field": finding.field,
            "secretType": finding.secret_type,
            "blocking": finding.blocking,
            "historyOnly": finding.history_only,
            "fingerprintStable": not is_ephemeral(finding.fingerprint),
            "evidence": list(finding.evidence),
        },
    }
    if finding.related:
        out["relatedLocations"] = [
            {"id": i, "physicalLocation": {"artifactLocation": {"uri": loc.path, "uriBaseId": "%SRCROOT%"},
                                           "region": _region(loc.line, loc.column)}}
            for i, loc in enumerate(finding.related[:MAX_RELATED])
        ]
        if len(finding.related) > MAX_RELATED:
            left = len(finding.related) - MAX_RELATED
            out["message"]["text"] += f" ({left} more related location(s) not listed.)"
            out["properties"]["relatedLocationsOmitted"] = left
    if finding.fix is not None:
        by_file: dict[str, list[dict[str, Any]]] = {}
        for edit in finding.fix.edits:
            by_file.setdefault(edit.file, []).append({
                "deletedRegion": {"startLine": edit.start_line, "startColumn": edit.start_column,
                                  "endLine": edit.end_line, "endColumn": edit.end_column},
                "insertedContent": {"text": edit.replacement},
            })
        out["fixes"] = [{
            "description": {"text": finding.fix.description},
            "artifactChanges": [
                {"artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"}, "replacements": reps}
                for path, reps in by_file.items()
            ],
        }]
    return out


def to_dict(result: ScanResult) -> dict[str, Any]:
    from scanner.rules import REGISTRY, all_rules

    all_rules()  # make sure every family is registered
    descriptors = {rule_id: _rule_descriptor(REGISTRY[rule_id]) for rule_id in sorted(REGISTRY)}
    findings = list(result.findings)
    omitted = max(0, len(findings) - MAX_RESULTS)
    if omitted:  # keep the most severe (the order within one severity stays the scan's)
        keep = set(map(id, sorted(findings, key=lambda f: (not f.blocking, -int(f.severity)))[:MAX_RESULTS]))
        findings = [f for f in findings if id(f) in keep]
    result_ids: list[str] = []
    for finding in findings:
        rule = REGISTRY[finding.rule_id]
        sarif_id = rule_id_for(rule.id, finding.severity, rule.default_severity)
        if sarif_id not in descriptors:
            descriptors[sarif_id] = _rule_descriptor(rule, finding.severity)
        result_ids.append(sarif_id)
    ids = sorted(descriptors)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    notifications = [
        {"level": "error" if e.fatal else "warning", "message": {"text": f"{e.path}: {e.reason}"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": e.path, "uriBaseId": "%SRCROOT%"}}}]}
        for e in result.errors
    ] + [{"level": "warning", "message": {"text": w}} for w in result.warnings]
    if omitted:
        notifications.append({"level": "warning", "message": {"text": (
            f"{omitted} of {len(result.findings)} results are not in this file: GitHub code scanning "
            f"accepts at most {MAX_RESULTS:,} per run (the most severe are kept); every finding still "
            "counts for the status, and `mcp-guard scan --format json` lists them all.")}})
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mcp-guard",
                "semanticVersion": __version__,
                "version": __version__,
                "informationUri": INFO_URI,
                "rules": [descriptors[rule_id] for rule_id in ids],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The scanned repository root."}}},
            "invocations": [{"executionSuccessful": result.complete,
                             "toolExecutionNotifications": notifications}],
            "automationDetails": {"id": AUTOMATION_ID},
            "results": [_result(f, sarif_id, index[sarif_id])
                        for f, sarif_id in zip(findings, result_ids, strict=True)],
        }],
    }


def render(result: ScanResult, *, color: bool = False) -> str:
    # Compact: SARIF is read by tools, and the C encoder (no indent) is ~10x faster on big results.
    return json.dumps(to_dict(result), ensure_ascii=False, separators=(",", ":")) + "\n"
