"""GitHub's limits on what the Action publishes, for a pull request with thousands of findings: the
comment (65,536 characters), the job summary (1 MiB), SARIF (25,000 results per run, 1,000
locations per result), annotations (10 per level shown). Each says "N more" explicitly instead of
failing or cutting Markdown in the middle, and every finding still counts.

Findings are built directly (no secret value exists anywhere: only redacted forms), so thousands
cost milliseconds; the views of a limited report must equal the ones a full build makes."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from scanner.findings import Finding, fingerprint
from scanner.gh.annotations import MAX_PER_LEVEL, finding_annotations
from scanner.gh.comment import MAX_COMMENT_CHARS, utf16_len
from scanner.markdown import templates
from scanner.markdown.templates import CommentContext, render_comment, render_summary
from scanner.markdown.views import (
    ReportViews,
    _compact,
    _display_order,
    _Sources,
    build_finding,
    build_report,
)
from scanner.model import Category, Environment, Location, Severity
from scanner.reporters import render, sarif
from scanner.result import ScanResult

CTX = CommentContext(repo="octo/demo", pr_number=7, head_sha="0123456789abcdef0123", base_ref="main",
                     blocking=True, status_text="blocking findings (fail-on: high)",
                     run_url="https://github.com/octo/demo/actions/runs/1")


def _finding(i: int, *, rule: str = "MCPG101", severity: Severity = Severity.HIGH, line: int | None = None,
             related: int = 0) -> Finding:
    path = f"pkg{i // 50}/.cursor/mcp.json"
    server, field = f"s{i % 50 // 5}", f"env.TOKEN_{i % 5}"
    category = Category.SECRET if rule == "MCPG101" else Category.PROD_ENV_REUSE
    return Finding(
        rule_id=rule, category=category, severity=severity,
        location=Location(path, line if line is not None else 3 + i % 50, 9), client="cursor",
        server=server, field=field, environment=Environment.DEV, secret_type="github-pat",
        redacted="ghp_…" + f"{i:04d}"[-4:], fingerprint=fingerprint(rule, path, server, field, f"test:{i}"),
        message=f"GitHub token hardcoded in `{field}` of server '{server}'",
        blocking=severity >= Severity.HIGH,
        related=tuple(Location(f"other/{k}.json", 1, 1) for k in range(related)),
        details=(("provider", "github"),))


def _result(findings: list[Finding], root: Path) -> ScanResult:
    files = sorted({f.file for f in findings})
    return ScanResult(root=str(root), scanned_files=files, errors=[], findings=findings, configs=[])


def _closed(markdown: str) -> None:
    """No fold or code fence left open."""
    assert markdown.count("<details>") == markdown.count("</details>")
    fences = re.findall(r"^\s*(`{3,})", markdown, re.M)
    assert len(fences) % 2 == 0


def test_limited_report_views_equal_a_full_build(tmp_path: Path) -> None:
    # Pairs at one place (a secret and a production-reuse finding on the same value) are grouped:
    # the one shown past the limit must still be complete inside the earlier one.
    findings = [_finding(i) for i in range(40)]
    findings += [_finding(i, rule="MCPG201", severity=Severity.MEDIUM, line=3 + i % 50)
                 for i in range(0, 40, 3)]
    result = _result(findings, tmp_path)
    sources = _Sources(str(tmp_path))
    full = _compact([build_finding(f, sources) for f in _display_order(findings)])
    shared = ReportViews(result)
    for limit in (0, 1, 5, 25, 39, 60):
        report = build_report(result, CTX, limit=limit, views=shared)
        assert list(report.findings) == full[:limit]
        assert [(v.rule_id, v.file, v.line) for v in report.overflow] == [
            (v.rule_id, v.file, v.line) for v in full[limit:]]


def test_comment_and_summary_of_3000_findings_fit_and_say_how_many_more(tmp_path: Path) -> None:
    findings = [_finding(i) for i in range(3000)]
    result = _result(findings, tmp_path)
    views = ReportViews(result)
    summary = render_summary(result, CTX, views=views)
    comment = render_comment(result, CTX, views=views)

    assert len(summary.encode("utf-8")) <= templates.MAX_SUMMARY_BYTES
    shown = summary.count("\n### ")
    listed = len(re.findall(r"^- \S+ MCPG101 \*\*", summary, re.M))
    hidden = int(re.search(r"… and (\d+) more not listed here", summary).group(1))  # type: ignore[union-attr]
    assert shown == templates.SUMMARY_MAX_FINDINGS and listed == templates.SUMMARY_MAX_LISTED
    assert shown + listed + hidden == 3000
    assert f"{3000 - shown} more findings" in summary
    _closed(summary)

    assert utf16_len(comment) <= MAX_COMMENT_CHARS
    c_shown = comment.count("<!-- mcpg:finding -->")
    c_listed = len(re.findall(r"^- \S+ MCPG101 \*\*", comment, re.M))
    c_hidden = int(re.search(r"… and (\d+) more not listed here", comment).group(1))  # type: ignore[union-attr]
    assert c_shown == CTX.max_findings and c_listed == templates.COMMENT_MAX_LISTED
    assert c_shown + c_listed + c_hidden == 3000
    assert "3,000" in comment or "3000" in comment  # the header counts every finding
    _closed(comment)
    # Only the findings shown with advice were built in full.
    assert len(views._full) == templates.SUMMARY_MAX_FINDINGS


def test_summary_halves_until_it_fits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    findings = [_finding(i) for i in range(400)]
    result = _result(findings, tmp_path)
    monkeypatch.setattr(templates, "MAX_SUMMARY_BYTES", 60_000)
    summary = render_summary(result, CTX)
    assert len(summary.encode("utf-8")) <= 60_000
    shown = summary.count("\n### ")
    listed = len(re.findall(r"^- \S+ MCPG101 \*\*", summary, re.M))
    hidden = int(re.search(r"… and (\d+) more not listed here", summary).group(1))  # type: ignore[union-attr]
    assert 0 < shown < templates.SUMMARY_MAX_FINDINGS and shown + listed + hidden == 400
    _closed(summary)


def test_small_results_show_everything(tmp_path: Path) -> None:
    findings = [_finding(i) for i in range(30)]
    summary = render_summary(_result(findings, tmp_path), CTX)
    assert summary.count("\n### ") == 30
    assert "more not listed" not in summary and "more finding" not in summary


def test_sarif_keeps_within_githubs_result_and_location_limits(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif, "MAX_RESULTS", 10)
    findings = [_finding(i, severity=Severity.MEDIUM) for i in range(20)]
    findings[15] = _finding(15, severity=Severity.CRITICAL)
    findings[3] = _finding(3, related=sarif.MAX_RELATED + 7)
    doc = json.loads(render("sarif", _result(findings, tmp_path)))
    run = doc["runs"][0]
    results = run["results"]
    assert len(results) == 10
    prints = {r["partialFingerprints"]["mcpGuardFingerprint/v1"] for r in results}
    assert findings[15].fingerprint in prints and findings[3].fingerprint in prints  # most severe kept
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert any(text.startswith("10 of 20 results are not in this file") for text in notes)
    related = next(r for r in results if r["partialFingerprints"]["mcpGuardFingerprint/v1"]
                   == findings[3].fingerprint)
    assert len(related["relatedLocations"]) == sarif.MAX_RELATED
    assert related["properties"]["relatedLocationsOmitted"] == 7


def test_sarif_of_3000_findings_is_complete_and_compact(tmp_path: Path) -> None:
    findings = [_finding(i) for i in range(3000)]
    text = render("sarif", _result(findings, tmp_path))
    assert len(json.loads(text)["runs"][0]["results"]) == 3000
    assert "\n" not in text.rstrip("\n")  # one line: the C encoder, no indentation


def test_annotations_cap_per_level_and_count_the_rest() -> None:
    findings = [_finding(i) for i in range(30)]
    findings += [_finding(i, severity=Severity.MEDIUM) for i in range(30, 45)]
    findings = [dataclasses.replace(f, blocking=f.severity >= Severity.HIGH) for f in findings]
    lines, omitted = finding_annotations(findings)
    assert sum(line.startswith("::error ") for line in lines) == MAX_PER_LEVEL
    assert sum(line.startswith("::warning ") for line in lines) == MAX_PER_LEVEL
    assert omitted == 45 - 2 * MAX_PER_LEVEL


def test_annotations_leave_room_for_warnings_already_printed() -> None:
    findings = [_finding(i, severity=Severity.MEDIUM) for i in range(12)]
    findings = [dataclasses.replace(f, blocking=False) for f in findings]
    lines, omitted = finding_annotations(findings, {"warning": 4})
    assert len(lines) == MAX_PER_LEVEL - 4 and omitted == 12 - (MAX_PER_LEVEL - 4)
