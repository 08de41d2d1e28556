"""Where a referenced file is looked up on disk (a case-insensitive file system opens `Secrets.ENV`
for `secrets.env`): the same answers as the per-reference lookup it replaced, and each directory
listed once per scan (counted, not timed) however many configs point into it."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from scanner import pipeline
from scanner.pipeline import ScanOptions, _DiskLocator, scan


def _per_reference(root: Path, rel: str) -> str:
    """The lookup as it was: every miss lists the directory again (the oracle)."""
    if rel.startswith("../") or rel == ".." or os.path.lexists(root / rel):
        return rel
    found = ""
    for part in rel.split("/"):
        here = root / found if found else root
        if not os.path.lexists(here / part):
            try:
                names = [name for name in os.listdir(here) if name.casefold() == part.casefold()]
            except OSError:
                return rel
            if len(names) != 1:
                return rel
            part = names[0]
        found = f"{found}/{part}" if found else part
    return found


def test_same_answers_as_the_per_reference_lookup(tmp_path: Path) -> None:
    rng = random.Random(7)
    words = ["a", "B", "env", "Env", "ENV", "cfg", "x.env", "X.ENV", ".env", ".Env"]
    made: list[str] = []
    for _ in range(60):
        parts = [rng.choice(words) for _ in range(rng.randint(1, 3))]
        path = tmp_path.joinpath(*parts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_dir():
                path.write_text("K=v\n")
        except OSError:  # a name that is a file at one place and a folder at another
            continue
        made.append("/".join(parts))
    (tmp_path / "locked").mkdir()
    queries = {*made, "../x", "..", "locked/x", "nothere/.env", "a/nothere"}
    for rel in made:
        queries.add(rel.upper())
        queries.add(rel.lower())
        queries.add("".join(ch.upper() if rng.random() < 0.5 else ch for ch in rel))
    locator = _DiskLocator(tmp_path)
    for rel in sorted(queries) * 2:  # twice: the second round answers from the cache
        assert locator(rel) == _per_reference(tmp_path, rel), rel


def _repo(root: Path, configs: int, filler: int) -> None:
    """`configs` Gemini projects, each pointing at its own and the parent `.env` (both absent)."""
    for i in range(configs):
        (root / f"svc{i:04d}" / ".gemini").mkdir(parents=True)
        (root / f"svc{i:04d}" / ".gemini" / "settings.json").write_text(
            '{"mcpServers": {"gh": {"command": "npx", "env": {"T": "${T}"}}}}')
    for i in range(filler):
        (root / f"pkg{i:04d}").mkdir()


@pytest.mark.parametrize("configs", [20])
def test_directory_listed_once_per_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        configs: int) -> None:
    listed: list[int] = []
    real = os.listdir

    def counting(path: str | os.PathLike[str] = ".") -> list[str]:
        names = real(path)
        listed.append(len(names))
        return names

    monkeypatch.setattr(pipeline.os, "listdir", counting)

    def names_listed(n: int) -> int:
        root = tmp_path / f"r{n}"
        root.mkdir()
        _repo(root, n, n)
        listed.clear()
        result = scan(ScanOptions(root=root, use_gitleaks=False))
        assert len(result.scanned_files) == n
        return sum(listed)

    small, large = names_listed(configs), names_listed(4 * configs)
    # Each directory once: 4x the configs, ~4x the names read (the parent folder of them all read
    # once per reference: ~16x).
    assert large <= 5 * small, (small, large)
