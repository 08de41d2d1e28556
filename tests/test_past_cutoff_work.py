"""Work past a file's cut-off (issue 16, docs/performance.md "Wave 12"): once a file has given its limit
of detailed findings (MCPG106), what lies after the cut-off is dropped from the report, so the passes
that would only make and then drop it stop there. Counted, never timed; each test also compares the
result with the path that still does the dropped work (the oracle).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner import output_guard
from scanner.engines import analyze, longvalue, unjudged
from scanner.pipeline import ScanOptions, scan_files
from scanner.rules import reference_syntax
from tests.fakes import fake_token

_LIMIT = 5


def _tokens(count: int, seed: int) -> list[str]:
    return [fake_token("ghp_", 36, seed * 100_000 + i) for i in range(count)]


def _keys_and_values(count: int) -> dict[str, bytes]:
    """Tokens as values first, then tokens used as env keys (the names pass of unjudged.py), the
    cut-off coming from the values; and a second file where only keys hold tokens (its cut-off is set
    by the names pass itself, during the search)."""
    values = {"R": "${env:A}", **{f"K{i}": token for i, token in enumerate(_tokens(count, 1))}}
    keys = {token: "x" for token in _tokens(count, 2)}
    first = {"mcpServers": {"a": {"command": "x", "env": values}, "b": {"command": "y", "env": keys}}}
    second = {"mcpServers": {"c": {"command": "z", "env": {token: "x" for token in _tokens(count, 3)}}}}
    return {".mcp.json": json.dumps(first, indent=1).encode(),
            ".cursor/mcp.json": json.dumps(second, indent=1).encode()}


def _scan(files: dict[str, bytes]) -> list[tuple[Any, ...]]:
    output_guard.reset()
    analyze.clear_caches()
    result = scan_files(files, ScanOptions(root=Path("."), use_gitleaks=False, max_findings_per_file=_LIMIT))
    return [(f.rule_id, f.fingerprint, f.location, f.severity, f.message, f.details) for f in result.findings]


class _CountedStarts:
    """The shape-start union of longvalue._shapes, counting the candidate positions it yields."""

    def __init__(self, pattern: Any) -> None:
        self.pattern, self.read = pattern, 0

    def finditer(self, *args: Any) -> Iterator[Any]:
        for match in self.pattern.finditer(*args):
            self.read += 1
            yield match


def _count_candidates(monkeypatch: pytest.MonkeyPatch, files: dict[str, bytes]) -> int:
    bounded, anchored, starts = longvalue._shapes()
    counted = _CountedStarts(starts)
    monkeypatch.setattr(longvalue, "_shapes", lambda: (bounded, anchored, counted))
    _scan(files)
    monkeypatch.setattr(longvalue, "_shapes", lambda: (bounded, anchored, starts))
    return counted.read


def test_the_whole_text_token_search_stops_at_the_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = _count_candidates(monkeypatch, _keys_and_values(20)), \
        _count_candidates(monkeypatch, _keys_and_values(200))
    # Before: every token of the text was a candidate position (3 x 200 = 600, then refused one by one).
    assert large <= small + 4 * _LIMIT, (small, large)


def test_stopping_at_the_cut_off_finds_what_the_whole_search_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    files = _keys_and_values(60)
    stopped = _scan(files)
    whole = unjudged.shape_matches

    def without_stop(text: str, name: str | None, shape_hit: Any, skip: Any = None, stop: Any = None) -> Any:
        return whole(text, name, shape_hit, skip)  # every match tried, those past the cut-off refused

    monkeypatch.setattr(unjudged, "shape_matches", without_stop)
    assert _scan(files) == stopped
    assert sum(1 for finding in stopped if finding[0] == "MCPG106") == 2


def _codex(count: int) -> dict[str, bytes]:
    """A Codex config: literal tokens in its first servers (the cut-off comes after the fifth), then
    `count` servers with a `${NAME}` reference Codex does not resolve (an MCPG303 issue each)."""
    head = "".join(f'[mcp_servers.t{i}]\ncommand = "npx"\n[mcp_servers.t{i}.env]\nGITHUB_TOKEN = "{token}"\n'
                   f'LOG = "${{LOG_{i}}}"\n' for i, token in enumerate(_tokens(10, 4)))
    rest = "".join(f'[mcp_servers.s{i}]\ncommand = "npx"\n[mcp_servers.s{i}.env]\n'
                   'GITHUB_TOKEN = "${GITHUB_TOKEN}"\n' for i in range(count))
    return {".codex/config.toml": (head + rest).encode()}


def _claude_projects(count: int) -> dict[str, bytes]:
    """One server name in every project: its MCPG302 findings share one fingerprint, the first before
    the cut-off (`_dedupe` keeps it), the others after it."""
    projects = {f"/w/p{i}": {"mcpServers": {"github": {"command": "npx", "env": {
        "GITHUB_TOKEN": token, "X": "${env:A}"}}}} for i, token in enumerate(_tokens(count, 5))}
    return {".claude.json": json.dumps({"projects": projects}, indent=1).encode()}


def _goose(count: int) -> dict[str, bytes]:
    """Goose extensions with a `${NAME}` reference each and no secret: the file's cut-off is the cap's
    (its limit of findings), not the engines'."""
    return {".config/goose/config.yaml": ("extensions:\n" + "".join(
        f"  ext{i}:\n    type: stdio\n    cmd: npx\n    envs:\n      API_TOKEN: ${{API_TOKEN}}\n"
        for i in range(count))).encode()}


def _claude_refs(count: int) -> dict[str, bytes]:
    """No secret; in every project a server of one name (one fingerprint, first instance early) and
    one of its own (a fingerprint each), both with a `${env:NAME}` reference Claude Code leaves as is."""
    projects = {f"/w/p{i}": {"mcpServers": {"github": {"command": "npx", "env": {"X": "${env:A}"}},
                                            f"s{i}": {"command": "npx", "env": {"Y": "${env:B}"}}}}
                for i in range(count)}
    return {".claude.json": json.dumps({"projects": projects}, indent=1).encode()}


def _count_reference_findings(monkeypatch: pytest.MonkeyPatch, files: dict[str, bytes]) -> int:
    made = 0
    finding = reference_syntax._RefRule.finding

    def counted(self: Any, **kwargs: Any) -> Any:
        nonlocal made
        made += 1
        return finding(self, **kwargs)

    monkeypatch.setattr(reference_syntax._RefRule, "finding", counted)
    _scan(files)
    monkeypatch.setattr(reference_syntax._RefRule, "finding", finding)
    return made


def test_reference_findings_past_the_cut_off_are_not_made(monkeypatch: pytest.MonkeyPatch) -> None:
    small = _count_reference_findings(monkeypatch, _codex(20))
    large = _count_reference_findings(monkeypatch, _codex(200))
    assert small == large, (small, large)  # before: one finding per server past the cut-off (20 -> 200)
    small = _count_reference_findings(monkeypatch, _goose(20))
    large = _count_reference_findings(monkeypatch, _goose(200))
    assert small == large, (small, large)  # no engines' cut-off: the cap's own, from the issues


@pytest.mark.parametrize("files", [_codex(40), _claude_projects(30), _keys_and_values(30), _goose(40),
                                   _claude_refs(30)])
def test_leaving_them_out_reports_what_making_them_reports(monkeypatch: pytest.MonkeyPatch,
                                                          files: dict[str, bytes]) -> None:
    left_out = _scan(files)
    monkeypatch.setattr(reference_syntax, "kept_issues", lambda found, _ctx: list(found))
    assert _scan(files) == left_out
    assert any(finding[0] == "MCPG106" for finding in left_out)
    assert any(finding[0].startswith("MCPG30") for finding in left_out)


def test_names_are_not_gathered_when_the_scan_found_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.engines import named

    gathered: list[int] = []
    every_name = named._names
    monkeypatch.setattr(named, "_names", lambda configs: gathered.append(1) or every_name(configs))
    _scan(_goose(30))  # 30 references, no secret: no name can hold one (before: every name joined)
    assert gathered == []
    files = {".mcp.json": json.dumps({"mcpServers": {"a": {"command": "x", "env": {
        _tokens(1, 6)[0]: "x", "K": _tokens(1, 7)[0]}}}}).encode()}
    assert any("used as a name" in finding[4] for finding in _scan(files))
    assert gathered == [1]


class _Calls:
    def __init__(self, target: Any) -> None:
        self.calls, self.target = 0, target

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        return self.target(*args)


def test_tokens_in_the_values_found_need_no_spans_of_every_value(monkeypatch: pytest.MonkeyPatch) -> None:
    every = _Calls(unjudged._value_spans)
    monkeypatch.setattr(unjudged, "_value_spans", every)
    values = {f"K{i}": token for i, token in enumerate(_tokens(30, 8))}
    _scan({".mcp.json": json.dumps({"mcpServers": {"a": {"command": "x", "env": values}}}).encode()})
    assert every.calls == 0  # before: made for the first token, a value the values' pass had found
    _scan(_keys_and_values(3))  # a token used as a key: every value's span decides it
    assert every.calls >= 1


def _dotenv_and_more() -> dict[str, bytes]:
    tokens = _tokens(12, 10)
    env = "".join(f"K{i}={token}\n" for i, token in enumerate(tokens[:6])) + f"{tokens[6]}=x\n"
    cursor = {"mcpServers": {"a": {"command": "x", "envFile": "${workspaceFolder}/.env",
                                   "env": {"T": tokens[7], tokens[8]: "x"}, "args": ["--token", tokens[9]]}}}
    return {".env": env.encode(), ".cursor/mcp.json": json.dumps(cursor, indent=1).encode(),
            ".vscode/mcp.json": json.dumps({"servers": {"b": {"command": "y", "env": {
                tokens[10]: tokens[10], "U": tokens[11]}}}}).encode()}


@pytest.mark.parametrize("limit", [0, 3, 1000])
@pytest.mark.parametrize("files", [_keys_and_values(20), _claude_projects(10), _dotenv_and_more()])
# (the first and last hold tokens used as names, in files whose other tokens were found as values)
def test_the_found_values_spans_decide_as_every_values_spans(monkeypatch: pytest.MonkeyPatch, limit: int,
                                                            files: dict[str, bytes]) -> None:
    def scan() -> list[Any]:
        output_guard.reset()
        analyze.clear_caches()
        options = ScanOptions(root=Path("."), use_gitleaks=False, max_findings_per_file=limit)
        found = scan_files(files, options).findings
        return [(f.rule_id, f.fingerprint, f.location, f.message) for f in found]

    first = scan()
    monkeypatch.setattr(unjudged, "_found_values", lambda config, found: iter(()))  # every value's spans
    assert scan() == first
    assert first
