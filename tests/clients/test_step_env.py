"""A workflow step's `env:` handed to the MCP server its `run:` starts (corpus 12: public smoke-test
workflows set `GITHUB_PERSONAL_ACCESS_TOKEN` on the step and `docker run -e NAME …/github-mcp-server`
or `npx -y @modelcontextprotocol/server-…` in its script). Secret-shaped values are built at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_PAT = fake_token("ghp_", 36, 1201)
_PATH = ".github/workflows/mcp-smoke.yml"
_HEAD = "name: smoke\non: [push]\njobs:\n  smoke:\n    runs-on: ubuntu-latest\n    steps:\n"


def _blocking(text: str) -> list[tuple[int, str]]:
    result = scan_files({_PATH: text.encode()}, _OPTIONS)
    assert result.complete
    return sorted((f.location.line, f.field) for f in result.findings
                  if f.rule_id.startswith("MCPG1") and f.blocking)


def _step(env_value: str, run: str, dash_on_env: bool = False) -> str:
    if dash_on_env:
        return (_HEAD + f"      - env:\n          GITHUB_PERSONAL_ACCESS_TOKEN: {env_value}\n"
                f"        run: {run}\n")
    return (_HEAD + "      - uses: actions/checkout@v4\n      - name: start server\n        env:\n"
            f"          GITHUB_PERSONAL_ACCESS_TOKEN: {env_value}\n          LOG_LEVEL: debug\n"
            f"        run: |\n          {run}\n          echo done\n")


_RUNS = [
    "docker run -d -e GITHUB_PERSONAL_ACCESS_TOKEN ghcr.io/github/github-mcp-server",
    "npx -y @modelcontextprotocol/server-github &",
    "uvx mcp-server-git --repository .",
]


@pytest.mark.parametrize("run", _RUNS)
@pytest.mark.parametrize("dash_on_env", [False, True])
def test_literal_in_the_env_of_a_step_starting_an_mcp_server_is_found(run: str, dash_on_env: bool) -> None:
    text = _step(_PAT, run, dash_on_env)
    line = next(i for i, body in enumerate(text.split("\n"), 1) if _PAT in body)
    assert _blocking(text) == [(line, "env.GITHUB_PERSONAL_ACCESS_TOKEN")]


@pytest.mark.parametrize("value", ["${{ secrets.GH_PAT }}", "'${{ secrets.GH_PAT }}'", "$GH_PAT",
                                   "<your-github-token>", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"])
def test_references_and_placeholders_in_that_env_do_not_block(value: str) -> None:
    assert _blocking(_step(value, _RUNS[0])) == []


@pytest.mark.parametrize("run", [
    "cd mcp-server && npm test",  # builds an MCP project: no launcher runs a server
    "docker build -t acme .",  # a launcher, but no MCP server named
    "echo mcp",
])
def test_steps_that_start_no_mcp_server_are_not_read(run: str) -> None:
    assert _blocking(_step(_PAT, run)) == []


def test_the_env_of_a_job_whose_step_starts_the_server_is_read() -> None:
    """The runner hands `jobs.<id>.env` to every step of the job (redteam17: it was left out)."""
    text = (_HEAD.replace("    runs-on", f"    env:\n      GITHUB_PERSONAL_ACCESS_TOKEN: {_PAT}\n    runs-on")
            + "      - run: npm run lint\n      - run: npx -y @modelcontextprotocol/server-github\n")
    assert _blocking(text) == [(6, "env.GITHUB_PERSONAL_ACCESS_TOKEN")]


def test_the_env_of_a_job_that_starts_no_server_is_not_read() -> None:
    """Another job's server never sees this job's env (nor the workflow's, when no job starts one)."""
    text = (_HEAD.replace("    runs-on", f"    env:\n      GITHUB_PERSONAL_ACCESS_TOKEN: {_PAT}\n    runs-on")
            + "      - run: npm run lint\n  serve:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: npx -y @modelcontextprotocol/server-github\n")
    assert _blocking(text) == []
    top = f"name: smoke\non: [push]\nenv:\n  GITHUB_PERSONAL_ACCESS_TOKEN: {_PAT}\njobs:\n  a:\n    steps:\n"
    assert _blocking(top + "      - run: npm test\n      - run: echo mcp\n") == []


def test_the_env_of_another_step_is_not_read() -> None:
    text = (_HEAD + f"      - name: build\n        env:\n          GITHUB_PERSONAL_ACCESS_TOKEN: {_PAT}\n"
            "        run: npm ci\n      - name: serve\n"
            "        run: npx -y @modelcontextprotocol/server-github\n")
    assert _blocking(text) == []
