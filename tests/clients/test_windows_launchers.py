"""Windows launchers (clients/launchers.py): PowerShell `.ps1` and cmd `.cmd` / `.bat` scripts that
start an MCP server or add one to a client (`$env:GITHUB_TOKEN = "…"` then `npx -y
@modelcontextprotocol/server-github`, `set "KEY=…"`, `claude mcp add … -e KEY=…`), as the POSIX shell
scripts are read. Their fixes use the script's own environment syntax (`$env:NAME`, `%NAME%`). Every
secret-shaped value is built at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.clients import parse_config
from scanner.clients.discovery import classify_path
from scanner.fix.apply import apply_edits
from scanner.pipeline import scan_files
from scanner.result import ScanOptions, ScanResult
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_PAT = fake_token("ghp_", 36, 831)
_KEY = fake_token("", 40, 832)
_SERVER = "npx -y @modelcontextprotocol/server-github"


def _scan(path: str, text: str) -> ScanResult:
    return scan_files({path: text.encode()}, _OPTIONS)


def _secrets(path: str, text: str) -> list[tuple[int, int, str | None, str]]:
    return sorted((f.location.line, f.location.column, f.server, f.field) for f in _scan(path, text).findings
                  if f.rule_id.startswith("MCPG1"))


def _at(text: str, value: str) -> tuple[int, int]:
    lines = text.split("\n")
    line = next(i for i, body in enumerate(lines, 1) if value in body)
    return line, lines[line - 1].index(value) + 1


_SCRIPTS = {
    "ps1 $env: then npx": ("scripts/start-mcp.ps1",
                           f'$ErrorActionPreference = "Stop"\n$env:GITHUB_PERSONAL_ACCESS_TOKEN = "{_PAT}"\n'
                           f"{_SERVER}\n", "server-github", "env.GITHUB_PERSONAL_ACCESS_TOKEN"),
    "ps1 $Env: single-quoted": ("tools/mcp.ps1", f"$Env:GITHUB_TOKEN='{_PAT}'\n& {_SERVER}\n",
                                "server-github", "env.GITHUB_TOKEN"),
    "ps1 claude mcp add": ("setup.ps1",
                           f"claude mcp add github -e GITHUB_TOKEN={_PAT} -- {_SERVER}\n", "github",
                           "env.GITHUB_TOKEN"),
    "cmd set then npx": ("start-mcp.cmd", f"@echo off\r\nset GITHUB_TOKEN={_PAT}\r\n{_SERVER}\r\n",
                         "server-github", "env.GITHUB_TOKEN"),
    "bat set quoted": ("run.bat", f'@echo off\r\nset "GITHUB_TOKEN={_PAT}"\r\ncall {_SERVER} %*\r\n',
                       "server-github", "env.GITHUB_TOKEN"),
    "bat codex mcp add": ("install.BAT",
                          f"codex mcp add acme --env ACME_API_KEY={_KEY} -- npx -y acme-mcp\r\n",
                          "acme", "env.ACME_API_KEY"),
}


@pytest.mark.parametrize("how", sorted(_SCRIPTS))
def test_windows_script_literal_is_found_at_its_column(how: str) -> None:
    path, text, server, field = _SCRIPTS[how]
    secret = _PAT if _PAT in text else _KEY
    assert _secrets(path, text) == [(*_at(text, secret), server, field)]


@pytest.mark.parametrize(("how", "reference"), [
    ("ps1 $env: then npx", "$env:GITHUB_PERSONAL_ACCESS_TOKEN"),
    ("ps1 claude mcp add", "$env:GITHUB_TOKEN"),
    ("cmd set then npx", "%GITHUB_TOKEN%"),
    ("bat set quoted", "%GITHUB_TOKEN%"),
])
def test_fix_uses_the_script_s_environment_syntax(how: str, reference: str) -> None:
    path, text, _server, _field = _SCRIPTS[how]
    result = _scan(path, text)
    edits = [edit for f in result.findings if f.fix is not None for edit in f.fix.edits]
    assert edits
    fixed = apply_edits(text, edits)
    assert _PAT not in fixed and reference in fixed


def test_single_quoted_powershell_value_gets_no_fix() -> None:
    # PowerShell expands nothing in '…': no in-place reference is honest there
    path, text, _server, _field = _SCRIPTS["ps1 $Env: single-quoted"]
    assert [f.fix for f in _scan(path, text).findings if f.rule_id.startswith("MCPG1")] == [None]


# --- precision: what must stay quiet ------------------------------------------------------------------


def test_windows_scripts_with_references_pass() -> None:
    ps1 = (f"$env:GITHUB_TOKEN = $env:GH_PAT\n$env:ACME_HOME = 'C:\\tools\\acme'\n"
           f"claude mcp add github -e GITHUB_TOKEN=$env:GITHUB_TOKEN -- {_SERVER}\n{_SERVER}\n")
    cmd = (f"@echo off\r\nset PATH=%PATH%;C:\\tools\r\nset GITHUB_TOKEN=%GH_PAT%\r\n"
           f"npx -y @modelcontextprotocol/server-filesystem C:\\work\r\n{_SERVER}\r\n")
    assert _scan("scripts/mcp.ps1", ps1).findings == []
    assert _scan("scripts/mcp.cmd", cmd).findings == []


def test_windows_script_starting_no_mcp_server_is_not_read() -> None:
    text = f'$env:NPM_TOKEN = "{fake_token("npm_", 36, 833)}"\nnpm publish --access public\n'
    candidate = classify_path("scripts/publish.ps1")
    assert candidate is not None
    assert parse_config(candidate, text.encode()) is None
