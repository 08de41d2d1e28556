"""A pull request cannot loosen the gate by editing the mcp-guard step of the workflow that judges
it: the base branch's copy of the running workflow (GITHUB_WORKFLOW_REF) is a floor for fail-on,
production-branches, gitleaks, block-secrets-everywhere and strict-parse. Before, `fail-on: none`
or `production-branches: nowhere` in the PR's own copy of the workflow turned its check green.
Every secret is built at run time."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from scanner.gh.workflow_floor import DEFAULTS, _floor, _is_mcp_guard, workflow_path
from scanner.model import Severity
from tests.gh.action_helpers import (
    CONFIG,
    Repo,
    everything,
    expect_run,
    git,
    mcp_config,
    no_piece,
    pat,
    pr_payload,
    run,
    states,
)
from tests.gh.github_contract import FakeGitHub

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ".github/workflows/mcp-guard.yml"
REF_ENV = {"GITHUB_WORKFLOW_REF": f"o/r/{WORKFLOW}@refs/pull/7/merge",
           "GITHUB_ACTION_REPOSITORY": "acme/mcp-guard", "GITHUB_JOB": "scan"}


def _workflow(**inputs: str) -> str:
    step: dict[str, object] = {"uses": "acme/mcp-guard@v1"}
    if inputs:
        step["with"] = inputs
    doc = {"on": ["pull_request"], "jobs": {"scan": {"runs-on": "ubuntu-latest",
                                                       "steps": [{"uses": "actions/checkout@v4"}, step]}}}
    return yaml.safe_dump(doc, sort_keys=False)


def _pr(tmp_path: Path, gh: FakeGitHub, base_workflow: str | None, head_workflow: str, secret: str,
        **inputs: str) -> tuple[int, list[str], str]:
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n", **({WORKFLOW: base_workflow} if base_workflow is not None else {})})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    head = repo.commit({WORKFLOW: head_workflow, CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), REF_ENV, **inputs)
    return result.code, states(gh), everything(result, gh)


def test_fail_on_none_in_the_prs_workflow_is_floored_by_the_base_copy(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(8101)
    code, posted, output = _pr(tmp_path, gh, _workflow(gitleaks="false"),
                               _workflow(gitleaks="false", **{"fail-on": "none"}), secret, fail_on="none")
    assert (code, posted) == (1, ["failure"]), output[-2000:]
    assert re.search(r"looser inputs than the base branch.{1,80}mcp-guard\.yml \W{1,3}fail-on", output)
    no_piece(output, secret)


def test_production_branches_emptied_by_the_pr_are_floored(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(8102)
    code, posted, output = _pr(tmp_path, gh, _workflow(gitleaks="false"),
                               _workflow(gitleaks="false", **{"production-branches": "nowhere"}), secret,
                               production_branches="nowhere")
    assert (code, posted) == (1, ["failure"]), output[-2000:]
    assert "looser inputs" in output and "production-branches" in output


def test_a_workflow_the_pr_adds_has_no_floor(tmp_path: Path, gh: FakeGitHub) -> None:
    # The base has no copy: the first setup of mcp-guard is the PR's own to make.
    secret = pat(8103)
    code, posted, output = _pr(tmp_path, gh, None, _workflow(gitleaks="false", **{"fail-on": "none"}), secret,
                               fail_on="none")
    assert (code, posted) == (0, ["success"]), output[-2000:]
    no_piece(output, secret)


def test_the_same_inputs_as_the_base_change_nothing(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(8104)
    loose = _workflow(gitleaks="false", **{"fail-on": "none"})
    code, posted, output = _pr(tmp_path, gh, loose, loose, secret, fail_on="none")
    assert (code, posted) == (0, ["success"]), output[-2000:]
    assert "looser inputs" not in output


def test_defaults_are_action_yml_defaults() -> None:
    inputs = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["inputs"]
    assert {name: str(inputs[name]["default"]) for name in DEFAULTS} == DEFAULTS


def test_workflow_path_is_this_repositorys_workflow_only() -> None:
    env = {"GITHUB_REPOSITORY": "o/r"}
    assert workflow_path({**env, "GITHUB_WORKFLOW_REF": "o/r/.github/workflows/a.yml@refs/heads/main"}) == \
        ".github/workflows/a.yml"
    assert workflow_path({**env, "GITHUB_WORKFLOW_REF": "O/R/.github/workflows/a.yml@refs/pull/1/merge"}) == \
        ".github/workflows/a.yml"
    assert workflow_path({**env, "GITHUB_WORKFLOW_REF": "x/y/.github/workflows/a.yml@v1"}) is None
    assert workflow_path({**env, "GITHUB_WORKFLOW_REF": "o/r/.github/workflows/../../a.yml@v1"}) is None
    assert workflow_path(env) is None


def test_steps_are_recognised_by_the_action_repository() -> None:
    assert _is_mcp_guard("acme/mcp-guard@v1", "acme/mcp-guard")
    assert _is_mcp_guard("ACME/mcp-guard@0123abc", "acme/mcp-guard")
    assert not _is_mcp_guard("acme/mcp-guard-fork@v1", "acme/mcp-guard")
    assert not _is_mcp_guard("actions/checkout@v4", "acme/mcp-guard")
    assert _is_mcp_guard("./", "")  # the action of the repository itself
    assert _is_mcp_guard("someone/mcp-guard@v2", "")


def test_the_floor_is_the_loosest_step_and_expressions_give_none() -> None:
    floor = _floor([{"fail-on": "medium", "production-branches": "main,release/*"},
                    {"fail-on": "critical", "production-branches": "main", "gitleaks": "false"}])
    assert floor is not None
    assert (floor.fail_on, floor.production_branches) == (Severity.CRITICAL, ("main",))
    assert "gitleaks" not in floor.flags
    unknown = _floor([{"fail-on": "${{ vars.FAIL_ON }}", "gitleaks": "${{ inputs.gl }}"}])
    assert unknown is not None and unknown.fail_on is None and "gitleaks" not in unknown.flags
    assert _floor([]) is None
    default = _floor([{}])
    assert default is not None and default.fail_on == Severity.HIGH and "gitleaks" in default.flags


def test_a_called_workflow_of_the_repository_is_read_too(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(8105)
    reusable = ".github/workflows/gate.yml"
    caller = yaml.safe_dump({"on": ["pull_request"], "jobs": {"mcp": {"uses": f"./{reusable}"}}})
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n", WORKFLOW: caller, reusable: _workflow(gitleaks="false")})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    head = repo.commit({reusable: _workflow(gitleaks="false", **{"fail-on": "none"}),
                        CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), REF_ENV, fail_on="none")
    assert (result.code, states(gh)) == (1, ["failure"]), result.log[-2000:]
    no_piece(everything(result, gh), secret)
