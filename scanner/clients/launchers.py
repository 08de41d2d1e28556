"""Launchers: the command lines that start an MCP server or client outside any client config.

Real repositories start them from package.json `scripts` (`"mcp": "GITHUB_TOKEN=… npx -y
@modelcontextprotocol/server-github"`, `"inspect": "npx @modelcontextprotocol/inspector -e KEY=…
node dist/index.js"`), from shell scripts (`scripts/start-mcp.sh`: `export KEY=…` then `exec npx …`;
`bin/run-server` with a shebang), and from Makefile / justfile / Taskfile targets; the MCP clients'
own commands there write a config (`claude --mcp-config '{…}'`, `claude mcp add -e KEY=…`, `codex -c
mcp_servers.x.env.KEY=…`, `cat > .mcp.json <<EOF`). A file counts only when one of its command lines
starts an MCP server (a word naming one by clients/docker.py's rule, run by a launcher: npx, uvx,
docker, node, ...) or an MCP client command (`--mcp-config`, `mcp add`, the Inspector, `fastmcp run`).

Each such command is a server (inventory): its `NAME=value` prefix assignments and `-e` / `--env`
flags are its env, `-H 'Name: value'` its headers, its other words its args; what the clients'
commands write is read by clients/workflows.py and clients/runlines.py (the same readers as for a
workflow's `run:` steps). In a shell script or task file, every other `NAME=value` / `export NAME=…` /
make `NAME := …` assignment is searched too (the launcher's environment). A package.json is read
only in its MCP scripts (an MCP server's own package.json names `@modelcontextprotocol/sdk` in its
dependencies: no script of it runs anything by that). Positions are the file's own: a script's JSON
escapes are mapped back to its columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from scanner import parsing
from scanner.clients import manifests, runlines, workflows
from scanner.clients._build import _is_reference
from scanner.clients.discovery import Candidate
from scanner.clients.docker import names_mcp_server
from scanner.errors import ParseError
from scanner.model import Client, FieldValue, FileFormat, Location, McpConfig, ServerEntry, Transport

# Cheap gate before any line is read: no launcher of an MCP server or client lacks these.
_NAMES_MCP = re.compile(r"(?i)mcp|modelcontextprotocol|--plugin-dir|--settings")
# MCP clients' commands that start or configure servers, wherever they sit in a command.
_CLIENT_MARK = re.compile(
    r"--(?:additional-)?mcp-config\b|(?<![\w.-])mcp[ \t]+add(?:-json)?\b|--with-extension\b"
    r"|(?:^|[\s'\"])(?:-c|--config)[ \t=]+['\"]?mcp_servers\."
    r"|modelcontextprotocol/inspector|(?<![\w.-])mcp-inspector\b|(?<![\w.-])fastmcp[ \t]+(?:run|dev)\b"
    r"|(?<![\w./-])mcp[ \t]+(?:dev|run)[ \t]")
# Programs that run a server named by a later word (`npx -y @scope/x-mcp`, `docker run … mcp/fetch`).
# Dotenv loaders (`dotenv -e FILE -- npx …`, `dotenvx run -f FILE -- …`, `env-cmd -f FILE …`) are the
# program: their flags name the file whose values the server gets (clients._files reads it).
_RUNNERS = frozenset({"npx", "bunx", "pnpx", "pnpm", "yarn", "npm", "uvx", "uv", "pipx", "docker", "podman",
                      "node", "python", "python3", "deno", "bun", "go", "java", "dotnet", "tsx", "ts-node",
                      "dotenv", "dotenv-cli", "dotenvx", "env-cmd"})
# Words before the program that keep the command what it is (`exec npx …`, `env A=b npx …`).
_WRAPPERS = frozenset({"exec", "env", "sudo", "nohup", "time", "command", "nice", "npx", "bunx", "pnpx",
                       "--", "call"})  # `call`: cmd's
# Words naming a file of data or a test, not a server (`node --test tests/mcp.test.js`, `mcp.json`).
_NOT_SERVER = re.compile(r"(?i)(?:\.(?:json|jsonc|ya?ml|toml|md|txt|log|lock)$"
                         r"|(?:^|[/._-])(?:test|tests|spec)"
                         r"(?:[/._-]|$))")
_ASSIGN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=")
# A line's own prefix before its command: YAML list item / `cmd:` key (Taskfile), make's recipe
# prefixes (`@`, `-`, `+` after the tab).
_LINE_PREFIX = re.compile(r"[ \t]*(?:-[ \t]+)?(?:(?:cmd|cmds|sh|run)[ \t]*:[ \t]+)?[@+-]*[ \t]*")
# Assignments of a shell script or task file: `export NAME=value`, `NAME=value`, make `NAME ?= value`,
# `NAME := value`, `export NAME = value`, just `export NAME := "value"`, `NAME: value` (Taskfile env).
_FILE_ASSIGN = re.compile(
    r"(?m)^[ \t]*(?:(?:export|readonly|declare(?:[ \t]+-x)?|local|set)[ \t]+)?"
    r"([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?:[:?+!]?=|:(?=[ \t]))[ \t]*"
    r"""(?:'([^'\n]*)'|"((?:[^"\\\n`]|\\.)*)"|([^\s'"`;|&#()]+))[ \t]*(?:[;#]|\\?\r?$)""")
# Words of one command read one by one; the rest of a longer command is one value (a hostile line of
# a million words costs one value, not a million).
_MAX_ARGS = 64
_SHEBANG = re.compile(r"#![^\n]*\b(?:sh|bash|zsh|dash|ksh)\b")
# `mcp add` flags that take the next word as their value (the server's name is the first other word).
_ADD_VALUE_FLAGS = frozenset({"-s", "--scope", "-t", "--transport", "-e", "--env", "-H", "--header"})


def build(candidate: Candidate, text: str, parse_inner: manifests.ParseInner) -> McpConfig | None:
    """The MCP servers the file's command lines start and the configs they write, or None."""
    if _NAMES_MCP.search(text) is None:
        return None
    path, client = candidate.rel_path, candidate.hints[0]
    servers: list[ServerEntry] = []
    extra: list[FieldValue] = []
    parts: list[tuple[str, str, Where | None]] = []
    if client is Client.NPM_SCRIPTS:
        for name, line, begin, start, end in _package_scripts(text):
            raw = text[start:end]
            if "\\" not in raw and _WRITES.search(raw) is None:  # read in place: no escape, no config
                started = (_server(path, name, text, begin, line, words, client)
                           for words in _commands(text, start, end))
                servers.extend(server for server in started if server is not None)
                continue
            decoded = json_unescaped(raw)
            if decoded is not None:
                parts.append((name, decoded[0], _where(line, start - begin + 1, decoded[1])))
    else:
        bare = "." not in path.rsplit("/", 1)[-1]
        if client is Client.SHELL_SCRIPT and bare and _SHEBANG.match(text) is None:
            return None  # `bin/x` without a shell's shebang: a binary, a Python script, ...
        parts = [(_stem(path), text, None)]
    for label, script, where in parts:
        found = _read(candidate, label, script, parse_inner, whole=client is not Client.NPM_SCRIPTS)
        if found is None:
            continue
        if where is not None:
            found = manifests._moved(found, where, 1)
        servers.extend(found.servers)
        extra.extend(found.extra_values)
    if not servers and not any(fv.field in _CONFIG_FILE_FIELDS for fv in extra):
        return None  # no command of the file starts an MCP server or client, or names its configs
    return McpConfig(path, client, candidate.fmt, tuple(servers), extra_values=tuple(extra))


# Values naming files a client loads as its configuration (`--mcp-config <file>`, `--plugin-dir`).
_CONFIG_FILE_FIELDS = frozenset({workflows.INPUT_FILE_FIELD, workflows.PLUGIN_DIR_FIELD})


def _names_configs(config: McpConfig) -> bool:
    return any(fv.field in _CONFIG_FILE_FIELDS for fv in config.extra_values)


def read_command(candidate: Candidate, label: str, script: str, where: Where,
                 parse_inner: manifests.ParseInner) -> McpConfig | None:
    """The servers and values of one shell command cut out of another file (a dev container's
    lifecycle command: clients/devcontainer.py), read as a shell script (`candidate`'s client) and
    moved to that file's positions by `where`; None when it starts no MCP server or client."""
    found = _read(candidate, label, script, parse_inner, whole=True)
    return manifests._moved(found, where, 1) if found is not None else None


def _stem(path: str) -> str:
    base = path.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base[1:] else base


def _read(candidate: Candidate, label: str, script: str, parse_inner: manifests.ParseInner,
          whole: bool) -> McpConfig | None:
    """`script`'s servers and values at its own positions (line 1 = the script's first line)."""
    path, client = candidate.rel_path, candidate.hints[0]
    starts = workflows.line_starts(script)
    launched = list(_launches(path, label, script, starts, client))
    embedded = workflows.build(replace(candidate, fmt=FileFormat.YAML), script, parse_inner, client)
    if not launched and (embedded is None or not embedded.servers and not _names_configs(embedded)):
        return None
    servers = list(launched)
    taken = {(fv.location.line, fv.location.column) for server in launched for fv in server.values}
    extra: list[FieldValue] = []
    if embedded is not None:
        written = [fv.location for server in embedded.servers for fv in server.values]
        written += [fv.location for fv in embedded.extra_values]
        if written:  # `--mcp-config '{…}'`, `-c 'mcp_servers.…'`: read as the config the word is
            servers = [_without_words(server, written) for server in servers]
            # (a `--mcp-config <file>` word left the server: it is the file value of the config now)
            taken = {(fv.location.line, fv.location.column) for server in servers for fv in server.values}
        servers.extend(embedded.servers)
        extra.extend(fv for fv in embedded.extra_values
                     if (fv.location.line, fv.location.column) not in taken)
        taken.update((fv.location.line, fv.location.column) for server in embedded.servers
                     for fv in server.values)
    if whole:  # the launcher's environment: every assignment of the script
        exported: list[FieldValue] = []
        for fv, export in _assignments(path, script, starts):
            if (fv.location.line, fv.location.column) not in taken:
                (exported if export else extra).append(fv)
        if exported:  # `export NAME=…` before a server's line: the server's environment
            servers = [_with_env(server, exported) for server in servers]
            extra.extend(fv for fv in exported if not any(fv in server.env for server in servers))
    return McpConfig(path, client, candidate.fmt, tuple(servers), extra_values=tuple(extra))


def _launches(path: str, label: str, text: str, starts: list[int], client: Client) -> Iterator[ServerEntry]:
    """One server per command (of each line) that starts an MCP server or client."""
    for line, begin in enumerate(starts, 1):
        end = starts[line] - 1 if line < len(starts) else len(text)
        body = text[begin:end]
        if _NAMES_MCP.search(body) is None:
            continue
        if client is Client.TASK_RUNNER and body[:1] not in (" ", "\t"):
            continue  # a target, a variable or a directive: a recipe's commands are indented
        prefix = _LINE_PREFIX.match(text, begin, end)
        at = prefix.end() if prefix is not None else begin
        for words in _commands(text, at, end):
            server = _server(path, label, text, begin, line, words, client)
            if server is not None:
                yield server


Word = list[re.Match[str]]  # a shell word's pieces (runlines.shell_words)


def _commands(text: str, start: int, end: int) -> Iterator[list[Word]]:
    """The words of each simple command of text[start:end] (split at `;`, `&&`, `||`, `|`, `&`)."""
    words: list[Word] = []
    last = start
    for word in runlines.shell_words(text, start, end):
        if word[0].group(3) is not None and word[0].group(3).startswith("#"):
            break  # a comment to the end of the line
        gap = text[last:word[0].start()]
        if words and any(op in gap for op in (";", "&", "|", "(", ")")):
            yield words
            words = []
        words.append(word)
        last = word[-1].end()
    if words:
        yield words


def _joined(word: Word) -> str:
    if len(word) == 1:
        return runlines.word_text(word[0])
    return "".join(runlines.word_text(piece) for piece in word)


def _server(path: str, label: str, text: str, begin: int, line: int, words: list[Word],
            client: Client) -> ServerEntry | None:
    command_text = text[words[0][0].start():words[-1][-1].end()]
    values = [_joined(word) for word in words]
    index = 0
    env: list[FieldValue] = []
    while index < len(values) and (_ASSIGN.match(values[index]) is not None or values[index] in _WRAPPERS
                                   or index and values[index - 1] == "env" and values[index].startswith("-")):
        if (assign := _ASSIGN.match(values[index])) is not None:
            env.append(_assigned(path, text, begin, line, words[index], assign.group(1)))
        if values[index] in ("npx", "bunx", "pnpx"):
            break  # `npx -y pkg`: npx is the program
        index += 1
    if index >= len(values):
        return None
    program = values[index]
    marked = _CLIENT_MARK.search(command_text) is not None
    named = next((value for value in values[index:] if names_mcp_server(value)
                  and _NOT_SERVER.search(value) is None), None)
    base = program.rsplit("/", 1)[-1]
    if not marked and (named is None or base not in _RUNNERS and not names_mcp_server(program)):
        return None
    flags = list(runlines.env_flags(path, text, begin, line, words[index][0].start(), words[-1][-1].end()))
    env.extend(fv for fv in flags if fv.field.startswith("env."))
    headers = [fv for fv in flags if fv.field.startswith("headers.")]
    covered = [fv.location.column for fv in flags]
    args: list[FieldValue] = []
    for word in words[index + 1:]:
        if len(args) == _MAX_ARGS:  # the rest of the command, as written: searched as one value
            start, stop = word[0].start(), words[-1][-1].end()
            args.append(FieldValue(f"args[{len(args)}]", text[start:stop],
                                   Location(path, line, start - begin + 1), line, stop - begin + 1, None,
                                   quoted=False))
            break
        low, high = word[0].start() - begin + 1, word[-1].end() - begin + 1
        if covered and any(low <= column < high for column in covered):
            continue  # `KEY=value` of `-e KEY=value`: the env value already
        args.append(_value(path, text, begin, line, word, f"args[{len(args)}]", None))
    command = _value(path, text, begin, line, words[index], "command", None)
    return ServerEntry(name=_name(values, index, named, label), client=client,
                       location=Location(path, line, words[index][0].start() - begin + 1),
                       transport=Transport.STDIO, command=command, args=tuple(args), env=tuple(env),
                       headers=tuple(headers), values=(command, *args, *env, *headers))


def _name(values: list[str], index: int, named: str | None, label: str) -> str:
    """`mcp add NAME …`: NAME; else the MCP package or command the line runs; else the script's."""
    for at in range(index, len(values) - 1):
        if values[at] == "mcp" and values[at + 1] in ("add", "add-json"):
            skip = False
            for word in values[at + 2:]:
                if skip:
                    skip = False
                    continue
                if word.startswith("-"):
                    skip = word in _ADD_VALUE_FLAGS
                    continue
                return word
    if named is not None and "inspector" not in named:
        piece = named.rstrip("/").rsplit("/", 1)[-1]
        piece = re.sub(r"(?<=.)@[^@]*$", "", piece)  # `server-github@1.2.0`
        return piece or label
    return label


def _value(path: str, text: str, begin: int, line: int, word: Word, field: str,
           key: str | None) -> FieldValue:
    """The FieldValue of a shell word, located at its text (inside a quoted piece's quotes); a word of
    several pieces spans them all (its text is then not the source's: no fix rewrites it)."""
    first, last = word[0], word[-1]
    start = first.start(_group(first))
    stop = last.end(_group(last))
    column = start - begin + 1
    value = _joined(word)
    return FieldValue(field, value, Location(path, line, column), line, column + (stop - start), key,
                      _is_reference(value), quoted=False)


def _assigned(path: str, text: str, begin: int, line: int, word: Word, name: str) -> FieldValue:
    """The value of a `NAME=value` word (`NAME="value"`, `'NAME=value'` too), at the value."""
    first = word[0]
    group = _group(first)
    skip = len(name) + 1
    if first.end(group) - first.start(group) == skip and len(word) > 1:
        return _value(path, text, begin, line, word[1:], f"env.{name}", name)
    start = first.start(group) + skip
    stop = first.end(group) if len(word) == 1 else word[-1].end(_group(word[-1]))
    value = _joined(word)[skip:]
    column = start - begin + 1
    return FieldValue(f"env.{name}", value, Location(path, line, column), line, column + (stop - start), name,
                      _is_reference(value), quoted=False)


def _group(piece: re.Match[str]) -> int:
    return piece.lastindex or 0


def _without_words(server: ServerEntry, inside: list[Location]) -> ServerEntry:
    """`server` without the args holding one of the `inside` positions (read as configs already)."""
    def holds(fv: FieldValue) -> bool:
        return any(at.line == fv.location.line and fv.location.column <= at.column < fv.end_column
                   for at in inside)

    kept = tuple(fv for fv in server.args if not holds(fv))
    if len(kept) == len(server.args):
        return server
    values = tuple(fv for fv in server.values if fv in kept or fv not in server.args)
    return replace(server, args=kept, values=values)


_INHERITS = frozenset({Client.SHELL_SCRIPT, Client.WINDOWS_SCRIPT, Client.TASK_RUNNER})


def _with_env(server: ServerEntry, exported: list[FieldValue]) -> ServerEntry:
    """`server` with the variables exported on earlier lines (and not set on its own line) as env."""
    own = {fv.key for fv in server.env}
    inherited = tuple(fv for fv in exported if fv.location.line < server.location.line and fv.key not in own)
    if not inherited or server.client not in _INHERITS:
        return server
    return replace(server, env=inherited + server.env, values=server.values + inherited)


def _assignments(path: str, text: str, starts: list[int]) -> Iterator[tuple[FieldValue, bool]]:
    """Every `NAME=value` / `export NAME=value` / `NAME := value` assignment line of a script (a
    Windows script's `$env:NAME = value` / `set NAME=value`, all exported), and whether it is exported."""
    windows = is_windows_script(path)
    assigns = _WIN_ASSIGN if windows else _FILE_ASSIGN
    for match in assigns.finditer(text) if "=" in text or ":" in text else ():
        name = next(match.group(at) for at in (1, 5, 7) if match.group(at) is not None) if windows \
            else match.group(1)
        index = next(at for at in ((2, 3, 4, 6, 8) if windows else (2, 3, 4)) if match.group(at) is not None)
        value = match.group(index)
        if not value:
            continue
        line = runlines._line(starts, match.start(index))
        column = match.start(index) - starts[line - 1] + 1
        exported = windows or match.group(0).lstrip().startswith("export")
        yield FieldValue(f"env.{name}", value, Location(path, line, column), line, column + len(value), name,
                         _is_reference(value), quoted=False), exported


# PowerShell `$env:NAME = value` and cmd `set NAME=value` / `set "NAME=value"`: the environment of the
# commands after them (learn.microsoft.com about_Environment_Variables; cmd `set`).
_WIN_ASSIGN = re.compile(
    r"""(?mi)^[ \t]*(?:\$env:([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*"""
    r"""(?:'([^'\r\n]*)'|"([^"`\r\n]*)"|([^\s'"`;|&#()]+))"""
    r"""|@?set[ \t]+(?:"([A-Za-z_][A-Za-z0-9_]*)=([^"\r\n]*)"|([A-Za-z_][A-Za-z0-9_]*)=([^\s"&|<>]+)))"""
    r"""[ \t]*(?:[;#]|\r?$)""")


def is_windows_script(path: str) -> bool:
    return path.lower().endswith((".ps1", ".cmd", ".bat"))


def line_prefix_end(line: str) -> int:
    """Where the command of `line` starts (after a YAML item / `cmd:` key, make's `@` / `-`)."""
    prefix = _LINE_PREFIX.match(line)
    return prefix.end() if prefix is not None else 0


Where = Callable[[int, int], tuple[int, int]]


# What clients/workflows.py reads in a command line besides the servers it starts (configs it writes).
_WRITES = re.compile(r"--(?:additional-)?mcp-config|mcp_servers\.|mcpServers|mcp_config|<<|>|\btee\b"
                     r"|add-json|--settings|--plugin-dir|--config|--named-server-config")


def _package_scripts(text: str) -> Iterator[tuple[str, int, int, int, int]]:
    """(script name, line, the line's offset, the script's start and end offsets: its JSON string
    body as written) of each `scripts` entry that names MCP."""
    try:
        root = parsing.parse_jsonc(text)
    except ParseError:
        return
    scripts = root.get("scripts") if root is not None and root.is_object else None
    if scripts is None or not scripts.is_object:
        return
    starts: list[int] | None = None
    for name, _key, node in scripts.pairs():
        if not node.is_string or node.line != node.end_line or _NAMES_MCP.search(str(node.value)) is None:
            continue
        if starts is None:
            starts = workflows.line_starts(text)
        begin = starts[node.line - 1]  # the script's own line (JSON strings hold no raw newline)
        yield name, node.line, begin, begin + node.column, begin + node.end_column - 2


def _where(line: int, first: int, columns: list[list[int]]) -> Where:
    """Positions of a decoded script (its lines split at decoded newlines) -> the JSON line's columns."""
    def where(at_line: int, column: int) -> tuple[int, int]:
        cols = columns[max(0, min(at_line, len(columns)) - 1)]
        return line, first + cols[max(0, min(column - 1, len(cols) - 1))]
    return where


_JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def json_unescaped(raw: str) -> tuple[str, list[list[int]]] | None:
    """The text of a JSON string's body `raw`, and per decoded line the 0-based offset in `raw` of
    each character (plus one past the end); None for a malformed escape."""
    out: list[str] = []
    columns: list[list[int]] = [[]]
    index = 0
    while index < len(raw):
        at = index
        char = raw[index]
        if char == "\\":
            code = raw[index + 1:index + 2]
            if code == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", raw[index + 2:index + 6]):
                char, index = chr(int(raw[index + 2:index + 6], 16)), index + 6
            elif code in _JSON_ESCAPES:
                char, index = _JSON_ESCAPES[code], index + 2
            else:
                return None
        else:
            index += 1
        out.append(char)
        if char == "\n":
            columns[-1].append(at)
            columns.append([])
        else:
            columns[-1].append(at)
    columns[-1].append(len(raw))
    for cols in columns[:-1]:
        cols.append(cols[-1] + 1 if cols else 0)
    return "".join(out), columns
