"""Format-neutral positioned tree every parser returns; raw dicts never leave scanner/parsing."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NoReturn


class NodeKind(str, enum.Enum):  # noqa: UP042  # str-valued Enum per STYLE.md §2
    OBJECT = "object"
    ARRAY = "array"
    STRING = "string"
    NUMBER = "number"
    BOOL = "bool"
    NULL = "null"


# The kinds as module constants, for hot paths (this module's and the parsers'): `NodeKind.OBJECT` is an
# attribute of a class whose metaclass defines `__getattr__` (EnumType, Python 3.11), which the
# interpreter does not specialise: ~3x the cost of a global, and every node made and every reader's
# `get` / `is_object` asks one.
OBJECT, ARRAY, STRING = NodeKind.OBJECT, NodeKind.ARRAY, NodeKind.STRING
NUMBER, BOOL, NULL = NodeKind.NUMBER, NodeKind.BOOL, NodeKind.NULL


class _NoChildren(list):
    """The `entries` / `items` of a node that holds none of them (every scalar, and an array's entries,
    an object's items): one shared empty list that refuses to be changed, so a tree of N scalars makes
    no 2N empty lists (each 72 bytes: more than half of a scalar node's memory). It is an empty list
    to every reader (equal to `[]`, iterates nothing, repr `[]`)."""

    __slots__ = ()

    def _refuse(self, *_args: object, **_kwargs: object) -> NoReturn:
        raise TypeError("a PNode of this kind has no children to change")

    append = extend = insert = pop = remove = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse


NO_CHILDREN: list = _NoChildren()


@dataclass(slots=True, init=False)
class PNode:
    """A parsed value with its exact source span (1-based line/column in codepoints).

    `line`/`column` is the first character of the value's token (the opening quote of a quoted
    string); `end_line`/`end_column` is exclusive. For OBJECT, `entries` holds (key node, value
    node) pairs in source order (key nodes are STRING nodes positioned on the key token); for
    ARRAY, `items`. `value` holds the Python scalar for scalar kinds (str/int/float/bool/None).
    `quoted` is False for bare scalars (YAML plain scalars, TOML numbers/booleans).
    """

    kind: NodeKind
    line: int
    column: int
    end_line: int
    end_column: int
    value: str | int | float | bool | None = None
    entries: list[tuple[PNode, PNode]] = field(default_factory=list)
    items: list[PNode] = field(default_factory=list)
    quoted: bool = True

    def __init__(self, kind: NodeKind, line: int, column: int, end_line: int, end_column: int,
                 value: str | int | float | bool | None = None,
                 entries: list[tuple[PNode, PNode]] | None = None, items: list[PNode] | None = None,
                 quoted: bool = True) -> None:
        # NOTE: a fresh list only where children may be added: `entries` of an OBJECT, `items` of an
        # ARRAY (a node's kind changes only from one scalar kind to another after it is made).
        self.kind = kind
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.value = value
        self.entries = entries if entries is not None else [] if kind is OBJECT else NO_CHILDREN
        self.items = items if items is not None else [] if kind is ARRAY else NO_CHILDREN
        self.quoted = quoted

    def get(self, key: str) -> PNode | None:
        """The value under `key` (last one wins, as in JSON.parse), or None."""
        found: PNode | None = None
        if self.kind is OBJECT:
            for key_node, value_node in self.entries:
                if key_node.value == key:
                    found = value_node
        return found

    def keys(self) -> list[str]:
        return [str(k.value) for k, _ in self.entries]

    def pairs(self) -> Iterator[tuple[str, PNode, PNode]]:
        """(key text, key node, value node) for an OBJECT."""
        for key_node, value_node in self.entries:
            yield str(key_node.value), key_node, value_node

    @property
    def is_object(self) -> bool:
        return self.kind is OBJECT

    @property
    def is_array(self) -> bool:
        return self.kind is ARRAY

    @property
    def is_string(self) -> bool:
        return self.kind is STRING

    def scalar_text(self) -> str | None:
        """Text of a scalar as a user would write it (`true`, `4096`), None for containers/null."""
        if self.kind is STRING:
            return str(self.value)
        if self.kind is BOOL:
            return "true" if self.value else "false"
        if self.kind is NUMBER:
            return str(self.value)
        return None
