"""Spring placeholders that name a property of the same file: `${acme.key}` (or `${acme.key:default}`)
in `spring.ai.mcp.client.*`, with `acme.key=<literal>` elsewhere in `application.properties` /
`application.yml`.

Spring resolves a placeholder against every property source, the file that holds it included
(docs.spring.io, Spring Boot "Externalized Configuration", "Property Placeholders": "the values in
application.properties are filtered through the existing Environment when they are used, so you can
refer back to previously defined values"). The MCP client then gets that literal: it is reported at
its own position, judged under the name of the value that reads it (`acme.key` says nothing; the
`env.ACME_API_KEY` reading it does), as clients/workflows.py reports the `env:` entry a workflow's
config reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from scanner.model import FieldValue, Location
from scanner.parsing.node import NodeKind, PNode

# `${name}` / `${name:default}` with a property name Spring binds: dotted, dashed, indexed.
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][\w.\[\]-]*)(?::[^{}]*)?\}")
_PART = re.compile(r"\[\d{1,6}\]|[^.\[\]]+")
_CHAIN = 8  # placeholders followed through at most this many properties (`a=${b}`, `b=${c}`, ...)
_MAX_PARTS = 64


def is_spring(root: PNode) -> bool:
    """True when `root` holds Spring AI's MCP client properties (`spring.ai.mcp`, nested or dotted)."""
    return _lookup(root, ["spring", "ai", "mcp"]) is not None


def own_literals(path: str, root: PNode, readers: Sequence[FieldValue]) -> Iterator[FieldValue]:
    """The literal property of `root` each placeholder of `readers` resolves to, positioned on it and
    keyed by the reader's name (once per name; a value already among `readers` is not repeated)."""
    known = {(fv.location.line, fv.location.column) for fv in readers}
    keys: _Keys = {}
    reported: set[tuple[int, int, str]] = set()
    for reader in readers:
        if "${" not in reader.text:
            continue
        key = reader.key or reader.field.rsplit(".", 1)[-1]
        pending, seen = [reader.text], 0
        while pending and seen < _CHAIN:
            text = pending.pop()
            for match in _PLACEHOLDER.finditer(text):
                seen += 1
                target = _property(root, match.group(1), keys)
                if target is None:
                    continue
                value = str(target.value)
                if "${" in value:
                    pending.append(value)
                    continue
                where = (target.line, target.column)
                if value.strip() and where not in known and (*where, key) not in reported:
                    reported.add((*where, key))
                    yield FieldValue(reader.field, value, Location(path, *where), target.end_line,
                                     target.end_column, key, quoted=target.quoted)


def _property(root: PNode, name: str, keys: _Keys) -> PNode | None:
    parts = _PART.findall(name)
    if not parts or len(parts) > _MAX_PARTS:
        return None
    found = _lookup(root, parts, keys)
    return found if found is not None and found.kind is NodeKind.STRING else None


def _canonical(name: str) -> str:
    """Spring's relaxed form of a property name part (`api-key`, `apiKey`, `api_key`: `apikey`)."""
    return name.replace("-", "").replace("_", "").lower()


# An object node's children by their keys' relaxed form, last first (built once per node and scan:
# a file of N placeholders naming N properties is N lookups, not N x N key comparisons).
_Keys = dict[int, dict[str, list[PNode]]]


def _children(node: PNode, keys: _Keys) -> dict[str, list[PNode]]:
    found = keys.get(id(node))
    if found is None:
        found = keys[id(node)] = {}
        for key_node, child in reversed(node.entries):  # the last one wins, as Spring reads the file
            found.setdefault(_canonical(str(key_node.value)), []).append(child)
    return found


def _lookup(node: PNode, parts: list[str], keys: _Keys | None = None) -> PNode | None:
    """The node at the dotted `parts` (indexes as `[n]`), a key that holds dots taken whole too (the
    properties tree keeps `a` and `a.b` side by side when both are set)."""
    if keys is None:
        keys = {}
    if not parts:
        return node
    head = parts[0]
    if head.startswith("["):
        index = int(head[1:-1])
        if node.kind is NodeKind.ARRAY and index < len(node.items):
            return _lookup(node.items[index], parts[1:], keys)
        return None
    if node.kind is not NodeKind.OBJECT:
        return None
    for size in range(len(parts), 0, -1):
        if any(part.startswith("[") for part in parts[:size]):
            continue
        for child in _children(node, keys).get(_canonical(".".join(parts[:size])), ()):
            found = _lookup(child, parts[size:], keys)
            if found is not None:
                return found
    return None
