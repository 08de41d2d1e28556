"""referenced_files' duplicate check does work linear in the number of referenced files (counted).

Every path `resolve` returns is wrapped in a str subclass that counts the comparisons and hashes made
on it: a list membership test compares a new path with every one found before it (quadratic over
many servers each naming its own env file), a set lookup hashes it once.
"""

from __future__ import annotations

import pytest

from scanner.clients import _files
from scanner.model import Client, FieldValue, FileFormat, Location, McpConfig, ServerEntry, Transport

K = 4


class _Counted(str):
    __slots__ = ()
    work = 0

    def __eq__(self, other: object) -> bool:
        _Counted.work += 1
        return str.__eq__(self, other)

    def __hash__(self) -> int:
        _Counted.work += 1
        return str.__hash__(self)


def _config(n: int) -> McpConfig:
    servers = []
    for i in range(n):
        env_file = FieldValue("envFile", f"envs/{i}.env", Location(".cursor/mcp.json", i + 1, 5), i + 1, 20)
        servers.append(ServerEntry(f"s{i}", Client.CURSOR, Location(".cursor/mcp.json", i + 1, 1),
                                   Transport.STDIO, env_file=env_file, values=(env_file,)))
    return McpConfig(".cursor/mcp.json", Client.CURSOR, FileFormat.JSON, tuple(servers))


def _work(config: McpConfig) -> tuple[int, list[str]]:
    _Counted.work = 0
    found = _files.referenced_files(config)
    return _Counted.work, found


def test_referenced_files_duplicate_check_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    resolve = _files.resolve

    def counted(text: str, base: str) -> str | None:
        rel = resolve(text, base)
        return _Counted(rel) if rel is not None else None

    monkeypatch.setattr(_files, "resolve", counted)
    small, small_found = _work(_config(200))
    large, large_found = _work(_config(200 * K))
    assert small_found == [f"envs/{i}.env" for i in range(200)]
    assert len(large_found) == 200 * K
    assert 0.7 * K <= large / small <= 1.3 * K, f"work grew {large / small:.1f}-fold for {K}x the files"
