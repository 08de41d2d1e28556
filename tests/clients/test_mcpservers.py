"""mcpServers family: Claude Code/Desktop, Cursor, Gemini, Windsurf, Cline, Roo, MCPB, Claude settings."""

from __future__ import annotations

import pytest

from scanner.clients import parse_config, referenced_files
from scanner.clients.discovery import classify_path
from scanner.errors import ParseError
from scanner.model import Client, FileFormat, Transport
from tests.clients.helpers import file_value, load, secret, server, token_at, value


def test_claude_code_servers_transports_and_positions() -> None:
    config, text = load("claude_code.mcp.json", ".mcp.json")
    assert config is not None and config.client is Client.CLAUDE_CODE
    assert [s.name for s in config.servers] == ["github", "tracker", "supabase-prod", "remote-no-type"]
    github = server(config, "github")
    assert github.transport is Transport.STDIO
    assert (github.location.line, github.location.column) == (3, 5)
    pat = github.env_value("GITHUB_PERSONAL_ACCESS_TOKEN")
    assert pat is not None and pat.text == secret("GITHUB_PAT") and not pat.is_reference
    assert (pat.field, pat.key, pat.location.line, pat.location.column) == (
        "env.GITHUB_PERSONAL_ACCESS_TOKEN", "GITHUB_PERSONAL_ACCESS_TOKEN", 7, 41)
    assert token_at(text, pat) == f'"{secret("GITHUB_PAT")}"'
    tracker = server(config, "tracker")
    assert tracker.transport is Transport.HTTP
    auth = tracker.header("authorization")
    assert auth is not None and auth.is_reference and auth.field == "headers.Authorization"
    assert tracker.url is not None and tracker.url.is_reference


def test_claude_code_array_item_positions_and_flags() -> None:
    config, text = load("claude_code.mcp.json", ".mcp.json")
    supa = server(config, "supabase-prod")
    assert [a.field for a in supa.args] == [f"args[{i}]" for i in range(5)]
    token = supa.args[3]
    assert token.text == secret("SUPABASE_PAT") and token.key is None
    assert (token.location.line, token.location.column) == (24, 9)
    assert token_at(text, token) == f'"{secret("SUPABASE_PAT")}"'
    assert ("alwaysLoad", "true") in supa.flags and ("timeout", "30000") in supa.flags
    # url without type (Claude Code skips it): transport inferred from the /sse path; no `type` value.
    bare = server(config, "remote-no-type")
    assert bare.transport is Transport.SSE and not any(v.field == "type" for v in bare.values)


def test_cursor_minified_one_line() -> None:
    config, text = load("cursor.min.json", ".cursor/mcp.json")
    assert config is not None and config.client is Client.CURSOR
    issues = server(config, "issues")
    secret_value = value(issues, "auth.CLIENT_SECRET")
    assert secret_value.text == secret("OAUTH_SECRET") and secret_value.key == "CLIENT_SECRET"
    assert secret_value.location.line == 1 and token_at(text, secret_value) == f'"{secret("OAUTH_SECRET")}"'
    assert ("auth.scopes[0]", "read") not in issues.flags
    assert issues.transport is Transport.HTTP
    pg = server(config, "pg")
    assert pg.env_file is not None and pg.env_file.is_reference
    assert "prod-db.example.com" in pg.args[2].text
    assert referenced_files(config) == [".env.mcp"]


def test_claude_desktop_literals_and_file_values() -> None:
    config, _ = load("claude_desktop_config.json", "examples/claude_desktop_config.json")
    assert config is not None and config.client is Client.CLAUDE_DESKTOP
    slack = server(config, "slack")
    assert slack.env_value("SLACK_BOT_TOKEN") is not None
    assert [v.field for v in config.file_values] == ["globalShortcut"]


def test_gemini_comments_transports_oauth() -> None:
    config, _ = load("gemini_settings.json", ".gemini/settings.json")
    assert config is not None and config.client is Client.GEMINI
    assert server(config, "github").env[0].is_reference  # $NAME
    assert server(config, "events").transport is Transport.SSE
    docs = server(config, "docs")
    assert docs.transport is Transport.HTTP and docs.url is not None and docs.url.field == "httpUrl"
    assert value(docs, "oauth.clientSecret").text == secret("GEMINI_OAUTH")
    assert ("trust", "true") in docs.flags and ("includeTools", "search_docs,read_page") in docs.flags
    assert ("oauth.enabled", "true") in docs.flags
    assert value(docs, "includeTools[1]").text == "read_page"


def test_windsurf_server_url_and_flag_value_arg() -> None:
    config, _ = load("windsurf_mcp_config.json", "docs/mcp_config.json")
    assert config is not None and config.client is Client.WINDSURF
    tickets = server(config, "tickets")
    assert tickets.url is not None and tickets.url.field == "serverUrl"
    assert tickets.transport is Transport.HTTP and not tickets.disabled
    assert ("disabledTools", "delete_ticket") in tickets.flags
    figma = server(config, "figma")
    assert figma.args[2].text == "--figma-api-key=" + secret("FIGMA_KEY")


def test_cline_disabled_autoapprove_streamable() -> None:
    config, _ = load("cline_mcp_settings.json", "cline_mcp_settings.json")
    assert config is not None and config.client is Client.CLINE
    pg = server(config, "postgres")
    assert pg.disabled and ("autoApprove", "execute_sql,list_schemas") in pg.flags
    assert server(config, "search").transport is Transport.HTTP
    assert "tavilyApiKey=" in (server(config, "search").url or pg.args[0]).text


def test_roo_trailing_comma_and_env_file_arg() -> None:
    config, _ = load("roo_mcp.json", ".roo/mcp.json")
    assert config is not None and config.client is Client.ROO
    gh = server(config, "gh")
    assert gh.args[4].is_reference and gh.args[4].text.startswith("GITHUB_PERSONAL_ACCESS_TOKEN=")
    assert server(config, "docs").transport is Transport.HTTP
    assert referenced_files(config) == [".env.mcp"]


def test_mcpb_manifest_server_and_sensitive_default() -> None:
    config, _ = load("mcpb_manifest.json", "extension/manifest.json")
    assert config is not None and config.client is Client.MCPB
    (entry,) = config.servers
    assert entry.name == "weather-extension" and entry.transport is Transport.STDIO
    assert entry.env_value("WEATHER_API_KEY").is_reference  # type: ignore[union-attr]
    assert entry.env_value("WEATHER_FALLBACK_KEY").text == secret("WEATHER_KEY")  # type: ignore[union-attr]
    default = file_value(config, "user_config.api_key.default")
    assert default.key == "api_key" and default.text == secret("WEATHER_DEFAULT")
    assert ("user_config.api_key.sensitive", "true") in config.flags


def test_claude_settings_env_permissions_flags() -> None:
    config, text = load("claude_settings.local.json", ".claude/settings.local.json")
    assert config is not None and config.client is Client.CLAUDE_SETTINGS and config.servers == ()
    env = file_value(config, "env.ANTHROPIC_API_KEY")
    assert env.key == "ANTHROPIC_API_KEY" and env.text == secret("ANTHROPIC_KEY")
    allow = file_value(config, "permissions.allow[2]")
    assert secret("API_TOKEN") in allow.text and allow.location.line == 6
    assert file_value(config, "env.MAX_THINKING_TOKENS").text == "8000"
    assert ("enableAllProjectMcpServers", "true") in config.flags
    assert ("enabledMcpjsonServers", "github,supabase-prod") in config.flags
    assert token_at(text, env).startswith('"sk-ant-api03-')


@pytest.mark.parametrize(
    "fixture,rel_path",
    [
        ("not_mcp.json", "public/manifest.json"),  # a web manifest: no server.mcp_config
        ("not_mcp.json", "config/mcp.json"),
        ("not_mcp.json", "mcp.prod.json"),
    ],
)
def test_generic_names_need_mcp_content(fixture: str, rel_path: str) -> None:
    config, _ = load(fixture, rel_path)
    assert config is None


def test_generic_mcp_json_with_mcpservers_is_generic() -> None:
    config, _ = load("claude_desktop_config.json", "config/mcp.prod.json")
    assert config is not None and config.client is Client.GENERIC and len(config.servers) == 2


def test_unparsable_dedicated_file_is_searched_line_by_line() -> None:
    candidate = classify_path(".cursor/mcp.json")
    assert candidate is not None
    config = parse_config(candidate, b'{"mcpServers": {"x": {"env": {"K": "v12"}')
    assert config is not None and config.parse_error and not config.servers
    assert [(v.key, v.text, v.location.column) for v in config.extra_values] == [("K", "v12", 36)]


def test_binary_dedicated_file_raises() -> None:
    candidate = classify_path(".cursor/mcp.json")
    assert candidate is not None
    with pytest.raises(ParseError, match="binary"):
        parse_config(candidate, b'{"mcpServers": \x00\x01')


def test_broken_generic_file_without_mcp_words_is_ignored() -> None:
    candidate = classify_path("web/manifest.json")
    assert candidate is not None and candidate.generic
    assert parse_config(candidate, b"{ not json at all") is None


def test_format_recorded() -> None:
    config, _ = load("cursor.min.json", ".cursor/mcp.json")
    assert config is not None and config.format is FileFormat.JSON
