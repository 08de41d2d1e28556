"""Every error answer the REST description documents for the calls of a pull request run (and the ones
any call can get: 401, 403, 5xx), each handed to a run that would otherwise pass: the run never reports
success, exits non-zero, and its own `::error` lines say what failed, one line each.

The run: PR 7 into a feature branch adds a blocking secret (success: "would block a merge into main"),
so every call is made (GET /user, the comment thread, POST comment, the combined status, POST status)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.gh.action_helpers import (
    BOT,
    COMMENTS,
    CONFIG,
    STATUS,
    everything,
    mcp_config,
    no_piece,
    one_change_pr,
    pat,
    pr_payload,
    run,
    states,
)
from tests.gh.github_contract import CommentStore, FakeGitHub, forbidden, spec, status_reply

COMBINED = "/repos/{owner}/{repo}/commits/{ref}/status"
# The operations of the run that must succeed for it to pass (GET /user may fail: the bot login is used).
CALLS = [("GET", COMMENTS), ("POST", COMMENTS), ("GET", COMBINED), ("POST", STATUS)]
MESSAGES = {401: "Bad credentials", 403: "Resource not accessible by integration", 404: "Not Found",
            410: "Gone", 422: "Validation Failed", 500: "Server Error", 502: "Bad Gateway",
            503: "Service Unavailable"}


def _documented(method: str, template: str) -> list[int]:
    codes = spec()["paths"][template][method.lower()]["responses"]
    return sorted(int(code) for code in codes if int(code) >= 400)


CASES = [(method, template, code) for method, template in CALLS
         for code in sorted({*_documented(method, template), 401, 403, 500, 502, 503})]


def _errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("::error title=mcp-guard::")]


@pytest.mark.parametrize(("method", "template", "code"), CASES,
                         ids=[f"{m} {t.rsplit('/', 2)[-2]}/{t.rsplit('/', 1)[-1]} {c}" for m, t, c in CASES])
def test_a_documented_error_answer_is_never_a_pass(tmp_path: Path, gh: FakeGitHub, method: str,
                                                   template: str, code: int) -> None:
    secret = pat(411)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    store = CommentStore()

    def fail(_body: Any, _url: str) -> tuple[int, dict[str, str], Any]:
        return code, {}, {"message": MESSAGES[code], "documentation_url": "https://docs.github.com/rest"}

    gh.add(method, template, fail, optional=True)  # first: it answers every call of the operation
    gh.add("GET", "/user", forbidden)
    if (method, template) != ("GET", COMMENTS):
        store.register(gh, "o/r", 7)
    if (method, template) != ("POST", COMMENTS):
        gh.add("POST", COMMENTS, store.on_create(BOT), optional=True)
    if (method, template) != ("POST", STATUS):
        gh.add("POST", STATUS, status_reply, optional=True)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, base_ref="feature/x"))
    assert result.code == 2, result.log[-1500:]
    if (method, template) != ("POST", STATUS):  # (else every status POST was refused)
        assert "success" not in states(gh)
    errors = _errors(result.log)
    assert errors and f"HTTP {code}" in "\n".join(errors), result.log[-1500:]
    assert "result<<" in result.outputs and "\nsuccess\n" not in result.outputs.split("result<<", 1)[1]
    no_piece(everything(result, gh), secret)
    assert "test-token" not in everything(result, gh)


CONTENTS = "/repos/{owner}/{repo}/contents/{path}"
FILES = "/repos/{owner}/{repo}/pulls/{pull_number}/files"
# Without the base commit in the checkout (a shallow clone of the head), the changed files come from the
# files API and the base's files from the contents API. 404 from the contents API is an answer (the
# file is not in the base); a 302 without a Location, or a 304 to a request that asked for none, is none.


def _not_ok(template: str) -> set[int]:
    return {int(code) for code in spec()["paths"][template]["get"]["responses"] if int(code) >= 300}


API_READS = [*((FILES, code) for code in sorted({*_not_ok(FILES), 401, 403, 404, 500, 503})),
             *((CONTENTS, code) for code in sorted({*_not_ok(CONTENTS), 401, 500, 503} - {404}))]


def _shallow_pr(tmp_path: Path, secret: str) -> tuple[Path, dict[str, Any]]:
    """A one-commit PR into feature/x checked out shallow (its base neither there nor fetchable), and
    its event payload."""
    from tests.gh.action_helpers import git

    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "pr", f"file://{repo.path}", str(shallow))
    git(shallow, "remote", "remove", "origin")
    payload = pr_payload(base, head, base_ref="feature/x")
    payload["pull_request"].update(commits=1, changed_files=1)
    return shallow, payload


def _thread(gh: FakeGitHub) -> None:
    store = CommentStore()
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, store.on_create(BOT), optional=True)
    gh.add("POST", STATUS, status_reply)


@pytest.mark.parametrize(("template", "code"), API_READS,
                         ids=[f"{t.rsplit('/', 2)[-2]}/{t.rsplit('/', 1)[-1]} {c}" for t, c in API_READS])
def test_a_documented_error_of_the_files_or_contents_api_is_never_a_pass(tmp_path: Path, gh: FakeGitHub,
                                                                        template: str, code: int) -> None:
    from tests.gh.github_contract import minimal

    secret = pat(412)
    shallow, payload = _shallow_pr(tmp_path, secret)

    def fail(_body: Any, _url: str) -> tuple[int, dict[str, str], Any]:
        body = None if code in (302, 304) else {"message": MESSAGES.get(code, "Error"),
                                                "documentation_url": "https://docs.github.com/rest"}
        return code, {}, body

    listed = [minimal(FILES, "get", item=True, filename=CONFIG, status="added")]
    gh.add("GET", FILES, fail if template == FILES else (lambda _b, _u: (200, {}, listed)))
    gh.add("GET", CONTENTS, fail if template == CONTENTS else
           (lambda _b, _u: (404, {}, {"message": "Not Found"})), optional=True)
    _thread(gh)
    result = run(shallow, tmp_path, "pull_request", payload)
    assert result.code == 2 and states(gh) == ["error"], result.log[-1500:]
    assert _errors(result.log), result.log[-1500:]
    no_piece(everything(result, gh), secret)


def test_the_files_api_run_passes_when_github_answers(tmp_path: Path, gh: FakeGitHub) -> None:
    """The control of the test above: the same run, every answer a success (404: no such file at base)."""
    from tests.gh.github_contract import minimal

    shallow, payload = _shallow_pr(tmp_path, pat(413))
    listed = [minimal(FILES, "get", item=True, filename=CONFIG, status="added")]
    gh.add("GET", FILES, lambda _b, _u: (200, {}, listed))
    gh.add("GET", CONTENTS, lambda _b, _u: (404, {}, {"message": "Not Found"}))
    _thread(gh)
    result = run(shallow, tmp_path, "pull_request", payload)
    assert result.code == 0 and states(gh) == ["success"], result.log[-1500:]
    assert "would block a merge into main" in gh.requests("POST", "/statuses/")[0].body["description"]
