"""Issuer rows added in the third real-world recall pass: found as positional arguments and under a
neutral env name (where no name helps); placeholders of the same shape stay quiet. Sources: Fly.io
fly.io/docs/security/tokens (fo1_, fm1a_/fm1r_, fm2_ macaroons; gitleaks rule flyio-access-token).
Values are built at run time."""

from __future__ import annotations

import json

import pytest

from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_token

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
SHAPES = {
    "flyio-access-token": lambda: "fo1_" + fake_token("", 43, 1, _B64[:62] + "_-"),
    "flyio-macaroon-v1": lambda: "fm1r_" + fake_token("", 180, 2, _B64) + "=",
    "flyio-macaroon": lambda: "fm2_" + fake_token("", 220, 3, _B64) + "==",
}


def _types(entry: dict[str, object]) -> list[str]:
    return [m.secret_type for m in scan(mcp_json(json.dumps({"srv": entry})))]


@pytest.mark.parametrize("secret_type", sorted(SHAPES))
def test_found_positional_and_under_a_neutral_name(secret_type: str) -> None:
    value = SHAPES[secret_type]()
    assert _types({"command": "npx", "args": ["-y", "some-mcp", value]}) == [secret_type]
    assert _types({"command": "flyctl", "args": ["mcp", "server"], "env": {"CFG": value}}) == [secret_type]
    # the header form flyctl prints: `FlyV1 fm2_…`
    assert _types({"url": "https://api.machines.dev/mcp", "headers": {"X-Cfg": "FlyV1 " + value}}) == [
        secret_type]


@pytest.mark.parametrize("value", ["fo1_" + "x" * 43, "fo1_YOUR_FLY_ACCESS_TOKEN_HERE_xxxxxxxxxxxxxxxxx",
                                   "fm2_" + "A" * 120])
def test_placeholders_stay_quiet(value: str) -> None:
    assert _types({"command": "npx", "args": ["-y", "some-mcp", value], "env": {"CFG": value}}) == []
