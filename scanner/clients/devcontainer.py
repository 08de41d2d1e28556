"""Dev container lifecycle commands (containers.dev, devcontainer.json reference, "Lifecycle scripts").

`initializeCommand` (on the host), `onCreateCommand`, `updateContentCommand`, `postCreateCommand`,
`postStartCommand` and `postAttachCommand` (in the container) each hold a string (run by `/bin/sh`),
an array (argv, run without a shell) or an object of named commands of either form (run in
parallel). Real repositories add MCP servers there (`claude mcp add github -e GITHUB_TOKEN=… -- npx
…`, `codex mcp add`, `npx -y @scope/x-mcp --api-key …`): each command is read by the launcher readers
(clients/launchers.py) as a shell script, its positions mapped back to the file's columns through
the JSON string's escapes. The servers it starts join the file's `customizations.vscode.mcp` ones
(clients/vscode.py), from the same parse.
"""

from __future__ import annotations

import re
from dataclasses import replace

from scanner.clients import launchers, manifests, workflows
from scanner.clients.discovery import Candidate
from scanner.model import Client, FieldValue, McpConfig, ServerEntry
from scanner.parsing.node import PNode

LIFECYCLE = ("initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand",
             "postStartCommand", "postAttachCommand")
# What launchers.build gates on: no command starting an MCP server or client lacks these.
_NAMES_MCP = re.compile(r"(?i)mcp|modelcontextprotocol")
# A word the shell reads as it is written (argv items that need no quoting).
_PLAIN = re.compile(r"[\w@%+=:,./-]+")
CONTENT_WORDS = ("mcp", "modelcontextprotocol")


def is_devcontainer(path: str) -> bool:
    base = path.rsplit("/", 1)[-1].lower()
    return base in ("devcontainer.json", ".devcontainer.json")


def commands(candidate: Candidate, text: str, root: PNode,
             parse_inner: manifests.ParseInner) -> McpConfig | None:
    """The MCP servers the file's lifecycle commands start and the values they write, or None."""
    if not root.is_object or _NAMES_MCP.search(text) is None:
        return None
    shell = replace(candidate, hints=(Client.SHELL_SCRIPT,), generic=False)
    starts = workflows.line_starts(text)
    servers: list[ServerEntry] = []
    extra: list[FieldValue] = []
    for key in LIFECYCLE:
        node = root.get(key)
        if node is None:
            continue
        named = [(f"{key}.{name}", value) for name, _k, value in node.pairs()] if node.is_object \
            else [(key, node)]
        for label, command in named:
            script = _script(text, starts, command)
            if script is None or _NAMES_MCP.search(script[0]) is None:
                continue
            found = launchers.read_command(shell, label, script[0], script[1], parse_inner)
            if found is not None:
                servers.extend(found.servers)
                extra.extend(found.extra_values)
    if not servers:
        return None
    return McpConfig(candidate.rel_path, candidate.hints[0], candidate.fmt, tuple(servers),
                     extra_values=tuple(extra))


def merged(vscode: McpConfig | None, lifecycle: McpConfig | None) -> McpConfig | None:
    """The file's VS Code servers and its lifecycle commands' servers as one config."""
    if vscode is None or lifecycle is None:
        return vscode or lifecycle
    return replace(vscode, servers=vscode.servers + lifecycle.servers,
                   extra_values=vscode.extra_values + lifecycle.extra_values)


def _script(text: str, starts: list[int], node: PNode) -> tuple[str, launchers.Where] | None:
    """A command as the shell reads it, and where its columns sit in the file."""
    if node.is_string:
        body = _body(text, starts, node)
        if body is None:
            return None
        return body[0], launchers._where(node.line, node.column + 1, body[1])
    if not node.is_array or not node.items or not all(item.is_string for item in node.items):
        return None
    # argv: one line of shell words, each character at its item's file column (quotes: the item's)
    out: list[str] = []
    spots: list[tuple[int, int]] = []
    after = (0, 0)  # where the character after the last word sits: one past its text
    for item in node.items:
        body = _body(text, starts, item)
        if body is None:
            return None
        word = body[0].replace("\n", " ")
        quote = "" if _PLAIN.fullmatch(word) else "'" if "'" not in word else '"'
        if quote == '"' and any(char in word for char in '"\\$`'):
            return None  # no quoting keeps this item one word at its own columns
        if out:
            out.append(" ")
            spots.append(after)
        columns = [column for line in body[1] for column in line[:-1]]
        if quote:
            out.append(quote)
            spots.append((item.line, item.column))
        out.append(word)
        spots.extend((item.line, item.column + 1 + column) for column in columns)
        if quote:
            out.append(quote)
            spots.append((item.line, item.end_column - 1))
        after = (item.line, item.end_column if quote else item.end_column - 1)
    spots.append(after)

    def where(_line: int, column: int) -> tuple[int, int]:
        return spots[max(0, min(column - 1, len(spots) - 1))]
    return "".join(out), where


def _body(text: str, starts: list[int], node: PNode) -> tuple[str, list[list[int]]] | None:
    """A one-line JSON string's decoded text and per decoded line the offsets of its characters."""
    if node.line != node.end_line or node.line > len(starts):
        return None
    begin = starts[node.line - 1]
    raw = text[begin + node.column:begin + node.end_column - 2]
    return launchers.json_unescaped(raw)
