"""Review suggestions when the base moved on since the pull request branched off: the run judges the
merge (GitHub's test merge commit), but a review comment's `line` is a line of the head commit's file
(`commit_id` = the PR head, the right side of the PR's diff from the branch point)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scanner.findings import TextEdit
from scanner.gh.suggestions import build_suggestions
from tests.gh.action_helpers import CONFIG, Repo, git, pat, pr_payload, run
from tests.gh.github_contract import CommentStore, FakeGitHub, status_reply
from tests.gh.test_review import REVIEWS, PullReview, _finding, _sticky


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
    # Was (round 2): no suggestion at all in a file the merge changed. The merged file's lines are
    # mapped to the head file's (head_lines), so both land on their own secret's head line.
    assert len(posted) == 2, result.log[-1500:]
    for comment in posted:
        server = re.search(r"of server &#39;(a|b)&#39;", comment["body"])
        assert server is not None, comment["body"]
        # The line it replaces holds its own finding's secret in the head file.
        secret = {"a": first, "b": second}[server.group(1)]
        replaced = head_lines[comment.get("start_line", comment["line"]) - 1:comment["line"]]
        assert any(secret in line for line in replaced), (server.group(1), comment["line"])


def test_a_fix_is_suggested_only_where_its_lines_are_one_run_of_the_head_file() -> None:
    """The text read is the merge's: two lines the base added sit above the PR's. A fix on lines the
    head has as one run moves by the offset; one on a line the head lacks, or whose two lines are
    apart in the head file, is not suggested (GitHub would place it on other lines)."""
    text = "".join(f"line {i}\n" for i in range(1, 13))  # merged: lines 1-2 the base's, 3-12 the head's
    patch = "@@ -1,4 +1,10 @@\n line 3\n" + "".join(f"+line {i}\n" for i in range(4, 10)) + " line 10"
    moved = {line: line - 2 for line in range(3, 13)}
    moved[9] = 99  # line 9 of the merge is no longer next to line 8 in the head (the merge joined them)

    def to_head(path: str, line: int) -> int | None:
        assert path == CONFIG
        return moved.get(line)

    read = {CONFIG: text.encode()}.get
    one = _finding(5, (TextEdit(CONFIG, 5, 1, 5, 7, "fixed"),))
    base_side = _finding(2, (TextEdit(CONFIG, 2, 1, 2, 7, "fixed"),), "b" * 64)
    apart = _finding(9, (TextEdit(CONFIG, 8, 1, 8, 1, "x"), TextEdit(CONFIG, 9, 1, 9, 7, "ok")), "c" * 64)
    out = build_suggestions([one, base_side, apart], {CONFIG: patch}, read, lambda *_a: False,
                            to_head=to_head)
    assert [(s.fingerprint[0], s.start_line, s.line) for s in out] == [("a", 3, 3)]
    assert "```suggestion\nfixed\n```" in out[0].body
