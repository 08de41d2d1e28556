"""Red-team regressions (wave 4): a PR's author gets a secret past the gate through a file a client
loads by itself, a path the gate could not resolve, or a field the gate took for a name. Each drives
the Action against the contract-checked fake GitHub (or the CLI), with every secret built at run time."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.fakes import fake_token
from tests.gh.action_helpers import (
    Files,
    Repo,
    everything,
    expect_run,
    git,
    pat,
    pr_payload,
    run,
    states,
)
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import github_servers as _servers
from tests.gh.action_helpers import opaque as _opaque
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub

# --- 1. files a client loads by itself: its dotenv and its credential stores ------------------------

GEMINI = _servers(env={"GITHUB_PERSONAL_ACCESS_TOKEN": "$GITHUB_PERSONAL_ACCESS_TOKEN"})
CONTINUE = ("name: a\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: github\n    command: npx\n"
            "    env:\n      GITHUB_PERSONAL_ACCESS_TOKEN: ${{ secrets.GH }}\n")


@pytest.mark.parametrize(("path", "config"), [
    (".gemini/.env", {".gemini/settings.json": GEMINI}),  # Gemini CLI expands $NAME from it
    (".qwen/.env", {}),
    (".continue/.env", {".continue/mcpServers/gh.yaml": CONTINUE}),  # ${{ secrets.GH }}
])
def test_dotenv_file_a_client_loads_is_scanned(tmp_path: Path, gh: FakeGitHub, path: str,
                                               config: Files) -> None:
    # main said "no MCP config changed": the client reads the file, the gate never looked at it.
    secret = pat(4001)
    env_name = "GH" if "continue" in path else "GITHUB_PERSONAL_ACCESS_TOKEN"
    _blocked(_pr(tmp_path, gh, [{**config, path: f"{env_name}={secret}\n"}]), secret)


def test_dotenv_file_a_client_loads_added_alone_to_a_configured_repo(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(4002)
    _blocked(_pr(tmp_path, gh, [{".gemini/.env": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"}],
                 base={".gemini/settings.json": GEMINI}), secret)


def test_symlinked_client_dotenv_is_read_as_its_target(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(4003)

    def link(repo: Repo) -> None:
        (repo.path / "docs").mkdir()
        (repo.path / "docs" / "notes.txt").write_text(f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n",
                                                      encoding="utf-8")
        (repo.path / ".gemini").mkdir()
        os.symlink("../docs/notes.txt", repo.path / ".gemini" / ".env")
        git(repo.path, "add", "-A")
        git(repo.path, "commit", "-q", "-m", "notes")

    _blocked(_pr(tmp_path, gh, [link]), secret)


def _credential_stores() -> list[tuple[str, str, str]]:
    oauth = fake_token("", 86, 4011, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
    openai = fake_token("sk-proj-", 48, 4012)
    return [
        (".codex/auth.json", json.dumps({"OPENAI_API_KEY": openai, "tokens": None}), openai),
        (".claude/.credentials.json", json.dumps({"claudeAiOauth": {
            "accessToken": "sk-ant-oat01-" + oauth, "expiresAt": 1}}), oauth),
        (".gemini/oauth_creds.json", json.dumps({"access_token": "ya29." + oauth, "token_type": "Bearer"}),
         oauth),
        (".mcp-auth/mcp-remote-0.1.29/0a1b2c_tokens.json", json.dumps(
            {"access_token": oauth, "token_type": "Bearer", "expires_in": 3600}), oauth),
        (".local/share/opencode/auth.json", json.dumps({"openai": {"type": "api", "key": openai}}), openai),
        (".config/goose/secrets.yaml", f"OPENAI_API_KEY: {openai}\n", openai),
    ]


@pytest.mark.parametrize("index", range(6))
def test_credential_store_a_client_writes_is_scanned(tmp_path: Path, gh: FakeGitHub, index: int) -> None:
    path, text, secret = _credential_stores()[index]
    _blocked(_pr(tmp_path, gh, [{path: text}]), secret)


def test_client_dotenv_with_empty_values_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    code, posted, _ = _pr(tmp_path, gh, [{".gemini/.env": "GEMINI_API_KEY=\nGITHUB_TOKEN=your-token-here\n",
                                          ".gemini/settings.json": GEMINI}])
    assert (code, posted) == (0, ["success"])


# --- 2. an envFile path the gate could not resolve, read by the client -----------------------------

@pytest.mark.parametrize("env_file", [
    "${workspaceFolder}/${env:MCPG_UNSET}secrets.txt",  # an unset variable expands to nothing
    "${workspaceFolder:web}/secrets.txt",  # the named root of a (one-folder) workspace
])
def test_env_file_path_with_a_variable_is_resolved_as_the_client_does(tmp_path: Path, gh: FakeGitHub,
                                                                      env_file: str) -> None:
    secret = pat(4021)
    config = _servers("servers", envFile=env_file)
    _blocked(_pr(tmp_path, gh, [{".vscode/mcp.json": config,
                                 "secrets.txt": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"}]), secret)


def test_env_file_behind_an_unset_variable_changed_alone_is_not_the_fast_path(tmp_path: Path,
                                                                              gh: FakeGitHub) -> None:
    secret = pat(4022)
    config = _servers("servers", envFile="${workspaceFolder}/${env:MCPG_UNSET}secrets.txt")
    _blocked(_pr(tmp_path, gh, [{"secrets.txt": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"}],
                 base={".vscode/mcp.json": config, "secrets.txt": "GITHUB_PERSONAL_ACCESS_TOKEN=\n"}), secret)


# --- 3. a token pasted where a variable NAME belongs ------------------------------------------------

@pytest.mark.parametrize("where", ["bearer_token_env_var", "env_vars", "env_http_headers", "env_keys",
                                   "envFile", "bearer opaque"])
def test_token_in_a_names_only_field_is_a_secret(tmp_path: Path, gh: FakeGitHub, where: str) -> None:
    secret = pat(4031)
    toml = '[mcp_servers.gh]\nurl = "https://mcp.example.com/mcp"\n'
    if where == "bearer_token_env_var":
        files: Files = {".codex/config.toml": toml + f'bearer_token_env_var = "{secret}"\n'}
    elif where == "bearer opaque":
        secret = _opaque(4032)
        files = {".codex/config.toml": toml + f'bearer_token_env_var = "{secret}"\n'}
    elif where == "env_vars":
        files = {".codex/config.toml": '[mcp_servers.gh]\ncommand = "npx"\n' + f'env_vars = ["{secret}"]\n'}
    elif where == "env_http_headers":
        files = {".codex/config.toml": toml + f'env_http_headers = {{ "X-Api-Key" = "{secret}" }}\n'}
    elif where == "env_keys":
        files = {".goose/config.yaml": "extensions:\n  gh:\n    type: stdio\n    cmd: npx\n"
                                       f"    enabled: true\n    env_keys:\n      - {secret}\n"}
    else:  # the token as the dotenv file's name: the gate printed the path, the value passed
        files = {".vscode/mcp.json": _servers("servers", envFile="${workspaceFolder}/" + secret + ".env")}
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_variable_names_in_names_only_fields_stay_quiet(tmp_path: Path, gh: FakeGitHub) -> None:
    toml = ('[mcp_servers.gh]\nurl = "https://mcp.example.com/mcp"\nbearer_token_env_var = "GITHUB_PAT"\n'
            'env_http_headers = { "X-Api-Key" = "ACME_API_KEY" }\n'
            '[mcp_servers.local]\ncommand = "npx"\nenv_vars = ["GITHUB_TOKEN", "PATH"]\n')
    code, posted, _ = _pr(tmp_path, gh, [{".codex/config.toml": toml}])
    assert (code, posted) == (0, ["success"])


# --- 4. VS Code prompt defaults and lookalike names -------------------------------------------------

@pytest.mark.parametrize("marked", ["password", "used under a credential name"])
def test_default_of_a_secret_prompt_is_the_secret(tmp_path: Path, gh: FakeGitHub, marked: str) -> None:
    # VS Code fills `${input:gh}` with the prompt's `default`: an opaque credential there was read
    # under the name `default` and passed.
    secret = _opaque(4041)
    prompt: dict[str, Any] = {"type": "promptString", "id": "gh", "description": "Token", "default": secret}
    if marked == "password":
        prompt["password"] = True
    config = {"inputs": [prompt], "servers": {"github": {
        "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
        "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${input:gh}"}}}}
    _blocked(_pr(tmp_path, gh, [{".vscode/mcp.json": json.dumps(config, indent=2)}]), secret)


def test_default_of_an_ordinary_prompt_stays_quiet(tmp_path: Path, gh: FakeGitHub) -> None:
    config = {"inputs": [{"type": "promptString", "id": "model", "default": "gpt-4o-mini-2024-07-18"}],
              "servers": {"ai": {"command": "npx", "args": ["-y", "acme-mcp"],
                                 "env": {"MODEL": "${input:model}"}}}}
    code, posted, _ = _pr(tmp_path, gh, [{".vscode/mcp.json": json.dumps(config, indent=2)}])
    assert (code, posted) == (0, ["success"])


@pytest.mark.parametrize("name", ["GITHUB_PERSONAL_ACCESS_T\u041eKEN",  # Cyrillic O
                                  "ACME_\uff34\uff2f\uff2b\uff25\uff2e"])  # fullwidth TOKEN
def test_credential_name_spelt_with_lookalike_letters_is_still_a_credential_name(
        tmp_path: Path, gh: FakeGitHub, name: str) -> None:
    secret = _opaque(4042)
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": _servers(env={name: secret})}]), secret)


# --- 5. chezmoi attribute prefixes (`private_` is chezmoi's advice for files with credentials) ------

@pytest.mark.parametrize("path", ["private_dot_codex/config.toml", "dot_codex/private_config.toml",
                                  "private_dot_codex/config.toml.tmpl"])
def test_chezmoi_private_codex_config_is_scanned(tmp_path: Path, gh: FakeGitHub, path: str) -> None:
    secret = pat(4051)
    text = f'[mcp_servers.gh]\ncommand = "npx"\nenv = {{ GITHUB_PERSONAL_ACCESS_TOKEN = "{secret}" }}\n'
    _blocked(_pr(tmp_path, gh, [{path: text}]), secret)


def test_chezmoi_private_user_files_are_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    first, second = pat(4052), pat(4053)
    claude = {"numStartups": 3, "mcpServers": {"gh": {"command": "npx",
                                                      "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": first}}}}
    zed = {"context_servers": {"gh": {"command": {"path": "npx",
                                                  "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": second}}}}}
    _blocked(_pr(tmp_path, gh, [{"private_dot_claude.json": json.dumps(claude),
                                 "dot_config/private_zed/settings.json": json.dumps(zed)}]), first, second)


# --- 6. a Claude Code plugin manifest's `mcpServers` path: the plugin's MCP config, any name -------

def _plugin(ref: str | list[str]) -> str:
    return json.dumps({"name": "acme", "version": "1.0.0", "mcpServers": ref}, indent=2) + "\n"


def _flat(env: dict[str, str]) -> str:
    return json.dumps({"gh": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
                              "env": env}}, indent=2) + "\n"


@pytest.mark.parametrize("ref", ["./config/servers.json", ["${CLAUDE_PLUGIN_ROOT}/config/servers.json"]])
def test_plugin_manifest_mcp_servers_file_is_scanned(tmp_path: Path, gh: FakeGitHub,
                                                     ref: str | list[str]) -> None:
    secret = _opaque(4061)
    _blocked(_pr(tmp_path, gh, [{"plugins/acme/.claude-plugin/plugin.json": _plugin(ref),
                                 "plugins/acme/config/servers.json": _flat({"API_KEY": secret})}]), secret)


def test_plugin_servers_file_changed_alone_then_reverted_is_found(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(4062)
    safe = _flat({"GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_PAT}"})
    _blocked(_pr(tmp_path, gh, [{"plugins/acme/tools.json": _flat({"GITHUB_PERSONAL_ACCESS_TOKEN": secret})},
                                {"plugins/acme/tools.json": safe}],
                 base={"plugins/acme/.claude-plugin/plugin.json": _plugin("./tools.json"),
                       "plugins/acme/tools.json": safe}), secret)


# --- 7. a random key the value filters took for a model name or a placeholder -----------------------

def _random_key(prefix: str, seed: int) -> str:
    """A 32-character random key whose own first characters are `prefix` (built at run time)."""
    return prefix + fake_token("", 32 - len(prefix), seed)


@pytest.mark.parametrize("prefix", ["o7", "O3", "gpt", "Command"])
def test_random_key_starting_like_a_model_name_is_a_secret(tmp_path: Path, gh: FakeGitHub,
                                                           prefix: str) -> None:
    # `o<digit>…` / `gpt…` / `command…` matched the model-name filter (`o3-mini`, `gpt-4o`): about
    # 1 in 200 random keys starts with o<digit>, and every one of them passed under API_KEY.
    secret = _random_key(prefix, 4071)
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": _servers(env={"ACME_API_KEY": secret})}]), secret)


@pytest.mark.parametrize("wrap", ["<YOUR_API_KEY>{}", "changeme{}", "xxxx{}", "{} # replace me",
                                  "${{env:ACME_PREFIX}}{}", "{}${{env:ACME_SUFFIX}}", "REPLACE_ME {}"])
def test_key_pasted_next_to_a_prompt_or_reference_is_a_secret(tmp_path: Path, gh: FakeGitHub,
                                                              wrap: str) -> None:
    # The client sends the whole value: the pasted key goes out (and into git) with the prompt.
    secret = fake_token("", 32, 4072)
    value = wrap.format(secret)
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": _servers(env={"ACME_API_KEY": value})}]), secret)


def test_model_names_and_prompts_stay_quiet(tmp_path: Path, gh: FakeGitHub) -> None:
    env = {"OPENAI_MODEL_KEY": "o3-mini-2025-01-31", "ACME_API_KEY": "<YOUR_API_KEY>",
           "GH_TOKEN": "${env:GITHUB_TOKEN}", "COHERE_KEY": "command-r-plus-08-2024",
           "X_TOKEN": "ghp_" + "x" * 36, "NOTE_TOKEN": "set this in your shell profile"}
    code, posted, _ = _pr(tmp_path, gh, [{".cursor/mcp.json": _servers(env=env)}])
    assert (code, posted) == (0, ["success"])


# --- 8. a key written twice: the client keeps the last one ----------------------------------------

@pytest.mark.parametrize(("path", "text"), [
    (".cursor/mcp.json", '{{"mcpServers": {{"acme": {{"command": "npx", "env": {{\n'
                         '  "API_KEY": "${{env:ACME_API_KEY}}",\n  "API_KEY": "{secret}"}}}}}}}}\n'),
    (".vscode/mcp.json", '{{"servers": {{"acme": {{"command": "npx", "headers": {{\n'
                         '  "X-Api-Key": "${{input:key}}",\n  "X-Api-Key": "{secret}"}}}}}}}}\n'),
    (".continue/mcpServers/acme.yaml", "name: a\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: acme\n"
                                       "    command: npx\n    env:\n      API_KEY: ${{{{ secrets.A }}}}\n"
                                       "      API_KEY: {secret}\n"),
])
def test_duplicate_key_holding_the_secret_is_searched(tmp_path: Path, gh: FakeGitHub, path: str,
                                                     text: str) -> None:
    # JSON.parse keeps the last of two equal keys; the engine read one value per field name, the first.
    secret = _opaque(4081)
    _blocked(_pr(tmp_path, gh, [{path: text.format(secret=secret)}]), secret)


# --- 9. history: what a config read only inside the range ------------------------------------------

VSCODE_ENV_FILE = _servers("servers", envFile="${workspaceFolder}/.env.local")


@pytest.mark.parametrize("base", [None, {".vscode/mcp.json": VSCODE_ENV_FILE}])
def test_env_file_added_with_a_secret_then_deleted_is_found_in_history(tmp_path: Path, gh: FakeGitHub,
                                                                       base: Files | None) -> None:
    # The dotenv exists at neither end of the range: the history scan never read it.
    secret = pat(4091)
    first: Files = {".env.local": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"}
    if base is None:
        first[".vscode/mcp.json"] = VSCODE_ENV_FILE
    _blocked(_pr(tmp_path, gh, [first, {".env.local": None}], base=base), secret)


def test_env_file_a_config_pointed_at_only_inside_the_range_is_found_in_history(tmp_path: Path,
                                                                                gh: FakeGitHub) -> None:
    secret = pat(4092)
    other = _servers("servers", envFile="${workspaceFolder}/.env.dev")
    _blocked(_pr(tmp_path, gh, [{".vscode/mcp.json": VSCODE_ENV_FILE,
                                 ".env.local": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"},
                                {".vscode/mcp.json": other, ".env.local": None}],
                 base={".vscode/mcp.json": other}), secret)


@pytest.mark.parametrize("then", ["removed", "retargeted"])
def test_folder_link_that_existed_only_inside_the_range_is_found_in_history(tmp_path: Path, gh: FakeGitHub,
                                                                            then: str) -> None:
    # `.gemini` -> `conf` with the token in conf/settings.json (Gemini CLI reads .gemini/settings.json),
    # then the link is removed or pointed elsewhere: only head's links were followed ("no MCP change").
    secret = pat(4093)
    settings = _servers(env={"GITHUB_PERSONAL_ACCESS_TOKEN": secret})

    def link(repo: Repo) -> None:
        (repo.path / "conf").mkdir()
        (repo.path / "conf" / "settings.json").write_text(settings, encoding="utf-8")
        os.symlink("conf", repo.path / ".gemini")
        git(repo.path, "add", "-A")
        git(repo.path, "commit", "-q", "-m", "shared settings")

    def undo(repo: Repo) -> None:
        if then == "removed":
            git(repo.path, "rm", "-rq", "conf", ".gemini")
        else:
            os.unlink(repo.path / ".gemini")
            (repo.path / "conf2").mkdir()
            (repo.path / "conf2" / "settings.json").write_text("{}\n", encoding="utf-8")
            os.symlink("conf2", repo.path / ".gemini")
            git(repo.path, "add", "-A")
        git(repo.path, "commit", "-q", "-m", "undo")

    _blocked(_pr(tmp_path, gh, [link, undo]), secret)


# --- 10. a referenced file named in another case (macOS and Windows open it all the same) ----------

@pytest.mark.parametrize("alone", [False, True])
def test_env_file_named_in_another_case_is_the_file(tmp_path: Path, gh: FakeGitHub, alone: bool) -> None:
    secret = pat(4101)
    config = _servers("servers", envFile="${workspaceFolder}/Secrets.ENV")
    dotenv = f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"
    if alone:  # only the dotenv changes: not the "no MCP config changed" fast path either
        outcome = _pr(tmp_path, gh, [{"secrets.env": dotenv}],
                      base={".vscode/mcp.json": config, "secrets.env": "DEBUG=1\n"})
    else:
        outcome = _pr(tmp_path, gh, [{".vscode/mcp.json": config, "secrets.env": dotenv}])
    _blocked(outcome, secret)


def test_opencode_file_target_named_in_another_case_is_the_file(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(4102)
    env = {"GITHUB_PERSONAL_ACCESS_TOKEN": "{file:./Token.TXT}"}
    config = json.dumps({"mcp": {"gh": {"type": "local", "command": ["npx", "acme"], "environment": env}}})
    _blocked(_pr(tmp_path, gh, [{"opencode.json": config, "token.txt": secret + "\n"}]), secret)


# --- 11. a config that does not parse, with a token split by a line continuation ------------------

@pytest.mark.parametrize("opaque", [False, True])
def test_token_split_by_a_line_continuation_in_an_unparsable_toml_is_joined(tmp_path: Path, gh: FakeGitHub,
                                                                            opaque: bool) -> None:
    # A TOML 1.1 multi-line inline table (tomllib: 1.0 only) is searched line by line; the parser's
    # join of `"""…\` + next line was not made, and each half passed (no shape, no name).
    secret = _opaque(4111) if opaque else pat(4111)
    name = "ACME_API_KEY" if opaque else "GITHUB_PERSONAL_ACCESS_TOKEN"
    text = (f'[mcp_servers.gh]\ncommand = "npx"\nenv = {{\n  {name} = """{secret[:20]}\\\n'
            f'      {secret[20:]}""",\n}}\n')
    _blocked(_pr(tmp_path, gh, [{".codex/config.toml": text}]), secret)


@pytest.mark.parametrize("shape", ["string", "object"])
def test_pick_string_option_of_a_secret_prompt_is_the_secret(tmp_path: Path, gh: FakeGitHub,
                                                             shape: str) -> None:
    secret = _opaque(4043)
    option: Any = secret if shape == "string" else {"label": "production", "value": secret}
    config = {"inputs": [{"type": "pickString", "id": "gh", "description": "Token", "options": [option]}],
              "servers": {"github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
                                     "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${input:gh}"}}}}
    _blocked(_pr(tmp_path, gh, [{".vscode/mcp.json": json.dumps(config, indent=2)}]), secret)


# --- 12. a token split over env keys that mcp-remote joins in its `--header` -------------------------

@pytest.mark.parametrize("provider", [True, False])
def test_mcp_remote_header_joining_env_values_is_the_whole_token(tmp_path: Path, gh: FakeGitHub,
                                                                 provider: bool) -> None:
    # mcp-remote expands ${NAME} in --header from its environment, which the entry's env sets: each
    # half sat under a name that says nothing and no half has a shape of its own.
    secret = pat(4121) if provider else _opaque(4121)
    args = ["-y", "mcp-remote", "https://mcp.example.com/sse", "--header", "Authorization:Bearer ${P1}${P2}"]
    config = json.dumps({"mcpServers": {"remote": {"command": "npx", "args": args,
                                                   "env": {"P1": secret[:20], "P2": secret[20:]}}}}, indent=2)
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": config}]), secret)


def test_mcp_remote_header_from_an_env_key_with_a_neutral_name(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(4122)
    args = ["-y", "mcp-remote", "https://mcp.example.com/sse", "--header=X-Api-Key:${CFG}"]
    config = json.dumps({"mcpServers": {"remote": {"command": "npx", "args": args, "env": {"CFG": secret}}}})
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": config}]), secret)


# --- 13. a token as the user name of a URL (`https://<token>@host`, as git and many APIs take it) --

def test_token_as_the_user_of_a_url_is_a_secret(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(4131)
    config = json.dumps({"mcpServers": {"remote": {"url": f"https://{secret}@mcp.example.com/mcp"}}})
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": config}]), secret)


def test_login_names_in_urls_stay_quiet(tmp_path: Path, gh: FakeGitHub) -> None:
    servers = {f"s{i}": {"url": url} for i, url in enumerate([
        "https://git@mcp.example.com/mcp", "https://oauth2@mcp.example.com/sse",
        "https://jane.doe-2024@mcp.example.com/mcp", "https://x-access-token@mcp.example.com/mcp"])}
    code, posted, _ = _pr(tmp_path, gh, [{".cursor/mcp.json": json.dumps({"mcpServers": servers})}])
    assert (code, posted) == (0, ["success"])


def test_token_in_a_url_fragment_parameter_is_a_secret(tmp_path: Path, gh: FakeGitHub) -> None:
    # `#access_token=…` (OAuth's implicit-flow form): only `?…` parameters were read.
    secret = _opaque(4132)
    config = json.dumps({"mcpServers": {"remote": {"url": f"https://mcp.example.com/sse#access_token={secret}"}}})
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": config}]), secret)


def test_folder_link_of_the_base_deleted_in_the_range_is_followed_in_history(tmp_path: Path,
                                                                             gh: FakeGitHub) -> None:
    # The base links .gemini -> conf; the PR writes the token into conf/settings.json, then deletes
    # link and folder: the link is seen at the deleting commit's parent.
    secret = pat(4094)
    repo = Repo(tmp_path / "ws")
    (repo.path / "conf").mkdir()
    (repo.path / "conf" / "settings.json").write_text(GEMINI, encoding="utf-8")
    os.symlink("conf", repo.path / ".gemini")
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-q", "-m", "shared settings")
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    repo.commit({"conf/settings.json": _servers(env={"GITHUB_PERSONAL_ACCESS_TOKEN": secret})})
    git(repo.path, "rm", "-rq", "conf", ".gemini")
    git(repo.path, "commit", "-q", "-m", "drop shared settings")
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, git(repo.path, "rev-parse", "HEAD")))
    _blocked((result.code, states(gh), everything(result, gh)), secret)
