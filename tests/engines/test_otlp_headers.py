"""OpenTelemetry exporter headers in one env value (`OTEL_EXPORTER_OTLP_HEADERS`, as Claude Code's
monitoring settings write it): each `key=value` pair is a header, judged as one. Values at run time."""

from __future__ import annotations

import base64
import json

import pytest

from scanner.engines.otlp import is_otlp_headers_name, otlp_header_pairs
from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_hex, fake_token


def _hits(value: str, name: str = "OTEL_EXPORTER_OTLP_HEADERS") -> list[str]:
    server = {"command": "npx", "args": ["-y", "some-mcp"], "env": {name: value}}
    return [m.secret_type for m in scan(mcp_json(json.dumps({"srv": server})))]


@pytest.mark.parametrize("value", [
    "api-key=" + fake_hex(40, 52),  # New Relic-style ingest key header
    "x-api-key=" + fake_token("", 32, seed=53),
    "x-honeycomb-team=" + fake_token("", 22, seed=54),
    "x-honeycomb-dataset=mcp,x-honeycomb-team=" + fake_token("", 22, seed=55),
    "signoz-ingestion-key=" + fake_token("", 32, seed=56),
    "dd-api-key=" + fake_hex(32, 57),
], ids=["api-key", "x-api-key", "honeycomb", "honeycomb-second", "signoz", "datadog"])
@pytest.mark.parametrize("name", ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
                                  "otel_exporter_otlp_logs_headers"])
def test_otlp_header_pairs_are_judged_as_headers(value: str, name: str) -> None:
    assert _hits(value, name) != []


@pytest.mark.parametrize("value", [
    "Authorization=Bearer your-siem-token", "Authorization=Bearer company-token", "x=y",
    "Authorization=SECRET", "x-honeycomb-dataset=mcp-server", "Authorization=Bearer ${OTEL_TOKEN}",
    "Authorization=Basic " + base64.b64encode(b"123456:glc_" + b"x" * 40).decode(),
])
def test_otlp_placeholders_stay_quiet(value: str) -> None:
    assert _hits(value) == []


def test_otlp_pairs_are_percent_decoded_and_bounded() -> None:
    assert otlp_header_pairs("Authorization=Bearer%20abc, x=,=y,k=v") == [("Authorization", "Bearer abc"),
                                                                         ("k", "v")]
    assert len(otlp_header_pairs(",".join(f"k{i}=v" for i in range(100)))) == 32
    assert is_otlp_headers_name("OTEL_EXPORTER_OTLP_METRICS_HEADERS")
    assert not is_otlp_headers_name("OTEL_EXPORTER_OTLP_ENDPOINT") and not is_otlp_headers_name("MCP_HEADERS")


def test_honeycomb_team_header_is_a_credential_name_but_a_team_setting_is_not() -> None:
    from scanner.names import is_sensitive_name

    assert is_sensitive_name("X-Honeycomb-Team") and is_sensitive_name("x-honeycomb-team")
    assert not is_sensitive_name("HONEYCOMB_TEAM") and not is_sensitive_name("X-Team")


# Claude Code `ANTHROPIC_CUSTOM_HEADERS` (corpus 12): `Name: Value` headers, one a line, in settings `env`.
@pytest.mark.parametrize("value", [
    "x-api-key: sk-" + fake_token("", 40, seed=1203),
    "Authorization: Bearer " + fake_token("", 40, seed=1204),
    "anthropic-beta: prompt-caching-2024-07-31\nx-gateway-key: " + fake_token("", 32, seed=1205),
], ids=["x-api-key", "bearer", "second-line"])
@pytest.mark.parametrize("name", ["ANTHROPIC_CUSTOM_HEADERS", "anthropicCustomHeaders"])
def test_custom_header_lines_are_judged_as_headers(value: str, name: str) -> None:
    assert _hits(value, name) != []


@pytest.mark.parametrize("value", [
    "x-api-key: your-gateway-key", "Authorization: Bearer ${GATEWAY_TOKEN}",
    "anthropic-beta: prompt-caching-2024-07-31", "x-team: platform-tools", "X-Client-Name: claude-code",
])
def test_custom_header_placeholders_stay_quiet(value: str) -> None:
    assert _hits(value, "ANTHROPIC_CUSTOM_HEADERS") == []
