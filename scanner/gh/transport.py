"""How mcp-guard talks HTTP to GitHub: PyGithub's client built for GITHUB_API_URL (github.com or GHES
/api/v3) with GitHub's headers, and its bounded urllib3 retry (BoundedRetry, a GithubRetry).

Retries: 5xx, 429 and rate-limited 403s, honouring Retry-After and x-ratelimit-reset, with the total
waiting per request bounded and the sleep function injectable so tests never really wait. Redirects
are surfaced (Redirected) for scanner.gh.api to follow with their query. Pacing of writes (GitHub:
at least one second between mutative requests) is WritePacer's, shared by every client of one run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from github import Auth, Github, GithubException, GithubRetry
from urllib3.util.retry import Retry

log = logging.getLogger(__name__)

Sleep = Callable[[float], None]

# Bounded retry policy: at most this many attempts and this much sleeping in total per request.
MAX_ATTEMPTS = 5
MAX_TOTAL_WAIT = 120.0
API_VERSION = "2022-11-28"
USER_AGENT = "mcp-guard"


class BearerToken(Auth.Token):
    """`Authorization: Bearer <token>`, the scheme GitHub documents for every token type."""

    @property
    def token_type(self) -> str:
        return "Bearer"


def _retry_wait(status: int, headers: Any, message: str, attempt: int,
                now: Callable[[], float], limited: int = 1) -> float | None:
    """Seconds to wait before retrying this failed response, or None when it is not retryable.
    `limited`: how many rate-limit answers (403/429) this request has had, this one included."""
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
        # limit: GitHub's REST best practices say "wait for at least one minute before retrying. If
        # your request continues to fail due to a secondary rate limit, wait for an exponentially
        # increasing amount of time between retries": 1, 2, 4 minutes (the wait budget ends it).
        return 60.0 * 2 ** (max(1, limited) - 1)
    if status >= 500:
        return float(2 ** (attempt - 1))  # 1, 2, 4, 8 s
    return None


def real_sleep(seconds: float) -> None:
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
                 sleep: Sleep = real_sleep, clock: Callable[[], float] = time.time,
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
        if response is not None and response.status == 403 and limit_holds(response.headers):
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
            limited = sum(1 for entry in retry.history if entry.status in (403, 429))
            wait = _retry_wait(response.status, response.headers, message, attempt, self.clock,
                               limited) or 1.0
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


# GitHub's REST best practices: "If you are making a large number of POST, PATCH, PUT, or DELETE
# requests ..., wait at least one second between each request" (secondary rate limits otherwise).
WRITE_INTERVAL = 1.0
WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})


class WritePacer:
    """At least `interval` seconds from the end of one mutative request to the start of the next.

    PyGithub's own `seconds_between_writes` keeps its timestamps per Requester and waits with the wall
    clock and `time.sleep`; a GitHubApi has two Requesters (creates are retried differently), which
    would not pace each other, and tests could not count the waits. So one pacer per GitHubApi sits in
    front of both (PyGithub's is off: make_github), with its clock and sleep injectable."""

    def __init__(self, interval: float = WRITE_INTERVAL, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Sleep = real_sleep) -> None:
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self._last: float | None = None  # when the last write ended

    def before(self, verb: str) -> float:
        """Wait before a request as long as the last write asks; the seconds waited."""
        if verb.upper() not in WRITES or self._last is None or self.interval <= 0:
            return 0.0
        wait = self._last + self.interval - self.clock()
        if wait <= 0:
            return 0.0
        log.debug("GitHub API: %.2fs before the next write", wait)
        self.sleep(wait)
        return wait

    def after(self, verb: str) -> None:
        """A request ended (answered, refused or failed: GitHub may have counted it)."""
        if verb.upper() in WRITES:
            self._last = self.clock()


def make_github(api_url: str, token: str, retry: GithubRetry, **kwargs: Any) -> Github:
    """A PyGithub client for GITHUB_API_URL (github.com or GHES /api/v3) with mcp-guard's headers."""
    return Github(auth=BearerToken(token) if token else None, base_url=api_url.rstrip("/"), timeout=30,
                  retry=retry, user_agent=USER_AGENT, api_version=API_VERSION,
                  seconds_between_requests=None, seconds_between_writes=None, **kwargs)  # WritePacer paces


def limit_holds(headers: Any) -> bool:
    """Whether an answer says a rate limit holds: the primary one used up (x-ratelimit-remaining: 0),
    or a secondary one's Retry-After (GitHub words those messages in several ways, "You have
    triggered an abuse detection mechanism" among them)."""
    lowered = {str(k).lower(): v for k, v in dict(headers or {}).items()}
    return str(lowered.get("x-ratelimit-remaining", "")).strip() == "0" or "retry-after" in lowered

