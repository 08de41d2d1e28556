"""`mcp-guard action` end to end: real git repositories, the Action env, a contract-checked fake GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakes import assert_no_secret
from tests.gh.action_helpers import BOT, CONFIG, Repo, everything, git, mcp_config, pat, pr_payload, run
from tests.gh.github_contract import CommentStore, FakeGitHub, fake_github, forbidden, minimal, status_reply

COMMENTS = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
CONTENTS = "/repos/{owner}/{repo}/contents/{path}"
FILES = "/repos/{owner}/{repo}/pulls/{pull_number}/files"
COMMENT = "/repos/{owner}/{repo}/issues/comments/{comment_id}"
STATUS = "/repos/{owner}/{repo}/statuses/{sha}"


@pytest.fixture
def gh() -> FakeGitHub:
    with fake_github() as gh:
        yield gh


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "ws")
    repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}"), "README.md": "hi\n"})
    return repo


def _pr_branch(repo: Repo, files: dict[str, str | None], name: str = "pr") -> tuple[str, str]:
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", name, "main")
    return base, repo.commit(files)


def _expect_comment_run(gh: FakeGitHub, store: CommentStore, *, create: bool = False,
                        update: bool = False) -> None:
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    if create:
        gh.add("POST", COMMENTS, store.on_create(BOT))
    if update:
        gh.add("PATCH", COMMENT, store.on_update())


def _states(gh: FakeGitHub) -> list[str]:
    return [call.body["state"] for call in gh.requests("POST", "/statuses/")]


def test_first_run_creates_comment_second_run_edits_it(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    secret1, secret2 = pat(1), pat(2)
    base, head = _pr_branch(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret1)})
    store = CommentStore()
    _expect_comment_run(gh, store, create=True)
    gh.add("POST", STATUS, status_reply)
    first = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert first.code == 1 and _states(gh) == ["failure"]
    assert len(store.comments) == 1 and store.comments[0]["body"].startswith("<!-- mcp-guard:sticky v1 -->")
    assert "MCPG101" in first.summary and "::error file=.cursor/mcp.json" in first.log
    assert json.loads(first.sarif)["runs"][0]["results"]
    assert "findings<<ghadelimiter_" in first.outputs and "comment-url<<" in first.outputs

    head2 = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret1, OTHER_TOKEN=secret2)})
    _expect_comment_run(gh, store, update=True)
    gh.add("POST", STATUS, status_reply)
    second = run(repo.path, tmp_path, "pull_request", pr_payload(base, head2))
    assert second.code == 1 and len(store.comments) == 1 and len(gh.requests("PATCH")) == 1
    posts = gh.requests("POST", "/statuses/")
    assert posts[-1].url.endswith(head2) and posts[0].url.endswith(head)  # PR head, not GITHUB_SHA
    for result in (first, second):
        assert_no_secret(everything(result, gh), secret1, secret2)


def test_force_pushed_fix_resolves_comment(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    secret = pat(3)
    base, head = _pr_branch(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    store = CommentStore()
    _expect_comment_run(gh, store, create=True)
    gh.add("POST", STATUS, status_reply)
    assert run(repo.path, tmp_path, "pull_request", pr_payload(base, head)).code == 1
    # History rewritten from base: the secret is in no commit of the PR any more.
    repo.checkout("-B", "pr", "main")
    fixed = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}", DEBUG="1")})
    git(repo.path, "reflog", "expire", "--expire=now", "--all")
    git(repo.path, "gc", "-q", "--prune=now")
    _expect_comment_run(gh, store, update=True)
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, fixed))
    assert result.code == 0 and _states(gh) == ["failure", "success"]
    assert len(store.comments) == 1 and "MCPG101" not in store.comments[0]["body"]
    assert_no_secret(everything(result, gh), secret)


@pytest.mark.parametrize(("policy", "code", "state"), [
    (None, 1, "failure"),
    ("version: 1\nhistory: warn\n", 0, "success"),
])
def test_fix_as_new_commit_still_reported_from_history(repo: Repo, gh: FakeGitHub, tmp_path: Path,
                                                       policy: str | None, code: int, state: str) -> None:
    if policy is not None:
        repo.commit({".mcp-guard.yml": policy})
    secret = pat(4)
    base, _ = _pr_branch(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}")}, "remove it")
    store = CommentStore()
    _expect_comment_run(gh, store, create=True)
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == code and _states(gh) == [state]
    assert "history" in store.comments[0]["body"].lower() and "MCPG101" in result.summary
    assert_no_secret(everything(result, gh), secret)


@pytest.mark.parametrize(("base_ref", "code", "state"), [
    ("feature/x", 0, "success"),
    ("release/1.2", 1, "failure"),
])
def test_production_branch_decides_the_gate(repo: Repo, gh: FakeGitHub, tmp_path: Path, base_ref: str,
                                            code: int, state: str) -> None:
    secret = pat(5)
    base, head = _pr_branch(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    store = CommentStore()
    _expect_comment_run(gh, store, create=True)
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, base_ref=base_ref))
    assert result.code == code and _states(gh) == [state]
    assert "blocking<<" in result.outputs
    assert_no_secret(everything(result, gh), secret)


def test_fork_read_only_token(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    secret = pat(6)
    base, head = _pr_branch(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    gh.add("GET", "/user", forbidden)
    CommentStore().register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, forbidden)
    gh.add("POST", STATUS, forbidden)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, fork=True))
    assert result.code == 1
    assert "MCPG101" in result.summary and "::error " in result.log
    assert "read-only token" in result.log and "Traceback" not in result.log
    assert_no_secret(everything(result, gh), secret)


def test_status_retried_after_502(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    base, head = _pr_branch(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(7))})
    store = CommentStore()
    _expect_comment_run(gh, store, create=True)
    replies = [(502, {}, {"message": "Bad Gateway"})]
    gh.add("POST", STATUS, lambda body, url: replies.pop(0) if replies else status_reply(body, url))
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert _states(gh) == ["failure", "failure"] and result.waits == [1.0] and result.code == 1


def test_three_thousand_findings_fit_in_one_comment(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    secrets = [pat(1000 + i) for i in range(3000)]
    # 30 packages x 100 servers: a monorepo-shaped PR (per-file costs elsewhere grow with file size).
    files: dict[str, str | None] = {}
    for pkg in range(30):
        servers = {f"s{i}": {"command": "npx", "args": ["srv"], "env": {"GITHUB_TOKEN": secrets[i]}}
                   for i in range(pkg * 100, pkg * 100 + 100)}
        files[f"pkg{pkg}/.cursor/mcp.json"] = json.dumps({"mcpServers": servers}, indent=1)
    base, head = _pr_branch(repo, files)
    store = CommentStore()
    _expect_comment_run(gh, store, create=True)
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    body = store.comments[0]["body"]
    assert result.code == 1 and len(body) < 65536 and "findings<<" in result.outputs
    assert "3000" in result.outputs
    assert_no_secret(everything(result, gh), secrets[0], secrets[1499], secrets[-1])


def test_pr_policy_change_does_not_apply_to_itself(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    secret = pat(8)
    base, head = _pr_branch(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret),
                                   ".mcp-guard.yml": "version: 1\nhistory: warn\nfail-on: critical\n"})
    store = CommentStore()
    _expect_comment_run(gh, store, create=True)
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and _states(gh) == ["failure"]
    assert ".mcp-guard.yml" in store.comments[0]["body"]


def test_pr_head_path_ignore_and_rule_disable_do_not_apply(repo: Repo, gh: FakeGitHub,
                                                            tmp_path: Path) -> None:
    """ignore-paths / disable-rules come from the base branch: a PR adding `**` hides nothing."""
    secret = pat(11)
    policy = ("ignore-paths:\n  - {path: '**', reason: hide everything}\n"
              "disable-rules:\n  - {rule: MCPG101, reason: off}\n")
    base, head = _pr_branch(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret),
                                   ".mcp-guard.yml": policy})
    store = CommentStore()
    _expect_comment_run(gh, store, create=True)
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    body = store.comments[0]["body"]
    assert result.code == 1 and _states(gh) == ["failure"]
    assert "MCPG101" in body and "hide everything" not in body and ".mcp-guard.yml" in body


def test_base_path_ignore_applies_and_is_listed(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    repo.commit({".mcp-guard.yml": "ignore-paths:\n  - {path: 'examples/**', reason: sample configs}\n"})
    base, head = _pr_branch(repo, {"examples/" + CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(12))})
    store = CommentStore()
    _expect_comment_run(gh, store)
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 0 and _states(gh) == ["success"] and not store.comments
    # No comment on a clean PR, but the job summary says what the base policy hid.
    assert "examples/\\*\\*" in result.summary and "sample configs" in result.summary


def test_nothing_mcp_related_changed(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    base, head = _pr_branch(repo, {"README.md": "changed\n"})
    gh.add("GET", "/user", forbidden)
    CommentStore().register(gh, "o/r", 7)  # looked up, but no comment is created
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 0 and _states(gh) == ["success"]
    assert "no MCP config changed" in gh.requests("POST", "/statuses/")[0].body["description"]


def test_push_scans_whole_tree(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    secret = pat(9)
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "push", {"ref": "refs/heads/main", "after": head})
    assert result.code == 1 and _states(gh) == ["failure"]
    assert_no_secret(everything(result, gh), secret)


def test_bad_input_is_exit_2_without_api_calls(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    result = run(repo.path, tmp_path, "pull_request", pr_payload("a" * 40, "b" * 40), fail_on="urgent")
    assert result.code == 2 and "::error" in result.log and gh.calls == []


def test_missing_base_commit_reports_error_status(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    _, head = _pr_branch(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(10))})
    gh.add("GET", "/user", forbidden)
    CommentStore().register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, CommentStore().on_create(BOT))
    gh.add("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files",
           lambda b, u: (500, {}, {"message": "boom"}))
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload("c" * 40, head))
    assert result.code == 2 and _states(gh) == ["error"]


def test_shallow_checkout_falls_back_to_pull_files_api(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    import base64

    secret = pat(11)
    base, head = _pr_branch(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    clean = (repo.path / CONFIG).read_bytes()
    repo.checkout("main")
    base_config = (repo.path / CONFIG).read_bytes()
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "pr", f"file://{repo.path}", str(shallow))
    git(shallow, "remote", "remove", "origin")  # the fetch attempt must fail like an offline runner's
    assert clean != base_config

    def contents(_body: object, url: str) -> tuple[int, dict[str, str], object]:
        if "mcp.json" in url and f"ref={base}" in url:
            item = minimal(CONTENTS, "get", choose=1, type="file", encoding="base64", name="mcp.json",
                           path=CONFIG, content=base64.b64encode(base_config).decode())
            return 200, {}, item
        return 404, {}, {"message": "Not Found"}

    gh.add("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files",
           lambda b, u: (200, {}, [minimal(FILES, "get", item=True, filename=CONFIG, status="modified",
                                            sha="0" * 40, additions=1, deletions=1, changes=2)]))
    gh.add("GET", CONTENTS, contents)
    store = CommentStore()
    _expect_comment_run(gh, store, create=True)
    gh.add("POST", STATUS, status_reply)
    result = run(shallow, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and _states(gh) == ["failure"]
    assert "history not scanned" in result.log
    assert_no_secret(everything(result, gh), secret)


def test_full_mode_on_pr_still_uses_base_policy(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    secret = pat(12)
    base, head = _pr_branch(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret),
                                   ".mcp-guard.yml": "version: 1\nfail-on: critical\n"})
    store = CommentStore()
    _expect_comment_run(gh, store, create=True)
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), scan_mode="full")
    assert result.code == 1 and ".mcp-guard.yml" in store.comments[0]["body"]
