"""Exact prefilters of the per-value chain (issue 16, docs/performance.md "Wave 12"): each skips the work
it claims to skip (counted, never timed) and decides as the full computation does (the composition
before it, spelt out here, is the oracle).

Covered: filters.generic_ok of a value whose references leave no pasted random run, and
otlp._is_custom_headers_name of an ASCII name without `headers`.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from scanner import names
from scanner.engines import filters, otlp
from scanner.references import find_references, strip_references
from tests.fakes import fake_token
from tests.workcount import Counted as _Counted


def _generic_ok_unfiltered(value: str, name: str) -> bool:
    """generic_ok as it was composed before the reference test was put first."""
    f = filters
    if "://" in value:
        return False
    if f.is_empty(value) or f.is_expression(value) or f.is_example_sequence(value) or f.is_repeated(value):
        return False
    if f.is_placeholder(value) or find_references(value) or len(value.split()) >= 3:
        return f._pasted_run(strip_references(value))
    if f.is_non_secret_value(value):
        return False
    if f.UPPER_ENV_NAME.fullmatch(value):
        return False
    if f.is_password_name(name):
        return len(value) >= 3 and value.lower() not in f._NOT_PASSWORDS
    if len(value) < 8:
        return False
    if f._PLAIN_WORD.fullmatch(value) or f._PLAIN_WORDS.fullmatch(value):
        return False
    return f.shannon_entropy(value) >= 2.5


def _values() -> list[str]:
    rng = random.Random(12)
    token = fake_token("", 40, 1)
    refs = ["${input:k-1}", "${env:API_KEY}", "${API_KEY}", "${API_KEY:-x}", "{env:A}", "$A", "%A%",
            "${{ secrets.A }}", "${workspaceFolder}", "${user_config.key}", "${file:/a}"]
    around = ["", token, token[:20], "abc", "123456", "abcdef123456", "<your-token>", "Bearer ", " # note",
              "-example-", "aaaaaaaaaaaaaaaa", fake_token("", 12, 2), "x y z"]
    out = [a + r + b for r in refs for a in around for b in around]
    out += ["".join(rng.choice("${}:-_aA1 ") for _ in range(rng.randint(1, 30))) for _ in range(2000)]
    out += [token, "password", "changeme", "value-12-abcdef", "kT9" + token[:20] + "${A}" + token[20:]]
    out += ["k1", "k12", "abc", "Ab1!", "<x>", "${A}", "a b c", "aaaaaaa", "env:A", "$(a)", "ABC_DEF",
            "1234567"]
    return out


@pytest.mark.parametrize("name", ["API_KEY", "DB_PASSWORD", "SECRET_TOKEN", "--api-key", "PGPASSWORD",
                                  "db_pwd"])
def test_generic_ok_decides_as_the_unfiltered_composition(name: str) -> None:
    values = _values()
    assert [filters.generic_ok(v, name) for v in values] == [_generic_ok_unfiltered(v, name) for v in values]
    assert any(filters.generic_ok(v, name) for v in values if find_references(v))  # a pasted run is still one


def test_a_whole_reference_skips_the_other_value_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = {name: _Counted(getattr(filters, name))
               for name in ("is_placeholder", "is_example_sequence", "is_repeated", "is_expression")}
    for name, stand_in in counted.items():
        monkeypatch.setattr(filters, name, stand_in)
    for i in range(200):
        assert not filters.generic_ok(f"${{input:k-{i}}}", f"API_KEY_{i}")
    assert {name: c.calls for name, c in counted.items()} == dict.fromkeys(counted, 0)


def test_a_short_value_under_no_password_name_skips_the_value_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = {name: _Counted(getattr(filters, name)) for name in ("is_placeholder", "is_example_sequence")}
    for name, stand_in in counted.items():
        monkeypatch.setattr(filters, name, stand_in)
    for i in range(200):
        assert not filters.generic_ok(f"k{i}", "--api-key")
    assert {name: c.calls for name, c in counted.items()} == dict.fromkeys(counted, 0)
    assert filters.generic_ok("Ab1!x", "DB_PASSWORD")  # a short password still is one


def _random_names(count: int) -> list[str]:
    rng = random.Random(13)
    words = ["custom", "CUSTOM", "Headers", "HEADERS", "header", "otel", "x", "_", "-", "Api", "key", "1"]
    out = ["".join(rng.choice(words) for _ in range(rng.randint(1, 6))) for _ in range(count)]
    return out + ["ANTHROPIC_CUSTOM_HEADERS", "customHeaders", "CUSTOM_HEADERS", "X_CUSTOM_HEADERS_2",
                  "CUSTOM_HEADERſ", "custom-headers"]


def test_custom_headers_name_decides_as_the_parts_do() -> None:
    for name in _random_names(3000):
        parts = names.name_parts(name)
        expected = len(parts) >= 2 and parts[-2:] == ["CUSTOM", "HEADERS"]
        assert otlp._is_custom_headers_name(name) == expected, name


def test_a_name_without_headers_is_not_split(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = _Counted(names.name_parts)
    monkeypatch.setattr(otlp, "name_parts", counted)
    for i in range(100):
        assert otlp.header_pairs(f"API_KEY_{i}", "${input:k-1}") == []
    assert counted.calls == 0
    assert otlp.header_pairs("ANTHROPIC_CUSTOM_HEADERS", "x-api-key: abc") == [("x-api-key", "abc")]
    assert counted.calls == 1


def _shape_pairs() -> list[tuple[str, str | None]]:
    rng = random.Random(14)
    names_ = ["AWS_SECRET_ACCESS_KEY", "TWILIO_AUTH_TOKEN", "DD_API_KEY", "MISTRAL_API_KEY", "HEROKU_API_KEY",
              "WALLET_PRIVATE_KEY", "GHOST_ADMIN_KEY", "DISCORD_TOKEN", "KEY_1", None]
    alphabets = ((1, "0123456789abcdef"), (2, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij0123456789/+"))
    texts = [fake_token("", n, seed, alphabet) for n in (8, 16, 24, 31, 32, 36, 40, 64)
             for seed, alphabet in alphabets]
    texts += [fake_token("ghp_", 36, 3), "ghp_" + "a" * 20, "value-12-abcdef",
              "Bearer " + fake_token("", 32, 4)]
    return [(text, name) for text in texts for name in names_] + [
        (fake_token("", rng.randint(8, 40), i), rng.choice(names_)) for i in range(300)]


def test_a_text_shorter_than_every_named_shape_gets_the_rows_its_name_would_give(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.engines import analyze
    from scanner.engines.engine import HitAccumulator
    from scanner.providers.patterns import PATTERNS
    from scanner.providers.prefilter import ShapeIndex

    unfiltered = ShapeIndex(PATTERNS)
    unfiltered.named_min = 0
    index = analyze.shape_index()
    assert index.named_min >= 32  # (a name-gated shape is a whole value of 32+ characters)

    def shapes(text: str, name: str | None) -> list[Any]:
        acc = HitAccumulator()
        analyze._shapes(text, name, acc)
        return [*acc.hits, acc.public]

    pairs = _shape_pairs()
    filtered = [shapes(text, name) for text, name in pairs]
    for text, name in pairs:
        kept, every = index.candidates(text, name), unfiltered.candidates(text, name)
        assert set(kept) <= set(every)
        for row in set(every) - set(kept):  # left out: a name-gated row, the value too short for it
            assert row.name is not None and len(text) < index.named_min
    monkeypatch.setattr(analyze, "shape_index", lambda: unfiltered)
    assert [shapes(text, name) for text, name in pairs] == filtered
    assert any(hit for found in filtered for hit in found[:-1])  # (some named shapes are found)


def test_a_short_value_does_not_look_its_name_up(monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.engines import analyze

    index = analyze.shape_index()
    counted = _Counted(index._for_name)
    monkeypatch.setattr(index, "_for_name", counted)
    for i in range(100):
        index.candidates(f"value-{i}-abcdef", f"KEY_{i}")
    assert counted.calls == 0
    index.candidates(fake_token("", 40, 5), "AWS_SECRET_ACCESS_KEY")
    assert counted.calls == 1


def _digit_names(count: int) -> list[str]:
    rng = random.Random(15)
    words = ["KEY", "key", "Token", "TOKEN", "API", "max", "TOKENS", "LIMIT", "ID", "PUBLIC", "pass", "auth",
             "URL", "x", "Secret", "HASH", "0", "7", "42", "2fa", "v2", "s3", "_", "-", "--", ""]
    return ["".join(rng.choice(words) for _ in range(rng.randint(1, 5))) for _ in range(count)] + [
        "KEY_1", "MAX_TOKENS_1", "TOKEN_LIMIT_2", "TOKEN_2_LIMIT", "apiKey2", "api2Key", "OAUTH2_TOKEN",
        "X9_PWD"]


def test_sensitive_names_are_judged_digit_blind_as_their_parts_are() -> None:
    for name in _digit_names(5000):
        assert names.is_sensitive_name(name) == names._sensitive_parts.__wrapped__(name), name


def test_names_that_differ_in_digits_only_are_split_once(monkeypatch: pytest.MonkeyPatch) -> None:
    names.is_sensitive_name.cache_clear()
    names._sensitive_parts.cache_clear()
    counted = _Counted(names._name_parts)
    monkeypatch.setattr(names, "_name_parts", counted)
    assert all(names.is_sensitive_name(f"KEY_{i}") for i in range(1, 2000))
    assert counted.calls <= 4  # KEY_0, KEY_00, KEY_000, KEY_0000 (before: one split per name)


def test_password_names_are_judged_as_their_parts_are(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [*_digit_names(3000), "PGPASSWORD", "db_passwd", "MyPwd", "PASSPHRASE", "passPhrase", "PAß"]:
        parts = names._name_parts(name)
        expected = bool(parts) and (parts[-1] in {"PASS", "PWD", "PASSPHRASE"}
                                    or parts[-1].endswith(("PASSWORD", "PASSWD")))
        assert names.is_password_name(name) == expected, name
    names.is_password_name.cache_clear()
    counted = _Counted(names._name_parts)
    monkeypatch.setattr(names, "_name_parts", counted)
    assert not any(names.is_password_name(f"KEY_{i}") for i in range(500))
    assert counted.calls == 0  # before: one split per name
