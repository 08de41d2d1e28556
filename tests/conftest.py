"""Shared fixtures: tiny repositories written into tmp_path with run-time secret values."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fakes import fake_token
from tests.gh.github_contract import FakeGitHub, fake_github

WriteRepo = Callable[[dict[str, str]], Path]

# Every output boundary raises on secret material in tests (production redacts instead).
os.environ["MCP_GUARD_OUTPUT_CHECK"] = "raise"


@pytest.fixture(autouse=True)
def _fresh_output_guard() -> Iterator[None]:
    """Each test starts with no registered secrets (values of one test never judge another's output)."""
    from scanner import output_guard

    output_guard.reset()
    yield
    output_guard.reset()


@pytest.fixture(autouse=True)
def _fresh_slow_hash_budget() -> None:
    """Each test is a run of its own: the per-process slow-hash budget starts full."""
    from scanner import fingerprints

    fingerprints.reset_budget()


@pytest.fixture
def write_repo(tmp_path: Path) -> WriteRepo:
    """Write {relative path: text} under tmp_path/repo (not a git repo) and return its root."""

    def write(files: dict[str, str]) -> Path:
        root = tmp_path / "repo"
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        root.mkdir(exist_ok=True)
        return root

    return write


def git(root: Path, *args: str) -> str:
    """Run git in `root` with a fixed identity (tests never depend on the user's git config)."""
    proc = subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid",
         "-c", "commit.gpgsign=false", *args],
        check=True, capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    return proc.stdout


@pytest.fixture
def github_pat() -> str:
    return fake_token("ghp_", 36, seed=7)


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    """The contract-checked fake GitHub for action tests outside tests/gh (there: tests/gh/conftest.py,
    which also asserts every registered request was made)."""
    with fake_github(assert_all_requests_are_fired=False) as gh:
        yield gh
