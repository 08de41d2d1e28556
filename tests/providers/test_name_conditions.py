"""Name conditions of provider rows run in time linear in the name (issue 13/16: a fuzzed 800 KB
env key full of `secrets` made `secret.*aws` backtrack for 253 s)."""

from __future__ import annotations

import random
import re

from scanner.engines.analyze import shape_index
from scanner.providers import PROVIDERS
from scanner.providers.base import _top_level, linear_name
from scanner.providers.patterns import PATTERNS

_EXPRS = (r"secret_?access_?key|aws.*secret|secret.*aws", r"twilio.*(?:auth|token|secret)",
          r"(?:cloudflare|^cf)[_-].*(?:token|key)", r"heroku.*(?:key|token)", r"algolia.*search|search.*key",
          r"^(?!.*(?:public|pub[_-]?key)).*(?:private[_-]?key|seed)",
          r"(?:^|[_-])(?:dd|datadog)[_-]?api[_-]?key")
_WORDS = ("aws", "secret", "access", "key", "twilio", "auth", "token", "cloudflare", "cf", "heroku",
          "algolia", "search", "public", "private", "seed", "dd", "datadog", "api", "_", "-", "x", "S", "\n")


def _rows() -> list[re.Pattern[str]]:
    rows = [p.name for p in PATTERNS if p.name is not None]
    rows += [s.name for provider in PROVIDERS.values() for s in provider.patterns if s.name is not None]
    rows += [row.name for row in shape_index().rows if row.name is not None]
    return rows


def test_every_row_name_condition_has_one_start_or_no_unbounded_gap() -> None:
    rows = _rows()
    assert rows, "no name-gated rows found: the test would check nothing"
    for compiled in rows:
        expr = compiled.pattern
        cuts = [-1, *_top_level(expr, "|"), len(expr)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            alt = expr[a + 1:b]
            assert alt.startswith("^") or not _top_level(alt, ".*"), (expr, alt)


def test_linear_form_accepts_exactly_the_same_single_line_names() -> None:
    rng = random.Random(7)
    for expr in _EXPRS:
        old, new = re.compile(expr, re.I), re.compile(linear_name(expr), re.I)
        for _ in range(4000):
            name = "".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 9)))
            if old.search(name):
                assert new.search(name), (expr, name)  # never narrower, newlines or not
            elif "\n" not in name:
                assert not new.search(name), (expr, name)


def test_a_long_name_full_of_the_first_word_still_reaches_the_row() -> None:
    # Quadratic before: each `secret` restarted a scan to the end. Not timed; a regression shows as
    # a test that takes minutes.
    name = "${{ secrets.X }}" * 60_000 + "_AWS"
    compiled = re.compile(linear_name(r"secret_?access_?key|aws.*secret|secret.*aws"), re.I)
    assert compiled.search(name)
    assert not compiled.search("${{ secrets.X }}" * 60_000)
