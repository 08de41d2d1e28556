"""The built-in engine over the labeled matrix: precision >= 0.99, recall >= 0.98, types as labeled."""

from __future__ import annotations

from scanner.engines.engine import SecretMatch
from tests.engines.helpers import scan
from tests.matrix.secret_cases import Case, all_cases
from tests.matrix.secret_score import score

CASES = all_cases()


def _run() -> dict[str, list[SecretMatch]]:
    return {case.id: scan({case.path: case.text}) for case in CASES}


RESULTS = _run()


def test_matrix_is_large_and_balanced() -> None:
    positives = [c for c in CASES if c.expect]
    assert len(CASES) >= 150 and len(positives) >= 100 and len(CASES) - len(positives) >= 60


def test_builtin_precision_and_recall() -> None:
    result = score(CASES, {cid: [m.value for m in ms] for cid, ms in RESULTS.items()})
    assert result.recall >= 0.98, f"missed: {result.misses}"
    assert result.precision >= 0.99, f"false hits: {result.false_hits}"


def test_secret_types_match_labels() -> None:
    wrong = [c.id for c in CASES if c.secret_type and not _typed(c, RESULTS[c.id])]
    assert wrong == []


def _typed(case: Case, matches: list[SecretMatch]) -> bool:
    return any(m.secret_type == case.secret_type and m.value in case.expect for m in matches)
