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


def _job_env(value: str, run: str) -> str:
    env = f"    env:\n      GITHUB_PERSONAL_ACCESS_TOKEN: {value}\n    runs-on"
    return (_HEAD.replace("    runs-on", env)
            + f"      - run: npm run lint\n      - run: {run}\n")


@pytest.mark.parametrize("run", _RUNS)
def test_a_jobs_env_reaches_the_step_that_starts_a_server(run: str) -> None:
    # corpus 13: the runner hands a job's `env:` to every step of it (github-mcp-server e2e jobs)
    text = _job_env(_PAT, run)
    line = next(i for i, body in enumerate(text.split("\n"), 1) if _PAT in body)
    assert _blocking(text) == [(line, "env.GITHUB_PERSONAL_ACCESS_TOKEN")]


def test_the_workflows_env_reaches_a_step_that_starts_a_server() -> None:
    text = (f"name: smoke\non: [push]\nenv:\n  GITHUB_PERSONAL_ACCESS_TOKEN: {_PAT}\njobs:\n  smoke:\n"
            "    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: npx -y @modelcontextprotocol/server-github &\n")
    assert _blocking(text) == [(4, "env.GITHUB_PERSONAL_ACCESS_TOKEN")]


@pytest.mark.parametrize("value", ["${{ secrets.GH_PAT }}", "<your-github-token>",
                                   "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"])
def test_references_and_placeholders_in_a_jobs_env_do_not_block(value: str) -> None:
    assert _blocking(_job_env(value, _RUNS[0])) == []


def test_a_jobs_env_is_not_read_when_no_step_of_that_job_starts_a_server() -> None:
    other = ("  other:\n    runs-on: ubuntu-latest\n    steps:\n"
             "      - run: npx -y @modelcontextprotocol/server-github\n")
    assert _blocking(_job_env(_PAT, "npm test") + other) == []


def test_a_copilot_mcp_variable_is_read_in_any_env_block() -> None:
    # copilot-setup-steps.yml: `COPILOT_MCP_*` is the Copilot cloud agent's MCP server variable prefix
    key = fake_token("tvly-", 32, 1301)
    text = ("name: Copilot Setup Steps\non: workflow_dispatch\njobs:\n  copilot-setup-steps:\n"
            f"    runs-on: ubuntu-latest\n    env:\n      COPILOT_MCP_TAVILY_API_KEY: {key}\n"
            "      LOG_LEVEL: debug\n    steps:\n      - uses: actions/checkout@v4\n")
    assert _blocking(text) == [(7, "env.COPILOT_MCP_TAVILY_API_KEY")]
    assert _blocking(text.replace(key, "${{ secrets.COPILOT_MCP_TAVILY_API_KEY }}")) == []


def test_the_workflows_env_is_not_read_when_no_step_starts_a_server() -> None:
    top = f"name: smoke\non: [push]\nenv:\n  GITHUB_PERSONAL_ACCESS_TOKEN: {_PAT}\njobs:\n  a:\n    steps:\n"
    assert _blocking(top + "      - run: npm test\n      - run: echo mcp\n") == []


def test_the_env_of_another_step_is_not_read() -> None:
    text = (_HEAD + f"      - name: build\n        env:\n          GITHUB_PERSONAL_ACCESS_TOKEN: {_PAT}\n"
            "        run: npm ci\n      - name: serve\n"
            "        run: npx -y @modelcontextprotocol/server-github\n")
    assert _blocking(text) == []
