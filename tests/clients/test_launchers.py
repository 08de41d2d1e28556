"""Launchers (clients/launchers.py): package.json scripts, shell scripts and Makefile / justfile /
Taskfile targets that start an MCP server or client. Shapes from public repositories: npm scripts
`"inspect": "npx @modelcontextprotocol/inspector node dist/index.js"` and `… inspector -e NODE_ENV=…
-e ALIBABA_CLOUD_ACCESS_KEY_ID=… node build/index.js`, wrapper scripts `export
GITHUB_PERSONAL_ACCESS_TOKEN="…"` + `exec npx -y @modelcontextprotocol/server-github`, `claude mcp add
github -- npx …` in setup scripts, `claude --mcp-config '{"mcpServers":…}'`. Every secret-shaped
value is built at run time."""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

import pytest

from scanner.clients import parse_config
from scanner.clients.discovery import classify_path, never_candidate
from scanner.diff import DiffInput, scan_diff, unknown_names
from scanner.fix.apply import apply_edits
from scanner.gh.events import NO_MCP_CHANGE, unchanged_reason
from scanner.inventory import build_inventory
from scanner.model import Client
from scanner.pipeline import scan, scan_files
from scanner.result import ScanOptions, ScanResult
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_PAT = fake_token("ghp_", 36, 801)
_PAT2 = fake_token("ghp_", 36, 802)
_AWS_ID = "AKIA" + fake_token("", 16, 803, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def _scan(files: dict[str, str]) -> ScanResult:
    return scan_files({path: text.encode() for path, text in files.items()}, _OPTIONS)


def _secrets(result: ScanResult) -> list[tuple[str, int, int, str | None, str]]:
    return sorted((f.file, f.location.line, f.location.column, f.server, f.field) for f in result.findings
                  if f.rule_id.startswith("MCPG1"))


def _at(text: str, value: str) -> tuple[int, int]:
    lines = text.split("\n")
    line = next(i for i, body in enumerate(lines, 1) if value in body)
    return line, lines[line - 1].index(value) + 1


def _fixed(result: ScanResult, path: str, text: str) -> str:
    edits = [edit for f in result.findings if f.file == path and f.fix is not None for edit in f.fix.edits]
    assert edits, "no fix"
    return apply_edits(text, edits)


def _package(scripts: dict[str, str]) -> str:
    return json.dumps({"name": "acme-mcp", "version": "1.0.0", "type": "module",
                       "scripts": scripts,
                       "dependencies": {"@modelcontextprotocol/sdk": "^1.11.0"}}, indent=2) + "\n"


@pytest.mark.parametrize(("path", "client"), [
    ("package.json", Client.NPM_SCRIPTS),
    ("packages/server/package.json", Client.NPM_SCRIPTS),
    ("start-mcp.sh", Client.SHELL_SCRIPT),
    ("scripts/mcp-github.bash", Client.SHELL_SCRIPT),
    ("bin/run-server", Client.SHELL_SCRIPT),
    ("Makefile", Client.TASK_RUNNER),
    ("tools/GNUmakefile", Client.TASK_RUNNER),
    ("mk/mcp.mk", Client.TASK_RUNNER),
    ("justfile", Client.TASK_RUNNER),
    ("Taskfile.yml", Client.TASK_RUNNER),
])
def test_launcher_names_are_content_gated_candidates(path: str, client: Client) -> None:
    candidate = classify_path(path)
    assert candidate is not None and candidate.hints == (client,)
    assert candidate.by_content and candidate.generic
    assert not never_candidate(path)


@pytest.mark.parametrize("path", ["node_modules/x/package.json", "vendor/a/run.sh", "src/bin/main.rs",
                                  "bin/.hidden", "docs/run.sh.txt"])
def test_vendored_and_other_names_are_no_launchers(path: str) -> None:
    assert classify_path(path) is None


def test_npm_script_env_prefix_and_its_fix() -> None:
    command = f"GITHUB_TOKEN={_PAT} npx -y @modelcontextprotocol/server-github"
    text = _package({"build": "tsc", "mcp:github": command})
    result = _scan({"package.json": text})
    line, column = _at(text, _PAT)
    assert _secrets(result) == [("package.json", line, column, "server-github", "env.GITHUB_TOKEN")]
    finding = next(f for f in result.findings if f.rule_id.startswith("MCPG1"))
    assert finding.client == "npm-scripts" and finding.blocking
    fixed = _fixed(result, "package.json", text)
    assert json.loads(fixed)["scripts"]["mcp:github"] == (
        "GITHUB_TOKEN=${GITHUB_TOKEN} npx -y @modelcontextprotocol/server-github")
    assert _secrets(_scan({"package.json": fixed})) == []


def test_npm_inspector_env_flags_real_shape() -> None:
    # alibabacloud MCP servers' package.json: placeholders in `-e` flags are no secrets
    placeholder = ("pnpm run build; npx @modelcontextprotocol/inspector -e NODE_ENV=development "
                   "-e REGION=cn-shanghai "
                   "-e ALIBABA_CLOUD_ACCESS_KEY_ID=your_aliyun_key_id "
                   "-e ALIBABA_CLOUD_ACCESS_KEY_SECRET=your_aliyun_key_secret node build/index.js")
    assert _secrets(_scan({"package.json": _package({"dev": placeholder})})) == []
    real = placeholder.replace("your_aliyun_key_id", _AWS_ID).replace("-e ALIBABA", "-e 'ALIBABA", 1) \
        .replace(_AWS_ID, _AWS_ID + "'")
    text = _package({"dev": real})
    result = _scan({"package.json": text})
    found = _secrets(result)
    assert [(f[0], f[4]) for f in found] == [("package.json", "env.ALIBABA_CLOUD_ACCESS_KEY_ID")]
    assert found[0][1:3] == _at(text, _AWS_ID)
    # the value sat in a single-quoted word: the fix closes it around the reference
    command = json.loads(_fixed(result, "package.json", text))["scripts"]["dev"]
    assert "ALIBABA_CLOUD_ACCESS_KEY_ID=${ALIBABA_CLOUD_ACCESS_KEY_ID}" in shlex.split(command)
    assert _AWS_ID not in command


def test_mcp_server_package_json_is_inventoried_without_findings() -> None:
    text = _package({"start": "node dist/index.js", "dev": "tsx watch src/index.ts", "build": "tsc",
                     "inspect": "npx @modelcontextprotocol/inspector node dist/index.js"})
    config = parse_config(classify_path("package.json"), text.encode())  # type: ignore[arg-type]
    assert config is not None and [s.name for s in config.servers] == ["inspect"]
    result = _scan({"package.json": text})
    assert _secrets(result) == []
    rows = build_inventory(result)
    assert [(row.client, row.server) for row in rows] == [("npm-scripts", "inspect")]


def test_package_json_without_mcp_scripts_is_not_a_config() -> None:
    text = json.dumps({"name": "web", "scripts": {"start": f"TOKEN={_PAT} node server.js"},
                       "dependencies": {"@modelcontextprotocol/sdk": "^1"}})
    assert parse_config(classify_path("package.json"), text.encode()) is None  # type: ignore[arg-type]
    assert _scan({"package.json": text}).scanned_files == []


def test_npm_script_mcp_config_json_with_escapes() -> None:
    inner = json.dumps({"mcpServers": {"github": {
        "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
        "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": _PAT}}}})
    text = _package({"agent": f"claude -p 'review' --mcp-config '{inner}'"})
    result = _scan({"package.json": text})
    found = _secrets(result)
    assert [(f[3], f[4]) for f in found] == [("github", "env.GITHUB_PERSONAL_ACCESS_TOKEN")]
    assert found[0][1:3] == (_at(text, _PAT)[0], _at(text, _PAT)[1] - 2)  # its JSON string's opening `\"`
    command = json.loads(_fixed(result, "package.json", text))["scripts"]["agent"]
    config = json.loads(shlex.split(command)[-1])
    assert config["mcpServers"]["github"]["env"] == {
        "GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_PERSONAL_ACCESS_TOKEN}"}


def test_shell_wrapper_export_then_exec() -> None:
    text = ("#!/bin/bash\nexport PATH=\"$HOME/.nodebrew/current/bin:$PATH\"\n"
            f"export GITHUB_PERSONAL_ACCESS_TOKEN=\"{_PAT}\"\n"
            "exec npx -y @modelcontextprotocol/server-github\n")
    result = _scan({"mcp-github.sh": text})
    line, column = _at(text, _PAT)
    assert _secrets(result) == [("mcp-github.sh", line, column, "server-github",
                                 "env.GITHUB_PERSONAL_ACCESS_TOKEN")]
    fixed = _fixed(result, "mcp-github.sh", text)
    assert 'export GITHUB_PERSONAL_ACCESS_TOKEN="${GITHUB_PERSONAL_ACCESS_TOKEN}"' in fixed
    rows = build_inventory(_scan({"mcp-github.sh": fixed}))
    assert [(row.client, row.server) for row in rows] == [("shell-script", "server-github")]


def test_shell_script_needs_a_launch() -> None:
    # names MCP, assigns a token, starts nothing that is an MCP server: not a launcher
    text = (f"#!/bin/sh\n# deploy the MCP docs site\nexport TOKEN={_PAT}\n"
            "echo \"MCP server docs\"\nnode build.js\n")
    assert parse_config(classify_path("deploy.sh"), text.encode()) is None  # type: ignore[arg-type]
    comment = f"#!/bin/sh\nnode dist/index.js # npx -y @modelcontextprotocol/server-github {_PAT}\n"
    assert parse_config(classify_path("run.sh"), comment.encode()) is None  # type: ignore[arg-type]


def test_bin_file_needs_a_shell_shebang() -> None:
    body = f"GITHUB_TOKEN={_PAT} exec npx -y @modelcontextprotocol/server-github\n"
    python = ("#!/usr/bin/env python3\n" + body).encode()
    assert parse_config(classify_path("bin/github-mcp"), python) is None  # type: ignore[arg-type]
    result = _scan({"bin/github-mcp": "#!/usr/bin/env bash\n" + body})
    assert [(f[3], f[4]) for f in _secrets(result)] == [("server-github", "env.GITHUB_TOKEN")]


def test_docker_run_env_flag_in_a_script() -> None:
    text = ("#!/usr/bin/env bash\nset -euo pipefail\n"
            f"docker run -i --rm -e GITHUB_PERSONAL_ACCESS_TOKEN={_PAT} ghcr.io/github/github-mcp-server\n")
    result = _scan({"scripts/run_server.sh": text})
    assert _secrets(result) == [("scripts/run_server.sh", *_at(text, _PAT), "github-mcp-server",
                                 "env.GITHUB_PERSONAL_ACCESS_TOKEN")]


def test_makefile_mcp_add_and_fix() -> None:
    text = ("GITHUB_MCP ?= npx -y @modelcontextprotocol/server-github\n\nmcp:\n"
            f"\t@claude mcp add github -s user -e GITHUB_TOKEN={_PAT} -- $(GITHUB_MCP)\n")
    result = _scan({"Makefile": text})
    assert _secrets(result) == [("Makefile", *_at(text, _PAT), "github", "env.GITHUB_TOKEN")]
    fixed = _fixed(result, "Makefile", text)
    assert "-e GITHUB_TOKEN=${GITHUB_TOKEN} --" in fixed
    # `mcp:` (a target) is no server; the one command is
    config = parse_config(classify_path("Makefile"), fixed.encode())  # type: ignore[arg-type]
    assert config is not None and [s.name for s in config.servers] == ["github"]


def test_justfile_and_taskfile_targets() -> None:
    just = f"mcp:\n    GITHUB_TOKEN={_PAT} npx -y @modelcontextprotocol/server-github\n"
    task = ("version: '3'\ntasks:\n  mcp:\n    desc: Start the MCP server\n    cmds:\n"
            f"      - BRAVE_API_KEY={_PAT2} npx -y @modelcontextprotocol/server-brave-search\n")
    result = _scan({"justfile": just, "Taskfile.yml": task})
    assert _secrets(result) == sorted([("justfile", *_at(just, _PAT), "server-github", "env.GITHUB_TOKEN"),
                                       ("Taskfile.yml", *_at(task, _PAT2), "server-brave-search",
                                        "env.BRAVE_API_KEY")])
    assert "- BRAVE_API_KEY=${BRAVE_API_KEY} npx" in _fixed(result, "Taskfile.yml", task)


def test_codex_override_and_heredoc_in_a_setup_script() -> None:
    text = ("#!/bin/bash\nmkdir -p ~/.cursor\ncat > ~/.cursor/mcp.json <<'EOF'\n"
            '{"mcpServers": {"github": {"command": "npx",\n'
            '  "args": ["-y", "@modelcontextprotocol/server-github"],\n'
            f'  "env": {{"GITHUB_PERSONAL_ACCESS_TOKEN": "{_PAT}"}}}}}}}}\nEOF\n'
            f"codex exec -c 'mcp_servers.brave.env.BRAVE_API_KEY=\"{_PAT2}\"' 'summarise'\n")
    result = _scan({"setup.sh": text})
    fields = [(f[3], f[4]) for f in _secrets(result)]
    assert ("github", "env.GITHUB_PERSONAL_ACCESS_TOKEN") in fields
    assert any(field.endswith("BRAVE_API_KEY") for _server, field in fields)
    assert {f[1:3] for f in _secrets(result)} == {(_at(text, _PAT)[0], _at(text, _PAT)[1] - 1),
                                                   (_at(text, _PAT2)[0], _at(text, _PAT2)[1] - 1)}


def test_pull_request_path_scans_a_changed_launcher() -> None:
    before = _package({"inspect": "npx @modelcontextprotocol/inspector node dist/index.js"})
    after = _package({"inspect": f"npx @modelcontextprotocol/inspector -e GITHUB_TOKEN={_PAT} node x.js"})
    # (application source counts by content too: clients/source_code.py)
    assert unknown_names(["package.json", "src/app.ts", "src/app.go"]) == {"package.json", "src/app.ts"}
    outcome = scan_diff(DiffInput({"package.json": after.encode()}, ["package.json"],
                                  lambda _path: before.encode()), _OPTIONS, history_blocks=True)
    assert [(f[0], f[4]) for f in _secrets(outcome.result)] == [("package.json", "env.GITHUB_TOKEN")]
    assert outcome.relevant_changes == ("package.json",)
    # the no-MCP-change gate: a package.json change without an MCP command stays on the fast path
    plain = json.dumps({"name": "web", "scripts": {"build": "vite build"}})
    assert unchanged_reason(["package.json"], {"package.json": plain.encode()}, ()) == NO_MCP_CHANGE
    assert unchanged_reason(["package.json"], {"package.json": after.encode()}, ()) is None
    assert unchanged_reason(["start.sh"], {}, ()) is None  # gone at head: a version may have been one


def test_work_tree_scan_reads_launchers_by_content(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "start-mcp.sh").write_text(
        f"#!/bin/sh\nGITHUB_TOKEN={_PAT} exec npx -y @modelcontextprotocol/server-github\n")
    (tmp_path / "scripts" / "build.sh").write_text(f"#!/bin/sh\nTOKEN={_PAT2} make all\n")
    (tmp_path / "package.json").write_text(_package({"build": "tsc"}))
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    result = scan(ScanOptions(root=tmp_path, use_gitleaks=False))
    assert [(f[0], f[4]) for f in _secrets(result)] == [("scripts/start-mcp.sh", "env.GITHUB_TOKEN")]
    assert result.scanned_files == ["scripts/start-mcp.sh"]
