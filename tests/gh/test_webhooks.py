"""Every event the Action supports, from GitHub's real example payloads (tests/fixtures/github/webhooks)
and the documented variations: fork, deleted fork (head.repo null), base change, pull_request_target."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from scanner.gh.context import parse_event
from tests.gh.action_helpers import (
    BOT,
    CONFIG,
    STATUS,
    Repo,
    everything,
    expect_run,
    mcp_config,
    no_piece,
    pat,
    pr_payload,
    run,
    states,
)
from tests.gh.github_contract import FIXTURES, FakeGitHub, forbidden

WEBHOOKS = FIXTURES / "webhooks"
PULL_REQUESTS = sorted(path.name for path in WEBHOOKS.glob("pull_request.*.json"))


def _payload(name: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((WEBHOOKS / name).read_text(encoding="utf-8")))


def test_every_pull_request_example_is_here() -> None:
    assert {"pull_request.opened.json", "pull_request.opened.org.json", "pull_request.synchronize.json",
            "pull_request.reopened.json"} <= set(PULL_REQUESTS)


@pytest.mark.parametrize("name", PULL_REQUESTS)
@pytest.mark.parametrize("event", ["pull_request", "pull_request_target"])
def test_pull_request_payloads(name: str, event: str) -> None:
    payload = _payload(name)
    pr = payload["pull_request"]
    info = parse_event(event, payload, "f" * 40, f"refs/pull/{payload['number']}/merge")
    assert info.head_sha == pr["head"]["sha"] != "f" * 40  # the PR head, never the merge commit
    assert (info.base_sha, info.base_branch) == (pr["base"]["sha"], pr["base"]["ref"])
    assert (info.pr_number, info.pr_commits, info.is_fork) == (payload["number"], pr["commits"], False)


def test_fork_payload_as_the_readme_derives_it() -> None:
    payload = _payload("pull_request.opened.json")
    head = payload["pull_request"]["head"]
    head["repo"] = {**head["repo"], "full_name": "forker/Hello-World", "fork": True,
                    "owner": {**head["repo"]["owner"], "login": "forker"}}
    head["label"] = "forker:changes"
    assert parse_event("pull_request", payload, "f" * 40, "").is_fork


def test_deleted_fork_with_null_head_repo_is_a_fork() -> None:
    """Was: head.repo null (the fork was deleted) counted as a same-repository PR."""
    payload = _payload("pull_request.synchronize.json")
    payload["pull_request"]["head"]["repo"] = None
    info = parse_event("pull_request", payload, "f" * 40, "")
    assert info.is_fork and info.head_sha == payload["pull_request"]["head"]["sha"]


def test_edited_base_change_compares_against_the_new_base() -> None:
    payload = _payload("pull_request.opened.json")
    old_base = payload["pull_request"]["base"]["sha"]
    payload["action"] = "edited"
    payload["changes"] = {"base": {"ref": {"from": "master"}, "sha": {"from": old_base}}}
    payload["pull_request"]["base"].update(ref="release/2.0", sha="b" * 40)
    info = parse_event("pull_request", payload, "f" * 40, "")
    assert (info.base_sha, info.base_branch) == ("b" * 40, "release/2.0")


def test_merge_group_payload() -> None:
    payload = _payload("merge_group.checks_requested.json")
    group = payload["merge_group"]
    info = parse_event("merge_group", payload, "f" * 40, group["head_ref"])
    assert (info.head_sha, info.base_sha) == (group["head_sha"], group["base_sha"])
    assert info.base_branch == group["base_ref"].removeprefix("refs/heads/") and info.pr_number is None


def test_push_and_workflow_dispatch_payloads() -> None:
    push = _payload("push.branch.json")
    info = parse_event("push", push, "f" * 40, push["ref"])
    assert (info.head_sha, info.base_sha, info.base_branch) == (push["after"], None, "master")
    created = {**push, "before": "0" * 40, "created": True, "ref": "refs/heads/feature/x"}
    assert parse_event("push", created, "f" * 40, "").base_branch == "feature/x"
    dispatch = parse_event("workflow_dispatch", {"ref": "refs/heads/main", "inputs": {}}, "f" * 40, "")
    assert (dispatch.head_sha, dispatch.base_branch) == ("f" * 40, "main")


def _pr_repo(tmp_path: Path, secret: str) -> tuple[Repo, str, str]:
    repo = Repo(tmp_path / "ws")
    base = repo.commit({"README.md": "hi\n"})
    repo.checkout("-B", "pr")
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    return repo, base, head


def test_pull_request_target_judges_the_head_not_the_checked_out_base(tmp_path: Path,
                                                                      gh: FakeGitHub) -> None:
    """pull_request_target checks out the BASE branch: the PR's head commit is what gets judged."""
    secret = pat(81)
    repo, base, head = _pr_repo(tmp_path, secret)
    repo.checkout("main")  # what actions/checkout gives a pull_request_target run
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request_target", pr_payload(base, head),
                 extra_env={"GITHUB_SHA": base})
    assert (result.code, states(gh)) == (1, ["failure"])
    assert gh.requests("POST", "/statuses/")[0].url.endswith(f"/statuses/{head}")
    no_piece(everything(result, gh), secret)


def test_deleted_fork_gets_no_review_calls_and_the_exit_code_gates(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(82)
    repo, base, head = _pr_repo(tmp_path, secret)
    payload = pr_payload(base, head)
    payload["pull_request"]["head"]["repo"] = None
    gh.add("GET", "/user", forbidden)
    gh.add("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", lambda b, u: (200, {}, []))
    gh.add("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", forbidden)
    gh.add("POST", STATUS, forbidden)
    result = run(repo.path, tmp_path, "pull_request", payload, suggestions="true")
    assert result.code == 1 and "fork pull request: no review suggestions" in result.log
    assert not gh.requests("GET", "/pulls/") and BOT not in gh.bodies()
    no_piece(everything(result, gh), secret)
