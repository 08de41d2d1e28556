"""Keyed credential fingerprints: comparable under one key, unrelated under another, never the value."""

from __future__ import annotations

import pytest

from scanner.errors import ConfigError
from scanner.org.keys import KEY_ENV, load_key
from tests.fakes import fake_token


def test_same_value_same_fingerprint_under_one_key_only() -> None:
    value = fake_token("ghp_", 36, 1)
    key = load_key({KEY_ENV: "k" * 8 + fake_token("", 16, 2)})
    same = load_key({KEY_ENV: key.key.decode()})
    other = load_key({KEY_ENV: "z" * 8 + fake_token("", 16, 3)})
    assert key.fingerprint(value) == same.fingerprint(value) and key.key_id == same.key_id
    assert key.fingerprint(value) != other.fingerprint(value) and key.key_id != other.key_id
    assert key.fingerprint(value) != key.fingerprint(fake_token("ghp_", 36, 4))
    assert value not in key.fingerprint(value) and value[4:16] not in key.fingerprint(value)
    assert key.fingerprint(value).startswith("hmac-sha256:") and len(key.fingerprint(value)) == 12 + 64


def test_auth_scheme_and_blanks_do_not_change_the_credential() -> None:
    value = fake_token("", 40, 5)
    key = load_key({KEY_ENV: fake_token("", 24, 6)})
    plain = key.fingerprint(value)
    assert key.fingerprint(f"Bearer {value}") == plain == key.fingerprint(f"  token {value} ")


def test_without_a_key_each_run_draws_its_own() -> None:
    value = fake_token("ghp_", 36, 7)
    first, second = load_key({}), load_key({KEY_ENV: ""})
    assert first.source == second.source == "random"
    assert first.fingerprint(value) != second.fingerprint(value)
    assert "key" not in repr(first).replace("FingerprintKey", "")  # the key is not in the repr


def test_short_key_is_refused() -> None:
    with pytest.raises(ConfigError, match="too short"):
        load_key({KEY_ENV: "short"})
