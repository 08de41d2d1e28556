"""Baseline files: the fingerprints of accepted findings (never values), written and read as JSON.

Version 3 holds current fingerprints (scanner/fingerprints.py: keyed HMAC, fast digest of a
demonstrably random value, or scrypt of any other value). Older files are still read:

- version 2 (random values digested with scrypt too): an entry that no current fingerprint matches
  but whose rule, file, server and field are those of a v3-random finding is compared with that
  finding's v2 fingerprint, re-derived in memory from the value seen in the scan (one scrypt per
  such finding, only for those); files of other versions never pay for it;
- version 1 (plain sha256 secret digests): entries match a finding's in-memory legacy fingerprint.

`mcp-guard baseline` always writes version 3. It refuses to write ephemeral fingerprints (weak values
past the slow-hash budget without MCP_GUARD_FINGERPRINT_KEY): they change every run, so such a
baseline would silently never match. An ephemeral finding is never suppressed by a baseline.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from scanner import __version__, fingerprints
from scanner.errors import ConfigError
from scanner.findings import Finding

BASELINE_VERSION = 3
_READABLE_VERSIONS = (1, 2, 3)


class Baseline(frozenset[str]):
    """The fingerprints of a baseline file, with what matching older entries needs."""

    version: int = BASELINE_VERSION
    # (rule id, file, server or "", field) of every entry, for version 2 files only.
    v2_contexts: frozenset[tuple[str, str, str, str]] = frozenset()

    @classmethod
    def of(cls, prints: Iterable[str], version: int = BASELINE_VERSION,
           v2_contexts: Iterable[tuple[str, str, str, str]] = ()) -> Baseline:
        made = cls(prints)
        made.version = version
        made.v2_contexts = frozenset(v2_contexts)
        made._derived = set()
        return made

    _derived: set[str]

    def matches_v2(self, fingerprint: str) -> bool:
        """True when a v3-random finding's v2 fingerprint is in this (version 2) file."""
        if not self.v2_contexts or fingerprints.context_of(fingerprint) not in self.v2_contexts:
            return False
        if fingerprint not in self._derived:
            # Derive, all at once and in parallel, the old fingerprint of every v3-random finding
            # noted so far that this file could hold and that does not match it already.
            todo = [fp for fp in (fingerprint, *fingerprints.noted_random())
                    if fp not in self._derived and fp not in self
                    and fingerprints.context_of(fp) in self.v2_contexts]
            fingerprints.v2_fingerprints(todo)
            self._derived.update(todo)
        old = fingerprints.v2_fingerprints([fingerprint])
        return old.get(fingerprint) in self


def dump_baseline(findings: Sequence[Finding]) -> str:
    """Baseline JSON for `findings`: fingerprint plus non-secret context for reviewers."""
    ephemeral = sum(1 for f in findings if fingerprints.is_ephemeral(f.fingerprint))
    if ephemeral:
        raise ConfigError(
            f"not writing a baseline: {ephemeral} finding(s) have ephemeral fingerprints (more than "
            f"{fingerprints.SLOW_BUDGET:,} distinct low-entropy values without {fingerprints.KEY_ENV}) that "
            f"change every run and would never match; set {fingerprints.KEY_ENV} and run again")
    entries = [
        {"fingerprint": f.fingerprint, "rule_id": f.rule_id, "file": f.file, "server": f.server,
         "field": f.field, "redacted": f.redacted}
        for f in sorted(findings, key=lambda f: (f.file, f.rule_id, f.fingerprint))
    ]
    doc = {"version": BASELINE_VERSION, "tool": {"name": "mcp-guard", "version": __version__},
           "findings": entries}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: Path) -> Baseline:
    """Fingerprints in a baseline file; a missing or malformed file is a ConfigError."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"baseline file not found: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise ConfigError(f"baseline file is not valid JSON: {path}") from None
    if not isinstance(doc, dict) or doc.get("version") not in _READABLE_VERSIONS:
        raise ConfigError(f"baseline file {path}: expected an mcp-guard baseline (version 1, 2 or 3)")
    entries = doc.get("findings")
    if not isinstance(entries, list):
        raise ConfigError(f"baseline file {path}: 'findings' must be a list")
    prints: set[str] = set()
    contexts: set[tuple[str, str, str, str]] = set()
    for i, entry in enumerate(entries):
        fp = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fp, str) or len(fp) != 64 or any(c not in "0123456789abcdef" for c in fp):
            raise ConfigError(f"baseline file {path}: findings[{i}].fingerprint is not a sha256 hex digest")
        prints.add(fp)
        assert isinstance(entry, dict)
        parts = (entry.get("rule_id"), entry.get("file"), entry.get("server") or "", entry.get("field"))
        if doc["version"] == 2 and all(isinstance(part, str) for part in parts):
            contexts.add(parts)  # type: ignore[arg-type]
    return Baseline.of(prints, doc["version"], contexts)


def in_baseline(finding: Finding, baseline: frozenset[str]) -> bool:
    """True when the finding's fingerprint, or one it had under an older format, is in `baseline`.

    Never for an ephemeral fingerprint (it is not stable, so accepting it would be an accident).
    """
    if not baseline or fingerprints.is_ephemeral(finding.fingerprint):
        return False
    if finding.fingerprint in baseline or any(fp in baseline for fp in finding.legacy_fingerprints):
        return True
    return isinstance(baseline, Baseline) and baseline.matches_v2(finding.fingerprint)
