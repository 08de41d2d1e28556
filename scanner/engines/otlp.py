"""OpenTelemetry exporter headers written as one value: `OTEL_EXPORTER_OTLP_HEADERS` (and its
`_TRACES_` / `_METRICS_` / `_LOGS_` forms) holds `key=value` pairs separated by commas, values
percent-encoded (OpenTelemetry SDK environment specification). Claude Code's monitoring settings put
it in `env` (`"Authorization=Bearer …"`, Grafana Cloud's `Authorization=Basic …`, Honeycomb's
`x-honeycomb-team=…`); each pair is a header the exporter sends, judged as one.
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
