"""Event payloads as GitHub sends them -> EventInfo: which commits to compare, where the status goes,
which branch is judged. Every sha must be a full one (40 or 64 hex digits) and a pull request or merge
group must name its base: anything else is a ConfigError, raised before any API call."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from scanner.errors import ConfigError

# Events whose payload has a base to compare against; every other supported event scans the tree.
PR_EVENTS = frozenset({"pull_request", "pull_request_target"})
DIFF_EVENTS = PR_EVENTS | {"merge_group"}
TREE_EVENTS = frozenset({"push", "workflow_dispatch", "schedule"})
SUPPORTED_EVENTS = DIFF_EVENTS | TREE_EVENTS


def _strip_heads(ref: str) -> str:
    return ref.removeprefix("refs/heads/")


@dataclass(frozen=True)
class EventInfo:
    """What the event says about the change: which commits to compare and where to report."""

    base_sha: str | None  # None: no base, the whole tree is scanned
    head_sha: str  # the commit the status goes to (PR head, not the merge commit)
    base_branch: str | None  # branch the change targets (PR base) or the pushed branch
    pr_number: int | None = None
    is_fork: bool = False
    pr_commits: int | None = None  # pull_request.commits: how many commits base..head has
    pr_changed_files: int | None = None  # pull_request.changed_files: how many files the PR changes
    default_branch: str | None = None  # repository.default_branch
    deleted_ref: str | None = None  # a push deleting this ref: nothing to scan, no status

    @property
    def deleted(self) -> bool:
        return self.deleted_ref is not None


def _dig(payload: Mapping[str, Any], *keys: str) -> Any:
    node: Any = payload
    for key in keys:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


# A commit's object name: 40 hex digits (SHA-1) or 64 (SHA-256 repositories). Anything else in a
# payload (a short sha, a ref, a value with an option's dashes) is no commit: never handed to git or
# to the API, where it could be read as an argument or answer 422 only after other calls were made.
_SHA = re.compile(r"[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")


def commit_sha(value: Any) -> str | None:
    """`value` as a commit sha (lower case), or None when it is no full sha or the all-zero one (the
    `before` of a new branch, the `after` of a deleted one)."""
    if isinstance(value, str) and _SHA.fullmatch(value) and value.strip("0"):
        return value.lower()
    return None


def _null_sha(value: Any) -> bool:
    return isinstance(value, str) and len(value) in (40, 64) and not value.strip("0")


def _required_sha(event_name: str, payload: Mapping[str, Any], *keys: str) -> str:
    """The commit sha at `keys` of the payload; a ConfigError naming the field when it is missing or
    malformed (the value itself is never echoed)."""
    value = _dig(payload, *keys)
    sha = commit_sha(value)
    if sha is None:
        where = ".".join(keys)
        if value is None or value == "":
            raise ConfigError(f"the {event_name} event payload has no {where}")
        raise ConfigError(f"the {event_name} event payload's {where} is not a commit sha "
                          "(40 or 64 hex digits)")
    return sha


def _optional_sha(event_name: str, payload: Mapping[str, Any], *keys: str) -> str | None:
    """Like `_required_sha`, but a field that is absent (or null) gives None."""
    return None if _dig(payload, *keys) is None else _required_sha(event_name, payload, *keys)


def _required_ref(event_name: str, payload: Mapping[str, Any], *keys: str) -> str:
    value = _dig(payload, *keys)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"the {event_name} event payload has no {'.'.join(keys)} (the branch the change "
                          "targets decides whether findings block)")
    return value


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def parse_event(event_name: str, payload: Mapping[str, Any], github_sha: str, github_ref: str) -> EventInfo:
    """Base/head/branch from the event payload (PR head = pull_request.head.sha, not GITHUB_SHA)."""
    info = _parse_event(event_name, payload, github_sha, github_ref)
    default = _dig(payload, "repository", "default_branch")
    return replace(info, default_branch=default) if isinstance(default, str) and default else info


def _parse_event(event_name: str, payload: Mapping[str, Any], github_sha: str, github_ref: str) -> EventInfo:
    # Every sha the run reports on or compares with comes from the payload and must be one: a payload
    # without its base would be judged against nothing (a whole-tree scan, a "feature branch" run),
    # so it is an input error before any API call, never a pass.
    if event_name in PR_EVENTS:
        head = _required_sha(event_name, payload, "pull_request", "head", "sha")
        base_sha = _required_sha(event_name, payload, "pull_request", "base", "sha")
        base_ref = _required_ref(event_name, payload, "pull_request", "base", "ref")
        number = _dig(payload, "pull_request", "number") or payload.get("number")
        head_repo = _dig(payload, "pull_request", "head", "repo", "full_name")
        base_repo = _dig(payload, "pull_request", "base", "repo", "full_name")
        # head.repo is null when the fork was deleted: still a fork PR (read-only token, no secrets).
        fork = not isinstance(_dig(payload, "pull_request", "head", "repo"), Mapping) \
            or bool(_dig(payload, "pull_request", "head", "repo", "fork")) \
            or (head_repo is not None and head_repo != base_repo)
        return EventInfo(
            base_sha=base_sha, head_sha=head, base_branch=base_ref,
            pr_number=number if isinstance(number, int) else None, is_fork=fork,
            pr_commits=_count(_dig(payload, "pull_request", "commits")),
            pr_changed_files=_count(_dig(payload, "pull_request", "changed_files")),
        )
    if event_name == "merge_group":
        # GitHub's schema requires all three; the status must go to head_sha or the queue drops the PR.
        head = _required_sha(event_name, payload, "merge_group", "head_sha")
        base_sha = _required_sha(event_name, payload, "merge_group", "base_sha")
        base_ref = _required_ref(event_name, payload, "merge_group", "base_ref")
        return EventInfo(base_sha=base_sha, head_sha=head, base_branch=_strip_heads(base_ref))
    # push / workflow_dispatch / schedule: the whole tree of the ref that ran.
    given = payload.get("ref")
    ref: str = given if isinstance(given, str) else github_ref
    branch = _strip_heads(ref) if ref.startswith("refs/heads/") else None
    commit: str | None = None
    if event_name == "push":
        if payload.get("deleted") is True or _null_sha(payload.get("after")):
            # Nothing to scan; GITHUB_SHA is then the default branch's tip, which this run did not judge.
            return EventInfo(base_sha=None, head_sha="", base_branch=branch,
                             deleted_ref=ref or "(unknown ref)")
        after = _optional_sha(event_name, payload, "after")
        # head_commit.id is the commit pushed; `after` of an annotated tag push is the tag object, on
        # which GitHub refuses a status ("No commit found for SHA").
        pushed = _optional_sha(event_name, payload, "head_commit", "id") \
            if isinstance(payload.get("head_commit"), Mapping) else None
        commit = pushed or (None if ref.startswith("refs/tags/") else after)
    commit = commit or commit_sha(github_sha)
    if commit is None:
        raise ConfigError(f"the {event_name} run has no commit to report on: GITHUB_SHA is not a commit sha")
    # GitHub pushes each merge group to gh-readonly-queue/<base>/pr-<N>-<sha>: that commit is what
    # <base> becomes, so a push run on it is judged as a merge into <base> (its status goes to the
    # same commit as the merge_group run's, which a pass "for a feature branch" must not turn green).
    return EventInfo(base_sha=None, head_sha=commit, base_branch=queue_base(ref) or branch)


def report_sha(event_name: str, payload: Mapping[str, Any], github_sha: str, github_ref: str) -> str | None:
    """The commit an `error` status may go to when the run cannot start, or None: a push deleting its
    ref has none, and a payload whose shas are malformed gets nothing but the PR / merge group head
    (GITHUB_SHA for a merge group: the same commit) or the pushed commit when that one is well formed."""
    if event_name not in SUPPORTED_EVENTS:
        # An event the Action does not handle: its payload's pull request head or merge group head when
        # it names one (pull_request_review: GITHUB_SHA is the test merge commit, where an error status
        # reaches nobody), else none: GITHUB_SHA is then a commit the run knows nothing about (the
        # default branch's tip for issue_comment or workflow_run, whose passing status it would turn red).
        for head in (_dig(payload, "pull_request", "head", "sha"), _dig(payload, "merge_group", "head_sha")):
            if head is not None:
                return commit_sha(head)
        return None
    try:
        info = parse_event(event_name, payload, github_sha, github_ref)
    except ConfigError:
        if event_name == "merge_group":  # GITHUB_SHA is the merge group's head too: the queue waits on it
            return commit_sha(_dig(payload, "merge_group", "head_sha")) or commit_sha(github_sha)
        keys = {"push": ("head_commit", "id")}.get(
            event_name, ("pull_request", "head", "sha") if event_name in PR_EVENTS else None)
        return commit_sha(_dig(payload, *keys)) if keys else None
    return None if info.deleted else info.head_sha


_QUEUE_REF = re.compile(r"^refs/heads/gh-readonly-queue/(.+)/pr-\d+-[0-9a-f]{40}$")


def queue_base(ref: str) -> str | None:
    """The target branch a merge-queue ref names (`refs/heads/gh-readonly-queue/main/pr-7-<sha>`:
    main), or None for any other ref."""
    match = _QUEUE_REF.match(ref)
    return match.group(1) if match else None
