"""Slow digests are computed once per value and key per process (head, base and history scans of
one pull request share them), never mixed between keys, and the shared cache stays bounded."""

from __future__ import annotations

import hashlib

import pytest

from scanner import fingerprints
from scanner.fingerprints import SECRET_CONTEXT, ValueDigester
from tests.fakes import fake_token


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    calls: list[bytes] = []
    real = hashlib.scrypt

    def counting(data: bytes, **kwargs: object) -> bytes:
        calls.append(data)
        return real(data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fingerprints.hashlib, "scrypt", counting)
    monkeypatch.setattr(fingerprints, "_SHARED", {})
    return calls


def test_second_scan_reuses_digests(scrypt_calls: list[bytes]) -> None:
    values = [fake_token("ghp_", 36, seed) for seed in range(5)]
    first = ValueDigester()
    first.prime(values, SECRET_CONTEXT)
    digests = [first.digest(v, SECRET_CONTEXT) for v in values]
    assert len(scrypt_calls) == 5
    second = ValueDigester()
    second.prime([*values, values[0]], SECRET_CONTEXT)
    assert [second.digest(v, SECRET_CONTEXT) for v in values] == digests
    assert len(scrypt_calls) == 5  # nothing recomputed


def test_keys_never_share_digests(scrypt_calls: list[bytes]) -> None:
    value = fake_token("ghp_", 36, 9)
    plain = ValueDigester().digest(value, SECRET_CONTEXT)
    key_a = ValueDigester("key-a").digest(value, SECRET_CONTEXT)
    key_b = ValueDigester("key-b").digest(value, SECRET_CONTEXT)
    assert plain.startswith("v2-scrypt:") and key_a.startswith("v2-hmac:") and key_b.startswith("v2-hmac:")
    assert len({plain, key_a, key_b}) == 3
    assert ValueDigester("key-a").digest(value, SECRET_CONTEXT) == key_a


def test_shared_cache_is_bounded(scrypt_calls: list[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fingerprints, "_SHARED_CAP", 3)
    digester = ValueDigester("k")
    for seed in range(5):
        digester.digest(fake_token("ghp_", 36, seed), SECRET_CONTEXT)
    assert sum(len(c) for c in fingerprints._SHARED.values()) == 5
    ValueDigester("k")  # a new scan past the cap starts from an empty shared cache
    assert sum(len(c) for c in fingerprints._SHARED.values()) == 0
