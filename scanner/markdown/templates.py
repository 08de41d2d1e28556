"""Sandboxed Jinja2 rendering of the PR comment, job summary and Markdown report (with overrides).

Templates ship in the `scanner.templates` package (top-level `templates/` in the source tree); a
user directory given with `--templates-dir` / `templates-dir` overrides any template by name.
Every `{{ expression }}` is escaped for Markdown and HTML by the environment's finalize hook.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from scanner.errors import ConfigError
from scanner.markdown.escape import Safe, code_block, code_span, md_escape, safe_url
from scanner.markdown.views import CommentContext, ReportViews, build_report

if TYPE_CHECKING:
    from scanner.result import ScanResult

STICKY_MARKER = "<!-- mcp-guard:sticky v1 -->"
FINDING_MARKER = "<!-- mcpg:finding -->"  # comment.md.j2 puts it before each finding
FOOTER_MARKER = "<!-- mcpg:footer -->"  # before the footer (suppressions): kept when the comment is cut
_MAX_FOOTER_CHARS = 8_000
COMMENT_TEMPLATE = "comment.md.j2"
SUMMARY_TEMPLATE = "summary.md.j2"
REPORT_TEMPLATE = "report.md.j2"
# GitHub rejects comments above 65,536 characters; keep a margin for the truncation notice.
MAX_COMMENT_CHARS = 60_000
# The comment lists at most this many findings past the ones it shows (one line each); the rest are
# counted ("N more not listed"). The comment is cut to MAX_COMMENT_CHARS in any case.
COMMENT_MAX_LISTED = 100
# The job summary: GitHub refuses a step summary above 1 MiB. It shows at most this many findings
# with their advice and lists at most this many more, halving both until the text fits the budget
# (the runner still cuts at a line break as the last resort); the rest are counted.
SUMMARY_MAX_FINDINGS = 200
SUMMARY_MAX_LISTED = 1_000
MAX_SUMMARY_BYTES = 1024 * 1024 - 16 * 1024


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
        return jinja2.FileSystemLoader(str(Path(__file__).resolve().parent.parent.parent / "templates"))

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


_MAX_TEMPLATE_BYTES = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _override_loader(directory: Path) -> jinja2.BaseLoader:
    """Templates of the user's directory by name, never through a symlink (at any level below
    the directory) and never outside it: the directory may be a pull request's checkout, and a
    link to `/proc/self/environ` or a runner file would put it in the comment. A name that is a
    link, a folder, a device or over 1 MiB is refused with a one-line error, not skipped."""

    def load(name: str) -> tuple[str, str | None, Callable[[], bool]] | None:
        parts = name.split("/")
        if any(part in ("", ".", "..") or "\\" in part for part in parts):
            return None
        node = directory
        for part in parts:
            node = node / part
            try:
                info = os.lstat(node)
            except OSError:
                return None  # not overridden: the built-in template
            if stat.S_ISLNK(info.st_mode):
                raise ConfigError(f"template {name}: {node.relative_to(directory)} in the templates "
                                  "directory is a symlink; links are not followed")
        try:
            fd = os.open(node, _OPEN_FLAGS)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_TEMPLATE_BYTES:
                raise ConfigError(f"template {name}: not a regular file of at most 1 MiB")
            text = handle.read(_MAX_TEMPLATE_BYTES + 1).decode("utf-8", "replace")
        mtime = info.st_mtime_ns
        path = str(node)

        def uptodate() -> bool:
            try:
                return os.lstat(path).st_mtime_ns == mtime
            except OSError:
                return False

        return text, path, uptodate

    return jinja2.FunctionLoader(load)


def make_environment(templates_dir: Path | None = None) -> SandboxedEnvironment:
    """The one rendering environment: sandboxed, StrictUndefined, escaping finalize, overrides first.

    One per templates directory for the process: Jinja2 compiles each template once (an override
    file changed on disk is reloaded, Jinja2 checks its modification time)."""
    if templates_dir is not None and (templates_dir.is_symlink() or not templates_dir.is_dir()):
        raise ConfigError(f"templates directory not found (or a symlink): {templates_dir}")
    return _environment(templates_dir)


@functools.lru_cache(maxsize=8)
def _environment(templates_dir: Path | None) -> SandboxedEnvironment:
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        loaders.append(_override_loader(templates_dir))
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

    def has_template(name: str) -> bool:
        """True when a template exists (bundled or override): lets a partial be optional."""
        try:
            env.get_template(name)
        except jinja2.TemplateNotFound:
            return False
        return True

    env.globals["has_template"] = has_template
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
    return render_template(REPORT_TEMPLATE, templates_dir, report=build_report(result))


def render_comment(result: ScanResult, ctx: CommentContext, templates_dir: Path | None = None,
                   views: ReportViews | None = None) -> str:
    """The sticky PR comment. Its first line is STICKY_MARKER whatever the template says."""
    report = build_report(result, ctx, listed=COMMENT_MAX_LISTED, views=views)
    text = render_template(COMMENT_TEMPLATE, templates_dir, report=report, ctx=ctx)
    body = text.removeprefix(STICKY_MARKER).lstrip("\n")
    if len(body) > MAX_COMMENT_CHARS:
        # The footer lists what the policy suppressed: it stays visible when findings are cut.
        at = body.rfind(FOOTER_MARKER)
        footer = body[at:] if 0 <= at and len(body) - at <= _MAX_FOOTER_CHARS else ""
        limit = MAX_COMMENT_CHARS - len(footer)
        # Cut between findings so no code fence is left open; a line break as a last resort.
        cut = body.rfind(FINDING_MARKER, 0, limit)
        body = body[:cut] if cut > 0 else body[:limit].rsplit("\n", 1)[0]
        body += "\n</details>\n" * max(0, body.count("<details>") - body.count("</details>"))  # close a fold
        body += "\n\n_The comment was cut to fit GitHub's size limit; see the job summary._\n\n" + footer
    return f"{STICKY_MARKER}\n{body}"


def render_summary(result: ScanResult, ctx: CommentContext, templates_dir: Path | None = None,
                   views: ReportViews | None = None) -> str:
    """The job summary (GITHUB_STEP_SUMMARY): the findings with the same advice as the comment, as
    many as fit GitHub's size limit, then one line each, then how many more there are."""
    views = views if views is not None else ReportViews(result)
    shown, listed = SUMMARY_MAX_FINDINGS, SUMMARY_MAX_LISTED
    while True:
        report = build_report(result, ctx, limit=shown, listed=listed, views=views)
        text = render_template(SUMMARY_TEMPLATE, templates_dir, report=report, ctx=ctx)
        if len(text.encode("utf-8")) <= MAX_SUMMARY_BYTES or (shown == 0 and listed == 0):
            return text
        shown, listed = shown // 2, listed // 2
