"""Red-team regressions (issue 13): ways a pull request's author got a secret past the gate.

Each test drives the Action (real git repositories, a contract-checked fake GitHub) or the CLI, with
every secret built at run time.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import main
from tests.fakes import assert_no_secret, executable
from tests.gh.action_helpers import BOT, CONFIG, Repo, everything, git, mcp_config, pat, pr_payload, run
from tests.gh.github_contract import CommentStore, FakeGitHub, fake_github, forbidden, status_reply

COMMENTS = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
STATUS = "/repos/{owner}/{repo}/statuses/{sha}"
SAFE = mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}")


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with fake_github(assert_all_requests_are_fired=False) as gh:
        yield gh


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "ws")
    repo.commit({CONFIG: SAFE, "README.md": "hi\n"})
    return repo


def _expect_run(gh: FakeGitHub) -> CommentStore:
    store = CommentStore()
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, store.on_create(BOT))
    gh.add("POST", STATUS, status_reply)
    return store


def _statuses(gh: FakeGitHub) -> list[tuple[str, str]]:
    return [(call.body["state"], call.body["description"]) for call in gh.requests("POST", "/statuses/")]


def _empty_commits(repo: Repo, count: int) -> str:
    """`count` empty commits on the current branch (commit-tree: no work-tree churn)."""
    head = git(repo.path, "rev-parse", "HEAD")
    tree = git(repo.path, "rev-parse", "HEAD^{tree}")
    for index in range(count):
        head = git(repo.path, "commit-tree", tree, "-p", head, "-m", f"empty {index}")
    git(repo.path, "reset", "-q", "--hard", head)
    return head


# --- 1. history: no silent cap -----------------------------------------------------------------------

def test_secret_reverted_then_buried_under_many_empty_commits_is_found(repo: Repo, gh: FakeGitHub,
                                                                       tmp_path: Path) -> None:
    secret = pat(1301)
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)}, "add")
    repo.commit({CONFIG: SAFE}, "revert")
    head = _empty_commits(repo, 251)
    _expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and [s for s, _ in _statuses(gh)] == ["failure"]
    assert "MCPG101" in result.summary and "Nothing to scan" not in result.log
    assert_no_secret(everything(result, gh), secret)


def test_history_over_the_bound_is_an_incomplete_scan(repo: Repo, gh: FakeGitHub, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner import diff

    monkeypatch.setattr(diff, "MAX_HISTORY_COMMITS", 2)
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    for index in range(3):
        repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}", N=str(index))})
    head = repo.commit({CONFIG: SAFE}, "back to base")
    _expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 2 and [s for s, _ in _statuses(gh)] == ["error"]
    assert "more than the limit of 2" in result.log


# --- 2. merge commits are diffed against their parents -----------------------------------------------

def _merge_with(repo: Repo, side: str, config: str) -> str:
    """Merge branch `side` into the current branch, changing CONFIG inside the merge commit itself."""
    git(repo.path, "merge", "-q", "--no-ff", "--no-commit", side)
    (repo.path / CONFIG).write_text(config, encoding="utf-8")
    git(repo.path, "add", "--", CONFIG)
    git(repo.path, "commit", "-q", "-m", f"merge {side}")
    return git(repo.path, "rev-parse", "HEAD")


def test_secret_added_in_one_merge_and_removed_in_another_is_found(repo: Repo, gh: FakeGitHub,
                                                                  tmp_path: Path) -> None:
    secret = pat(1302)
    base = git(repo.path, "rev-parse", "main")
    for side in ("s1", "s2"):
        repo.checkout("-B", side, "main")
        repo.commit({f"{side}.txt": side + "\n"}, side)
    repo.checkout("-B", "pr", "main")
    _merge_with(repo, "s1", mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret))
    head = _merge_with(repo, "s2", SAFE)
    _expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and [s for s, _ in _statuses(gh)] == ["failure"]
    assert "MCPG101" in result.summary
    assert_no_secret(everything(result, gh), secret)


# --- 10. a backslash in a path -------------------------------------------------------------------------

def test_backslash_in_a_path_is_scanned_not_an_internal_error(repo: Repo, gh: FakeGitHub,
                                                             tmp_path: Path) -> None:
    secret = pat(1310)
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    head = repo.commit({"a\\b/.mcp.json": mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    _expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert "internal error" not in result.log
    assert result.code == 1 and [s for s, _ in _statuses(gh)] == ["failure"]
    assert "MCPG101" in result.summary
    assert_no_secret(everything(result, gh), secret)


# --- 5. a broken gitleaks fails closed ------------------------------------------------------------------

_FAKE_GITLEAKS = '''#!{python}
import json, os, signal, sys, time
args = sys.argv[1:]
report = args[args.index("-r") + 1]
mode = {mode!r}
if mode == "clean":
    open(report, "w").write("[]")
elif mode == "exit1":
    sys.exit(1)
elif mode == "signal":
    os.kill(os.getpid(), signal.SIGKILL)
elif mode == "invalid-json":
    open(report, "w").write("[{{not json")
elif mode == "wrong-shape":
    json.dump({{"findings": []}}, open(report, "w"))
elif mode == "wrong-record":
    json.dump([{{"File": 3, "RuleID": "x"}}], open(report, "w"))
    sys.exit(2)
elif mode == "oversized":
    with open(report, "wb") as handle:
        handle.truncate(21 * 1024 * 1024)
elif mode == "slow":
    time.sleep(4)
    open(report, "w").write("[]")
# "no-report": exit 0 and write nothing
'''

BROKEN = {
    "exit1": "exited with status 1",
    "signal": "killed by signal 9",
    "invalid-json": "not valid JSON",
    "wrong-shape": "unexpected shape",
    "wrong-record": "unexpected shape",
    "oversized": "report larger than",
    "no-report": "without writing its report",
}


def fake_gitleaks(directory: Path, mode: str) -> Path:
    """An executable standing in for gitleaks that misbehaves in the given way (never a real scan)."""
    directory.mkdir(parents=True, exist_ok=True)
    script = _FAKE_GITLEAKS.format(python=sys.executable, mode=mode)
    return Path(executable(directory / f"gitleaks-{mode}", script))


def _cli_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    (tree / ".cursor").mkdir(parents=True)
    (tree / CONFIG).write_text(SAFE, encoding="utf-8")
    return tree


@pytest.mark.parametrize("mode", sorted(BROKEN))
def test_cli_require_gitleaks_fails_closed_on_a_broken_engine(tmp_path: Path, mode: str) -> None:
    fake = fake_gitleaks(tmp_path / "bin", mode)
    result = CliRunner().invoke(main, ["scan", str(_cli_tree(tmp_path)), "--require-gitleaks",
                                       "--gitleaks-path", str(fake)])
    assert result.exit_code == 2, result.output
    assert "gitleaks did not run" in result.stderr and BROKEN[mode] in result.stderr


def test_cli_require_gitleaks_passes_with_a_working_engine(tmp_path: Path) -> None:
    fake = fake_gitleaks(tmp_path / "bin", "clean")
    result = CliRunner().invoke(main, ["scan", str(_cli_tree(tmp_path)), "--require-gitleaks",
                                       "--gitleaks-path", str(fake)])
    assert result.exit_code == 0, result.output
    missing = CliRunner().invoke(main, ["scan", str(_cli_tree(tmp_path / "m")), "--require-gitleaks",
                                        "--gitleaks-path", str(tmp_path / "no-such-gitleaks")])
    assert missing.exit_code == 2 and "gitleaks did not run" in missing.stderr


@pytest.mark.parametrize("mode", ["missing", "no-report", "signal", "wrong-shape"])
def test_action_fails_closed_when_gitleaks_breaks(repo: Repo, gh: FakeGitHub, tmp_path: Path,
                                                  mode: str) -> None:
    fake = tmp_path / "bin" / "absent" if mode == "missing" else fake_gitleaks(tmp_path / "bin", mode)
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}", DEBUG="1")})
    _expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head),
                 extra_env={"MCP_GUARD_GITLEAKS": str(fake)}, gitleaks="true")
    states = _statuses(gh)
    assert result.code == 2 and [s for s, _ in states] == ["error"], result.log
    assert "gitleaks" in states[0][1]
    if mode != "missing":
        assert BROKEN[mode] in states[0][1]


def test_action_passes_with_a_working_gitleaks(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    fake = fake_gitleaks(tmp_path / "bin", "clean")
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}", DEBUG="1")})
    _expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head),
                 extra_env={"MCP_GUARD_GITLEAKS": str(fake)}, gitleaks="true")
    assert result.code == 0 and [s for s, _ in _statuses(gh)] == ["success"], result.log


# --- 9. the PR cannot relax its own gate -----------------------------------------------------------------

def test_base_policy_floor_beats_relaxed_workflow_inputs(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    secret = pat(1309)
    repo.commit({".mcp-guard.yml": "version: 1\nfail-on: high\nproduction:\n  branches: [main]\n"})
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    _expect_run(gh)
    # What a PR's own copy of the workflow can pass: nothing blocks, no branch is production.
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head),
                 fail_on="none", production_branches="nowhere-*")
    assert result.code == 1 and [s for s, _ in _statuses(gh)] == ["failure"], result.log
    assert_no_secret(everything(result, gh), secret)


def _fingerprint_of(tree: Path) -> str:
    report = CliRunner().invoke(main, ["scan", str(tree), "--no-gitleaks", "--format", "json"])
    [finding] = [f for f in json.loads(report.stdout)["findings"] if f["rule_id"] == "MCPG101"]
    return str(finding["fingerprint"])


@pytest.mark.parametrize("fetchable", [True, False])
def test_full_mode_on_shallow_pr_ignores_a_pr_added_ignore(repo: Repo, gh: FakeGitHub, tmp_path: Path,
                                                           fetchable: bool) -> None:
    secret = pat(1319)
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    ignore = {"fingerprint": _fingerprint_of(repo.path), "reason": "PR says it is fine"}
    head = repo.commit({".mcp-guard.yml": json.dumps({"version": 1, "ignore": [ignore]}) + "\n"})
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "pr", f"file://{repo.path}", str(shallow))
    if not fetchable:  # an offline runner: the base policy comes from the contents API
        git(shallow, "remote", "remove", "origin")
        gh.add("GET", "/repos/{owner}/{repo}/contents/{path}",
               lambda _b, url: (404, {}, {"message": "Not Found"}) if f"ref={base}" in url
               else (500, {}, {"message": "wrong ref"}))
    _expect_run(gh)
    result = run(shallow, tmp_path, "pull_request", pr_payload(base, head), scan_mode="full")
    assert result.code == 1 and [s for s, _ in _statuses(gh)] == ["failure"], result.log
    assert_no_secret(everything(result, gh), secret)


def test_full_mode_on_pr_without_a_readable_base_policy_fails(repo: Repo, gh: FakeGitHub,
                                                             tmp_path: Path) -> None:
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    head = repo.commit({".mcp-guard.yml": "version: 1\n"})
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "pr", f"file://{repo.path}", str(shallow))
    git(shallow, "remote", "remove", "origin")
    gh.add("GET", "/repos/{owner}/{repo}/contents/{path}", lambda _b, _u: (500, {}, {"message": "boom"}))
    _expect_run(gh)
    result = run(shallow, tmp_path, "pull_request", pr_payload(base, head), scan_mode="full")
    assert result.code == 2 and [s for s, _ in _statuses(gh)] == ["error"], result.log


# --- deadline, per-file budget, and a status on every path ------------------------------------------------

def _pr_with_config(repo: Repo) -> tuple[str, str]:
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}", DEBUG="1")})
    return base, head


def test_action_deadline_sets_an_error_status_instead_of_waiting(repo: Repo, gh: FakeGitHub,
                                                                tmp_path: Path) -> None:
    slow = fake_gitleaks(tmp_path / "bin", "slow")
    base, head = _pr_with_config(repo)
    _expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head),
                 extra_env={"MCP_GUARD_GITLEAKS": str(slow)}, gitleaks="true", timeout="1")
    states = _statuses(gh)
    assert result.code == 2 and [s for s, _ in states] == ["error"], result.log
    assert "did not finish within 1 s" in states[0][1]


def test_action_per_file_budget_makes_the_status_an_error(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    base, head = _pr_with_config(repo)
    _expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), file_timeout="0.000000001")
    assert result.code == 2 and [s for s, _ in _statuses(gh)] == ["error"], result.log
    assert "per-file time budget" in result.log


def test_cli_deadline_and_per_file_budget(tmp_path: Path) -> None:
    slow = fake_gitleaks(tmp_path / "bin", "slow")
    late = CliRunner().invoke(main, ["scan", str(_cli_tree(tmp_path)), "--require-gitleaks",
                                     "--gitleaks-path", str(slow), "--timeout", "1"])
    assert late.exit_code == 2 and "did not finish within 1 s" in late.stderr
    tight = CliRunner().invoke(main, ["scan", str(_cli_tree(tmp_path / "t")), "--no-gitleaks",
                                      "--file-timeout", "0.000000001"])
    assert tight.exit_code == 2 and "per-file time budget" in tight.stderr
    roomy = CliRunner().invoke(main, ["scan", str(_cli_tree(tmp_path / "r")), "--no-gitleaks",
                                      "--timeout", "60", "--file-timeout", "60"])
    assert roomy.exit_code == 0, roomy.output


def test_status_is_set_when_reporting_fails(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    base, head = _pr_with_config(repo)
    broken_summary = tmp_path / "summary-is-a-directory"
    broken_summary.mkdir()
    _expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head),
                 extra_env={"GITHUB_STEP_SUMMARY": str(broken_summary)})
    states = _statuses(gh)
    assert result.code == 2 and [s for s, _ in states] == ["error"], result.log
    assert "reporting failed" in states[0][1]


def test_status_is_set_when_an_input_is_invalid(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    base, head = _pr_with_config(repo)
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), fail_on="bogus")
    posts = gh.requests("POST", "/statuses/")
    assert result.code == 2 and [call.body["state"] for call in posts] == ["error"]
    assert posts[0].url.endswith(head) and "fail-on" in posts[0].body["description"]


def test_unparsable_history_version_is_searched_line_by_line(repo: Repo, gh: FakeGitHub,
                                                              tmp_path: Path) -> None:
    # A history version that does not parse is not dropped: its secret is found by the line search.
    secret = pat(1311)
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    broken = mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret).replace("}", "", 1) + "{{{\n"
    repo.commit({CONFIG: broken}, "wip")
    head = repo.commit({CONFIG: SAFE}, "back")
    _expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and [s for s, _ in _statuses(gh)] == ["failure"], result.log
    assert "still in git history" in result.log and "does not parse" in result.log
    assert_no_secret(everything(result, gh), secret)


def test_binary_history_version_makes_the_scan_incomplete(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    repo.commit({CONFIG: "\x00\x01binary\x00"}, "wip")
    head = repo.commit({CONFIG: SAFE}, "back")
    _expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 2 and [s for s, _ in _statuses(gh)] == ["error"], result.log
    assert "in commit" in result.log


def test_config_input_pointing_elsewhere_keeps_the_default_policy_floor(repo: Repo, gh: FakeGitHub,
                                                                        tmp_path: Path) -> None:
    secret = pat(1329)
    repo.commit({".mcp-guard.yml": "version: 1\nfail-on: high\nproduction:\n  branches: [main]\n"})
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret),
                        "relaxed.yml": "version: 1\n"})
    _expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head),
                 fail_on="none", production_branches="nowhere-*", config="relaxed.yml")
    assert result.code == 1 and [s for s, _ in _statuses(gh)] == ["failure"], result.log
    assert_no_secret(everything(result, gh), secret)


def test_update_branch_merge_does_not_blame_the_pr_for_base_history(repo: Repo, gh: FakeGitHub,
                                                                    tmp_path: Path) -> None:
    other = ".vscode/mcp.json"
    repo.checkout("-B", "pr", "main")
    repo.commit({"notes.txt": "pr work\n"})
    repo.checkout("main")
    repo.commit({other: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(1312))}, "leak on main")
    repo.checkout("pr")
    git(repo.path, "merge", "-q", "--no-ff", "-m", "update branch", "main")  # a plain "update branch"
    repo.checkout("main")
    base = repo.commit({other: SAFE}, "fixed on main")  # the leak is base history, not this PR's
    repo.checkout("pr")
    git(repo.path, "merge", "-q", "--no-ff", "-m", "update branch again", "main")
    head = repo.commit({"notes.txt": "more\n"})
    _expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 0 and [s for s, _ in _statuses(gh)] == ["success"], result.log
