"""A workflow's `workflow_dispatch` / `workflow_call` input defaults that a config it writes reads
(`${{ inputs.X }}`, `${{ github.event.inputs.X }}`; docs.github.com "Workflow syntax": `on.
workflow_dispatch.inputs.<id>.default`, `on.workflow_call.inputs.<id>.default`): the runner puts the
default in when the run gives no value, so a literal credential there is the config's. Reported at
the default's line; every secret-shaped value is built at run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_KEY = fake_token("", 40, 811)
_PAT = fake_token("ghp_", 36, 812)
_PATH = ".github/workflows/agent.yml"


def _found(text: str) -> list[tuple[int, int, str]]:
    result = scan_files({_PATH: text.encode()}, _OPTIONS)
    return sorted((f.location.line, f.location.column, f.field) for f in result.findings
                  if f.rule_id.startswith("MCPG1"))


def _line_of(text: str, value: str) -> int:
    return next(i for i, body in enumerate(text.split("\n"), 1) if value in body)


def _config(value: str) -> str:
    server = {"command": "npx", "args": ["-y", "@acme/mcp-server"], "env": {"ACME_API_KEY": value}}
    return json.dumps({"mcpServers": {"acme": server}})


def _on(trigger: str, default: str, name: str = "acme_key") -> str:
    return (f"name: agent\non:\n  {trigger}:\n    inputs:\n      {name}:\n"
            "        description: 'key for the acme server'\n        required: false\n"
            f"        default: {default}\n        type: string\n")


_JOB = "jobs:\n  run:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"

_STEPS = {
    "echo > .mcp.json": lambda ref: f"      - run: |\n          echo '{_config(ref)}' > .mcp.json\n",
    "mcp_config input": lambda ref: ("      - uses: anthropics/claude-code-action@v1\n        with:\n"
                                     f"          mcp_config: '{_config(ref)}'\n"),
    "claude_args --mcp-config": lambda ref: (
        "      - uses: anthropics/claude-code-action@v1\n        with:\n"
        f"          claude_args: |\n            --mcp-config '{_config(ref)}'\n"),
    "claude mcp add -e": lambda ref: (
        f"      - run: claude mcp add acme -e ACME_API_KEY={ref} -- npx -y acme-mcp\n"),
}


@pytest.mark.parametrize("trigger", ["workflow_dispatch", "workflow_call"])
@pytest.mark.parametrize("ref", ["${{ inputs.acme_key }}", "${{ github.event.inputs.acme_key }}"])
@pytest.mark.parametrize("step", sorted(_STEPS))
@pytest.mark.parametrize("quote", ["", "'", '"'])
def test_input_default_a_written_config_reads_is_found_at_the_default(trigger: str, ref: str, step: str,
                                                                        quote: str) -> None:
    text = _on(trigger, f"{quote}{_KEY}{quote}") + _JOB + _STEPS[step](ref)
    line = _line_of(text, _KEY)
    column = text.split("\n")[line - 1].index(_KEY) + 1
    assert _found(text) == [(line, column, "env.ACME_API_KEY")]


def test_input_default_reached_through_a_step_env_entry() -> None:
    # `env: {ACME: ${{ inputs.acme_key }}}` then `$ACME` in the command: the default is the value.
    text = (_on("workflow_dispatch", _PAT) + _JOB
            + "      - env:\n          ACME: ${{ inputs.acme_key }}\n"
            "        run: claude mcp add acme -e GITHUB_TOKEN=$ACME -- npx -y acme-mcp\n")
    assert _found(text) == [(_line_of(text, _PAT), 18, "env.GITHUB_TOKEN")]


def test_quoted_on_key_and_several_inputs() -> None:
    text = (f'"on":\n  workflow_dispatch:\n    inputs:\n      region:\n        default: eu-west-1\n'
            f"      acme_key:\n        default: '{_KEY}'\n" + _JOB
            + _STEPS["claude mcp add -e"]("${{ inputs.acme_key }}"))
    assert [found[0] for found in _found(text)] == [_line_of(text, _KEY)]


# --- precision: what must stay quiet ------------------------------------------------------------------


def test_input_defaults_that_are_settings_or_empty_pass() -> None:
    env = {"ACME_REGION": "${{ inputs.region }}", "ACME_API_KEY": "${{ inputs.acme_key }}",
           "ACME_MODEL": "${{ github.event.inputs.model }}"}
    config = json.dumps({"mcpServers": {"acme": {"command": "npx", "args": ["-y", "@acme/mcp-server"],
                                                 "env": env}}})
    text = ("on:\n  workflow_dispatch:\n    inputs:\n      region:\n        default: eu-west-1\n"
            "      acme_key:\n        description: the key (leave empty to use the secret)\n"
            "        default: ''\n      model:\n        default: claude-sonnet-4-5-20250929\n"
            + _JOB + f"      - run: |\n          echo '{config}' > .mcp.json\n")
    assert _found(text) == []


def test_input_default_no_written_config_reads_passes() -> None:
    # the default sits in an input the config does not read, or under another name space
    text = (_on("workflow_dispatch", _KEY, name="deploy_key") + _JOB
            + "      - run: ./deploy.sh ${{ inputs.deploy_key }}\n"
            + _STEPS["claude mcp add -e"]("${{ env.deploy_key }}"))
    assert _found(text) == []


def test_input_default_under_another_trigger_or_key_passes() -> None:
    # `default:` of something that is no workflow_dispatch / workflow_call input
    text = ("on:\n  push:\n    branches: [main]\njobs:\n  run:\n    runs-on: ubuntu-latest\n"
            "    strategy:\n      matrix:\n        inputs:\n          acme_key:\n"
            f"            default: {_KEY}\n    steps:\n"
            + _STEPS["claude mcp add -e"]("${{ inputs.acme_key }}"))
    assert _found(text) == []
