"""Strict reads: every answer the product parses is handed over as a dict/list that records each field
the product looks at (`[key]`, `.get(key)`, `key in`), and a field the official response schema does
not document is a contract violation. A faithful emulator sends only documented fields; code that
reads another one works against github.com by luck and breaks against the emulator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

Sink = Callable[[str], None]
Resolve = Callable[[Any], Any]


def fields(schema: Any, resolve: Resolve) -> tuple[dict[str, Any], Any] | None:
    """(documented properties, schema of any other key or None) of an object schema; None when the
    schema says nothing about the object's keys (anything may be read)."""
    schema = resolve(schema)
    if not isinstance(schema, dict):
        return None
    props: dict[str, Any] = {}
    extra: Any = None
    known = False
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []):
            found = fields(part, resolve)
            if found is None:
                return None
            props.update({name: props.get(name, sub) for name, sub in found[0].items()})
            extra = extra if extra is not None else found[1]
            known = True
    if "properties" in schema:
        props.update(schema["properties"])
        known = True
    additional = schema.get("additionalProperties")
    if additional is True or additional == {}:
        return None
    if isinstance(additional, dict):
        extra = additional
        known = True
    if not known:
        return None
    return props, extra


def _items(schema: Any, resolve: Resolve) -> Any:
    schema = resolve(schema)
    if not isinstance(schema, dict):
        return None
    if "items" in schema:
        return schema["items"]
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []):
            items = _items(part, resolve)
            if items is not None:
                return items
    return None


def track(value: Any, schema: Any, where: str, sink: Sink, resolve: Resolve) -> Any:
    if isinstance(value, dict) and not isinstance(value, ReadDict):
        return ReadDict(value, schema, where, sink, resolve)
    if isinstance(value, list) and not isinstance(value, ReadList):
        return ReadList(value, schema, where, sink, resolve)
    return value


class ReadDict(dict):  # type: ignore[type-arg]
    def __init__(self, data: dict[str, Any], schema: Any, where: str, sink: Sink, resolve: Resolve) -> None:
        super().__init__(data)
        self._where, self._sink, self._resolve = where, sink, resolve
        self._fields = fields(schema, resolve) if schema is not None else None

    def _sub(self, key: object) -> Any:
        if self._fields is None:
            return None
        props, extra = self._fields
        if isinstance(key, str) and key in props:
            return props[key]
        if extra is not None:
            return extra
        self._sink(f"{self._where}: reads {key!r}, which the response schema does not document")
        return None

    def _wrap(self, key: object, value: Any) -> Any:
        sub = self._sub(key)
        if sub is None:
            return value
        return track(value, sub, f"{self._where}.{key}", self._sink, self._resolve)

    def __getitem__(self, key: Any) -> Any:
        return self._wrap(key, super().__getitem__(key))

    def get(self, key: Any, default: Any = None) -> Any:
        if not super().__contains__(key):
            self._sub(key)
            return default
        return self[key]

    def __contains__(self, key: object) -> bool:
        self._sub(key)
        return super().__contains__(key)

    def __copy__(self) -> dict[str, Any]:
        return dict(self)


class ReadList(list):  # type: ignore[type-arg]
    def __init__(self, data: list[Any], schema: Any, where: str, sink: Sink, resolve: Resolve) -> None:
        super().__init__(data)
        self._item, self._where, self._sink, self._resolve = _items(schema, resolve), where, sink, resolve

    def _wrap(self, value: Any) -> Any:
        if self._item is None:
            return value
        return track(value, self._item, f"{self._where}[]", self._sink, self._resolve)

    def __iter__(self) -> Iterator[Any]:
        for value in super().__iter__():
            yield self._wrap(value)

    def __getitem__(self, index: Any) -> Any:
        value = super().__getitem__(index)
        if isinstance(index, slice):
            return [self._wrap(item) for item in value]
        return self._wrap(value)


def route(url: str, api: str) -> str:
    """The path of `url` below the API root (`/repos/o/r/...`), whether absolute or relative."""
    path = urlsplit(url).path
    prefix = urlsplit(api).path.rstrip("/")
    return path[len(prefix):] if prefix and path.startswith(prefix + "/") else path


def find_operation(method: str, url: str, api: str, operations: dict[tuple[str, str], Any]) -> Any:
    path = route(url, api)
    for (verb, _template), operation in operations.items():
        if verb == method.upper() and operation.regex.match(path):
            return operation
    return None


def success_schema(responses: dict[str, Any], resolve: Resolve) -> Any:
    for code in ("200", "201"):
        if code in responses:
            content = resolve(responses[code]).get("content", {}).get("application/json")
            return content["schema"] if content else None
    return None



def undocumented(body: Any, schema: Any, where: str, resolve: Resolve) -> list[str]:
    """Fields of a request `body` that its schema does not document, at any depth (GitHub's request
    schemas rarely say `additionalProperties: false`, so a validator alone lets them through)."""
    if isinstance(body, list):
        items = _items(schema, resolve)
        return [problem for index, item in enumerate(body)
                for problem in (undocumented(item, items, f"{where}[{index}]", resolve) if items else [])]
    if not isinstance(body, dict):
        return []
    known = fields(schema, resolve)
    if known is None:
        return []
    props, extra = known
    problems: list[str] = []
    for key, value in body.items():
        sub = props.get(key, extra)
        if sub is None:
            problems.append(f"{where}.{key} is not a field of the request schema")
        else:
            problems += undocumented(value, sub, f"{where}.{key}", resolve)
    return problems
