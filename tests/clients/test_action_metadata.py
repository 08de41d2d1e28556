"""GitHub Actions metadata files (`action.yml` / `action.yaml` at the root or under
`.github/actions/<name>/`; docs.github.com "Metadata syntax for GitHub Actions"): the MCP configs a
composite action's steps write (read as a workflow's are), and the literal `inputs.<id>.default`
values of an action that hands MCP configuration to a client (composite, JavaScript or Docker).
Secret-shaped values are built at run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.clients.discovery import classify_path
from scanner.model import Client
from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_PAT = fake_token("ghp_", 36, 941)
_KEY = fake_token("", 40, 942)


def _found(files: dict[str, str]) -> list[tuple[str, int, str]]:
    result = scan_files({path: text.encode() for path, text in files.items()}, _OPTIONS)
    assert result.complete
    return sorted((f.location.path, f.location.line, f.field) for f in result.findings
                  if f.rule_id.startswith("MCPG1"))


def _line_of(text: str, value: str) -> int:
    return next(i for i, body in enumerate(text.split("\n"), 1) if value in body)


def _inputs(name: str, default: str, about: str = "token for the agent") -> str:
    return (f"name: agent-action\ndescription: run the review agent\ninputs:\n  {name}:\n"
            f"    description: '{about}'\n    required: false\n    default: {default}\n")


def _mcp_config(ref: str) -> str:
    server = {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
              "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": ref}}
    return json.dumps({"mcpServers": {"github": server}})


_COMPOSITE = "runs:\n  using: composite\n  steps:\n"


@pytest.mark.parametrize("path", ["action.yml", "action.yaml", ".github/actions/review/action.yml",
                                  "tools/agent/action.yaml"])
def test_metadata_files_are_candidates(path: str) -> None:
    candidate = classify_path(path)
    assert candidate is not None and candidate.hints[0] is Client.GITHUB_ACTIONS


@pytest.mark.parametrize("path", ["action.yml", ".github/actions/review/action.yaml"])
def test_composite_input_default_a_written_config_reads_is_found(path: str) -> None:
    text = (_inputs("github_token", _PAT) + _COMPOSITE
            + "    - uses: anthropics/claude-code-action@v1\n      with:\n"
            f"        mcp_config: '{_mcp_config('${{ inputs.github_token }}')}'\n")
    assert _found({path: text}) == [(path, _line_of(text, _PAT), "env.GITHUB_PERSONAL_ACCESS_TOKEN")]


def test_composite_run_step_adding_a_server_with_the_input() -> None:
    text = (_inputs("acme_key", f"'{_KEY}'") + _COMPOSITE + "    - shell: bash\n"
            "      run: claude mcp add acme -e ACME_API_KEY=${{ inputs.acme_key }} -- npx -y acme-mcp\n")
    assert _found({"action.yml": text}) == [("action.yml", _line_of(text, _KEY), "env.ACME_API_KEY")]


@pytest.mark.parametrize("runs", ["runs:\n  using: node20\n  main: dist/index.js\n",
                                  "runs:\n  using: docker\n  image: Dockerfile\n  args:\n"
                                  "    - ${{ inputs.mcp_api_key }}\n"])
def test_javascript_or_docker_action_mcp_input_default_is_found(runs: str) -> None:
    text = _inputs("mcp_api_key", _KEY, "API key of the MCP server") + runs
    expected = [("action.yml", _line_of(text, _KEY), "inputs.mcp_api_key.default")]
    assert _found({"action.yml": text}) == expected


def test_composite_mcp_config_path_is_read_as_a_config() -> None:
    text = (_inputs("prompt", "review") + _COMPOSITE
            + "    - uses: anthropics/claude-code-action@v1\n      with:\n"
            "        mcp_config: ci/servers.json\n")
    files = {".github/actions/review/action.yml": text, "ci/servers.json": _mcp_config(_PAT)}
    assert _found(files) == [("ci/servers.json", 1, "env.GITHUB_PERSONAL_ACCESS_TOKEN")]


# --- precision ---------------------------------------------------------------------------------------


def test_settings_defaults_of_an_mcp_action_pass() -> None:
    # the shape of claude-code-action's own action.yml: trigger words, prefixes, modes, numbers
    text = ("name: Claude\ninputs:\n  trigger_phrase:\n    default: '@claude'\n  branch_prefix:\n"
            "    default: claude/\n  mode:\n    default: tag\n  timeout_minutes:\n    default: '30'\n"
            "  model:\n    default: claude-sonnet-4-5\n"
            "  mcp_config:\n    description: Additional MCP config\n"
            "  github_token:\n    default: ${{ github.token }}\n"
            "  api_key:\n    default: '<your-mcp-api-key>'\n"
            "  mcp_token:\n    default: changeme\n  use_bedrock:\n    default: 'false'\n"
            + _COMPOSITE + "    - run: bun run prepare.ts\n      shell: bash\n"
            "      env:\n        MCP_CONFIG: ${{ inputs.mcp_config }}\n")
    assert _found({"action.yml": text}) == []


def test_an_action_without_mcp_is_not_read() -> None:
    text = _inputs("deploy_token", _PAT, "token of the deploy API") + "runs:\n  using: node20\n  main: a.js\n"
    assert _found({"action.yml": text}) == []


def test_an_action_with_a_settings_input_but_no_agent_is_not_read() -> None:
    text = (_inputs("deploy_token", _PAT, "token of the deploy API")
            + "  settings:\n    default: '{}'\nruns:\n  using: node20\n  main: a.js\n")
    assert _found({"action.yml": text}) == []
