"""Workflow-command escaping, GITHUB_OUTPUT heredocs, summary truncation, annotation caps."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from scanner.findings import Finding
from scanner.gh.annotations import finding_annotations
from scanner.gh.runner import Runner, escape_data, escape_property, format_output, truncate_utf8
from scanner.model import Category, Environment, Location, Severity


@pytest.mark.parametrize(("raw", "data", "prop"), [
    ("a%b", "a%25b", "a%25b"),
    ("l1\nl2\r", "l1%0Al2%0D", "l1%0Al2%0D"),
    ("k:v,w", "k:v,w", "k%3Av%2Cw"),
])
def test_escaping_matches_toolkit(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data and escape_property(raw) == prop


def test_output_heredoc_delimiter_not_in_value(tmp_path: Path) -> None:
    value = "line1\nghadelimiter_x\nline3"
    entry = format_output("findings", value)
    name, _, rest = entry.partition("<<")
    delimiter = rest.split("\n", 1)[0]
    assert name == "findings" and delimiter not in value
    assert entry == f"findings<<{delimiter}\n{value}\n{delimiter}\n"
    out = tmp_path / "out"
    Runner(io.StringIO(), out, None).set_outputs({"a": "1", "b": "2"})
    assert out.read_text().count("<<ghadelimiter_") == 2


def test_truncate_utf8_keeps_limit_and_characters() -> None:
    text = ("é" * 50 + "\n") * 100
    cut = truncate_utf8(text, 1000, "\nNOTE\n")
    assert len(cut.encode("utf-8")) <= 1000 and cut.endswith("NOTE\n")
    assert "\ufffd" not in cut


def _finding(i: int, severity: Severity, blocking: bool) -> Finding:
    return Finding(rule_id="MCPG101", category=Category.SECRET, severity=severity,
                   location=Location("a,b:c.json", i, 3), client="cursor", server="s", field="env.X",
                   environment=Environment.UNKNOWN, secret_type="github-pat", redacted="ghp_…abcd",
                   fingerprint=f"{i:064x}", message="50% of\nthings", blocking=blocking)


def test_annotations_capped_per_level_and_escaped() -> None:
    findings = [_finding(i, Severity.HIGH, True) for i in range(1, 16)]
    findings += [_finding(i, Severity.MEDIUM, False) for i in range(1, 4)]
    lines, omitted = finding_annotations(findings)
    assert omitted == 5
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 3
    assert lines[0] == ("::error file=a%2Cb%3Ac.json,line=1,col=3,title=MCPG101 high::50%25 of%0Athings")
