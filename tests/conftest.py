"""Shared fixtures: tiny repositories written into tmp_path with run-time secret values."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakes import fake_token

WriteRepo = Callable[[dict[str, str]], Path]


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
