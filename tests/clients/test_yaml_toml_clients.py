"""Codex TOML, Goose, Continue, Smithery, Docker MCP, Markdown front matter and dotenv clients."""

from __future__ import annotations

import pytest

from scanner.model import Client, FileFormat, Transport
from tests.clients.helpers import file_value, load, secret, server, token_at, value


def test_codex_tables_literals_and_env_names() -> None:
    config, text = load("codex_config.toml", ".codex/config.toml")
    assert config is not None and config.client is Client.CODEX and config.format is FileFormat.TOML
    docs = server(config, "docs")
    assert docs.transport is Transport.HTTP
    assert docs.env_refs == ("DOCS_MCP_TOKEN", "DOCS_TEAM_ID")
    assert value(docs, "bearer_token_env_var").is_reference
    assert value(docs, "env_http_headers.X-Team").is_reference  # an env NAME, not a literal
    literal = docs.header("X-Api-Key")
    assert literal is not None and literal.field == "http_headers.X-Api-Key" and not literal.is_reference
    assert literal.text == secret("DOCS_API_KEY") and token_at(text, literal) == f'"{literal.text}"'
    db = server(config, "db")
    assert db.disabled and db.env_refs == ("DB_READONLY_URL", "DB_ROLE")
    password = db.env_value("DB_PASSWORD")
    assert password is not None and (password.location.line, password.location.column) == (18, 15)
    assert value(server(config, "legacy"), "bearer_token").text == secret("LEGACY_TOKEN")


def test_codex_without_mcp_table_is_searched_whole() -> None:
    config, _ = load("codex_no_mcp.toml", ".codex/config.toml")
    assert config is not None and config.servers == ()
    assert [v.field for v in config.extra_values] == ["model", "approval_policy", "sandbox_mode"]


def test_goose_config_map() -> None:
    config, _ = load("goose_config.yaml", ".config/goose/config.yaml")
    assert config is not None and config.client is Client.GOOSE
    tracker = server(config, "tracker")
    assert tracker.command is not None and tracker.command.field == "command"
    assert tracker.env_refs == ("TRACKER_TOKEN",) and value(tracker, "env_keys[0]").is_reference
    key = tracker.env_value("TRACKER_API_KEY")
    assert key is not None and key.field == "env.TRACKER_API_KEY" and not key.is_reference
    assert (key.location.line, key.location.column) == (11, 24)
    assert server(config, "developer").disabled
    remote = server(config, "remote")
    assert remote.transport is Transport.HTTP and remote.url is not None and remote.url.field == "url"
    auth = remote.header("Authorization")
    assert auth is not None and auth.text == "Bearer " + secret("REMOTE_TOKEN") and not auth.quoted


def test_goose_recipe_list() -> None:
    config, _ = load("goose_recipe.yaml", "recipes/release.yaml")
    assert config is not None
    github = server(config, "github")
    assert github.transport is Transport.STDIO and github.env_refs == ("GITHUB_PERSONAL_ACCESS_TOKEN",)
    assert (github.location.line, github.location.column) == (7, 11)


def test_yaml_without_goose_extensions_is_none() -> None:
    config, _ = load("continue_block.yaml", "recipes/notes.yaml")
    assert config is None


def test_continue_list_entries_and_models() -> None:
    config, _ = load("continue_block.yaml", ".continue/mcpServers/team.yaml")
    assert config is not None and config.client is Client.CONTINUE
    assert [s.name for s in config.servers] == ["Tracker", "Search"]
    tracker = server(config, "Tracker")
    assert tracker.env_value("TRACKER_TOKEN").is_reference  # type: ignore[union-attr]
    assert (tracker.location.line, tracker.location.column) == (5, 11)
    search = server(config, "Search")
    assert search.transport is Transport.HTTP
    assert search.header("X-Api-Key").text == secret("SEARCH_KEY")  # type: ignore[union-attr]
    assert file_value(config, "models[0].apiKey").text == secret("OPENAI_KEY")


def test_continue_json_dropin() -> None:
    config, _ = load("claude_desktop_config.json", ".continue/mcpServers/desktop.json")
    assert config is not None and config.client is Client.CONTINUE and len(config.servers) == 2


def test_smithery_example_and_defaults() -> None:
    config, _ = load("smithery.yaml", "smithery.yaml")
    assert config is not None and config.client is Client.SMITHERY
    (entry,) = config.servers
    assert entry.transport is Transport.STDIO
    assert value(entry, "exampleConfig.region").text == secret("SHODAN_EXAMPLE")
    default = value(entry, "configSchema.properties.shodanApiKey.default")
    assert default.key == "shodanApiKey" and default.text == secret("SHODAN_DEFAULT")
    assert "--api-key" in value(entry, "commandFunction").text
    assert ("exampleConfig.verbose", "true") in entry.flags


def test_compose_gateway_services() -> None:
    config, text = load("compose.yaml", "deploy/compose.yaml")
    assert config is not None and config.client is Client.DOCKER_MCP
    gateway = server(config, "gateway")
    assert gateway.transport is Transport.SSE
    assert [a.field for a in gateway.args] == ["command[0]", "command[1]", "command[2]"]
    slack = gateway.env_value("SLACK_BOT_TOKEN")
    assert slack is not None and slack.text == secret("SLACK_BOT") and slack.field == "env.SLACK_BOT_TOKEN"
    assert (slack.location.line, slack.location.column) == (12, 26)
    assert gateway.env_value("PASSTHROUGH") is None  # `- NAME` passes the host value through
    agent = server(config, "agent")
    assert agent.env_value("OPENAI_API_KEY").text == secret("OPENAI_KEY")  # type: ignore[union-attr]
    assert file_value(config, "secrets.mcp_secret.file").text == "./.mcp.env"
    assert token_at(text, slack) == slack.text + '"'


def test_compose_without_gateway_is_none() -> None:
    config, _ = load("compose_plain.yaml", "docker-compose.yml")
    assert config is None


def test_docker_server_yaml_secret_names() -> None:
    config, _ = load("docker_server.yaml", "servers/github/server.yaml")
    assert config is not None and config.client is Client.DOCKER_MCP
    (entry,) = config.servers
    assert entry.name == "github-official" and entry.env_refs == ("GITHUB_PERSONAL_ACCESS_TOKEN",)
    assert value(entry, "config.secrets[0].env").is_reference
    assert not value(entry, "config.secrets[0].example").is_reference
    assert entry.env_value("GITHUB_TOOLSETS") is not None


@pytest.mark.parametrize("fixture", ["docker_server.yaml", "compose.yaml"])
def test_docker_shapes_need_docker_paths(fixture: str) -> None:
    # A generic mcp.yaml is tried against every YAML shape, so Docker shapes are found there too.
    config, _ = load(fixture, "mcp.yaml")
    assert config is not None and config.client is Client.DOCKER_MCP


def test_copilot_agent_front_matter() -> None:
    config, _ = load("copilot_agent.md", ".github/agents/db-reviewer.md")
    assert config is not None and config.client is Client.COPILOT_AGENT
    assert config.format is FileFormat.MARKDOWN
    db = server(config, "db")
    assert db.transport is Transport.STDIO and ("tools", "query") in db.flags
    assert secret("PG_PASSWORD") in db.args[3].text and db.args[3].location.line == 9
    assert db.env_value("DB_TOKEN").is_reference  # type: ignore[union-attr]
    assert ("tools", "read,search,db/*") in config.flags


def test_gh_aw_workflow_front_matter() -> None:
    config, _ = load("gh_aw_workflow.md", ".github/workflows/triage.md")
    assert config is not None and config.client is Client.GH_AW
    notion = server(config, "notion")
    assert notion.transport is Transport.STDIO and ("allowed", "search_pages,get_page") in notion.flags
    assert server(config, "tavily").header("Authorization").is_reference  # type: ignore[union-attr]


def test_markdown_without_front_matter_is_none() -> None:
    config, _ = load("plain_workflow.md", ".github/workflows/README.md")
    assert config is None


def test_dotenv_values() -> None:
    config, text = load("mcp.env", ".mcp.env")
    assert config is not None and config.client is Client.DOTENV and config.format is FileFormat.DOTENV
    assert [v.field for v in config.file_values] == [
        "env.github.personal_access_token", "env.SLACK_BOT_TOKEN", "env.EMPTY"]
    slack = file_value(config, "env.SLACK_BOT_TOKEN")
    assert slack.key == "SLACK_BOT_TOKEN" and slack.text == secret("SLACK_BOT")
    assert token_at(text, slack) == f'"{secret("SLACK_BOT")}"'
    assert file_value(config, "env.EMPTY").text == ""


def test_continue_legacy_config_json() -> None:
    from scanner.clients import parse_config
    from scanner.clients.discovery import classify_path

    candidate = classify_path(".continue/config.json")
    assert candidate is not None
    body = ('{"models": [], "experimental": {"modelContextProtocolServers": [\n'
            '  {"transport": {"type": "stdio", "command": "uvx", "args": ["mcp-server-sqlite"],\n'
            '   "env": {"DB_TOKEN": "' + secret("LEGACY_DB") + '"}}}]}}')
    config = parse_config(candidate, body.encode())
    assert config is not None and config.client is Client.CONTINUE
    (entry,) = config.servers
    assert entry.name == "server0" and entry.transport is Transport.STDIO
    assert entry.env_value("DB_TOKEN").text == secret("LEGACY_DB")  # type: ignore[union-attr]
    assert entry.location.line == 2
