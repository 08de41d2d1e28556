"""Creating POSTs are not retried blindly: a 502 (or a lost answer) after GitHub already created the issue
comment or the review would post it twice. The sticky comment is looked for in the thread before it is
posted again (bounded); a review that failed so is left for the next run, which sees what landed.
Idempotent calls (GET, PATCH, the status POST: one status per context) keep their retries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scanner.gh.api import GitHubApi, GitHubHTTPError
from scanner.gh.comment import MARKER, upsert_sticky
from tests.fakes import assert_no_secret
from tests.gh.action_helpers import (
    BOT,
    COMMENTS,
    CONFIG,
    STATUS,
    Clock,
    everything,
    mcp_config,
    one_change_pr,
    pat,
    pr_payload,
    run,
    states,
)
from tests.gh.github_contract import API, CommentStore, FakeGitHub, forbidden, status_reply
from tests.gh.test_review import REVIEWS, PullReview, _sticky

COMMENT = "/repos/{owner}/{repo}/issues/comments/{comment_id}"
BAD_GATEWAY = (502, {}, {"message": "Server Error"})


def _api(waits: list[float]) -> GitHubApi:
    """Retry waits in `waits`; the pacing between writes counted apart (tests/gh/test_pacing.py)."""
    return GitHubApi(API, "tok", sleep=waits.append, pacer=Clock().pacer())


def _created_then_502(store: CommentStore) -> Any:
    """GitHub created the comment, then the answer was lost behind a 502 of the proxy."""
    def reply(body: Any, _url: str) -> tuple[int, dict[str, str], Any]:
        store.add(body["body"], BOT)
        return BAD_GATEWAY
    return reply


def test_a_comment_create_answered_502_is_not_retried(gh: FakeGitHub) -> None:
    waits: list[float] = []
    gh.add("POST", COMMENTS, lambda _b, _u: BAD_GATEWAY)
    with pytest.raises(GitHubHTTPError, match="HTTP 502") as raised:
        _api(waits).create_issue_comment("o/r", 7, "hello")
    assert raised.value.status == 502 and len(gh.requests("POST")) == 1 and waits == []


def test_a_rate_limited_create_is_still_retried(gh: FakeGitHub) -> None:
    """A 429 is refused before anything is done: waiting and posting again duplicates nothing."""
    waits: list[float] = []
    store = CommentStore()
    replies = [(429, {"Retry-After": "3"}, {"message": "You have exceeded a secondary rate limit"})]
    gh.add("POST", COMMENTS, lambda body, url: replies.pop(0) if replies else store.on_create(BOT)(body, url))
    _api(waits).create_issue_comment("o/r", 7, "hello")
    assert waits == [3.0] and len(gh.requests("POST")) == 2 and len(store.comments) == 1


def test_a_status_post_and_an_edit_keep_their_retries(gh: FakeGitHub) -> None:
    waits: list[float] = []
    store = CommentStore()
    comment = store.add(MARKER + "\nold", BOT)
    statuses = [BAD_GATEWAY]
    edits = [BAD_GATEWAY]
    gh.add("POST", STATUS, lambda body, url: statuses.pop(0) if statuses else status_reply(body, url))
    gh.add("PATCH", COMMENT, lambda body, url: edits.pop(0) if edits else store.on_update()(body, url))
    api = _api(waits)
    api.create_status("o/r", "a" * 40, state="success", context="mcp-guard", description="ok")
    api.update_issue_comment("o/r", comment["id"], MARKER + "\nnew")
    assert len(gh.requests("POST")) == 2 and len(gh.requests("PATCH")) == 2 and waits == [1.0, 1.0]


def test_a_sticky_created_behind_a_502_is_found_not_posted_twice(gh: FakeGitHub) -> None:
    waits: list[float] = []
    store = CommentStore()
    store.add("an unrelated comment", "octocat")
    store.register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, _created_then_502(store))
    outcome = upsert_sticky(_api(waits), "o/r", 7, "report", [BOT], pause=waits.append)
    assert outcome is not None and outcome.action == "created"
    ours = [c for c in store.comments if c["body"].startswith(MARKER)]
    assert len(ours) == 1 and outcome.comment_id == ours[0]["id"]
    assert len(gh.requests("POST")) == 1 and len(gh.requests("GET")) == 2 and waits == [1.0]


def test_a_create_that_did_not_land_is_posted_again_after_the_thread_was_reread(gh: FakeGitHub) -> None:
    """The thread is read again after 1, 2 and 4 s (a listing may lag the create) before posting again."""
    waits: list[float] = []
    store = CommentStore()
    store.register(gh, "o/r", 7)
    replies = [BAD_GATEWAY]
    gh.add("POST", COMMENTS, lambda body, url: replies.pop(0) if replies else store.on_create(BOT)(body, url))
    outcome = upsert_sticky(_api(waits), "o/r", 7, "report", [BOT], pause=waits.append)
    assert outcome is not None and outcome.action == "created" and len(store.comments) == 1
    assert len(gh.requests("POST")) == 2 and len(gh.requests("GET")) == 4 and waits == [1.0, 2.0, 4.0]


def test_creates_are_bounded_and_a_4xx_is_not_reread(gh: FakeGitHub) -> None:
    waits: list[float] = []
    store = CommentStore()
    store.register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, lambda _b, _u: BAD_GATEWAY)
    with pytest.raises(GitHubHTTPError, match="HTTP 502"):
        upsert_sticky(_api(waits), "o/r", 7, "report", [BOT], pause=waits.append)
    assert len(gh.requests("POST")) == 3 and waits == [1.0, 2.0, 4.0] * 3 and not store.comments


def test_a_refused_create_is_not_reread(gh: FakeGitHub) -> None:
    waits: list[float] = []
    CommentStore().register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, lambda _b, _u: (422, {}, {"message": "Validation Failed", "errors": [
        {"resource": "IssueComment", "code": "unprocessable", "field": "data",
         "message": "Body is too long (maximum is 65536 characters)"}]}))
    with pytest.raises(GitHubHTTPError, match="HTTP 422"):
        upsert_sticky(_api(waits), "o/r", 7, "report", [BOT], pause=waits.append)
    assert len(gh.requests("POST")) == 1 and len(gh.requests("GET")) == 1 and waits == []


def test_an_action_run_whose_comment_landed_behind_a_502_passes_with_one_comment(tmp_path: Path,
                                                                                 gh: FakeGitHub) -> None:
    secret = pat(74)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    store = CommentStore()
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, _created_then_502(store))
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, base_ref="feature/x"))
    assert (result.code, states(gh)) == (0, ["success"]) and len(store.comments) == 1
    assert result.waits == [1.0] and "MCPG101" in store.comments[0]["body"]
    assert_no_secret(everything(result, gh), secret)


def test_a_review_answered_502_is_left_for_the_next_run_never_duplicated(tmp_path: Path,
                                                                         gh: FakeGitHub) -> None:
    secret = pat(75)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    review = PullReview(repo.path, base, head, [CONFIG])
    store = CommentStore()
    _sticky(gh, store, create=True)
    review.register(gh, post=False)

    def created_then_502(body: Any, url: str) -> tuple[int, dict[str, str], Any]:
        review._post(body, url)  # GitHub created the review and its comments; the answer was lost
        return BAD_GATEWAY

    gh.add("POST", REVIEWS, created_then_502)
    gh.add("POST", STATUS, status_reply)
    first = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), suggestions="true")
    assert (first.code, states(gh)) == (1, ["failure"])  # the gate is unchanged by the review's fate
    assert sum("/reviews" in call.request.url for call in gh.mock.calls) == 1
    warnings = [line for line in first.log.splitlines()
                if line.startswith("::warning::") and "review" in line]
    assert len(warnings) == 1 and "next run" in warnings[0] and "HTTP 502" in warnings[0]
    # The next run finds the suggestion GitHub did create and posts nothing again.
    _sticky(gh, store)
    review.register(gh, post=False, fetch_files=False)
    gh.add("POST", STATUS, status_reply)
    second = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), suggestions="true")
    assert second.code == 1 and len(review.reviews) == 1 and len(review.comments) == 1
    assert sum("/reviews" in call.request.url for call in gh.mock.calls) == 1
    assert_no_secret(everything(second, gh), secret)
