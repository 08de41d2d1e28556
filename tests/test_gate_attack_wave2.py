"""Red-team regressions against the merged main (wave 2): ways a PR's author still got a secret past
the gate. Each test drives the Action (real git repositories, a contract-checked fake GitHub) or the
CLI, with every secret built at run time."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.engines.gitleaks import find_gitleaks
from tests.fakes import fake_token
from tests.gh.action_helpers import (
    CONFIG,
    STATUS,
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
from tests.gh.github_contract import API, CommentStore, FakeGitHub, minimal, status_reply
from tests.gh.test_review import PullReview, _sticky

SAFE = mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}")
TARGET = "conf/settings.json"










@pytest.fixture
def linked(tmp_path: Path) -> Repo:
    """A base where CONFIG is a committed symlink to a safe config in another folder."""
    repo = Repo(tmp_path / "ws")
    (repo.path / "conf").mkdir()
    (repo.path / TARGET).write_text(SAFE, encoding="utf-8")
    (repo.path / ".cursor").mkdir()
    os.symlink("../" + TARGET, repo.path / CONFIG)
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-q", "-m", "linked config")
    repo.checkout("-B", "pr")
    return repo


def test_secret_written_to_a_symlinked_configs_target_is_found(linked: Repo, gh: FakeGitHub,
                                                               tmp_path: Path) -> None:
    # Only the link's target changes: the fast gate said "no MCP config changed", and the diff's base
    # (head with changed paths put back) still read the head's target through the link.
    secret = pat(2101)
    base = git(linked.path, "rev-parse", "main")
    head = linked.commit({TARGET: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    expect_run(gh)
    result = run(linked.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and states(gh) == ["failure"]
    assert "MCPG101" in result.summary
    no_piece(everything(result, gh), secret)


def test_secret_in_a_symlinked_configs_target_then_reverted_is_found_in_history(
        linked: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    secret = pat(2102)
    base = git(linked.path, "rev-parse", "main")
    linked.commit({TARGET: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)}, "add")
    head = linked.commit({TARGET: SAFE}, "revert")
    expect_run(gh)
    result = run(linked.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and states(gh) == ["failure"]
    assert "MCPG101" in result.summary
    no_piece(everything(result, gh), secret)


def test_symlinked_config_added_and_removed_inside_the_pr_is_found_in_history(tmp_path: Path,
                                                                              gh: FakeGitHub) -> None:
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    secret = pat(2103)
    (repo.path / "conf").mkdir()
    (repo.path / TARGET).write_text(mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret), encoding="utf-8")
    (repo.path / ".cursor").mkdir()
    os.symlink("../" + TARGET, repo.path / CONFIG)
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-q", "-m", "add")
    head = repo.commit({CONFIG: None, TARGET: None}, "remove")
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and states(gh) == ["failure"]
    no_piece(everything(result, gh), secret)


def test_unrelated_change_next_to_a_symlinked_config_stays_on_the_fast_path(linked: Repo, gh: FakeGitHub,
                                                                            tmp_path: Path) -> None:
    base = git(linked.path, "rev-parse", "main")
    head = linked.commit({"conf/other.txt": "x\n"})
    expect_run(gh)
    result = run(linked.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 0 and states(gh) == ["success"]
    assert "no MCP config changed" in result.log


@pytest.mark.parametrize("escaped", ["\\u0074oken.env", "tok\\u0065n.env"])
def test_dotenv_named_through_a_json_escape_is_not_skipped_by_the_fast_gate(tmp_path: Path, gh: FakeGitHub,
                                                                            escaped: str) -> None:
    # The fast gate's `git grep` for the changed file's name missed a config spelling it with an escape.
    server = ('{"servers": {"github": {"command": "npx", '
              '"args": ["-y", "@modelcontextprotocol/server-github"],'
              ' "envFile": "${workspaceFolder}/sec/' + escaped + '"}}}\n')
    repo = Repo(tmp_path / "ws")
    repo.commit({".vscode/mcp.json": server, "sec/token.env": "GITHUB_PERSONAL_ACCESS_TOKEN=${X}\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    secret = pat(2104)
    head = repo.commit({"sec/token.env": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and states(gh) == ["failure"]
    no_piece(everything(result, gh), secret)


def _codex(value: str) -> str:
    return (f'[mcp_servers.github]\ncommand = "npx"\n[mcp_servers.github.env]\n'
            f'GITHUB_PERSONAL_ACCESS_TOKEN = "{value}"\n')


@pytest.mark.parametrize("mode", ["diff", "full"])
def test_config_under_a_symlinked_folder_is_scanned(tmp_path: Path, gh: FakeGitHub, mode: str) -> None:
    # `.codex` -> `cfg`: Codex reads `.codex/config.toml`, i.e. `cfg/config.toml`, which on its own
    # path is no MCP config; the tree listing never went through the folder link.
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    secret = pat(2105)
    (repo.path / "cfg").mkdir()
    (repo.path / "cfg/config.toml").write_text(_codex(secret), encoding="utf-8")
    os.symlink("cfg", repo.path / ".codex")
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-q", "-m", "codex")
    head = git(repo.path, "rev-parse", "HEAD")
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), scan_mode=mode)
    assert result.code == 1 and states(gh) == ["failure"]
    assert ".codex/config.toml" in result.summary
    no_piece(everything(result, gh), secret)


@pytest.mark.parametrize("revert", [False, True])
def test_secret_written_under_a_committed_folder_link_is_found(tmp_path: Path, gh: FakeGitHub,
                                                               revert: bool) -> None:
    repo = Repo(tmp_path / "ws")
    repo.commit({"cfg/config.toml": _codex("${GITHUB_PAT}")})
    os.symlink("cfg", repo.path / ".codex")
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-q", "-m", "link")
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    secret = pat(2106)
    head = repo.commit({"cfg/config.toml": _codex(secret)})
    if revert:
        head = repo.commit({"cfg/config.toml": _codex("${GITHUB_PAT}")}, "revert")
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and states(gh) == ["failure"]
    no_piece(everything(result, gh), secret)


@pytest.mark.parametrize("tracked", [False, True])
def test_cli_scans_a_config_under_a_symlinked_folder(tmp_path: Path, tracked: bool) -> None:
    secret = pat(2107)
    tree = tmp_path / "tree"
    (tree / "cfg").mkdir(parents=True)
    (tree / "cfg/config.toml").write_text(_codex(secret), encoding="utf-8")
    os.symlink("cfg", tree / ".codex")
    os.symlink(".", tree / "loop")  # followed once, never in circles
    os.symlink(str(tmp_path), tree / "out")  # out of the tree: not walked
    if tracked:
        Repo(tree).commit({})
        git(tree, "add", "-A")
        git(tree, "commit", "-q", "-m", "tree")
    report = CliRunner().invoke(main, ["scan", str(tree), "--no-gitleaks", "--format", "json"])
    assert report.exit_code == 1, report.output
    files = {finding["file"] for finding in json.loads(report.output)["findings"]}
    assert ".codex/config.toml" in files
    no_piece(report.output, secret)


@pytest.mark.parametrize("path", [".Codex/config.toml", ".CODEX/config.TOML"])
def test_case_variant_of_a_client_config_is_scanned(tmp_path: Path, gh: FakeGitHub, path: str) -> None:
    # On macOS and Windows, Codex asking for `.codex/config.toml` opens `.Codex/config.toml`.
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    secret = pat(2108)
    head = repo.commit({path: _codex(secret)})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and states(gh) == ["failure"]
    no_piece(everything(result, gh), secret)


def _opencode(ref: str) -> str:
    server = {"type": "remote", "url": "https://api.githubcopilot.com/mcp/",
              "headers": {"Authorization": "Bearer " + ref}}
    return json.dumps({"$schema": "https://opencode.ai/config.json", "mcp": {"github": server}}) + "\n"


def _vscode_envfile(path: str) -> str:
    server = {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "envFile": path}
    return json.dumps({"servers": {"github": server}}) + "\n"


def test_secret_written_to_an_opencode_file_target_is_not_skipped_by_the_fast_gate(
        tmp_path: Path, gh: FakeGitHub) -> None:
    repo = Repo(tmp_path / "ws")
    repo.commit({"opencode.json": _opencode("{file:secrets/tok.txt}"), "secrets/tok.txt": "placeholder\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    secret = pat(2109)
    head = repo.commit({"secrets/tok.txt": secret + "\n"})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and states(gh) == ["failure"]
    no_piece(everything(result, gh), secret)


@pytest.mark.parametrize("kind", ["opencode-file", "envFile"])
def test_secret_in_a_referenced_file_then_reverted_is_found_in_history(tmp_path: Path, gh: FakeGitHub,
                                                                       kind: str) -> None:
    # Only the referenced file changes in the PR's commits: history scanned it without the config
    # that reads it, so no detector ever saw it.
    repo = Repo(tmp_path / "ws")
    if kind == "opencode-file":
        config, target, safe = ({"opencode.json": _opencode("{file:secrets/tok.txt}")}, "secrets/tok.txt",
                                "placeholder\n")
    else:
        config, target, safe = ({".vscode/mcp.json": _vscode_envfile("${workspaceFolder}/sec/token.env")},
                                "sec/token.env", "GITHUB_PERSONAL_ACCESS_TOKEN=${X}\n")
    repo.commit({**config, target: safe})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    secret = pat(2110)
    repo.commit({target: safe.replace("placeholder", secret).replace("${X}", secret)}, "add")
    head = repo.commit({target: safe}, "revert")
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and states(gh) == ["failure"]
    no_piece(everything(result, gh), secret)


@pytest.mark.parametrize("attributes", [".vscode/mcp.json binary\n", "*.json -text -diff\n"])
def test_pr_marking_configs_binary_does_not_hide_them_from_the_fast_gate(tmp_path: Path, gh: FakeGitHub,
                                                                        attributes: str) -> None:
    # `git grep -I` honours the head's .gitattributes: a config marked binary was never "mentioning".
    repo = Repo(tmp_path / "ws")
    repo.commit({".vscode/mcp.json": _vscode_envfile("${workspaceFolder}/sec/token.env"),
                 "sec/token.env": "GITHUB_PERSONAL_ACCESS_TOKEN=${X}\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    secret = pat(2111)
    head = repo.commit({".gitattributes": attributes,
                        "sec/token.env": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and states(gh) == ["failure"]
    no_piece(everything(result, gh), secret)


def test_pull_files_api_at_its_3000_file_cap_is_an_incomplete_scan(tmp_path: Path, gh: FakeGitHub) -> None:
    # Without the base commit the changed paths come from the files API, which stops at 3000 files:
    # a config change past the cap went unseen ("no MCP config changed").
    repo = Repo(tmp_path / "ws")
    repo.commit({CONFIG: SAFE})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(2112))})
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "pr", f"file://{repo.path}", str(shallow))
    git(shallow, "remote", "remove", "origin")  # the fetch of the base commit fails
    listed = [minimal("/repos/{owner}/{repo}/pulls/{pull_number}/files", "get", item=True,
                      filename=f"docs/page{index}.md", status="added", sha="0" * 40) for index in range(3000)]
    for number, start in enumerate(range(0, 3000, 100), start=1):
        link = {"Link": f'<{API}/repos/o/r/pulls/7/files?per_page=100&page={number + 1}>; rel="next"'}
        gh.add("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files",
               lambda _b, _u, page=listed[start:start + 100], link=link if start < 2900 else {}:
               (200, link, page))
    expect_run(gh)
    result = run(shallow, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 2 and states(gh) == ["error"]
    assert "3000" in result.log


GITLEAKS = find_gitleaks(None, {"PATH": ""})


@pytest.mark.skipif(GITLEAKS is None, reason="needs the bundled gitleaks")
def test_suggestion_never_carries_a_secret_only_gitleaks_knows(tmp_path: Path, gh: FakeGitHub) -> None:
    # The suggested line was re-checked with the built-in detectors only: a second secret on the
    # line that only gitleaks knows (an Alibaba access key id here) was posted in the suggestion.
    first = pat(2113)
    second = "LTAI" + fake_token("", 20, 2113).replace("_", "a").lower()
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    line = f'"gh": {{"command": "npx", "env": {{"GITHUB_TOKEN": "{first}", "REGION_HINT": "{second}"}}}}'
    head = repo.commit({CONFIG: '{\n  "mcpServers": {\n    ' + line + "\n  }\n}\n"})
    review = PullReview(repo.path, base, head, [CONFIG])
    store = CommentStore()
    _sticky(gh, store, create=True)
    review.register(gh, post=True)
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), suggestions="true",
                 gitleaks="true", extra_env={"MCP_GUARD_GITLEAKS": str(GITLEAKS)})
    assert result.code == 1 and states(gh) == ["failure"], result.log
    assert store.comments[0]["body"].count("MCPG101") >= 2  # gitleaks found the second one
    assert review.reviews == []
    for secret in (first, second):
        no_piece(everything(result, gh), secret)
