"""Tests for scanner/rules/hardening.py (MCPG310-MCPG316): should-flag / should-not-flag tables."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from scanner.model import Category, Severity
from scanner.rules import REGISTRY, all_rules
from scanner.rules.base import Rule
from scanner.rules.hardening import (
    AbsoluteUserPath,
    AutoApprovedWriteTools,
    CommittedPersonalFile,
    EnableAllProjectServers,
    PlainHttpRemote,
    UnpinnedPackage,
    UrlWithoutType,
)
from tests.matrix.builders import config, context, run, text_of

Body = Mapping[str, object] | str


def _findings(rule: Rule, path: str, body: Body) -> list[tuple[str, Severity, int]]:
    cfg = config(path, body)
    found = run(rule, context([cfg], sources={path: text_of(body)}))
    assert all(f.category is Category.HARDENING and f.severity <= Severity.MEDIUM for f in found)
    return [(f.field, f.severity, f.line) for f in found]


def _mcp(entry: Mapping[str, object]) -> dict[str, object]:
    return {"mcpServers": {"s": dict(entry)}}


@pytest.mark.parametrize(("entry", "expected"), [
    ({"type": "http", "url": "http://mcp.example.com/mcp"}, [("url", Severity.MEDIUM)]),
    ({"type": "sse", "url": "http://10.0.0.5:8080/sse"}, [("url", Severity.LOW)]),
    ({"command": "npx", "args": ["-y", "mcp-remote", "http://tools.example.org/mcp"]},
     [("args[2]", Severity.MEDIUM)]),
    ({"type": "http", "url": "http://localhost:3000/mcp"}, []),
    ({"type": "http", "url": "http://127.0.0.1:3000/mcp"}, []),
    ({"type": "http", "url": "http://host.docker.internal:3000/mcp"}, []),
    ({"type": "http", "url": "https://mcp.example.com/mcp"}, []),
    ({"type": "http", "url": "http://${MCP_HOST}/mcp"}, []),
    ({"command": "npx", "args": ["other", "http://example.com/schema"]}, []),
])
def test_mcpg310_plain_http(entry: Mapping[str, object], expected: list[tuple[str, Severity]]) -> None:
    assert [(f, s) for f, s, _ in _findings(PlainHttpRemote(), ".mcp.json", _mcp(entry))] == expected


@pytest.mark.parametrize(("path", "body", "expected"), [
    (".roo/mcp.json", _mcp({"command": "npx", "alwaysAllow": ["execute_sql", "list_tables"]}),
     [("alwaysAllow[0]", Severity.MEDIUM)]),
    ("cline_mcp_settings.json", _mcp({"command": "npx", "autoApprove": ["deploy_app", "apply_migration"]}),
     [("autoApprove[0]", Severity.MEDIUM), ("autoApprove[1]", Severity.MEDIUM)]),
    (".gemini/settings.json", _mcp({"command": "npx", "trust": True}), [("trust", Severity.MEDIUM)]),
    (".codex/config.toml", '[mcp_servers.db]\ncommand = "npx"\n[mcp_servers.db.tools.execute_sql]\n'
     'approval_mode = "auto"\n', [("tools.execute_sql.approval_mode", Severity.MEDIUM)]),
    (".amazonq/cli-agents/a.json", {"mcpServers": {"db": {"command": "npx"}},
                                    "allowedTools": ["@db/delete_row", "@db/list_rows", "@db"]},
     [("allowedTools[0]", Severity.MEDIUM), ("allowedTools[2]", Severity.LOW)]),
    (".claude/settings.json", {"permissions": {"allow": ["mcp__supabase__execute_sql", "mcp__x__get_a"]}},
     [("permissions.allow[0]", Severity.MEDIUM)]),
    (".roo/mcp.json", _mcp({"command": "npx", "alwaysAllow": ["get_issue", "search_code"]}), []),
    (".gemini/settings.json", _mcp({"command": "npx", "trust": False}), []),
    (".codex/config.toml", '[mcp_servers.db]\ncommand = "npx"\ndefault_tools_approval_mode = "prompt"\n', []),
])
def test_mcpg311_auto_approval(path: str, body: Body, expected: list[tuple[str, Severity]]) -> None:
    assert [(f, s) for f, s, _ in _findings(AutoApprovedWriteTools(), path, body)] == expected


def test_mcpg311_trust_is_located_on_its_line() -> None:
    body = _mcp({"command": "npx", "args": ["x"], "trust": True})
    [(_field, _sev, line)] = _findings(AutoApprovedWriteTools(), ".gemini/settings.json", body)
    assert '"trust"' in text_of(body).splitlines()[line - 1]


@pytest.mark.parametrize(("path", "body", "expected"), [
    (".mcp.env", "GITHUB_TOKEN=${GH}\n", [("file", Severity.MEDIUM, 1)]),
    (".env.mcp", "A=b\n", [("file", Severity.MEDIUM, 1)]),
    (".claude/settings.local.json", {"env": {"A": "b"}}, [("file", Severity.LOW, 1)]),
    (".claude/settings.json", {"env": {"A": "b"}}, []),
    (".mcp.json", _mcp({"command": "npx"}), []),
])
def test_mcpg312_committed_personal_file(path: str, body: Body, expected: list[object]) -> None:
    assert _findings(CommittedPersonalFile(), path, body) == expected


@pytest.mark.parametrize(("body", "count"), [
    ({"enableAllProjectMcpServers": True}, 1),
    ({"enableAllProjectMcpServers": False}, 0),
    ({"enabledMcpjsonServers": ["github"]}, 0),
])
def test_mcpg313_enable_all(body: Body, count: int) -> None:
    found = _findings(EnableAllProjectServers(), ".claude/settings.json", body)
    assert len(found) == count
    if found:
        assert "enableAllProjectMcpServers" in text_of(body).splitlines()[found[0][2] - 1]


@pytest.mark.parametrize(("entry", "fields"), [
    ({"command": "npx", "args": ["-y", "@playwright/mcp@latest"]}, ["args[1]"]),
    ({"command": "uvx", "args": ["mcp-server-git@latest"]}, ["args[0]"]),
    ({"command": "uvx", "args": ["--from", "git+https://github.com/acme/mcp-x", "mcp-x"]}, ["args[1]"]),
    ({"command": "npx", "args": ["-y", "@playwright/mcp@0.0.41"]}, []),
    ({"command": "uvx", "args": ["--from", "git+https://github.com/acme/mcp-x@v1.2.0", "mcp-x"]}, []),
    ({"command": "docker", "args": ["run", "ghcr.io/acme/mcp@latest"]}, []),
    ({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"]}, []),
])
def test_mcpg314_unpinned(entry: Mapping[str, object], fields: list[str]) -> None:
    assert [f for f, _s, _l in _findings(UnpinnedPackage(), ".cursor/mcp.json", _mcp(entry))] == fields


@pytest.mark.parametrize(("path", "entry", "count"), [
    (".mcp.json", {"url": "https://mcp.example.com/mcp"}, 1),
    (".mcp.json", {"type": "http", "url": "https://mcp.example.com/mcp"}, 0),
    (".mcp.json", {"command": "npx", "args": ["x"]}, 0),
    (".cursor/mcp.json", {"url": "https://mcp.example.com/mcp"}, 0),
])
def test_mcpg315_url_without_type(path: str, entry: Mapping[str, object], count: int) -> None:
    assert len(_findings(UrlWithoutType(), path, _mcp(entry))) == count


@pytest.mark.parametrize(("args", "count"), [
    (["/Users/jdoe/projects/x/server.js"], 1),
    (["--dir", "/home/alice/work"], 1),
    (["C:\\Users\\bob\\mcp\\index.js"], 1),
    (["/Users/jdoe/a", "/Users/jdoe/b"], 1),  # one finding per server
    (["/Users/username/projects/x"], 0),
    (["/Users/<you>/projects/x"], 0),
    (["/home/runner/work/x"], 0),
    (["${HOME}/projects/x", "~/projects/x", "./server.js"], 0),
])
def test_mcpg316_absolute_user_path(args: list[str], count: int) -> None:
    body = _mcp({"command": "node", "args": args})
    found = _findings(AbsoluteUserPath(), ".cursor/mcp.json", body)
    assert len(found) == count


def test_hardening_rules_are_registered_in_band_with_docs_metadata() -> None:
    all_rules()
    ids = [rule_id for rule_id, cls in REGISTRY.items() if cls.category is Category.HARDENING
           and 310 <= int(rule_id[4:]) <= 329]
    # Every rule of the hardening module sits in the band (no count to edit when one is added).
    family = {rule_id for rule_id, cls in REGISTRY.items() if cls.__module__ == "scanner.rules.hardening"}
    assert ids and set(ids) == family
    for rule_id in ids:
        cls = REGISTRY[rule_id]
        assert cls.summary and cls.remediation and cls.name.islower()
