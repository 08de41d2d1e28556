"""Production-reuse rules end to end on shapes from public MCP configs (tests/matrix/prod_real_cases.py):
precision and recall >= 0.95 overall, every MCPG2xx rule has true positives, and no finding or
evidence carries a credential built for a case."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from scanner.pipeline import scan
from scanner.result import ScanOptions
from tests.fakes import assert_no_secret
from tests.matrix.prod_real_cases import evaluate, real_cases

ALL = real_cases()


def test_set_is_large_and_has_lookalikes() -> None:
    assert len(ALL) >= 40
    assert len({c.id for c in ALL}) == len(ALL)
    assert sum(1 for c in ALL if not c.expect) >= 20
    assert all(c.seen for c in ALL)


def test_precision_and_recall() -> None:
    scores = evaluate(ALL)
    overall = scores["all"]
    assert overall.precision >= 0.95 and overall.recall >= 0.95, overall.mistakes
    for rule_id in ("MCPG201", "MCPG202", "MCPG203"):
        assert scores[rule_id].tp > 0, rule_id


def test_findings_never_carry_the_built_credentials() -> None:
    cases = [c for c in ALL if c.id in {"stripe-live-arg", "braintree-token-live", "shippo-live",
                                         "gh-dev-and-prod", "atlas-prod-cluster"}]
    assert len(cases) == 5
    for case in cases:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for rel, text in case.files:
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_text(text, encoding="utf-8")
            result = scan(ScanOptions(root=root, use_gitleaks=False))
        literals = [v for _rel, text in case.files for v in _credential_literals(text)]
        assert literals, case.id
        assert_no_secret(repr(result.findings), *literals)


def _credential_literals(text: str) -> list[str]:
    """The values built with fake_token in a case file: long values under credential-like names."""
    out: list[str] = []
    for entry in next(iter(json.loads(text).values())).values():
        for key, value in (entry.get("env") or {}).items():
            password = _USERINFO.search(value)
            if password:
                out.append(password.group(1))
            elif any(word in key for word in ("KEY", "TOKEN")) and "${" not in value:
                out.append(value)
        out.extend(a.split("=", 1)[1] for a in entry.get("args", []) if a.startswith("--api-key="))
    return out


_USERINFO = re.compile(r"://[^:/@]+:([^@]+)@")
