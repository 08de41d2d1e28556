"""`mcp-guard org plan` against a mocked GHES REST API built from GitHub's repository listing contract."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import responses
from click.testing import CliRunner

from scanner.cli import main
from scanner.org.plan import MATRIX_LIMIT, PlannedRepo, chunks
from tests.gh.contract_reads import track
from tests.gh.github_contract import SIMPLE_USER_REQUIRED, check_request, minimal, operations, resolve
from tests.org.github_listing import API, Listing, example, make_repo, response_schema

ORG = "acme"


def _org_repos(count: int = 250) -> list[dict[str, Any]]:
    template = example("minimal-repository-items")[0]
    repos = []
    for i in range(count):
        flags = {"archived": i % 10 == 3, "fork": i % 7 == 5}
        repos.append(make_repo(template, ORG, f"svc-{i:03d}", i, **flags))
    return repos


@pytest.fixture(autouse=True)
def strict_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every field `org plan` reads from a listed repository must be one the listing's schema documents
    (minimal-repository for /orgs/{org}/repos, repository for /installation/repositories)."""
    from scanner.org import plan as plan_module

    read = plan_module._raw
    problems: list[str] = []
    schema = {"anyOf": [{"$ref": "#/components/schemas/minimal-repository"},
                        {"$ref": "#/components/schemas/repository"}]}
    monkeypatch.setattr(plan_module, "_raw", lambda repo: track(read(repo), schema, "listed repository",
                                                                problems.append, resolve))
    yield problems
    assert not problems, problems


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """urllib3's Retry sleeps through time.sleep: record the waits instead of waiting."""
    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", lambda seconds: waits.append(seconds))
    return waits


def _run(*args: str, token: str = "test-token-not-secret") -> Any:
    env = {"GITHUB_API_URL": API, "GITHUB_TOKEN": token, "MCP_GUARD_FINGERPRINT_KEY": ""}
    return CliRunner().invoke(main, ["org", "plan", "--org", ORG, *args], env=env)


def test_org_listing_records_follow_the_contract() -> None:
    jsonschema.validate(_org_repos(30), response_schema("/orgs/{org}/repos"))


def test_250_repositories_over_3_pages_with_a_rate_limited_page_retried(
        no_sleep: list[float], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="github.GithubRetry")
    repos = _org_repos()
    expected = sorted(r["full_name"] for r in repos if not r["archived"] and not r["fork"])
    assert 150 < len(expected) < 250  # the generator really made archived repositories and forks
    rate_limited = (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 3)},
                    {"message": "API rate limit exceeded for installation ID 1.",
                     "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"})
    with responses.RequestsMock() as mock:
        listing = Listing(mock, f"/orgs/{ORG}/repos", repos, fail={2: [rate_limited]})
        listing.register()
        result = _run("--chunk", "100")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    planned = [entry["repo"] for chunk in plan for entry in chunk["include"]]
    assert planned == expected
    assert [len(c["include"]) for c in plan] == [min(100, len(expected) - i)
                                                 for i in range(0, len(expected), 100)]
    refs = {r["full_name"]: r["default_branch"] for r in repos}
    assert all(e["ref"] == refs[e["repo"]] for c in plan for e in c["include"])
    assert listing.pages_served == [1, 2, 2, 3]  # page 2 answered 403 once, then was retried
    # The retry waits until X-RateLimit-Reset (3 s away), known by x-ratelimit-remaining: 0.
    assert no_sleep and 1 <= max(no_sleep) <= 4
    assert all(url.startswith("https://ghe.example.test") for url in listing.urls)  # GHES base URL only
    assert "type=all" in listing.urls[0] and "per_page=100" in listing.urls[0]
    assert "skipped" in result.stderr and "archived" in result.stderr and "fork" in result.stderr


def test_include_archived_forks_and_glob(no_sleep: list[float]) -> None:
    repos = _org_repos()
    with responses.RequestsMock() as mock:
        Listing(mock, f"/orgs/{ORG}/repos", repos).register()
        everything = _run("--include-archived", "--include-forks", "--chunk", "256")
        Listing(mock, f"/orgs/{ORG}/repos", repos).register()
        some = _run("--include-archived", "--include-forks", "--repos", "svc-1?0", "--repos", "acme/svc-24*")
    assert everything.exit_code == 0, everything.output
    plan = json.loads(everything.stdout)
    assert len(plan) == 1 and len(plan[0]["include"]) == 250  # one matrix of 250 <= 256
    picked = [e["repo"] for c in json.loads(some.stdout) for e in c["include"]]
    assert picked == [f"acme/svc-{n}" for n in ("100", "110", "120", "130", "140", "150", "160", "170",
                                                 "180", "190", "240", "241", "242", "243", "244", "245",
                                                 "246", "247", "248", "249")]


def test_reading_an_undocumented_listing_field_is_caught(strict_reads: list[str]) -> None:
    from scanner.org.plan import select

    record = track(_minimal_repo("x"), {"$ref": "#/components/schemas/minimal-repository"},
                   "listed repository", strict_reads.append, resolve)
    select([record], ORG, include_archived=False, include_forks=False, globs=())
    assert strict_reads == []
    record.get("is_template_repository")
    assert strict_reads == ["listed repository: reads 'is_template_repository', which the response schema "
                            "does not document"]
    strict_reads.clear()


def test_chunks_never_exceed_the_matrix_limit() -> None:
    repos = [PlannedRepo(f"acme/r{i}", "main") for i in range(600)]
    assert [len(c["include"]) for c in chunks(repos, MATRIX_LIMIT)] == [256, 256, 88]
    assert [len(c["include"]) for c in chunks(repos, 200)] == [200, 200, 200]
    assert chunks([], 200) == []
    with pytest.raises(ValueError):
        chunks(repos, 257)
    result = _run("--chunk", "257")
    assert result.exit_code == 2 and "257" in result.output


def test_installation_token_listing(no_sleep: list[float]) -> None:
    page = example("repository-paginated-2")
    template = page["repositories"][0]
    repos = [make_repo(template, ORG, f"app-{i:03d}", i) for i in range(120)]
    repos.append(make_repo(template, "someone-else", "other", 999))
    jsonschema.validate({"total_count": len(repos), "repositories": repos[:5]},
                        response_schema("/installation/repositories"))
    server_error = (502, {}, {"message": "Server Error"})
    with responses.RequestsMock() as mock:
        listing = Listing(mock, "/installation/repositories", repos, fail={1: [server_error]},
                          wrap=lambda items: {"total_count": len(repos), "repositories": items})
        listing.register()
        result = _run("--source", "installation")
    assert result.exit_code == 0, result.output
    planned = [e["repo"] for c in json.loads(result.stdout) for e in c["include"]]
    assert planned == [f"acme/app-{i:03d}" for i in range(120)]  # other owners' repositories left out
    assert listing.pages_served == [1, 1, 2]  # the 502 was retried


def test_listing_errors_are_one_line(no_sleep: list[float]) -> None:
    with responses.RequestsMock() as mock:
        bad_gateway = (502, {}, {"message": "Bad Gateway"})
        Listing(mock, f"/orgs/{ORG}/repos", _org_repos(3), fail={1: [bad_gateway] * 7}).register()
        result = _run()
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "mcp-guard: error: listing repositories of acme (org) failed: HTTP 502 (Bad Gateway)"]


NOT_FOUND = (404, {}, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})


def _user_repos(owner: str, count: int) -> list[dict[str, Any]]:
    from tests.gh.github_contract import example as contract_example

    template = contract_example("repository-items-default-response")[0]
    return [make_repo(template, owner, f"dot-{i}", 500 + i) for i in range(count)]


def test_a_user_login_falls_back_to_the_token_users_own_repositories(no_sleep: list[float]) -> None:
    """Was: `--org <user>` ("Organisation (or user) login") failed: /orgs/{user}/repos answers 404."""
    repos = [*_user_repos(ORG, 3), *_user_repos("someone-else", 1)]
    jsonschema.validate(repos, _contract_schema("/user/repos"))
    with responses.RequestsMock() as mock:
        Listing(mock, f"/orgs/{ORG}/repos", [], fail={1: [NOT_FOUND]}).register()
        user = Listing(mock, "/user/repos", repos)
        user.register()
        result = _run()
    assert result.exit_code == 0, result.output
    planned = [e["repo"] for c in json.loads(result.stdout) for e in c["include"]]
    assert planned == ["acme/dot-0", "acme/dot-1", "acme/dot-2"]
    assert "type=owner" in user.urls[0] and not no_sleep  # a 404 is not retried


def test_a_user_fallback_refused_is_one_line_with_the_hint(no_sleep: list[float]) -> None:
    refused = (403, {}, {"message": "Resource not accessible by integration"})
    with responses.RequestsMock() as mock:
        Listing(mock, f"/orgs/{ORG}/repos", [], fail={1: [NOT_FOUND]}).register()
        Listing(mock, "/user/repos", [], fail={1: [refused]}).register()
        result = _run()
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "mcp-guard: error: listing repositories of acme (no organisation; the token user's repositories) "
        "failed: HTTP 403 (Resource not accessible by integration); with a GitHub App installation token "
        "try --source installation"]


def test_another_users_token_plans_nothing_and_says_so(no_sleep: list[float]) -> None:
    with responses.RequestsMock() as mock:
        Listing(mock, f"/orgs/{ORG}/repos", [], fail={1: [NOT_FOUND]}).register()
        Listing(mock, "/user/repos", _user_repos("someone-else", 2)).register()
        result = _run()
    assert result.exit_code == 2 and "every listed repository was skipped (2 other owner)" in result.stderr


def _contract_schema(path: str) -> dict[str, Any]:
    from tests.gh.github_contract import response_schema as contract_response_schema

    return contract_response_schema(path, "get", "200")


def test_refused_by_integration_hints_at_installation_source(no_sleep: list[float]) -> None:
    refused = (403, {}, {"message": "Resource not accessible by integration"})
    with responses.RequestsMock() as mock:
        Listing(mock, f"/orgs/{ORG}/repos", [], fail={1: [refused]}).register()
        result = _run()
    assert result.exit_code == 2 and "--source installation" in result.stderr


def test_a_retry_after_of_an_hour_fails_at_once_instead_of_sleeping(no_sleep: list[float]) -> None:
    """Was: GithubRetry honours any Retry-After (urllib3 would sleep an hour); the budget is 15 min."""
    limited = (403, {"Retry-After": "3600"}, {"message": "You have exceeded a secondary rate limit."})
    with responses.RequestsMock() as mock:
        listing = Listing(mock, f"/orgs/{ORG}/repos", _org_repos(5), fail={1: [limited]})
        listing.register()
        result = _run()
    assert result.exit_code == 2 and listing.pages_served == [1] and not no_sleep
    assert result.stderr.strip().splitlines() == [
        "mcp-guard: error: listing repositories of acme (org) failed: HTTP 403 (gave up: GitHub asked to "
        "wait 3600s (limit 900s per request))"]


def test_listing_sends_the_documented_headers(no_sleep: list[float]) -> None:
    with responses.RequestsMock() as mock:
        Listing(mock, f"/orgs/{ORG}/repos", _org_repos(5)).register()
        result = _run()
        headers = mock.calls[0].request.headers
    assert result.exit_code == 0, result.output
    assert headers["X-GitHub-Api-Version"] == "2022-11-28" and headers["Authorization"].startswith("Bearer ")
    assert headers["Accept"] == "application/vnd.github+json"


def _minimal_repo(name: str, **fields: Any) -> dict[str, Any]:
    """A listed repository with only the fields the schema requires (as a faithful emulator may send)."""
    owner = {key: value for key, value in minimal("/user", "get", choose=1, login=ORG).items()
             if key in SIMPLE_USER_REQUIRED}
    return minimal("/orgs/{org}/repos", "get", item=True, full_name=f"{ORG}/{name}", name=name,
                   owner=owner, **fields)


def test_records_without_optional_fields_are_planned_not_skipped(no_sleep: list[float]) -> None:
    """Was: a record without `default_branch` (not required in minimal-repository) was skipped as an
    empty repository, so an emulator that omits it gave an empty plan and a green run."""
    repos = [_minimal_repo(f"lean-{i}") for i in range(3)]
    assert all("default_branch" not in r and "archived" not in r for r in repos)
    with responses.RequestsMock() as mock:
        Listing(mock, f"/orgs/{ORG}/repos", repos).register()
        result = _run()
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    planned = [entry for chunk in plan for entry in chunk["include"]]
    assert planned == [{"repo": f"{ORG}/lean-{i}", "ref": ""} for i in range(3)]
    assert "skipped" not in result.stderr


def test_an_empty_repository_409_is_skipped_as_empty_and_other_answers_keep_it(no_sleep: list[float]) -> None:
    repos = [_minimal_repo(name, size=0, default_branch="main") for name in ("empty", "tiny", "hidden")]
    repos.append(_minimal_repo("big", size=120, default_branch="main"))  # not asked: it has content
    answers = {"empty": (409, {"message": "Git Repository is empty.",
                               "documentation_url": "https://docs.github.com/rest"}),
               "tiny": (200, minimal("/repos/{owner}/{repo}/commits/{ref}", "get")),
               "hidden": (404, {"message": "Not Found"})}
    asked: list[str] = []
    operation = operations()[("GET", "/repos/{owner}/{repo}/commits/{ref}")]

    def commit(request: Any) -> tuple[int, dict[str, str], str]:
        problems, _status = check_request(operation, request.url, request.headers, None)
        assert not problems, problems
        name = request.url.split(f"/repos/{ORG}/", 1)[1].split("/", 1)[0]
        asked.append(name)
        status, body = answers[name]
        return status, {"Content-Type": "application/json"}, json.dumps(body)

    with responses.RequestsMock() as mock:
        Listing(mock, f"/orgs/{ORG}/repos", repos).register()
        host, _, prefix = API.partition("/api/")
        mock.add_callback("GET", re.compile(re.escape(host) + r"(:443)?" + re.escape(f"/api/{prefix}/repos/")
                                            + r"acme/[^/]+/commits/main(\?.*)?$"), callback=commit)
        result = _run()
    assert result.exit_code == 0, result.output
    planned = [e["repo"] for c in json.loads(result.stdout) for e in c["include"]]
    assert planned == ["acme/big", "acme/hidden", "acme/tiny"]
    assert sorted(asked) == ["empty", "hidden", "tiny"]
    assert "1 empty repository" in result.stderr


@pytest.mark.parametrize(("repos", "args", "why"), [
    ([], (), "the listing of acme returned no repository (does the token reach them?)"),
    ([{"name": "svc-1"}], ("--repos", "api-*"),
     "every listed repository was skipped (1 not matched by --repos)"),
])
def test_a_plan_with_nothing_to_inventory_is_an_error(no_sleep: list[float], repos: list[dict[str, Any]],
                                                      args: tuple[str, ...], why: str) -> None:
    """Was: exit 0 with an empty plan, so the whole workflow was green having read nothing."""
    records = [_minimal_repo(r["name"], default_branch="main") for r in repos]
    with responses.RequestsMock() as mock:
        Listing(mock, f"/orgs/{ORG}/repos", records).register()
        result = _run(*args)
    assert result.exit_code == 2 and json.loads(result.stdout) == []
    assert result.stderr.strip().splitlines()[-1] == f"mcp-guard: error: nothing to inventory: {why}"


def test_a_listing_whose_next_link_loops_is_an_error_not_endless(no_sleep: list[float]) -> None:
    repos = _org_repos(150)
    served: list[int] = []

    def page(request: Any) -> tuple[int, dict[str, str], str]:
        served.append(1)
        assert len(served) < 50, "the listing was followed without end"
        link = f'<{API}/orgs/{ORG}/repos?per_page=100&page=2>; rel="next"'  # always "next": a loop
        return 200, {"Content-Type": "application/json", "Link": link}, json.dumps(repos[:100])

    with responses.RequestsMock() as mock:
        host, _, prefix = API.partition("/api/")
        mock.add_callback("GET", re.compile(re.escape(host) + r"(:443)?" + re.escape(f"/api/{prefix}/orgs/")
                                            + r"acme/repos(\?.*)?$"), callback=page)
        result = _run()
    assert result.exit_code == 2 and "Link rel=next loops" in result.stderr
    assert len(served) <= 3


NOT_MODIFIED = (304, {}, None)


@pytest.mark.parametrize(("path", "answer", "why"), [
    # 304 is documented for the installation listing; PyGithub's PaginatedList took its empty body for
    # the last page.
    ("/installation/repositories", NOT_MODIFIED, "(installation) failed: HTTP 304"),
    ("/orgs/acme/repos", (200, {}, {"message": "Server busy"}),  # a page that is no list
     "(org) failed: GET /orgs/acme/repos: the answer is not a list"),
])
def test_a_page_that_is_no_listing_is_an_error_not_a_short_plan(no_sleep: list[float], path: str,
                                                                 answer: tuple[int, dict[str, str], Any],
                                                                 why: str) -> None:
    """Was: exit 0 with the first page's 100 repositories planned and the rest silently left out."""
    template = example("repository-paginated-2")["repositories"][0]
    repos = [make_repo(template, ORG, f"app-{i:03d}", i) for i in range(150)]
    wrap = (lambda items: {"total_count": len(repos), "repositories": items}) if "installation" in path \
        else (lambda items: items)
    source = ("--source", "installation") if "installation" in path else ()
    with responses.RequestsMock() as mock:
        listing = Listing(mock, path, repos, wrap=wrap, fail={2: [answer]})
        listing.register()
        result = _run(*source)
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and listing.pages_served == [1, 2]
    assert result.stderr.strip().splitlines() == [f"mcp-guard: error: listing repositories of acme {why}"]


def _listing_failures() -> list[tuple[str, str, int]]:
    from tests.gh.github_contract import spec

    out = []
    for template, path, source in (("/orgs/{org}/repos", f"/orgs/{ORG}/repos", ()),
                                   ("/installation/repositories", "/installation/repositories",
                                    ("--source", "installation"))):
        documented = {int(code) for code in spec()["paths"][template]["get"]["responses"] if int(code) >= 300}
        for code in sorted(documented | {401, 403, 422, 500, 503}):
            out.append((path, " ".join(source), code))
    return out


@pytest.mark.parametrize(("path", "source", "code"), _listing_failures())
def test_every_documented_listing_failure_is_one_line_and_no_plan(no_sleep: list[float], path: str,
                                                                   source: str, code: int) -> None:
    """On the first page or a later one: never a plan of the pages that did answer."""
    template = example("repository-paginated-2")["repositories"][0]
    repos = [make_repo(template, ORG, f"app-{i:03d}", i) for i in range(150)]
    wrap = (lambda items: {"total_count": len(repos), "repositories": items}) if source \
        else (lambda items: items)
    body = None if code == 304 else {"message": "Refused", "documentation_url": "https://docs.github.com/rest"}
    with responses.RequestsMock() as mock:
        Listing(mock, path, repos, wrap=wrap, fail={2: [(code, {}, body)] * 7}).register()
        result = _run(*source.split())
    assert result.exit_code == 2 and result.stdout == "", result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mcp-guard: error: listing repositories of acme")
    assert f"HTTP {code}" in lines[0]


@pytest.mark.parametrize("variant", ["as-is", "upper", "gh-token"])
def test_the_api_token_never_reaches_the_plan(no_sleep: list[float], monkeypatch: pytest.MonkeyPatch,
                                              variant: str) -> None:
    """The token is registered at the output boundary: a listing that echoes it (here as a repository's
    default branch, in another case too) gets it masked in the plan, not printed."""
    from tests.fakes import fake_token

    monkeypatch.setenv("MCP_GUARD_OUTPUT_CHECK", "redact")
    token = fake_token("ghs_", 36, seed=321)
    echoed = token.upper() if variant == "upper" else token
    repos = _org_repos(3)
    repos[1]["default_branch"] = echoed
    with responses.RequestsMock() as mock:
        Listing(mock, f"/orgs/{ORG}/repos", repos).register()
        tokens = {"GH_TOKEN": token, "GITHUB_TOKEN": ""} if variant == "gh-token" else {"GITHUB_TOKEN": token}
        env = {"GITHUB_API_URL": API, "MCP_GUARD_FINGERPRINT_KEY": "", **tokens}
        result = CliRunner().invoke(main, ["org", "plan", "--org", ORG], env=env)
    assert result.exit_code == 0, result.output
    assert echoed[4:16] not in result.stdout and token[4:16].lower() not in result.stdout.lower()
    assert len(json.loads(result.stdout)[0]["include"]) == 3
