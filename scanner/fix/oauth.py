""""Use OAuth instead": the replacement server entry, in the client's own syntax, for a vendor that
runs a hosted MCP endpoint with OAuth (providers/runbooks.py `oauth_url`). The entry holds no secret;
the client signs in through the browser. Shapes from /work/research/providers.md (per-client remote
server keys) — a client that cannot add a remote server in its file gets the `mcp-remote` bridge.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from scanner.model import Client
from scanner.output_guard import holds_secret
from scanner.providers.runbooks import runbook_for


@dataclass(frozen=True, slots=True)
class OAuthEntry:
    url: str
    language: str  # code block language
    entry: str  # the replacement server entry (no secret)
    login: str  # how to sign in after adding it (plain text)


def _name(server: str | None, provider: str) -> str:
    """A server name fit for the snippet (never PR-controlled punctuation, never a token)."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", server or "").strip("-")
    if holds_secret(name):
        return provider
    return name or provider


def _json(obj: object) -> str:
    return json.dumps(obj, indent=2)


def oauth_entry(client: str, server: str | None, provider: str | None) -> OAuthEntry | None:
    """The hosted OAuth server entry replacing `server` for `client`, or None (no hosted endpoint,
    or a client that does not support OAuth remotes: the Copilot cloud agent)."""
    book = runbook_for(provider)
    url = book.oauth_url
    if not url:
        return None
    try:
        kind = Client(client)
    except ValueError:
        kind = Client.GENERIC
    name = _name(server, book.provider)
    remote = {"mcpServers": {name: {"command": "npx", "args": ["-y", "mcp-remote", url]}}}
    bridge = "the first start opens the browser to sign in (mcp-remote keeps the tokens in ~/.mcp-auth)"
    if kind is Client.CLAUDE_CODE:
        return OAuthEntry(url, "json", _json({"mcpServers": {name: {"type": "http", "url": url}}}),
                          "run /mcp in Claude Code and choose Authenticate")
    if kind in (Client.CURSOR, Client.KIRO, Client.COPILOT_CLI, Client.CRUSH):
        return OAuthEntry(url, "json", _json({"mcpServers": {name: {"url": url}}}),
                          "the client opens the browser to sign in on first use")
    if kind in (Client.VSCODE, Client.VISUAL_STUDIO):
        return OAuthEntry(url, "json", _json({"servers": {name: {"type": "http", "url": url}}}),
                          "start the server from mcp.json and accept the sign-in prompt")
    if kind in (Client.WINDSURF, Client.ANTIGRAVITY):
        return OAuthEntry(url, "json", _json({"mcpServers": {name: {"serverUrl": url}}}),
                          "the client opens the browser to sign in on first use")
    if kind is Client.GEMINI:
        return OAuthEntry(url, "json", _json({"mcpServers": {name: {"httpUrl": url}}}),
                          f"run /mcp auth {name} in Gemini CLI")
    if kind is Client.OPENCODE:
        return OAuthEntry(url, "json", _json({"mcp": {name: {"type": "remote", "url": url}}}),
                          f"run `opencode mcp auth {name}`")
    if kind is Client.CODEX:
        return OAuthEntry(url, "toml", f"[mcp_servers.{name}]\nurl = {json.dumps(url)}",
                          f"run `codex mcp login {name}`")
    if kind is Client.ZED:
        return OAuthEntry(url, "json", _json({"context_servers": {name: {"url": url}}}),
                          "Zed asks you to sign in when the server starts")
    if kind is Client.GOOSE:
        return OAuthEntry(url, "yaml", f"extensions:\n  {name}:\n    type: streamable_http\n    uri: {url}",
                          "Goose opens the browser to sign in on first use")
    if kind is Client.CLAUDE_DESKTOP:
        return OAuthEntry(url, "json", _json(remote),
                          "restart Claude Desktop: " + bridge + " (or add the URL under Settings > "
                          "Connectors > Add custom connector instead of this entry)")
    if kind in (Client.COPILOT_AGENT, Client.GH_AW, Client.GITHUB_ACTIONS, Client.DOTENV, Client.SMITHERY,
                Client.DOCKER_MCP, Client.MCPB, Client.CLAUDE_SETTINGS, Client.CONTINUE):
        return None
    return OAuthEntry(url, "json", _json(remote), bridge)
