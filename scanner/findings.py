"""Finding (the JSON-contract record), fingerprint(), redact(), blocking and stable ordering."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass

from scanner import fingerprints
from scanner.model import Category, Environment, Location, Severity, _slot_init

FINGERPRINT_VERSION = "mcpg-fp-v1"


def value_hash(value: str) -> str:
    """sha256 of a secret value: the only form in which values are compared or stored."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def fingerprint(rule_id: str, path: str, server: str | None, field_name: str, discriminator: str) -> str:
    """Stable id of a finding: no line numbers, so edits elsewhere in the file do not make it new.

    `discriminator` is value_hash(secret) for secret findings (the secret is not recoverable from
    the result), or a short non-secret key (host, setting) for other rules.
    """
    parts = (FINGERPRINT_VERSION, rule_id, path, server or "", field_name, discriminator)
    result = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    if discriminator.startswith(fingerprints.NOTED_PREFIXES):  # see scanner/fingerprints.py
        fingerprints.note(result, discriminator, (rule_id, path, server or "", field_name),
                          lambda other: fingerprint(rule_id, path, server, field_name, other))
    return result


# Values this short are masked entirely: even 4 characters of a short password say too much.
_SHOW_TAIL_MIN = 20
_KEEP_PREFIX_MIN = 12


def redact(value: str, public_prefix: str = "") -> str:
    """Mask a secret: the known public prefix (e.g. `ghp_`) and at most the last 4 characters.

    Short values are fully masked. The prefix is kept only when the value really starts with it.
    """
    prefix = public_prefix if public_prefix and value.startswith(public_prefix) else ""
    if len(value) < _KEEP_PREFIX_MIN:
        return "****"
    if len(value) < _SHOW_TAIL_MIN or len(value) - len(prefix) < 12:
        return f"{prefix}****"
    return f"{prefix}…{value[-4:]}"


@_slot_init
@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace [start, end) (1-based, end exclusive) of `file` with `replacement`."""

    file: str
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    replacement: str


@_slot_init
@dataclass(frozen=True, slots=True)
class Fix:
    """A machine-applicable fix: a description and non-overlapping edits."""

    description: str
    edits: tuple[TextEdit, ...]


@_slot_init
@dataclass(frozen=True, slots=True)
class Finding:
    """One result. Exactly the JSON-contract fields plus evidence/related/fix; never a raw secret."""

    rule_id: str
    category: Category
    severity: Severity
    location: Location
    client: str
    server: str | None
    field: str
    environment: Environment
    secret_type: str | None
    redacted: str | None
    fingerprint: str
    message: str
    blocking: bool = False
    evidence: tuple[str, ...] = ()
    related: tuple[Location, ...] = ()
    fix: Fix | None = None
    # Set by diff mode: the value left the tree in a later commit but is still in history.
    history_only: bool = False
    # Free-form, non-secret facts templates may use (provider id, env var name to use, ...).
    details: tuple[tuple[str, str], ...] = dataclasses.field(default=())
    # Fingerprints this finding had under older formats (in memory only, never output): lets
    # baselines and ignores written before fingerprint v2 keep matching until rewritten.
    legacy_fingerprints: tuple[str, ...] = dataclasses.field(default=(), repr=False)

    @property
    def file(self) -> str:
        return self.location.path

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    def detail(self, key: str) -> str | None:
        for k, v in self.details:
            if k == key:
                return v
        return None

    def with_blocking(self, fail_on: Severity | None) -> Finding:
        """Copy with `blocking` set from the threshold (None = nothing blocks)."""
        # The constructor with every field, not dataclasses.replace (which reads the field list and
        # builds keyword arguments per call: a file with 20,000 findings paid for it 20,000 times);
        # tests/test_finding_copy.py checks it equals replace() for every field.
        return Finding(self.rule_id, self.category, self.severity, self.location, self.client, self.server,
                       self.field, self.environment, self.secret_type, self.redacted, self.fingerprint,
                       self.message, fail_on is not None and self.severity >= fail_on, self.evidence,
                       self.related, self.fix, self.history_only, self.details, self.legacy_fingerprints)


def sort_key(finding: Finding) -> tuple[object, ...]:
    """Stable order: file, line, column, then most severe first, then rule id."""
    return (finding.location.path, finding.location.line, finding.location.column,
            -int(finding.severity), finding.rule_id, finding.field, finding.fingerprint)
