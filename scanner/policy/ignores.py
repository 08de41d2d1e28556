"""Applying the policy's ignores to findings (expired or unused entries become warnings)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from scanner.findings import Finding
from scanner.policy.types import Policy


@dataclass(frozen=True, slots=True)
class IgnoreOutcome:
    kept: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    warnings: tuple[str, ...]  # one line each, fingerprints shortened, never values


def apply_ignores(findings: Sequence[Finding], policy: Policy, today: dt.date) -> IgnoreOutcome:
    """Split findings into kept/suppressed by the policy's ignores; warn on expired/unused entries.

    An entry is valid through its `expires` day; after that it suppresses nothing and warns, so an
    accepted risk is looked at again instead of being forgotten.
    """
    active: dict[str, int] = {}
    warnings: list[str] = []
    name = policy.origin or ".mcp-guard.yml"
    for index, entry in enumerate(policy.ignores):
        if entry.expires is not None and entry.expires < today:
            warnings.append(f"{name}: ignore[{index}] ({entry.fingerprint[:12]}) expired on "
                            f"{entry.expires.isoformat()}; the finding is reported again")
        else:
            active.setdefault(entry.fingerprint, index)
    used: set[str] = set()
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        # v1 fingerprints (before slow secret digests) still match until the entry is rewritten.
        key = next((k for k in (finding.fingerprint, *finding.legacy_fingerprints) if k.lower() in active),
                   None)
        if key is not None:
            suppressed.append(finding)
            used.add(key.lower())
        else:
            kept.append(finding)
    for fingerprint_, index in active.items():
        if fingerprint_ not in used:
            warnings.append(f"{name}: ignore[{index}] ({fingerprint_[:12]}) matched no finding; remove it")
    return IgnoreOutcome(tuple(kept), tuple(suppressed), tuple(warnings))
