"""`mcp-guard fix`: apply every finding's Fix, check the files still parse, show a redacted diff.

The diff is computed between two *display* texts in which every secret token is replaced by its
redacted form, so no raw value is ever printed; the files written to disk carry references only.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.findings import Finding, TextEdit
from scanner.fix.apply import apply_edits
from scanner.markdown.snippet import defang, masked_token, token_end
from scanner.model import FileFormat
from scanner.safe_write import UnsafeWriteError, write_text_safely

if TYPE_CHECKING:
    from scanner.result import ScanResult

_BOM = "\ufeff"
def _mask_edit(finding: Finding, lines: list[str]) -> TextEdit | None:
    """An edit replacing a secret finding's token by its redacted form (display only)."""
    if finding.redacted is None or not 1 <= finding.line <= len(lines):
        return None
    line = lines[finding.line - 1].rstrip("\r")
    start = finding.column - 1
    end = token_end(line, start)
    if not 0 <= start < end:
        return None
    main = finding.fix.edits[0] if finding.fix is not None and finding.fix.edits else None
    same = main is not None and (main.start_line, main.start_column, main.end_line, main.end_column) == (
        finding.line, start + 1, finding.line, end + 1)
    shown = masked_token(line[start:end], finding.redacted, main.replacement if main and same else None)
    return TextEdit(finding.file, finding.line, start + 1, finding.line, end + 1, shown)


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    a0, a1 = (a.start_line, a.start_column), (a.end_line, a.end_column)
    b0, b1 = (b.start_line, b.start_column), (b.end_line, b.end_column)
    if a0 == a1 and b0 == b1:
        return False  # two insertions at one point are applied in order
    return a0 < b1 and b0 < a1 or (a0 == a1 and b0 <= a0 < b1) or (b0 == b1 and a0 <= b0 < a1)


def _merge_inputs(edits: list[TextEdit]) -> list[TextEdit]:
    """Two fixes that each create a VS Code `"inputs"` key at one point become one key."""
    created = [e for e in edits if e.replacement.startswith('\n  "inputs": [')]
    if len(created) < 2:
        return edits
    # Each block is `\n  "inputs": [`, one entry a line (an AWS key pair's fix declares two), `\n  ],`.
    entries = [line.strip().removesuffix(",") for e in created for line in e.replacement.split("\n")[2:-1]]
    body = ",\n    ".join(dict.fromkeys(entries))
    merged = TextEdit(created[0].file, created[0].start_line, created[0].start_column, created[0].end_line,
                      created[0].end_column, f'\n  "inputs": [\n    {body}\n  ],')
    return [merged if e is created[0] else e for e in edits if e is created[0] or e not in created]


def _valid(text: str, fmt: FileFormat) -> bool:
    from scanner.errors import ParseError
    from scanner.parsing import parse_jsonc

    try:
        if fmt in (FileFormat.JSON, FileFormat.JSONC):
            parse_jsonc(text)
        elif fmt is FileFormat.TOML:
            import tomllib

            tomllib.loads(text)
        elif fmt is FileFormat.YAML:
            import yaml

            yaml.safe_load(text)
    except (ParseError, ValueError, RecursionError):
        return False
    except Exception:  # noqa: BLE001 - yaml raises its own hierarchy; any failure means "invalid"
        return False
    return True


def run_fix(result: ScanResult, root: Path, dry_run: bool) -> tuple[str, int]:
    """Apply the fixes of `result` under `root` (unless dry_run). Returns (redacted diff, edits)."""
    formats = {config.path: config.format for config in result.configs}
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_file[finding.file].append(finding)
    notes: list[str] = []
    chunks: list[str] = []
    count = 0
    for rel in sorted(by_file):
        findings = by_file[rel]
        accepted: list[TextEdit] = []
        for finding in findings:
            if finding.fix is None or finding.history_only:
                continue
            edits = [e for e in finding.fix.edits if e not in accepted]
            if any(_overlaps(e, a) for e in edits for a in accepted):
                notes.append(f"# {rel}:{finding.line}: {finding.rule_id} overlaps another fix; run again")
                continue
            accepted.extend(edits)
        if not accepted:
            continue
        path = root / rel
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            notes.append(f"# {rel}: could not be read; not changed")
            continue
        bom = _BOM if raw.startswith(_BOM) else ""
        text = raw[len(bom):]
        accepted = _merge_inputs(accepted)
        try:
            new_text = apply_edits(text, accepted)
        except ValueError:
            notes.append(f"# {rel}: the fixes no longer match the file; rescan and run again")
            continue
        if not _valid(new_text, formats.get(rel, FileFormat.JSON)):
            notes.append(f"# {rel}: the fixed file would not parse; not changed")
            continue
        lines = text.split("\n")
        # Several findings can sit on one value (a secret and its production-reuse finding):
        # mask each span once.
        masks: list[TextEdit] = []
        for mask in (_mask_edit(f, lines) for f in findings):
            if mask is not None and not any(_overlaps(mask, m) for m in masks):
                masks.append(mask)
        old_view = apply_edits(text, masks)
        new_masks = [m for m in masks if not any(_overlaps(m, a) for a in accepted)]
        new_view = apply_edits(text, accepted + new_masks)
        diff = difflib.unified_diff(old_view.splitlines(keepends=True), new_view.splitlines(keepends=True),
                                    f"a/{rel}", f"b/{rel}")
        chunks.append("".join(defang(line) if line[:1] in "+- " else line for line in diff))
        if not dry_run:
            try:
                write_text_safely(path, bom + new_text, root=root)
            except UnsafeWriteError:
                notes.append(f"# {rel}: is a symbolic link or lies outside the repository; not changed")
                chunks.pop()
                continue
        count += len(accepted)
    header = "\n".join(notes) + "\n" if notes else ""
    return header + "".join(chunks), count

