"""One-click fixes in review, the GitHub side: all of a run's new suggestions (scanner.gh.suggestions
builds them) go into ONE review (`POST /pulls/{n}/reviews`, event COMMENT).

Re-runs never duplicate: existing review comments are listed first and matched by the hidden
fingerprint marker (only the bot's own count: anyone can quote a marker). A suggestion whose finding
is gone is edited to say so (one deleted meanwhile is skipped). When GitHub refuses the whole review
(422), each suggestion is posted alone so those it accepts land. The sticky comment stays the
summary: on a fork, or when GitHub answers 403/422, the run logs it and carries on (never fails
because of this). A review (or single comment) POST is not retried after a 5xx or a lost answer:
GitHub may have created it, and the next run, which lists the comments first, posts only what is
missing; never a duplicate.

A suggested line never holds a secret: the fixed lines are re-scanned (scanner.gh.recheck) and a
suggestion that would still carry one is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from scanner.diff import workspace_reader
from scanner.errors import GitHubError
from scanner.findings import Finding
from scanner.gh.api import GitHubApi, GitHubHTTPError, GitHubPermissionError, may_have_happened
from scanner.gh.context import ActionContext
from scanner.gh.head_lines import HeadLine, head_line_map
from scanner.gh.payload import PR_EVENTS
from scanner.gh.recheck import builtin_still_secret
from scanner.gh.runner import Runner
from scanner.gh.suggestions import (
    MARKER_PREFIX,
    MARKER_RE,
    MAX_SUGGESTIONS,
    ReadHead,
    StillSecret,
    Suggestion,
    build_suggestions,
    marker,
)
from scanner.sources import gitrefs

if TYPE_CHECKING:
    from scanner.result import ScanResult


@dataclass(frozen=True, slots=True)
class ReviewComment:
    id: int
    body: str
    user_login: str | None
    fingerprint: str | None
    resolved: bool


def pull_patches(api: GitHubApi, repo: str, number: int) -> dict[str, str]:
    """path -> patch of the PR's files (files too large for a patch are absent)."""
    out: dict[str, str] = {}
    for item in api.paginate(f"/repos/{repo}/pulls/{number}/files"):
        if isinstance(item, dict) and isinstance(item.get("filename"), str) \
                and isinstance(item.get("patch"), str):
            out[item["filename"]] = item["patch"]
    return out


def list_review_comments(api: GitHubApi, repo: str, number: int) -> list[ReviewComment]:
    out: list[ReviewComment] = []
    for item in api.paginate(f"/repos/{repo}/pulls/{number}/comments"):
        if not isinstance(item, dict):
            continue
        body = str(item.get("body") or "")
        user = item.get("user") if isinstance(item.get("user"), dict) else {}
        login = user.get("login") if user else None
        match = MARKER_RE.match(body)
        out.append(ReviewComment(int(item.get("id", 0)), body, login if isinstance(login, str) else None,
                                 match.group(1) if match else None, bool(match and match.group(2))))
    return out


def _resolved_body(comment: ReviewComment, head_sha: str) -> str:
    assert comment.fingerprint is not None
    return (f"{marker(comment.fingerprint, resolved=True)}\n**mcp-guard:** resolved. This finding is no "
            f"longer in the files at {head_sha[:12]}. A secret that was committed stays in the git "
            "history: rotate it.\n")


@dataclass
class ReviewOutcome:
    state: Literal["posted", "nothing", "skipped", "degraded"]
    posted: int = 0
    resolved: int = 0
    kept: int = 0
    reason: str = ""


def sync_suggestions(api: GitHubApi, repo: str, number: int, head_sha: str, findings: Sequence[Finding],
                     read_head: ReadHead, still_secret: StillSecret,
                     identities: Iterable[str], to_head: HeadLine | None = None) -> ReviewOutcome:
    """Post new suggestions as one review, resolve those whose finding is gone; never duplicates.

    Raises GitHubError (GitHubHTTPError with .status) for the caller to degrade on.
    """
    wanted = {identity.lower() for identity in identities if identity}
    ours = [c for c in list_review_comments(api, repo, number)
            if c.fingerprint is not None and c.user_login is not None and c.user_login.lower() in wanted]
    # A finding left only in the branch history (the fix was applied) no longer has a line to fix.
    current = {finding.fingerprint for finding in findings if not finding.history_only}
    open_prints = {c.fingerprint for c in ours if not c.resolved}
    resolved = 0
    for comment in ours:
        if not comment.resolved and comment.fingerprint not in current:
            try:
                api.request("PATCH", f"/repos/{repo}/pulls/comments/{comment.id}",
                            body={"body": _resolved_body(comment, head_sha)})
            except GitHubHTTPError as exc:
                if exc.status != 404:
                    raise
                continue  # deleted since it was listed: nothing left to resolve
            resolved += 1
    fresh = [f for f in findings if f.fingerprint not in open_prints]
    any_fix = any(f.fix is not None for f in fresh)
    suggestions = build_suggestions(fresh, pull_patches(api, repo, number) if fresh else {}, read_head,
                                    still_secret, to_head=to_head) if any_fix else []
    kept = len(open_prints & current)
    if not suggestions:
        return ReviewOutcome("nothing", resolved=resolved, kept=kept)
    fixes = "one-click fix" if len(suggestions) == 1 else f"{len(suggestions)} one-click fixes"
    fixable = sum(1 for f in fresh if f.fix is not None and not f.history_only)
    more = (f" {fixable - len(suggestions)} more fixable finding(s) are not suggested here (at most "
            f"{MAX_SUGGESTIONS} per review): `mcp-guard fix` applies them all locally."
            if fixable > len(suggestions) and len(suggestions) >= MAX_SUGGESTIONS else "")
    body = (f"{MARKER_PREFIX} review -->\n**mcp-guard** has {fixes} "
            "for this pull request: each replaces a secret with a reference the MCP client resolves. "
            f"The summary is in the mcp-guard comment.{more}")
    try:
        # Not retried after GitHub may have created it (a 5xx, a lost answer): the error reaches
        # post_review, which leaves the review for the next run; that run lists the review comments
        # (their fingerprint markers) and posts only the suggestions still missing.
        api.request("POST", f"/repos/{repo}/pulls/{number}/reviews", creates=True, body={
            "commit_id": head_sha, "event": "COMMENT", "body": body,
            "comments": [s.as_review_comment() for s in suggestions]})
    except GitHubHTTPError as exc:
        if exc.status != 422:
            raise
        # The review is all or nothing: one comment GitHub places off the diff sinks every one.
        # Each suggestion alone then, so those GitHub accepts still land.
        posted, rejected = _post_one_by_one(api, repo, number, head_sha, suggestions)
        if not posted:
            raise
        return ReviewOutcome("posted", posted=posted, resolved=resolved, kept=kept,
                             reason=f"{rejected} suggestion(s) rejected by GitHub (422)" if rejected else "")
    return ReviewOutcome("posted", posted=len(suggestions), resolved=resolved, kept=kept)


# One-by-one fallback stops after this many rejections with nothing accepted (e.g. the head moved).
MAX_REJECTED_IN_A_ROW = 3


def _post_one_by_one(api: GitHubApi, repo: str, number: int, head_sha: str,
                     suggestions: Sequence[Suggestion]) -> tuple[int, int]:
    """(posted, rejected) posting each suggestion as a single review comment."""
    posted = rejected = 0
    for suggestion in suggestions:
        if not posted and rejected >= MAX_REJECTED_IN_A_ROW:
            break
        try:
            api.request("POST", f"/repos/{repo}/pulls/{number}/comments", creates=True,
                        body={"commit_id": head_sha, **suggestion.as_review_comment()})
        except GitHubHTTPError as exc:
            if exc.status != 422:
                raise
            rejected += 1
            continue
        posted += 1
    return posted, rejected


def degrade_reason(exc: GitHubError) -> str:
    """One log line for a review that GitHub refused; the sticky comment still carries everything."""
    if isinstance(exc, GitHubPermissionError):
        return "the token cannot write review comments (read-only token, e.g. a fork PR)"
    if isinstance(exc, GitHubHTTPError) and exc.status == 422:
        return "GitHub rejected the suggestions (422: a line outside the diff?)"
    if may_have_happened(exc):
        return (f"suggestions not posted: {exc}; not retried, as GitHub may have created the review "
                "anyway: the next run posts only the suggestions it does not find")
    return f"suggestions not posted: {exc}"


def post_review(ctx: ActionContext, api: GitHubApi, runner: Runner, result: ScanResult,
                judged: str | None = None) -> ReviewOutcome:
    """The Action's call site: suggestions for a PR run, degrading to the sticky comment alone.

    `judged`: the tree the findings come from when it is not the head commit's (the merge with a base
    that moved on). A review comment's line is one of the head file's (`commit_id` is the head), so
    the findings' lines (the merged file's) are mapped to the head file's (head_lines.head_line_map);
    a fix whose lines the head file does not have as one run is not suggested."""
    number = ctx.event.pr_number
    if not ctx.suggestions or number is None or ctx.event_name not in PR_EVENTS:
        return ReviewOutcome("skipped", reason="not a pull request run or suggestions: false")
    if ctx.event.is_fork:
        runner.log("mcp-guard: fork pull request: no review suggestions (read-only token); "
                   "see the mcp-guard comment")
        return ReviewOutcome("skipped", reason="fork")
    if not result.complete:
        return ReviewOutcome("skipped", reason="incomplete scan")
    head = ctx.event.head_sha
    in_git = gitrefs.has_commit(ctx.workspace, head)  # once, not once per file

    def read_judged(path: str) -> bytes | None:  # the text the findings' lines and fixes belong to
        if not in_git:
            return workspace_reader(ctx.workspace)(path)
        return gitrefs.read_at(ctx.workspace, judged or head, path)

    # A review comment's line is the head file's: the judged merge's lines are mapped there.
    to_head = head_line_map(ctx.workspace, judged, head) if judged is not None and in_git else None

    login = api.authenticated_login()
    try:
        outcome = sync_suggestions(api, ctx.repository, number, head, result.findings, read_judged,
                                   builtin_still_secret(ctx.workspace), [login] if login else [ctx.bot_login],
                                   to_head)
    except GitHubError as exc:
        reason = degrade_reason(exc)
        if isinstance(exc, GitHubPermissionError) and not ctx.read_only_token:
            # A write token refused: the workflow's permissions lack it (suggestions stay optional).
            reason = (f"suggestions not posted: {exc}; grant `pull-requests: write` or set "
                      "`suggestions: false`")
            runner.command("warning", f"mcp-guard: {reason}; the mcp-guard comment lists every finding")
        elif isinstance(exc, GitHubPermissionError):
            runner.log(f"mcp-guard: {reason}; see the mcp-guard comment")
        else:
            runner.command("warning", f"mcp-guard: {reason}; the mcp-guard comment lists every finding")
        return ReviewOutcome("degraded", reason=reason)
    if outcome.reason:  # some suggestions were refused one by one
        runner.command("warning", f"mcp-guard: {outcome.reason}; the mcp-guard comment lists every finding")
    if outcome.posted or outcome.resolved:
        runner.log(f"mcp-guard: review suggestions: {outcome.posted} posted, {outcome.resolved} resolved, "
                   f"{outcome.kept} kept")
    return outcome
