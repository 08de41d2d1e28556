"""General hardening rules (MCPG310-MCPG316): plain HTTP, auto-approved write tools, committed
personal files, blanket server approval, unpinned packages, untyped remote entries, user paths.

Severities stay low/medium: these make a leak or a bad tool call more likely, they are not one.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator
from itertools import chain
from operator import attrgetter
from urllib.parse import urlsplit

from scanner.findings import Finding
from scanner.hosts import is_loopback
from scanner.model import (
    Category,
    Client,
    Environment,
    FieldValue,
    Location,
    McpConfig,
    ServerEntry,
    Severity,
)
from scanner.references import find_references
from scanner.rules._capability import FileApprovals, auto_approvals, file_approvals, is_write_tool
from scanner.rules.base import Rule, RuleContext, iter_servers, register

_TEXT = attrgetter("text")
_BRIDGES = ("mcp-remote", "supergateway", "mcp-proxy", "mcp-server-fetch-proxy")
_LAUNCHERS = frozenset({"npx", "bunx", "pnpx", "uvx", "pipx", "pnpm", "npm", "yarn", "uv", "bun", "deno"})
# Each launcher name contains one of these (any case): a command without any names no launcher.
_LAUNCHER_HINT = re.compile("|".join(sorted(_LAUNCHERS)), re.I)
# A launcher as a whole space-separated word of the command (`f" {p} " in f" {command} "`).
_LAUNCHER_WORD = re.compile(r"(?<![^ ])(?:" + "|".join(sorted(_LAUNCHERS)) + r")(?![^ ])")
_LATEST = re.compile(r"^(?:@[\w.-]+/)?[\w.-]+@latest$")
_GIT_URL = re.compile(r"git\+(?:https?|ssh)://[^\s\"']+")
_GIT_USERINFO = re.compile(r"^([\w+.-]+://)[^/@]*@")
_USER_PATH = re.compile(r"(?:^|[\s\"'=:,(])(?:/Users/|/home/|[A-Za-z]:[\\/]{1,2}Users[\\/]{1,2})"
                        r"([^/\\\s\"']+)[/\\]")
# Names used in docs and samples instead of a real account.
_PLACEHOLDER_USERS = re.compile(r"^(?:user(?:name)?|you|your[-_]?\w*|me|name|example\w*|xxx+|runner|"
                                r"shared|public|default|guest|admin|<.*>|\W.*|.*[$%{}<>].*)$", re.I)


def _env(ctx: RuleContext, config: McpConfig, server: ServerEntry | None) -> Environment:
    return ctx.env_of(config, server).environment


def _find_key(ctx: RuleContext, path: str, key: str, start: int = 1) -> Location | None:
    """Line/column of `"key"` / `key =` / `key:` at or after line `start` in the decoded source."""
    pattern = re.compile(rf"""(["']?){re.escape(key)}\1\s*[:=]""")
    # Split once per file and scan (one lookup per `trust: true` server re-split the file: quadratic).
    split = ctx.shared.setdefault("hardening.lines", {})
    assert isinstance(split, dict)
    lines = split.get(path)
    if lines is None:
        lines = split[path] = ctx.sources.get(path, "").splitlines()
    for number in range(max(start, 1), len(lines) + 1):
        match = pattern.search(lines[number - 1])
        if match:
            return Location(path, number, match.start() + 1)
    return None


def _with_approvals(ctx: RuleContext) -> Iterator[tuple[McpConfig, ServerEntry, FileApprovals]]:
    """iter_servers with each config's file-level approvals (found once per config, not per server)."""
    for config in ctx.configs:
        if config.servers:
            approvals = file_approvals(config)
            for server in config.servers:
                yield config, server, approvals


def _private_host(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_private
    except ValueError:
        return "." not in host or host.endswith((".internal", ".lan", ".corp", ".home", ".intranet"))


@register
class PlainHttpRemote(Rule):
    id = "MCPG310"
    name = "plain-http-remote"
    category = Category.HARDENING
    default_severity = Severity.MEDIUM
    summary = "A remote MCP server is reached over plain http:// (tokens and tool data travel unencrypted)"
    remediation = "Use `https://` for every non-loopback MCP endpoint."

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for config, server in iter_servers(ctx.configs):
            urls: list[FieldValue] = [server.url] if server.url is not None else []
            joined = "\0".join(map(_TEXT, server.args))  # no bridge name holds a NUL: one test each
            if joined and any(b in joined for b in _BRIDGES):
                urls += [a for a in server.args if a.text.lower().startswith("http://")]
            for fv in urls:
                host = self._plain_host(fv.text)
                if host is None:
                    continue
                yield self.finding(
                    location=fv.location, config=config, server=server, field_name=fv.field,
                    message=f"Server '{server.name}' connects to {host} over plain http://.",
                    discriminator=host, environment=_env(ctx, config, server),
                    severity=Severity.LOW if _private_host(host) else Severity.MEDIUM,
                    evidence=[f"{fv.field} uses http:// to non-loopback host {host}"])

    @staticmethod
    def _plain_host(text: str) -> str | None:
        text = text.strip()
        if not text.lower().startswith("http://"):
            return None
        try:
            parts = urlsplit(text)
            host = (parts.hostname or "").lower()
        except ValueError:
            return None
        if find_references(parts.netloc) or "$" in parts.netloc or "{" in parts.netloc:
            return None  # the host comes from elsewhere
        if not host or is_loopback(host):
            return None
        return host


@register
class AutoApprovedWriteTools(Rule):
    id = "MCPG311"
    name = "auto-approved-write-tools"
    category = Category.HARDENING
    default_severity = Severity.MEDIUM
    summary = "State-changing MCP tools run without confirmation"
    remediation = ("Auto-approve only read tools (list_*, get_*, search_*); keep confirmation for tools "
                   "that execute SQL, migrate, deploy, delete or push. Remove `trust: true` and "
                   "`approval_mode = \"auto\"` for servers with write tools.")

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for config, server, approvals in _with_approvals(ctx):
            for description, fv in auto_approvals(config, server, approvals):
                location = fv.location if fv is not None else (
                    _find_key(ctx, config.path, "trust", server.location.line) or server.location)
                yield self._make(ctx, config, server, description, fv, location)
        for config in ctx.configs:
            if config.client is not Client.CLAUDE_SETTINGS:
                continue
            for fv in config.file_values:
                if not fv.field.startswith("permissions.allow[") or not fv.text.startswith("mcp__"):
                    continue
                parts = fv.text.split("__")
                tool = parts[2] if len(parts) > 2 and parts[2] else "*"
                if is_write_tool(tool):
                    label = "every tool" if tool == "*" else f"write tool '{tool}'"
                    yield self._make(ctx, config, None, f"permissions.allow approves {label} of server "
                                     f"'{parts[1] if len(parts) > 1 else '?'}'", fv, fv.location)

    def _make(self, ctx: RuleContext, config: McpConfig, server: ServerEntry | None, description: str,
              fv: FieldValue | None, location: Location) -> Finding:
        # A blanket approval of one server's tools may cover only read tools: keep it low.
        blanket = "all tools" in description or "every tool of" in description \
            or description.startswith("permissions.allow approves every tool")
        who = f"Server '{server.name}'" if server is not None else config.path
        return self.finding(
            location=location, config=config, server=server, field_name=fv.field if fv else "trust",
            message=f"{who}: {description}; such calls run without confirmation.",
            discriminator=description, environment=_env(ctx, config, server),
            severity=Severity.LOW if blanket else Severity.MEDIUM, evidence=[description])


@register
class CommittedPersonalFile(Rule):
    id = "MCPG312"
    name = "committed-personal-file"
    category = Category.HARDENING
    default_severity = Severity.LOW
    summary = "A personal or secret-holding MCP file is committed"
    remediation = ("Remove the file from the repository (`git rm --cached`), add it to `.gitignore`, and "
                   "rotate any credential it held.")

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for config in ctx.configs:
            base = config.path.rsplit("/", 1)[-1]
            if base in (".mcp.env", ".env.mcp"):
                severity, why = Severity.MEDIUM, "holds MCP server secrets (dotenv) meant to stay local"
            elif config.path.endswith(".claude/settings.local.json") or config.path == "settings.local.json":
                severity, why = Severity.LOW, "is Claude Code's personal settings file"
            else:
                continue
            yield self.finding(
                location=Location(config.path, 1, 1), config=config, server=None, field_name="file",
                message=f"{config.path} {why}; it should not be committed.", discriminator=base,
                environment=_env(ctx, config, None), severity=severity, evidence=[f"{config.path} {why}"])


@register
class EnableAllProjectServers(Rule):
    id = "MCPG313"
    name = "enable-all-project-servers"
    category = Category.HARDENING
    default_severity = Severity.MEDIUM
    summary = "`enableAllProjectMcpServers: true` approves every server a future commit adds to .mcp.json"
    remediation = "Remove the key, or list trusted servers by name in `enabledMcpjsonServers`."

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for config in ctx.configs:
            if config.client is not Client.CLAUDE_SETTINGS:
                continue
            if ("enableAllProjectMcpServers", "true") not in config.flags:
                continue
            location = (_find_key(ctx, config.path, "enableAllProjectMcpServers")
                        or Location(config.path, 1, 1))
            yield self.finding(
                location=location, config=config, server=None, field_name="enableAllProjectMcpServers",
                message=f"{config.path} sets enableAllProjectMcpServers: true; every server in .mcp.json, "
                        "including ones added later, starts without review.",
                discriminator="enableAllProjectMcpServers", environment=_env(ctx, config, None),
                evidence=["enableAllProjectMcpServers: true"])


@register
class UnpinnedPackage(Rule):
    id = "MCPG314"
    name = "unpinned-server-package"
    category = Category.HARDENING
    default_severity = Severity.LOW
    summary = "A server package runs as `@latest` or from a git URL without a ref"
    remediation = "Pin an exact version (`pkg@1.4.2`) or a commit (`git+https://...@<sha>`)."

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for config, server in iter_servers(ctx.configs):
            for fv, what in self._unpinned(server):
                yield self.finding(
                    location=fv.location, config=config, server=server, field_name=fv.field,
                    message=f"Server '{server.name}' runs {what}; each start may fetch different code.",
                    discriminator=what, environment=_env(ctx, config, server), evidence=[what])

    @staticmethod
    def _unpinned(server: ServerEntry) -> Iterator[tuple[FieldValue, str]]:
        command = server.command.text if server.command is not None else ""
        if not _LAUNCHER_HINT.search(command):
            return
        program = command.strip().split(" ")[0].rsplit("/", 1)[-1].lower().removesuffix(".cmd")
        if program not in _LAUNCHERS and not _LAUNCHER_WORD.search(command):
            return
        for fv in (*server.args, *([server.command] if server.command else [])):
            text = fv.text
            if "@latest" not in text and "git+" not in text:
                continue  # neither pattern below can match a token of it
            for token in text.split():
                if _LATEST.match(token):
                    yield fv, f"{token} (unpinned)"
                for url in _GIT_URL.findall(token):
                    path = url.split("://", 1)[1].split("/", 1)[-1]
                    if "@" not in path:
                        # Never the userinfo: `git+https://oauth2:<token>@host/…` holds a credential.
                        shown = _GIT_USERINFO.sub(r"\1", url.split("#", 1)[0])
                        yield fv, f"{shown} without a ref"


@register
class UrlWithoutType(Rule):
    id = "MCPG315"
    name = "remote-entry-without-type"
    category = Category.HARDENING
    default_severity = Severity.LOW
    summary = "A `.mcp.json` entry has `url` but no `type`; Claude Code skips it"
    remediation = 'Add `"type": "http"` (or `"sse"`) next to `url`.'

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for config, server in iter_servers(ctx.configs):
            if config.client is not Client.CLAUDE_CODE or not config.path.endswith(".mcp.json"):
                continue
            if server.url is None or server.command is not None:
                continue
            if any(v.field == "type" for v in server.values) or any(k == "type" for k, _ in server.flags):
                continue
            yield self.finding(
                location=server.url.location, config=config, server=server, field_name=server.url.field,
                message=f"Server '{server.name}' has a url but no type; Claude Code treats it as stdio "
                        "and skips it.", discriminator="missing-type", environment=_env(ctx, config, server),
                evidence=["url without type in .mcp.json"])


@register
class AbsoluteUserPath(Rule):
    id = "MCPG316"
    name = "absolute-user-path"
    category = Category.HARDENING
    default_severity = Severity.LOW
    summary = "An absolute path under a user's home directory leaks the user name and breaks for others"
    remediation = "Use a path relative to the project, `${workspaceFolder}`, `~`, or an env reference."

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for config in ctx.configs:
            # Every form of _USER_PATH holds `Users` or `/home/` (neither holds a NUL): one C-level
            # search of the joined texts passes over a config none of whose values has either.
            joined = "\0".join(map(_TEXT, chain(*(server.values for server in config.servers),
                                                  config.file_values)))
            if "Users" not in joined and "/home/" not in joined:
                continue
            scopes: list[tuple[ServerEntry | None, tuple[FieldValue, ...]]] = [
                (server, server.values) for server in config.servers]
            scopes.append((None, config.file_values))
            for server, values in scopes:
                fv = next((v for v in values if self._user_in(v.text)), None)
                if fv is None:
                    continue
                where = f"server '{server.name}'" if server is not None else config.path
                yield self.finding(
                    location=fv.location, config=config, server=server, field_name=fv.field,
                    message=f"`{fv.field}` of {where} is an absolute path in a user's home directory.",
                    discriminator="user-path", environment=_env(ctx, config, server),
                    evidence=[f"{fv.field} points into a home directory"])

    @staticmethod
    def _user_in(text: str) -> bool:
        if "Users" not in text and "/home/" not in text:
            return False  # every form of _USER_PATH holds one of them
        return any(not _PLACEHOLDER_USERS.match(m.group(1)) for m in _USER_PATH.finditer(text))
