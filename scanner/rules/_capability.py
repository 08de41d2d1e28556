"""What a server may do: write/unrestricted modes, read-only modes, and auto-approved write tools.

Shared by the prod-env-reuse rules (severity modifiers) and the hardening rules (auto-approval).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from scanner.model import FieldValue, McpConfig, ServerEntry

# Tool-name verbs that change state. A tool counts as a write tool when its first word is one of
# these (execute_sql, apply_migration, deploy_app, delete_branch, createIssue, ...).
WRITE_VERBS = frozenset({
    "execute", "exec", "apply", "deploy", "delete", "drop", "create", "push", "merge", "update",
    "write", "insert", "remove", "destroy", "run", "kill", "truncate", "alter", "modify", "patch",
    "put", "upload", "publish", "rollback", "restart", "scale", "terminate", "reset", "revoke",
    "rotate", "purge", "edit", "set", "add", "move", "rename", "close", "approve", "cancel",
    "pause", "resume", "invoke", "trigger", "send", "post", "upsert", "replace", "migrate", "commit",
})
WRITE_FLAGS = frozenset({"--allow-write", "--allow-writes", "--allow-sensitive-data-access",
                         "--read-write", "--readwrite", "--unsafe", "--allow-dangerous"})
READ_ONLY_FLAGS = frozenset({"--read-only", "--readonly", "--read_only", "--ro"})
_TRUE = frozenset({"true", "1", "yes", "on"})
# Server fields that can approve tools (the checks in auto_approvals each need one of these prefixes).
_APPROVAL_FIELDS = ("alwaysAllow", "autoApprove", "tools.", "default_tools_approval_mode")
_FILE_APPROVAL_HEADS = ("allowedTools", "permissions.allow")
_MODE_NAMES = ("READ_ONLY", "READONLY", "ALLOW_WRITE", "ALLOW_WRITES")  # env names capability reads
_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
_READONLY_USERS = re.compile(r"^(?:ro|readonly|read[_-]?only|reader|read|viewer|report(?:ing)?)(?:[_-].*)?$"
                             r"|.*[_-](?:ro|readonly|read[_-]?only|reader|viewer)$", re.I)


@dataclass(frozen=True, slots=True)
class Capability:
    """Why a server can write, and why it is limited to reading (short strings, no values)."""

    write: tuple[str, ...] = ()
    read_only: tuple[str, ...] = ()

    @property
    def can_write(self) -> bool:
        return bool(self.write) and not self.read_only


def is_write_tool(name: str) -> bool:
    """True for a state-changing tool name (or `*`, all tools). `mcp__srv__tool` forms are accepted."""
    tool = name.strip().rsplit("__", 1)[-1].rsplit("/", 1)[-1]
    if tool in ("*", "all"):
        return True
    words = [w.lower() for w in _SPLIT.split(tool) if w]
    return bool(words) and words[0] in WRITE_VERBS


# File-level approvals by the server name they approve: (value, tool or "*"), in file order.
FileApprovals = Mapping[str, Sequence[tuple[FieldValue, str]]]


def file_approvals(config: McpConfig) -> FileApprovals:
    """The file-level values that approve tools (Amazon Q `allowedTools` ["@server", "@server/tool"],
    Claude `permissions.allow` mcp__server__tool) indexed by server name: found once per config by
    callers that walk all its servers (each server scanning every entry was servers x entries)."""
    index: dict[str, list[tuple[FieldValue, str]]] = {}
    for value in config.file_values:
        if value.field.split("[", 1)[0] not in _FILE_APPROVAL_HEADS:
            continue
        named = _approval_target(value.text)
        if named is not None:
            index.setdefault(named[0], []).append((value, named[1]))
    return index


def auto_approvals(config: McpConfig, server: ServerEntry, approvals: FileApprovals | None = None,
                   ) -> Iterator[tuple[str, FieldValue | None]]:
    """(description, value) for every auto-approval of a write tool on this server.

    Covers Cline/Roo/Kiro `alwaysAllow`/`autoApprove`, Codex `tools.<t>.approval_mode = "auto"` and
    `default_tools_approval_mode = "auto"`, Gemini `trust: true` (all tools), Amazon Q `allowedTools`.
    `approvals`: file_approvals(config), when the caller already has it.
    """
    for value in server.values:
        if not value.field.startswith(_APPROVAL_FIELDS):
            continue
        head = value.field.split("[", 1)[0]
        if head in ("alwaysAllow", "autoApprove") and is_write_tool(value.text):
            yield f"{head} lists write tool '{value.text}'", value
        elif value.field.startswith("tools.") and value.field.endswith(".approval_mode") \
                and value.text.strip().lower() == "auto":
            tool = value.field[len("tools."):-len(".approval_mode")]
            if is_write_tool(tool):
                yield f"tool '{tool}' has approval_mode = \"auto\"", value
        elif value.field == "default_tools_approval_mode" and value.text.strip().lower() == "auto":
            yield "default_tools_approval_mode = \"auto\" approves every tool", value
    for key, text in server.flags:
        if key == "trust" and text.lower() == "true":
            yield "trust: true skips confirmation for every tool", None
    # Amazon Q agents: allowedTools ["@server", "@server/tool"]; Claude: permissions.allow mcp__x__y.
    for value, target in (file_approvals(config) if approvals is None else approvals).get(server.name, ()):
        if is_write_tool(target):
            label = "all tools" if target == "*" else f"write tool '{target}'"
            yield f"{value.field.split('[', 1)[0]} approves {label}", value


def _approval_target(text: str) -> tuple[str, str] | None:
    """(server name, tool or "*") an `@server/tool` or `mcp__server__tool` entry approves."""
    text = text.strip()
    if text.startswith("@"):
        name, _, tool = text[1:].partition("/")
        return name, tool or "*"
    if text.startswith("mcp__"):
        parts = text.split("__")
        return parts[1], parts[2] if len(parts) > 2 and parts[2] else "*"
    return None


def capability(config: McpConfig, server: ServerEntry, approvals: FileApprovals | None = None,
               *, urls: bool = True) -> Capability:
    """Write and read-only signals from args, env, URL query and URI user names (`approvals`: see
    auto_approvals). `urls=False` leaves the URLs out: the signals of the arguments, env, headers
    and approvals only (a URL adds no write signal but `hosted Supabase MCP URL ...`)."""
    write: list[str] = []
    read_only: list[str] = []
    args = [a.text for a in server.args]
    for index, text in enumerate(args):
        if not text.startswith("-"):
            continue  # every flag below starts with "--"
        flag, eq, inline = text.partition("=")
        lowered = flag.lower()
        value = inline if eq else (args[index + 1] if index + 1 < len(args) else "")
        if lowered in WRITE_FLAGS:
            write.append(f"argument {flag}")
        elif lowered in READ_ONLY_FLAGS and (not eq or inline.lower() in _TRUE):
            read_only.append(f"argument {flag}")
        elif lowered == "--access-mode":
            if value.lower() == "unrestricted":
                write.append("argument --access-mode=unrestricted")
            elif value.lower() == "restricted":
                read_only.append("argument --access-mode=restricted")
    for env in server.env:
        name = (env.key or "").upper()
        if not name.endswith(_MODE_NAMES):
            continue  # neither branch below
        setting = env.text.strip().lower()
        if env.is_reference or "$" in setting:
            continue  # resolved elsewhere: says nothing either way
        if name.endswith(("READ_ONLY", "READONLY")):
            (read_only if setting in _TRUE else write).append(f"env {name}={env.text.strip()}")
        elif name.endswith(("ALLOW_WRITE", "ALLOW_WRITES")) and setting in _TRUE:
            write.append(f"env {name}={env.text.strip()}")
    for header in server.headers:
        if (header.key or "").lower() in ("x-mcp-readonly", "x-read-only") and header.text.lower() in _TRUE:
            read_only.append(f"header {header.key}: true")
    found = [server.url.text] if server.url is not None else []
    found += [t for t in args if "://" in t] + [v.text for v in server.env if "://" in v.text]
    for url in found if urls else ():
        lowered = url.lower()
        if "@" not in url and "%" not in url and "read" not in lowered and "mcp.supabase.com" not in lowered:
            continue  # no user name, no read_only/readonly key (even percent-encoded), not the hosted host
        write_hint, ro_hint = _url_modes(url)
        write.extend(write_hint)
        read_only.extend(ro_hint)
    write.extend(desc for desc, _ in auto_approvals(config, server, approvals))
    return Capability(tuple(dict.fromkeys(write)), tuple(dict.fromkeys(read_only)))


def _url_modes(url: str) -> tuple[list[str], list[str]]:
    try:
        parts = urlsplit(url.strip())
        user = parts.username
        host = (parts.hostname or "").lower()
    except ValueError:
        return [], []
    query = {k.lower(): v.lower() for k, v in parse_qsl(parts.query)}
    write: list[str] = []
    read_only: list[str] = []
    if query.get("read_only") in _TRUE or query.get("readonly") in _TRUE:
        read_only.append("URL parameter read_only=true")
    elif host == "mcp.supabase.com":
        write.append("hosted Supabase MCP URL without read_only=true")
    if user and _READONLY_USERS.match(user):
        read_only.append(f"read-only database user '{user}'")
    return write, read_only
