"""Markdown report: the same Jinja2 templates (and escaping) as the PR comment."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from scanner.markdown.templates import render_markdown

if TYPE_CHECKING:
    from scanner.result import ScanResult


def render(result: ScanResult, *, color: bool = False, templates_dir: Path | None = None) -> str:
    """The report as GitHub-flavoured Markdown (`color` is ignored: Markdown has none)."""
    del color
    return render_markdown(result, templates_dir)
