"""Candidate + bytes -> McpConfig: decode, parse with the right parser, confirm by content, and hand
the tree to the client-family module. `referenced_files` lists dotenv files a config points at."""

from __future__ import annotations

from scanner import parsing
from scanner.clients import claude_settings, mcpservers
from scanner.clients._files import referenced_files
from scanner.discovery import Candidate
from scanner.model import Client, FileFormat, McpConfig
from scanner.parsing.node import PNode

__all__ = ["parse_config", "referenced_files"]

C = Client

# A file of these kinds cannot be an MCP config unless its text holds one of these words; checked
# before parsing so unrelated files (a broken manifest.json, a plain workflow .md) cost nothing
# and are not reported as parse errors.
_NEEDS: dict[Client, tuple[str, ...]] = {
    C.MCPB: ("mcp_config",),
    C.DOCKER_MCP: ("mcp-gateway", "secrets", "registry"),
    C.GOOSE: ("extensions",),
    C.SMITHERY: ("startCommand",),
    C.COPILOT_AGENT: ("mcp-servers",),
    C.GH_AW: ("mcp-servers",),
    C.ZED: ("context_servers",),
    C.GEMINI: ("mcpServers",),
    C.CODEX: ("mcp_servers",),
}
_GENERIC_NEEDS = ("mcp", "servers", "extensions", "context_servers", "mcp-gateway", "secrets")
_SHARED_NEEDS = ("mcp",)  # VS Code settings.json / *.code-workspace / devcontainer.json


def parse_config(candidate: Candidate, data: bytes) -> McpConfig | None:
    """The McpConfig of a candidate file, or None when its content is not an MCP config.

    Raises scanner.errors.ParseError when the content cannot be decoded or parsed.
    """
    text = parsing.decode_text(data)
    if not _may_hold_mcp(candidate, text):
        return None
    root = _parse(candidate.fmt, text)
    if root is None or not root.is_object:
        return None
    return _dispatch(candidate, root)


def _may_hold_mcp(candidate: Candidate, text: str) -> bool:
    hint = candidate.hints[0]
    needs = _NEEDS.get(hint)
    if needs is None and hint is C.VSCODE and not candidate.rel_path.endswith("mcp.json"):
        needs = _SHARED_NEEDS
    if needs is None and candidate.generic:
        needs = _GENERIC_NEEDS
    return needs is None or any(word in text for word in needs)


def _parse(fmt: FileFormat, text: str) -> PNode | None:
    if fmt in (FileFormat.JSON, FileFormat.JSONC):
        return parsing.parse_jsonc(text)
    if fmt is FileFormat.YAML:
        return parsing.parse_yaml(text)
    if fmt is FileFormat.MARKDOWN:
        return parsing.parse_front_matter(text)
    if fmt is FileFormat.TOML:
        return parsing.parse_toml(text)
    return parsing.parse_dotenv(text)


def _dispatch(candidate: Candidate, root: PNode) -> McpConfig | None:
    path, fmt, hint = candidate.rel_path, candidate.fmt, candidate.hints[0]
    if hint is C.CLAUDE_SETTINGS:
        return claude_settings.build(path, root, fmt)
    if hint is C.MCPB:
        return mcpservers.build_mcpb(path, root, fmt)
    return _json_family(candidate, root)


def _json_family(candidate: Candidate, root: PNode) -> McpConfig | None:
    path, fmt = candidate.rel_path, candidate.fmt
    servers = root.get("mcpServers")
    if servers is not None and servers.is_object:
        return mcpservers.build(path, root, _client(candidate, C.CLAUDE_CODE), fmt)
    server = root.get("server")
    if candidate.generic and server is not None and server.get("mcp_config") is not None:
        return mcpservers.build_mcpb(path, root, fmt)
    return None


def _client(candidate: Candidate, preferred: Client) -> Client:
    """The client reading this file: `preferred` when the path is shared (`.mcp.json`), else the
    path's first hint (GENERIC for generic names)."""
    if preferred in candidate.hints:
        return preferred
    return candidate.hints[0]
