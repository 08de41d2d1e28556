"""Run the built-in engine over config texts through the real discovery + client parse path."""

from __future__ import annotations

from scanner.clients import parse_config
from scanner.clients.discovery import classify_path, dotenv_candidate
from scanner.engines.builtin import BuiltinEngine
from scanner.engines.engine import SecretMatch
from scanner.model import McpConfig


def parse_files(files: dict[str, str]) -> tuple[list[McpConfig], dict[str, bytes]]:
    """Parse {relative path: text} into configs (dotenv names go through dotenv_candidate)."""
    configs: list[McpConfig] = []
    sources: dict[str, bytes] = {}
    for rel, text in files.items():
        candidate = classify_path(rel)
        if candidate is None and (rel.endswith(".env") or ".env." in rel or rel.endswith(".env.mcp")):
            candidate = dotenv_candidate(rel)
        assert candidate is not None, f"not a candidate: {rel}"
        data = text.encode("utf-8")
        config = parse_config(candidate, data)
        assert config is not None, f"not parsed as an MCP config: {rel}"
        configs.append(config)
        sources[rel] = data
    return configs, sources


def scan(files: dict[str, str]) -> list[SecretMatch]:
    """Built-in engine matches for {relative path: text}."""
    configs, sources = parse_files(files)
    return BuiltinEngine().detect(configs, sources)


def mcp_json(servers: str) -> dict[str, str]:
    """A Claude Code `.mcp.json` holding the given `mcpServers` body (JSON text of the object)."""
    return {".mcp.json": '{"mcpServers": ' + servers + "}"}
