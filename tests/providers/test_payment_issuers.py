"""Payment issuers whose key prefix names the mode (providers/issuers.py: GoCardless, Mollie, Flutterwave,
Paddle, Square; and Netlify's prefixed token): the live/production key is critical and carries the `live` fact
(MCPG203), its sandbox/test sibling is low, and neighbouring shapes sharing a prefix (`live_`) stay apart by
length. Values are built at run time, under the env names those issuers' SDKs and MCP servers read."""

from __future__ import annotations

import json

import pytest

from scanner.model import Severity
from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_hex, fake_token

_GC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def _found(name: str, value: str) -> list[tuple[str, str | None, Severity]]:
    servers = json.dumps({"srv": {"command": "npx", "args": ["srv"], "env": {name: value}}})
    return [(m.secret_type, m.fact("live"), m.severity) for m in scan(mcp_json(servers))]


def _paddle(mode: str, seed: int) -> str:
    return (f"pdl_{mode}_apikey_" + fake_token("", 26, seed, "0123456789abcdefghijklmnopqrstuvwxyz") + "_"
            + fake_token("", 26, seed + 1))


_CASES = [
    ("GOCARDLESS_ACCESS_TOKEN", "live_" + fake_token("", 40, 1, _GC), "gocardless-access-token", "true",
     Severity.CRITICAL),
    ("GOCARDLESS_ACCESS_TOKEN", "sandbox_" + fake_token("", 40, 2, _GC), "gocardless-sandbox-access-token",
     None, Severity.LOW),
    ("MOLLIE_API_KEY", "live_" + fake_token("", 30, 3), "mollie-live-api-key", "true", Severity.CRITICAL),
    ("MOLLIE_API_KEY", "test_" + fake_token("", 30, 4), "mollie-test-api-key", None, Severity.LOW),
    ("FLW_SECRET_KEY", "FLWSECK-" + fake_hex(32, 5) + "-X", "flutterwave-live-secret-key", "true",
     Severity.CRITICAL),
    ("FLW_SECRET_KEY", "FLWSECK_TEST-" + fake_hex(32, 6) + "-X", "flutterwave-test-secret-key", None,
     Severity.LOW),
    ("PADDLE_API_KEY", _paddle("live", 7), "paddle-live-api-key", "true", Severity.CRITICAL),
    ("PADDLE_API_KEY", _paddle("sdbx", 9), "paddle-sandbox-api-key", None, Severity.LOW),
]


@pytest.mark.parametrize(("name", "value", "secret_type", "live", "severity"), _CASES,
                         ids=[case[2] for case in _CASES])
def test_mode_follows_the_prefix(name: str, value: str, secret_type: str, live: str | None,
                                 severity: Severity) -> None:
    assert _found(name, value) == [(secret_type, live, severity)]


@pytest.mark.parametrize("name", ["CONFIG_VALUE", "GOCARDLESS_ACCESS_TOKEN"])
def test_a_gocardless_token_with_dashes_is_not_a_mollie_key(name: str) -> None:
    body = fake_token("", 30, 11) + "-" + fake_token("", 9, 12)  # Mollie's 30, then a `-`
    assert [found[0] for found in _found(name, "live_" + body)] == ["gocardless-access-token"]


@pytest.mark.parametrize("value", [
    "live_" + fake_hex(27, 13),  # a Paddle.js client-side token: public by design, not a Mollie key
    "FLWPUBK-" + fake_hex(32, 14) + "-X",  # Flutterwave public key: browser code
    "FLWPUBK_TEST-" + fake_hex(32, 15) + "-X",
    "FLWSECK_TEST-" + "x" * 32 + "-X",  # documentation placeholders
    "live_" + "x" * 30,
    "sandbox_" + "x" * 40,
    "pdl_live_apikey_" + "0" * 26 + "_" + "x" * 26,
], ids=["paddle-client-token", "flw-public", "flw-public-test", "flw-placeholder", "mollie-placeholder",
        "gocardless-placeholder", "paddle-placeholder"])
def test_public_keys_and_placeholders_stay_quiet(value: str) -> None:
    assert _found("CONFIG_VALUE", value) == []


_SQ = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


@pytest.mark.parametrize(("value", "secret_type", "live", "severity"), [
    ("sq0csp-" + fake_token("", 43, 21, _SQ), "square-application-secret", "true", Severity.CRITICAL),
    ("sandbox-sq0csb-" + fake_token("", 43, 22, _SQ), "square-sandbox-application-secret", None,
     Severity.LOW),
    ("sq0atp-" + fake_token("", 22, 23, _SQ), "square-access-token", "true", Severity.CRITICAL),
    ("sandbox-sq0atb-" + fake_token("", 22, 24, _SQ), "square-sandbox-access-token", None, Severity.LOW),
], ids=["secret", "sandbox-secret", "token", "sandbox-token"])
def test_square_credentials_name_their_environment(value: str, secret_type: str, live: str | None,
                                                   severity: Severity) -> None:
    assert _found("SQUARE_APPLICATION_SECRET", value) == [(secret_type, live, severity)]


def test_square_application_ids_are_not_secrets() -> None:
    # application ids (sq0idp- / sandbox-sq0idb-) are public: the Web Payments SDK takes them in browser code
    for value in ("sq0idp-" + fake_token("", 22, 25, _SQ), "sandbox-sq0idb-" + fake_token("", 22, 26, _SQ)):
        assert _found("SQUARE_APPLICATION_ID", value) == []


def test_netlify_personal_access_token_is_found_under_any_name() -> None:
    assert [found[0] for found in _found("CONFIG_VALUE", "nfp_" + fake_token("", 36, 27))] == ["netlify-pat"]
