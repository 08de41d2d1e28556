"""The comment is rendered from the checkout of the change being judged when `templates-dir` is
set, so a template there must never be read through a symlink: a pull request that turned
`templates/comment.md.j2` into a link to `/proc/self/environ` (or to a file holding the runner's
token) had that file's text posted as the comment. Links are refused at every level, with a
one-line error; the built-in templates are never affected."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scanner.errors import ConfigError
from scanner.markdown.templates import render_template
from tests.gh.action_helpers import (
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

_CANARY = "canary-" + "q" * 6 + "-not-a-template"


def _outside(tmp_path: Path) -> Path:
    secret_file = tmp_path / "runner-secret.txt"
    secret_file.write_text(f"TOKEN={_CANARY}\n", encoding="utf-8")
    return secret_file


def test_a_pr_template_linked_out_of_the_repository_is_never_rendered(tmp_path: Path, gh: FakeGitHub) -> None:
    outside = _outside(tmp_path)
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n", "tpl/summary.md.j2": "summary\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    os.symlink(outside, repo.path / "tpl" / "comment.md.j2")
    git(repo.path, "add", "-A")
    secret = pat(8201)
    head = repo.commit({".cursor/mcp.json": mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), templates_dir="tpl")
    output = everything(result, gh)
    assert _CANARY not in output
    no_piece(output, secret)
    assert result.code == 1 and states(gh) == ["failure"], result.log[-2000:]  # the gate is unaffected
    assert "symlink" in result.log


def test_a_templates_dir_through_a_linked_folder_is_refused(tmp_path: Path, gh: FakeGitHub) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "comment.md.j2").write_text(_CANARY, encoding="utf-8")
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    os.symlink(tmp_path / "elsewhere", repo.path / "tpl")
    git(repo.path, "add", "-A")
    head = repo.commit({".cursor/mcp.json": '{"mcpServers": {"a": {"command": "npx", "args": ["x"]}}}\n'})
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), templates_dir="tpl")
    assert _CANARY not in result.log + result.summary + gh.bodies()
    assert result.code == 2 and "symlink" in result.log and gh.calls == []  # a one-line input error


@pytest.mark.parametrize("layout", ["file", "folder"])
def test_render_refuses_links_below_the_directory(tmp_path: Path, layout: str) -> None:
    outside = _outside(tmp_path)
    overrides = tmp_path / "tpl"
    overrides.mkdir()
    if layout == "file":
        os.symlink(outside, overrides / "x.md.j2")
    else:
        (tmp_path / "real").mkdir()
        (tmp_path / "real" / "x.md.j2").write_text("{{ 1 }}", encoding="utf-8")
        os.symlink(tmp_path / "real", overrides / "sub")
    name = "x.md.j2" if layout == "file" else "sub/x.md.j2"
    with pytest.raises(ConfigError, match="symlink"):
        render_template(name, overrides)


def test_regular_overrides_still_render_and_reload(tmp_path: Path) -> None:
    overrides = tmp_path / "tpl"
    overrides.mkdir()
    (overrides / "x.md.j2").write_text("one {{ n }}", encoding="utf-8")
    assert render_template("x.md.j2", overrides, n=1) == "one 1"
    (overrides / "x.md.j2").write_text("two {{ n }}", encoding="utf-8")
    os.utime(overrides / "x.md.j2", ns=(1, 1))  # a different modification time: reloaded
    assert render_template("x.md.j2", overrides, n=2) == "two 2"
