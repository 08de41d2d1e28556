"""Shapes of corpus 13 (public dotfiles and deployments, see docs/real-world-corpus.md): the MCP
Toolkit's own files, a Gemini extension's `.env`, 5ire's and n8n's files. Secret-shaped values are
built at run time; each secret test has a lookalike beside it (placeholders, references)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.clients.k8s_refs import generator_env_files
from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_PAT = fake_token("ghp_", 36, 1311)
_TVLY = fake_token("tvly-", 32, 1312)


def _blocking(files: dict[str, str]) -> list[tuple[str, int, str | None]]:
    result = scan_files({path: text.encode() for path, text in files.items()}, _OPTIONS)
    assert result.complete
    return sorted((f.location.path, f.location.line, f.server) for f in result.findings
                  if f.rule_id.startswith("MCPG1") and f.blocking)


@pytest.mark.parametrize("folder", ["dotfiles/.docker/mcp", "dot_docker/mcp", "docker/.docker/mcp"])
def test_toolkit_config_yaml_settings_are_the_servers_values(folder: str) -> None:
    text = f"github-official:\n  personal_access_token: {_PAT}\nfetch: {{}}\n"
    path = f"{folder}/config.yaml"
    assert _blocking({path: text}) == [(path, 2, "github-official")]


@pytest.mark.parametrize("value", ['""', "${GITHUB_TOKEN}", "<your-token>", "ghp_" + "x" * 36])
def test_toolkit_config_placeholders_do_not_block(value: str) -> None:
    text = f"github-official:\n  personal_access_token: {value}\n"
    assert _blocking({".docker/mcp/config.yaml": text}) == []


def test_a_config_yaml_outside_the_toolkit_folder_is_not_taken_for_one() -> None:
    # `docker/config.yaml`, `app/mcp/config.yaml`: no Toolkit folder, no MCP word: not read
    text = f"github:\n  personal_access_token: {_PAT}\n"
    assert _blocking({"docker/config.yaml": text}) == []
    assert _blocking({"deploy/other/config.yaml": text}) == []


@pytest.mark.parametrize("path", ["mcp/catalogs/custom-catalog.yaml", ".docker/mcp/catalogs/rg.yaml",
                                  "catalogs/acme-catalog.yaml"])
def test_a_toolkit_catalog_under_another_name_is_read(path: str) -> None:
    text = ("version: 2\nname: custom\nregistry:\n  tavily:\n    image: mcp/tavily\n    env:\n"
            f"      - name: TAVILY_API_KEY\n        value: {_TVLY}\n")
    assert _blocking({path: text}) == [(path, 8, "tavily")]
    templated = text.replace(_TVLY, "'{{tavily.api_key}}'")
    assert _blocking({path: templated}) == []


def test_a_backstage_catalog_file_is_not_a_toolkit_catalog() -> None:
    text = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\n"
            "  annotations:\n    github.com/project-slug: acme/web\nspec:\n  type: service\n")
    assert _blocking({"service-catalog.yaml": text}) == []


_DIGITS = "0123456789"
_SLACK = ("xo" + "xb-" + fake_token("", 12, 1313, _DIGITS) + "-" + fake_token("", 13, 1314, _DIGITS)
          + "-" + fake_token("", 24, 1315))


def test_a_gemini_extensions_settings_env_is_read() -> None:
    path = "dotfiles/.gemini/extensions/slack/.env"
    assert _blocking({path: f"SLACK_BOT_TOKEN={_SLACK}\nSLACK_TEAM_ID=T01234567\n"}) == [(path, 1, None)]
    assert _blocking({path: "SLACK_BOT_TOKEN=\nSLACK_TEAM_ID=T01234567\n"}) == []
    # an `.env` of an `extensions` folder elsewhere is no Gemini extension's
    assert _blocking({"web/extensions/slack/.env": f"SLACK_BOT_TOKEN={_SLACK}\n"}) == []


def _fiveire(value: str) -> str:
    return ('{\n  "servers": [\n    {\n      "key": "tavily",\n      "command": "npx",\n'
            '      "args": ["-y", "tavily-mcp"],\n      "env": {"TAVILY_API_KEY": "' + value + '"}\n'
            '    }\n  ]\n}\n')


def test_5ire_servers_list_is_read_with_each_servers_key_as_its_name() -> None:
    path = "dotfiles/Library/Application Support/5ire/mcp.json"
    assert _blocking({path: _fiveire(_TVLY)}) == [(path, 7, "tavily")]


@pytest.mark.parametrize("value", ["", "your-tavily-key", "tvly-" + "x" * 32])
def test_5ire_placeholders_do_not_block(value: str) -> None:
    assert _blocking({"5ire/mcp.json": _fiveire(value)}) == []


_URL_SAFE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
_OAI = "sk-" + "proj-" + fake_token("", 120, 1316, _URL_SAFE)


def _webui(key: str, as_list: bool) -> str:
    conn = '[{"type":"mcp","url":"http://mcpo:8000/github","auth_type":"bearer","key":"' + key + '"}]'
    env = (f"      - 'TOOL_SERVER_CONNECTIONS={conn}'\n" if as_list
           else f"      TOOL_SERVER_CONNECTIONS: '{conn}'\n")
    return ("services:\n  open-webui:\n    image: ghcr.io/open-webui/open-webui:main\n    environment:\n"
            + env + "  db:\n    image: postgres:16\n")


@pytest.mark.parametrize("as_list", [True, False])
def test_open_webui_tool_server_connections_in_compose_are_read(as_list: bool) -> None:
    assert _blocking({"compose.yaml": _webui(_OAI, as_list)}) == [("compose.yaml", 5, "open-webui")]


@pytest.mark.parametrize("key", ["", "${OPENWEBUI_MCP_KEY}", "your-api-key"])
def test_open_webui_connection_placeholders_do_not_block(key: str) -> None:
    assert _blocking({"compose.yaml": _webui(key, True)}) == []


def _gateway_configmap(value: str, name: str = "mcp-gateway-config", registry: bool = True) -> str:
    text = (f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  config.yaml: |\n"
            f"    github-official:\n      personal_access_token: {value}\n    fetch: {{}}\n")
    if registry:
        text += "  registry.yaml: |\n    registry:\n      github-official:\n        ref: \"\"\n"
    return text


@pytest.mark.parametrize(("name", "registry"), [("mcp-gateway-config", True), ("mcp-gateway-config", False),
                                                ("toolkit", True)])
def test_the_gateways_config_yaml_in_a_configmap_is_read(name: str, registry: bool) -> None:
    path = "k8s/gateway/configmap.yaml"
    assert _blocking({path: _gateway_configmap(_PAT, name, registry)}) == [(path, 8, "github-official")]


@pytest.mark.parametrize("value", ['""', "${GITHUB_TOKEN}", "<your-token>"])
def test_gateway_configmap_placeholders_do_not_block(value: str) -> None:
    assert _blocking({"k8s/gateway/configmap.yaml": _gateway_configmap(value)}) == []


def test_a_config_yaml_entry_of_another_configmap_is_not_taken_for_the_gateways() -> None:
    text = _gateway_configmap(_PAT, "web-config", registry=False)
    assert _blocking({"k8s/web/configmap.yaml": text}) == []


def test_a_gateway_config_entry_that_does_not_parse_is_reported() -> None:
    text = _gateway_configmap(_PAT).replace("    fetch: {}\n", "    fetch: {[\n")
    result = scan_files({"k8s/gateway/configmap.yaml": text.encode()}, _OPTIONS)
    assert any(f.location.line == 8 and f.blocking for f in result.findings)
    assert result.errors or not result.complete


_GW_DEPLOY = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: gw\nspec:\n  template:\n    spec:\n"
              "      containers:\n        - name: gateway\n          image: docker/mcp-gateway:v2\n"
              "          envFrom:\n            - secretRef:\n                name: gw-secrets\n")
_WEB_DEPLOY = _GW_DEPLOY.replace("docker/mcp-gateway:v2", "nginx:1.27")


def _kustomize(env_line: str, deployment: str = _GW_DEPLOY, env_name: str = "secret.env") -> dict[str, str]:
    kustomization = ("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
                     "  - deployment.yaml\nsecretGenerator:\n  - name: gw-secrets\n    envs:\n"
                     f"      - {env_name}\n")
    return {"k8s/gw/kustomization.yaml": kustomization, "k8s/gw/deployment.yaml": deployment,
            "k8s/gw/secret.env": env_line}


def test_a_kustomize_generators_env_file_for_an_mcp_workload_is_read() -> None:
    found = _blocking(_kustomize(f"GITHUB_PERSONAL_ACCESS_TOKEN={_PAT}\n"))
    assert found == [("k8s/gw/secret.env", 1, None)]


@pytest.mark.parametrize("line", ["GITHUB_PERSONAL_ACCESS_TOKEN=\n",
                                  "GITHUB_PERSONAL_ACCESS_TOKEN=changeme\n"])
def test_placeholders_in_that_env_file_do_not_block(line: str) -> None:
    assert _blocking(_kustomize(line)) == []


def test_the_env_file_of_a_kustomization_running_no_mcp_server_is_not_read() -> None:
    assert _blocking(_kustomize(f"GITHUB_PERSONAL_ACCESS_TOKEN={_PAT}\n", _WEB_DEPLOY)) == []


@pytest.mark.parametrize("name", ["../../../outside.env", "/etc/mcp/secret.env", "../../.."])
def test_an_env_file_outside_the_scan_root_is_not_followed(name: str) -> None:
    # (a scan of in-memory files cannot read outside its root, so the paths listed are checked)
    text = _kustomize("", env_name=name)["k8s/gw/kustomization.yaml"]
    assert generator_env_files("k8s/gw/kustomization.yaml", text) == []
    files = _kustomize(f"GITHUB_PERSONAL_ACCESS_TOKEN={_PAT}\n", env_name=name)
    assert _blocking(files) == []


def test_an_env_file_inside_the_scan_root_is_listed_from_the_kustomizations_folder() -> None:
    text = _kustomize("", env_name="../shared/secret.env")["k8s/gw/kustomization.yaml"]
    assert generator_env_files("k8s/gw/kustomization.yaml", text) == ["k8s/shared/secret.env"]


_SK = ('from semantic_kernel.connectors.mcp import MCPStdioPlugin\n\n'
       'github = MCPStdioPlugin(\n    name="github",\n    command="npx",\n'
       '    args=["-y", "@modelcontextprotocol/server-github"],\n'
       '    env={"GITHUB_PERSONAL_ACCESS_TOKEN": VALUE},\n)\n')
_AUTOGEN = ('from autogen_ext.tools.mcp import StdioServerParams\n\n'
            'params = StdioServerParams(command="npx", args=["-y", "@modelcontextprotocol/server-github"],\n'
            '                           env={"GITHUB_PERSONAL_ACCESS_TOKEN": VALUE})\n')
_MASTRA = ('import { MCPConfiguration } from "@mastra/mcp";\n\nexport const mcp = new MCPConfiguration({\n'
           '  servers: { github: { command: "npx", args: ["-y", "@modelcontextprotocol/server-github"],\n'
           '    env: { GITHUB_PERSONAL_ACCESS_TOKEN: VALUE } } },\n});\n')


@pytest.mark.parametrize(("path", "source", "line", "server"), [
    ("sk_py/plugins.py", _SK, 7, "github"), ("team.py", _AUTOGEN, 4, "params"),
    ("src/mcp.ts", _MASTRA, 5, "github")])
def test_semantic_kernel_autogen_and_old_mastra_servers_are_read(path: str, source: str, line: int,
                                                                server: str) -> None:
    assert _blocking({path: source.replace("VALUE", f'"{_PAT}"')}) == [(path, line, server)]


@pytest.mark.parametrize(("path", "source", "reference"), [
    ("sk_py/plugins.py", _SK, 'os.environ["GITHUB_TOKEN"]'),
    ("team.py", _AUTOGEN, 'os.getenv("GITHUB_TOKEN")'),
    ("src/mcp.ts", _MASTRA, "process.env.GITHUB_TOKEN!"), ("src/mcp.ts", _MASTRA, '"<your-token>"')])
def test_their_environment_reads_and_placeholders_do_not_block(path: str, source: str,
                                                               reference: str) -> None:
    assert _blocking({path: source.replace("VALUE", reference)}) == []


def _gateway_secret(value: str, name: str = "mcp-gateway") -> str:
    return (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\ntype: Opaque\nstringData:\n"
            f"  .env: |\n    GITHUB_PERSONAL_ACCESS_TOKEN={value}\n    LOG_LEVEL=debug\n")


def test_the_gateways_secrets_env_in_a_secret_is_read() -> None:
    assert _blocking({"k8s/gw/secret.yaml": _gateway_secret(_PAT)}) == [("k8s/gw/secret.yaml", 8, None)]


@pytest.mark.parametrize("value", ["", "changeme", "${GITHUB_TOKEN}"])
def test_placeholders_in_the_gateways_secrets_env_do_not_block(value: str) -> None:
    assert _blocking({"k8s/gw/secret.yaml": _gateway_secret(value)}) == []


def test_an_env_entry_of_another_secret_is_not_taken_for_the_gateways() -> None:
    assert _blocking({"k8s/web/secret.yaml": _gateway_secret(_PAT, "web")}) == []


_SETTINGS = ('MCP_SERVERS = {\n    "tavily": {\n        "command": "npx",\n'
             '        "args": ["-y", "tavily-mcp"],\n'
             '        "env": {"TAVILY_API_KEY": VALUE},\n    },\n}\n')


def test_a_python_mcp_servers_constant_is_read_and_its_servers_named_by_their_keys() -> None:
    # corpus 13: application settings modules keep the servers as `MCP_SERVERS = {name: {…}}`
    source = _SETTINGS.replace("VALUE", f'"{_TVLY}"')
    assert _blocking({"agent/settings.py": source}) == [("agent/settings.py", 5, "tavily")]


@pytest.mark.parametrize("value", ['os.environ["TAVILY_API_KEY"]', '""', '"your-tavily-key"'])
def test_a_python_mcp_servers_constant_reading_the_environment_does_not_block(value: str) -> None:
    assert _blocking({"agent/settings.py": _SETTINGS.replace("VALUE", value)}) == []


def test_an_mcp_servers_constant_of_names_only_is_no_server() -> None:
    source = f'MCP_SERVERS = ["github", "tavily"]\nOTHER = {{"token": "{_PAT}"}}\n'
    assert _blocking({"agent/settings.py": source}) == []


def _n8n(url: str, credentials: bool = False) -> str:
    node: dict[str, object] = {"parameters": {"endpointUrl": url, "serverTransport": "httpStreamable"},
                               "type": "@n8n/n8n-nodes-langchain.mcpClientTool", "typeVersion": 1.1,
                               "name": "Tavily MCP"}
    if credentials:
        node["credentials"] = {"httpBearerAuth": {"id": "Xk2aB9", "name": "Tavily key"}}
    return json.dumps({"name": "Research agent", "nodes": [node], "connections": {}}, indent=2)


def test_an_n8n_mcp_client_tool_nodes_endpoint_url_is_read() -> None:
    path = "n8n/workflows/research-agent.json"
    found = _blocking({path: _n8n("https://mcp.tavily.com/mcp/?tavilyApiKey=" + _TVLY)})
    assert found == [(path, 6, "Tavily MCP")]


def test_an_n8n_node_with_its_key_in_a_credential_does_not_block() -> None:
    assert _blocking({"n8n/workflows/a.json": _n8n("https://mcp.tavily.com/mcp/", credentials=True)}) == []


def test_a_package_json_in_an_n8n_folder_stays_a_launcher() -> None:
    from scanner.clients.discovery import classify_path
    from scanner.model import Client

    found = classify_path("n8n-nodes-acme/package.json")
    assert found is not None and found.hints[0] is Client.NPM_SCRIPTS
    assert classify_path("n8n/workflows/a.json").hints[0] is Client.N8N  # type: ignore[union-attr]


@pytest.mark.parametrize("path", ["n8n-mcp/config.json", "n8n/servers.json", "n8n/mcp/servers.json"])
def test_an_mcp_config_in_an_n8n_folder_is_still_read(path: str) -> None:
    # an n8n-named folder's JSON that is no workflow export (no MCP Client Tool node) is read as the
    # same file outside such a folder is: before, the n8n row's content word left it unread
    text = json.dumps({"mcpServers": {"gh": {"command": "npx", "args": ["-y", "github-mcp"],
                                             "env": {"GITHUB_TOKEN": _PAT}}}})
    assert _blocking({path: text}) == [(path, 1, "gh")]
