"""The per-name literal gate of the provider prefilter (issue 16) picks exactly the name-gated rows
the old check picked: every row's name regex searched on every name (the oracle, kept here)."""

from __future__ import annotations

import random

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


def test_gate_counts_fewer_regex_searches() -> None:
    """Work count: an ordinary env name runs few name regexes (it ran all ten)."""
    lowered = "key_123"
    ran = [i for i, literals in INDEX.name_keywords
           if literals is None or any(literal in lowered for literal in literals)]
    assert len(ran) < len(INDEX.named) // 2
