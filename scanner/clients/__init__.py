"""Candidate + bytes -> McpConfig: decode, parse with the right parser, confirm by content, and hand
the tree to the client-family module. `referenced_files` lists dotenv files a config points at."""

from __future__ import annotations

import re

from scanner import parsing
from scanner.clients import claude_user, continue_dev, docker, goose, mcpservers, opencode, vscode, zed
from scanner.clients._files import referenced_files
from scanner.clients.catalog import CATALOG, GENERIC_CONTENT_WORDS, SHARED_CONTENT_WORDS
from scanner.clients.discovery import Candidate
from scanner.model import Client, FileFormat, McpConfig
from scanner.parsing.node import PNode

__all__ = ["parse_config", "referenced_files"]

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


# Top-level keys under which a client keeps its MCP servers (mcpServers, VS Code `servers`, Codex
# `mcp_servers`, Zed `context_servers`, opencode/Crush `mcp`, Goose `extensions`, gh-aw `mcp-servers`).
_MCP_KEY = re.compile(r"""(?m)(?:^|[{,\s.])["']?(?:mcpServers|mcp_servers|mcp-servers|context_servers|"""
                      r"""servers|mcp|extensions)["']?\s*[:=]|^\s*\[\s*mcp_servers\b""")


def _may_hold_mcp(candidate: Candidate, text: str) -> bool:
    if candidate.by_content:
        return _MCP_KEY.search(text) is not None
    # A file of these kinds cannot be an MCP config unless its text holds one of its client's words;
    # checked before parsing so unrelated files (a broken manifest.json, a plain workflow .md, a Codex
    # config without MCP) cost nothing and are not reported as parse errors.
    hint = candidate.hints[0]
    needs = CATALOG[hint].content_words
    if needs is None and hint is Client.VSCODE and not candidate.rel_path.endswith("mcp.json"):
        needs = SHARED_CONTENT_WORDS
    if needs is None and candidate.generic:
        needs = GENERIC_CONTENT_WORDS
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
    shape = CATALOG[hint].shape
    if shape is not None:  # a client with a file shape of its own (dotenv, TOML, front matter, ...)
        return shape(path, root, fmt, hint)
    if fmt is FileFormat.YAML:  # generic YAML name (mcp.yaml): try each YAML shape
        servers = root.get("mcpServers")
        if servers is not None and servers.is_array:
            return continue_dev.build(path, root, fmt, Client.GENERIC)
        return goose.build(path, root, fmt) or docker.build(path, root, fmt) or _json_family(candidate, root)
    return _json_family(candidate, root)


def _json_family(candidate: Candidate, root: PNode) -> McpConfig | None:
    path, fmt, hint = candidate.rel_path, candidate.fmt, candidate.hints[0]
    if hint is Client.CLAUDE_CODE and path.rsplit("/", 1)[-1].lower() in (".claude.json", "dot_claude.json"):
        return claude_user.build(path, root, fmt)  # top-level and per-project mcpServers
    amp = root.get("amp.mcpServers")  # Amp's flat dotted key (.amp/settings.json, VS Code settings)
    if amp is not None and amp.is_object:
        return mcpservers.build(path, root, Client.AMP if hint is not Client.VSCODE else hint, fmt,
                                key="amp.mcpServers")
    servers = root.get("mcpServers")
    if servers is not None and servers.is_object:
        return mcpservers.build(path, root, _client(candidate, Client.CLAUDE_CODE), fmt)
    if hint is Client.ZED or root.get("context_servers") is not None:
        return zed.build(path, root, fmt)
    if hint in (Client.OPENCODE, Client.CRUSH) or opencode.is_mcp_map(root.get("mcp")):
        client = hint if hint is Client.CRUSH else _client(candidate, Client.OPENCODE)
        found = opencode.build(path, root, client, fmt)
        if found is not None or hint in (Client.OPENCODE, Client.CRUSH):
            return found
    section = vscode.find_section(root)
    if section is not None:
        vs_client = Client.VISUAL_STUDIO if Client.VISUAL_STUDIO in candidate.hints else hint
        if candidate.generic and hint is not Client.VSCODE:
            vs_client = Client.GENERIC
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
