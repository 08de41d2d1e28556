"""Print precision/recall of the production-reuse rules on the real-shape set (full scans).

Run from the repository root: `.venv/bin/python bench/prod_real.py [-v]`. The set is
tests/matrix/prod_real_cases.py (shapes from public MCP configs and READMEs, values built at run time).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.matrix.prod_real_cases import evaluate, real_cases  # noqa: E402


def main(argv: list[str]) -> int:
    cases = real_cases()
    scores = evaluate(cases)
    positives = sum(1 for c in cases if c.expect)
    print(f"cases: {len(cases)} ({positives} with findings, {len(cases) - positives} lookalikes)")
    print(f"{'rule':8} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
    for rule_id in sorted(scores):
        s = scores[rule_id]
        print(f"{rule_id:8} {s.tp:4} {s.fp:4} {s.fn:4} {s.precision:10.3f} {s.recall:8.3f}")
    if "-v" in argv:
        for mistake in scores["all"].mistakes:
            print(mistake)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
