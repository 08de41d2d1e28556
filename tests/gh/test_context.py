"""ActionContext: inputs with hyphens, event payloads (PR head, merge_group, push), validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scanner.errors import ConfigError
from scanner.gh.context import ActionContext, ScanMode, get_input, parse_event
from scanner.model import Severity

WEBHOOKS = Path(__file__).resolve().parent.parent / "fixtures" / "github" / "webhooks"


def _payload(name: str) -> dict[str, Any]:
    return json.loads((WEBHOOKS / name).read_text(encoding="utf-8"))


def _env(tmp_path: Path, event: str, payload: dict[str, Any], **extra: str) -> dict[str, str]:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return {"GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": str(path), "GITHUB_REPOSITORY": "o/r",
            "GITHUB_API_URL": "https://ghe.example.test/api/v3", "GITHUB_SHA": "f" * 40,
            "GITHUB_WORKSPACE": str(tmp_path), **extra}


def test_get_input_keeps_hyphens_and_defaults() -> None:
    env = {"INPUT_GITHUB-TOKEN": " tok ", "INPUT_FAIL-ON": ""}
    assert get_input(env, "github-token") == "tok"
    assert get_input(env, "fail-on", "high") == "high"
    assert get_input(env, "missing", "x") == "x"


def test_pull_request_uses_head_sha_not_github_sha(tmp_path: Path) -> None:
    ctx = ActionContext.from_env(_env(tmp_path, "pull_request", _payload("pull_request.opened.json"),
                                      **{"INPUT_GITHUB-TOKEN": "t", "INPUT_FAIL-ON": "medium"}))
    assert ctx.event.head_sha == "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
    assert ctx.event.base_sha == "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
    assert ctx.event.base_branch == "master" and ctx.event.pr_number == 2 and not ctx.event.is_fork
    assert ctx.api_url == "https://ghe.example.test/api/v3"
    assert ctx.fail_on is Severity.MEDIUM and ctx.diff_mode and ctx.scan_mode is ScanMode.DIFF
    assert "master" in ctx.production_branches and "release/*" in ctx.production_branches
    assert ctx.token == "t" and "token=" not in repr(ctx)


def test_fork_detected_from_head_repo() -> None:
    payload = _payload("pull_request.opened.json")
    head = payload["pull_request"]["head"]
    head["repo"] = {**head["repo"], "full_name": "forker/Hello-World", "fork": True}
    head["label"] = "forker:changes"
    assert parse_event("pull_request_target", payload, "0" * 40, "").is_fork


@pytest.mark.parametrize(("event", "payload", "base", "branch"), [
    ("push", {"ref": "refs/heads/release/1.2", "after": "a" * 40}, None, "release/1.2"),
    ("schedule", {}, None, "main"),
    ("workflow_dispatch", {"ref": "refs/heads/dev"}, None, "dev"),
    ("merge_group", {"merge_group": {"base_sha": "b" * 40, "head_sha": "c" * 40,
                                     "base_ref": "refs/heads/main"}}, "b" * 40, "main"),
])
def test_events_base_and_branch(event: str, payload: dict[str, Any], base: str | None, branch: str) -> None:
    info = parse_event(event, payload, "d" * 40, "refs/heads/main")
    assert info.base_sha == base and info.base_branch == branch
    expected = {"push": "a" * 40, "merge_group": "c" * 40}.get(event, "d" * 40)
    assert info.head_sha == expected


def test_push_payload_fixture(tmp_path: Path) -> None:
    ctx = ActionContext.from_env(_env(tmp_path, "push", _payload("push.branch.json")))
    assert ctx.event.base_sha is None and ctx.event.base_branch == "master" and not ctx.diff_mode
    assert ctx.event.head_sha == "6113728f27ae82c7b1a177c8d03f9e96e0adf246"


@pytest.mark.parametrize(("extra", "message"), [
    ({"INPUT_FAIL-ON": "urgent"}, "fail-on"),
    ({"INPUT_COMMENT": "yes"}, "comment"),
    ({"INPUT_SCAN-MODE": "partial"}, "scan-mode"),
])
def test_invalid_inputs_are_config_errors(tmp_path: Path, extra: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ActionContext.from_env(_env(tmp_path, "push", {}, **extra))


def test_unsupported_event(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not supported"):
        ActionContext.from_env(_env(tmp_path, "issue_comment", {}))


def test_full_mode_and_fail_on_none(tmp_path: Path) -> None:
    env = _env(tmp_path, "pull_request", _payload("pull_request.opened.json"),
               **{"INPUT_SCAN-MODE": "full", "INPUT_FAIL-ON": "none", "INPUT_COMMENT": "false"})
    ctx = ActionContext.from_env(env)
    assert not ctx.diff_mode and ctx.fail_on is None and not ctx.comment
