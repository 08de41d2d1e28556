"""Revoke runbooks: one per provider the detectors know, official https URLs, and offline grading."""

from __future__ import annotations

import base64
import json

import pytest

from scanner.providers import PROVIDERS
from scanner.providers.grading import grade
from scanner.providers.patterns import PATTERNS
from scanner.providers.runbooks import OAUTH_SERVERS, RUNBOOKS, runbook_for
from tests.fakes import fake_token


def test_every_provider_reachable_from_a_pattern_has_a_runbook() -> None:
    reachable = {p.provider for p in PATTERNS} | {pid for pid, row in PROVIDERS.items() if row.patterns}
    # A provider row's own rotation advice (URL + steps, written with its shapes) is its runbook when
    # no richer runbook row exists; none may fall back to the generic advice.
    missing = sorted(pid for pid in reachable if pid not in RUNBOOKS and (
        runbook_for(pid).provider == "generic"
        # no URL only where there is no account page (self-hosted servers, wallets, many RPC vendors)
        or (runbook_for(pid).url and not runbook_for(pid).url.startswith("https://"))
        or len(runbook_for(pid).steps) <= 20))
    assert missing == []
    assert len({pid for pid, book in RUNBOOKS.items() if book.url}) >= 35


@pytest.mark.parametrize("pid", sorted(RUNBOOKS))
def test_runbook_rows_are_complete(pid: str) -> None:
    book = RUNBOOKS[pid]
    assert book.steps.endswith((".", ")")) and len(book.steps) > 20
    for url in (book.url, book.oauth_url, book.docs):
        assert not url or url.startswith("https://")
    # A copy-paste command never carries a value: the user exports $LEAKED_TOKEN themselves.
    assert not book.revoke_command or "$LEAKED_TOKEN" in book.revoke_command


def test_github_runbook_has_the_unauthenticated_revocation_api_and_oauth() -> None:
    book = runbook_for("github-app")
    assert "api.github.com/credentials/revoke" in book.revoke_command
    assert "Authorization" not in book.revoke_command  # the API must be called without a token
    assert OAUTH_SERVERS["github"] == "https://api.githubcopilot.com/mcp/"
    assert {"sentry", "linear", "notion", "supabase", "neon", "vercel", "context7"} <= set(OAUTH_SERVERS)


def test_unknown_provider_falls_back_to_rotation_advice() -> None:
    assert runbook_for("postgresql").provider == "postgres"
    assert runbook_for("nonexistent-issuer").provider == "generic"


def _jwt(claims: dict[str, object]) -> str:
    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return f"{part({'alg': 'HS256'})}.{part(claims)}.{fake_token('', 43, 1)}"


@pytest.mark.parametrize(("prefix", "lifetime", "scope"), [
    ("ghp_", "long-lived", ""), ("github_pat_", "long-lived", "restricted"),
    ("ghs_", "short-lived", "restricted"), ("gho_", "short-lived", ""),
    ("AKIA", "long-lived", ""), ("ASIA", "short-lived", ""),
    ("sk_live_", "long-lived", "account-wide"), ("rk_live_", "long-lived", "restricted"),
    ("sk-ant-admin01-", "long-lived", "organization-admin"), ("sk-ant-api03-", "long-lived", ""),
    ("pk_live_", "long-lived", "public"), ("phc_", "long-lived", "public"),
])
def test_grade_from_prefix(prefix: str, lifetime: str, scope: str) -> None:
    value = fake_token(prefix, 36, 2)
    result = grade(value)
    assert (result.lifetime, result.scope) == (lifetime, scope)
    assert value not in result.reason and value not in result.label


def test_grade_reads_supabase_jwt_roles_and_expiry() -> None:
    assert grade(_jwt({"role": "service_role", "iss": "supabase"})).scope == "account-wide"
    assert grade(_jwt({"role": "anon", "iss": "supabase"})).scope == "public"
    assert grade(_jwt({"sub": "x", "iat": 1000, "exp": 4600})).lifetime == "short-lived"
    assert grade(_jwt({"sub": "x", "iat": 1000, "exp": 10**9})).lifetime == "long-lived"
