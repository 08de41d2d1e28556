"""A PNode makes child lists only where children can be: `entries` of an object, `items` of an array.
Every other node shares one empty list that refuses changes (counted: the lists of a parsed tree are
exactly one per container; a scalar-heavy tree made two empty lists per scalar before)."""

from __future__ import annotations

import json

import pytest

from scanner.parsing import parse_dotenv, parse_jsonc, parse_properties, parse_toml, parse_xml, parse_yaml
from scanner.parsing.node import NO_CHILDREN, NodeKind, PNode

_SERVERS = {f"s{i}": {"command": "npx", "args": ["-y", f"pkg-{i}", i, True, None], "env": {"K": f"v{i}"}}
            for i in range(40)}
_TOML = "".join(f'[mcp_servers.s{i}]\ncommand = "npx"\nargs = ["-y", "p{i}", {i}]\nenabled = true\n'
                f'env = {{ K = "v{i}", D = 1979-05-27 }}\n' for i in range(40))
_YAML = "extensions:\n" + "".join(
    f"  e{i}:\n    cmd: npx\n    args: [-y, 'p{i}', {i}, on, ~]\n    envs: {{K: v}}\n" for i in range(40))
_TREES = {
    "json": lambda: parse_jsonc(json.dumps({"mcpServers": _SERVERS})),
    "jsonc": lambda: parse_jsonc("// c\n" + json.dumps({"mcpServers": _SERVERS}, indent=1) + "\n"),
    "toml": lambda: parse_toml(_TOML),
    "yaml": lambda: parse_yaml(_YAML),
    "dotenv": lambda: parse_dotenv("".join(f"K{i}=v{i}\n" for i in range(40))),
    "properties": lambda: parse_properties("".join(f"a.b{i}.c=v{i}\n" for i in range(40))),
    "xml": lambda: parse_xml('<application><component name="McpProjectServerCommands"><x a="1"/>'
                             "</component></application>"),
}


def _nodes(root: PNode) -> list[PNode]:
    out, todo = [], [root]
    while todo:
        node = todo.pop()
        out.append(node)
        todo.extend(value for key, value in node.entries)
        todo.extend(key for key, value in node.entries)
        todo.extend(node.items)
    return out


@pytest.mark.parametrize("fmt", sorted(_TREES))
def test_one_child_list_per_container(fmt: str) -> None:
    nodes = _nodes(_TREES[fmt]())
    containers = [n for n in nodes if n.kind is NodeKind.OBJECT or n.kind is NodeKind.ARRAY]
    scalars = [n for n in nodes if n.kind is not NodeKind.OBJECT and n.kind is not NodeKind.ARRAY]
    assert len(scalars) > len(containers) >= 1
    lists = {id(n.entries) for n in nodes} | {id(n.items) for n in nodes}
    assert len(lists) == len(containers) + 1  # each container's own list, and the shared one
    assert all(n.entries is NO_CHILDREN and n.items is NO_CHILDREN for n in scalars)
    assert all((n.items if n.kind is NodeKind.OBJECT else n.entries) is NO_CHILDREN for n in containers)


def test_the_shared_list_is_empty_to_readers_and_refuses_changes() -> None:
    scalar = PNode(NodeKind.STRING, 1, 1, 1, 4, "ab")
    assert scalar.entries == [] and scalar.items == [] and not scalar.entries and list(scalar.items) == []
    assert scalar == PNode(NodeKind.STRING, 1, 1, 1, 4, "ab", entries=[], items=[])
    assert repr(scalar).endswith("entries=[], items=[], quoted=True)")
    assert scalar.get("x") is None and scalar.keys() == []
    for change in (lambda c: c.append(1), lambda c: c.extend([1]), lambda c: c.insert(0, 1),
                   lambda c: c.__setitem__(slice(0, 0), [1]), lambda c: c.__iadd__([1]), lambda c: c.sort()):
        with pytest.raises(TypeError):
            change(scalar.entries)
    assert NO_CHILDREN == []
    given: list[PNode] = []
    array = PNode(NodeKind.ARRAY, 1, 1, 1, 3, items=given)
    assert array.items is given and array.entries is NO_CHILDREN
    obj = PNode(NodeKind.OBJECT, 1, 1, 1, 3)
    obj.entries.append((scalar, scalar))
    assert PNode(NodeKind.OBJECT, 1, 1, 1, 3).entries == []  # each object its own list
