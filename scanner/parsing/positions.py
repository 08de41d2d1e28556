"""Offset -> (line, column) mapping shared by the parsers (1-based, columns in codepoints)."""

from __future__ import annotations

from bisect import bisect_right


class LineIndex:
    """Maps a codepoint offset in `text` to a 1-based (line, column); only `\\n` ends a line.

    NOTE: CRLF needs no special case: the `\\r` is the last character of its line, exactly as
    gitleaks and editors count it.
    """

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) of the character at `offset` (or of the end, for offset == len)."""
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        """Inverse of position() for a line that exists."""
        return self._starts[line - 1] + column - 1

    @property
    def starts(self) -> list[int]:
        """Offset of the first character of each line (line 1 at index 0); do not modify."""
        return self._starts

    @property
    def line_count(self) -> int:
        return len(self._starts)


def indent_of(line: str) -> int:
    """The number of spaces a line starts with (YAML indentation: tabs are not indentation)."""
    return len(line) - len(line.lstrip(" "))
