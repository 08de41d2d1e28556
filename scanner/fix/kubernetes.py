"""Kubernetes remediation: a container's literal `env[].value` becomes `valueFrom.secretKeyRef`.

    env:                                   env:
    - name: GITHUB_TOKEN                   - name: GITHUB_TOKEN
      value: "ghp_…"            ->           valueFrom:
                                               secretKeyRef:
                                                 name: github-mcp-secrets
                                                 key: GITHUB_TOKEN

The value's line is rewritten from its `value:` key to the end of the value, at the key's own
indentation (a comment after the value stays). Only a block-style entry (`value:` on its own line
of the entry) of a container's `env` list (`containers:` / `initContainers:` above it) is
rewritten; the Secret itself is created outside git (the description says how). The operators'
resources (ToolHive `MCPServer.spec.env`) take no `valueFrom` and get the catalog note instead.
"""

from __future__ import annotations

import re

from scanner.clients.catalog import env_name
from scanner.findings import Fix, TextEdit
from scanner.model import FieldValue, McpConfig, ServerEntry
from scanner.output_guard import holds_secret

_VALUE_KEY = re.compile(r"^( *)(- +)?value[ \t]*:[ \t]*$")
_KEY = re.compile(r"^( *)(?:- +)?([A-Za-z_][\w-]*)[ \t]*:")
_SECRET_NAME = re.compile(r"[^a-z0-9-]+")


def kubernetes_fix(config: McpConfig, server: ServerEntry | None, fv: FieldValue, source: str) -> Fix | None:
    """The edit that turns `fv` (a container env value) into a secretKeyRef, or None."""
    if server is None or not fv.field.startswith("env.") or fv.key is None or fv.end_line != fv.location.line:
        return None
    lines = _lines(source)
    if not 1 <= fv.location.line <= len(lines):
        return None
    line = lines[fv.location.line - 1].rstrip("\r")
    head = _VALUE_KEY.match(line[: fv.location.column - 1])
    dashed = bool(head.group(2)) if head is not None else False
    if head is None or not _in_container_env(lines, fv.location.line - 1, len(head.group(1)), dashed):
        return None
    indent = " " * (len(head.group(1)) + len(head.group(2) or ""))
    # Names that hold a token (a server or env name that is one) are not written, in any case.
    secret = _secret_name("" if holds_secret(server.name) else server.name)
    key = env_name(None if holds_secret(fv.key) else fv.key)  # [A-Z0-9_] only: no PR-controlled punctuation
    start = len(indent) + 1  # 1-based column of `value`
    text = (f"valueFrom:\n{indent}  secretKeyRef:\n{indent}    name: {secret}\n{indent}    key: {key}")
    edit = TextEdit(config.path, fv.location.line, start, fv.end_line, fv.end_column, text)
    return Fix(f"reference the Secret `{secret}` (key `{key}`) with valueFrom.secretKeyRef; create it "
               f"outside git: `kubectl create secret generic {secret} --from-literal={key}=…`", (edit,))


_LINES: list[tuple[str, list[str]]] = []  # the last text's lines (a file's findings come together)


def _lines(source: str) -> list[str]:
    """source.split("\n"), once per text object (identity-checked): once per finding was N * N."""
    if not _LINES or _LINES[0][0] is not source:
        _LINES[:] = [(source, source.split("\n"))]
    return _LINES[0][1]


def _secret_name(server: str) -> str:
    """A Secret name (DNS label) for the workload the server belongs to: `<workload>-secrets`."""
    workload = _SECRET_NAME.sub("-", server.split("/", 1)[0].lower()).strip("-")[:40].strip("-")
    return f"{workload or 'mcp'}-secrets"


def _in_container_env(lines: list[str], index: int, indent: int, dashed: bool) -> bool:
    """True when the entry whose `value:` is at line `index` (at column `indent`, 0-based, after a
    dash when `dashed`) is an item of an `env:` list of a container (`containers:` /
    `initContainers:` holds it).

    Walks up once: each line less indented than the last one kept is the next enclosing key (a
    key may sit at the column of the dashes of the sequence it holds: `env:` above `- name: X`)."""
    chain: list[str] = [""] if dashed else []  # the entry's own dash, when on the value's line
    limit, same_column = indent, dashed
    for back in range(index - 1, max(-1, index - 400), -1):
        body = lines[back].rstrip("\r")
        stripped = body.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(body) - len(stripped)
        dash = stripped == "-" or stripped.startswith("- ")
        if not (depth < limit or same_column and depth == limit and not dash):
            continue
        match = _KEY.match(body)
        chain.append(match.group(2) if match is not None else "")
        limit, same_column = depth, dash
        if depth == 0 or len(chain) >= 4:
            break
    # the entry's own `- name: X`, then `env`, then the container's `- name: …`, then `containers`
    keys = [key for key in chain[1:] if key not in ("name", "")]
    return bool(chain) and keys[:1] == ["env"] and keys[1:2] in (["containers"], ["initContainers"])
