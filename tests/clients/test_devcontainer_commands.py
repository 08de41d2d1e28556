"""Dev container lifecycle commands (containers.dev devcontainer.json reference: `initializeCommand`,
`onCreateCommand`, `updateContentCommand`, `postCreateCommand`, `postStartCommand`, `postAttachCommand`;
a string run by a shell, an array run as argv without one, or an object of named commands of either
form run in parallel) that start an MCP server or add one to a client (`claude mcp add -e KEY=…`,
`codex mcp add --env KEY=…`, `npx … --api-key …`): servers of the file's inventory, with their
literals found at the file's lines, next to the `customizations.vscode.mcp` servers of the same
file. Every secret-shaped value is built at run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.clients import parse_config
from scanner.clients.discovery import classify_path
from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_PAT = fake_token("ghp_", 36, 821)
_KEY = fake_token("", 40, 822)
_PATH = ".devcontainer/devcontainer.json"
_LIFECYCLE = ("initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand",
              "postStartCommand", "postAttachCommand")


def _findings(text: str, path: str = _PATH) -> list[tuple[int, int, str, str | None]]:
    result = scan_files({path: text.encode()}, _OPTIONS)
    return sorted((f.location.line, f.location.column, f.field, f.server) for f in result.findings)


def _doc(**keys: object) -> str:
    doc: dict[str, object] = {"name": "app", "image": "mcr.microsoft.com/devcontainers/base:bookworm", **keys}
    return json.dumps(doc, indent=2) + "\n"


def _at(text: str, value: str) -> tuple[int, int]:
    """1-based line and column of the first character of `value` in `text`."""
    lines = text.split("\n")
    line = next(i for i, body in enumerate(lines, 1) if value in body)
    return line, lines[line - 1].index(value) + 1


_ADD = f"claude mcp add github -e GITHUB_TOKEN={_PAT} -- npx -y @modelcontextprotocol/server-github"


@pytest.mark.parametrize("key", _LIFECYCLE)
def test_string_command_adding_a_server_is_found_at_its_column(key: str) -> None:
    text = _doc(**{key: _ADD})
    assert _findings(text) == [(*_at(text, _PAT), "env.GITHUB_TOKEN", "github")]


@pytest.mark.parametrize("path", [".devcontainer.json", ".devcontainer/python/devcontainer.json"])
def test_other_dev_container_paths(path: str) -> None:
    text = _doc(postCreateCommand=f"npm ci && {_ADD}")
    assert _findings(text, path) == [(*_at(text, _PAT), "env.GITHUB_TOKEN", "github")]


def test_array_command_is_argv() -> None:
    argv = ["npx", "-y", "@modelcontextprotocol/server-brave-search", "--api-key", _KEY]
    text = _doc(postStartCommand=argv)
    line, column = _at(text, _KEY)
    assert _findings(text) == [(line, column, "args[3]", "server-brave-search")]


def test_array_command_on_one_line() -> None:
    argv = json.dumps(["codex", "mcp", "add", "acme", "--env", f"ACME_API_KEY={_KEY}", "--", "npx",
                       "acme-mcp"])
    text = '{\n  "image": "node:22",\n  "postCreateCommand": ' + argv + "\n}\n"
    assert _findings(text) == [(*_at(text, _KEY), "env.ACME_API_KEY", "acme")]


def test_object_of_named_commands_string_and_array() -> None:
    text = _doc(postCreateCommand={
        "deps": "npm ci",
        "mcp": f"codex mcp add acme --env ACME_API_KEY={_KEY} -- npx -y acme-mcp",
        "github": ["claude", "mcp", "add", "github", "-e", f"GITHUB_TOKEN={_PAT}", "--", "npx", "-y",
                   "@modelcontextprotocol/server-github"]})
    assert _findings(text) == sorted([(*_at(text, _KEY), "env.ACME_API_KEY", "acme"),
                                      (*_at(text, _PAT), "env.GITHUB_TOKEN", "github")])


def test_json_escapes_in_a_command_keep_the_file_columns() -> None:
    text = ('{\n  "postCreateCommand": "bash -c \\"claude mcp add github -e GITHUB_TOKEN=' + _PAT
            + ' -- npx -y @modelcontextprotocol/server-github\\""\n}\n')
    assert [found[:3] for found in _findings(text)] == [(*_at(text, _PAT), "env.GITHUB_TOKEN")]


def test_commands_and_vs_code_servers_of_one_file_are_one_config() -> None:
    server = {"command": "npx", "args": ["-y", "@acme/mcp-server"], "env": {"ACME_API_KEY": _KEY}}
    text = _doc(customizations={"vscode": {"mcp": {"servers": {"acme": server}}}}, postCreateCommand=_ADD)
    candidate = classify_path(_PATH)
    assert candidate is not None
    config = parse_config(candidate, text.encode())
    assert config is not None
    assert sorted(s.name for s in config.servers) == ["acme", "github"]
    assert [f[2:] for f in _findings(text)] == [("env.ACME_API_KEY", "acme"), ("env.GITHUB_TOKEN", "github")]


# --- precision: what must stay quiet ------------------------------------------------------------------


def test_commands_with_references_or_no_mcp_pass() -> None:
    server = {"command": "npx", "args": ["-y", "@acme/mcp-server"],
              "env": {"ACME_API_KEY": "${env:ACME_API_KEY}"}}
    text = _doc(
        customizations={"vscode": {"mcp": {"servers": {"acme": server}}}},
        initializeCommand="docker pull ghcr.io/acme/build-cache:0123456789abcdef0123456789abcdef",
        postCreateCommand={
            "deps": "npm ci && pip install -r requirements.txt",
            "github": "claude mcp add github -e GITHUB_TOKEN=${localEnv:GITHUB_TOKEN} -- npx -y "
                      "@modelcontextprotocol/server-github",
            "shell": "claude mcp add acme -e ACME_API_KEY=$ACME_API_KEY -- npx -y acme-mcp"},
        postStartCommand=["npx", "-y", "@modelcontextprotocol/server-filesystem", "/workspaces/app"])
    assert _findings(text) == []


def test_a_build_hash_in_an_mcp_free_file_is_not_read() -> None:
    text = _doc(postCreateCommand="./setup --token 0123456789abcdef0123456789abcdef01234567 --mcp=off")
    candidate = classify_path(_PATH)
    assert candidate is not None
    config = parse_config(candidate, text.encode())
    assert config is None or not config.servers


def _fixed(text: str) -> list[str | None]:
    result = scan_files({_PATH: text.encode()}, _OPTIONS)
    out: list[str | None] = []
    for finding in result.findings:
        if finding.fix is None:
            out.append(None)
            continue
        lines = text.split("\n")
        for edit in finding.fix.edits:
            assert edit.start_line == edit.end_line
            body = lines[edit.start_line - 1]
            lines[edit.start_line - 1] = (body[:edit.start_column - 1] + edit.replacement
                                          + body[edit.end_column - 1:])
        out.append("\n".join(lines))
    return out


@pytest.mark.parametrize("form", ["string", "array", "object"])
def test_fix_is_the_dev_container_s_own_substitution(form: str) -> None:
    command: object = {"string": _ADD, "array": _ADD.split(" "), "object": {"github": _ADD}}[form]
    fixed = _fixed(_doc(postCreateCommand=command))
    assert len(fixed) == 1 and fixed[0] is not None
    assert _PAT not in fixed[0]
    doc = json.loads(fixed[0])
    assert "GITHUB_TOKEN=${localEnv:GITHUB_TOKEN}" in json.dumps(doc["postCreateCommand"])


def test_value_written_with_json_escapes_gets_no_fix() -> None:
    text = _doc(postCreateCommand=_ADD.replace(f"={_PAT}", f'="{_PAT}\\u0041"'))
    assert _fixed(text) == [None]
