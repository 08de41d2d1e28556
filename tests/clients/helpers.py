"""Fixture loading for client tests: @@NAME@@ placeholders become deterministic fake secrets."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from scanner.clients import parse_config
from scanner.clients.discovery import classify_path
from scanner.model import FieldValue, McpConfig, ServerEntry
from scanner.pipeline import scan_files
from scanner.result import ScanOptions, ScanResult
from tests.fakes import fake_token

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "clients"

# Secret shapes per placeholder name (prefix, random length); anything else is 32 alphanumerics.
SHAPES: dict[str, tuple[str, int]] = {
    "GITHUB_PAT": ("ghp_", 36),
    "SLACK_BOT": ("xoxb-", 40),
    "OPENAI_KEY": ("sk-proj-", 48),
    "STRIPE_KEY": ("sk_live_", 24),
    "SUPABASE_PAT": ("sbp_", 40),
    "FIGMA_KEY": ("figd_", 40),
    "TAVILY_KEY": ("tvly-", 32),
    "ANTHROPIC_KEY": ("sk-ant-api03-", 80),
    "HF_TOKEN": ("hf_", 34),
}
_PLACEHOLDER = re.compile(r"@@([A-Z0-9_]+)@@")


def secret(name: str) -> str:
    """The fake value a placeholder is filled with."""
    prefix, length = SHAPES.get(name, ("", 32))
    return fake_token(prefix, length, zlib.crc32(name.encode()))


def fill(text: str) -> str:
    return _PLACEHOLDER.sub(lambda m: secret(m.group(1)), text)


def load(fixture: str, rel_path: str) -> tuple[McpConfig | None, str]:
    """Parse fixture file `fixture` as if it were at `rel_path` in a repository; returns the config
    and the filled text."""
    text = fill((FIXTURES / fixture).read_text(encoding="utf-8"))
    candidate = classify_path(rel_path)
    assert candidate is not None, rel_path
    return parse_config(candidate, text.encode("utf-8")), text


def server(config: McpConfig | None, name: str) -> ServerEntry:
    assert config is not None
    matches = [s for s in config.servers if s.name == name]
    assert len(matches) == 1, [s.name for s in config.servers]
    return matches[0]


def value(entry: ServerEntry, field: str) -> FieldValue:
    matches = [v for v in entry.values if v.field == field]
    assert len(matches) == 1, [v.field for v in entry.values]
    return matches[0]


def file_value(config: McpConfig | None, field: str) -> FieldValue:
    assert config is not None
    matches = [v for v in config.file_values if v.field == field]
    assert len(matches) == 1, [v.field for v in config.file_values]
    return matches[0]


def token_at(text: str, fv: FieldValue) -> str:
    """The source text between a value's start and end position (must be on one line)."""
    assert fv.location.line == fv.end_line
    line = text.splitlines()[fv.location.line - 1]
    return line[fv.location.column - 1:fv.end_column - 1]


def scan_text(path: str, text: str) -> ScanResult:
    """A scan (built-in engine only) of a tree holding `text` at `path` alone."""
    return scan_files({path: text.encode()}, ScanOptions(root=Path("."), use_gitleaks=False))


def line_of(text: str, needle: str) -> int:
    """The number of the first line of `text` holding `needle`."""
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)
