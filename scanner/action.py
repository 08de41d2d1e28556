"""`mcp-guard action`: Actions environment -> scan (diff or full) -> SARIF, summary, annotations,
sticky comment, commit status, outputs. The only place the Action turns errors into exit codes."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from scanner import gitrefs
from scanner.errors import ConfigError, GitError, McpGuardError
from scanner.gh.api import GitHubApi
from scanner.gh.context import PR_EVENTS, ActionContext
from scanner.gh.diff import DiffInput, ReadFile, scan_diff, workspace_reader
from scanner.gh.events import empty_result, unchanged_reason
from scanner.gh.publish import Outcome, publish
from scanner.gh.runner import Runner
from scanner.pipeline import ScanOptions, scan, scan_files
from scanner.policy import POLICY_FILE_NAMES, HistoryMode, Policy, parse_policy

ApiFactory = Callable[[ActionContext], GitHubApi]
BASELINE_FILE = ".mcp-guard-baseline.json"


def default_api(ctx: ActionContext) -> GitHubApi:
    return GitHubApi(ctx.api_url, ctx.token)


@dataclass(frozen=True)
class Settings:
    """Policy and baseline as the BASE ref has them: a PR cannot relax the rules it is judged by."""

    policy: Policy
    baseline: frozenset[str]
    changes: tuple[str, ...]  # one line per settings file the PR changes


def _load_settings(ctx: ActionContext, read_base: ReadFile, read_head: ReadFile) -> Settings:
    names = (ctx.config,) if ctx.config else POLICY_FILE_NAMES
    policy = Policy()
    for name in names:
        data = read_base(name)
        if data is not None:
            policy = parse_policy(data.decode("utf-8-sig", "replace"), name)
            break
    else:
        if ctx.config and read_base is read_head:
            raise ConfigError(f"policy file not found: {ctx.config}")
    baseline: frozenset[str] = frozenset()
    base_bytes = read_base(BASELINE_FILE)
    if base_bytes is not None:
        from scanner.baseline import load_baseline

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / BASELINE_FILE
            path.write_bytes(base_bytes)
            baseline = load_baseline(path)
    changed = [name for name in (*names, BASELINE_FILE)
               if read_base is not read_head and read_base(name) != read_head(name)]
    changes = tuple(f"This pull request changes {name}; the change applies after merge, "
                    "not to this pull request." for name in changed)
    return Settings(policy, baseline, changes)


def _options(ctx: ActionContext, settings: Settings, env: Mapping[str, str], today: dt.date) -> ScanOptions:
    # NOTE: the runner always passes the `fail-on` input (default high), so it wins over the policy's.
    return ScanOptions(root=ctx.workspace, use_gitleaks=ctx.gitleaks, policy=settings.policy,
                       baseline=settings.baseline, fail_on=ctx.fail_on, templates_dir=ctx.templates_dir,
                       environ=dict(env), today=today)


def _head_files(ctx: ActionContext) -> Mapping[str, bytes]:
    """The tree to judge: the head commit when it is local, else the checked-out work tree."""
    if gitrefs.has_commit(ctx.workspace, ctx.event.head_sha):
        return gitrefs.TreeFiles(ctx.workspace, ctx.event.head_sha)
    return gitrefs.WorkTreeFiles(ctx.workspace)


def _scan(ctx: ActionContext, api: GitHubApi, env: Mapping[str, str], today: dt.date,
          runner: Runner) -> Outcome:
    ws, event = ctx.workspace, ctx.event
    base_sha = event.base_sha or ""
    head_reader = workspace_reader(ws)
    read_base: ReadFile = head_reader
    if not ctx.diff_mode:
        if event.base_sha is not None and gitrefs.has_commit(ws, event.base_sha):
            # Full mode on a PR: the rules still come from the base commit, not from the PR.
            read_base = lambda path: gitrefs.read_at(ws, base_sha, path)  # noqa: E731
        settings = _load_settings(ctx, read_base, head_reader)
        options = _options(ctx, settings, env, today)
        files = _head_files(ctx)
        # Not a git checkout at all (e.g. an unpacked archive): scan the directory itself.
        result = scan_files(files, options) if len(files) else scan(options)
        return Outcome(result, settings_changes=settings.changes)
    base = event.base_sha
    assert base is not None
    if base == event.head_sha:
        return Outcome(nothing_to_scan="base and head are the same commit")
    if not gitrefs.has_commit(ws, base) or not gitrefs.has_commit(ws, event.head_sha):
        runner.log("mcp-guard: base/head commit not in the checkout; fetching them (use fetch-depth: 0)")
        gitrefs.fetch_commits(ws, base, event.head_sha)
    git_ok = gitrefs.has_commit(ws, base) and gitrefs.has_commit(ws, event.head_sha)
    head_files = _head_files(ctx)
    if git_ok:
        read_base = lambda path: gitrefs.read_at(ws, base, path)  # noqa: E731
        read_head: ReadFile = lambda path: gitrefs.read_at(ws, event.head_sha, path)  # noqa: E731
        changed = gitrefs.changed_files(ws, base, event.head_sha)
    elif event.pr_number is not None and ctx.event_name in PR_EVENTS:
        runner.log("mcp-guard: using the pull request files API; history of the PR is not scanned")
        pull_files = api.list_pull_files(ctx.repository, event.pr_number)
        changed = sorted({f.filename for f in pull_files}
                         | {f.previous_filename for f in pull_files if f.previous_filename})
        read_base = lambda path: api.get_file(ctx.repository, path, base)  # noqa: E731
        read_head = head_reader
    else:
        raise GitError("base commit is not available; check out with fetch-depth: 0")
    touched = gitrefs.paths_touched(ws, base, event.head_sha) if git_ok else []
    settings_files = (*((ctx.config,) if ctx.config else POLICY_FILE_NAMES), BASELINE_FILE)
    if (reason := unchanged_reason(sorted({*changed, *touched}), head_files, settings_files,
                                   (ws, event.head_sha) if git_ok else None)) is not None:
        # Fast path of the always-running required check: no engine starts, nothing is scanned.
        return Outcome(empty_result(ws), reason)
    settings = _load_settings(ctx, read_base, read_head)
    outcome = scan_diff(DiffInput(head_files, changed, read_base, (base, event.head_sha) if git_ok else None),
                        _options(ctx, settings, env, today),
                        history_blocks=settings.policy.history is not HistoryMode.WARN)
    result = outcome.result
    if not git_ok:
        result.warnings.append("history not scanned: the base commit is not in the checkout")
    nothing = None
    if not outcome.relevant_changes and not result.findings:
        nothing = "no MCP config changed"
    return Outcome(result, nothing, settings_changes=settings.changes,
                   history_commits=outcome.history_commits)


def run_action(env: Mapping[str, str], api_factory: ApiFactory = default_api,
               now: Callable[[], dt.datetime] | None = None, stream: TextIO | None = None) -> int:
    """Run the Action; returns the exit code (0 pass, 1 blocking findings on a production branch, 2 error)."""
    out = stream if stream is not None else sys.stdout
    runner = Runner(out, Path(env["GITHUB_OUTPUT"]) if env.get("GITHUB_OUTPUT") else None,
                    Path(env["GITHUB_STEP_SUMMARY"]) if env.get("GITHUB_STEP_SUMMARY") else None)
    try:
        ctx = ActionContext.from_env(env)
    except McpGuardError as exc:
        runner.command("error", f"mcp-guard: {exc}", title="mcp-guard")
        return 2
    api = api_factory(ctx)
    today = (now() if now is not None else dt.datetime.now(dt.UTC)).date()
    try:
        outcome = _scan(ctx, api, env, today, runner)
    except McpGuardError as exc:
        outcome = Outcome(error=str(exc))
    except Exception as exc:  # noqa: BLE001 - the status must say "error", never stay pending
        outcome = Outcome(error=f"internal error ({type(exc).__name__})")
    return publish(ctx, api, runner, outcome)

