"""Sticky comment: marker + author matching, edit-only-when-changed, size limit truncation."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.gh.api import GitHubApi, IssueComment
from scanner.gh.comment import (
    MARKER,
    MAX_COMMENT_CHARS,
    find_sticky,
    fit_comment,
    upsert_sticky,
    utf16_len,
    with_marker,
)
from tests.gh.github_contract import API, CommentStore, FakeGitHub

BOT = "github-actions[bot]"


def _api() -> GitHubApi:
    return GitHubApi(API, "token-value", sleep=lambda _s: None)


def test_first_run_creates_then_second_run_edits(gh: FakeGitHub) -> None:
    store = CommentStore()
    store.add("LGTM", "octocat")
    store.register(gh, "o/r", 7, list_calls=3)
    gh.add("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", store.on_create(BOT))
    gh.add("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", store.on_update())
    first = upsert_sticky(_api(), "o/r", 7, with_marker("report v1"), [BOT])
    second = upsert_sticky(_api(), "o/r", 7, with_marker("report v2"), [BOT])
    third = upsert_sticky(_api(), "o/r", 7, with_marker("report v2"), [BOT])
    assert (first.action, second.action, third.action) == ("created", "updated", "unchanged")
    assert first.comment_id == second.comment_id == third.comment_id
    ours = [c for c in store.comments if c["body"].startswith(MARKER)]
    assert len(ours) == 1 and ours[0]["body"].endswith("report v2")
    assert len(gh.requests("PATCH")) == 1 and len(gh.requests("POST")) == 1


def test_human_comment_quoting_marker_is_never_touched(gh: FakeGitHub) -> None:
    store = CommentStore()
    human = store.add(f"{MARKER}\nI can inject too", "mallory")
    store.register(gh, "o/r", 7)
    gh.add("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", store.on_create(BOT))
    outcome = upsert_sticky(_api(), "o/r", 7, with_marker("report"), [BOT])
    assert outcome.action == "created" and human["body"].endswith("inject too")


def test_finds_sticky_on_a_later_page(gh: FakeGitHub) -> None:
    store = CommentStore()
    for i in range(150):
        store.add(f"chatter {i}", "octocat")
    ours = store.add(with_marker("old"), BOT)
    store.register(gh, "o/r", 7, list_calls=2)
    gh.add("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", store.on_update())
    outcome = upsert_sticky(_api(), "o/r", 7, with_marker("new"), [BOT])
    assert outcome.action == "updated" and outcome.comment_id == ours["id"]


@pytest.mark.parametrize(("login", "body", "found"), [
    (BOT, f"{MARKER}\nx", True),
    ("GitHub-Actions[bot]", f"{MARKER}\nx", True),
    ("mallory", f"{MARKER}\nx", False),
    (BOT, f"> {MARKER}\nquoted", False),
    (None, f"{MARKER}\nx", False),
])
def test_find_sticky_requires_marker_and_author(login: str | None, body: str, found: bool) -> None:
    comment = IssueComment(1, body, login, None)
    assert (find_sticky([comment], [BOT]) is comment) is found


def test_fit_comment_truncates_at_line_break_with_note() -> None:
    rows = "\n".join(f"| `file{i}.json` | 😀 secret {i} |" for i in range(5000))
    body = with_marker("## mcp-guard\n\n```\n" + rows)
    fitted = fit_comment(body, "https://ghe.example.test/o/r/actions/runs/1")
    assert utf16_len(fitted) < MAX_COMMENT_CHARS and len(fitted) < MAX_COMMENT_CHARS
    assert fitted.startswith(MARKER) and "truncated" in fitted and "actions/runs/1" in fitted
    kept = fitted.split("\n\n---\n**This comment was truncated**")[0]
    assert kept.endswith("```") and kept.count("```") % 2 == 0
    assert all(line.endswith("|") or line.startswith(("#", "<!--", "```")) or not line
               for line in kept.splitlines())
    fitted.encode("utf-8")  # no lone surrogate


def test_fit_comment_leaves_small_body_alone() -> None:
    assert fit_comment("short") == "short"


def test_a_sticky_posted_as_another_login_than_bot_login_says_how_to_fix_it(tmp_path: Path,
                                                                            gh: FakeGitHub) -> None:
    """An App installation token cannot call /user, and its comments are written by `<app>[bot]`: with
    bot-login left at github-actions[bot] the next run does not find the comment and posts another.
    Was: silent; now one warning naming the login to set."""
    from tests.gh.action_helpers import CONFIG, STATUS, mcp_config, one_change_pr, pat, pr_payload, run
    from tests.gh.github_contract import forbidden, status_reply

    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(501))})
    store = CommentStore()
    gh.add("GET", "/user", forbidden)  # "Resource not accessible by integration"
    store.register(gh, "o/r", 7)
    gh.add("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", store.on_create("mcp-app[bot]"))
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1
    warnings = [line for line in result.log.splitlines()
                if line.startswith("::warning") and "bot-login" in line]
    assert len(warnings) == 1 and "`bot-login: mcp-app[bot]`" in warnings[0], result.log[-1500:]
    assert "github-actions[bot]" in warnings[0]


def test_no_bot_login_warning_when_the_comment_is_the_bot_logins(tmp_path: Path, gh: FakeGitHub) -> None:
    from tests.gh.action_helpers import CONFIG, STATUS, mcp_config, one_change_pr, pat, pr_payload, run
    from tests.gh.github_contract import forbidden, status_reply

    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(502))})
    store = CommentStore()
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    gh.add("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", store.on_create("Mcp-App[bot]"))
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), bot_login="mcp-app[bot]")
    assert result.code == 1 and "bot-login" not in result.log
