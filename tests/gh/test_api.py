"""GitHub API wrapper: GHES base URL, bounded retries without real sleeping, errors, identity."""

from __future__ import annotations

from typing import Any

import pytest

from scanner.errors import GitHubError
from scanner.gh.api import GitHubApi, GitHubPermissionError
from scanner.gh.status import StatusDecision, post_status
from tests.gh.github_contract import API, FakeGitHub, example, forbidden, status_reply

STATUS = "/repos/{owner}/{repo}/statuses/{sha}"


def _sequence(*replies: Any) -> Any:
    queue = list(replies)
    return lambda body, url: queue.pop(0)(body, url) if callable(queue[0]) else queue.pop(0)


def test_502_then_201_sets_status_without_sleeping(gh: FakeGitHub) -> None:
    waits: list[float] = []
    gh.add("POST", STATUS, _sequence((502, {}, {"message": "Bad Gateway"}), status_reply))
    api = GitHubApi(API, "tok", sleep=waits.append)
    post_status(api, "o/r", "a" * 40, StatusDecision("failure", "1 blocking finding"), "mcp-guard")
    assert [c.body["state"] for c in gh.requests("POST")] == ["failure", "failure"]
    assert waits == [1.0]


@pytest.mark.parametrize(("first", "wait"), [
    ((429, {"Retry-After": "7"}, {"message": "Too Many Requests"}), 7.0),
    ((403, {"Retry-After": "3"}, {"message": "You have exceeded a secondary rate limit"}), 3.0),
    ((403, {}, {"message": "You have exceeded a secondary rate limit."}), 60.0),
    ((503, {}, {"message": "unavailable"}), 1.0),
    # GitHub: without retry-after (and remaining > 0) "wait for at least one minute before retrying";
    # was 1 s, then 2, 4, 8: five requests inside 15 s that the secondary limit refuses again.
    ((429, {"x-ratelimit-remaining": "4000"}, {"message": "You have exceeded a secondary rate limit."}),
     60.0),
])
def test_retryable_answers(gh: FakeGitHub, first: Any, wait: float) -> None:
    waits: list[float] = []
    gh.add("POST", STATUS, _sequence(first, status_reply))
    GitHubApi(API, "tok", sleep=waits.append).create_status(
        "o/r", "a" * 40, state="success", context="mcp-guard", description="ok")
    assert waits == [wait]


def test_retries_are_bounded(gh: FakeGitHub) -> None:
    waits: list[float] = []
    gh.add("POST", STATUS, lambda b, u: (500, {}, {"message": "boom"}))
    with pytest.raises(GitHubError, match="HTTP 500"):
        GitHubApi(API, "tok", sleep=waits.append).create_status(
            "o/r", "a" * 40, state="success", context="c", description="d")
    assert len(gh.calls) == 5 and sum(waits) <= 120


def test_huge_retry_after_gives_up_instead_of_waiting(gh: FakeGitHub) -> None:
    waits: list[float] = []
    gh.add("POST", STATUS, lambda b, u: (403, {"Retry-After": "3600"}, {"message": "secondary rate limit"}))
    with pytest.raises(GitHubError):
        GitHubApi(API, "tok", sleep=waits.append).create_status(
            "o/r", "a" * 40, state="success", context="c", description="d")
    assert waits == []


def test_fork_403_is_a_permission_error_not_retried(gh: FakeGitHub) -> None:
    gh.add("POST", STATUS, forbidden)
    with pytest.raises(GitHubPermissionError, match="not accessible by integration"):
        GitHubApi(API, "tok", sleep=lambda s: None).create_status(
            "o/r", "a" * 40, state="success", context="c", description="d")
    assert len(gh.calls) == 1


@pytest.mark.parametrize(("reply", "login"), [
    (lambda b, u: (200, {}, {**example("private-user-response-with-public-profile-information"),
                             "login": "mcp-bot"}), "mcp-bot"),
    (forbidden, None),
])
def test_authenticated_login(gh: FakeGitHub, reply: Any, login: str | None) -> None:
    gh.add("GET", "/user", reply)
    assert GitHubApi(API, "tok", sleep=lambda s: None).authenticated_login() == login


def test_pull_files_paginated(gh: FakeGitHub) -> None:
    entry = example("diff-entry-items")[0]
    pages = [
        (200, {"Link": f'<{API}/repos/o/r/pulls/3/files?per_page=100&page=2>; rel="next"'},
         [{**entry, "filename": f"f{i}.json"} for i in range(100)]),
        (200, {}, [{**entry, "filename": ".cursor/mcp.json", "status": "renamed",
                    "previous_filename": "mcp.json"}]),
    ]
    gh.add("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files", lambda b, u: pages.pop(0))
    gh.add("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files", lambda b, u: pages.pop(0))
    files = GitHubApi(API, "tok").list_pull_files("o/r", 3)
    assert len(files) == 101 and files[-1].previous_filename == "mcp.json"
    assert "page=2" in gh.calls[1].url
    assert gh.calls[0].url.replace(":443", "").startswith(API + "/repos/o/r/pulls/3/files")


def test_every_request_carries_the_documented_headers(gh: FakeGitHub) -> None:
    """Accept: application/vnd.github+json, X-GitHub-Api-Version, a User-Agent, Bearer auth."""
    gh.add("POST", STATUS, status_reply)
    GitHubApi(API, "tok", sleep=lambda s: None).create_status(
        "o/r", "a" * 40, state="success", context="mcp-guard", description="ok")
    headers = gh.calls[0].headers
    assert headers["Accept"] == "application/vnd.github+json"
    assert headers["X-GitHub-Api-Version"] == "2022-11-28"
    assert headers["Authorization"] == "Bearer tok" and headers["User-Agent"].startswith("mcp-guard")


def test_edits_are_retried_too(gh: FakeGitHub) -> None:
    """GithubRetry's default methods leave PATCH out: a 502 on a sticky comment edit must be retried."""
    waits: list[float] = []
    comment = {**example("issue-comment"), "body": "new"}
    gh.add("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}",
           _sequence((502, {}, {"message": "Bad Gateway"}), (200, {}, comment)))
    assert GitHubApi(API, "tok", sleep=waits.append).update_issue_comment("o/r", 1, "new").body == "new"
    assert waits == [1.0] and len(gh.calls) == 2


@pytest.mark.parametrize("status", [403, 429])
def test_primary_rate_limit_waits_until_the_reset(gh: FakeGitHub, status: int) -> None:
    waits: list[float] = []
    limited = (status, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1005"},
               {"message": "API rate limit exceeded for installation ID 1."})
    gh.add("POST", STATUS, _sequence(limited, status_reply))
    GitHubApi(API, "tok", sleep=waits.append, clock=lambda: 1000.0).create_status(
        "o/r", "a" * 40, state="success", context="mcp-guard", description="ok")
    assert waits == [5.0] and len(gh.calls) == 2


def test_primary_rate_limit_is_known_by_its_header_whatever_the_message(gh: FakeGitHub) -> None:
    """GitHub documents the primary limit as 403/429 with `x-ratelimit-remaining: 0`; the message is
    prose. Was: a 403 whose message PyGithub does not recognise was not retried, and on a write it
    passed for a read-only token (a fork) instead of a failure."""
    waits: list[float] = []
    limited = (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1010"},
               {"message": "Request quota exhausted for this token."})
    gh.add("POST", STATUS, _sequence(limited, status_reply))
    GitHubApi(API, "tok", sleep=waits.append, clock=lambda: 1000.0).create_status(
        "o/r", "a" * 40, state="success", context="mcp-guard", description="ok")
    assert waits == [10.0] and len(gh.calls) == 2


def test_a_rate_limit_that_outlasts_the_budget_is_no_permission_error(gh: FakeGitHub) -> None:
    limited = (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "9000"},
               {"message": "Request quota exhausted for this token."})
    gh.add("POST", STATUS, lambda _b, _u: limited)
    with pytest.raises(GitHubError, match="HTTP 403") as caught:
        GitHubApi(API, "tok", sleep=lambda _s: None, clock=lambda: 1000.0).create_status(
            "o/r", "a" * 40, state="success", context="mcp-guard", description="ok")
    assert not isinstance(caught.value, GitHubPermissionError)


@pytest.mark.parametrize("reply", [forbidden, lambda b, u: (200, {}, {
    **example("private-user-response-with-public-profile-information"), "login": "mcp-bot"})])
def test_the_login_is_asked_once_per_run(gh: FakeGitHub, reply: Any) -> None:
    """The sticky comment and the review suggestions both need it: one GET /user, not one each."""
    gh.add("GET", "/user", reply)
    api = GitHubApi(API, "tok", sleep=lambda _s: None)
    assert api.authenticated_login() == api.authenticated_login()
    assert len(gh.requests("GET", "/user")) == 1


def test_the_permissions_github_accepts_are_named_in_the_error(gh: FakeGitHub) -> None:
    """GitHub's x-accepted-github-permissions: sets separated by ';', permissions of a set by ','."""
    from scanner.gh.api import accepted_permissions

    assert accepted_permissions({"X-Accepted-GitHub-Permissions": "statuses=write"}) == "statuses=write"
    header = {"x-accepted-github-permissions": "contents=read,pull_requests=write; issues=write"}
    assert accepted_permissions(header) == "contents=read,pull_requests=write or issues=write"
    assert accepted_permissions({"x-accepted-github-permissions": "<b>x</b>"}) == ""
    assert accepted_permissions({}) == ""
    gh.grant(contents="read")
    gh.add("POST", STATUS, status_reply)
    with pytest.raises(GitHubPermissionError, match=r"HTTP 403 \(Resource not accessible by integration; "
                                                    r"the token needs statuses=write\)"):
        GitHubApi(API, "tok", sleep=lambda s: None).create_status(
            "o/r", "a" * 40, state="success", context="c", description="d")
