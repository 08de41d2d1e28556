"""Red-team regressions (wave 5): a base policy's path ignore reached through a live config's
referenced file, tokens in file and folder names, opaque tokens with no name (helper commands,
positional arguments, URL path segments and short query names, `-k`), dotenv files loaded by a
command's own flag, and a secret split across dotenv variables. Each drives the Action against the
contract-checked fake GitHub (or the CLI); every secret is built at run time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.gh.action_helpers import Files, pat
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import github_servers as _servers
from tests.gh.action_helpers import opaque as _opaque
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub

# --- 1. a path ignore of the base policy, reached through a file a live config loads ---------------

IGNORE_EXAMPLES = "version: 1\nignore-paths:\n  - path: \"examples/**\"\n    reason: sample configs\n"
POLICY_BASE: Files = {".mcp-guard.yml": IGNORE_EXAMPLES, "README.md": "hi\n"}


def _loading(how: str, folder: str, secret: str) -> Files:
    """A config at the root (or in `folder` too when `folder` is examples/) loading a file under `folder`."""
    if how == "envFile":
        return {".vscode/mcp.json": _servers("servers", envFile="${workspaceFolder}/" + folder + ".env"),
                folder + ".env": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"}
    if how == "plugin servers file":
        return {".claude-plugin/plugin.json": json.dumps({"name": "acme", "mcpServers": f"./{folder}servers.json"}),
                folder + "servers.json": json.dumps({"gh": {"command": "npx", "env": {"GITHUB_TOKEN": secret}}})}
    env = {"GITHUB_PERSONAL_ACCESS_TOKEN": "{file:./" + folder + "token.txt}"}
    return {"opencode.json": json.dumps({"mcp": {"gh": {"type": "local", "command": ["npx", "acme"],
                                                        "environment": env}}}),
            folder + "token.txt": secret + "\n"}


LOADS = ["envFile", "plugin servers file", "{file:} target"]


@pytest.mark.parametrize("how", LOADS)
def test_ignored_path_loaded_by_a_live_config_is_not_hidden(tmp_path: Path, gh: FakeGitHub, how: str) -> None:
    # `examples/**` hid the findings of examples/.env although .vscode/mcp.json (not ignored) loads it.
    secret = pat(5101)
    _blocked(_pr(tmp_path, gh, [_loading(how, "examples/", secret)], base=POLICY_BASE), secret)


def test_ignored_sample_config_loading_an_ignored_file_stays_hidden(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(5102)
    files = {"examples/.vscode/mcp.json": _servers("servers", envFile="${workspaceFolder}/.env.sample"),
             "examples/.env.sample": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"}
    _passed(_pr(tmp_path, gh, [files], base=POLICY_BASE))
