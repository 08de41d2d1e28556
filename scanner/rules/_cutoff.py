"""What a rule may leave out once a file is past its limit of detailed findings (scanner/detail_budget.py).

`cap_findings` keeps, per config file, the findings before the file's cut-off and at most `limit` of
them, in report order; `_dedupe` (pipeline.py) first keeps one finding per fingerprint. So a finding
is dropped for sure when it lies at or after the engines' cut-off of its file and no finding with its
fingerprint lies before it: the one `_dedupe` keeps then lies there too. Without (or before) that
cut-off: with U the last position of each fingerprint's findings (where the kept one lies at the
latest), the (limit+1)-th smallest U, B, has `limit` + 1 kept findings at or before it, so the cap's
cut-off, the (limit+1)-th kept finding (its position starts MCPG106 and the digest of the rest), lies
at or before B: a finding after B whose fingerprint has none at or before B changes nothing. Pure:
positions and keys in, a list out.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Position = tuple[int, int]  # (line, column), as cap_findings compares them


def kept_items(items: Sequence[Item], where: Callable[[Item], tuple[str, Position]],
               key: Callable[[Item], Hashable], cutoffs: Mapping[str, Position], limit: int,
               own_paths: Collection[str]) -> list[Item]:
    """`items` (each one finding to be) without those whose finding the cap would drop: `where` gives
    an item's file and position, `key` what its fingerprint is made of."""
    if limit <= 0 or not items:
        return list(items)
    # Each key's latest place; None when its findings lie in more than one file or in one the cap
    # leaves alone (not a config's own file): the one kept may then be anywhere.
    last: dict[Hashable, tuple[str, Position] | None] = {}
    places = [where(item) for item in items]
    keys = [key(item) for item in items]
    for (path, position), name in zip(places, keys, strict=True):
        if name in last:
            seen = last[name]
            if seen is not None and (seen[0] != path or seen[1] < position):
                last[name] = (path, position) if seen[0] == path else None
        else:
            last[name] = (path, position) if path in own_paths else None
    by_path: dict[str, list[Position]] = {}
    for place in last.values():
        if place is not None:
            engine_cut = cutoffs.get(place[0])
            if engine_cut is None or place[1] < engine_cut:
                by_path.setdefault(place[0], []).append(place[1])
    last_kept: dict[str, Position] = {}  # the cap's (limit+1)-th finding lies at or before this
    for path, positions in by_path.items():
        if len(positions) > limit:
            positions.sort()
            last_kept[path] = positions[limit]
    if not cutoffs and not last_kept:
        return list(items)

    def early(path: str, position: Position) -> bool:
        if path not in own_paths:
            return True
        cut, bound = cutoffs.get(path), last_kept.get(path)
        return (cut is None or position < cut) and (bound is None or position <= bound)

    flags = [early(path, position) for path, position in places]
    early_keys = {name for name, flag in zip(keys, flags, strict=True) if flag}
    return [item for item, flag, name in zip(items, flags, keys, strict=True) if flag or name in early_keys]
