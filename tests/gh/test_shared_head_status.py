"""A commit status belongs to the commit, not to a pull request: two pull requests of one head (one
into main, one into a non-production branch), or one moved between bases, share the `mcp-guard`
status. A run for a non-production base must not turn the production run's failing check green."""

from __future__ import annotations

import json
from pathlib import Path

from scanner.gh.status import StatusDecision, held_by_production, with_base
from tests.fakes import fake_token
from tests.gh.action_helpers import (
    STATUS,
    Repo,
    everything,
    expect_run,
    no_piece,
    one_change_pr,
    pr_payload,
    run,
    states,
)
from tests.gh.github_contract import FakeGitHub, status_reply

PROD = ("main", "release/*")
CONFIG = ".mcp.json"


def _config(token: str) -> str:
    server = {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
              "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": token}}
    return json.dumps({"mcpServers": {"github": server}}, indent=2) + "\n"


def _expect(gh: FakeGitHub) -> None:
    """Comments (one thread serves both PR numbers here) and statuses, kept as GitHub keeps them."""
    expect_run(gh, reruns=True)


def _two_prs(tmp_path: Path) -> tuple[Repo, str, str, str]:
    secret = fake_token("gh" + "p_", 36, 71)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: _config(secret)})
    return repo, base, head, secret


def test_pr_into_dev_does_not_replace_the_failing_status_of_the_same_head_into_main(
        tmp_path: Path, gh: FakeGitHub) -> None:
    repo, base, head, secret = _two_prs(tmp_path)
    _expect(gh)
    into_main = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, "main", number=7))
    into_dev = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, "dev", number=8))
    # Before: the second run posted success on the same commit, and main's required check was green.
    assert states(gh) == ["failure"]
    assert (into_main.code, into_dev.code) == (1, 0)
    assert "already carries a failing mcp-guard status from a run for main" in into_dev.log
    no_piece(everything(into_dev, gh), secret)


def test_the_failing_status_is_found_past_the_first_page_of_contexts(tmp_path: Path, gh: FakeGitHub) -> None:
    """The combined status lists 100 contexts per page: with 150 other CI contexts set after it on the
    head, main's failing mcp-guard status is on page 2 (Link rel=next), and still holds."""
    repo, base, head, _secret = _two_prs(tmp_path)
    _expect(gh)
    run(repo.path, tmp_path, "pull_request", pr_payload(base, head, "main", number=7))
    gh.other_statuses[head] = [(f"ci/job-{index:03d}", "success") for index in range(150)]
    into_dev = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, "dev", number=8))
    assert states(gh) == ["failure"] and into_dev.code == 0
    assert "already carries a failing mcp-guard status from a run for main" in into_dev.log
    assert any("page=2" in call.url for call in gh.requests("GET", f"/commits/{head}/status"))


def test_pr_into_dev_alone_still_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    repo, base, head, _secret = _two_prs(tmp_path)
    _expect(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, "dev", number=8))
    assert (result.code, states(gh)) == (0, ["success"])
    assert gh.requests("GET", f"/commits/{head}/status"), "the run did not look at the commit's status"


def test_production_run_always_posts_its_own_result(tmp_path: Path, gh: FakeGitHub) -> None:
    # The dev run first (success), then main's: main's failure is posted (last wins, strictest here).
    repo, base, head, _secret = _two_prs(tmp_path)
    _expect(gh)
    run(repo.path, tmp_path, "pull_request", pr_payload(base, head, "dev", number=8))
    run(repo.path, tmp_path, "pull_request", pr_payload(base, head, "main", number=7))
    assert states(gh) == ["success", "failure"]
    assert len(gh.requests("GET", "/status?")) == 1  # the dev run asked; a production run never does


def test_statuses_of_a_production_run_name_their_base() -> None:
    error = StatusDecision("error", "mcp-guard could not complete: git failed")
    expected = "(targeting main) mcp-guard could not complete: git failed"
    assert with_base(error, "main", PROD).description == expected
    failure = StatusDecision("failure", "1 blocking finding in MCP configs targeting release/2.0")
    assert with_base(failure, "release/2.0", PROD) == failure
    assert with_base(error, "dev", PROD) == error  # not production: unchanged
    assert with_base(StatusDecision("success", "ok"), "main", PROD).description == "ok"


def test_only_a_production_runs_failure_holds() -> None:
    assert held_by_production(("failure", "1 blocking finding in MCP configs targeting main"), PROD) == "main"
    held = held_by_production(("error", "(targeting release/2) mcp-guard could not complete"), PROD)
    assert held == "release/2"
    # a failing status from a run for a non-production base (block-secrets-everywhere, an error)
    # does not hold: that pull request's own re-run may replace it
    assert held_by_production(("failure", "1 blocking secret in MCP configs (secrets block on every branch)"),
                              PROD) is None
    assert held_by_production(("error", "mcp-guard could not complete: timeout"), PROD) is None
    assert held_by_production(("success", "No findings in MCP configs"), PROD) is None
    assert held_by_production(None, PROD) is None


def _push_payload(head: str, branch: str) -> dict[str, object]:
    """The real push example (tests/fixtures/github/webhooks/push.branch.json) for `branch` at `head`."""
    from tests.gh.github_contract import FIXTURES

    payload = json.loads((FIXTURES / "webhooks" / "push.branch.json").read_text(encoding="utf-8"))
    payload.update(ref=f"refs/heads/{branch}", after=head)
    payload["head_commit"]["id"] = head
    return payload


def test_the_push_of_a_branch_does_not_replace_its_pull_requests_failing_status(
        tmp_path: Path, gh: FakeGitHub) -> None:
    """Was: only pull request runs looked; a workflow `on: [push, pull_request]` posted the push run's
    "would block a merge into main" success on the same commit after the PR run's failure."""
    repo, base, head, secret = _two_prs(tmp_path)
    _expect(gh)
    into_main = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, "main", number=7))
    pushed = run(repo.path, tmp_path, "push", _push_payload(head, "pr"))
    assert (into_main.code, pushed.code, states(gh)) == (1, 0, ["failure"])
    assert "already carries a failing mcp-guard status from a run for main" in pushed.log
    no_piece(everything(pushed, gh), secret)


def test_a_push_to_a_merge_queue_branch_is_judged_as_a_merge_into_its_base(tmp_path: Path,
                                                                           gh: FakeGitHub) -> None:
    """GitHub pushes each merge group to gh-readonly-queue/<base>/pr-<N>-<sha>: the commit main becomes.
    Was: a push run judged it as a feature branch and posted success on the merge group's commit."""
    repo, _base, head, secret = _two_prs(tmp_path)
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "push", _push_payload(head, f"gh-readonly-queue/main/pr-7-{head}"))
    assert (result.code, states(gh)) == (1, ["failure"])
    assert "targeting main" in gh.requests("POST", "/statuses/")[0].body["description"]
    no_piece(everything(result, gh), secret)


def test_a_merge_group_without_base_ref_is_an_error_not_a_guess(tmp_path: Path, gh: FakeGitHub) -> None:
    """GitHub's merge_group schema requires base_ref. Was: the base its head_ref's queue branch names was
    taken; now a payload without it is an input error (exit 2, an `error` status on the merge group's
    head), never judged against a guessed branch (tests/gh/test_event_payload_contract.py)."""
    from tests.gh.test_events import merge_group_payload

    repo, base, head, secret = _two_prs(tmp_path)
    payload = merge_group_payload(base, head)
    del payload["merge_group"]["base_ref"]  # head_ref still says refs/heads/gh-readonly-queue/main/...
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "merge_group", payload)
    assert (result.code, states(gh)) == (2, ["error"])
    assert "merge_group.base_ref" in gh.requests("POST", "/statuses/")[0].body["description"]
    no_piece(everything(result, gh), secret)
