"""One-click ```suggestion review comments against a contract-checked fake GitHub."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from scanner.findings import Finding, Fix, TextEdit
from scanner.fix.apply import apply_edits
from scanner.gh.suggestions import MARKER_PREFIX, MAX_SUGGESTIONS, build_suggestions, parse_patch
from scanner.model import Category, Environment, Location, Severity
from tests.fakes import assert_no_secret
from tests.gh.action_helpers import (
    BOT,
    CONFIG,
    Repo,
    everything,
    git,
    mcp_config,
    one_change_pr,
    pat,
    pr_payload,
    run,
)
from tests.gh.github_contract import CommentStore, FakeGitHub, example, fake_github, forbidden, status_reply

VSCODE = ".vscode/mcp.json"
FILES = "/repos/{owner}/{repo}/pulls/{pull_number}/files"
REVIEW_COMMENTS = "/repos/{owner}/{repo}/pulls/{pull_number}/comments"
REVIEW_COMMENT = "/repos/{owner}/{repo}/pulls/comments/{comment_id}"
REVIEWS = "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"
_HEADER = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


def _patch(repo: Path, base: str, head: str, path: str) -> str:
    """The `patch` GitHub shows for one file: the unified diff without its ---/+++ header."""
    diff = git(repo, "diff", "--no-color", base, head, "--", path)
    return diff[diff.index("@@"):] if "@@" in diff else ""


def _hunk_ranges(patch: str) -> list[range]:
    """Right-side line ranges from the `@@` headers alone (independent of scanner.gh.review)."""
    return [range(int(m.group(1)), int(m.group(1)) + int(m.group(2) or "1"))
            for m in _HEADER.finditer(patch)]


@dataclass
class PullReview:
    """A PR's review comments as GitHub keeps them, with GitHub's all-or-nothing line check."""

    repo: Path
    base: str
    head: str
    paths: list[str]
    comments: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    reject: bool = False  # every review is refused (422), as GitHub does when it places a line off the diff
    reject_single: bool = False  # single review comments are refused too
    next_id: int = 5000

    def register(self, gh: FakeGitHub, *, post: bool, patch_calls: int = 0, fetch_files: bool = True,
                 single_calls: int = 0) -> None:
        if fetch_files:
            gh.add("GET", FILES, self._files)
        gh.add("GET", REVIEW_COMMENTS, lambda _b, _u: (200, {}, list(self.comments)))
        if post:
            gh.add("POST", REVIEWS, self._post)
        for _ in range(single_calls):
            gh.add("POST", REVIEW_COMMENTS, self._post_single)
        for _ in range(patch_calls):
            gh.add("PATCH", REVIEW_COMMENT, self._patch_comment)

    def _post_single(self, body: Any, _url: str) -> tuple[int, dict[str, str], Any]:
        ranges = _hunk_ranges(_patch(self.repo, self.base, self.head, body["path"]))
        if self.reject_single or not any(body["line"] in r for r in ranges) or body["commit_id"] != self.head:
            return 422, {}, {"message": "Validation Failed", "errors": [
                {"resource": "PullRequestReviewComment", "code": "custom",
                 "field": "pull_request_review_thread.line",
                 "message": "pull_request_review_thread.line must be part of the diff"}]}
        item = example("pull-request-review-comment-2")
        self.next_id += 1
        item.update(id=self.next_id, body=body["body"], path=body["path"], line=body["line"])
        item["user"] = {**item["user"], "login": BOT}
        self.comments.append(item)
        return 201, {}, item

    def _files(self, _body: Any, _url: str) -> tuple[int, dict[str, str], Any]:
        items = []
        for path in self.paths:
            items.append({"sha": "0" * 40, "filename": path, "status": "modified", "additions": 1,
                          "deletions": 0, "changes": 1, "blob_url": "", "raw_url": "", "contents_url": "",
                          "patch": _patch(self.repo, self.base, self.head, path)})
        return 200, {}, items

    def _post(self, body: Any, _url: str) -> tuple[int, dict[str, str], Any]:
        if self.reject:
            return 422, {}, {"message": "Unprocessable Entity", "errors": [
                "Pull request review thread line must be part of the diff and Pull request review thread "
                "diff hunk can't be blank"]}
        for comment in body["comments"]:
            ranges = _hunk_ranges(_patch(self.repo, self.base, self.head, comment["path"]))
            hunk = next((r for r in ranges if comment["line"] in r), None)
            start = comment.get("start_line", comment["line"])
            if hunk is None or start not in hunk or start > comment["line"]:
                return 422, {}, {"message": "Unprocessable Entity", "errors": [
                    "Pull request review thread line must be part of the diff"]}
        assert body["event"] == "COMMENT" and body["commit_id"] == self.head
        self.reviews.append(body)
        for comment in body["comments"]:
            item = example("pull-request-review-comment-2")
            self.next_id += 1
            item.update(id=self.next_id, body=comment["body"], path=comment["path"], line=comment["line"])
            item["user"] = {**item["user"], "login": BOT}
            self.comments.append(item)
        review = example("pull-request-review")
        review.update(body=body["body"], state="COMMENTED", commit_id=self.head)
        return 200, {}, review

    def _patch_comment(self, body: Any, url: str) -> tuple[int, dict[str, str], Any]:
        comment_id = int(url.split("?")[0].rstrip("/").rsplit("/", 1)[-1])
        for comment in self.comments:
            if comment["id"] == comment_id:
                comment["body"] = body["body"]
                return 200, {}, comment
        return 404, {}, {"message": "Not Found"}


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with fake_github() as gh:
        yield gh


def _sticky(gh: FakeGitHub, store: CommentStore, *, create: bool = False, update: bool = False) -> None:
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    if create:
        gh.add("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", store.on_create(BOT))
    if update:
        gh.add("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", store.on_update())


def _vscode(token: str) -> str:
    server = {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
              "env": {"GITHUB_TOKEN": token}}
    return json.dumps({"servers": {"github": server}}, indent=2) + "\n"


def _suggestion_lines(body: str) -> str:
    match = re.search(r"(`{3,})suggestion\n(.*?)\1", body, re.S)
    assert match, body
    return match.group(2)


def test_parse_patch_counts_right_side_lines() -> None:
    patch = ("@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n"
             "@@ -10,2 +11,2 @@ ctx\n x\n-y\n+Y\n\\ No newline at end of file")
    first, second = parse_patch(patch)
    assert sorted(first.right) == [1, 2, 3, 4] and sorted(first.added) == [2, 3]
    assert sorted(second.right) == [11, 12] and sorted(second.added) == [12]


def test_suggestions_on_added_lines_only_and_never_duplicated(tmp_path: Path, gh: FakeGitHub) -> None:
    old, new, other = pat(41), pat(42), pat(43)
    repo = Repo(tmp_path / "ws")
    # An unchanged secret far from the change (full mode reports it, but it is not on an added line).
    servers = {f"s{i}": {"command": "npx", "args": ["srv"]} for i in range(12)}
    servers["old"] = {"command": "npx", "env": {"GITHUB_TOKEN": old}}
    repo.commit({CONFIG: json.dumps({"mcpServers": servers}, indent=2) + "\n"})
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    servers_new = {"new": {"command": "npx", "env": {"GITHUB_TOKEN": new}}, **servers}
    head = repo.commit({CONFIG: json.dumps({"mcpServers": servers_new}, indent=2) + "\n",
                        VSCODE: _vscode(other)})
    review = PullReview(repo.path, base, head, [CONFIG, VSCODE])
    store = CommentStore()
    _sticky(gh, store, create=True)
    review.register(gh, post=True)
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    first = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), suggestions="true",
                scan_mode="full")
    assert first.code == 1 and len(review.reviews) == 1
    comments = review.reviews[0]["comments"]
    assert sorted(c["path"] for c in comments) == [CONFIG, VSCODE]  # not the unchanged `old` line
    cursor = next(c for c in comments if c["path"] == CONFIG)
    assert "start_line" not in cursor
    assert '"GITHUB_TOKEN": "${env:GITHUB_TOKEN}"' in _suggestion_lines(cursor["body"])
    vscode = next(c for c in comments if c["path"] == VSCODE)  # new file: inputs declaration + value
    assert vscode["start_line"] == 1 and vscode["start_side"] == "RIGHT" and vscode["line"] > 1
    assert '"inputs"' in _suggestion_lines(vscode["body"]) and "${input:" in _suggestion_lines(vscode["body"])
    assert all(c["body"].startswith(MARKER_PREFIX + " fp=") for c in comments)
    assert len(store.comments) == 1  # the sticky stays the summary
    # Re-run on the same head: comments are listed, nothing is posted again.
    _sticky(gh, store)
    review.register(gh, post=False, fetch_files=False)
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    second = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), suggestions="true",
                 scan_mode="full")
    assert second.code == 1 and len(review.reviews) == 1 and len(review.comments) == 2
    assert sum("/reviews" in call.request.url for call in gh.mock.calls) == 1  # no second attempt
    for result in (first, second):
        assert_no_secret(everything(result, gh), old, new, other)
    _assert_no_piece(json.dumps(review.reviews), old, new, other)


def test_gone_finding_resolves_its_suggestion(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(44)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    review = PullReview(repo.path, base, head, [CONFIG])
    store = CommentStore()
    _sticky(gh, store, create=True)
    review.register(gh, post=True)
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    assert run(repo.path, tmp_path, "pull_request", pr_payload(base, head), suggestions="true").code == 1
    assert len(review.comments) == 1
    # The author applies the suggestion: the finding is gone from the head.
    fixed = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}")})
    review.head = fixed
    _sticky(gh, store, update=True)
    review.register(gh, post=False, patch_calls=1, fetch_files=False)
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, fixed), suggestions="true")
    body = review.comments[0]["body"]
    assert "resolved" in body and "suggestion\n" not in body and len(review.reviews) == 1
    assert sum("/reviews" in call.request.url for call in gh.mock.calls) == 1
    assert_no_secret(everything(result, gh), secret)
    assert result.code == 1  # still in the branch history: the gate holds, the suggestion is done


def test_review_422_degrades_without_failing_the_run(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(45)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    review = PullReview(repo.path, base, head, [CONFIG], reject=True, reject_single=True)
    store = CommentStore()
    _sticky(gh, store, create=True)
    review.register(gh, post=True, single_calls=1)
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, base_ref="feature/x"),
                 suggestions="true")
    assert result.code == 0 and [c.body["state"] for c in gh.requests("POST", "/statuses/")] == ["success"]
    assert "::warning::mcp-guard: GitHub rejected the suggestions (422" in result.log
    assert len(store.comments) == 1 and "MCPG101" in store.comments[0]["body"]
    assert "Traceback" not in result.log
    assert_no_secret(everything(result, gh), secret)


def test_fork_gets_no_review_calls(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(46)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    gh.add("GET", "/user", forbidden)
    CommentStore().register(gh, "o/r", 7)
    gh.add("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", forbidden)
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", forbidden)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head, fork=True), suggestions="true")
    assert result.code == 1 and not gh.requests("GET", "/pulls/") and "no review suggestions" in result.log
    assert_no_secret(everything(result, gh), secret)


def _finding(line: int, edits: tuple[TextEdit, ...], fp: str = "a" * 64) -> Finding:
    return Finding("MCPG101", Category.SECRET, Severity.HIGH, Location(CONFIG, line, 5), "cursor", "s",
                   "env.X", Environment.UNKNOWN, "github-pat", "ghp_…abcd", fp, "secret", True,
                   fix=Fix("use ${env:X}", edits))


def test_build_suggestions_respects_hunks_and_rechecks_secrets() -> None:
    text = "".join(f"line {i}\n" for i in range(1, 21))
    patch = ("@@ -1,3 +1,4 @@\n line 1\n+line 2\n line 3\n line 4\n"
             "@@ -15,3 +16,3 @@\n line 16\n-x\n+line 17\n line 18")
    read = {CONFIG: text.encode()}.get
    on_added = _finding(2, (TextEdit(CONFIG, 2, 1, 2, 7, "fixed"),))
    on_context = _finding(3, (TextEdit(CONFIG, 3, 1, 3, 7, "fixed"),), "b" * 64)
    across = _finding(17, (TextEdit(CONFIG, 17, 1, 17, 7, "fixed"), TextEdit(CONFIG, 2, 1, 2, 1, "x")),
                      "c" * 64)  # spans two hunks
    multi = _finding(17, (TextEdit(CONFIG, 16, 1, 16, 1, "new\n"), TextEdit(CONFIG, 17, 1, 17, 7, "ok")),
                     "d" * 64)  # two lines of one hunk
    out = build_suggestions([on_added, on_context, across, multi], {CONFIG: patch}, read,
                            lambda *_args: False)
    assert [(s.fingerprint[0], s.start_line, s.line) for s in out] == [("a", 2, 2), ("d", 16, 17)]
    assert _suggestion_lines(out[1].body) == "new\nline 16\nok7\n"
    assert build_suggestions([on_added], {CONFIG: patch}, read, lambda *_args: True) == []
    hostile = replace(on_added, message="server <img src=x onerror=alert(1)> @org/admins [x](https://evil.test)")
    [body] = [s.body for s in build_suggestions([hostile], {CONFIG: patch}, read, lambda *_args: False)]
    assert "<img" not in body and "@org/admins" not in body and "](https://evil.test)" not in body


def test_build_suggestions_work_is_bounded_for_thousands_of_fixable_findings() -> None:
    """3,000 fixable findings on added lines: the file is read once, the patch parsed once, and the
    work stops at the review's cap (re-checks are bounded even when every one says "still secret")."""
    count = 3000
    text = "".join(f"line {i}\n" for i in range(1, count + 1))
    patch = f"@@ -0,0 +1,{count} @@\n" + "".join(f"+line {i}\n" for i in range(1, count + 1))
    reads: list[str] = []

    def read(path: str) -> bytes:
        reads.append(path)
        return text.encode()

    findings = [_finding(i, (TextEdit(CONFIG, i, 1, i, 5, "LINE"),), f"{i:064x}")
                for i in range(1, count + 1)]
    checks: list[int] = []

    def still(_path: str, _text: str, first: int, _last: int) -> bool:
        checks.append(first)
        return False

    out = build_suggestions(findings, {CONFIG: patch}, read, still)
    assert len(out) == MAX_SUGGESTIONS and len(checks) == MAX_SUGGESTIONS and reads == [CONFIG]
    checks.clear()
    assert build_suggestions(findings, {CONFIG: patch}, read, lambda *a: bool(checks.append(1)) or True) == []
    assert len(checks) == 2 * MAX_SUGGESTIONS


def test_batched_recheck_sees_exactly_each_fixs_own_lines() -> None:
    """In-place fixes of one file are re-checked in one text with all of them applied; the lines a
    suggestion covers must read exactly as with its own fix alone, and a line shared by two
    findings is re-checked alone (its other value must keep the suggestion from being posted)."""
    text = "".join(f"value{i} value{i}b\n" for i in range(1, 11))
    patch = "@@ -0,0 +1,10 @@\n" + "".join(f"+{line}\n" for line in text.splitlines())
    single = [_finding(i, (TextEdit(CONFIG, i, 1, i, 6 + len(str(i)), "REF"),), f"{i:064x}")
              for i in (1, 2, 4, 5, 10)]
    shared = [_finding(7, (TextEdit(CONFIG, 7, 1, 7, 7, "REF"),), "e" * 64),
              _finding(7, (TextEdit(CONFIG, 7, 8, 7, 15, "REF"),), "f" * 64)]
    seen: set[tuple[int, str]] = set()
    texts: set[str] = set()

    def still(_path: str, fixed: str, first: int, last: int) -> bool:
        seen.add((first, "\n".join(fixed.split("\n")[first - 1:last])))
        texts.add(fixed)
        return False

    out = build_suggestions([*single, *shared], {CONFIG: patch}, {CONFIG: text.encode()}.get, still)
    assert len(out) == len(single) + len(shared)
    for finding in (*single, *shared):
        assert finding.fix is not None
        alone = apply_edits(text, finding.fix.edits).split("\n")[finding.line - 1]
        assert (finding.line, alone) in seen
    assert len(seen) == len(single) + len(shared)
    assert len(texts) == 1 + len(shared)  # one text for the five batched fixes, one per shared-line fix


def test_builtin_recheck_scans_many_fixed_files_in_one_pass(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import scanner.pipeline
    from scanner.gh.recheck import builtin_still_secret

    calls: list[int] = []
    real = scanner.pipeline.scan_files

    def counting(files: Any, options: Any) -> Any:
        calls.append(len(files))
        return real(files, options)

    monkeypatch.setattr(scanner.pipeline, "scan_files", counting)

    def config(value: str) -> str:
        return json.dumps({"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": value}}}},
                          indent=2) + "\n"

    clean = {f"p{i}/.mcp.json": config("${GITHUB_TOKEN}") for i in range(5)}
    dirty = {"q/.mcp.json": config(pat(4401))}
    check = builtin_still_secret(tmp_path)
    check.prepare([*clean.items(), *dirty.items()])  # type: ignore[attr-defined]
    assert calls == [6]
    line = 6  # the GITHUB_TOKEN line of config()
    assert not any(check(path, text, line, line) for path, text in clean.items())
    assert check("q/.mcp.json", dirty["q/.mcp.json"], line, line)
    assert calls == [6]  # answered from the one pass
    assert check("q/.mcp.json", clean["p0/.mcp.json"], line, line) is False and calls == [6, 1]


def _assert_no_piece(text: str, *secrets: str) -> None:
    """Stricter than assert_no_secret: no 12-character piece of a secret in any body."""
    for secret in secrets:
        for start in range(len(secret) - 11):
            assert secret[start:start + 12] not in text, "a piece of a secret leaked into a review body"


def test_two_secrets_on_one_line_get_no_suggestion(tmp_path: Path, gh: FakeGitHub) -> None:
    first, second = pat(47), pat(48)
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    line = f'"gh": {{"command": "npx", "env": {{"GITHUB_TOKEN": "{first}", "OTHER_TOKEN": "{second}"}}}}'
    head = repo.commit({CONFIG: '{\n  "mcpServers": {\n    ' + line + "\n  }\n}\n"})
    review = PullReview(repo.path, base, head, [CONFIG])
    store = CommentStore()
    _sticky(gh, store, create=True)
    review.register(gh, post=False)  # each fix alone would leave the other secret in the suggested line
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), suggestions="true")
    assert result.code == 1 and review.reviews == [] and store.comments[0]["body"].count("MCPG101") >= 2
    assert not [call for call in gh.mock.calls if "/reviews" in call.request.url]  # not even attempted
    _assert_no_piece(everything(result, gh), first, second)


@pytest.mark.parametrize("actor", ["octocat", "dependabot[bot]"])
def test_review_403_is_logged_once(tmp_path: Path, gh: FakeGitHub, actor: str) -> None:
    """A same-repository run whose token was not granted `pull-requests: write` (the comment went
    through `issues: write`) gets one warning naming the permission; a Dependabot run's read-only
    token one plain line. Either way the result is unchanged: suggestions are optional."""
    secret = pat(49)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    review = PullReview(repo.path, base, head, [CONFIG])
    store = CommentStore()
    _sticky(gh, store, create=True)
    review.register(gh, post=False)
    gh.add("POST", REVIEWS, forbidden)
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), suggestions="true",
                 extra_env={"GITHUB_ACTOR": actor})
    warnings = [line for line in result.log.splitlines() if line.startswith("::warning")]
    if actor == "dependabot[bot]":
        assert result.code == 1 and "cannot write review comments" in result.log and not warnings
    else:
        assert result.code == 1 and len(warnings) == 1 and "grant `pull-requests: write`" in warnings[0]
    bodies = [c.body for c in gh.requests("POST", "/reviews")]
    assert len(bodies) == 1 and "${env:" in json.dumps(bodies)
    _assert_no_piece(everything(result, gh), secret)


def test_suggestion_deleted_before_it_is_resolved_does_not_drop_the_new_ones(tmp_path: Path,
                                                                           gh: FakeGitHub) -> None:
    """Was: the 404 on PATCH (a reviewer deleted the old suggestion) degraded the whole review as a
    read-only token, so the new finding's suggestion was never posted."""
    first, second = pat(47), pat(48)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=first)})
    review = PullReview(repo.path, base, head, [CONFIG])
    store = CommentStore()
    _sticky(gh, store, create=True)
    review.register(gh, post=True)
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    assert run(repo.path, tmp_path, "pull_request", pr_payload(base, head), suggestions="true").code == 1
    # The first secret is replaced by another one; the old suggestion is deleted while the run lists it.
    review.head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=second)})
    _sticky(gh, store, update=True)
    review.register(gh, post=True)
    gh.add("PATCH", REVIEW_COMMENT, lambda _b, _u: (404, {}, {"message": "Not Found"}))
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, review.head), suggestions="true")
    assert len(review.reviews) == 2 and "cannot write review comments" not in result.log
    assert_no_secret(everything(result, gh), first)
    assert_no_secret(everything(result, gh), second)


def test_a_suggestion_over_githubs_comment_limit_is_not_built() -> None:
    """Was: a fix on a 70,000-character line (minified JSON) made a review comment body GitHub
    rejects (422), and with it the whole all-or-nothing review."""
    long_line = '{"a": "' + "x" * 70_000 + '"}'
    text = f"line 1\n{long_line}\nline 3\n"
    patch = f"@@ -1,1 +1,3 @@\n line 1\n+{long_line}\n+line 3"
    huge = _finding(2, (TextEdit(CONFIG, 2, 1, 2, 3, "{}"),))
    small = _finding(3, (TextEdit(CONFIG, 3, 1, 3, 5, "LINE"),), "b" * 64)
    out = build_suggestions([huge, small], {CONFIG: patch}, {CONFIG: text.encode()}.get,
                            lambda *_args: False)
    assert [s.fingerprint[0] for s in out] == ["b"]


def test_rejected_review_falls_back_to_single_suggestions(tmp_path: Path, gh: FakeGitHub) -> None:
    """Was: one 422 on the all-or-nothing review dropped every suggestion."""
    secret = pat(49)
    repo, base, head = one_change_pr(tmp_path, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    review = PullReview(repo.path, base, head, [CONFIG], reject=True)
    store = CommentStore()
    _sticky(gh, store, create=True)
    review.register(gh, post=True, single_calls=1)
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), suggestions="true")
    assert result.code == 1 and len(review.comments) == 1 and review.reviews == []
    assert "suggestion\n" in review.comments[0]["body"] and "1 posted" in result.log
    assert_no_secret(everything(result, gh), secret)
