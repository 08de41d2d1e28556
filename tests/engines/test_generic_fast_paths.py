"""The per-name and per-value fast paths of the generic rule (issue 16) decide exactly what the old
code decided. The oracles are the old function bodies, compact, kept here:
- shannon_entropy: Counter over the value (the new one counts short values per distinct character,
  in the same first-occurrence order, so the float sums are bit-identical);
- is_repeated / is_example_sequence: `_KNOWN_PREFIX.sub("", text)` (now one anchored match);
- is_sensitive_name: `any()` over the parts for the public and sensitive words (now set lookups).
Values and names come from the provider rows' run-time fakes, generated text (Unicode included) and
the env-key shapes of bench/hostile.py; secret-shaped values are built at run time.
"""

from __future__ import annotations

import math
import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner import names
from scanner.engines import filters
from scanner.providers.patterns import PATTERNS
from tests.fakes import fake_from_regex, fake_token


def _old_entropy(text: str) -> float:
    if not text:
        return 0.0
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _old_is_repeated(text: str) -> bool:
    body = filters._KNOWN_PREFIX.sub("", text)
    if len(body) < 4:
        return False
    if len(set(body)) <= 2:
        return True
    for unit in range(2, 5):
        if len(body) >= unit * 3 and body == (body[:unit] * (len(body) // unit + 1))[: len(body)]:
            return True
    return False


def _old_example_body(text: str) -> str:
    return filters._KNOWN_PREFIX.sub("", text).lower().translate(filters._SEPARATORS)


def _old_is_sensitive_name(name: str) -> bool:
    parts = list(names._name_parts(name))
    if not parts or names._NUMERIC_NAMES.search("_".join(parts)):
        return False
    if any(part in names._PUBLIC_PARTS for part in parts):
        return False
    if parts[-2:] == ["API", "HASH"]:
        return True
    if parts[-1] in names._QUALIFIER_PARTS:
        return False
    return any(part in names._SENSITIVE_PARTS or part.endswith(names._SENSITIVE_ENDINGS) for part in parts)


def _values() -> list[str]:
    rng = random.Random(7)
    out = [fake_from_regex(p.regex, seed=3) for p in PATTERNS] + [fake_from_regex(p.regex, filler="x")
                                                               for p in PATTERNS]
    out += [f"value{i}" for i in range(0, 3000, 7)] + [f"v{i}" for i in range(200)]
    out += [fake_token("", n, seed=n) for n in range(1, 80)]
    out += ["", "a", "aaaa", "abab" * 5, "sk-" + "ab" * 10, "ghp_" + "x" * 30, "ключ-значение", "é" * 30,
            "xoxb-123-abc", "abcdefghijklmnopqrstuvwxyz" * 3, "AB_abab", "0123456789abcdef"]
    alphabet = "aAbB01_-.xé€ "
    out += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(2000)]
    return out


VALUES = _values()


def test_entropy_is_bit_identical() -> None:
    for value in VALUES:
        assert filters.shannon_entropy(value) == _old_entropy(value)


def test_repeated_and_example_bodies_agree() -> None:
    for value in VALUES:
        assert filters.is_repeated(value) is _old_is_repeated(value)
        assert filters._without_known_prefix(value).lower().translate(filters._SEPARATORS) \
            == _old_example_body(value)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_value_fast_paths_on_generated_text(value: str) -> None:
    assert filters.shannon_entropy(value) == _old_entropy(value)
    assert filters.is_repeated(value) is _old_is_repeated(value)


def _names() -> list[str]:
    rng = random.Random(9)
    words = ["API", "KEY", "TOKEN", "PUBLIC", "PUB", "ANON", "HASH", "ID", "URL", "MAX", "TOKENS",
             "PGPASSWORD", "SECRET", "db", "Auth", "x", "GHTOKEN", "limit", "Api", "Hash", "ЅECRET"]
    out = [f"KEY_{i}" for i in range(300)] + [f"--opt-{i}" for i in range(100)] + ["", "-", "__", "apiKey"]
    for _ in range(3000):
        out.append(rng.choice(["_", "-", "", "."]).join(rng.choice(words) for _ in range(rng.randint(1, 4))))
    return out


def test_sensitive_name_agrees() -> None:
    for name in _names():
        assert names.is_sensitive_name(name) is _old_is_sensitive_name(name), name


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_sensitive_name_on_generated_text(name: str) -> None:
    assert names.is_sensitive_name(name) is _old_is_sensitive_name(name)


def test_fix_string_encoding_is_json_dumps() -> None:
    import json

    from scanner.fix import build

    for text in [*VALUES, "a\"b\\c\n\t\u2028\x00", "${env:X}", "é€😀"]:
        assert build._JSON_STRING(text) == json.dumps(text, ensure_ascii=False)


def _old_name_parts(name: str) -> tuple[str, ...]:
    import re

    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", names._as_seen(name).strip().lstrip("-"))
    return tuple(part for part in re.split(r"[^A-Za-z0-9]+", spaced.upper()) if part)


def test_name_parts_agree() -> None:
    for name in [*_names(), "figmaApiKey", "--figmaApiKey", "KEY1A", "aB", "ＡＰＩ_ＫＥＹ", " x-Api-Key "]:
        assert names._name_parts.__wrapped__(name) == _old_name_parts(name), name


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_name_parts_on_generated_text(name: str) -> None:
    assert names._name_parts.__wrapped__(name) == _old_name_parts(name)


def test_strip_scheme_is_the_old_substitution() -> None:
    import re

    from scanner.engines.uri import _strip_scheme

    extra = ["Bearer abc", "bearer\t\nx", "Bearerx", " Bearer z", "token", "TOKEN  y", "Bearer"]
    for value in [*VALUES, *extra]:
        assert _strip_scheme(value) == re.sub(r"(?i)^(?:bearer|token)\s+", "", value)
