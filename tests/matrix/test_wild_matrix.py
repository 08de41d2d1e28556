"""The built-in engine over the wild-shapes matrix: precision >= 0.99 over every report, a recall
floor overall and per kind, and the severities the kinds promise (public keys never above LOW,
short passwords LOW, wallet keys critical)."""

from __future__ import annotations

from scanner.engines.engine import SecretMatch
from scanner.model import Severity
from tests.engines.helpers import scan
from tests.matrix.wild_cases import WildCase, wild_cases
from tests.matrix.wild_score import score_wild

CASES = wild_cases()
RESULTS: dict[str, list[SecretMatch]] = {case.id: scan({case.path: case.text}) for case in CASES}
KINDS = sorted({c.kind for c in CASES if c.expect})


def _found(case: WildCase) -> list[SecretMatch]:
    return RESULTS[case.id]


def test_matrix_covers_every_kind_with_positives_and_negatives() -> None:
    assert {
        "db-flag",
        "wallet-hex",
        "wallet-solana",
        "wallet-mnemonic",
        "rpc-path",
        "capability-url",
        "short-password",
        "vendor-shape",
        "app-password",
    } <= set(KINDS)
    negatives = {c.kind for c in CASES if not c.expect}
    assert {
        "neg-placeholder",
        "neg-reference",
        "neg-public",
        "neg-identifier",
        "neg-flag",
        "neg-local",
        "neg-keyless",
    } <= negatives
    assert sum(1 for c in CASES if not c.expect) >= 60


def test_precision_and_recall_floor() -> None:
    result = score_wild(CASES, {cid: [(m.value, m.severity) for m in ms] for cid, ms in RESULTS.items()})
    assert result.precision >= 0.99, f"false hits: {result.false_hits}"
    assert result.recall >= 0.95, f"missed: {result.misses}"
    low = {kind: result.kind_recall(kind) for kind in KINDS if result.kind_recall(kind) < 0.85}
    assert low == {}, f"kinds under the floor: {low}"


def test_public_by_design_keys_are_never_above_low() -> None:
    loud = [c.id for c in CASES if c.low_ok and any(m.severity > Severity.LOW for m in _found(c))]
    assert loud == []


def test_short_passwords_are_low_with_a_reason() -> None:
    for case in (c for c in CASES if c.kind == "short-password"):
        match = next(m for m in _found(case) if m.value in case.expect)
        assert match.severity is Severity.LOW and match.description.startswith("Short password")


def test_wallet_secrets_are_critical() -> None:
    for case in (c for c in CASES if c.kind.startswith("wallet-")):
        match = next(m for m in _found(case) if m.value in case.expect)
        assert match.severity is Severity.CRITICAL and match.provider == "wallet", case.id
