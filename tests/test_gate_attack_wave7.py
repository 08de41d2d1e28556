"""Red-team regressions (wave 7): a config of unknown name padded past the probe's read limit, a file of
any name a workflow's `--mcp-config` names, configs a workflow's commands make (a base64 word decoded into
.mcp.json, Codex `-c mcp_servers.*` overrides, a client's `mcp add` command). Each drives the Action
against the contract-checked fake GitHub; every secret is built at run time."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.gh.action_helpers import Files, no_piece, pat
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import opaque as _opaque
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub

CONFIG = "tools/agent-servers.json"
_HEAD = "on: pull_request\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n"


def _script(path: str = CONFIG) -> str:
    return json.dumps({"name": "app", "scripts": {"agent": f"claude --mcp-config {path}"}}) + "\n"


def _servers(key: str, pad: int = 0) -> str:
    server = {"command": "npx", "args": ["-y", "@acme/mcp-server"], "env": {"ACME_API_KEY": key}}
    doc: dict[str, object] = {"mcpServers": {"acme": server}}
    if pad:
        doc["notes"] = "n" * pad
    return json.dumps(doc, indent=2) + "\n"


# --- 1. a config of unknown name padded past the probe's 256 KiB --------------------------------------

_PAD = 300_000  # past scanner.sources.worktree.PROBE_MAX_BYTES, under the 5 MiB file limit


def test_config_of_unknown_name_padded_past_the_probe_limit_is_scanned(
        tmp_path: Path, gh: FakeGitHub) -> None:
    # The changed files are few: they are read up to the normal file limit, not the probe's.
    secret = _opaque(7701)
    _blocked(_pr(tmp_path, gh, [{CONFIG: _servers(secret, _PAD), "package.json": _script()}]), secret)


def test_padded_config_of_unknown_name_changed_alone_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    # The "no MCP config changed" fast path read it as "too large to be one".
    secret = _opaque(7702)
    base: Files = {"README.md": "hi\n", CONFIG: _servers("${ACME_API_KEY}"), "package.json": _script()}
    _blocked(_pr(tmp_path, gh, [{CONFIG: _servers(secret, _PAD)}], base=base), secret)


def test_padded_config_of_unknown_name_added_then_removed_is_found_in_history(
        tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(7703)
    _blocked(_pr(tmp_path, gh, [{CONFIG: _servers(secret, _PAD)}, {CONFIG: None}]), secret)


def test_config_of_unknown_name_over_the_file_limit_is_not_scanned_and_says_so(
        tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(7704)
    code, posted, output = _pr(tmp_path, gh, [{CONFIG: _servers(secret, 5 * 1024 * 1024 + 10)}])
    assert (code, posted) == (2, ["error"]), output[-2000:]
    assert "larger than the 5 MiB limit" in output
    no_piece(output, secret)


def test_large_changed_files_of_unknown_name_without_mcp_words_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    rows = json.dumps([{"id": i, "label": f"row {i}", "value": i * 7} for i in range(20_000)])
    assert len(rows) > _PAD
    _passed(_pr(tmp_path, gh, [{"data/rows.json": rows, "data/big.json": rows + "\n" * (5 * 1024 * 1024)}]))


# --- 2. a file of any name a workflow's `--mcp-config` names -----------------------------------------


@pytest.mark.parametrize("path", ["ci/agent-servers", "ci/servers.txt", "vendor/agent/servers.json"])
def test_workflow_mcp_config_flag_naming_a_file_of_any_name_reads_it(
        tmp_path: Path, gh: FakeGitHub, path: str) -> None:
    # Claude Code reads whatever file `--mcp-config` names; the gate only followed `*.json` paths.
    secret = _opaque(7705)
    workflow = _HEAD + f"      - run: claude -p hi --mcp-config {path} --max-turns 3\n"
    _blocked(_pr(tmp_path, gh, [{".github/workflows/agent.yml": workflow, path: _servers(secret)}]), secret)


def test_workflow_mcp_config_flag_naming_a_reference_config_of_any_name_passes(
        tmp_path: Path, gh: FakeGitHub) -> None:
    workflow = _HEAD + '      - run: claude -p hi --mcp-config ci/agent-servers --mcp-config "$MCP"\n'
    files: Files = {".github/workflows/agent.yml": workflow, "ci/agent-servers": _servers("${ACME_API_KEY}")}
    _passed(_pr(tmp_path, gh, [files]))


# --- 3. client configs a workflow's command lines make without writing their text -------------------


def _acme_json(value: str) -> str:
    return json.dumps({"mcpServers": {"acme": {"command": "npx", "args": ["acme-mcp"],
                                                "env": {"ACME_API_KEY": value}}}})


def _made_by_commands(secret: str) -> dict[str, str]:
    encoded = base64.b64encode(_acme_json(secret).encode()).decode()
    key = "mcp_servers.acme.env.ACME_API_KEY"
    return {
        "echo <base64> | base64 -d > .mcp.json": f"      - run: echo {encoded} | base64 -d > .mcp.json\n",
        "printf | base64 --decode | tee": (
            "      - run: |\n"
            f"          printf '%s' '{encoded}' | base64 --decode | tee .cursor/mcp.json\n"),
        "codex -c env table, quoted": (
            "      - run: codex exec -c 'mcp_servers.acme.command=\"npx\"' -c "
            f"'mcp_servers.acme.env={{ACME_API_KEY=\"{secret}\"}}' review\n"),
        "codex --config bare string": f"      - run: codex exec --config {key}={secret}\n",
        "codex-action codex-args": (
            "      - uses: openai/codex-action@v1\n        with:\n          prompt: review\n"
            f"          codex-args: '-c mcp_servers.acme.command=\"npx\" -c {key}=\"{secret}\"'\n"),
    }


@pytest.mark.parametrize("how", sorted(_made_by_commands("x")))
def test_config_a_workflow_command_makes_is_scanned(tmp_path: Path, gh: FakeGitHub, how: str) -> None:
    secret = _opaque(7712)
    workflow = _HEAD + _made_by_commands(secret)[how]
    _blocked(_pr(tmp_path, gh, [{".github/workflows/agent.yml": workflow}]), secret)


def test_workflow_commands_making_configs_from_secrets_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    steps = (
        '      - run: echo "$MCP_CONFIG_B64" | base64 -d > .mcp.json\n'
        "      - run: echo '${{ secrets.MCP_JSON_B64 }}' | base64 --decode > .cursor/mcp.json\n"
        "      - run: curl -sSfL https://raw.githubusercontent.com/acme-tools/agent-config/main/mcp.json"
        " > .mcp.json\n"
        "      - run: envsubst < ci/mcp.template.json > .mcp.json\n"
        "      - run: jq --arg token \"$ACME_API_KEY\" '.mcpServers.acme.env.ACME_API_KEY = $token' "
        "ci/base-servers.json > .mcp.json\n"
        "      - run: codex exec -c model=\"o4-mini\" -c 'mcp_servers.acme.command=\"npx\"' "
        "-c mcp_servers.acme.env.ACME_API_KEY=\"${{ secrets.ACME_API_KEY }}\" "
        "-c mcp_servers.acme.args='[\"-y\", \"@acme/mcp-server-tools\"]' review\n"
        "      - run: echo 0123456789abcdef0123456789abcdef > build/checksum.txt\n"
    )
    _passed(_pr(tmp_path, gh, [{".github/workflows/agent.yml": _HEAD + steps}]))


# --- 4. a client's own `mcp add` command in a workflow step -----------------------------------------


def _added(secret: str) -> dict[str, str]:
    one = json.dumps({"type": "stdio", "command": "npx", "args": ["acme-mcp"],
                      "env": {"ACME_API_KEY": secret}})
    return {
        "claude mcp add -e": f"claude mcp add acme -e ACME_API_KEY={secret} -- npx -y acme-mcp",
        "claude mcp add --header": ("claude mcp add --transport http acme https://mcp.acme-tools.io/mcp "
                                    f"--header 'X-Api-Key: {secret}'"),
        "claude mcp add-json": f"claude mcp add-json acme '{one}'",
        "codex mcp add --env": f"codex mcp add acme --env ACME_API_KEY={secret} -- npx -y acme-mcp",
        "gemini mcp add -e": f"gemini mcp add acme npx acme-mcp -e ACME_API_KEY={secret}",
    }


@pytest.mark.parametrize("how", sorted(_added("x")))
def test_client_mcp_add_command_in_a_workflow_is_scanned(tmp_path: Path, gh: FakeGitHub, how: str) -> None:
    # The command writes the value into the client's config before the agent runs.
    secret = _opaque(7720)
    workflow = _HEAD + f"      - run: {_added(secret)[how]}\n"
    _blocked(_pr(tmp_path, gh, [{".github/workflows/agent.yml": workflow}]), secret)


def test_client_mcp_add_commands_with_references_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    one = json.dumps({"type": "http", "url": "https://mcp.acme-tools.io/mcp",
                      "headers": {"Authorization": "Bearer ${ACME_TOKEN}"}})
    steps = (
        '      - run: claude mcp add acme -e ACME_API_KEY="$ACME_API_KEY" -e ACME_REGION=eu-west-1 '
        "-- npx -y @acme/mcp-server-tools\n"
        "      - run: claude mcp add --transport http acme https://mcp.acme-tools.io/mcp "
        "--header 'Authorization: Bearer ${{ secrets.ACME_TOKEN }}'\n"
        f"      - run: claude mcp add-json acme '{one}'\n"
        "      - run: codex mcp add acme --env ACME_HOME=/opt/acme-tools/data -- npx -y acme-mcp\n"
    )
    _passed(_pr(tmp_path, gh, [{".github/workflows/agent.yml": _HEAD + steps}]))


def test_double_quoted_mcp_config_json_in_a_workflow_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    # `--mcp-config "{\"mcpServers\": …}"`: only the single-quoted form was read as JSON.
    secret = _opaque(7721)
    workflow = _HEAD + f"      - run: claude -p hi --mcp-config {json.dumps(_acme_json(secret))}\n"
    _blocked(_pr(tmp_path, gh, [{".github/workflows/agent.yml": workflow}]), secret)


def test_double_quoted_mcp_config_json_with_a_secret_reference_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    config = json.dumps(_acme_json("${{ secrets.ACME_API_KEY }}"))
    workflow = _HEAD + f"      - run: claude -p hi --mcp-config {config}\n"
    _passed(_pr(tmp_path, gh, [{".github/workflows/agent.yml": workflow}]))


def test_words_of_a_line_with_many_redirects_are_read_once() -> None:
    # Each redirect re-read the whole line before it: 5,000 redirects gave 12.5 million values.
    from scanner.clients import runlines

    text = "      - run: echo " + "a" * 20 + " > .mcp.json" + (" " + "b" * 20 + " > .mcp.json") * 4999 + "\n"
    values = list(runlines.written_words("w.yml", text, [0, len(text)], lambda target: True))
    assert len(values) == 5000
    assert [v.location.column for v in values[:2]] == [19, 19 + 20 + 13]
