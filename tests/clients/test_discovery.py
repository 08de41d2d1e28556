"""classify_path over tables of real-world paths, and the skipped-directory policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.clients.discovery import (
    SKIP_DIRS,
    classify_path,
    dotenv_candidate,
    is_skipped_dir,
    never_by_extension,
    never_candidate,
)
from scanner.model import Client, FileFormat
from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

C = Client
F = FileFormat


@pytest.mark.parametrize(
    "path,fmt,first_hint,generic",
    [
        (".mcp.json", F.JSONC, C.CLAUDE_CODE, False),
        ("plugins/tracker/.mcp.json", F.JSONC, C.CLAUDE_CODE, False),
        (".cursor/mcp.json", F.JSON, C.CURSOR, False),
        (".vscode/mcp.json", F.JSONC, C.VSCODE, False),
        (".vscode/settings.json", F.JSONC, C.VSCODE, False),
        ("team.code-workspace", F.JSONC, C.VSCODE, False),
        (".devcontainer/devcontainer.json", F.JSONC, C.VSCODE, True),
        (".devcontainer/python/devcontainer.json", F.JSONC, C.VSCODE, True),
        (".devcontainer.json", F.JSONC, C.VSCODE, True),
        (".vs/mcp.json", F.JSONC, C.VISUAL_STUDIO, False),
        (".github/mcp.json", F.JSON, C.COPILOT_CLI, False),
        (".roo/mcp.json", F.JSON, C.ROO, False),
        (".kiro/settings/mcp.json", F.JSON, C.KIRO, False),
        (".kiro/agents/reviewer.json", F.JSON, C.KIRO, False),
        (".amazonq/mcp.json", F.JSON, C.AMAZONQ, False),
        (".amazonq/default.json", F.JSON, C.AMAZONQ, False),
        (".amazonq/cli-agents/dev.json", F.JSON, C.AMAZONQ, False),
        (".junie/mcp/mcp.json", F.JSON, C.JUNIE, False),
        (".gemini/settings.json", F.JSON, C.GEMINI, False),
        ("extensions/foo/gemini-extension.json", F.JSON, C.GEMINI, False),
        (".zed/settings.json", F.JSONC, C.ZED, False),
        (".claude/settings.json", F.JSON, C.CLAUDE_SETTINGS, False),
        (".claude/settings.local.json", F.JSON, C.CLAUDE_SETTINGS, False),
        ("my-plugin/.claude-plugin/plugin.json", F.JSON, C.CLAUDE_CODE, False),
        ("opencode.json", F.JSONC, C.OPENCODE, False),
        (".opencode/opencode.jsonc", F.JSONC, C.OPENCODE, False),
        (".agents/mcp.json", F.JSONC, C.OPENCODE, False),
        (".agents/mcp_config.json", F.JSON, C.ANTIGRAVITY, False),
        (".crush.json", F.JSON, C.CRUSH, False),
        ("crush.json", F.JSON, C.CRUSH, False),
        ("docs/claude_desktop_config.json", F.JSON, C.CLAUDE_DESKTOP, False),
        ("Claude_Desktop_Config.json", F.JSON, C.CLAUDE_DESKTOP, False),  # committed from Windows
        ("cline_mcp_settings.json", F.JSON, C.CLINE, False),
        ("mcp_settings.json", F.JSON, C.ROO, False),
        ("windsurf/mcp_config.json", F.JSON, C.WINDSURF, False),
        ("mcp.json", F.JSONC, C.GENERIC, True),
        ("config/MCP.json", F.JSONC, C.GENERIC, True),
        ("mcp-config.json", F.JSON, C.COPILOT_CLI, True),
        ("mcp_servers.json", F.JSON, C.GENERIC, True),
        ("mcp.dev.json", F.JSONC, C.GENERIC, True),
        ("mcp.prod.json", F.JSONC, C.GENERIC, True),
        ("deploy/mcp.production.json", F.JSONC, C.GENERIC, True),
        (".mcp.prod.json", F.JSONC, C.CLAUDE_CODE, False),  # a per-environment copy of .mcp.json
        ("config/mcp/staging.json", F.JSONC, C.GENERIC, True),
        ("src/app/manifest.json", F.JSON, C.MCPB, True),
        (".codex/config.toml", F.TOML, C.CODEX, False),
        (".grok/config.toml", F.TOML, C.CODEX, False),
        (".continue/mcpServers/tracker.yaml", F.YAML, C.CONTINUE, False),
        (".continue/config.yaml", F.YAML, C.CONTINUE, False),
        (".continue/mcpServers/tracker.json", F.JSONC, C.CONTINUE, True),
        ("smithery.yaml", F.YAML, C.SMITHERY, False),
        ("servers/github/server.yaml", F.YAML, C.DOCKER_MCP, True),
        ("catalog.yaml", F.YAML, C.DOCKER_MCP, True),
        ("compose.yaml", F.YAML, C.DOCKER_MCP, True),
        ("deploy/docker-compose.prod.yml", F.YAML, C.DOCKER_MCP, True),
        ("mcp.compose.yaml", F.YAML, C.DOCKER_MCP, True),
        ("recipes/release.yaml", F.YAML, C.GOOSE, True),
        (".goose/recipe.yaml", F.YAML, C.GOOSE, True),
        ("mcp.yaml", F.YAML, C.GENERIC, True),
        (".github/agents/reviewer.md", F.MARKDOWN, C.COPILOT_AGENT, False),
        (".github/agents/reviewer.agent.md", F.MARKDOWN, C.COPILOT_AGENT, False),
        (".github/workflows/triage.md", F.MARKDOWN, C.GH_AW, False),
        (".mcp.env", F.DOTENV, C.DOTENV, False),
        ("docker/.env.mcp", F.DOTENV, C.DOTENV, False),
    ],
)
def test_classify_positive(path: str, fmt: FileFormat, first_hint: Client, generic: bool) -> None:
    candidate = classify_path(path)
    assert candidate is not None
    assert (candidate.rel_path, candidate.fmt, candidate.hints[0], candidate.generic) == (
        path, fmt, first_hint, generic)


def test_shared_mcp_json_hints_both_formats() -> None:
    candidate = classify_path(".mcp.json")
    assert candidate is not None
    assert C.VISUAL_STUDIO in candidate.hints and C.COPILOT_CLI in candidate.hints


@pytest.mark.parametrize(
    "path",
    [
        # package.json and Makefile are launchers, read only for their MCP command lines
        # (tests/clients/test_launchers.py)
        "mcp/tsconfig.json",
        "tsconfig.json",
        "settings.json",  # not under a client directory
        "app/settings.local.json",
        ".vscode/settings.local.json",
        ".vscode/launch.json",
        "README.md",
        "docs/agents/reviewer.md",
        ".github/ci.yml",  # workflows are candidates (tests/clients/test_workflows.py), other YAML there not
        "config.toml",
        "pyproject.toml",
        ".env",
        ".env.production",
        "src/mcpserver.go",
        "mcphub.json",  # `mcp` not a delimited token
        "src/app.yaml",
        "node_modules/x/.mcp.json",
        "packages/a/node_modules/@scope/pkg/mcp.json",
        ".venv/lib/python3.11/site-packages/pkg/mcp.json",
        "vendor/github.com/x/y/.cursor/mcp.json",
        ".git/mcp.json",
        "a/__pycache__/mcp.json",
    ],
)
def test_classify_negative(path: str) -> None:
    assert classify_path(path) is None


def test_windows_separators_are_normalised() -> None:
    candidate = classify_path(".cursor\\mcp.json")
    assert candidate is not None and candidate.rel_path == ".cursor/mcp.json"
    assert candidate.hints == (C.CURSOR,)


@pytest.mark.parametrize("name", ["node_modules", ".git", "vendor", ".venv", "venv", "__pycache__",
                                  "site-packages", ".tox", "bower_components", ".terraform"])
def test_skipped_dirs(name: str) -> None:
    assert is_skipped_dir(name) and name in SKIP_DIRS


@pytest.mark.parametrize("name", ["build", "dist", "target", ".vscode", ".cursor", ".github", "src",
                                  ".claude", ".continue", "config"])
def test_kept_dirs(name: str) -> None:
    # Committed build output is the owner's own and still leaks; client directories are the point.
    assert not is_skipped_dir(name)


def test_dotenv_candidate() -> None:
    candidate = dotenv_candidate("app/.env.local")
    assert candidate.fmt is F.DOTENV and candidate.hints == (C.DOTENV,) and not candidate.generic


# Copies of a client's file read as that client (real-config corpus 7: `.mcp.json.disabled` in 36
# public repositories, `.mcp.json.production`, `.mcp.prod.json`; Windows Explorer's "- Copy").
COPY_NAMES = {
    ".mcp.json.disabled": C.CLAUDE_CODE, ".mcp.json.tmp": C.CLAUDE_CODE, ".mcp.json.bk": C.CLAUDE_CODE,
    ".mcp.json.new": C.CLAUDE_CODE, ".mcp.json.off": C.CLAUDE_CODE, ".mcp.json.original": C.CLAUDE_CODE,
    ".mcp.json.bak2": C.CLAUDE_CODE, ".mcp.json.old1": C.CLAUDE_CODE, ".mcp.json.bak.1": C.CLAUDE_CODE,
    ".mcp.json.bak_20250101": C.CLAUDE_CODE, ".mcp.json.bak-2025-01-01": C.CLAUDE_CODE,
    ".mcp.json.production": C.CLAUDE_CODE, ".mcp.json.dev": C.CLAUDE_CODE, ".mcp.prod.json": C.CLAUDE_CODE,
    ".mcp.staging.json": C.CLAUDE_CODE, ".cursor/mcp.staging.json": C.CURSOR,
    ".cursor/mcp.json.production": C.CURSOR, ".cursor/mcp - Copy.json": C.CURSOR,
    ".cursor/mcp - Copy (2).json": C.CURSOR, "claude_desktop_config - Copy.json": C.CLAUDE_DESKTOP,
    "claude_desktop_config copy 2.json": C.CLAUDE_DESKTOP, ".vscode/mcp.json.disabled": C.VSCODE,
    ".codex/config.toml.bak1": C.CODEX, "cline_mcp_settings.json.off": C.CLINE,
}


@pytest.mark.parametrize("path", sorted(COPY_NAMES))
def test_copies_are_read_as_the_original_client(path: str) -> None:
    candidate = classify_path(path)
    assert candidate is not None and not candidate.generic
    assert candidate.hints[0] is COPY_NAMES[path]


@pytest.mark.parametrize("path", ["settings.dev.json", "config.test.yaml", "package.dev.json", "notes.md.bak",
                                  "src/latest.json", "zed/theme.new.json", "data/report.2025.json",
                                  "build/output.1", "mcp-guard.1", "docs/mcp.json.1.md"])
def test_copy_words_do_not_make_unrelated_names_candidates(path: str) -> None:
    assert classify_path(path) is None


@pytest.mark.parametrize("ext", ["1", "20250101", "2025-01-01"])
def test_number_extensions_are_decided_per_name(ext: str) -> None:
    """`mcp.json.bak.1` is a copy, `report.1` is not: the extension alone cannot say."""
    assert never_by_extension(ext) is None
    assert never_candidate(f".mcp.json.bak.{ext}") is False and never_candidate(f"report.{ext}") is True


def test_a_secret_in_a_production_copy_is_found_as_the_client_with_its_environment() -> None:
    text = json.dumps({"mcpServers": {"gh": {"command": "npx", "args": ["-y", "gh-mcp"],
                                             "env": {"GITHUB_TOKEN": fake_token("ghp_", 36, seed=71)}}}})
    files = {".mcp.json.production": text, ".cursor/mcp - Copy (2).json": text, ".mcp.json.disabled": text}
    result = scan_files({k: v.encode() for k, v in files.items()},
                        ScanOptions(root=Path("."), use_gitleaks=False, fail_on=None))
    found = {(f.file, f.client, f.environment) for f in result.findings if f.rule_id == "MCPG101"}
    assert found == {(".mcp.json.production", "claude-code", "prod"),
                     (".cursor/mcp - Copy (2).json", "cursor", "dev"),
                     (".mcp.json.disabled", "claude-code", "dev")}


@pytest.mark.parametrize(("path", "client"), [("claude_desktop_config.json.txt", C.CLAUDE_DESKTOP),
                                              (".cursor/mcp.json.txt", C.CURSOR),
                                              (".mcp.json.in", C.CLAUDE_CODE)])  # CMake configure_file
def test_a_config_saved_as_text_is_read_as_the_original(path: str, client: Client) -> None:
    candidate = classify_path(path)
    assert candidate is not None and candidate.hints[0] is client
    assert classify_path("requirements.txt") is None and classify_path("notes/mcp.txt") is None
    assert classify_path("MANIFEST.in") is None and classify_path("src/plugin.json") is None
