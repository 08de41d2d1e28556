"""False positives of the seventh real-config corpus (2026), values built at run time.

- Password prompts glued into one word (`youvncpassword`, `mydbpassword`, `supersecretpassword`,
  `your-vnc-password`): the README's "your VNC password" written where the password goes.
- Hyphenated phrases of 5+ words that are sentences about a secret, used as stand-ins: Supabase's
  documented local JWT secret `super-secret-jwt-token-with-at-least-32-characters-long`.
Lookalikes that stay findings: a random password, a passphrase of random words, a prompt with a
random run pasted after it, a number run longer than a version.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from scanner.engines import filters
from scanner.engines.standins import standin_phrase
from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_token


def _hits(env: dict[str, str], args: list[str] | None = None) -> list[str | None]:
    server = {"command": "npx", "args": args or ["-y", "some-mcp"], "env": env}
    return [m.secret_type for m in scan(mcp_json(json.dumps({"srv": server})))]


def _words(*parts: str) -> str:
    return "-".join(parts)


_GLUED = ["you" + "vnc" + "password", "your" + "vnc" + "password", "my" + "password",
          "my" + "vnc" + "password",
          "my" + "db" + "password", "my" + "super" + "secret" + "password", "super" + "secret" + "password",
          "some" + "password", "my_db_" + "password1", "MyVnc" + "Password", "secret" + "password" + "here",
          _words("your", "vnc", "password")]
_PHRASES = [_words("super", "secret", "jwt", "token", "with", "at", "least", "32", "characters", "long"),
            _words("this", "is", "a", "very", "long", "secret", "key"),
            "_".join(["change", "this", "jwt", "secret", "in", "production"])]


@pytest.mark.parametrize("value", _GLUED + _PHRASES)
@pytest.mark.parametrize("name", ["VNC_PASSWORD", "JWT_SECRET", "DB_PASSWORD", "API_TOKEN"])
def test_glued_prompts_and_standin_phrases_are_not_findings(value: str, name: str) -> None:
    assert filters.is_placeholder(value)
    assert _hits({name: value}) == []


@pytest.mark.parametrize("value", _GLUED[:4] + _PHRASES[:1])
def test_standins_in_flags_are_not_findings(value: str) -> None:
    assert _hits({}, ["-y", "vnc-mcp", "--password", value]) == []


_RANDOM = fake_token("", 16, seed=7)
_LOOKALIKES = [
    _RANDOM,  # a random password
    _words("correct", "horse", "battery", "staple", "orange"),  # random words: no credential word
    "my" + "password" + fake_token("", 24, seed=8),  # a prompt with a random run pasted after it
    "my" + "vnc" + fake_token("", 3, seed=9, alphabet="bcdfghjklmnpqrstvwxz") + "password",  # unknown piece
    "my" + "password" + "12345",  # more digits than a version number
    "vault" + "-dev-" + "password", "admin" + "password",  # a service word first, no prompt: judged
]


@pytest.mark.parametrize("value", _LOOKALIKES)
def test_lookalikes_under_password_names_are_still_found(value: str) -> None:
    assert not filters.is_placeholder(value)
    assert _hits({"VNC_PASSWORD": value}) != []


def test_a_standin_phrase_needs_a_credential_word_and_sentence_words() -> None:

    assert not standin_phrase(_words("alpha", "bravo", "charlie", "delta", "echo", "token"))  # no sentence
    assert not standin_phrase(_words("with", "at", "least", "this", "long"))  # no credential word
    assert not standin_phrase(_words("secret", "with", "at", "least"))  # 4 words
    assert standin_phrase(_words("secret", "with", "at", "least", "long"))


# The Supabase CLI's default local keys (printed by `supabase start`, pasted by its templates and
# docs): public defaults, assembled here from pieces like the AWS documentation key elsewhere.
_LOCAL_SECRET = "".join(["sb_", "secret_", "N7UND0", "UgjKTVK", "-Uodkm", "0Hg_xS", "vEMPvz"])
_LOCAL_PUBLISHABLE = "".join(["sb_", "publish", "able_", "ACJWlz", "QHlZjB", "rEguHv", "fOxg_3", "BJgxAaH"])


def _jwt(claims: dict[str, object], key: bytes | None = None) -> str:
    """An HS256 JWT: signed with `key`, or with a random signature when there is none."""
    def part(obj: dict[str, object]) -> str:
        raw = json.dumps(obj, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    signed = part({"alg": "HS256", "typ": "JWT"}) + "." + part(claims)
    if key is None:
        return signed + "." + fake_token("", 43, seed=11)
    mac = hmac.new(key, signed.encode(), hashlib.sha256).digest()
    return signed + "." + base64.urlsafe_b64encode(mac).decode().rstrip("=")


# The Supabase CLI's documented local JWT secret (its demo anon / service_role keys are signed with it).
SUPABASE_DEMO_SECRET = b"super-secret-jwt-token-with-at-least-32-characters-long"


@pytest.mark.parametrize("value", [_LOCAL_SECRET, _LOCAL_PUBLISHABLE,
                                   _jwt({"iss": "supabase-demo", "role": "service_role", "exp": 1983812996},
                                        SUPABASE_DEMO_SECRET)],
                         ids=["local-secret", "local-publishable", "demo-jwt"])
def test_supabase_cli_local_defaults_are_not_findings(value: str) -> None:
    args = ["selfhosted-supabase-mcp", "--url", "http://127.0.0.1:54321", "--service-key", value]
    assert _hits({}, args) == []
    assert _hits({"SUPABASE_SERVICE_ROLE_KEY": value}) == []


@pytest.mark.parametrize("value", [
    "sb_secret_" + fake_token("", 22, 12, "ABCDEFGHabcdefgh0123456789-_") + "_" + fake_token("", 8, 13),
    _jwt({"iss": "supabase", "ref": fake_token("", 20, 14, "abcdefghijklmnop"), "role": "service_role"}),
], ids=["secret-key", "project-jwt"])
def test_other_supabase_keys_are_still_found(value: str) -> None:
    assert _hits({"SUPABASE_SERVICE_ROLE_KEY": value}) != []
