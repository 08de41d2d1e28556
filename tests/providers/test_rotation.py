"""Rotation advice covers every provider id the engines emit, with real https settings pages."""

from __future__ import annotations

import pytest

from scanner.clients.catalog import known_clients, syntax_for
from scanner.hosts import DB_SCHEMES
from scanner.model import Client
from scanner.providers import KNOWN_PROVIDERS
from scanner.providers.patterns import PATTERNS
from scanner.providers.rotation import GENERIC, ROTATIONS, rotation_for


def _engine_providers() -> set[str]:
    names = {p.provider for p in PATTERNS} | {s.split("+", 1)[0] for s in DB_SCHEMES}
    return names | set(KNOWN_PROVIDERS)


@pytest.mark.parametrize("provider", sorted(_engine_providers()))
def test_every_engine_provider_has_rotation(provider: str) -> None:
    assert rotation_for(provider) is not GENERIC, provider


def test_at_least_thirty_providers_with_settings_pages() -> None:
    with_urls = [r for r in ROTATIONS.values() if r.url]
    assert len(with_urls) >= 30
    assert all(r.url.startswith("https://") and " " not in r.url for r in with_urls)


@pytest.mark.parametrize(("provider", "name"), [
    ("postgresql", "PostgreSQL database"), ("GitHub", "GitHub"), ("hf", "Hugging Face"),
    ("clickhouse", "database"), ("mongodb+srv", "MongoDB"), (None, GENERIC.name), ("made-up", GENERIC.name),
])
def test_rotation_lookup_aliases_and_fallback(provider: str | None, name: str) -> None:
    assert rotation_for(provider).name == name


def test_every_client_has_syntax_advice() -> None:
    for client in Client:
        syntax = syntax_for(client)
        assert syntax.note, client
    assert syntax_for("no-such-client").style == "none"
    desktop = syntax_for(Client.CLAUDE_DESKTOP)
    assert "keychain" in desktop.alternative and "keychain" not in desktop.note  # the advice is said once
    assert len(known_clients()) >= 25


@pytest.mark.parametrize(("client", "reference"), [
    (Client.CLAUDE_CODE, "${API_KEY}"), (Client.CURSOR, "${env:API_KEY}"),
    (Client.WINDSURF, "${env:API_KEY}"),
    (Client.ROO, "${env:API_KEY}"), (Client.VSCODE, "${input:api-key}"), (Client.GEMINI, "$API_KEY"),
    (Client.OPENCODE, "{env:API_KEY}"), (Client.CONTINUE, "${{ secrets.API_KEY }}"),
    (Client.CODEX, None), (Client.GOOSE, None), (Client.ZED, None), (Client.CLAUDE_DESKTOP, None),
    (Client.CLINE, None), (Client.JUNIE, None), (Client.AMAZONQ, None),
])
def test_reference_syntax_per_client(client: Client, reference: str | None) -> None:
    assert syntax_for(client).reference("api key") == reference
