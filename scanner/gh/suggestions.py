"""One-click fixes as review suggestions, built without GitHub: which fixable findings get a
```suggestion block, on which lines, with which body.

Rules GitHub enforces (a 422 otherwise): a review comment sits on a right-side line of a diff hunk
of the file's `patch`; a multi-line comment has `start_line` in the same hunk, before `line`; a
review with one bad comment is rejected whole. So suggestions are built only for findings on an
ADDED line whose whole fix (every edit) lies inside one hunk. Every body starts with a hidden marker
carrying the finding's fingerprint (scanner.gh.review finds its own comments by it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scanner.findings import Finding
from scanner.fix.apply import apply_edits
from scanner.gh.comment import MAX_COMMENT_CHARS, utf16_len
from scanner.gh.head_lines import HeadLine
from scanner.markdown.escape import md_escape
from scanner.model import Category
from scanner.parsing import decode_text

MARKER_PREFIX = "<!-- mcp-guard:suggestion v1"
MARKER_RE = re.compile(r"^<!-- mcp-guard:suggestion v1 fp=([0-9a-f]{16,64})( resolved)? -->")
_HUNK_RE = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
# One review carries at most this many comments; the rest are in the sticky comment anyway.
MAX_SUGGESTIONS = 50

ReadHead = Callable[[str], bytes | None]
StillSecret = Callable[[str, str, int, int], bool]


def marker(fingerprint: str, resolved: bool = False) -> str:
    return f"{MARKER_PREFIX} fp={fingerprint}{' resolved' if resolved else ''} -->"


@dataclass(frozen=True, slots=True)
class Hunk:
    """Right-side (new file) lines of one `@@` hunk: all of them, and those the change added."""

    right: frozenset[int]
    added: frozenset[int]


def parse_patch(patch: str) -> list[Hunk]:
    """The hunks of a GitHub `patch` (unified diff of one file, without the ---/+++ header)."""
    hunks: list[Hunk] = []
    right: set[int] = set()
    added: set[int] = set()
    line = 0
    in_hunk = False
    for raw in patch.split("\n"):
        match = _HUNK_RE.match(raw)
        if match:
            if in_hunk:
                hunks.append(Hunk(frozenset(right), frozenset(added)))
            right, added, line, in_hunk = set(), set(), int(match.group(1)), True
            continue
        if not in_hunk or raw.startswith("\\"):  # "\ No newline at end of file"
            continue
        if raw.startswith("+"):
            right.add(line)
            added.add(line)
            line += 1
        elif raw.startswith(" ") or raw == "":
            if raw == "" and line == 0:
                continue
            right.add(line)
            line += 1
        # "-" lines exist on the left side only
    if in_hunk:
        hunks.append(Hunk(frozenset(right), frozenset(added)))
    return hunks


@dataclass(frozen=True, slots=True)
class Suggestion:
    path: str
    start_line: int
    line: int
    fingerprint: str
    body: str

    def as_review_comment(self) -> dict[str, Any]:
        comment: dict[str, Any] = {"path": self.path, "line": self.line, "side": "RIGHT", "body": self.body}
        if self.start_line < self.line:
            comment.update(start_line=self.start_line, start_side="RIGHT")
        return comment


def _fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in `text`."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _suggestion_body(finding: Finding, replacement: str) -> str:
    fence = _fence(replacement)
    # Messages and descriptions carry names from the scanned (PR-controlled) config: escaped.
    description = md_escape(finding.fix.description if finding.fix is not None else "fix")
    what = f"{finding.rule_id}: {md_escape(finding.message)}"
    rotate = (" Then rotate the exposed credential: it is in the git history of this branch."
              if finding.category is Category.SECRET else "")
    return (f"{marker(finding.fingerprint)}\n**mcp-guard** {what}\n\n"
            f"One-click fix: {description}.{rotate}\n\n"
            f"{fence}suggestion\n{replacement}{fence}\n")


def _fixed_segment(text: str, finding: Finding) -> tuple[int, int, str] | None:
    """(first line, last line, replacement lines) of `text` after the finding's fix, or None."""
    assert finding.fix is not None
    edits = finding.fix.edits
    if not edits or any(edit.file != finding.file for edit in edits):
        return None
    first = min(edit.start_line for edit in edits)
    last = max(edit.end_line for edit in edits)
    try:
        fixed = apply_edits(text, edits)
    except ValueError:
        return None
    old_lines, new_lines = text.split("\n"), fixed.split("\n")
    if last > len(old_lines):
        return None
    tail = len(old_lines) - last  # lines after the segment are untouched
    segment = new_lines[first - 1: len(new_lines) - tail]
    replacement = "".join(line.removesuffix("\r") + "\n" for line in segment)
    return first, last, replacement


@dataclass(frozen=True, slots=True)
class _Candidate:
    finding: Finding
    first: int
    last: int
    replacement: str
    shift: int = 0  # head file line = line read + shift (the judged merge's lines moved)

    @property
    def in_place(self) -> bool:
        """One edit inside one line that adds no line: it can be re-checked together with others."""
        edits = self.finding.fix.edits if self.finding.fix is not None else ()
        return len(edits) == 1 and edits[0].start_line == edits[0].end_line == self.first == self.last \
            and "\n" not in edits[0].replacement and "\r" not in edits[0].replacement


def _shift(to_head: HeadLine | None, path: str, first: int, last: int) -> int | None:
    """How far lines first..last of the text read move in the head file, when they are one run of it
    (the judged merge's lines as the head has them); None when some are not the head's."""
    if to_head is None:
        return 0
    start = to_head(path, first)
    if start is None or any(to_head(path, line) != start + line - first for line in range(first, last + 1)):
        return None
    return start - first


def build_suggestions(findings: Sequence[Finding], patches: Mapping[str, str], read_head: ReadHead,
                      still_secret: StillSecret, limit: int = MAX_SUGGESTIONS,
                      to_head: HeadLine | None = None) -> list[Suggestion]:
    """Suggestions for fixable findings on added lines whose fix lies inside one hunk (at most `limit`).

    `read_head` reads the text the findings' lines belong to; when that is not the head commit's (the
    judged merge), `to_head` gives each line's place in the head file (scanner.gh.head_lines), which
    is where a review comment sits: a fix whose lines are not one run of head lines is left out.

    `still_secret(path, fixed_text, first, last)` re-checks lines first..last of the fixed file:
    True (a secret is still there, e.g. a second one on the same line) drops the suggestion.
    Bounded work whatever the number of findings: each file is read and its patch parsed once, at
    most 2 x `limit` candidates are considered, and the in-place fixes of one file that share no line
    with another finding are re-checked in one fixed text (all of them applied: each one's lines are
    exactly what its own fix gives), so `still_secret` can scan that file once.
    """
    texts: dict[str, str | None] = {}
    hunks: dict[str, list[Hunk]] = {}
    lines_used: dict[tuple[str, int], int] = {}
    for finding in findings:
        lines_used[(finding.file, finding.line)] = lines_used.get((finding.file, finding.line), 0) + 1
    candidates: list[_Candidate] = []
    for finding in findings:
        if len(candidates) >= 2 * limit:
            break
        if finding.fix is None or finding.history_only or finding.file not in patches:
            continue
        if finding.file not in hunks:
            hunks[finding.file] = parse_patch(patches[finding.file])
        line = finding.line if to_head is None else to_head(finding.file, finding.line)
        hunk = next((h for h in hunks[finding.file] if line in h.added), None)
        if hunk is None:
            continue
        if finding.file not in texts:
            data = read_head(finding.file)
            texts[finding.file] = decode_text(data) if data is not None else None
        text = texts[finding.file]
        if text is None:
            continue
        segment = _fixed_segment(text, finding)
        if segment is None:
            continue
        first, last, replacement = segment
        shift = _shift(to_head, finding.file, first, last)
        if shift is None or any(line + shift not in hunk.right for line in range(first, last + 1)):
            continue  # part of the fix is outside the hunk: GitHub would reject the whole review
        candidates.append(_Candidate(finding, first, last, replacement, shift))
    together: dict[str, str] = {}  # path -> text with every batchable fix of that file applied
    batch: dict[str, list[_Candidate]] = {}
    for cand in candidates:
        if cand.in_place and lines_used[(cand.finding.file, cand.finding.line)] == 1:
            batch.setdefault(cand.finding.file, []).append(cand)
    for path, group in batch.items():
        text = texts[path]
        assert text is not None
        try:
            together[path] = apply_edits(text, [edit for c in group for edit in c.finding.fix.edits])  # type: ignore[union-attr]
        except ValueError:
            continue
    batched = {id(c) for path, group in batch.items() if path in together for c in group}
    fixed_texts: list[str] = []
    for cand in candidates:
        finding = cand.finding
        text = texts[finding.file]
        assert text is not None and finding.fix is not None
        fixed_texts.append(together[finding.file] if id(cand) in batched
                           else apply_edits(text, finding.fix.edits))
    prepare = getattr(still_secret, "prepare", None)
    if prepare is not None:  # let the re-check scan the fixed files of the first `limit` together
        prepare([(c.finding.file, fixed) for c, fixed in zip(candidates[:limit], fixed_texts, strict=False)])
    out: list[Suggestion] = []
    for cand, fixed in zip(candidates, fixed_texts, strict=True):
        if len(out) >= limit:
            break
        finding = cand.finding
        body = _suggestion_body(finding, cand.replacement)
        if utf16_len(body) >= MAX_COMMENT_CHARS:
            continue  # GitHub would reject this comment (422), and with it the whole review
        new_last = cand.first + cand.replacement.count("\n") - 1
        if still_secret(finding.file, fixed, cand.first, new_last):
            continue
        out.append(Suggestion(finding.file, cand.first + cand.shift, cand.last + cand.shift,
                              finding.fingerprint, body))
    return out
