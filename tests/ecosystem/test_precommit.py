"""The pre-commit hook end to end: `pre-commit try-repo <this repo> mcp-guard --files <staged config>`.

pre-commit clones this repository (with its uncommitted changes) and pip-installs it into a fresh
hook environment, so the test needs the package index pip is configured with, and nothing else.
One run covers a leaking config (commit refused, value redacted) next to a clean one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git
from tests.fakes import fake_token

ROOT = Path(__file__).resolve().parents[2]


def _pre_commit() -> str:
    path = Path(sys.executable).parent / "pre-commit"
    found = str(path) if path.exists() else shutil.which("pre-commit")
    assert found, "pre-commit is not installed: it comes with the test extra (pip install -e '.[test]')"
    return found


def _config(env: dict[str, str]) -> str:
    return json.dumps({"mcpServers": {"gh": {"command": "npx", "args": ["-y", "server-github"], "env": env}}})


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="try-repo needs this checkout to be a git work tree")
def test_try_repo_refuses_a_staged_leak_and_passes_a_clean_config(tmp_path: Path) -> None:
    token = fake_token("ghp_", 36, seed=41)
    repo = tmp_path / "project"
    (repo / ".cursor").mkdir(parents=True)
    (repo / ".vscode").mkdir()
    (repo / ".cursor" / "mcp.json").write_text(_config({"GITHUB_TOKEN": token}), encoding="utf-8")
    (repo / ".vscode" / "mcp.json").write_text(
        json.dumps({"servers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": "${env:GITHUB_TOKEN}"}}}}),
        encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    proc = subprocess.run(
        [_pre_commit(), "try-repo", str(ROOT), "mcp-guard", "--files", ".cursor/mcp.json", ".vscode/mcp.json",
         "--verbose"],
        cwd=repo, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Failed" in out and "MCPG101" in out and ".cursor/mcp.json" in out, out
    assert ".vscode/mcp.json:" not in out  # the ${env:...} reference is the fix, not a finding
    assert token not in out and token[4:16] not in out
