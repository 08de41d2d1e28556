"""Trust pass 19: the gate against its own pull request's author. Everything a PR can change besides
the value shapes (policy and baseline, the workflow's `with:` inputs, the step's status context,
links, the event, the check-out, the report templates, the sticky comment) is tried against the
contract-checked fake GitHub; each test fails when the attack works. docs/trust19.md has the table
(attempts, what the gate did before, the fix). Every secret is built at run time.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from scanner.gh.workflow_floor import _floor, _is_mcp_guard, _mcp_guard_steps
from tests.gh.action_helpers import (
    BOT,
    COMMENTS,
    STATUS,
    Files,
    Outcome,
    Repo,
    everything,
    expect_run,
    git,
    no_piece,
    pat,
    pr_payload,
    run,
    states,
)
from tests.gh.action_helpers import github_servers as _servers
from tests.gh.github_contract import CommentStore, FakeGitHub, forbidden, status_reply

GH = pat(19001)
WF = ".github/workflows/gate.yml"
ENV = {"GITHUB_WORKFLOW_REF": f"o/r/{WF}@refs/pull/7/merge", "GITHUB_JOB": "gate",
       "GITHUB_ACTION_REPOSITORY": "mcp-guard/mcp-guard"}
RELAXED = "version: 1\nignore-paths:\n  - path: '**'\n    reason: sample configs\n"
LEAK: Files = {".cursor/mcp.json": _servers(env={"GITHUB_PERSONAL_ACCESS_TOKEN": GH})}


def _workflow(*steps: dict[str, Any], job: str = "gate", **jobs: dict[str, Any]) -> str:
    """A workflow whose job `job` checks out and runs `steps` (plus other whole `jobs`)."""
    gate = {"runs-on": "ubuntu-latest", "steps": [{"uses": "actions/checkout@v4"}, *steps]}
    return json.dumps({"on": {"pull_request": {"types": ["opened", "synchronize", "reopened", "edited"]}},
                       "jobs": {job: gate, **jobs}}, indent=2) + "\n"


def _guard(**inputs: str) -> dict[str, Any]:
    step: dict[str, Any] = {"uses": "mcp-guard/mcp-guard@v1"}
    if inputs:
        step["with"] = {name.replace("_", "-"): value for name, value in inputs.items()}
    return step


def _open(tmp_path: Path, gh: FakeGitHub, base: Files, commits: list[Any], *, base_ref: str = "main",
          env: dict[str, str] | None = None, event: str = "pull_request", expect: bool = True,
          **inputs: str) -> Outcome:
    """PR 7 (branch `pr`) into `base_ref` holding `commits`, the Action run with `inputs` (the PR's
    own copy of the workflow's `with:`) and `env` (the runner's GITHUB_* of the running workflow)."""
    repo = Repo(tmp_path / "ws")
    repo.commit(base)
    if base_ref != "main":
        git(repo.path, "branch", base_ref)
    base_sha = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    for step in commits:
        step(repo) if callable(step) else repo.commit(step)
    head = git(repo.path, "rev-parse", "pr")
    if expect:
        expect_run(gh)
    payload = pr_payload(base_sha, head, base_ref=base_ref)
    payload["repository"]["default_branch"] = "main"
    result = run(repo.path, tmp_path, event, payload, extra_env=env, **inputs)
    return result.code, states(gh), everything(result, gh)


def _blocked(outcome: Outcome, *secrets: str) -> None:
    code, posted, output = outcome
    assert (code, posted) == (1, ["failure"]), output[-2500:]
    for secret in secrets:
        no_piece(output, secret)


# --- 1. the `config` input: a policy the PR's copy of the workflow names --------------------------

def test_config_pointed_at_a_relaxed_base_file_without_a_default_policy_hides_nothing(
        tmp_path: Path, gh: FakeGitHub) -> None:
    # The base has no .mcp-guard.yml (nothing capped the named policy) but keeps a sample policy
    # that ignores `**`; its gate step names no `config`. Before: success, "No findings".
    base: Files = {"README.md": "hi\n", "docs/examples/relaxed.yml": RELAXED, WF: _workflow(_guard())}
    outcome = _open(tmp_path, gh, base, [LEAK], env=ENV, config="docs/examples/relaxed.yml")
    _blocked(outcome, GH)
    assert "the stricter of them applies" in outcome[2]


def test_config_dropped_by_the_pr_keeps_the_base_steps_policy(tmp_path: Path, gh: FakeGitHub) -> None:
    # The base gate runs with `config: .github/mcp-guard.yml`, which makes `dev` a production
    # branch; the PR's copy leaves `config` out (the built-in default: `dev` is no production
    # branch). Before: success, "1 finding would block a merge into main, ...".
    policy = "version: 1\nproduction:\n  branches: [dev]\n"
    base: Files = {"README.md": "hi\n", ".github/mcp-guard.yml": policy,
                   WF: _workflow(_guard(config=".github/mcp-guard.yml"))}
    _blocked(_open(tmp_path, gh, base, [LEAK], base_ref="dev", env=ENV), GH)


def test_config_the_base_step_names_keeps_its_suppressions(tmp_path: Path, gh: FakeGitHub) -> None:
    # Precision: the same `config` as the base's step is the repository's own rule book.
    policy = "version: 1\nignore-paths:\n  - path: 'docs/**'\n    reason: sample configs\n"
    base: Files = {"README.md": "hi\n", ".github/mcp-guard.yml": policy,
                   WF: _workflow(_guard(config=".github/mcp-guard.yml"))}
    sample: Files = {"docs/.cursor/mcp.json": _servers(env={"GITHUB_PERSONAL_ACCESS_TOKEN": GH})}
    code, posted, output = _open(tmp_path, gh, base, [sample], env=ENV, config=".github/mcp-guard.yml")
    assert (code, posted) == (0, ["success"]), output[-2500:]


def test_config_from_an_expression_at_the_base_gives_no_floor(tmp_path: Path, gh: FakeGitHub) -> None:
    # Documented: `${{ vars.X }}` cannot be known from the file, so the run's value stands.
    base: Files = {"README.md": "hi\n", "docs/examples/relaxed.yml": RELAXED,
                   WF: _workflow(_guard(config="${{ vars.MCP_GUARD_POLICY }}"))}
    sample: Files = {"docs/.cursor/mcp.json": _servers(env={"GITHUB_PERSONAL_ACCESS_TOKEN": GH})}
    code, posted, _ = _open(tmp_path, gh, base, [sample], env=ENV, config="docs/examples/relaxed.yml")
    assert (code, posted) == (0, ["success"])


# --- 2. the workflow floor: which base steps are the gate -------------------------------------------

INFO = _guard(fail_on="none", status_context="mcp-guard-report")


def test_informational_step_of_another_job_is_no_floor_of_the_gate(tmp_path: Path, gh: FakeGitHub) -> None:
    # A base job `report` runs mcp-guard with fail-on: none under another context; the PR renames
    # its gate job (GITHUB_JOB no longer names a base job) and sets fail-on: none. Before: the floor
    # was the loosest step of every job, `none`: success.
    report = {"runs-on": "ubuntu-latest", "steps": [INFO]}
    base: Files = {"README.md": "hi\n", WF: _workflow(_guard(fail_on="high"), report=report)}
    _blocked(_open(tmp_path, gh, base, [LEAK], env={**ENV, "GITHUB_JOB": "gate-renamed"}, fail_on="none"), GH)


def test_informational_step_of_the_same_job_is_no_floor_of_the_gate(tmp_path: Path, gh: FakeGitHub) -> None:
    base: Files = {"README.md": "hi\n", WF: _workflow(_guard(fail_on="high"), INFO)}
    _blocked(_open(tmp_path, gh, base, [LEAK], env=ENV, fail_on="none"), GH)


@pytest.mark.parametrize("context", ["mcp-guard-report", "mcp-guard-renamed"])
def test_fork_pr_posting_another_context_still_fails_its_job(tmp_path: Path, gh: FakeGitHub,
                                                             context: str) -> None:
    # A fork PR runs its own copy of the workflow, and its job's exit code is the gate (the token
    # cannot set a status). Its copy posts the informational context (or a new one) with fail-on:
    # none; the base's job failed when its gate step did, so the job's strictest step is the floor.
    # Before: exit 0 (the loosest step, `none`).
    repo = Repo(tmp_path / "ws")
    base = repo.commit({"README.md": "hi\n", WF: _workflow(_guard(fail_on="high"), INFO)})
    repo.checkout("-B", "pr")
    head = repo.commit(LEAK)
    store = CommentStore()
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, forbidden)
    gh.add("POST", STATUS, forbidden)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, fork=True), extra_env=ENV,
                 fail_on="none", status_context=context)
    assert result.code == 1, result.log[-2500:]
    no_piece(everything(result, gh), GH)


def test_same_repo_pr_posting_the_informational_context_keeps_it_informational(tmp_path: Path,
                                                                                gh: FakeGitHub) -> None:
    # Precision: a run posting the base's informational context (not the gate's) is floored by that
    # step only; the required `mcp-guard` status is another run's to set.
    base: Files = {"README.md": "hi\n", WF: _workflow(_guard(fail_on="high"), INFO)}
    code, posted, _ = _open(tmp_path, gh, base, [LEAK], env=ENV, fail_on="none",
                            status_context="mcp-guard-report")
    assert (code, posted) == (0, ["success"])


@pytest.mark.parametrize("uses", ["docker://ghcr.io/mcp-guard/mcp-guard:v1",
                                  "docker://ghcr.io/mcp-guard/mcp-guard@sha256:" + "ab" * 32])
def test_base_gate_running_the_image_directly_is_the_floor(tmp_path: Path, gh: FakeGitHub, uses: str) -> None:
    # `uses: docker://…` leaves GITHUB_ACTION_REPOSITORY empty; `mcp-guard:v1` was not recognised.
    base: Files = {"README.md": "hi\n", WF: _workflow({"uses": uses, "with": {"fail-on": "high"}})}
    env = {**ENV, "GITHUB_ACTION_REPOSITORY": ""}
    _blocked(_open(tmp_path, gh, base, [LEAK], env=env, fail_on="none"), GH)


def test_docker_image_names() -> None:
    assert _is_mcp_guard("docker://ghcr.io/acme/mcp-guard:v1", "")
    assert _is_mcp_guard("docker://ghcr.io/acme/mcp-guard:v1", "mcp-guard/mcp-guard")
    assert _is_mcp_guard("docker://MCP-Guard@sha256:00", "")
    assert not _is_mcp_guard("docker://ghcr.io/acme/mcp-guard-lite:v1", "")
    assert not _is_mcp_guard("docker://alpine:3", "")


def test_status_context_in_another_case_is_the_same_gate(tmp_path: Path, gh: FakeGitHub) -> None:
    base: Files = {"README.md": "hi\n", WF: _workflow(_guard(fail_on="high"))}
    _blocked(_open(tmp_path, gh, base, [LEAK], env=ENV, fail_on="none", status_context="MCP-Guard"), GH)


@pytest.mark.parametrize("inputs", [{"scan_mode": "full", "fail_on": "none"},
                                    {"production_branches": ","},
                                    {"production_branches": "nowhere", "block_secrets_everywhere": "false"},
                                    {"timeout": "0", "file_timeout": "0", "fail_on": "critical"},
                                    {"suggestions": "false", "strict_parse": "false", "fail_on": "NONE"}])
def test_inputs_a_pr_sets_cannot_loosen_the_gate(tmp_path: Path, gh: FakeGitHub,
                                                 inputs: dict[str, str]) -> None:
    base: Files = {"README.md": "hi\n", WF: _workflow(_guard())}
    _blocked(_open(tmp_path, gh, base, [LEAK], env=ENV, **inputs), GH)


def test_comment_off_still_posts_the_failing_status(tmp_path: Path, gh: FakeGitHub) -> None:
    gh.add("POST", STATUS, status_reply)
    base: Files = {"README.md": "hi\n", WF: _workflow(_guard())}
    code, posted, output = _open(tmp_path, gh, base, [LEAK], env=ENV, expect=False, comment="false",
                                 fail_on="none")
    assert (code, posted) == (1, ["failure"]), output[-2500:]


def test_fingerprint_key_the_pr_chooses_hides_nothing(tmp_path: Path, gh: FakeGitHub) -> None:
    key = "k" * 40
    outcome = _open(tmp_path, gh, {"README.md": "hi\n"}, [LEAK], fingerprint_key=key)
    _blocked(outcome, GH, key)


@pytest.mark.parametrize("target", ["../outside.sarif", ".git/config", "/tmp/mcp-guard-trust19.sarif"])
def test_sarif_path_the_pr_chooses_changes_no_verdict(tmp_path: Path, gh: FakeGitHub, target: str) -> None:
    outcome = _open(tmp_path, gh, {"README.md": "hi\n"}, [LEAK], sarif_file=target)
    _blocked(outcome, GH)
    assert not (tmp_path / "outside.sarif").exists()
    assert not Path("/tmp/mcp-guard-trust19.sarif").exists()
    assert "[core]" in (tmp_path / "ws/.git/config").read_text(encoding="utf-8")


# --- 3. error paths: an input the context cannot read ----------------------------------------------

@pytest.mark.parametrize("folder", ["t" * 300, "a/" + "b" * 4000])
def test_templates_dir_the_file_system_refuses_posts_an_error(tmp_path: Path, gh: FakeGitHub,
                                                              folder: str) -> None:
    # Before: OSError (File name too long) escaped from_env: a traceback, no status at all.
    gh.add("POST", STATUS, status_reply)
    outcome = _open(tmp_path, gh, {"README.md": "hi\n"}, [LEAK], expect=False, templates_dir=folder)
    assert outcome[:2] == (2, ["error"]), outcome[2][-2500:]


# --- 4. templates and the sticky comment ---------------------------------------------------------

@pytest.mark.parametrize("template", ["{{ 1 / 0 }}", "All clear, nothing found.\n",
                                      "{% for x in report.findings %}{{ x.__class__ }}{% endfor %}"])
def test_report_templates_the_pr_brings_change_no_verdict(tmp_path: Path, gh: FakeGitHub,
                                                          template: str) -> None:
    files: Files = {**LEAK, "tpl/pr_comment.md.j2": template, "tpl/step_summary.md.j2": template}
    _blocked(_open(tmp_path, gh, {"README.md": "hi\n"}, [files], templates_dir="tpl"), GH)


def test_bot_login_naming_the_author_of_a_marker_comment_changes_no_verdict(tmp_path: Path,
                                                                            gh: FakeGitHub) -> None:
    # The PR's copy sets `bot-login` to its author, who posted "<marker> all clear": the report may
    # land in that comment (the token can edit it) or fail to; the status is the gate either way.
    store = CommentStore()
    store.add("<!-- mcp-guard:sticky v1 -->\nAll clear.", "mallory")
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, store.on_create(BOT))
    gh.add("POST", STATUS, status_reply)
    outcome = _open(tmp_path, gh, {"README.md": "hi\n"}, [LEAK], expect=False, bot_login="mallory")
    code, posted, output = outcome
    assert code != 0 and posted and posted[-1] in ("failure", "error"), output[-2500:]
    no_piece(output, GH)


# --- 5. links and gitleaks' own files -------------------------------------------------------------

def test_client_folder_linked_into_a_base_ignored_path_blocks(tmp_path: Path, gh: FakeGitHub) -> None:
    ignore = "version: 1\nignore-paths:\n  - path: 'examples/**'\n    reason: samples\n"
    base: Files = {"README.md": "hi\n", ".mcp-guard.yml": ignore}

    def link(repo: Repo) -> None:
        (repo.path / "examples/cursor").mkdir(parents=True)
        (repo.path / "examples/cursor/mcp.json").write_text(LEAK[".cursor/mcp.json"] or "", encoding="utf-8")
        (repo.path / ".cursor").symlink_to("examples/cursor")
        git(repo.path, "add", "-A")
        git(repo.path, "commit", "-q", "-m", "link")

    _blocked(_open(tmp_path, gh, base, [link]), GH)


def test_gitleaks_files_the_pr_adds_are_not_obeyed(tmp_path: Path, gh: FakeGitHub) -> None:
    files: Files = {**LEAK, ".gitleaksignore": ".cursor/mcp.json:github-pat:3\n",
                    ".gitleaks.toml": "[allowlist]\npaths = ['''.*''']\n",
                    ".cursor/.gitleaks.toml": "[extend]\nuseDefault = false\n"}
    _blocked(_open(tmp_path, gh, {"README.md": "hi\n"}, [files], gitleaks="true"), GH)


# --- 6. the event and the check-out -------------------------------------------------------------

def test_pull_request_target_with_the_base_checked_out_judges_the_head(tmp_path: Path,
                                                                      gh: FakeGitHub) -> None:
    # pull_request_target checks out the base by default: the work tree holds no secret, the head
    # commit (fetched) does. The gate reads commits, never the work tree, when it has them.
    def back_to_main(repo: Repo) -> None:
        repo.commit(LEAK)
        repo.checkout("main")

    outcome = _open(tmp_path, gh, {"README.md": "hi\n"}, [back_to_main], event="pull_request_target")
    _blocked(outcome, GH)


def test_test_merge_commit_of_another_head_is_not_judged(tmp_path: Path, gh: FakeGitHub) -> None:
    # A force-push between the event and the check-out: GITHUB_SHA is the test merge of a newer,
    # clean head; the event's head (which the status goes on) holds the secret.
    repo = Repo(tmp_path / "ws")
    base = repo.commit({"README.md": "hi\n"})
    repo.commit({"later.txt": "base moved on\n"})
    moved = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr", base)
    head = repo.commit(LEAK)
    repo.checkout("-B", "clean", base)
    clean = repo.commit({"notes.txt": "clean\n"})
    tree = git(repo.path, "rev-parse", f"{moved}^{{tree}}")
    merge = subprocess.run(["git", "-C", str(repo.path), "commit-tree", tree, "-p", moved, "-p", clean,
                            "-m", "test merge"], capture_output=True, text=True, check=True).stdout.strip()
    git(repo.path, "checkout", "-q", merge)
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(moved, head))
    _blocked((result.code, states(gh), everything(result, gh)), GH)


# --- 7. a pull request moved to a production branch after a pass into another ---------------------

def _retarget_workflow(trigger: Any) -> str:
    return json.dumps({"on": trigger, "jobs": {"gate": {"runs-on": "ubuntu-latest",
                                                        "steps": [_guard()]}}}, indent=2) + "\n"


@pytest.mark.parametrize("trigger", ["pull_request", ["pull_request", "push"], {"pull_request": None},
                                     {"pull_request": {"types": ["opened", "synchronize"]}},
                                     {"pull_request": {"types": ["edited"], "branches": ["dev"]}},
                                     {"pull_request": {"types": "edited", "branches-ignore": ["main"]}}])
def test_pass_into_another_branch_that_a_retarget_would_not_recheck_fails(tmp_path: Path, gh: FakeGitHub,
                                                                          trigger: Any) -> None:
    # Open the PR into `dev` (not production): "1 finding would block a merge into main", state
    # success on the head commit. Then move the PR to `main`: a workflow that does not run on
    # `edited` (GitHub's default types) never judges it again, and branch protection reads that
    # success. Before: success.
    files: Files = {**LEAK, WF: _retarget_workflow(trigger)}
    outcome = _open(tmp_path, gh, {"README.md": "hi\n"}, [files], base_ref="dev", env=ENV)
    _blocked(outcome, GH)
    assert "re-checked" in outcome[2]


@pytest.mark.parametrize("trigger", [{"pull_request": {"types": ["opened", "synchronize", "edited"]}},
                                     {"pull_request": {"types": ["edited"], "branches": ["main", "dev"]}},
                                     {"pull_request": {"types": ["edited"], "branches": ["**"]}}])
def test_pass_into_another_branch_rechecked_on_a_retarget_still_passes(tmp_path: Path, gh: FakeGitHub,
                                                                       trigger: Any) -> None:
    files: Files = {**LEAK, WF: _retarget_workflow(trigger)}
    code, posted, output = _open(tmp_path, gh, {"README.md": "hi\n"}, [files], base_ref="dev", env=ENV)
    assert (code, posted) == (0, ["success"]), output[-2500:]
    assert "would block a merge into main" in output


def test_pass_into_another_branch_of_an_unknown_workflow_still_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    # Documented: without GITHUB_WORKFLOW_REF (or a workflow of another repository) nothing is known.
    code, posted, _ = _open(tmp_path, gh, {"README.md": "hi\n"}, [LEAK], base_ref="dev")
    assert (code, posted) == (0, ["success"])


# --- 8. submodules, links, file names and sizes ----------------------------------------------------

def test_gitmodules_change_under_a_client_folder_submodule_is_never_a_pass(tmp_path: Path,
                                                                           gh: FakeGitHub) -> None:
    # The base has a submodule at .vscode (pinned commit); the PR changes only `.gitmodules` (another
    # url, a `branch` that `git submodule update --remote` follows). Before: "no MCP config changed".
    other = Repo(tmp_path / "other")
    commit = other.commit({"README.md": "x\n"})
    repo = Repo(tmp_path / "ws")
    modules = '[submodule "editor"]\n\tpath = .vscode\n\turl = https://example.test/{}.git\n'
    repo.commit({"README.md": "hi\n", ".gitmodules": modules.format("settings")})
    git(repo.path, "update-index", "--add", "--cacheinfo", f"160000,{commit},.vscode")
    git(repo.path, "commit", "-q", "-m", "editor settings as a submodule")
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    head = repo.commit({".gitmodules": modules.format("elsewhere") + "\tbranch = main\n"})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert (result.code, states(gh)) == (2, ["error"]), result.log[-2500:]
    assert "git submodule .vscode" in result.log


def test_gitmodules_change_without_client_folder_submodules_stays_on_the_fast_path(tmp_path: Path,
                                                                                   gh: FakeGitHub) -> None:
    other = Repo(tmp_path / "other")
    commit = other.commit({"README.md": "x\n"})
    repo = Repo(tmp_path / "ws")
    modules = '[submodule "lib"]\n\tpath = third_party/lib\n\turl = https://example.test/{}.git\n'
    repo.commit({"README.md": "hi\n", ".gitmodules": modules.format("lib")})
    git(repo.path, "update-index", "--add", "--cacheinfo", f"160000,{commit},third_party/lib")
    git(repo.path, "commit", "-q", "-m", "vendored library")
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    head = repo.commit({".gitmodules": modules.format("lib-mirror")})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert (result.code, states(gh)) == (0, ["success"]) and "no MCP config changed" in result.log


def test_dotenv_a_config_loads_over_the_size_limit_is_never_a_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    config = json.dumps({"servers": {"github": {"command": "npx", "envFile": "${workspaceFolder}/big.env"}}})
    files: Files = {".vscode/mcp.json": config + "\n",
                    "big.env": "PAD=" + "x" * (6 * 1024 * 1024) + f"\nGITHUB_PERSONAL_ACCESS_TOKEN={GH}\n"}
    code, posted, output = _open(tmp_path, gh, {"README.md": "hi\n"}, [files])
    assert code != 0 and posted and posted[-1] in ("failure", "error"), output[-2500:]
    no_piece(output, GH)


def test_symlink_loops_beside_a_linked_client_folder_are_never_a_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    def links(repo: Repo) -> None:
        (repo.path / ".cursor").mkdir()
        os.symlink("mcp.json", repo.path / ".cursor/mcp.json")  # a link to itself
        os.symlink("b", repo.path / "a")
        os.symlink("a", repo.path / "b")
        (repo.path / "editor").mkdir()
        server = {"command": "npx", "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": GH}}
        text = json.dumps({"servers": {"github": server}})
        (repo.path / "editor/mcp.json").write_text(text, encoding="utf-8")
        os.symlink("editor", repo.path / ".vscode")
        git(repo.path, "add", "-A")
        git(repo.path, "commit", "-q", "-m", "links")

    code, posted, output = _open(tmp_path, gh, {"README.md": "hi\n"}, [links])
    # (the self-link is a config the scan cannot read: an incomplete scan, `error`)
    assert code != 0 and posted and posted[-1] in ("failure", "error"), output[-2500:]
    assert "MCPG101" in output
    no_piece(output, GH)


def test_client_folder_under_a_name_that_is_no_utf8_blocks(tmp_path: Path, gh: FakeGitHub) -> None:
    def odd(repo: Repo) -> None:
        folder = os.path.join(os.fsencode(repo.path), b"\xffapp", b".cursor")
        os.makedirs(folder)
        with open(os.path.join(folder, b"mcp.json"), "w", encoding="utf-8") as handle:
            handle.write(LEAK[".cursor/mcp.json"] or "")
        git(repo.path, "add", "-A")
        git(repo.path, "commit", "-q", "-m", "odd name")

    code, posted, output = _open(tmp_path, gh, {"README.md": "hi\n"}, [odd])
    assert code != 0 and posted and posted[-1] in ("failure", "error"), output[-2500:]
    no_piece(output, GH)


def test_file_name_carrying_a_workflow_command_is_escaped(tmp_path: Path, gh: FakeGitHub) -> None:
    files: Files = {"a\n::warning::x/.cursor/mcp.json": LEAK[".cursor/mcp.json"], **LEAK}
    code, posted, output = _open(tmp_path, gh, {"README.md": "hi\n"}, [files])
    assert (code, posted) == (1, ["failure"]), output[-2500:]
    assert "\n::warning::x" not in output


# --- 9. one commit, several runs: a later pass must not undo a failure it does not judge -----------

def _statuses_kept(gh: FakeGitHub) -> None:
    expect_run(gh, reruns=True)


def test_push_of_the_pr_head_to_a_new_release_branch_keeps_the_failure(tmp_path: Path,
                                                                      gh: FakeGitHub) -> None:
    # The PR into main fails. Its head also carries a `.mcp-guard.yml` ignoring `**`; the author pushes
    # that commit to a new `release/x` (production by the default globs). A push has no base: its
    # run judges the pushed commit by that commit's own policy, passes, and before posted `success`
    # over main's failure on the same commit (only runs for non-production branches checked).
    repo = Repo(tmp_path / "ws")
    base = repo.commit({"README.md": "hi\n"})
    repo.checkout("-B", "pr")
    head = repo.commit({**LEAK, ".mcp-guard.yml": RELAXED})
    _statuses_kept(gh)
    into_main = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    push = {"ref": "refs/heads/release/x", "before": "0" * 40, "after": head,
            "repository": {"default_branch": "main"}}
    pushed = run(repo.path, tmp_path, "push", push)
    assert into_main.code == 1 and states(gh) == ["failure"], pushed.log[-2500:]
    assert "already carries a failing mcp-guard status from a run for main" in pushed.log
    no_piece(everything(pushed, gh), GH)


def test_rerun_for_the_same_production_branch_replaces_its_own_failure(tmp_path: Path,
                                                                      gh: FakeGitHub) -> None:
    # Precision: a run for main again (the base's policy now accepts the finding) is not held.
    repo = Repo(tmp_path / "ws")
    base = repo.commit({"README.md": "hi\n"})
    repo.checkout("-B", "pr")
    head = repo.commit(LEAK)
    _statuses_kept(gh)
    run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    repo.checkout("main")
    accepted = repo.commit({".mcp-guard.yml": RELAXED})
    again = run(repo.path, tmp_path, "pull_request", pr_payload(accepted, head))
    assert states(gh) == ["failure", "success"], again.log[-2500:]


def test_push_run_does_not_undo_the_unguarded_retarget_failure(tmp_path: Path, gh: FakeGitHub) -> None:
    # The PR into dev fails (its workflow skips `edited`); a push run of the branch (not
    # production) would have posted its "would block" success over it, and the move to main
    # then found a green check.
    repo = Repo(tmp_path / "ws")
    base = repo.commit({"README.md": "hi\n"})
    git(repo.path, "branch", "dev")
    repo.checkout("-B", "pr")
    head = repo.commit({**LEAK, WF: _retarget_workflow(["pull_request", "push"])})
    _statuses_kept(gh)
    payload = pr_payload(base, head, base_ref="dev")
    payload["repository"]["default_branch"] = "main"
    into_dev = run(repo.path, tmp_path, "pull_request", payload, extra_env=ENV)
    pushed = run(repo.path, tmp_path, "push", {"ref": "refs/heads/pr", "before": base, "after": head,
                                               "repository": {"default_branch": "main"}}, extra_env=ENV)
    assert into_dev.code == 1 and states(gh) == ["failure"], pushed.log[-2500:]
    assert "would not be re-checked" in pushed.log


def test_base_step_inputs_are_read_as_the_runner_reads_them() -> None:
    # Input names are case-insensitive and values stripped (actions/toolkit getInput): a base step
    # `Status-Context: mcp-guard-report` is informational, `gitleaks: "true "` is on. Before, the
    # first counted as the gate (its `fail-on: none` the loosest floor), the second as no floor.
    workflow = json.dumps({"jobs": {"gate": {"steps": [
        {"uses": "mcp-guard/mcp-guard@v1", "with": {"Fail-On": "high ", "GITLEAKS": "true "}},
        {"uses": "mcp-guard/mcp-guard@v1",
         "with": {"Status-Context": "mcp-guard-report", "fail-on": "none"}}]}}})
    steps, _ = _mcp_guard_steps(workflow.encode(), "mcp-guard/mcp-guard", "gate")
    assert steps[1]["status-context"] == "mcp-guard-report"
    floor = _floor(steps[:1])
    assert floor is not None and floor.fail_on is not None and floor.fail_on.label == "high"
    assert "gitleaks" in floor.flags


# --- 10. what a base `ignore-paths` entry reaches -------------------------------------------------

IGNORED_TOOLS = "version: 1\nignore-paths:\n  - path: 'tools/**'\n    reason: vendored tools\n"
SERVERS = {"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": GH}}}}


def _marketplace(entry: dict[str, Any]) -> str:
    return json.dumps({"name": "m", "owner": {"name": "o"}, "plugins": [entry]})


@pytest.mark.parametrize("layout", ["plugin manifest", "plugin .mcp.json", "entry servers file", "settings"])
def test_plugin_a_live_marketplace_loads_from_an_ignored_path_blocks(tmp_path: Path, gh: FakeGitHub,
                                                                     layout: str) -> None:
    # The base ignores `tools/**`; a marketplace (or `.claude/settings.json`) outside it loads a plugin
    # from there: Claude Code starts its servers, so the path entry does not hide them.
    files: Files
    if layout == "plugin manifest":
        files = {".claude-plugin/marketplace.json": _marketplace({"name": "acme", "source": "./tools/acme"}),
                 "tools/acme/.claude-plugin/plugin.json": json.dumps({"name": "acme", **SERVERS})}
    elif layout == "plugin .mcp.json":
        files = {".claude-plugin/marketplace.json": _marketplace({"name": "acme", "source": "./tools/acme"}),
                 "tools/acme/.claude-plugin/plugin.json": json.dumps({"name": "acme"}),
                 "tools/acme/.mcp.json": json.dumps(SERVERS)}
    elif layout == "entry servers file":
        files = {".claude-plugin/marketplace.json": _marketplace(
                     {"name": "acme", "source": "./tools/acme", "strict": False, "mcpServers": "./s.json"}),
                 "tools/acme/s.json": json.dumps(SERVERS)}
    else:
        market = {"m": {"source": {"source": "directory", "path": "./tools/market"}}}
        files = {".claude/settings.json": json.dumps({"extraKnownMarketplaces": market,
                                                      "enabledPlugins": {"acme@m": True}}),
                 "tools/market/.claude-plugin/marketplace.json":
                     _marketplace({"name": "acme", "source": "./acme"}),
                 "tools/market/acme/.claude-plugin/plugin.json": json.dumps({"name": "acme", **SERVERS})}
    _blocked(_open(tmp_path, gh, {"README.md": "hi\n", ".mcp-guard.yml": IGNORED_TOOLS}, [files]), GH)


def test_config_moved_out_of_an_ignored_path_blocks(tmp_path: Path, gh: FakeGitHub) -> None:
    # An accepted sample under the ignored path, `git mv`-ed to where Cursor reads it.
    def move(repo: Repo) -> None:
        (repo.path / ".cursor").mkdir()
        git(repo.path, "mv", "tools/sample/.cursor/mcp.json", ".cursor/mcp.json")
        git(repo.path, "commit", "-q", "-m", "use the sample")

    base: Files = {"README.md": "hi\n", ".mcp-guard.yml": IGNORED_TOOLS,
                   "tools/sample/.cursor/mcp.json": LEAK[".cursor/mcp.json"]}
    _blocked(_open(tmp_path, gh, base, [move]), GH)


def test_merge_group_running_the_prs_copy_of_the_workflow_is_floored(tmp_path: Path,
                                                                    gh: FakeGitHub) -> None:
    # The merge queue runs the workflow as the queued commit has it (the PR's edit included).
    from tests.gh.test_events import merge_group_payload

    repo = Repo(tmp_path / "ws")
    base = repo.commit({"README.md": "hi\n", WF: _workflow(_guard(fail_on="high"))})
    repo.checkout("-B", "pr")
    head = repo.commit({**LEAK, WF: _workflow(_guard(fail_on="none"))})
    gh.add("POST", STATUS, status_reply)
    env = {**ENV, "GITHUB_WORKFLOW_REF": f"o/r/{WF}@refs/heads/gh-readonly-queue/main/pr-7-{head}"}
    result = run(repo.path, tmp_path, "merge_group", merge_group_payload(base, head), extra_env=env,
                 fail_on="none")
    assert (result.code, states(gh)) == (1, ["failure"]), result.log[-2500:]
    no_piece(everything(result, gh), GH)
