"""Fixtures shared by the GitHub-side tests: the contract-checked fake GitHub and a small work tree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gh.action_helpers import CONFIG, Repo, mcp_config
from tests.gh.github_contract import FakeGitHub, fake_github


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with fake_github() as gh:
        yield gh


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "ws")
    repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}"), "README.md": "hi\n"})
    return repo
