"""ActionContext: the Actions environment (GITHUB_*, INPUT_*, event payload) read once, frozen.

Nothing else in the package reads os.environ for the Action; everything receives this object.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from scanner.errors import ConfigError
from scanner.gh.payload import SUPPORTED_EVENTS, EventInfo, commit_sha, parse_event
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


def parse_findings_limit(value: str) -> int | None:
    """`max-findings-per-file`: a whole number (0: no limit); empty: not set (the policy's, else 1000)."""
    text = value.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ConfigError("input max-findings-per-file must be a whole number (0 for no limit)")
    return int(text)


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
    # Detailed findings per file (scanner/detail_budget.py); None: the input is empty (the base
    # policy's value, else the default); 0: no limit. A PR's inputs can only lower it (workflow_floor).
    max_findings_per_file: int | None = None
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
            max_findings_per_file=parse_findings_limit(get_input(env, "max-findings-per-file")),
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
        try:
            linked = node.is_symlink()
        except (OSError, ValueError):  # a name too long for the file system, a NUL: no such folder
            raise ConfigError("input templates-dir is not a folder name the file system accepts") from None
        if linked:
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
