"""Work of the built-in engine, counted (never timed): provider regexes run only on values holding
one of their keywords, each distinct value and argv is analysed once, and the engine's calls grow
linearly with the number of servers (issue 16)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from scanner import names
from scanner.engines import analyze as analysis
from scanner.engines.builtin import BuiltinEngine
from scanner.providers.patterns import PATTERNS
from tests.engines.helpers import parse_files
from tests.fakes import fake_token

K = 4
_SHAPE_REGEXES = {id(p.regex) for p in PATTERNS}


def _servers(n: int, leak_every: int = 0) -> dict[str, str]:
    servers = {}
    for i in range(n):
        token = fake_token("ghp_", 36, i) if leak_every and i % leak_every == 0 else "${env:API_TOKEN}"
        servers[f"srv{i}"] = {
            "command": "npx", "args": ["-y", f"@acme/server-{i}", "--port", str(3000 + i)],
            "env": {"API_TOKEN": token, "LOG_LEVEL": "info", "DATABASE_URL": f"postgres://app:${{P}}@db{i}.internal/app"}}
    return {".cursor/mcp.json": json.dumps({"mcpServers": servers}, separators=(",", ":"))}


def _clear() -> None:
    analysis.clear_caches()
    for cached in (names._name_parts, names.is_sensitive_name, names.is_password_name):
        cached.cache_clear()


# The whole-text pass for tokens no parsed value holds (engines/unjudged.py, windows of
# engines/longvalue.py) runs a fixed number of searches per file, not per value: counted apart.
_TEXT_PASS = ("unjudged.py", "longvalue.py")


def _count(fn: Callable[[], object], keep: Callable[[str, Any], bool], text_pass: bool = False) -> int:
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if keep(event, arg) and frame.f_code.co_filename.endswith(_TEXT_PASS) == text_pass:
            count += 1

    _clear()
    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count


def _shape_regex_runs(event: str, arg: Any) -> bool:
    return event == "c_call" and id(getattr(arg, "__self__", None)) in _SHAPE_REGEXES


def _any_call(event: str, _arg: Any) -> bool:
    return event in ("call", "c_call")


def _detect(files: dict[str, str]) -> Callable[[], object]:
    configs, sources = parse_files(files)
    return lambda: BuiltinEngine().detect(configs, sources)


def test_values_without_a_keyword_run_no_provider_regex() -> None:
    assert _count(_detect(_servers(200)), _shape_regex_runs) == 0
    # the whole-text pass: a few searches per 64 KiB window of the file, not one per value
    # (200 servers hold 1,600 values)
    per_file = _count(_detect(_servers(200)), _shape_regex_runs, text_pass=True)
    assert 0 < per_file <= 6
    assert _count(_detect(_servers(800)), _shape_regex_runs, text_pass=True) <= 4 * per_file


def test_a_token_runs_only_the_rows_of_its_keyword() -> None:
    files = _servers(200, leak_every=10)  # 20 GitHub tokens; only the `ghp_` row can match them
    assert _count(_detect(files), _shape_regex_runs) == 20
    assert len(BuiltinEngine().detect(*parse_files(files))) == 20


def test_repeated_values_are_analysed_once() -> None:
    calls = 0
    analyse = analysis._analyze

    def counting(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        return analyse(*args)

    configs, sources = parse_files(_servers(50))
    _clear()
    analysis._analyze = counting  # type: ignore[assignment]
    try:
        BuiltinEngine().detect(configs, sources)
        first = calls
        BuiltinEngine().detect(configs, sources)  # the base scan of a PR sees the same values again
    finally:
        analysis._analyze = analyse  # type: ignore[assignment]
    # Distinct (value, name, kind): 4 per server (2 args, port, database URL) plus the shared ones.
    assert first <= 4 * 50 + 10
    assert calls == first


def test_engine_work_grows_linearly_with_servers() -> None:
    _detect(_servers(7))()  # warm up lazily built tables on another input
    small = _count(_detect(_servers(100, leak_every=7)), _any_call)
    large = _count(_detect(_servers(100 * K, leak_every=7)), _any_call)
    assert K * 0.8 <= large / small <= K * 1.2, large / small
