"""What GitHub enforces beyond the REST description, as tests/gh/github_contract.py's fake answers it:
field limits (422), the fine-grained permissions each operation needs (403 "Resource not accessible by
integration" with `x-accepted-github-permissions`), the per-commit status limit, and where a review
comment may sit (a right-side line of a hunk of the file's `patch`). Sources: ../shared/github/README.md,
GitHub's REST docs and "Permissions required for GitHub Apps"; the 422/403 bodies are GitHub's own."""

from __future__ import annotations

import copy
import re
from typing import Any

STATUSES = "/repos/{owner}/{repo}/statuses/{sha}"
REVIEWS = "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"
REVIEW_COMMENTS = "/repos/{owner}/{repo}/pulls/{pull_number}/comments"
PULL_FILES = "/repos/{owner}/{repo}/pulls/{pull_number}/files"
PROTECTION = "/repos/{owner}/{repo}/branches/{branch}/protection"
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def _hunks(patch: str) -> list[set[int]]:
    """The right-side (new file) line numbers of each hunk of a `patch`: context and added lines."""
    hunks: list[set[int]] = []
    line = 0
    for raw in patch.split("\n"):
        match = _HUNK.match(raw)
        if match:
            hunks.append(set())
            line = int(match.group(1))
        elif hunks and raw[:1] in (" ", "+"):
            hunks[-1].add(line)
            line += 1
    return hunks


def _on_the_diff(patch: str, comment: dict[str, Any]) -> bool:
    """GitHub's rule for a RIGHT-side review comment: `line` in a hunk, `start_line` (if any) in the
    same hunk and before it. LEFT-side and `position` comments are not judged here."""
    if comment.get("side", "RIGHT") != "RIGHT" or "line" not in comment:
        return True
    line, start = comment["line"], comment.get("start_line", comment["line"])
    return any(line in hunk and start in hunk and start <= line for hunk in _hunks(patch))


# Limits GitHub enforces with a 422 that the schema does not state (../shared/github/README.md).
LIMITS = {
    ("POST", "/repos/{owner}/{repo}/statuses/{sha}"): [("description", 140)],
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments"): [("body", 65536)],
    ("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}"): [("body", 65536)],
    ("PATCH", "/repos/{owner}/{repo}/pulls/comments/{comment_id}"): [("body", 65536)],
    ("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/comments"): [("body", 65536)],
    ("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"): [("body", 65536),
                                                                     ("comments[].body", 65536)],
    ("POST", "/repos/{owner}/{repo}/check-runs"): [("output.summary", 65535), ("output.text", 65535)],
    ("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}"): [("output.summary", 65535),
                                                                    ("output.text", 65535)],
}
# GitHub's `resource` in a 422 error of each operation.
RESOURCES = {"/repos/{owner}/{repo}/statuses/{sha}": "Status",
             "/repos/{owner}/{repo}/issues/{issue_number}/comments": "IssueComment",
             "/repos/{owner}/{repo}/issues/comments/{comment_id}": "IssueComment",
             "/repos/{owner}/{repo}/pulls/{pull_number}/comments": "PullRequestReviewComment",
             "/repos/{owner}/{repo}/pulls/comments/{comment_id}": "PullRequestReviewComment",
             "/repos/{owner}/{repo}/pulls/{pull_number}/reviews": "PullRequestReview"}
# The status `context` is at most 255 characters and `target_url` must be an http(s) URL (GitHub's
# 422s: "target_url must use http(s) scheme"); at most 1000 statuses per sha and context ("This SHA
# and context has reached the maximum number of statuses.", the REST docs' note on creating one).
MAX_CONTEXT = 255
MAX_STATUSES_PER_CONTEXT = 1000
# The fine-grained permissions each operation needs ("Permissions required for GitHub Apps"; any one
# of the listed alternatives suffices). A token without them (GITHUB_TOKEN without `statuses: write`,
# a fork's read-only token) gets 403 "Resource not accessible by integration" with the header
# `x-accepted-github-permissions` naming what would do.
_ISSUE_READ = (("issues", "read"), ("pull_requests", "read"))
_ISSUE_WRITE = (("issues", "write"), ("pull_requests", "write"))
PERMISSIONS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("POST", "/repos/{owner}/{repo}/statuses/{sha}"): (("statuses", "write"),),
    ("GET", "/repos/{owner}/{repo}/commits/{ref}/status"): (("statuses", "read"),),
    ("GET", "/repos/{owner}/{repo}/commits/{ref}/statuses"): (("statuses", "read"),),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments"): _ISSUE_READ,
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments"): _ISSUE_WRITE,
    ("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}"): _ISSUE_WRITE,
    ("DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}"): _ISSUE_WRITE,
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}"): _ISSUE_READ,
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}"): (("pull_requests", "read"),),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files"): (("pull_requests", "read"),),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/comments"): (("pull_requests", "read"),),
    ("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/comments"): (("pull_requests", "write"),),
    ("PATCH", "/repos/{owner}/{repo}/pulls/comments/{comment_id}"): (("pull_requests", "write"),),
    ("DELETE", "/repos/{owner}/{repo}/pulls/comments/{comment_id}"): (("pull_requests", "write"),),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"): (("pull_requests", "read"),),
    ("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"): (("pull_requests", "write"),),
    ("GET", "/repos/{owner}/{repo}/contents/{path}"): (("contents", "read"),),
    ("GET", "/repos/{owner}/{repo}/compare/{basehead}"): (("contents", "read"),),
    ("GET", "/repos/{owner}/{repo}/commits/{ref}"): (("contents", "read"),),
    ("GET", "/repos/{owner}/{repo}/branches/{branch}"): (("contents", "read"),),
    ("POST", "/repos/{owner}/{repo}/check-runs"): (("checks", "write"),),
    ("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}"): (("checks", "write"),),
    ("GET", "/repos/{owner}/{repo}/branches/{branch}/protection"): (("administration", "read"),),
    ("PUT", "/repos/{owner}/{repo}/branches/{branch}/protection"): (("administration", "write"),),
}
LEVELS = {"none": 0, "read": 1, "write": 2, "admin": 3}
# The token of a pull request from a fork (and, by default, of a Dependabot run): read access only.
READ_ONLY = {scope: "read" for needs in PERMISSIONS.values() for scope, _level in needs}
MAX_ANNOTATIONS = 50  # per check-run request


def body_rules(method: str, template: str, body: Any) -> list[str]:
    """What GitHub refuses (422) in a body the schema accepts, beyond the LIMITS lengths."""
    problems: list[str] = []
    if (method, template) == ("POST", REVIEWS) and isinstance(body, dict):
        # With the Actions token GitHub refuses an approval (unless the repository allows it); a review
        # without `event` is PENDING: created, but nobody else sees it (and a second one is refused).
        if body.get("event") == "APPROVE":
            problems.append("GitHub Actions is not permitted to approve pull requests.")
        if body.get("event") in (None, "PENDING"):
            problems.append("event left out: the review stays PENDING, seen by nobody but its author "
                            "(User can only have one pending review per pull request)")
    if (method, template) == ("POST", STATUSES) and isinstance(body, dict):
        if isinstance(body.get("context"), str) and len(body["context"]) > MAX_CONTEXT:
            problems.append(f"context is too long (maximum is {MAX_CONTEXT} characters)")
        target = body.get("target_url")
        if target is not None and not re.match(r"https?://[^/\s]+", str(target)):
            problems.append("target_url must use http(s) scheme")
    return problems


def accepted_body_schema(method: str, template: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The request-body schema as GitHub accepts it: the published one, relaxed by exactly the
    differences tests/fixtures/github/README.md documents, so such a body is still validated (types,
    enums, undocumented fields) instead of not at all.

    - PUT .../protection: `required_status_checks.checks` without the deprecated `contexts` (GitHub
      takes it; the schema still requires `contexts`)."""
    if (method, template) != ("PUT", PROTECTION):
        return schema
    relaxed = copy.deepcopy(schema)
    checks = relaxed["properties"]["required_status_checks"]
    checks["required"] = [name for name in checks.get("required", []) if name != "contexts"]
    return relaxed


def denied(permissions: dict[str, str] | None, method: str,
           template: str) -> tuple[int, dict[str, str], Any] | None:
    """GitHub's 403 for a token without the permissions of this operation (None: allowed)."""
    needs = PERMISSIONS.get((method, template))
    if permissions is None or needs is None:
        return None
    if any(LEVELS[permissions.get(scope, "none")] >= LEVELS[level] for scope, level in needs):
        return None
    accepted = "; ".join(f"{scope}={level}" for scope, level in needs)
    return 403, {"x-accepted-github-permissions": accepted}, {
        "message": "Resource not accessible by integration",
        "documentation_url": "https://docs.github.com/rest", "status": "403"}


def status_limit_answer() -> tuple[int, dict[str, str], Any]:
    return 422, {}, {"message": "Validation Failed", "errors": [
        {"resource": "Status", "code": "custom",
         "message": "This SHA and context has reached the maximum number of statuses."}],
        "documentation_url": "https://docs.github.com/rest/commits/statuses#create-a-commit-status"}


def served_patches(pull: str, payload: Any) -> dict[tuple[str, str], str]:
    """(pull request path, filename) -> patch of a `pulls/{n}/files` page."""
    if not isinstance(payload, list):
        return {}
    return {(pull, item["filename"]): item["patch"] for item in payload
            if isinstance(item, dict) and isinstance(item.get("filename"), str)
            and isinstance(item.get("patch"), str)}


def off_the_diff(method: str, template: str, pull: str, body: Any,
                 patches: dict[tuple[str, str], str]) -> dict[str, Any] | None:
    """The first review comment of a POST .../reviews or .../comments that is not on the diff of a
    file whose patch was served, or None."""
    if (method, template) not in (("POST", REVIEWS), ("POST", REVIEW_COMMENTS)) or not isinstance(body, dict):
        return None
    comments = body.get("comments") if template == REVIEWS else [body]
    for comment in comments or []:
        if isinstance(comment, dict) and (pull, comment.get("path")) in patches \
                and not _on_the_diff(patches[(pull, comment["path"])], comment):
            return comment
    return None


def off_the_diff_answer(template: str) -> tuple[int, dict[str, str], Any]:
    """GitHub's 422: a review is all or nothing; a single comment names its field."""
    if template == REVIEWS:
        return 422, {}, {"message": "Unprocessable Entity", "errors": [
            "Pull request review thread line must be part of the diff and Pull request review thread "
            "diff hunk can't be blank"]}
    return 422, {}, {"message": "Validation Failed", "errors": [
        {"resource": "PullRequestReviewComment", "code": "custom",
         "field": "pull_request_review_thread.line",
         "message": "pull_request_review_thread.line must be part of the diff"},
        {"resource": "PullRequestReviewComment", "code": "missing_field",
         "field": "pull_request_review_thread.diff_hunk"}]}
