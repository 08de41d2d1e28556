"""Helpers for Action tests: real git repositories in tmp_path, event payloads, a fake GitHub."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.gh.action import run_action
from scanner.gh.api import GitHubApi
from scanner.gh.context import ActionContext
from scanner.gh.transport import WritePacer
from tests.fakes import fake_token
from tests.gh.github_contract import API, FIXTURES, CommentStore, FakeGitHub, forbidden, status_reply

BOT = "github-actions[bot]"
CONFIG = ".cursor/mcp.json"


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False,
                          stdin=subprocess.DEVNULL)
    if proc.returncode != 0:  # say why: a bare CalledProcessError hides git's message
        raise AssertionError(f"git {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout.strip()


class Repo:
    """A throwaway git repository with helpers to commit file sets on branches."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        git(path, "init", "-q", "-b", "main")
        git(path, "config", "user.email", "dev@example.test")
        git(path, "config", "user.name", "Dev")
        git(path, "config", "commit.gpgsign", "false")

    def commit(self, files: dict[str, str | None], message: str = "change") -> str:
        for rel, text in files.items():
            target = self.path / rel
            if text is None:
                git(self.path, "rm", "-q", "--", rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            git(self.path, "add", "--", rel)
        git(self.path, "commit", "-q", "--allow-empty", "-m", message)
        return git(self.path, "rev-parse", "HEAD")

    def checkout(self, *args: str) -> None:
        git(self.path, "checkout", "-q", *args)


def mcp_config(**env: str) -> str:
    """A Cursor config with one GitHub server whose env holds the given values."""
    server = {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": env}
    return json.dumps({"mcpServers": {"github": server}}, indent=2) + "\n"


def pat(seed: int) -> str:
    return fake_token("ghp_", 36, seed)


def pr_payload(base_sha: str, head_sha: str, base_ref: str = "main", number: int = 7,
               fork: bool = False) -> dict[str, Any]:
    payload = json.loads((FIXTURES / "webhooks" / "pull_request.opened.json").read_text(encoding="utf-8"))
    payload = copy.deepcopy(payload)
    pr = payload["pull_request"]
    pr["number"] = payload["number"] = number
    pr["base"].update(sha=base_sha, ref=base_ref)
    pr["head"]["sha"] = head_sha
    if fork:  # as the shared README describes: head repo is the fork
        head_repo = pr["head"]["repo"]
        head_repo.update(full_name="forker/Hello-World", fork=True)
        head_repo["owner"] = {**head_repo["owner"], "login": "forker"}
        pr["head"]["label"] = "forker:fix"
    return payload


class Clock:
    """A counted clock for WritePacer: time moves only when the pacer waits on it (never really)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.paces: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.paces.append(seconds)
        self.now += seconds

    def pacer(self) -> WritePacer:
        return WritePacer(clock=self, sleep=self.sleep)


@dataclass
class Run:
    code: int
    log: str
    summary: str
    outputs: str
    sarif: str
    waits: list[float] = field(default_factory=list)
    paces: list[float] = field(default_factory=list)  # the waits between writes (WritePacer)


def run(repo: Path, tmp: Path, event: str, payload: dict[str, Any], extra_env: dict[str, str] | None = None,
        **inputs: str) -> Run:
    event_path = tmp / "event.json"
    event_path.write_text(json.dumps(payload), encoding="utf-8")
    summary, outputs = tmp / "summary.md", tmp / "outputs.txt"
    for path in (summary, outputs):
        path.write_text("", encoding="utf-8")
    env = {"GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": str(event_path), "GITHUB_REPOSITORY": "o/r",
           "GITHUB_API_URL": API, "GITHUB_SERVER_URL": "https://ghe.example.test", "GITHUB_RUN_ID": "42",
           "GITHUB_WORKSPACE": str(repo), "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary),
           "GITHUB_SHA": git(repo, "rev-parse", "HEAD"), "INPUT_GITHUB-TOKEN": "test-token",
           "INPUT_GITLEAKS": "false"}
    env["INPUT_SUGGESTIONS"] = "false"  # review suggestions have their own tests (tests/gh/test_review.py)
    env.update({f"INPUT_{name.upper().replace('_', '-')}": value for name, value in inputs.items()})
    env.update(extra_env or {})
    waits: list[float] = []
    clock = Clock()
    stream = io.StringIO()

    def factory(ctx: ActionContext) -> GitHubApi:
        return GitHubApi(ctx.api_url, ctx.token, sleep=waits.append, pacer=clock.pacer())

    code = run_action(env, api_factory=factory, stream=stream)
    sarif_path = repo / inputs.get("sarif_file", "mcp-guard.sarif")
    sarif = sarif_path.read_text(encoding="utf-8") if sarif_path.exists() else ""
    return Run(code, stream.getvalue(), summary.read_text(encoding="utf-8"),
               outputs.read_text(encoding="utf-8"), sarif, waits, clock.paces)


def everything(result: Run, gh: FakeGitHub) -> str:
    """All output channels of a run, for assert_no_secret."""
    return "\n".join([result.log, result.summary, result.outputs, result.sarif, gh.bodies()])


COMMENTS = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
STATUS = "/repos/{owner}/{repo}/statuses/{sha}"


def no_piece(output: str, secret: str) -> None:
    """Fail if any 12-character piece of `secret` is in `output`."""
    leaked = [secret[i:i + 12] for i in range(len(secret) - 11) if secret[i:i + 12] in output]
    assert not leaked, "a 12-character piece of a secret leaked into an output"


def expect_run(gh: FakeGitHub, reruns: bool = False) -> None:
    """The GitHub side of one action run on PR 7 of o/r: sticky comment and status. `reruns`: several
    runs share the PR's thread, so a later one may edit the comment an earlier one created."""
    store = CommentStore()
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, store.on_create(BOT))
    if reruns:
        gh.add("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", store.on_update(),
               optional=True)
    gh.add("POST", STATUS, status_reply)


def states(gh: FakeGitHub) -> list[str]:
    """The commit status states the run posted, in order."""
    return [call.body["state"] for call in gh.requests("POST", "/statuses/")]


Files = dict[str, str | None]
Outcome = tuple[int, list[str], str]  # (exit code, posted states, every output channel)


def open_pr(tmp_path: Path, gh: FakeGitHub, commits: list[Files | Callable[[Repo], None]],
            base: Files | None = None) -> Outcome:
    """Open PR 7 (branch `pr` into main) with `commits` (file maps, or steps run on the repo) and
    run the action on it."""
    repo = Repo(tmp_path / "ws")
    repo.commit(base or {"README.md": "hi\n"})
    base_sha = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    for step in commits:
        if callable(step):
            step(repo)
        else:
            repo.commit(step)
    head = git(repo.path, "rev-parse", "HEAD")
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base_sha, head))
    return result.code, states(gh), everything(result, gh)


def one_change_pr(tmp_path: Path, files: Files) -> tuple[Repo, str, str]:
    """A repository whose main holds a README and whose branch `pr` adds `files` in one commit:
    (repo, base sha, head sha)."""
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    return repo, base, repo.commit(files)


def assert_blocked(outcome: Outcome, *secrets: str) -> None:
    """The gate failed the PR and no 12-character piece of `secrets` is in any output."""
    code, posted, output = outcome
    assert (code, posted) == (1, ["failure"]), output[-2000:]
    for secret in secrets:
        no_piece(output, secret)


def assert_passed(outcome: Outcome) -> None:
    code, posted, output = outcome
    assert (code, posted) == (0, ["success"]), output[-2000:]


def opaque(seed: int, length: int = 40) -> str:
    """A provider-less high-entropy credential (no prefix any shape knows)."""
    return fake_token("", length, seed)


def github_servers(client_key: str = "mcpServers", **entry: Any) -> str:
    """A config with one GitHub MCP server whose entry also holds `entry`."""
    server = {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], **entry}
    return json.dumps({client_key: {"github": server}}, indent=2) + "\n"


def lfs_pointer(content: str) -> str:
    """The Git LFS pointer file that stands in a checkout for `content`."""
    oid = hashlib.sha256(content.encode()).hexdigest()
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(content)}\n"
