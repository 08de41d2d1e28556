"""The remediation a developer reads in the PR comment: what to do first (rotate where, replace with
what), then per finding the fix, where to rotate and the short-lived alternative, with the bulky
revoke command and OAuth entry folded; advice for a client with no interpolation said once.
Tokens built at run time."""

from __future__ import annotations

import json
import re
from pathlib import Path

from scanner.clients.catalog import CATALOG
from scanner.markdown.templates import render_comment
from scanner.markdown.views import CommentContext
from tests.fakes import assert_no_secret, fake_token
from tests.fix.cases import scan_root
from tests.test_comment_html import parse

_CTX = CommentContext(repo="octo/demo", pr_number=3, head_sha="0" * 40)


def _pr(root: Path) -> tuple[str, list[str]]:
    gh = fake_token("ghp_", 36, 81)
    slack = fake_token("xoxb-", 40, 82)
    pw = fake_token("Pw", 18, 83)
    (root / ".cursor").mkdir(parents=True)
    (root / ".mcp.json").write_text(json.dumps({"mcpServers": {
        "gh": {"command": "npx", "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": gh}},
        "db": {"command": "npx", "args": ["-y", "pg-mcp", f"postgresql://app:{pw}@db.prod.acme.io/app"]}}}))
    (root / ".cursor" / "mcp.json").write_text(json.dumps({"mcpServers": {
        "slack": {"command": "npx", "env": {"SLACK_BOT_TOKEN": slack}},
        "gh2": {"command": "npx", "env": {"GITHUB_TOKEN": gh}}}}))
    (root / "claude_desktop_config.json").write_text(json.dumps({"mcpServers": {
        "gh": {"command": "npx", "env": {"GITHUB_TOKEN": fake_token("ghp_", 36, 84)}}}}))
    return render_comment(scan_root(root), _CTX), [gh, slack, pw]


def test_the_top_says_what_to_do_before_any_finding(tmp_path: Path) -> None:
    comment, values = _pr(tmp_path)
    top = comment[:comment.index("<!-- mcpg:finding -->")]
    assert "**What to do**" in top
    steps = re.findall(r"^(\d)\. \*\*(\w+)", top, re.M)
    assert [word for _n, word in steps][:2] == ["Rotate", "Take"]
    # Each issuer once, linked to its own page; the value's repeats do not repeat the issuer.
    assert top.count("[GitHub](https://github.com/settings/tokens)") == 1
    assert top.count("[Slack](https://api.slack.com/apps)") == 1
    assert "mcp-guard fix" in top and "1 sits in a client that expands no variables" in top  # Desktop
    for value in values:
        assert_no_secret(comment, value)


def test_no_to_do_list_without_a_credential(tmp_path: Path) -> None:
    servers = {"a": {"command": "npx", "args": ["-y", "a"]}}
    (tmp_path / ".mcp.json").write_text(json.dumps({"mcpServers": servers}))
    assert "What to do" not in render_comment(scan_root(tmp_path), _CTX)


def test_revoke_command_and_oauth_fold_while_rotation_and_short_lived_stay(tmp_path: Path) -> None:
    comment, _values = _pr(tmp_path)
    page = parse(comment)
    assert any("Revoke command" in s and "OAuth" in s for s in page.summaries)
    folded = re.findall(r"<details><summary>Revoke command.*?</details>", comment, re.S)
    assert folded and all("curl" in block for block in folded)
    outside = re.sub(r"<details>.*?</details>", "", comment, flags=re.S)
    assert "**Rotate** at [GitHub]" in outside and "**Short-lived instead:**" in outside
    assert "curl" not in outside and "Use OAuth instead" not in outside


def test_a_client_without_interpolation_gets_its_advice_once(tmp_path: Path) -> None:
    for spec in CATALOG.values():
        if spec.style == "none":  # the alternative, or the row's own note, says what to do
            assert spec.alternative or "does not expand" not in spec.note, spec.client.value
            assert "keychain" not in spec.note or not spec.alternative, spec.client.value
    comment, _values = _pr(tmp_path)
    assert comment.count("secret-tool lookup") == 1
    assert "Claude Desktop does not expand variables" in comment


def test_a_workflow_finding_advises_environment_secrets_and_oidc(tmp_path: Path) -> None:
    key = fake_token("", 40, 85)
    workflow = tmp_path / ".github" / "workflows" / "claude.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(
        "on: [pull_request]\njobs:\n  c:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: anthropics/claude-code-action@v1\n        with:\n          mcp_config: |\n"
        '            {"mcpServers": {"dd": {"command": "npx", "env": {"DATADOG_API_KEY": "' + key + '"}}}}\n')
    comment = render_comment(scan_root(tmp_path), _CTX)
    assert "${{ secrets.DATADOG_API_KEY }}" in comment
    assert "environment secret" in comment and "OIDC" in comment and "id-token: write" in comment
    assert_no_secret(comment, key)
