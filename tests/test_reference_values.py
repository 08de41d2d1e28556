"""rules/reference_syntax.py `_values` (the first value of each field of a server, in the order the
fields first come) made with C-level calls equals the per-value loop it replaced."""

from __future__ import annotations

import dataclasses

from scanner.model import FieldValue, ServerEntry
from scanner.rules import reference_syntax
from tests.engines.helpers import parse_files
from tests.matrix.env_configs import generated
from tests.matrix.prod_cases import build, cases


def _loop(server: ServerEntry) -> tuple[FieldValue, ...]:
    seen: dict[str, FieldValue] = {}
    for fv in (*server.values, server.command, server.url, *server.args, *server.env, *server.headers):
        if fv is not None and fv.field not in seen:
            seen[fv.field] = fv
    return tuple(seen.values())


def _servers() -> list[ServerEntry]:
    out: list[ServerEntry] = []
    for case in cases():
        configs, _matches, _sources = build(case)
        out.extend(server for config in configs for server in config.servers)
    for _name, files, _policy in generated(120, seed=16):
        configs, _raw = parse_files({p: d.decode() for p, d in files.items()})
        out.extend(server for config in configs for server in config.servers)
    return out


def test_values_equal_the_loop() -> None:
    servers = _servers()
    assert len(servers) > 200
    duplicated = 0
    for server in servers:
        assert [id(fv) for fv in reference_syntax._values(server)] == [id(fv) for fv in _loop(server)]
        # The same fields twice, in another order and with other objects: the first still wins.
        twice = dataclasses.replace(server, values=(*reversed(server.values), *server.values))
        assert [id(fv) for fv in reference_syntax._values(twice)] == [id(fv) for fv in _loop(twice)]
        duplicated += len(server.values) > 1
    assert duplicated > 50
