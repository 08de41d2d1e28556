"""`mcp-guard protect`: required status check added to branch protection, other settings kept."""

from __future__ import annotations

from typing import Any

import pytest

from scanner.errors import GitHubError
from scanner.gh.protect import add_required_status
from tests.gh.github_contract import API, FakeGitHub, example

PROTECTION = "/repos/{owner}/{repo}/branches/{branch}/protection"


def _put_ok(_body: Any, _url: str) -> tuple[int, dict[str, str], Any]:
    # The body is validated by the fake itself: the published schema relaxed only where the README
    # documents GitHub accepting more (`checks` without the deprecated `contexts`).
    return 200, {}, example("branch-protection")


def test_adds_context_and_keeps_existing_settings(gh: FakeGitHub) -> None:
    current = example("branch-protection")
    # The example has only legacy `contexts`; add an app-pinned check as newer rules have.
    current["required_status_checks"]["checks"] = [{"context": "build", "app_id": 15368}]
    gh.add("GET", PROTECTION, lambda b, u: (200, {}, current))
    gh.add("PUT", PROTECTION, _put_ok)
    message = add_required_status(API, "tok", "o/r", "release/1.2", "mcp-guard")
    body = gh.requests("PUT")[0].body
    assert body["required_status_checks"]["checks"] == [
        {"context": "build", "app_id": 15368}, {"context": "continuous-integration/travis-ci"},
        {"context": "mcp-guard"}]
    assert "contexts" not in body["required_status_checks"]
    assert body["enforce_admins"] is True and body["required_linear_history"] is True
    assert body["restrictions"]["users"] == ["octocat"]
    assert body["required_pull_request_reviews"]["dismissal_restrictions"]["teams"] == ["justice-league"]
    assert "release%2F1.2" in gh.calls[0].url and "now a required" in message


def test_no_protection_yet_creates_rule(gh: FakeGitHub) -> None:
    gh.add("GET", PROTECTION, lambda b, u: (404, {}, {"message": "Branch not protected"}))
    gh.add("PUT", PROTECTION, _put_ok)
    assert "new protection rule" in add_required_status(API, "tok", "o/r", "main")
    body = gh.requests("PUT")[0].body
    assert body == {"required_status_checks": {"strict": False, "checks": [{"context": "mcp-guard"}]},
                    "enforce_admins": None, "required_pull_request_reviews": None, "restrictions": None}


def test_already_required_makes_no_change(gh: FakeGitHub) -> None:
    current = example("branch-protection")
    current["required_status_checks"]["contexts"] = ["mcp-guard"]
    gh.add("GET", PROTECTION, lambda b, u: (200, {}, current))
    assert "already" in add_required_status(API, "tok", "o/r", "main")


def test_missing_admin_permission_is_explained(gh: FakeGitHub) -> None:
    gh.add("GET", PROTECTION, lambda b, u: (404, {}, {"message": "Not Found"}))
    gh.add("PUT", PROTECTION, lambda b, u: (404, {}, {"message": "Not Found"}))
    with pytest.raises(GitHubError, match="admin permission"):
        add_required_status(API, "tok", "o/r", "main")
