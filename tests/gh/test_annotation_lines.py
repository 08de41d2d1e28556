"""Annotation lines when the base moved on since the pull request branched off. The run judges the
merge (GitHub's test merge commit), but the job's annotations belong to the check suite of the PR head
(`pull_request.head.sha`) and GitHub places them on the head commit's files: `line=` must be a line
of the head file, as for the review suggestions (tests/gh/test_review_moved_base.py).
Was: the merged file's line numbers, six lines off when the base added a server above the change."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scanner.findings import Finding
from scanner.model import Category, Environment, Location, Severity
from tests.gh.action_helpers import CONFIG, Repo, git, pat, pr_payload, run
from tests.gh.github_contract import CommentStore, FakeGitHub, status_reply
from tests.gh.test_review import _sticky

_ANNOTATION = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$", re.MULTILINE)


def _config(servers: dict[str, dict[str, object]]) -> str:
    return json.dumps({"mcpServers": servers}, indent=2) + "\n"


def _plain(name: str) -> dict[str, object]:
    return {"command": "npx", "args": [name]}


def _annotations(log: str) -> list[tuple[dict[str, str], str]]:
    out = []
    for match in _ANNOTATION.finditer(log):
        props = dict(part.split("=", 1) for part in match.group("props").split(","))
        if "file" in props:
            out.append((props, match.group("message")))
    return out


def _moved_base_pr(tmp_path: Path, gh: FakeGitHub, base_change: dict[str, str], secret: str,
                   **inputs: str) -> tuple[Repo, str, list[tuple[dict[str, str], str]]]:
    repo = Repo(tmp_path / "ws")
    servers = {f"s{i}": _plain(f"srv{i}") for i in range(12)}
    repo.commit({CONFIG: _config(servers)})
    repo.checkout("-B", "pr")
    added = {"a": {"command": "npx", "env": {"GITHUB_TOKEN": secret}}}
    head = repo.commit({CONFIG: _config({**servers, **added})})
    repo.checkout("main")  # the base moves on (a clean merge)
    base = repo.commit(base_change if base_change else {"README.md": "moved on\n"})
    repo.checkout("--detach", base)
    git(repo.path, "merge", "-q", "--no-ff", "-m", "Merge pr into main", head)  # refs/pull/7/merge
    merge = git(repo.path, "rev-parse", "HEAD")
    _sticky(gh, CommentStore(), create=True)
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), extra_env={"GITHUB_SHA": merge},
                 **inputs)
    assert result.code == 1, result.log[-1500:]
    return repo, head, _annotations(result.log)


@pytest.mark.parametrize("mode", ["diff", "full"])
def test_an_annotation_sits_on_the_head_files_line(tmp_path: Path, gh: FakeGitHub, mode: str) -> None:
    secret = pat(81)
    servers = {f"s{i}": _plain(f"srv{i}") for i in range(12)}
    moved = {CONFIG: _config({"z0": _plain("first"), **servers})}  # six lines above the change
    repo, head, annotations = _moved_base_pr(tmp_path, gh, moved, secret, scan_mode=mode)
    head_lines = git(repo.path, "show", f"{head}:{CONFIG}").split("\n")
    on_config = [props for props, _message in annotations if props["file"] == CONFIG]
    assert on_config, annotations
    for props in on_config:
        line = int(props["line"])
        assert line <= len(head_lines) and secret in head_lines[line - 1], (line, mode)
        col = int(props["col"])
        assert head_lines[line - 1][col - 1:].startswith('"') or secret in head_lines[line - 1][col - 1:]


def test_a_base_that_did_not_touch_the_file_keeps_its_lines(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(82)
    repo, head, annotations = _moved_base_pr(tmp_path, gh, {}, secret)
    head_lines = git(repo.path, "show", f"{head}:{CONFIG}").split("\n")
    lines = [int(props["line"]) for props, _ in annotations if props["file"] == CONFIG]
    assert lines and all(secret in head_lines[line - 1] for line in lines)


def _finding_at(line: int) -> Finding:
    return Finding(rule_id="MCPG101", category=Category.SECRET, severity=Severity.HIGH,
                   location=Location("f.txt", line, 2), client="cursor", server="s", field="env.X",
                   environment=Environment.UNKNOWN, secret_type="github-pat", redacted="ghp_…abcd",
                   fingerprint=f"{line:064x}", message="a secret", blocking=True)


def test_a_line_only_the_base_has_gets_no_line_and_says_where_it_is(tmp_path: Path) -> None:
    """A line of the merge the head does not have (the base's side) has no head line: the annotation
    names the file and the merged line in its message, never a head line holding something else."""
    from scanner.gh.annotations import annotation
    from scanner.gh.head_lines import head_line_map

    repo = Repo(tmp_path / "ws")
    repo.commit({"f.txt": "a\nb\nc\n"})
    repo.checkout("-B", "pr")
    head = repo.commit({"f.txt": "a\nb\nc\nmine\n"})
    repo.checkout("main")
    base = repo.commit({"f.txt": "theirs\na\nb\nc\n"})
    repo.checkout("--detach", base)
    git(repo.path, "merge", "-q", "--no-ff", "-m", "merge", head)
    merge = git(repo.path, "rev-parse", "HEAD")
    at_head = head_line_map(repo.path, merge, head)
    assert [at_head("f.txt", line) for line in range(1, 6)] == [None, 1, 2, 3, 4]
    assert at_head("missing.txt", 3) is None
    text = annotation(_finding_at(1), at_head)
    assert "line=" not in text.split("::")[1] and "line 1 of the merge with the base branch" in text
    assert "line=4," in annotation(_finding_at(5), at_head)


def test_a_line_diff_past_its_work_bound_is_not_run_and_the_common_ends_still_map(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # difflib without autojunk is quadratic and worse on lines that repeat (a PR's file of 20,000 short
    # repeated lines took minutes): the common first and last lines are matched directly, and the rest
    # is diffed only when its candidate pairs are few enough; else its lines get none.
    from scanner.gh import head_lines

    made: list[int] = []
    real = head_lines.difflib.SequenceMatcher

    def counted(*args: object, **kwargs: object) -> object:
        made.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(head_lines.difflib, "SequenceMatcher", counted)
    judged = "\n".join(["{", *(f"k{i % 50} = 1" for i in range(6000)), "}", "last"]).encode()
    head = "\n".join(["{", "added", *(f"k{i * 7 % 50} = 1" for i in range(6000)), "}", "last"]).encode()
    lines = head_lines._line_map(judged, head)
    assert made == []
    assert lines is not None and lines[1] == 1 and lines[6002] == 6003 and lines[6003] == 6004
    assert 2 not in lines  # a line of the part not diffed: no line (the annotation says which it was)
    small = head_lines._line_map(b"a\nb\nsecret\nc", b"a\nnew\nb\nsecret\nc")
    assert small == {1: 1, 2: 3, 3: 4, 4: 5}
    assert made == []  # the ends alone matched every line
    assert head_lines._line_map(b"a\nx\nb\nc", b"a\nb\ny\nc") == {1: 1, 3: 2, 4: 4}
    assert made == [1]  # a small middle is diffed
