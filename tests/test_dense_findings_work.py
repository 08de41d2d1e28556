"""The work per finding is constant (counted, never timed): a file with K times more findings costs
about K times more from the scan through every report format and the output boundary, not K*K.

Issue 16: a finding-dense file (`"KEY_n": "valueN"` pairs, one finding each) took minutes through
the CLI because the output boundary searched the whole report once per registered short value.
Work is counted as Python and C function calls (sys.setprofile) plus, for the output boundary, the
characters handed to `str.find` (one C call can scan the whole output).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from scanner import output_guard
from scanner.pipeline import ScanOptions, ScanResult, scan_files
from scanner.reporters import render
from tests.fakes import fake_token
from tests.workcount import count_calls

K = 4


_calls = count_calls


class _CountingText(str):
    """A text that counts the characters each `find` may scan (a C call the profiler counts once)."""

    scanned = 0

    def find(self, sub: str, start: int | None = None, end: int | None = None, /) -> int:  # type: ignore[override]
        _CountingText.scanned += len(self) - (start or 0)
        return super().find(sub, start, end)

    def lower(self) -> str:  # the output boundary folds the case first: keep counting the folded text
        return _CountingText(super().lower())


def _short_values(n: int) -> list[str]:
    return [f"value{i}" for i in range(1000, 1000 + n)]  # 8-9 characters: matched whole


def _guard_work(n: int) -> int:
    output_guard.reset()
    values = _short_values(n)
    output_guard.register_secrets(values)
    # A report of n lines naming each key, its redacted form and a fingerprint, no value in it.
    text = _CountingText("".join(f"KEY_{i}: ******** {fake_token('', 16, i)}\n" for i in range(n)))
    _CountingText.scanned = 0
    calls = _calls(lambda: output_guard.find_leaks(text))
    return calls + _CountingText.scanned


def test_output_boundary_work_is_linear_in_the_short_values_and_the_output() -> None:
    small, large = _guard_work(500), _guard_work(K * 500)
    assert large <= 1.3 * K * small, f"work grew {large / small:.1f}-fold for {K}x the values and output"


def _reference_spans(text: str, pieces: set[str], short: set[str]) -> list[tuple[int, int]]:
    text = "".join(c.lower() if "A" <= c <= "Z" else c for c in text)  # the registry's folded forms
    spans = [(i, i + output_guard.PIECE) for i in range(len(text) - output_guard.PIECE + 1)
             if text[i:i + output_guard.PIECE] in pieces]
    for value in short:
        start = text.find(value)
        while start >= 0:
            spans.append((start, start + len(value)))
            start = text.find(value, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@pytest.mark.parametrize("count", [3, 40])  # both sides of the few-values threshold
def test_short_value_spans_equal_one_search_per_value(count: int) -> None:
    rng = random.Random(count)
    alphabet = "ab-.1"  # few characters: values overlap, nest and repeat in the text
    values = {"".join(rng.choice(alphabet) for _ in range(rng.randint(8, 11))) for _ in range(count)}
    values |= {"aaaaaaaa", "aaaaaaaaa"}  # one a prefix of the other, overlapping runs of `a`
    output_guard.reset()
    output_guard.register_secrets(sorted(values) + [fake_token("ghp_", 36, 1)])
    registry = output_guard._REGISTRY
    for _ in range(40):
        parts = [rng.choice(sorted(values)) if rng.random() < 0.3 else
                 "".join(rng.choice(alphabet + "xyz\n") for _ in range(rng.randint(0, 12)))
                 for _ in range(30)]
        text = "".join(parts) + "aaaaaaaaaaaa" + fake_token("ghp_", 36, 1)[3:20]
        assert output_guard.find_leaks(text) == _reference_spans(text, registry.pieces, registry.short)


def test_piece_spans_equal_a_test_at_every_position() -> None:
    # Long values from a small alphabet: pieces of them overlap, repeat and start at every offset.
    rng = random.Random(7)
    alphabet = "ab-1"
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(12, 30))) for _ in range(6)]
    output_guard.reset()
    output_guard.register_secrets(values)
    registry = output_guard._REGISTRY
    for _ in range(60):
        parts = [rng.choice(values)[rng.randint(0, 8):] if rng.random() < 0.4 else
                 "".join(rng.choice(alphabet + "z\n") for _ in range(rng.randint(0, 14)))
                 for _ in range(rng.randint(0, 12))]
        text = "".join(parts)
        assert output_guard.find_leaks(text) == _reference_spans(text, registry.pieces, registry.short)


def _env_keys(n: int) -> dict[str, bytes]:
    # The hostile env_keys shape: one server, n `"KEY_i": "valueI"` pairs, one finding each.
    env = {f"KEY_{i}": f"value{1000 + i}" for i in range(n)}
    return {".mcp.json": json.dumps({"mcpServers": {"a": {"command": "x", "env": env}}}).encode()}


def _scan(files: dict[str, bytes]) -> ScanResult:
    return scan_files(files, ScanOptions(root=Path("."), use_gitleaks=False))


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown"])
def test_report_work_per_finding_is_constant(fmt: str) -> None:
    _scan(_env_keys(7))  # warm up (lazy imports) on another input

    def work(n: int) -> int:
        output_guard.reset()
        result = _scan(_env_keys(n))
        assert len([f for f in result.findings if f.rule_id == "MCPG101"]) >= 0.9 * n
        return _calls(lambda: output_guard.check_output(render(fmt, result), "the output"))

    small, large = work(60), work(K * 60)
    assert large <= 1.3 * K * small, f"{fmt}: work grew {large / small:.1f}-fold for {K}x the findings"
