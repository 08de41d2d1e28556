"""The fast value analysis finds exactly what the slow one found (issue 16).

The keyword prefilter (scanner/providers/prefilter.py) may only skip provider regexes that cannot
match. Checked three ways, against the reference (every row's regex on every value, no caches):
- soundness: a row the prefilter leaves out never matches the text (or its name condition fails),
  over every row's own run-time example in several surroundings and over random texts built from
  keyword fragments (hypothesis);
- value analysis: analyze() returns identical hits on that corpus under many names and kinds;
- whole files: the built-in engine gives identical matches on the wild and secret matrices.
Secret-shaped values are built at run time; comparisons use value hashes, never raw values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.engines import analyze as analysis
from scanner.engines import uri
from scanner.engines.decode import query_params, uri_credentials
from scanner.engines.engine import Hit, SecretMatch
from scanner.findings import value_hash
from scanner.providers.base import Pattern
from scanner.providers.patterns import PATTERNS
from scanner.providers.prefilter import ShapeIndex, required_literals
from tests.engines.helpers import scan
from tests.fakes import fake_from_regex
from tests.matrix.secret_cases import all_cases
from tests.matrix.wild_cases import wild_cases

INDEX = ShapeIndex(PATTERNS)
KEYWORDS = sorted({k for literals in INDEX.keywords for k in literals or ()})

# Names for every name-gated row (checked below), plus neutral and sensitive ones.
NAMES: tuple[str | None, ...] = (
    None, "CONFIG_VALUE", "API_KEY", "AWS_SECRET_ACCESS_KEY", "TWILIO_AUTH_TOKEN", "DD_API_KEY",
    "DATADOG_APP_KEY", "CLOUDFLARE_API_TOKEN", "HEROKU_API_KEY", "MISTRAL_API_KEY", "WALLET_PRIVATE_KEY",
    "ALGOLIA_SEARCH_KEY", "Authorization", "--token", "DB_PASSWORD",
    "GHOST_ADMIN_API_KEY", "ZHIPUAI_API_KEY", "BWS_ACCESS_TOKEN", "DISCORD_TOKEN", "TENCENT_MAP_KEY",
    "AZURE_DEVOPS_PAT",
)
KINDS = ("env", "header", "url", "arg", "command", "comment", "field")


def _examples() -> list[str]:
    """Each row's own shape (random and placeholder-filled), built at run time."""
    out: list[str] = []
    for pattern in PATTERNS:
        out.append(fake_from_regex(pattern.regex, seed=11))
        out.append(fake_from_regex(pattern.regex, filler="x"))
    return out


def _surroundings(value: str) -> list[str]:
    return [value, f"Bearer {value}", f"--key={value} tail", f"https://h.example/p?token={value}&a=1",
            f"x{value}", value[:-1], f"{value}:{value[::-1]}", value.swapcase()]


EXAMPLES = _examples()
CORPUS = [text for value in EXAMPLES for text in _surroundings(value)]


def _all_rows(_text: str, _name: str | None) -> Sequence[Pattern]:
    return PATTERNS


@pytest.fixture
def reference() -> Iterator[Callable[[], None]]:
    """Switch analysis to the slow path: every shape row on every value, no cached results."""
    fast = analysis._shape_rows

    def slow() -> None:
        analysis._shape_rows = _all_rows
        analysis.clear_caches()

    yield slow
    analysis._shape_rows = fast
    analysis.clear_caches()


def _skipped_rows_cannot_match(text: str, name: str | None) -> None:
    kept = {p.id for p in INDEX.candidates(text, name)}
    for pattern in PATTERNS:
        if pattern.id in kept:
            continue
        if pattern.name is not None:
            # (or the text is shorter than any match of every name-gated row: ShapeIndex.named_min)
            short = len(text) < INDEX.named_min
            assert name is None or not pattern.name.search(name) or short, (pattern.id, name)
        else:
            assert pattern.regex.search(text) is None, pattern.id


def test_every_row_without_a_name_condition_has_a_keyword_its_example_holds() -> None:
    # The slow path (rows whose regex runs on every value) is empty today; a row added without a
    # usable literal would land there and still be correct, only slower.
    assert INDEX.slow == ()
    for pattern, literals in zip(INDEX.rows, INDEX.keywords, strict=True):
        if pattern.name is None:
            assert literals, pattern.id
            example = fake_from_regex(pattern.regex, seed=3)
            assert any(k in example for k in literals), pattern.id
        else:
            assert literals is None  # name-gated rows are never skipped by keyword


def test_every_name_gated_row_is_exercised_by_a_corpus_name() -> None:
    for pattern in PATTERNS:
        if pattern.name is not None:
            assert any(n is not None and pattern.name.search(n) for n in NAMES), pattern.id


def test_required_literals_reads_the_regex() -> None:
    stripe = re.compile(r"(?<![a-z])(?:sk|rk)_live_[a-z]{4}")
    assert required_literals(stripe) == frozenset({"sk_live_", "rk_live_"})
    assert required_literals(re.compile(r"xox[pe]-\d+")) == frozenset({"xoxp-", "xoxe-"})
    assert required_literals(re.compile(r"[0-9]{8}:AA[a-z]+")) == frozenset({":AA"})
    assert required_literals(re.compile(r"(?:ab+c|de+f)")) == frozenset({"ab", "de"})
    assert required_literals(re.compile(r"[0-9]+_live_x+")) == frozenset({"_live_x"})
    assert required_literals(re.compile(r"(?i)ghp_[a-z]+")) is None  # case-insensitive: slow path
    assert required_literals(re.compile(r"x(?i:abc)")) == frozenset({"x"})
    assert required_literals(re.compile(r"[A-Za-z0-9]{32}")) is None
    assert required_literals(re.compile(r"(?:abc)?d*")) is None


def test_prefilter_skips_only_rows_that_cannot_match_the_corpus() -> None:
    for text in CORPUS:
        _skipped_rows_cannot_match(text, None)
    for name in NAMES:
        _skipped_rows_cannot_match(EXAMPLES[0], name)


_FRAGMENTS = st.sampled_from(
    [*KEYWORDS, *(k[:-1] for k in KEYWORDS if len(k) > 1), *(k[1:] for k in KEYWORDS if len(k) > 1),
     " ", "=", ":", "/", "_", "-", ".", "@", "?key=", "Bearer ", "BASIC  ", "bearer\t", "https://", "${A}",
     "${A:-", "}", "eyJ"])
_WORDS = st.text(alphabet="abcdefABCDEF0123456789_-./:+=", max_size=24)
_TEXTS = st.lists(st.one_of(_FRAGMENTS, _WORDS, st.sampled_from(EXAMPLES)), max_size=8).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(_TEXTS, st.text(max_size=60)), name=st.sampled_from(NAMES))
def test_prefilter_skips_only_rows_that_cannot_match_random_texts(text: str, name: str | None) -> None:
    _skipped_rows_cannot_match(text, name)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(_TEXTS, st.text(max_size=60), st.text(alphabet=" \t\n\x0b\x85\xa0\u2028\u3000ab")))
def test_readers_skipped_by_a_guard_find_nothing_there(text: str) -> None:
    # analyze() skips the URI and query readers for values without `://`, the Authorization scheme
    # readers for non-header values without either scheme word, `${X:-default}` without `${`.
    if "://" not in text:
        assert uri_credentials(text) == [] and query_params(text) == []
    if uri._SCHEME_WORD.search(text) is None:
        assert uri._BEARER.search(text) is None and uri._BASIC.search(text) is None
    if "${" not in text:
        assert uri._REF_DEFAULT.search(text) is None
    # The shell-word split's test: whitespace inside the stripped text.
    assert (len(text.split(maxsplit=1)) > 1) == any(ch.isspace() for ch in text.strip())


def _hits(hits: list[Hit]) -> list[tuple[object, ...]]:
    return [(value_hash(h.value), h.secret_type, h.provider, h.severity, h.description, h.redacted, h.name,
             h.facts) for h in hits]


def _value_results(texts: list[str]) -> list[list[tuple[object, ...]]]:
    # Each text under one (name, kind) of a rotation that covers every pair; every 4th also as argv.
    out = []
    for i, text in enumerate(texts):
        name, kind = NAMES[i % len(NAMES)], KINDS[(i // len(NAMES)) % len(KINDS)]
        out.append(_hits(analysis.analyze(text, name, kind)))
        if i % 4 == 0:
            argv = ["run", "--token", text, f"K={text}"]
            out.append([(index, *row) for index, hit in analysis.analyze_argv(argv) for row in _hits([hit])])
    return out


def test_value_analysis_is_identical_to_the_slow_path(reference: Callable[[], None]) -> None:
    texts = CORPUS[::3]
    analysis.clear_caches()
    fast = _value_results(texts)
    reference()
    slow = _value_results(texts)
    assert sum(map(len, slow)) > len(PATTERNS)  # the corpus does hold secrets
    for index, (a, b) in enumerate(zip(fast, slow, strict=True)):
        assert a == b, index


@settings(max_examples=150, deadline=None)
@given(text=_TEXTS, name=st.sampled_from(NAMES), kind=st.sampled_from(KINDS))
def test_value_analysis_is_identical_on_random_texts(text: str, name: str | None, kind: str) -> None:
    fast_rows = analysis._shape_rows
    analysis.clear_caches()
    fast = _hits(analysis.analyze(text, name, kind))
    try:
        analysis._shape_rows = _all_rows
        analysis.clear_caches()
        slow = _hits(analysis.analyze(text, name, kind))
    finally:
        analysis._shape_rows = fast_rows
        analysis.clear_caches()
    assert fast == slow


def _matches(files: dict[str, str]) -> list[tuple[object, ...]]:
    found: list[SecretMatch] = scan(files)
    return [(m.config.path, m.server.name if m.server else None, m.field_name, m.location, m.hash,
             m.secret_type, m.severity, m.redacted, m.provider, m.description, m.facts) for m in found]


def test_engine_is_identical_to_the_slow_path_on_the_matrices(reference: Callable[[], None]) -> None:
    files = [{c.path: c.text} for c in wild_cases()] + [{c.path: c.text} for c in all_cases()]
    analysis.clear_caches()
    fast = [_matches(f) for f in files]
    reference()
    slow = [_matches(f) for f in files]
    assert sum(map(len, slow)) > 100
    for index, (a, b) in enumerate(zip(fast, slow, strict=True)):
        assert a == b, index


def _family_reference(words: list[str]) -> str | None:
    for word in words:
        for family, regex in analysis._DB_CLIENTS:
            if regex.search(word.strip()):
                return family
    return None


_CLIENT_WORDS = st.sampled_from([
    "mysql", "/usr/bin/mysqldump", "MONGOSH.exe", "sqlcmd", "redis-cli", "x@mariadb", "jdbc:mysql://h/db",
    "mcp-server-mysql", "npx", "-y", "-p", " mongo ", "bcp"])


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.one_of(_CLIENT_WORDS, st.text(max_size=12), _CLIENT_WORDS.map(lambda w: w + "x")),
                      max_size=6))
def test_db_client_family_prefilter_is_exact(words: list[str]) -> None:
    assert analysis.db_client_family(words) == _family_reference(words)
