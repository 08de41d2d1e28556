"""Issuer rows whose token prefix names the provider's mode: a live/production key carries the
`live` fact (MCPG203 reports it in a development config, the classifier counts it as production),
its sandbox/test sibling does not. Values are built at run time."""

from __future__ import annotations

import json

import pytest

from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_hex, fake_token

_ID = "0123456789abcdefghijklmnopqrstuvwxyz"


def _braintree(mode: str, seed: int) -> str:
    return "access_token$" + mode + "$" + fake_token("", 16, seed, _ID) + "$" + fake_hex(32, seed + 1)


def _found(name: str, value: str) -> list[tuple[str, str | None]]:
    servers = json.dumps({"srv": {"command": "npx", "args": ["srv"], "env": {name: value}}})
    return [(m.secret_type, m.fact("live")) for m in scan(mcp_json(servers))]


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("SHIPPO_API_KEY", "shippo_" + "live_" + fake_hex(40, 1), ("shippo-api-token", "true")),
    ("BRAINTREE_ACCESS_TOKEN", _braintree("production", 2), ("braintree-access-token", "true")),
    ("BRAINTREE_ACCESS_TOKEN", _braintree("sandbox", 4), ("braintree-sandbox-access-token", None)),
    ("STRIPE_SECRET_KEY", "sk_" + "live_" + fake_token("", 24, 6), ("stripe-live-key", "true")),
    ("STRIPE_SECRET_KEY", "sk_" + "test_" + fake_token("", 24, 7), ("stripe-test-key", None)),
], ids=["shippo-live", "braintree-production", "braintree-sandbox", "stripe-live", "stripe-test"])
def test_live_fact_follows_the_prefix(name: str, value: str, expected: tuple[str, str | None]) -> None:
    assert _found(name, value) == [expected]


def test_braintree_placeholder_is_not_a_token() -> None:
    assert _found("BRAINTREE_ACCESS_TOKEN", "access_token$production$your_merchant_id$your_token") == []
