"""Command line: click commands -> ScanOptions; errors -> exit codes (0 clean, 1 findings, 2 error).

Cold start matters (`mcp-guard --version`, a pre-commit hook on every commit): this module imports
click and nothing heavy at import time; each command imports what it needs when it runs, and the
`org` group is loaded only when it is invoked or listed (tests/test_cold_start.py keeps it so).
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from scanner import __version__
from scanner.exits import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, error_handler

if TYPE_CHECKING:
    from scanner.early import EarlyWork
    from scanner.result import ScanOptions, ScanResult

# The values of scanner.reporters.OutputFormat, spelled out so that `--version` and `--help` do not
# import every reporter (tests/test_cold_start.py checks the two stay equal).
FORMATS = ("text", "json", "sarif", "markdown")
SEVERITIES = ("none", "low", "medium", "high", "critical")


class _Progress:
    """One progress line on stderr once a scan has run for more than ~1 s, only on a TTY outside CI."""

    DELAY = 1.0

    def __init__(self, enabled: bool, stream: Any = None) -> None:
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.monotonic()
        self.shown = False
        self.last = 0.0

    def __call__(self, done: int, total: int, configs: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.DELAY or (now - self.last < 0.1 and done != total):
            return
        self.last = now
        self.shown = True
        self.stream.write(f"\rmcp-guard: scanning {done}/{total} files, {configs} MCP config(s) found")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


def progress_enabled(stream: Any, environ: Any) -> bool:
    """A progress line only for a person watching: a TTY, not CI, not a dumb terminal."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not environ.get("CI") and environ.get("TERM") != "dumb"


class _LazyGroup(click.Group):
    """A click group whose heavier sub-groups are imported only when invoked or listed."""

    lazy: dict[str, tuple[str, str]] = {"org": ("scanner.org.cli", "org")}  # name -> (module, attr)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in self.lazy:
            module, attr = self.lazy[cmd_name]
            command = getattr(importlib.import_module(module), attr)
            self.add_command(command, cmd_name)
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="mcp-guard")
def main() -> None:
    """mcp-guard: leaked secrets and production reuse in MCP client configs."""


def _common_scan_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--all-files", is_flag=True,
                     help="Also scan files git does not track or ignores "
                          "(a named path is always scanned whole)."),
        click.option("--config", "config_path", type=click.Path(path_type=Path),
                     help="Policy file (default: .mcp-guard.yml in the scan root)."),
        click.option("--no-gitleaks", is_flag=True, help="Built-in detection only."),
        click.option("--require-gitleaks", is_flag=True, help="Fail (exit 2) if gitleaks cannot run."),
        click.option("--gitleaks-path", help="gitleaks binary (else MCP_GUARD_GITLEAKS, PATH, bundled)."),
        click.option("--max-file-size", type=click.IntRange(min=1), default=5 * 1024 * 1024,
                     show_default=True, help="Larger files are reported, not scanned (bytes)."),
        click.option("--max-findings-per-file", type=click.IntRange(min=0), default=None,
                     help="Findings reported in detail per file; past them the rest of the file is not "
                          "analysed in detail and one MCPG106 finding (blocking) says so; 0: no limit "
                          "[default: max-findings-per-file of the policy, else 1000]."),
        click.option("--debug", is_flag=True,
                     help="On an internal error, print the Python traceback (for bug reports)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _located(paths: tuple[Path, ...]) -> tuple[Path, tuple[Path, ...]]:
    """`scan_root` of the named paths, each checked to exist (ConfigError)."""
    from scanner.errors import ConfigError

    for path in paths:
        if not os.path.lexists(path):
            raise ConfigError(f"path does not exist: {path}")
    return scan_root(paths, Path.cwd())


def _build_options(paths: tuple[Path, ...], all_files: bool, config_path: Path | None,
                   no_gitleaks: bool, require_gitleaks: bool, gitleaks_path: str | None,
                   max_file_size: int, fail_on: str | None = None, baseline: Path | None = None,
                   templates_dir: Path | None = None,
                   max_findings_per_file: int | None = None,
                   located: tuple[Path, tuple[Path, ...]] | None = None) -> ScanOptions:
    """The scan's options; `located`: `_located(paths)`, when the caller has it already."""
    from scanner.baseline import load_baseline
    from scanner.errors import ConfigError
    from scanner.model import Severity
    from scanner.policy import load_policy
    from scanner.result import DEFAULT_MAX_FINDINGS_PER_FILE, ScanOptions

    root, paths = located if located is not None else _located(paths)
    if config_path is None:
        for name in (".mcp-guard.yml", ".mcp-guard.yaml"):
            if (root / name).is_file():
                config_path = root / name
                break
    elif not config_path.is_file():
        raise ConfigError(f"policy file not found: {config_path}")
    policy = load_policy(config_path)
    threshold = fail_on or (policy.fail_on.label if policy.fail_on is not None else None) or "high"
    if templates_dir is not None and not templates_dir.is_dir():
        raise ConfigError(f"templates directory not found: {templates_dir}")
    return ScanOptions(
        root=root,
        paths=tuple(paths),
        all_files=all_files,
        max_file_bytes=max_file_size,
        use_gitleaks=not no_gitleaks,
        require_gitleaks=require_gitleaks,
        gitleaks_path=gitleaks_path,
        policy=policy,
        baseline=load_baseline(baseline) if baseline is not None else frozenset(),
        fail_on=None if threshold == "none" else Severity.from_label(threshold),
        templates_dir=templates_dir,
        environ=dict(os.environ),
        fingerprint_key=_fingerprint_key(),
        max_findings_per_file=next(limit for limit in (max_findings_per_file, policy.max_findings_per_file,
                                                       DEFAULT_MAX_FINDINGS_PER_FILE) if limit is not None),
    )


def scan_root(paths: tuple[Path, ...], cwd: Path) -> tuple[Path, tuple[Path, ...]]:
    """(root, named paths): the root every reported path is relative to, and what the user named.

    The root is the git top level of the first path (else of the working directory), so client,
    environment and rules see the same repository-relative path however the argument was spelled;
    with no repository it is the working directory when the paths lie inside it, else the named
    directory (or a named file's directory). Naming the root itself (or nothing, from the root) is
    the default scan: git-tracked files only.
    """
    from scanner.sources.gitlist import repo_top  # not worktree: it imports the client catalog

    named = tuple(path if path.is_absolute() else cwd / path for path in paths) or (cwd,)
    top = repo_top(named[0])
    if top is not None:
        root = top
    elif all(_inside(path, cwd) for path in named):
        root = cwd
    else:
        root = named[0] if named[0].is_dir() and not named[0].is_symlink() else named[0].parent
    rest = tuple(path for path in named if not (path.is_dir() and _same(path, root)))
    return root, rest


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _inside(path: Path, directory: Path) -> bool:
    try:
        (path.parent.resolve() / path.name).relative_to(directory.resolve())
    except ValueError:
        return False
    return True


def _fingerprint_key() -> str | None:
    """MCP_GUARD_FINGERPRINT_KEY (keyed HMAC fingerprints); a secret, so the output boundary guards it."""
    from scanner.output_guard import register_secrets

    key = os.environ.get("MCP_GUARD_FINGERPRINT_KEY", "").strip()
    register_secrets([key])
    return key or None


def _run_scan(options: ScanOptions, quiet: bool, early: EarlyWork | None = None) -> ScanResult:
    # The default scan's git listings start before the scanner's modules are imported (~0.1-0.2 s
    # CPU): git lists the work tree meanwhile, and the tracked names are there when asked for.
    # `early`: those listings (and gitleaks, launched) started by the caller before its options.
    from scanner.sources.gitlist import WorkTreeListings

    if early is None:
        listings = None if options.paths or options.all_files else WorkTreeListings(options.root)
        gitleaks = None
    else:
        listings, gitleaks = early.listings, early.gitleaks
    try:
        from scanner.pipeline import scan

        progress = _Progress(enabled=not quiet and progress_enabled(sys.stderr, os.environ))
        try:
            return scan(options, progress=progress, listings=listings, gitleaks=gitleaks)
        finally:
            progress.close()
    finally:
        if listings is not None:
            listings.cancel()  # whatever the scan did not collect (it stopped early)
        if gitleaks is not None:
            gitleaks.close()  # ended by the scan already, unless it stopped before feeding it


def _report_problems(result: ScanResult, quiet: bool) -> None:
    from scanner.output_guard import check_output

    # Paths and warnings pass the output boundary too: a path can hold a token (shown redacted).
    for error in result.errors:
        kind = "error" if error.fatal else "warning" if error.kind in ("parse", "encoding") else "skipped"
        click.echo(check_output(f"mcp-guard: {kind}: {error.path}: {error.reason}", "the problem report"),
                   err=True)
    if not quiet:
        for warning in result.warnings:
            click.echo(check_output(f"mcp-guard: warning: {warning}", "the problem report"), err=True)


def _write(text: str, output: Path | None) -> None:
    from scanner.output_guard import check_output

    text = check_output(text, "the output")
    if output is None:
        click.echo(text, nl=False)
    else:
        from scanner.safe_write import write_text_safely

        write_text_safely(output, text)


@main.command()
@_common_scan_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to FILE.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Exit 1 when a finding is at or above this severity [default: high].")
@click.option("--baseline", type=click.Path(path_type=Path), help="Ignore findings in this baseline file.")
@click.option("--templates-dir", type=click.Path(path_type=Path), help="Override Markdown templates.")
@click.option("--quiet", "-q", is_flag=True, help="Only the report and errors.")
@click.option("--timeout", type=click.FloatRange(min=0), default=0, show_default=True,
              help="Give up (exit 2) when the scan takes longer than this many seconds (0: no limit).")
@click.option("--file-timeout", type=click.FloatRange(min=0), default=30, show_default=True,
              help="A file taking longer than this to parse makes the scan incomplete (0: no limit).")
@click.option("--strict-parse", is_flag=True,
              help="A config that does not parse makes the scan incomplete (exit 2); by default it is "
                   "searched line by line and reported as a warning.")
def scan(paths: tuple[Path, ...], all_files: bool, config_path: Path | None, no_gitleaks: bool,
         require_gitleaks: bool, gitleaks_path: str | None, max_file_size: int,
         max_findings_per_file: int | None, debug: bool, fmt: str,
         output: Path | None, fail_on: str | None, baseline: Path | None, templates_dir: Path | None,
         quiet: bool, timeout: float, file_timeout: float, strict_parse: bool) -> None:
    """Scan files or directories (default: .) for secrets and production reuse in MCP configs."""
    with error_handler(debug):
        from scanner.early import EarlyWork

        # git's listings and gitleaks start before the reporters, the policy and the scanner are
        # imported (scanner/early.py); a scan that stops before collecting them stops them.
        root, named = located = _located(paths)
        early = EarlyWork.start(root, not named and not all_files, not no_gitleaks, gitleaks_path,
                                timeout or None, os.environ)
        try:
            from scanner.budget import run_with_deadline
            from scanner.reporters import render

            options = _build_options(paths, all_files, config_path, no_gitleaks, require_gitleaks,
                                     gitleaks_path, max_file_size, fail_on, baseline, templates_dir,
                                     max_findings_per_file, located)
            options = replace(options, strict_parse=strict_parse)
            result = run_with_deadline(lambda: _run_scan(options, quiet, early), timeout or None,
                                       file_timeout or None, what="the scan (--timeout)")
        finally:
            early.cancel()
        color = fmt == "text" and output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        text = render(fmt, result, color=color, templates_dir=templates_dir)
        if not (quiet and fmt == "text" and not result.findings):
            _write(text, output)
        _report_problems(result, quiet)
        sys.exit(exit_code(result))


def exit_code(result: ScanResult) -> int:
    """1 when a finding blocks, else 2 when the scan is incomplete (fail closed), else 0."""
    if result.blocking_count:
        return EXIT_FINDINGS
    if not result.complete:
        click.echo("mcp-guard: error: scan incomplete, some files could not be scanned", err=True)
        return EXIT_ERROR
    return EXIT_OK


@main.command()
@_common_scan_options
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path))
def inventory(paths: tuple[Path, ...], all_files: bool, config_path: Path | None, no_gitleaks: bool,
              require_gitleaks: bool, gitleaks_path: str | None, max_file_size: int,
         max_findings_per_file: int | None, debug: bool,
              fmt: str, output: Path | None) -> None:
    """List every MCP server found: client, transport, target, credential names and modes."""
    with error_handler(debug):
        from scanner.inventory import build_inventory, render_inventory
        from scanner.org.keys import load_key

        key = load_key(os.environ) if fmt == "json" else None
        options = _build_options(paths, all_files, config_path, True, False, None, max_file_size,
                                 max_findings_per_file=max_findings_per_file)
        result = _run_scan(options, quiet=False)
        _write(render_inventory(build_inventory(result, key), fmt, key), output)
        _report_problems(result, quiet=True)
        sys.exit(EXIT_OK if result.complete else EXIT_ERROR)


@main.command()
@_common_scan_options
@click.option("--output", "-o", type=click.Path(path_type=Path), default=Path(".mcp-guard-baseline.json"),
              show_default=True)
def baseline(paths: tuple[Path, ...], all_files: bool, config_path: Path | None, no_gitleaks: bool,
             require_gitleaks: bool, gitleaks_path: str | None, max_file_size: int,
         max_findings_per_file: int | None, debug: bool,
             output: Path) -> None:
    """Write a baseline of the current findings (fingerprints only); `scan --baseline` subtracts it."""
    with error_handler(debug):
        from scanner.baseline import dump_baseline

        options = _build_options(paths, all_files, config_path, no_gitleaks, require_gitleaks,
                                 gitleaks_path, max_file_size, "none",
                                 max_findings_per_file=max_findings_per_file)
        result = _run_scan(options, quiet=False)
        _write(dump_baseline(result.findings), output)  # through the output boundary as every report
        click.echo(f"wrote {len(result.findings)} finding(s) to {output}", err=True)
        _report_problems(result, quiet=False)
        sys.exit(EXIT_OK if result.complete else EXIT_ERROR)


@main.command()
@_common_scan_options
@click.option("--dry-run", is_flag=True, help="Show the diff (secrets redacted); change nothing.")
def fix(paths: tuple[Path, ...], all_files: bool, config_path: Path | None, no_gitleaks: bool,
        require_gitleaks: bool, gitleaks_path: str | None, max_file_size: int,
         max_findings_per_file: int | None, debug: bool,
        dry_run: bool) -> None:
    """Rewrite literal secrets into references in each client's own syntax (rotate them anyway)."""
    with error_handler(debug):
        from scanner.fix.run import run_fix

        options = _build_options(paths, all_files, config_path, no_gitleaks, require_gitleaks,
                                 gitleaks_path, max_file_size, "none",
                                 max_findings_per_file=max_findings_per_file)
        result = _run_scan(options, quiet=True)
        from scanner.fix.notes import unfixed
        from scanner.output_guard import check_output

        diff, count = run_fix(result, options.root, dry_run)
        _write(diff, None)
        verb = "would apply" if dry_run else "applied"
        click.echo(f"{verb} {count} edit(s); a pushed credential stays in git history: rotate it", err=True)
        remaining = unfixed(result.findings)
        for line in remaining:
            click.echo(check_output(line, "the fix report"), err=True)
        if remaining:
            click.echo(f"{len(remaining)} secret finding(s) left for you to fix by hand", err=True)
        _report_problems(result, quiet=True)
        sys.exit(EXIT_ERROR if not result.complete else EXIT_FINDINGS if remaining else EXIT_OK)


@main.command("action")
def action() -> None:
    """Run as the GitHub Action (reads GITHUB_* and INPUT_* from the environment)."""
    from scanner.gh.action import run_action

    sys.exit(run_action(os.environ))


@main.command()
@click.option("--repo", required=True, help="OWNER/REPO")
@click.option("--branch", required=True, help="Branch whose protection rule gets the check.")
@click.option("--context", default="mcp-guard", show_default=True, help="Status context to require.")
@click.option("--api-url", envvar="GITHUB_API_URL", default="https://api.github.com", show_default=True)
@click.option("--debug", is_flag=True, hidden=True)
def protect(repo: str, branch: str, context: str, api_url: str, debug: bool) -> None:
    """Make the mcp-guard status a required check (token from GITHUB_TOKEN or GH_TOKEN; needs admin)."""
    with error_handler(debug):
        from scanner.errors import ConfigError
        from scanner.gh.protect import add_required_status

        token = os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN") or ""
        if not token:
            raise ConfigError("set GITHUB_TOKEN (or GH_TOKEN) to a token with admin rights on the repository")
        click.echo(add_required_status(api_url, token, repo, branch, context))
