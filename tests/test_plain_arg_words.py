"""An argv word of name characters under 16 with no name (`--opt-12345`, `v12`) gets the provider
shapes alone (scanner/engines/analyze.py `_PLAIN_ARG`): what the whole chain finds in it, which it skips."""

from __future__ import annotations

import random

import pytest

from scanner.engines import analyze
from scanner.providers.patterns import PATTERNS
from tests.fakes import fake_token

_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"


def _words() -> list[str]:
    rng = random.Random(16)
    words = [f"--opt-{i}" for i in range(0, 100000, 7)] + [f"v{i}" for i in range(300)]
    words += ["--bearer", "basic", "bearer-x", "Basic.abc", "config=x", "jdbc.oracle", "-p", "--", "..."]
    words += ["".join(rng.choice(_CHARS) for _ in range(rng.randint(1, 15))) for _ in range(20000)]
    # Shape prefixes with short random bodies: as close to a token as a word under 16 gets.
    prefixes = {p.prefix for p in PATTERNS if p.prefix and set(p.prefix) <= set(_CHARS)}
    for prefix in sorted(prefixes):
        for size in range(1, 16 - len(prefix)):
            words.append(fake_token(prefix, size, size))
    return [word for word in words if len(word) < 16]


def test_plain_words_get_what_the_whole_chain_finds() -> None:
    for word in _words():
        assert analyze.analyze(word, None, "arg") == analyze._analyze(word, None, "arg", 0), word
        for depth in (1, 3):
            expected = analyze._analyze(word, None, "arg", depth)
            assert analyze.analyze(word, None, "arg", depth) == expected, word


def test_plain_words_skip_the_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str | None]] = []
    real = analyze._analyze

    def counting(text: str, name: str | None, kind: str, depth: int) -> list[analyze.Hit]:
        calls.append((text, name))
        return real(text, name, kind, depth)

    monkeypatch.setattr(analyze, "_analyze", counting)
    analyze.clear_caches()
    for i in range(1000):
        analyze.analyze(f"--opt-{i}", None, "arg")
        analyze.analyze(f"--opt-{i}", "--x", "arg")  # under a name: the chain, as before
        analyze.analyze(f"--opt-{i}=x", None, "arg")  # `=`: the chain
    assert sorted(name or "" for _text, name in calls) == [""] * 1000 + ["--x"] * 1000  # was 3000
    assert all(text.endswith("=x") for text, name in calls if name is None)
    analyze.clear_caches()
