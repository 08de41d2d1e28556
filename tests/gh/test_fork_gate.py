"""A fork PR gets a read-only token: the comment and the status answer 403. Nothing on the PR then
says that it failed, so the job must: exit code, a one-line ::error, and the outputs."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.gh.action_helpers import (
    COMMENTS,
    CONFIG,
    STATUS,
    everything,
    mcp_config,
    no_piece,
    one_change_pr,
    pat,
    pr_payload,
    run,
)
from tests.gh.github_contract import CommentStore, FakeGitHub, forbidden

ROOT = Path(__file__).resolve().parents[2]


def _outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT heredoc entries (name<<delimiter, value, delimiter) as a dict."""
    entries = re.findall(r"^([a-z-]+)<<(ghadelimiter_[0-9a-f]+)\n(.*?)\n\2$", text, re.M | re.S)
    return {name: value for name, _delimiter, value in entries}


def _read_only(gh: FakeGitHub) -> None:
    gh.add("GET", "/user", forbidden)
    CommentStore().register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, forbidden, optional=True)  # a run without findings creates none
    gh.add("POST", STATUS, forbidden)


def test_blocking_findings_on_a_fork_fail_the_job_with_one_clear_error(tmp_path: Path,
                                                                       gh: FakeGitHub) -> None:
    secret = pat(91)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    _read_only(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, fork=True))
    assert result.code == 1
    errors = [line for line in result.log.splitlines() if line.startswith("::error title=mcp-guard::")]
    assert len(errors) == 1 and "failure: 1 blocking finding" in errors[0]
    assert "commit status could not be set (read-only token" in errors[0]
    outputs = _outputs(result.outputs)
    assert (outputs["result"], outputs["status-set"], outputs["blocking"]) == ("failure", "false", "1")
    no_piece(everything(result, gh), secret)


def test_a_passing_fork_run_is_no_error(tmp_path: Path, gh: FakeGitHub) -> None:
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:T}")})
    _read_only(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, fork=True))
    assert result.code == 0 and "::error" not in result.log
    assert "the job exit code is the gate" in result.log
    outputs = _outputs(result.outputs)
    assert (outputs["result"], outputs["status-set"]) == ("success", "false")


def test_action_yml_declares_every_output_the_run_sets_and_the_docs_name_them(tmp_path: Path,
                                                                             gh: FakeGitHub) -> None:
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(92))})
    _read_only(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, fork=True))
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert set(_outputs(result.outputs)) == set(action["outputs"])
    docs = (ROOT / "docs" / "action.md").read_text(encoding="utf-8")
    outputs_paragraph = docs.split("\nOutputs: ", 1)[1].split("\n\n", 1)[0]
    for name in action["outputs"]:
        assert f"`{name}`" in outputs_paragraph, f"output {name} is not documented in docs/action.md"
    for name in action["inputs"]:
        assert f"| `{name}` |" in docs, f"input {name} is not in the inputs table of docs/action.md"


def test_a_fork_run_that_could_not_scan_says_so_in_one_line(tmp_path: Path, gh: FakeGitHub) -> None:
    """Was: two ::error lines, the scan's error and then the same error again with why the status
    could not be set; one line says both."""
    secret = pat(93)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    _read_only(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, fork=True), timeout="0.001")
    assert result.code == 2
    errors = [line for line in result.log.splitlines() if line.startswith("::error title=mcp-guard::")]
    assert len(errors) == 1, errors
    assert "could not complete" in errors[0] and "timeout" in errors[0]
    assert "commit status could not be set (read-only token" in errors[0]
    assert _outputs(result.outputs)["result"] == "error"
    no_piece(everything(result, gh), secret)
