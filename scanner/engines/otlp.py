"""OpenTelemetry exporter headers written as one value: `OTEL_EXPORTER_OTLP_HEADERS` (and its
`_TRACES_` / `_METRICS_` / `_LOGS_` forms) holds `key=value` pairs separated by commas, values
percent-encoded (OpenTelemetry SDK environment specification). Claude Code's monitoring settings put
it in `env` (`"Authorization=Bearer …"`, Grafana Cloud's `Authorization=Basic …`, Honeycomb's
`x-honeycomb-team=…`); each pair is a header the exporter sends, judged as one.

Claude Code's `ANTHROPIC_CUSTOM_HEADERS` (and any other `*_CUSTOM_HEADERS`) holds `Name: Value`
headers one a line (Claude Code settings docs: gateways' `x-api-key: …`, `Authorization: Bearer …`):
each line is a header the client sends, judged the same way (`header_pairs`).
"""

from __future__ import annotations

from urllib.parse import unquote

from scanner.names import name_parts

_MAX_PAIRS = 32


def is_otlp_headers_name(name: str | None) -> bool:
    """True for OTEL_EXPORTER_OTLP_HEADERS and its per-signal forms (any case or separators)."""
    if not name:
        return False
    parts = name_parts(name)
    return len(parts) >= 2 and parts[-1] == "HEADERS" and "OTLP" in parts


def otlp_header_pairs(text: str) -> list[tuple[str, str]]:
    """The (header, value) pairs of an OTLP headers value; values percent-decoded, empty ones dropped."""
    pairs: list[tuple[str, str]] = []
    for item in text.split(",")[:_MAX_PAIRS]:
        key, sep, value = item.partition("=")
        key, value = key.strip(), unquote(value.strip())
        if sep and key and value:
            pairs.append((key, value))
    return pairs


def _is_custom_headers_name(name: str) -> bool:
    if name.isascii() and "headers" not in name.lower():
        return False  # the parts of an ASCII name are runs of its own characters, upper-cased
    parts = name_parts(name)
    return len(parts) >= 2 and parts[-2:] == ["CUSTOM", "HEADERS"]


def header_pairs(name: str | None, text: str) -> list[tuple[str, str]]:
    """The (header, value) pairs an env value of headers holds: OTLP `k=v,k=v` under an OTLP headers
    name, `Name: Value` lines under a `*_CUSTOM_HEADERS` name; [] for any other name or text."""
    if not name:
        return []
    if "=" in text and is_otlp_headers_name(name):
        return otlp_header_pairs(text)
    if ":" not in text or not _is_custom_headers_name(name):
        return []
    pairs: list[tuple[str, str]] = []
    for line in text.replace("\r", "\n").split("\n")[:_MAX_PAIRS]:
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if sep and key and value and " " not in key:
            pairs.append((key, value))
    return pairs
