"""`mcp-guard org plan`: the organisation's repositories as GitHub Actions matrix chunks.

Listing goes through the Action's REST client (scanner/gh/api.py over scanner/gh/transport.py: PyGithub's
requester against GITHUB_API_URL, the documented headers, BoundedRetry (a GithubRetry) on the urllib3 adapter:
403/429 rate limits (primary: wait for X-RateLimit-Reset; secondary: Retry-After, else 1, 2, then 4 minutes
while it holds) and 5xx retried with backoff, within a total wait budget) and its Link-header pagination, 100
per page, which refuses any page that is no listing (a 304, an object instead of a list): PyGithub's
PaginatedList took such a page for the last one, and the plan silently left the rest of the organisation out.
"""

from __future__ import annotations

import fnmatch
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from scanner.errors import GitHubError
from scanner.gh.api import GitHubApi, GitHubHTTPError

log = logging.getLogger(__name__)
MATRIX_LIMIT = 256  # GitHub: at most 256 jobs per matrix
DEFAULT_CHUNK = 200
SOURCES = ("org", "installation")
MAX_WAIT = 900.0  # at most 15 min of waiting per request (a Retry-After further away fails at once)


@dataclass(frozen=True, slots=True)
class PlannedRepo:
    repo: str  # owner/name
    ref: str  # default branch


@dataclass
class Plan:
    repos: list[PlannedRepo] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def client(api_url: str, token: str) -> GitHubApi:
    return GitHubApi(api_url, token, max_total_wait=MAX_WAIT)


_LISTINGS = {  # source -> (path, query, key of the list in each page or None)
    "installation": ("/installation/repositories", {}, "repositories"),
    "user": ("/user/repos", {"type": "owner"}, None),  # the token's own user, private ones included
    "org": ("/orgs/{org}/repos", {"type": "all"}, None),
}


def _listing(api: GitHubApi, org: str, source: str) -> Iterator[Any]:
    path, params, item = _LISTINGS[source]
    return api.paginate(path.replace("{org}", quote(org, safe="")), dict(params), item=item)


def _raw(repo: Any) -> dict[str, Any]:
    return repo if isinstance(repo, dict) else {}


def matches(full_name: str, globs: Sequence[str]) -> bool:
    """A --repos glob matches the name or owner/name, case-insensitively (GitHub names are)."""
    if not globs:
        return True
    name = full_name.split("/", 1)[-1].lower()
    lowered = full_name.lower()
    return any(fnmatch.fnmatchcase(name, g.lower()) or fnmatch.fnmatchcase(lowered, g.lower()) for g in globs)


Probe = Callable[[str, str], bool]  # (owner/name, ref) -> whether the repository has no commits


def select(items: Iterable[dict[str, Any]], org: str, *, include_archived: bool, include_forks: bool,
           globs: Sequence[str], is_empty: Probe | None = None) -> Plan:
    """Filter raw repository records into a plan, counting what was skipped and why.

    Only `full_name`, `fork` and `private` are required in a listed record (minimal-repository):
    `archived`, `disabled` and `default_branch` may be absent. A record without `default_branch` is
    planned with an empty ref (the checkout then takes the repository's default branch), never
    skipped: a listing that leaves the field out must not empty the plan. A repository of size 0 is
    asked for its default branch's commit (`is_empty`): GitHub answers 409 for an empty repository,
    which is skipped as such; any other answer keeps it planned (its job then reports what failed).
    """
    plan = Plan()
    seen: set[str] = set()
    for item in items:
        full_name = item.get("full_name")
        if not isinstance(full_name, str) or "/" not in full_name:
            plan.skip("malformed record")
            continue
        if full_name.split("/", 1)[0].lower() != org.lower():
            plan.skip("other owner")
            continue
        if full_name.lower() in seen:
            continue
        seen.add(full_name.lower())
        if item.get("archived") and not include_archived:
            plan.skip("archived")
        elif item.get("fork") and not include_forks:
            plan.skip("fork")
        elif item.get("disabled"):
            plan.skip("disabled")
        elif not matches(full_name, globs):
            plan.skip("not matched by --repos")
        else:
            branch = item.get("default_branch")
            ref = branch if isinstance(branch, str) else ""
            if item.get("size") == 0 and ref and is_empty is not None and is_empty(full_name, ref):
                plan.skip("empty repository")
            else:
                plan.repos.append(PlannedRepo(full_name, ref))
    plan.repos.sort(key=lambda r: r.repo.lower())
    return plan


def empty_probe(api: GitHubApi) -> Probe:
    """GET /repos/{owner}/{repo}/commits/{ref}: 409 ("Git Repository is empty.") means no commits."""

    def is_empty(full_name: str, ref: str) -> bool:
        owner, _, name = full_name.partition("/")
        url = f"/repos/{quote(owner, safe='')}/{quote(name, safe='')}/commits/{quote(ref, safe='')}"
        try:
            api.request("GET", url, params={"per_page": 1})
        except GitHubHTTPError as exc:
            return exc.status == 409
        except GitHubError:
            return False  # unknown: planned, and its job reports what fails
        return False

    return is_empty


MAX_REPEATS = 100  # one page's worth of records seen twice: the Link rel=next chain loops


class _NoOrganisation(Exception):
    """GET /orgs/{org}/repos answered 404 before any record: the login may be a user's."""


def list_repositories(api: GitHubApi, org: str, source: str) -> Iterator[dict[str, Any]]:
    """Every listed record. A listing whose pages keep repeating records (a Link rel=next that loops)
    is an error, never an endless or silently deduplicated listing.

    `--org` takes a user login too: /orgs/{org}/repos answers 404 for one, and the listing is then
    the token user's own repositories (GET /user/repos?type=owner; `select` keeps those of `org`,
    so a token of another user plans nothing, which `org plan` reports as an error)."""
    try:
        yield from _records(api, org, source)
    except _NoOrganisation:
        log.info("%s is no organisation (GET /orgs/%s/repos: 404); listing the token user's repositories",
                 org, org)
        yield from _records(api, org, "user")


def _records(api: GitHubApi, org: str, source: str) -> Iterator[dict[str, Any]]:
    seen: set[str] = set()
    repeats = 0
    listed = 0
    label = "no organisation; the token user's repositories" if source == "user" else source
    try:
        for repo in _listing(api, org, source):
            listed += 1
            record = _raw(repo)
            name = record.get("full_name")
            if isinstance(name, str):
                repeats += name.lower() in seen
                seen.add(name.lower())
                if repeats > MAX_REPEATS:
                    raise GitHubError(f"listing repositories of {org} ({source}) does not end: its pages "
                                      "repeat the same repositories (Link rel=next loops)")
            yield record
    except GitHubHTTPError as exc:
        if exc.status == 404 and source == "org" and not listed:
            raise _NoOrganisation from None
        message = exc.detail
        hint = ""
        if exc.status == 403 and source in ("org", "user") and "integration" in message:
            hint = "; with a GitHub App installation token try --source installation"
        elif exc.status == 403 and source == "installation":
            hint = "; /installation/repositories needs a GitHub App installation token"
        raise GitHubError(f"listing repositories of {org} ({label}) failed: HTTP {exc.status}"
                          + (f" ({message[:120]})" if message else "") + hint) from None
    except GitHubError as exc:  # no answer, or an answer that is no listing (a 304, not a list)
        if str(exc).startswith("listing repositories of"):
            raise
        raise GitHubError(f"listing repositories of {org} ({label}) failed: {exc}") from None


def chunks(repos: Sequence[PlannedRepo], size: int = DEFAULT_CHUNK) -> list[dict[str, list[dict[str, str]]]]:
    """Matrix chunks, each `{"include": [...]}` with at most min(size, 256) entries."""
    if not 1 <= size <= MATRIX_LIMIT:
        raise ValueError(f"chunk size must be between 1 and {MATRIX_LIMIT}")
    return [{"include": [{"repo": r.repo, "ref": r.ref} for r in repos[i:i + size]]}
            for i in range(0, len(repos), size)]


def render_plan(plan: Plan, size: int) -> str:
    return json.dumps(chunks(plan.repos, size), separators=(",", ":")) + "\n"
