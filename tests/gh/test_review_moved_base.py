"""Review suggestions when the base moved on since the pull request branched off: the run judges the
merge (GitHub's test merge commit), but a review comment's `line` is a line of the head commit's file
(`commit_id` = the PR head, the right side of the PR's diff from the branch point)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.gh.action_helpers import CONFIG, Repo, git, pat, pr_payload, run
from tests.gh.github_contract import CommentStore, FakeGitHub, status_reply
from tests.gh.test_review import REVIEWS, PullReview, _sticky


def _config(servers: dict[str, dict[str, object]]) -> str:
    return json.dumps({"mcpServers": servers}, indent=2) + "\n"


def _plain(name: str) -> dict[str, object]:
    return {"command": "npx", "args": [name]}


@pytest.mark.parametrize("moved", ["the config", "another file"])
def test_a_suggestion_sits_on_the_head_files_line_not_the_merged_files(tmp_path: Path, gh: FakeGitHub,
                                                                       moved: str) -> None:
    """Was: the merged file's line numbers (6 lines down when the base added a server above the
    change): the fix of server a's secret was suggested on server b's line, which GitHub accepts."""
    first, second = pat(61), pat(62)
    repo = Repo(tmp_path / "ws")
    servers = {f"s{i}": _plain(f"srv{i}") for i in range(12)}
    repo.commit({CONFIG: _config(servers)})
    point = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    added = {"a": {"command": "npx", "env": {"GITHUB_TOKEN": first}},
             "b": {"command": "npx", "env": {"GITHUB_TOKEN": second}}}
    head = repo.commit({CONFIG: _config({**servers, **added})})
    repo.checkout("main")  # the base moves on: a server above the change (a clean merge, 6 lines down)
    base = repo.commit({CONFIG: _config({"z0": _plain("first"), **servers})} if moved == "the config"
                       else {"README.md": "moved on\n"})
    repo.checkout("--detach", base)
    git(repo.path, "merge", "-q", "--no-ff", "-m", "Merge pr into main", head)  # refs/pull/7/merge
    merge = git(repo.path, "rev-parse", "HEAD")
    review = PullReview(repo.path, point, head, [CONFIG])  # GitHub's patch: branch point..head
    _sticky(gh, CommentStore(), create=True)
    review.register(gh, post=False)
    gh.add("POST", REVIEWS, review._post, optional=True)
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), extra_env={"GITHUB_SHA": merge},
                 suggestions="true")
    assert result.code == 1, result.log[-1500:]
    head_lines = git(repo.path, "show", f"{head}:{CONFIG}").split("\n")
    posted = [c for r in review.reviews for c in r["comments"]]
    if moved == "the config":  # the merged file's lines are not the head file's: no suggestion there
        assert not gh.requests("POST", "/reviews") and not gh.requests("POST", "/pulls/7/comments")
        return
    assert len(posted) == 2, result.log[-1500:]
    for comment in posted:
        server = re.search(r"of server &#39;(a|b)&#39;", comment["body"])
        assert server is not None, comment["body"]
        # The line it replaces holds its own finding's secret in the head file.
        secret = {"a": first, "b": second}[server.group(1)]
        replaced = head_lines[comment.get("start_line", comment["line"]) - 1:comment["line"]]
        assert any(secret in line for line in replaced), (server.group(1), comment["line"])
