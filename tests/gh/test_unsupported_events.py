"""An event the Action does not handle is never a silent success: exit 2, one ::error line naming the
event and the supported ones, and (with a token) an `error` status on the change the payload names
(a pull request's head, a merge group's head), never `success`, and never on a commit the run knows
nothing about (GITHUB_SHA of such an event: the default branch's tip, a tag's commit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gh.action_helpers import STATUS, Repo, pr_payload, run, states
from tests.gh.github_contract import FakeGitHub, status_reply


@pytest.mark.parametrize("event", ["issue_comment", "pull_request_review", "release", "check_suite",
                                   "workflow_run"])
def test_unsupported_event_is_one_clear_error(tmp_path: Path, gh: FakeGitHub, event: str) -> None:
    """Was: an `error` status on GITHUB_SHA, for issue_comment and workflow_run the default branch's
    tip, which a push run judged: its passing status turned red by a run that judged nothing."""
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    gh.add("POST", STATUS, status_reply, optional=True)
    result = run(repo.path, tmp_path, event, {"action": "created"})
    assert result.code == 2
    errors = [line for line in result.log.splitlines() if line.startswith("::error")]
    assert errors == [f"::error title=mcp-guard::mcp-guard: event {event} is not supported (supported: "
                      "merge_group, pull_request, pull_request_target, push, schedule, workflow_dispatch)"]
    assert states(gh) == []


@pytest.mark.parametrize("event", ["pull_request_review", "pull_request_review_comment"])
def test_an_unsupported_pull_request_event_marks_the_pr_head_not_the_merge_commit(
        tmp_path: Path, gh: FakeGitHub, event: str) -> None:
    """Was: the `error` status went to GITHUB_SHA, which for these events is the PR's test merge
    commit (refs/pull/N/merge): no pull request shows a status set there."""
    repo = Repo(tmp_path / "ws")
    base = repo.commit({"README.md": "hi\n"})
    repo.checkout("-B", "pr")
    head = repo.commit({"README.md": "hi again\n"})
    repo.checkout("-q", "--detach", base)
    merge = repo.commit({"README.md": "merged\n"}, "the test merge commit")
    gh.add("POST", STATUS, status_reply)
    payload = {**pr_payload(base, head), "action": "submitted"}
    result = run(repo.path, tmp_path, event, payload, extra_env={"GITHUB_SHA": merge})
    assert result.code == 2 and f"event {event} is not supported" in result.log
    posted = gh.requests("POST", "/statuses/")
    assert states(gh) == ["error"] and posted[0].url.endswith(f"/statuses/{head}")
