"""Shapes from the eighth real-config corpus (2026), values built at run time.

- Cloudflare's scannable Global API Key `cfk_` + 40 alphanumerics + 8 hex checksum (Cloudflare
  docs, Token formats: cfk_ / cfut_ / cfat_ share one layout); only cfut_/cfat_ had a row, so a
  Global API Key in a positional argument or under a neutral name was not found.
- Facebook / Meta Graph access tokens `EAA` + 100+ alphanumerics (the corpus had one after
  `--fb-token`); Square's `EAAA` + 60 access tokens are shorter and stay to the name rules.
Lookalikes that stay quiet: a placeholder body, a prefix inside a longer word, a body without the
checksum (left to the name rules), a short `EAA` run.
"""

from __future__ import annotations

import json

import pytest

from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_hex, fake_token


def _types(env: dict[str, str] | None = None, args: list[str] | None = None) -> list[str | None]:
    server = {"command": "npx", "args": args or ["-y", "some-mcp"], "env": env or {}}
    return [m.secret_type for m in scan(mcp_json(json.dumps({"srv": server})))]


def _cfk(seed: int = 1) -> str:
    return fake_token("cfk_", 40, seed) + fake_hex(8, seed)


def test_a_cloudflare_global_api_key_is_found_in_a_positional_argument() -> None:
    assert _types(args=["-y", "cloudflare-mcp", _cfk()]) == ["cloudflare-global-api-key"]


@pytest.mark.parametrize("name", ["CLOUDFLARE_API_KEY", "CF_KEY", "SETTING"])
def test_a_cloudflare_global_api_key_is_named_as_such_under_any_name(name: str) -> None:
    assert _types({name: _cfk(2)}) == ["cloudflare-global-api-key"]


@pytest.mark.parametrize("value", [
    "cfk_" + "x" * 48,                          # placeholder body
    "my" + _cfk(3),                             # inside a longer word
    fake_token("cfk_", 40, 4),                  # no checksum: not the scannable shape
])
def test_cloudflare_key_lookalikes_are_not_global_api_keys(value: str) -> None:
    assert "cloudflare-global-api-key" not in _types({"SETTING": value}, ["-y", "x", value])


def _eaa(n: int, seed: int = 5) -> str:
    return fake_token("EAA", n, seed)


@pytest.mark.parametrize("n", [100, 180, 240])
def test_a_facebook_access_token_is_found_after_any_flag(n: int) -> None:
    assert _types(args=["server.py", "--fb-token", _eaa(n, n)]) == ["facebook-access-token"]
    assert _types(args=["server.py", "--page", _eaa(n, n + 1)]) == ["facebook-access-token"]


def test_a_facebook_access_token_in_a_url_query_is_found() -> None:
    url = "https://graph.facebook.com/v19.0/me?access_token=" + _eaa(150, 9)
    assert _types(args=["mcp-remote", url]) == ["facebook-access-token"]


@pytest.mark.parametrize("value", [
    "EAA" + "x" * 150,                          # placeholder body
    _eaa(60, 11),                               # short run (Square-length EAAA tokens)
    "DEAA" + fake_token("", 150, 12),           # inside a longer word
])
def test_facebook_lookalikes_are_not_facebook_tokens(value: str) -> None:
    assert "facebook-access-token" not in _types({"SETTING": value}, ["-y", "x", value])
