"""Shapes from the fifth real-config corpus (2026), values built at run time.

- Composio MCP URLs whose slug tail holds a `-` or `_` (the tail is a 6-character nanoid, whose
  alphabet has both): `mcp.composio.dev/<app>/<adj>-<adj>-<noun>-<tail>` was missed when the tail
  was not purely alphanumeric.
- Setup prose in CJK scripts under a key name (`需自行申请…API Key`, "apply for your own key") was
  reported as a generic secret; a key pasted next to such prose still is.
- A JWT header followed by placeholder words (`eyJhbGci….your-anon-key`, a docs stand-in for a
  Supabase key) was reported: the standard header is the same for every token and holds no secret.
- The name Supabase gives a CLI-created token (`cli_<user>@<host>_<unix time>`) pasted where the
  token belongs was reported as a generic secret.
"""

from __future__ import annotations

import base64
import json

import pytest

from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_hex, fake_token

_NANOID = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_LOWER = "abcdefghijklmnopqrstuvwxyz"


def _types(server: dict[str, object]) -> list[str | None]:
    return [m.secret_type for m in scan(mcp_json(json.dumps({"srv": server}, ensure_ascii=False)))]


def _composio_slug(tail: str) -> str:
    words = [fake_token("", n, seed, _LOWER) for n, seed in ((9, 1), (6, 2), (5, 3))]
    return "-".join(words) + "-" + tail


@pytest.mark.parametrize("tail", ["Y3" + "9-hm", "aB_" + "7kQ", "-" + "Zx9Qw"])
def test_composio_slug_with_dash_or_underscore_tail_is_found(tail: str) -> None:
    url = "https://mcp.composio.dev/mem0/" + _composio_slug(tail) + "?agent=cursor"
    assert _types({"url": url}) == ["composio-mcp-slug"]


@pytest.mark.parametrize("url", [
    # Plain words after the app name: a docs path, not a slug (too little entropy in the tail).
    "https://mcp.composio.dev/github/" + "my-cool-mcp-" + "se-rver",
    # A longer tail is not the 6-character nanoid.
    "https://mcp.composio.dev/github/" + _composio_slug("Y39-hm" + "x7"),
])
def test_composio_lookalikes_stay_quiet(url: str) -> None:
    assert "composio-mcp-slug" not in _types({"url": url})


_CJK_PROSE = [
    "需自行申请" + "高德API Key",          # "apply for the Amap API key yourself"
    "请到控制台" + "获取 token",            # "get the token from the console"
    "APIキーを" + "発行してください",         # "please issue an API key"
    "발급받은 " + "API 키",                 # "the API key you were issued"
]


@pytest.mark.parametrize("prose", _CJK_PROSE)
def test_cjk_setup_prose_is_not_a_secret(prose: str) -> None:
    assert _types({"command": "npx", "args": ["x"], "env": {"AMAP_MAPS_API_KEY": prose}}) == []


def test_key_pasted_next_to_cjk_prose_is_still_found() -> None:
    value = "密钥: " + fake_token("", 32, 11)
    assert _types({"command": "npx", "args": ["x"], "env": {"AMAP_MAPS_API_KEY": value}}) != []


def _b64url(obj: dict[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


_JWT_HEADER = _b64url({"alg": "HS256", "typ": "JWT"})


@pytest.mark.parametrize("rest", ["your-anon-key", "your_service_role_key_here", "YOUR-SUPABASE-KEY"])
def test_jwt_header_before_placeholder_words_is_not_a_secret(rest: str) -> None:
    env = {"SUPABASE_KEY": _JWT_HEADER + "." + rest}
    assert _types({"command": "npx", "args": ["x"], "env": env}) == []


def test_jwt_header_with_real_payload_is_still_found() -> None:
    payload = _b64url({"iss": "supabase", "ref": fake_token("", 20, 4, _LOWER), "role": "service_role"})
    token = _JWT_HEADER + "." + payload + "." + fake_token("", 43, 5, _NANOID)
    assert _types({"command": "npx", "args": ["x"], "env": {"SUPABASE_SERVICE_ROLE_KEY": token}}) != []


def test_random_run_after_jwt_header_is_still_found() -> None:
    value = _JWT_HEADER + "." + "your-key-" + fake_token("", 32, 6)
    assert _types({"command": "npx", "args": ["x"], "env": {"SUPABASE_KEY": value}}) != []


def test_supabase_cli_token_name_is_not_a_secret() -> None:
    name = "cli_" + "DESKTOP-" + fake_token("", 7, 7).upper() + "\\dev@" + "laptop_" + "1740501807"
    env = {"SUPABASE_ACCESS_TOKEN": name}
    assert _types({"command": "npx", "args": ["-y", "@supabase/mcp-server-supabase"], "env": env}) == []


@pytest.mark.parametrize("value", [
    "cli_" + fake_token("", 40, 8),                       # no user@host_time shape: judged as a token
    "sbp_" + fake_hex(40, 9),                             # the real token shape
])
def test_supabase_token_lookalikes_are_still_found(value: str) -> None:
    env = {"SUPABASE_ACCESS_TOKEN": value}
    assert _types({"command": "npx", "args": ["-y", "@supabase/mcp-server-supabase"], "env": env}) != []


def test_long_lowercase_key_after_prefix_is_found() -> None:
    # SiliconFlow keys are `sk-` and 48 lower-case letters: one 48-letter "word" is not a setting.
    key = "sk-" + fake_token("", 48, 12, _LOWER)
    assert _types({"command": "npx", "args": ["x"], "env": {"SILICONFLOW_API_KEY": key}}) != []


@pytest.mark.parametrize("value", ["read-only", "keychain-access-group", "use-system-keyring", "sk-not-set"])
def test_plain_word_settings_stay_quiet(value: str) -> None:
    assert _types({"command": "npx", "args": ["x"], "env": {"API_KEY_MODE": value}}) == []
