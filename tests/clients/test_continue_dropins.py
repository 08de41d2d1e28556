"""Continue's MCP server folder (`.continue/mcpServers/`): a file there holding one server entry at its
top level is read as that server (third real-config corpus, 2026). Values are built at run time."""

from __future__ import annotations

import pytest

from scanner.model import Severity
from tests.engines.helpers import scan
from tests.fakes import fake_token


# A file in Continue's MCP server folder holding one server entry at its top level (`name`,
# `command`, `args`, `env`: seen committed as `.continue/mcpServers/node-sandbox-mcp.json`) is read as
# that server: a token in its env was never searched.
@pytest.mark.parametrize(("path", "text"), [
    (".continue/mcpServers/github.json",
     '{{"name": "github", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],'
     ' "env": {{"GITHUB_PERSONAL_ACCESS_TOKEN": "{token}"}}}}'),
    (".continue/mcpServers/remote.json",
     '{{"name": "remote", "type": "sse", "url": "https://mcp.example-corp.com/sse",'
     ' "headers": {{"Authorization": "Bearer {token}"}}}}'),
    (".continue/mcpServers/github.yaml",
     "name: github\ncommand: npx\nargs: [-y, '@modelcontextprotocol/server-github']\n"
     "env:\n  GITHUB_PERSONAL_ACCESS_TOKEN: {token}\n"),
])
def test_lone_server_in_continue_folder_is_searched(path: str, text: str) -> None:
    token = "gh" + "p_" + fake_token("", 36, 9)
    found = [m for m in scan({path: text.format(token=token)}) if m.value == token]
    assert found and found[0].server is not None and found[0].severity >= Severity.HIGH


def test_a_continue_file_without_server_shape_is_still_no_config() -> None:
    from scanner.clients import parse_config
    from scanner.clients.discovery import classify_path
    candidate = classify_path(".continue/mcpServers/notes.json")
    assert candidate is not None
    assert parse_config(candidate, b'{"title": "notes", "items": [1, 2]}') is None
