"""Baseline files: the fingerprints of accepted findings (never values), written and read as JSON.

Version 2 holds fingerprints whose secret part is a slow or keyed digest (scanner/fingerprints.py).
Version 1 files (plain sha256 secret digests) are still read: their entries match a finding's
in-memory legacy fingerprint, recomputed from the value seen in the scan; `mcp-guard baseline`
rewrites the file as version 2.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from scanner import __version__
from scanner.errors import ConfigError
from scanner.findings import Finding

BASELINE_VERSION = 2
_READABLE_VERSIONS = (1, 2)


def dump_baseline(findings: Sequence[Finding]) -> str:
    """Baseline JSON for `findings`: fingerprint plus non-secret context for reviewers."""
    entries = [
        {"fingerprint": f.fingerprint, "rule_id": f.rule_id, "file": f.file, "server": f.server,
         "field": f.field, "redacted": f.redacted}
        for f in sorted(findings, key=lambda f: (f.file, f.rule_id, f.fingerprint))
    ]
    doc = {"version": BASELINE_VERSION, "tool": {"name": "mcp-guard", "version": __version__},
           "findings": entries}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: Path) -> frozenset[str]:
    """Fingerprints in a baseline file; a missing or malformed file is a ConfigError."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"baseline file not found: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise ConfigError(f"baseline file is not valid JSON: {path}") from None
    if not isinstance(doc, dict) or doc.get("version") not in _READABLE_VERSIONS:
        raise ConfigError(f"baseline file {path}: expected an mcp-guard baseline (version 1 or 2)")
    entries = doc.get("findings")
    if not isinstance(entries, list):
        raise ConfigError(f"baseline file {path}: 'findings' must be a list")
    prints: set[str] = set()
    for i, entry in enumerate(entries):
        fp = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fp, str) or len(fp) != 64 or any(c not in "0123456789abcdef" for c in fp):
            raise ConfigError(f"baseline file {path}: findings[{i}].fingerprint is not a sha256 hex digest")
        prints.add(fp)
    return frozenset(prints)


def in_baseline(finding: Finding, baseline: frozenset[str]) -> bool:
    """True when the finding's fingerprint, or one of its pre-v2 fingerprints, is in `baseline`."""
    return finding.fingerprint in baseline or any(fp in baseline for fp in finding.legacy_fingerprints)
