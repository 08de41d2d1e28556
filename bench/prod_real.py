"""Print precision/recall of the production-reuse rules on the real-shape set (full scans).

Run from the repository root: `.venv/bin/python bench/prod_real.py [-v]`. The set is
tests/matrix/prod_real_cases.py (shapes from public MCP configs and READMEs, values built at run time).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from prod_matrix import print_scores  # noqa: E402  (bench/prod_matrix.py)

from tests.matrix.prod_real_cases import evaluate, real_cases  # noqa: E402


def main(argv: list[str]) -> int:
    cases = real_cases()
    scores = evaluate(cases)
    positives = sum(1 for c in cases if c.expect)
    print(f"cases: {len(cases)} ({positives} with findings, {len(cases) - positives} lookalikes)")
    return print_scores(scores, argv)

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
