"""Per client x placement config texts with a run-time secret, for fix and render tests.

`@@SECRET@@` is replaced at test time by a fake_token value: nothing secret-shaped is committed.
`fixable` says whether an honest text-only fix exists for that client and placement.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from scanner.pipeline import scan
from scanner.result import ScanOptions, ScanResult
from tests.fakes import fake_token

TOKEN = "@@SECRET@@"


@dataclass(frozen=True)
class Case:
    id: str
    path: str
    text: str
    fixable: bool
    secret_prefix: str = "ghp_"
    secret_len: int = 36

    def secret(self, seed: int = 7) -> str:
        return fake_token(self.secret_prefix, self.secret_len, seed)

    def write(self, root: Path, seed: int = 7) -> str:
        value = self.secret(seed)
        target = root / self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.text.replace(TOKEN, value), encoding="utf-8")
        return value


def _servers(key: str, entry: dict[str, object], **top: object) -> str:
    return json.dumps({**top, key: {"github": entry}}, indent=2)


_ENV = {"command": "npx", "args": ["-y", "example-github-mcp"],
        "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": TOKEN}}
_HEADER = {"url": "https://mcp.example.com/mcp", "headers": {"Authorization": f"Bearer {TOKEN}"}}
_ARG_EQ = {"command": "npx", "args": ["-y", "example-github-mcp", f"--token={TOKEN}"]}
_ARG_SEP = {"command": "npx", "args": ["-y", "example-github-mcp", "--access-token", TOKEN]}
_DB = {"command": "npx", "args": ["-y", "example-postgres-mcp", f"postgresql://app:{TOKEN}@db.prod.example.com/app"]}

CASES: tuple[Case, ...] = (
    Case("claude-code-env", ".mcp.json", _servers("mcpServers", _ENV), True),
    Case("claude-code-header", ".mcp.json", _servers("mcpServers", _HEADER), True),
    Case("claude-code-arg-eq", ".mcp.json", _servers("mcpServers", _ARG_EQ), True),
    Case("claude-code-db", ".mcp.json", _servers("mcpServers", _DB), True, "Pw", 18),
    Case("cursor-env", ".cursor/mcp.json", _servers("mcpServers", _ENV), True),
    Case("cursor-header", ".cursor/mcp.json", _servers("mcpServers", _HEADER), True),
    Case("cursor-arg-sep", ".cursor/mcp.json", _servers("mcpServers", _ARG_SEP), True),
    Case("windsurf-env", "mcp_config.json", _servers("mcpServers", _ENV), True),
    Case("roo-env", ".roo/mcp.json", _servers("mcpServers", _ENV), True),
    Case("vscode-env", ".vscode/mcp.json", _servers("servers", {"type": "stdio", **_ENV}), True),
    Case("vscode-header-inputs", ".vscode/mcp.json",
         _servers("servers", {"type": "http", **_HEADER},
                  inputs=[{"type": "promptString", "id": "other", "password": True}]), True),
    Case("vscode-jsonc", ".vscode/mcp.json",
         '{\n  // team servers\n  "servers": {\n    "github": {\n      "type": "stdio",\n'
         '      "command": "npx",\n      "env": { "GITHUB_TOKEN": "@@SECRET@@", },\n    },\n  },\n}\n', True),
    Case("gemini-env", ".gemini/settings.json", _servers("mcpServers", _ENV), True),
    Case("gemini-arg-eq", ".gemini/settings.json", _servers("mcpServers", _ARG_EQ), True),
    Case("opencode-env", "opencode.json",
         json.dumps({"mcp": {"github": {"type": "local", "command": ["npx", "-y", "example-github-mcp"],
                                        "environment": {"GITHUB_PERSONAL_ACCESS_TOKEN": TOKEN}}}}, indent=2),
         True),
    Case("opencode-header", "opencode.json",
         json.dumps({"mcp": {"github": {"type": "remote", "url": "https://mcp.example.com/mcp",
                                        "headers": {"Authorization": f"Bearer {TOKEN}"}}}}, indent=2), True),
    Case("continue-env", ".continue/mcpServers/github.yaml",
         "name: team\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: github\n    command: npx\n"
         "    args: [\"-y\", \"example-github-mcp\"]\n    env:\n"
         "      GITHUB_PERSONAL_ACCESS_TOKEN: @@SECRET@@\n",
         True),
    Case("codex-env", ".codex/config.toml",
         '[mcp_servers.github]\ncommand = "npx"\nargs = ["-y", "example-github-mcp"]\n\n'
         '[mcp_servers.github.env]\nGITHUB_PERSONAL_ACCESS_TOKEN = "@@SECRET@@"\nOTHER = "1"\n', True),
    Case("codex-bearer", ".codex/config.toml",
         '[mcp_servers.github]\nurl = "https://mcp.example.com/mcp"\nbearer_token = "@@SECRET@@"\n', True),
    Case("codex-inline-env", ".codex/config.toml",
         '[mcp_servers.github]\ncommand = "npx"\n'
         'env = { GITHUB_PERSONAL_ACCESS_TOKEN = "@@SECRET@@" }\n', True),
    Case("codex-inline-env-two", ".codex/config.toml",
         '[mcp_servers.github]\ncommand = "npx"\n'
         'env = { OTHER = "1", GITHUB_PERSONAL_ACCESS_TOKEN = "@@SECRET@@" }\n', True),
    Case("codex-header-inline", ".codex/config.toml",
         '[mcp_servers.github]\nurl = "https://mcp.example.com/mcp"\n'
         'http_headers = { "Authorization" = "Bearer @@SECRET@@" }\n', True),
    Case("codex-header-other", ".codex/config.toml",
         '[mcp_servers.github]\nurl = "https://mcp.example.com/mcp"\n'
         'http_headers = { "X-Api-Key" = "@@SECRET@@" }\n', True),
    Case("codex-header-table", ".codex/config.toml",
         '[mcp_servers.github]\nurl = "https://mcp.example.com/mcp"\n\n'
         '[mcp_servers.github.http_headers]\nAuthorization = "Bearer @@SECRET@@"\n', True),
    Case("cursor-comment", ".cursor/mcp.json",
         '{\n  // old token: @@SECRET@@\n  "mcpServers": {"github": {"command": "npx", "env": '
         '{"GITHUB_TOKEN": "${env:GITHUB_TOKEN}"}}}\n}\n', True),
    Case("codex-comment", ".codex/config.toml",
         '[mcp_servers.github]\ncommand = "npx"\n# GITHUB_TOKEN = "@@SECRET@@"\n'
         'env_vars = ["GITHUB_TOKEN"]\n', True),
    Case("claude-desktop-env", "claude_desktop_config.json", _servers("mcpServers", _ENV), False),
    Case("cline-env", "cline_mcp_settings.json", _servers("mcpServers", _ENV), False),
    Case("zed-env", ".zed/settings.json", _servers("context_servers", _ENV), False),
    Case("goose-envs", "recipe.yaml",
         "title: t\ndescription: d\nextensions:\n  - type: stdio\n    name: github\n    cmd: npx\n"
         "    args: [\"-y\", \"example-github-mcp\"]\n    envs:\n"
         "      GITHUB_PERSONAL_ACCESS_TOKEN: @@SECRET@@\n",
         True),
    Case("goose-config-envs", ".config/goose/config.yaml",
         "extensions:\n  github:\n    type: stdio\n    cmd: npx\n    envs:  # tokens\n"
         "      GITHUB_PERSONAL_ACCESS_TOKEN: @@SECRET@@\n      OTHER: '1'\n    enabled: true\n",
         True),
)

BY_ID = {case.id: case for case in CASES}


def scan_root(root: Path) -> ScanResult:
    return scan(ScanOptions(root=root, use_gitleaks=False))
