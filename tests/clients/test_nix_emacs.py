"""Nix modules and Emacs mcp.el init files declaring MCP servers (corpus 13: home-manager
`programs.claude-code.mcpServers`, `programs.mcp.servers`, mcp-servers-nix `mkConfig`, mcp.el
`mcp-hub-servers`). Only the literal `env` / `headers` strings (and mcp.el `:url`) are read; nothing is
evaluated. Secret-shaped values are built at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_PAT = fake_token("ghp_", 36, 1321)
_TVLY = fake_token("tvly-", 32, 1322)


def _blocking(path: str, text: str) -> list[tuple[int, str | None, str]]:
    result = scan_files({path: text.encode()}, _OPTIONS)
    assert result.complete
    return sorted((f.location.line, f.server, f.client) for f in result.findings
                  if f.rule_id.startswith("MCPG1") and f.blocking)


def _home_manager(value: str) -> str:
    return ("{ pkgs, ... }:\n{\n  programs.claude-code = {\n    enable = true;\n    mcpServers = {\n"
            "      github = {\n        command = \"npx\";\n"
            "        args = [ \"-y\" \"@modelcontextprotocol/server-github\" ];\n"
            f"        env = {{\n          GITHUB_PERSONAL_ACCESS_TOKEN = \"{value}\"; # personal\n"
            "        };\n"
            "      };\n    };\n  };\n}\n")


def test_a_home_manager_mcp_servers_env_literal_is_the_servers_value() -> None:
    assert _blocking("home/claude-code.nix", _home_manager(_PAT)) == [(10, "github", "nix")]


@pytest.mark.parametrize("value", ["${config.age.secrets.github.path}", "<your-github-token>",
                                   "ghp_" + "x" * 36, ""])
def test_nix_interpolation_and_placeholders_do_not_block(value: str) -> None:
    assert _blocking("home/claude-code.nix", _home_manager(value)) == []


def test_mcp_servers_nix_programs_env_and_remote_headers_are_read() -> None:
    text = ("{ pkgs, inputs, ... }:\nlet\n  cfg = inputs.mcp-servers-nix.lib.mkConfig pkgs {\n"
            "    programs = {\n      fetch.enable = true;\n"
            f"      github = {{ enable = true; env = {{ GITHUB_PERSONAL_ACCESS_TOKEN = \"{_PAT}\"; }}; }};\n"
            "    };\n    settings.servers.tavily = {\n      url = \"https://mcp.tavily.com/mcp/\";\n"
            f"      headers.\"Authorization\" = \"Bearer {_TVLY}\";\n    }};\n  }};\nin cfg\n")
    assert _blocking("nix/mcp.nix", text) == [(6, "github", "nix"), (10, "tavily", "nix")]


def test_nix_hashes_commands_and_files_without_mcp_are_not_read() -> None:
    package = ("{ fetchFromGitHub, buildNpmPackage }:\nbuildNpmPackage {\n  pname = \"github-mcp\";\n"
               "  src = fetchFromGitHub { owner = \"acme\"; repo = \"x\";\n"
               f"    rev = \"{fake_token('', 40, 3)}\";\n"
               f"    hash = \"sha256-{fake_token('', 43, 4)}=\"; }};\n"
               f"  npmDepsHash = \"sha256-{fake_token('', 43, 5)}=\";\n}}\n")
    assert _blocking("pkgs/github-mcp.nix", package) == []
    shell = f"{{ pkgs }}: pkgs.mkShell {{ env = {{ GITHUB_TOKEN = \"{_PAT}\"; }}; }}\n"
    assert _blocking("shell.nix", shell) == []  # no MCP word: not an MCP module


def test_a_password_command_or_env_file_is_no_value() -> None:
    text = ("{ config, inputs, pkgs, ... }:\ninputs.mcp-servers-nix.lib.mkConfig pkgs {\n"
            "  programs.github = { enable = true;\n"
            "    passwordCommand = { GITHUB_PERSONAL_ACCESS_TOKEN = [ \"gh\" \"auth\" \"token\" ]; }; };\n"
            "  programs.notion = { enable = true; envFile = config.sops.secrets.notion.path; };\n}\n")
    assert _blocking("nix/mcp.nix", text) == []


def _mcp_el(env: str) -> str:
    return (";;; init-mcp.el -*- lexical-binding: t; -*-\n(setq mcp-hub-servers\n"
            "      `((\"fetch\" . (:command \"uvx\" :args (\"mcp-server-fetch\")))\n"
            "        (\"github\" . (:command \"npx\" :args (\"-y\" \"@modelcontextprotocol/server-github\")\n"
            f"                     :env {env}))))\n")


@pytest.mark.parametrize("env", [f'(:GITHUB_PERSONAL_ACCESS_TOKEN "{_PAT}")',
                                 f'(("GITHUB_PERSONAL_ACCESS_TOKEN" . "{_PAT}"))'])
def test_an_mcp_el_env_literal_is_the_servers_value(env: str) -> None:
    assert _blocking(".emacs.d/lisp/init-mcp.el", _mcp_el(env)) == [(5, "github", "emacs")]


_AUTH_SOURCE = ',(auth-source-pick-first-password :host "api.github.com")'


@pytest.mark.parametrize("env", [f"(:GITHUB_PERSONAL_ACCESS_TOKEN {_AUTH_SOURCE})",
                                 '(:GITHUB_PERSONAL_ACCESS_TOKEN (getenv "GITHUB_TOKEN"))',
                                 '(:GITHUB_PERSONAL_ACCESS_TOKEN "<your-token>")'])
def test_mcp_el_values_computed_at_load_time_or_placeholders_do_not_block(env: str) -> None:
    assert _blocking("init.el", _mcp_el(env)) == []


def test_an_mcp_el_url_with_a_key_is_read() -> None:
    text = f'(setq mcp-hub-servers\n      \'(("tavily" . (:url "https://mcp.tavily.com/mcp/?tavilyApiKey={_TVLY}"))))\n'
    assert _blocking("emacs/mcp.el", text) == [(2, "tavily", "emacs")]


def test_an_elisp_file_without_mcp_hub_servers_is_not_read() -> None:
    text = f'(setq my-servers \'(("github" . (:env (:GITHUB_TOKEN "{_PAT}")))))\n'
    assert _blocking("init.el", text) == []


_KEY = fake_token("", 40, 1323)  # a generic key: found only under its name, not by a shape


@pytest.mark.parametrize("env", [
    "env = lib.mkForce {{ API_KEY = \"{v}\"; }};",  # the module system's priorities
    "env = rec {{ API_KEY = \"{v}\"; }};",
    "env = {{ API_KEY = lib.mkDefault \"{v}\"; }};",
    "env.API_KEY = mkForce \"{v}\";",
    "env.API_KEY = ''{v}'';",  # a one-line indented string
])
def test_nix_env_literals_under_a_modifier_or_in_an_indented_string_are_read(env: str) -> None:
    text = ("{\n  programs.claude-code.mcpServers = {\n    acme = {\n      command = \"acme-mcp\";\n"
            f"      {env.format(v=_KEY)}\n    }};\n  }};\n}}\n")
    assert _blocking("home/claude-code.nix", text) == [(5, "acme", "nix")]


@pytest.mark.parametrize("env", [
    "env = lib.mkForce {{ API_KEY = \"${{config.age.secrets.acme.path}}\"; }};",
    "env.API_KEY = lib.mkDefault \"<your-acme-key>\";",
    "env.API_KEY = ''${{config.sops.placeholder.acme}}'';",
    "env = builtins.readFile ./key {{ }};",
    "env.API_KEY = builtins.readFile \"/run/secrets/acme-api-key-0123456789abcdef\";",
    "env.API_KEY = lib.strings.fileContents \"/run/agenix/{v}\";",
])
def test_nix_references_under_a_modifier_do_not_block(env: str) -> None:
    text = ("{\n  programs.claude-code.mcpServers = {\n    acme = {\n      command = \"acme-mcp\";\n"
            f"      {env.format(v=_KEY)}\n    }};\n  }};\n}}\n")
    assert _blocking("home/claude-code.nix", text) == []


def test_an_mcp_el_entry_written_without_the_dot_is_read() -> None:
    # `("name" :command …)` is the same list as `("name" . (:command …))` to Emacs
    dotted = _mcp_el(f'(:GITHUB_PERSONAL_ACCESS_TOKEN "{_PAT}")')
    text = dotted.replace('("github" . (:command', '("github" :command').replace("))))\n", ")))\n")
    assert _blocking(".emacs.d/lisp/init-mcp.el", text) == [(5, "github", "emacs")]
    key_only = f'(setq mcp-hub-servers \'(("acme" :command "acme-mcp" :env (:API_KEY "{_KEY}"))))\n'
    assert _blocking("init-mcp.el", key_only) == [(1, "acme", "emacs")]
    assert _blocking("init-mcp.el", key_only.replace(_KEY, "<your-acme-key>")) == []
