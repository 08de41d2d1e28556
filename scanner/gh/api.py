"""Thin GitHub REST wrapper over PyGithub's Requester (always base_url=GITHUB_API_URL), with bounded retries.

Raw JSON stays in this module: callers get small typed records. Retries are done here rather than by
urllib3 so that the wait policy (5xx, 429, secondary rate limits, Retry-After) is explicit, bounded
in total, and testable with an injected sleep function.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests
from github import Auth, Github, GithubException

from scanner.errors import GitHubError
from scanner.output_guard import check_json

log = logging.getLogger(__name__)

Sleep = Callable[[float], None]
JSON = Any  # raw JSON never leaves this module

# Bounded retry policy: at most this many attempts and this much sleeping in total per request.
MAX_ATTEMPTS = 5
MAX_TOTAL_WAIT = 120.0
MAX_SINGLE_WAIT = 60.0


class GitHubHTTPError(GitHubError):
    """A REST call answered with an error status (after retries)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class GitHubPermissionError(GitHubHTTPError):
    """The token may not do this (401/403/404 on a write): expected for fork pull requests."""


@dataclass(frozen=True, slots=True)
class IssueComment:
    id: int
    body: str
    user_login: str | None
    html_url: str | None


@dataclass(frozen=True, slots=True)
class PullFile:
    filename: str
    status: str
    previous_filename: str | None = None


def _retry_wait(status: int, headers: dict[str, str], message: str, attempt: int,
                now: Callable[[], float]) -> float | None:
    """Seconds to wait before retrying this failed response, or None when it is not retryable."""
    lowered = {k.lower(): v for k, v in headers.items()}
    retry_after = lowered.get("retry-after")
    if retry_after is not None:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            return 1.0
    rate_limited = "rate limit" in message.lower()
    if status in (403, 429) and lowered.get("x-ratelimit-remaining") == "0":
        try:
            return max(1.0, float(lowered.get("x-ratelimit-reset", "0")) - now())
        except ValueError:
            return 60.0
    if status == 403 and rate_limited:
        return 60.0  # secondary rate limit without Retry-After: GitHub asks for at least a minute
    if status == 429 or status >= 500:
        return float(2 ** (attempt - 1))  # 1, 2, 4, 8 s
    return None


class GitHubApi:
    """The REST calls the Action makes. `sleep` is injectable so tests never really wait."""

    def __init__(self, api_url: str, token: str, *, sleep: Sleep = time.sleep,
                 clock: Callable[[], float] = time.time, max_total_wait: float = MAX_TOTAL_WAIT) -> None:
        auth = Auth.Token(token) if token else None
        # retry=None: the loop below retries; seconds_between_*=0: no artificial write throttling.
        self._gh = Github(auth=auth, base_url=api_url.rstrip("/"), retry=None, timeout=30,
                          seconds_between_requests=None, seconds_between_writes=None)
        self._sleep = sleep
        self._clock = clock
        self._max_total_wait = max_total_wait

    def request(self, verb: str, url: str, *, params: dict[str, Any] | None = None,
                body: JSON = None) -> tuple[dict[str, str], JSON]:
        """One REST call with bounded retries; raises GitHubError / GitHubPermissionError."""
        body = check_json(body, f"the body of {verb} {_path(url)}")
        waited = 0.0
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return self._gh.requester.requestJsonAndCheck(verb, url, parameters=params, input=body)
            except GithubException as exc:
                status, headers = exc.status, dict(exc.headers or {})
                message = exc.message or (exc.data.get("message", "") if isinstance(exc.data, dict) else "")
                wait = _retry_wait(status, headers, str(message or ""), attempt, self._clock)
                if wait is None or attempt == MAX_ATTEMPTS or waited + wait > self._max_total_wait:
                    raise _as_error(verb, url, status, str(message or "")) from None
            except requests.RequestException:
                wait = float(2 ** (attempt - 1))
                if attempt == MAX_ATTEMPTS or waited + wait > self._max_total_wait:
                    raise GitHubError(f"{verb} {_path(url)}: network error") from None
            wait = min(wait, MAX_SINGLE_WAIT)
            log.info("GitHub API %s %s: retrying in %.0fs (attempt %d)", verb, _path(url), wait, attempt)
            self._sleep(wait)
            waited += wait
        raise AssertionError("unreachable")  # pragma: no cover

    def _paginate(self, url: str, params: dict[str, Any]) -> Iterator[JSON]:
        """Every item of a list endpoint, following the Link header through all pages."""
        next_url: str | None = url
        next_params: dict[str, Any] | None = {**params, "per_page": 100}
        while next_url:
            headers, data = self.request("GET", next_url, params=next_params)
            yield from data if isinstance(data, list) else []
            next_url, next_params = _next_link(headers), None

    # --- identity -------------------------------------------------------------------------------
    def authenticated_login(self) -> str | None:
        """Login of the token's user, or None when /user is refused (GITHUB_TOKEN, App tokens)."""
        try:
            _, data = self.request("GET", "/user")
        except GitHubHTTPError:
            return None
        login = data.get("login") if isinstance(data, dict) else None
        return login if isinstance(login, str) else None

    # --- issue comments -------------------------------------------------------------------------
    def list_issue_comments(self, repo: str, number: int) -> list[IssueComment]:
        url = f"/repos/{repo}/issues/{number}/comments"
        return [_comment(item) for item in self._paginate(url, {}) if isinstance(item, dict)]

    def create_issue_comment(self, repo: str, number: int, body: str) -> IssueComment:
        _, data = self.request("POST", f"/repos/{repo}/issues/{number}/comments", body={"body": body})
        return _comment(data)

    def update_issue_comment(self, repo: str, comment_id: int, body: str) -> IssueComment:
        _, data = self.request("PATCH", f"/repos/{repo}/issues/comments/{comment_id}", body={"body": body})
        return _comment(data)

    # --- statuses, pull files, contents ---------------------------------------------------------
    def create_status(self, repo: str, sha: str, *, state: str, context: str, description: str,
                      target_url: str | None = None) -> None:
        body: dict[str, str] = {"state": state, "context": context, "description": description}
        if target_url:
            body["target_url"] = target_url
        self.request("POST", f"/repos/{repo}/statuses/{sha}", body=body)

    def list_pull_files(self, repo: str, number: int) -> list[PullFile]:
        files: list[PullFile] = []
        for item in self._paginate(f"/repos/{repo}/pulls/{number}/files", {}):
            if isinstance(item, dict) and isinstance(item.get("filename"), str):
                previous = item.get("previous_filename")
                files.append(PullFile(item["filename"], str(item.get("status", "")),
                                      previous if isinstance(previous, str) else None))
        return files

    def get_file(self, repo: str, path: str, ref: str) -> bytes | None:
        """Raw content of a file at a ref, or None when it does not exist there."""
        import base64

        try:
            _, data = self.request("GET", f"/repos/{repo}/contents/{quote(path)}", params={"ref": ref})
        except GitHubHTTPError as exc:
            if exc.status == 404:
                return None
            raise
        if not isinstance(data, dict) or data.get("type") != "file":
            return None
        return base64.b64decode(str(data.get("content", "")))

    # --- branch protection ----------------------------------------------------------------------
    def get_branch_protection(self, repo: str, branch: str) -> dict[str, Any] | None:
        try:
            _, data = self.request("GET", f"/repos/{repo}/branches/{quote(branch, safe='')}/protection")
        except GitHubHTTPError as exc:
            if exc.status == 404:
                return None
            raise
        return data if isinstance(data, dict) else None

    def put_branch_protection(self, repo: str, branch: str, body: dict[str, Any]) -> None:
        self.request("PUT", f"/repos/{repo}/branches/{quote(branch, safe='')}/protection", body=body)


def _comment(data: JSON) -> IssueComment:
    if not isinstance(data, dict):
        raise GitHubError("unexpected comment response from the GitHub API")
    user = data.get("user") if isinstance(data.get("user"), dict) else {}
    login = user.get("login") if user else None
    return IssueComment(id=int(data.get("id", 0)), body=str(data.get("body") or ""),
                        user_login=login if isinstance(login, str) else None,
                        html_url=data.get("html_url") if isinstance(data.get("html_url"), str) else None)


def _next_link(headers: dict[str, str]) -> str | None:
    link = {k.lower(): v for k, v in headers.items()}.get("link", "")
    for part in link.split(","):
        section = part.split(";")
        if len(section) >= 2 and any(s.strip() == 'rel="next"' for s in section[1:]):
            return section[0].strip().strip("<>")
    return None


def _path(url: str) -> str:
    return url.split("?", 1)[0]


def _as_error(verb: str, url: str, status: int, message: str) -> GitHubHTTPError:
    # GitHub's messages are short fixed strings ("Resource not accessible by integration"); never values.
    text = f"{verb} {_path(url)} failed: HTTP {status}" + (f" ({message[:120]})" if message else "")
    if status in (401, 403, 404) and verb != "GET":
        return GitHubPermissionError(text, status)
    return GitHubHTTPError(text, status)
