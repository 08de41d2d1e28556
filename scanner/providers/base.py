"""The row types of scanner/providers: a token shape (Pattern), rotation advice (Rotation) and
one credential issuer holding both (Provider)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scanner.model import Severity

LEFT = r"(?<![A-Za-z0-9_])"  # left boundary: not inside a longer word
RIGHT = r"(?![A-Za-z0-9_])"  # right boundary


@dataclass(frozen=True, slots=True)
class Pattern:
    """One token shape. `group` is the regex group holding the secret (0 = whole match)."""

    id: str
    regex: re.Pattern[str]
    prefix: str
    min_entropy: float
    provider: str
    severity: Severity
    description: str
    name: re.Pattern[str] | None = None  # required env/flag/header name (whole value must match)
    live: bool = False  # production/live key (sk_live_)
    public: bool = False  # public by design (publishable keys): never a secret finding
    group: int = 0
    random_body: bool = False  # the body must look random (random_enough), not be a run of words
    # A name-gated shape distinct enough to count with no name when it is a whole positional argument
    # of a server command (`npx -y pkg <KEY>`): name-gated only because it has no literal to prefilter on.
    positional: bool = False


def random_enough(body: str) -> bool:
    """A token body holding a digit, or both letter cases. A body of one letter case with no digit
    (`daily_revenue_report_by_segment`, `DOCUMENTATIONREFERENCE`) is a name after a short prefix, not a
    key: 20 random base62 characters lack a digit and a second case far less often than 1 in 10^4."""
    if any(c.isdigit() for c in body):
        return True
    if any(c.islower() for c in body) and any(c.isupper() for c in body):
        return True
    return len(body) >= _LONG_ONE_CASE and body.isalpha() and _vowel_share(body) < _MAX_RANDOM_VOWELS


# A long body of letters of one case (SiliconFlow keys: 48 random lower-case letters) is random when its
# vowels are as rare as in random letters (5 in 26, about 0.19; 0.3 is 1.9 standard deviations above at
# 48 letters), not as common as in words run together (about 0.4: `thisisnotarealkeyjustaplaceholder…`).
_LONG_ONE_CASE = 32
_MAX_RANDOM_VOWELS = 0.3


def _vowel_share(body: str) -> float:
    return sum(c in "aeiouAEIOU" for c in body) / len(body)


def pattern(pid: str, regex: str, prefix: str, provider: str, severity: Severity, description: str,
            *, min_entropy: float = 3.0, name: str | None = None, live: bool = False,
            public: bool = False, group: int = 0, random_body: bool = False,
            positional: bool = False) -> Pattern:
    return Pattern(pid, re.compile(regex), prefix, min_entropy, provider, severity, description,
                   re.compile(linear_name(name), re.I) if name else None, live, public, group, random_body,
                   positional)


def _top_level(expr: str, sep: str) -> list[int]:
    """Offsets of `sep` in `expr` outside groups, classes and escapes."""
    out: list[int] = []
    depth = 0
    i = 0
    in_class = False
    while i < len(expr):
        c = expr[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0 and expr.startswith(sep, i):
            out.append(i)
        i += 1
    return out


def linear_name(expr: str) -> str:
    """A name condition `A.*B` rewritten to run in time linear in the name's length.

    `re.search` of `aws.*secret` tries every occurrence of `aws` and scans to the end from each:
    quadratic on a long name full of `aws` (a fuzzed 800 KB env key took minutes). If `B` follows
    some `A` on one line it follows the first `A`, so `^(?>(?s:.*?)A)(?s:.*)B` (one start, the first
    `A` taken atomically, `B` anywhere after it) accepts every name the original does; it also
    accepts `B` on a later line than `A`, which only widens which rows a value is checked against.
    Anchored alternatives (`^...`) and those without a top-level `.*` are kept as written."""
    cuts = [-1, *_top_level(expr, "|"), len(expr)]
    alternatives = [expr[a + 1:b] for a, b in zip(cuts, cuts[1:], strict=False)]
    out = []
    for alt in alternatives:
        stars = _top_level(alt, ".*")
        if alt.startswith("^") or not stars:
            out.append(alt)
            continue
        head, tail = alt[:stars[0]], alt[stars[0] + 2:]
        out.append(f"^(?>(?s:.*?){head})(?s:.*){tail}")
    return "|".join(out)


@dataclass(frozen=True, slots=True)
class Rotation:
    """How to rotate one provider's credential. URLs are vendor settings pages (no secrets)."""

    provider: str
    name: str  # human name of the issuer
    url: str  # page where the credential is revoked and re-issued
    steps: str  # one sentence, plain text


@dataclass(frozen=True, slots=True)
class Provider:
    """Everything known about one credential issuer: its token shapes, where and how to rotate a
    leaked credential, other ids engines use for it, and the gitleaks rule ids that map to it."""

    id: str
    patterns: tuple[Pattern, ...]
    rotation: Rotation
    aliases: tuple[str, ...] = ()
    gitleaks_rules: tuple[str, ...] = ()
