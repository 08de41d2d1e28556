"""Fixes: every fixable secret case is rewritten into a valid file the rescan no longer flags."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from scanner.findings import TextEdit
from scanner.fix.apply import apply_edits, apply_fixes
from scanner.fix.run import run_fix
from scanner.parsing import parse_jsonc
from scanner.references import is_reference
from tests.fakes import assert_no_secret
from tests.fix.cases import BY_ID, CASES, Case, scan_root


def _parses(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".toml":
        tomllib.loads(text)
    elif path.suffix in (".yaml", ".yml"):
        yaml.safe_load(text)
    else:
        parse_jsonc(text)
        if (path.name != "mcp.json" or ".vscode" not in path.parts) and not re.search(r"(?m)^\s*//", text):
            json.loads(text)  # strict JSON stays strict JSON


def _secret_findings(root: Path) -> list[object]:
    return [f for f in scan_root(root).findings if f.category.value == "secret"]


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fix_removes_finding_and_keeps_file_valid(tmp_path: Path, case: Case, seed: int) -> None:
    value = case.write(tmp_path, seed)
    result = scan_root(tmp_path)
    secrets = [f for f in result.findings if f.category.value == "secret"]
    assert secrets, "the case must produce a secret finding"
    assert all((f.fix is not None) == case.fixable for f in secrets)
    for finding in secrets:
        for edit in finding.fix.edits if finding.fix else ():
            assert_no_secret(edit.replacement, value)
    diff, count = run_fix(result, tmp_path, dry_run=False)
    assert_no_secret(diff, value)
    fixed = tmp_path / case.path
    if not case.fixable:
        assert count == 0 and value in fixed.read_text(encoding="utf-8")
        return
    assert count >= 1 and diff.startswith("--- a/")
    assert value not in fixed.read_text(encoding="utf-8")
    _parses(fixed)
    assert _secret_findings(tmp_path) == []


@pytest.mark.parametrize(("case_id", "line"), [
    ("claude-code-header", '"Authorization": "Bearer ${GITHUB_TOKEN}"'),
    ("cursor-header", '"Authorization": "Bearer ${env:GITHUB_TOKEN}"'),
    ("gemini-arg-eq", '"--token=$GITHUB_TOKEN"'),
    ("opencode-env", '"GITHUB_PERSONAL_ACCESS_TOKEN": "{env:GITHUB_PERSONAL_ACCESS_TOKEN}"'),
    ("continue-env", 'GITHUB_PERSONAL_ACCESS_TOKEN: "${{ secrets.GITHUB_PERSONAL_ACCESS_TOKEN }}"'),
    ("codex-bearer", 'bearer_token_env_var = "GITHUB_BEARER_TOKEN"'),
    ("vscode-env", '"GITHUB_PERSONAL_ACCESS_TOKEN": "${input:github-personal-access-token}"'),
    ("claude-code-db", '"postgresql://app:${GITHUB_DATABASE_PASSWORD}@db.prod.example.com/app"'),
    ("cursor-arg-sep", '"${env:GITHUB_ACCESS_TOKEN}"'),
])
def test_fix_uses_the_clients_syntax_and_keeps_the_rest(tmp_path: Path, case_id: str, line: str) -> None:
    case = BY_ID[case_id]
    case.write(tmp_path)
    run_fix(scan_root(tmp_path), tmp_path, dry_run=False)
    lines = [row.strip() for row in (tmp_path / case.path).read_text(encoding="utf-8").splitlines()]
    assert line in lines


def test_vscode_fix_declares_password_input(tmp_path: Path) -> None:
    BY_ID["vscode-header-inputs"].write(tmp_path)
    run_fix(scan_root(tmp_path), tmp_path, dry_run=False)
    data = parse_jsonc((tmp_path / ".vscode/mcp.json").read_text(encoding="utf-8"))
    inputs = data.get("inputs")
    assert inputs is not None and len(inputs.items) == 2
    new = inputs.items[0]
    assert new.get("password") is not None and new.get("password").value is True
    header = data.get("servers").get("github").get("headers").get("Authorization").value
    assert header == "Bearer ${input:" + str(new.get("id").value) + "}"


def test_codex_env_fix_moves_name_to_env_vars(tmp_path: Path) -> None:
    BY_ID["codex-env"].write(tmp_path)
    run_fix(scan_root(tmp_path), tmp_path, dry_run=False)
    data = tomllib.loads((tmp_path / ".codex/config.toml").read_text(encoding="utf-8"))
    server = data["mcp_servers"]["github"]
    assert server["env_vars"] == ["GITHUB_PERSONAL_ACCESS_TOKEN"]
    assert server["env"] == {"OTHER": "1"}


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    value = BY_ID["claude-code-env"].write(tmp_path)
    before = (tmp_path / ".mcp.json").read_text(encoding="utf-8")
    diff, count = run_fix(scan_root(tmp_path), tmp_path, dry_run=True)
    assert count == 1 and "${GITHUB_PERSONAL_ACCESS_TOKEN}" in diff
    assert "ghp_…" in diff
    assert_no_secret(diff, value)
    assert (tmp_path / ".mcp.json").read_text(encoding="utf-8") == before


def test_two_vscode_fixes_create_one_inputs_key(tmp_path: Path) -> None:
    case = BY_ID["vscode-env"]
    value = case.write(tmp_path)
    path = tmp_path / case.path
    data = json.loads(path.read_text(encoding="utf-8"))
    slack = "xoxb-" + value[4:20] + "-" + value[20:]
    second = dict(data["servers"]["github"], env={"SLACK_BOT_TOKEN": slack})
    data["servers"]["slack"] = second
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    run_fix(scan_root(tmp_path), tmp_path, dry_run=False)
    text = path.read_text(encoding="utf-8")
    assert text.count('"inputs"') == 1
    parse_jsonc(text)


def test_diff_masks_other_secret_on_the_same_line(tmp_path: Path) -> None:
    case = BY_ID["claude-desktop-env"]
    value = case.write(tmp_path)
    path = tmp_path / ".mcp.json"
    path.write_text(json.dumps({"mcpServers": {"a": {"command": "npx", "env": {"GITHUB_TOKEN": value}},
                                               "b": {"command": "npx", "env": {"GH": value[:-1] + "Z"}}}}))
    diff, _ = run_fix(scan_root(tmp_path), tmp_path, dry_run=True)
    assert_no_secret(diff, value, value[:-1] + "Z")


@pytest.mark.parametrize(("edits", "expected"), [
    ([TextEdit("f", 1, 2, 1, 4, "XY")], "aXYd\nefg"),
    ([TextEdit("f", 2, 1, 2, 1, ">"), TextEdit("f", 2, 1, 2, 1, "<")], "abcd\n><efg"),
    ([TextEdit("f", 1, 5, 2, 1, "")], "abcdefg"),
    ([TextEdit("f", 3, 1, 3, 1, "!")], "abcd\nefg!"),
])
def test_apply_edits(edits: list[TextEdit], expected: str) -> None:
    assert apply_edits("abcd\nefg", edits) == expected


def test_apply_edits_refuses_overlap(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        apply_edits("abcdef", [TextEdit("f", 1, 1, 1, 4, "x"), TextEdit("f", 1, 3, 1, 5, "y")])
    target = tmp_path / "x.json"
    target.write_text('{"a": "b"}', encoding="utf-8")
    assert apply_fixes(target, [TextEdit("x.json", 1, 7, 1, 10, '"c"')]) == '{"a": "c"}'


def test_references_written_by_fixes_are_references() -> None:
    from scanner.clients.catalog import known_clients, syntax_for

    for client in known_clients():
        ref = syntax_for(client).reference("GITHUB_TOKEN")
        if ref is not None:
            assert is_reference(ref), client


def test_codex_insertion_is_shown_under_its_table(tmp_path: Path) -> None:
    # The secret sits in `[mcp_servers.github.env]`; `env_vars` belongs to `[mcp_servers.github]`: the
    # comment says which table, or a reader adds it to the `.env` table (an env var named env_vars).
    from scanner.markdown.templates import render_comment
    from scanner.markdown.views import CommentContext

    value = BY_ID["codex-env"].write(tmp_path)
    comment = render_comment(scan_root(tmp_path), CommentContext(repo="o/r", pr_number=1, head_sha="0" * 40))
    assert "```toml\n[mcp_servers.github]\nenv_vars = [\"GITHUB_PERSONAL_ACCESS_TOKEN\"]\n```" in comment
    assert value not in comment
