"""Red-team regressions (wave 9): MCP hosts whose servers sit under a key of their own (LiteLLM's proxy
`mcp_servers`, OpenHands `[mcp]` / microagent `mcp_tools`, Spring AI `spring.ai.mcp.client`, docker
cagent `- type: mcp` toolsets) and a GitHub Agentic Workflow configuring its built-in MCP servers
(`tools:`, `engine:`) without `mcp-servers`. Each drives the Action against the contract-checked fake
GitHub; every secret is built at run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.clients.sections import names_mcp
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import opaque as _opaque
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.action_helpers import pat
from tests.gh.github_contract import FakeGitHub

# --- 1. hosts with an MCP section of their own layout ------------------------------------------------


def _litellm(value: str) -> str:
    return ("model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n"
            "mcp_servers:\n  acme:\n    url: https://mcp.acme.example/mcp\n    transport: http\n"
            f"    auth_type: bearer_token\n    auth_value: {value}\n")


def _openhands_toml(value: str) -> str:
    return ("[core]\nworkspace_base = './workspace'\n\n[mcp]\nstdio_servers = [\n"
            "  {name = 'acme', command = 'npx', args = ['-y', '@acme/mcp-server'], "
            f"env = {{ACME_API_KEY = '{value}'}}}},\n]\n")


def _microagent(value: str) -> str:
    return ("---\nname: acme\ntype: repo\nversion: 1.0.0\nagent: CodeActAgent\nmcp_tools:\n"
            "  stdio_servers:\n    - name: acme\n      command: npx\n      args: ['-y', '@acme/mcp-server']\n"
            f"      env:\n        ACME_API_KEY: {value}\n---\n")


def _spring(value: str) -> str:
    return ("spring:\n  application:\n    name: agent\n  ai:\n    mcp:\n      client:\n        stdio:\n"
            "          connections:\n            acme:\n              command: npx\n"
            "              args: ['-y', '@acme/mcp-server']\n              env:\n"
            f"                ACME_API_KEY: {value}\n")


def _cagent(value: str) -> str:
    return ("agents:\n  root:\n    model: openai/gpt-4o\n    instruction: help\n    toolsets:\n"
            "      - type: filesystem\n      - type: mcp\n        command: npx\n"
            f"        args: ['-y', '@acme/mcp-server']\n        env:\n          ACME_API_KEY: {value}\n")


_HOSTS = {
    "litellm proxy mcp_servers": ("litellm/config.yaml", _litellm),
    "openhands config.toml [mcp]": ("config.toml", _openhands_toml),
    "openhands microagent mcp_tools": (".openhands/microagents/acme.md", _microagent),
    "openhands skill mcp_tools": (".agents/skills/acme/SKILL.md", _microagent),
    "spring ai mcp client": ("src/main/resources/application.yml", _spring),
    "cagent mcp toolset": ("agents/root.yaml", _cagent),
}


@pytest.mark.parametrize("host", sorted(_HOSTS))
def test_secret_in_an_mcp_section_of_a_hosts_own_layout_is_found(tmp_path: Path, gh: FakeGitHub,
                                                                 host: str) -> None:
    path, render = _HOSTS[host]
    secret = _opaque(9101)
    _blocked(_pr(tmp_path, gh, [{path: render(secret)}]), secret)


def test_provider_token_in_a_litellm_mcp_server_is_found(tmp_path: Path, gh: FakeGitHub) -> None:
    token = pat(9102)
    _blocked(_pr(tmp_path, gh, [{"proxy_config.yaml": _litellm(token)}]), token)


def test_mcp_sections_with_references_and_lookalike_keys_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    # The same layouts reading their secrets from the environment, and files whose keys only hold
    # `mcp` inside a word, or whose secrets sit outside any MCP section, are no MCP config leak.
    files = {path: render("os.environ/ACME_API_KEY" if "litellm" in path else "${ACME_API_KEY}")
             for path, render in _HOSTS.values()}
    files["mcphub/settings.yaml"] = f"mcphub:\n  servers: 3\n  session: {_opaque(9103)}\n"
    files["app/config.yaml"] = (f"mcp:\n  enabled: true\n  model: gpt-4o\ndatabase:\n"
                                f"  password: {_opaque(9104)}\n")
    files[".openhands/skills/style.md"] = "---\nname: style\ntriggers: [lint]\n---\nUse ruff.\n"
    _passed(_pr(tmp_path, gh, [files]))


def test_mcp_as_a_word_of_a_key() -> None:
    assert all(names_mcp(k) for k in ("mcp", "mcp_tools", "mcpServers", "MCPServers", "useMcp", "x-mcp"))
    assert not any(names_mcp(k) for k in ("mcphub", "smcp", "mcpo", "compact", "servers"))


# --- 2. a GitHub Agentic Workflow's built-in MCP servers (`tools:`, `engine:`) -------------------------

_AW_HEAD = "---\non:\n  issues:\n    types: [opened]\npermissions:\n  contents: read\n"


@pytest.mark.parametrize("where", ["tools.github.github-token", "engine.env"])
def test_secret_in_an_agentic_workflows_builtin_servers_is_found(tmp_path: Path, gh: FakeGitHub,
                                                                 where: str) -> None:
    token = pat(9110)
    front = {"tools.github.github-token": f"engine: copilot\ntools:\n  github:\n    github-token: {token}\n"
                                          "    toolsets: [repos, issues]\n",
             "engine.env": f"engine:\n  id: claude\n  env:\n    ACME_API_KEY: {token}\n"
                           "tools:\n  edit:\n"}[where]
    _blocked(_pr(tmp_path, gh, [{".github/workflows/triage.md": _AW_HEAD + front + "---\nTriage it.\n"}]),
             token)


def test_agentic_workflow_reading_secrets_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    front = ("engine:\n  id: claude\n  env:\n    ACME_REGION: eu-west-1\ntools:\n  github:\n"
             "    github-token: \"${{ secrets.GH_AW_GITHUB_TOKEN }}\"\n    toolsets: [repos, issues]\n"
             "  edit:\nsafe-outputs:\n  add-comment:\n")
    readme = "Agentic workflows: tools and engine docs.\n"
    _passed(_pr(tmp_path, gh, [{".github/workflows/triage.md": _AW_HEAD + front + "---\nTriage it.\n",
                                ".github/workflows/README.md": readme}]))



_SHARED = ".github/workflows/shared/mcp/acme.md"
_IMPORTS = _AW_HEAD + "engine: claude\nimports:\n  - shared/mcp/acme.md\n---\nTriage it.\n"


def _component(value: str) -> str:
    return (f"---\nmcp-servers:\n  acme:\n    command: npx\n    args: ['-y', '@acme/mcp-server']\n"
            f"    env:\n      ACME_API_KEY: {value}\n---\n")


def test_secret_in_a_component_an_agentic_workflow_imports_is_found(tmp_path: Path, gh: FakeGitHub) -> None:
    # gh-aw `imports:` paths are relative to the workflow: `.github/workflows/shared/**/*.md`.
    secret = _opaque(9111)
    _blocked(_pr(tmp_path, gh, [{".github/workflows/triage.md": _IMPORTS, _SHARED: _component(secret)}]),
             secret)


_IMPORTED = {"README.md": "hi\n", ".github/workflows/triage.md": _IMPORTS,
             _SHARED: _component("${{ secrets.ACME_API_KEY }}")}


def test_imported_component_changed_alone_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(9112)
    _blocked(_pr(tmp_path, gh, [{_SHARED: _component(secret)}], base=_IMPORTED), secret)


def test_imported_components_reading_secrets_and_notes_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    files = {".github/workflows/shared/notes.md": "# Notes\n\ntools: none\nengine: any\n",
             ".github/workflows/shared/mcp/docs.md": _component("${{ secrets.DOCS_KEY }}")}
    _passed(_pr(tmp_path, gh, [files], base=_IMPORTED))

# --- 3. files a launcher's command line loads (`--mcp-config <file>`, a dotenv loader) ----------------

_SERVERS = '{{"mcpServers": {{"acme": {{"command": "npx", "args": ["-y", "@acme/mcp-server"], ' \
           '"env": {{"ACME_API_KEY": "{value}"}}}}}}}}\n'
_IGNORED = {".mcp-guard.yml": "version: 1\nignore-paths:\n  - path: \"examples/**\"\n"
                              "    reason: sample configs with dummy values\n", "README.md": "hi\n"}
_LAUNCHERS = {
    "package.json script": ("package.json", '{{"name": "app", "scripts": {{"agent": "{line}"}}}}\n'),
    "shell script": ("scripts/agent.sh", "#!/bin/sh\nexec {line} \"$@\"\n"),
    "Makefile target": ("Makefile", "agent:\n\t{line}\n"),
}


def _launcher(kind: str, line: str) -> dict[str, str]:
    path, template = _LAUNCHERS[kind]
    return {path: template.format(line=line)}


@pytest.mark.parametrize("kind", sorted(_LAUNCHERS))
def test_file_a_launchers_mcp_config_flag_names_is_read(tmp_path: Path, gh: FakeGitHub, kind: str) -> None:
    # Claude Code loads the named file as an MCP config whatever its name; a base policy that ignores
    # the folder it sits in does not hide it (the launcher outside that folder loads it).
    secret = _opaque(9120)
    files = {**_launcher(kind, "claude -p hi --mcp-config examples/agent-servers"),
             "examples/agent-servers": _SERVERS.format(value=secret)}
    _blocked(_pr(tmp_path, gh, [files], base=_IGNORED), secret)


def test_file_a_launchers_mcp_config_flag_names_changed_alone_is_read(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(9121)
    base = {"README.md": "hi\n", **_launcher("package.json script", "claude --mcp-config ci/agent.cfg"),
            "ci/agent.cfg": _SERVERS.format(value="${ACME_API_KEY}")}
    _blocked(_pr(tmp_path, gh, [{"ci/agent.cfg": _SERVERS.format(value=secret)}], base=base), secret)


@pytest.mark.parametrize("loader", ["dotenv -e config/acme.vars --", "dotenvx run -f config/acme.vars --",
                                    "env-cmd -f config/acme.vars"])
def test_dotenv_file_a_launchers_loader_reads_is_scanned(tmp_path: Path, gh: FakeGitHub, loader: str) -> None:
    secret = _opaque(9122)
    files = {**_launcher("package.json script", f"{loader} npx -y @acme/mcp-server"),
             "config/acme.vars": f"ACME_API_KEY={secret}\n"}
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_dotenv_file_a_launchers_loader_reads_changed_alone_is_scanned(tmp_path: Path,
                                                                       gh: FakeGitHub) -> None:
    secret = _opaque(9123)
    base = {"README.md": "hi\n", "config/acme.vars": "ACME_API_KEY=\n",
            **_launcher("package.json script", "dotenv -e config/acme.vars -- npx -y @acme/mcp-server")}
    _blocked(_pr(tmp_path, gh, [{"config/acme.vars": f"ACME_API_KEY={secret}\n"}], base=base), secret)


def test_launcher_loaded_files_without_literals_and_non_mcp_loaders_pass(tmp_path: Path,
                                                                         gh: FakeGitHub) -> None:
    scripts = ('{"name": "app", "scripts": {"agent": "claude --mcp-config ci/agent.cfg", '
               '"mcp": "dotenv -e config/acme.vars -- npx -y @acme/mcp-server", '
               '"build": "dotenv -e config/build.vars -- node build.js"}}\n')
    files = {"package.json": scripts, "ci/agent.cfg": _SERVERS.format(value="${ACME_API_KEY}"),
             "config/acme.vars": "ACME_API_KEY=\nACME_REGION=eu-west-1\n",
             "config/build.vars": f"SENTRY_AUTH_TOKEN={_opaque(9124)}\n"}
    _passed(_pr(tmp_path, gh, [files]))


# --- 4. a directory plugin marketplace the project's Claude Code settings declare --------------------

_MARKET_DIR = "vendor/team-plugins"  # a folder the listing prunes: only the settings' reference reads it


def _team(value: str) -> dict[str, str]:
    source = {"source": "directory", "path": f"./{_MARKET_DIR}"}
    settings = {"extraKnownMarketplaces": {"team": {"source": source}}, "enabledPlugins": {"acme@team": True}}
    market = {"name": "team", "owner": {"name": "Team"}, "plugins": [{"name": "acme", "source": "./acme"}]}
    return {".claude/settings.json": json.dumps(settings, indent=2) + "\n",
            f"{_MARKET_DIR}/.claude-plugin/marketplace.json": json.dumps(market, indent=2) + "\n",
            f"{_MARKET_DIR}/acme/.mcp.json": _SERVERS.format(value=value)}


def test_plugin_of_a_directory_marketplace_the_settings_declare_is_scanned(tmp_path: Path,
                                                                           gh: FakeGitHub) -> None:
    secret = _opaque(9130)
    _blocked(_pr(tmp_path, gh, [_team(secret)]), secret)


def test_plugin_of_a_directory_marketplace_changed_alone_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(9131)
    base = {"README.md": "hi\n", **_team("${ACME_API_KEY}")}
    _blocked(_pr(tmp_path, gh, [{f"{_MARKET_DIR}/acme/.mcp.json": _SERVERS.format(value=secret)}], base=base),
             secret)


def test_directory_marketplace_with_references_and_remote_marketplaces_pass(tmp_path: Path,
                                                                           gh: FakeGitHub) -> None:
    files = _team("${ACME_API_KEY}")
    settings = json.loads(files[".claude/settings.json"])
    settings["extraKnownMarketplaces"]["remote"] = {"source": {"source": "github", "repo": "acme/plugins"}}
    files[".claude/settings.json"] = json.dumps(settings, indent=2) + "\n"
    _passed(_pr(tmp_path, gh, [files]))


# --- 5. Copilot CLI `--additional-mcp-config @<file>` --------------------------------------------------

_WORKFLOW = "on: pull_request\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n"


@pytest.mark.parametrize("form", ["@ci/agent.cfg", "@'ci/agent.cfg'", "=@ci/agent.cfg"])
def test_file_copilots_additional_mcp_config_names_is_read(tmp_path: Path, gh: FakeGitHub, form: str) -> None:
    secret = _opaque(9140)
    flag = f"--additional-mcp-config{form}" if form.startswith("=") else f"--additional-mcp-config {form}"
    files = {".github/workflows/agent.yml": _WORKFLOW + f"      - run: copilot -p review {flag}\n",
             "ci/agent.cfg": _SERVERS.format(value=secret)}
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_file_copilots_flag_in_a_launcher_names_changed_alone_is_read(tmp_path: Path,
                                                                      gh: FakeGitHub) -> None:
    secret = _opaque(9141)
    base = {"README.md": "hi\n", "ci/agent.cfg": _SERVERS.format(value="${ACME_API_KEY}"),
            **_launcher("package.json script", "copilot -p hi --additional-mcp-config @ci/agent.cfg")}
    _blocked(_pr(tmp_path, gh, [{"ci/agent.cfg": _SERVERS.format(value=secret)}], base=base), secret)


def test_copilot_flag_files_with_references_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    files = {".github/workflows/agent.yml": _WORKFLOW + "      - run: copilot -p hi --additional-mcp-config "
                                                        "@ci/agent.cfg\n",
             "ci/agent.cfg": _SERVERS.format(value="${ACME_API_KEY}")}
    _passed(_pr(tmp_path, gh, [files]))


# --- 6. Claude Code's `--settings <file>` and `--plugin-dir <dir>` --------------------------------------

_SETTINGS = '{{"env": {{"ACME_API_KEY": "{value}"}}, "permissions": {{"allow": ["Bash(npm test)"]}}}}\n'


@pytest.mark.parametrize("how", ["workflow run", "continued line", "claude_args input", "package.json"])
def test_settings_file_claudes_flag_names_is_searched(tmp_path: Path, gh: FakeGitHub, how: str) -> None:
    # The settings' `env` is the environment of every server the session starts.
    secret = _opaque(9150)
    flag = "--settings ci/agent-settings.json"
    wf = ".github/workflows/agent.yml"
    files = {"workflow run": {wf: _WORKFLOW + f"      - run: claude -p hi {flag}\n"},
             "continued line": {wf: _WORKFLOW + "      - run: |\n          claude -p hi \\\n"
                                                f"            {flag}\n"},
             "claude_args input": {wf: _WORKFLOW + "      - uses: anthropics/claude-code-action@v1\n"
                                                   f"        with:\n          claude_args: {flag}\n"},
             "package.json": _launcher("package.json script", f"claude {flag}")}[how]
    files["ci/agent-settings.json"] = _SETTINGS.format(value=secret)
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_plugin_folder_claudes_flag_names_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(9151)
    files = {**_launcher("shell script", "claude --plugin-dir ./vendor/acme-plugin"),
             "vendor/acme-plugin/.mcp.json": _SERVERS.format(value=secret)}
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_plugin_folder_claudes_flag_names_changed_alone_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(9152)
    base = {"README.md": "hi\n", **_launcher("Makefile target", "claude --plugin-dir vendor/acme-plugin"),
            "vendor/acme-plugin/.mcp.json": _SERVERS.format(value="${ACME_API_KEY}")}
    _blocked(_pr(tmp_path, gh, [{"vendor/acme-plugin/.mcp.json": _SERVERS.format(value=secret)}], base=base),
             secret)


def test_claude_flag_files_with_references_and_other_programs_settings_pass(tmp_path: Path,
                                                                           gh: FakeGitHub) -> None:
    steps = ("      - run: claude -p hi --settings ci/agent-settings.json --plugin-dir vendor/acme-plugin\n"
             "      - run: pytest --settings ci/test-settings.json\n")
    files = {".github/workflows/agent.yml": _WORKFLOW + steps,
             "ci/agent-settings.json": _SETTINGS.format(value="${ACME_API_KEY}"),
             "vendor/acme-plugin/.mcp.json": _SERVERS.format(value="${ACME_API_KEY}"),
             "ci/test-settings.json": _SETTINGS.format(value=_opaque(9153))}
    _passed(_pr(tmp_path, gh, [files]))


# --- 7. MCP tools' own config flags and Goose's `--with-extension` ------------------------------------

_TOOLS = {"inspector": "npx @modelcontextprotocol/inspector --config ci/tools.cfg --server acme",
          "mcpo": "uvx mcpo --port 8000 --config ci/tools.cfg",
          "mcp-proxy": "mcp-proxy --named-server-config ci/tools.cfg --port 8096"}


@pytest.mark.parametrize("tool", sorted(_TOOLS))
def test_file_an_mcp_tools_config_flag_names_is_read(tmp_path: Path, gh: FakeGitHub, tool: str) -> None:
    secret = _opaque(9160)
    files = {**_launcher("package.json script", _TOOLS[tool]), "ci/tools.cfg": _SERVERS.format(value=secret)}
    _blocked(_pr(tmp_path, gh, [files]), secret)


@pytest.mark.parametrize("where", ["workflow run", "shell script"])
def test_env_of_a_goose_with_extension_command_is_a_secret(tmp_path: Path, gh: FakeGitHub,
                                                            where: str) -> None:
    secret = _opaque(9161)
    line = f'goose run --with-extension "ACME_API_KEY={secret} npx -y @acme/mcp-server" -t hi'
    files = ({".github/workflows/agent.yml": _WORKFLOW + f"      - run: {line}\n"} if where == "workflow run"
             else _launcher("shell script", line))
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_tool_config_flags_of_other_programs_and_references_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    scripts = ('{"name": "app", "scripts": {"tools": "uvx mcpo --config ci/tools.cfg", '
               '"lint": "eslint --config ci/lint.cfg .", '
               '"agent": "goose run --with-extension '
               '\\"ACME_API_KEY=$ACME_API_KEY npx -y @acme/mcp-server\\""}}\n')
    files = {"package.json": scripts, "ci/tools.cfg": _SERVERS.format(value="${ACME_API_KEY}"),
             "ci/lint.cfg": _SERVERS.format(value=_opaque(9162))}
    _passed(_pr(tmp_path, gh, [files]))
