"""SARIF 2.1.0 report: rules from the registry, our fingerprints, relative URIs, never a snippet."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from scanner import __version__
from scanner.findings import Finding
from scanner.model import Severity

if TYPE_CHECKING:
    from scanner.result import ScanResult
    from scanner.rules.base import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/mcp-guard/mcp-guard"
# GitHub code scanning reads rules[].properties["security-severity"] (0.0-10.0).
_SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0",
                      Severity.MEDIUM: "5.5", Severity.LOW: "3.0"}


def level(severity: Severity) -> str:
    """The one mapping from our severity to a SARIF level."""
    if severity >= Severity.HIGH:
        return "error"
    if severity is Severity.MEDIUM:
        return "warning"
    return "note"


def _rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": rule.remediation, "markdown": rule.remediation},
        "helpUri": rule.help_uri(),
        "defaultConfiguration": {"level": level(rule.default_severity)},
        "properties": {
            "security-severity": _SECURITY_SEVERITY[rule.default_severity],
            "tags": ["security", rule.category.value],
        },
    }


def _region(line: int, column: int) -> dict[str, int]:
    return {"startLine": max(line, 1), "startColumn": max(column, 1)}


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    message = finding.message
    if finding.redacted:
        message = f"{message} ({finding.redacted})"
    out: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
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
            "evidence": list(finding.evidence),
        },
    }
    if finding.related:
        out["relatedLocations"] = [
            {"id": i, "physicalLocation": {"artifactLocation": {"uri": loc.path, "uriBaseId": "%SRCROOT%"},
                                           "region": _region(loc.line, loc.column)}}
            for i, loc in enumerate(finding.related)
        ]
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
    ids = sorted(REGISTRY)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    notifications = [
        {"level": "error", "message": {"text": f"{e.path}: {e.reason}"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": e.path, "uriBaseId": "%SRCROOT%"}}}]}
        for e in result.errors
    ] + [{"level": "warning", "message": {"text": w}} for w in result.warnings]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mcp-guard",
                "semanticVersion": __version__,
                "version": __version__,
                "informationUri": INFO_URI,
                "rules": [_rule_descriptor(REGISTRY[rule_id]) for rule_id in ids],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The scanned repository root."}}},
            "invocations": [{"executionSuccessful": result.complete,
                             "toolExecutionNotifications": notifications}],
            "results": [_result(f, index[f.rule_id]) for f in result.findings],
        }],
    }


def render(result: ScanResult, *, color: bool = False) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"
