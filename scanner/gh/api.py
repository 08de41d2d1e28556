"""Thin GitHub REST wrapper over PyGithub's Requester (always base_url=GITHUB_API_URL), with bounded retries.

Raw JSON stays in this module: callers get small typed records. Every request carries the headers
GitHub documents (`Accept: application/vnd.github+json`, `X-GitHub-Api-Version`, a User-Agent and
`Authorization: Bearer`). Retries happen in urllib3 under PyGithub (BoundedRetry, a GithubRetry):
5xx, 429 and rate-limited 403s, honouring Retry-After and x-ratelimit-reset, with the total waiting
per request bounded and the sleep function injectable so tests never really wait. A POST that creates
something (an issue comment, a review) is not retried after GitHub may have carried it out (a 5xx, a
lost answer): its caller looks before creating again (comment.py) or leaves it for the next run
(review.py). Only a 2xx is a
success: redirects (301 for reads of a renamed repository, 307 for writes) are surfaced by
BoundedRetry before PyGithub sees them and followed here on the same host with their Location's
query (PyGithub would drop it, e.g. the contents API's `ref`); any other status is an error.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from github import Auth, Github, GithubException, GithubRetry
from requests.utils import parse_header_links
from urllib3.util.retry import Retry

from scanner.errors import GitHubError
from scanner.output_guard import check_json

log = logging.getLogger(__name__)

Sleep = Callable[[float], None]
JSON = Any  # raw JSON never leaves this module

# Bounded retry policy: at most this many attempts and this much sleeping in total per request.
MAX_ATTEMPTS = 5
MAX_TOTAL_WAIT = 120.0
API_VERSION = "2022-11-28"
USER_AGENT = "mcp-guard"
HEADERS = {"Accept": "application/vnd.github+json"}
MAX_REDIRECTS = 3
PER_PAGE = 100  # the maximum GitHub allows
MAX_PAGES = 1000  # 100,000 items: far past any listing mcp-guard makes


class GitHubHTTPError(GitHubError):
    """A REST call answered with an error status (after retries). `detail`: GitHub's own message
    ("Resource not accessible by integration"), one line, for callers that word their own error."""

    def __init__(self, message: str, status: int, detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail


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


class BearerToken(Auth.Token):
    """`Authorization: Bearer <token>`, the scheme GitHub documents for every token type."""

    @property
    def token_type(self) -> str:
        return "Bearer"


def _retry_wait(status: int, headers: Any, message: str, attempt: int,
                now: Callable[[], float]) -> float | None:
    """Seconds to wait before retrying this failed response, or None when it is not retryable."""
    lowered = {k.lower(): v for k, v in dict(headers).items()}
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
    if status == 429 or (status == 403 and rate_limited):
        # A rate limit (secondary: 429, or a 403 saying so) without Retry-After or an exhausted primary
        # limit: GitHub's rate-limit docs say "wait for at least one minute before retrying".
        return 60.0
    if status >= 500:
        return float(2 ** (attempt - 1))  # 1, 2, 4, 8 s
    return None


def _sleep(seconds: float) -> None:
    time.sleep(seconds)  # looked up at call time (tests patch time.sleep)


REDIRECTS = (301, 302, 303, 307, 308)


class Redirected(GithubException):
    """A redirect, surfaced by BoundedRetry(surface_redirects=True) before PyGithub sees it (PyGithub
    follows a 301 with the Location's path only: the query, e.g. the contents API's `ref`, is lost)."""

    def __init__(self, status: int, location: str) -> None:
        super().__init__(status, {"message": f"redirected (HTTP {status})"}, {"location": location})
        self.location = location


class BoundedRetry(GithubRetry):
    """PyGithub's GithubRetry (403s retried only when GitHub says rate limit) plus 429, with the
    waits of `_retry_wait` and a budget: a wait that would take the request past `max_total_wait`
    seconds of sleeping is not waited for, the request fails at once (a Retry-After of an hour never
    blocks a run for an hour). `sleep`/`clock` are injectable for tests."""

    def __init__(self, secondary_rate_wait: float = 60.0, max_rate_limit_wait: float | None = None, *,
                 sleep: Sleep = _sleep, clock: Callable[[], float] = time.time,
                 max_total_wait: float = MAX_TOTAL_WAIT, waited: float = 0.0,
                 surface_redirects: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("total", MAX_ATTEMPTS - 1)
        # GithubRetry adds 403; redirects are "retryable" only so that `increment` sees and raises them.
        kwargs.setdefault("status_forcelist",
                          [*range(500, 600), 429, *(REDIRECTS if surface_redirects else ())])
        kwargs.setdefault("raise_on_status", False)  # the last answer reaches PyGithub: HTTP status kept
        kwargs.setdefault("backoff_factor", 1.0)
        # GithubRetry's default adds GET and POST to urllib3's idempotent methods but not PATCH: the
        # sticky comment and suggestion edits are PATCHes.
        kwargs.setdefault("allowed_methods", frozenset({"HEAD", "GET", "POST", "PUT", "PATCH", "DELETE"}))
        limit = max_total_wait if max_rate_limit_wait is None else max_rate_limit_wait
        super().__init__(secondary_rate_wait=secondary_rate_wait, max_rate_limit_wait=limit, **kwargs)
        self.sleep_fn, self.clock, self.max_total_wait, self.waited = sleep, clock, max_total_wait, waited
        self.surface_redirects = surface_redirects

    def new(self, **kw: Any) -> BoundedRetry:
        kw.update(sleep=self.sleep_fn, clock=self.clock, max_total_wait=self.max_total_wait,
                  waited=self.waited, surface_redirects=self.surface_redirects)
        return super().new(**kw)

    def increment(self, method: str | None = None, url: str | None = None, response: Any = None,
                  error: Exception | None = None, _pool: Any = None, _stacktrace: Any = None) -> BoundedRetry:
        """The next Retry, after waiting for it here (so the wait is the same whoever drives urllib3's
        retry loop; `sleep` is then a no-op)."""
        if self.surface_redirects and response is not None and response.status in REDIRECTS:
            raise Redirected(response.status, str(response.headers.get("Location") or ""))
        if response is not None and response.status == 403 and _exhausted(response.headers):
            # The primary limit is known by its header (GitHub documents 403/429 with
            # x-ratelimit-remaining: 0); GithubRetry goes by the message's wording only.
            following: Retry = Retry.increment(self, method, url, response, error, _pool, _stacktrace)
        else:
            following = super().increment(method, url, response, error, _pool, _stacktrace)
        retry = following
        assert isinstance(retry, BoundedRetry)
        attempt = max(1, len(retry.history))
        if response is None:  # a connection or read error
            wait = float(2 ** (attempt - 1))
        else:
            # Only a rate-limited 403 gets here (GithubRetry's wording check, or the header above).
            message = "rate limit" if response.status == 403 else ""
            wait = _retry_wait(response.status, response.headers, message, attempt, self.clock) or 1.0
        if retry.waited + wait > self.max_total_wait:
            status = response.status if response is not None else 0
            raise GithubException(status, {"message": f"gave up: GitHub asked to wait {wait:.0f}s (limit "
                                            f"{self.max_total_wait:.0f}s per request)"},
                                  dict(response.headers) if response is not None else {})
        log.info("GitHub API: retrying in %.0fs (attempt %d)", wait, attempt)
        self.sleep_fn(wait)
        retry.waited += wait
        return retry

    def sleep(self, response: Any = None) -> None:
        """Already waited in `increment`."""


def make_github(api_url: str, token: str, retry: GithubRetry, **kwargs: Any) -> Github:
    """A PyGithub client for GITHUB_API_URL (github.com or GHES /api/v3) with mcp-guard's headers."""
    return Github(auth=BearerToken(token) if token else None, base_url=api_url.rstrip("/"), timeout=30,
                  retry=retry, user_agent=USER_AGENT, api_version=API_VERSION,
                  seconds_between_requests=None, seconds_between_writes=None, **kwargs)


class GitHubApi:
    """The REST calls the Action makes. `sleep` is injectable so tests never really wait."""

    def __init__(self, api_url: str, token: str, *, sleep: Sleep = _sleep,
                 clock: Callable[[], float] = time.time, max_total_wait: float = MAX_TOTAL_WAIT) -> None:
        # seconds_between_*=None: no artificial write throttling.
        self._gh = make_github(api_url, token, BoundedRetry(sleep=sleep, clock=clock,
                                                            max_total_wait=max_total_wait,
                                                            surface_redirects=True))
        # Creating POSTs (an issue comment, a review) are not retried once GitHub may have carried them
        # out: a 5xx, or an answer lost after the request was sent, can follow the create, and posting
        # again makes a duplicate. Refusals made before anything was done (429, rate-limited 403s) and
        # connection errors (nothing sent) are still retried; callers decide what a failure means.
        self._gh_create = make_github(api_url, token, BoundedRetry(
            sleep=sleep, clock=clock, max_total_wait=max_total_wait, surface_redirects=True,
            status_forcelist=[429, *REDIRECTS], read=0, other=0))
        self._sleep = sleep
        parts = urlsplit(api_url)
        self._host, self._origin = parts.hostname, f"{parts.scheme}://{parts.netloc}"
        self._login: str | None = None
        self._asked = False  # authenticated_login asked already

    def pause(self, seconds: float) -> None:
        """Wait (the injected sleep: tests never really wait), e.g. before reading a thread again."""
        self._sleep(seconds)

    def request(self, verb: str, url: str, *, params: dict[str, Any] | None = None,
                body: JSON = None, creates: bool = False) -> tuple[dict[str, str], JSON]:
        """One REST call (retried by BoundedRetry); raises GitHubError / GitHubPermissionError.
        `creates`: a POST that creates something, not retried after GitHub may have done it (see
        `may_have_happened`)."""
        body = check_json(body, f"the body of {verb} {_path(url)}")
        target = url
        client = self._gh_create if creates else self._gh
        for _ in range(MAX_REDIRECTS + 1):
            try:
                status, headers, output = client.requester.requestJson(
                    verb, target, parameters=params, headers=dict(HEADERS), input=body)
            except Redirected as exc:
                status, headers, output = exc.status, {"location": exc.location}, ""
            except GithubException as exc:  # raised by the retry (a 403 that is no rate limit, a limit)
                raise _as_error(verb, url, exc.status, _message(exc.data),
                                rate_limited=_exhausted(exc.headers or {}), headers=exc.headers) from None
            except requests.RequestException:
                raise GitHubError(f"{verb} {_path(url)}: network error"
                                  + (" (not retried: it may have been carried out)" if creates
                                     else " after retries")) from None
            except RuntimeError as exc:  # PyGithub refuses a redirect to another scheme or host
                raise GitHubError(f"{verb} {_path(url)}: {_one_line(str(exc))}") from None
            headers = {k.lower(): v for k, v in headers.items()}
            if 200 <= status < 300:
                return headers, _json(output, verb, url)
            location = headers.get("location")
            if status in (301, 302, 303, 307, 308) and location:
                moved = urlsplit(location)
                if moved.hostname not in (None, self._host):
                    raise GitHubError(f"{verb} {_path(url)}: redirected to another host ({moved.hostname})")
                # Same method and body (GitHub: 301 for reads of a renamed repository, 307 for
                # writes); the Location as it is, query included. PyGithub takes an absolute URL's
                # path and query as they are.
                target = f"{self._origin}{moved.path}" + (f"?{moved.query}" if moved.query else "")
                params = None if moved.query else params
                log.info("GitHub API %s %s: redirected (HTTP %d)", verb, _path(url), status)
                continue
            raise _as_error(verb, url, status, _message(_parse(output)), rate_limited=_exhausted(headers),
                            headers=headers)
        raise GitHubError(f"{verb} {_path(url)}: more than {MAX_REDIRECTS} redirects")

    def paginate(self, url: str, params: dict[str, Any] | None = None, *,
                 item: str | None = None) -> Iterator[JSON]:
        """Every item of a list endpoint, following the Link header (rel="next") through all pages;
        `item`: the key of the list in each page's object (`repositories` of /installation/repositories).

        A page that is not a list, an answer that is no 2xx (a 304 too), or a next link seen before
        (a server looping), is an error: a partial listing must never pass for a complete one (a
        missed sticky comment is duplicated, a missed file is not scanned, a missed repository is
        not inventoried)."""
        for data in self._pages(url, params):
            items = data.get(item) if item is not None and isinstance(data, dict) else data
            if not isinstance(items, list):
                raise GitHubError(f"GET {_path(url)}: the answer is not a list"
                                  + (f" of {item}" if item is not None else ""))
            yield from items

    def _pages(self, url: str, params: dict[str, Any] | None = None) -> Iterator[JSON]:
        """Each page's answer of `url`, `per_page` at most, following the Link header (rel="next"),
        read only as far as the caller iterates; a next link seen before (a server looping), or
        more than MAX_PAGES, is an error."""
        next_url: str | None = url
        next_params: dict[str, Any] | None = {**(params or {}), "per_page": PER_PAGE}
        seen: set[str] = set()
        while next_url:
            headers, data = self.request("GET", next_url, params=next_params)
            yield data
            next_url, next_params = _next_link(headers), None
            if next_url is not None:
                if next_url in seen or len(seen) >= MAX_PAGES:
                    raise GitHubError(f"GET {_path(url)}: pagination does not end (Link rel=next loops)")
                seen.add(next_url)

    # --- identity -------------------------------------------------------------------------------
    def authenticated_login(self) -> str | None:
        """Login of the token's user, or None when /user is refused (GITHUB_TOKEN, App tokens).
        Asked once per client: the comment and the review suggestions both need it."""
        if self._asked:
            return self._login
        self._asked = True
        try:
            _, data = self.request("GET", "/user")
        except GitHubHTTPError:
            return None
        login = data.get("login") if isinstance(data, dict) else None
        self._login = login if isinstance(login, str) else None
        return self._login

    # --- issue comments -------------------------------------------------------------------------
    def list_issue_comments(self, repo: str, number: int) -> list[IssueComment]:
        url = f"/repos/{repo}/issues/{number}/comments"
        return [_comment(item) for item in self.paginate(url, {}) if isinstance(item, dict)]

    def create_issue_comment(self, repo: str, number: int, body: str) -> IssueComment:
        _, data = self.request("POST", f"/repos/{repo}/issues/{number}/comments", body={"body": body},
                               creates=True)
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

    def latest_status(self, repo: str, sha: str, context: str) -> tuple[str, str] | None:
        """(state, description) of the newest status of `context` on `sha`, or None when it has none
        (GET .../commits/{ref}/status: the latest status per context, 100 contexts per page; more
        are on the pages its Link header names, so every page is read before saying "none"). GitHub
        compares contexts case-insensitively (`MCP-Guard` is the same status as `mcp-guard`), so does this."""
        wanted = context.casefold()
        for data in self._pages(f"/repos/{repo}/commits/{sha}/status"):
            statuses = data.get("statuses") if isinstance(data, dict) else None
            if not isinstance(statuses, list):
                raise GitHubError(f"the combined status of {sha[:12]} is not a list of statuses")
            for item in statuses:
                if isinstance(item, dict) and str(item.get("context") or "").casefold() == wanted:
                    return str(item.get("state") or ""), str(item.get("description") or "")
        return None

    def list_pull_files(self, repo: str, number: int) -> list[PullFile]:
        files: list[PullFile] = []
        for item in self.paginate(f"/repos/{repo}/pulls/{number}/files", {}):
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
        if data.get("encoding") != "base64":  # over 1 MB GitHub sends encoding "none" and no content
            raise GitHubError(f"{path} at {ref[:12]} is too large for the contents API "
                              f"(encoding {str(data.get('encoding'))[:20]!r})")
        try:
            return base64.b64decode(str(data.get("content", "")), validate=False)
        except (ValueError, TypeError):
            raise GitHubError(f"{path} at {ref[:12]}: the contents API sent invalid base64") from None

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


def may_have_happened(exc: GitHubError) -> bool:
    """Whether a failed create may still have been carried out by GitHub: a 5xx (GitHub, or a proxy in
    front of it, failed after the work) or no answer at all. A 4xx is a refusal: nothing was created."""
    status = getattr(exc, "status", None)
    return not isinstance(status, int) or status == 0 or status >= 500


def _comment(data: JSON) -> IssueComment:
    if not isinstance(data, dict):
        raise GitHubError("unexpected comment response from the GitHub API")
    user = data.get("user") if isinstance(data.get("user"), dict) else {}
    login = user.get("login") if user else None
    return IssueComment(id=int(data.get("id", 0)), body=str(data.get("body") or ""),
                        user_login=login if isinstance(login, str) else None,
                        html_url=data.get("html_url") if isinstance(data.get("html_url"), str) else None)


def _next_link(headers: dict[str, str]) -> str | None:
    """The rel="next" target of a Link header (RFC 8288: a URL may hold commas, rel may list several)."""
    link = {k.lower(): v for k, v in headers.items()}.get("link", "")
    for entry in parse_header_links(link) if link else []:
        if "next" in str(entry.get("rel", "")).split() and entry.get("url"):
            return str(entry["url"])
    return None


def _path(url: str) -> str:
    return url.split("?", 1)[0]


def _parse(output: str) -> JSON:
    try:
        return json.loads(output) if output and output.strip() else None
    except ValueError:
        return None


def _json(output: str, verb: str, url: str) -> JSON:
    if not output or not output.strip():
        return None  # 204 No Content
    try:
        return json.loads(output)
    except ValueError:
        raise GitHubError(f"{verb} {_path(url)}: the answer is not JSON") from None


def _message(data: JSON) -> str:
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


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _exhausted(headers: Any) -> bool:
    """Whether an answer says a rate limit holds: the primary one used up (x-ratelimit-remaining: 0),
    or a secondary one's Retry-After (GitHub words those messages in several ways, "You have
    triggered an abuse detection mechanism" among them)."""
    lowered = {str(k).lower(): v for k, v in dict(headers or {}).items()}
    return str(lowered.get("x-ratelimit-remaining", "")).strip() == "0" or "retry-after" in lowered


_PERMISSION_SET = re.compile(r"^[a-z_]+=[a-z]+(?:, ?[a-z_]+=[a-z]+)*$")  # one set: "a=read,b=write"


def accepted_permissions(headers: Any) -> str:
    """What `x-accepted-github-permissions` says would do ("statuses=write"; alternatives joined by
    " or "), or "" when the answer has no such header (GitHub sends it to App and fine-grained tokens)."""
    lowered = {str(k).lower(): str(v) for k, v in dict(headers or {}).items()}
    sets = [part.strip() for part in lowered.get("x-accepted-github-permissions", "").split(";")]
    return " or ".join(part for part in sets if _PERMISSION_SET.match(part))[:80]


def _as_error(verb: str, url: str, status: int, message: str, *,
              rate_limited: bool = False, headers: Any = None) -> GitHubHTTPError:
    # GitHub's messages are short fixed strings ("Resource not accessible by integration"); never values.
    message = _one_line(message)
    needs = accepted_permissions(headers) if status == 403 else ""
    detail = "; ".join(part for part in (message[:160], f"the token needs {needs}" if needs else "") if part)
    text = f"{verb} {_path(url)} failed: HTTP {status}" + (f" ({detail})" if detail else "")
    if rate_limited or "rate limit" in message.lower() or message.startswith("gave up:"):
        return GitHubHTTPError(text, status, message[:160])  # rate limited: a retry later works
    # 401 (bad credentials) is no read-only token: only a refusal of a valid token's write is.
    if status in (403, 404) and verb != "GET":
        return GitHubPermissionError(text, status, message[:160])
    return GitHubHTTPError(text, status, message[:160])
