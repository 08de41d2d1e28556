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
           "User-Agent": "mcp-guard", "Authorization": "Bearer t", "Content-Type": "application/json"}
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


def test_reading_an_undocumented_answer_field_is_a_violation() -> None:
    """A faithful emulator sends only what the response schema documents: the fake records every
    field the product reads from an answer, at any depth, and one the schema lacks fails the test."""
    from scanner.gh.api import GitHubApi
    from tests.gh.github_contract import fake_github

    comment = example("issue-comment")
    with pytest.raises(AssertionError, match="reads 'reactions_total'|reads 'display_name'") as caught:
        with fake_github() as gh:
            gh.add("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments",
                   lambda _b, _u: (200, {}, [comment]))
            api = GitHubApi(API, "t", sleep=lambda _s: None)
            _, data = api.request("GET", "/repos/o/r/issues/1/comments")
            for item in data:
                assert item.get("body") == comment["body"]  # documented: fine
                assert "reactions_total" not in item  # undocumented at the top level
                item["user"].get("display_name")  # undocumented one level down
    message = str(caught.value)
    assert "reads 'reactions_total'" in message and "user: reads 'display_name'" in message
    assert "reads 'body'" not in message


def test_documented_reads_pass_the_strict_fake() -> None:
    from scanner.gh.api import GitHubApi
    from tests.gh.github_contract import fake_github

    with fake_github() as gh:
        gh.add("GET", "/user", lambda _b, _u: (200, {}, minimal("/user", "get", choose=1, login="octo")))
        assert GitHubApi(API, "t", sleep=lambda _s: None).authenticated_login() == "octo"


def test_a_body_field_the_schema_does_not_document_is_refused() -> None:
    """The request schemas allow unknown keys (no additionalProperties: false): the fake does not."""
    op = operations()[STATUS]
    url = API + "/repos/o/r/statuses/" + "a" * 40
    problems, status = check_request(op, url, HEADERS, {"state": "success", "context": "c", "summary": "x"})
    assert status == 400 and problems == ["body.summary is not a field of the request schema"]
    review = operations()[("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews")]
    body = {"event": "COMMENT", "comments": [{"path": "a", "line": 1, "body": "b", "sides": "RIGHT"}]}
    problems, _ = check_request(review, API + "/repos/o/r/pulls/1/reviews", HEADERS, body)
    assert problems == ["body.comments[0].sides is not a field of the request schema"]
    assert check_request(op, url, HEADERS, {"state": "success", "context": "c"}) == ([], 422)


def test_a_body_must_be_sent_as_json() -> None:
    op = operations()[STATUS]
    url = API + "/repos/o/r/statuses/" + "a" * 40
    body = {"state": "success", "context": "c"}
    form = {**HEADERS, "Content-Type": "application/x-www-form-urlencoded"}
    assert check_request(op, url, form, body)[0] == [
        "a JSON body sent as Content-Type 'application/x-www-form-urlencoded'"]


def test_reviews_githubs_actions_token_cannot_approve_and_a_review_needs_an_event() -> None:
    op = operations()[("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews")]
    url = API + "/repos/o/r/pulls/7/reviews"
    comment = {"path": "a.json", "line": 1, "side": "RIGHT", "body": "x"}
    valid = {"event": "COMMENT", "body": "b", "comments": [comment]}
    assert check_request(op, url, HEADERS, valid) == ([], 422)
    problems, status = check_request(op, url, HEADERS, {"event": "APPROVE", "body": "b"})
    assert status == 422 and problems == ["GitHub Actions is not permitted to approve pull requests."]
    problems, status = check_request(op, url, HEADERS, {"body": "b", "comments": [comment]})
    assert status == 422 and "PENDING" in problems[0]


def test_status_fields_github_validates() -> None:
    op = operations()[STATUS]
    url = API + "/repos/o/r/statuses/" + "a" * 40
    link = "https://ghe.example.test/o/r/actions/runs/1"
    assert check_request(op, url, HEADERS, {"state": "success", "context": "c" * 255,
                                            "target_url": link}) == ([], 422)
    problems, _status = check_request(op, url, HEADERS, {"state": "success", "context": "c" * 256})
    assert problems == ["context is too long (maximum is 255 characters)"]
    no_scheme = {"state": "success", "target_url": "ghe.example.test/x"}
    problems, _status = check_request(op, url, HEADERS, no_scheme)
    assert problems == ["target_url must use http(s) scheme"]


def test_user_repos_type_is_not_combined_with_visibility_or_affiliation() -> None:
    op = operations()[("GET", "/user/repos")]
    assert check_request(op, API + "/user/repos?type=owner&per_page=100", HEADERS, None) == ([], 422)
    problems, _status = check_request(op, API + "/user/repos?type=owner&affiliation=owner", HEADERS, None)
    assert problems == ["type cannot be combined with visibility or affiliation (GitHub answers 422)"]


def test_review_comments_off_the_served_diff_are_refused_like_github() -> None:
    """Any test's fake knows the patches it served: a review comment outside their hunks is GitHub's
    422 (a review all or nothing) and a violation."""
    import responses

    from scanner.gh.api import GitHubApi, GitHubHTTPError
    from tests.gh.github_contract import FakeGitHub, minimal

    files = "/repos/{owner}/{repo}/pulls/{pull_number}/files"
    patch = "@@ -1,2 +1,3 @@\n a\n+b\n c\n@@ -10,1 +11,2 @@\n x\n+y"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        gh = FakeGitHub(mock)
        gh.add("GET", files, lambda b, u: (200, {}, [minimal(files, "get", item=True, filename="a.json",
                                                             status="modified", patch=patch)]))
        gh.add("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", lambda b, u: (200, {}, {}))
        api = GitHubApi(API, "tok", sleep=lambda s: None)
        list(api.paginate("/repos/o/r/pulls/7/files"))

        def review(**comment: int) -> None:
            api.request("POST", "/repos/o/r/pulls/7/reviews", body={
                "commit_id": "a" * 40, "event": "COMMENT", "body": "b",
                "comments": [{"path": "a.json", "side": "RIGHT", "body": "x", **comment}]})

        for bad in ({"line": 5}, {"line": 12, "start_line": 3, "start_side": "RIGHT"},
                    {"line": 2, "start_line": 3, "start_side": "RIGHT"}):
            with pytest.raises(GitHubHTTPError, match="HTTP 422"):
                review(**bad)
        assert len(gh.violations) == 3 and "not on the diff" in gh.violations[0]
        gh.violations.clear()
        try:  # on the diff: passes the rule (the stub's own empty answer is not the point here)
            review(line=12, start_line=11, start_side="RIGHT")
        except GitHubHTTPError:
            pass
        assert not [v for v in gh.violations if "not on the diff" in v]


def test_protection_put_is_validated_with_only_the_documented_difference() -> None:
    """Was: `validate=False` skipped this body entirely (types, enums, undocumented fields) because of
    one documented difference; now only that difference is relaxed."""
    from scanner.gh.protect import merged_protection

    op = operations()[("PUT", "/repos/{owner}/{repo}/branches/{branch}/protection")]
    url = API + "/repos/o/r/branches/main/protection"
    body = merged_protection(example("branch-protection"), "mcp-guard")
    assert body is not None and "contexts" not in body["required_status_checks"]
    assert check_request(op, url, HEADERS, body) == ([], 422)  # the README's difference: accepted
    problems, status = check_request(op, url, HEADERS, {**body, "required_signatures": True})
    assert status == 400 and problems == ["body.required_signatures is not a field of the request schema"]
    bad = {**body, "required_status_checks": {"strict": "yes", "checks": [{"context": "mcp-guard"}]}}
    problems, _ = check_request(op, url, HEADERS, bad)
    assert any("'yes' is not of type 'boolean'" in problem for problem in problems)
    assert check_request(op, url, HEADERS, {**body, "required_status_checks": {"checks": []}})[1] == 400
