"""Red-team regressions (wave 3, second pass): secrets in a file a client loads that the gate passed
in silence. Each drives the CLI (or the Action against the contract-checked fake GitHub), with every
secret built at run time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from scanner.cli import main
from tests.fakes import fake_token
from tests.gh.action_helpers import Repo, git, no_piece, pat
from tests.gh.action_helpers import lfs_pointer as _lfs_pointer


def _scan(target: Path, *extra: str) -> Result:
    return CliRunner().invoke(main, ["scan", str(target), "--no-gitleaks", "--format", "json", *extra])


def _write(tmp_path: Path, rel: str, text: str) -> Path:
    path = tmp_path / "tree" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return tmp_path / "tree"


def _findings(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code in (0, 1, 2), result.output
    data = json.loads(result.stdout)
    findings = data["findings"]
    assert isinstance(findings, list)
    return findings


def _cursor(servers: dict[str, Any]) -> str:
    return json.dumps({"mcpServers": servers}, indent=2) + "\n"


# --- 1. values over the analysis limit (200,000 characters) ---------------------------------------

def test_token_padded_past_the_analysis_limit_is_found(tmp_path: Path) -> None:
    secret = pat(3601)
    tree = _write(tmp_path, ".cursor/mcp.json", _cursor(
        {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": secret + " " * 200_001}}}))
    result = _scan(tree)
    findings = _findings(result)
    assert result.exit_code == 1
    assert [(f["secret_type"], f["field"]) for f in findings] == [("github-pat", "env.GITHUB_TOKEN")]
    no_piece(result.output, secret)


def test_token_inside_an_over_long_value_is_found_and_the_field_named(tmp_path: Path) -> None:
    # A value that stays over the limit once stripped: searched in windows, the token sits across
    # what would be a window boundary, and the partial search makes the scan incomplete, naming the
    # field (an opaque key in such a value is never judged: tests/test_gate_attack_wave6.py).
    secret = fake_token("glpat-", 20, 3602)
    filler = "x" * (64 * 1024 - 10)
    value = f"{filler} {secret} " + "y " * 120_000
    tree = _write(tmp_path, ".cursor/mcp.json", _cursor({"gl": {"command": "npx", "env": {"NOTE": value}}}))
    result = _scan(tree)
    findings = _findings(result)
    assert result.exit_code == 1
    assert [(f["secret_type"], f["field"]) for f in findings] == [("gitlab-pat", "env.NOTE")]
    report = json.loads(result.stdout)
    assert report["complete"] is False
    assert any("env.NOTE" in e["message"] and "not fully searched" in e["message"] and e["fatal"]
               for e in report["errors"]), report["errors"]
    no_piece(result.output, secret)


def test_json_in_a_string_over_the_analysis_limit_is_read_leaf_by_leaf(tmp_path: Path) -> None:
    secret = fake_token("", 40, 3603, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+")
    headers = {"Accept": "application/json", "X-Padding": "p" * 200_001, "aws_secret_access_key": secret}
    tree = _write(tmp_path, ".cursor/mcp.json", _cursor(
        {"api": {"command": "npx", "env": {"OPENAPI_MCP_HEADERS": json.dumps(headers)}}}))
    result = _scan(tree)
    findings = _findings(result)
    assert result.exit_code == 1
    assert [(f["secret_type"], f["field"]) for f in findings] == [("aws-secret-access-key",
                                                                   "env.OPENAPI_MCP_HEADERS")]
    no_piece(result.output, secret)


def test_long_comment_line_holding_a_token_is_found(tmp_path: Path) -> None:
    secret = pat(3604)
    text = '{\n  // ' + "z" * 200_001 + f" {secret}\n" + '  "mcpServers": {}\n}\n'
    tree = _write(tmp_path, ".cursor/mcp.json", text)
    result = _scan(tree)
    findings = _findings(result)
    assert result.exit_code == 1 and [f["secret_type"] for f in findings] == ["github-pat"]
    no_piece(result.output, secret)


def test_over_long_random_base64_value_stays_quiet(tmp_path: Path) -> None:
    import base64
    import random

    blob = base64.b64encode(random.Random(3605).randbytes(600_000)).decode()
    tree = _write(tmp_path, ".cursor/mcp.json",
                  _cursor({"x": {"command": "npx", "env": {"CA_BUNDLE": blob}}}))
    result = _scan(tree)
    assert _findings(result) == [] and result.exit_code == 0


# --- 4. a config committed as a Git LFS pointer, scanned by the CLI on a checkout without LFS -----



@pytest.mark.parametrize("path", [".continue/mcpServers/github.yaml", "sec/token.env"])
def test_cli_reports_a_config_left_as_a_git_lfs_pointer_as_not_scanned(
        tmp_path: Path, path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = pat(3606)
    real = (f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n" if path.endswith(".env") else
            "name: gh\nmcpServers:\n  - name: github\n    command: npx\n"
            f"    env:\n      GITHUB_PERSONAL_ACCESS_TOKEN: {secret}\n")
    repo = Repo(tmp_path / "ws")
    server = ('{"servers": {"github": {"command": "npx", "args": ["-y", "@acme/server-github"],'
              ' "envFile": "${workspaceFolder}/sec/token.env"}}}\n')
    repo.commit({".vscode/mcp.json": server, "sec/token.env": "GITHUB_PERSONAL_ACCESS_TOKEN=${X}\n"})
    repo.commit({".gitattributes": f"{path} filter=lfs diff=lfs merge=lfs -text\n", path: _lfs_pointer(real)})
    assert git(repo.path, "status", "--porcelain") == ""
    monkeypatch.chdir(repo.path)
    result = CliRunner().invoke(main, ["scan", "--no-gitleaks"])
    assert result.exit_code == 2, result.output
    assert "Git LFS pointer" in result.output and path in result.output


# --- 2. a token used as a name: env key, header name, server name ---------------------------------

@pytest.mark.parametrize("where", ["env key", "header name", "server name", "empty object key"])
def test_token_used_as_a_name_is_found_at_the_key(tmp_path: Path, where: str) -> None:
    secret = pat(3701)
    server: dict[str, Any] = {"command": "npx", "args": ["-y", "@acme/server"]}
    servers: dict[str, Any] = {"acme": server}
    if where == "env key":
        server["env"] = {secret: "x"}
    elif where == "header name":
        servers = {"acme": {"url": "https://mcp.example.com/mcp", "headers": {secret: "1"}}}
    elif where == "server name":
        servers = {secret: server}
    else:
        server["env"] = {"DEBUG": "1"}
        server["metadata"] = {secret: {}}
    text = _cursor(servers)
    tree = _write(tmp_path, ".cursor/mcp.json", text)
    result = _scan(tree)
    findings = _findings(result)
    assert result.exit_code == 1, result.output
    assert [f["secret_type"] for f in findings] == ["github-pat"]
    line = next(n for n, row in enumerate(text.splitlines(), 1) if secret in row)
    assert findings[0]["line"] == line
    no_piece(result.stdout, secret)


def test_provider_tokens_as_values_are_reported_once(tmp_path: Path) -> None:
    secret = pat(3702)
    tree = _write(tmp_path, ".cursor/mcp.json", _cursor(
        {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": secret, "OTHER": secret}}}))
    result = _scan(tree)
    assert sorted(f["field"] for f in _findings(result)) == ["env.GITHUB_TOKEN", "env.OTHER"]


# --- 3. a secret in a later YAML document (`---`) -------------------------------------------------

@pytest.mark.parametrize("second", ["token", "password"])
def test_secret_in_a_second_yaml_document_is_found(tmp_path: Path, second: str) -> None:
    secret = pat(3801) if second == "token" else fake_token("Pw1!", 14, 3802)
    key = "GITHUB_PERSONAL_ACCESS_TOKEN" if second == "token" else "DB_PASSWORD"
    text = ("name: gh\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: github\n    command: npx\n"
            "    env:\n      GITHUB_PERSONAL_ACCESS_TOKEN: ${{ secrets.GITHUB_PAT }}\n"
            f"---\nmcpServers:\n  - name: github\n    command: npx\n    env:\n      {key}: {secret}\n")
    tree = _write(tmp_path, ".continue/mcpServers/github.yaml", text)
    result = _scan(tree)
    findings = _findings(result)
    assert result.exit_code == 1, result.output
    assert len(findings) == 1 and findings[0]["line"] == 14
    no_piece(result.stdout, secret)


# --- JSON held in a string: every leaf is read (there was a 200-leaf cap) -------------------------

def test_json_in_a_string_with_many_leaves_is_read_to_the_last_leaf(tmp_path: Path) -> None:
    secret = pat(3901)
    packed = {f"X-Trace-{i}": f"v{i}" for i in range(250)} | {"Authorization": f"Bearer {secret}"}
    tree = _write(tmp_path, ".cursor/mcp.json", _cursor(
        {"api": {"command": "npx", "env": {"OPENAPI_MCP_HEADERS": json.dumps(packed)}}}))
    result = _scan(tree)
    findings = _findings(result)
    assert result.exit_code == 1, result.output
    assert [f["field"] for f in findings] == ["env.OPENAPI_MCP_HEADERS"]
    no_piece(result.stdout, secret)


# --- the same holes through the Action (a PR against the contract-checked fake GitHub) -----------

@pytest.mark.parametrize("hole", ["server name", "env key", "second yaml document", "padded value"])
def test_action_fails_a_pr_hiding_a_token_where_main_passed(tmp_path: Path, hole: str) -> None:

    from tests.gh.action_helpers import BOT, everything, pr_payload, run
    from tests.gh.github_contract import CommentStore, fake_github, forbidden, status_reply

    secret = pat(3951)
    path = ".cursor/mcp.json"
    if hole == "server name":
        text = _cursor({secret: {"command": "npx", "args": ["-y", "@acme/server"]}})
    elif hole == "env key":
        text = _cursor({"acme": {"command": "npx", "env": {secret: "1"}}})
    elif hole == "padded value":
        text = _cursor({"acme": {"command": "npx", "env": {"GITHUB_TOKEN": secret + " " * 200_001}}})
    else:
        path = ".continue/mcpServers/acme.yaml"
        text = ("name: acme\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: acme\n    command: npx\n"
                f"---\nmcpServers:\n  - name: acme\n    command: npx\n    env:\n      TOKEN: {secret}\n")
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    head = repo.commit({path: text})
    with fake_github(assert_all_requests_are_fired=False) as gh:
        store = CommentStore()
        gh.add("GET", "/user", forbidden)
        store.register(gh, "o/r", 7)
        gh.add("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", store.on_create(BOT))
        gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
        result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
        states = [call.body["state"] for call in gh.requests("POST", "/statuses/")]
        assert result.code == 1 and states == ["failure"], result.log
        no_piece(everything(result, gh), secret)
