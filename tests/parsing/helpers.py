"""Test helpers: PNode -> Python values, and the source text a node points at."""

from __future__ import annotations

from typing import Any

from scanner.parsing.node import NodeKind, PNode
from scanner.parsing.positions import LineIndex


def to_python(node: PNode) -> Any:
    """Plain Python value of a tree (last duplicate key wins, as in json.loads)."""
    if node.kind is NodeKind.OBJECT:
        return {str(key.value): to_python(value) for key, value in node.entries}
    if node.kind is NodeKind.ARRAY:
        return [to_python(item) for item in node.items]
    return node.value


def source_at(text: str, node: PNode) -> str:
    """The exact source slice [start, end) of a node."""
    index = LineIndex(text)
    return text[index.offset(node.line, node.column) : index.offset(node.end_line, node.end_column)]


def walk(node: PNode) -> list[PNode]:
    """Every node of a tree, keys included, iteratively."""
    out: list[PNode] = []
    todo = [node]
    while todo:
        current = todo.pop()
        out.append(current)
        for key, value in current.entries:
            todo.extend((key, value))
        todo.extend(current.items)
    return out
