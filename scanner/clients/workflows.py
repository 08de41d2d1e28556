"""MCP client configs written inside GitHub Actions workflows (`.github/workflows/*.yml`).

The places real workflows hold one (anthropics/claude-code-action docs, docs/configuration.md and
docs/migration-guide.md; public workflows):

- an action input named `mcp_config` whose value is the JSON text (`mcp_config: |` block, or a
  single-quoted line) - claude-code-action v0 and claude-code-base-action; likewise run-gemini-cli's
  `settings` (gemini-cli-action's `settings_json`) when it declares `mcpServers`;
- `--mcp-config '<json>'` in a command line or in the v1 `claude_args` input, and
  `--mcp-config <file>` there (the file, like an `mcp_config: <file>` input, is read as a config);
- any other single-quoted one-line JSON declaring `mcpServers` (`echo '{…}' > .mcp.json`, a step's
  `env:` value passed as `--mcp-config "$MCP"`), read as the Claude Code config it becomes;
- a command that makes a client's config without writing its text (clients/runlines.py: a base64
  word decoded into `.mcp.json`, Codex `-c mcp_servers.*` overrides, `claude mcp add -e KEY=…`);
- a heredoc in a `run:` script writing a file a client reads (`cat > .mcp.json <<'EOF'`,
  `cat > ~/.codex/config.toml <<EOF`): the lines up to the terminator are that file.

The workflow is read line by line, as deployment manifests are (clients/manifests.py): the embedded
text is parsed from the outer file's lines with everything outside it blanked, so the positions of
its values (and the fixes) are the workflow's own. Every embedded config is reported as the
workflow's (client GITHUB_ACTIONS): what replaces a literal there is `${{ secrets.NAME }}`, which
the runner substitutes before the action or the script sees the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from scanner.clients import action_steps, manifests, runlines, step_env, workflow_inputs
from scanner.clients.discovery import Candidate, classify_path
from scanner.model import Client, FieldValue, FileFormat, Location, McpConfig

_INPUT = re.compile(r"(?m)^( *)(?:- +)?[\"']?mcp_config[\"']?[ \t]*:[ \t]*(.*?)\r?$")
# google-github-actions/run-gemini-cli `settings` (and gemini-cli-action `settings_json`): JSON text
# the action writes to `.gemini/settings.json`; read only when it declares `mcpServers`.
_SETTINGS_INPUT = re.compile(r"(?m)^( *)(?:- +)?[\"']?settings(?:_json)?[\"']?[ \t]*:[ \t]*(.*?)\r?$")
_FOLDED_OR_BLOCK = re.compile(r"[|>][-+]?[1-9]?[-+]?[ \t]*(?:#.*)?")
_FLAG = re.compile(r"--mcp-config(?:[ \t]+|=)'(?=[ \t\r\n]*\{)")
# `<< 'EOF'`, `<<-EOF`, `<<"JSON"` on a line that also names where the text goes (`> file`, `tee file`).
_HEREDOC = re.compile(r"""<<-?[ \t]*(["']?)([A-Za-z_][\w.-]{0,40})\1""")
_WORD = re.compile(r"[A-Za-z_][\w.-]*")
_TARGET = re.compile(r"""(?:>>?|\btee(?:[ \t]+-a)?)[ \t]*["']?([^\s"'<>|;&]+)""")
_CLAUDE_JSON = (FileFormat.JSONC, (Client.CLAUDE_CODE,))
_GEMINI_JSON = (FileFormat.JSONC, (Client.GEMINI,))


# The words of a workflow that can hand an MCP config to a client (catalog's content_words: the same):
# `settings` / `marketplaces` are claude-code-action's inputs (clients/action_steps.py; `uses:` is
# matched in any case there, so the gate is the input's key, not the action's name).
EMBED_WORDS = ("mcp", "modelcontextprotocol", "--plugin-dir", "settings", "marketplaces", "claude_env",
               step_env.COPILOT_PREFIX)


def may_embed(text: str) -> bool:
    return any(word in text for word in EMBED_WORDS)


def build(candidate: Candidate, text: str, parse_inner: manifests.ParseInner,
          client: Client = Client.GITHUB_ACTIONS) -> McpConfig | None:
    """One McpConfig (path: the workflow) of every client config the workflow writes, or None.
    `client`: whose file it is (a launcher script writes the same configs: clients/launchers.py)."""
    if not may_embed(text):
        return None
    lines = text.split("\n")
    starts = line_starts(text)
    found: list[McpConfig] = []
    for inner, first, start, end, expands in _spans(candidate.rel_path, text, lines, starts):
        shadow = _shadow(lines, starts, first, start, end)
        columns: list[list[int]] | None = None
        if expands and "\\" in shadow:  # an unquoted heredoc: the shell drops `\` before $ ` \
            shadow, columns = _shell_unescaped(shadow)
        if not shadow.strip() or inner.fmt is FileFormat.JSONC and not shadow.lstrip().startswith("{"):
            continue  # `mcp_config: |` holding `${{ secrets.MCP_CONFIG }}` or a path: no JSON here
        config = parse_inner(inner, shadow)
        if config is None or not (config.servers or config.file_values or config.extra_values
                                  or config.parse_error):
            continue
        if columns is None:
            config = manifests._shifted(config, first - 1, first)
        else:
            config = manifests._moved(config, _through(columns, first - 1), first)
        found.append(_as_workflow(config, client))
    named = list(_named_files(candidate.rel_path, text, starts))
    named.extend(action_steps.input_values(candidate.rel_path, text, lines))
    named.extend(_command_values(candidate.rel_path, text, starts))
    written = [fv for config in found for server in config.servers for fv in server.values]
    written.extend(fv for config in found for fv in (*config.extra_values, *config.file_values))
    named.extend(action_steps.env_text_values(list(_env_literals(candidate.rel_path, text, lines, starts,
                                                                  [*written, *named]))))
    if client is Client.GITHUB_ACTIONS:  # a step's `env:` handed to the MCP server its `run:` starts
        read = {(fv.location.line, fv.location.column) for fv in [*written, *named]}
        tree = step_env.tree_values(candidate.rel_path, text)
        stepped = step_env.step_env_values(candidate.rel_path, lines) if tree is None else tree
        named.extend(fv for fv in stepped if (fv.location.line, fv.location.column) not in read)
    if action_steps.is_action_metadata(candidate.rel_path) and action_steps.about_agents(text):
        # a default a written config reads is reported above
        read = {(fv.location.line, fv.location.column) for fv in named}
        named.extend(fv for fv in action_steps.metadata_defaults(candidate.rel_path, text)
                     if (fv.location.line, fv.location.column) not in read)
    if not found:  # only `mcp_config: <file>` inputs: the files are read as configs of their own
        return McpConfig(candidate.rel_path, client, candidate.fmt if client is not Client.GITHUB_ACTIONS
                         else FileFormat.YAML, extra_values=tuple(named)) if named else None
    merged = manifests._merged(candidate.rel_path, found, named)
    return replace(merged, client=client)


# A workflow's `env:` blocks (top level, job, step) and their `NAME: value` entries: the runner puts
# them in the environment, where `${{ env.NAME }}` (the runner), `$NAME` (a `run:` shell) and
# `${NAME}` (Claude Code expanding `.mcp.json`) read them.
_ENV_BLOCK = re.compile(r"(?m)^( *(?:- +)?)env[ \t]*:[ \t]*(?:#.*)?\r?$")
_ENV_ENTRY = re.compile(r"""( +)["']?([A-Za-z_][\w-]*)["']?[ \t]*:[ \t]*(.*?)[ \t]*\r?""")
_ENV_REF = re.compile(r"\$\{\{\s*env\.([A-Za-z_][\w-]*)\s*\}\}|\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)")


def _env_literals(path: str, text: str, lines: list[str], starts: list[int],
                  values: list[FieldValue]) -> Iterator[FieldValue]:
    """The literal `env:` entry or input default a value of a written config reads (`"ACME_API_KEY":
    "${{ env.KEY }}"` with `env: {KEY: <token>}`, `${{ inputs.key }}` with `on.workflow_dispatch.
    inputs.key.default: <token>`, or an `env:` entry that is `${{ inputs.key }}`): that literal, at its
    own line, judged under the name the config gives it (the entry's own name may say nothing)."""
    wanted: dict[str, list[FieldValue]] = {}
    inputs: dict[str, list[FieldValue]] = {}  # input id -> the values reading it
    for fv in values:
        for ref in _ENV_REF.finditer(fv.text) if "$" in fv.text else ():
            wanted.setdefault(next(group for group in ref.groups() if group is not None), []).append(
                _reader(fv, ref.start(), ref.end()))
        for ref in workflow_inputs.INPUT_REF.finditer(fv.text) if "inputs" in fv.text else ():
            inputs.setdefault(ref.group(1) or ref.group(3), []).append(_reader(fv, ref.start(), ref.end()))
    if not wanted and not inputs:
        return
    seen: set[tuple[int, int, str]] = set()
    found: list[tuple[list[FieldValue], str, int, int]] = []
    for name, value, line, column in _env_entries(text, lines, starts) if wanted else ():
        readers = wanted.get(name, [])
        if readers and "inputs" in value:  # `KEY: ${{ inputs.key }}`: the input's default, if any
            for input_name in workflow_inputs.referenced(value):
                inputs.setdefault(input_name, []).extend(readers)
        if not value.startswith("${{") and value:  # not a secret or another expression
            found.append((readers, value, line, column))
    if inputs:
        found.extend((inputs.get(name, []), value, line, column)
                     for name, value, line, column in workflow_inputs.defaults(text))
    for readers, value, line, column in found:
        for fv in readers:
            key = fv.key or fv.field.rsplit(".", 1)[-1]
            if (line, column, key) not in seen:
                seen.add((line, column, key))
                yield FieldValue(fv.field, value, Location(path, line, column), line, column + len(value),
                                 key, quoted=False)


# A reference that is a URL's userinfo (`https://user:${{ env.TOKEN }}@host`, `https://${{ env.T }}@host`).
_USERINFO_BEFORE = re.compile(r"://[^\s/?#@]*\Z")
_USERINFO_AFTER = re.compile(r"[^\s/?#@]*@")


def _reader(fv: FieldValue, start: int, end: int) -> FieldValue:
    """`fv` as the reader of the reference at `fv.text[start:end]`: the literal it reads is judged under
    its name, or as a password when the reference is the userinfo of a URL (a marketplace's Git URL)."""
    before = _USERINFO_BEFORE.search(fv.text, 0, start)
    if before is None or not _USERINFO_AFTER.match(fv.text, end):
        return fv
    # after `user:` a password; alone, a token standing for the user (`https://<token>@github.com`)
    return replace(fv, key="password" if ":" in before.group(0)[3:] else "token")


def _env_entries(text: str, lines: list[str], starts: list[int]) -> Iterator[tuple[str, str, int, int]]:
    """(name, value, line, column) of each one-line entry of an `env:` block, each line read once."""
    resume = 0  # 0-based index of the first line no block has read yet
    for match in _ENV_BLOCK.finditer(text) if "env" in text else ():
        line = _line_of(starts, match.start())  # 1-based: lines[line] is the block's first entry
        if line <= resume:
            continue
        key_column = len(match.group(1))
        entry_indent = -1
        index = line
        while index < len(lines):
            body = lines[index]
            stripped = body.strip()
            if stripped and not stripped.startswith("#"):
                indent = len(body) - len(body.lstrip(" "))
                if indent <= key_column:
                    break
                entry = _ENV_ENTRY.fullmatch(body)
                if entry_indent < 0:
                    entry_indent = indent
                if entry is not None and indent == entry_indent \
                        and not _FOLDED_OR_BLOCK.fullmatch(entry.group(3)):
                    value, column = entry.group(3), entry.start(3) + 1
                    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                        value, column = value[1:-1], column + 1
                    yield entry.group(2), value, index + 1, column
            index += 1
        resume = index


# `mcp_config: ci/claude/servers.json`: the action reads that file (from the workspace root) as the
# `.mcp.json` text; clients._files.config_references follows the field to scan the file itself.
INPUT_FILE_FIELD = runlines.CONFIG_FILE_FIELD


# `--mcp-config tools/servers.json` (or `=`, quoted, several files) in a `run:` step or the v1
# `claude_args` input: Claude Code loads each file named there as an MCP config, whatever its name
# (`ci/agent-servers`, `servers.txt`): any path word that is no flag (`-…`) or JSON text.
_JSON_PATH = runlines.JSON_PATH
_FLAG_FILES = re.compile(rf"""--mcp-config(?:[ \t]+|=)((?:["']?{_JSON_PATH}["']?(?:[ \t]+|$))+)""", re.M)
_FLAG_FILE = re.compile(rf"""(["']?)({_JSON_PATH})\1""")
_INPUT_PATH = _FLAG_FILE
PLUGIN_DIR_FIELD = runlines.PLUGIN_DIR_FIELD


def _named_files(path: str, text: str, starts: list[int]) -> Iterator[FieldValue]:
    for match in _INPUT.finditer(text):
        named = _INPUT_PATH.fullmatch(match.group(2))
        if named is None:
            continue
        line = _line_of(starts, match.start())
        column = match.start(2) - starts[line - 1] + 1
        yield FieldValue(INPUT_FILE_FIELD, named.group(2), Location(path, line, column), line,
                         column + len(match.group(2)), None, quoted=bool(named.group(1)))
    yield from runlines.flag_files(path, text, starts)
    for match in _FLAG_FILES.finditer(text) if "--mcp-config" in text else ():
        for named in _FLAG_FILE.finditer(match.group(1)):
            offset = match.start(1) + named.start()
            line = _line_of(starts, offset)
            column = offset - starts[line - 1] + 1
            yield FieldValue(INPUT_FILE_FIELD, named.group(2), Location(path, line, column), line,
                             column + len(named.group(0)), None, quoted=bool(named.group(1)))


def line_starts(text: str) -> list[int]:
    """The offset at which each line of `text` starts (line n at index n - 1)."""
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    """1-based line of `offset` (binary search over the line starts)."""
    low, high = 0, len(starts) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if starts[mid] <= offset:
            low = mid
        else:
            high = mid - 1
    return low + 1


def _spans(path: str, text: str, lines: list[str],
           starts: list[int]) -> Iterator[tuple[Candidate, int, int, int, bool]]:
    """(inner candidate, first line, start offset, end offset, shell-expanded) of each embedded
    config, in order."""
    inputs = [(Candidate(path, *_CLAUDE_JSON), _INPUT)]
    if "settings" in text and "mcpServers" in text:
        inputs.append((Candidate(path, *_GEMINI_JSON), _SETTINGS_INPUT))
    known = action_steps.anchors(lines) if "&" in text else None
    for given, pattern in inputs:
        for match in pattern.finditer(text):
            line, indent, rest, begin = _input_value(match, starts, known)
            if _FOLDED_OR_BLOCK.fullmatch(rest):
                block = manifests._block(lines, line, indent)
                if block is not None and (pattern is _INPUT or "mcpServers" in block):
                    last = line + block.count("\n")
                    yield given, line + 1, starts[line], starts[last - 1] + len(lines[last - 1]), False
            elif len(rest) > 1 and rest[0] == rest[-1] == "'" and "''" not in rest[1:-1] \
                    and (pattern is _INPUT or "mcpServers" in rest):
                yield given, line, begin + 1, begin + len(rest) - 1, False
    yield from _claude_settings(path, text, lines, starts)
    claude = inputs[0][0]
    flagged: set[int] = set()
    for match in _FLAG.finditer(text):
        close = text.find("'", match.end())
        if close < 0:
            break  # no later flag has a closing quote either
        flagged.add(match.end())
        yield claude, _line_of(starts, match.end()), match.end(), close, False
    # Any other single-quoted one-line JSON declaring `mcpServers` (`echo '{…}' > .mcp.json`, a step's
    # `env: {MCP: '{…}'}` passed as `--mcp-config "$MCP"`): the Claude Code config it becomes.
    for match in _QUOTED_SERVERS.finditer(text) if '"mcpServers"' in text else ():
        if match.start(1) not in flagged and not _in_input(text, starts, match.start(1)):
            yield claude, _line_of(starts, match.start(1)), match.start(1), match.end(1), False
    for start, end, bare in runlines.codex_overrides(text):
        if bare is None:  # `-c mcp_servers.acme.env.KEY="…"`: a line of ~/.codex/config.toml
            codex = Candidate(path, FileFormat.TOML, (Client.CODEX,), False)
            yield codex, _line_of(starts, start), start, end, False
    terminators: dict[str, list[int]] | None = None
    resume = 0  # a heredoc's body is data: `<<` inside it starts nothing
    for match in _HEREDOC.finditer(text):
        if match.start() < resume:
            continue
        line = _line_of(starts, match.start())
        if terminators is None:  # 0-based indexes of the lines that could end a heredoc, once
            terminators = {}
            for index, body in enumerate(lines):
                word = body.strip()
                if 0 < len(word) <= 41 and _WORD.fullmatch(word):
                    terminators.setdefault(word, []).append(index)
        ends = terminators.get(match.group(2), [])
        at = bisect.bisect_left(ends, line)  # the first terminator after the heredoc's line
        if at == len(ends):
            continue
        last = ends[at]  # the terminator's 0-based index: the body ends on the line before
        resume = starts[last]
        target = _TARGET.search(lines[line - 1])
        inner = _written(path, target.group(1)) if target is not None else None
        if inner is not None and last > line:
            yield (inner, line + 1, starts[line], starts[last - 1] + len(lines[last - 1]),
                   not match.group(1))  # `<<EOF` expands, `<<'EOF'` / `<<"EOF"` keep the text


def _claude_settings(path: str, text: str, lines: list[str],
                     starts: list[int]) -> Iterator[tuple[Candidate, int, int, int, bool]]:
    """claude-code-action's inline `settings` JSON (a `|` block or a single-quoted line), read as a
    Claude Code settings file (its `env` map, permission rules); one declaring `mcpServers` is read
    as a servers config above."""
    if "settings" not in text or "claude-code" not in text.lower():
        return
    settings = Candidate(path, FileFormat.JSONC, (Client.CLAUDE_SETTINGS,))
    steps: action_steps.Steps | None = None
    known = action_steps.anchors(lines) if "&" in text else None
    for match in _SETTINGS_INPUT.finditer(text):
        steps = steps or action_steps.Steps(lines)
        row = steps.row(_line_of(starts, match.start()) - 1)
        if row is None or "settings_json" in match.group(0) or "settings" not in row.claude_settings:
            continue
        line, indent, rest, begin = _input_value(match, starts, known)
        if _FOLDED_OR_BLOCK.fullmatch(rest):
            block = manifests._block(lines, line, indent)
            if block is not None and "mcpServers" not in block:
                last = line + block.count("\n")
                yield settings, line + 1, starts[line], starts[last - 1] + len(lines[last - 1]), False
        elif len(rest) > 1 and rest[0] == rest[-1] == "'" and "''" not in rest[1:-1] \
                and "mcpServers" not in rest:
            yield settings, line, begin + 1, begin + len(rest) - 1, False


def _input_value(match: re.Match[str], starts: list[int],
                 known: dict[str, action_steps.Anchor] | None) -> tuple[int, int, str, int]:
    """(1-based line, key indent, value text, value offset) of an input matched by `_INPUT` /
    `_SETTINGS_INPUT`; an alias (`mcp_config: *cfg`) gives its anchor's value, where it is written."""
    rest = match.group(2)
    anchor = action_steps.aliased(rest, known)
    if anchor is not None:
        index, indent, rest, column = anchor
        return index + 1, indent, rest, starts[index] + column
    return _line_of(starts, match.start()), len(match.group(1)), rest, match.start(2)


def _command_values(path: str, text: str, starts: list[int]) -> Iterator[FieldValue]:
    """Values of client configs the workflow's command lines make (clients/runlines.py): the
    literal words of a command writing a client's file, and bare `-c mcp_servers.*=value` overrides."""
    yield from runlines.written_words(path, text, starts, lambda target: _written(path, target) is not None)
    yield from runlines.added_servers(path, text, starts)
    yield from runlines.extension_env(path, text, starts)
    yield from runlines.double_quoted_configs(path, text, starts)
    yield from runlines.json_overrides(path, text, starts)
    for start, end, bare in runlines.codex_overrides(text):
        if bare is not None:
            yield runlines.override_value(path, text, starts, start, end, bare)


_QUOTED_SERVERS = re.compile(r"""'(\{[^'\n]*"mcpServers"[^'\n]*\})'""")


def _in_input(text: str, starts: list[int], offset: int) -> bool:
    """Whether the quoted text at `offset` is the whole value of an `mcp_config:` / `settings:` input
    on its line (those are read as their inputs already)."""
    line = _line_of(starts, offset)
    body = text[starts[line - 1]:offset]
    return _INPUT.match(body + "x") is not None or _SETTINGS_INPUT.match(body + "x") is not None


def _written(path: str, target: str) -> Candidate | None:
    """The candidate of the file a heredoc writes (`.mcp.json`, `$HOME/.codex/config.toml`, ...)."""
    name = re.sub(r"^(?:~|\$\{?HOME\}?|\$\{?GITHUB_WORKSPACE\}?|\$\{?RUNNER_TEMP\}?)/", "", target)
    name = name[2:] if name.startswith("./") else name
    named = classify_path(name) if name else None
    if named is None or named.hints[0] is Client.GITHUB_ACTIONS:  # a workflow written by a workflow
        return None
    return Candidate(path, named.fmt, named.hints, named.generic)


def _shadow(lines: list[str], starts: list[int], first: int, start: int, end: int) -> str:
    """The lines `first`.. holding [start, end) with everything outside the span blanked (newlines
    and columns kept), so the parser's positions are the workflow's columns."""
    out: list[str] = []
    index = first - 1
    while index < len(lines) and starts[index] < end:
        body = lines[index].rstrip("\r")
        line_start = starts[index]
        lo = max(start - line_start, 0)
        hi = min(end - line_start, len(body))
        out.append(" " * lo + body[lo:hi] if hi > lo else "")
        index += 1
    return "\n".join(out) + "\n"


def _shell_unescaped(text: str) -> tuple[str, list[list[int]]]:
    """`text` as an unquoted heredoc writes it (bash: a `\\` before `$`, a backquote or `\\` is
    dropped; gh-aw lock files write `"\\${GITHUB_MCP_SERVER_TOKEN}"`), and per line the 1-based
    column in `text` of each written column (plus one past the end)."""
    out_lines: list[str] = []
    columns: list[list[int]] = []
    for body in text.split("\n"):
        out: list[str] = []
        cols: list[int] = []
        index = 0
        while index < len(body):
            if body[index] == "\\" and index + 1 < len(body) and body[index + 1] in "$`\\":
                index += 1
            out.append(body[index])
            cols.append(index + 1)
            index += 1
        cols.append(len(body) + 1)
        out_lines.append("".join(out))
        columns.append(cols)
    return "\n".join(out_lines), columns


def _through(columns: list[list[int]], by: int) -> Callable[[int, int], tuple[int, int]]:
    """Positions of the unescaped text -> the workflow's (lines moved `by` down)."""
    def where(line: int, column: int) -> tuple[int, int]:
        cols = columns[min(line, len(columns)) - 1]
        return line + by, cols[max(0, min(column - 1, len(cols) - 1))]
    return where


def _as_workflow(config: McpConfig, client: Client = Client.GITHUB_ACTIONS) -> McpConfig:
    servers = tuple(replace(server, client=client) for server in config.servers)
    return replace(config, client=client, servers=servers)
