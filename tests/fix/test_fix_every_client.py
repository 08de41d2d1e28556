"""Property per catalog row: a config in the client's own format with a literal secret (built at run
time) is scanned, fixed with `mcp-guard fix`, re-parsed by our parser and re-scanned. The fixed file
parses, holds no 12-character piece of the secret, yields no secret finding, keeps every other
server and every other field of the fixed server unchanged, and keeps its formatting: every line
the fix changed held the secret (inserted declarations such as VS Code `inputs` or Codex
`env_vars` are the only new lines). Awkward layouts ride along: JSONC comments and trailing commas,
YAML flow and block style, TOML inline tables, secrets in args, URL query, userinfo and headers, one
secret in two servers. A file that also has a parse error gets no machine edit and is left alone.

Every row whose style writes a reference (or moves the value to a list of names) must have a case
here: a new such row fails `test_every_fixing_row_has_a_case` until it is covered."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from scanner.clients.catalog import CATALOG
from scanner.engines.credential import credential_span
from scanner.fix.notes import no_fix_note
from scanner.fix.run import run_fix
from scanner.model import Client, McpConfig
from scanner.references import RefSyntax, find_references, strip_references
from tests.fakes import fake_token
from tests.fix.cases import scan_root

S = "@@S@@"  # replaced by the run-time secret
_PIECE = 12


@dataclass(frozen=True)
class ClientCase:
    id: str
    client: Client
    path: str
    text: str
    fixable: bool = True
    prefix: str = "ghp_"
    length: int = 36
    # The syntaxes the fix may write when the row's own `resolves` does not say (a compose file of the
    # Docker row: compose substitutes `${NAME}`, its MCP Toolkit catalogs take store names instead).
    writes: frozenset[RefSyntax] | None = None


def _two(key: str, entry: dict[str, object], other_key: str = "command") -> str:
    """A config with the secret's server and an untouched neighbour."""
    other: dict[str, object] = ({"command": "uvx", "args": ["mcp-server-time"]} if other_key == "command"
                                else {"url": "https://mcp.example.org/mcp"})
    return json.dumps({key: {"svc": entry, "other": other}}, indent=2) + "\n"


_ENV = {"command": "npx", "args": ["-y", "svc-mcp"], "env": {"SVC_API_TOKEN": S, "LOG_LEVEL": "info"}}
_HDR = {"url": "https://mcp.acme-tools.io/mcp", "headers": {"Authorization": f"Bearer {S}", "X-Team": "a"}}
_ARG = {"command": "npx", "args": ["-y", "svc-mcp", f"--api-token={S}"]}
_QUERY = {"url": f"https://mcp.acme-tools.io/sse?api_key={S}&region=eu"}

CASES: tuple[ClientCase, ...] = (
    ClientCase("claude-jsonc", Client.CLAUDE_CODE, ".mcp.json",
               '{\n  // team servers\n  "mcpServers": {\n    "svc": {\n'
               '      "command": "npx",  /* pinned */\n'
               f'      "env": {{ "SVC_API_TOKEN": "{S}", "LOG_LEVEL": "info", }},\n    }},\n'
               '    "other": { "command": "uvx", "args": ["mcp-server-time"], },\n  },\n}\n'),
    ClientCase("claude-userinfo", Client.CLAUDE_CODE, ".mcp.json",
               _two("mcpServers", {"command": "npx", "args": [
                   "-y", "pg-mcp", f"postgresql://app:{S}@db.dev.acme.io:5432/app"]}),
               prefix="Pw", length=20),
    # Claude Code and Cursor expand only command, args, env, url and headers: a secret elsewhere (an
    # OAuth client secret, a top-level key) gets the note, not a `${NAME}` they would send as written.
    ClientCase("claude-oauth", Client.CLAUDE_CODE, ".mcp.json",
               _two("mcpServers", {"type": "http", "url": "https://mcp.acme-tools.io/mcp",
                                   "oauth": {"clientId": "svc-app", "clientSecret": S}}, "url"),
               fixable=False),
    ClientCase("cursor-auth", Client.CURSOR, ".cursor/mcp.json",
               _two("mcpServers", {"url": "https://mcp.acme-tools.io/mcp",
                                   "auth": {"CLIENT_ID": "svc-app", "CLIENT_SECRET": S}}, "url"),
               fixable=False),
    ClientCase("gemini-oauth", Client.GEMINI, ".gemini/settings.json",
               _two("mcpServers", {"httpUrl": "https://mcp.acme-tools.io/mcp",
                                   "oauth": {"clientId": "svc-app", "clientSecret": S}}, "url")),
    ClientCase("kiro", Client.KIRO, ".kiro/settings/mcp.json", _two("mcpServers", _ENV)),
    ClientCase("cursor-query", Client.CURSOR, ".cursor/mcp.json", _two("mcpServers", _QUERY, "url"),
               prefix="", length=40),
    ClientCase("windsurf-header", Client.WINDSURF, "mcp_config.json", _two("mcpServers", _HDR, "url")),
    ClientCase("roo-arg", Client.ROO, ".roo/mcp.json", _two("mcpServers", _ARG)),
    ClientCase("vscode-jsonc", Client.VSCODE, ".vscode/mcp.json",
               '{\n  "servers": {\n    // remote\n    "svc": {\n      "type": "http",\n'
               '      "url": "https://mcp.acme-tools.io/mcp",\n'
               f'      "headers": {{ "Authorization": "Bearer {S}" }},\n    }},\n'
               '    "other": { "type": "stdio", "command": "uvx", "args": ["mcp-server-time"] },\n  },\n}\n'),
    ClientCase("visual-studio", Client.VISUAL_STUDIO, ".vs/mcp.json",
               _two("servers", {"type": "stdio", **_ENV})),
    ClientCase("gemini-arg", Client.GEMINI, ".gemini/settings.json", _two("mcpServers", _ARG)),
    ClientCase("qwen", Client.QWEN, ".qwen/settings.json", _two("mcpServers", _ENV)),
    ClientCase("crush", Client.CRUSH, "crush.json",
               json.dumps({"mcp": {"svc": {"type": "http", **_HDR},
                                   "other": {"type": "stdio", "command": "uvx"}}}, indent=2) + "\n"),
    ClientCase("opencode-jsonc", Client.OPENCODE, "opencode.jsonc",
               '{\n  "mcp": {\n    // local\n    "svc": {\n      "type": "local",\n'
               '      "command": ["npx", "-y", "svc-mcp"],\n'
               f'      "environment": {{ "SVC_API_TOKEN": "{S}" }},\n    }},\n'
               '    "other": { "type": "remote", "url": "https://mcp.example.org/mcp" },\n  },\n}\n'),
    ClientCase("kilo-config", Client.KILO_CONFIG, "kilo.jsonc",
               '{\n  "$schema": "https://app.kilo.ai/config.json",\n  "mcp": {\n    "svc": {\n'
               '      "type": "remote",\n      "url": "https://mcp.acme-tools.io/mcp",\n'
               f'      "headers": {{ "Authorization": "Bearer {S}" }},\n      "enabled": true\n    }},\n'
               '    "other": { "type": "local", "command": ["uvx", "mcp-server-time"] }\n  }\n}\n'),
    ClientCase("kilo-legacy", Client.KILO, ".kilocode/mcp.json", _two("mcpServers", _ENV), fixable=False),
    ClientCase("continue-block", Client.CONTINUE, ".continue/mcpServers/svc.yaml",
               "name: team\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: svc\n    command: npx\n"
               f"    args: [\"-y\", \"svc-mcp\"]\n    env:\n      SVC_API_TOKEN: \"{S}\"  # keep\n"
               "  - name: other\n    command: uvx\n"),
    ClientCase("continue-flow", Client.CONTINUE, ".continue/mcpServers/flow.yaml",
               "name: team\nversion: 0.0.1\nschema: v1\nmcpServers:\n"
               f"  - {{name: svc, command: npx, env: {{SVC_API_TOKEN: '{S}'}}}}\n"
               "  - {name: other, command: uvx}\n"),
    ClientCase("gh-aw", Client.GH_AW, ".github/workflows/triage.md",
               "---\non: issues\nmcp-servers:\n  svc:\n    command: npx\n    env:\n"
               f"      SVC_API_TOKEN: \"{S}\"\n  other:\n    command: uvx\n---\n# Triage\n"),
    ClientCase("copilot-agent", Client.COPILOT_AGENT, ".github/copilot-mcp.json",
               _two("mcpServers", {"type": "local", "tools": ["*"], **_ENV})),
    ClientCase("spring-ai-properties", Client.SPRING_AI, "src/main/resources/application.properties",
               "spring.application.name=agent\n"
               "spring.ai.mcp.client.stdio.connections.svc.command=npx\n"
               "spring.ai.mcp.client.stdio.connections.svc.args[0]=svc-mcp\n"
               f"spring.ai.mcp.client.stdio.connections.svc.env.SVC_API_TOKEN = {S}\n"
               "spring.ai.mcp.client.stdio.connections.svc.env.LOG_LEVEL=info\n"
               "spring.ai.mcp.client.sse.connections.other.url=https://mcp.example.org/sse\n"),
    ClientCase("quarkus-properties", Client.QUARKUS, "src/main/resources/application.properties",
               "quarkus.application.name=agent\n"
               "quarkus.langchain4j.mcp.svc.transport-type=stdio\n"
               "quarkus.langchain4j.mcp.svc.command=npx,-y,svc-mcp\n"
               f"quarkus.langchain4j.mcp.svc.environment.SVC_API_TOKEN = {S}\n"
               "quarkus.langchain4j.mcp.svc.environment.LOG_LEVEL=info\n"
               "quarkus.langchain4j.mcp.other.url=https://mcp.example.org/mcp\n"),
    ClientCase("spring-ai-yaml", Client.SPRING_AI, "src/main/resources/application.yml",
               "spring:\n  application:\n    name: agent\n  ai:\n    mcp:\n      client:\n        stdio:\n"
               "          connections:\n            svc:\n              command: npx\n"
               f"              env:\n                SVC_API_TOKEN: {S}\n                LOG_LEVEL: info\n"
               "        sse:\n          connections:\n            other:\n"
               "              url: https://mcp.example.org/sse\n"),
    ClientCase("fastmcp", Client.FASTMCP, "fastmcp.json",
               json.dumps({"source": {"path": "server.py"},
                           "deployment": {"transport": "http", "env": {"SVC_API_TOKEN": S, "LOG": "1"}}},
                          indent=2) + "\n"),
    ClientCase("mcporter", Client.MCPORTER, "config/mcporter.json", _two("mcpServers", _HDR, "url")),
    ClientCase("devin", Client.DEVIN, ".devin/mcp_config.json", _two("mcpServers", _ENV)),
    ClientCase("librechat", Client.LIBRECHAT, "librechat.yaml",
               "version: 1.2.1\nmcpServers:\n  svc:\n    type: streamable-http\n"
               "    url: https://mcp.acme-tools.io/mcp\n    headers:\n"
               f"      Authorization: \"Bearer {S}\"\n  other:\n    command: uvx\n"),
    ClientCase("github-actions", Client.GITHUB_ACTIONS, ".github/workflows/claude.yml",
               "name: claude\non: [pull_request]\njobs:\n  claude:\n    runs-on: ubuntu-latest\n    steps:\n"
               "      - uses: anthropics/claude-code-action@v1\n        with:\n          mcp_config: |\n"
               '            {\n              "mcpServers": {\n                "svc": {\n'
               '                  "command": "npx",\n'
               f'                  "env": {{ "SVC_API_TOKEN": "{S}", "LOG_LEVEL": "info" }}\n'
               '                },\n                "other": { "command": "uvx" }\n'
               '              }\n            }\n'),
    ClientCase("codex-inline", Client.CODEX, ".codex/config.toml",
               '# servers\n[mcp_servers.svc]\ncommand = "npx"\n'
               f'env = {{ LOG_LEVEL = "info", SVC_API_TOKEN = "{S}" }}\n\n'
               '[mcp_servers.other]\ncommand = "uvx"\n'),
    ClientCase("codex-bearer", Client.CODEX, ".codex/config.toml",
               f'[mcp_servers.svc]\nurl = "https://mcp.acme-tools.io/mcp"\nbearer_token = "{S}"\n\n'
               '[mcp_servers.other]\ncommand = "uvx"\n'),
    ClientCase("codex-multiline", Client.CODEX, ".codex/config.toml",
               f'[mcp_servers.svc]\ncommand = "npx"\n\n[mcp_servers.svc.env]\nSVC_API_TOKEN = """{S}"""\n',
               fixable=True),
    ClientCase("goose", Client.GOOSE, ".config/goose/config.yaml",
               "extensions:\n  svc:\n    type: stdio\n    cmd: npx\n    envs:\n"
               f"      SVC_API_TOKEN: '{S}'\n      LOG_LEVEL: info\n    enabled: true\n"
               "  other:\n    type: stdio\n    cmd: uvx\n    enabled: true\n"),
    ClientCase("mcpb", Client.MCPB, "manifest.json",
               json.dumps({"manifest_version": "0.2", "name": "svc", "version": "1.0.0",
                           "server": {"type": "node", "entry_point": "server/index.js", "mcp_config": {
                               "command": "node", "args": ["server/index.js"], "env": {"SVC_API_TOKEN": S}}}},
                          indent=2) + "\n", fixable=False),
    ClientCase("claude-desktop", Client.CLAUDE_DESKTOP, "claude_desktop_config.json",
               _two("mcpServers", _ENV), fixable=False),
    ClientCase("cline", Client.CLINE, "cline_mcp_settings.json", _two("mcpServers", _ENV), fixable=False),
    ClientCase("zed", Client.ZED, ".zed/settings.json",
               json.dumps({"context_servers": {"svc": {"command": {"path": "npx", "args": ["svc-mcp"],
                                                                   "env": {"SVC_API_TOKEN": S}}}}},
                          indent=2) + "\n", fixable=False),
    ClientCase("jetbrains-ai", Client.JETBRAINS, ".ai/mcp/mcp.json", _two("mcpServers", _ENV), fixable=False),
    ClientCase("dotnet", Client.DOTNET, "appsettings.json",
               json.dumps({"Logging": {"LogLevel": {"Default": "Information"}},
                           "McpServers": {"Servers": {
                               "svc": {"Command": "npx", "Args": ["-y", "svc-mcp"],
                                       "Environment": {"SVC_API_TOKEN": S}},
                               "other": {"Command": "uvx", "Args": ["mcp-server-time"]}}}},
                          indent=2) + "\n", fixable=False),
    ClientCase("amazonq", Client.AMAZONQ, ".amazonq/mcp.json", _two("mcpServers", _ENV), fixable=False),
    # Rows with no documented expansion: no edit, the honest note with the row's alternative.
    ClientCase("copilot-cli", Client.COPILOT_CLI, ".copilot/mcp-config.json", _two("mcpServers", _ENV),
               fixable=False),
    ClientCase("junie", Client.JUNIE, ".junie/mcp/mcp.json", _two("mcpServers", _ENV), fixable=False),
    ClientCase("lmstudio", Client.LMSTUDIO, ".lmstudio/mcp.json", _two("mcpServers", _ENV), fixable=False),
    ClientCase("jetbrains-air", Client.JETBRAINS_AIR, ".air/mcp.json", _two("mcpServers", _ENV),
               fixable=False),
    ClientCase("warp", Client.WARP, ".warp/.mcp.json", _two("mcpServers", _ENV), fixable=False),
    ClientCase("mistral-vibe", Client.MISTRAL_VIBE, ".vibe/config.toml",
               'active_model = "devstral-2"\n\n[[mcp_servers]]\nname = "svc"\ntransport = "stdio"\n'
               f'command = "npx"\nargs = ["-y", "svc-mcp"]\n\n[mcp_servers.env]\nSVC_API_TOKEN = "{S}"\n',
               fixable=False),
    ClientCase("5ire", Client.FIVE_IRE, "5ire/mcp.json",
               json.dumps({"servers": [dict(_ENV, key="svc")]}, indent=2) + "\n", fixable=False),
    ClientCase("nix", Client.NIX, "home/mcp.nix",
               f'{{ ... }}:\n{{\n  programs.claude-code.mcpServers.svc = {{\n    command = "npx";\n'
               f'    env.SVC_API_TOKEN = "{S}";\n  }};\n}}\n', fixable=False),
    ClientCase("n8n", Client.N8N, "n8n/workflows/agent.json",
               json.dumps({"nodes": [{"type": "@n8n/n8n-nodes-langchain.mcpClientTool", "name": "svc",
                                      "parameters": {"endpointUrl": f"https://mcp.acme-tools.io/mcp?api_key={S}"}}]},
                          indent=2) + "\n", fixable=False),
    ClientCase("emacs", Client.EMACS, "init-mcp.el",
               f'(setq mcp-hub-servers\n      \'(("svc" . (:command "npx" :env (:SVC_API_TOKEN "{S}")))))\n',
               fixable=False),
    ClientCase("antigravity", Client.ANTIGRAVITY, ".agents/mcp_config.json", _two("mcpServers", _ENV),
               fixable=False),
    ClientCase("trae", Client.TRAE, ".trae/mcp.json", _two("mcpServers", _ENV), fixable=False),
    ClientCase("amp", Client.AMP, ".amp/settings.json",
               json.dumps({"amp.mcpServers": {"svc": _ENV}}, indent=2) + "\n", fixable=False),
    ClientCase("factory", Client.FACTORY, ".factory/mcp.json", _two("mcpServers", _ENV), fixable=False),
    ClientCase("iflow", Client.IFLOW, ".iflow/settings.json", _two("mcpServers", _ENV), fixable=False),
    ClientCase("augment", Client.AUGMENT, ".augment/settings.json", _two("mcpServers", _ENV), fixable=False),
    ClientCase("fast-agent", Client.FAST_AGENT, "fastagent.config.yaml",
               f"mcp:\n  servers:\n    svc:\n      command: npx\n      env:\n        SVC_API_TOKEN: {S}\n",
               fixable=False),
    ClientCase("smithery", Client.SMITHERY, "smithery.yaml",
               "startCommand:\n  type: stdio\n  configSchema:\n    type: object\n"
               f"  exampleConfig:\n    apiKey: {S}\n", fixable=False),
    ClientCase("claude-settings", Client.CLAUDE_SETTINGS, ".claude/settings.json",
               json.dumps({"env": {"SVC_API_TOKEN": S}}, indent=2) + "\n", fixable=False),
    ClientCase("dotenv", Client.DOTENV, ".env.mcp", f"SVC_API_TOKEN={S}\n", fixable=False),
    ClientCase("generic", Client.GENERIC, "mcp_servers.json", _two("mcpServers", _ENV), fixable=False),
    # Docker compose services running an MCP server: `environment:` values become `${NAME}`.
    ClientCase("compose-map", Client.DOCKER_MCP, "docker-compose.yml",
               "services:\n  github-mcp:\n    image: ghcr.io/github/github-mcp-server:latest\n"
               f"    environment:\n      GITHUB_PERSONAL_ACCESS_TOKEN: {S}  # team\n      LOG_LEVEL: info\n"
               "  db:\n    image: postgres:16\n", writes=frozenset({RefSyntax.DOLLAR_BRACE})),
    ClientCase("compose-list", Client.DOCKER_MCP, "compose.yaml",
               "services:\n  github:\n    image: mcp/github\n    environment:\n"
               f"    - GITHUB_PERSONAL_ACCESS_TOKEN={S}\n    - LOG_LEVEL=info\n",
               writes=frozenset({RefSyntax.DOLLAR_BRACE})),
    # Launchers (clients/launchers.py): the literal becomes `${NAME}` in the line's shell quoting.
    ClientCase("npm-scripts", Client.NPM_SCRIPTS, "package.json",
               json.dumps({"name": "svc", "scripts": {
                   "build": "tsc", "mcp": f"SVC_API_TOKEN={S} npx -y svc-mcp",
                   "other": "npx -y mcp-server-time --local-timezone UTC"}}, indent=2) + "\n"),
    ClientCase("shell-script", Client.SHELL_SCRIPT, "scripts/start-mcp.sh",
               f"#!/bin/sh\nset -e\nexport SVC_API_TOKEN='{S}'\nexport LOG_LEVEL=info\n"
               "exec npx -y svc-mcp --log-level \"$LOG_LEVEL\"\n"),
    ClientCase("windows-script-ps1", Client.WINDOWS_SCRIPT, "scripts/start-mcp.ps1",
               f'$env:SVC_API_TOKEN = "{S}"\n$env:LOG_LEVEL = "info"\n'
               "npx -y svc-mcp --log-level $env:LOG_LEVEL\n"),
    ClientCase("windows-script-cmd", Client.WINDOWS_SCRIPT, "scripts/start-mcp.cmd",
               f"@echo off\r\nset SVC_API_TOKEN={S}\r\nset LOG_LEVEL=info\r\nnpx -y svc-mcp %*\r\n"),
    ClientCase("task-runner", Client.TASK_RUNNER, "Makefile",
               f"mcp:\n\t@SVC_API_TOKEN={S} npx -y svc-mcp\n\ntime:\n\tnpx -y mcp-server-time\n"),
    # Application source (clients/source_code.py): the literal becomes the language's environment read.
    ClientCase("python-code", Client.PYTHON_CODE, "agent/mcp_client.py",
               "import os\nfrom mcp import StdioServerParameters\n\n"
               "svc = StdioServerParameters(\n    command=\"npx\",\n    args=[\"-y\", \"svc-mcp\"],\n"
               f"    env={{\"SVC_API_TOKEN\": \"{S}\", \"LOG_LEVEL\": \"info\"}},\n)\n"
               "time = StdioServerParameters(command=\"uvx\", args=[\"mcp-server-time\"])\n"),
    ClientCase("js-code", Client.JS_CODE, "src/mcp.ts",
               "import { MCPClient } from \"@mastra/mcp\";\n\nexport const mcp = new MCPClient({\n"
               "  servers: {\n    svc: {\n      command: \"npx\",\n      args: [\"-y\", \"svc-mcp\"],\n"
               f"      env: {{ SVC_API_TOKEN: '{S}', LOG_LEVEL: \"info\" }},\n    }},\n"
               "    time: { command: \"uvx\", args: [\"mcp-server-time\"] },\n  },\n});\n"),
    # A workload whose container runs an MCP server: the literal becomes valueFrom.secretKeyRef.
    ClientCase("kubernetes", Client.KUBERNETES, "deploy/k8s/deployment.yaml",
               "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: github-mcp\nspec:\n  template:\n"
               "    spec:\n      containers:\n      - name: github-mcp-server\n"
               "        image: ghcr.io/github/github-mcp-server:latest\n        env:\n"
               "        - name: GITHUB_PERSONAL_ACCESS_TOKEN\n"
               f'          value: "{S}"\n        - name: LOG_LEVEL\n          value: info\n'),
)


def _pieces(value: str) -> list[str]:
    return [value[i:i + _PIECE] for i in range(len(value) - _PIECE + 1)] if len(value) >= _PIECE else [value]


def _leaks(text: str, value: str) -> bool:
    return any(p in text for p in _pieces(value))


def _literal(text: str) -> str:
    """What is left of a value once its references are taken out (PowerShell's `$env:NAME` too,
    which the reference grammar reads as `$env`)."""
    return strip_references(re.sub(r"\$env:[A-Za-z_][A-Za-z0-9_]*", "", text))


def _servers(config: McpConfig) -> dict[str, list[tuple[str, str]]]:
    return {s.name: sorted((fv.field, fv.text) for fv in s.values) for s in config.servers}


def _config(root: Path, rel: str) -> McpConfig:
    result = scan_root(root)
    found = [c for c in result.configs if c.path == rel]
    assert found, f"{rel} was not read as a config"
    return found[0]


def test_every_catalog_row_has_a_case() -> None:
    """Every row: a fixing one is fixed and re-scanned clean below, a row with no honest in-file fix is
    shown to make no edit and to give its note (a new row fails here until it is covered)."""
    covered = {case.client for case in CASES}
    assert set(CATALOG) - covered == set(), "a catalog row has no fix property case"
    for case in CASES:  # a fixable case belongs to a row that makes edits
        assert not case.fixable or CATALOG[case.client].style != "none", case.id


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_fix_in_the_clients_own_format(tmp_path: Path, case: ClientCase) -> None:
    secret = fake_token(case.prefix, case.length, seed=hash(case.id) % 1000)
    target = tmp_path / case.path
    target.parent.mkdir(parents=True, exist_ok=True)
    before = case.text.replace(S, secret)
    target.write_text(before, encoding="utf-8")
    result = scan_root(tmp_path)
    config = next(c for c in result.configs if c.path == case.path)
    assert config.client is case.client and config.parse_error is None
    found = [f for f in result.findings if f.file == case.path and f.category.value == "secret"]
    assert found, "the literal secret was not found"
    old_servers = _servers(config)
    if not case.fixable:
        assert all(f.fix is None and no_fix_note(f) for f in found)
        diff, count = run_fix(result, tmp_path, dry_run=False)
        assert count == 0 and target.read_text(encoding="utf-8") == before
        return
    assert all(f.fix is not None for f in found), [f.rule_id for f in found if f.fix is None]
    diff, count = run_fix(result, tmp_path, dry_run=False)
    assert count >= 1 and not _leaks(diff, secret)
    after = target.read_text(encoding="utf-8")
    assert not _leaks(after, secret)
    fixed = _config(tmp_path, case.path)
    assert fixed.parse_error is None and fixed.client is case.client
    rescan = scan_root(tmp_path)
    assert [f.rule_id for f in rescan.findings if f.category.value == "secret"] == []
    # Every other server, and every other field of the fixed one, is unchanged.
    new_servers = _servers(fixed)
    assert set(new_servers) == set(old_servers)
    for name, fields in old_servers.items():
        kept = [(field, text) for field, text in fields if secret not in text]
        assert all(item in new_servers[name] for item in kept), name
    # What replaced the secret is a reference the client documents as resolved (or, for clients
    # with no interpolation, the variable's name moved to the client's list of names).
    spec = CATALOG[case.client]
    changed = [text for name, fields in new_servers.items() for field, text in fields
               if (field, text) not in old_servers.get(name, [])]
    if spec.interpolates or case.writes:
        resolves = case.writes or spec.resolves
        assert changed and resolves
        syntaxes = {ref.syntax for text in changed for ref in find_references(text)}
        assert syntaxes and syntaxes <= resolves, syntaxes
        # As the client reads it, the fixed value is the old one with the credential replaced by the
        # reference and nothing else: no quote that is part of the value in this format (a
        # `.properties` value written as `"${NAME}"` hands Spring the quotes too).
        for name, fields in old_servers.items():
            fixed_fields = dict(new_servers[name])
            for field, text in fields:
                span = credential_span(text, secret)
                if span is not None:
                    assert _literal(fixed_fields[field]) == text[:span[0]] + text[span[1]:], field
    else:
        assert any(server.env_refs for server in fixed.servers), "the name was not listed"
    # Formatting: only lines that held the secret changed; other differences are added lines.
    removed = [line[2:] for line in difflib.ndiff(before.splitlines(), after.splitlines())
               if line.startswith("- ")]
    assert removed and all(secret in line for line in removed), removed


def test_one_secret_in_two_servers_is_fixed_in_both(tmp_path: Path) -> None:
    secret = fake_token("ghp_", 36, seed=901)
    text = json.dumps({"mcpServers": {
        "a": {"command": "npx", "env": {"GITHUB_TOKEN": secret}},
        "b": {"url": "https://mcp.acme-tools.io/mcp", "headers": {"Authorization": f"Bearer {secret}"}}}},
        indent=2) + "\n"
    (tmp_path / ".mcp.json").write_text(text, encoding="utf-8")
    result = scan_root(tmp_path)
    assert len([f for f in result.findings if f.category.value == "secret"]) == 2
    run_fix(result, tmp_path, dry_run=False)
    after = (tmp_path / ".mcp.json").read_text(encoding="utf-8")
    assert not _leaks(after, secret)
    assert '"GITHUB_TOKEN": "${GITHUB_TOKEN}"' in after and "Bearer ${" in after
    assert [f for f in scan_root(tmp_path).findings if f.category.value == "secret"] == []


def test_a_file_with_a_parse_error_gets_no_edit_but_a_note(tmp_path: Path) -> None:
    secret = fake_token("ghp_", 36, seed=902)
    text = '{\n  "mcpServers": {\n    "a": {"command": "npx", "env": {"GITHUB_TOKEN": "' + secret + '"}}\n'
    (tmp_path / ".mcp.json").write_text(text, encoding="utf-8")  # the closing braces are missing
    result = scan_root(tmp_path)
    found = [f for f in result.findings if f.category.value == "secret"]
    assert found and all(f.fix is None and no_fix_note(f) for f in found)
    diff, count = run_fix(result, tmp_path, dry_run=False)
    assert count == 0 and not _leaks(diff, secret)
    assert (tmp_path / ".mcp.json").read_text(encoding="utf-8") == text


def test_an_mcp_toolkit_catalog_env_gets_no_compose_fix(tmp_path: Path) -> None:
    """Only a compose service's `environment:` takes `${NAME}`: an MCP Toolkit catalog's `env:` is
    handed to the server as written (its store is `docker mcp secret set`), so it gets the advice."""
    secret = fake_token("ghp_", 36, seed=903)
    text = ("name: github\nimage: mcp/github\ntype: server\nenv:\n"
            f"  GITHUB_PERSONAL_ACCESS_TOKEN: {secret}\n")
    (tmp_path / "server.yaml").write_text(text, encoding="utf-8")
    result = scan_root(tmp_path)
    found = [f for f in result.findings if f.category.value == "secret"]
    assert found and all(f.fix is None and no_fix_note(f) for f in found)
    assert any("docker mcp secret set" in (no_fix_note(f) or "") for f in found)


@pytest.mark.parametrize("form", ["same", "upper", "piece"])
@pytest.mark.parametrize("client", ["goose", "codex"])
def test_a_key_that_holds_the_token_is_not_written_into_a_list_of_names(tmp_path: Path, client: str,
                                                                        form: str) -> None:
    """Goose `env_keys: [KEY]` and Codex `env_vars = ["KEY"]` write the key as it is: a key that is the
    token (in any letter case) or holds a 12-character piece of it gets no fix, so neither the file
    nor the fix's description gets the token again."""
    secret = fake_token("ghp_", 36, seed=904)
    key = {"same": secret, "upper": secret.upper(), "piece": "TOKEN_" + secret[4:20]}[form]
    if client == "goose":
        path = ".config/goose/config.yaml"
        text = f"extensions:\n  svc:\n    type: stdio\n    cmd: npx\n    envs:\n      {key}: {secret}\n"
    else:
        path = ".codex/config.toml"
        text = f'[mcp_servers.svc]\ncommand = "npx"\n\n[mcp_servers.svc.env]\n{key} = "{secret}"\n'
    (tmp_path / path).parent.mkdir(parents=True)
    (tmp_path / path).write_text(text, encoding="utf-8")
    result = scan_root(tmp_path)
    found = [f for f in result.findings if f.category.value == "secret" and f.file == path]
    assert found
    for finding in found:
        assert finding.fix is None or not any(_leaks(edit.replacement.lower(), secret.lower())
                                              for edit in finding.fix.edits)
        assert finding.fix is None or not _leaks(finding.fix.description.lower(), secret.lower())


def test_a_fix_that_would_keep_the_secret_encoded_is_not_offered(tmp_path: Path) -> None:
    """`$(printf '%s' '<base64 of the token>' | base64 --decode)` under a credential name: replacing the
    matched part would leave the encoded token in the file (and in the diff and every suggestion), so
    no fix is offered for it and the file is left alone."""
    import base64

    secret = fake_token("", 40, seed=905)
    encoded = base64.b64encode(secret.encode()).decode()
    script = f"export ACME_API_KEY=\"$(printf '%s' '{encoded}' | base64 --decode)\"; exec npx -y acme-mcp"
    text = json.dumps({"mcpServers": {"acme": {"command": "sh", "args": ["-c", script]}}}, indent=2) + "\n"
    (tmp_path / ".mcp.json").write_text(text, encoding="utf-8")
    result = scan_root(tmp_path)
    found = [f for f in result.findings if f.category.value == "secret"]
    assert found
    for finding in found:
        assert finding.fix is None or not any(encoded[i:i + 12] in edit.replacement
                                              for edit in finding.fix.edits for i in range(len(encoded) - 11))
    diff, _count = run_fix(result, tmp_path, dry_run=True)
    assert not any(encoded[i:i + 12] in diff for i in range(len(encoded) - 11))
