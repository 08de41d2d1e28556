"""Machine-applicable fixes for secret findings (replaced by the remediation work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scanner.findings import Fix

if TYPE_CHECKING:
    from scanner.engines.engine import SecretMatch


def build_fix(match: SecretMatch, source_text: str) -> Fix | None:
    """The edits that replace `match`'s secret with a reference the client resolves, or None."""
    return None
