"""`mcp-guard org plan` and `mcp-guard org report` (registered on the main group in scanner/cli.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

REPORT_FORMATS = ("json", "markdown", "csv", "html")


def _guarded_tokens() -> str:
    """The API token (GITHUB_TOKEN, else GH_TOKEN), with both registered at the output boundary: the
    plan, the report and every error line pass `check_output`, so none can carry either token."""
    from scanner.output_guard import register_secrets

    tokens = [os.environ.get("GITHUB_TOKEN", ""), os.environ.get("GH_TOKEN", "")]
    register_secrets(tokens)
    return tokens[0] or tokens[1]


@click.group("org")
def org() -> None:
    """Organisation-wide inventory: plan a repository matrix, merge the per-repository results."""


@org.command("plan")
@click.option("--org", "org_name", required=True, help="Organisation (or user) login.")
@click.option("--include-archived", is_flag=True, help="Also list archived repositories.")
@click.option("--include-forks", is_flag=True, help="Also list forks.")
@click.option("--repos", "globs", multiple=True, help="Only repositories whose name or owner/name matches "
              "this glob (repeatable).")
@click.option("--chunk", type=click.IntRange(1, 256), default=200, show_default=True,
              help="Repositories per matrix chunk (GitHub allows 256 jobs per matrix).")
@click.option("--source", type=click.Choice(("org", "installation")), default="org", show_default=True,
              help="org: GET /orgs/{org}/repos; installation: GET /installation/repositories (App token).")
@click.option("--format", "fmt", type=click.Choice(("json",)), default="json", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the plan to FILE.")
@click.option("--api-url", envvar="GITHUB_API_URL", default="https://api.github.com", show_default=True)
@click.option("--debug", is_flag=True, hidden=True)
def plan(org_name: str, include_archived: bool, include_forks: bool, globs: tuple[str, ...], chunk: int,
         source: str, fmt: str, output: Path | None, api_url: str, debug: bool) -> None:
    """Print the matrix: a JSON list of chunks, each {"include": [{"repo", "ref"}, ...]}.

    Token from GITHUB_TOKEN or GH_TOKEN: an Actions token, a PAT or a GitHub App installation token.
    """
    from scanner.exits import error_handler

    with error_handler(debug):
        from scanner.org.plan import client, empty_probe, list_repositories, render_plan, select
        from scanner.output_guard import check_output

        token = _guarded_tokens()
        gh = client(api_url, token)
        result = select(list_repositories(gh, org_name, source), org_name, include_archived=include_archived,
                        include_forks=include_forks, globs=globs, is_empty=empty_probe(gh))
        text = check_output(render_plan(result, chunk), "the org plan")
        if output is None:
            click.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
        skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(result.skipped.items()))
        click.echo(f"mcp-guard: planned {len(result.repos)} repositories in "
                   f"{-(-len(result.repos) // chunk)} chunk(s)" + (f"; skipped {skipped}" if skipped else ""),
                   err=True)
        if not result.repos:
            # An inventory of nothing is no pass: a token that sees no repository of the organisation,
            # or a --repos glob that matches none, must not give a green, empty report.
            from scanner.errors import ConfigError

            why = (f"every listed repository was skipped ({skipped})" if skipped else
                   f"the listing of {org_name} returned no repository (does the token reach them?)")
            raise ConfigError(f"nothing to inventory: {why}")


@org.command("report")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="markdown", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to FILE.")
@click.option("--plan", "plan_file", type=click.Path(path_type=Path),
              help="The `org plan` output: planned repositories without results are reported.")
@click.option("--debug", is_flag=True, hidden=True)
def report(directory: Path, fmt: str, output: Path | None, plan_file: Path | None, debug: bool) -> None:
    """Merge DIRECTORY/<owner>__<name>/{inventory,scan}.json into one organisation report.

    Missing or corrupt artifacts are listed in the report. Exit code 0: every repository was read;
    2: the report is written but incomplete (some repository could not be read completely), or it
    could not be built or written.
    """
    from scanner.exits import error_handler

    with error_handler(debug):
        from scanner.errors import ConfigError
        from scanner.org.collect import load_dir, planned_repos
        from scanner.org.html import render_html
        from scanner.org.render import render_csv, render_json, render_markdown
        from scanner.org.report import build_report
        from scanner.output_guard import check_output

        _guarded_tokens()
        planned = planned_repos(plan_file) if plan_file is not None else None
        merged = build_report(load_dir(directory, planned))
        renderers = {"json": render_json, "markdown": render_markdown, "csv": render_csv, "html": render_html}
        text = check_output(renderers[fmt](merged), "the org report")
        if output is None:
            click.echo(text, nl=False)
        else:
            if output.is_symlink():
                raise ConfigError(f"refusing to write through a symlink: {output}")
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise ConfigError(f"cannot write {output}: {type(exc).__name__}") from None
        for problem in merged.problems:
            click.echo(check_output(f"mcp-guard: problem: {problem.repo}: {problem.kind}: {problem.detail}",
                                    "the problem report"), err=True)
        counts = merged.counts()
        click.echo(f"mcp-guard: {counts['repositories']} repositories, {counts['servers']} servers, "
                   f"{counts['reused_credentials']} reused credential(s), {counts['problems']} problem(s)",
                   err=True)
        incomplete = merged.incomplete_line()
        if incomplete is not None:  # written, but never a pass: some repository went unread
            click.echo(f"mcp-guard: error: {incomplete}", err=True)
            sys.exit(2)
        sys.exit(0)
