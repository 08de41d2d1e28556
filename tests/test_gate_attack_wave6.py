"""Red-team regressions (wave 6): a `.env` file a client loads by itself (no config names it), a
token split over shell variables of a `sh -c` launcher, and a value too long for the full analysis.
Each drives the Action against the contract-checked fake GitHub; every secret is built at run time."""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path

import pytest

from tests.gh.action_helpers import Files, no_piece, pat
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import opaque as _opaque
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub

# --- 1. a `.env` file the client loads from the project folder by itself ---------------------------

_GEMINI = json.dumps({"mcpServers": {"github": {
    "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
    "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "$GITHUB_PERSONAL_ACCESS_TOKEN"}}}}, indent=2) + "\n"
_COMPOSE = ("services:\n  github:\n    image: ghcr.io/github/github-mcp-server\n    environment:\n"
            "      GITHUB_PERSONAL_ACCESS_TOKEN: ${GITHUB_PERSONAL_ACCESS_TOKEN}\n")
_LIBRECHAT = ("version: 1.2.1\nmcpServers:\n  github:\n    type: streamable-http\n"
              "    url: https://api.githubcopilot.com/mcp/\n    headers:\n"
              "      Authorization: Bearer ${GITHUB_PAT}\n")
_CONTINUE = ("name: gh\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: github\n    command: npx\n"
             "    args: [-y, '@modelcontextprotocol/server-github']\n    env:\n"
             "      GITHUB_PERSONAL_ACCESS_TOKEN: ${{ secrets.GITHUB_PERSONAL_ACCESS_TOKEN }}\n")

# (config path, config text, the `.env` the client loads, the variable it reads)
IMPLICIT = {
    # Gemini CLI (and its forks) load `.env` from the folder they run in, then from each parent.
    "gemini": (".gemini/settings.json", _GEMINI, ".env", "GITHUB_PERSONAL_ACCESS_TOKEN"),
    "gemini in a subproject, .env above": ("apps/web/.gemini/settings.json", _GEMINI, ".env",
                                           "GITHUB_PERSONAL_ACCESS_TOKEN"),
    "qwen": (".qwen/settings.json", _GEMINI, ".env", "GITHUB_PERSONAL_ACCESS_TOKEN"),
    # docker compose interpolates `${VAR}` from the `.env` of the project folder (the file's own).
    "compose": ("deploy/compose.yaml", _COMPOSE, "deploy/.env", "GITHUB_PERSONAL_ACCESS_TOKEN"),
    # LibreChat reads `${VAR}` in librechat.yaml from the `.env` next to it.
    "librechat": ("librechat.yaml", _LIBRECHAT, ".env", "GITHUB_PAT"),
    # Continue's `${{ secrets.NAME }}` come from `.continue/.env` or the workspace's `.env`.
    "continue": (".continue/mcpServers/github.yaml", _CONTINUE, ".env", "GITHUB_PERSONAL_ACCESS_TOKEN"),
}


@pytest.mark.parametrize("client", sorted(IMPLICIT))
def test_dotenv_a_client_loads_by_itself_is_scanned(tmp_path: Path, gh: FakeGitHub, client: str) -> None:
    config, text, dotenv, name = IMPLICIT[client]
    secret = pat(6101)
    _blocked(_pr(tmp_path, gh, [{config: text, dotenv: f"{name}={secret}\n"}]), secret)


@pytest.mark.parametrize("client", ["gemini", "compose", "librechat"])
def test_dotenv_a_client_loads_by_itself_changed_alone_is_scanned(
        tmp_path: Path, gh: FakeGitHub, client: str) -> None:
    # No config names the file, so it was "no MCP config changed" without a scan.
    config, text, dotenv, name = IMPLICIT[client]
    secret = pat(6102)
    base: Files = {"README.md": "hi\n", config: text}
    _blocked(_pr(tmp_path, gh, [{dotenv: f"{name}={secret}\n"}], base=base), secret)


def test_dotenv_a_client_loads_added_then_removed_is_found_in_history(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(6103)
    base: Files = {"README.md": "hi\n", ".gemini/settings.json": _GEMINI}
    commits: list[Files] = [{".env": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"}, {".env": None}]
    _blocked(_pr(tmp_path, gh, commits, base=base), secret)


def test_dotenv_next_to_no_client_or_without_secrets_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(6104)
    files: Files = {
        # a `.env` in a folder no loading client runs from: not this gate's file
        "services/api/.env": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n",
        # a loading client's `.env` with nothing secret in it
        ".gemini/settings.json": _GEMINI,
        ".env": "NODE_ENV=development\nPORT=3000\nGITHUB_PERSONAL_ACCESS_TOKEN=\n",
    }
    _passed(_pr(tmp_path, gh, [files]))


# --- 2. a token split over the variables of a `sh -c` launcher ----------------------------------------

_GITHUB_SERVER = "exec npx -y @modelcontextprotocol/server-github"


def _shell(script: str, env: dict[str, str] | None = None) -> str:
    entry: dict[str, object] = {"command": "sh", "args": ["-c", script]}
    if env:
        entry["env"] = env
    return json.dumps({"mcpServers": {"github": entry}}, indent=2) + "\n"


def _pieces(secret: str, size: int = 10) -> list[str]:
    return [secret[i:i + size] for i in range(0, len(secret), size)]


def _split_launchers(secret: str, name: str) -> dict[str, str]:
    parts = _pieces(secret)
    names = [f"P{i}" for i in range(len(parts))]
    assigns = " ".join(f"{n}={p}" for n, p in zip(names, parts, strict=True))
    exports = " && ".join(f"export {n}='{p}'" for n, p in zip(names, parts, strict=True))
    joined = "".join(f"${n}" for n in names)
    braced = "".join(f"${{{n}}}" for n in names)
    return {
        "inline assignments": _shell(f"{assigns}; {name}={joined} {_GITHUB_SERVER}"),
        "exported, quoted, braced": _shell(f"{exports} && export {name}=\"{braced}\" && {_GITHUB_SERVER}"),
        "the entry's env": _shell(f"{name}={joined} {_GITHUB_SERVER}", dict(zip(names, parts, strict=True))),
        "a flag's value": _shell(f"{assigns}; exec npx -y acme-mcp --api-key={joined}"),
    }


@pytest.mark.parametrize("how", sorted(_split_launchers("x" * 40, "X")))
@pytest.mark.parametrize("kind", ["github pat", "opaque key"])
def test_token_split_over_shell_variables_is_joined(
        tmp_path: Path, gh: FakeGitHub, how: str, kind: str) -> None:
    # The shell joins the pieces before the server starts; no piece alone looks like a credential.
    github = kind == "github pat"
    secret = pat(6201) if github else _opaque(6202)
    name = "GITHUB_PERSONAL_ACCESS_TOKEN" if github else "ACME_API_KEY"
    _blocked(_pr(tmp_path, gh, [{".mcp.json": _split_launchers(secret, name)[how]}]), secret)


def test_shell_variables_joined_into_paths_and_urls_stay_quiet(tmp_path: Path, gh: FakeGitHub) -> None:
    script = ("BASE=/opt/acme; HOST=api.acme-tools.io; VER=v2; export PATH=$BASE/bin:$PATH; "
              "ACME_URL=https://$HOST/$VER ACME_HOME=${BASE}/home ACME_TOKEN=$ACME_TOKEN "
              "exec acme-mcp --stdio")
    _passed(_pr(tmp_path, gh, [{".mcp.json": _shell(script, {"REGION": "eu-west-1", "TIER": "free"})}]))


# --- 3. a value too long for the full analysis ---------------------------------------------------------

_LONG = 210_000  # past the full analysis' 200,000 characters (engines/longvalue.MAX_TEXT)


def _error(outcome: tuple[int, list[str], str], *secrets: str) -> str:
    code, posted, output = outcome
    assert (code, posted) == (2, ["error"]), output[-2000:]
    for secret in secrets:
        no_piece(output, secret)
    return output


LONG_VALUES = {
    # The shell runs `export KEY=…; exec npx …` and skips the comment: a working launcher.
    "sh -c script with a long comment": lambda s: _shell(f"export ACME_API_KEY={s}; exec npx -y acme-mcp # "
                                                         + "a" * _LONG),
    # smithery-style base64 JSON config whose other field pads it past the limit
    "base64 JSON config": lambda s: json.dumps({"mcpServers": {"acme": {"command": "npx", "args": [
        "-y", "acme-mcp", "--config", base64.b64encode(json.dumps(
            {"apiKey": s, "notes": "n" * _LONG}).encode()).decode()]}}}),
}


@pytest.mark.parametrize("shape", sorted(LONG_VALUES))
def test_value_only_partly_searched_is_an_incomplete_scan(tmp_path: Path, gh: FakeGitHub, shape: str) -> None:
    # Only token shapes and URI passwords were searched past 200,000 characters, with a warning:
    # an opaque key in it passed the gate.
    secret = _opaque(6301)
    output = _error(_pr(tmp_path, gh, [{".mcp.json": LONG_VALUES[shape](secret)}]), secret)
    assert "not fully searched" in output


def test_long_binary_data_values_are_searched_for_shapes_and_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    blob = base64.b64encode(random.Random(6302).randbytes(_LONG)).decode()
    cert = "-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(random.Random(6303).randbytes(900)).decode()
    bundle = (cert + "-----END CERTIFICATE-----\n") * (_LONG // len(cert) + 1)
    entry = {"command": "npx", "args": ["-y", "acme-mcp"], "env": {"CA_BUNDLE": blob, "EXTRA_CERTS": bundle}}
    _passed(_pr(tmp_path, gh, [{".mcp.json": json.dumps({"mcpServers": {"acme": entry}})}]))


# --- 4. a command substitution that prints a literal ----------------------------------------------------


def _crush(headers: dict[str, str]) -> str:
    return json.dumps({"mcp": {"acme": {"type": "http", "url": "https://mcp.acme-tools.io/mcp",
                                        "headers": headers}}})


def _substituted(secret: str) -> dict[str, str]:
    encoded = base64.b64encode(secret.encode()).decode()
    decode = f"$(printf '%s' '{encoded}' | base64 --decode)"
    return {
        # Crush resolves `$(…)` in its config values, as the shell does.
        "crush header": _crush({"Authorization": f"Bearer $(echo {secret})"}),
        "backticks": _crush({"X-Api-Key": f"`printf %s {secret}`"}),
        "base64 -d in sh -c": _shell(f"ACME_API_KEY=$(echo {encoded} | base64 -d) exec npx -y acme-mcp"),
        "base64 --decode, quoted": _shell(f"export ACME_API_KEY=\"{decode}\"; exec npx -y acme-mcp"),
    }


@pytest.mark.parametrize("how", sorted(_substituted("x")))
def test_command_substitution_printing_a_literal_is_that_literal(
        tmp_path: Path, gh: FakeGitHub, how: str) -> None:
    secret = _opaque(6401)
    name = "crush.json" if how in ("crush header", "backticks") else ".mcp.json"
    _blocked(_pr(tmp_path, gh, [{name: _substituted(secret)[how]}]), secret)


def test_command_substitutions_that_fetch_or_compute_stay_quiet(tmp_path: Path, gh: FakeGitHub) -> None:
    headers = {"Authorization": "Bearer $(echo $ACME_TOKEN)", "X-Api-Key": "$(op read op://dev/acme/key)",
               "X-Request-Time": "$(date +%s)", "X-Client": "$(echo acme-mcp-client | tr a-z A-Z)"}
    crush = _crush(headers)
    script = "ACME_HOME=$(pwd)/data ACME_USER=$(echo dev | base64 -d 2>/dev/null || echo dev) exec acme-mcp"
    _passed(_pr(tmp_path, gh, [{"crush.json": crush, ".mcp.json": _shell(script)}]))


# --- 5. a workflow's `--mcp-config <file>` (a run: step, claude-code-action v1 `claude_args`) -----------

_AGENT_SERVERS = "tools/agent-servers.json"


def _agent_workflow(how: str) -> str:
    head = "on: pull_request\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n"
    if how == "run step":
        return head + f"      - run: claude -p 'review this change' --mcp-config {_AGENT_SERVERS}\n"
    if how == "run step, = form, second file":
        return head + ("      - run: |\n"
                       f"          claude -p review --mcp-config=./base.json '{_AGENT_SERVERS}'\n")
    return (head + "      - uses: anthropics/claude-code-action@v1\n        with:\n"
            f"          claude_args: --max-turns 5 --mcp-config {_AGENT_SERVERS}\n")


def _servers_file(value: str) -> str:
    return json.dumps({"mcpServers": {"acme": {"command": "npx", "args": ["-y", "acme-mcp"],
                                                "env": {"ACME_API_KEY": value}}}}, indent=2) + "\n"


@pytest.mark.parametrize("how", ["run step", "run step, = form, second file", "claude_args input"])
def test_workflow_mcp_config_flag_naming_a_file_reads_that_file(
        tmp_path: Path, gh: FakeGitHub, how: str) -> None:
    secret = _opaque(6501)
    files: Files = {".github/workflows/agent.yml": _agent_workflow(how),
                    _AGENT_SERVERS: _servers_file(secret), "base.json": _servers_file("${ACME_API_KEY}")}
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_file_a_workflow_mcp_config_flag_names_changed_alone_is_scanned(
        tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(6502)
    base: Files = {".github/workflows/agent.yml": _agent_workflow("claude_args input"),
                   _AGENT_SERVERS: _servers_file("${ACME_API_KEY}")}
    _blocked(_pr(tmp_path, gh, [{_AGENT_SERVERS: _servers_file(secret)}], base=base), secret)


def test_files_a_workflow_mcp_config_flag_names_without_secrets_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    files: Files = {".github/workflows/agent.yml": _agent_workflow("run step, = form, second file"),
                    _AGENT_SERVERS: _servers_file("${ACME_API_KEY}"), "base.json": _servers_file("${{ X }}")}
    _passed(_pr(tmp_path, gh, [files]))


# --- 6. the environment a dev container gives the MCP servers its devcontainer.json declares ------------

_DEVCONTAINER_MCP = {"servers": {"acme": {"command": "npx", "args": ["-y", "acme-mcp"]}}}


def _devcontainer(**extra: object) -> str:
    return json.dumps({"name": "dev", "image": "mcr.microsoft.com/devcontainers/typescript-node",
                       **extra, "customizations": {"vscode": {"mcp": _DEVCONTAINER_MCP}}}, indent=2) + "\n"


@pytest.mark.parametrize("where", ["containerEnv", "remoteEnv", "runArgs --env-file"])
def test_dev_container_env_of_its_mcp_servers_is_scanned(tmp_path: Path, gh: FakeGitHub, where: str) -> None:
    # VS Code starts the servers inside the container: they inherit its environment.
    secret = _opaque(6601)
    if where == "runArgs --env-file":
        files: Files = {".devcontainer/devcontainer.json": _devcontainer(
            runArgs=["--init", "--env-file", ".devcontainer/devcontainer.env"]),
            ".devcontainer/devcontainer.env": f"ACME_API_KEY={secret}\n"}
    else:
        files = {".devcontainer/devcontainer.json": _devcontainer(**{where: {"ACME_API_KEY": secret}})}
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_dev_container_env_without_secrets_or_without_mcp_servers_passes(
        tmp_path: Path, gh: FakeGitHub) -> None:
    # `${localEnv:NAME}` / `${containerEnv:NAME}`: the dev container tooling's own references.
    env = {"NODE_ENV": "development", "ACME_API_KEY": "${localEnv:ACME_API_KEY}",
           "PATH": "${containerEnv:PATH}"}
    no_mcp = {"name": "dev", "image": "x", "containerEnv": {"ACME_API_KEY": _opaque(6602)}}
    files: Files = {".devcontainer/devcontainer.json": _devcontainer(containerEnv=env, remoteEnv=env),
                    "tools/.devcontainer/devcontainer.json": json.dumps(no_mcp)}
    _passed(_pr(tmp_path, gh, [files]))


# --- 7. run-gemini-cli's `settings` input (written to .gemini/settings.json) ----------------------------


def _gemini_workflow(settings: str, name: str = "settings") -> str:
    body = "".join(f"            {line}\n" for line in settings.splitlines())
    return ("on: pull_request\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: google-github-actions/run-gemini-cli@v0\n        with:\n"
            f"          gemini_api_key: ${{{{ secrets.GEMINI_API_KEY }}}}\n          {name}: |-\n{body}")


def _gemini_settings(value: str) -> str:
    return json.dumps({"maxSessionTurns": 25, "mcpServers": {"acme": {
        "command": "npx", "args": ["-y", "acme-mcp"], "env": {"ACME_API_KEY": value}}}}, indent=2)


@pytest.mark.parametrize("name", ["settings", "settings_json"])
def test_gemini_action_settings_input_is_scanned(tmp_path: Path, gh: FakeGitHub, name: str) -> None:
    secret = _opaque(6701)
    workflow = _gemini_workflow(_gemini_settings(secret), name)
    _blocked(_pr(tmp_path, gh, [{".github/workflows/gemini-review.yml": workflow}]), secret)


def test_gemini_action_settings_with_references_and_other_settings_inputs_pass(
        tmp_path: Path, gh: FakeGitHub) -> None:
    other = ("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: acme/lint@v1\n"
             "        with:\n          settings: |\n"
             "            {\"rules\": {\"max-len\": 120}, \"token\": \"abc\"}\n      - run: echo mcp\n")
    review = _gemini_workflow(_gemini_settings("${ACME_API_KEY}"))
    files: Files = {".github/workflows/lint.yml": other, ".github/workflows/gemini-review.yml": review}
    _passed(_pr(tmp_path, gh, [files]))


# --- 8. dotenv lines as the loaders of Node and VS Code read them --------------------------------------

_VSCODE_ENVFILE = json.dumps({"servers": {"acme": {"command": "npx", "args": ["-y", "acme-mcp"],
                                                   "envFile": "${workspaceFolder}/.env.mcp"}}}) + "\n"
# VS Code's envFile reader and the `dotenv` package: `KEY: value` (VS Code: the first `=` or `:`),
# backtick quotes, and `\r` line breaks (they normalise `\r\n?` to `\n`).
DOTENV_DIALECT = {
    "colon separator": lambda s: f"ACME_REGION: eu-west-1\nACME_API_KEY: {s}\n",
    "colon, no blank": lambda s: f"ACME_API_KEY:{s}\n",
    "backtick quotes": lambda s: f"ACME_API_KEY=`{s}`\n",
    "carriage returns only": lambda s: f"ACME_REGION=eu-west-1\rACME_API_KEY={s}\rACME_TIER=free\r",
    "multi-line backtick value": lambda s: f"ACME_NOTE=`line one\nline two`\nACME_API_KEY={s}\n",
}


@pytest.mark.parametrize("dialect", sorted(DOTENV_DIALECT))
def test_dotenv_dialects_of_node_loaders_are_read(tmp_path: Path, gh: FakeGitHub, dialect: str) -> None:
    secret = _opaque(6801)
    files: Files = {".vscode/mcp.json": _VSCODE_ENVFILE, ".env.mcp": DOTENV_DIALECT[dialect](secret)}
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_dotenv_dialect_values_without_secrets_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    body = "ACME_REGION: eu-west-1\rACME_API_KEY=\rACME_URL=`https://api.acme-tools.io`\nNOTE: see README\n"
    _passed(_pr(tmp_path, gh, [{".vscode/mcp.json": _VSCODE_ENVFILE, ".env.mcp": body}]))


# --- 9. commands Claude Code runs from its settings: hooks and the status line -------------------------


def _claude_commands(command: str) -> dict[str, str]:
    hook = {"type": "command", "command": command}
    return {
        "hook": json.dumps({"hooks": {"PostToolUse": [{"matcher": "Edit|Write", "hooks": [hook]}]}}),
        "status line": json.dumps({"statusLine": {"type": "command", "command": command}}),
    }


HOOK_COMMANDS = {
    "curl header": lambda s: f"curl -s -H 'X-Api-Key: {s}' https://hooks.acme-tools.io/notify",
    "assignment": lambda s: f"ACME_API_KEY={s} acme-notify --event edit",
    "positional": lambda s: f"acme-notify {s}",
}


@pytest.mark.parametrize("where", ["hook", "status line"])
@pytest.mark.parametrize("shape", sorted(HOOK_COMMANDS))
def test_key_in_a_command_claude_code_runs_is_a_secret(
        tmp_path: Path, gh: FakeGitHub, where: str, shape: str) -> None:
    secret = _opaque(6901)
    text = _claude_commands(HOOK_COMMANDS[shape](secret))[where]
    _blocked(_pr(tmp_path, gh, [{".claude/settings.json": text}]), secret)


def test_commands_claude_code_runs_without_keys_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    hook = {"type": "command", "command": "npx prettier --write \"$CLAUDE_FILE_PATHS\" && git diff --stat"}
    status = {"type": "command", "command": "~/.claude/statusline.sh --theme dark 3f2c1b9"}
    settings = {"hooks": {"PostToolUse": [{"matcher": "Edit", "hooks": [hook]}]}, "statusLine": status}
    _passed(_pr(tmp_path, gh, [{".claude/settings.json": json.dumps(settings)}]))


# --- 10. smithery.yaml's commandFunction (JavaScript the Smithery CLI runs to start the server) ---------


def _smithery(function: str) -> str:
    body = "".join(f"    {line}\n" for line in function.splitlines())
    return ("startCommand:\n  type: stdio\n  configSchema:\n    type: object\n    properties:\n"
            "      apiKey:\n        type: string\n  commandFunction: |-\n" + body)


def test_key_written_in_a_smithery_command_function_is_a_secret(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(7001)
    function = ("(config) => ({\n  command: 'node',\n  args: ['dist/index.js'],\n"
                f"  env: {{ ACME_API_KEY: config.apiKey || '{secret}', ACME_REGION: \"eu\" }}\n}})")
    _blocked(_pr(tmp_path, gh, [{"smithery.yaml": _smithery(function)}]), secret)


def test_smithery_command_function_reading_its_config_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    function = ("(config) => ({\n  command: 'node',\n  args: ['dist/index.js', '--region', 'eu-west-1'],\n"
                "  env: { ACME_API_KEY: config.apiKey, ACME_MODE: \"production\",\n"
                "         NODE_OPTIONS: '--max-old-space-size=4096', ACME_SECRET_NAME: 'acme/prod/key' }\n})")
    _passed(_pr(tmp_path, gh, [{"smithery.yaml": _smithery(function)}]))


# --- 11. a config that does not parse, its value on the line after its key -----------------------------


def test_value_on_the_line_after_its_key_in_an_unparsable_config_keeps_the_key(
        tmp_path: Path, gh: FakeGitHub) -> None:
    # VS Code reads .vscode/mcp.json with its fault-tolerant JSONC parser: a missing closing brace
    # still gives the server its env. The gate searched the file line by line and read the value
    # under no name.
    secret = _opaque(7101)
    text = ('{\n  "servers": {\n    "acme": {\n      "command": "npx",\n      "env": {\n'
            f'        "ACME_API_KEY":\n          "{secret}"\n      }}\n    }}\n  }}\n')
    _blocked(_pr(tmp_path, gh, [{".vscode/mcp.json": text}]), secret)


def test_items_on_lines_after_a_list_key_in_an_unparsable_config_stay_quiet(
        tmp_path: Path, gh: FakeGitHub) -> None:
    text = ('{\n  "servers": {\n    "acme": {\n      "command": "npx",\n      "args":\n'
            '        ["-y", "@acme/mcp-server-tools"],\n      "env": {\n        "ACME_REGION":\n'
            '          "eu-west-1"\n      }\n    }\n  }\n')
    _passed(_pr(tmp_path, gh, [{".vscode/mcp.json": text}]))


MOVED = {
    "header from the entry's env": ("exec npx -y mcp-remote https://mcp.acme-tools.io/mcp "
                                    '--header "X-Api-Key: $K"', True),
    "assigned, then renamed": ("K={s}; ACME_API_KEY=$K exec npx -y acme-mcp", False),
    "exported from the entry's env": ('export ACME_API_KEY="$V"; exec acme-mcp', True),
}


@pytest.mark.parametrize("how", sorted(MOVED))
def test_token_moved_through_a_variable_of_no_telling_name_is_found(
        tmp_path: Path, gh: FakeGitHub, how: str) -> None:
    # `K` / `V` say nothing, so the value was judged under no credential name anywhere.
    secret = _opaque(6203)
    script, from_env = MOVED[how]
    text = _shell(script, {"K": secret, "V": secret}) if from_env else _shell(script.format(s=secret))
    _blocked(_pr(tmp_path, gh, [{".mcp.json": text}]), secret)


# --- 12. a PowerShell launcher's `$env:NAME = value` ----------------------------------------------------


@pytest.mark.parametrize("assignment", ["$env:ACME_API_KEY='{s}'", '$env:ACME_API_KEY = "{s}"',
                                        "$Env:ACME_API_KEY=\"{s}\""])
def test_powershell_env_assignment_is_a_named_value(tmp_path: Path, gh: FakeGitHub, assignment: str) -> None:
    secret = _opaque(7201)
    script = assignment.format(s=secret) + "; npx -y acme-mcp"
    entry = {"command": "powershell", "args": ["-NoProfile", "-Command", script]}
    _blocked(_pr(tmp_path, gh, [{".mcp.json": json.dumps({"mcpServers": {"acme": entry}})}]), secret)


def test_powershell_env_assignments_of_references_and_settings_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    script = ("$env:ACME_API_KEY = [Environment]::GetEnvironmentVariable('ACME_API_KEY', 'User'); "
              "$env:ACME_REGION='eu-west-1'; $env:NODE_OPTIONS = '--max-old-space-size=4096'; "
              "npx -y acme-mcp")
    entry = {"command": "pwsh", "args": ["-Command", script]}
    _passed(_pr(tmp_path, gh, [{".mcp.json": json.dumps({"mcpServers": {"acme": entry}})}]))


# --- 13. dotenv files a launcher loads in other ways -------------------------------------------------------

_AGENT_ENV = "conf/agent.env"


def _sh(script: str, shell: str = "sh") -> dict[str, object]:
    return {"command": shell, "args": ["-c", script]}


LOADED = {
    "uv's UV_ENV_FILE": {"command": "uv", "args": ["run", "server.py"], "env": {"UV_ENV_FILE": _AGENT_ENV}},
    "dotenv preload argument": {"command": "node", "args": ["-r", "dotenv/config", "server.js",
                                                            f"dotenv_config_path={_AGENT_ENV}"]},
    "dotenv preload variable": {"command": "node", "args": ["-r", "dotenv/config", "server.js"],
                                "env": {"DOTENV_CONFIG_PATH": _AGENT_ENV}},
    "NODE_OPTIONS --env-file": {"command": "node", "args": ["server.js"],
                                "env": {"NODE_OPTIONS": f"--no-warnings --env-file={_AGENT_ENV}"}},
    "sh: set -a; . file": _sh(f"set -a; . ./{_AGENT_ENV}; set +a; exec npx -y acme-mcp"),
    "bash: source file": _sh(f"source {_AGENT_ENV} && exec npx -y acme-mcp", "bash"),
    "export $(cat file)": _sh(f"export $(cat {_AGENT_ENV} | xargs) && exec acme-mcp"),
}


@pytest.mark.parametrize("how", sorted(LOADED))
def test_dotenv_file_a_launcher_loads_is_scanned(tmp_path: Path, gh: FakeGitHub, how: str) -> None:
    secret = _opaque(7301)
    files: Files = {".mcp.json": json.dumps({"mcpServers": {"acme": LOADED[how]}}),
                    _AGENT_ENV: f"ACME_API_KEY={secret}\n"}
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_dotenv_file_a_launcher_sources_changed_alone_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(7302)
    base: Files = {".mcp.json": json.dumps({"mcpServers": {"acme": LOADED["bash: source file"]}}),
                   _AGENT_ENV: "ACME_API_KEY=\n"}
    _blocked(_pr(tmp_path, gh, [{_AGENT_ENV: f"ACME_API_KEY={secret}\n"}], base=base), secret)


# --- 14. MCP JSON a workflow writes or passes in other ways ------------------------------------------------

_WORKFLOW_HEAD = "on: pull_request\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n"


def _inline_workflows(config: str) -> dict[str, str]:
    return {
        "echo > .mcp.json": _WORKFLOW_HEAD + f"      - run: echo '{config}' > .mcp.json && claude -p hi\n",
        "printf > file": _WORKFLOW_HEAD + f"      - run: printf '%s' '{config}' > ~/.cursor/mcp.json\n",
        "step env to --mcp-config": _WORKFLOW_HEAD + ("      - run: claude -p hi --mcp-config \"$MCP\"\n"
                                                       f"        env:\n          MCP: '{config}'\n"),
    }


@pytest.mark.parametrize("how", sorted(_inline_workflows("{}")))
def test_mcp_json_a_workflow_writes_or_passes_is_scanned(tmp_path: Path, gh: FakeGitHub, how: str) -> None:
    secret = _opaque(7401)
    config = json.dumps({"mcpServers": {"acme": {"command": "npx", "args": ["acme-mcp"],
                                                  "env": {"ACME_API_KEY": secret}}}})
    _blocked(_pr(tmp_path, gh, [{".github/workflows/agent.yml": _inline_workflows(config)[how]}]), secret)


def test_mcp_json_a_workflow_writes_with_references_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    config = json.dumps({"mcpServers": {"acme": {"command": "npx", "args": ["acme-mcp"],
                                                  "env": {"ACME_API_KEY": "${{ secrets.ACME_API_KEY }}"}}}})
    files: Files = {f".github/workflows/agent{i}.yml": text
                    for i, text in enumerate(_inline_workflows(config).values())}
    _passed(_pr(tmp_path, gh, [files]))
