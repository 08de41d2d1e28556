"""Workspace setup and result checks for tests/container/smoke.sh (run with the project's Python).

setup WORK: a git repository whose PR branch adds a config with a token built at run time, plus the
  pull_request event payload. check WORK RC: the container's exit code, the API calls it made, its
  outputs, summary and SARIF; the token must appear in none of them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.fakes import assert_no_secret, fake_token  # noqa: E402
from tests.gh.action_helpers import CONFIG, Repo, git, mcp_config, pr_payload  # noqa: E402


def setup(work: Path) -> None:
    secret = fake_token("ghp_", 36, 2024)
    repo = Repo(work / "ws")
    repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}"), "README.md": "x\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-b", "feature")
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)}, "add server")
    (work / "event.json").write_text(json.dumps(pr_payload(base, head, base_ref="main")), encoding="utf-8")
    (work / "secret").write_text(secret, encoding="utf-8")
    (work / "head").write_text(head, encoding="utf-8")


def check(work: Path, rc: int) -> None:
    secret = (work / "secret").read_text(encoding="utf-8")
    head = (work / "head").read_text(encoding="utf-8")
    calls = [json.loads(line) for line in (work / "requests.jsonl").read_text(encoding="utf-8").splitlines()]
    statuses = [c for c in calls if c["method"] == "POST" and "/statuses/" in c["path"]]
    comments = [c for c in calls if c["method"] == "POST" and c["path"].endswith("/issues/7/comments")]
    outputs = (work / "fc" / "output").read_text(encoding="utf-8")
    summary = (work / "fc" / "summary").read_text(encoding="utf-8")
    sarif = (work / "ws" / "mcp-guard.sarif").read_text(encoding="utf-8")
    log = (work / "run.log").read_text(encoding="utf-8")
    assert rc == 1, f"expected exit 1 (blocking finding on main), got {rc}"
    assert len(statuses) == 1 and statuses[0]["path"].endswith(f"/statuses/{head}"), statuses
    assert statuses[0]["body"]["state"] == "failure" and statuses[0]["body"]["context"] == "mcp-guard"
    assert len(comments) == 1 and comments[0]["body"]["body"].startswith("<!-- mcp-guard:sticky v1 -->")
    assert "MCPG101" in comments[0]["body"]["body"] and "MCPG101" in summary
    assert "findings<<ghadelimiter_" in outputs and "comment-url<<" in outputs
    assert json.loads(sarif)["runs"][0]["results"], "SARIF has no results"
    # The image ships gitleaks: the scan must not have fallen back to built-in detection only.
    assert "gitleaks did not run" not in log, "gitleaks did not run inside the image"
    everything = "\n".join([json.dumps(calls), outputs, summary, sarif, log])
    assert_no_secret(everything, secret)
    print(f"[smoke] OK: status {statuses[0]['body']['state']}, 1 comment, {len(calls)} API calls, "
          "no secret in any output")


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(Path(sys.argv[2]))
    else:
        check(Path(sys.argv[2]), int(sys.argv[3]))
