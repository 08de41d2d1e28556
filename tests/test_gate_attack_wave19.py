"""Red-team regressions (wave 19): what a PR author who controls the PR still got past the gate, in
files the readers of passes 13-18 read (n8n exports, dotenv, Nix, Emacs, Kubernetes / compose env of an
MCP client, Gemini extensions) and in values under a credential name. Each test drives the Action
against the contract-checked fake GitHub; every secret is built at run time (an opaque 40-character
key: no provider shape, so only the reader's value under its name can find it). The attempts, what
passed before and the fixes are written up in docs/redteam19.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.gh.action_helpers import Files, opaque
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub

_KEY = opaque(19001)


# --- 1. n8n workflow exports: arrays, API pages, community nodes, any folder ---------------------

def _node(kind: str, params: dict[str, object], name: str = "MCP Client") -> dict[str, object]:
    return {"parameters": params, "type": kind, "typeVersion": 1.1, "position": [660, 320],
            "id": "5f0c2b7e-3c1d-4f7a-9a57-0c2a1e6b8d41", "name": name}


def _workflow(node: dict[str, object], **extra: object) -> dict[str, object]:
    agent = _node("@n8n/n8n-nodes-langchain.agent", {"options": {}}, "AI Agent")
    return {"name": "agent", "nodes": [agent, node], "connections": {}, "active": False,
            "settings": {"executionOrder": "v1"}, "versionId": "0b6a2f53-6d38-4b8e-a1f4-77e9d9f3c3b2",
            "meta": {"instanceId": "4f0b" * 16}, "id": "Xq3Lm9Pz2Rt7Vb1N", "tags": [], **extra}


def _tool(url: str, kind: str = "@n8n/n8n-nodes-langchain.mcpClientTool", key: str = "endpointUrl") -> dict:
    return _node(kind, {key: url, "authentication": "bearerAuth"})


def _n8n_exports(url: str) -> dict[str, Files]:
    flow = _workflow(_tool(url))
    return {
        "export-all-array": {"n8n/workflows/all.json": json.dumps([flow], indent=2)},
        "export-all-array-any-folder": {"backups/workflows.json": json.dumps([flow], indent=2)},
        "one-workflow-any-folder": {"automation/agent.json": json.dumps(flow, indent=2)},
        "api-page": {"n8n/agent.json": json.dumps({"data": [flow], "nextCursor": None})},
        "community-client-node": {"flows/agent.json": json.dumps(_workflow(_tool(
            url, "n8n-nodes-mcp.mcpClient", "serverUrl")))},
        "community-tool-node": {"flows/agent.json": json.dumps(_workflow(_tool(
            url, "n8n-nodes-mcp.mcpClientTool")))},
    }


@pytest.mark.parametrize("shape", sorted(_n8n_exports("")))
def test_n8n_export_shapes_anywhere_block(tmp_path: Path, gh: FakeGitHub, shape: str) -> None:
    _blocked(_pr(tmp_path, gh, [_n8n_exports(f"https://mcp.acme-tools.io/mcp?api_key={_KEY}")[shape]]), _KEY)


def test_n8n_pinned_data_of_an_mcp_workflow_blocks(tmp_path: Path, gh: FakeGitHub) -> None:
    """Pinned data is handed to the nodes (an expression `{{ $json.ACME_API_KEY }}` reads it)."""
    flow = _workflow(_tool("https://mcp.acme-tools.io/mcp"),
                     pinData={"Webhook": [{"json": {"ACME_API_KEY": _KEY}}]})
    _blocked(_pr(tmp_path, gh, [{"automation/agent.json": json.dumps(flow, indent=2)}]), _KEY)


@pytest.mark.parametrize("shape", sorted(_n8n_exports("")))
def test_n8n_exports_without_a_key_pass(tmp_path: Path, gh: FakeGitHub, shape: str) -> None:
    """n8n's own ids (node and version UUIDs, the 64-hex instance id, a workflow id) are no secret."""
    _passed(_pr(tmp_path, gh, [_n8n_exports("https://mcp.acme-tools.io/mcp")[shape]]))


def test_json_naming_mcp_client_tool_outside_a_node_type_is_not_an_export(tmp_path: Path,
                                                                          gh: FakeGitHub) -> None:
    doc = json.dumps([{"title": "mcpClientTool how-to", "token_hint": "n8n-nodes-mcp.mcpClientTool"}])
    _passed(_pr(tmp_path, gh, [{"docs/notes.json": doc}]))


# --- 2. dotenv lines Node's dotenv / a shell read otherwise than the quoted-value dialect -----------

_CURSOR_ENV_FILE = json.dumps({"mcpServers": {"gh": {"command": "npx", "args": ["-y", "acme-mcp"],
                                                     "envFile": "${workspaceFolder}/.env.mcp"}}})


@pytest.mark.parametrize("line", [
    'ACME_API_KEY="""{k}"""',  # Node: `""<key>""` (its line regex falls back to the unquoted reading)
    'ACME_API_KEY=""{k}',  # Node: `""<key>`; the quoted-value reading saw an empty value
    "ACME_API_KEY=''{k}",
    'ACME_API_KEY="" {k}',
    "LOG_LEVEL=debug ACME_API_KEY={k}",  # `set -a; . ./.env.mcp`: a shell assigns both
    "X=1\tACME_API_KEY={k} B=2",
])
def test_dotenv_lines_read_as_node_or_a_shell_reads_them_block(tmp_path: Path, gh: FakeGitHub,
                                                               line: str) -> None:
    files: Files = {".cursor/mcp.json": _CURSOR_ENV_FILE, ".env.mcp": line.format(k=_KEY) + "\nLOG=1\n"}
    _blocked(_pr(tmp_path, gh, [files]), _KEY)


@pytest.mark.parametrize("line", [
    'ACME_API_KEY="${ACME_API_KEY}" # from the shell', 'ACME_API_KEY=""', 'ACME_API_KEY="" # empty',
    'ACME_API_KEY="""your-api-key-here"""', "JAVA_OPTS=-Xmx1g -Dacme.token=${ACME_TOKEN}",
    "LOG_LEVEL=debug ACME_API_KEY=${ACME_API_KEY}", "CMD=serve PORT=8080 HOST=0.0.0.0",
])
def test_dotenv_lookalikes_pass(tmp_path: Path, gh: FakeGitHub, line: str) -> None:
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": _CURSOR_ENV_FILE, ".env.mcp": line + "\n"}]))


# --- 3. Nix: strings written as Nix writes them (indented, joined, bound by let, JSON in a string) --

_NIX_HEAD = "{ config, pkgs, ... }:\n"


def _nix_server(env_body: str, prelude: str = "") -> Files:
    return {"home/mcp.nix": _NIX_HEAD + prelude + "{\n  programs.claude-code.mcpServers.acme = {\n"
            '    command = "npx";\n    args = [ "-y" "acme-mcp" ];\n' + env_body + "  };\n}\n"}


_NIX_ATTEMPTS = {
    "indented-multi-line": _nix_server(f"    env = {{\n      ACME_API_KEY = ''\n        {_KEY}\n"
                                       "      '';\n    };\n"),
    "let-binding": _nix_server("    env.ACME_API_KEY = key;\n", f'let key = "{_KEY}"; in\n'),
    "let-binding-interpolated": _nix_server('    env.ACME_API_KEY = "${key}";\n',
                                            f"let key = ''{_KEY}''; in\n"),
    "concatenation": _nix_server(f'    env.ACME_API_KEY = "{_KEY[:20]}" + "{_KEY[20:]}";\n'),
    "concatenation-with-name": _nix_server(f'    env.ACME_API_KEY = head + "{_KEY[20:]}";\n',
                                           f'let head = "{_KEY[:20]}"; in\n'),
    "fromJSON-server": {"home/mcp.nix": _NIX_HEAD + "{\n  programs.claude-code.mcpServers.acme = "
                        "builtins.fromJSON ''\n"
                        '    {"command": "npx", "env": {"ACME_API_KEY": "' + _KEY + '"}}\n' + "  '';\n}\n"},
    "home-file-json-text": {"home/mcp.nix": _NIX_HEAD + '{\n  home.file.".cursor/mcp.json".text = \'\'\n'
                            '    {"mcpServers": {"gh": {"command": "npx",\n'
                            '      "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "' + _KEY + '"}}}}\n'
                            + "  '';\n}\n"},
}


@pytest.mark.parametrize("attempt", sorted(_NIX_ATTEMPTS))
def test_nix_strings_as_nix_writes_them_block(tmp_path: Path, gh: FakeGitHub, attempt: str) -> None:
    _blocked(_pr(tmp_path, gh, [_NIX_ATTEMPTS[attempt]]), _KEY)


def test_nix_references_and_store_paths_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    """`${builtins.readFile /run/agenix/gh}` is read when the system is built: a reference, no secret."""
    env = ('    env = {\n      GITHUB_TOKEN = "${builtins.readFile /run/agenix/gh}";\n'
           "      ACME_API_KEY = config.age.secrets.acme.path;\n      B_API_KEY = tokenFile;\n"
           '      C_API_KEY = "${config.sops.placeholder.c}";\n      LOG_LEVEL = lib.mkDefault "debug";\n'
           "      D_TOKEN = ''\n        ${config.age.secrets.d.path}\n      '';\n    };\n")
    files = _nix_server(env, 'let tokenFile = "/run/agenix/acme"; in\n')
    files["home/json.nix"] = (_NIX_HEAD + "{\n  home.file.\".cursor/mcp.json\".text = builtins.toJSON {\n"
                              '    mcpServers.gh.env.GITHUB_TOKEN = "${GITHUB_TOKEN}";\n  };\n'
                              "  xdg.configFile.\"mcp/servers.json\".text = ''\n"
                              '    {"mcpServers": {"gh": {"env": {"GITHUB_TOKEN": "''${GITHUB_TOKEN}"}}}}\n'
                              "  '';\n}\n")
    _passed(_pr(tmp_path, gh, [files]))


# --- 4. Emacs mcp.el: :args, (list …), backquote --------------------------------------------------

_EL = "(require 'mcp-hub)\n(setq mcp-hub-servers\n  {alist})\n"
_EMACS_ATTEMPTS = {
    "args-flag": "'((\"acme\" . (:command \"npx\" :args (\"-y\" \"acme-mcp\" \"--api-key\" \"{k}\"))))",
    "list-calls": "(list (list \"acme\" :command \"npx\" :env (list :ACME_API_KEY \"{k}\")))",
    "backquote-unquoted-literal": "`((\"acme\" . (:command \"npx\" :env (:ACME_API_KEY ,\"{k}\"))))",
    # (already read on main since review 14: kept as the pass-18 item it was)
    "undotted-entry": "'((\"acme\" :command \"npx\" :args (\"-y\" \"acme-mcp\")\n"
                      "    :env (:ACME_API_KEY \"{k}\")))",
}


@pytest.mark.parametrize("attempt", sorted(_EMACS_ATTEMPTS))
def test_emacs_alist_spellings_block(tmp_path: Path, gh: FakeGitHub, attempt: str) -> None:
    text = _EL.format(alist=_EMACS_ATTEMPTS[attempt].replace("{k}", _KEY))
    _blocked(_pr(tmp_path, gh, [{"lisp/init-mcp.el": text}]), _KEY)


def test_emacs_load_time_values_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    alist = ("`((\"acme\" . (:command \"npx\" :args (\"-y\" \"@modelcontextprotocol/server-github\")\n"
             "     :env (:GITHUB_PERSONAL_ACCESS_TOKEN\n"
             "           ,(auth-source-pick-first-password :host \"api.github.com\")\n"
             "           :ACME_API_KEY ,(getenv \"ACME_API_KEY\")))))")
    _passed(_pr(tmp_path, gh, [{"lisp/init-mcp.el": _EL.format(alist=alist)}]))


# --- 5. Open WebUI's tool server connections through Kubernetes env and compose env_file ------------

_CONNECTION = json.dumps([{"type": "openapi", "url": "https://tools.acme-tools.io/api",
                           "path": "openapi.json", "auth_type": "bearer", "key": _KEY,
                           "config": {"enable": True}}])
_WEBUI = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: open-webui\nspec:\n  template:\n"
          "    spec:\n      containers:\n        - name: open-webui\n"
          "          image: ghcr.io/open-webui/open-webui:main\n")
_WEBUI_CM = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: open-webui-env\ndata:\n"
             f"  TOOL_SERVER_CONNECTIONS: '{_CONNECTION}'\n")
_ENV_FROM = "          envFrom:\n            - configMapRef:\n                name: open-webui-env\n"
_WEBUI_ATTEMPTS: dict[str, Files] = {
    "deployment-env-value": {"deploy/open-webui.yaml": _WEBUI + "          env:\n"
                             "            - name: TOOL_SERVER_CONNECTIONS\n"
                             f"              value: '{_CONNECTION}'\n"},
    "deployment-env-from-configmap": {"k8s/open-webui.yaml": _WEBUI + _ENV_FROM, "k8s/env.yaml": _WEBUI_CM},
    "compose-env-file": {"docker-compose.yml": "services:\n  open-webui:\n"
                         "    image: ghcr.io/open-webui/open-webui:main\n    env_file: .env.webui\n",
                         ".env.webui": f"TOOL_SERVER_CONNECTIONS={_CONNECTION}\n"},
    "compose-env-file-entries": {"compose.yaml": "services:\n  webui:\n"
                                 "    image: ghcr.io/open-webui/open-webui:cuda\n"
                                 "    env_file:\n      - path: ./webui.env\n        required: true\n",
                                 "webui.env": f"TOOL_SERVER_CONNECTIONS='{_CONNECTION}'\n"},
}


@pytest.mark.parametrize("attempt", sorted(_WEBUI_ATTEMPTS))
def test_open_webui_connections_through_its_environment_block(tmp_path: Path, gh: FakeGitHub,
                                                              attempt: str) -> None:
    _blocked(_pr(tmp_path, gh, [_WEBUI_ATTEMPTS[attempt]]), _KEY)


def test_open_webui_configmap_changed_alone_blocks(tmp_path: Path, gh: FakeGitHub) -> None:
    """The Deployment reading the ConfigMap is on the base branch; the PR adds the ConfigMap."""
    base: Files = {"README.md": "hi\n", "k8s/open-webui.yaml": _WEBUI + _ENV_FROM}
    _blocked(_pr(tmp_path, gh, [{"k8s/env.yaml": _WEBUI_CM}], base=base), _KEY)


def test_open_webui_settings_from_references_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    compose = ("services:\n  open-webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
               "    env_file: .env.webui\n    environment:\n      OLLAMA_BASE_URL: http://ollama:11434\n"
               "      WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY}\n")
    env = ("TOOL_SERVER_CONNECTIONS=" + _CONNECTION.replace(_KEY, "${ACME_TOOLS_KEY}")
           + "\nENABLE_SIGNUP=false\n")
    _passed(_pr(tmp_path, gh, [{"docker-compose.yml": compose, ".env.webui": env,
                                "k8s/open-webui.yaml": _WEBUI + "          env:\n"
                                "            - name: WEBUI_NAME\n              value: Acme Chat\n"}]))


# --- 6. a Gemini CLI extension's `.env` (where its settings are kept) -------------------------------

_EXTENSION = json.dumps({"name": "acme", "version": "1.0.0", "settings": [
    {"name": "API key", "description": "Acme API key", "envVar": "ACME_API_KEY"}],
    "mcpServers": {"acme": {"command": "node", "args": ["${extensionPath}/dist/server.js"],
                            "cwd": "${extensionPath}"}}}, indent=2)


@pytest.mark.parametrize("folder", ["", "extensions/acme/", ".gemini/extensions/acme/"])
def test_gemini_extension_dotenv_blocks(tmp_path: Path, gh: FakeGitHub, folder: str) -> None:
    files: Files = {f"{folder}gemini-extension.json": _EXTENSION, f"{folder}.env": f"ACME_API_KEY={_KEY}\n"}
    _blocked(_pr(tmp_path, gh, [files]), _KEY)


def test_gemini_extension_dotenv_changed_alone_blocks(tmp_path: Path, gh: FakeGitHub) -> None:
    base: Files = {"README.md": "hi\n", "gemini-extension.json": _EXTENSION}
    _blocked(_pr(tmp_path, gh, [{".env": f"ACME_API_KEY={_KEY}\n"}], base=base), _KEY)


def test_gemini_extension_dotenv_of_references_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    files: Files = {"gemini-extension.json": _EXTENSION, ".env": "ACME_API_KEY=\nLOG_LEVEL=info\n",
                    "other/.env": f"UNRELATED_API_KEY={_KEY}\n"}  # no extension or client loads it
    _passed(_pr(tmp_path, gh, [files]))


# --- 7. a key carried in a URL under a credential name ---------------------------------------------

def _cursor(env: dict[str, str]) -> Files:
    server = {"command": "npx", "args": ["-y", "acme-mcp"], "env": env}
    return {".cursor/mcp.json": json.dumps({"mcpServers": {"acme": server}}, indent=2)}


@pytest.mark.parametrize("value", [
    "acme://{k}",  # a scheme prefix that names no host: the key with a prefix
    "acme://{k}/v1",
    "https://api.acme-tools.io/{k}",  # the key as a path segment
    "https://api.acme-tools.io/v1/keys/{k}",
    "https://api.acme-tools.io/v1?k={k}",  # a query value under a name that says nothing
    "acme://\u00a0{k}",  # a no-break space the server's trim drops
    "https://api.acme-tools.io/v1%2F{k}",  # an encoded `/`: the server decodes the path
])
def test_key_carried_in_a_url_under_a_credential_name_blocks(tmp_path: Path, gh: FakeGitHub,
                                                            value: str) -> None:
    _blocked(_pr(tmp_path, gh, [_cursor({"ACME_API_KEY": value.format(k=_KEY)})]), _KEY)


@pytest.mark.parametrize("value", [
    "https://api.acme-tools.io/v1", "https://vault.acme.io/v1/secret/data/acme", "acme://your-api-key-here",
    "file:///run/secrets/acme", "https://api.acme.io/keys/3f2a9c1e-6b4d-4e8a-9f1c-2d7b8e0a5c31",
    "op://vault/acme/credential", "vault://secret/acme#key", "https://api.acme.io/v1/${ACME_API_KEY}",
    "https://github.com/acme/tools/commit/9fceb02d0ae598e95dc970b74767f19372d61af8",
])
def test_urls_under_a_credential_name_without_a_key_pass(tmp_path: Path, gh: FakeGitHub, value: str) -> None:
    _passed(_pr(tmp_path, gh, [_cursor({"ACME_API_KEY": value})]))


# --- 8. kustomize `files:` generators; the Docker MCP Toolkit's registry.yaml `config:` ----------

_GH_DEPLOYMENT = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: gh\nspec:\n  template:\n"
                  "    spec:\n      containers:\n        - name: gh\n"
                  "          image: ghcr.io/github/github-mcp-server\n"
                  "          envFrom:\n            - secretRef:\n                name: gh\n")


@pytest.mark.parametrize("item", ["GITHUB_PERSONAL_ACCESS_TOKEN=secrets/gh.txt", "secrets/GITHUB_TOKEN"])
def test_kustomize_generator_files_block(tmp_path: Path, gh: FakeGitHub, item: str) -> None:
    source = item.partition("=")[2] or item
    kustomization = ("resources:\n  - deploy.yaml\nsecretGenerator:\n  - name: gh\n"
                     f"    files:\n      - {item}\n")
    files: Files = {"k8s/kustomization.yaml": kustomization, f"k8s/{source}": _KEY + "\n",
                    "k8s/deploy.yaml": _GH_DEPLOYMENT}
    _blocked(_pr(tmp_path, gh, [files]), _KEY)


def test_kustomize_generator_files_of_settings_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    kustomization = ("resources:\n  - deploy.yaml\nconfigMapGenerator:\n  - name: gh\n"
                     "    files:\n      - toolsets=config/toolsets.txt\n      - ../outside.txt\n")
    files: Files = {"k8s/kustomization.yaml": kustomization, "k8s/config/toolsets.txt": "repos,issues\n",
                    "k8s/deploy.yaml": _GH_DEPLOYMENT}
    _passed(_pr(tmp_path, gh, [files]))


@pytest.mark.parametrize("folder", [".docker/mcp", "dot_docker/mcp"])
def test_toolkit_registry_config_blocks(tmp_path: Path, gh: FakeGitHub, folder: str) -> None:
    registry = f'registry:\n  acme:\n    ref: ""\n    config:\n      acme:\n        api_key: {_KEY}\n'
    _blocked(_pr(tmp_path, gh, [{f"{folder}/registry.yaml": registry}]), _KEY)


def test_toolkit_registry_without_settings_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    registry = ('registry:\n  github-official:\n    ref: ""\n  acme:\n    ref: ""\n    config:\n'
                "      acme:\n        region: eu-west-1\n        api_key: ${ACME_API_KEY}\n")
    _passed(_pr(tmp_path, gh, [{".docker/mcp/registry.yaml": registry}]))


def _credentials(kind: str, data: dict[str, str]) -> str:
    return json.dumps([{"createdAt": "2025-05-01T10:00:00.000Z", "id": "Xq3Lm9Pz2Rt7Vb1N", "name": "Acme MCP",
                        "data": data, "type": kind}], indent=2)


@pytest.mark.parametrize(("kind", "data"), [
    ("mcpClientApi", {"command": "npx", "args": "-y acme-mcp", "environments": "LOG=1,ACME_API_KEY={k}"}),
    ("mcpClientSseApi", {"sseUrl": "https://mcp.acme-tools.io/sse", "headers": "Authorization=Bearer {k}"}),
])
def test_n8n_decrypted_mcp_credentials_export_blocks(tmp_path: Path, gh: FakeGitHub, kind: str,
                                                      data: dict[str, str]) -> None:
    """`n8n export:credentials --all --decrypted`: the community MCP node's credentials as written."""
    filled = {key: value.replace("{k}", _KEY) for key, value in data.items()}
    _blocked(_pr(tmp_path, gh, [{"backup/credentials.json": _credentials(kind, filled)}]), _KEY)


def test_n8n_mcp_credentials_of_settings_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    data = {"command": "npx", "args": "-y acme-mcp", "environments": "LOG_LEVEL=debug,ACME_REGION=eu-west-1"}
    _passed(_pr(tmp_path, gh, [{"backup/credentials.json": _credentials("mcpClientApi", data)}]))


# --- 9. a Python MCP client writing the key into its own environment (the servers inherit it) ------

_PY = "import os\nfrom mcp import StdioServerParameters\n\n"
_PY_CALL = 'params = StdioServerParameters(command="npx", args=["-y", "acme-mcp"], env=dict(os.environ))\n'


@pytest.mark.parametrize("write", [
    'os.environ["ACME_API_KEY"] = "{k}"', 'os.environ.setdefault("ACME_API_KEY", "{k}")',
    'os.environ.update({{"ACME_API_KEY": "{k}"}})', 'os.environ.update(ACME_API_KEY="{k}")',
    'os.putenv("ACME_API_KEY", "{k}")',
])
def test_python_environment_writes_block(tmp_path: Path, gh: FakeGitHub, write: str) -> None:
    text = _PY + "def main() -> None:\n    " + write.format(k=_KEY) + "\n    " + _PY_CALL
    _blocked(_pr(tmp_path, gh, [{"agent.py": text}]), _KEY)


def test_python_environment_writes_of_references_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    writes = ('os.environ["ACME_API_KEY"] = os.getenv("ACME_KEY", "")\n'
              'os.environ.setdefault("LOG_LEVEL", "debug")\nos.environ.update(ACME_REGION="eu-west-1")\n'
              f'other = {{"ACME_API_KEY": "{_KEY}"}}.get("x")  # not the environment\n')
    _passed(_pr(tmp_path, gh, [{"agent.py": _PY + writes.replace(_KEY, "${ACME_API_KEY}") + _PY_CALL}]))


_TS = 'import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";\n'
_TS_CALL = ('const t = new StdioClientTransport({ command: "npx", args: ["-y", "acme-mcp"],'
            " env: process.env as Record<string, string> });\n")


@pytest.mark.parametrize("write", [
    'process.env.ACME_API_KEY = "{k}";', 'process.env["ACME_API_KEY"] = "{k}";',
    'Object.assign(process.env, {{ ACME_API_KEY: "{k}", LOG: "1" }});',
])
def test_typescript_environment_writes_block(tmp_path: Path, gh: FakeGitHub, write: str) -> None:
    text = _TS + "export function start() {\n  " + write.format(k=_KEY) + "\n  " + _TS_CALL + "}\n"
    _blocked(_pr(tmp_path, gh, [{"agent.ts": text}]), _KEY)


def test_typescript_environment_writes_of_references_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    writes = ('process.env.ACME_API_KEY = process.env.ACME_KEY ?? "";\nprocess.env.LOG_LEVEL = "debug";\n'
              'if (process.env.ACME_API_KEY === "x") { console.log("same"); }\n'
              'Object.assign(process.env, { ACME_REGION: "eu-west-1" });\n')
    _passed(_pr(tmp_path, gh, [{"agent.ts": _TS + writes + _TS_CALL}]))
