"""The fix of one secret match, what the secret rules get as `RuleContext.fix_for`: the reference in
the client's own syntax (scanner/fix/build.py), and for an AWS secret key its key id with it
(scanner/fix/aws_pair.py: the pair is one credential)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from scanner.findings import Fix
from scanner.fix import aws_pair
from scanner.fix.build import _build_fix
from scanner.output_guard import find_leaks

if TYPE_CHECKING:
    from scanner.engines.engine import SecretMatch


def fixer(sources: Mapping[str, str]) -> Callable[[SecretMatch], Fix | None]:
    """`RuleContext.fix_for` for one scan: build_fix against each config's decoded text."""
    return lambda match: build_fix(match, sources.get(match.config.path, ""))


def build_fix(match: SecretMatch, source_text: str) -> Fix | None:
    """The edits that replace `match`'s secret with a reference the client resolves, or None."""
    fix = _build_fix(match, source_text)
    if fix is not None and match.server is not None and aws_pair.is_aws_secret(match):
        fix = aws_pair.with_aws_key_id(match, fix, source_text)
    return None if fix is None or _keeps_secret(fix) else fix


def _keeps_secret(fix: Fix) -> bool:
    """True when an edit would write secret material again, in any form the output boundary knows
    (another letter case, base64, percent-encoded): a part of a value that only the matched part
    leaves (`$(printf '%s' '<base64>' | base64 -d)` fixed at `$(printf`) is no fix, and every output
    showing it would carry the encoded secret."""
    return any(find_leaks(edit.replacement) for edit in fix.edits)
