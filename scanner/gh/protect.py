"""`mcp-guard protect`: make the mcp-guard status a required check of a branch's protection.

GET the protection, add the context, PUT the whole rule back with every other setting carried over
(a PUT replaces the rule, so anything not copied forward would be switched off).
"""

from __future__ import annotations

from typing import Any

from scanner.errors import GitHubError
from scanner.gh.api import GitHubApi, GitHubHTTPError


def _enabled(protection: dict[str, Any], key: str) -> bool | None:
    node = protection.get(key)
    return bool(node.get("enabled")) if isinstance(node, dict) else None


def _names(node: Any, key: str) -> list[str]:
    """Users/teams/apps of a restriction object as the names the PUT body expects."""
    items = node.get(key, []) if isinstance(node, dict) else []
    field = "login" if key == "users" else "slug"
    return [item[field] for item in items if isinstance(item, dict) and isinstance(item.get(field), str)]


def _actors(node: Any) -> dict[str, list[str]] | None:
    if not isinstance(node, dict):
        return None
    return {key: _names(node, key) for key in ("users", "teams", "apps")}


def _reviews(node: Any) -> dict[str, Any] | None:
    if not isinstance(node, dict):
        return None
    body: dict[str, Any] = {key: node[key] for key in (
        "dismiss_stale_reviews", "require_code_owner_reviews", "required_approving_review_count",
        "require_last_push_approval") if key in node}
    for key in ("dismissal_restrictions", "bypass_pull_request_allowances"):
        actors = _actors(node.get(key))
        if actors is not None:
            body[key] = actors
    return body


def _checks(protection: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    """Existing required checks (context + app_id pin) and the strict flag."""
    status = protection.get("required_status_checks")
    if not isinstance(status, dict):
        return [], False
    checks: list[dict[str, Any]] = []
    for check in status.get("checks") or []:
        if isinstance(check, dict) and isinstance(check.get("context"), str):
            entry: dict[str, Any] = {"context": check["context"]}
            if isinstance(check.get("app_id"), int):
                entry["app_id"] = check["app_id"]
            checks.append(entry)
    known = {check["context"] for check in checks}
    checks += [{"context": c} for c in status.get("contexts") or [] if isinstance(c, str) and c not in known]
    return checks, bool(status.get("strict"))


def merged_protection(protection: dict[str, Any] | None, context: str) -> dict[str, Any] | None:
    """The PUT body adding `context`, or None when it is already required.

    Only `checks` is sent (with app_id pins kept): GitHub answers 422 when both `checks` and the
    deprecated `contexts` are given, although the published schema still lists `contexts` as required.
    """
    current = protection or {}
    checks, strict = _checks(current)
    if any(check["context"] == context for check in checks):
        return None
    body: dict[str, Any] = {
        "required_status_checks": {"strict": strict, "checks": [*checks, {"context": context}]},
        "enforce_admins": _enabled(current, "enforce_admins"),
        "required_pull_request_reviews": _reviews(current.get("required_pull_request_reviews")),
        "restrictions": _actors(current.get("restrictions")),
    }
    for key in ("required_linear_history", "allow_force_pushes", "allow_deletions", "block_creations",
                "required_conversation_resolution", "lock_branch", "allow_fork_syncing"):
        value = _enabled(current, key)
        if value is not None:
            body[key] = value
    return body


def add_required_status(api_url: str, token: str, repo: str, branch: str, context: str = "mcp-guard",
                        api: GitHubApi | None = None) -> str:
    """Require `context` on `branch`; returns a one-line description of what changed."""
    client = api if api is not None else GitHubApi(api_url, token)
    protection = client.get_branch_protection(repo, branch)
    body = merged_protection(protection, context)
    if body is None:
        return f"{context} is already a required status check on {branch}"
    try:
        client.put_branch_protection(repo, branch, body)
    except GitHubHTTPError as exc:
        if exc.status in (403, 404):
            raise GitHubError(f"cannot change protection of {branch} in {repo}: the token needs admin "
                              "permission on the repository (or the branch does not exist)") from None
        raise
    created = " (new protection rule)" if protection is None else ""
    return f"{context} is now a required status check on {branch}{created}"
