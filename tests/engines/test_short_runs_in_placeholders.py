"""A 16-23 character random key glued to placeholder words (`your-key-<key>`, `YOUR_API_KEY_<key>`) is
still judged as the key: placeholder words hide only runs that read as made up (words, years, docs
sequences, repetitions, one or two character classes). Values are built at run time (seeded)."""

from __future__ import annotations

import json
import random
import string

import pytest

from scanner.engines.filters import short_random_run
from tests.engines.helpers import mcp_json, scan

_ALNUM = string.ascii_letters + string.digits


def _key(n: int, seed: int) -> str:
    rng = random.Random(seed)
    while True:
        key = "".join(rng.choice(_ALNUM) for _ in range(n))
        if short_random_run(key):
            return key


def _env(value: str, name: str | None = "API_KEY") -> list[str]:
    """Secret types found for `value` under env `name`, or as a positional argument (name None)."""
    server: dict[str, object] = {"command": "npx", "args": ["-y", "some-mcp"]}
    if name is None:
        server["args"] = ["-y", "some-mcp", value]
    else:
        server["env"] = {name: value}
    return [m.secret_type for m in scan(mcp_json(json.dumps({"srv": server})))]


@pytest.mark.parametrize("prefix", ["your-key-", "YOUR_API_KEY_", "your_token_here_", "replace-me-"])
@pytest.mark.parametrize("length", [16, 20, 23])
def test_short_random_key_after_placeholder_words_is_found(prefix: str, length: int) -> None:
    assert _env(prefix + _key(length, length)) != []
    assert _env(prefix + _key(length, length), None) != []  # as a positional argument too


# Stand-ins people write in the same places (docs, READMEs, .env.example files).
# Prompts and the made-up runs written after them, kept apart (a prompt word next to a run on one line
# reads to gitleaks as an assignment).
_PROMPTS = ("your-api-key", "sk", "YOUR_KEY", "my-token", "your-key", "your_api_key_here", "your-token",
            "replace-me-with", "your-key", "your-secret-key", "your_token", "your-key")
_RUNS = (
    "abc123def456ghi789", "xxxx1234567890abcdef", "1a2b3c4d5e6f7g8h9i", "AbCdEfGhIjKlMnOpQr",
    "ABCDEFGHIJKLMNOP1234", "0123456789ABCDEF", "MyProjectToken2024", "Token1234567890",
    "aaaaBBBBccccDDDD1111", "QWERTYuiop123456", "Abc123Xyz789Def456", "Ab1" * 6,
)
_STANDINS = [prompt + "-" + run for prompt, run in zip(_PROMPTS, _RUNS, strict=True)]


@pytest.mark.parametrize("value", _STANDINS, ids=range(len(_STANDINS)))
def test_made_up_runs_in_placeholders_stay_quiet(value: str) -> None:
    assert _env(value) == []
    assert _env(value, None) == []


@pytest.mark.parametrize(("run", "random_run"), [
    ("MyProjectToken2024", False),  # CamelCase words and a year
    ("abc123def456ghi789", False),  # no upper case
    ("Abc123Xyz789Def456", False),  # words and number groups
    ("ABCDEFGHIJKLMNOP12", False),
    ("Ab1Ab1Ab1Ab1Ab1Ab1", False),  # a repetition
    ("x" * 20, False),
    ("short1A", False),  # below 16
])
def test_short_random_run_needs_a_random_layout(run: str, random_run: bool) -> None:
    assert short_random_run(run) is random_run


def test_most_random_short_keys_pass() -> None:
    rng = random.Random(5)
    keys = ["".join(rng.choice(_ALNUM) for _ in range(rng.randint(16, 23))) for _ in range(400)]
    assert sum(short_random_run(k) for k in keys) >= 0.65 * len(keys)
