"""Answers a faithful GitHub emulator may legitimately give, and what the wrapper must make of them:
minimal (required-only) bodies, null users, Link pagination, redirects, 304, large files, vanished
comments. Each test names the wrong behaviour it guards against."""

from __future__ import annotations

import re
from typing import Any

import pytest

from scanner.errors import GitHubError
from scanner.gh.api import GitHubApi, GitHubHTTPError
from scanner.gh.comment import MARKER, upsert_sticky, with_marker
from tests.gh.github_contract import API, COMBINED_STATUS, CommentStore, FakeGitHub, minimal, status_reply

BOT = "github-actions[bot]"
COMMENTS = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
COMMENT = "/repos/{owner}/{repo}/issues/comments/{comment_id}"
STATUS = "/repos/{owner}/{repo}/statuses/{sha}"
CONTENTS = "/repos/{owner}/{repo}/contents/{path}"
FILES = "/repos/{owner}/{repo}/pulls/{pull_number}/files"


def _api() -> GitHubApi:
    return GitHubApi(API, "tok", sleep=lambda _s: None)


def test_sticky_found_on_page_3_among_minimal_comments_and_deleted_users(gh: FakeGitHub) -> None:
    store = CommentStore(minimal=True)
    for i in range(230):
        store.add(f"chatter {i}", None if i % 7 == 0 else "octocat")  # user: null for deleted accounts
    ours = store.add(with_marker("old"), BOT)  # the 231st: page 3
    store.register(gh, "o/r", 7, list_calls=3)
    gh.add("PATCH", COMMENT, store.on_update())
    outcome = upsert_sticky(_api(), "o/r", 7, with_marker("new"), [BOT])
    assert outcome is not None and (outcome.action, outcome.comment_id) == ("updated", ours["id"])
    assert [re.search(r"[?&]page=(\d+)", c.url).group(1) for c in gh.requests("GET")[1:]] == ["2", "3"]
    assert len(store.comments) == 231  # no second sticky


def test_sticky_deleted_between_list_and_patch_is_created_again(gh: FakeGitHub) -> None:
    """Was: the 404 on PATCH counted as "the token cannot write comments" and the report was lost."""
    store = CommentStore(minimal=True)
    gone = store.add(with_marker("old"), BOT)
    store.register(gh, "o/r", 7)

    def deleted_then_patch(body: Any, url: str) -> tuple[int, dict[str, str], Any]:
        store.comments.remove(gone)
        return store.on_update()(body, url)

    gh.add("PATCH", COMMENT, deleted_then_patch)
    gh.add("POST", COMMENTS, store.on_create(BOT))
    outcome = upsert_sticky(_api(), "o/r", 7, with_marker("new"), [BOT])
    assert outcome is not None and outcome.action == "created"
    assert [c["body"] for c in store.comments] == [f"{MARKER}\nnew"]


def test_307_on_a_write_is_followed_with_method_and_body(gh: FakeGitHub) -> None:
    """Was: PyGithub returns a 307 (what GitHub answers writes to a renamed repository) as if it were
    a success, so the commit status was silently never set."""
    moved = f"{API}/repos/o/renamed/statuses/{'a' * 40}"
    gh.add("POST", STATUS, lambda b, u: (307, {"Location": moved}, {"message": "Moved"}))
    gh.add("POST", STATUS, status_reply)
    _api().create_status("o/r", "a" * 40, state="failure", context="mcp-guard", description="1 finding")
    assert [c.url.replace(":443", "") for c in gh.calls] == [
        f"{API}/repos/o/r/statuses/{'a' * 40}", moved]
    assert gh.calls[1].body == gh.calls[0].body


def test_301_on_a_listing_is_followed(gh: FakeGitHub) -> None:
    store = CommentStore(minimal=True)
    store.add(with_marker("x"), BOT)
    moved = f"{API}/repos/o/renamed/issues/7/comments?per_page=100"
    gh.add("GET", COMMENTS, lambda b, u: (301, {"Location": moved}, {"message": "Moved Permanently"}))
    store.register(gh, "o/renamed", 7)
    assert [c.body for c in _api().list_issue_comments("o/r", 7)] == [f"{MARKER}\nx"]


def test_redirect_to_another_host_is_an_error(gh: FakeGitHub) -> None:
    gh.add("POST", STATUS, lambda b, u: (307, {"Location": "https://evil.example/api/v3/x"}, {}))
    with pytest.raises(GitHubError, match="another host"):
        _api().create_status("o/r", "a" * 40, state="success", context="c", description="d")


def test_304_is_not_an_empty_listing(gh: FakeGitHub) -> None:
    """Was: a 304 (no body) read as an empty comment list, so a second sticky comment was created."""
    gh.add("GET", COMMENTS, lambda b, u: (304, {}, None))
    with pytest.raises(GitHubHTTPError, match="HTTP 304"):
        _api().list_issue_comments("o/r", 7)


def test_a_link_loop_is_an_error_not_an_endless_listing(gh: FakeGitHub) -> None:
    item = minimal(FILES, "get", item=True, filename="a.json")
    again = {"Link": f'<{API}/repos/o/r/pulls/7/files?per_page=100&page=2>; rel="next"'}
    for _ in range(2):  # page 1, then page 2 naming itself as next
        gh.add("GET", FILES, lambda b, u: (200, again, [item]))
    with pytest.raises(GitHubError, match="does not end"):
        _api().list_pull_files("o/r", 7)


def test_a_listing_that_is_no_list_is_an_error(gh: FakeGitHub) -> None:
    """Was: a non-list page counted as an empty page, e.g. "no files changed"."""
    gh.add("GET", FILES, lambda b, u: (200, {}, {"message": "x"}))
    with pytest.raises(GitHubError, match="not a list"):
        _api().list_pull_files("o/r", 7)
    gh.violations.clear()  # the fake's answer is off-schema on purpose


def test_link_header_with_several_relations(gh: FakeGitHub) -> None:
    first = [minimal(FILES, "get", item=True, filename=f"f{i}") for i in range(100)]
    link = (f'<{API}/repos/o/r/pulls/7/files?per_page=100&page=1>; rel="prev first", '
            f'<{API}/repos/o/r/pulls/7/files?per_page=100&page=2>; rel="next last"')
    pages = [(200, {"Link": link}, first), (200, {}, [minimal(FILES, "get", item=True, filename="z")])]
    for _ in pages[:]:
        gh.add("GET", FILES, lambda b, u: pages.pop(0))
    assert len(_api().list_pull_files("o/r", 7)) == 101


def test_file_too_large_for_the_contents_api_is_an_error(gh: FakeGitHub) -> None:
    """Was: `encoding: "none"` (a file over 1 MB) read as an empty file (an empty base policy)."""
    big = minimal(CONTENTS, "get", choose=1, type="file", encoding="none", content="", size=2_000_000)
    gh.add("GET", CONTENTS, lambda b, u: (200, {}, big))
    with pytest.raises(GitHubError, match="too large"):
        _api().get_file("o/r", ".mcp-guard.yml", "b" * 40)


def test_contents_path_and_ref_encoding(gh: FakeGitHub) -> None:
    import base64

    body = minimal(CONTENTS, "get", choose=1, type="file", encoding="base64",
                   content=base64.b64encode(b"ok\n").decode())
    gh.add("GET", CONTENTS, lambda b, u: (200, {}, body))
    assert _api().get_file("o/r", "dir #1/ünï.json", "feature/x#2") == b"ok\n"
    url = gh.calls[0].url
    assert "/contents/dir%20%231/%C3%BCn%C3%AF.json?" in url and "ref=feature%2Fx%232" in url


def test_branch_names_with_slash_unicode_and_hash_are_one_path_segment(gh: FakeGitHub) -> None:
    gh.add("GET", "/repos/{owner}/{repo}/branches/{branch}/protection",
           lambda b, u: (404, {}, {"message": "Branch not protected"}))
    assert _api().get_branch_protection("o/r", "release/ü#1") is None
    assert "/branches/release%2F%C3%BC%231/protection" in gh.calls[0].url


def test_301_keeps_the_query_of_its_location(gh: FakeGitHub) -> None:
    """Was: PyGithub follows a 301 with the Location's path only, so the contents API answered the
    default branch's file instead of the base commit's (`ref` dropped) for a renamed repository."""
    import base64

    moved = f"{API}/repos/o/renamed/contents/.mcp-guard.yml?ref={'b' * 40}"
    gh.add("GET", CONTENTS, lambda b, u: (301, {"Location": moved}, {"message": "Moved Permanently"}))
    body = minimal(CONTENTS, "get", choose=1, type="file", encoding="base64",
                   content=base64.b64encode(b"version: 1\n").decode())
    gh.add("GET", CONTENTS, lambda b, u: (200, {}, body) if f"ref={'b' * 40}" in u else (404, {}, {}))
    assert _api().get_file("o/r", ".mcp-guard.yml", "b" * 40) == b"version: 1\n"
    assert gh.calls[1].url.replace(":443", "") == moved


def test_a_link_loop_in_the_combined_status_is_an_error_not_an_endless_read(gh: FakeGitHub) -> None:
    """The combined status is read page by page like a listing (its pages are objects): a next link
    naming a page seen before is an error, never a "no status" read forever or given up in silence."""
    page = minimal(COMBINED_STATUS, "get", statuses=[])
    again = {"Link": f'<{API}/repos/o/r/commits/{"a" * 40}/status?per_page=100&page=2>; rel="next"'}
    for _ in range(2):  # page 1, then page 2 naming itself as next
        gh.add("GET", COMBINED_STATUS, lambda b, u: (200, again, page))
    with pytest.raises(GitHubError, match="does not end"):
        _api().latest_status("o/r", "a" * 40, "mcp-guard")
