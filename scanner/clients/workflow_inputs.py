"""The literal defaults of a workflow's inputs (docs.github.com, "Workflow syntax for GitHub Actions":
`on.workflow_dispatch.inputs.<input_id>.default` and `on.workflow_call.inputs.<input_id>.default`).

A run started without a value for the input (a manual dispatch that keeps the form's default, a
caller that passes nothing) reads the default through `${{ inputs.<id> }}` (both triggers) or
`${{ github.event.inputs.<id> }}` (workflow_dispatch): a config the workflow writes from there holds
the default (clients/workflows.py resolves those references as it does `env:` entries).

An action's metadata file (`action.yml` / `action.yaml`, docs.github.com "Metadata syntax for GitHub
Actions") declares its inputs at the top level (`inputs.<input_id>.default`, beside `runs:`): a
composite action's steps read them through `${{ inputs.<id> }}` the same way, and a JavaScript or
Docker action gets them as `INPUT_<ID>`. A literal default there is published with the action.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scanner.errors import ParseError
from scanner.parsing import parse_yaml
from scanner.parsing.node import PNode

_TRIGGERS = ("workflow_dispatch", "workflow_call")
# `${{ inputs.X }}`, `${{ github.event.inputs.X }}`, `${{ inputs['X'] }}`; also the first operand of
# `${{ inputs.X || … }}` (the default is not empty, so it is the value).
INPUT_REF = re.compile(r"""\$\{\{\s*(?:github\.event\.)?inputs(?:\.([A-Za-z_][\w-]*)|\[\s*(['"])"""
                       r"""([A-Za-z_][\w-]*)\2\s*\])\s*(?:\}\}|\|\|)""")


def referenced(text: str) -> Iterator[str]:
    """The input ids `text` reads."""
    for match in INPUT_REF.finditer(text) if "inputs" in text else ():
        yield match.group(1) or match.group(3)


def defaults(text: str) -> Iterator[tuple[str, str, int, int]]:
    """(input id, default text, line, column) of each input whose default is a literal string
    (not empty, no expression); the column is the text's first character (inside its quotes)."""
    if "inputs" not in text or "default" not in text:
        return
    try:
        root = parse_yaml(text)
    except ParseError:
        return  # a workflow GitHub cannot read runs nothing; its other values are still searched
    for inputs in _input_maps(root):
        for name, _key, entry in inputs.pairs():
            default = entry.get("default") if entry.is_object else None
            if default is not None and default.is_string and _literal(default):
                inline = default.quoted and default.line == default.end_line
                yield name, str(default.value), default.line, default.column + (1 if inline else 0)


def _input_maps(root: PNode) -> Iterator[PNode]:
    """The `inputs` maps of a workflow's dispatch / call triggers, or of an action's metadata (top
    level, beside `runs:`)."""
    if not root.is_object:
        return
    triggers = root.get("on")
    for trigger in _TRIGGERS:
        spec = triggers.get(trigger) if triggers is not None and triggers.is_object else None
        inputs = spec.get("inputs") if spec is not None and spec.is_object else None
        if inputs is not None and inputs.is_object:
            yield inputs
    inputs = root.get("inputs")
    if root.get("runs") is not None and inputs is not None and inputs.is_object:
        yield inputs


def _literal(node: PNode) -> bool:
    text = str(node.value)
    return bool(text.strip()) and "${{" not in text
