"""Time of the Action's "no MCP config changed" path (target: under 2 s of work), against a diff scan.

Builds a git repository with many files and MCP configs (some reading dotenv files), then runs
`run_action` for a pull request that touches no MCP config and for one that edits a config, with
GitHub mocked by `responses` (a local fake; nothing leaves the machine). gitleaks is enabled as in
the Action: the fast path must not start it. Not a test: figures depend on the machine.

    python bench/no_mcp_gate.py [--files 20000] [--configs 200] [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import responses

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from scanner.action import run_action  # noqa: E402

from scanner.gh.api import GitHubApi  # noqa: E402

API = "https://ghe.example.test/api/v3"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL).stdout.strip()


def _build(root: Path, files: int, configs: int) -> tuple[str, str, str]:
    """(base, head without MCP change, head with a config change)."""
    _git(root, "init", "-q", "-b", "main")
    for key, value in (("user.email", "b@example.test"), ("user.name", "bench"), ("commit.gpgsign", "false")):
        _git(root, "config", key, value)
    for i in range(files):
        path = root / f"src/m{i % 200}/f{i}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"VALUE = {i}\n", encoding="utf-8")
    for i in range(configs):
        server = {"command": "npx", "args": ["-y", "srv"], "env": {"TOKEN": "${env:TOKEN}"}}
        if i % 4 == 0:
            server = {"command": "srv", "envFile": f"pkg{i}/.env.local"}
            (root / f"pkg{i}").mkdir(parents=True, exist_ok=True)
            (root / f"pkg{i}/.env.local").write_text("DEBUG=1\n", encoding="utf-8")
        target = root / f"pkg{i}/.vscode/mcp.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"servers": {"s": server}}, indent=2), encoding="utf-8")
    (root / "README.md").write_text("bench\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    base = _git(root, "rev-parse", "HEAD")
    _git(root, "checkout", "-q", "-b", "docs")
    (root / "README.md").write_text("bench, edited\n", encoding="utf-8")
    (root / "src/m0/f0.py").write_text("VALUE = -1\n", encoding="utf-8")
    _git(root, "commit", "-q", "-am", "docs")
    no_mcp = _git(root, "rev-parse", "HEAD")
    _git(root, "checkout", "-q", "-b", "cfg", base)
    (root / "pkg1/.vscode/mcp.json").write_text(json.dumps({"servers": {"s": {"command": "other"}}}),
                                                encoding="utf-8")
    _git(root, "commit", "-q", "-am", "config")
    with_mcp = _git(root, "rev-parse", "HEAD")
    return base, no_mcp, with_mcp


def _run_once(root: Path, tmp: Path, base: str, head: str) -> tuple[float, str]:
    payload = json.loads((HERE.parent / "tests/fixtures/github/webhooks/pull_request.opened.json")
                         .read_text(encoding="utf-8"))
    payload["pull_request"]["base"].update(sha=base, ref="main")
    payload["pull_request"]["head"]["sha"] = head
    event = tmp / "event.json"
    event.write_text(json.dumps(payload), encoding="utf-8")
    _git(root, "checkout", "-q", head)
    env = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event), "GITHUB_REPOSITORY": "o/r",
           "GITHUB_API_URL": API, "GITHUB_WORKSPACE": str(root), "GITHUB_SHA": head,
           "INPUT_GITHUB-TOKEN": "bench-token", "INPUT_GITLEAKS": "true"}
    descriptions: list[str] = []
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, re.compile(r".*/user$"), status=403, json={"message": "forbidden"})
        mock.add(responses.GET, re.compile(r".*/issues/\d+/comments.*"), json=[])
        mock.add(responses.GET, re.compile(r".*/pulls/\d+/(files|comments).*"), json=[])

        def status(request: object) -> tuple[int, dict[str, str], str]:
            descriptions.append(json.loads(request.body)["description"])  # type: ignore[attr-defined]
            return 201, {}, "{}"
        mock.add_callback(responses.POST, re.compile(r".*/statuses/.*"), callback=status)
        start = time.perf_counter()
        run_action(env, api_factory=lambda ctx: GitHubApi(ctx.api_url, ctx.token), stream=io.StringIO())
        elapsed = time.perf_counter() - start
    return elapsed, descriptions[-1] if descriptions else "(no status)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20000)
    parser.add_argument("--configs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root, tmp = Path(scratch) / "repo", Path(scratch)
        root.mkdir()
        base, no_mcp, with_mcp = _build(root, args.files, args.configs)
        print(f"repository: {args.files} files, {args.configs} MCP configs")
        for label, head in (("no MCP config changed", no_mcp), ("one MCP config changed", with_mcp)):
            times = []
            for _ in range(args.runs):
                elapsed, description = _run_once(root, tmp, base, head)
                times.append(elapsed)
            print(f"{label:24} median {statistics.median(times):.3f} s  (min {min(times):.3f}, "
                  f"max {max(times):.3f}; status: {description})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
