"""filters.py predicates and clients.catalog.resolved_syntaxes: small should/should-not tables."""

from __future__ import annotations

import pytest

from scanner.clients.catalog import resolved_syntaxes
from scanner.engines.filters import (
    is_example_sequence,
    is_non_secret_value,
    is_placeholder,
    is_reference_only,
    is_sensitive_name,
)
from scanner.model import Client
from scanner.references import RefSyntax
from tests.fakes import fake_token


@pytest.mark.parametrize("name", ["GITHUB_TOKEN", "OPENAI_API_KEY", "DB_PASSWORD", "SMTP_PASS", "GITLAB_PAT",
                                  "BASIC_AUTH", "GOOGLE_CREDENTIALS", "Authorization", "--api-key", "apiKey",
                                  "X-API-Key", "--password", "client_secret"])
def test_sensitive_names(name: str) -> None:
    assert is_sensitive_name(name)


@pytest.mark.parametrize("name", ["AWS_ACCESS_KEY_ID", "AWS_REGION", "SUPABASE_PROJECT_ID", "SLACK_TEAM_ID",
                                  "MAX_TOKENS", "GITHUB_TOKEN_LIMIT", "SUPABASE_ANON_KEY",
                                  "STRIPE_PUBLISHABLE_KEY", "TOKEN_URL", "KEY_FILE", "NODE_ENV", "--port"])
def test_non_sensitive_names(name: str) -> None:
    assert not is_sensitive_name(name)


@pytest.mark.parametrize("value", ["<YOUR_TOKEN>", "YOUR_API_KEY", "your-api-key-here", "xoxb-your-bot-token",
                                   "ntn_****", "sk-...", "[REDACTED_API_KEY]", "changeme", "{{ token }}",
                                   "dummy-value", "secret_xxx", "sk-ant-api03-…"])
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize("value", [fake_token("ghp_", 36, 1), "Summer2024!", fake_token("", 32, 2),
                                   "MyPassw0rd!x"])
def test_real_looking_values_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value) and not is_example_sequence(value)


def test_examples_references_and_non_secret_values() -> None:
    assert is_example_sequence("ghp_" + "1234567890abcdef" * 2 + "1234")
    assert is_reference_only("Bearer ${env:TOKEN}") and not is_reference_only("abc123XYZ789${X}")
    assert all(is_non_secret_value(v) for v in ("true", "4096", "https://api.x.io/v1", "/etc/x.pem",
                                                  "gpt-4o", "see the README file"))


def test_resolved_syntaxes_follow_the_client_docs() -> None:
    assert RefSyntax.DOLLAR_BRACE in resolved_syntaxes(Client.CLAUDE_CODE)
    assert RefSyntax.INPUT not in resolved_syntaxes(Client.CLAUDE_CODE)
    assert {RefSyntax.INPUT, RefSyntax.ENV_COLON} <= resolved_syntaxes(Client.VSCODE)
    assert RefSyntax.DOLLAR_BRACE not in resolved_syntaxes(Client.VSCODE)
    assert resolved_syntaxes(Client.OPENCODE) == {RefSyntax.BRACE_ENV, RefSyntax.BRACE_FILE}
    assert resolved_syntaxes(Client.CLAUDE_DESKTOP) == frozenset()


# Corpus 12: a random key holding `xXxX` (or starting `xX`, `Xx`, `xx` + more random characters) was
# taken for an `xxxx` placeholder; a run of one case, or `xx` / `XXX` standing alone, still is one.
_RANDOM = fake_token("", 28, 1202)


@pytest.mark.parametrize("value", ["BSA" + _RANDOM[:9] + "xXxX" + _RANDOM[9:], "xX" + _RANDOM,
                                   "Xx" + _RANDOM, "xx" + _RANDOM, _RANDOM[:10] + "yYyY" + _RANDOM[10:],
                                   _RANDOM[:10] + "ZzZz" + _RANDOM[10:]])
def test_mixed_case_x_runs_inside_a_random_key_are_no_placeholder(value: str) -> None:
    assert not is_placeholder(value)


@pytest.mark.parametrize("value", ["xxxx", "XXXX-XXXX-XXXX", "xx", "XXX", "xx-your-key", "XXX_TOKEN",
                                   "ghp_XXXXXXXXXXXXXXXXXXXX", "sk-xxxxxxxxxxxxxxxx", "yyyy-mm-dd",
                                   "key-ZZZZ", "Xxxxxxxx"])
def test_one_case_x_runs_stay_placeholders(value: str) -> None:
    assert is_placeholder(value)
