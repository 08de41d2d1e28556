"""The repository's own mcp-guard workflow runs as the copy-paste workflow of docs/action.md says a
required check must: on `edited` too (a PR moved to another base is judged again) and one run per
pull request (two at once could each post a sticky comment). Was: default types, no concurrency."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _on(workflow: dict[Any, Any]) -> dict[str, Any]:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as True


def test_the_own_workflow_has_the_documented_triggers_and_concurrency() -> None:
    doc = (ROOT / "docs" / "action.md").read_text(encoding="utf-8")
    snippet = re.search(r"```yaml\n# \.github/workflows/mcp-guard\.yml\n(.*?)```", doc, re.S)
    assert snippet is not None
    documented = yaml.safe_load(snippet.group(1))
    own = yaml.safe_load((ROOT / ".github" / "workflows" / "mcp-guard.yml").read_text(encoding="utf-8"))
    assert _on(own)["pull_request"]["types"] == _on(documented)["pull_request"]["types"]
    assert "merge_group" in _on(own)
    assert own["concurrency"] == documented["concurrency"]
