"""The fast placeholder/example filters decide exactly what the original regex walks decided.

`_Legacy` below is the filter code as it was before the prefilters (the original regexes and the
original sequence walk, verbatim), kept here as the oracle. Every case compares old and new over a
broad corpus: each provider row's run-time fake (and its low-entropy filler form), every string
literal in this repository's tests, the placeholders of the secrets reference, generated strings
(Unicode included) and long values. One deliberate difference is checked separately: the original
_PLACEHOLDER_WORDS backtracked exponentially, so the oracle uses it only on short strings and the
rewritten regex is compared against it there.
"""

from __future__ import annotations

import ast
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.engines import filters, standins, tokenslots
from scanner.hosts import DEFAULT_LOCAL_PASSWORDS
from scanner.names import UPPER_ENV_NAME, is_password_name
from scanner.providers.patterns import PATTERNS
from scanner.references import find_references, strip_references
from tests.fakes import fake_from_regex, fake_hex, fake_token

TESTS = Path(__file__).resolve().parents[1]


class _Legacy:
    """The original filters (before the prefilters), verbatim."""

    WORDS = re.compile(
        r"(?i)(?:^|[^a-z])(?:(?:your|yours|insert|replace|enter|paste|fill)[-_ ]?|(?:my|add|put|set)[-_ ])"
        r"(?:own[-_ ]?|actual[-_ ]?|real[-_ ]?|the[-_ ]?|a[-_ ]?|in[-_ ]?|here[-_ ]?)?"
        r"(?:[a-z0-9]+[-_ ]?){0,5}(?:key|token|secret|password|pass|pat|here|id|value|credential|credentials|"
        r"auth|api|string|url|uri|dsn)"
    )
    MARKERS = re.compile(
        r"(?i)(?:^<.*>$|<[A-Za-z][\w .-]*>|^\[[^\]]*\]$|\{\{.*\}\}|^\{[A-Za-z_][\w.]*\}$|"
        r"_here$|-here$|\bhere\b|^your[-_]|[-_]your[-_]|(?-i:x{4,}|X{4,})|[-_.]x{3}$|\*{3,}|\.{3}|…|"
        r"changeme|change[-_]me|replace[-_]?me|redacted|placeholder|\bexample\b|example[-_.]|"
        r"[-_.]example|dummy|\bfake\b|fake[-_]|[-_]fake|not[-_ ]?a[-_ ]?real|notreal|sample[-_]|"
        r"^todo\b|^(?-i:x{2,}|X{2,})(?![A-Za-z0-9])|(?-i:yyyy|YYYY|zzzz|ZZZZ)|^(?:sk|pk|rk)[-_](?:test|live)?[-_]?\.{2,}|"
        r"(?-i:[A-Z0-9/]EXAMPLE(?:KEY)?$))"
    )
    FOREIGN = re.compile(
        r"(?i)你的|您的|替换|填写|填入|此处|在此|请输入|請輸入|あなたの|ここに|を入力|여기에|당신의|입력|"
        r"ваш|вставьте|замен|введите|"
        r"(?:^|[-_ ])(?:tu|tus|su|sua|seu|votre|vos|ton|dein|deine|ihr|ihre|il[-_ ]tuo|la[-_ ]tua|tuo|tua|"
        r"kunci[-_ ]anda|anahtar)[-_ ]|_aqui$|[-_ ]aqui$|aqu[ií][-_]|"
        r"reemplaz|substitu|remplac|ersetzen|einf[uü]gen|sostituisci|cole[-_ ]aqui|coloca[-_ ]tu|khoa[-_]cua|"
        r"anahtariniz|[-_]anda$")
    SEQUENCES = ("0123456789", "1234567890", "abcdefghijklmnopqrstuvwxyz", "abcdef0123456789",
                 "0123456789abcdef", "qwertyuiop")

    def __init__(self, words: re.Pattern[str]) -> None:
        self.words = words

    def is_placeholder(self, text: str) -> bool:
        value = text.strip().strip("\"'")
        if value[:2] in ("0x", "0X") and not re.fullmatch(r"0[xX][0-9a-fA-F]+", value):
            value = value[2:]
        lowered = value.lower()
        if lowered in filters._PLACEHOLDER_EXACT:
            return True
        if self.MARKERS.search(value) or self.FOREIGN.search(value):
            return True
        if (not value.isascii() and filters._CJK_WORDS.search(value)
                and not filters._has_long_random_run(value)):
            # Corpus 5 (a deliberate addition, not part of the speed rewrite): setup prose in a CJK
            # script (`需自行申请高德API Key`) under a key name.
            return True
        if filters._trial_words_only(lowered):
            # A deliberate addition, not part of the speed rewrite: deployment examples' stand-ins made
            # of a test/demo word, credential words and a short number (`test-token-123`, `demo-key`).
            return True
        if standins.glued_prompt(lowered) or standins.standin_phrase(lowered):
            # Corpus 7 (a deliberate addition, not part of the speed rewrite): prompts glued into one
            # word (`youvncpassword`) and sentences about a secret (`...-with-at-least-32-characters-long`).
            return True
        if tokenslots.is_token_slot(value):
            # Corpus 11 (a deliberate addition, not part of the speed rewrite): deploy-time token slots
            # and keychain locators (`#{GITHUB_TOKEN}#`, `__API_KEY__`, `keychain:github-token`).
            return True
        return bool(self.words.search(value)) and not filters._has_long_random_run(value)

    def example_sequence(self, text: str) -> bool:
        body = re.sub(r"^[A-Za-z]{1,12}[-_]", "", text).lower()
        body = re.sub(r"[-_.]", "", body)
        if len(body) < 8 or len(body) > 256:
            return False
        min_run = 3 if len(body) <= 16 else 6
        covered = 0
        i = 0
        while i < len(body):
            best = 0
            for seq in self.SEQUENCES:
                start = seq.find(body[i])
                if start < 0:
                    continue
                length = 0
                while (i + length < len(body) and start + length < len(seq)
                       and body[i + length] == seq[start + length]):
                    length += 1
                best = max(best, length)
            if best >= min_run:
                covered += best
                i += best
            else:
                i += 1
        return covered * 2 >= len(body)

    def is_not_a_secret(self, text: str) -> bool:
        return (filters.is_empty(text) or filters.is_reference_only(text) or filters.is_expression(text)
                or self.is_placeholder(text) or self.example_sequence(text) or filters.is_repeated(text))

    def generic_ok(self, value: str, name: str) -> bool:
        if "://" in value:
            return False
        if (filters.is_empty(value) or filters.is_expression(value) or self.example_sequence(value)
                or filters.is_repeated(value)):
            return False
        if self.is_placeholder(value) or find_references(value) or len(value.split()) >= 3:
            # Wave 4 (a deliberate change, not part of the speed rewrite): a random run pasted next
            # to a prompt, a reference or a remark is still a key.
            return filters._pasted_run(strip_references(value))
        if filters.is_non_secret_value(value):
            return False
        if filters.is_reference_only(value) or UPPER_ENV_NAME.fullmatch(value):
            return False
        if is_password_name(name):
            return (len(value) >= 3
                    and value.lower() not in DEFAULT_LOCAL_PASSWORDS | filters.PLACEHOLDER_PASSWORDS)
        if len(value) < 8:
            return False
        # Corpus 5 (deliberate): a plain word is at most 20 letters (`sk-` + 48 letters is a key).
        if re.fullmatch(r"[a-z]{1,15}", value) or re.fullmatch(r"[a-z]{1,20}(?:[-_][a-z]{1,20})+", value):
            return False
        # Corpus realsample14 (deliberate): a key prefix and one short word (`ctx7sk-env`, `fc-abc123`).
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,11}[-_][a-z]{1,10}[0-9]{0,3}", value):
            return False
        return filters.shannon_entropy(value) >= 2.5


# The original WORDS regex is exponential on a verb followed by a long run: short strings only.
_SHORT = 24
_OLD = _Legacy(_Legacy.WORDS)
_OLD_LONG = _Legacy(filters._PLACEHOLDER_WORDS)  # the original code path with the rewritten regex

_REFERENCE_PLACEHOLDERS = [
    "[REDACTED_API_KEY]", "your_api_key_here", "your_api_secret_here", "your_client_id_here",
    "your_shodan_api_key_here", "****", "<pat>", "<key>", "...", "<NOTION_API_KEY>",
    "<YOUR_HEROKU_AUTH_TOKEN>", "<YOUR_TOKEN>", "<digits>:AA…", "<…>", "Bearer <opaque>",
    "YOUR_ANTHROPIC_API_KEY_HERE", "YOUR_API_KEY", "YOUR_AZURE_KEY_HERE", "YOUR_OPENROUTER_KEY_HERE",
    "changeme", "dummy", "exampleConfig", "example", "fake", "fc-YOUR_API_KEY", "here", "ntn_****",
    "ntn_xxx…", "pk_<digits>_", "replace", "secret_xxx", "sk-...", "sk_test_xxxxx", "xoxb-your-bot-token",
    "xxxx", "your-api-key-here", "your", "{{connection_string}}", "你的API密钥", "あなたのAPIキー",
    "tu_clave_aqui", "votre-cle-api", "ваш_ключ", "0xYOUR_PRIVATE_KEY", "AKIA" + "IOSFODNN7" + "EXAMPLE",
    "ghp" + "_" + "1234567890abcdef" * 2 + "1234", "pat123.abc123", "value-1234-abcdef", "qwertyuiop12",
    "İNSERT_KEY", "ınsert-key", "ſet-token", "set-\u212aey", "XXX", "Your-Api-Key", "KEY_1=value",
]


def _test_literals() -> list[str]:
    out: set[str] = set()
    for path in sorted(TESTS.rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        out.update(node.value for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str)
                   and len(node.value) <= 400)
    return sorted(out)


def _provider_fakes() -> list[str]:
    out: list[str] = []
    for pattern in PATTERNS:
        for seed in range(3):
            out.append(fake_from_regex(pattern.regex, seed=seed))
        out.append(fake_from_regex(pattern.regex, filler="x"))
        out.append(fake_from_regex(pattern.regex, filler="0"))
    return out


def _generated() -> list[str]:
    out = [fake_token(prefix, n, seed) for prefix in ("", "ghp_", "sk-", "xoxb-", "my-", "set ", "your_")
           for n in (4, 8, 12, 16, 24, 36, 64) for seed in range(3)]
    out += [fake_hex(n, seed) for n in (8, 16, 32, 40, 64) for seed in range(3)]
    out += [f"value{i}" for i in range(0, 20000, 97)] + [f"value-{i}-abcdef" for i in range(0, 20000, 97)]
    out += [f"--opt-{i}" for i in range(50)] + [f"k{i}" for i in range(50)]
    return out


CORPUS = sorted(set(_REFERENCE_PLACEHOLDERS + _test_literals() + _provider_fakes() + _generated()))


def _check(value: str) -> None:
    legacy = _OLD if len(value) <= _SHORT else _OLD_LONG
    assert filters.is_placeholder(value) == legacy.is_placeholder(value), value
    assert filters._example_sequence(value) == legacy.example_sequence(value), value
    assert filters.is_example_sequence(value) == legacy.example_sequence(value), value
    assert filters.is_not_a_secret(value) == legacy.is_not_a_secret(value), value
    for name in ("API_TOKEN", "DB_PASSWORD"):
        assert filters.generic_ok(value, name) == legacy.generic_ok(value, name), (value, name)


def test_corpus_is_broad() -> None:
    assert len(CORPUS) > 3000
    assert sum(map(filters.is_placeholder, CORPUS)) > 100  # both outcomes are exercised
    assert sum(map(filters.is_example_sequence, CORPUS)) > 100


def test_filters_agree_with_the_original_on_the_corpus() -> None:
    for value in CORPUS:
        _check(value)


def test_long_values_agree() -> None:
    units = [fake_token("", 60, 1), "your-api-key-here ", "1234567890", "x" * 30, "<KEY>", "set ", "{{a}}",
             "..", "ваш ", "-", "_", " ", "abcdef"]
    for i, unit in enumerate(units):
        for reps in (5, 40, 300):
            value = (unit + fake_token("", 7, i)) * reps
            _check(value)
            _check(value[: 256 + i])


_PIECES = st.sampled_from(["your", "set", "my", "add", "key", "token", "id", "here", "own", "a", "in", "the",
                           "-", "_", " ", "x", "1", "9", "K", "\u212a", "ſ", "ı", "İ", "é", "<", ">", "{",
                           "}",
                           "xxx", "...", "example", "EXAMPLE", "fake", "real", "not", "tu", "aqui", "0x",
                           "0123", "abc", "qwe", "7", "f"])
_TEXT = st.one_of(st.text(max_size=_SHORT), st.lists(_PIECES, max_size=12).map("".join))


@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_generated_strings_agree(value: str) -> None:
    value = value[:_SHORT]
    assert bool(filters._PLACEHOLDER_WORDS.search(value)) == bool(_Legacy.WORDS.search(value)), value
    assert filters._placeholder_words(value) == bool(_Legacy.WORDS.search(value)), value
    _check(value)


_WORDY = st.lists(_PIECES, min_size=10, max_size=60).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_WORDY)
def test_word_matcher_agrees_with_the_rewritten_regex_on_long_strings(value: str) -> None:
    assert filters._placeholder_words(value) == bool(filters._PLACEHOLDER_WORDS.search(value)), value


@pytest.mark.parametrize("value", ["set-my-own-key", "your key", "1your1key", "xyour-a-b-c-d-e-key",
                                   "your-a-b-c-d-key", "your-a-b-c-d-e-key", "your-a-b-c-d-ekey",
                                   "your--key", "my key", "mykey", "add_the_token", "put-here", "your"])
def test_word_matcher_cases(value: str) -> None:
    assert filters._placeholder_words(value) == bool(_Legacy.WORDS.search(value)), value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=_SHORT, max_size=3000))
def test_generated_long_strings_agree(value: str) -> None:
    _check(value)


@pytest.mark.parametrize("verb", ["set ", "my-", "your", "1add_"])
def test_placeholder_words_on_one_long_run(verb: str) -> None:
    # The original regex took about a minute on verb + 100 letters.
    value = verb + "a" * 20000
    assert not filters._PLACEHOLDER_WORDS.search(value) and not filters._placeholder_words(value)
    assert filters._PLACEHOLDER_WORDS.search(value + "-key") and filters._placeholder_words(value + "-key")


def test_hostile_placeholder_shapes_are_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    # Not timed: count the keyword-reach lookups, which must grow with the number of verbs, not
    # with verbs x run length (the regexes rescanned the rest of the run from every verb / `{{`).
    calls = {"n": 0}
    real_bisect = filters.bisect.bisect_right

    def counting(*args: object) -> int:
        calls["n"] += 1
        return real_bisect(*args)  # type: ignore[call-overload]

    monkeypatch.setattr(filters.bisect, "bisect_right", counting)
    counts = []
    for n in (1000, 4000):
        calls["n"] = 0
        assert not filters.is_placeholder("1your" * n + "-b-c-d-e-f-g-key")
        assert filters.is_placeholder("1your" * n + "-b-c-d-e-key")
        assert not filters.is_placeholder("{" * (5 * n))
        counts.append(calls["n"])
    assert counts[0] > 0 and counts[1] <= 4 * counts[0] + 10


class _Counting:
    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.calls = 0

    def search(self, text: str) -> re.Match[str] | None:
        self.calls += 1
        return self.pattern.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        self.calls += 1
        return self.pattern.finditer(text)


def test_prefilters_skip_the_regexes_on_ordinary_values(monkeypatch: pytest.MonkeyPatch) -> None:
    counters = {name: _Counting(getattr(filters, name))
                for name in ("_PLACEHOLDER_MARKERS", "_PLACEHOLDER_FOREIGN", "_KEYWORD_AT")}
    for name, counter in counters.items():
        monkeypatch.setattr(filters, name, counter)
    # No vowel, no x/y/z: none of the prefilter needles can occur in the random tokens.
    ordinary = ([f"value{i}" for i in range(1000)]
                + [fake_token("", 32, i, "BCDFGHJKLMNPQRSTVW2468") for i in range(200)])
    for value in ordinary:
        filters.is_placeholder(value)
    assert all(counter.calls == 0 for counter in counters.values())
    # The slow paths still run when a value may match (and decide as before).
    assert filters.is_placeholder("your_api_key_here") and counters["_PLACEHOLDER_MARKERS"].calls == 1
    assert filters._example_sequence("value-1234-abcdef")


def _walk(body: str, min_run: int) -> int:
    """The example-sequence walk one character at a time (what `_covered`'s one regex search does)."""
    starts = {char: [(seq, seq.index(char)) for seq in filters._SEQUENCES if char in seq]
              for char in set("".join(filters._SEQUENCES))}
    covered = i = 0
    while i < len(body):
        best = 0
        for seq, start in starts.get(body[i], ()):
            length = 1
            while (i + length < len(body) and start + length < len(seq)
                   and body[i + length] == seq[start + length]):
                length += 1
            best = max(best, length)
        if best >= min_run:
            covered += best
            i += best
        else:
            i += 1
    return covered


def test_covered_is_the_greedy_walk() -> None:
    rng = random.Random(16)
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz-_.X\u0130K"
    bodies = [value.lower() for value in CORPUS]
    for _ in range(20000):
        parts: list[str] = []
        size = rng.randint(0, 40)
        while sum(map(len, parts)) < size:
            seq = rng.choice(filters._SEQUENCES)
            at = rng.randrange(len(seq))
            parts.append(seq[at:at + rng.randint(1, 12)] if rng.random() < 0.7 else rng.choice(alphabet))
        bodies.append("".join(parts))
    covered = 0
    for body in bodies:
        for min_run in (3, 6):
            expected = _walk(body, min_run)
            assert filters._covered(body, min_run) == expected, (body, min_run)
            covered += expected > 0
    assert covered > 10000  # both outcomes are exercised
