"""Sticky PR comment: hidden marker + author check, edited in place, fitted under GitHub's size limit."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from scanner.errors import GitHubError
from scanner.gh.api import GitHubHTTPError, IssueComment, may_have_happened

MARKER = "<!-- mcp-guard:sticky v1 -->"
# GitHub rejects bodies over 65,536 characters (422). Length is measured in UTF-16 code units below,
# which is never less than the code-point count, so the body fits whichever unit GitHub counts.
MAX_COMMENT_CHARS = 65536
_FENCE = "```"
# A create that failed as GitHub may still have carried it out (a 5xx, a lost answer) is looked for in
# the thread after these waits (a listing may lag the create) before it is posted again, at most
# CREATE_ATTEMPTS times in all: never a second sticky comment because a proxy answered 502.
REREAD_WAITS = (1.0, 2.0, 4.0)
CREATE_ATTEMPTS = 3
Pause = Callable[[float], None]


class CommentApi(Protocol):
    def list_issue_comments(self, repo: str, number: int) -> list[IssueComment]: ...

    def create_issue_comment(self, repo: str, number: int, body: str) -> IssueComment: ...

    def update_issue_comment(self, repo: str, comment_id: int, body: str) -> IssueComment: ...


@dataclass(frozen=True, slots=True)
class CommentOutcome:
    action: Literal["created", "updated", "unchanged"]
    comment_id: int
    url: str | None
    author: str | None = None  # of a created comment: who GitHub says wrote it


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def truncation_note(summary_url: str | None) -> str:
    where = f"the [job summary]({summary_url})" if summary_url else "the job summary of this workflow run"
    return (f"\n\n---\n**This comment was truncated** to stay under GitHub's comment size limit. "
            f"The full report is in {where} and in the SARIF file.\n")


def fit_comment(body: str, summary_url: str | None = None, limit: int = MAX_COMMENT_CHARS) -> str:
    """`body` unchanged when it fits; else cut at a paragraph (or line) break plus a visible note.

    Cutting works on Python code points, so a surrogate pair is never split; an unclosed code fence
    is closed so the note renders as text.
    """
    if utf16_len(body) < limit:
        return body
    note = truncation_note(summary_url)
    budget = limit - 1 - utf16_len(note) - len(_FENCE) - 1
    # Code points to keep: shrink until the UTF-16 size fits (astral characters count twice).
    keep = min(len(body), budget)
    while keep > 0 and utf16_len(body[:keep]) > budget:
        keep -= max(1, (utf16_len(body[:keep]) - budget) // 2)
    head = body[:keep]
    cut = head.rfind("\n\n")
    if cut < len(head) // 2:  # no paragraph break in the second half: settle for a line break
        cut = head.rfind("\n")
    if cut > 0:
        head = head[:cut]
    if head.count(_FENCE) % 2 == 1:
        head += "\n" + _FENCE
    result = head.rstrip() + note
    assert utf16_len(result) < limit
    return result


def with_marker(body: str) -> str:
    """The marker must be the first line: it is how the next run finds this comment."""
    return body if body.startswith(MARKER) else f"{MARKER}\n{body}"


def find_sticky(comments: Iterable[IssueComment], identities: Sequence[str]) -> IssueComment | None:
    """The oldest comment that carries the marker AND was written by the bot identity.

    The author check matters: anyone can post a comment quoting the marker, and editing theirs
    would let them inject content into the bot's report (sticky-pull-request-comment #332).
    """
    wanted = {identity.lower() for identity in identities if identity}
    for comment in sorted(comments, key=lambda c: c.id):
        if comment.user_login is not None and comment.user_login.lower() in wanted \
                and comment.body.startswith(MARKER):
            return comment
    return None


def _create(api: CommentApi, repo: str, number: int, body: str, identities: Sequence[str],
            pause: Pause) -> CommentOutcome:
    """Create the sticky comment, never twice: after a failure that may hide a create, the thread is
    read again (REREAD_WAITS) and the comment found there is the one created (edited to `body` if a
    concurrent run's differs); only when it is not there is it posted again (CREATE_ATTEMPTS)."""
    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            created = api.create_issue_comment(repo, number, body)
        except GitHubError as exc:
            if not may_have_happened(exc):
                raise  # refused (4xx): nothing was created
            for wait in REREAD_WAITS:
                pause(wait)
                found = find_sticky(api.list_issue_comments(repo, number), identities)
                if found is not None:
                    if found.body == body:
                        return CommentOutcome("created", found.id, found.html_url)
                    updated = api.update_issue_comment(repo, found.id, body)
                    return CommentOutcome("updated", updated.id, updated.html_url or found.html_url)
            if attempt == CREATE_ATTEMPTS:
                raise
            continue
        return CommentOutcome("created", created.id, created.html_url, created.user_login)
    raise AssertionError("unreachable")  # the last attempt returns or raises


def upsert_sticky(api: CommentApi, repo: str, number: int, body: str,
                  identities: Sequence[str], *, create: bool = True,
                  pause: Pause = time.sleep) -> CommentOutcome | None:
    """Edit the bot's sticky comment (only when the body changed) or create the first one.

    Never deletes and recreates: the comment keeps its place and its URL in the conversation.
    With `create=False` (nothing to report) only an existing comment is updated, e.g. to "resolved".
    `pause` waits between reads of the thread after a create that failed (`_create`).
    """
    body = with_marker(body)
    existing = find_sticky(api.list_issue_comments(repo, number), identities)
    if existing is None:
        if not create:
            return None
        return _create(api, repo, number, body, identities, pause)
    if existing.body == body:
        return CommentOutcome("unchanged", existing.id, existing.html_url)
    try:
        updated = api.update_issue_comment(repo, existing.id, body)
    except GitHubHTTPError as exc:
        if exc.status != 404:
            raise
        # Deleted between the listing and the edit (someone removed it): the report goes in a new one.
        if not create:
            return None
        return _create(api, repo, number, body, identities, pause)
    return CommentOutcome("updated", updated.id, updated.html_url or existing.html_url)
