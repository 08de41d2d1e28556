"""GitHub compares commit status contexts case-insensitively: `MCP-Guard` and `mcp-guard` are one status
on a commit (a later post of either replaces the other). Where mcp-guard reads existing statuses, and in
the fake GitHub that keeps them, the same comparison holds."""

from __future__ import annotations

from pathlib import Path

from scanner.gh.api import GitHubApi
from tests.fakes import fake_token
from tests.gh.action_helpers import (
    STATUS,
    everything,
    expect_run,
    no_piece,
    one_change_pr,
    pr_payload,
    run,
    states,
)
from tests.gh.github_contract import API, FakeGitHub, status_reply
from tests.gh.test_shared_head_status import _config

COMBINED = "/repos/{owner}/{repo}/commits/{ref}/status"




def test_latest_status_matches_the_context_whatever_its_case(gh: FakeGitHub) -> None:
    api = GitHubApi(API, "tok", sleep=lambda _s: None)
    gh.add("POST", STATUS, status_reply)
    api.create_status("o/r", "a" * 40, state="failure", context="MCP-Guard",
                      description="(targeting main) 1 blocking finding")
    latest = api.latest_status("o/r", "a" * 40, "mcp-guard")
    assert latest == ("failure", "(targeting main) 1 blocking finding")
    assert api.latest_status("o/r", "a" * 40, "mcp-guard-other") is None


def test_the_fake_keeps_one_status_per_context_case_insensitively(gh: FakeGitHub) -> None:
    api = GitHubApi(API, "tok", sleep=lambda _s: None)
    gh.add("POST", STATUS, status_reply)
    api.create_status("o/r", "b" * 40, state="failure", context="MCP-Guard", description="first")
    api.create_status("o/r", "b" * 40, state="success", context="mcp-guard", description="second")
    gh.other_statuses["b" * 40] = [("Mcp-Guard", "failure"), ("ci/build", "success")]  # older ones
    _headers, combined = api.request("GET", "/repos/o/r/commits/" + "b" * 40 + "/status")
    contexts = [status["context"] for status in combined["statuses"]]
    assert sorted(c.lower() for c in contexts) == ["ci/build", "mcp-guard"] and combined["total_count"] == 2
    newest = next(s for s in combined["statuses"] if s["context"].lower() == "mcp-guard")
    assert (newest["state"], newest["description"]) == ("success", "second")
    assert gh.statuses_created[("b" * 40, "mcp-guard")] == 2  # GitHub's 1,000 per context counts both


def test_a_feature_branch_run_keeps_a_production_failure_posted_in_another_case(tmp_path: Path,
                                                                                gh: FakeGitHub) -> None:
    """Was: the run for `dev` looked for `mcp-guard` only, missed main's failing `MCP-Guard` status (the
    base workflow's status-context) and posted success, which GitHub took as the same check."""
    secret = fake_token("gh" + "p_", 36, 73)
    repo, base, head = one_change_pr(tmp_path, {".mcp.json": _config(secret)})
    expect_run(gh, reruns=True)
    into_main = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, "main", number=7),
                    status_context="MCP-Guard")
    into_dev = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, "dev", number=8))
    assert (into_main.code, into_dev.code, states(gh)) == (1, 0, ["failure"])
    assert "already carries a failing mcp-guard status from a run for main" in into_dev.log
    no_piece(everything(into_dev, gh), secret)


def test_a_base_gate_posting_the_context_in_another_case_is_the_floor_of_a_new_workflow(
        tmp_path: Path, gh: FakeGitHub) -> None:
    """The base's gate posts `MCP-Guard`, the PR's new workflow file `mcp-guard`: on GitHub one status.
    Was: the base gate counted as another check's, and `fail-on: none` in the new file passed."""
    from tests.gh.action_helpers import assert_blocked, pat
    from tests.test_gate_attack_wave10 import _renamed

    token = pat(10132)
    outcome = _renamed(tmp_path, gh, {"status-context": "MCP-Guard"}, token)
    assert_blocked(outcome, token)
