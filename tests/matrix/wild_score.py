"""Score detector output on the wild-shapes matrix: recall per kind, precision over all reports.

A report is (value, severity or None). On a negative marked `low_ok` (public-by-design key), a LOW
report is the explanation the product owes, not a false positive; anything above LOW is. Engines that
give no severity (gitleaks/betterleaks alone) count every report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from scanner.model import Severity
from tests.matrix.secret_score import _same
from tests.matrix.wild_cases import WildCase

Report = tuple[str, Severity | None]


@dataclass
class WildScore:
    tp: int = 0
    fp: int = 0
    per_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [found, expected]
    misses: list[str] = field(default_factory=list)
    false_hits: list[str] = field(default_factory=list)

    @property
    def fn(self) -> int:
        return sum(expected - found for found, expected in self.per_kind.values())

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def kind_recall(self, kind: str) -> float:
        found, expected = self.per_kind[kind]
        return found / expected if expected else 1.0


def score_wild(cases: Iterable[WildCase], found: Mapping[str, Iterable[Report]]) -> WildScore:
    result = WildScore()
    for case in cases:
        reports = list(found.get(case.id, ()))
        if case.expect:
            counts = result.per_kind.setdefault(case.kind, [0, 0])
            for expected in case.expect:
                counts[1] += 1
                if any(_same(value, expected) for value, _sev in reports):
                    counts[0] += 1
                    result.tp += 1
                else:
                    result.misses.append(case.id)
        extras = [(v, s) for v, s in reports if not any(_same(v, e) for e in (*case.expect, *case.same))]
        if case.low_ok:
            extras = [(v, s) for v, s in extras if s is None or s > Severity.LOW]
        if extras:
            result.fp += len(extras)
            result.false_hits.append(case.id)
    return result
