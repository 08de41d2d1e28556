"""Event payloads as GitHub (or an emulator checked against its schema) may send them: a pull request
or merge group without the base it is judged against, malformed shas, a push that deletes a branch, and
an annotated tag push. The real example payloads (tests/fixtures/github/webhooks) are the starting point."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from scanner.errors import ConfigError
from scanner.gh.context import ActionContext, parse_event
from tests.gh.action_helpers import (
    CONFIG,
    STATUS,
    Repo,
    everything,
    git,
    mcp_config,
    no_piece,
    pat,
    pr_payload,
    run,
    states,
)
from tests.gh.github_contract import FIXTURES, FakeGitHub, status_reply
from tests.gh.test_events import merge_group_payload
from tests.gh.test_fork_gate import _outputs

WEBHOOKS = FIXTURES / "webhooks"


def _payload(name: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((WEBHOOKS / name).read_text(encoding="utf-8")))


def _errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("::error")]


def _pr(tmp_path: Path) -> tuple[Repo, str, str]:
    repo = Repo(tmp_path / "ws")
    base = repo.commit({"README.md": "hi\n"})
    repo.checkout("-B", "pr")
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}")})
    return repo, base, head


# --- pull_request without its base --------------------------------------------------------------------

@pytest.mark.parametrize("field", ["ref", "sha"])
@pytest.mark.parametrize("how", ["missing", "null", "empty"])
def test_a_pull_request_without_its_base_is_an_input_error(field: str, how: str) -> None:
    """Was: base.sha missing made a full-tree scan and base.ref missing a "feature branch" run, both
    able to pass; the branch the change targets decides whether findings block."""
    payload = _payload("pull_request.opened.json")
    base = payload["pull_request"]["base"]
    if how == "missing":
        del base[field]
    else:
        base[field] = None if how == "null" else ""
    with pytest.raises(ConfigError, match=f"pull_request.base.{field}"):
        parse_event("pull_request", payload, "f" * 40, "refs/pull/2/merge")


@pytest.mark.parametrize("field", ["ref", "sha"])
def test_a_pull_request_run_without_its_base_posts_no_success(tmp_path: Path, gh: FakeGitHub,
                                                              field: str) -> None:
    repo, base, head = _pr(tmp_path)
    payload = pr_payload(base, head, base_ref="feature/x")
    del payload["pull_request"]["base"][field]
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", payload)
    assert (result.code, states(gh)) == (2, ["error"])
    assert gh.requests("POST", "/statuses/")[0].url.endswith(f"/statuses/{head}")
    errors = _errors(result.log)
    assert len(errors) == 1 and f"pull_request.base.{field}" in errors[0]


# --- merge_group without its base or head ----------------------------------------------------------------

@pytest.mark.parametrize("field", ["base_ref", "base_sha", "head_sha"])
def test_a_merge_group_without_base_or_head_is_an_input_error(field: str) -> None:
    payload = _payload("merge_group.checks_requested.json")
    del payload["merge_group"][field]
    with pytest.raises(ConfigError, match=f"merge_group.{field}"):
        parse_event("merge_group", payload, "f" * 40, payload["merge_group"]["head_ref"])


@pytest.mark.parametrize("field", ["base_ref", "base_sha", "head_sha"])
def test_a_merge_group_run_without_base_or_head_posts_no_success(tmp_path: Path, gh: FakeGitHub,
                                                                 field: str) -> None:
    """Was: a missing head_sha fell back to GITHUB_SHA, a missing base_sha scanned the tree, a missing
    base_ref took the queue branch's name: the queue could merge a change judged against nothing."""
    repo, base, head = _pr(tmp_path)
    payload = merge_group_payload(base, head)
    del payload["merge_group"][field]
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "merge_group", payload)
    assert (result.code, states(gh)) == (2, ["error"])
    assert gh.requests("POST", "/statuses/")[0].url.endswith(f"/statuses/{head}")
    assert len(_errors(result.log)) == 1 and f"merge_group.{field}" in _errors(result.log)[0]


# --- malformed shas ------------------------------------------------------------------------------------

MALFORMED = ["abc123", "g" * 40, "a" * 39, "a" * 41, "a" * 63, " " + "a" * 40, "--output=x",
             "a" * 40 + "\n", 1234]


@pytest.mark.parametrize("value", MALFORMED)
@pytest.mark.parametrize(("event", "where"), [
    ("pull_request", ("pull_request", "head", "sha")), ("pull_request", ("pull_request", "base", "sha")),
    ("merge_group", ("merge_group", "head_sha")), ("merge_group", ("merge_group", "base_sha")),
    ("push", ("after",)), ("push", ("head_commit", "id")),
])
def test_a_malformed_sha_counts_as_missing(event: str, where: tuple[str, ...], value: object) -> None:
    name = {"pull_request": "pull_request.opened.json", "merge_group": "merge_group.checks_requested.json",
            "push": "push.branch.json"}[event]
    payload = _payload(name)
    node = payload
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    with pytest.raises(ConfigError, match=r"\.".join(where)):
        parse_event(event, payload, "f" * 40, "refs/heads/main")


def test_full_length_shas_of_both_hash_algorithms_are_accepted() -> None:
    payload = _payload("pull_request.opened.json")
    payload["pull_request"]["head"]["sha"] = "ab" * 32  # SHA-256 repositories: 64 hex digits
    payload["pull_request"]["base"]["sha"] = "CD" * 20
    info = parse_event("pull_request", payload, "f" * 40, "")
    assert (info.head_sha, info.base_sha) == ("ab" * 32, "cd" * 20)


@pytest.mark.parametrize("github_sha", ["", "nope", "0" * 40])
def test_a_tree_run_without_a_usable_github_sha_is_an_input_error(github_sha: str) -> None:
    with pytest.raises(ConfigError, match="GITHUB_SHA"):
        parse_event("workflow_dispatch", {"ref": "refs/heads/main"}, github_sha, "refs/heads/main")


def test_a_malformed_github_sha_is_never_handed_on(tmp_path: Path) -> None:
    """GITHUB_SHA of a pull request run (the test merge commit, given to git to judge the merge) is
    optional: a malformed one is dropped, never passed on as an argument."""
    event = tmp_path / "event.json"
    event.write_text(json.dumps(_payload("pull_request.opened.json")), encoding="utf-8")
    env = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event), "GITHUB_REPOSITORY": "o/r",
           "GITHUB_SHA": "--upload-pack=x", "GITHUB_WORKSPACE": str(tmp_path)}
    assert ActionContext.from_env(env).sha == ""
    assert ActionContext.from_env({**env, "GITHUB_SHA": "F" * 40}).sha == "f" * 40


def test_a_malformed_head_sha_makes_no_api_call(tmp_path: Path, gh: FakeGitHub) -> None:
    """Fail closed before any API call: no status on a sha GitHub would not know (nor on GITHUB_SHA,
    which is the test merge commit of a pull request run), no listing, no comment."""
    repo, base, _head = _pr(tmp_path)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, "not-a-sha"))
    assert result.code == 2 and not gh.mock.calls
    errors = _errors(result.log)
    assert len(errors) == 1 and "pull_request.head.sha" in errors[0]


# --- push: branch deletion, annotated tag -----------------------------------------------------------------

def _deletion(variant: str) -> dict[str, Any]:
    """GitHub's push of a deleted branch: `deleted: true`, `after` all zeros, no head_commit."""
    payload = _payload("push.branch.json")
    payload.update(ref="refs/heads/feature/x", before=payload["after"], created=False, commits=[],
                   head_commit=None)
    if variant in ("both", "flag"):
        payload["deleted"] = True
    if variant in ("both", "zeros"):
        payload["after"] = "0" * 40
    return payload


@pytest.mark.parametrize("variant", ["both", "flag", "zeros"])
def test_a_push_that_deletes_a_branch_is_a_notice_and_posts_nothing(tmp_path: Path, gh: FakeGitHub,
                                                                    variant: str) -> None:
    """Was: the deleted branch had no sha, so GITHUB_SHA (for a deletion: the default branch's tip) was
    scanned and given the status."""
    repo = Repo(tmp_path / "ws")
    repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(91))})  # main holds a finding
    result = run(repo.path, tmp_path, "push", _deletion(variant))
    assert result.code == 0 and not gh.mock.calls
    notices = [line for line in result.log.splitlines() if line.startswith("::notice")]
    assert len(notices) == 1 and "deletes" in notices[0] and "feature/x" in notices[0]
    outputs = _outputs(result.outputs)
    assert not _errors(result.log) and (outputs["status-set"], outputs["findings"]) == ("false", "0")
    assert "MCPG" not in result.summary  # nothing was scanned


def test_a_deleted_branch_with_a_bad_input_still_posts_nothing(tmp_path: Path, gh: FakeGitHub) -> None:
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    result = run(repo.path, tmp_path, "push", _deletion("both"), fail_on="urgent")
    assert result.code == 2 and not gh.mock.calls and len(_errors(result.log)) == 1


def test_an_annotated_tag_push_sets_the_status_on_the_commit(tmp_path: Path, gh: FakeGitHub) -> None:
    """`after` of an annotated tag push is the tag object; GitHub refuses a status there (422 "No commit
    found for SHA"). The commit is head_commit.id."""
    secret = pat(92)
    repo = Repo(tmp_path / "ws")
    commit = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    git(repo.path, "tag", "-a", "v1.0.0", "-m", "release")
    tag_object = git(repo.path, "rev-parse", "v1.0.0")
    assert tag_object != commit
    payload = _payload("push.branch.json")
    payload.update(ref="refs/tags/v1.0.0", before="0" * 40, after=tag_object, base_ref="refs/heads/main",
                   created=True, commits=[])
    payload["head_commit"]["id"] = commit
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "push", payload)
    posted = gh.requests("POST", "/statuses/")
    assert len(posted) == 1 and posted[0].url.endswith(f"/statuses/{commit}"), [c.url for c in posted]
    assert result.code == 0 and states(gh) == ["success"]  # a tag is no production branch
    no_piece(everything(result, gh), secret)


def test_a_tag_push_without_head_commit_takes_github_sha_not_after() -> None:
    payload = _payload("push.branch.json")
    payload.update(ref="refs/tags/v2", after="a" * 40, head_commit=None)
    info = parse_event("push", payload, "c" * 40, "refs/tags/v2")
    assert info.head_sha == "c" * 40 and info.base_branch is None


def test_a_branch_push_still_takes_after() -> None:
    payload = _payload("push.branch.json")
    info = parse_event("push", payload, "f" * 40, payload["ref"])
    assert info.head_sha == payload["after"] == payload["head_commit"]["id"] and not info.deleted
