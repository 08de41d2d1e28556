"""Keyed credential fingerprints: HMAC-SHA256 with the organisation's key, never the value itself.

The key comes from MCP_GUARD_FINGERPRINT_KEY (the same secret in every matrix job, so fingerprints of
the same credential match across repositories). Without it a random key is drawn per run: the
fingerprints then only compare within that one run and nothing comparable leaves it. The key id
(an HMAC of a fixed label) tells the report which artifacts were fingerprinted with the same key
without revealing the key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from scanner.errors import ConfigError

KEY_ENV = "MCP_GUARD_FINGERPRINT_KEY"
FINGERPRINT_PREFIX = "hmac-sha256:"
_MIN_KEY_CHARS = 16
_LABEL = b"mcp-guard-credential-v1\0"
_KEY_ID_LABEL = b"mcp-guard-key-id-v1"
# An HTTP auth scheme in front of a header value: "Bearer X" and X are the same credential.
_AUTH_SCHEME = re.compile(r"^(?:bearer|token|basic)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class FingerprintKey:
    key: bytes = field(repr=False)
    source: str  # "env" or "random"

    @property
    def key_id(self) -> str:
        return hmac.new(self.key, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]

    def fingerprint(self, value: str) -> str:
        """Comparable, non-reversible id of one credential value (auth scheme and blanks stripped)."""
        normalised = _AUTH_SCHEME.sub("", value.strip()).strip()
        digest = hmac.new(self.key, _LABEL + normalised.encode("utf-8", "surrogatepass"), hashlib.sha256)
        return FINGERPRINT_PREFIX + digest.hexdigest()

    def describe(self) -> dict[str, str]:
        return {"algorithm": "hmac-sha256", "source": self.source, "key_id": self.key_id}


def load_key(environ: Mapping[str, str]) -> FingerprintKey:
    """The organisation key from the environment, else a fresh random key for this run only."""
    raw = environ.get(KEY_ENV, "")
    if raw:
        if len(raw) < _MIN_KEY_CHARS:
            raise ConfigError(f"{KEY_ENV} is too short (at least {_MIN_KEY_CHARS} characters)")
        return FingerprintKey(raw.encode("utf-8"), "env")
    return FingerprintKey(secrets.token_bytes(32), "random")
