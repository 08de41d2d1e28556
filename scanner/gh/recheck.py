"""The re-check of suggested lines: a suggestion that would still carry a secret is never posted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from scanner.gh.suggestions import StillSecret
from scanner.model import Category


class _BuiltinRecheck:
    """`StillSecret` with the built-in detectors (no gitleaks start per suggestion), plus every secret
    value the run found (registered with the output guard), whichever engine found it. `prepare`
    scans many fixed files in one pass (one text per path and pass), so suggestions in 50 files cost
    one scan, not 50."""

    def __init__(self, root: Path) -> None:
        from scanner.result import ScanOptions

        self._options = ScanOptions(root=root, use_gitleaks=False, fail_on=None)
        self._found: dict[tuple[str, str], tuple[bool, list[int]]] = {}  # -> (complete, secret lines)

    def prepare(self, texts: Sequence[tuple[str, str]]) -> None:
        todo = list(dict.fromkeys(key for key in texts if key not in self._found))
        while todo:
            batch: dict[str, str] = {}
            rest: list[tuple[str, str]] = []
            for path, text in todo:
                if path in batch:
                    rest.append((path, text))
                else:
                    batch[path] = text
            self._scan(batch)
            todo = rest

    def _scan(self, batch: Mapping[str, str]) -> None:
        from scanner.pipeline import scan_files

        result = scan_files({path: text.encode("utf-8") for path, text in batch.items()}, self._options)
        # A fatal error counts against every file unless it names another file of this batch.
        fatal = {e.path for e in result.errors if e.fatal}
        for path, text in batch.items():
            complete = result.complete or (fatal <= set(batch) and path not in fatal)
            lines = [f.line for f in result.findings if f.category is Category.SECRET and f.file == path]
            self._found[(path, text)] = (complete, lines)

    def __call__(self, path: str, fixed_text: str, first: int, last: int) -> bool:
        from scanner.output_guard import find_leaks

        # Any secret of this run (gitleaks' too, which the built-in detectors may not know) left in
        # the suggested lines: such a suggestion must not be posted.
        if find_leaks("\n".join(fixed_text.splitlines()[max(first - 1, 0):last])):
            return True
        if (path, fixed_text) not in self._found:
            if len(self._found) >= 256:  # bounded memory: texts of earlier passes are dropped
                self._found.clear()
            self._scan({path: fixed_text})
        complete, lines = self._found[(path, fixed_text)]
        return not complete or any(first <= line <= last for line in lines)


def builtin_still_secret(root: Path) -> StillSecret:
    """The Action's re-check of suggested lines (see _BuiltinRecheck)."""
    return _BuiltinRecheck(root)
