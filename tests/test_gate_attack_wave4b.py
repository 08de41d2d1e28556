"""Red-team regressions (wave 4b): holes the wave-4 pass left open: a chezmoi dotenv, a referenced
file named in another case inside the PR's history, a marketplace plugin's local source folder, a
submodule with no .gitmodules entry (CLI), and keys inside a JSON-in-string value. Each drives the
Action against the contract-checked fake GitHub (or the CLI); every secret is built at run time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.gh.action_helpers import (
    Files,
    Repo,
    git,
    no_piece,
    pat,
)
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import github_servers as _servers
from tests.gh.action_helpers import opaque as _opaque
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub


def _cli(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`mcp-guard scan` run inside `repo` (the default scan: git-tracked files)."""
    return subprocess.run([sys.executable, "-m", "scanner", "scan", *args], capture_output=True, text=True,
                          check=False, stdin=subprocess.DEVNULL, cwd=repo)


# --- 1. chezmoi `dot_env`: no extension until `dot_` becomes the leading dot ----------------------

GEMINI = _servers(env={"GITHUB_PERSONAL_ACCESS_TOKEN": "$GITHUB_PERSONAL_ACCESS_TOKEN"})


@pytest.mark.parametrize("path", ["dot_gemini/dot_env", "private_dot_gemini/private_dot_env",
                                  "dot_qwen/dot_env", "dot_gemini/dot_env.tmpl",
                                  ".codex/.env", "private_dot_codex/private_dot_env"])  # Codex loads it
def test_chezmoi_client_dotenv_is_scanned(tmp_path: Path, gh: FakeGitHub, path: str) -> None:
    secret = pat(4201)
    _blocked(_pr(tmp_path, gh, [{path: f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n",
                                 "dot_gemini/settings.json": GEMINI}]), secret)


def test_chezmoi_client_dotenv_with_empty_values_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    _passed(_pr(tmp_path, gh, [{"dot_gemini/dot_env": "GEMINI_API_KEY=\n",
                                "dot_gemini/settings.json": GEMINI}]))


def test_chezmoi_client_dotenv_is_scanned_by_the_cli(tmp_path: Path) -> None:
    secret = pat(4202)
    repo = Repo(tmp_path / "ws")
    repo.commit({"private_dot_gemini/private_dot_env": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"})
    proc = _cli(repo.path, "--no-gitleaks")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    no_piece(proc.stdout + proc.stderr, secret)


# --- 2. a file named in another case, read lazily in the history pass -----------------------------

def test_env_file_named_in_another_case_is_found_in_history(tmp_path: Path, gh: FakeGitHub) -> None:
    # The PR writes the token into secrets.env (the config says `Secrets.ENV`), then takes it out.
    secret = pat(4211)
    config = _servers("servers", envFile="${workspaceFolder}/Secrets.ENV")
    _blocked(_pr(tmp_path, gh, [{"secrets.env": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"},
                                {"secrets.env": "DEBUG=1\n"}],
                 base={".vscode/mcp.json": config, "secrets.env": "DEBUG=1\n"}), secret)


def test_opencode_file_target_named_in_another_case_is_found_in_history(tmp_path: Path,
                                                                        gh: FakeGitHub) -> None:
    secret = pat(4212)
    env = {"GITHUB_PERSONAL_ACCESS_TOKEN": "{file:./Token.TXT}"}
    config = json.dumps({"mcp": {"gh": {"type": "local", "command": ["npx", "acme"], "environment": env}}})
    _blocked(_pr(tmp_path, gh, [{"token.txt": secret + "\n"}, {"token.txt": "${GITHUB_PAT}\n"}],
                 base={"opencode.json": config, "token.txt": "${GITHUB_PAT}\n"}), secret)


def test_env_file_named_in_another_case_is_read_by_the_cli(tmp_path: Path) -> None:
    secret = pat(4213)
    repo = Repo(tmp_path / "ws")
    repo.commit({".vscode/mcp.json": _servers("servers", envFile="${workspaceFolder}/Secrets.ENV"),
                 "secrets.env": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"})
    proc = _cli(repo.path, "--no-gitleaks")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    no_piece(proc.stdout + proc.stderr, secret)


# --- 3. a marketplace plugin with a local source folder -------------------------------------------

def _flat(env: dict[str, str]) -> str:
    return json.dumps({"gh": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
                              "env": env}}, indent=2) + "\n"


def _marketplace(*plugins: dict[str, Any], root: str | None = None) -> str:
    doc: dict[str, Any] = {"name": "acme-tools", "owner": {"name": "Acme"}, "plugins": list(plugins)}
    if root is not None:
        doc["metadata"] = {"pluginRoot": root}
    return json.dumps(doc, indent=2) + "\n"


@pytest.mark.parametrize("layout", ["entry path", "plugin root", "plugin root flat", "manifest"])
def test_marketplace_plugin_source_folder_is_scanned(tmp_path: Path, gh: FakeGitHub, layout: str) -> None:
    secret = _opaque(4221)
    servers = _flat({"API_KEY": secret})
    files: Files
    if layout == "entry path":  # strict: false, the entry itself names the plugin's servers file
        files = {".claude-plugin/marketplace.json": _marketplace(
                     {"name": "acme", "source": "./tools/acme", "strict": False,
                      "mcpServers": "./config/servers.json"}),
                 "tools/acme/config/servers.json": servers}
    elif layout == "plugin root":  # metadata.pluginRoot + source: the plugin's own manifest
        files = {".claude-plugin/marketplace.json": _marketplace({"name": "acme", "source": "acme"},
                                                                 root="./tools"),
                 "tools/acme/.claude-plugin/plugin.json": json.dumps(
                     {"name": "acme", "mcpServers": "./servers/all.json"}),
                 "tools/acme/servers/all.json": servers}
    elif layout == "plugin root flat":  # strict: false, the entry lists the servers file in an array
        files = {".claude-plugin/marketplace.json": _marketplace(
                     {"name": "acme", "source": "./tools/acme", "strict": False,
                      "mcpServers": ["${CLAUDE_PLUGIN_ROOT}/mcp/servers.json"]}),
                 "tools/acme/mcp/servers.json": servers}
    else:  # a plugin manifest under the source folder at its usual place
        files = {".claude-plugin/marketplace.json": _marketplace({"name": "acme", "source": "./tools/acme"}),
                 "tools/acme/.claude-plugin/plugin.json": json.dumps({"name": "acme", "mcpServers": {
                     "gh": {"command": "npx", "env": {"API_KEY": secret}}}})}
    _blocked(_pr(tmp_path, gh, [files]), secret)


@pytest.mark.parametrize("where", ["arg", "env"])
def test_marketplace_entry_inline_servers_are_servers(tmp_path: Path, gh: FakeGitHub, where: str) -> None:
    # Inline `mcpServers` of a `strict: false` entry: only searched as loose strings, so a token
    # after `--token` (an MCP server argument) was not judged as one.
    secret = _opaque(4224)
    server: dict[str, Any] = {"command": "npx", "args": ["-y", "acme-mcp"]}
    if where == "arg":
        server["args"] += ["--token", secret]
    else:
        server["env"] = {"ACME_API_KEY": secret}
    market = _marketplace({"name": "acme", "source": "./tools/acme", "strict": False,
                           "mcpServers": {"acme": server}})
    _blocked(_pr(tmp_path, gh, [{".claude-plugin/marketplace.json": market}]), secret)


def test_marketplace_plugin_servers_file_changed_alone_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(4222)
    market = _marketplace({"name": "acme", "source": "./tools/acme", "strict": False,
                           "mcpServers": "./config/servers.json"})
    safe = _flat({"API_KEY": "${ACME_API_KEY}"})
    _blocked(_pr(tmp_path, gh, [{"tools/acme/config/servers.json": _flat({"API_KEY": secret})}],
                 base={".claude-plugin/marketplace.json": market, "tools/acme/config/servers.json": safe}),
             secret)


def test_marketplace_sources_outside_the_repo_or_remote_are_not_read(tmp_path: Path, gh: FakeGitHub) -> None:
    market = _marketplace({"name": "a", "source": {"source": "github", "repo": "acme/plugin"}},
                          {"name": "b", "source": "../outside", "strict": False, "mcpServers": "./x.json"},
                          {"name": "c", "source": "./tools/c", "strict": False,
                           "mcpServers": "./servers.json"})
    _passed(_pr(tmp_path, gh, [{".claude-plugin/marketplace.json": market,
                                "tools/c/servers.json": _flat({"API_KEY": "${ACME_API_KEY}"})}]))


# --- 4. a gitlink at a client folder without a .gitmodules entry (CLI) -----------------------------

def _gitlink(repo: Repo, path: str) -> None:
    sha = git(repo.path, "rev-parse", "HEAD")
    git(repo.path, "update-index", "--add", "--cacheinfo", f"160000,{sha},{path}")
    git(repo.path, "commit", "-q", "-m", "submodule")


@pytest.mark.parametrize("folder", [".vscode", ".cursor", ".codex", ".mcp.json", "app/.cursor/mcp.json"])
def test_cli_gitlink_at_a_config_folder_without_gitmodules_is_a_hole(tmp_path: Path, folder: str) -> None:
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    _gitlink(repo, folder)
    if folder != ".codex":  # a clone makes an empty folder for a gitlink (.codex: none, removed)
        (repo.path / folder).mkdir(parents=True)
    proc = _cli(repo.path, "--no-gitleaks")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert folder in proc.stdout + proc.stderr


def test_cli_gitlink_elsewhere_without_gitmodules_is_no_hole(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n", ".cursor/mcp.json": _servers(env={"GITHUB_TOKEN": "${env:GH}"})})
    _gitlink(repo, "vendor/lib")
    proc = _cli(repo.path, "--no-gitleaks")
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- 5. keys inside a JSON-in-string value -------------------------------------------------------

@pytest.mark.parametrize("inner", ["bearer", "api key header", "token as key", "credential name opaque",
                                   "nested", "name/value pair", "key/value pair", "token as pair name"])
def test_json_in_string_header_value_is_judged(tmp_path: Path, gh: FakeGitHub, inner: str) -> None:
    secret = _opaque(4231)
    doc: dict[str, Any]
    if inner == "bearer":
        doc = {"Authorization": f"Bearer {secret}"}
    elif inner == "api key header":
        doc = {"Accept": "application/json", "X-Api-Key": secret}
    elif inner == "token as key":
        secret = pat(4232)
        doc = {secret: "enabled"}
    elif inner == "credential name opaque":
        doc = {"client_secret": secret, "client_id": "acme-mcp"}
    elif inner == "nested":
        doc = {"auth": {"headers": {"X-Auth-Token": secret}}}
    elif inner == "name/value pair":  # a header list: the value was read under the name `value`
        doc = [{"name": "X-Api-Key", "value": secret}]
    elif inner == "key/value pair":
        doc = [{"key": "ACME_API_KEY", "value": secret}, {"key": "ACME_REGION", "value": "eu-west-1"}]
    else:
        secret = pat(4233)
        doc = [{"name": secret, "value": "on"}]
    env = {"OPENAPI_MCP_HEADERS": json.dumps(doc)}
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": _servers(env=env)}]), secret)


def test_json_in_string_without_credentials_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    env = {"OPENAPI_MCP_HEADERS": json.dumps({"Accept": "application/json", "X-Api-Key": "${ACME_KEY}",
                                              "User-Agent": "acme-mcp/1.0"}),
           # a pair's name under `key` was judged as a value under the credential name `key`
           "ACME_HEADERS": json.dumps([{"key": "Authorization", "value": "none"},
                                       {"key": "X-Api-Key", "value": "${ACME_KEY}"}])}
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": _servers(env=env)}]))


def test_plugin_servers_file_under_a_generic_mcp_name_is_read_as_the_plugin_s(tmp_path: Path,
                                                                              gh: FakeGitHub) -> None:
    # `mcp/servers.json` is a generic candidate by name; read that way the flat servers file had no
    # servers and the plugin manifest's reference to it was dropped as "already loaded".
    secret = _opaque(4223)
    _blocked(_pr(tmp_path, gh, [{"plugins/acme/.claude-plugin/plugin.json": json.dumps(
                                     {"name": "acme", "mcpServers": "./mcp/servers.json"}),
                                 "plugins/acme/mcp/servers.json": _flat({"API_KEY": secret})}]), secret)


def test_json_key_names_in_a_json_in_string_value_stay_quiet(tmp_path: Path, gh: FakeGitHub) -> None:
    doc = {"X-Request-Source-Application": "acme",
           "Content-Security-Policy-Report-Only": "default-src 'self'",
           "urn:ietf:params:oauth:grant-type:device_code": "enabled"}
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": _servers(env={"OPENAPI_MCP_HEADERS": json.dumps(doc)})}]))
