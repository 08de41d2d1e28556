"""Offline risk grading from a token's shape: lifetime, scope and public-by-design, with a reason.

One function, `grade`, reads only the value's public prefix / JWT claims (never a network call).
The grade is shown in findings and comments; it never contains the value.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Grade:
    lifetime: str  # "long-lived" | "short-lived" | "unknown"
    scope: str  # "account-wide" | "organization-admin" | "restricted" | "test-mode" | "public" | ""
    reason: str  # one sentence, plain text, no value

    @property
    def label(self) -> str:
        parts = [p for p in (self.lifetime if self.lifetime != "unknown" else "", self.scope) if p]
        return ", ".join(parts) or "unknown lifetime"


# (prefix, lifetime, scope, reason) — the first prefix that matches wins (most specific first).
_PREFIXES: tuple[tuple[str, str, str, str], ...] = (
    ("ghp_", "long-lived", "", "classic GitHub personal access token: lives until revoked, with every scope "
     "its owner ticked"),
    ("github_pat_", "long-lived", "restricted", "fine-grained GitHub token: scoped to chosen repositories, "
     "valid until its expiry (up to a year or none)"),
    ("gho_", "short-lived", "", "GitHub OAuth token: issued to an OAuth app, revocable by the user"),
    ("ghu_", "short-lived", "", "GitHub App user-to-server token: expires after 8 hours"),
    ("ghs_", "short-lived", "restricted", "GitHub App installation token: expires after 1 hour, limited to "
     "the installation's repositories"),
    ("ghr_", "long-lived", "", "GitHub refresh token: mints new user tokens for 6 months"),
    ("AKIA", "long-lived", "", "AWS IAM user access key: valid until deactivated"),
    ("ASIA", "short-lived", "", "AWS STS temporary key: expires within hours (still live until then)"),
    ("sk_live_", "long-lived", "account-wide", "Stripe live secret key: full access to the live account"),
    ("rk_live_", "long-lived", "restricted", "Stripe restricted live key: limited to the permissions it was "
     "given"),
    ("sk_test_", "long-lived", "test-mode", "Stripe test-mode key: no real money, but full test data"),
    ("rk_test_", "long-lived", "test-mode", "Stripe restricted test-mode key"),
    ("pk_live_", "long-lived", "public", "Stripe publishable key: public by design (browser code)"),
    ("pk_test_", "long-lived", "public", "Stripe publishable key: public by design (browser code)"),
    ("sk-ant-admin01-", "long-lived", "organization-admin", "Anthropic Admin API key: manages the whole "
     "organization (keys, members, workspaces)"),
    ("sk-ant-oat01-", "short-lived", "", "Claude subscription OAuth access token"),
    ("sk-ant-", "long-lived", "", "Anthropic API key: valid until disabled"),
    ("sk-admin-", "long-lived", "organization-admin", "OpenAI admin key: manages the whole organization"),
    ("sk-svcacct-", "long-lived", "", "OpenAI service-account key"),
    ("sk-proj-", "long-lived", "restricted", "OpenAI project key: limited to one project"),
    ("sbp_", "long-lived", "account-wide", "Supabase personal access token: every project of the account"),
    ("sb_secret_", "long-lived", "account-wide", "Supabase secret key: bypasses row-level security"),
    ("sb_publishable_", "long-lived", "public", "Supabase publishable key: public by design, protected by "
     "row-level security"),
    ("phc_", "long-lived", "public", "PostHog project key: public by design (sent from browsers)"),
    ("pk.", "long-lived", "public", "Mapbox public token: public by design (restrict it by URL)"),
    ("sk.", "long-lived", "", "Mapbox secret token"),
    ("xoxb-", "long-lived", "", "Slack bot token: valid until the app is uninstalled or the token rotated"),
    ("xoxp-", "long-lived", "", "Slack user token: acts as the user"),
    ("xoxe.", "short-lived", "", "Slack rotating token: expires after 12 hours"),
    ("glpat-", "long-lived", "", "GitLab personal access token"),
    ("npm_", "long-lived", "", "npm token"),
    ("hf_", "long-lived", "", "Hugging Face token"),
    ("sntryu_", "long-lived", "", "Sentry user auth token"),
    ("sntrys_", "long-lived", "restricted", "Sentry organization token: limited to CI scopes"),
    ("-----BEGIN", "long-lived", "", "private key: valid until every place that trusts it is changed"),
)


_ANY_PREFIX = tuple(row[0] for row in _PREFIXES)  # one startswith before the per-row loop
_PASSWORD = Grade("long-lived", "", "password: valid until changed")
_AWS_SECRET = Grade("long-lived", "", "AWS secret access key: paired with a key id, valid until deactivated")
_UNKNOWN = Grade("unknown", "", "the shape does not tell its lifetime: treat it as long-lived")


def _jwt_claims(value: str) -> dict[str, object] | None:
    if not value.startswith("eyJ"):
        return None
    parts = value.split(".")
    if len(parts) != 3:
        return None
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return claims if isinstance(claims, dict) else None


def grade(value: str, secret_type: str | None = None) -> Grade:
    """The risk grade of one credential value, from its shape alone."""
    claims = _jwt_claims(value)
    if claims is not None:
        role = claims.get("role")
        exp, iat = claims.get("exp"), claims.get("iat")
        span = exp - iat if isinstance(exp, int) and isinstance(iat, int) else None
        short = span is not None and span <= 86400
        lifetime = "unknown" if exp is None else "short-lived" if short else "long-lived"
        if role == "service_role":
            return Grade("long-lived" if lifetime == "unknown" else lifetime, "account-wide",
                         "Supabase service_role JWT: bypasses row-level security for the whole project")
        if role == "anon":
            return Grade(lifetime, "public",
                         "Supabase anon JWT: public by design, protected by row-level security")
        reason = "signed token " + ("without an expiry claim" if exp is None else "with an expiry claim")
        return Grade(lifetime, "", reason)
    if value.startswith(_ANY_PREFIX):
        for prefix, lifetime, scope, reason in _PREFIXES:
            if value.startswith(prefix):
                return Grade(lifetime, scope, reason)
    if secret_type in ("db-password", "password"):
        return _PASSWORD
    if secret_type == "aws-secret-access-key":
        return _AWS_SECRET
    return _UNKNOWN
