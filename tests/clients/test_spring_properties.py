"""Spring AI's MCP client in Spring Boot `application*.properties` (docs.spring.io spring-ai
mcp-client-boot-starter-docs: `spring.ai.mcp.client.stdio.connections.<name>.command / args[i] /
env.<NAME>`, `sse` / `streamable-http` `.connections.<name>.url`), read with the Java properties
grammar (scanner/parsing/properties.py). Secret-shaped values are built at run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.clients.discovery import classify_path
from scanner.model import Client, Environment
from scanner.parsing import parse_properties
from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_PAT = fake_token("ghp_", 36, 951)
_KEY = fake_token("", 40, 952)
_PATH = "src/main/resources/application.properties"
_PREFIX = "spring.ai.mcp.client"


def _found(files: dict[str, str]) -> list[tuple[str, int, int, str, Environment]]:
    result = scan_files({path: text.encode() for path, text in files.items()}, _OPTIONS)
    assert result.complete
    return sorted((f.location.path, f.location.line, f.location.column, f.field, f.environment)
                  for f in result.findings if f.rule_id == "MCPG101")


def _stdio(env_line: str) -> str:
    return ("spring.application.name=agent\n"
            f"{_PREFIX}.stdio.connections.github.command=npx\n"
            f"{_PREFIX}.stdio.connections.github.args[0]=-y\n"
            f"{_PREFIX}.stdio.connections.github.args[1]=@modelcontextprotocol/server-github\n" + env_line)


@pytest.mark.parametrize("path", ["application.properties", _PATH, "config/application-prod.properties",
                                  "src/main/resources/bootstrap.properties"])
def test_spring_properties_are_candidates(path: str) -> None:
    candidate = classify_path(path)
    assert candidate is not None and candidate.hints[0] is Client.SPRING_AI


@pytest.mark.parametrize("separator", ["=", " = ", ":", " "])
def test_stdio_env_literal_is_a_server_value(separator: str) -> None:
    line = f"{_PREFIX}.stdio.connections.github.env.GITHUB_PERSONAL_ACCESS_TOKEN{separator}{_PAT}\n"
    text = _stdio(line)
    column = line.index(_PAT) + 1
    expected = [(_PATH, 5, column, "env.GITHUB_PERSONAL_ACCESS_TOKEN", Environment.UNKNOWN)]
    assert _found({_PATH: text}) == expected
    result = scan_files({_PATH: text.encode()}, _OPTIONS)
    server = next(s for c in result.configs for s in c.servers)
    assert server.client is Client.SPRING_AI
    assert [fv.text for fv in server.args] == ["-y", "@modelcontextprotocol/server-github"]


def test_sse_url_key_and_profile_file_is_production() -> None:
    text = f"{_PREFIX}.sse.connections.remote.url=https://mcp.acme.example/sse?api_key={_KEY}\n"
    path = "src/main/resources/application-prod.properties"
    assert _found({path: text}) == [(path, 1, text.index("https") + 1, "url", Environment.PROD)]


def test_escaped_and_continued_values_are_read_as_spring_reads_them() -> None:
    # `\u0067` is `g`; a trailing backslash continues the value on the next line (its blanks dropped)
    escaped = "\\u0067" + _PAT[1:20] + "\\\n      " + _PAT[20:]
    text = _stdio(f"{_PREFIX}.stdio.connections.github.env.GITHUB_TOKEN={escaped}\n")
    assert [found[1:2] + found[3:4] for found in _found({_PATH: text})] == [(5, "env.GITHUB_TOKEN")]


# --- precision ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["${GITHUB_TOKEN}", "${GITHUB_TOKEN:}", "${GH_TOKEN:${GITHUB_TOKEN}}",
                                   "your-github-token", ""])
def test_references_and_placeholders_pass(value: str) -> None:
    text = _stdio(f"{_PREFIX}.stdio.connections.github.env.GITHUB_TOKEN={value}\n")
    assert _found({_PATH: text}) == []


def test_a_spring_placeholder_default_is_judged() -> None:
    text = _stdio(f"{_PREFIX}.stdio.connections.github.env.GITHUB_TOKEN=${{GITHUB_TOKEN:{_PAT}}}\n")
    assert [found[1] for found in _found({_PATH: text})] == [5]


def test_comments_and_files_without_mcp_are_not_read() -> None:
    commented = _stdio(f"# {_PREFIX}.stdio.connections.github.env.GITHUB_TOKEN={_PAT}\n"
                       f"! {_PREFIX}.stdio.connections.github.env.OTHER={_PAT}\n")
    assert _found({_PATH: commented}) == []
    plain = f"spring.datasource.url=jdbc:postgresql://db/app\nspring.datasource.password={_KEY}\n"
    assert _found({_PATH: plain}) == []
    # any `*.properties` may be one Spring loads (`spring.config.import`): a candidate whose text must
    # name `spring.ai.mcp` before it is read
    assert classify_path("src/main/resources/messages.properties") is not None
    assert _found({"src/main/resources/messages.properties": plain}) == []


def test_properties_grammar() -> None:
    text = ("# comment\n  ! also\nkey\\ with\\:colon = v\\tx\na.b[1] = two\na.b[0]=one\n"
            "long = first \\\n    second\nempty=\n")
    root = parse_properties(text)
    assert root.get("key with:colon") is not None and root.get("key with:colon").value == "v\tx"
    items = root.get("a").get("b").items
    assert [item.value for item in items] == ["one", "two"]
    long = root.get("long")
    assert (long.value, long.line, long.column, long.end_line) == ("first second", 6, 8, 7)
    assert root.get("empty").value == ""


@pytest.mark.parametrize(("properties", "location", "servers"), [
    ("src/main/resources/application.properties", "classpath:agent-tools.json",
     "src/main/resources/agent-tools.json"),
    ("app/src/main/resources/application.properties", "classpath:/config/agent-tools.json",
     "app/src/main/resources/config/agent-tools.json"),
    ("src/main/resources/application.properties", "file:ops/agent-tools.json", "ops/agent-tools.json"),
])
def test_servers_configuration_file_is_read_as_a_config(properties: str, location: str, servers: str) -> None:
    # `stdio.servers-configuration`: a Claude Desktop format JSON resource (any name)
    text = f"{_PREFIX}.stdio.servers-configuration={location}\n"
    server = {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
              "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": _PAT}}
    files = {properties: text, servers: json.dumps({"mcpServers": {"github": server}})}
    assert [found[0] for found in _found(files)] == [servers]
