"""Every example payload of tests/fixtures/github/webhooks, end to end through the `mcp-guard action`
command (the CLI, its default GitHub client) against the contract-checked fake GitHub on a GHES base URL
(GITHUB_API_URL .../api/v3): each request is validated against the official REST description as it is
made (tests/gh/github_contract.py), and the run must report on the commit GitHub shows the check on.

The payloads keep every field GitHub sends; only their commit shas are replaced by the test repository's,
and the workspace is checked out the way actions/checkout does for the event (the test merge commit
for pull_request, the base for pull_request_target, the queue commit for merge_group)."""

from __future__ import annotations

import copy
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from scanner.cli import main
from tests.gh.action_helpers import BOT, COMMENTS, STATUS, Repo, git, mcp_config, no_piece, pat
from tests.gh.github_contract import API, FIXTURES, CommentStore, FakeGitHub, forbidden, status_reply

WEBHOOKS = FIXTURES / "webhooks"
EVENT_OF = {"pull_request": "pull_request", "merge_group": "merge_group", "push": "push"}
PAYLOADS = sorted(path.name for path in WEBHOOKS.glob("*.json"))
PR_PAYLOADS = [name for name in PAYLOADS if name.startswith("pull_request.")]
UPDATE = "/repos/{owner}/{repo}/issues/comments/{comment_id}"
PREFIX = urlsplit(API).path  # /api/v3
OLD_CONFIG, NEW_CONFIG = ".mcp.json", ".cursor/mcp.json"  # the base's (unchanged) and the change's


def _payload(name: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((WEBHOOKS / name).read_text(encoding="utf-8")))


@dataclass
class Scene:
    """A repository whose base branch holds a config with an old secret, and a change adding a config
    with a new one; the event payload rewritten to its commits."""

    repo: Repo
    event: str
    payload: dict[str, Any]
    head: str
    github_sha: str
    github_ref: str
    secrets: tuple[str, str]


def _scene(tmp_path: Path, name: str, event: str | None = None, edit: Any = None) -> Scene:
    payload = _payload(name)
    event = event or EVENT_OF[name.split(".", 1)[0]]
    base_branch = (payload.get("merge_group", {}).get("base_ref") or payload.get("ref")
                   or f"refs/heads/{payload['pull_request']['base']['ref']}").removeprefix("refs/heads/")
    old, new = pat(301), pat(302)
    repo = Repo(tmp_path / "ws")
    git(repo.path, "checkout", "-q", "-b", base_branch)
    base = repo.commit({"README.md": "hi\n", OLD_CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=old)})
    repo.checkout("-B", "changes")
    head = repo.commit({NEW_CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=new)})
    github_sha, github_ref = head, f"refs/heads/{base_branch}"
    if "pull_request" in payload:
        pr = payload["pull_request"]
        pr["head"]["sha"], pr["base"]["sha"] = head, base
        if "after" in payload:  # synchronize: the push that moved the head
            payload.update(before=base, after=head)
        if event == "pull_request_target":  # the base is checked out, GITHUB_SHA is its tip
            repo.checkout(base_branch)
            github_sha = base
        else:  # actions/checkout of refs/pull/N/merge: the test merge commit
            repo.checkout("--detach", base)
            git(repo.path, "merge", "-q", "--no-ff", "-m", "Merge changes into base", head)
            github_sha = git(repo.path, "rev-parse", "HEAD")
            github_ref = f"refs/pull/{payload['number']}/merge"
    elif "merge_group" in payload:
        group = payload["merge_group"]
        group.update(base_sha=base, head_sha=head,
                     head_ref=f"refs/heads/gh-readonly-queue/{base_branch}/pr-104-{head}")
        group["head_commit"]["id"] = head
        github_ref = group["head_ref"]
    else:  # a push of the branch: `after` and head_commit name the pushed commit
        payload.update(before="0" * 40, after=head)
        payload["head_commit"]["id"] = head
        for commit in payload.get("commits", []):
            commit["id"] = head
    if edit is not None:
        edit(payload)
    return Scene(repo, event, payload, head, github_sha, github_ref, (old, new))


def _cli(scene: Scene, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
         **inputs: str) -> tuple[int, str, str]:
    """`mcp-guard action` as the runner starts it: (exit code, stdout, GITHUB_OUTPUT text)."""
    monkeypatch.setattr(time, "sleep", lambda _s: None)  # the default client's retry waits
    event_path, outputs, summary = tmp_path / "event.json", tmp_path / "out.txt", tmp_path / "summary.md"
    event_path.write_text(json.dumps(scene.payload), encoding="utf-8")
    for path in (outputs, summary):
        path.write_text("", encoding="utf-8")
    env = {"GITHUB_EVENT_NAME": scene.event, "GITHUB_EVENT_PATH": str(event_path),
           "GITHUB_REPOSITORY": scene.payload["repository"]["full_name"], "GITHUB_API_URL": API,
           "GITHUB_SERVER_URL": "https://ghe.example.test", "GITHUB_RUN_ID": "42",
           "GITHUB_WORKSPACE": str(scene.repo.path), "GITHUB_OUTPUT": str(outputs),
           "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_SHA": scene.github_sha,
           "GITHUB_REF": scene.github_ref,
           "GITHUB_ACTOR": scene.payload["sender"]["login"], "INPUT_GITHUB-TOKEN": "test-token",
           "INPUT_GITLEAKS": "false", "INPUT_SUGGESTIONS": "false", "MCP_GUARD_FINGERPRINT_KEY": "",
           **{f"INPUT_{key.upper().replace('_', '-')}": value for key, value in inputs.items()}}
    result = CliRunner().invoke(main, ["action"], env=env)
    return result.exit_code, result.output, outputs.read_text(encoding="utf-8")


def _path(url: str) -> str:
    return urlsplit(url).path


def _output(outputs: str, name: str) -> str:
    match = re.search(rf"^{name}<<(\S+)\n(.*?)\n\1$", outputs, re.M | re.S)
    assert match, f"output {name} not set"
    return match.group(2)


def _expect(gh: FakeGitHub, store: CommentStore | None) -> None:
    gh.add("GET", "/user", forbidden, optional=True)  # GITHUB_TOKEN: no /user (asked for a comment)
    if store is not None:
        store.register(gh, "o/r", 2)
        gh.add("POST", COMMENTS, store.on_create(BOT), optional=True)
        gh.add("PATCH", UPDATE, store.on_update(), optional=True)
    gh.add("POST", STATUS, status_reply)


def _thread(others: int = 120) -> CommentStore:
    """A pull request thread already longer than one page (100): the bot's comment lands on page 2."""
    store = CommentStore()
    for index in range(others):
        store.add(f"comment {index}", "someone-else")
    return store


@pytest.mark.parametrize("name", PAYLOADS)
def test_every_example_payload_reports_on_the_commit_github_shows(tmp_path: Path, gh: FakeGitHub,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  name: str) -> None:
    scene = _scene(tmp_path, name)
    store = _thread() if "pull_request" in scene.payload else None
    _expect(gh, store)
    code, log, outputs = _cli(scene, tmp_path, monkeypatch)
    assert code == 1, log[-1500:]  # a new secret into the base branch (master/main): blocking
    posted = gh.requests("POST", "/statuses/")
    assert [call.body["state"] for call in posted] == ["failure"]
    repo = scene.payload["repository"]["full_name"]
    # PyGithub spells the default port out: the path is what GitHub routes on.
    assert _path(posted[0].url) == f"{PREFIX}/repos/{repo}/statuses/{scene.head}"  # never GITHUB_SHA
    # The diff is against the payload's base: the base's own secret is not the change's finding; a push
    # (no base) judges the whole tree.
    assert _output(outputs, "findings") == ("2" if scene.event == "push" else "1")
    if store is not None:
        created = gh.requests("POST", "/comments")
        assert len(created) == 1 and _path(created[0].url) == f"{PREFIX}/repos/{repo}/issues/2/comments"
        listed = gh.requests("GET", "/issues/2/comments")
        assert [("page=2" in call.url) for call in listed] == [False, True]  # past the first 100
    else:
        assert not gh.requests("GET", "/comments") and not gh.requests("POST", "/comments")
    no_piece(log + outputs + gh.bodies(), scene.secrets[1])


@pytest.mark.parametrize("name", PR_PAYLOADS)
@pytest.mark.parametrize("event", ["pull_request", "pull_request_target"])
def test_a_second_run_edits_the_sticky_comment_in_place(tmp_path: Path, gh: FakeGitHub,
                                                        monkeypatch: pytest.MonkeyPatch, name: str,
                                                        event: str) -> None:
    """Run, push another commit, run again (synchronize): one comment, edited, found on page 2."""
    scene = _scene(tmp_path, name, event)
    store = _thread()
    _expect(gh, store)
    first, log, _ = _cli(scene, tmp_path, monkeypatch)
    assert first == 1, log[-1500:]
    git(scene.repo.path, "checkout", "-q", "changes")
    third = pat(303)
    fixed = scene.repo.commit({".vscode/mcp.json": json.dumps(
        {"servers": {"gh": {"command": "npx", "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": third}}}})})
    scene.payload["pull_request"]["head"]["sha"] = scene.head = fixed
    scene.payload.update(action="synchronize")
    if event == "pull_request":
        scene.repo.checkout("--detach", scene.payload["pull_request"]["base"]["sha"])
        git(scene.repo.path, "merge", "-q", "--no-ff", "-m", "Merge changes into base", fixed)
        scene.github_sha = git(scene.repo.path, "rev-parse", "HEAD")
    second, log, _ = _cli(scene, tmp_path, monkeypatch)
    assert second == 1, log[-1500:]
    created, edited = gh.requests("POST", "/comments"), gh.requests("PATCH", "/issues/comments/")
    assert len(created) == 1 and len(edited) == 1
    ours = [c for c in store.comments if c["user"]["login"] == BOT]
    assert len(ours) == 1 and edited[0].url.endswith(f"/issues/comments/{ours[0]['id']}")
    assert ".vscode/mcp.json" in ours[0]["body"] and ".vscode/mcp.json" not in created[0].body["body"]
    posted = gh.requests("POST", "/statuses/")
    assert [(c.url.rsplit("/", 1)[1], c.body["state"]) for c in posted][-1] == (fixed, "failure")
    no_piece(log + gh.bodies(), third)


def _base_changed(payload: dict[str, Any]) -> None:
    """pull_request `edited` with a base change: the payload names the new base (changes.base.* the old)."""
    base = payload["pull_request"]["base"]
    payload["action"] = "edited"
    payload["changes"] = {"base": {"ref": {"from": "develop"}, "sha": {"from": "d" * 40}}}
    assert base["ref"] == "master"


def test_edited_with_a_base_change_is_judged_against_the_new_base(tmp_path: Path, gh: FakeGitHub,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    scene = _scene(tmp_path, "pull_request.opened.json", edit=_base_changed)
    _expect(gh, CommentStore())
    code, log, outputs = _cli(scene, tmp_path, monkeypatch)
    assert code == 1 and _output(outputs, "findings") == "1", log[-1500:]
    assert gh.requests("POST", "/statuses/")[0].url.endswith(f"/statuses/{scene.head}")


@pytest.mark.parametrize("name", PR_PAYLOADS)
def test_a_fork_with_a_read_only_token_fails_closed_in_one_line(tmp_path: Path, gh: FakeGitHub,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                name: str) -> None:
    """Every write answers 403 "Resource not accessible by integration": no success anywhere, exit 1,
    one ::error line of the run's own (beside the findings' annotations) saying why the job gates."""

    def fork(payload: dict[str, Any]) -> None:  # as tests/fixtures/github/README.md derives one
        head = payload["pull_request"]["head"]
        head["repo"] = {**head["repo"], "full_name": "forker/Hello-World", "fork": True,
                        "owner": {**head["repo"]["owner"], "login": "forker"}}
        head["label"] = "forker:changes"

    scene = _scene(tmp_path, name, edit=fork)
    gh.add("GET", "/user", forbidden)
    CommentStore().register(gh, "o/r", 2)
    gh.add("POST", COMMENTS, forbidden)
    gh.add("POST", STATUS, forbidden)
    code, log, outputs = _cli(scene, tmp_path, monkeypatch)
    assert code == 1
    errors = [line for line in log.splitlines() if line.startswith("::error title=mcp-guard::")]
    assert len(errors) == 1 and "failure: 1 blocking finding" in errors[0]
    assert "commit status could not be set (read-only token" in errors[0]
    assert _output(outputs, "status-set") == "false" and _output(outputs, "result") == "failure"
    assert gh.requests("POST", "/statuses/")[0].url.endswith(f"/statuses/{scene.head}")


def test_an_unknown_event_fails_closed_and_marks_the_pr_head(tmp_path: Path, gh: FakeGitHub,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    scene = _scene(tmp_path, "pull_request.opened.json", event="pull_request_review")
    gh.add("POST", STATUS, status_reply)
    code, log, _ = _cli(scene, tmp_path, monkeypatch)
    assert code == 2
    assert [line for line in log.splitlines() if line.startswith("::error")] == [
        "::error title=mcp-guard::mcp-guard: event pull_request_review is not supported (supported: "
        "merge_group, pull_request, pull_request_target, push, schedule, workflow_dispatch)"]
    posted = gh.requests("POST", "/statuses/")
    assert [c.body["state"] for c in posted] == ["error"]
    assert posted[0].url.endswith(f"/statuses/{scene.head}")
