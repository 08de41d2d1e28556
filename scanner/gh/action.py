"""`mcp-guard action`: Actions environment -> scan (diff or full) -> SARIF, summary, annotations,
sticky comment, commit status, outputs. The only place the Action turns errors into exit codes."""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from scanner.budget import run_with_deadline
from scanner.diff import DiffInput, ReadFile, scan_diff, unknown_names, workspace_reader
from scanner.errors import ConfigError, GitError, McpGuardError
from scanner.findings import sort_key
from scanner.gh.api import GitHubApi
from scanner.gh.context import ActionContext
from scanner.gh.events import empty_result, unchanged_reason
from scanner.gh.payload import PR_EVENTS
from scanner.gh.publish import Outcome, publish
from scanner.gh.retarget import retarget_matters, workflow_skips_retarget
from scanner.gh.runner import Runner
from scanner.gh.workflow_floor import apply_workflow_floor, base_configs, config_floors
from scanner.model import Severity, SkippedFile
from scanner.pipeline import scan, scan_files
from scanner.policy import POLICY_FILE_NAMES, HistoryMode, Policy, parse_policy
from scanner.policy.floor import floor_policy
from scanner.result import ScanOptions, ScanResult
from scanner.sources import gitrefs, submodules
from scanner.sources.worktree import PROBE_MARKS, may_hold_config

ApiFactory = Callable[[ActionContext], GitHubApi]
BASELINE_FILE = ".mcp-guard-baseline.json"
MAX_PULL_FILES = 3000  # "List pull requests files" returns at most 3000 files


def default_api(ctx: ActionContext) -> GitHubApi:
    return GitHubApi(ctx.api_url, ctx.token)


@dataclass(frozen=True)
class Settings:
    """Policy and baseline as the BASE ref has them: a PR cannot relax the rules it is judged by."""

    policy: Policy
    baseline: frozenset[str]
    changes: tuple[str, ...]  # one line per settings file the PR changes
    # Policies whose floor applies (apply_floor): the one in use, plus the default-named base policy
    # when the `config` input (which a PR's workflow can change) points elsewhere.
    floors: tuple[Policy, ...] = ()


def _load_settings(ctx: ActionContext, read_base: ReadFile, read_head: ReadFile,
                   base_configs: tuple[str | None, ...] | None = None) -> Settings:
    # The default-named base policy is the floor of whatever the `config` input names (the input is
    # the workflow's, which a same-repo PR can edit): scanner/policy/floor.py.
    default: Policy | None = None
    for name in POLICY_FILE_NAMES:
        data = read_base(name)
        if data is not None:
            default = parse_policy(data.decode("utf-8-sig", "replace"), name)
            break
    policy = default or Policy()
    notes: list[str] = []
    if ctx.config and (default is None or default.origin != ctx.config):
        data = read_base(ctx.config)
        if data is not None:
            named = parse_policy(data.decode("utf-8-sig", "replace"), ctx.config)
            policy = floor_policy(named, default) if default is not None else named
        elif read_base is read_head:
            raise ConfigError(f"policy file not found: {ctx.config}")
        else:
            # A policy the base branch does not have (the PR may add it) is not this PR's rule book:
            # the base's own policy (or the built-in default) applies, in every setting.
            notes.append(f"The `config` input names {ctx.config}, which the base branch does not have; "
                         f"{default.origin if default is not None else 'the default policy'} applies.")
    policy = config_floors(ctx, policy, default, read_base, base_configs, notes)
    baseline: frozenset[str] = frozenset()
    base_bytes = read_base(BASELINE_FILE)
    if base_bytes is not None:
        from scanner.baseline import load_baseline

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / BASELINE_FILE
            path.write_bytes(base_bytes)
            baseline = load_baseline(path)
    names = tuple(dict.fromkeys((*((ctx.config,) if ctx.config else ()), *POLICY_FILE_NAMES, BASELINE_FILE)))
    changed = [name for name in names if read_base is not read_head and read_base(name) != read_head(name)]
    changes = tuple([*notes, *(f"This pull request changes {name}; the change applies after merge, "
                               "not to this pull request." for name in changed)])
    return Settings(policy, baseline, changes, (policy,))


def _base_configs(ctx: ActionContext, env: Mapping[str, str],
                  read_base: ReadFile) -> tuple[str | None, ...] | None:
    """The `config` inputs of the base's mcp-guard steps (workflow_floor.base_configs)."""
    if ctx.event.base_sha is None:
        return None
    return base_configs(ctx, env, read_base, _base_listing(ctx))


def _base_listing(ctx: ActionContext) -> Callable[[], list[str]] | None:
    base, ws = ctx.event.base_sha, ctx.workspace
    if base is None or not gitrefs.has_commit(ws, base):
        return None
    return lambda: gitrefs.list_folder(ws, base, ".github/workflows")


def _floored(ctx: ActionContext, settings: Settings, env: Mapping[str, str],
             read_base: ReadFile) -> tuple[ActionContext, Settings]:
    """`ctx` with the base's floors applied: its policies' (apply_floor) and, on a pull request or
    merge group, its copy of the running workflow's mcp-guard inputs (apply_workflow_floor)."""
    for policy in settings.floors or (settings.policy,):
        ctx = apply_floor(ctx, policy)
    if ctx.event.base_sha is None:
        return ctx, settings
    ctx, notes = apply_workflow_floor(ctx, env, read_base, _base_listing(ctx))
    return ctx, replace(settings, changes=(*settings.changes, *notes)) if notes else settings


def _stricter(first: Severity | None, second: Severity | None) -> Severity | None:
    """The lower (stricter) of two blocking thresholds; None (nothing blocks) is the loosest."""
    if first is None or second is None:
        return second if first is None else first
    return min(first, second)


def apply_floor(ctx: ActionContext, policy: Policy) -> ActionContext:
    """The base policy is a floor the workflow's inputs (which a PR can edit) cannot go below:
    its `fail-on` caps the input's threshold, its `production.branches` add to the input's list."""
    branches = tuple(dict.fromkeys((*ctx.production_branches, *policy.production.branches)))
    return replace(ctx, fail_on=_stricter(ctx.fail_on, policy.fail_on), production_branches=branches)


def _options(ctx: ActionContext, settings: Settings, env: Mapping[str, str], today: dt.date) -> ScanOptions:
    # `ctx` has the base policy's floor applied (apply_floor): the stricter of input and policy wins.
    # gitleaks on means gitleaks required: a failed engine makes the status an error, never a pass.
    return ScanOptions(root=ctx.workspace, use_gitleaks=ctx.gitleaks, require_gitleaks=ctx.gitleaks,
                       policy=settings.policy,
                       baseline=settings.baseline, fail_on=ctx.fail_on, templates_dir=ctx.templates_dir,
                       environ=dict(env), today=today, fingerprint_key=_fingerprint_key(env),
                       strict_parse=ctx.strict_parse,
                       max_findings_per_file=findings_limit(ctx.max_findings_per_file, settings.policy))


def findings_limit(given: int | None, policy: Policy) -> int:
    """The per-file limit of detailed findings: the input (floored already by the base's copy of the
    workflow) capped by the base policy's value; without an input, the policy's, else the default."""
    from scanner.detail_budget import lower_limit
    from scanner.result import DEFAULT_MAX_FINDINGS_PER_FILE

    limit = lower_limit(given, policy.max_findings_per_file)
    return DEFAULT_MAX_FINDINGS_PER_FILE if limit is None else limit


def _fingerprint_key(env: Mapping[str, str]) -> str | None:
    """The `fingerprint-key` input or MCP_GUARD_FINGERPRINT_KEY (keyed HMAC fingerprints); a secret."""
    from scanner.gh.context import get_input
    from scanner.output_guard import register_secrets

    key = get_input(env, "fingerprint-key") or env.get("MCP_GUARD_FINGERPRINT_KEY", "").strip()
    register_secrets([key])
    return key or None


def _head_files(ctx: ActionContext) -> Mapping[str, bytes]:
    """The tree to judge: what merging the pull request makes when its base moved on since it
    branched off (gitrefs.merged_tree: a base config may load a file the PR adds), else the head
    commit when it is local, else the checked-out work tree."""
    ws, event = ctx.workspace, ctx.event
    if not gitrefs.has_commit(ws, event.head_sha):
        return gitrefs.WorkTreeFiles(ws)
    merged = None
    if ctx.event_name in PR_EVENTS and event.base_sha is not None and event.base_sha != event.head_sha \
            and gitrefs.has_commit(ws, event.base_sha):
        merged = gitrefs.merged_tree(ws, event.base_sha, event.head_sha, ctx.sha or None)
    return gitrefs.TreeFiles(ws, merged or event.head_sha)


def _base_reader(ctx: ActionContext, api: GitHubApi, runner: Runner, base: str) -> ReadFile:
    """Read files (the policy) at the base commit: local git, else fetched, else the contents API.

    Never the PR's work tree: a PR must not bring the rules it is judged by.
    """
    ws = ctx.workspace
    if not gitrefs.has_commit(ws, base):
        runner.log("mcp-guard: base commit not in the checkout; fetching it for the policy")
        gitrefs.fetch_commits(ws, base)
    if gitrefs.has_commit(ws, base):
        return lambda path: gitrefs.read_at(ws, base, path)
    runner.log("mcp-guard: reading the base policy through the contents API")
    return lambda path: api.get_file(ctx.repository, path, base)


def _scan(ctx: ActionContext, api: GitHubApi, env: Mapping[str, str], today: dt.date,
          runner: Runner) -> tuple[ActionContext, Outcome]:
    """The scan, and the context with the base policy's floor applied (what publish must judge by)."""
    ws, event = ctx.workspace, ctx.event
    head_reader = workspace_reader(ws)
    read_base: ReadFile = head_reader
    if not ctx.diff_mode:
        if event.base_sha is not None:
            # Full mode on a PR: the rules still come from the base commit, not from the PR.
            read_base = _base_reader(ctx, api, runner, event.base_sha)
        settings = _load_settings(ctx, read_base, head_reader,
                                  _base_configs(ctx, env, read_base) if event.base_sha is not None else None)
        ctx, settings = _floored(ctx, settings, env, read_base)
        options = _options(ctx, settings, env, today)
        if event.base_sha is not None and not gitrefs.has_commit(ws, event.head_sha):
            gitrefs.fetch_commits(ws, event.head_sha)  # the PR's commits are searched too (_with_history)
        files = _head_files(ctx)
        if not len(files):  # not a git checkout at all (e.g. an unpacked archive): the directory itself
            result = scan(options)
        elif event.base_sha is not None:
            result = scan_files(files, options, _changed_unknown_names(ctx, files))
        else:  # push, schedule, dispatch: the whole tree, its unknown names probed as the CLI does
            result = scan_files(files, options, _tree_unknown_names(ws, files), probe_limit_fatal=False)
        _note_submodules(result.warnings, files, None)
        if event.base_sha is not None and event.base_sha != event.head_sha:
            searched = _with_history(ctx, files, options, settings, result)
            if isinstance(searched, str):
                return ctx, Outcome(error=searched)
            result = searched
        return ctx, Outcome(result, settings_changes=settings.changes, judged=_judged(ctx, files))
    base = event.base_sha
    assert base is not None
    if base == event.head_sha:
        return ctx, Outcome(nothing_to_scan="base and head are the same commit")
    if not gitrefs.has_commit(ws, base) or not gitrefs.has_commit(ws, event.head_sha):
        runner.log("mcp-guard: base/head commit not in the checkout; fetching them (use fetch-depth: 0)")
        gitrefs.fetch_commits(ws, base, event.head_sha)
    git_ok = gitrefs.has_commit(ws, base) and gitrefs.has_commit(ws, event.head_sha)
    head_files = _head_files(ctx)
    if git_ok:
        # Symlinked configs read as their targets at both ends, as the clients follow the link.
        read_base = lambda path: gitrefs.read_following(ws, base, path)  # noqa: E731
        read_head: ReadFile = lambda path: gitrefs.read_following(ws, event.head_sha, path)  # noqa: E731
        changed = gitrefs.changed_files(ws, base, event.head_sha)
    elif event.pr_number is not None and ctx.event_name in PR_EVENTS:
        runner.log("mcp-guard: using the pull request files API; history of the PR is not scanned")
        pull_files = api.list_pull_files(ctx.repository, event.pr_number)
        if len(pull_files) >= MAX_PULL_FILES:  # GitHub lists at most 3000: the rest are unknown
            raise GitError(f"the pull request files API lists at most {MAX_PULL_FILES} files and this "
                           "pull request has that many; check out with fetch-depth: 0")
        listed, expected = len({f.filename for f in pull_files}), event.pr_changed_files
        if expected is not None and listed < expected:  # a truncated listing is no list of changes
            raise GitError(f"the pull request files API listed {listed} of the {expected} changed files "
                           "the event names; check out with fetch-depth: 0")
        changed = sorted({f.filename for f in pull_files}
                         | {f.previous_filename for f in pull_files if f.previous_filename})
        read_base = lambda path: api.get_file(ctx.repository, path, base)  # noqa: E731
        read_head = head_reader
    else:
        raise GitError("base commit is not available; check out with fetch-depth: 0")
    touched = ({path for _sha, paths in gitrefs.commit_paths(ws, base, event.head_sha) for path in paths}
               if git_ok else set())
    if git_ok:  # a change to a symlinked config's target changes that config (links of the range too)
        linked = gitrefs.symlinks_in_range(ws, base, event.head_sha, {*changed, *touched})
        changed = sorted({*changed, *linked})
    # A submodule the PR adds or moves at a client's config folder: the configs a client reads
    # through it are changed paths (reading them reports the hole; never "no MCP config changed").
    links_changed = {*changed, *touched}
    # A changed `.gitmodules` moves every submodule (another `url`, `branch` for `update --remote`):
    # each one at a client location is changed too (trust wave 19: it was "no MCP config changed").
    modules = ".gitmodules" in links_changed
    changed = sorted({*changed, *(path for path, link in _through_gitlinks(head_files).items()
                                  if modules or link in links_changed or _prefix_in(path, links_changed))})
    settings_files = (*((ctx.config,) if ctx.config else POLICY_FILE_NAMES), BASELINE_FILE)
    # Without git history the commits between base and head are not searched: only a one-commit PR
    # whose head tree is what gets scanned has no other history. Else: never a pass (not even the
    # fast path: the files API lists net changes, a config added and removed again is not in it).
    history_hole = None if git_ok else _files_api_history_hole(ctx)
    # With git, the configs that may name a changed file are looked for in the tree judged (the merge).
    grep_in = (ws, head_files.ref) if git_ok and isinstance(head_files, gitrefs.TreeFiles) else None
    if history_hole is None and (reason := unchanged_reason(
            sorted({*changed, *touched}), head_files, settings_files, grep_in)) is not None:
        # Fast path of the always-running required check: no engine starts, nothing is scanned.
        return ctx, Outcome(empty_result(ws), reason)
    settings = _load_settings(ctx, read_base, read_head, _base_configs(ctx, env, read_base))
    ctx, settings = _floored(ctx, settings, env, read_base)
    outcome = scan_diff(DiffInput(head_files, changed, read_base, (base, event.head_sha) if git_ok else None),
                        _options(ctx, settings, env, today),
                        history_blocks=settings.policy.history is not HistoryMode.WARN)
    result = outcome.result
    _note_submodules(result.warnings, head_files, links_changed)
    if history_hole is not None:
        if not outcome.relevant_changes:
            return ctx, Outcome(error=history_hole)
        result = replace(result, complete=False, errors=[
            *result.errors, *(SkippedFile(path, history_hole) for path in outcome.relevant_changes)])
    elif not git_ok:
        result.warnings.append("history not scanned (the base commit is not in the checkout): the pull "
                               "request has one commit, whose tree is the head tree that was scanned")
    nothing = None
    if not outcome.relevant_changes and not result.findings and not outcome.history_commits:
        nothing = "no MCP config changed"
    return ctx, Outcome(result, nothing, settings_changes=settings.changes,
                        history_commits=outcome.history_commits, judged=_judged(ctx, head_files))


def _judged(ctx: ActionContext, files: Mapping[str, bytes]) -> str | None:
    """The tree the findings' lines belong to when it is not the PR head's (the merge with a base that
    moved on), for the review suggestions, whose lines must be the head file's."""
    if isinstance(files, gitrefs.TreeFiles) and files.ref != ctx.event.head_sha:
        return files.ref
    return None


def _files_api_history_hole(ctx: ActionContext) -> str | None:
    """Why the PR's history is a hole when only the files API is available; None when provably not:
    one commit (GitHub's own count in the event) whose tree is the local head commit scanned."""
    commits = ctx.event.pr_commits
    if commits == 1 and gitrefs.has_commit(ctx.workspace, ctx.event.head_sha):
        return None
    count = "an unknown number of commits" if commits is None else f"{commits} commits"
    return (f"history of the pull request not scanned: the base commit is not in the checkout and the pull "
            f"request has {count} (a secret added and removed again in between is not seen); check out "
            "with fetch-depth: 0")


def _changed_unknown_names(ctx: ActionContext, files: Mapping[str, bytes]) -> set[str]:
    """Full mode on a PR or merge group: the changed files of names no client uses, scanned when
    their content is an MCP config (`scan_files`' probe), as diff mode and the CLI scan do."""
    ws, base, head = ctx.workspace, ctx.event.base_sha, ctx.event.head_sha
    if base is None or base == head or not isinstance(files, gitrefs.TreeFiles) \
            or not gitrefs.has_commit(ws, base):
        return set()
    return unknown_names(gitrefs.changed_files(ws, base, head))


def _tree_unknown_names(ws: Path, files: Mapping[str, bytes]) -> set[str]:
    """Full mode on a tree (push, schedule, dispatch): every file of a name no client uses that may
    hold an MCP config, found with one search of the commit's tree (TreeFiles.holding) or, on a
    work tree, by the CLI's own content test; `scan_files` scans those whose content is one."""
    names = unknown_names(files)
    if isinstance(files, gitrefs.TreeFiles):
        return files.holding(PROBE_MARKS, names)
    return {name for name in names if may_hold_config(ws / name)}


def _with_history(ctx: ActionContext, files: Mapping[str, bytes], options: ScanOptions, settings: Settings,
                  result: ScanResult) -> ScanResult | str:
    """Full mode on a PR or merge group: the commits of base..head are searched too, as in diff mode
    (a secret added and removed again is in git history; `scan-mode` is an input a PR can set).
    Without the commits: incomplete unless provably nothing is missed; a str is the run's error."""
    ws, base, head = ctx.workspace, ctx.event.base_sha, ctx.event.head_sha
    assert base is not None
    if not (isinstance(files, gitrefs.TreeFiles) and gitrefs.has_commit(ws, base)):
        hole = (_files_api_history_hole(ctx) if ctx.event_name in PR_EVENTS else
                "history not scanned: the base commit is not in the checkout; check out with fetch-depth: 0")
        if hole is None:
            return result
        configs = [path for path in result.scanned_files if path]
        if not configs:
            return hole
        return replace(result, complete=False,
                       errors=[*result.errors, *(SkippedFile(path, hole) for path in configs)])
    changed = gitrefs.changed_files(ws, base, head)
    outcome = scan_diff(DiffInput(files, changed, lambda path: gitrefs.read_following(ws, base, path),
                                  (base, head)), options,
                        history_blocks=settings.policy.history is not HistoryMode.WARN, head_result=result)
    history = [finding for finding in outcome.result.findings if finding.history_only]
    errors = {(e.path, e.reason): e for e in (*result.errors, *outcome.result.errors)}
    return replace(result, findings=sorted([*result.findings, *history], key=sort_key),
                   errors=sorted(errors.values(), key=lambda e: e.path),
                   complete=result.complete and outcome.result.complete)


def _prefix_in(path: str, paths: set[str]) -> bool:
    """Whether `path` or a folder above it (a symlink to a submodule's folder) is in `paths`."""
    parts = path.split("/")
    return any("/".join(parts[:end]) in paths for end in range(1, len(parts) + 1))


def _through_gitlinks(files: Mapping[str, bytes]) -> dict[str, str]:
    through = getattr(files, "through_gitlinks", None)
    return through if isinstance(through, dict) else {}


def _note_submodules(warnings: list[str], files: Mapping[str, bytes], only: set[str] | None) -> None:
    """Warn about submodules at no client location (those at one are scan errors already)."""
    links = [link for link in getattr(files, "gitlinks", ()) if only is None or link in only]
    warning = submodules.elsewhere_warning(links, _through_gitlinks(files))
    if warning is not None and warning not in warnings:
        warnings.append(warning)


def _error_status_without_context(env: Mapping[str, str], api_factory: ApiFactory, runner: Runner,
                                  message: str) -> None:
    """Bad inputs or event: still mark the head commit `error` (best effort), never leave it pending."""
    from scanner.gh.context import get_input
    from scanner.gh.payload import EventInfo, report_sha
    from scanner.gh.status import StatusDecision, post_status

    try:
        payload = json.loads(Path(env.get("GITHUB_EVENT_PATH", "")).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        payload = {}
    # The PR / merge group head or the pushed commit, validated; none for a push deleting its ref, nor
    # for a payload without a well-formed head (never GITHUB_SHA then: a PR's test merge commit).
    head = report_sha(env.get("GITHUB_EVENT_NAME", ""), payload if isinstance(payload, dict) else {},
                      env.get("GITHUB_SHA", ""), env.get("GITHUB_REF", "")) or ""
    from scanner.gh.context import MAX_STATUS_CONTEXT

    token, repo = get_input(env, "github-token"), env.get("GITHUB_REPOSITORY", "")
    too_long = len(get_input(env, "status-context", "mcp-guard")) > MAX_STATUS_CONTEXT
    if not (head and token and repo) or too_long:
        return  # (a context GitHub refuses: the ::error line and the exit code say why)
    ctx = ActionContext(
        event_name=env.get("GITHUB_EVENT_NAME", ""), repository=repo,
        api_url=env.get("GITHUB_API_URL") or "https://api.github.com",
        server_url=env.get("GITHUB_SERVER_URL") or "https://github.com", workspace=Path("."),
        output_path=None, summary_path=None, sha=env.get("GITHUB_SHA", ""),
        run_id=env.get("GITHUB_RUN_ID", ""), event=EventInfo(None, head, None), token=token,
        status_context=get_input(env, "status-context", "mcp-guard"))
    decision = StatusDecision("error", f"mcp-guard could not start: {message}"[:140])
    try:
        post_status(api_factory(ctx), repo, head, decision, ctx.status_context, ctx.run_url)
    except Exception:  # noqa: BLE001 - best effort (e.g. a read-only token): the exit code says error
        runner.log("mcp-guard: commit status not set")


def _deleted_ref(ctx: ActionContext, runner: Runner) -> int:
    """A push that deletes a branch or tag: nothing to scan and no commit to set a status on (the
    run's GITHUB_SHA is then the default branch's tip, which this run did not judge). A notice, exit 0."""
    from scanner.markdown.escape import md_escape

    ref = ctx.event.deleted_ref or ""
    runner.command("notice", f"mcp-guard: this push deletes {ref}: nothing to scan, no commit status set",
                   title="mcp-guard")
    runner.write_summary(f"## mcp-guard\n\nNothing to scan: this push deletes `{md_escape(ref)}`; "
                         "no commit status was set.\n")
    runner.set_outputs({"findings": "0", "blocking": "0", "sarif-file": "", "comment-url": "",
                        "result": "success", "status-set": "false"})
    return 0


def run_action(env: Mapping[str, str], api_factory: ApiFactory = default_api,
               now: Callable[[], dt.datetime] | None = None, stream: TextIO | None = None) -> int:
    """Run the Action; returns the exit code (0 pass, 1 blocking findings on a production branch, 2 error)."""
    out = stream if stream is not None else sys.stdout
    from scanner.gh.context import get_input
    from scanner.output_guard import register_secrets

    register_secrets([get_input(env, "github-token")])  # no output may carry the API token either
    runner = Runner(out, Path(env["GITHUB_OUTPUT"]) if env.get("GITHUB_OUTPUT") else None,
                    Path(env["GITHUB_STEP_SUMMARY"]) if env.get("GITHUB_STEP_SUMMARY") else None)
    try:
        ctx = ActionContext.from_env(env)
    except Exception as exc:  # noqa: BLE001 - an input nobody foresaw must still end in `error`
        # (before: only McpGuardError was caught, and an OSError reading an input crashed the run
        # with no status at all; trust wave 19)
        message = str(exc) if isinstance(exc, McpGuardError) else f"internal error ({type(exc).__name__})"
        runner.command("error", f"mcp-guard: {message}", title="mcp-guard")
        _error_status_without_context(env, api_factory, runner, message)
        return 2
    if ctx.event.deleted:
        return _deleted_ref(ctx, runner)
    api = api_factory(ctx)
    today = (now() if now is not None else dt.datetime.now(dt.UTC)).date()
    scan_ctx = ctx
    try:
        # The scan runs under the deadline (`timeout` input); past it, the status is an error now.
        ctx, outcome = run_with_deadline(lambda: _scan(scan_ctx, api, env, today, runner),
                                         scan_ctx.timeout, scan_ctx.file_timeout,
                                         what="the scan (timeout input)")
    except McpGuardError as exc:
        outcome = Outcome(error=str(exc))
    except Exception as exc:  # noqa: BLE001 - the status must say "error", never stay pending
        outcome = Outcome(error=f"internal error ({type(exc).__name__})")
    if outcome.result is not None and retarget_matters(ctx, outcome.result):
        outcome = replace(outcome, unguarded_retarget=workflow_skips_retarget(ctx, env))
    return publish(ctx, api, runner, outcome)
