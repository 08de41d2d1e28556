"""The errors of a GitHub REST call, worded from GitHub's own fixed messages (never a value we sent)."""

from __future__ import annotations

import re
from typing import Any

from scanner.errors import GitHubError

JSON = Any


class GitHubHTTPError(GitHubError):
    """A REST call answered with an error status (after retries). `detail`: GitHub's own message
    ("Resource not accessible by integration"), one line, for callers that word their own error."""

    def __init__(self, message: str, status: int, detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail


class GitHubPermissionError(GitHubHTTPError):
    """The token may not do this (401/403/404 on a write): expected for fork pull requests."""


def may_have_happened(exc: GitHubError) -> bool:
    """Whether a failed create may still have been carried out by GitHub: a 5xx (GitHub, or a proxy in
    front of it, failed after the work) or no answer at all. A 4xx is a refusal: nothing was created."""
    status = getattr(exc, "status", None)
    return not isinstance(status, int) or status == 0 or status >= 500


def url_path(url: str) -> str:
    return url.split("?", 1)[0]


def error_message(data: JSON) -> str:
    """GitHub's message, with the first of its `errors` for a 422 ("Validation Failed: description is
    too long (maximum is 140 characters)"): fixed sentences of GitHub's, never a value we sent."""
    message = data.get("message") if isinstance(data, dict) else None
    text = message if isinstance(message, str) else ""
    errors = data.get("errors") if isinstance(data, dict) else None
    first = errors[0] if isinstance(errors, list) and errors else None
    detail = first.get("message") if isinstance(first, dict) else first
    if isinstance(detail, str) and detail and detail not in text:
        text = f"{text}: {detail}" if text else detail
    return text


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_PERMISSION_SET = re.compile(r"^[a-z_]+=[a-z]+(?:, ?[a-z_]+=[a-z]+)*$")  # one set: "a=read,b=write"


def accepted_permissions(headers: Any) -> str:
    """What `x-accepted-github-permissions` says would do ("statuses=write"; alternatives joined by
    " or "), or "" when the answer has no such header (GitHub sends it to App and fine-grained tokens)."""
    lowered = {str(k).lower(): str(v) for k, v in dict(headers or {}).items()}
    sets = [part.strip() for part in lowered.get("x-accepted-github-permissions", "").split(";")]
    return " or ".join(part for part in sets if _PERMISSION_SET.match(part))[:80]


def as_error(verb: str, url: str, status: int, message: str, *,
              rate_limited: bool = False, headers: Any = None) -> GitHubHTTPError:
    # GitHub's messages are short fixed strings ("Resource not accessible by integration"); never values.
    message = one_line(message)
    needs = accepted_permissions(headers) if status == 403 else ""
    detail = "; ".join(part for part in (message[:160], f"the token needs {needs}" if needs else "") if part)
    text = f"{verb} {url_path(url)} failed: HTTP {status}" + (f" ({detail})" if detail else "")
    if rate_limited or "rate limit" in message.lower() or message.startswith("gave up:"):
        return GitHubHTTPError(text, status, message[:160])  # rate limited: a retry later works
    # 401 (bad credentials) is no read-only token: only a refusal of a valid token's write is.
    if status in (403, 404) and verb != "GET":
        return GitHubPermissionError(text, status, message[:160])
    return GitHubHTTPError(text, status, message[:160])
