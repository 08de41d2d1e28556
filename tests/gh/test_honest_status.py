"""Honest status wording on non-production branches, and the block-secrets-everywhere switch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner.gh.status import decide_status, would_block_text
from tests.fakes import assert_no_secret
from tests.gh.action_helpers import BOT, CONFIG, Repo, everything, git, mcp_config, pat, pr_payload, run
from tests.gh.github_contract import CommentStore, FakeGitHub, fake_github, forbidden, status_reply

PROD = ("main", "master", "release/*", "prod", "production")


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with fake_github() as gh:
        yield gh


def test_non_production_success_says_what_would_block() -> None:
    decision = decide_status(complete=True, blocking=4, total=5, base_branch="feature/x",
                             production_branches=PROD)
    assert decision.state == "success"
    assert decision.description == ("4 findings would block a merge into "
                                    "main, master, release/*, prod, production")
    one = decide_status(complete=True, blocking=1, total=1, base_branch="dev", production_branches=("main",))
    assert one.description == "1 finding would block a merge into main"
    assert "blocking" not in one.description


def test_would_block_text_fits_the_status_limit() -> None:
    many = tuple(f"release/v{i}.x-long-branch-name" for i in range(20))
    text = would_block_text(3, many)
    assert len(text) <= 140 and text.startswith("3 findings would block a merge into release/v0.x")
    assert "more)" in text


def test_secrets_everywhere_fails_any_branch() -> None:
    decision = decide_status(complete=True, blocking=2, total=2, base_branch="feature/x",
                             production_branches=PROD, blocking_everywhere=1)
    assert decision.state == "failure" and "secret" in decision.description
    # A complete scan on a production branch still reads as before.
    assert decide_status(complete=True, blocking=2, total=2, base_branch="main", production_branches=PROD,
                         blocking_everywhere=1).state == "failure"


@pytest.mark.parametrize(("switch", "code", "state"), [("false", 0, "success"), ("true", 1, "failure")])
def test_action_on_feature_branch(tmp_path: Path, gh: FakeGitHub, switch: str, code: int, state: str) -> None:
    repo = Repo(tmp_path / "ws")
    repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}")})
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    secret = pat(31)
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    store = CommentStore()
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    gh.add("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", store.on_create(BOT))
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, base_ref="feature/x"),
                 block_secrets_everywhere=switch, suggestions="false")
    [status] = gh.requests("POST", "/statuses/")
    body = store.comments[0]["body"]
    assert result.code == code and status.body["state"] == state
    if switch == "false":
        assert status.body["description"].startswith("1 finding would block a merge into main, master")
        assert "(blocking)" not in body and "would block a merge into main, master" in body
    else:
        assert "(blocking)" in body and "every branch" in status.body["description"]
    assert_no_secret(everything(result, gh), secret)
