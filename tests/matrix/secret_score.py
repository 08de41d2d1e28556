"""Score detector output against the labeled matrix: precision and recall over secret values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tests.matrix.secret_cases import Case


@dataclass
class Score:
    """Counts over the matrix; `misses`/`false_hits` hold case ids only (never values)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_hits: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _same(found: str, expected: str) -> bool:
    # A detector may capture a slightly different extent of the same token (gitleaks' generic rule);
    # it counts when one contains the other and the shorter part is substantial.
    found, expected = found.replace("\\n", "\n"), expected.replace("\\n", "\n")  # raw-text escapes
    shorter = min(len(found), len(expected))
    return found == expected or (shorter >= 8 and (found in expected or expected in found))


def score(cases: Iterable[Case], found: Mapping[str, Iterable[str]]) -> Score:
    """`found` maps case id -> secret values a detector reported for that case."""
    result = Score()
    for case in cases:
        values = list(found.get(case.id, ()))
        for expected in case.expect:
            if any(_same(v, expected) for v in values):
                result.tp += 1
            else:
                result.fn += 1
                result.misses.append(case.id)
        extras = [v for v in values if not any(_same(v, e) for e in case.expect)]
        if extras:
            result.fp += len(extras)
            result.false_hits.append(case.id)
    return result
