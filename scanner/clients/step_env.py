"""The `env:` of a GitHub Actions step whose `run:` script starts an MCP server, and the job's or
workflow's `env:` above such a step.

Public workflows smoke-test or run servers in a step (`env: {GITHUB_PERSONAL_ACCESS_TOKEN: …}` then
`run: docker run -e GITHUB_PERSONAL_ACCESS_TOKEN ghcr.io/github/github-mcp-server`, `npx -y
@modelcontextprotocol/server-github`): the runner hands the step's `env:` to that script, so its
literal entries are the server's environment. A step counts only when a word of its `run:` names an
MCP server (clients/docker.py's rule) and another is a launcher (`docker`, `npx`, `uvx`, ...); a
step's `env:` of a workflow that builds an MCP project (`npm test` in `mcp-server/`) is not read.
Values that are `${{ … }}` expressions or shell references are left out (the runner or the shell
fills them in). The runner hands a job's `env:` to each of its steps and the workflow's top-level
`env:` to every step (corpus 13: `env: {GITHUB_PERSONAL_ACCESS_TOKEN: …}` on the job, then `docker
run -e GITHUB_PERSONAL_ACCESS_TOKEN …` in a step): those blocks count when a step they reach starts
a server. An entry named `COPILOT_MCP_*` is read in any `env:` block: the Copilot cloud agent hands
variables of that prefix to the MCP servers of its repository configuration, so the name says whose
value it is (`copilot-setup-steps.yml` jobs set them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scanner.clients.docker import names_mcp_server
from scanner.model import FieldValue, Location
from scanner.parsing.positions import indent_of
from scanner.references import is_reference

_ENV_KEY = re.compile(r"^( *)(- +)?env[ \t]*:[ \t]*(?:#.*)?$")
_RUN_KEY = re.compile(r"^( *)(- +)?run[ \t]*:[ \t]*(.*)$")
_ENTRY = re.compile(r"""( +)["']?([A-Za-z_][\w-]*)["']?[ \t]*:[ \t]*(.*?)[ \t]*""")
_LAUNCHERS = frozenset({"docker", "podman", "npx", "bunx", "pnpx", "uvx", "uv", "node", "python",
                        "python3", "deno", "bun", "pipx", "go"})
_WORD = re.compile(r"[^\s'\"`;&|()]+")
COPILOT_PREFIX = "COPILOT_MCP_"  # the Copilot cloud agent's MCP variables (docs.github.com)


def step_env_values(path: str, lines: list[str]) -> Iterator[FieldValue]:
    """The literal `env:` entries of each step (a `- ` item) whose own `run:` starts an MCP server, of
    each job or workflow `env:` whose steps include one, and `COPILOT_MCP_*` entries anywhere."""
    lines = [line.rstrip("\r") for line in lines]
    copilot = any(COPILOT_PREFIX in line for line in lines)
    for index, line in enumerate(lines):
        match = _ENV_KEY.match(line)
        if match is None:
            continue
        key_column = len(match.group(1)) + len(match.group(2) or "")
        dash = _step_dash(lines, index, key_column, match.group(2) is not None, len(match.group(1)))
        if dash is None:  # a job's or the workflow's `env:`: every step of that scope gets it
            served = match.group(2) is None and _scope_starts_server(lines, *_scope(lines, index, key_column))
        else:
            served = _starts_server(_run_text(lines, dash[0], dash[1], key_column))
        if served or copilot:
            yield from _entries(path, lines, index, key_column, None if served else COPILOT_PREFIX)


def _blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _step_dash(lines: list[str], index: int, key_column: int, own_dash: bool,
               dash_column: int) -> tuple[int, int] | None:
    """(first line, end line) of the step (`- ` item) holding the key at `lines[index]`, or None."""
    first = index
    if not own_dash:
        first = -1
        for up in range(index - 1, -1, -1):
            body = lines[up]
            if _blank(body) or indent_of(body) > key_column:
                continue
            stripped = body.lstrip(" ")
            if stripped.startswith("- ") and indent_of(body) + len(stripped) - len(stripped[1:].lstrip(" ")) \
                    == key_column:
                first, dash_column = up, indent_of(body)
                break
            if indent_of(body) < key_column:
                return None  # a mapping above: the env belongs to a job or the workflow
        if first < 0:
            return None
    end = first + 1
    while end < len(lines) and (_blank(lines[end]) or indent_of(lines[end]) > dash_column):
        end += 1
    return first, end


def _scope(lines: list[str], index: int, key_column: int) -> tuple[int, int]:
    """(first, end) lines of the mapping holding the key at `lines[index]`: the job under its id, or the
    whole file for a top-level key."""
    first = 0
    for up in range(index - 1, -1, -1):
        if not _blank(lines[up]) and indent_of(lines[up]) < key_column:
            first = up
            break
    if key_column == 0:
        return 0, len(lines)
    parent = indent_of(lines[first])
    end = first + 1
    while end < len(lines) and (_blank(lines[end]) or indent_of(lines[end]) > parent):
        end += 1
    return first, end


def _scope_starts_server(lines: list[str], first: int, end: int) -> bool:
    """Whether a `run:` script of a step between `first` and `end` starts an MCP server."""
    for index in range(first, end):
        match = _RUN_KEY.match(lines[index])
        if match is not None:
            column = len(match.group(1)) + len(match.group(2) or "")
            if _starts_server(_run_text(lines, index, end, column)):
                return True
    return False


def _run_text(lines: list[str], first: int, end: int, key_column: int) -> str:
    for index in range(first, end):
        match = _RUN_KEY.match(lines[index])
        if match is None or len(match.group(1)) + len(match.group(2) or "") != key_column:
            continue
        body = [match.group(3)]
        for after in range(index + 1, end):
            if not _blank(lines[after]) and indent_of(lines[after]) <= key_column:
                break
            body.append(lines[after])
        return "\n".join(body)
    return ""


def _starts_server(script: str) -> bool:
    words = _WORD.findall(script)
    return any(names_mcp_server(word) for word in words) and any(
        word.rsplit("/", 1)[-1] in _LAUNCHERS for word in words)


def _entries(path: str, lines: list[str], index: int, key_column: int,
             prefix: str | None = None) -> Iterator[FieldValue]:
    """The literal entries of the `env:` block at `lines[index]` (only names starting `prefix`, if given)."""
    entry_indent = -1
    for at in range(index + 1, len(lines)):
        body = lines[at]
        if _blank(body):
            continue
        indent = indent_of(body)
        if indent <= key_column:
            return
        if entry_indent < 0:
            entry_indent = indent
        entry = _ENTRY.fullmatch(body)
        if entry is None or indent != entry_indent:
            continue
        value, column = entry.group(3), entry.start(3) + 1
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value, column = value[1:-1], column + 1
        if not value or value[:1] in "|>" or "${{" in value:
            continue  # empty, a block scalar, or what the runner fills in (`${{ secrets.X }}`)
        name = entry.group(2)
        if prefix is not None and not name.startswith(prefix):
            continue
        yield FieldValue(f"env.{name}", value, Location(path, at + 1, column), at + 1, column + len(value),
                         name, is_reference(value), quoted=False)
