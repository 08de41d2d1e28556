"""Publishing that could not complete never leaves a passing status: one `::error` line, no secret."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.gh.action_helpers import (
    BOT,
    COMMENTS,
    CONFIG,
    STATUS,
    Repo,
    everything,
    git,
    mcp_config,
    no_piece,
    one_change_pr,
    pat,
    pr_payload,
    run,
    states,
)
from tests.gh.github_contract import API, CommentStore, FakeGitHub, forbidden, minimal, status_reply

FILES = "/repos/{owner}/{repo}/pulls/{pull_number}/files"


def _pr(tmp_path: Path, secret: str) -> tuple[Repo, str, str]:
    return one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})


def _errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("::error title=mcp-guard::")]


def _always(reply: tuple[int, dict[str, str], Any]) -> Any:
    return lambda _b, _u: reply


def test_comment_that_cannot_be_posted_makes_the_status_error(tmp_path: Path, gh: FakeGitHub) -> None:
    """Was: a warning, and the status `success` (a finding on a feature branch would not block)."""
    secret = pat(71)
    repo, base, head = _pr(tmp_path, secret)
    store = CommentStore()
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    # A create is not retried on a 5xx (GitHub may have created it): the thread is read again after 1, 2
    # and 4 s, and the comment posted again when it is not there; three creates, then it gives up.
    for _ in range(3):
        gh.add("POST", COMMENTS, _always((502, {}, {"message": "Server Error"})))
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, base_ref="feature/x"))
    assert (result.code, states(gh)) == (2, ["error"])
    assert len(gh.requests("POST", "/comments")) == 3 and result.waits == [1.0, 2.0, 4.0] * 3
    description = gh.requests("POST", "/statuses/")[0].body["description"]
    assert "could not publish" in description and "HTTP 502" in description
    assert _errors(result.log) == ["::error title=mcp-guard::mcp-guard: PR comment not posted: POST "
                                   "/repos/o/r/issues/7/comments failed: HTTP 502 (Server Error)"]
    assert sum(result.waits) <= 120 and "test-token" not in everything(result, gh)
    no_piece(everything(result, gh), secret)


def test_rate_limited_comment_is_no_read_only_token(tmp_path: Path, gh: FakeGitHub) -> None:
    """Was: a 403 rate limit past the retry budget counted as a fork's read-only token (logged, ignored)."""
    secret = pat(72)
    repo, base, head = _pr(tmp_path, secret)
    store = CommentStore()
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    reset = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "9999999999"}
    gh.add("POST", COMMENTS, _always((403, reset, {"message": "API rate limit exceeded for installation"})))
    gh.add("POST", STATUS, status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, base_ref="feature/x"))
    assert (result.code, states(gh), result.waits) == (2, ["error"], [])
    assert "cannot write PR comments" not in result.log and len(_errors(result.log)) == 1


def test_status_that_cannot_be_set_fails_the_job(tmp_path: Path, gh: FakeGitHub) -> None:
    """Was: a warning and exit code 0: the required status stayed missing while the job passed."""
    repo = Repo(tmp_path / "ws")
    base = repo.commit({"README.md": "hi\n"})
    repo.checkout("-B", "pr")
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}")})
    for _ in range(5):
        gh.add("POST", STATUS, _always((500, {}, {"message": "Internal Server Error"})))
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), comment="false")
    assert result.code == 2 and result.waits == [1.0, 2.0, 4.0, 8.0]
    assert _errors(result.log) == ["::error title=mcp-guard::mcp-guard: commit status not set: POST "
                                   f"/repos/o/r/statuses/{head} failed: HTTP 500 (Internal Server Error)"]


def test_3000_pull_files_over_30_pages_is_an_error_not_a_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    """The files API lists at most 3000 files: with that many the rest are unknown (status error)."""
    repo = Repo(tmp_path / "ws")
    base = repo.commit({"README.md": "hi\n"})
    repo.checkout("-B", "pr")
    head = repo.commit({"src/a.txt": "x\n"})
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "pr", f"file://{repo.path}", str(shallow))
    git(shallow, "remote", "remove", "origin")
    pages = []
    for page in range(1, 31):
        items = [minimal(FILES, "get", item=True, filename=f"src/f{page}-{i}.txt", status="added")
                 for i in range(100)]
        link = {"Link": f'<{API}/repos/o/r/pulls/7/files?per_page=100&page={page + 1}>; rel="next"'} \
            if page < 30 else {}
        pages.append((200, link, items))
    for _ in pages[:]:
        gh.add("GET", FILES, lambda b, u: pages.pop(0))
    store = CommentStore()
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, store.on_create(BOT))
    gh.add("POST", STATUS, status_reply)
    result = run(shallow, tmp_path, "pull_request", pr_payload(base, head))
    assert (result.code, states(gh)) == (2, ["error"])
    assert "at most 3000 files" in result.log


def test_files_api_listing_fewer_files_than_the_event_names_is_an_error(tmp_path: Path,
                                                                        gh: FakeGitHub) -> None:
    """A one-commit PR in a shallow checkout goes by the files API: when it lists fewer files than
    `pull_request.changed_files` says (a truncated answer), the unlisted ones could be MCP configs.
    Was: "no MCP config changed", success."""
    repo = Repo(tmp_path / "ws")
    base = repo.commit({"README.md": "hi\n"})
    repo.checkout("-B", "pr")
    head = repo.commit({"src/a.txt": "x\n", CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(93))})
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "pr", f"file://{repo.path}", str(shallow))
    git(shallow, "remote", "remove", "origin")
    listed = [minimal(FILES, "get", item=True, filename="src/a.txt", status="added")]
    gh.add("GET", FILES, _always((200, {}, listed)))
    store = CommentStore()
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, store.on_create(BOT))
    gh.add("POST", STATUS, status_reply)
    payload = pr_payload(base, head)
    payload["pull_request"].update(commits=1, changed_files=2)
    result = run(shallow, tmp_path, "pull_request", payload)
    assert (result.code, states(gh)) == (2, ["error"])
    assert "listed 1 of the 2 changed files" in result.log
