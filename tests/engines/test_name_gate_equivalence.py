"""The per-name literal gate of the provider prefilter (issue 16) picks exactly the name-gated rows
the old check picked: every row's name regex searched on every name (the oracle, kept here)."""

from __future__ import annotations

import dataclasses
import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.providers.patterns import PATTERNS
from scanner.providers.prefilter import ShapeIndex

INDEX = ShapeIndex(PATTERNS)


def _old_named(name: str) -> tuple[int, ...]:
    """The check before the gate: each name-gated row's regex on the name."""
    named = tuple(i for i in INDEX.named if INDEX.rows[i].name.search(name))  # type: ignore[union-attr]
    return tuple(sorted({*INDEX.slow, *named}))


def _words() -> list[str]:
    words = ["aws", "secret", "access", "key", "twilio", "auth", "token", "dd", "datadog", "api", "app",
             "application", "cloudflare", "cf", "heroku", "mistral", "wallet", "private", "priv", "signer",
             "seed", "keypair", "mnemonic", "deployer", "public", "pub", "address", "hash", "algolia",
             "search", "id", "url", "x"]
    return words + [w.upper() for w in words] + [w.capitalize() for w in words]


def test_gate_leaves_out_only_rows_whose_name_condition_fails() -> None:
    assert any(literals is not None for _i, literals in INDEX.name_keywords)  # the gate is in use
    rng = random.Random(16)
    words = _words()
    names = ["KEY_1", "--opt-3", "--api-key", "AWS_SECRET_ACCESS_KEY", "CF_API_TOKEN", "cf-token",
             "DD_APP_KEY", "WALLET_SEED", "SOLANA_PUBLIC_KEY", "ALGOLIA_SEARCH_KEY", "", "-", "\u212aEY",
             "A\u017fECRET_AWS", "HEROKU\nKEY", "İAWS_SECRET"]
    for _ in range(4000):
        parts = [rng.choice(words) for _ in range(rng.randint(1, 4))]
        names.append(rng.choice(["_", "-", "", "."]).join(parts))
    for name in names:
        assert INDEX._named_rows(name)[0] == _old_named(name), name


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("akwsetcrlioudfhpmnyKWSETAIOD_-.\u212a\u017f\u0130\u0131 "),
               max_size=24))
def test_gate_matches_old_check_on_random_names(name: str) -> None:
    assert INDEX._named_rows(name)[0] == _old_named(name)


class _Counting:
    """A name regex that counts its searches (pattern and flags as the real one's)."""

    def __init__(self, regex: re.Pattern[str], counter: list[str]) -> None:
        self.pattern, self.flags, self._regex, self._counter = regex.pattern, regex.flags, regex, counter

    def search(self, text: str) -> re.Match[str] | None:
        self._counter.append(text)
        return self._regex.search(text)


def test_gate_counts_fewer_regex_searches() -> None:
    """Work count: an ordinary env name runs few name regexes (it ran all ten), a flag name none;
    a non-ASCII name still runs every one."""
    searched: list[str] = []
    rows = [dataclasses.replace(row, name=_Counting(row.name, searched))   # type: ignore[arg-type]
            if row.name is not None else row
            for row in PATTERNS]
    index = ShapeIndex(rows)
    named = len(index.named)
    assert named >= 8
    index._named_rows("KEY_123")
    assert 0 < len(searched) <= named // 2
    searched.clear()
    index._named_rows("--opt-7")
    assert searched == []
    index._named_rows("K\u0415Y_1")
    assert len(searched) == named
