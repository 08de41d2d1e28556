"""VS Code family (mcp.json servers+inputs, legacy settings, code-workspace, devcontainer), Visual
Studio `.mcp.json`, opencode, Crush and Zed."""

from __future__ import annotations

from scanner.model import Client, Transport
from tests.clients.helpers import file_value, load, secret, server, token_at, value


def test_vscode_jsonc_inputs_servers_positions() -> None:
    config, text = load("vscode_mcp.jsonc", ".vscode/mcp.json")
    assert config is not None and config.client is Client.VSCODE
    assert config.input_ids == ("gh-pat", "db-url")
    assert ("inputs[0].password", "true") in config.flags
    default = file_value(config, "inputs[1].default")
    assert default.text == secret("DB_DEFAULT")
    assert (default.location.line, default.location.column) == (5, 89)
    assert token_at(text, default) == f'"{secret("DB_DEFAULT")}"'
    # The commented-out block is not a server (comments go to the raw-text engines instead).
    assert [s.name for s in config.servers] == ["github", "search"]
    github = server(config, "github")
    assert github.transport is Transport.HTTP and github.header("Authorization").is_reference  # type: ignore[union-attr]
    search = server(config, "search")
    assert search.args[1].location.line == 17 and search.args[1].location.column == 22
    assert search.env_file is not None and search.env_file.text == "${workspaceFolder}/.env"
    assert search.env[0].is_reference  # bare ${NAME}: a reference (hardening rules judge the syntax)


def test_dot_mcp_json_with_servers_is_visual_studio() -> None:
    config, _ = load("visual_studio.mcp.json", ".mcp.json")
    assert config is not None and config.client is Client.VISUAL_STUDIO
    azure = server(config, "azure")
    assert azure.env_value("AZURE_CLIENT_SECRET").text == secret("AZURE_SECRET")  # type: ignore[union-attr]
    assert [a.location.column for a in azure.args] == [16, 22, 43, 53]


def test_vscode_legacy_settings_mcp_key() -> None:
    config, _ = load("vscode_settings.json", ".vscode/settings.json")
    assert config is not None and config.client is Client.VSCODE
    assert [s.name for s in config.servers] == ["fetch"]
    assert config.file_values == ()  # editor settings are not MCP values


def test_vscode_settings_without_mcp_is_searched_whole() -> None:
    config, _ = load("plain_vscode_settings.json", ".vscode/settings.json")
    # A known client path: searched for secrets whole, with no MCP servers or MCP file values.
    assert config is not None and config.servers == () and config.file_values == ()


def test_code_workspace_settings_mcp() -> None:
    config, _ = load("team.code-workspace", "team.code-workspace")
    assert config is not None and config.client is Client.VSCODE
    linear = server(config, "linear")
    assert linear.env_value("LINEAR_API_KEY").text == secret("LINEAR_KEY")  # type: ignore[union-attr]


def test_devcontainer_customizations() -> None:
    config, _ = load("devcontainer.json", ".devcontainer/devcontainer.json")
    assert config is not None and [s.name for s in config.servers] == ["playwright"]
    config, _ = load("plain_vscode_settings.json", ".devcontainer/devcontainer.json")
    assert config is None


def test_opencode_array_command_environment_and_providers() -> None:
    config, _ = load("opencode.jsonc", "opencode.jsonc")
    assert config is not None and config.client is Client.OPENCODE
    db = server(config, "db")
    assert db.transport is Transport.STDIO and db.disabled
    assert db.command is not None and db.command.field == "command[0]" and db.command.text == "npx"
    assert [a.field for a in db.args] == ["command[1]", "command[2]", "command[3]", "command[4]"]
    assert db.args[3].text == secret("DB_URL")
    api_key = db.env_value("API_KEY")
    assert api_key is not None and api_key.field == "env.API_KEY" and api_key.location.column == 79
    assert db.env_value("DATABASE_URL").is_reference  # type: ignore[union-attr]
    tracker = server(config, "tracker")
    assert tracker.transport is Transport.HTTP and ("oauth", "false") in tracker.flags
    assert file_value(config, "provider.openai.options.apiKey").is_reference


def test_crush_mcp_map() -> None:
    config, _ = load("crush.json", ".crush.json")
    assert config is not None and config.client is Client.CRUSH
    assert server(config, "github").header("authorization").is_reference  # type: ignore[union-attr]
    assert server(config, "filesystem").env_value("NODE_ENV").text == "production"  # type: ignore[union-attr]


def test_zed_context_servers_all_shapes() -> None:
    config, _ = load("zed_settings.json", ".zed/settings.json")
    assert config is not None and config.client is Client.ZED
    legacy = server(config, "legacy")
    assert legacy.command is not None and legacy.command.field == "command" and legacy.command.text == "uvx"
    assert legacy.args[0].field == "args[0]"
    assert legacy.env_value("GIT_TOKEN").field == "env.GIT_TOKEN"  # type: ignore[union-attr]
    ext = server(config, "mcp-server-github")
    setting = value(ext, "settings.github_personal_access_token")
    assert setting.text == secret("GITHUB_PAT") and setting.key == "github_personal_access_token"
    assert server(config, "remote-tool").transport is Transport.HTTP
    assert config.file_values == ()  # the theme is not an MCP value
