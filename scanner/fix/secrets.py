"""The fix of one secret match, what the secret rules get as `RuleContext.fix_for`: the reference in
the client's own syntax (scanner/fix/build.py), and for an AWS secret key its key id with it
(scanner/fix/aws_pair.py: the pair is one credential)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from scanner.findings import Fix
from scanner.fix import aws_pair
from scanner.fix.build import _build_fix

if TYPE_CHECKING:
    from scanner.engines.engine import SecretMatch


def fixer(sources: Mapping[str, str]) -> Callable[[SecretMatch], Fix | None]:
    """`RuleContext.fix_for` for one scan: build_fix against each config's decoded text."""
    return lambda match: build_fix(match, sources.get(match.config.path, ""))


def build_fix(match: SecretMatch, source_text: str) -> Fix | None:
    """The edits that replace `match`'s secret with a reference the client resolves, or None."""
    fix = _build_fix(match, source_text)
    if fix is None or match.server is None or not aws_pair.is_aws_secret(match):
        return fix
    return aws_pair.with_aws_key_id(match, fix, source_text)
