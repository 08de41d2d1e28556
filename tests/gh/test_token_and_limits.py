"""What real GitHub answers beyond the happy path, enforced by the contract fake: a token without the
permissions the run needs (403 "Resource not accessible by integration" outside forks and Dependabot
runs), the per-commit status limit, the status fields GitHub validates, and the step summary's 1 MiB.
Each of these used to end with a passing job while the required status or the report was missing."""

from __future__ import annotations

import io
import re
from pathlib import Path

from scanner.gh.runner import MAX_SUMMARY_BYTES, Runner
from tests.gh.action_helpers import (
    COMMENTS,
    CONFIG,
    STATUS,
    Repo,
    everything,
    mcp_config,
    no_piece,
    one_change_pr,
    pat,
    pr_payload,
    run,
    states,
)
from tests.gh.github_contract import (
    MAX_STATUSES_PER_CONTEXT,
    READ_ONLY,
    CommentStore,
    FakeGitHub,
    forbidden,
    status_reply,
)

CLEAN = {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}")}


def _errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("::error title=mcp-guard::")]


def _outputs(text: str) -> dict[str, str]:
    entries = re.findall(r"^([a-z-]+)<<(ghadelimiter_[0-9a-f]+)\n(.*?)\n\2$", text, re.M | re.S)
    return {name: value for name, _delimiter, value in entries}


def _pr_endpoints(gh: FakeGitHub, store: CommentStore | None = None) -> CommentStore:
    store = store or CommentStore()
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, store.on_create("github-actions[bot]"), optional=True)
    gh.add("POST", STATUS, status_reply)
    return store


def test_a_same_repo_pr_whose_token_lacks_statuses_write_fails_the_job(tmp_path: Path,
                                                                       gh: FakeGitHub) -> None:
    """Was: logged as a fork's read-only token, exit 0: the required status never appeared."""
    repo, base, head = one_change_pr(tmp_path, CLEAN)
    gh.grant(contents="read", pull_requests="write")  # `permissions:` without statuses
    _pr_endpoints(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 2, result.log[-1500:]
    [error] = _errors(result.log)
    assert "statuses: write" in error and "the token needs statuses=write" in error
    assert "Resource not accessible by integration" in error
    outputs = _outputs(result.outputs)
    assert (outputs["result"], outputs["status-set"]) == ("error", "false")
    assert not gh.requests("GET", "/status")  # a production base: no read of the commit's statuses


def test_a_push_whose_token_lacks_statuses_write_fails_the_job(tmp_path: Path, gh: FakeGitHub) -> None:
    repo = Repo(tmp_path / "ws")
    sha = repo.commit(CLEAN)
    gh.grant(contents="read")
    # (a push reads the commit's statuses before its success, trust wave 19: refused, no POST follows)
    gh.add("POST", STATUS, status_reply, optional=True)
    payload = {"ref": "refs/heads/main", "before": "0" * 40, "after": sha}
    result = run(repo.path, tmp_path, "push", payload)
    assert result.code == 2 and len(_errors(result.log)) == 1 and "statuses: write" in result.log


def test_a_merge_group_whose_token_lacks_statuses_write_fails_the_job(tmp_path: Path, gh: FakeGitHub) -> None:
    """The queue waits for the status on merge_group.head_sha: a run that cannot set it must fail."""
    from tests.gh.test_events import merge_group_payload

    repo, base, head = one_change_pr(tmp_path, CLEAN)
    gh.grant(contents="read", pull_requests="write")
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "merge_group", merge_group_payload(base, head))
    [post] = gh.requests("POST", "/statuses/")
    assert post.url.endswith(head) and result.code == 2 and "statuses: write" in result.log


def test_a_same_repo_pr_whose_token_lacks_pull_requests_write_is_no_pass(tmp_path: Path,
                                                                         gh: FakeGitHub) -> None:
    """Was: "read-only token, e.g. a fork PR" logged and the status `success`: the report never
    reached the PR. A finding into a feature branch does not block, so only the comment carries it."""
    secret = pat(131)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    gh.grant(contents="read", pull_requests="read", statuses="write")
    _pr_endpoints(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, base_ref="feature/x"))
    assert (result.code, states(gh)) == (2, ["error"])
    description = gh.requests("POST", "/statuses/")[0].body["description"]
    assert "could not publish" in description and "pull-requests: write" in description
    [error] = _errors(result.log)
    assert "pull-requests: write" in error and "the token needs" in error
    no_piece(everything(result, gh), secret)


def test_a_fork_read_only_token_still_gates_by_the_exit_code(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(132)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    gh.permissions = dict(READ_ONLY)
    _pr_endpoints(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, fork=True))
    assert result.code == 1 and "read-only token" in result.log
    assert _outputs(result.outputs)["status-set"] == "false"
    no_piece(everything(result, gh), secret)


def test_a_dependabot_run_has_a_read_only_token_like_a_fork(tmp_path: Path, gh: FakeGitHub) -> None:
    """GitHub documents Dependabot-triggered pull_request runs as read-only by default."""
    repo, base, head = one_change_pr(tmp_path, CLEAN)
    gh.permissions = dict(READ_ONLY)
    _pr_endpoints(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head),
                 extra_env={"GITHUB_ACTOR": "dependabot[bot]"})
    assert result.code == 0 and "::error" not in result.log and "the job exit code is the gate" in result.log


def test_bad_credentials_are_no_read_only_token(tmp_path: Path, gh: FakeGitHub) -> None:
    """Was: a 401 on the status write counted as a fork's read-only token, exit 0 on a passing fork run."""
    repo, base, head = one_change_pr(tmp_path, CLEAN)
    gh.add("GET", "/user", lambda _b, _u: (401, {}, {"message": "Bad credentials"}))
    CommentStore().register(gh, "o/r", 7)
    gh.add("POST", STATUS, lambda _b, _u: (401, {}, {"message": "Bad credentials"}))
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, fork=True))
    assert result.code == 2 and "HTTP 401 (Bad credentials)" in _errors(result.log)[0]


def test_a_commit_at_githubs_status_limit_fails_the_job_naming_githubs_reason(tmp_path: Path,
                                                                               gh: FakeGitHub) -> None:
    repo, base, head = one_change_pr(tmp_path, CLEAN)
    gh.statuses_created[(head, "mcp-guard")] = MAX_STATUSES_PER_CONTEXT
    _pr_endpoints(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 2
    [error] = _errors(result.log)
    assert "HTTP 422 (Validation Failed: This SHA and context has reached the maximum number of statuses.)" \
        in error


def test_a_server_url_without_a_scheme_gives_a_status_without_a_link(tmp_path: Path, gh: FakeGitHub) -> None:
    """Was: target_url "ghe.example.test/o/r/actions/runs/42": GitHub refuses the status (422)."""
    repo, base, head = one_change_pr(tmp_path, CLEAN)
    _pr_endpoints(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head),
                 extra_env={"GITHUB_SERVER_URL": "ghe.example.test"})
    [post] = gh.requests("POST", "/statuses/")
    assert result.code == 0 and post.body["state"] == "success" and "target_url" not in post.body


def test_the_status_links_the_run(tmp_path: Path, gh: FakeGitHub) -> None:
    repo, base, head = one_change_pr(tmp_path, CLEAN)
    _pr_endpoints(gh)
    assert run(repo.path, tmp_path, "pull_request", pr_payload(base, head)).code == 0
    [post] = gh.requests("POST", "/statuses/")
    assert post.body["target_url"] == "https://ghe.example.test/o/r/actions/runs/42"


def test_a_status_context_github_refuses_is_an_input_error(tmp_path: Path, gh: FakeGitHub) -> None:
    repo, base, head = one_change_pr(tmp_path, CLEAN)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), status_context="c" * 256)
    assert result.code == 2 and "status-context must be at most 255 characters" in _errors(result.log)[0]
    assert not gh.calls  # nothing GitHub would refuse is sent


def test_the_step_summary_counts_what_the_file_already_holds(tmp_path: Path) -> None:
    """GitHub drops a step summary over 1024k whole; the file may already hold earlier output."""
    path = tmp_path / "summary.md"
    path.write_text("x" * 600_000 + "\n", encoding="utf-8")
    runner = Runner(io.StringIO(), None, path)
    assert runner.write_summary("\n".join(f"line {i} {'y' * 60}" for i in range(10_000)))
    text = path.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= MAX_SUMMARY_BYTES and "**Summary truncated**" in text
    assert text.startswith("x" * 600_000)


def test_fake_answers_permissions_like_github() -> None:
    """The fake's own rule: a write needs its scope at write level; a read-only token can read."""
    from tests.gh.github_contract import PERMISSIONS, operations

    gh = FakeGitHub(mock=None)  # type: ignore[arg-type]
    gh.permissions = dict(READ_ONLY)
    status = operations()[("POST", "/repos/{owner}/{repo}/statuses/{sha}")]
    listing = operations()[("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments")]
    denied = gh._denied(status)
    assert denied is not None and denied[0] == 403 and denied[1] == {
        "x-accepted-github-permissions": "statuses=write"}
    assert gh._denied(listing) is None
    assert all(level in ("read", "write") for needs in PERMISSIONS.values() for _scope, level in needs)
    gh.grant(issues="write")
    assert gh._denied(operations()[("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments")]) is None


def test_a_secondary_limit_worded_as_abuse_detection_is_no_read_only_token(tmp_path: Path,
                                                                           gh: FakeGitHub) -> None:
    """GitHub's secondary limit also answers 403 "You have triggered an abuse detection mechanism"
    with Retry-After. Was: past the retries, a fork run took it for its read-only token (exit 0)."""
    repo, base, head = one_change_pr(tmp_path, CLEAN)
    gh.add("GET", "/user", forbidden)
    CommentStore().register(gh, "o/r", 7)
    abuse = (403, {"Retry-After": "1"}, {"message": "You have triggered an abuse detection mechanism. "
                                                    "Please wait a few minutes before you try again."})
    for _ in range(5):
        gh.add("POST", STATUS, lambda _b, _u: abuse)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, fork=True))
    assert result.code == 2 and result.waits == [1.0] * 4 and "read-only" not in result.log
    assert "abuse detection mechanism" in _errors(result.log)[0]


def test_which_runs_github_gives_a_read_only_token() -> None:
    from dataclasses import replace

    from scanner.gh.context import ActionContext, EventInfo

    ctx = ActionContext(event_name="pull_request", repository="o/r", api_url="", server_url="",
                        workspace=Path("."), output_path=None, summary_path=None, sha="a" * 40, run_id="1",
                        event=EventInfo("b" * 40, "a" * 40, "main"), token="t")
    fork = replace(ctx, event=replace(ctx.event, is_fork=True))
    assert fork.read_only_token and not ctx.read_only_token
    assert not replace(fork, event_name="pull_request_target").read_only_token  # a write token, forks too
    for event in ("pull_request", "pull_request_target", "push"):
        assert replace(ctx, event_name=event, actor="dependabot[bot]").read_only_token
    assert not replace(ctx, event_name="merge_group", actor="dependabot[bot]").read_only_token
    assert not replace(ctx, event_name="push", actor="octocat").read_only_token
