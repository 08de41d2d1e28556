"""BIP-39 mnemonics under wallet names: 12/15/18/21/24 words of the English wordlist (scanner/data,
copied from the `mnemonic` package, Trezor's reference implementation), checksum checked with
SHA-256 as BIP-39 defines it. Pure; the wordlist is read once."""

from __future__ import annotations

import functools
import hashlib
import re
from importlib import resources

from scanner.engines.engine import Hit
from scanner.model import Severity

_NAME = re.compile(r"(?i)mnemonic|seed|phrase|recovery|wallet[_-]?words|secret[_-]?words")
_COUNTS = frozenset({12, 15, 18, 21, 24})
_SPLIT = re.compile(r"[\s,]+")
_MIN_TEXT = 2 * min(_COUNTS) - 1


@functools.cache
def _words() -> dict[str, int]:
    text = resources.files("scanner").joinpath("data/bip39_english.txt").read_text(encoding="utf-8")
    return {word: index for index, word in enumerate(text.split())}


def checksum_ok(indexes: list[int]) -> bool:
    """BIP-39: the last ENT/32 bits of the 11-bit word indexes are the first bits of SHA-256(entropy)."""
    total = len(indexes) * 11
    checksum_bits = total // 33
    entropy_bits = total - checksum_bits
    number = 0
    for index in indexes:
        number = (number << 11) | index
    entropy = (number >> checksum_bits).to_bytes(entropy_bits // 8, "big")
    expected = hashlib.sha256(entropy).digest()[0] >> (8 - checksum_bits)
    return (number & ((1 << checksum_bits) - 1)) == expected


def mnemonic_hit(text: str, name: str | None) -> Hit | None:
    """A hit for a BIP-39 phrase under a mnemonic/seed name. Checksum valid: critical; every word in
    the list but the checksum wrong (a hand-edited or partly copied phrase): medium. Phrases of one
    or two distinct words (`test … junk`, `abandon … about`: published dev/test vectors) are not."""
    # (12 words need 12 characters and 11 separators: a shorter text is decided before the name)
    if name is None or not _MIN_TEXT <= len(text) <= 400 or not _NAME.search(name):
        return None
    words = [w for w in _SPLIT.split(text.strip().lower()) if w]
    if len(words) not in _COUNTS or len(set(words)) <= 2:
        return None
    table = _words()
    if any(w not in table for w in words):
        return None
    phrase = " ".join(words)
    if checksum_ok([table[w] for w in words]):
        return Hit(
            text.strip(),
            "wallet-mnemonic",
            "wallet",
            Severity.CRITICAL,
            "Wallet recovery phrase (BIP-39 mnemonic)",
            _shown(phrase),
            name,
        )
    return Hit(
        text.strip(),
        "wallet-mnemonic",
        "wallet",
        Severity.MEDIUM,
        "Wallet recovery phrase (BIP-39 words, checksum does not match)",
        _shown(phrase),
        name,
    )


def _shown(phrase: str) -> str:
    return f"{len(phrase.split())} words, ****"
