"""Status decision (pure) and production-branch globs."""

from __future__ import annotations

import pytest

from scanner.gh.status import MAX_DESCRIPTION, branch_is_production, decide_status

PROD = ("main", "master", "release/*", "prod", "production")


@pytest.mark.parametrize(("branch", "expected"), [
    ("main", True), ("release/1.2", True), ("production", True),
    ("feature/x", False), ("mainline", False), (None, False), ("", False),
])
def test_branch_is_production(branch: str | None, expected: bool) -> None:
    assert branch_is_production(branch, PROD) is expected


@pytest.mark.parametrize(("kwargs", "state"), [
    ({"complete": True, "blocking": 2, "total": 3, "base_branch": "release/1.2"}, "failure"),
    ({"complete": True, "blocking": 2, "total": 3, "base_branch": "feature/x"}, "success"),
    ({"complete": True, "blocking": 0, "total": 3, "base_branch": "main"}, "success"),
    ({"complete": True, "blocking": 0, "total": 0, "base_branch": "main"}, "success"),
    ({"complete": False, "blocking": 0, "total": 0, "base_branch": "main"}, "error"),
    ({"complete": False, "blocking": 0, "total": 0, "base_branch": "main",
      "nothing_to_scan": "x"}, "error"),
    ({"complete": True, "blocking": 5, "total": 5, "base_branch": "main", "error": "boom"}, "error"),
    ({"complete": True, "blocking": 0, "total": 0, "base_branch": "main",
      "nothing_to_scan": "no MCP config changed"}, "success"),
])
def test_decide_status(kwargs: dict[str, object], state: str) -> None:
    decision = decide_status(production_branches=PROD, **kwargs)  # type: ignore[arg-type]
    assert decision.state == state
    assert 0 < len(decision.description) <= MAX_DESCRIPTION


def test_description_is_bounded() -> None:
    decision = decide_status(complete=True, blocking=1, total=1, base_branch="release/" + "x" * 300,
                             production_branches=PROD)
    assert decision.state == "failure" and len(decision.description) <= MAX_DESCRIPTION
