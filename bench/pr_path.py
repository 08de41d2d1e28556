"""End-to-end time of the Action's pull-request path: 50 changed configs, and 3,000 literal secrets.

Builds a git repository, a base commit and two PR heads, then runs `run_action` as the Action does
(gitleaks on, review suggestions on, SARIF, job summary, outputs, annotations) against a minimal local
GitHub double made with `responses` (nothing leaves the machine; request bodies are not
schema-checked here, tests/gh does that). The double lists the PR's files with their real patches,
so one-click suggestions are built (and re-checked) as on GitHub.
Target (issue 16): the 3,000-finding PR under 20 s.
Not a test: figures depend on the machine. Secret-shaped values are built at run time.

    python bench/pr_path.py [--rounds 3] [--only changed50,findings3000]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import responses

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import scanner.gh.action as action_module  # noqa: E402
from scanner.gh.action import run_action  # noqa: E402
from scanner.gh.api import GitHubApi  # noqa: E402
from scanner.gh.transport import WritePacer  # noqa: E402

# The second between writes (GitHub's REST best practices, scanner/gh/transport.py) is waiting, not
# work: the bench times the run without it.
UNPACED = WritePacer(0.0)

PHASES: dict[str, float] = {}


def _timed(name: str, func: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            PHASES[name] = PHASES.get(name, 0.0) + time.perf_counter() - start
    return wrapper


# Where the time goes: the scan step (both ends, history, engines) and publishing (views, comment,
# summary, SARIF, annotations, review, status), as run_action calls them.
action_module._scan = _timed("scan", action_module._scan)  # type: ignore[attr-defined]
action_module.publish = _timed("publish", action_module.publish)

API = "https://ghe.example.test/api/v3"
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _token(seed: int) -> str:
    rng = random.Random(f"bench-pr:{seed}")
    return "ghp_" + "".join(rng.choice(_ALNUM) for _ in range(36))


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL).stdout.strip()


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _config(servers: dict[str, dict[str, Any]]) -> str:
    return json.dumps({"mcpServers": servers}, indent=2) + "\n"


def changed50() -> dict[str, str]:
    """50 configs edited, one literal token each (a typical large PR)."""
    files = {}
    for pkg in range(50):
        servers = {"github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
                              "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": _token(pkg)}},
                   "fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "."]}}
        files[f"pkg{pkg}/.cursor/mcp.json"] = _config(servers)
    return files


def findings3000() -> dict[str, str]:
    """3,000 literal secrets across 600 servers (60 configs x 10 servers x 5 secrets)."""
    files = {}
    seed = 10_000
    for pkg in range(60):
        servers = {}
        for i in range(10):
            env = {}
            for name in ("GITHUB_TOKEN", "GITLAB_TOKEN", "API_TOKEN", "SERVICE_SECRET", "ACCESS_KEY"):
                env[name] = _token(seed)
                seed += 1
            servers[f"s{i}"] = {"command": "npx", "args": ["-y", f"@acme/server-{i}"], "env": env}
        files[f"pkg{pkg}/.cursor/mcp.json"] = _config(servers)
    return files


SHAPES = {"changed50": changed50, "findings3000": findings3000}


def pull_files(root: Path, base: str, head: str) -> list[dict[str, Any]]:
    """The PR's files as GitHub's files API lists them (filename, status, patch without header)."""
    names = _git(root, "diff", "--name-only", base, head).splitlines()
    out = []
    for name in names:
        diff = _git(root, "diff", "--no-color", base, head, "--", name)
        patch = diff[diff.index("@@"):] if "@@" in diff else ""
        out.append({"filename": name, "status": "modified", "patch": patch})
    return out


def _build(root: Path) -> tuple[str, dict[str, str]]:
    _git(root, "init", "-q", "-b", "main")
    for key, value in (("user.email", "b@example.test"), ("user.name", "bench"), ("commit.gpgsign", "false")):
        _git(root, "config", key, value)
    base_files = {f"pkg{pkg}/.cursor/mcp.json": _config({"github": {"command": "npx", "args": ["-y", "srv"],
                                                                     "env": {"GITHUB_TOKEN": "${env:GH}"}}})
                  for pkg in range(60)}
    base_files.update({f"src/m{i % 50}/f{i}.py": f"VALUE = {i}\n" for i in range(2000)})
    _write(root, base_files)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    base = _git(root, "rev-parse", "HEAD")
    heads = {}
    for name, make in SHAPES.items():
        _git(root, "checkout", "-q", "-B", name, base)
        _write(root, make())
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", name)
        heads[name] = _git(root, "rev-parse", "HEAD")
    return base, heads


def _reply(status: int, body: Any) -> Any:
    return lambda _request: (status, {"Content-Type": "application/json"}, json.dumps(body))


def run_once(root: Path, tmp: Path, base: str, head: str,
             files: list[dict[str, Any]] | None = None) -> tuple[float, int, int]:
    """(seconds, exit code, findings reported in the outputs) of one Action run on the PR; `files`
    (the files API listing, with patches) lets the review suggestions be built as on GitHub."""
    payload = json.loads((HERE.parent / "tests/fixtures/github/webhooks/pull_request.opened.json")
                         .read_text(encoding="utf-8"))
    payload["pull_request"]["base"].update(sha=base, ref="main")
    payload["pull_request"]["head"]["sha"] = head
    event, summary, outputs = tmp / "event.json", tmp / "summary.md", tmp / "outputs.txt"
    event.write_text(json.dumps(payload), encoding="utf-8")
    for path in (summary, outputs):
        path.write_text("", encoding="utf-8")
    _git(root, "checkout", "-q", head)
    env = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event), "GITHUB_REPOSITORY": "o/r",
           "GITHUB_API_URL": API, "GITHUB_SERVER_URL": "https://ghe.example.test", "GITHUB_RUN_ID": "42",
           "GITHUB_WORKSPACE": str(root), "GITHUB_SHA": head, "GITHUB_OUTPUT": str(outputs),
           "GITHUB_STEP_SUMMARY": str(summary), "INPUT_GITHUB-TOKEN": "bench-token",
           "INPUT_GITLEAKS": "true", "INPUT_SUGGESTIONS": "true"}
    comment = {"id": 1, "body": "", "user": {"login": "github-actions[bot]", "type": "Bot"},
               "html_url": "https://ghe.example.test/o/r/pull/7#issuecomment-1"}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, re.compile(r".*/user$"), callback=_reply(403, {"message": "no"}))
        mock.add_callback(responses.GET, re.compile(r".*/issues/\d+/comments.*"), callback=_reply(200, []))
        mock.add_callback(responses.POST, re.compile(r".*/issues/\d+/comments.*"),
                          callback=_reply(201, comment))
        mock.add_callback(responses.GET, re.compile(r".*/pulls/\d+/files.*"),
                          callback=_reply(200, files or []))
        mock.add_callback(responses.GET, re.compile(r".*/pulls/\d+/(comments|reviews).*"),
                          callback=_reply(200, []))
        mock.add_callback(responses.POST, re.compile(r".*/pulls/\d+/reviews.*"),
                          callback=_reply(200, {"id": 2, "state": "COMMENTED"}))
        mock.add_callback(responses.POST, re.compile(r".*/statuses/.*"), callback=_reply(201, {}))
        start = time.perf_counter()
        code = run_action(env, api_factory=lambda ctx: GitHubApi(ctx.api_url, ctx.token, pacer=UNPACED),
                          stream=io.StringIO())
        elapsed = time.perf_counter() - start
    found = re.search(r"^findings<<(\S+)\n(\d+)\n", outputs.read_text(encoding="utf-8"), re.M)
    return elapsed, code, int(found.group(2)) if found else -1


def report(rounds: int = 3, only: tuple[str, ...] = ()) -> dict[str, float]:
    medians = {}
    with tempfile.TemporaryDirectory(prefix="mcp-guard-bench-pr-") as scratch:
        root, tmp = Path(scratch) / "repo", Path(scratch)
        root.mkdir()
        base, heads = _build(root)
        print("PR path (run_action end to end, gitleaks + suggestions on, local GitHub double)")
        for name, head in heads.items():
            if only and name not in only:
                continue
            times, code, found = [], 0, 0
            files = pull_files(root, base, head)
            PHASES.clear()
            for _ in range(rounds):
                seconds, code, found = run_once(root, tmp, base, head, files)
                times.append(seconds)
            phases = ", ".join(f"{k} {v / rounds:.2f} s" for k, v in PHASES.items())
            medians[name] = statistics.median(times)
            target = "  (target < 20 s)" if name == "findings3000" else ""
            print(f"  {name:<14} median {medians[name]:6.2f} s  min {min(times):6.2f}  max {max(times):6.2f}"
                  f"  over {rounds}; exit {code}, findings {found}{target}")
            print(f"  {'':<14} mean per run: {phases}")
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    report(args.rounds, tuple(s for s in args.only.split(",") if s))


if __name__ == "__main__":
    main()
