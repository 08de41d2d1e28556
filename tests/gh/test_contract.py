"""The contract fake itself: what it refuses is what GitHub (or a faithful emulator) refuses."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gh.github_contract import (
    API,
    API_VERSION,
    check_request,
    example,
    minimal,
    operations,
    response_schema,
)

HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION,
           "User-Agent": "mcp-guard", "Authorization": "Bearer t"}
FILES = ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files")
PROTECTION = ("GET", "/repos/{owner}/{repo}/branches/{branch}/protection")
STATUS = ("POST", "/repos/{owner}/{repo}/statuses/{sha}")


def _problems(op: tuple[str, str], url: str, body: Any = None, **headers: str) -> list[str]:
    problems, _status = check_request(operations()[op], API + url, {**HEADERS, **headers}, body)
    return problems


def test_a_valid_request_passes() -> None:
    assert _problems(FILES, "/repos/o/r/pulls/7/files?per_page=100&page=3") == []
    assert _problems(PROTECTION, "/repos/o/r/branches/release%2F1.2/protection") == []


@pytest.mark.parametrize(("op", "url", "wanted"), [
    (FILES, "/repos/o/r/pulls/7/files?per_page=101", "outside 1..100"),
    (FILES, "/repos/o/r/pulls/7/files?page=0", "below 1"),
    (FILES, "/repos/o/r/pulls/7/files?per_page=100&per_page=30", "given twice"),
    (FILES, "/repos/o/r/pulls/7/files?sha=abc", "not a parameter"),
    (FILES, "/repos/o/r/pulls/seven/files", "not an integer"),
    (PROTECTION, "/repos/o/r/branches/release/1.2/protection", "is not /repos/{owner}/{repo}/branches"),
])
def test_parameters_are_checked_against_the_spec(op: tuple[str, str], url: str, wanted: str) -> None:
    assert any(wanted in problem for problem in _problems(op, url))


@pytest.mark.parametrize(("header", "value"), [
    ("Accept", "*/*"), ("X-GitHub-Api-Version", ""), ("User-Agent", ""), ("Authorization", "token t")])
def test_headers_are_checked(header: str, value: str) -> None:
    assert _problems(FILES, "/repos/o/r/pulls/7/files", **{header: value})


def test_bodies_and_limits() -> None:
    op = operations()[STATUS]
    url = API + "/repos/o/r/statuses/" + "a" * 40
    assert check_request(op, url, HEADERS, {"state": "green"})[1] == 400
    problems, status = check_request(op, url, HEADERS, {"state": "success", "description": "x" * 141})
    assert status == 422 and "maximum is 140" in problems[0]
    assert check_request(op, url, HEADERS, {"state": "success", "description": "x" * 140}) == ([], 422)


def test_unknown_operations_are_refused() -> None:
    assert ("GET", "/repos/{owner}/{repo}/statuses/{sha}") not in operations()  # legacy, not in the spec


def test_minimal_bodies_hold_only_required_fields_and_validate() -> None:
    import jsonschema

    comment = minimal("/repos/{owner}/{repo}/issues/{issue_number}/comments", "get", item=True)
    assert comment["user"] is None and "body" not in comment  # body is optional, user nullable
    jsonschema.validate([comment], response_schema("/repos/{owner}/{repo}/issues/{issue_number}/comments",
                                                   "get", "200"))
    assert set(comment) < set(example("issue-comment"))
