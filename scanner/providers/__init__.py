"""Credential issuers: PROVIDERS joins each issuer's token shapes, rotation advice, aliases and
gitleaks rule ids by provider id. provider_for(name) guesses the issuer from an env/flag/header
name; rotation_for(provider) gives the advice (GENERIC when unknown).

Rows live in providers/patterns.py (shapes), providers/rotation.py (advice) and, for issuers written
as one row, providers/issuers.py.
"""

from __future__ import annotations

from scanner.names import name_parts
from scanner.providers.base import Pattern, Provider, Rotation
from scanner.providers.issuers import ISSUERS
from scanner.providers.patterns import PATTERNS
from scanner.providers.rotation import ALIASES, GENERIC, ROTATIONS, rotation_for

__all__ = ["KNOWN_PROVIDERS", "PROVIDERS", "Pattern", "Provider", "Rotation", "provider_for", "rotation_for"]


def _join() -> dict[str, Provider]:
    rows = {issuer.id: issuer for issuer in ISSUERS}
    ids = sorted({p.provider for p in PATTERNS} | set(ROTATIONS))
    for pid in ids:
        if pid in rows:
            continue
        rows[pid] = Provider(
            id=pid, patterns=tuple(p for p in PATTERNS if p.provider == pid),
            rotation=ROTATIONS.get(pid, GENERIC),
            aliases=tuple(sorted(alias for alias, target in ALIASES.items() if target == pid)))
    return rows


PROVIDERS: dict[str, Provider] = _join()

KNOWN_PROVIDERS = frozenset({p.provider for p in PATTERNS} | {
    "openai", "anthropic", "exa", "brave", "elastic", "elasticsearch", "jira", "confluence", "paypal",
    "twitter", "telegram", "azure", "mongodb", "postgres", "redis", "supabase", "vercel", "netlify",
    "deepseek", "cohere", "replicate", "tavily", "kagi", "serper", "serpapi", "browserbase", "odoo",
    "shodan", "gemini", "google", "aws", "github", "gitlab", "slack", "discord", "zapier", "smithery",
})


def provider_for(name: str | None, fallback: str | None) -> str:
    """Provider id guessed from the first word of the name (`OPENAI_API_KEY` -> openai)."""
    for candidate in (name, fallback):
        if candidate:
            parts = name_parts(candidate)
            if parts and parts[0].lower() in KNOWN_PROVIDERS:
                return parts[0].lower()
    return "generic"


# The name engines/analyze.py used; kept so callers read one function.
provider_from_name = provider_for
