"""Deploy-time token slots and secret-store locators (corpus 11) are names, not secrets; a random
value inside the same brackets is still judged. Values built at run time."""

from __future__ import annotations

import json

import pytest

from scanner.engines.filters import is_placeholder
from scanner.engines.tokenslots import is_token_slot
from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_token


def _hits(value: str, name: str = "GITHUB_TOKEN") -> list[str]:
    server = {"command": "npx", "args": ["-y", "some-mcp"], "env": {name: value}}
    return [m.secret_type for m in scan(mcp_json(json.dumps({"srv": server})))]


_SLOTS = [
    "#{GITHUB_TOKEN}#", "#{GithubToken}#", "#{Octopus.Action.Api.Key}", "#{Component_EncodingAESKey}#",
    "__ANTHROPIC_API_KEY__", "__orchestrator_api_key__", "@@GITHUB_TOKEN@@", "[[GITHUB_TOKEN]]",
    "%(GITHUB_TOKEN)s", "%%API_KEY%%", 'ENV["GITHUB_TOKEN"]', "ENV['GITHUB_TOKEN']", "ENV[GITHUB_TOKEN]",
    "keychain:github-token", "keychain://mcp-github/default", "keychain:twinny/lark/app_secret",
    "keyring:mcp/github", "__API_KEY_V2__",
]


@pytest.mark.parametrize("value", _SLOTS)
@pytest.mark.parametrize("name", ["GITHUB_TOKEN", "API_KEY", "CLIENT_SECRET"])
def test_token_slots_and_locators_are_not_findings(value: str, name: str) -> None:
    assert is_token_slot(value) and is_placeholder(value)
    assert _hits(value, name) == []


_JUDGED = [
    "__" + fake_token("", 24, seed=41) + "__",  # a random token inside a slot's brackets
    "#{" + fake_token("", 32, seed=42) + "}#",
    "keychain:" + fake_token("", 32, seed=43),
    "keychain:" + "github" + fake_token("", 6, seed=44, alphabet="0123456789"),  # more digits than a name
    "__GITHUB_TOKEN__" + fake_token("", 20, seed=45),  # a slot with a value pasted after it
]


@pytest.mark.parametrize("value", _JUDGED)
def test_random_values_in_slot_brackets_are_still_found(value: str) -> None:
    assert not is_token_slot(value)
    assert _hits(value) != []


def test_a_long_name_like_run_is_matched_in_linear_time() -> None:
    # each alternative starts a word only at a capital or a separator: no exponential backtracking
    assert not is_token_slot("__" + "Ab" * 70 + "!__")
    assert not is_token_slot("#{" + "aA" * 75 + "1}")
