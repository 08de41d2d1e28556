"""The pure pieces of the output boundary (scanner/output_guard.py): a value's fixed-size pieces, their
folded form, the index of short values, and the masking of a leaked stretch. No registry state here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

PIECE = 12
# find_leaks reads every fourth position of a run and tests a 12-character piece only where the
# GRAM characters there are a piece of some secret (any piece holds such a gram at an offset 0..3).
GRAM = 8
SHORT_GRAM = 4
# Values shorter than PIECE are matched whole, but only from this length on: shorter ones are too
# likely to occur as ordinary words (and are fully masked in every redacted form anyway).
MIN_WHOLE = 8


def folded_pieces(pieces: Iterable[str]) -> set[str]:
    """`fold` of every piece, and every PIECE-character piece of that (a non-ASCII lower case may be
    longer). `fold` maps each ASCII character alone, so the ASCII pieces are folded as one string
    and cut again every PIECE characters (one regex pass, not one per piece: 150,000 for 1,000)."""
    pieces = list(pieces)
    joined = "".join(pieces)
    other = [] if joined.isascii() else [piece for piece in pieces if not piece.isascii()]
    if other:
        joined = "".join(piece for piece in pieces if piece.isascii())
    joined = fold(joined)
    out = set(map(joined.__getitem__, map(slice, range(0, len(joined), PIECE),
                                          range(PIECE, len(joined) + 1, PIECE))))
    for piece in other:
        folded = fold(piece)
        out.add(folded)
        out.update(windows(folded, PIECE))
    return out


def windows(text: str, size: int) -> Iterator[str]:
    """Every `size`-character piece of `text`, in order (sliced in C: a registration makes ~300)."""
    return map(text.__getitem__, map(slice, range(len(text) - size + 1), range(size, len(text) + 1)))


class ShortIndex:
    """Short values (MIN_WHOLE..PIECE-1 characters) by SHORT_GRAM-character pieces at offsets 0..3.

    An occurrence at i holds the position p = the multiple of 4 in [i, i+3], and text[p:p+4] is the
    value's piece at offset p - i: so `find_leaks` reads every fourth position of a run and tests a
    start only where that piece belongs to some value there (then by head and by length: bounded
    work per position whatever values share a head)."""

    def __init__(self, values: set[str]) -> None:
        chars = "".join(sorted({char for value in values for char in value}))
        self.runs = re.compile(f"[{re.escape(chars)}]{{{MIN_WHOLE},}}")
        offsets: dict[str, set[int]] = {}
        for value in values:
            for offset in range(4):
                offsets.setdefault(value[offset:offset + SHORT_GRAM], set()).add(offset)
        self.offsets = {gram: tuple(sorted(found)) for gram, found in offsets.items()}
        self.heads = {value[:MIN_WHOLE] for value in values}
        self.lengths = tuple(sorted({len(value) for value in values}))
        self.values = values


_NOT_ALNUM = re.compile(r"[^0-9a-z]")


def fold(text: str) -> str:
    """Lower case, every other character than a letter or digit `_` (same length): the form a name
    made from `text` keeps (`env_name` upper-cases and turns punctuation into `_`)."""
    return _NOT_ALNUM.sub("_", text.lower())


def open_escape(text: str, start: int, end: int) -> bool:
    """True when text[start:end] ends with the backslash of an escape pair (an odd run of them)."""
    run = 0
    while end - run - 1 >= start and text[end - run - 1] == "\\":
        run += 1
    return run % 2 == 1


def mask(segment: str) -> str:
    """Stars for `segment`, keeping its unescaped double quotes: a leak found across a JSON string's
    closing quote (a value's piece ending in `"`, such as `_SECRET_KEY"`, beside the field
    `env.X_SECRET_KEY`) must not take the quote with it, or the report no longer parses. A quote is no
    secret material, and every other character is still masked. Escape pairs become two stars."""
    out: list[str] = []
    i = 0
    while i < len(segment):
        if segment[i] == "\\" and i + 1 < len(segment):
            out.append("**")
            i += 2
            continue
        out.append('"' if segment[i] == '"' else "*")
        i += 1
    return "".join(out)
