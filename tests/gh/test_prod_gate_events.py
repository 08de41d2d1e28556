"""A production-reuse finding that blocks (MCPG201 high: a production AWS profile with write access
in a developer config) fails the check for every event that targets a production branch: a pull
request, the merge queue (`merge_group.base_ref`) and a push to that branch; into any other branch it
only says it would block."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.gh.action_helpers import CONFIG, Repo, expect_run, git, pr_payload, run
from tests.gh.github_contract import FakeGitHub, status_reply
from tests.gh.test_events import merge_group_payload

STATUS = "/repos/{owner}/{repo}/statuses/{sha}"
PROD_AWS = json.dumps({"mcpServers": {"aws": {
    "command": "uvx", "args": ["awslabs.aws-api-mcp-server", "--allow-write"],
    "env": {"AWS_PROFILE": "acme-prod"}}}}, indent=2) + "\n"


@pytest.fixture
def change(tmp_path: Path) -> tuple[Repo, str, str]:
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n", CONFIG: json.dumps({"mcpServers": {}}) + "\n"})
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    head = repo.commit({CONFIG: PROD_AWS})
    return repo, base, head


def _status(gh: FakeGitHub) -> dict[str, str]:
    [status] = gh.requests("POST", "/statuses/")
    return status.body


@pytest.mark.parametrize("event", ["pull_request", "merge_group", "push"])
def test_blocking_prod_reuse_fails_into_production(change: tuple[Repo, str, str], gh: FakeGitHub,
                                                   tmp_path: Path, event: str) -> None:
    repo, base, head = change
    if event == "pull_request":
        expect_run(gh)  # status and sticky comment
        result = run(repo.path, tmp_path, event, pr_payload(base, head))
    elif event == "merge_group":
        gh.add("POST", STATUS, status_reply)  # a merge group has no pull request to comment on
        result = run(repo.path, tmp_path, event, merge_group_payload(base, head))
    else:
        gh.add("POST", STATUS, status_reply)
        result = run(repo.path, tmp_path, event, {"ref": "refs/heads/main", "after": head, "before": base})
    status = _status(gh)
    rules = [r["ruleId"] for r in json.loads(result.sarif)["runs"][0]["results"]]
    assert any(r.startswith("MCPG201") for r in rules), rules
    assert result.code == 1 and status["state"] == "failure", status
    assert "main" in status["description"]


@pytest.mark.parametrize("event", ["merge_group", "push"])
def test_same_change_into_another_branch_only_warns(change: tuple[Repo, str, str], gh: FakeGitHub,
                                                    tmp_path: Path, event: str) -> None:
    repo, base, head = change
    gh.add("POST", STATUS, status_reply)
    if event == "merge_group":
        result = run(repo.path, tmp_path, event, merge_group_payload(base, head, base_ref="develop"))
    else:
        result = run(repo.path, tmp_path, event, {"ref": "refs/heads/develop", "after": head, "before": base})
    status = _status(gh)
    assert result.code == 0 and status["state"] == "success", status
    assert "would block" in status["description"]
