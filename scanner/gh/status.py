"""Commit status: which branches are production, the (pure) state decision, and its POST."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

State = Literal["success", "failure", "error"]
MAX_DESCRIPTION = 140


class StatusApi(Protocol):
    def create_status(self, repo: str, sha: str, *, state: str, context: str, description: str,
                      target_url: str | None = None) -> None: ...


@dataclass(frozen=True, slots=True)
class StatusDecision:
    state: State
    description: str


def branch_is_production(branch: str | None, patterns: Sequence[str]) -> bool:
    """Whether `branch` matches one of the production patterns (globs such as `release/*`)."""
    if not branch:
        return False
    try:
        from scanner.policy import matches_branch
    except ImportError:  # policy module not available: plain glob matching, same semantics
        return any(fnmatch.fnmatchcase(branch, pattern) for pattern in patterns)
    return bool(matches_branch(branch, tuple(patterns)))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _short(text: str) -> str:
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def would_block_text(blocking: int, production_branches: Sequence[str]) -> str:
    """"N findings would block a merge into main, release/*": as many branch names as fit in 140."""
    head = f"{_plural(blocking, 'finding')} would block a merge into "
    if not production_branches:
        return head + "a production branch (none configured)"
    names = list(production_branches)
    while names:
        rest = len(production_branches) - len(names)
        text = head + ", ".join(names) + (f" (+{rest} more)" if rest else "")
        if len(text) <= MAX_DESCRIPTION:
            return text
        names.pop()
    return head + "a production branch"


def decide_status(*, complete: bool, blocking: int, total: int, base_branch: str | None,
                  production_branches: Sequence[str], error: str | None = None,
                  nothing_to_scan: str | None = None, blocking_everywhere: int = 0,
                  unguarded_retarget: bool = False) -> StatusDecision:
    """The status for a scan outcome. Never success for a scan that did not complete.

    failure: blocking findings and the target branch is a production branch, or `blocking_everywhere`
    findings (blocking secrets when the block-secrets-everywhere switch is on) on any branch;
    success otherwise, saying what would block a merge into production.
    `nothing_to_scan` (a reason) gives success with that reason, e.g. "no MCP config changed".
    `unguarded_retarget`: the workflow does not run again when the pull request's base changes
    (scanner/gh/retarget.py), so blocking findings fail on any branch: a `success` here would be
    what branch protection reads once the pull request is moved to a production branch.
    """
    if error is not None:
        return StatusDecision("error", _short(f"mcp-guard could not complete: {error}"))
    if not complete:
        return StatusDecision("error", "mcp-guard could not scan every MCP config (see the job summary)")
    if nothing_to_scan is not None:
        return StatusDecision("success", _short(f"Nothing to scan: {nothing_to_scan}"))
    if blocking == 0:
        if total == 0:
            return StatusDecision("success", "No findings in MCP configs")
        return StatusDecision("success", _short(f"{_plural(total, 'non-blocking finding')} in MCP configs"))
    if branch_is_production(base_branch, production_branches):
        return StatusDecision("failure", _short(
            f"{_plural(blocking, 'blocking finding')} in MCP configs targeting {base_branch}"))
    if blocking_everywhere:
        return StatusDecision("failure", _short(
            f"{_plural(blocking_everywhere, 'blocking secret')} in MCP configs "
            "(secrets block on every branch)"))
    if unguarded_retarget:
        return StatusDecision("failure", _short(
            f"{_plural(blocking, 'blocking finding')}: {NOT_RECHECKED} "
            "(add edited to the workflow's pull_request types)"))
    return StatusDecision("success", would_block_text(blocking, production_branches))


_TARGETING = re.compile(r"targeting ([^\s)]+)")
# The failure of a pass into another branch whose workflow would not judge a move to production again
# (decide_status `unguarded_retarget`): held like a production failure (`held_by_production`).
NOT_RECHECKED = "a move of this PR to a production branch is not re-checked"


def with_base(decision: StatusDecision, base_branch: str | None,
              production_branches: Sequence[str]) -> StatusDecision:
    """A run for a production base says so in every status that is not success ("... targeting
    main"), so that a run for another base of the same commit can tell (see `held_by_production`)."""
    if decision.state == "success" or not branch_is_production(base_branch, production_branches):
        return decision
    if _TARGETING.search(decision.description):
        return decision
    return StatusDecision(decision.state, _short(f"(targeting {base_branch}) {decision.description}"))


def held_by_production(latest: tuple[str, str] | None, production_branches: Sequence[str]) -> str | None:
    """The production branch whose run left the commit's newest status of this context failing, or
    None. A commit status belongs to the commit, not to a pull request: a second pull request of the
    same head into a non-production branch must not turn the first one's failing check green."""
    if latest is None or latest[0] not in ("failure", "error"):
        return None
    if NOT_RECHECKED in latest[1]:  # a later pass for another base would undo what it guards
        return "another branch (a move of its pull request to production would not be re-checked)"
    match = _TARGETING.search(latest[1])
    if match is None or not branch_is_production(match.group(1), production_branches):
        return None
    return match.group(1)


def post_status(api: StatusApi, repo: str, sha: str, decision: StatusDecision, context: str,
                target_url: str | None = None) -> None:
    """POST the decision as a commit status on `sha` (the PR head). A `target_url` that is no http(s)
    URL (GITHUB_SERVER_URL without a scheme) is left out: GitHub refuses the whole status for it
    (422 "target_url must use http(s) scheme")."""
    link = target_url if target_url and _HTTP_URL.match(target_url) else None
    api.create_status(repo, sha, state=decision.state, context=context,
                      description=_short(decision.description), target_url=link)


_HTTP_URL = re.compile(r"^https?://[^/\s?#]+")
