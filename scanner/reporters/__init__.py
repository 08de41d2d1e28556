"""Output formats: REPORTERS is the single source of `--format` choices."""

from __future__ import annotations

import enum
import importlib
from typing import TYPE_CHECKING, Protocol

from scanner.output_guard import check_output

if TYPE_CHECKING:
    from scanner.pipeline import ScanResult


class OutputFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    MARKDOWN = "markdown"


class Reporter(Protocol):
    def __call__(self, result: ScanResult, *, color: bool = False) -> str: ...


# Module per format, imported on use so the scan path never loads Jinja2 for text/JSON output.
REPORTERS: dict[OutputFormat, str] = {
    OutputFormat.TEXT: "scanner.reporters.text",
    OutputFormat.JSON: "scanner.reporters.json",
    OutputFormat.SARIF: "scanner.reporters.sarif",
    OutputFormat.MARKDOWN: "scanner.reporters.markdown",
}


def render(fmt: OutputFormat | str, result: ScanResult, *, color: bool = False) -> str:
    """Render `result` in `fmt`."""
    module = importlib.import_module(REPORTERS[OutputFormat(fmt)])
    output: str = module.render(result, color=color)
    return check_output(output, f"the {OutputFormat(fmt).value} report")
