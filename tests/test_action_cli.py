"""CLI wiring of `mcp-guard action` and `mcp-guard protect` (exit codes, messages)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from scanner.cli import main
from tests.gh.github_contract import API, example, fake_github


def test_action_unsupported_event_exits_2() -> None:
    result = CliRunner().invoke(main, ["action"], env={"GITHUB_EVENT_NAME": "issues"})
    assert result.exit_code == 2 and "::error" in result.output and "not supported" in result.output


def test_protect_requires_token() -> None:
    result = CliRunner().invoke(main, ["protect", "--repo", "o/r", "--branch", "main"],
                                env={"GITHUB_TOKEN": "", "GH_TOKEN": ""})
    assert result.exit_code == 2 and "GITHUB_TOKEN" in result.output


@pytest.mark.parametrize("already", [True, False])
def test_protect_adds_context(already: bool) -> None:
    current = example("branch-protection")
    if already:
        current["required_status_checks"]["contexts"].append("mcp-guard")
    with fake_github() as gh:
        gh.add("GET", "/repos/{owner}/{repo}/branches/{branch}/protection", lambda b, u: (200, {}, current))
        if not already:
            gh.add("PUT", "/repos/{owner}/{repo}/branches/{branch}/protection",
                   lambda b, u: (200, {}, current))
        result = CliRunner().invoke(main, ["protect", "--repo", "o/r", "--branch", "main",
                                           "--api-url", API], env={"GITHUB_TOKEN": "tok"})
    assert result.exit_code == 0, result.output
    assert ("already" in result.output) is already
