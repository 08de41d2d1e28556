"""The PR comment as GitHub renders it (cmarkgfm + alerts, scanner/markdown/preview.py), checked as
HTML: severity order, folding, headings without literal backticks, alerts, nothing live from user data.
No browser needed (`make screenshot` is the look in Chromium)."""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import pytest

from scanner.markdown.preview import to_html
from scanner.markdown.templates import CommentContext, render_comment
from scanner.model import Severity
from scanner.pipeline import ScanOptions, scan
from scanner.policy import parse_policy
from tests.fakes import assert_no_secret, fake_token

ROOT = Path(__file__).resolve().parent.parent
SEVERITY_WORDS = {"Critical": 4, "High": 3, "Medium": 2, "Low": 1}
OUR_LINK_PREFIXES = ("https://github.com/mcp-guard/mcp-guard/blob/main/docs/rules.md",
                     "https://github.com/acme/payments/actions/runs/")


@dataclass
class Heading:
    level: int
    text: str
    in_details: bool


@dataclass
class Page(HTMLParser):
    headings: list[Heading] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # text outside <code>/<pre>
    summaries: list[str] = field(default_factory=list)
    _details: int = 0
    _code: int = 0
    _heading: Heading | None = None
    _summary: list[str] | None = None

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        self.classes += (values.get("class") or "").split()
        if tag == "details":
            self._details += 1
        elif tag in ("code", "pre"):
            self._code += 1
        elif tag == "a":
            self.links.append(values.get("href") or "")
        elif tag == "summary":
            self._summary = []
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = Heading(int(tag[1]), "", self._details > 0)

    def handle_endtag(self, tag: str) -> None:
        if tag == "details":
            self._details -= 1
        elif tag in ("code", "pre"):
            self._code -= 1
        elif tag == "summary" and self._summary is not None:
            self.summaries.append("".join(self._summary))
            self._summary = None
        elif re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append(self._heading)
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.text += data
        if self._summary is not None:
            self._summary.append(data)
        if not self._code:
            self.text.append(data)


def parse(markdown: str) -> Page:
    page = Page()
    page.feed(to_html(markdown))
    return page


def _demo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "examples" / "make_demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    module = _demo()
    root = tmp_path_factory.mktemp("demo") / "repo"
    module.materialise(root)
    return root, dict(module.VALUES)


def _ctx(**changes: object) -> CommentContext:
    base: dict[str, object] = dict(repo="acme/payments", pr_number=42, head_sha="4f2a9c1", base_ref="main",
                                   production_branch=True, blocking=True, status_text="8 blocking findings",
                                   run_url="https://github.com/acme/payments/actions/runs/1",
                                   production_branches=("main",))
    return CommentContext(**(base | changes))  # type: ignore[arg-type]


def _finding_headings(page: Page) -> list[Heading]:
    return [h for h in page.headings
            if h.level == 3 and h.text.split(" ", 1)[-1].split(":")[0] in SEVERITY_WORDS]


def _rank(heading: Heading) -> int:
    return SEVERITY_WORDS[heading.text.split(" ", 1)[-1].split(":")[0]]


def test_demo_comment_is_ordered_by_severity_and_compact(demo: tuple[Path, dict[str, str]]) -> None:
    root, values = demo
    result = scan(ScanOptions(root=root, use_gitleaks=False))
    markdown = render_comment(result, _ctx())
    page = parse(markdown)
    headings = _finding_headings(page)
    ranks = [_rank(h) for h in headings]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] == Severity.CRITICAL
    assert headings[0].text.endswith("Database connection string with a literal password (blocking)")
    # Every finding is there: a section, or a line inside the section of the same value.
    for finding in result.findings:
        assert finding.rule_id in markdown
    # Shared advice said once, not per finding; long advice folded.
    assert markdown.count("Cursor resolves") == 1 and markdown.count("stays in git history") == 1
    assert "Keep production apart from development" in page.summaries
    # 11.9 KB before the compact layout (same findings); the revoke runbooks, risk grades and OAuth
    # entries of issue 12 add ~2.5 KB of new information, said once per issuer; the demo has 9
    # findings since it gained a config that does not parse.
    assert len(markdown.encode()) < 10_000
    assert "markdown-alert-warning" in page.classes and "[!WARNING]" not in "".join(page.text)
    for value in values.values():
        assert_no_secret(markdown, value)


def test_no_literal_backticks_in_headings(demo: tuple[Path, dict[str, str]]) -> None:
    page = parse(render_comment(scan(ScanOptions(root=demo[0], use_gitleaks=False)), _ctx()))
    texts = [h.text for h in page.headings]
    assert any("args" in text and "command" in text for text in texts)  # MCPG102's title has code spans
    assert all("`" not in text and "\\" not in text for text in texts)


def test_non_blocking_findings_are_folded_after_blocking(demo: tuple[Path, dict[str, str]]) -> None:
    result = scan(ScanOptions(root=demo[0], use_gitleaks=False, fail_on=Severity.CRITICAL))
    page = parse(render_comment(result, _ctx()))
    headings = _finding_headings(page)
    folded = [h.in_details for h in headings]
    assert folded == sorted(folded) and True in folded and False in folded  # blocking first, then folded
    assert all(_rank(h) == Severity.CRITICAL for h in headings if not h.in_details)
    assert any(re.fullmatch(r"\d+ findings? that do(es)? not block", s) for s in page.summaries)


def test_non_production_branch_keeps_would_block_wording(demo: tuple[Path, dict[str, str]]) -> None:
    result = scan(ScanOptions(root=demo[0], use_gitleaks=False))
    ctx = _ctx(base_ref="feature/x", production_branch=False, blocking=False,
               status_text="8 findings would block a merge into main")
    page = parse(render_comment(result, ctx))
    assert "markdown-alert-warning" not in page.classes
    assert all(h.text.endswith("(would block a merge into main)") for h in _finding_headings(page))


def test_resolved_comment_drops_the_warnings(tmp_path: Path) -> None:
    (tmp_path / ".mcp.json").write_text(json.dumps({"mcpServers": {"gh": {"command": "npx"}}}))
    ctx = _ctx(blocking=False, status_text="No findings in MCP configs",
               policy_changes=("changes .mcp-guard.yml",),
               history_only_note="1 secret was added and removed")
    markdown = render_comment(scan(ScanOptions(root=tmp_path, use_gitleaks=False)), ctx)
    page = parse(markdown)
    assert "Resolved:" in "".join(page.text)
    assert not [c for c in page.classes if c.startswith("markdown-alert")] and "⚠️" not in markdown
    assert "changes .mcp-guard.yml" in "".join(page.text)  # still said, as a plain note


HOSTILE = ["<img src=x onerror=alert(1)>", "@org/team", "x](https://evil.example/)", "#123",
           "`![p](https://evil.example/p.png)`"]


def test_nothing_live_from_user_data(tmp_path: Path) -> None:
    token = fake_token("ghp_", 36, seed=77)
    servers = {name: {"command": "npx", "env": {"GITHUB_TOKEN": token}} for name in HOSTILE}
    (tmp_path / "@org").mkdir()
    (tmp_path / "@org" / ".mcp.json").write_text(json.dumps({"mcpServers": servers}, indent=2))
    policy = parse_policy("ignore-paths:\n"
                          "  - {path: 'x/**', reason: '@org/team see https://evil.example/ #9'}\n",
                          ".mcp-guard.yml")
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / ".mcp.json").write_text(json.dumps({"mcpServers": {"a": {"env": {"T": token}}}}))
    result = scan(ScanOptions(root=tmp_path, use_gitleaks=False, policy=policy))
    markdown = render_comment(result, _ctx(run_url="https://github.com/acme/payments/actions/runs/1"))
    page = parse(markdown)
    assert "img" not in page.tags and "script" not in page.tags
    from scanner.providers.runbooks import RUNBOOKS

    ours = {url for book in RUNBOOKS.values() for url in (book.url, book.docs) if url}
    ours |= {"https://github.com/settings/tokens"}
    foreign = [link for link in page.links if not link.startswith(OUR_LINK_PREFIXES) and link not in ours
               and not link.startswith(tuple(_oauth_urls()))]
    assert foreign == []
    text = "".join(page.text)
    assert not re.search(r"(?<![\w\u200b])@org", text)  # GitHub would link a mention
    assert not re.search(r"#\d", text) and "evil.example" not in "".join(page.links)
    # The suppression is listed in the footer, its reason escaped like any user text.
    assert ("- path `x/**` × 1 — @&#8203;org/team see https:&#8203;//evil.example/ \\#&#8203;9; "
            ".mcp-guard.yml") in markdown
    assert_no_secret(markdown, token)


def test_summary_and_report_show_each_value_once(demo: tuple[Path, dict[str, str]]) -> None:
    from scanner.markdown.templates import render_markdown, render_summary

    result = scan(ScanOptions(root=demo[0], use_gitleaks=False))
    places = {(f.file, f.line, f.column) for f in result.findings}
    for markdown in (render_summary(result, _ctx()), render_markdown(result)):
        assert len(_finding_headings(parse(markdown))) == len(places) < len(result.findings)
        assert all(f.rule_id in markdown for f in result.findings)


def test_remediation_partial_follows_the_fix_and_can_be_overridden(tmp_path: Path) -> None:
    token = fake_token("ghp_", 36, seed=78)
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / ".mcp.json").write_text(
        json.dumps({"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": token}}}}, indent=2))
    result = scan(ScanOptions(root=tmp_path / "repo", use_gitleaks=False))
    default = render_comment(result, _ctx())
    assert "**Fix** in Claude Code" in default and "**Rotate** at" in default and "**Risk:**" in default
    assert default.index("**Fix** in") < default.index("**Rotate** at")
    overrides = tmp_path / "templates" / "partials"
    overrides.mkdir(parents=True)
    (overrides / "remediation.md.j2").write_text("REMEDIATION for {{ f.rule_id }} at {{ f.file }}\n\n")
    with_partial = render_comment(result, _ctx(), overrides.parent)
    assert "REMEDIATION for MCPG101 at .mcp.json" in with_partial
    assert "**Fix** in" in with_partial and "**Rotate** at" not in with_partial  # the to-do list stays



def _oauth_urls() -> list[str]:
    from scanner.providers.runbooks import OAUTH_SERVERS

    return list(OAUTH_SERVERS.values())
