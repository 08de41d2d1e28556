"""Test helpers: PNode -> Python values, and the source text a node points at."""

from __future__ import annotations

import datetime
import math
import tomllib
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


def toml_expected(text: str) -> Any:
    """tomllib's reading of `text` with dates as ISO strings and NaN as a string (comparable)."""

    def norm(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        if isinstance(value, list):
            return [norm(v) for v in value]
        if isinstance(value, datetime.date | datetime.time):
            return value.isoformat()
        if isinstance(value, float) and math.isnan(value):
            return "nan"
        return value

    return norm(tomllib.loads(text))


def toml_actual(node: PNode) -> Any:
    """to_python with NaN as a string, to compare against toml_expected."""
    value = to_python(node)

    def norm(item: Any) -> Any:
        if isinstance(item, dict):
            return {k: norm(v) for k, v in item.items()}
        if isinstance(item, list):
            return [norm(v) for v in item]
        return "nan" if isinstance(item, float) and math.isnan(item) else item

    return norm(value)
