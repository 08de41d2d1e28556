"""Test values seen beside real keys in public MCP configs and their tests (corpus realsample14):
a key prefix and one short word (`ctx7sk-env`, `fc-abc123`, `tvly-dev`) and a JOSE header with one
more part and no signature (`eyJhbGciOiJIUzI1NiJ9.abc`) are no credentials; the real keys of the
same prefixes, whole JWTs and a password under a password name stay findings. Every value is built
at run time."""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path

import pytest

from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_hex, fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_URLSAFE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"


def _b64(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).rstrip(b"=").decode()


def _blocking(name: str, value: str) -> list[str | None]:
    server = {"command": "npx", "args": ["-y", "x-mcp"], "env": {name: value}}
    text = json.dumps({"mcpServers": {"s": server}})
    result = scan_files({".cursor/mcp.json": text.encode()}, _OPTIONS)
    return [f.secret_type for f in result.findings if f.category.value == "secret" and f.blocking]


_HEADER = _b64({"alg": "HS256", "typ": "JWT"})


@pytest.mark.parametrize("name, value", [
    ("CONTEXT7_API_KEY", "ctx7sk-" + "env"),
    ("FIRECRAWL_API_KEY", "fc-" + "abc" + "123"),
    ("TAVILY_API_KEY", "tvly-" + "dev"),
    ("OPENAI_API_KEY", "sk-" + "proj"),
    ("N8N_API_KEY", _b64({"alg": "HS256"}) + ".abc"),
    ("N8N_API_KEY", _HEADER + "." + _b64({"sub": "x"})),
])
def test_test_values_pass(name: str, value: str) -> None:
    assert _blocking(name, value) == []


@pytest.mark.parametrize("name, value", [
    ("CONTEXT7_API_KEY", "ctx7sk-" + str(uuid.UUID(fake_hex(32, 1)))),
    ("FIRECRAWL_API_KEY", "fc-" + fake_hex(32, 2)),
    ("TAVILY_API_KEY", "tvly-dev-" + fake_token("", 32, 3)),
    ("N8N_API_KEY", _HEADER + "." + _b64({"sub": str(uuid.UUID(fake_hex(32, 4))), "iss": "n8n"}) + "."
     + fake_token("", 43, 5, _URLSAFE)),
    # two parts whose first is no JOSE header (a base64 JSON blob and a random tail): judged as before
    ("SERVICE_TOKEN", _b64({"k": fake_token("", 32, 6)}) + "." + fake_token("", 24, 7)),
    ("DB_PASSWORD", "Admin-pass" + "12"),
])
def test_real_shapes_of_the_same_prefixes_are_found(name: str, value: str) -> None:
    assert _blocking(name, value) != []
