"""Whether the running workflow judges a pull request again when its base branch changes.

On a pull request into a branch that is not production, blocking findings leave the status `success`
("... would block a merge into main"). A commit status belongs to the commit, not to the pull
request: when the author then moves the pull request to `main`, that `success` is what branch
protection reads, unless the workflow runs again on the `edited` activity GitHub sends for a base
change. `pull_request` without `types` runs only on `opened`, `synchronize` and `reopened` (GitHub's
default), so such a workflow never re-judges a retargeted pull request. Read as data only, never
evaluated.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import yaml

from scanner.errors import McpGuardError
from scanner.gh.context import ActionContext
from scanner.gh.payload import PR_EVENTS
from scanner.gh.status import branch_is_production
from scanner.gh.workflow_floor import workflow_path
from scanner.result import ScanResult
from scanner.sources import gitrefs

_MAX_BYTES = 1024 * 1024
# GitHub's default activity types of `pull_request` / `pull_request_target` ("Events that trigger
# workflows": opened, synchronize, reopened).
DEFAULT_TYPES = frozenset({"opened", "synchronize", "reopened"})


def reruns_on_retarget(data: bytes | None, event_name: str,
                       production_branches: Iterable[str]) -> bool | None:
    """True when the workflow in `data` runs on `event_name`'s `edited` activity for every branch of
    `production_branches` named without a wildcard; False when it demonstrably does not; None when
    unknown (no file, not YAML, the event not named in `on:`)."""
    if data is None or len(data) > _MAX_BYTES:
        return None
    try:
        tree = yaml.safe_load(data.decode("utf-8-sig", "replace"))
    except (yaml.YAMLError, RecursionError):
        return None
    if not isinstance(tree, dict):
        return None
    # PyYAML reads the key `on` as the YAML 1.1 boolean True; GitHub reads it as the string.
    triggers = tree.get("on", tree.get(True))
    if isinstance(triggers, str):
        triggers = [triggers]
    if isinstance(triggers, list):
        return False if event_name in triggers else None
    if not isinstance(triggers, dict) or event_name not in triggers:
        return None
    spec = triggers[event_name]
    if not isinstance(spec, dict):
        return False  # `pull_request:` with nothing under it: the default types
    types = spec.get("types")
    named = {types} if isinstance(types, str) else \
        {str(t) for t in types} if isinstance(types, list) else set(DEFAULT_TYPES)
    if "edited" not in named:
        return False
    literal = [branch for branch in production_branches if not any(c in branch for c in "*?[")]
    return all(_filtered_in(spec, branch) for branch in literal)


def _filtered_in(spec: Mapping[str, Any], branch: str) -> bool:
    """Whether `branches` / `branches-ignore` let a pull request into `branch` run the workflow (globs
    read with fnmatch, whose `*` also crosses `/`: a filter GitHub reads more narrowly counts as in)."""
    def patterns(key: str) -> list[str] | None:
        value = spec.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    ignored = patterns("branches-ignore")
    if ignored is not None and any(fnmatch.fnmatchcase(branch, p) for p in ignored):
        return False
    allowed = patterns("branches")
    if allowed is None:
        return True
    verdict = False
    for pattern in allowed:  # later patterns win; `!pattern` excludes again
        if pattern.startswith("!"):
            verdict = verdict and not fnmatch.fnmatchcase(branch, pattern[1:])
        elif fnmatch.fnmatchcase(branch, pattern):
            verdict = True
    return verdict


def unguarded_retarget(event_name: str, workflow: str | None, read: Callable[[str], bytes | None],
                       production_branches: Iterable[str], default_branch: str | None = None) -> bool:
    """Whether a `success` on this pull request's head would outlive a move of the pull request to a
    production branch: the running workflow (`workflow`: its path, from GITHUB_WORKFLOW_REF; `read`:
    its copy that runs for the pull request) demonstrably does not run on `edited` there. The branch
    looked at is the repository's default branch when it is a production one (it exists; a listed
    `master` may not), else every production branch named without a wildcard."""
    if workflow is None:
        return False
    patterns = tuple(production_branches)
    if default_branch and any(fnmatch.fnmatchcase(default_branch, p.removeprefix("refs/heads/"))
                              for p in patterns):
        patterns = (default_branch,)
    return reruns_on_retarget(read(workflow), event_name, patterns) is False


def retarget_matters(ctx: ActionContext, result: ScanResult) -> bool:
    """Blocking findings on a pull request into a branch that is not production: the run's `success`
    would stay on the head commit if the pull request were moved to a production branch."""
    return (ctx.event_name in PR_EVENTS and result.blocking_count > 0
            and not branch_is_production(ctx.event.base_branch, ctx.production_branches))


def workflow_skips_retarget(ctx: ActionContext, env: Mapping[str, str]) -> bool:
    """Whether the running workflow's copy that runs for this pull request (the head's on
    `pull_request`, the base's on `pull_request_target`) demonstrably skips `edited`."""
    ws = ctx.workspace
    ref = ctx.event.base_sha if ctx.event_name == "pull_request_target" else ctx.event.head_sha
    if not ref:
        return False
    try:
        if not gitrefs.has_commit(ws, ref):
            return False
        def read(path: str) -> bytes | None:
            return gitrefs.read_at(ws, ref, path)

        return unguarded_retarget(ctx.event_name, workflow_path(env), read, ctx.production_branches,
                                  ctx.event.default_branch)
    except McpGuardError:
        return False
