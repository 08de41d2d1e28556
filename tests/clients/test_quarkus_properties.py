"""Quarkus LangChain4j's MCP client (real-config corpus 10: quarkus-langchain4j samples and public
agents configure it in `application.properties`: `quarkus.langchain4j.mcp.<name>.transport-type`,
`.command` (a comma list), `.url`, `.environment.<VAR>`). Spring AI's `.properties` files were read;
Quarkus ones were not (their text holds no `spring.ai.mcp`). Every secret is built at run time."""

from __future__ import annotations

from pathlib import Path

from scanner.pipeline import scan_files
from scanner.result import ScanOptions, ScanResult
from tests.fakes import fake_token

GH = fake_token("ghp_", 36, seed=1301)

PROPS = f"""quarkus.langchain4j.openai.api-key=${{OPENAI_API_KEY}}
quarkus.langchain4j.mcp.github.transport-type=stdio
quarkus.langchain4j.mcp.github.command=npx,-y,@modelcontextprotocol/server-github
quarkus.langchain4j.mcp.github.environment.GITHUB_PERSONAL_ACCESS_TOKEN={GH}
quarkus.langchain4j.mcp.weather.transport-type=streamable-http
quarkus.langchain4j.mcp.weather.url=http://localhost:8081/mcp
"""


def scan(files: dict[str, str]) -> ScanResult:
    return scan_files({k: v.encode() for k, v in files.items()},
                      ScanOptions(root=Path("."), use_gitleaks=False, fail_on=None))


def test_quarkus_mcp_clients_are_servers_with_their_environment() -> None:
    path = "src/main/resources/application.properties"
    result = scan({path: PROPS})
    servers = {s.name: s for c in result.configs for s in c.servers}
    assert set(servers) == {"github", "weather"}
    assert {s.client.value for s in servers.values()} == {"quarkus"}
    assert [v.key for v in servers["github"].env] == ["GITHUB_PERSONAL_ACCESS_TOKEN"]
    assert servers["weather"].url is not None and servers["weather"].url.text == "http://localhost:8081/mcp"
    assert {(f.line, f.server, f.field) for f in result.findings if f.rule_id.startswith("MCPG1")} == {
        (4, "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN")}


def test_quarkus_references_and_other_properties_are_quiet() -> None:
    text = ("quarkus.langchain4j.mcp.github.transport-type=stdio\n"
            "quarkus.langchain4j.mcp.github.command=npx,-y,server-github\n"
            "quarkus.langchain4j.mcp.github.environment.GITHUB_TOKEN=${GITHUB_TOKEN}\n")
    other = f"quarkus.datasource.password={GH}\napp.name=shop\n"
    result = scan({"application.properties": text, "other/application.properties": other})
    assert [f for f in result.findings if f.rule_id.startswith("MCPG1")] == []


def test_spring_ai_properties_keep_their_client() -> None:
    text = ("spring.ai.mcp.client.stdio.connections.github.command=npx\n"
            f"spring.ai.mcp.client.stdio.connections.github.env.GITHUB_TOKEN={GH}\n")
    result = scan({"application.properties": text})
    assert {s.client.value for c in result.configs for s in c.servers} == {"spring-ai"}
