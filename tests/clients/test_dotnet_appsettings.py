"""MCP servers a .NET application declares in its `appsettings*.json` (real-config corpus 10: public
.NET MCP clients bind a `McpServers` section, `Servers` keyed by name with `Command`, `Args` /
`Arguments`, `Environment` / `EnvironmentVariables`, `Url`, `Headers`, in PascalCase as
`IConfiguration` binds case-insensitively). `appsettings*.json` was never read: only its MCP sections
are read now, and only when its text names one. Every secret is built at run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.clients.discovery import classify_path
from scanner.model import Client
from scanner.pipeline import scan_files
from scanner.result import ScanOptions, ScanResult
from tests.fakes import fake_token

GH = fake_token("ghp_", 36, seed=1201)
BEARER = fake_token("", 40, seed=1202)
PASSWORD = fake_token("", 24, seed=1203)


def scan(files: dict[str, str]) -> ScanResult:
    return scan_files({k: v.encode() for k, v in files.items()},
                      ScanOptions(root=Path("."), use_gitleaks=False, fail_on=None))


def secrets(result: ScanResult) -> set[tuple[str, str | None, str | None]]:
    return {(f.client, f.server, f.field) for f in result.findings if f.rule_id.startswith("MCPG1")}


APPSETTINGS = json.dumps({
    "Logging": {"LogLevel": {"Default": "Information"}},
    "ConnectionStrings": {"Default": f"Server=db.internal;User Id=app;Password={PASSWORD};"},
    "McpServers": {"Servers": {
        "github": {"Command": "npx", "Args": ["-y", "@modelcontextprotocol/server-github"],
                   "Environment": {"GITHUB_PERSONAL_ACCESS_TOKEN": GH}},
        "remote": {"Url": "https://mcp.example-tools.dev/mcp",
                   "Headers": {"Authorization": f"Bearer {BEARER}"}},
    }},
}, indent=2)


@pytest.mark.parametrize("path", ["appsettings.json", "src/Api/appsettings.Development.json",
                                  "appsettings.Production.json"])
def test_appsettings_names_are_dotnet_candidates(path: str) -> None:
    found = classify_path(path)
    assert found is not None and found.hints == (Client.DOTNET,) and found.generic


def test_appsettings_mcp_section_servers_env_and_headers() -> None:
    result = scan({"src/Api/appsettings.Development.json": APPSETTINGS})
    servers = {s.name: s for c in result.configs for s in c.servers}
    assert set(servers) == {"github", "remote"}
    assert servers["github"].command is not None and servers["github"].command.text == "npx"
    assert [a.text for a in servers["github"].args] == ["-y", "@modelcontextprotocol/server-github"]
    assert secrets(result) == {("dotnet", "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN"),
                               ("dotnet", "remote", "headers.Authorization")}


def test_appsettings_list_of_servers_with_arguments_and_environment_variables() -> None:
    text = json.dumps({"Mcp": {"Servers": [
        {"Name": "github", "Command": "npx", "Arguments": ["-y", "server-github"],
         "EnvironmentVariables": {"GITHUB_TOKEN": GH}}]}}, indent=2)
    result = scan({"appsettings.json": text})
    assert secrets(result) == {("dotnet", "github", "env.GITHUB_TOKEN")}


# --- lookalikes --------------------------------------------------------------------------------

def test_appsettings_without_mcp_section_is_not_read() -> None:
    text = json.dumps({"ConnectionStrings": {"Default": f"Server=db;Password={PASSWORD};"},
                       "Jwt": {"Key": GH}})
    result = scan({"appsettings.json": text})
    assert result.findings == [] and result.scanned_files == []


def test_appsettings_mcp_section_with_placeholders_and_references_is_quiet() -> None:
    text = json.dumps({"McpServers": {"Servers": {"github": {
        "Command": "npx", "Environment": {"GITHUB_TOKEN": "", "OTHER": "<your-token>",
                                          "THIRD": "${GITHUB_TOKEN}"}}}}})
    result = scan({"appsettings.json": text})
    assert [f for f in result.findings if f.rule_id.startswith("MCPG1")] == []


def test_mcp_word_inside_other_words_is_no_section() -> None:
    text = json.dumps({"Smcp": {"Command": "x", "Environment": {"K": GH}}, "Mcphub": {"Key": GH}})
    result = scan({"appsettings.json": text})
    assert result.findings == []
