"""Labeled production-reuse matrix: precision and recall of MCPG201-MCPG203 must stay >= 0.95."""

from __future__ import annotations

import pytest

from tests.matrix.prod_cases import Case, build, cases, evaluate, predict

ALL = cases()


def test_matrix_is_large_and_covers_every_rule() -> None:
    assert len(ALL) >= 60
    expected_rules = {key[0] for case in ALL for key in case.expected}
    assert expected_rules == {"MCPG201", "MCPG202", "MCPG203"}
    negatives = [case for case in ALL if not case.expected]
    assert len(negatives) >= 20


def test_matrix_precision_and_recall() -> None:
    scores = evaluate(ALL)
    overall = scores["all"]
    assert overall.precision >= 0.95 and overall.recall >= 0.95, overall.mistakes
    for rule_id in ("MCPG201", "MCPG202", "MCPG203"):
        assert scores[rule_id].tp > 0, rule_id


@pytest.mark.parametrize("case", [c for c in ALL if c.secrets], ids=lambda c: c.name[:40])
def test_matrix_findings_never_carry_secret_values(case: Case) -> None:
    from scanner.policy import parse_policy
    from tests.fakes import assert_no_secret
    from tests.matrix.builders import context
    from tests.matrix.prod_cases import RULES

    configs, matches, sources = build(case)
    ctx = context(configs, matches, parse_policy(case.policy, "p") if case.policy else None, sources)
    findings = [f for rule in RULES for f in rule.check(ctx)]
    assert_no_secret(repr(findings) + repr(ctx.file_env) + repr(ctx.server_env), *(m.value for m in matches))


def test_predict_is_deterministic() -> None:
    assert [predict(c) for c in ALL[:10]] == [predict(c) for c in ALL[:10]]
