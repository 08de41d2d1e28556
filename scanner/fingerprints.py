"""Secret digests that reveal nothing: the discriminator of every secret finding's fingerprint.

A fingerprint is published (SARIF, PR comment, committed baseline), so the digest of a secret value
inside it must not be a fast hash: `Summer2024!` would fall to an offline guess. Two modes:

- keyed: HMAC-SHA256 with MCP_GUARD_FINGERPRINT_KEY (a repository/organisation secret, the same one
  the org inventory uses); without the key nothing can be checked at all;
- unkeyed: scrypt with fixed parameters and a fixed salt derived from a constant and the rule id, so
  results are stable across runs, machines and line moves, and each guess costs a memory-hard scrypt
  (1 MiB, N=2^10, r=8): orders of magnitude slower to guess than a sha256. Configure the key for
  real protection of weak passwords.

The context (salt) is one constant for every secret rule, so one value costs one scrypt however many
rules report it; the rule id, path, server and field are hashed around the digest in the fingerprint.
Digests are cached per value and key for the process (head, base and history scans of one pull
request share them), and `prime` computes a scan's distinct new values in parallel threads.

`legacy_digest` is the v1 discriminator (plain sha256), kept only in memory to match baselines and
ignores written before v2; it is never output.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

KEY_ENV = "MCP_GUARD_FINGERPRINT_KEY"
DIGEST_VERSION = "v2"
SECRET_CONTEXT = "secret-value"
_SALT_CONSTANT = b"mcp-guard/fingerprint/v2"
# Fixed forever (changing them changes every fingerprint): 1 MiB of memory per guess.
SCRYPT_N = 2**10
SCRYPT_R = 8
SCRYPT_P = 1


# Digests already computed in this process, per key (None: unkeyed scrypt). A pull request is several
# scans (head, base, each commit of its history) that mostly see the same values: each value costs
# one scrypt per process, not one per scan. Bounded: dropped whole when it grows past the cap.
_SHARED: dict[bytes | None, dict[tuple[str, str], str]] = {}
_SHARED_CAP = 20_000


def _shared_cache(key: bytes | None) -> dict[tuple[str, str], str]:
    if sum(len(cache) for cache in _SHARED.values()) > _SHARED_CAP:
        _SHARED.clear()
    return _SHARED.setdefault(key, {})


class ValueDigester:
    """Digest of secret values for fingerprints (cached per key for the process, see _SHARED)."""

    def __init__(self, key: str | None = None) -> None:
        self._key = key.encode("utf-8") if key else None
        self._cache = _shared_cache(self._key)

    @property
    def keyed(self) -> bool:
        return self._key is not None

    def digest(self, value: str, context: str) -> str:
        """Stable, non-reversible digest of `value` for rule `context` (e.g. the rule id)."""
        cache_key = (value, context)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        if self._key is not None:
            data = value.encode("utf-8", "surrogatepass")
            mac = hmac.new(self._key, context.encode("utf-8") + b"\0" + data, hashlib.sha256).hexdigest()
            result = f"{DIGEST_VERSION}-hmac:{mac}"
        else:
            result = _scrypt_digest(value, context)
        self._cache[cache_key] = result
        return result

    def prime(self, values: Iterable[str], context: str) -> None:
        """Digest many values at once: scrypt releases the GIL, so distinct values run in parallel."""
        todo = list(dict.fromkeys(v for v in values if (v, context) not in self._cache))
        if len(todo) < 2 or self._key is not None:
            for value in todo:
                self.digest(value, context)
            return
        workers = min(len(todo), os.cpu_count() or 1, 8)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for value, result in zip(todo, pool.map(self._compute, todo, [context] * len(todo)), strict=True):
                self._cache[(value, context)] = result

    def _compute(self, value: str, context: str) -> str:
        return _scrypt_digest(value, context)


def _scrypt_digest(value: str, context: str) -> str:
    data = value.encode("utf-8", "surrogatepass")
    salt = hashlib.sha256(_SALT_CONSTANT + b"\0" + context.encode("utf-8")).digest()[:16]
    out = hashlib.scrypt(data, salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32).hex()
    return f"{DIGEST_VERSION}-scrypt:{out}"


def legacy_digest(value: str) -> str:
    """The v1 discriminator (sha256 of the value): for matching old baselines/ignores only."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
