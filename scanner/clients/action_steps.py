"""The action a workflow step's `with:` input belongs to, and the inputs of known actions that hand
MCP configuration to the agent they run (one row per action below).

anthropics/claude-code-action (action.yml, docs/configuration.md; claude-code-base-action the same):
`settings` is "Claude Code settings as JSON string or path to settings JSON file" (its `env` map is
every MCP server's environment), `plugin_marketplaces` a newline-separated list of marketplace Git
URLs (a private one carries its credential as `https://user:token@host/...`), `plugins` names of
`plugin@marketplace` (no value to judge), `claude_env` the environment of the Claude Code process
(and so of every stdio server it starts), one `NAME: value` per line (`NAME=value` is seen too),
`mcp_config` (read by clients/workflows.py for every action).

Also the literal input defaults of an action's own metadata file (`action.yml` / `action.yaml`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from scanner.clients import runlines, workflow_inputs
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

# Every input name a row reads (a line with another key is not looked up).
INPUT_NAMES = frozenset(name for row in ACTIONS.values()
                        for name in (*row.claude_settings, *row.git_urls, *row.env_lines))
_USES = re.compile(r"""^( *)(- +)?["']?uses["']?[ \t]*:[ \t]*["']?([^\s"'#@]+)""")
_KEY = re.compile(r"^( *)(- +)?[\"']?([A-Za-z_][\w-]*)[\"']?[ \t]*:")


class Steps:
    """Which action each line's `with:` input belongs to, worked out in one pass over the lines:
    each content line's parent (the nearest earlier line indented less) and each step's `uses:`."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self._parent: list[int] = []
        self._uses: dict[int, str] = {}  # the `- ` line opening a step -> its `uses:` action
        stack: list[tuple[int, int]] = []  # (indent, line index) of the open ancestors
        for index, line in enumerate(lines):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                self._parent.append(-1)
                continue
            indent = _indent(line)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            parent = stack[-1][1] if stack else -1
            self._parent.append(parent)
            stack.append((indent, index))
            uses = _USES.match(line)
            if uses is not None:
                step = index if uses.group(2) else parent  # `- uses: x`, or `uses:` under `- name:`
                if step >= 0:
                    self._uses.setdefault(step, uses.group(3))

    def row(self, index: int) -> ActionInputs | None:
        """The row of the action whose step holds the `with:` input on line `index` (0-based), or
        None (a `run:` step, an unknown action, a key outside any `with:`)."""
        with_at = self._parent[index]
        key = _KEY.match(self._lines[with_at]) if with_at >= 0 else None
        if key is None or key.group(3) != "with":
            return None
        uses = self._uses.get(with_at if key.group(2) else self._parent[with_at])
        return ACTIONS.get(uses.lower().rstrip("/")) if uses is not None else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def git_url_values(path: str, lines: list[str], index: int, field: str, rest: str,
                   column: int) -> Iterator[FieldValue]:
    """The URLs of a `git_urls` input whose key is on `lines[index]`: the one-line value `rest`
    (starting at 1-based `column`) or the lines of its `|` block, split on commas and blanks."""
    if rest and not _BLOCK.fullmatch(rest):
        yield from _words(path, index + 1, column, _unquoted(rest), field)
        return
    for at, body in _block(lines, index):
        if not body.strip().startswith("#"):
            yield from _words(path, at + 1, 1, body, field)


def _block(lines: list[str], index: int) -> Iterator[tuple[int, str]]:
    """(index, line without its CR) of the lines of the block under the key on `lines[index]`: up to
    the first non-blank line indented no deeper than the key."""
    key_indent = _indent(lines[index])
    for at in range(index + 1, len(lines)):
        body = lines[at].rstrip("\r")
        if body.strip() and _indent(body) <= key_indent:
            return
        yield at, body


def env_line_values(path: str, lines: list[str], index: int, field: str, rest: str) -> Iterator[FieldValue]:
    """The `NAME: value` / `NAME=value` lines of an `env_lines` input's `|` block (key on
    `lines[index]`), each judged under its NAME; `${{ … }}` values are the runner's, not literals."""
    if not _BLOCK.fullmatch(rest):
        return
    for at, body in _block(lines, index):
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


def is_action_metadata(path: str) -> bool:
    """An action's metadata file (`action.yml` / `action.yaml`, any folder)."""
    return path.rsplit("/", 1)[-1] in ("action.yml", "action.yaml")


# An action that is about MCP or runs an agent client (Claude Code, Codex) with its inputs: its input
# defaults are that client's values (a `settings` input alone says nothing).
_AGENT_ACTION = re.compile(r"(?i)mcp|modelcontextprotocol|claude|codex")


def about_agents(text: str) -> bool:
    """Whether an action's metadata is about MCP or an agent client."""
    return _AGENT_ACTION.search(text) is not None


def metadata_defaults(path: str, text: str) -> Iterator[FieldValue]:
    """The literal input defaults of an action's metadata (clients/workflow_inputs.py), for an action
    about MCP or an agent client (`about_agents`):
    published with the action, whatever reads them (a composite step's config, a JavaScript
    action's `INPUT_<ID>`); judged under the input's id."""
    for name, value, line, column in workflow_inputs.defaults(text):
        yield FieldValue(f"inputs.{name}.default", value, Location(path, line, column), line,
                         column + len(value), name, quoted=False)


def input_values(path: str, text: str, lines: list[str]) -> Iterator[FieldValue]:
    """Known actions' inputs (the rows above): claude-code-action's `settings: <file>` (read
    as a config, as `--settings <file>` is), the URLs of `plugin_marketplaces` and the `claude_env`
    lines."""
    if "claude-code" not in text.lower():
        return
    steps = Steps(lines)
    for index, body in enumerate(lines):
        key = _WITH_INPUT.match(body)
        if key is None or key.group(2) not in INPUT_NAMES or (row := steps.row(index)) is None:
            continue
        rest, column = key.group(3).rstrip("\r"), key.start(3) + 1
        if key.group(2) in row.claude_settings and (named := _PATH_WORD.fullmatch(rest)) is not None \
                and _SETTINGS_FILE.search(named.group(2)):
            where = Location(path, index + 1, column)
            yield FieldValue(runlines.CONFIG_FILE_FIELD, named.group(2), where, index + 1, column + len(rest),
                             None, quoted=bool(named.group(1)))
        elif key.group(2) in row.git_urls:
            yield from git_url_values(path, lines, index, key.group(2), rest, column)
        elif key.group(2) in row.env_lines:
            yield from env_line_values(path, lines, index, key.group(2), rest)


# `        settings: <value>` under a step's `with:` (any key; the row says which it reads).
_WITH_INPUT = re.compile(r"""^( +)["']?([A-Za-z_][\w-]*)["']?[ \t]*:[ \t]*(.*?)[ \t]*$""")
# A path word (`ci/claude.json`, quoted or not); a settings path is a JSON file or a path with a folder
# (`true`, `default` are no files).
_PATH_WORD = re.compile(rf"""(["']?)({runlines.JSON_PATH})\1""")
_SETTINGS_FILE = re.compile(r"(?i)\.json5?$|/")
