"""Print precision/recall of the production-reuse rules on the labeled matrix.

Run from the repository root: `.venv/bin/python bench/prod_matrix.py [-v]`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.matrix.prod_cases import cases, evaluate  # noqa: E402


def main(argv: list[str]) -> int:
    all_cases = cases()
    print(f"cases: {len(all_cases)}")
    return print_scores(evaluate(all_cases), argv)


def print_scores(scores: Mapping[str, Any], argv: list[str]) -> int:
    """The per-rule table of `evaluate`'s scores (and with -v every mistake); exit code 0."""
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
