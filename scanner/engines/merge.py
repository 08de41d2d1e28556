"""Merge built-in and gitleaks matches: one match per secret value per location, built-in first."""

from __future__ import annotations

from collections.abc import Sequence

from scanner.engines.builtin import pair_aws
from scanner.engines.engine import SecretMatch


def _place(match: SecretMatch) -> tuple[str, str, str]:
    return (match.config.path, match.server.name if match.server is not None else "", match.field_name)


def merge(builtin: Sequence[SecretMatch], gitleaks: Sequence[SecretMatch]) -> list[SecretMatch]:
    """Built-in matches, plus gitleaks matches the built-in engine did not already report.

    A gitleaks match is a duplicate when a built-in match at the same place (file, server, field)
    has the same value hash, or when one value contains the other (gitleaks' generic rule often
    captures a slightly different extent of the same token). Gitleaks-only matches are kept.
    """
    merged = list(builtin)
    seen_hashes = {(_place(m), m.hash) for m in builtin}
    by_place: dict[tuple[str, str, str], list[SecretMatch]] = {}
    for match in builtin:
        by_place.setdefault(_place(match), []).append(match)
        # Gitleaks maps comment hits by line; the built-in engine by line too, so lines compare.
        by_place.setdefault((match.config.path, "", f"line:{match.location.line}"), []).append(match)
    for match in gitleaks:
        place = _place(match)
        if (place, match.hash) in seen_hashes:
            continue
        same_place = by_place.get(place, []) + by_place.get(
            (match.config.path, "", f"line:{match.location.line}"), [])
        if any(_overlaps(match.value, other.value) for other in same_place):
            continue
        seen_hashes.add((place, match.hash))
        by_place.setdefault(place, []).append(match)
        merged.append(match)
    # The AWS key id + secret pairing must hold across engines too (one finding per credential).
    return pair_aws(merged)


def _overlaps(left: str, right: str) -> bool:
    # gitleaks reads raw text, so a multi-line value comes back with JSON/TOML escapes ("\\n").
    left, right = _unescape(left), _unescape(right)
    return bool(left) and bool(right) and (left in right or right in left)


def _unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\r", "").replace("\r", "").replace('\\"', '"')
