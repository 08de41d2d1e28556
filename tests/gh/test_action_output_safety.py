"""The Action against a PR author (issue 13 items 3, 6, 7, 8): what it writes and posts.

GitHub is mocked at https://ghe.example.test/api/v3 with a contract-checked fake; values are built at
run time; the output boundary raises on secret material (tests run it in strict mode).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.fakes import fake_hex, fake_token
from tests.gh.action_helpers import BOT, CONFIG, Repo, everything, git, mcp_config, pat, pr_payload, run
from tests.gh.github_contract import CommentStore, FakeGitHub, forbidden, status_reply
from tests.test_output_safety import _live_markup, assert_no_piece

COMMENTS = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
STATUS = "/repos/{owner}/{repo}/statuses/{sha}"


def _pr(repo: Repo, files: dict[str, str | None]) -> tuple[str, str]:
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    return base, repo.commit(files)


def _expect_comment(gh: FakeGitHub, store: CommentStore) -> None:
    gh.add("GET", "/user", forbidden)
    store.register(gh, "o/r", 7)
    gh.add("POST", COMMENTS, store.on_create(BOT))
    gh.add("POST", STATUS, status_reply)


def _states(gh: FakeGitHub) -> list[str]:
    return [call.body["state"] for call in gh.requests("POST", "/statuses/")]


def test_twilio_compound_credential_never_reaches_sarif_comment_or_summary(
        repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    sid, secret = "SK" + fake_hex(32, 81), fake_token("", 32, 82)
    base, head = _pr(repo, {CONFIG: mcp_config(TWILIO_CREDENTIALS=f"{sid}:{secret}")})
    store = CommentStore()
    _expect_comment(gh, store)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and _states(gh) == ["failure"]
    sarif = json.loads(result.sarif)
    assert any(r.get("fixes") for r in sarif["runs"][0]["results"])
    assert_no_piece(everything(result, gh), secret, sid)


HOSTILE_KEY = "A``` `![px](https://evil.example/p.png) `` @octocat <img src=x>B_TOKEN"


def test_hostile_names_stay_inert_in_comment_and_summary(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    config = json.dumps({"mcpServers": {"github": {
        "command": "npx", "args": ["gh"], "env": {HOSTILE_KEY: pat(83)}}}})
    base, head = _pr(repo, {CONFIG: config})
    store = CommentStore()
    _expect_comment(gh, store)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1
    assert "MCPG101" in store.comments[0]["body"] and "MCPG101" in result.summary
    assert _live_markup(store.comments[0]["body"]) == []
    assert _live_markup(result.summary) == []


def test_pr_committed_symlink_at_the_sarif_path_is_not_followed(repo: Repo, gh: FakeGitHub,
                                                                 tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("runner file\n", encoding="utf-8")
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    (repo.path / CONFIG).write_text(mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(84)), encoding="utf-8")
    os.symlink(victim, repo.path / "mcp-guard.sarif")
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-q", "-m", "symlink")
    head = git(repo.path, "rev-parse", "HEAD")
    store = CommentStore()
    _expect_comment(gh, store)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1
    assert victim.read_text(encoding="utf-8") == "runner file\n"
    assert "symbolic link" in result.log
    sarif_output = result.outputs.split("sarif-file<<")[1]
    assert "mcp-guard.sarif" not in sarif_output


def test_sarif_path_outside_the_workspace_is_refused(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    base, head = _pr(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(85))})
    store = CommentStore()
    _expect_comment(gh, store)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), sarif_file="../escaped.sarif")
    assert result.code == 1
    assert not (tmp_path / "escaped.sarif").exists() and "outside" in result.log


def test_committed_symlinked_config_is_scanned_in_the_pr(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    token = pat(86)
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    (repo.path / "notes").mkdir()
    holder = repo.path / "notes/holder.txt"
    holder.write_text(mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=token), encoding="utf-8")
    (repo.path / ".mcp.json").unlink(missing_ok=True)
    os.symlink("notes/holder.txt", repo.path / ".mcp.json")
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-q", "-m", "link")
    head = git(repo.path, "rev-parse", "HEAD")
    store = CommentStore()
    _expect_comment(gh, store)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 1 and _states(gh) == ["failure"]
    assert ".mcp.json" in store.comments[0]["body"]


def test_sarif_under_a_symlinked_directory_is_refused(repo: Repo, gh: FakeGitHub, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    base = git(repo.path, "rev-parse", "main")
    repo.checkout("-B", "pr", "main")
    (repo.path / CONFIG).write_text(mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(88)), encoding="utf-8")
    os.symlink(elsewhere, repo.path / "reports")
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-q", "-m", "dir link")
    head = git(repo.path, "rev-parse", "HEAD")
    store = CommentStore()
    _expect_comment(gh, store)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), sarif_file="reports/out.sarif")
    assert result.code == 1
    assert list(elsewhere.iterdir()) == [] and "outside" in result.log


def test_fingerprint_key_input_gives_keyed_fingerprints_and_never_leaks(repo: Repo, gh: FakeGitHub,
                                                                         tmp_path: Path) -> None:
    base, head = _pr(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(89))})
    key = fake_token("fpk_", 40, 90)
    prints = []
    for inputs in ({}, {"fingerprint_key": key}):
        store = CommentStore()
        _expect_comment(gh, store)
        result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), **inputs)
        assert result.code == 1
        results = json.loads(result.sarif)["runs"][0]["results"]
        prints.append([r["partialFingerprints"]["mcpGuardFingerprint/v1"] for r in results])
        assert_no_piece(everything(result, gh), key)
    assert prints[0] and prints[0] != prints[1]


def test_the_github_token_input_is_guarded_like_a_found_value(repo: Repo, gh: FakeGitHub,
                                                              tmp_path: Path) -> None:
    """The `github-token` input is registered at the output boundary when the run starts: a comment,
    log line or summary that would carry it (in any case) is masked, as a found value's would be."""
    from scanner import output_guard

    token = fake_token("ghs_", 36, 91)
    base, head = _pr(repo, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(92))})
    store = CommentStore()
    _expect_comment(gh, store)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), github_token=token)
    assert result.code == 1
    assert_no_piece(everything(result, gh).lower(), token.lower())
    assert output_guard.holds_secret(token.upper())
    assert output_guard.check_output("fine", "test") == "fine"
