"""A stale pull request judged as merged when the checkout cannot show the merge: a shallow checkout of
the head alone (`pull_request_target` with `ref: head.sha`, actions/checkout's default depth 1) is
deepened until the branch point is known, and a run that cannot fetch it fails closed. Also a base
that added a symlink after the branch point onto a file the pull request adds. Secrets are built at
run time."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scanner.sources import gitrefs
from tests.gh.action_helpers import Repo, everything, expect_run, git, pr_payload, run, states
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import opaque as _opaque
from tests.gh.github_contract import FakeGitHub

_REFERENCED = {"ACME_API_KEY": "${env:ACME_API_KEY}"}


def _servers(env: dict[str, str], **extra: object) -> str:
    server = {"command": "npx", "args": ["-y", "@acme/mcp-server"], "env": env, **extra}
    return json.dumps({"mcpServers": {"acme": server}}, indent=2) + "\n"


def _origin_with_stale_pr(tmp_path: Path, in_pr: dict[str, str | None],
                          on_main: dict[str, str | None]) -> tuple[Repo, str, str]:
    """An origin where main moved on (`on_main`, after a few more commits) after the pull request
    branched off; the pull request's head commit adds `in_pr`."""
    repo = Repo(tmp_path / "origin")
    old = repo.commit({"README.md": "hi\n", ".cursor/mcp.json": _servers(_REFERENCED)})
    for n in range(3):
        repo.commit({f"src/m{n}.py": f"n = {n}\n"})
    tip = repo.commit(on_main, "maintainer change")
    repo.checkout("-B", "pr", old)
    head = repo.commit(in_pr, "pull request")
    repo.checkout("main")
    return repo, tip, head


def _shallow_head(tmp_path: Path, repo: Repo) -> Path:
    """actions/checkout of the pull request's head with the default depth 1."""
    ws = tmp_path / "ws"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "pr", f"file://{repo.path}", str(ws))
    return ws


_LOADING = _servers({"ACME_REGION": "eu"}, envFile="config/acme.env")


@pytest.mark.parametrize("event", ["pull_request_target", "pull_request"])
def test_shallow_head_checkout_of_a_stale_pull_request_is_judged_as_merged(
        tmp_path: Path, gh: FakeGitHub, event: str) -> None:
    # main's .cursor/mcp.json started loading config/acme.env after the branch point; the pull
    # request adds that file. A depth-1 checkout of the head knows no branch point: judged by the
    # head tree alone (whose config never names the file) the token passed.
    secret = _opaque(9201)
    repo, tip, head = _origin_with_stale_pr(tmp_path, {"config/acme.env": f"ACME_API_KEY={secret}\n"},
                                            {".cursor/mcp.json": _LOADING})
    ws = _shallow_head(tmp_path, repo)
    assert gitrefs.is_shallow(ws)
    expect_run(gh)
    result = run(ws, tmp_path, event, pr_payload(tip, head))
    _blocked((result.code, states(gh), everything(result, gh)), secret)


def test_shallow_head_checkout_of_a_clean_stale_pull_request_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    repo, tip, head = _origin_with_stale_pr(tmp_path, {"config/acme.env": "ACME_API_KEY=\n"},
                                            {".cursor/mcp.json": _LOADING})
    ws = _shallow_head(tmp_path, repo)
    expect_run(gh)
    result = run(ws, tmp_path, "pull_request_target", pr_payload(tip, head))
    _passed((result.code, states(gh), everything(result, gh)))


def test_shallow_checkout_whose_branch_point_cannot_be_fetched_never_passes(tmp_path: Path,
                                                                            gh: FakeGitHub) -> None:
    secret = _opaque(9202)
    repo, tip, head = _origin_with_stale_pr(tmp_path, {"config/acme.env": f"ACME_API_KEY={secret}\n"},
                                            {".cursor/mcp.json": _LOADING})
    ws = _shallow_head(tmp_path, repo)
    git(ws, "fetch", "-q", "--depth", "1", "origin", tip)  # base is there, its history is not
    git(ws, "remote", "set-url", "origin", f"file://{tmp_path / 'gone'}")
    expect_run(gh)
    result = run(ws, tmp_path, "pull_request_target", pr_payload(tip, head))
    output = everything(result, gh)
    assert result.code != 0 and "success" not in states(gh), output[-2000:]
    assert "fetch-depth: 0" in output


def test_deepening_stops_at_the_branch_point(tmp_path: Path) -> None:
    repo, tip, head = _origin_with_stale_pr(tmp_path, {"docs/a.md": "a\n"}, {"docs/b.md": "b\n"})
    ws = _shallow_head(tmp_path, repo)
    git(ws, "fetch", "-q", "--depth", "1", "origin", tip)
    assert gitrefs.merge_base(ws, tip, head) is None
    point = gitrefs.deepen_to_branch_point(ws, tip, head)
    assert point is not None and point == git(repo.path, "merge-base", tip, head)


# --- a base that added a symlink after the branch point ----------------------------------------------


def _link_on_main(tmp_path: Path, gh: FakeGitHub, link: str, target: str, added: str,
                  value: str) -> tuple[int, list[str], str]:
    repo = Repo(tmp_path / "ws")
    old = repo.commit({"README.md": "hi\n", "src/a.py": "x = 1\n"})
    path = repo.path / link
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)
    git(repo.path, "add", "--", link)
    tip = repo.commit({}, "link the shared config")
    repo.checkout("-B", "pr", old)
    head = repo.commit({added: _servers({"ACME_API_KEY": value})}, "pull request")
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(tip, head))
    return result.code, states(gh), everything(result, gh)


@pytest.mark.parametrize(("link", "target", "added"), [
    (".cursor/mcp.json", "../shared/agents.json", "shared/agents.json"),
    (".cursor", "shared/cursor", "shared/cursor/mcp.json"),
])
def test_file_a_base_symlink_started_pointing_at_is_scanned(tmp_path: Path, gh: FakeGitHub, link: str,
                                                            target: str, added: str) -> None:
    secret = _opaque(9203)
    _blocked(_link_on_main(tmp_path, gh, link, target, added, secret), secret)


def test_file_a_base_symlink_points_at_without_secrets_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    _passed(_link_on_main(tmp_path, gh, ".cursor/mcp.json", "../shared/agents.json", "shared/agents.json",
                          "${env:ACME_API_KEY}"))
