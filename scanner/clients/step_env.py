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

`tree_values` reads the workflow as YAML (as the runner does): the env of such a step in any YAML
spelling (flow `{…}`, quoted keys, anchors and aliases, block scalars, values below their key), the
job's and the workflow's `env:`, and for a step that `uses: docker://<an MCP server image>`, a job
`container:` or a `services:` entry running an MCP server image, its own `env:`. The shell
assignments of the job's `run:` scripts are its env too (`run: KEY=… npx …`, `export KEY=…`, pwsh
`$env:KEY = …`, `echo "KEY=…" >> "$GITHUB_ENV"` in an earlier step: the runner hands `$GITHUB_ENV`
lines to the steps after it), read where the script is written, and an env value that is one
`${{ matrix.X }}` / `${{ inputs.X }}` expression is the literal matrix entry / input default it names.
Every scalar is judged (a `${{ secrets.X }}` is a reference; a literal beside `${{ '' }}` is still a
literal); `COPILOT_MCP_*` entries are read in every `env:` block. `step_env_values`, line by line,
reads a file that is no YAML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scanner import parsing
from scanner.clients._build import env_map_values
from scanner.clients.docker import names_mcp_server
from scanner.errors import ParseError
from scanner.model import FieldValue, Location
from scanner.parsing.node import PNode
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


def tree_values(path: str, text: str) -> list[FieldValue] | None:
    """The env entries the runner hands to an MCP server a workflow (or composite action) starts,
    read from its YAML tree; None when the text is no YAML (then step_env_values reads its lines)."""
    try:
        root = parsing.parse_yaml(text)
    except ParseError:
        return None
    if not root.is_object:
        return []
    out: list[FieldValue] = []
    jobs = root.get("jobs")
    holders = [job for _, _, job in jobs.pairs()] if jobs is not None and jobs.is_object else []
    runs = root.get("runs")  # a composite action's steps
    if runs is not None and runs.is_object:
        holders.append(runs)
    starts_any = False
    for job in holders:
        if not job.is_object:
            continue
        first = len(out)
        starts = False
        for box in _server_boxes(job):
            starts = True
            out.extend(_env_of(path, box))
        steps = job.get("steps")
        scripts: list[tuple[PNode, bool]] = []  # each step's `run:` and whether it starts the server
        for step in steps.items if steps is not None and steps.is_array else ():
            if not step.is_object:
                continue
            starting = _step_starts_server(step)
            run = step.get("run")
            if run is not None and run.is_string:
                scripts.append((run, starting))
            if starting:
                starts = True
                out.extend(_env_of(path, step))
        if starts:
            starts_any = True
            out.extend(_env_of(path, job))
            lines = text.split("\n")
            for run, starting in scripts:
                out.extend(_assignments(path, lines, run, every=starting))
        out.extend(_expanded(path, root, job, out[first:]))
    if starts_any:
        out.extend(_env_of(path, root))
    if COPILOT_PREFIX in text:  # the Copilot cloud agent hands these to its MCP servers, from any block
        taken = {(fv.location.line, fv.location.column) for fv in out}
        out.extend(fv for holder in _env_holders(root, holders) for fv in _env_of(path, holder)
                   if fv.key is not None and fv.key.startswith(COPILOT_PREFIX)
                   and (fv.location.line, fv.location.column) not in taken)
    return out


def _env_holders(root: PNode, jobs: list[PNode]) -> list[PNode]:
    """Every mapping of the workflow that may hold an `env:`: the workflow, its jobs, their steps,
    containers and services."""
    out = [root]
    for job in jobs:
        if not job.is_object:
            continue
        out.append(job)
        steps, services = job.get("steps"), job.get("services")
        out.extend(step for step in (steps.items if steps is not None and steps.is_array else ())
                   if step.is_object)
        container = job.get("container")
        if container is not None and container.is_object:
            out.append(container)
        boxes = services.pairs() if services is not None and services.is_object else ()
        out.extend(box for _, _, box in boxes if box.is_object)
    return out


# `NAME=value` as a command prefix, `export NAME=value`, or a `$GITHUB_ENV` line (`echo "NAME=value"`).
_ASSIGN = re.compile(r"""(?:^|(?<=[\s;&|(]))(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)="""
                     r"""(?:'([^'\n]*)'|"([^"\n$`\\]*)"|([^\s'"`;&|()<>$][^\s'"`;&|()<>]*))""")
_PWSH = re.compile(r"""\$env:([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(?:'([^'\n]*)'|"([^"\n$`]*)")""")
_ECHOED = re.compile(r"""\becho[ \t]+["']?([A-Za-z_][A-Za-z0-9_]*)=([^"'\s]+)["']?[^\n]*GITHUB_ENV""")


def _assignments(path: str, lines: list[str], run: PNode, every: bool) -> list[FieldValue]:
    """The shell assignments of a `run:` script, at their own line and column: every one in the
    script that starts the server (`every`), else only `$GITHUB_ENV` lines (the steps after get them)."""
    out: list[FieldValue] = []
    for number in range(run.line, min(run.end_line, len(lines)) + 1):
        body = lines[number - 1]
        start = run.column - 1 if number == run.line else 0
        found = [(m.group(1), m.group(2), m.start(2)) for m in _ECHOED.finditer(body, start)]
        if every and not found:
            for match in (*_ASSIGN.finditer(body, start), *_PWSH.finditer(body, start)):
                group = next(g for g in (2, 3, 4) if match.group(g) is not None)
                found.append((match.group(1), match.group(group), match.start(group)))
        for name, value, at in found:
            if value:
                out.append(FieldValue(f"env.{name}", value, Location(path, number, at + 1), number,
                                      at + 1 + len(value), name, is_reference(value), quoted=False))
    return out


# A value that is one matrix or input expression: the runner puts the literal it names there.
_EXPRESSION = re.compile(r"\$\{\{\s*(matrix|inputs)\.([A-Za-z_][\w-]*)\s*\}\}")


def _expanded(path: str, root: PNode, job: PNode, values: list[FieldValue]) -> list[FieldValue]:
    """The literals `${{ matrix.X }}` (the job's `strategy.matrix.X` entries) and `${{ inputs.X }}`
    (a `workflow_dispatch` / `workflow_call` input's `default`) values stand for, each at its own
    position under the name of the env entry that reads it."""
    out: list[FieldValue] = []
    for fv in values:
        match = _EXPRESSION.fullmatch(fv.text.strip()) if "${{" in fv.text else None
        if match is None:
            continue
        kind, name = match.groups()
        found: list[PNode | None] = []
        if kind == "matrix":  # `matrix: {K: [...]}` and `matrix: {include: [{K: …}]}`
            matrix = _child(_child(job, "strategy"), "matrix")
            found.append(_child(matrix, name))
            include = _child(matrix, "include")
            rows = include.items if include is not None and include.is_array else []
            found.extend(_child(row, name) for row in rows)
        else:
            triggers = _child(root, "on")
            found.extend(_child(_child(_child(_child(triggers, trigger), "inputs"), name), "default")
                         for trigger in ("workflow_dispatch", "workflow_call"))
        items = [leaf for node in found if node is not None
                 for leaf in (node.items if node.is_array else [node])]
        for item in items:
            text = item.scalar_text()
            if text and "${{" not in text:
                out.append(FieldValue(fv.field, text, Location(path, item.line, item.column), item.end_line,
                                      item.end_column, fv.key, is_reference(text), item.quoted))
    return out


def _child(node: PNode | None, key: str) -> PNode | None:
    return node.get(key) if node is not None and node.is_object else None


def _server_boxes(job: PNode) -> list[PNode]:
    """The job's `container:` and `services:` entries whose image names an MCP server."""
    boxes: list[PNode] = []
    container = job.get("container")
    services = job.get("services")
    candidates = [container] if container is not None else []
    if services is not None and services.is_object:
        candidates.extend(service for _, _, service in services.pairs())
    for box in candidates:
        image = box.get("image") if box.is_object else None
        if image is not None and image.is_string and names_mcp_server(str(image.value)):
            boxes.append(box)
    return boxes


def _step_starts_server(step: PNode) -> bool:
    run, uses = step.get("run"), step.get("uses")
    if run is not None and run.is_string and _starts_server(str(run.value)):
        return True
    return (uses is not None and uses.is_string and str(uses.value).startswith("docker://")
            and names_mcp_server(str(uses.value)))


def _env_of(path: str, holder: PNode) -> list[FieldValue]:
    env = holder.get("env")
    return env_map_values(path, env) if env is not None and env.is_object else []


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
