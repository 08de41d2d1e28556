"""An event the Action does not handle is never a silent success: exit 2, one ::error line naming the
event and the supported ones, and (with a token) an `error` status, never `success`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gh.action_helpers import STATUS, Repo, run, states
from tests.gh.github_contract import FakeGitHub, status_reply


@pytest.mark.parametrize("event", ["issue_comment", "pull_request_review", "release", "check_suite",
                                   "workflow_run"])
def test_unsupported_event_is_one_clear_error(tmp_path: Path, gh: FakeGitHub, event: str) -> None:
    repo = Repo(tmp_path / "ws")
    head = repo.commit({"README.md": "hi\n"})
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, event, {"action": "created"})
    assert result.code == 2
    errors = [line for line in result.log.splitlines() if line.startswith("::error")]
    assert errors == [f"::error title=mcp-guard::mcp-guard: event {event} is not supported (supported: "
                      "merge_group, pull_request, pull_request_target, push, schedule, workflow_dispatch)"]
    assert states(gh) == ["error"] and gh.requests("POST", "/statuses/")[0].url.endswith(head)
