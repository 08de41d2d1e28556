"""Arbitrary JSON/YAML-shaped content under every client path: a config or None, never a crash."""

from __future__ import annotations

import json

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.clients import parse_config, referenced_files
from scanner.clients.discovery import classify_path
from scanner.errors import ParseError

_KEYS = ["mcpServers", "servers", "inputs", "mcp", "context_servers", "mcp_servers", "extensions", "command",
         "args", "env", "url", "headers", "type", "envFile", "environment", "cmd", "envs", "env_keys",
         "env_vars", "services", "image", "secrets", "registry", "startCommand", "exampleConfig", "server",
         "mcp_config", "user_config", "default", "name", "settings", "customizations", "vscode", "path",
         "requestOptions", "configSchema", "properties", "permissions", "allow", "disabled", "enabled"]
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(
    ["", "npx", "${env:X}", "docker/mcp-gateway", "--env-file", ".env", "stdio", "local", "remote", "sse",
     "http", "--transport=sse", "A=b", "../x", "${workspaceFolder}/.env"]))
_TREES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(_KEYS), inner, max_size=5)),
    max_leaves=30,
)
_PATHS = [".mcp.json", ".vscode/mcp.json", ".vscode/settings.json", "a.code-workspace",
          ".devcontainer/devcontainer.json", "opencode.json", ".crush.json", ".zed/settings.json",
          "mcp.json", "manifest.json", ".claude/settings.json", ".agents/mcp.json",
          ".continue/mcpServers/x.json"]
_YAML_PATHS = ["smithery.yaml", "compose.yaml", "server.yaml", "recipes/r.yaml", ".continue/config.yaml",
               "mcp.yaml"]


@settings(max_examples=150, deadline=None)
@given(tree=st.dictionaries(st.sampled_from(_KEYS), _TREES, max_size=4))
def test_json_shapes_never_crash(tree: dict[str, object]) -> None:
    data = json.dumps(tree).encode()
    for path in _PATHS:
        candidate = classify_path(path)
        assert candidate is not None
        config = parse_config(candidate, data)
        if config is not None:
            assert config.path == path
            referenced_files(config)


@settings(max_examples=100, deadline=None)
@given(tree=st.dictionaries(st.sampled_from(_KEYS), _TREES, max_size=4))
def test_yaml_shapes_never_crash(tree: dict[str, object]) -> None:
    data = yaml.safe_dump(tree).encode()
    for path in _YAML_PATHS:
        candidate = classify_path(path)
        assert candidate is not None
        try:
            config = parse_config(candidate, data)
        except ParseError:
            continue
        if config is not None:
            referenced_files(config)
