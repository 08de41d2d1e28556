"""Secret-shaped strings built at run time: nothing token-shaped is ever committed."""

from __future__ import annotations

import random
import string

_ALNUM = string.ascii_letters + string.digits


def fake_token(prefix: str, length: int, seed: int = 0, alphabet: str = _ALNUM) -> str:
    """prefix + `length` deterministic high-entropy characters from `alphabet`."""
    rng = random.Random(f"{prefix}:{length}:{seed}")
    return prefix + "".join(rng.choice(alphabet) for _ in range(length))


def fake_hex(length: int, seed: int = 0) -> str:
    return fake_token("", length, seed, "0123456789abcdef")


def assert_no_secret(output: str | bytes, *values: str) -> None:
    """Fail if any raw secret value appears in an output."""
    text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
    for value in values:
        assert value, "empty secret passed to assert_no_secret"
        assert value not in text, "raw secret value leaked into output"
