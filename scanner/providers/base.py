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


def pattern(pid: str, regex: str, prefix: str, provider: str, severity: Severity, description: str,
            *, min_entropy: float = 3.0, name: str | None = None, live: bool = False,
            public: bool = False, group: int = 0) -> Pattern:
    return Pattern(pid, re.compile(regex), prefix, min_entropy, provider, severity, description,
                   re.compile(name, re.I) if name else None, live, public, group)


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
