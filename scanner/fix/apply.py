"""Applying TextEdits to text or a file (pure; the caller decides whether to write)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from scanner.findings import TextEdit
from scanner.parsing.positions import LineIndex


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """`text` with non-overlapping edits applied (insertions at one point keep their order)."""
    index = LineIndex(text)

    def offset(line: int, column: int) -> int:
        if line == index.line_count + 1 and column == 1:
            return len(text)
        if not 1 <= line <= index.line_count:
            raise ValueError("edit outside the file")
        return index.offset(line, column)

    spans = sorted(((offset(e.start_line, e.start_column), offset(e.end_line, e.end_column), i, e)
                    for i, e in enumerate(edits)), key=lambda s: (s[0], s[1], s[2]))
    out: list[str] = []
    pos = 0
    for start, end, _, edit in spans:
        if start < pos or end < start or end > len(text):
            raise ValueError("overlapping or malformed edits")
        out.append(text[pos:start])
        out.append(edit.replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def apply_fixes(path: Path, edits: Sequence[TextEdit]) -> str:
    """The content of `path` after `edits`; the caller decides whether to write it."""
    return apply_edits(path.read_text(encoding="utf-8"), edits)
