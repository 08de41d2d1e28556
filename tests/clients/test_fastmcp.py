"""FastMCP's `fastmcp.json` (gofastmcp.com deployment/server-configuration; >=436 public repositories,
e.g. ClickHouse/mcp-clickhouse): `deployment.env` literals are the server's secrets, `${NAME}`
references and the rest of the file (source, uv environment, transport) stay quiet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.clients.discovery import classify_path
from scanner.model import Client, Transport
from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)


def _config(env: dict[str, str], transport: str = "http") -> str:
    return json.dumps({
        "$schema": "https://gofastmcp.com/public/schemas/fastmcp.json/v1.json",
        "source": {"type": "filesystem", "path": "src/server.py", "entrypoint": "mcp"},
        "environment": {"type": "uv", "python": ">=3.10", "dependencies": ["fastmcp>=2.12", "httpx"]},
        "deployment": {"transport": transport, "host": "0.0.0.0", "port": 3000, "path": "/mcp/",
                       "log_level": "INFO", "env": env},
    }, indent=2)


@pytest.mark.parametrize("path", ["fastmcp.json", "servers/weather/fastmcp.json", "prod.fastmcp.json",
                                  "fastmcp.http.json"])
def test_deployment_env_literals_are_found(path: str) -> None:
    pat, key = fake_token("ghp_", 36, 311), fake_token("", 40, 312)
    text = _config({"GITHUB_TOKEN": pat, "WEATHER_API_KEY": key, "API_URL": "https://api.example.com",
                    "DB_PASSWORD": "${DB_PASSWORD}"})
    result = scan_files({path: text.encode()}, _OPTIONS)
    found = sorted((f.server, f.field, f.client) for f in result.findings if f.rule_id.startswith("MCPG1"))
    assert found == [("src/server.py", "deployment.env.GITHUB_TOKEN", "fastmcp"),
                     ("src/server.py", "deployment.env.WEATHER_API_KEY", "fastmcp")]
    (server,) = result.configs[0].servers
    assert server.transport is Transport.HTTP and server.client is Client.FASTMCP


def test_references_and_plain_files_stay_quiet() -> None:
    text = _config({"API_KEY": "${API_KEY}", "TOKEN": "<your-token>", "MODE": "production"}, "stdio")
    result = scan_files({"fastmcp.json": text.encode()}, _OPTIONS)
    assert [f.field for f in result.findings if f.category == "secret"] == []
    minimal = json.dumps({"source": {"path": "server.py", "entrypoint": "mcp"},
                          "environment": {"dependencies": ["pandas"]}})
    assert scan_files({"fastmcp.json": minimal.encode()}, _OPTIONS).findings == []


def test_discovery() -> None:
    for path in ("fastmcp.json", "a/b/fastmcp.json", "dev.fastmcp.json"):
        candidate = classify_path(path)
        assert candidate is not None and candidate.hints == (Client.FASTMCP,), path
    assert classify_path("fastmcp.md") is None and classify_path("myfastmcp.json") is None
