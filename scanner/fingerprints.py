"""Secret digests that reveal nothing: the discriminator of every secret finding's fingerprint.

A fingerprint is published (SARIF, PR comment, committed baseline), so the digest of a secret value
inside it must not let anyone guess the value offline. The scheme (the tag before `:` is part of the
digest, so schemes never collide):

- keyed (`v2-hmac:`): HMAC-SHA256 under MCP_GUARD_FINGERPRINT_KEY (a repository/organisation
  secret, the same one the org inventory uses) over context || 0 || value. Nothing can be checked
  without the key, every value is fast; the recommended setting.
- unkeyed, demonstrably random value (`v3-random:`): sha256 over a fixed constant || 0 || context
  || 0 || value. A value whose guessing entropy is far beyond brute force gains nothing from a slow
  hash. "Random" is decided from the value alone and conservatively (`is_random`): only the hex or
  base62 / base64 / base64url alphabet (up to two `=` of padding ignored), at least 32 (hex) or 24
  characters, Shannon entropy per character >= 0.85 x min(log2 |alphabet|, log2 length),
  (length - 4) x entropy >= 128 bits (the redacted form shows the last 4 characters), and no run of
  4 characters in sequence (`abcd`, `4321`, `zzzz`); a JWT (three base64url parts) when its
  signature part alone passes; a value over 4 KiB is judged by its first 4,096 characters (a
  random prefix makes the whole value unguessable). In practice: provider tokens of 32+ random
  characters, hex of 40+, signed JWTs. Dictionary passphrases (`CorrectHorseBatteryStapleMountain`),
  short tokens, digit runs, UUIDs and 32-hex keys stay on scrypt. Limitation: a hex or base64
  digest *of* a weak password looks random and is treated as random.
- unkeyed, every other ("weak") value (`v2-scrypt:`): scrypt with fixed parameters (N=2^10, r=8,
  p=1: 1 MiB per guess) and a fixed salt from a constant and the context, so results are stable
  across runs, machines and line moves and each guess costs a memory-hard scrypt.
- past the budget (`ephemeral:`): at most SLOW_BUDGET distinct weak values per process get a
  scrypt (~3.4 ms each); further weak values get an HMAC under a random key made for this process.
  Such a fingerprint is never stable, so no baseline or ignore entry can suppress the finding (fail
  closed: it is still reported and gates); `is_ephemeral` tells reporters and `mcp-guard baseline`
  (which refuses to write them). Configure the key for stable fingerprints at any volume.

The context (salt) is one constant for every secret rule, so one value costs one digest however many
rules report it; the rule id, path, server and field are hashed around the digest in the fingerprint
(scanner.findings.fingerprint, which calls `note` for the v3-random and ephemeral schemes so that a
published fingerprint can later be told apart and, for migration, re-derived in memory).

Migration: v2 (before v3-random) digested random values with scrypt too. `v2_fingerprints` re-derives
those old fingerprints from values seen in this scan (in memory, never output), only when a baseline
or ignore holds entries that could be v2 ones (scanner.baseline, scanner.policy.ignores), and
`mcp-guard baseline` rewrites the file with current fingerprints. `legacy_digest` is the v1
discriminator (plain sha256), kept only in memory to match files written before v2.

Digests are cached per value and key for the process (head, base and history scans of one pull
request share them), and `prime` computes a scan's distinct new values, scrypt ones in parallel
threads (scrypt releases the GIL).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable

KEY_ENV = "MCP_GUARD_FINGERPRINT_KEY"
DIGEST_VERSION = "v2"
SECRET_CONTEXT = "secret-value"
_SALT_CONSTANT = b"mcp-guard/fingerprint/v2"
_RANDOM_CONSTANT = b"mcp-guard/fingerprint/v3-random"
# Fixed forever (changing them changes every fingerprint): 1 MiB of memory per guess.
SCRYPT_N = 2**10
SCRYPT_R = 8
SCRYPT_P = 1

# Scheme tags (the part of a digest before ":").
SCHEME_HMAC = f"{DIGEST_VERSION}-hmac"
SCHEME_SCRYPT = f"{DIGEST_VERSION}-scrypt"
SCHEME_RANDOM = "v3-random"
SCHEME_EPHEMERAL = "ephemeral"

# Distinct weak values digested with scrypt per process; further ones get ephemeral digests.
SLOW_BUDGET = 1_000
EPHEMERAL_WARNING = (
    "{count} secret finding(s) have ephemeral fingerprints: more than {budget:,} distinct "
    "low-entropy values were seen without MCP_GUARD_FINGERPRINT_KEY, and each stable unkeyed "
    "fingerprint of such a value costs a slow hash. They are reported and gate as usual, but their "
    "fingerprints change every run, so no baseline or ignore entry can suppress them; configure "
    "MCP_GUARD_FINGERPRINT_KEY (fingerprint-key) for stable fingerprints at any volume.")

# Random-looking values: the characters of hex and of base62/base64/base64url.
_HEX = frozenset("0123456789abcdefABCDEF")
_B62 = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_B64 = _B62 | frozenset("+/-_")
_B64URL = _B62 | frozenset("-_")
_MIN_HEX = 32
_MIN_OTHER = 24
_UNIFORMITY = 0.85
_MIN_BITS = 128.0
# A run of this many characters in sequence (`abcd`, `9876`) is a made-up value, not a random one:
# about 1 in 200 random 40-character tokens has one and merely stays on scrypt.
_MAX_RUN = 4
_MAX_EXAMINED = 4096


def is_random(value: str) -> bool:
    """True when `value` alone shows guessing entropy far beyond brute force (see the module doc)."""
    if len(value) > _MAX_EXAMINED:
        # A random prefix makes the whole value unguessable (and the redacted tail is not in it):
        # a 5 MiB blob costs what 4 KiB cost.
        return _random_run(value[:_MAX_EXAMINED], shown=0)
    if value.count(".") == 2:  # a JWT: its signature alone is unguessable when it is random
        parts = value.split(".")
        if all(parts) and all(set(part) <= _B64URL for part in parts):
            return _random_run(parts[2], shown=4)
    return _random_run(value, shown=4)


def is_random_token(value: str) -> bool:
    """`is_random` for one run of token characters judged whole (no redacted tail set aside): what
    engines/opaque.py asks of a value that has no name or shape."""
    return len(value) <= _MAX_EXAMINED and _random_run(value, shown=0)


def _random_run(value: str, shown: int) -> bool:
    """One run of token characters; `shown` trailing characters are public (the redacted form)."""
    text = value.rstrip("=") if len(value) - len(value.rstrip("=")) <= 2 else value
    n = len(text)
    if n < _MIN_OTHER:
        return False
    chars = set(text)
    if chars <= _HEX:
        if n < _MIN_HEX:
            return False
        alphabet = 16
    elif chars <= _B62:
        alphabet = 62
    elif chars <= _B64:
        alphabet = 64
    else:
        return False
    if _longest_run(text) >= _MAX_RUN:
        return False
    counts = Counter(text)
    entropy = -sum(c / n * math.log2(c / n) for c in counts.values())
    return entropy >= _UNIFORMITY * min(math.log2(alphabet), math.log2(n)) \
        and (n - shown) * entropy >= _MIN_BITS


def _longest_run(text: str) -> int:
    """Longest stretch of characters with a constant step of -1, 0 or +1 (`abcd`, `4321`, `zzzz`)."""
    best = run = 1
    step = None
    for a, b in zip(text, text[1:], strict=False):
        delta = ord(b) - ord(a)
        if abs(delta) <= 1 and delta == step:
            run += 1
        else:
            run = 2 if abs(delta) <= 1 else 1
        step = delta if abs(delta) <= 1 else None
        best = max(best, run)
    return best


# Digests already computed in this process, per key (None: unkeyed). A pull request is several
# scans (head, base, each commit of its history) that mostly see the same values: each value costs
# one digest per process, not one per scan. Bounded: dropped whole when it grows past the cap; the
# slow (scrypt) ones live in _SLOW, bounded by the budget, and are never dropped, so a weak value
# keeps its digest for the whole process.
_SHARED: dict[bytes | None, dict[tuple[str, str], str]] = {}
_SHARED_CAP = 20_000
_SLOW: dict[tuple[str, str], str] = {}
_LOCK = threading.Lock()
_STATE = {"slow_used": 0}
_RESERVED: set[tuple[str, str]] = set()
_EPHEMERAL_KEY = os.urandom(32)  # this process's key for ephemeral digests (never stored)


def _shared_cache(key: bytes | None) -> dict[tuple[str, str], str]:
    if sum(len(cache) for cache in _SHARED.values()) > _SHARED_CAP:
        _SHARED.clear()
        _RANDOM_VALUES.clear()
    return _SHARED.setdefault(key, {})


def slow_budget_left() -> int:
    return max(0, SLOW_BUDGET - _STATE["slow_used"])


def reset_budget() -> None:
    """Give this process its whole slow-hash budget again (tests: each one is a fresh run)."""
    with _LOCK:
        _STATE["slow_used"] = 0
        _RESERVED.clear()


def _reserve_slow(value: str, context: str) -> bool:
    """Take one slot of the process's scrypt budget for (value, context); False when spent."""
    with _LOCK:
        if (value, context) in _SLOW or (value, context) in _RESERVED:
            return True
        if _STATE["slow_used"] >= SLOW_BUDGET:
            return False
        _STATE["slow_used"] += 1
        _RESERVED.add((value, context))  # a value is charged once, even if two threads ask
        return True


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
        if cached is None and self._key is None:
            cached = _SLOW.get(cache_key)
        if cached is not None:
            return cached
        return self._compute(value, context, None)

    def _compute(self, value: str, context: str, random: bool | None, refused: bool = False) -> str:
        """The digest of a value in no cache (`random`: is_random(value) when already known;
        `refused`: _reserve_slow(value, context) was just refused)."""
        cache_key = (value, context)
        if self._key is not None:
            result = _hmac_digest(self._key, value, context, SCHEME_HMAC)
        elif is_random(value) if random is None else random:
            result = _random_digest(value, context)
            _RANDOM_VALUES[result] = cache_key
        elif not refused and _reserve_slow(value, context):
            result = _SLOW.setdefault(cache_key, _scrypt_digest(value, context))
        else:
            result = _hmac_digest(_EPHEMERAL_KEY, value, context, SCHEME_EPHEMERAL)
        self._cache[cache_key] = result
        return result

    def prime(self, values: Iterable[str], context: str) -> None:
        """Digest many values at once: the scrypt ones in parallel threads (scrypt releases the GIL)."""
        slow = self._split(values, context)
        if len(slow) < 2:
            for value in slow:
                self.digest(value, context)
            return
        from concurrent.futures import ThreadPoolExecutor  # NOTE: lazy, keeps cold start light

        workers = min(len(slow), os.cpu_count() or 1, 8)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = pool.map(_scrypt_digest, slow, [context] * len(slow))
            for value, result in zip(slow, results, strict=True):
                self._cache[(value, context)] = _SLOW.setdefault((value, context), result)

    def _split(self, values: Iterable[str], context: str) -> list[str]:
        """Digest the cheap new values of `values` now; reserve (in order) and return the scrypt ones."""
        todo = list(dict.fromkeys(v for v in values if (v, context) not in self._cache))
        slow: list[str] = []
        for value in todo:
            cache_key = (value, context)
            if self._key is not None:
                self._compute(value, context, None)
                continue
            if cache_key in _SLOW:
                continue  # digested (digest() reads it from _SLOW)
            random = is_random(value)
            if random:
                self._compute(value, context, True)
            elif _reserve_slow(value, context):
                slow.append(value)
            else:
                self._compute(value, context, False, refused=True)
        return slow


def _hmac_digest(key: bytes, value: str, context: str, scheme: str) -> str:
    data = value.encode("utf-8", "surrogatepass")
    mac = hmac.digest(key, context.encode("utf-8") + b"\0" + data, "sha256").hex()
    return f"{scheme}:{mac}"


def _random_digest(value: str, context: str) -> str:
    data = value.encode("utf-8", "surrogatepass")
    out = hashlib.sha256(_RANDOM_CONSTANT + b"\0" + context.encode("utf-8") + b"\0" + data).hexdigest()
    return f"{SCHEME_RANDOM}:{out}"


def _scrypt_digest(value: str, context: str) -> str:
    data = value.encode("utf-8", "surrogatepass")
    salt = hashlib.sha256(_SALT_CONSTANT + b"\0" + context.encode("utf-8")).digest()[:16]
    out = hashlib.scrypt(data, salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32).hex()
    return f"{SCHEME_SCRYPT}:{out}"


def legacy_digest(value: str) -> str:
    """The v1 discriminator (sha256 of the value): for matching old baselines/ignores only."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


# Published fingerprints whose discriminator is a v3-random or ephemeral digest, noted by
# scanner.findings.fingerprint: fingerprint -> (scheme, discriminator, context (rule, path, server,
# field), the function that makes the fingerprint from another discriminator). In memory only.
FingerprintContext = tuple[str, str, str, str]
_NOTED: dict[str, tuple[str, str, FingerprintContext, Callable[[str], str]]] = {}
# Random values by their v3-random digest (to re-derive v2 fingerprints); dropped with _SHARED.
_RANDOM_VALUES: dict[str, tuple[str, str]] = {}
_V2_CACHE: dict[str, str] = {}
NOTED_PREFIXES = (SCHEME_RANDOM + ":", SCHEME_EPHEMERAL + ":")


def note(fingerprint: str, discriminator: str, context: FingerprintContext,
         remake: Callable[[str], str]) -> None:
    """Remember how a v3-random or ephemeral fingerprint was made (called by findings.fingerprint)."""
    _NOTED[fingerprint] = (discriminator.split(":", 1)[0], discriminator, context, remake)


def is_ephemeral(fingerprint: str) -> bool:
    """True for a fingerprint made from an ephemeral digest (unstable: never baseline or ignore it)."""
    entry = _NOTED.get(fingerprint)
    return entry is not None and entry[0] == SCHEME_EPHEMERAL


def is_random_scheme(fingerprint: str) -> bool:
    entry = _NOTED.get(fingerprint)
    return entry is not None and entry[0] == SCHEME_RANDOM


def context_of(fingerprint: str) -> FingerprintContext | None:
    entry = _NOTED.get(fingerprint)
    return entry[2] if entry is not None else None


def v2_fingerprints(fingerprints: Iterable[str], budgeted: bool = False) -> dict[str, str]:
    """The v2 (scrypt) fingerprint each v3-random fingerprint had before v3, in memory only.

    Computed in parallel threads; with `budgeted`, new scrypt digests are taken from the process's
    slow-hash budget and those past it are left out, as are fingerprints that are not v3-random or
    whose value this process no longer holds.
    """
    out: dict[str, str] = {}
    todo: list[tuple[str, str, str, Callable[[str], str]]] = []
    for fp in dict.fromkeys(fingerprints):
        if fp in _V2_CACHE:
            out[fp] = _V2_CACHE[fp]
            continue
        entry = _NOTED.get(fp)
        origin = _RANDOM_VALUES.get(entry[1]) if entry is not None and entry[0] == SCHEME_RANDOM else None
        if entry is not None and origin is not None:
            todo.append((fp, origin[0], origin[1], entry[3]))
    if budgeted:
        with _LOCK:
            todo = todo[:max(0, SLOW_BUDGET - _STATE["slow_used"])]
            _STATE["slow_used"] += len(todo)
    if not todo:
        return out
    from concurrent.futures import ThreadPoolExecutor  # NOTE: lazy, keeps cold start light

    workers = max(1, min(len(todo), os.cpu_count() or 1, 8))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        digests = list(pool.map(_scrypt_digest, [t[1] for t in todo], [t[2] for t in todo]))
    for (fp, _value, _context, remake), digest in zip(todo, digests, strict=True):
        _V2_CACHE[fp] = out[fp] = remake(digest)
    return out


def noted_random() -> list[str]:
    """Every v3-random fingerprint noted in this process."""
    return [fp for fp, entry in _NOTED.items() if entry[0] == SCHEME_RANDOM]
