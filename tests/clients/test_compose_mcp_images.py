"""docker-compose services running an MCP server image or command, not only `docker/mcp-gateway`.
Shapes follow public repositories (services of `ghcr.io/github/github-mcp-server`, `mcp/postgres`,
`command: npx -y @modelcontextprotocol/server-...`, `environment:` as a map or a `- NAME=value`
list); every secret-shaped value is built at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.model import Client
from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)


def _scan(path: str, text: str) -> list[tuple[str, int, int, str | None, str]]:
    result = scan_files({path: text.encode()}, _OPTIONS)
    return sorted((f.rule_id, f.location.line, f.location.column, f.server, f.field) for f in result.findings
                  if f.rule_id.startswith("MCPG1"))


def _line_col(text: str, value: str) -> tuple[int, int]:
    before = text[: text.index(value)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


# --- docker-compose ---------------------------------------------------------------------------

_PAT = fake_token("ghp_", 36, 71)
_DB_PW = fake_token("", 20, 72)


def _compose(token_line: str) -> str:
    return f"""services:
  github:
    image: ghcr.io/github/github-mcp-server
    environment:
      {token_line}
  pg-mcp:
    image: mcp/postgres
    command: ["postgresql://app:{_DB_PW}@db.internal:5432/app"]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
"""


@pytest.mark.parametrize("token_line", [f"- GITHUB_PERSONAL_ACCESS_TOKEN={_PAT}",
                                        f"GITHUB_PERSONAL_ACCESS_TOKEN: {_PAT}",
                                        f'GITHUB_PERSONAL_ACCESS_TOKEN: "{_PAT}"'])
def test_compose_mcp_server_images_are_scanned(token_line: str) -> None:
    text = _compose(token_line)
    found = _scan("docker-compose.yml", text)
    line, col = _line_col(text, _PAT)
    col -= token_line.endswith('"')  # a quoted value's token starts at its quote
    assert ("MCPG101", line, col, "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN") in found
    assert any(rule == "MCPG103" and server == "pg-mcp" for rule, _l, _c, server, _f in found)
    assert all(server != "db" for _r, _l, _c, server, _f in found)  # not an MCP server


def test_compose_mcp_command_service_and_placeholders() -> None:
    token = fake_token("ghp_", 36, 73)
    text = f"""services:
  github:
    image: node:22
    command: npx -y @modelcontextprotocol/server-github
    environment:
      - GITHUB_PERSONAL_ACCESS_TOKEN={token}
  quiet:
    image: mcp/github
    environment:
      - GITHUB_PERSONAL_ACCESS_TOKEN=${{GITHUB_TOKEN}}
      - GITHUB_TOOLSETS=repos,issues
      - PASSTHROUGH
"""
    found = _scan("compose.yaml", text)
    assert found == [("MCPG101", *_line_col(text, token), "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN")]


def test_compose_without_mcp_services_stays_out() -> None:
    text = f"""services:
  web:
    image: mcpherson/shop:1
    environment:
      API_TOKEN: {fake_token("ghp_", 36, 74)}
"""
    from scanner.clients import parse_config
    from scanner.clients.discovery import classify_path

    candidate = classify_path("docker-compose.yml")
    assert candidate is not None and candidate.hints == (Client.DOCKER_MCP,)
    assert parse_config(candidate, text.encode()) is None


@pytest.mark.parametrize("entrypoint", ['["npx", "-y", "@modelcontextprotocol/server-github"]',
                                        "npx -y @modelcontextprotocol/server-github",
                                        '["uvx", "mcp-server-fetch"]'])
def test_compose_service_started_by_its_entrypoint(entrypoint: str) -> None:
    key = fake_token("", 40, 75)
    text = f"""services:
  agent-tools:
    image: node:22-alpine
    entrypoint: {entrypoint}
    environment:
      GITHUB_PERSONAL_ACCESS_TOKEN: {key}
      GITHUB_TOOLSETS: repos
  web:
    image: node:22-alpine
    entrypoint: ["node", "server.js"]
    environment:
      SESSION_SECRET: ${{SESSION_SECRET}}
"""
    found = _scan("docker-compose.yml", text)
    assert found == [("MCPG101", *_line_col(text, key), "agent-tools", "env.GITHUB_PERSONAL_ACCESS_TOKEN")]


# A service built from the repository (`build: .`) or from an image whose name runs the words together
# (`coolifymcp`), named as an MCP server by its service key or `container_name` (`coolify-mcp`,
# `supabase-mcp-sf`; seen in docker-compose.mcp.yml files): its environment was never searched.
@pytest.mark.parametrize(("service", "body"), [
    ("coolify-mcp", "    image: ghcr.io/howieduhzit/coolifymcp:latest\n"),
    ("supabase", "    build: .\n    container_name: supabase-mcp-sf\n"),
    ("jenkins-mcp-enterprise-server", "    build:\n      context: .\n"),
])
def test_compose_service_named_as_mcp_server_is_scanned(service: str, body: str) -> None:
    token = fake_token("ghp_", 36, 74)
    text = (f"services:\n  {service}:\n{body}    environment:\n"
            f"      - GITHUB_PERSONAL_ACCESS_TOKEN={token}\n      - PORT=3000\n"
            "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n")
    found = _scan("docker-compose.mcp.yml", text)
    assert any(rule == "MCPG101" and server == service for rule, _l, _c, server, _f in found)
    assert all(server != "db" for _r, _l, _c, server, _f in found)


def test_compose_services_not_named_as_mcp_servers_stay_out() -> None:
    token = fake_token("ghp_", 36, 75)
    text = (f"services:\n  web:\n    build: .\n    container_name: shop-web\n    environment:\n"
            f"      - GITHUB_PERSONAL_ACCESS_TOKEN={token}\n")
    assert _scan("docker-compose.yml", text) == []
