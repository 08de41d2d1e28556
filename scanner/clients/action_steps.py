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

from scanner.clients import runlines, unparsed, workflow_inputs
from scanner.model import FieldValue, Location
from scanner.parsing.positions import indent_of


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

ENV_LINE_INPUTS = frozenset(name for row in ACTIONS.values() for name in row.env_lines)
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
            indent = indent_of(line)
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


# YAML anchors and aliases (GitHub Actions reads them since 2025, without merge keys): an input written
# `mcp_config: *cfg` holds the scalar anchored `&cfg` anywhere before it (a step's `name: &cfg '{…}'`,
# an `env:` entry's `|` block), which is read where it is written.
_ANCHOR = re.compile(r"""^( *)(?:- +)?(?:["']?[\w.-]+["']?[ \t]*:[ \t]*)?&([^\s\[\]{},]+)[ \t]*(.*?)\r?$""")
_ALIAS = re.compile(r"""\*([^\s\[\]{},]+)[ \t]*(?:#.*)?""")
Anchor = tuple[int, int, str, int]  # (0-based line, its key's indent, the value text, its 0-based column)


def anchors(lines: list[str]) -> dict[str, Anchor]:
    """The anchors of a workflow's lines, by name (a later one with the same name replaces it, as YAML
    reads them), each with the value written after it on its line (a `|` block: its indicator)."""
    found: dict[str, Anchor] = {}
    for index, line in enumerate(lines):
        if "&" in line and (anchor := _ANCHOR.match(line)) is not None:
            found[anchor.group(2)] = (index, len(anchor.group(1)), anchor.group(3), anchor.start(3))
    return found


def aliased(rest: str, known: dict[str, Anchor] | None) -> Anchor | None:
    """The anchor `rest` (an input's value, `*name`) reads, or None when it is no alias."""
    alias = _ALIAS.fullmatch(rest) if known and rest.startswith("*") else None
    return known.get(alias.group(1)) if alias is not None and known is not None else None


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
    key_indent = indent_of(lines[index])
    for at in range(index + 1, len(lines)):
        body = lines[at].rstrip("\r")
        if body.strip() and indent_of(body) <= key_indent:
            return
        yield at, body


def env_line_values(path: str, lines: list[str], index: int, field: str, rest: str,
                    column: int = 1) -> Iterator[FieldValue]:
    """The lines of an `env_lines` input (key on `lines[index]`), each judged under its NAME. The
    action splits the input's text at line breaks and each line at its first `:` (`NAME:value`, no
    blank needed); so a `|` block, a one-line value (`claude_env: "NAME: value"`) and a double-quoted
    one whose `\\n` escapes make several lines all set variables. `NAME=value` is read too. A `${{ … }}`
    value is kept as a reference (clients/workflows.py resolves an `env:` literal or input default)."""
    if _BLOCK.fullmatch(rest):
        for at, body in _block(lines, index):
            yield from _env_line(path, field, body, list(range(len(body))), at + 1, 1)
        return
    whole = _unquoted(rest).strip()
    if whole.startswith("${{") and whole.endswith("}}"):
        # the whole text from an `env:` entry or an input default: clients/workflows.py resolves the
        # literal, and `env_text_values` reads its lines
        start = column + _unquoted(rest).index(whole)
        yield FieldValue(field, whole, Location(path, index + 1, start), index + 1, start + len(whole),
                         field, is_reference=True, quoted=False)
        return
    for text, offsets in _scalar_lines(rest):
        yield from _env_line(path, field, text, offsets, index + 1, column)


def env_text_values(values: list[FieldValue]) -> Iterator[FieldValue]:
    """`values` with each literal an `env_lines` input reads whole (`claude_env: ${{ env.X }}`, the
    literal resolved at its own line) read as the action reads the input: one variable per line."""
    for fv in values:
        if fv.key not in ENV_LINE_INPUTS or fv.field != fv.key or fv.is_reference:
            yield fv
            continue
        for text, offsets in _scalar_lines('"' + fv.text + '"'):
            yield from _env_line(fv.location.path, fv.field, text, [at - 1 for at in offsets],
                                 fv.location.line, fv.location.column)


def _env_line(path: str, field: str, text: str, offsets: list[int], line: int,
              column: int) -> Iterator[FieldValue]:
    """The variable one env line sets; `offsets[i]`: the 0-based column (from `column`) of `text[i]`."""
    entry = _ENV_LINE.fullmatch(text) or _ENV_ASSIGNMENT.fullmatch(text)
    if entry is None or not entry.group(2):
        return
    start, end = entry.span(2)
    if end - start >= 2 and text[start] == text[end - 1] and text[start] in "'\"":
        start, end = start + 1, end - 1
    value = text[start:end]
    if not value:
        return
    first, last = column + offsets[start], column + offsets[end - 1] + 1
    yield FieldValue(f"{field}.{entry.group(1)}", value, Location(path, line, first), line, last,
                     entry.group(1), is_reference=value.startswith("${{"), quoted=False)


def _scalar_lines(rest: str) -> Iterator[tuple[str, list[int]]]:
    """The lines of the one-line YAML scalar `rest` as the runner hands it over (quotes removed,
    `''` and double-quoted escapes decoded), each with the offset in `rest` of every character."""
    chars: list[tuple[str, int]] = []
    if len(rest) >= 2 and rest[0] == rest[-1] == "'":
        at = 1
        while at < len(rest) - 1:
            chars.append(("'" if rest.startswith("''", at) else rest[at], at))
            at += 2 if rest.startswith("''", at) else 1
    elif len(rest) >= 2 and rest[0] == rest[-1] == '"':
        inner, at = rest[1:-1], 0
        for escape in unparsed.ESCAPE.finditer(inner) if "\\" in inner else ():
            chars.extend((inner[i], i + 1) for i in range(at, escape.start()))
            chars.extend((char, escape.start() + 1) for char in unparsed.unescape(escape.group(0)))
            at = escape.end()
        chars.extend((inner[i], i + 1) for i in range(at, len(inner)))
    else:
        plain = re.sub(r"[ \t]+#.*$", "", rest)
        chars = [(char, i) for i, char in enumerate(plain)]
    text = "".join(char for char, _ in chars)
    begin = 0
    for piece in text.split("\n"):
        yield piece, [offset for _, offset in chars[begin:begin + len(piece)]]
        begin += len(piece) + 1


# One env line as the action splits it: the NAME is all up to the first `:` (any text: `${{ '' }}KEY`
# is `KEY` once the runner has evaluated it), then the value, blanks trimmed; a `#` line is a comment.
# A `NAME=value` line (no `:`) is read too.
_ENV_LINE = re.compile(r"[ \t]*([^:\s#][^:]*?)[ \t]*:[ \t]*(.*?)[ \t]*\r?")
_ENV_ASSIGNMENT = re.compile(r"[ \t]*([A-Za-z_][\w.-]*)=[ \t]*(.*?)[ \t]*\r?")
_BLOCK = re.compile(r"[|>][-+]?[1-9]?[-+]?[ \t]*(?:#.*)?")
# A word of a URL list; a `${{ … }}` expression (blanks inside) is part of its word.
_URL_WORD = re.compile(r"(?:\$\{\{[^}]*\}\}|[^\s,\"'])+")


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
    known = anchors(lines) if "&" in text else None
    for at, body in enumerate(lines):
        key = _WITH_INPUT.match(body)
        if key is None or key.group(2) not in INPUT_NAMES or (row := steps.row(at)) is None:
            continue
        index, rest, column = at, key.group(3).rstrip("\r"), key.start(3) + 1
        if (anchor := aliased(rest, known)) is not None:  # `claude_env: *env`: the anchored value
            index, rest, column = anchor[0], anchor[2], anchor[3] + 1
        if key.group(2) in row.claude_settings and (named := _PATH_WORD.fullmatch(rest)) is not None \
                and _SETTINGS_FILE.search(named.group(2)):
            where = Location(path, index + 1, column)
            yield FieldValue(runlines.CONFIG_FILE_FIELD, named.group(2), where, index + 1, column + len(rest),
                             None, quoted=bool(named.group(1)))
        elif key.group(2) in row.git_urls:
            yield from git_url_values(path, lines, index, key.group(2), rest, column)
        elif key.group(2) in row.env_lines:
            yield from env_line_values(path, lines, index, key.group(2), rest, column)


# `        settings: <value>` under a step's `with:` (any key; the row says which it reads).
_WITH_INPUT = re.compile(r"""^( +)["']?([A-Za-z_][\w-]*)["']?[ \t]*:[ \t]*(.*?)[ \t]*$""")
# A path word (`ci/claude.json`, quoted or not); a settings path is a JSON file or a path with a folder
# (`true`, `default` are no files).
_PATH_WORD = re.compile(rf"""(["']?)({runlines.JSON_PATH})\1""")
_SETTINGS_FILE = re.compile(r"(?i)\.json5?$|/")
