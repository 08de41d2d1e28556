"""Sticky comment: marker + author matching, edit-only-when-changed, size limit truncation."""

from __future__ import annotations

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
