"""The base branch's copy of the running workflow is a floor for the action's gate inputs.

On `pull_request` the workflow runs as the pull request has it, so a same-repository PR can edit the
`with:` of the mcp-guard step (`fail-on: none`, `production-branches: nowhere`, `gitleaks: false`)
in the change it is judged on. The base commit's copy of the same workflow file (GITHUB_WORKFLOW_REF
names it) says what the repository asked for: its values are a floor, like the base policy's
(`apply_floor`). The stricter of input and base wins for `fail-on`, the base's production branches
are added, and `gitleaks`, `block-secrets-everywhere` and `strict-parse` stay on when the base has
them on; a `max-findings-per-file` the PR's copy sets is capped by the base's (left out at the base:
1000; left empty in the PR's copy: the base policy's value applies). An input the base leaves out
has the action's default there (action.yml); one the base sets from an expression (`${{ vars.X }}`)
cannot be known and gives no floor. A job that calls a workflow of this repository (`uses:
./.github/workflows/x.yml`) has that workflow's mcp-guard steps read too (one level). When the base
has no copy of the running workflow (the PR renamed it, or runs mcp-guard from a workflow file of
its own), the mcp-guard steps of every base workflow posting the same status context are the floor.
No mcp-guard step at the base (the PR that first adds mcp-guard): no floor. With several mcp-guard
steps in the job, each input's floor is the loosest of them (never stricter than a step the base
really runs). Reads the workflow as data only; nothing in it is evaluated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import yaml

from scanner.detail_budget import lower_limit
from scanner.errors import ConfigError
from scanner.gh.context import (
    DEFAULT_PRODUCTION_BRANCHES,
    ActionContext,
    parse_bool,
    parse_fail_on,
    parse_findings_limit,
    production_branches,
)
from scanner.model import Severity
from scanner.policy import Policy, parse_policy
from scanner.policy.floor import floor_policy
from scanner.result import DEFAULT_MAX_FINDINGS_PER_FILE

# What action.yml gives an input a step leaves out (kept equal to it by tests/gh/test_workflow_floor.py).
DEFAULTS = {"fail-on": "high", "production-branches": DEFAULT_PRODUCTION_BRANCHES, "gitleaks": "true",
            "block-secrets-everywhere": "false", "strict-parse": "false", "max-findings-per-file": ""}
_MAX_BYTES = 1024 * 1024  # GitHub's own limit for a workflow file is far lower


@dataclass(frozen=True)
class _Floor:
    fail_on: Severity | None
    production_branches: tuple[str, ...]
    flags: frozenset[str]  # the boolean inputs every base step has on
    max_findings_per_file: int | None = None  # the highest of the base steps' limits (None: unknown)


def workflow_path(env: Mapping[str, str]) -> str | None:
    """The running workflow's path in this repository (`.github/workflows/x.yml`), from
    GITHUB_WORKFLOW_REF (`owner/repo/.github/workflows/x.yml@refs/...`); None for a workflow of
    another repository (a reusable one) or when the variable is missing."""
    ref, repository = env.get("GITHUB_WORKFLOW_REF", ""), env.get("GITHUB_REPOSITORY", "")
    where, at, _ = ref.rpartition("@")
    prefix = repository + "/"
    if not at or not repository or not where.lower().startswith(prefix.lower()):
        return None
    path = where[len(prefix):]
    return path if path.startswith(".github/workflows/") and ".." not in path.split("/") else None


def _same_context(step_context: str | None, context: str) -> bool:
    """Whether a step posts `context` (None: an expression, it may): GitHub ignores the case."""
    return step_context is None or step_context.casefold() == context.casefold()


def _base_steps(ctx: ActionContext, env: Mapping[str, str], read_base: Callable[[str], bytes | None],
                base_workflows: Callable[[], list[str]] | None,
                ) -> tuple[list[Mapping[str, Any]], str, bool] | None:
    """The `with:` maps of the base's mcp-guard steps that post this run's status context (compared
    case-insensitively, as GitHub compares contexts; an expression may post it), where they come
    from, and whether they do (False: none does, and every step found is returned); None when the
    running workflow is not this repository's. A step posting another context (an informational
    `fail-on: none` run beside the gate) is no floor of the gate: counted, it made the loosest value
    `none` (trust wave 19). Where the job's exit code is the gate (a read-only token: a fork PR,
    whose copy of the workflow its author wrote; or no step of the base's copy posts the run's
    context, so the run's status is no required one), the job fails when any of its steps fails,
    so every step of the job counts and the strictest is the floor. A workflow file the base lacks
    has only the base's gates posting this context as its floor (none: the new workflow's own)."""
    path = workflow_path(env)
    if path is None:
        return None
    action, job = env.get("GITHUB_ACTION_REPOSITORY", ""), env.get("GITHUB_JOB", "")
    data = read_base(path)
    steps, called = _mcp_guard_steps(data, action, job)
    for reusable in called:  # a job of the workflow that calls a workflow of the same repository
        steps += _mcp_guard_steps(read_base(reusable), action, "")[0]
    if data is None and base_workflows is not None:
        # The base never ran this file: the gate it did run (the same status context) is the floor.
        for other in base_workflows():
            if other.endswith((".yml", ".yaml")):
                steps += _mcp_guard_steps(read_base(other), action, "")[0]
        source = f"workflows running mcp-guard (it has no {path})"
    else:
        source = f"copy of {path}"
    same = [step for step in steps
            if _same_context(_literal(step.get("status-context", "mcp-guard")), ctx.status_context)]
    if data is None:  # a workflow file the base lacks: only a gate posting this context floors it
        return same, source, True
    if ctx.read_only_token or not same:  # the job's exit code is the gate: its strictest step
        return steps, source, False
    return same, source, True


def base_configs(ctx: ActionContext, env: Mapping[str, str], read_base: Callable[[str], bytes | None],
                 base_workflows: Callable[[], list[str]] | None = None) -> tuple[str | None, ...] | None:
    """The `config` input of each base mcp-guard step posting this run's context ("" when a step leaves
    it out: the default-named policy; None for an expression, which cannot be known); None when the
    base runs no such step (the pull request that first adds mcp-guard)."""
    found = _base_steps(ctx, env, read_base, base_workflows)
    if found is None or not found[0]:
        return None
    return tuple(_literal(step.get("config", "")) for step in found[0])


def apply_workflow_floor(ctx: ActionContext, env: Mapping[str, str], read_base: Callable[[str], bytes | None],
                         base_workflows: Callable[[], list[str]] | None = None,
                         ) -> tuple[ActionContext, list[str]]:
    """`ctx` with the base copy of the running workflow as a floor, and one note per input it raised.
    `base_workflows` lists the base's `.github/workflows` files (None: cannot be listed)."""
    found = _base_steps(ctx, env, read_base, base_workflows)
    if found is None:
        return ctx, []
    steps, source, matched = found
    floor = _floor(steps, ctx.event.default_branch, strictest=not matched)
    if floor is None:
        return ctx, []
    raised: list[str] = []
    fail_on = ctx.fail_on
    if floor.fail_on is not None and (fail_on is None or floor.fail_on < fail_on):
        fail_on = floor.fail_on
        raised.append("fail-on")
    branches = tuple(dict.fromkeys((*ctx.production_branches, *floor.production_branches)))
    if branches != ctx.production_branches:
        raised.append("production-branches")
    flags = {name: getattr(ctx, name.replace("-", "_")) or name in floor.flags
             for name in ("gitleaks", "block-secrets-everywhere", "strict-parse")}
    raised += [name for name, on in flags.items() if on and not getattr(ctx, name.replace("-", "_"))]
    limit = ctx.max_findings_per_file
    if limit is not None and floor.max_findings_per_file is not None:
        # (an input the PR sets is capped by the base's; one it leaves empty is the base policy's)
        limit = lower_limit(limit, floor.max_findings_per_file)
        if limit != ctx.max_findings_per_file:
            raised.append("max-findings-per-file")
    if not raised:
        return ctx, []
    ctx = replace(ctx, fail_on=fail_on, production_branches=branches, gitleaks=flags["gitleaks"],
                  block_secrets_everywhere=flags["block-secrets-everywhere"],
                  strict_parse=flags["strict-parse"], max_findings_per_file=limit)
    return ctx, [f"This pull request's workflow runs mcp-guard with looser inputs than the base branch's "
                 f"{source} ({', '.join(raised)}); the base values apply to this pull request."]


def _mcp_guard_steps(data: bytes | None, action_repository: str,
                     job: str) -> tuple[list[Mapping[str, Any]], list[str]]:
    """The `with:` maps of the workflow's mcp-guard steps (in job `job` when it has that job), and
    the workflows of this repository its jobs call (`uses: ./.github/workflows/x.yml`)."""
    if data is None or len(data) > _MAX_BYTES:
        return [], []
    try:
        tree = yaml.safe_load(data.decode("utf-8-sig", "replace"))
    except (yaml.YAMLError, RecursionError):
        return [], []
    jobs = tree.get("jobs") if isinstance(tree, dict) else None
    if not isinstance(jobs, dict):
        return [], []
    chosen = [jobs[job]] if job in jobs else list(jobs.values())
    found: list[Mapping[str, Any]] = []
    called: list[str] = []
    for spec in chosen:
        if not isinstance(spec, dict):
            continue
        uses = spec.get("uses")
        if isinstance(uses, str) and uses.startswith("./.github/workflows/") and ".." not in uses:
            called.append(uses[2:].partition("@")[0])
        steps = spec.get("steps")
        for step in steps if isinstance(steps, list) else ():
            if isinstance(step, dict) and _is_mcp_guard(step.get("uses"), action_repository):
                inputs = step.get("with")
                # Input names are case-insensitive to the runner (INPUT_<NAME>): `Status-Context:`
                # is the step's status context (trust wave 19).
                found.append({str(name).lower(): value for name, value in inputs.items()}
                             if isinstance(inputs, dict) else {})
    return found, called


def _is_mcp_guard(uses: object, action_repository: str) -> bool:
    if not isinstance(uses, str):
        return False
    if uses.strip().lower().startswith("docker://"):
        # The action's image run directly (`docker://ghcr.io/acme/mcp-guard:v1`, `...@sha256:...`):
        # GITHUB_ACTION_REPOSITORY is then empty; the image's name is the action's.
        image = uses.strip()[len("docker://"):].partition("@")[0].lower()
        name = image.rsplit("/", 1)[-1].partition(":")[0]
        return name == (action_repository.lower().rsplit("/", 1)[-1] if action_repository else "mcp-guard")
    name = uses.partition("@")[0].strip().rstrip("/").lower()
    if action_repository:
        repo = action_repository.lower()
        return name == repo or name.startswith(repo + "/")
    return name in (".", "") or name.rsplit("/", 1)[-1] == "mcp-guard"


def _floor(steps: Sequence[Mapping[str, Any]], default_branch: str | None = None,
           strictest: bool = False) -> _Floor | None:
    """Per input, the loosest value of `steps` (None: no step, or an input no step fixes); with
    `strictest`, the strictest value any step fixes (the steps of one job, which fails when any does)."""
    if not steps:
        return None
    fail_ons: list[Severity | None] = []
    limits: list[int | None] = []
    branch_sets: list[tuple[str, ...]] = []
    flags = set(("gitleaks", "block-secrets-everywhere", "strict-parse"))
    any_on: set[str] = set()
    for inputs in steps:
        values = {name: _literal(inputs.get(name, default)) for name, default in DEFAULTS.items()}
        try:
            fail_ons.append(parse_fail_on(values["fail-on"]) if values["fail-on"] is not None else None)
        except ConfigError:
            fail_ons.append(None)
        limits.append(_step_limit(values["max-findings-per-file"]))
        branch_sets.append(production_branches(values["production-branches"], default_branch)
                           if values["production-branches"] else ())
        for name in ("gitleaks", "block-secrets-everywhere", "strict-parse"):
            value = values[name]
            try:
                if value is None or not parse_bool(value, name):
                    flags.discard(name)
                else:
                    any_on.add(name)
            except ConfigError:
                flags.discard(name)
    known = [limit for limit in limits if limit is not None]
    if strictest:
        severities = [s for s in fail_ons if s is not None]
        limited = [limit for limit in known if limit != 0]
        return _Floor(min(severities) if severities else None,
                      tuple(dict.fromkeys(b for branches in branch_sets for b in branches)),
                      frozenset(any_on), min(limited) if limited else (0 if known else None))
    loosest = None if None in fail_ons else max(s for s in fail_ons if s is not None)
    common = tuple(b for b in branch_sets[0] if all(b in other for other in branch_sets[1:]))
    highest = None if len(known) < len(limits) else 0 if 0 in known else max(known)
    return _Floor(loosest, common, frozenset(flags), highest)


def _step_limit(value: str | None) -> int | None:
    """A base step's `max-findings-per-file`: left empty, the default (the run's own input is capped by
    it; an empty input of the run takes the base policy's value instead); None for an expression."""
    if value is None:
        return None
    try:
        given = parse_findings_limit(value)
    except ConfigError:
        return None
    return DEFAULT_MAX_FINDINGS_PER_FILE if given is None else given


def _literal(value: object) -> str | None:
    """A `with:` value as the runner passes it (a string), or None for an expression."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (str, int, float)):
        text = str(value)
    else:
        return None
    # (stripped as the runner's getInput strips it: `"true "` is on)
    return None if "${{" in text else text.strip()


def config_floors(ctx: ActionContext, policy: Policy, default: Policy | None,
                  read_base: Callable[[str], bytes | None],
                  base_configs: tuple[str | None, ...] | None, notes: list[str]) -> Policy:
    """`policy` floored by the policies the base's own mcp-guard steps name in their `config` input,
    when this run's `config` (the pull request's copy of the workflow: it can point anywhere, or drop
    the input) resolves to another file. Without a default-named base policy nothing else caps it: a
    PR pointing `config` at a relaxed example policy of the base hid its secret (trust wave 19). A
    step that leaves `config` out names the default-named policy (the built-in default without one);
    an expression cannot be known and gives no floor; no base step (mcp-guard added by this PR): none."""
    if base_configs is None or None in base_configs:
        return policy
    fallback = (default.origin or "") if default is not None else ""

    def resolved(name: str | None) -> str:
        return name if name and (name == fallback or read_base(name) is not None) else fallback

    run = resolved(ctx.config)
    names = list(dict.fromkeys(resolved(name) for name in base_configs))
    if run in names:
        return policy
    for name in names:
        data = read_base(name) if name and name != fallback else None
        floor = parse_policy(data.decode("utf-8-sig", "replace"), name) if data is not None \
            else default if name and default is not None else Policy()
        policy = floor_policy(policy, floor)
    notes.append(f"This pull request's workflow runs mcp-guard with the policy {run or 'built in'}, the "
                 f"base branch's with {', '.join(name or 'built in' for name in names)}; the stricter "
                 "of them applies to this pull request.")
    return policy
