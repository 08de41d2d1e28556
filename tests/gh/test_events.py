"""The always-running required check: no-MCP-change fast path and merge_group events."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from scanner.gh.events import NO_MCP_CHANGE, unchanged_reason
from tests.fakes import assert_no_secret
from tests.gh.action_helpers import BOT, CONFIG, Repo, everything, git, mcp_config, pat, pr_payload, run
from tests.gh.github_contract import FIXTURES, CommentStore, FakeGitHub, forbidden, status_reply

STATUS = "/repos/{owner}/{repo}/statuses/{sha}"
COMMENTS = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
COMMENT = "/repos/{owner}/{repo}/issues/comments/{comment_id}"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "ws")
    repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}"), "README.md": "hi\n",
                 ".vscode/mcp.json": json.dumps({"servers": {"db": {"command": "srv",
                                                                    "envFile": "config/db.env"}}}),
                 "config/db.env": "DB_HOST=localhost\n"})
    return repo


def _branch(repo: Repo, *commits: dict[str, str | None]) -> tuple[str, str]:
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    head = base
    for files in commits:
        head = repo.commit(files)
    return base, head


def _no_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path must not scan: any scan (or a gitleaks start) fails the test."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the no-MCP-change path started a scan")
    monkeypatch.setattr("scanner.gh.action.scan_diff", refuse)
    monkeypatch.setattr("scanner.pipeline.scan_files", refuse)
    monkeypatch.setattr("scanner.engines.gitleaks.GitleaksEngine.detect", refuse)
    monkeypatch.setattr("scanner.engines.gitleaks.find_gitleaks", refuse)


def merge_group_payload(base_sha: str, head_sha: str, base_ref: str = "main") -> dict[str, Any]:
    text = (FIXTURES / "webhooks" / "merge_group.checks_requested.json").read_text(encoding="utf-8")
    payload = copy.deepcopy(json.loads(text))
    group = payload["merge_group"]
    group.update(base_sha=base_sha, head_sha=head_sha, base_ref=f"refs/heads/{base_ref}",
                 head_ref=f"refs/heads/gh-readonly-queue/{base_ref}/pr-104-{head_sha}")
    group["head_commit"]["id"] = head_sha
    return payload


def test_unchanged_reason_is_conservative() -> None:
    vscode = {"servers": {"d": {"command": "x", "envFile": "cfg/a.env"}}}
    head = {CONFIG: mcp_config(A="1").encode(), ".vscode/mcp.json": json.dumps(vscode).encode()}
    settings = (".mcp-guard.yml", ".mcp-guard-baseline.json")
    # source naming no MCP API (clients/source_code.py) changes nothing MCP
    assert unchanged_reason(["README.md", "src/app.py"], {**head, "src/app.py": b"print(1)\n"},
                            settings) == NO_MCP_CHANGE
    assert unchanged_reason([], head, settings) == NO_MCP_CHANGE
    assert unchanged_reason([CONFIG], head, settings) is None
    assert unchanged_reason(["pkg/.mcp.json"], head, settings) is None  # a new config
    assert unchanged_reason([".mcp-guard.yml"], head, settings) is None
    assert unchanged_reason(["cfg/a.env"], head, settings) is None  # referenced by a head config
    broken = {**head, ".mcp.json": b"{ not json"}
    assert unchanged_reason(["README.md"], broken, settings) is None  # cannot tell what it references


def test_no_mcp_change_sets_success_fast_without_comment(repo: Repo, gh: FakeGitHub, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    base, head = _branch(repo, {"README.md": "changed\n", "src/app.py": "print(1)\n"})
    _no_scan(monkeypatch)
    store = CommentStore()
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)  # looked up for an earlier sticky; none exists, none is created
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), gitleaks="true")
    assert result.code == 0 and store.comments == [] and not gh.requests("POST", "/comments")
    [status] = gh.requests("POST", "/statuses/")
    assert status.body["state"] == "success" and NO_MCP_CHANGE in status.body["description"]
    assert status.url.endswith(head)
    assert json.loads(result.sarif)["runs"][0]["results"] == []  # an upload step always finds its file


def test_no_mcp_change_resolves_an_existing_sticky(repo: Repo, gh: FakeGitHub, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    base, head = _branch(repo, {"README.md": "changed\n"})
    store = CommentStore()
    store.add("<!-- mcp-guard:sticky v1 -->\n## mcp-guard found blocking problems\nMCPG101", BOT)
    _no_scan(monkeypatch)
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    gh.add("PATCH", COMMENT, store.on_update())
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    body = store.comments[0]["body"]
    assert result.code == 0 and len(store.comments) == 1
    assert "MCPG101" not in body and "resolved" in body.lower() and NO_MCP_CHANGE in body


@pytest.mark.parametrize("files", [
    {"config/db.env": "DB_PASSWORD=x\n"},  # a file an MCP config reads
    {".mcp-guard.yml": "version: 1\n"},  # the policy
])
def test_changes_that_matter_are_scanned(repo: Repo, gh: FakeGitHub, tmp_path: Path,
                                         files: dict[str, str | None]) -> None:
    base, head = _branch(repo, files)
    gh.add("GET", "/user", forbidden)
    CommentStore().register(gh, "o/r", 7)
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    description = gh.requests("POST", "/statuses/")[0].body["description"]
    assert result.code == 0 and NO_MCP_CHANGE not in description


def test_secret_added_then_removed_is_not_a_no_change(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    secret = pat(21)
    clean = (repo.path / CONFIG).read_text(encoding="utf-8")
    base, head = _branch(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)}, {CONFIG: clean})
    assert git(repo.path, "diff", "--name-only", base, head) == ""  # the net change is empty
    store = CommentStore()
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, store.on_create(BOT))
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and "MCPG101" in store.comments[0]["body"]
    assert_no_secret(everything(result, gh), secret)


def test_merge_group_scans_the_queued_change(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    secret = pat(22)
    base, head = _branch(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    gh.add("POST", STATUS, status_reply)  # no comment API: a merge group has no pull request
    result = run(repo.path, tmp_path, "merge_group", merge_group_payload(base, head))
    [status] = gh.requests("POST", "/statuses/")
    assert result.code == 1 and status.body["state"] == "failure" and status.url.endswith(head)
    assert "main" in status.body["description"]
    assert [r["ruleId"] for r in json.loads(result.sarif)["runs"][0]["results"]] == ["MCPG101"]
    assert_no_secret(everything(result, gh), secret)


def test_merge_group_without_mcp_change(repo: Repo, gh: FakeGitHub, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    base, head = _branch(repo, {"README.md": "queued\n"})
    _no_scan(monkeypatch)
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "merge_group", merge_group_payload(base, head))
    [status] = gh.requests("POST", "/statuses/")
    assert result.code == 0 and status.body["state"] == "success" and status.url.endswith(head)
    assert NO_MCP_CHANGE in status.body["description"]


def test_resolved_only_when_the_scan_completed(tmp_path: Path) -> None:
    from scanner.gh.events import empty_result
    from scanner.markdown.templates import CommentContext, render_comment

    ctx = CommentContext(repo="o/r", pr_number=7, status_text="Nothing to scan: no MCP config changed")
    done = empty_result(tmp_path)
    assert "Resolved" in render_comment(done, ctx)
    from dataclasses import replace

    failed = replace(empty_result(tmp_path), complete=False)
    assert "Resolved" not in render_comment(failed, ctx)
