"""One-click fixes in review: a PR review comment with a ```suggestion block per fixable finding.

Rules GitHub enforces (a 422 otherwise): a review comment sits on a right-side line of a diff hunk
of the file's `patch`; a multi-line comment has `start_line` in the same hunk, before `line`; a
review with one bad comment is rejected whole. So suggestions are built only for findings on an
ADDED line whose whole fix (every edit) lies inside one hunk, and all of a run's new suggestions go
into ONE review (`POST /pulls/{n}/reviews`, event COMMENT).

Re-runs never duplicate: every body starts with a hidden marker carrying the finding's fingerprint;
existing review comments are listed first (only the bot's own count: anyone can quote a marker).
A suggestion whose finding is gone is edited to say so (one deleted meanwhile is skipped). When
GitHub refuses the whole review (422), each suggestion is posted alone so those it accepts land.
The sticky comment stays the summary: on a fork, or when GitHub answers 403/422, the run logs it
and carries on (never fails because of this). A review (or single comment) POST is not retried after
a 5xx or a lost answer: GitHub may have created it, and the next run, which lists the comments first,
posts only what is missing; never a duplicate.

A suggested line never holds a secret: the fixed lines are re-scanned with the built-in detectors
and a suggestion that would still carry one is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from scanner.diff import workspace_reader
from scanner.errors import GitHubError
from scanner.findings import Finding
from scanner.fix.apply import apply_edits
from scanner.gh.api import GitHubApi, GitHubHTTPError, GitHubPermissionError, may_have_happened
from scanner.gh.comment import MAX_COMMENT_CHARS, utf16_len
from scanner.gh.context import ActionContext
from scanner.gh.payload import PR_EVENTS
from scanner.gh.runner import Runner
from scanner.markdown.escape import md_escape
from scanner.model import Category
from scanner.parsing import decode_text
from scanner.sources import gitrefs

if TYPE_CHECKING:
    from scanner.result import ScanResult

MARKER_PREFIX = "<!-- mcp-guard:suggestion v1"
_MARKER_RE = re.compile(r"^<!-- mcp-guard:suggestion v1 fp=([0-9a-f]{16,64})( resolved)? -->")
_HUNK_RE = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
# One review carries at most this many comments; the rest are in the sticky comment anyway.
MAX_SUGGESTIONS = 50

ReadHead = Callable[[str], bytes | None]
StillSecret = Callable[[str, str, int, int], bool]


def marker(fingerprint: str, resolved: bool = False) -> str:
    return f"{MARKER_PREFIX} fp={fingerprint}{' resolved' if resolved else ''} -->"


@dataclass(frozen=True, slots=True)
class Hunk:
    """Right-side (new file) lines of one `@@` hunk: all of them, and those the change added."""

    right: frozenset[int]
    added: frozenset[int]


def parse_patch(patch: str) -> list[Hunk]:
    """The hunks of a GitHub `patch` (unified diff of one file, without the ---/+++ header)."""
    hunks: list[Hunk] = []
    right: set[int] = set()
    added: set[int] = set()
    line = 0
    in_hunk = False
    for raw in patch.split("\n"):
        match = _HUNK_RE.match(raw)
        if match:
            if in_hunk:
                hunks.append(Hunk(frozenset(right), frozenset(added)))
            right, added, line, in_hunk = set(), set(), int(match.group(1)), True
            continue
        if not in_hunk or raw.startswith("\\"):  # "\ No newline at end of file"
            continue
        if raw.startswith("+"):
            right.add(line)
            added.add(line)
            line += 1
        elif raw.startswith(" ") or raw == "":
            if raw == "" and line == 0:
                continue
            right.add(line)
            line += 1
        # "-" lines exist on the left side only
    if in_hunk:
        hunks.append(Hunk(frozenset(right), frozenset(added)))
    return hunks


@dataclass(frozen=True, slots=True)
class Suggestion:
    path: str
    start_line: int
    line: int
    fingerprint: str
    body: str

    def as_review_comment(self) -> dict[str, Any]:
        comment: dict[str, Any] = {"path": self.path, "line": self.line, "side": "RIGHT", "body": self.body}
        if self.start_line < self.line:
            comment.update(start_line=self.start_line, start_side="RIGHT")
        return comment


def _fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in `text`."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _suggestion_body(finding: Finding, replacement: str) -> str:
    fence = _fence(replacement)
    # Messages and descriptions carry names from the scanned (PR-controlled) config: escaped.
    description = md_escape(finding.fix.description if finding.fix is not None else "fix")
    what = f"{finding.rule_id}: {md_escape(finding.message)}"
    rotate = (" Then rotate the exposed credential: it is in the git history of this branch."
              if finding.category is Category.SECRET else "")
    return (f"{marker(finding.fingerprint)}\n**mcp-guard** {what}\n\n"
            f"One-click fix: {description}.{rotate}\n\n"
            f"{fence}suggestion\n{replacement}{fence}\n")


def _fixed_segment(text: str, finding: Finding) -> tuple[int, int, str] | None:
    """(first line, last line, replacement lines) of `text` after the finding's fix, or None."""
    assert finding.fix is not None
    edits = finding.fix.edits
    if not edits or any(edit.file != finding.file for edit in edits):
        return None
    first = min(edit.start_line for edit in edits)
    last = max(edit.end_line for edit in edits)
    try:
        fixed = apply_edits(text, edits)
    except ValueError:
        return None
    old_lines, new_lines = text.split("\n"), fixed.split("\n")
    if last > len(old_lines):
        return None
    tail = len(old_lines) - last  # lines after the segment are untouched
    segment = new_lines[first - 1: len(new_lines) - tail]
    replacement = "".join(line.removesuffix("\r") + "\n" for line in segment)
    return first, last, replacement


@dataclass(frozen=True, slots=True)
class _Candidate:
    finding: Finding
    first: int
    last: int
    replacement: str

    @property
    def in_place(self) -> bool:
        """One edit inside one line that adds no line: it can be re-checked together with others."""
        edits = self.finding.fix.edits if self.finding.fix is not None else ()
        return len(edits) == 1 and edits[0].start_line == edits[0].end_line == self.first == self.last \
            and "\n" not in edits[0].replacement and "\r" not in edits[0].replacement


def build_suggestions(findings: Sequence[Finding], patches: Mapping[str, str], read_head: ReadHead,
                      still_secret: StillSecret, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """Suggestions for fixable findings on added lines whose fix lies inside one hunk (at most `limit`).

    `still_secret(path, fixed_text, first, last)` re-checks lines first..last of the fixed file:
    True (a secret is still there, e.g. a second one on the same line) drops the suggestion.
    Bounded work whatever the number of findings: each file is read and its patch parsed once, at
    most 2 x `limit` candidates are considered, and the in-place fixes of one file that share no line
    with another finding are re-checked in one fixed text (all of them applied: each one's lines are
    exactly what its own fix gives), so `still_secret` can scan that file once.
    """
    texts: dict[str, str | None] = {}
    hunks: dict[str, list[Hunk]] = {}
    lines_used: dict[tuple[str, int], int] = {}
    for finding in findings:
        lines_used[(finding.file, finding.line)] = lines_used.get((finding.file, finding.line), 0) + 1
    candidates: list[_Candidate] = []
    for finding in findings:
        if len(candidates) >= 2 * limit:
            break
        if finding.fix is None or finding.history_only or finding.file not in patches:
            continue
        if finding.file not in hunks:
            hunks[finding.file] = parse_patch(patches[finding.file])
        hunk = next((h for h in hunks[finding.file] if finding.line in h.added), None)
        if hunk is None:
            continue
        if finding.file not in texts:
            data = read_head(finding.file)
            texts[finding.file] = decode_text(data) if data is not None else None
        text = texts[finding.file]
        if text is None:
            continue
        segment = _fixed_segment(text, finding)
        if segment is None:
            continue
        first, last, replacement = segment
        if any(line not in hunk.right for line in range(first, last + 1)):
            continue  # part of the fix is outside the hunk: GitHub would reject the whole review
        candidates.append(_Candidate(finding, first, last, replacement))
    together: dict[str, str] = {}  # path -> text with every batchable fix of that file applied
    batch: dict[str, list[_Candidate]] = {}
    for cand in candidates:
        if cand.in_place and lines_used[(cand.finding.file, cand.finding.line)] == 1:
            batch.setdefault(cand.finding.file, []).append(cand)
    for path, group in batch.items():
        text = texts[path]
        assert text is not None
        try:
            together[path] = apply_edits(text, [edit for c in group for edit in c.finding.fix.edits])  # type: ignore[union-attr]
        except ValueError:
            continue
    batched = {id(c) for path, group in batch.items() if path in together for c in group}
    fixed_texts: list[str] = []
    for cand in candidates:
        finding = cand.finding
        text = texts[finding.file]
        assert text is not None and finding.fix is not None
        fixed_texts.append(together[finding.file] if id(cand) in batched
                           else apply_edits(text, finding.fix.edits))
    prepare = getattr(still_secret, "prepare", None)
    if prepare is not None:  # let the re-check scan the fixed files of the first `limit` together
        prepare([(c.finding.file, fixed) for c, fixed in zip(candidates[:limit], fixed_texts, strict=False)])
    out: list[Suggestion] = []
    for cand, fixed in zip(candidates, fixed_texts, strict=True):
        if len(out) >= limit:
            break
        finding = cand.finding
        body = _suggestion_body(finding, cand.replacement)
        if utf16_len(body) >= MAX_COMMENT_CHARS:
            continue  # GitHub would reject this comment (422), and with it the whole review
        new_last = cand.first + cand.replacement.count("\n") - 1
        if still_secret(finding.file, fixed, cand.first, new_last):
            continue
        out.append(Suggestion(finding.file, cand.first, cand.last, finding.fingerprint, body))
    return out


# --- GitHub side -----------------------------------------------------------------------------------

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
        match = _MARKER_RE.match(body)
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
                     identities: Iterable[str]) -> ReviewOutcome:
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
    suggestions = build_suggestions(fresh, pull_patches(api, repo, number) if fresh else {}, read_head,
                                    still_secret) if any(f.fix is not None for f in fresh) else []
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



class _BuiltinRecheck:
    """`StillSecret` with the built-in detectors (no gitleaks start per suggestion), plus every secret
    value the run found (registered with the output guard), whichever engine found it. `prepare`
    scans many fixed files in one pass (one text per path and pass), so suggestions in 50 files cost
    one scan, not 50."""

    def __init__(self, root: Path) -> None:
        from scanner.result import ScanOptions

        self._options = ScanOptions(root=root, use_gitleaks=False, fail_on=None)
        self._found: dict[tuple[str, str], tuple[bool, list[int]]] = {}  # -> (complete, secret lines)

    def prepare(self, texts: Sequence[tuple[str, str]]) -> None:
        todo = list(dict.fromkeys(key for key in texts if key not in self._found))
        while todo:
            batch: dict[str, str] = {}
            rest: list[tuple[str, str]] = []
            for path, text in todo:
                if path in batch:
                    rest.append((path, text))
                else:
                    batch[path] = text
            self._scan(batch)
            todo = rest

    def _scan(self, batch: Mapping[str, str]) -> None:
        from scanner.pipeline import scan_files

        result = scan_files({path: text.encode("utf-8") for path, text in batch.items()}, self._options)
        # A fatal error counts against every file unless it names another file of this batch.
        fatal = {e.path for e in result.errors if e.fatal}
        for path, text in batch.items():
            complete = result.complete or (fatal <= set(batch) and path not in fatal)
            lines = [f.line for f in result.findings if f.category is Category.SECRET and f.file == path]
            self._found[(path, text)] = (complete, lines)

    def __call__(self, path: str, fixed_text: str, first: int, last: int) -> bool:
        from scanner.output_guard import find_leaks

        # Any secret of this run (gitleaks' too, which the built-in detectors may not know) left in
        # the suggested lines: such a suggestion must not be posted.
        if find_leaks("\n".join(fixed_text.splitlines()[max(first - 1, 0):last])):
            return True
        if (path, fixed_text) not in self._found:
            if len(self._found) >= 256:  # bounded memory: texts of earlier passes are dropped
                self._found.clear()
            self._scan({path: fixed_text})
        complete, lines = self._found[(path, fixed_text)]
        return not complete or any(first <= line <= last for line in lines)


def builtin_still_secret(root: Path) -> StillSecret:
    """The Action's re-check of suggested lines (see _BuiltinRecheck)."""
    return _BuiltinRecheck(root)


def post_review(ctx: ActionContext, api: GitHubApi, runner: Runner, result: ScanResult,
                judged: str | None = None) -> ReviewOutcome:
    """The Action's call site: suggestions for a PR run, degrading to the sticky comment alone.

    `judged`: the tree the findings come from when it is not the head commit's (the merge with a base
    that moved on). A review comment's line is one of the head file's (`commit_id` is the head), so a
    file the merge changed has no suggestion: its findings' lines and fixes are the merged file's."""
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

    def read_head(path: str) -> bytes | None:
        if not in_git:
            return workspace_reader(ctx.workspace)(path)
        data = gitrefs.read_at(ctx.workspace, head, path)
        if judged is not None and data is not None and gitrefs.read_at(ctx.workspace, judged, path) != data:
            return None  # the merge changed this file: the findings' lines are not the head file's
        return data

    login = api.authenticated_login()
    try:
        outcome = sync_suggestions(api, ctx.repository, number, head, result.findings, read_head,
                                   builtin_still_secret(ctx.workspace), [login] if login else [ctx.bot_login])
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
