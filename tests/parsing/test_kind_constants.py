"""The parsers and the shared builders compare node kinds with the module constants of
scanner.parsing.node, not with `NodeKind.<member>` inside their functions: on Python 3.11 the enum
member lookup goes through EnumType's `__getattr__` on every call (unspecialised), about three
times a global's cost, and these functions run once or more per node of a file (counted: the
lookups are found in the compiled functions, not timed)."""

from __future__ import annotations

import dis
import inspect
import types
from collections.abc import Iterator

import pytest

from scanner.clients import _build
from scanner.parsing import dotenv, jsonc, node, properties, toml_tree, yaml_tree
from scanner.parsing.node import NodeKind


def _functions(module: types.ModuleType) -> Iterator[types.CodeType]:
    todo = [obj for obj in vars(module).values()
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module.__name__]
    codes: list[types.CodeType] = []
    for obj in todo:
        members = vars(obj).values() if inspect.isclass(obj) else [obj]
        for member in members:
            function = member.fget if isinstance(member, property) else member
            if inspect.isfunction(function):
                codes.append(function.__code__)
    while codes:
        code = codes.pop()
        yield code
        codes.extend(const for const in code.co_consts if isinstance(const, types.CodeType))


MEMBERS = frozenset(NodeKind.__members__)
_NODEKIND = ("LOAD_GLOBAL", "NodeKind")


def _member_lookups(code: types.CodeType) -> list[str]:
    found, previous = [], None
    for instruction in dis.get_instructions(code):
        member = instruction.opname in ("LOAD_ATTR", "LOAD_METHOD") and instruction.argval in MEMBERS
        if member and previous is not None and (previous.opname, previous.argval) == _NODEKIND:
            found.append(f"{code.co_qualname}: NodeKind.{instruction.argval}")
        previous = instruction
    return found


@pytest.mark.parametrize("module", [node, jsonc, toml_tree, yaml_tree, dotenv, properties, _build],
                         ids=lambda m: m.__name__)
def test_no_member_lookup_in_the_hot_modules(module: types.ModuleType) -> None:
    codes = list(_functions(module))
    assert len(codes) >= 3
    assert [lookup for code in codes for lookup in _member_lookups(code)] == []


def test_the_constants_are_the_members() -> None:
    assert [node.OBJECT, node.ARRAY, node.STRING, node.NUMBER, node.BOOL, node.NULL] == list(NodeKind)
    assert all(constant is NodeKind[constant.name] for constant in list(NodeKind))


def test_the_search_finds_a_member_lookup() -> None:
    def uses_member(kind: NodeKind) -> bool:
        return kind is NodeKind.STRING

    assert _member_lookups(uses_member.__code__) == [
        "test_the_search_finds_a_member_lookup.<locals>.uses_member: NodeKind.STRING"]
