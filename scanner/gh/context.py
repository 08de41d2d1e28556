"""ActionContext: the Actions environment (GITHUB_*, INPUT_*, event payload) read once, frozen.

Nothing else in the package reads os.environ for the Action; everything receives this object.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from scanner.errors import ConfigError
from scanner.model import Severity

DEFAULT_PRODUCTION_BRANCHES = "main,master,release/*,prod,production"
DEFAULT_BOT_LOGIN = "github-actions[bot]"
DEPENDABOT = "dependabot[bot]"
MAX_STATUS_CONTEXT = 255  # GitHub answers 422 for a longer status context
DEFAULT_TIMEOUT = 300.0
DEFAULT_FILE_TIMEOUT = 30.0


class ScanMode(StrEnum):
    DIFF = "diff"
    FULL = "full"


# Events whose payload has a base to compare against; every other supported event scans the tree.
PR_EVENTS = frozenset({"pull_request", "pull_request_target"})
DIFF_EVENTS = PR_EVENTS | {"merge_group"}
TREE_EVENTS = frozenset({"push", "workflow_dispatch", "schedule"})
SUPPORTED_EVENTS = DIFF_EVENTS | TREE_EVENTS


def get_input(env: Mapping[str, str], name: str, default: str = "") -> str:
    """An action input the way actions/toolkit getInput reads it: INPUT_<NAME>, hyphens kept.

    Spaces become underscores and the name is upper-cased; an empty or unset value gives `default`.
    """
    value = env.get(f"INPUT_{name.replace(' ', '_').upper()}", "").strip()
    return value if value else default


def parse_bool(value: str, name: str) -> bool:
    """YAML 1.2 core-schema booleans, as actions/toolkit getBooleanInput accepts them."""
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    raise ConfigError(f"input {name} must be true or false")


def parse_fail_on(value: str) -> Severity | None:
    """`fail-on`: a severity label, or `none`/`never` so that nothing blocks."""
    if value.strip().lower() in ("none", "never", "off"):
        return None
    try:
        return Severity.from_label(value)
    except ValueError:
        raise ConfigError("input fail-on must be one of low, medium, high, critical, none") from None


def parse_seconds(value: str, name: str) -> float | None:
    """A positive number of seconds; `0` or `none` switches the limit off."""
    if value.strip().lower() in ("0", "none", "off"):
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0 or seconds == float("inf"):
        raise ConfigError(f"input {name} must be a number of seconds (0 for no limit)")
    return seconds


def split_list(value: str) -> tuple[str, ...]:
    parts = value.replace("\n", ",").split(",")
    return tuple(part.strip() for part in parts if part.strip())


def production_branches(value: str, default_branch: str | None) -> tuple[str, ...]:
    """The branch globs of a `production-branches` value. Left at the built-in list, it also holds
    the repository's default branch (the event's `repository.default_branch`): a repository whose
    default is `develop` or `trunk` merges into it what every clone checks out."""
    branches = split_list(value)
    if default_branch and branches == split_list(DEFAULT_PRODUCTION_BRANCHES):
        branches = tuple(dict.fromkeys((*branches, default_branch)))
    return branches


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


@dataclass(frozen=True)
class ActionContext:
    """Everything the Action needs from its environment, read once by `from_env`."""

    event_name: str
    repository: str
    api_url: str
    server_url: str
    workspace: Path
    output_path: Path | None
    summary_path: Path | None
    sha: str
    run_id: str
    event: EventInfo
    token: str = field(repr=False)
    production_branches: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.HIGH
    comment: bool = True
    status_context: str = "mcp-guard"
    config: str | None = None
    sarif_file: str = "mcp-guard.sarif"
    gitleaks: bool = True
    scan_mode: ScanMode = ScanMode.DIFF
    templates_dir: Path | None = None
    bot_login: str = DEFAULT_BOT_LOGIN
    timeout: float | None = DEFAULT_TIMEOUT  # overall deadline of the run, seconds
    file_timeout: float | None = DEFAULT_FILE_TIMEOUT  # per-file parse budget, seconds
    suggestions: bool = True  # one-click ```suggestion review comments (scanner/gh/review.py)
    block_secrets_everywhere: bool = False  # blocking secrets fail the status on every branch
    strict_parse: bool = False  # a config that does not parse makes the scan incomplete (exit 2)
    actor: str = ""  # GITHUB_ACTOR: who triggered the run

    @property
    def read_only_token(self) -> bool:
        """Whether GitHub gives this run a read-only GITHUB_TOKEN whatever the workflow asks for: a
        `pull_request` from a fork, and (by default) a run Dependabot triggers. Only there is a 403 on
        a write expected; anywhere else it means the workflow's `permissions:` lack what is needed."""
        if self.event_name == "pull_request" and self.event.is_fork:
            return True
        # GitHub: pull_request / push runs Dependabot triggers, and its pull_request_target runs on
        # its own pull requests ("Restrictions when Dependabot triggers events").
        return self.actor == DEPENDABOT and self.event_name in ("pull_request", "pull_request_target", "push")

    @property
    def owner_repo(self) -> tuple[str, str]:
        owner, _, name = self.repository.partition("/")
        return owner, name

    @property
    def run_url(self) -> str | None:
        """Link to this workflow run (where the job summary lives), when the run id is known."""
        if not self.run_id or not self.repository:
            return None
        return f"{self.server_url.rstrip('/')}/{self.repository}/actions/runs/{self.run_id}"

    @property
    def diff_mode(self) -> bool:
        return self.scan_mode is ScanMode.DIFF and self.event.base_sha is not None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ActionContext:
        """Build the context; raises ConfigError for unsupported events or invalid inputs."""
        event_name = env.get("GITHUB_EVENT_NAME", "")
        if event_name not in SUPPORTED_EVENTS:
            supported = ", ".join(sorted(SUPPORTED_EVENTS))
            raise ConfigError(f"event {event_name or '(none)'} is not supported (supported: {supported})")
        payload = _load_payload(env.get("GITHUB_EVENT_PATH", ""))
        sha = commit_sha(env.get("GITHUB_SHA", "")) or ""  # never a malformed value for git
        event = parse_event(event_name, payload, sha, env.get("GITHUB_REF", ""))
        if len(get_input(env, "status-context", "mcp-guard")) > MAX_STATUS_CONTEXT:
            raise ConfigError(f"input status-context must be at most {MAX_STATUS_CONTEXT} characters "
                              "(GitHub refuses a longer commit status context)")
        mode_text = get_input(env, "scan-mode", "diff").lower()
        try:
            mode = ScanMode(mode_text)
        except ValueError:
            raise ConfigError("input scan-mode must be diff or full") from None
        workspace = Path(env.get("GITHUB_WORKSPACE") or ".")
        templates = get_input(env, "templates-dir")
        return cls(
            event_name=event_name,
            repository=env.get("GITHUB_REPOSITORY", ""),
            api_url=env.get("GITHUB_API_URL") or "https://api.github.com",
            server_url=env.get("GITHUB_SERVER_URL") or "https://github.com",
            workspace=workspace,
            output_path=Path(env["GITHUB_OUTPUT"]) if env.get("GITHUB_OUTPUT") else None,
            summary_path=Path(env["GITHUB_STEP_SUMMARY"]) if env.get("GITHUB_STEP_SUMMARY") else None,
            sha=sha,
            run_id=env.get("GITHUB_RUN_ID", ""),
            event=event,
            token=get_input(env, "github-token"),
            production_branches=production_branches(
                get_input(env, "production-branches", DEFAULT_PRODUCTION_BRANCHES), event.default_branch),
            fail_on=parse_fail_on(get_input(env, "fail-on", "high")),
            comment=parse_bool(get_input(env, "comment", "true"), "comment"),
            status_context=get_input(env, "status-context", "mcp-guard"),
            config=get_input(env, "config") or None,
            sarif_file=get_input(env, "sarif-file", "mcp-guard.sarif"),
            gitleaks=parse_bool(get_input(env, "gitleaks", "true"), "gitleaks"),
            scan_mode=mode,
            templates_dir=_templates_dir(workspace, templates) if templates else None,
            bot_login=get_input(env, "bot-login", DEFAULT_BOT_LOGIN),
            timeout=parse_seconds(get_input(env, "timeout", str(DEFAULT_TIMEOUT)), "timeout"),
            file_timeout=parse_seconds(get_input(env, "file-timeout", str(DEFAULT_FILE_TIMEOUT)),
                                       "file-timeout"),
            suggestions=parse_bool(get_input(env, "suggestions", "true"), "suggestions"),
            block_secrets_everywhere=parse_bool(get_input(env, "block-secrets-everywhere", "false"),
                                                "block-secrets-everywhere"),
            strict_parse=parse_bool(get_input(env, "strict-parse", "false"), "strict-parse"),
            actor=env.get("GITHUB_ACTOR", ""),
        )


def _templates_dir(workspace: Path, relative: str) -> Path:
    """The `templates-dir` input inside the workspace, reached through no symlink: the workspace
    is the checkout of the change being judged, and a linked folder would render files from
    elsewhere on the runner into the comment."""
    parts = relative.replace("\\", "/").split("/")
    if relative.startswith("/") or ".." in parts:
        raise ConfigError("input templates-dir must be a folder inside the repository")
    node = workspace
    for part in (p for p in parts if p not in ("", ".")):
        node = node / part
        if node.is_symlink():
            raise ConfigError(f"input templates-dir: {relative} goes through a symlink (not followed)")
    return node


def _load_payload(path: str) -> Mapping[str, Any]:
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ConfigError("GITHUB_EVENT_PATH does not point at a readable JSON event payload") from None
    return data if isinstance(data, dict) else {}


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
