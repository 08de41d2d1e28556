"""Bounded property-based fuzzing of the parse + scan path (JSONC, JSON, TOML, YAML, dotenv):
whatever the bytes, a scan returns a result (unparsable files are reported as skipped with a
one-line reason) and never raises. The long run is `make fuzz` (tests/fuzz/run.py)."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.pipeline import ScanOptions, ScanResult, scan_files
from tests.fuzz.seeds import TOKENS, mutate, seeds

_SEEDS = seeds()
_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_PATHS = sorted({path for _name, files in _SEEDS for path in files})
_SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.too_slow])


def _check(files: dict[str, bytes]) -> ScanResult:
    result = scan_files(files, _OPTIONS)
    # Bad input gets a clear one-line reason; a file is scanned or skipped, never both (a file that
    # did not parse is searched line by line: scanned, with a non-fatal "parse" entry).
    for skipped in result.errors:
        assert skipped.reason and "\n" not in skipped.reason
        assert (skipped.path in result.scanned_files) is (skipped.kind in ("parse", "encoding"))
    assert set(result.scanned_files) <= set(files)
    return result


@_SETTINGS
@given(index=st.integers(0, len(_SEEDS) - 1), rng_seed=st.integers(0, 2**32 - 1))
def test_mutated_seeds_never_raise(index: int, rng_seed: int) -> None:
    _name, files = _SEEDS[index]
    rng = random.Random(rng_seed)
    other = rng.choice(list(rng.choice(_SEEDS)[1].values()))
    _check({path: mutate(data, rng, other, max_size=64 * 1024) for path, data in files.items()})


@_SETTINGS
@given(path=st.sampled_from(_PATHS),
       parts=st.lists(st.one_of(st.sampled_from(TOKENS), st.binary(max_size=12),
                                st.text(max_size=12).map(str.encode)), max_size=40))
def test_token_soup_never_raises(path: str, parts: list[bytes]) -> None:
    files = {path: b"".join(parts)}
    if path == ".env":
        files[".cursor/mcp.json"] = b'{"mcpServers": {"a": {"command": "x", "envFile": ".env"}}}'
    _check(files)
