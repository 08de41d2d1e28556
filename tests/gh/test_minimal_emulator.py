"""A whole Action run against an emulator that answers only what the schema requires (nullable
fields null, optional fields absent): the gate, the sticky comment and the suggestions still work."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from tests.gh.action_helpers import CONFIG, Repo, everything, git, mcp_config, no_piece, pat, pr_payload, run
from tests.gh.github_contract import SIMPLE_USER_REQUIRED, FakeGitHub, minimal

COMMENTS = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
STATUS = "/repos/{owner}/{repo}/statuses/{sha}"
FILES = "/repos/{owner}/{repo}/pulls/{pull_number}/files"
REVIEW_COMMENTS = "/repos/{owner}/{repo}/pulls/{pull_number}/comments"
REVIEWS = "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"
LOGIN = "mcp-bot"


def _user(login: str) -> dict[str, Any]:
    user = minimal("/user", "get", choose=1, login=login)
    return {key: user[key] for key in SIMPLE_USER_REQUIRED}


def test_run_against_required_only_answers(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(91)
    repo = Repo(tmp_path / "ws")
    base = repo.commit({"README.md": "hi\n"})
    repo.checkout("-B", "pr")
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    diff = subprocess.run(["git", "-C", str(repo.path), "diff", base, head, "--", CONFIG],
                          capture_output=True, text=True, check=True).stdout
    patch = diff[diff.index("@@"):]
    gh.add("GET", "/user", lambda b, u: (200, {}, minimal("/user", "get", choose=1, login=LOGIN)))
    stranger = minimal(COMMENTS, "get", item=True)  # no body, user null
    gh.add("GET", COMMENTS, lambda b, u: (200, {}, [stranger]))
    gh.add("POST", COMMENTS, lambda b, u: (201, {}, minimal(COMMENTS, "post", "201", body=b["body"],
                                                            user=_user(LOGIN))))
    gh.add("GET", FILES, lambda b, u: (200, {}, [minimal(FILES, "get", item=True, filename=CONFIG,
                                                         status="added", patch=patch)]))
    gh.add("GET", REVIEW_COMMENTS, lambda b, u: (200, {}, [minimal(REVIEW_COMMENTS, "get", item=True)]))
    gh.add("POST", REVIEWS, lambda b, u: (200, {}, minimal(REVIEWS, "post", user=None, body=b["body"],
                                                           state="COMMENTED", commit_id=b["commit_id"])))
    gh.add("POST", STATUS, lambda b, u: (201, {}, minimal(STATUS, "post", "201", state=b["state"])))
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), suggestions="true")
    assert result.code == 1, result.log[-2000:]
    assert [c.body["state"] for c in gh.requests("POST", "/statuses/")] == ["failure"]
    [review] = gh.requests("POST", "/reviews")
    assert review.body["commit_id"] == head and review.body["comments"][0]["path"] == CONFIG
    assert "https://ghe.example.test/x" in result.outputs  # the created comment's html_url
    assert git(repo.path, "rev-parse", "HEAD") == head
    no_piece(everything(result, gh), secret)
