"""Pacing of writes. GitHub's REST best practices: "If you are making a large number of POST, PATCH, PUT,
or DELETE requests for a single user or client ID, wait at least one second between each request"
(and on a secondary limit honour Retry-After / x-ratelimit-reset, tests/gh/test_api.py).
Was: writes went out back to back (PyGithub's seconds_between_writes off, nothing in its place).

Every clock here is counted (tests/gh/action_helpers.Clock): time moves only when something waits on
it, so nothing really sleeps and each gap is exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.gh.api import GitHubApi, GitHubHTTPError, GitHubPermissionError
from scanner.gh.transport import WRITE_INTERVAL, WritePacer
from tests.gh.action_helpers import (
    BOT,
    COMMENTS,
    CONFIG,
    STATUS,
    Clock,
    expect_run,
    mcp_config,
    one_change_pr,
    pat,
    pr_payload,
    run,
)
from tests.gh.github_contract import API, CommentStore, FakeGitHub, forbidden, status_reply

COMMENT = "/repos/{owner}/{repo}/issues/comments/{comment_id}"
SECONDARY = "You have exceeded a secondary rate limit."
WRITES = ("POST", "PATCH", "PUT", "DELETE")


def _api(clock: Clock) -> GitHubApi:
    """Retry waits and pacing on the same counted clock, as real time would be."""
    return GitHubApi(API, "tok", sleep=clock.sleep, clock=clock,
                     pacer=WritePacer(clock=clock, sleep=clock.sleep))


def _write_times(gh: FakeGitHub) -> list[float]:
    return [call.at for call in gh.calls if call.method in WRITES and call.at is not None]


def test_writes_are_a_second_apart_and_reads_are_not_delayed(gh: FakeGitHub) -> None:
    clock = Clock()
    gh.clock = clock
    store = CommentStore()
    store.register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, store.on_create(BOT))
    gh.add("PATCH", COMMENT, store.on_update())
    gh.add("POST", STATUS, status_reply)
    api = _api(clock)
    made = api.create_issue_comment("o/r", 7, "one")  # creates: the other PyGithub client
    api.list_issue_comments("o/r", 7)
    api.update_issue_comment("o/r", made.id, "two")
    api.list_issue_comments("o/r", 7)
    api.create_status("o/r", "a" * 40, state="success", context="mcp-guard", description="ok")
    times = [call.at for call in gh.calls]
    assert times == [0.0, 0.0, 1.0, 1.0, 2.0]  # each read at once, each write a second after the last
    assert clock.paces == [WRITE_INTERVAL, WRITE_INTERVAL]


def test_time_already_gone_counts_and_a_first_write_never_waits(gh: FakeGitHub) -> None:
    clock = Clock()
    gh.clock = clock
    gh.add("POST", STATUS, status_reply)
    api = _api(clock)
    body = {"state": "success", "context": "mcp-guard", "description": "ok"}
    api.create_status("o/r", "a" * 40, **body)
    clock.now += 0.25  # the scan between two writes
    api.create_status("o/r", "b" * 40, **body)
    clock.now += 5.0
    api.create_status("o/r", "c" * 40, **body)
    assert clock.paces == [0.75] and _write_times(gh) == [0.0, 1.0, 6.0]


def test_a_secondary_limit_is_waited_out_then_the_next_write_is_paced(gh: FakeGitHub) -> None:
    """A 403 secondary limit with Retry-After: the write is retried after it, and the pacing counts
    from the end of that write (its retries included), never from its first attempt."""
    clock = Clock()
    gh.clock = clock
    answers = iter([(403, {"Retry-After": "3"}, {"message": "You have exceeded a secondary rate limit"})])
    gh.add("POST", STATUS, lambda body, url: next(answers, None) or status_reply(body, url))
    api = _api(clock)
    body = {"state": "success", "context": "mcp-guard", "description": "ok"}
    api.create_status("o/r", "a" * 40, **body)
    api.create_status("o/r", "b" * 40, **body)
    assert _write_times(gh) == [0.0, 3.0, 4.0] and clock.paces == [3.0, WRITE_INTERVAL]


def test_a_refused_write_still_spaces_the_next(gh: FakeGitHub) -> None:
    """GitHub counts a refused write too (a fork's read-only token: 403 not accessible)."""
    clock = Clock()
    gh.clock = clock
    gh.add("POST", STATUS, forbidden)
    api = _api(clock)
    for sha in ("a", "b"):
        try:
            api.create_status("o/r", sha * 40, state="success", context="mcp-guard", description="ok")
        except Exception:  # noqa: BLE001 - the refusal itself is tested elsewhere
            pass
    assert _write_times(gh) == [0.0, 1.0]


def test_an_action_run_spaces_its_writes(tmp_path: Path, gh: FakeGitHub) -> None:
    """A PR run with a finding writes the sticky comment and the status: a second apart."""
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(71))})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1, result.log[-1500:]
    writes = [call for call in gh.calls if call.method in WRITES]
    assert len(writes) == 2 and result.paces == [WRITE_INTERVAL] * (len(writes) - 1)


def test_a_secondary_limit_that_holds_is_waited_out_longer_each_time(gh: FakeGitHub) -> None:
    """No Retry-After and no exhausted primary limit: "wait for at least one minute", then "an
    exponentially increasing amount of time between retries". Was: a minute every time."""
    limited = (429, {"x-ratelimit-remaining": "4000"}, {"message": SECONDARY})
    answers = iter([limited, limited, limited])
    gh.add("POST", STATUS, lambda body, url: next(answers, None) or status_reply(body, url))
    waits: list[float] = []
    GitHubApi(API, "tok", sleep=waits.append, max_total_wait=900, pacer=Clock().pacer()).create_status(
        "o/r", "a" * 40, state="success", context="mcp-guard", description="ok")
    assert waits == [60.0, 120.0, 240.0] and len(gh.calls) == 4


def test_the_action_gives_up_rather_than_wait_past_its_budget(gh: FakeGitHub) -> None:
    """The Action's budget (2 minutes of waiting per request): the second wait (2 minutes) would pass
    it, so the call fails after the first, as a rate limit (never taken for a read-only token)."""
    gh.add("POST", STATUS, lambda body, url: (403, {}, {"message": SECONDARY}))
    waits: list[float] = []
    with pytest.raises(GitHubHTTPError, match="gave up: GitHub asked to wait 120s") as raised:
        GitHubApi(API, "tok", sleep=waits.append, pacer=Clock().pacer()).create_status(
            "o/r", "a" * 40, state="success", context="mcp-guard", description="ok")
    assert not isinstance(raised.value, GitHubPermissionError)
    assert waits == [60.0] and len(gh.calls) == 2
