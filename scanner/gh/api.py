"""Thin GitHub REST wrapper over PyGithub's Requester (always base_url=GITHUB_API_URL), with bounded retries.

Raw JSON stays in this module: callers get small typed records. Every request carries the headers
GitHub documents (`Accept: application/vnd.github+json`, `X-GitHub-Api-Version`, a User-Agent and
`Authorization: Bearer`). Retries happen in urllib3 under PyGithub (scanner.gh.transport's
BoundedRetry, a GithubRetry): 5xx, 429 and rate-limited 403s, honouring Retry-After and
x-ratelimit-reset, with the total waiting per request bounded and the sleep function injectable so
tests never really wait. Writes (POST/PATCH/PUT/DELETE) are at least a second apart (WritePacer,
GitHub's REST best practices). A POST that creates
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
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from github import GithubException
from requests.utils import parse_header_links

from scanner.errors import GitHubError
from scanner.gh.http_errors import (  # noqa: F401 - the errors callers catch, importable from here
    GitHubHTTPError,
    GitHubPermissionError,
    accepted_permissions,
    as_error,
    error_message,
    may_have_happened,
    one_line,
    url_path,
)
from scanner.gh.transport import (
    MAX_TOTAL_WAIT,
    REDIRECTS,
    WRITE_INTERVAL,
    BoundedRetry,
    Redirected,
    Sleep,
    WritePacer,
    limit_holds,
    make_github,
    real_sleep,
)
from scanner.output_guard import check_json

log = logging.getLogger(__name__)

JSON = Any  # raw JSON never leaves this module

HEADERS = {"Accept": "application/vnd.github+json"}
MAX_REDIRECTS = 3
PER_PAGE = 100  # the maximum GitHub allows
MAX_PAGES = 1000  # 100,000 items: far past any listing mcp-guard makes


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


class GitHubApi:
    """The REST calls the Action makes. `sleep` is injectable so tests never really wait; `pacer`
    spaces the writes (WRITE_INTERVAL apart, with `sleep` unless it has its own)."""

    def __init__(self, api_url: str, token: str, *, sleep: Sleep = real_sleep,
                 clock: Callable[[], float] = time.time, max_total_wait: float = MAX_TOTAL_WAIT,
                 pacer: WritePacer | None = None) -> None:
        self._pacer = pacer if pacer is not None else WritePacer(WRITE_INTERVAL, sleep=sleep)
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
        body = check_json(body, f"the body of {verb} {url_path(url)}")
        target = url
        client = self._gh_create if creates else self._gh
        for _ in range(MAX_REDIRECTS + 1):
            self._pacer.before(verb)
            try:
                status, headers, output = client.requester.requestJson(
                    verb, target, parameters=params, headers=dict(HEADERS), input=body)
            except Redirected as exc:
                status, headers, output = exc.status, {"location": exc.location}, ""
            except GithubException as exc:  # raised by the retry (a 403 that is no rate limit, a limit)
                raise as_error(verb, url, exc.status, error_message(exc.data),
                               rate_limited=limit_holds(exc.headers or {}), headers=exc.headers) from None
            except requests.RequestException:
                raise GitHubError(f"{verb} {url_path(url)}: network error"
                                  + (" (not retried: it may have been carried out)" if creates
                                     else " after retries")) from None
            except RuntimeError as exc:  # PyGithub refuses a redirect to another scheme or host
                raise GitHubError(f"{verb} {url_path(url)}: {one_line(str(exc))}") from None
            finally:  # from the end of this write (its retries included) the next one waits
                self._pacer.after(verb)
            headers = {k.lower(): v for k, v in headers.items()}
            if 200 <= status < 300:
                return headers, _json(output, verb, url)
            location = headers.get("location")
            if status in (301, 302, 303, 307, 308) and location:
                moved = urlsplit(location)
                if moved.hostname not in (None, self._host):
                    raise GitHubError(f"{verb} {url_path(url)}: redirected to another host "
                                      f"({moved.hostname})")
                # Same method and body (GitHub: 301 for reads of a renamed repository, 307 for
                # writes); the Location as it is, query included. PyGithub takes an absolute URL's
                # path and query as they are.
                target = f"{self._origin}{moved.path}" + (f"?{moved.query}" if moved.query else "")
                params = None if moved.query else params
                log.info("GitHub API %s %s: redirected (HTTP %d)", verb, url_path(url), status)
                continue
            raise as_error(verb, url, status, error_message(_parse(output)),
                           rate_limited=limit_holds(headers), headers=headers)
        raise GitHubError(f"{verb} {url_path(url)}: more than {MAX_REDIRECTS} redirects")

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
                raise GitHubError(f"GET {url_path(url)}: the answer is not a list"
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
                    raise GitHubError(f"GET {url_path(url)}: pagination does not end (Link rel=next loops)")
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
        raise GitHubError(f"{verb} {url_path(url)}: the answer is not JSON") from None
