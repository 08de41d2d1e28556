"""Side effects of an Action run: SARIF file, job summary, annotations, sticky comment, status, outputs.

Fork PRs (and Dependabot runs) get a read-only token: 403 on the comment or status is logged once
and the job exit code becomes the gate. Anywhere else a 403 means the workflow did not grant the
permission, and fails like any other publishing failure. The exit code mirrors the status: success 0,
failure 1, error 2. Publishing that fails for another reason fails closed: a PR comment that could
not be posted makes the status `error`, and a status that could not be set makes the exit code 2,
each with a one-line `::error`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from scanner.errors import McpGuardError
from scanner.gh.annotations import finding_annotations
from scanner.gh.api import GitHubApi, GitHubError, GitHubHTTPError, GitHubPermissionError
from scanner.gh.comment import fit_comment, upsert_sticky, with_marker
from scanner.gh.context import ActionContext
from scanner.gh.head_lines import head_line_map
from scanner.gh.payload import PR_EVENTS
from scanner.gh.review import post_review
from scanner.gh.runner import Runner
from scanner.gh.status import (
    StatusDecision,
    branch_is_production,
    decide_status,
    held_by_production,
    post_status,
    with_base,
)
from scanner.markdown.templates import CommentContext, render_comment, render_summary
from scanner.markdown.views import ReportViews
from scanner.model import Category
from scanner.reporters import render
from scanner.result import ScanResult
from scanner.safe_write import UnsafeWriteError, check_inside, write_text_safely

EXIT_CODES = {"success": 0, "failure": 1, "error": 2}


@dataclass
class Outcome:
    """What the scan step produced: a result, or a reason there was nothing to scan, or an error."""

    result: ScanResult | None = None
    nothing_to_scan: str | None = None
    error: str | None = None
    settings_changes: tuple[str, ...] = ()
    history_commits: int = 0
    judged: str | None = None  # the git tree or commit scanned when it is not the PR head (a merge)
    # The running workflow does not run again when the pull request's base changes (gh/retarget.py).
    unguarded_retarget: bool = False


def decide(ctx: ActionContext, outcome: Outcome) -> StatusDecision:
    result = outcome.result
    return decide_status(
        complete=result.complete if result is not None else outcome.error is None,
        blocking=result.blocking_count if result is not None else 0,
        total=len(result.findings) if result is not None else 0,
        base_branch=ctx.event.base_branch, production_branches=ctx.production_branches,
        error=outcome.error, nothing_to_scan=outcome.nothing_to_scan,
        blocking_everywhere=blocking_secrets(result) if result and ctx.block_secrets_everywhere else 0,
        unguarded_retarget=outcome.unguarded_retarget)


def blocking_secrets(result: ScanResult) -> int:
    """Blocking secret findings: what the block-secrets-everywhere switch gates on every branch."""
    return sum(1 for f in result.findings if f.blocking and f.category is Category.SECRET)


def _history_note(result: ScanResult) -> str | None:
    count = sum(1 for finding in result.findings if finding.history_only)
    if not count:
        return None
    return (f"{count} secret(s) were added and later removed inside this pull request. They are still "
            "in the git history: rotate them, and squash or rewrite the branch before merging.")


def _comment_context(ctx: ActionContext, decision: StatusDecision, outcome: Outcome,
                     result: ScanResult) -> CommentContext:
    return CommentContext(
        repo=ctx.repository, pr_number=ctx.event.pr_number, head_sha=ctx.event.head_sha,
        base_ref=ctx.event.base_branch,
        production_branch=branch_is_production(ctx.event.base_branch, ctx.production_branches),
        blocking=decision.state == "failure", status_text=decision.description, run_url=ctx.run_url,
        policy_changes=outcome.settings_changes, history_only_note=_history_note(result),
        scan_mode="diff" if ctx.diff_mode else "full", production_branches=ctx.production_branches,
        secrets_block_everywhere=ctx.block_secrets_everywhere)


def _plain_report(ctx: ActionContext, decision: StatusDecision, outcome: Outcome) -> str:
    """Body for runs without a scan result (nothing to scan, or the scan failed)."""
    lines = ["## mcp-guard", "", f"**{decision.state}**: {decision.description}"]
    if outcome.error is not None:
        lines += ["", "The scan did not complete, so this pull request was not checked. "
                  "See the workflow run log for details."]
    lines += [f"- {change}" for change in outcome.settings_changes]
    if ctx.run_url:
        lines += ["", f"[Workflow run]({ctx.run_url})"]
    return "\n".join(lines) + "\n"


def _write_sarif(ctx: ActionContext, result: ScanResult, runner: Runner) -> str:
    target = ctx.workspace / ctx.sarif_file
    try:
        check_inside(target, ctx.workspace)
        if any(part.casefold() == ".git" for part in Path(ctx.sarif_file.replace("\\", "/")).parts):
            # (the repository's own config, hooks and objects: a later git command of the job, the
            # run's own review lines included, must not read a SARIF file as its config; trust wave 19)
            raise UnsafeWriteError(f"refusing to write {ctx.sarif_file}: it lies inside the .git folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        write_text_safely(target, render("sarif", result), root=ctx.workspace)
    except UnsafeWriteError as exc:
        runner.command("warning", f"mcp-guard: not writing the SARIF file: {exc}")
        return ""
    except OSError:
        runner.command("warning", f"mcp-guard: could not write the SARIF file {ctx.sarif_file}")
        return ""
    return ctx.sarif_file


def _failure(what: str, exc: GitHubError) -> str:
    status = getattr(exc, "status", None)
    return f"{what} ({f'HTTP {status}' if status else 'no answer from the GitHub API'})"


def _post_comment(ctx: ActionContext, api: GitHubApi, runner: Runner, body: str,
                  create: bool) -> tuple[str, str | None]:
    """(comment URL, None) or ("", why publishing failed). A read-only token (a fork PR) is no
    failure: the job summary, annotations and exit code carry the report there."""
    assert ctx.event.pr_number is not None
    login = api.authenticated_login()
    # GITHUB_TOKEN and App tokens cannot call /user: fall back to the configured bot login.
    identities = [login] if login else [ctx.bot_login]
    try:
        outcome = upsert_sticky(api, ctx.repository, ctx.event.pr_number,
                                fit_comment(with_marker(body), ctx.run_url), identities, create=create,
                                pause=api.pause)
    except GitHubPermissionError as exc:
        if not ctx.read_only_token:  # a write token refused: the workflow's permissions lack it
            runner.command("error", f"mcp-guard: PR comment not posted: {exc}. Grant `pull-requests: write` "
                           "in the workflow's permissions (or set `comment: false`)", title="mcp-guard")
            return "", _failure("the PR comment could not be posted (pull-requests: write?)", exc)
        runner.log("mcp-guard: the token cannot write PR comments (read-only token, e.g. a fork PR); "
                   "see the job summary and annotations instead")
        return "", None
    except GitHubError as exc:
        runner.command("error", f"mcp-guard: PR comment not posted: {exc}", title="mcp-guard")
        return "", _failure("the PR comment could not be posted", exc)
    author = outcome.author if outcome is not None and outcome.action == "created" else None
    if author and author.lower() not in {identity.lower() for identity in identities}:
        # The next run looks for a comment by `identities` (an App token cannot call /user): it would
        # not find this one and post another.
        runner.command("warning", f"mcp-guard: the sticky comment was posted as {author}, not as "
                       f"{identities[0]}: set `bot-login: {author}`, or every run posts a new comment",
                       title="mcp-guard")
    return (outcome.url or "" if outcome is not None else ""), None


StatusPosted = Literal["set", "read-only", "failed"]


def _post_status(ctx: ActionContext, api: GitHubApi, runner: Runner,
                 decision: StatusDecision, detail: str | None = None) -> StatusPosted:
    """Set the commit status: "set", "read-only" (the token may not: a fork PR; the exit code is the
    gate), or "failed" for another reason (then the job fails: a missing required status must not
    look like a clean run).

    A success of a run for a branch that is not production (a pull request into a feature branch,
    a push to one), or of any push, does not replace a failing status that a run for another
    production branch left on the same commit (two pull requests of one branch, one moved between
    bases, the push of a branch whose pull request targets main, a push of that head to a new
    `release/x`), nor the failure of a pass into another branch that a move to production would not
    re-check: the commit keeps it until a new commit is pushed. A push to that same production
    branch (the merged head) replaces it.

    `detail`: the whole reason of an `error` (the description is cut at 140 characters), for the one
    line that says why the job fails when the status cannot be set."""
    decision = with_base(decision, ctx.event.base_branch, ctx.production_branches)
    try:
        # Every event: a push to a feature branch posts on the same commit as its pull request into main.
        # A push to a production branch neither (trust wave 19): a push of the PR's head to a new
        # `release/x` judges it by the pushed commit's own policy (a push has no base).
        if decision.state == "success" and (ctx.event_name == "push" or not branch_is_production(
                ctx.event.base_branch, ctx.production_branches)):
            try:
                latest = api.latest_status(ctx.repository, ctx.event.head_sha, ctx.status_context)
            except GitHubHTTPError as exc:
                if exc.status == 403 and not ctx.read_only_token:
                    runner.command("error", f"mcp-guard: commit status not set: {exc}. Grant `statuses: "
                                   "write` in the workflow's permissions (it covers reading the commit's "
                                   f"statuses first); {decision.state}: {decision.description}",
                                   title="mcp-guard")
                    return "failed"
                raise
            held = held_by_production(latest, ctx.production_branches)
            if held is not None and held != ctx.event.base_branch:
                runner.command("warning", f"mcp-guard: {ctx.event.head_sha[:12]} already carries a failing "
                               f"{ctx.status_context} status from a run for {held}; "
                               f"a run for {ctx.event.base_branch or ctx.event_name} does not replace it",
                               title="mcp-guard")
                return "set"
        post_status(api, ctx.repository, ctx.event.head_sha, decision, ctx.status_context, ctx.run_url)
    except GitHubPermissionError as exc:
        if not ctx.read_only_token:  # a write token refused: the required status is never set
            runner.command("error", f"mcp-guard: commit status not set: {exc}. Grant `statuses: write` in "
                           f"the workflow's permissions; {decision.state}: {decision.description}",
                           title="mcp-guard")
            return "failed"
        if decision.state == "success":
            runner.log("mcp-guard: the token cannot set commit statuses (read-only token, e.g. a fork PR); "
                       "the job exit code is the gate")
        else:  # nothing on the PR says it failed: the job must, and say why in one line
            runner.command("error", f"mcp-guard: {decision.state}: {detail or decision.description}. The "
                           f"{ctx.status_context} commit status could not be set (read-only token, e.g. a "
                           "fork PR), so this job fails instead: require the job as a check to gate such PRs",
                           title="mcp-guard")
        return "read-only"
    except GitHubError as exc:
        runner.command("error", f"mcp-guard: commit status not set: {exc}", title="mcp-guard")
        return "failed"
    return "set"


def publish(ctx: ActionContext, api: GitHubApi, runner: Runner, outcome: Outcome) -> int:
    """Every side effect of the run; returns the exit code. Whatever fails while reporting, a
    commit status is still set (`error`, naming the failure): it is never left pending."""
    try:
        return _publish(ctx, api, runner, outcome)
    except Exception as exc:  # noqa: BLE001 - the finally-path of the gate
        reason = f"reporting failed ({type(exc).__name__})"
        runner.command("error", f"mcp-guard: {reason}", title="mcp-guard")
        decision = StatusDecision("error", f"mcp-guard could not complete: {reason}")
        try:
            _post_status(ctx, api, runner, decision)
        except Exception:  # noqa: BLE001 - nothing more can be done about the status
            runner.log("mcp-guard: commit status not set")
        return EXIT_CODES["error"]


def _publish(ctx: ActionContext, api: GitHubApi, runner: Runner, outcome: Outcome) -> int:
    """Every side effect of the run, each failing softly; returns the exit code."""
    decision = decide(ctx, outcome)
    # The whole reason of a scan that failed (the status description is cut at 140 characters).
    detail = f"mcp-guard could not complete: {outcome.error}" if outcome.error is not None else None
    result = outcome.result
    sarif = ""
    if result is not None:
        cctx = _comment_context(ctx, decision, outcome, result)
        sarif = _write_sarif(ctx, result, runner)
        try:
            views = ReportViews(result)  # each finding's view built once, for both
            summary = render_summary(result, cctx, ctx.templates_dir, views)
            comment = render_comment(result, cctx, ctx.templates_dir, views)
        except McpGuardError as exc:  # e.g. a broken template override: report, keep the gate
            runner.command("warning", f"mcp-guard: report templates failed: {exc}")
            summary = comment = _plain_report(ctx, decision, outcome)
        for warning in result.warnings:
            runner.command("warning", f"mcp-guard: {warning}")
        for skipped in result.errors:
            runner.command("warning", f"mcp-guard: skipped {skipped.path}: {skipped.reason}")
        # The runner shows 10 annotations per level and drops the rest silently: the warnings above
        # take their share, and the notice counting what is left out comes first so it is shown.
        used = {"warning": len(result.warnings) + len(result.errors)}
        # On the head commit's lines (GitHub shows them on its files), not the judged merge's.
        at_head = head_line_map(ctx.workspace, outcome.judged, ctx.event.head_sha) \
            if outcome.judged is not None and ctx.event.head_sha else None
        lines, omitted = finding_annotations(result.findings, used, at_head)
        if omitted:  # the notice below takes one notice slot
            lines, omitted = finding_annotations(result.findings, used | {"notice": 1}, at_head)
        if omitted:
            runner.command("notice", f"mcp-guard: {omitted} more finding(s) are not annotated (GitHub shows "
                           "10 per level); the job summary and the SARIF file list them")
        for line in lines:
            runner.log(line)
    else:
        summary = comment = _plain_report(ctx, decision, outcome)
    if not runner.write_summary(summary):
        runner.log("mcp-guard: no GITHUB_STEP_SUMMARY; summary not written")
    comment_url = ""
    if ctx.comment and ctx.event_name in PR_EVENTS and ctx.event.pr_number is not None:
        create = (result is not None and bool(result.findings)) or outcome.error is not None
        comment_url, failed = _post_comment(ctx, api, runner, comment, create=create)
        if failed is not None:  # the report did not reach the PR: never a passing status
            decision = StatusDecision("error", f"mcp-guard could not publish its report: {failed}")
            detail = None
    if result is not None:
        # one-click suggestions; degrades, never fails the run
        post_review(ctx, api, runner, result, judged=outcome.judged)
    posted = _post_status(ctx, api, runner, decision, detail=detail)
    if outcome.error is not None and posted != "read-only":  # (read-only: that line says it already)
        runner.command("error", f"mcp-guard: {outcome.error}", title="mcp-guard")
    state = decision.state if posted != "failed" else "error"
    runner.log(f"mcp-guard: {decision.state}: {decision.description}")
    runner.set_outputs({
        "findings": str(len(result.findings) if result is not None else 0),
        "blocking": str(result.blocking_count if result is not None else 0),
        "sarif-file": sarif, "comment-url": comment_url,
        "result": state, "status-set": "true" if posted == "set" else "false",
    })
    return EXIT_CODES[state]
