"""SecretEngine protocol and SecretMatch, the only type that ever holds a raw secret value."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from scanner.engines.examples import is_documented_non_secret
from scanner.findings import value_hash
from scanner.model import FieldValue, Location, McpConfig, ServerEntry, Severity


class Placement(str, enum.Enum):
    """Where in a config a secret sits; the secret rules route on it."""

    ENV = "env"
    HEADER = "header"
    URL = "url"
    ARGS = "args"
    COMMAND = "command"
    FILE = "file"  # any other parsed field
    DOTENV = "dotenv"
    COMMENT = "comment"


# The placements by value (`Placement(value)` without the enum call, which costs more than the lookup).
_PLACEMENTS: dict[str | None, Placement] = {member.value: member for member in Placement}
# value_hash of each distinct value a scan's matches hold: the built-in dedupe, the merge with
# gitleaks and every secret finding's legacy fingerprint ask for it (4 sha256 per finding before).
# In memory only, like the fingerprint caches; bounded in entries and in the length of a key.
_HASHES: dict[str, str] = {}
_HASHES_CAP = 65536
_HASHED_LEN = 4096


@dataclass(frozen=True, slots=True)
class SecretMatch:
    """A secret found in one value. `value` is never printed (repr=False) and dies after the
    rules have fingerprinted and redacted it.

    `value_location` is where the offending config value sits (the finding's line/column);
    `fv` is that value when the match maps onto a parsed field (None for comments, dotenv lines
    or text gitleaks found outside any parsed value).
    """

    secret_type: str  # provider/shape id: "github-pat", "aws-access-key", "db-password", "generic"
    value: str = field(repr=False)
    config: McpConfig = field(repr=False)
    server: ServerEntry | None = field(repr=False)
    fv: FieldValue | None
    field_name: str  # JSON-contract `field`, e.g. "env.GITHUB_TOKEN", "args[3]"
    location: Location
    severity: Severity
    redacted: str
    provider: str  # provider id for rotation advice: "github", "aws", "postgres", "generic", ...
    description: str  # one line, no value: "GitHub personal access token"
    engine: str = "builtin"  # "builtin" | "gitleaks"
    # Non-secret facts for the environment classifier and remediation (e.g. ("host", "db.x.com"),
    # ("role", "service_role"), ("env_name", "GITHUB_TOKEN"), ("live", "true")).
    facts: tuple[tuple[str, str], ...] = ()

    @property
    def hash(self) -> str:
        """value_hash(self.value), computed once per distinct value (see _HASHES)."""
        value = self.value
        found = _HASHES.get(value)
        if found is None:
            found = value_hash(value)
            if len(value) <= _HASHED_LEN:
                if len(_HASHES) >= _HASHES_CAP:
                    _HASHES.clear()
                _HASHES[value] = found
        return found

    @property
    def placement(self) -> Placement | None:
        """The match's placement (engines record it as the `placement` fact), None when unset."""
        return _PLACEMENTS.get(self.fact("placement"))

    def fact(self, key: str) -> str | None:
        for k, v in self.facts:
            if k == key:
                return v
        return None


class SecretEngine(Protocol):
    """A detector that turns parsed configs (and their raw text) into SecretMatches."""

    name: str

    def detect(self, configs: Sequence[McpConfig], sources: dict[str, bytes]) -> list[SecretMatch]:
        """Find secrets. `sources` maps each config's relative path to its raw bytes."""
        ...


@dataclass(frozen=True, slots=True)
class Hit:
    """A secret found inside one analysed string. `name` is the env/flag/header name it sat under."""

    value: str = field(repr=False)
    secret_type: str
    provider: str
    severity: Severity
    description: str
    redacted: str
    name: str | None = None
    facts: tuple[tuple[str, str], ...] = ()


class HitAccumulator:
    """Hits of one analysis plus the values already claimed (so the generic rule does not repeat)."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self.claimed: set[str] = set()
        self.public = False

    def add(self, hit: Hit) -> None:
        # A documentation example or a ciphertext is no credential, whichever reader matched it.
        if is_documented_non_secret(hit.value):
            return
        if hit.value not in self.claimed:
            self.claimed.add(hit.value)
            self.hits.append(hit)
