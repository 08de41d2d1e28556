"""The action a workflow step's `with:` input belongs to, and the inputs of known actions that hand
MCP configuration to the agent they run (one row per action below).

anthropics/claude-code-action (action.yml, docs/configuration.md; claude-code-base-action the same):
`settings` is "Claude Code settings as JSON string or path to settings JSON file" (its `env` map is
every MCP server's environment), `plugin_marketplaces` a newline-separated list of marketplace Git
URLs (a private one carries its credential as `https://user:token@host/...`), `plugins` names of
`plugin@marketplace` (no value to judge), `claude_env` the environment of the Claude Code process
(and so of every stdio server it starts), one `NAME: value` per line (`NAME=value` is seen too),
`mcp_config` (read by clients/workflows.py for every action).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from scanner.model import FieldValue, Location


@dataclass(frozen=True, slots=True)
class ActionInputs:
    """What the known inputs of one action hold: inline Claude Code settings JSON or its file,
    and Git URLs (one per line or comma-separated)."""

    claude_settings: tuple[str, ...] = ()
    git_urls: tuple[str, ...] = ()
    env_lines: tuple[str, ...] = ()


_CLAUDE = ActionInputs(claude_settings=("settings",), git_urls=("plugin_marketplaces",),
                       env_lines=("claude_env",))
# `owner/repo` (a sub-action path `owner/repo/setup` too) -> its inputs; `uses:` is matched without
# its `@ref`, case-insensitively (GitHub resolves owner and repository names that way).
ACTIONS: dict[str, ActionInputs] = {
    "anthropics/claude-code-action": _CLAUDE,
    "anthropics/claude-code-base-action": _CLAUDE,
    # the setup sub-action installs plugins from `marketplaces` (setup/README.md)
    "anthropics/claude-code-action/setup": ActionInputs(git_urls=("marketplaces",)),
}

_USES = re.compile(r"""^( *)(- +)?["']?uses["']?[ \t]*:[ \t]*["']?([^\s"'#@]+)""")
_KEY = re.compile(r"^( *)(- +)?[\"']?([A-Za-z_][\w-]*)[\"']?[ \t]*:")


def step_action(lines: list[str], index: int) -> ActionInputs | None:
    """The row of the action whose step holds the `with:` input on `lines[index]` (0-based), or
    None (a `run:` step, an unknown action, a key outside any `with:`)."""
    own = _indent(lines[index])
    at = index - 1
    while at >= 0 and not _content_below(lines[at], own):  # the `with:` key the input sits under
        at -= 1
    if at < 0 or (key := _KEY.match(lines[at])) is None or key.group(3) != "with":
        return None
    column = len(key.group(1)) + len(key.group(2) or "")  # the step's keys start here
    for line in _step_lines(lines, at, column):
        uses = _USES.match(line)
        if uses is not None and len(uses.group(1)) + len(uses.group(2) or "") == column:
            return ACTIONS.get(uses.group(3).lower().rstrip("/"))
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_below(line: str, indent: int) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#") and _indent(line) < indent


def _step_lines(lines: list[str], with_at: int, column: int) -> Iterator[str]:
    """The lines of the step whose keys start at `column`: up from `with:` to the `- ` that opens it,
    then down past `with:` while lines stay at or beyond the step's keys."""
    at = with_at
    while at >= 0:
        line = lines[at]
        yield line
        if line.strip() and _indent(line) < column:  # the `- key:` line opening the step
            break
        at -= 1
    for line in lines[with_at + 1:]:
        if line.strip() and not line.strip().startswith("#") and _indent(line) < column:
            break
        yield line


def git_url_values(path: str, lines: list[str], index: int, field: str, rest: str,
                   column: int) -> Iterator[FieldValue]:
    """The URLs of a `git_urls` input whose key is on `lines[index]`: the one-line value `rest`
    (starting at 1-based `column`) or the lines of its `|` block, split on commas and blanks."""
    if rest and not _BLOCK.fullmatch(rest):
        yield from _words(path, index + 1, column, _unquoted(rest), field)
        return
    key_indent = _indent(lines[index])
    for at in range(index + 1, len(lines)):
        body = lines[at].rstrip("\r")
        if body.strip() and _indent(body) <= key_indent:
            break
        if not body.strip().startswith("#"):
            yield from _words(path, at + 1, 1, body, field)


def env_line_values(path: str, lines: list[str], index: int, field: str, rest: str) -> Iterator[FieldValue]:
    """The `NAME: value` / `NAME=value` lines of an `env_lines` input's `|` block (key on
    `lines[index]`), each judged under its NAME; `${{ … }}` values are the runner's, not literals."""
    if not _BLOCK.fullmatch(rest):
        return
    key_indent = _indent(lines[index])
    for at in range(index + 1, len(lines)):
        body = lines[at].rstrip("\r")
        if body.strip() and _indent(body) <= key_indent:
            break
        entry = _ENV_LINE.fullmatch(body)
        if entry is None or not entry.group(2) or entry.group(2).startswith("${{"):
            continue
        value, column = entry.group(2), entry.start(2) + 1
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value, column = value[1:-1], column + 1
        yield FieldValue(f"{field}.{entry.group(1)}", value, Location(path, at + 1, column), at + 1,
                         column + len(value), entry.group(1), quoted=False)


_ENV_LINE = re.compile(r"[ \t]*([A-Za-z_][\w]*)[ \t]*(?::[ \t]+|=)[ \t]*(.*?)[ \t]*")
_BLOCK = re.compile(r"[|>][-+]?[1-9]?[-+]?[ \t]*(?:#.*)?")
_URL_WORD = re.compile(r"[^\s,\"']+")


def _unquoted(rest: str) -> str:
    rest = re.sub(r"[ \t]+#.*$", "", rest)
    if len(rest) >= 2 and rest[0] == rest[-1] and rest[0] in "'\"":
        return " " + rest[1:-1] + " "  # the quote's column stays a blank
    return rest


def _words(path: str, line: int, column: int, text: str, field: str) -> Iterator[FieldValue]:
    for word in _URL_WORD.finditer(text):
        if "://" not in word.group(0) and "@" not in word.group(0):
            continue  # `owner/repo` shorthand or a plugin name: no credential can sit in it
        start = column + word.start()
        yield FieldValue(field, word.group(0), Location(path, line, start), line, start + len(word.group(0)),
                         field, quoted=False)
