"""Human-readable text report (colour only when asked, i.e. on a TTY)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scanner.model import NOT_PROBED, Severity

if TYPE_CHECKING:
    from scanner.result import ScanResult

_COLORS = {Severity.CRITICAL: "\033[1;31m", Severity.HIGH: "\033[31m",
           Severity.MEDIUM: "\033[33m", Severity.LOW: "\033[36m"}
_RESET = "\033[0m"
_DIM = "\033[2m"


def _clean(text: str) -> str:
    """Terminal-safe: file and server names come from the scanned repository."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def render(result: ScanResult, *, color: bool = False) -> str:
    lines: list[str] = []
    for f in result.findings:
        sev = f.severity.label.upper()
        if color:
            sev = f"{_COLORS[f.severity]}{sev}{_RESET}"
        where = f"{_clean(f.file)}:{f.line}:{f.column}"
        target = _clean(f"{f.server}/{f.field}" if f.server else f.field)
        secret = f" ({_clean(f.redacted)})" if f.redacted else ""
        history = " [removed from the tree, still in git history]" if f.history_only else ""
        block = " BLOCKING" if f.blocking else ""
        lines.append(f"{where}  {sev}{block}  {f.rule_id}  {target}{secret}{history}")
        detail = f"    {_clean(f.message)}  [{f.client}, env: {f.environment.value}]"
        lines.append(f"{_DIM}{detail}{_RESET}" if color else detail)
        if f.evidence:
            lines.append(f"    why: {_clean('; '.join(f.evidence))}")
    s = result.summary()
    if lines:
        lines.append("")
    lines.append(
        f"{s['files']} MCP config file(s), {s['servers']} server(s), {s['findings']} finding(s), "
        f"{s['blocking']} blocking" + (f", {result.suppressed} suppressed" if result.suppressed else "")
        + f" [engines: {', '.join(result.engines)}]"
    )
    if result.skipped:
        lines.append(skipped_notice(result))
    if not result.complete:
        lines.append("scan INCOMPLETE: some files could not be scanned (see errors)")
    return "\n".join(lines) + "\n"


def skipped_notice(result: ScanResult) -> str:
    """One line: how many MCP-config-looking files were left out, why, and how to include them."""
    reasons: dict[str, int] = {}
    for entry in result.skipped:
        reasons[entry.reason] = reasons.get(entry.reason, 0) + 1
    why = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
    first = _clean(result.skipped[0].path)
    more = f" ({first}{', ...' if len(result.skipped) > 1 else ''})"
    hints = [*(["use --all-files (or name the path) to scan them"]
               if any(not entry.reason.startswith(NOT_PROBED) for entry in result.skipped) else []),
             *(["raise --max-file-size to probe them"]
               if any(entry.reason.startswith(NOT_PROBED) for entry in result.skipped) else [])]
    return f"note: {len(result.skipped)} MCP config file(s) not scanned{more}: {why}; {'; '.join(hints)}"
