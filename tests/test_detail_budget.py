"""The per-file limit of detailed findings (scanner/detail_budget.py, rule MCPG106): exactly `limit`
detailed findings and one blocking MCPG106 finding, the per-value analysis stopped at the limit
(counted, never timed), a fingerprint that follows the unanalysed rest, a limit a pull request cannot
raise, and 0 = no limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.detail_budget import lower_limit
from scanner.engines import builtin
from scanner.engines.analyze import clear_caches
from scanner.gh.action import _load_settings, findings_limit
from scanner.gh.annotations import finding_annotations
from scanner.gh.workflow_floor import _floor
from scanner.model import Severity
from scanner.pipeline import ScanOptions, ScanResult, scan_files
from scanner.policy import Policy, parse_policy
from scanner.policy.floor import floor_policy
from scanner.policy.types import RuleDisable
from scanner.reporters import render
from tests.fakes import assert_no_secret, fake_token
from tests.workcount import count_calls

PATH = ".mcp.json"


def _values(count: int, seed: int = 0) -> list[str]:
    return [fake_token("", 24, seed * 100_000 + i) for i in range(count)]


def _config(values: list[str]) -> bytes:
    env = {f"SERVICE_{i}_API_KEY": value for i, value in enumerate(values)}
    return json.dumps({"mcpServers": {"a": {"command": "npx", "env": env}}}, indent=2).encode()


def _scan(data: bytes, limit: int, **options: object) -> ScanResult:
    return scan_files({PATH: data}, ScanOptions(root=Path("."), use_gitleaks=False,
                                                max_findings_per_file=limit, **options))  # type: ignore[arg-type]


def _split(result: ScanResult) -> tuple[list, list]:
    limit = [f for f in result.findings if f.rule_id == "MCPG106"]
    return [f for f in result.findings if f.rule_id != "MCPG106"], limit


def test_limit_plus_k_secrets_give_limit_findings_and_one_blocking_limit_finding() -> None:
    values = _values(8)
    result = _scan(_config(values), 5)
    detailed, limit = _split(result)
    assert len(detailed) == 5 and len(limit) == 1
    assert all(f.rule_id == "MCPG101" for f in detailed)
    found = limit[0]
    assert found.blocking and found.severity is Severity.CRITICAL and result.blocking_count == 6
    assert found.redacted is None and found.secret_type is None
    assert "5 finding(s)" in found.message and "--max-findings-per-file" in found.message
    # at the first value not analysed: the sixth env entry (line 11 of the pretty-printed file)
    assert (found.line, found.file) == (11, PATH)
    assert max(f.line for f in detailed) < found.line


def test_limit_finding_blocks_at_every_threshold_that_blocks_a_secret() -> None:
    result = _scan(_config(_values(4)), 2, fail_on=Severity.CRITICAL)
    assert [f.blocking for f in _split(result)[1]] == [True]
    assert not any(f.blocking for f in _split(result)[0])  # high secrets pass at `critical`


def test_per_value_analysis_stops_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    real = builtin.analyze

    def counting(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtin, "analyze", counting)
    clear_caches()
    data = _config(_values(400))
    _scan(data, 10)
    assert calls["n"] == 1 + 10  # the command and the ten env values admitted; the 11th is the cut-off
    calls["n"] = 0
    _scan(data, 0)
    assert calls["n"] == 1 + 400


def test_work_past_the_limit_is_parse_only() -> None:
    """4x the findings past the limit cost about what parsing 4x the text costs, not 4x the
    analysis, fixes and fingerprints: the counted calls of the scan grow far less than 4-fold."""
    small, large = _config(_values(200, 1)), _config(_values(800, 2))
    _scan(small, 20)  # warm caches, imports and compiled patterns
    limited = count_calls(lambda: _scan(large, 20)) - count_calls(lambda: _scan(small, 20))
    unlimited = count_calls(lambda: _scan(large, 0)) - count_calls(lambda: _scan(small, 0))
    assert limited * 5 < unlimited, (limited, unlimited)


def test_fingerprint_follows_the_unanalysed_rest() -> None:
    values = _values(12, 3)
    base = _split(_scan(_config(values), 5))[1][0].fingerprint
    assert _split(_scan(_config(values), 5))[1][0].fingerprint == base  # stable across runs
    later = [*values[:-1], fake_token("", 24, 999)]  # the last value (never analysed) changed
    assert _split(_scan(_config(later), 5))[1][0].fingerprint != base
    added = [*values, fake_token("", 24, 998)]  # a secret added at the end of the file
    assert _split(_scan(_config(added), 5))[1][0].fingerprint != base
    earlier = [fake_token("", 24, 997), *values[1:]]  # an analysed value changed: the rest did not
    assert _split(_scan(_config(earlier), 5))[1][0].fingerprint == base


def test_baseline_of_the_limit_finding_does_not_hide_a_later_secret() -> None:
    values = _values(9, 4)
    first = _scan(_config(values), 5)
    accepted = frozenset(f.fingerprint for f in first.findings)
    assert _scan(_config(values), 5, baseline=accepted).findings == []
    again = _scan(_config([*values, fake_token("", 24, 996)]), 5, baseline=accepted)
    assert [f.rule_id for f in again.findings] == ["MCPG106"] and again.blocking_count == 1


def test_disable_rules_does_not_hide_the_limit_finding() -> None:
    policy = Policy(disable_rules=(RuleDisable("MCPG106", "too noisy", None),))
    result = _scan(_config(_values(7)), 3, policy=policy)
    assert len(_split(result)[1]) == 1
    assert any("MCPG106" in warning for warning in result.warnings)  # named as an unused entry


def test_zero_is_no_limit_and_below_the_limit_the_output_is_unchanged() -> None:
    data = _config(_values(30, 5))
    unlimited = _scan(data, 0)
    assert len(unlimited.findings) == 30 and not _split(unlimited)[1]
    for fmt in ("json", "sarif", "text", "markdown"):
        assert render(fmt, _scan(data, 30)) == render(fmt, unlimited)


def test_every_reporter_shows_the_limit_finding_without_a_value() -> None:
    values = _values(6, 6)
    result = _scan(_config(values), 2)
    for fmt in ("json", "sarif", "text", "markdown"):
        text = render(fmt, result)
        assert "MCPG106" in text, fmt
        assert_no_secret(text, *values)
    sarif = json.loads(render("sarif", result))
    run = sarif["runs"][0]
    assert "MCPG106" in {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    (limit,) = [r for r in run["results"] if r["ruleId"] == "MCPG106"]
    assert limit["level"] == "error" and limit["partialFingerprints"]
    lines, _omitted = finding_annotations(result.findings)
    notes = "\n".join(lines)
    assert lines[0].startswith("::error") and "title=MCPG106" in lines[0]  # the most severe: first
    assert_no_secret(notes, *values)


def test_tokens_used_as_names_stop_at_the_limit() -> None:
    tokens = [fake_token("ghp_", 36, 700 + i) for i in range(9)]
    env = {token: "x" for token in tokens}
    data = json.dumps({"mcpServers": {"a": {"command": "npx", "env": env}}}, indent=2).encode()
    detailed, limit = _split(_scan(data, 4))
    assert len(detailed) == 4 and len(limit) == 1 and limit[0].line > max(f.line for f in detailed)
    assert len(_scan(data, 0).findings) == 9


def test_gitleaks_style_matches_past_the_cut_off_are_folded_in() -> None:
    """A match located after the cut-off (here: from the comment pass of a later line) is not reported
    in detail; the limit finding stands for it."""
    values = _values(6, 8)
    text = _config(values).decode().replace('"command": "npx",', '"command": "npx", // x', 1)
    detailed, limit = _split(_scan(text.encode(), 3))
    assert len(detailed) == 3 and len(limit) == 1


# --- where the limit comes from -------------------------------------------------------------------


def test_cli_flag_and_policy_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    values = _values(6, 9)
    (tmp_path / PATH).write_bytes(_config(values))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def rules(*args: str) -> list[str]:
        out = runner.invoke(main, ["scan", "--no-gitleaks", "--format", "json", *args, PATH])
        assert out.exit_code == 1, out.output
        assert_no_secret(out.output, *values)
        return [f["rule_id"] for f in json.loads(out.output)["findings"]]

    assert rules("--max-findings-per-file", "2").count("MCPG101") == 2
    assert "MCPG106" in rules("--max-findings-per-file", "2")
    assert "MCPG106" not in rules()  # default 1000
    (tmp_path / ".mcp-guard.yml").write_text("max-findings-per-file: 3\n")
    assert rules().count("MCPG101") == 3
    assert "MCPG106" not in rules("--max-findings-per-file", "0")  # the flag wins, 0 = no limit


def test_policy_key_is_validated() -> None:
    assert parse_policy("max-findings-per-file: 0\n", "p").max_findings_per_file == 0
    with pytest.raises(Exception, match="max-findings-per-file"):
        parse_policy("max-findings-per-file: -1\n", "p")


def test_lower_limit_counts_zero_as_no_limit() -> None:
    assert lower_limit(None, 5) == 5 and lower_limit(0, 5) == 5 and lower_limit(7, 5) == 5
    assert lower_limit(0, 0) == 0 and lower_limit(None, None) is None


def test_pull_request_policy_cannot_raise_the_limit() -> None:
    base = {".mcp-guard.yml": b"max-findings-per-file: 50\n"}
    head = {".mcp-guard.yml": b"max-findings-per-file: 0\n", "relaxed.yml": b"max-findings-per-file: 0\n"}

    class Ctx:
        config = None

    settings = _load_settings(Ctx(), base.get, head.get)  # type: ignore[arg-type]
    assert settings.policy.max_findings_per_file == 50
    assert findings_limit(0, settings.policy) == 50 and findings_limit(None, settings.policy) == 50
    assert findings_limit(10, settings.policy) == 10  # lowering is the run's own business
    assert findings_limit(None, Policy()) == 1000
    # a policy named by the (PR-editable) `config` input is floored by the default-named base one
    named = floor_policy(parse_policy("max-findings-per-file: 0\n", "relaxed.yml"),
                         parse_policy("max-findings-per-file: 50\n", ".mcp-guard.yml"))
    assert named.max_findings_per_file == 50


def test_base_workflow_copy_caps_the_pull_requests_input() -> None:
    # the base's step leaves the input out: the PR's own input is capped by the default
    assert _floor([{}]).max_findings_per_file == 1000  # type: ignore[union-attr]
    assert _floor([{"max-findings-per-file": "200"}]).max_findings_per_file == 200  # type: ignore[union-attr]
    assert _floor([{"max-findings-per-file": "${{ vars.N }}"}]).max_findings_per_file is None  # type: ignore[union-attr]
    assert _floor([{"max-findings-per-file": "0"}, {}]).max_findings_per_file == 0  # type: ignore[union-attr]
