"""Candidate + bytes -> McpConfig: decode, parse with the right parser, confirm by content, and hand
the tree to the client-family module. `referenced_files` lists dotenv files a config points at."""

from __future__ import annotations

from scanner import parsing
from scanner.clients import (
    claude_settings,
    codex,
    continue_dev,
    docker,
    dotenv,
    frontmatter,
    goose,
    mcpservers,
    opencode,
    smithery,
    vscode,
    zed,
)
from scanner.clients._files import referenced_files
from scanner.clients.discovery import Candidate
from scanner.model import Client, FileFormat, McpConfig
from scanner.parsing.node import PNode

__all__ = ["parse_config", "referenced_files"]

C = Client
F = FileFormat

# A file of these kinds cannot be an MCP config unless its text holds one of these words; checked
# before parsing so unrelated files (a broken manifest.json, a plain workflow .md, a Codex config
# without MCP) cost nothing and are not reported as parse errors.
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
_GENERIC_NEEDS = ("mcp", "servers", "extensions", "context_servers", "secrets")
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
    if fmt in (F.JSON, F.JSONC):
        return parsing.parse_jsonc(text)
    if fmt is F.YAML:
        return parsing.parse_yaml(text)
    if fmt is F.MARKDOWN:
        return parsing.parse_front_matter(text)
    if fmt is F.TOML:
        return parsing.parse_toml(text)
    return parsing.parse_dotenv(text)


def _dispatch(candidate: Candidate, root: PNode) -> McpConfig | None:
    path, fmt, hint = candidate.rel_path, candidate.fmt, candidate.hints[0]
    if fmt is F.DOTENV:
        return dotenv.build(path, root)
    if hint is C.CLAUDE_SETTINGS:
        return claude_settings.build(path, root, fmt)
    if fmt is F.TOML:
        return codex.build(path, root, fmt)
    if fmt is F.MARKDOWN:
        return frontmatter.build(path, root, hint, fmt)
    if hint is C.SMITHERY:
        return smithery.build(path, root, fmt)
    if hint is C.DOCKER_MCP:
        return docker.build(path, root, fmt)
    if hint is C.GOOSE:
        return goose.build(path, root, fmt)
    if hint is C.MCPB:
        return mcpservers.build_mcpb(path, root, fmt)
    if hint is C.CONTINUE:
        return continue_dev.build(path, root, fmt)
    if fmt is F.YAML:  # generic YAML name (mcp.yaml): try each YAML shape
        servers = root.get("mcpServers")
        if servers is not None and servers.is_array:
            return continue_dev.build(path, root, fmt, C.GENERIC)
        return goose.build(path, root, fmt) or docker.build(path, root, fmt) or _json_family(candidate, root)
    return _json_family(candidate, root)


def _json_family(candidate: Candidate, root: PNode) -> McpConfig | None:
    path, fmt, hint = candidate.rel_path, candidate.fmt, candidate.hints[0]
    servers = root.get("mcpServers")
    if servers is not None and servers.is_object:
        return mcpservers.build(path, root, _client(candidate, C.CLAUDE_CODE), fmt)
    if hint is C.ZED or root.get("context_servers") is not None:
        return zed.build(path, root, fmt)
    if hint in (C.OPENCODE, C.CRUSH) or opencode.is_mcp_map(root.get("mcp")):
        found = opencode.build(path, root, hint if hint is C.CRUSH else _client(candidate, C.OPENCODE), fmt)
        if found is not None or hint in (C.OPENCODE, C.CRUSH):
            return found
    section = vscode.find_section(root)
    if section is not None:
        vs_client = C.VISUAL_STUDIO if C.VISUAL_STUDIO in candidate.hints else hint
        if candidate.generic and hint is not C.VSCODE:
            vs_client = C.GENERIC
        return vscode.build(path, root, section[0], section[1], vs_client, fmt)
    server = root.get("server")
    if candidate.generic and server is not None and server.get("mcp_config") is not None:
        return mcpservers.build_mcpb(path, root, fmt)
    return None


def _client(candidate: Candidate, preferred: Client) -> Client:
    """`preferred` when the path is shared between clients (`.mcp.json`: Claude Code for
    `mcpServers`), else the path's first hint (GENERIC for generic names)."""
    if preferred in candidate.hints:
        return preferred
    return candidate.hints[0]
