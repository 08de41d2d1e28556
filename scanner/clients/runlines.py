"""Client configs a workflow's command lines make without writing the config's text out
(clients/workflows.py reads the text they write):

- a command whose output goes to a file a client reads (`echo <base64> | base64 -d > .mcp.json`,
  `printf %s "$X" | tee ~/.cursor/mcp.json`): each literal word of that command is text the client
  ends up reading, searched as a value (engines/encoded.py decodes an encoded one);
- a client's own command adding a server (`claude mcp add acme -e KEY=… -- npx …`, `--header
  'X-Api-Key: …'`, `claude mcp add-json acme '{…}'`, `codex mcp add --env KEY=…`, `gemini mcp add
  -e KEY=…`): the values it writes into that client's config;
- Codex's `-c key=value` / `--config key=value` overrides of `mcp_servers.*` (`codex exec -c
  'mcp_servers.acme.env.ACME_API_KEY="…"'`, openai/codex-action's `codex-args`): each is one line of
  `~/.codex/config.toml` (developers.openai.com/codex/config-reference: the value is TOML, or a
  string when it does not parse as TOML); codex-action's `codex-args` may also be a JSON array of
  strings (`["-c", "mcp_servers.acme.env.KEY=\\"…\\""]`), each item decoded as JSON first.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterator

from scanner.model import FieldValue, Location

Written = Callable[[str], bool]  # whether a redirect target is a file a client reads

# `> file`, `>> file`, `| tee [-a] file` and the command before it on its line (after `run:` / `- `).
_REDIRECT = re.compile(r"""(?:>>?|\|[ \t]*tee(?:[ \t]+-a)?)[ \t]*["']?([^\s"'<>|;&]+)""")
_RUN_PREFIX = re.compile(r"""^[ \t]*(?:-[ \t]+)?(?:["']?run["']?[ \t]*:[ \t]*(?:[|>][-+]?[ \t]*)?)?""")
# A shell word's literal text: single-quoted, double-quoted without expansion, or bare.
_SHELL_WORD = re.compile(r"""'([^'\n]*)'|"([^"$`\\\n]*)"|([^\s'"|;&<>()`$]+)""")
_MIN_WORD = 16  # shorter words are the command's own (echo, base64, -d, printf, %s)


def written_words(path: str, text: str, starts: list[int], written: Written) -> Iterator[FieldValue]:
    """The literal words of each command whose output goes to a client's file (not a heredoc:
    its body is read as that file already)."""
    done, heredoc = 0, False  # each word is read once (linear on hostile lines)
    for match in _REDIRECT.finditer(text):
        line = _line(starts, match.start())
        begin = starts[line - 1]
        offset = max(begin, done)
        if done <= begin:  # the line's first redirect: skip `- run:`, note a heredoc's `<<`
            skip = _RUN_PREFIX.match(text, begin, match.start())
            offset = skip.end() if skip is not None else begin
            heredoc = text.find("<<", begin, starts[line] if line < len(starts) else len(text)) >= 0
        done = match.end()
        if heredoc or not written(match.group(1)):
            continue
        for word in _SHELL_WORD.finditer(text, offset, match.start()):
            value = next(group for group in word.groups() if group is not None)
            if len(value) < _MIN_WORD:
                continue
            column = word.start() - begin + 1  # at the opening quote of a quoted word
            yield FieldValue("run", value, Location(path, line, column), line, word.end() - begin + 1,
                             None, quoted=word.group(3) is None)


# `claude mcp add`, `codex mcp add`, `gemini mcp add`, `claude mcp add-json` (a word before `mcp`).
# A match starts only where a run of word characters starts: linear on `a.a.a…` lines.
_MCP_ADD = re.compile(r"(?m)(?<![\w.-])[\w.-]+[ \t]+mcp[ \t]+add(?:-json)?\b[^\n]*")
# `-e KEY=value` / `--env KEY=value` / `--env=KEY=value`, `-H 'Name: value'` / `--header "Name: value"`.
# A bare value may hold `${{ … }}` (the runner substitutes it before the shell splits the line).
_ADD_ENV = re.compile(r"""(?:^|\s)(?:-e|--env)(?:[ \t]+|=)(['"]?)([A-Za-z_]\w*)="""
                      r"""((?:\$\{\{[^}\n]{0,200}\}\}|[^\s'"])+|(?<=')[^'\n]*(?=')|(?<=")[^"\n]*(?="))""")
_ADD_HEADER = re.compile(r"""(?:^|\s)(?:-H|--header)(?:[ \t]+|=)(['"])([\w-]+):[ \t]*([^'"\n]+)\1""")


def added_servers(path: str, text: str, starts: list[int]) -> Iterator[FieldValue]:
    """The env values, headers and JSON a client's `mcp add` / `mcp add-json` command writes."""
    for command in _MCP_ADD.finditer(text) if " mcp add" in text else ():
        line = _line(starts, command.start())
        begin = starts[line - 1]
        yield from env_flags(path, text, begin, line, command.start(), command.end())
        if "add-json" in command.group(0):
            for word in _SHELL_WORD.finditer(text, command.start(), command.end()):
                if word.group(1) is not None and word.group(1).lstrip().startswith("{"):
                    yield _at(path, line, begin, word.start(1), word.group(1), "run", None)


# A path word on a command line: no flag (`-…`), no JSON text.
JSON_PATH = r"(?:\.{1,2}/|/)?(?!-)[\w.-]+(?:/[\w.-]+)*"
# Fields of the values naming files a client loads as its configuration (clients._files follows them):
# an MCP config file (`--mcp-config FILE`, an `mcp_config: FILE` input), a Claude Code plugin folder.
CONFIG_FILE_FIELD = "mcp_config"
PLUGIN_DIR_FIELD = "plugin_dir"
# Copilot CLI `--additional-mcp-config @<file>` (the `@` reads a file; without it the word is JSON).
_COPILOT_FILE = re.compile(rf"""--additional-mcp-config(?:[ \t]+|=)@(["']?)({JSON_PATH})\1""")
# Claude Code's flags naming more of the session's configuration: `--settings <file>` (a settings
# file, whose `env` every server gets) and `--plugin-dir <dir>` (a plugin: its `.mcp.json`, manifest).
_CLAUDE_FLAG = re.compile(rf"""--(settings|plugin-dir)(?:[ \t]+|=)(["']?)({JSON_PATH})\2""")
_CLAUDE = re.compile(r"(?<![\w.-])claude(?:_args)?(?![\w.-])")  # the command, or the action's input
# MCP tools that load an `mcpServers` file a flag names: the Inspector (`--config FILE --server NAME`),
# Open WebUI's mcpo (`--config FILE`), sparfenyuk/mcp-proxy (`--named-server-config FILE`).
_TOOL_CONFIG = re.compile(r"(?<![\w.-])(?:@modelcontextprotocol/inspector|mcp-inspector|mcpo|mcp-proxy)"
                          r"(?:@[\w.-]+)?[ \t][^\n;&|]*?--(?:config|named-server-config)(?:[ \t]+|=)"
                          rf"""(["']?)({JSON_PATH})\1""")


def flag_files(path: str, text: str, starts: list[int]) -> Iterator[FieldValue]:
    """The config files (field CONFIG_FILE_FIELD) and plugin folders (PLUGIN_DIR_FIELD) that flags of
    MCP clients and tools name on the command lines of `text` (Claude Code's `--mcp-config` is read
    by clients/workflows.py)."""
    for match in _COPILOT_FILE.finditer(text) if "--additional-mcp-config" in text else ():
        yield _file(path, starts, match, 2, CONFIG_FILE_FIELD)
    for match in _CLAUDE_FLAG.finditer(text) if "--settings" in text or "--plugin-dir" in text else ():
        if _CLAUDE.search(text, _command_start(text, match.start()), match.start()) is not None:
            # (another program's `--settings` is not Claude Code's)
            field = CONFIG_FILE_FIELD if match.group(1) == "settings" else PLUGIN_DIR_FIELD
            yield _file(path, starts, match, 3, field)
    for match in _TOOL_CONFIG.finditer(text) if "config" in text else ():
        yield _file(path, starts, match, 2, CONFIG_FILE_FIELD)


def _file(path: str, starts: list[int], match: re.Match[str], group: int, field: str) -> FieldValue:
    """The path word of `match` (group `group`; the group before it holds its quote, if any)."""
    line = _line(starts, match.start(group))
    column = match.start(group) - starts[line - 1] + 1
    return FieldValue(field, match.group(group), Location(path, line, column), line,
                      column + len(match.group(group)), None, quoted=bool(match.group(group - 1)))


def _command_start(text: str, at: int) -> int:
    """Where the command line holding offset `at` starts (lines continued by a `\\` included)."""
    start = text.rfind("\n", 0, at) + 1
    while start >= 2:
        end = start - 2 if text[start - 2] != "\r" else start - 3
        if end < 0 or text[end] != "\\":
            break
        start = text.rfind("\n", 0, end) + 1
    return start


# Goose `--with-extension "NAME=value cmd …"` (goose session / run): the quoted word is the extension's
# command line, its leading `NAME=value` words the extension's environment.
_WITH_EXTENSION = re.compile(r"""--with-extension(?:[ \t]+|=)(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)')""")
_LEADING_ASSIGN = re.compile(r"[ \t]*([A-Za-z_][A-Za-z0-9_]*)=([^\s'\"]+)")


def extension_env(path: str, text: str, starts: list[int]) -> Iterator[FieldValue]:
    """The env values of the extensions a `goose … --with-extension "…"` command line starts."""
    for match in _WITH_EXTENSION.finditer(text) if "--with-extension" in text else ():
        group = 1 if match.group(1) is not None else 2
        at, end = match.start(group), match.end(group)
        line = _line(starts, match.start())
        begin = starts[line - 1]
        while (assign := _LEADING_ASSIGN.match(text, at, end)) is not None:
            name = assign.group(1)
            yield _at(path, line, begin, assign.start(2), assign.group(2), f"env.{name}", name)
            at = assign.end()


def env_flags(path: str, text: str, begin: int, line: int, start: int, end: int) -> Iterator[FieldValue]:
    """The `-e KEY=value` / `--env KEY=value` values (field `env.KEY`) and `-H 'Name: value'` headers
    (`headers.Name`) of the command at text[start:end] on `line` (which starts at offset `begin`):
    what `mcp add`, the MCP Inspector and `docker run` hand the server."""
    for match in _ADD_ENV.finditer(text, start, end):
        name = match.group(2)
        yield _at(path, line, begin, match.start(3), match.group(3), f"env.{name}", name)
    for match in _ADD_HEADER.finditer(text, start, end):
        yield _at(path, line, begin, match.start(3), match.group(3).rstrip(),
                  f"headers.{match.group(2)}", match.group(2))


# A command line's words as the shell reads them, expansions kept (`$X`, `"${X}"`, `"a\"b"`, `$(X)`): what a
# launcher's command is made of (clients/launchers.py); adjacent pieces (`KEY="v"`) are one word.
_COMMAND_WORD = re.compile(r"""'([^'\n]*)'|"((?:[^"\\\n]|\\.)*)"|"""
                           r"""((?:[^\s'"|;&<>()`$]|\$\([^()\n]*\)|\$(?!\())+)""")


def shell_words(text: str, start: int, end: int) -> Iterator[list[re.Match[str]]]:
    """The shell words of text[start:end], each as its pieces (single-quoted: group 1, double-quoted:
    group 2, bare: group 3); the characters between two words hold the operators (`;`, `&&`, `|`)."""
    word: list[re.Match[str]] = []
    for piece in _COMMAND_WORD.finditer(text, start, end):
        if word and piece.start() != word[-1].end():
            yield word
            word = []
        word.append(piece)
    if word:
        yield word


def word_text(word: re.Match[str]) -> str:
    """The text of one piece of `shell_words` (the one group that matched)."""
    return word.group(word.lastindex or 0)


# `--mcp-config "{\"mcpServers\": …}"`: JSON in double quotes (its `\"` are the shell's escapes).
_DOUBLE_QUOTED_JSON = re.compile(r'--mcp-config(?:[ \t]+|=)"(\{(?:[^"\\\n]|\\.)*\})"')


def double_quoted_configs(path: str, text: str, starts: list[int]) -> Iterator[FieldValue]:
    """The JSON text of each double-quoted `--mcp-config "{…}"`, as the shell passes it."""
    for match in _DOUBLE_QUOTED_JSON.finditer(text) if '--mcp-config "' in text else ():
        line = _line(starts, match.start(1))
        value = re.sub(r'\\([$`"\\])', r"\1", match.group(1))
        column = match.start(1) - starts[line - 1] + 1
        yield FieldValue("run", value, Location(path, line, column), line, column + len(match.group(1)), None,
                         quoted=False)


def _at(path: str, line: int, begin: int, start: int, value: str, field: str, key: str | None) -> FieldValue:
    column = start - begin + 1
    return FieldValue(field, value, Location(path, line, column), line, column + len(value), key,
                      quoted=False)


# `-c mcp_servers.acme.env.KEY=value`, `--config=...`, the override quoted or not.
_OVERRIDE = re.compile(r"""(?:^|[\s'"\[,])(?:-c|--config)(?:[ \t]+|=)(['"]?)(mcp_servers\.[^\s'"=]+)=""")


_BARE_END = re.compile(r"""[\s'"\],]""")


def codex_overrides(text: str) -> Iterator[tuple[int, int, str | None]]:
    """(start, end, bare key) of each `mcp_servers.*` override: `key=<TOML>` spans are parsed as
    config.toml lines (key None); a value that is no TOML is the string itself (Codex's fallback),
    returned with its key as (value start, value end, key)."""
    for match in _OVERRIDE.finditer(text) if "mcp_servers." in text else ():
        quote = match.group(1)
        value_start = match.end()
        if quote:
            close = text.find(quote, value_start)
            end = close if close >= 0 and "\n" not in text[value_start:close] else -1
        elif text.startswith('"', value_start):  # `key="…"` in a single-quoted input or unquoted
            close = text.find('"', value_start + 1)
            end = close + 1 if close >= 0 and "\n" not in text[value_start:close] else -1
        else:
            space = _BARE_END.search(text, value_start)
            end = space.start() if space is not None else len(text)
        if end <= value_start:
            continue
        value = text[value_start:end]
        try:
            tomllib.loads(f"v = {value}")
        except tomllib.TOMLDecodeError:
            yield value_start, end, match.group(2)
            continue
        yield match.start(2), end, None


# `"-c", "mcp_servers.…=…"` / `"--config=mcp_servers.…"`: an override as items of a JSON array.
_JSON_OVERRIDE = re.compile(r'"(?:-c|--config)(?:"[ \t]*,[ \t]*"|=)(mcp_servers\.(?:[^"\\\n]|\\.)*)"')


def json_overrides(path: str, text: str, starts: list[int]) -> Iterator[FieldValue]:
    """The string leaves of each `mcp_servers.*` override written as JSON array items (codex-action's
    `codex-args: '["-c", "mcp_servers.acme.env.KEY=\\"…\\""]'`), at the item's position."""
    for match in _JSON_OVERRIDE.finditer(text) if "mcp_servers." in text else ():
        try:
            item = json.loads(f'"{match.group(1)}"')
        except ValueError:
            continue
        key, _eq, raw = item.partition("=")
        try:
            value: object = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw  # Codex's fallback: the text itself is the string
        line = _line(starts, match.start(1))
        column = match.start(1) - starts[line - 1] + 1
        for name, leaf in _string_leaves(key, value):
            yield FieldValue(name, leaf, Location(path, line, column), line, column + len(match.group(1)),
                             name.rsplit(".", 1)[-1], quoted=False)


def _string_leaves(key: str, value: object) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, inner in value.items():
            yield from _string_leaves(f"{key}.{name}", inner)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _string_leaves(f"{key}[{index}]", inner)


def override_value(path: str, text: str, starts: list[int], start: int, end: int, key: str) -> FieldValue:
    """The FieldValue of a bare (non-TOML) override value at [start, end) under the dotted `key`."""
    line = _line(starts, start)
    column = start - starts[line - 1] + 1
    return FieldValue(key, text[start:end], Location(path, line, column), line, column + end - start,
                      key.rsplit(".", 1)[-1], quoted=False)


def _line(starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset)
