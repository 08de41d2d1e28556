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
    monkeypatch.setattr(fingerprints, "_SLOW", {})
    monkeypatch.setattr(fingerprints, "_STATE", {"slow_used": 0})
    return calls


def _weak(seed: int) -> str:
    """A low-entropy password shape (stays on scrypt), built at run time."""
    return "Winter" + str(2000 + seed) + "!"


def test_second_scan_reuses_digests(scrypt_calls: list[bytes]) -> None:
    values = [_weak(seed) for seed in range(5)]
    first = ValueDigester()
    first.prime(values, SECRET_CONTEXT)
    digests = [first.digest(v, SECRET_CONTEXT) for v in values]
    assert len(scrypt_calls) == 5
    second = ValueDigester()
    second.prime([*values, values[0]], SECRET_CONTEXT)
    assert [second.digest(v, SECRET_CONTEXT) for v in values] == digests
    assert len(scrypt_calls) == 5  # nothing recomputed


def test_keys_never_share_digests(scrypt_calls: list[bytes]) -> None:
    for value, plain_scheme in ((_weak(9), "v2-scrypt:"), (fake_token("ghp_", 36, 9), "v3-random:")):
        plain = ValueDigester().digest(value, SECRET_CONTEXT)
        key_a = ValueDigester("key-a").digest(value, SECRET_CONTEXT)
        key_b = ValueDigester("key-b").digest(value, SECRET_CONTEXT)
        assert plain.startswith(plain_scheme)
        assert key_a.startswith("v2-hmac:") and key_b.startswith("v2-hmac:")
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


def test_slow_digests_survive_the_cache_cap(scrypt_calls: list[bytes],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A weak value keeps its scrypt digest for the whole process: dropping the shared cache neither
    recomputes it nor charges the budget again (so it can never turn ephemeral half-way)."""
    monkeypatch.setattr(fingerprints, "_SHARED_CAP", 1)
    first = ValueDigester().digest(_weak(1), SECRET_CONTEXT)
    ValueDigester().digest(_weak(2), SECRET_CONTEXT)
    ValueDigester()  # over the cap: the shared cache is dropped
    assert ValueDigester().digest(_weak(1), SECRET_CONTEXT) == first
    assert len(scrypt_calls) == 2 and fingerprints._STATE["slow_used"] == 2
