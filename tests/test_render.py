"""Rendering: golden PR comments per client, escaping of hostile names, overrides, strictness."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from scanner.errors import ConfigError
from scanner.markdown.templates import (
    STICKY_MARKER,
    CommentContext,
    render_comment,
    render_markdown,
    render_summary,
)
from scanner.rules import all_rules
from tests.fakes import assert_no_secret
from tests.fix.cases import BY_ID, CASES, scan_root

GOLDEN = Path(__file__).parent / "golden" / "comment"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CTX = CommentContext(repo="octo/demo", pr_number=7, head_sha="0123456789abcdef0123", base_ref="main",
                     blocking=True, status_text="blocking findings (fail-on: high)",
                     run_url="https://github.com/octo/demo/actions/runs/1")
GOLDEN_CASES = ["claude-code-env", "cursor-header", "vscode-env", "claude-desktop-env", "codex-env",
                "gemini-arg-eq", "opencode-env", "continue-env", "goose-envs", "zed-env"]


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.md"
    if os.environ.get("MCP_GUARD_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden {path}; run with MCP_GUARD_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case_id", GOLDEN_CASES)
def test_comment_golden_per_client(tmp_path: Path, case_id: str) -> None:
    value = BY_ID[case_id].write(tmp_path)
    text = render_comment(scan_root(tmp_path), CTX)
    assert text.splitlines()[0] == STICKY_MARKER
    assert_no_secret(text, value)
    _check_golden(case_id, text)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_no_raw_secret_in_any_output(tmp_path: Path, case: object) -> None:
    value = case.write(tmp_path)  # type: ignore[attr-defined]
    result = scan_root(tmp_path)
    for text in (render_comment(result, CTX), render_summary(result, CTX), render_markdown(result)):
        assert_no_secret(text, value)
        assert_no_secret(text, value[4:], value[-12:])


def test_summary_and_markdown_golden(tmp_path: Path) -> None:
    BY_ID["cursor-header"].write(tmp_path)
    result = scan_root(tmp_path)
    _check_golden("summary-cursor-header", render_summary(result, CTX))
    _check_golden("report-cursor-header", render_markdown(result))


HOSTILE = ["<img src=x onerror=alert(1)>", "@org/team", "x](javascript:alert(1))", "#123", "a|b", "**x**"]


def test_hostile_server_and_file_names_are_neutralised(tmp_path: Path) -> None:
    value = BY_ID["claude-code-env"].secret()
    entry = {"command": "npx", "env": {"GITHUB_TOKEN": value}}
    (tmp_path / ".mcp.json").write_text(json.dumps({"mcpServers": {name: entry for name in HOSTILE}}))
    text = render_comment(scan_root(tmp_path), CTX)
    assert "<img" not in text and "onerror=alert(1)>" not in text
    assert "](javascript:" not in text
    assert not re.search(r"(?<![\w&])@org", text.replace("@&#8203;org", ""))
    assert "#123" not in text and "a|b" not in text and "**x**" not in text
    assert_no_secret(text, value)


@pytest.mark.parametrize(("raw", "escaped"), [
    ("<b>&", "&lt;b&gt;&amp;"),
    ("[a](b)", "\\[a\\]\\(b\\)"),
    ("@team", "@&#8203;team"),
    ("see #12", "see \\#&#8203;12"),
    ("a|b", "a\\|b"),
    ("line\nbreak", "line break"),
    ("*_`x`_*", "\\*\\_\\`x\\`\\_\\*"),
    ("https://evil.example", "https:&#8203;//evil.example"),
    ("- item", "\\- item"),
    ("rtl\u202eevil", "rtlevil"),
])
def test_md_escape(raw: str, escaped: str) -> None:
    from scanner.markdown.escape import md_escape

    assert md_escape(raw) == escaped


def test_code_block_fence_outgrows_backticks() -> None:
    from scanner.markdown.escape import code_block

    block = code_block("a ```` b", "json")
    assert block.startswith("`````json\n") and block.endswith("\n`````")


def _override(tmp_path: Path, name: str, body: str) -> Path:
    target = tmp_path / "tpl" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return tmp_path / "tpl"


@pytest.mark.parametrize(("name", "body", "message"), [
    ("comment.md.j2", "{% if %}", "syntax error"),
    ("partials/footer.md.j2", "{{ report.no_such_field }}", "UndefinedError"),
    ("comment.md.j2", "{{ undefined_name }}", "UndefinedError"),
    ("comment.md.j2", "{{ ''.__class__.__mro__[1].__subclasses__() }}", "SecurityError"),
    ("comment.md.j2", "{% include 'nope.j2' %}", "missing template"),
])
def test_broken_override_is_a_one_line_config_error(tmp_path: Path, name: str, body: str,
                                                    message: str) -> None:
    BY_ID["cursor-header"].write(tmp_path / "repo")
    result = scan_root(tmp_path / "repo")
    with pytest.raises(ConfigError) as info:
        render_comment(result, CTX, _override(tmp_path, name, body))
    assert message in str(info.value) and "\n" not in str(info.value)


def test_override_replaces_one_template_by_name(tmp_path: Path) -> None:
    value = BY_ID["cursor-header"].write(tmp_path / "repo")
    overrides = _override(tmp_path, "partials/footer.md.j2", "custom footer for {{ ctx.repo }}\n")
    text = render_comment(scan_root(tmp_path / "repo"), CTX, overrides)
    assert "custom footer for octo/demo" in text and "**Rotate** at" in text
    assert_no_secret(text, value)


def test_override_escapes_values_and_marker_stays_first(tmp_path: Path) -> None:
    BY_ID["cursor-header"].write(tmp_path / "repo")
    overrides = _override(tmp_path, "comment.md.j2", "repo {{ ctx.repo }} {{ report.findings[0].server }}")
    ctx = CommentContext(repo="<script>@x")
    text = render_comment(scan_root(tmp_path / "repo"), ctx, overrides)
    assert text == STICKY_MARKER + "\nrepo &lt;script&gt;@&#8203;x github"


def test_missing_templates_dir_is_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        render_markdown(scan_root(tmp_path), tmp_path / "absent")


def test_comment_lists_overflow_beyond_max_findings(tmp_path: Path) -> None:
    value = BY_ID["claude-code-env"].secret()
    servers = {f"s{i}": {"command": "npx", "env": {"GITHUB_TOKEN": value[:-2] + f"{i:02d}"}}
               for i in range(5)}
    (tmp_path / ".mcp.json").write_text(json.dumps({"mcpServers": servers}, indent=2))
    ctx = CommentContext(repo="o/r", max_findings=2)
    text = render_comment(scan_root(tmp_path), ctx)
    assert text.count("<!-- mcpg:finding -->") == 2 and "3 more findings" in text


def test_every_rule_has_docs_section_and_template() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    family = {"secret": "secret", "prod-env-reuse": "prod_env", "hardening": "hardening"}
    for rule in all_rules():
        heading = f"## {rule.id} {rule.name}"
        assert heading in docs, f"docs/rules.md lacks {heading}"
        section = docs.split(heading, 1)[1].split("\n## ", 1)[0]
        assert "Before:" in section and "After:" in section, rule.id
        anchor = rule.help_uri().rsplit("#", 1)[1]
        assert anchor == heading[3:].lower().replace(" ", "-")
        assert (TEMPLATES / "family" / f"{family[rule.category.value]}.md.j2").is_file()


def test_oversized_comment_is_cut_between_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import scanner.markdown.templates as render

    value = BY_ID["claude-code-env"].secret()
    servers = {f"s{i}": {"command": "npx", "env": {"GITHUB_TOKEN": value[:-2] + f"{i:02d}"}}
               for i in range(4)}
    (tmp_path / ".mcp.json").write_text(json.dumps({"mcpServers": servers}, indent=2))
    monkeypatch.setattr(render, "MAX_COMMENT_CHARS", 1500)
    text = render_comment(scan_root(tmp_path), CTX)
    assert "size limit" in text and len(text) < 1700
    assert text.count("```") % 2 == 0 and text.count("<details>") == text.count("</details>")
    assert text.rstrip().endswith("</sub>")  # the footer (suppressions, run link) survives the cut


def test_pyproject_ships_every_package_and_the_templates() -> None:
    import tomllib

    repo = TEMPLATES.parent
    config = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {".".join(p.parent.relative_to(repo).parts) for p in (repo / "scanner").rglob("__init__.py")}
    assert on_disk <= listed, f"add to pyproject packages: {sorted(on_disk - listed)}"
    assert config["package-dir"]["scanner.templates"] == "templates"
    template_dirs = {"scanner.templates" + "".join("." + part for part in p.relative_to(TEMPLATES).parts)
                     for p in TEMPLATES.rglob("*") if p.is_dir()} | {"scanner.templates"}
    assert template_dirs <= listed


def test_prod_reuse_comment_golden(tmp_path: Path) -> None:
    from tests.fakes import fake_token

    value = fake_token("sk_live_", 30, 3)
    servers = {name: {"command": "npx", "args": ["-y", "@stripe/mcp"],
                      "env": {"STRIPE_SECRET_KEY": value, "NODE_ENV": env}}
               for name, env in (("stripe-dev", "development"), ("stripe-prod", "production"))}
    (tmp_path / ".mcp.json").write_text(json.dumps({"mcpServers": servers}, indent=2))
    ctx = CommentContext(repo="octo/demo", production_branch=True, base_ref="main",
                         policy_changes=("ignore added: MCPG101 in .mcp.json",),
                         history_only_note="1 finding exists only in this pull request's history.")
    text = render_comment(scan_root(tmp_path), ctx)
    assert "Keep production apart from development" in text and "OIDC" in text
    assert_no_secret(text, value)
    _check_golden("prod-reuse", text)


def test_rich_text_code_spans_stay_inert() -> None:
    from scanner.markdown.escape import rich_text

    assert rich_text("hardcoded in `env.TOKEN` of server x") == "hardcoded in `env.TOKEN` of server x"
    hostile = rich_text("in `<img src=x onerror=alert(1)>` and <b>@org/team</b> `a|b`")
    assert "<img" not in hostile.replace("`<img src=x onerror=alert(1)>`", "")
    assert "<b>" not in hostile and "@org/team" not in hostile
    assert "a\\|b" in hostile
    assert "<" not in rich_text("unbalanced ` <script>")
