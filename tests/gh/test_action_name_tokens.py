"""The Action on a PR whose config uses a token as a name (server name, env key holding the same
token): every channel shows the redacted form, and no suggestion writes the token back in any case.

GitHub is the contract-checked fake; values are built at run time; the output boundary raises.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakes import fake_token
from tests.gh.action_helpers import CONFIG, Repo, everything, git, pr_payload, run
from tests.gh.github_contract import CommentStore, FakeGitHub, status_reply
from tests.gh.test_review import PullReview, _sticky, _suggestion_lines
from tests.test_output_names import assert_no_folded_piece


def _config(name: str, env: dict[str, str]) -> str:
    server = {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": env}
    return json.dumps({"mcpServers": {name: server}}, indent=2) + "\n"


@pytest.mark.parametrize("shape", ["server-name", "env-key"])
def test_token_as_a_name_is_redacted_in_every_channel(tmp_path: Path, gh: FakeGitHub, shape: str) -> None:
    token = fake_token("ghp_", 36, 1320)
    config = _config(token, {"GITHUB_TOKEN": token}) if shape == "server-name" else \
        _config("github", {token: token})
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    head = repo.commit({CONFIG: config})
    review = PullReview(repo.path, base, head, [CONFIG])
    store = CommentStore()
    _sticky(gh, store, create=True)
    review.register(gh, post=shape == "server-name")
    gh.add("POST", "/repos/{owner}/{repo}/statuses/{sha}", status_reply)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), suggestions="true")
    assert result.code == 1, result.log[-2000:]
    assert [c.body["state"] for c in gh.requests("POST", "/statuses/")] == ["failure"]
    shown = f"{token[:4]}…{token[-4:]}"
    assert shown in store.comments[0]["body"]
    if shape == "server-name":  # the value's suggestion (the env-key line would keep the token: none)
        (comment,) = review.reviews[0]["comments"]
        assert '"GITHUB_TOKEN": "${env:GITHUB_TOKEN}"' in _suggestion_lines(comment["body"])
    assert_no_folded_piece(everything(result, gh), token)
