"""A bare server map (the `mcpServers` object itself, without the key) under a name that says MCP is a
config (fourth real-config corpus, 2026): claude-config repositories keep `mcp-servers.json` as
`{"tavily": {"command": "npx", ...}, "project-bot": {...}}` and merge it into `~/.claude.json`; before,
such a file was not read at all (an app secret in its `args` passed), and a known client file holding
only the map was searched as loose strings. A file of unknown name with this shape stays unread, and
objects that say nothing about starting a server are no server map. Secrets are built at run time."""

from __future__ import annotations

import json

import pytest

from scanner.clients import parse_config
from scanner.clients.discovery import classify_path
from tests.clients.helpers import scan_text
from tests.fakes import fake_token


def _bare(secret: str) -> str:
    return json.dumps({
        "tavily": {"type": "stdio", "command": "npx", "args": ["-y", "tavily-mcp@latest"],
                   "env": {"TAVILY_API_KEY": "YOUR_TAVILY_API_KEY_HERE"}},
        "project-bot": {"type": "stdio", "command": "npx",
                        "args": ["-y", "@larksuiteoapi/lark-mcp", "mcp", "-a", "cli_" + fake_token("", 16, 3),
                                 "-s", secret, "--token-mode", "tenant_access_token"]},
        "docs": {"url": "https://docs.example-mcp.dev/mcp"},
    }, indent=2)


@pytest.mark.parametrize("path", ["mcp-servers.json", "config/mcp_servers.json", "mcp.json",
                                  "cline_mcp_settings.json"])
def test_a_bare_server_map_is_read_as_servers(path: str) -> None:
    candidate = classify_path(path)
    assert candidate is not None
    config = parse_config(candidate, _bare(fake_token("", 32, 1)).encode())
    assert config is not None
    assert sorted(s.name for s in config.servers) == ["docs", "project-bot", "tavily"]


def test_a_secret_in_a_bare_map_blocks_and_the_file_is_scanned() -> None:
    secret = fake_token("", 32, 2)
    result = scan_text("mcp-servers.json", _bare(secret))
    assert "mcp-servers.json" in result.scanned_files
    found = [(f.server, f.field) for f in result.findings if f.category == "secret" and f.blocking]
    assert found == [("project-bot", "args[6]")]


def test_a_bare_map_without_any_mcp_word_is_read_under_an_mcp_name() -> None:
    text = json.dumps({"reposynapse": {"type": "stdio", "command": "reposynapse", "args": [], "env": {}}})
    candidate = classify_path("mcp-servers.json")
    assert candidate is not None
    config = parse_config(candidate, text.encode())
    assert config is not None and [s.name for s in config.servers] == ["reposynapse"]


@pytest.mark.parametrize("text", [
    json.dumps({"theme": {"dark": True}, "editor": {"fontSize": 12}}),  # objects, but no server
    json.dumps({"srv": {"command": "npx"}, "settings": {"timeout": 5}}),  # one member is no server
    json.dumps({"srv": {"command": ["npx", "-y", "x"]}}),  # no string command
    json.dumps({}),
])
def test_objects_that_start_no_server_are_no_server_map(text: str) -> None:
    candidate = classify_path("mcp-servers.json")
    assert candidate is not None
    config = parse_config(candidate, text.encode())
    assert config is None or not config.servers


def test_a_bare_map_under_a_name_that_does_not_say_mcp_stays_unread() -> None:
    result = scan_text("tools/servers.json", _bare(fake_token("", 32, 4)))
    assert "tools/servers.json" not in result.scanned_files
