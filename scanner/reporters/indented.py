"""`json.dumps(obj, indent=2, ensure_ascii=False)`, character for character, at a fraction of its cost.

With `indent`, Python 3.11's json module leaves its C encoder for the pure-Python generator chain
(`json.encoder._make_iterencode`): about 45 us per finding of the JSON report, 9 s for the 198,000
findings of a 5 MiB file. This walks the same types in the same order with plain appends and the
same C string escaper; anything else (a type json would hand to `default`, a circular container)
goes back to `json.dumps` itself, so its error is json's own.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C escaper when available, as json.dumps uses
from typing import Any

_INF = float("inf")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INF:
        return "Infinity"
    if value == -_INF:
        return "-Infinity"
    return float.__repr__(value)


class _Fallback(Exception):
    """A value the fast walk does not take: json.dumps renders (or rejects) the whole object."""


def dumps_indented(obj: Any, indent: int = 2) -> str:
    """The text `json.dumps(obj, indent=indent, ensure_ascii=False)` returns."""
    parts: list[str] = []
    try:
        _walk(obj, parts, " " * indent)
    except (_Fallback, RecursionError):
        return json.dumps(obj, indent=indent, ensure_ascii=False)
    return "".join(parts)


def _walk(obj: Any, parts: list[str], unit: str) -> None:
    out = parts.append
    enc = encode_basestring
    newlines: list[str] = ["\n"]
    active: set[int] = set()  # containers being written: json.dumps raises on a circular one

    def newline(level: int) -> str:
        while len(newlines) <= level:
            newlines.append("\n" + unit * len(newlines))
        return newlines[level]

    def scalar(value: Any) -> str | None:
        if isinstance(value, str):
            return enc(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, int):
            return int.__repr__(value)
        if isinstance(value, float):
            return _float(value)
        return None

    def value_of(value: Any, level: int) -> None:
        if type(value) is str:
            out(enc(value))
            return
        text = scalar(value)
        if text is not None:
            out(text)
        elif isinstance(value, (list, tuple)):
            array(value, level)
        elif isinstance(value, dict):
            mapping(value, level)
        else:
            raise _Fallback

    def array(items: list[Any] | tuple[Any, ...], level: int) -> None:
        if not items:
            out("[]")
            return
        enter(items)
        inner = newline(level + 1)
        separator = "," + inner
        out("[" + inner)
        first = True
        for item in items:
            if first:
                first = False
            else:
                out(separator)
            value_of(item, level + 1)
        out(newline(level) + "]")
        active.discard(id(items))

    def mapping(items: dict[Any, Any], level: int) -> None:
        if not items:
            out("{}")
            return
        enter(items)
        inner = newline(level + 1)
        separator = "," + inner
        out("{" + inner)
        first = True
        for key, item in items.items():
            if type(key) is not str:
                key = _key(key)
            if first:
                first = False
            else:
                out(separator)
            out(enc(key) + ": ")
            value_of(item, level + 1)
        out(newline(level) + "}")
        active.discard(id(items))

    def enter(container: object) -> None:
        marker = id(container)
        if marker in active:
            raise _Fallback
        active.add(marker)

    value_of(obj, 0)


def _key(key: Any) -> str:
    """A dict key as json.dumps writes it (skipkeys off: any other type is json's TypeError)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise _Fallback
