"""What is special about the issuer rows added in the wave-4 real-world pass (the property test in
test_providers.py covers each row's own shape): they are found as positional arguments, where no name
helps, and they do not take over neighbouring shapes. Values are built at run time."""

from __future__ import annotations

import json
import random
import uuid

import pytest

from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_hex, fake_token


def _uuid(seed: int) -> str:
    return str(uuid.UUID(int=random.Random(seed).getrandbits(128), version=4))


SHAPES = {
    "google-oauth-client-secret": lambda: "GOCSPX-" + fake_token("", 28, 1),
    "google-oauth-access-token": lambda: "ya29." + fake_token("", 120, 2),
    "e2b-api-key": lambda: "e2b_" + fake_hex(40, 3),
    "jina-api-key": lambda: "jina_" + fake_token("", 60, 4),
    "elevenlabs-api-key": lambda: "sk_" + fake_hex(48, 5),
    "sonarqube-token": lambda: "sqp_" + fake_hex(40, 6),
    "trello-token": lambda: "ATTA" + fake_hex(64, 7) + fake_hex(8, 8).upper(),
    "bitbucket-app-password": lambda: "ATBB" + fake_token("", 32, 9),
    "contentful-pat": lambda: "CFPAT-" + fake_token("", 43, 10),
    "axiom-token": lambda: "xaat-" + _uuid(11),
    "terraform-cloud-token": lambda: fake_token("", 14, 12) + ".atlasv1." + fake_token("", 67, 13),
    "mailgun-private-key": lambda: "key-" + fake_hex(32, 14),
    "inngest-signing-key": lambda: "signkey-prod-" + fake_hex(64, 15),
    # `npx hyperbrowser-mcp <YOUR-HYPERBROWSER-API-KEY>` (its README): hb_ + hex, positional
    "hyperbrowser-api-key": lambda: "hb_" + fake_hex(28, 17),
}


def _positional(value: str) -> list[str]:
    servers = json.dumps({"srv": {"command": "npx", "args": ["-y", "some-mcp", value]}})
    return [m.secret_type for m in scan(mcp_json(servers))]


@pytest.mark.parametrize("secret_type", sorted(SHAPES))
def test_found_as_a_positional_argument(secret_type: str) -> None:
    assert _positional(SHAPES[secret_type]()) == [secret_type]


def test_stripe_keys_stay_stripe_next_to_elevenlabs() -> None:
    """ElevenLabs `sk_` + 48 hex must not claim Stripe's `sk_live_` keys."""
    assert _positional("sk_live_" + fake_token("", 40, 16)) == ["stripe-live-key"]


@pytest.mark.parametrize("value", [
    "GOCSPX-YOUR_CLIENT_SECRET_HERE_xxxxxxx",
    "GOCSPX-" + "x" * 28,
    "e2b_" + "0" * 40,
    "jina_your_api_key_here_" + "x" * 32,
    "xaat-00000000-0000-0000-0000-000000000000",
])
def test_documentation_placeholders_stay_quiet(value: str) -> None:
    assert _positional(value) == []
