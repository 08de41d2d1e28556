"""Sandboxed Jinja2 rendering of the PR comment, job summary and Markdown report (with overrides).

Templates ship in the `scanner.templates` package (top-level `templates/` in the source tree); a
user directory given with `--templates-dir` / `templates-dir` overrides any template by name.
Every `{{ expression }}` is escaped for Markdown and HTML by the environment's finalize hook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from scanner.errors import ConfigError
from scanner.remediation.escape import Safe, code_block, code_span, md_escape, safe_url

if TYPE_CHECKING:
    from scanner.pipeline import ScanResult

STICKY_MARKER = "<!-- mcp-guard:sticky v1 -->"
FINDING_MARKER = "<!-- mcpg:finding -->"  # comment.md.j2 puts it before each finding
COMMENT_TEMPLATE = "comment.md.j2"
SUMMARY_TEMPLATE = "summary.md.j2"
REPORT_TEMPLATE = "report.md.j2"
# GitHub rejects comments above 65,536 characters; keep a margin for the truncation notice.
MAX_COMMENT_CHARS = 60_000


@dataclass(frozen=True, slots=True)
class CommentContext:
    """What the Action knows about the pull request; every text field is escaped when rendered."""

    repo: str  # owner/name
    pr_number: int | None = None
    head_sha: str = ""
    base_ref: str | None = None
    production_branch: bool = False  # the PR targets a branch the policy calls production
    blocking: bool = False  # the status check fails
    status_text: str = ""  # one line, e.g. "2 blocking findings (fail-on: high)"
    run_url: str | None = None  # link to the workflow run (job summary link)
    policy_changes: tuple[str, ...] = ()  # e.g. ("ignores added: MCPG101 in .mcp.json",)
    history_only_note: str | None = None  # shown when findings exist only in the PR's history
    scan_mode: str = "diff"  # "diff" | "full"
    truncated: bool = False  # the Action dropped findings before rendering
    max_findings: int = 25  # findings shown in full in the comment; the rest are listed
    production_branches: tuple[str, ...] = ()  # globs; named where a finding "would block a merge into"
    secrets_block_everywhere: bool = False  # blocking secrets block on every branch (input switch)


def _finalize(value: object) -> object:
    """Escape every interpolated value unless our code marked it as already safe."""
    if isinstance(value, Safe | Markup):
        return value
    return md_escape(value)


def _builtin_loader() -> jinja2.BaseLoader:
    try:
        root = resources.files("scanner.templates")
    except ModuleNotFoundError:
        # Source checkout without an install: templates/ sits next to the scanner package.
        return jinja2.FileSystemLoader(str(Path(__file__).resolve().parent.parent / "templates"))

    def load(name: str) -> tuple[str, str | None, Callable[[], bool]] | None:
        node = root
        for part in name.split("/"):
            if part in ("", ".", ".."):
                return None
            node = node / part
        if not node.is_file():
            return None
        return node.read_text(encoding="utf-8"), None, lambda: True

    return jinja2.FunctionLoader(load)


def make_environment(templates_dir: Path | None = None) -> SandboxedEnvironment:
    """The one rendering environment: sandboxed, StrictUndefined, escaping finalize, overrides first."""
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        if not templates_dir.is_dir():
            raise ConfigError(f"templates directory not found: {templates_dir}")
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(_builtin_loader())
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_escape"] = md_escape
    env.filters["code"] = code_span
    env.filters["code_block"] = code_block
    env.filters["url"] = safe_url
    return env


def render_template(name: str, templates_dir: Path | None = None, **context: object) -> str:
    """Render one template; any template problem becomes a one-line ConfigError naming it."""
    env = make_environment(templates_dir)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.name or name}:{exc.lineno}"
        raise ConfigError(f"template {where}: syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(f"template {name}: missing template {exc.name}") from None
    except jinja2.TemplateError as exc:
        # UndefinedError / SecurityError messages name attributes, never scanned values.
        message = (exc.message or type(exc).__name__).splitlines()[0]
        raise ConfigError(f"template {name}: {type(exc).__name__}: {message}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # Text of these may quote data; say only what kind of error it was.
        raise ConfigError(f"template {name}: {type(exc).__name__} while rendering") from None


def render_markdown(result: ScanResult, templates_dir: Path | None = None) -> str:
    """The CLI's `--format markdown` report."""
    from scanner.remediation.views import build_report

    return render_template(REPORT_TEMPLATE, templates_dir, report=build_report(result))


def render_comment(result: ScanResult, ctx: CommentContext, templates_dir: Path | None = None) -> str:
    """The sticky PR comment. Its first line is STICKY_MARKER whatever the template says."""
    from scanner.remediation.views import build_report

    text = render_template(COMMENT_TEMPLATE, templates_dir, report=build_report(result, ctx), ctx=ctx)
    body = text.removeprefix(STICKY_MARKER).lstrip("\n")
    if len(body) > MAX_COMMENT_CHARS:
        # Cut between findings so no code fence is left open; a line break as a last resort.
        cut = body.rfind(FINDING_MARKER, 0, MAX_COMMENT_CHARS)
        body = body[:cut] if cut > 0 else body[:MAX_COMMENT_CHARS].rsplit("\n", 1)[0]
        body += "\n\n_The comment was cut to fit GitHub's size limit; see the job summary._\n"
    return f"{STICKY_MARKER}\n{body}"


def render_summary(result: ScanResult, ctx: CommentContext, templates_dir: Path | None = None) -> str:
    """The job summary (GITHUB_STEP_SUMMARY): every finding, with the same advice as the comment."""
    from scanner.remediation.views import build_report

    return render_template(SUMMARY_TEMPLATE, templates_dir, report=build_report(result, ctx, limit=None),
                           ctx=ctx)
