"""A word of name characters under 16 (`--opt-12345`, `x12`, `pkg-7`) that is no header and under no
credential name gets the provider shapes alone (scanner/engines/analyze.py `_PLAIN_ARG`): what the
whole chain finds in it, which it skips."""

from __future__ import annotations

import random
import re

import pytest

from scanner.engines import analyze
from scanner.providers.patterns import PATTERNS
from tests.fakes import fake_token

_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"
_NAMES = (None, "command", "LOG_LEVEL", "--x", "type", "args", "mnemonic", "apiKeyHelper", "OTEL_HEADERS",
          "X_CUSTOM_HEADERS", "seed_phrase", "x-api-key")
_KINDS = ("arg", "command", "env", "field", "url", "comment")


def _words() -> list[str]:
    rng = random.Random(16)
    words = [f"--opt-{i}" for i in range(0, 100000, 499)] + [f"v{i}" for i in range(100)]
    words += ["--bearer", "basic", "bearer-x", "Basic.abc", "config", "jdbc.oracle", "-p", "--", "...",
              "echo"]
    words += ["".join(rng.choice(_CHARS) for _ in range(rng.randint(1, 15))) for _ in range(600)]
    # Shape prefixes with short random bodies: as close to a token as a word under 16 gets.
    prefixes = {p.prefix for p in PATTERNS if p.prefix and set(p.prefix) <= set(_CHARS)}
    for prefix in sorted(prefixes):
        for size in {1, 8, 15 - len(prefix)}:
            words.append(fake_token(prefix, max(size, 1), size))
    return [word for word in words if len(word) < 16]


def test_no_name_gated_shape_is_this_short() -> None:
    assert analyze.shape_index().named_min >= analyze._MIN_DECODE_LEN


def test_plain_words_get_what_the_whole_chain_finds() -> None:
    checked = 0
    for word in _words():
        for name in _NAMES:
            for kind in _KINDS:
                if name is not None and analyze.is_sensitive_name(name):
                    continue
                for depth in (0, 4):
                    expected = analyze._analyze(word, name, kind, depth)
                    assert analyze.analyze(word, name, kind, depth) == expected, (word, name, kind, depth)
                    checked += 1
    assert checked > 100000


def test_plain_words_skip_the_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str | None, str]] = []
    real = analyze._analyze

    def counting(text: str, name: str | None, kind: str, depth: int) -> list[analyze.Hit]:
        calls.append((text, name, kind))
        return real(text, name, kind, depth)

    monkeypatch.setattr(analyze, "_analyze", counting)
    analyze.clear_caches()
    for i in range(1000):
        analyze.analyze(f"--opt-{i}", None, "arg")
        analyze.analyze(f"x{i}", "command", "command")
        analyze.analyze(f"pkg-{i}", "LOG_LEVEL", "env")
    assert calls == []  # was 3000
    # Under a credential name, as a header, longer, or with another character: the chain, as before.
    for i in range(1000):
        analyze.analyze(f"v{i}", "API_TOKEN", "env")
        analyze.analyze(f"v{i}", "x-api-key", "header")
        analyze.analyze(f"--opt-{i}-abcdefgh", None, "arg")
        analyze.analyze(f"--opt-{i}=x", None, "arg")
    assert len(calls) == 4000
    analyze.clear_caches()


def _argvs() -> list[list[str]]:
    rng = random.Random(17)
    pieces = ["--opt-1", "v1", "-y", "--api-key", "--token", "-e", "--env", "-H", "--header", "-u", "--user",
              "curl", "-p", "--password", "--url", "--keypair", "$env:X", "=", "'x'", "A=b", "x-api-key=v",
              "--api-key=k1", "k2", "-k", "--sheet-id", "--", "mysql", "-psecret1", "redis-cli", "-a",
              "Authorization: Bearer abcdefghijklmnop", "TOKEN=" + fake_token("ghp_", 36, 3),
              fake_token("", 30, 4), fake_token("ghp_", 36, 5), "user:pw", "--conn", "npx", "pkg-7"]
    argvs = [[rng.choice(pieces) for _ in range(rng.randint(1, 8))] for _ in range(4000)]
    argvs.append([f"--opt-{i}" if i % 2 else f"v{i}" for i in range(2000)])
    return argvs


def test_argv_plain_words_read_as_the_full_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    argvs = _argvs()
    new = [analyze._analyze_argv(words, 0, ctx, positional) for words in argvs
           for ctx, positional in (((), True), (("npx",), False))]
    found = sum(map(len, new))
    monkeypatch.setattr(analyze, "_PLAIN_ARG", re.compile(r"(?!)"))  # no word is plain: the full loop
    analyze.clear_caches()
    old = [analyze._analyze_argv(words, 0, ctx, positional) for words in argvs
           for ctx, positional in (((), True), (("npx",), False))]
    assert new == old
    assert found > 500
    analyze.clear_caches()


def test_argv_plain_words_skip_the_loop_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    class Counted:
        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern, self.calls = pattern, 0

        def fullmatch(self, text: str) -> re.Match[str] | None:
            self.calls += 1
            return self.pattern.fullmatch(text)

    counted = Counted(analyze.ASSIGNMENT)
    monkeypatch.setattr(analyze, "ASSIGNMENT", counted)
    analyze.clear_caches()
    words = [f"--opt-{i}" if i % 2 else f"v{i}" for i in range(2000)]
    assert analyze._analyze_argv(words, 0, (), True) == []
    assert counted.calls == 0  # was one per word
    assert analyze._analyze_argv(["A=b", "--opt-1", "X=" + fake_token("ghp_", 36, 9)], 0, (), True)
    assert counted.calls == 2
    analyze.clear_caches()
