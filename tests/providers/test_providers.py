"""One property test over every provider row: each prefixed shape fires on a run-time fake of its
own shape and not on a low-entropy placeholder of the same shape, and every provider has rotation
advice. A new provider (providers/issuers.py row) is covered here without a new test."""

from __future__ import annotations

import json

import pytest

from scanner.providers import PROVIDERS, Pattern, provider_for, rotation_for
from scanner.providers.base import Provider
from scanner.providers.patterns import PATTERNS
from scanner.providers.rotation import GENERIC
from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_from_regex

# Public (publishable) keys are never findings. A JWT must decode to a JSON header, which a
# character-class sample cannot be; JWTs have their own cases in tests/matrix.
_PREFIXED = [p for p in PATTERNS if p.prefix and not p.public and p.id != "jwt"]


def _matches(value: str) -> list[str]:
    # A neutral env name, so only the value's own shape can make it a secret.
    servers = json.dumps({"srv": {"command": "npx", "args": ["srv"], "env": {"CONFIG_VALUE": value}}})
    return [m.secret_type for m in scan(mcp_json(servers))]


@pytest.mark.parametrize("pattern", _PREFIXED, ids=lambda p: p.id)
def test_every_prefixed_pattern_fires_on_a_fake_and_not_on_a_placeholder(pattern: Pattern) -> None:
    real = fake_from_regex(pattern.regex, seed=1)
    assert pattern.regex.search(real)
    assert _matches(real) == [pattern.id]
    if pattern.min_entropy > 0:  # structural shapes (PEM blocks, JWTs) are judged by their structure
        placeholder = fake_from_regex(pattern.regex, filler="x")
        assert pattern.regex.search(placeholder)
        assert _matches(placeholder) == []


@pytest.mark.parametrize("provider", sorted(PROVIDERS.values(), key=lambda p: p.id), ids=lambda p: p.id)
def test_every_provider_row_has_rotation_advice(provider: Provider) -> None:
    assert provider.rotation is not GENERIC and provider.rotation.steps
    assert provider.rotation.url == "" or provider.rotation.url.startswith("https://")
    assert rotation_for(provider.id) is provider.rotation
    assert all(rotation_for(alias) is provider.rotation for alias in provider.aliases)
    assert all(p.provider == provider.id for p in provider.patterns)


def test_grafana_is_one_row_shape_rotation_alias_and_name() -> None:
    grafana = PROVIDERS["grafana"]
    assert [p.id for p in grafana.patterns] == ["grafana-service-account-token", "grafana-cloud-api-token"]
    assert rotation_for("grafana-cloud").name == "Grafana"
    assert provider_for("GRAFANA_SERVICE_ACCOUNT_TOKEN", None) == "grafana"
    token = fake_from_regex(grafana.patterns[0].regex, seed=7)
    assert _matches(token) == ["grafana-service-account-token"]
