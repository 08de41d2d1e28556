"""Each client's own "reference, not value" syntax, and the prose that explains the fix in it.

Facts from reference/mcp-clients.md (cheat sheet and section 4). Clients with no documented
interpolation get honest advice (keep the real file out of git, or a wrapper that reads the OS
keychain) instead of a syntax they would pass to the server literally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scanner.model import Client


@dataclass(frozen=True, slots=True)
class ClientSyntax:
    """How one client resolves a secret from outside the file."""

    client: str
    label: str
    style: str  # "dollar-brace" | "env-colon" | "input" | "dollar" | "brace-env" | "gha" | "names" | "none"
    note: str  # Markdown we wrote (no PR-controlled text): where the value must come from
    language: str = "json"

    @property
    def interpolates(self) -> bool:
        return self.style not in ("names", "none")

    def reference(self, name: str, followed_by_word: bool = False) -> str | None:
        """The text that replaces a secret inside a string value, or None (no interpolation)."""
        name = env_name(name)
        if self.style == "dollar-brace":
            return f"${{{name}}}"
        if self.style == "env-colon":
            return f"${{env:{name}}}"
        if self.style == "input":
            return f"${{input:{input_id(name)}}}"
        if self.style == "dollar":
            return f"${{{name}}}" if followed_by_word else f"${name}"
        if self.style == "brace-env":
            return f"{{env:{name}}}"
        if self.style == "gha":
            return f"${{{{ secrets.{name} }}}}"
        return None


_NO_INTERP = ("{label} does not expand variables in this file: whatever is written here is sent to the "
              "server as is. Keep the real file out of git (commit a copy with an empty value), or start "
              "the server through a wrapper that reads the secret from the OS keychain or the environment "
              "(for example `sh -c 'NAME=\"$(security find-generic-password -s NAME -w)\" exec npx …'` on "
              "macOS, `secret-tool lookup` on Linux).")

_SYNTAXES: dict[str, ClientSyntax] = {s.client: s for s in (
    ClientSyntax("claude-code", "Claude Code", "dollar-brace",
                 "Claude Code expands `${NAME}` and `${NAME:-default}` in `command`, `args`, `env`, `url` "
                 "and `headers` of `.mcp.json`; set the variable in your shell, not in the file."),
    ClientSyntax("copilot-cli", "GitHub Copilot CLI", "dollar-brace",
                 "Copilot CLI expands `${NAME}` from the environment."),
    ClientSyntax("kiro", "Kiro", "dollar-brace",
                 "Kiro expands `${NAME}` for variables you approved (MCP Approved Env Vars)."),
    ClientSyntax("cursor", "Cursor", "env-colon",
                 "Cursor resolves `${env:NAME}` in `command`, `args`, `env`, `url` and `headers`; "
                 "`envFile` can point at an untracked dotenv file."),
    ClientSyntax("windsurf", "Windsurf", "env-colon",
                 "Windsurf resolves `${env:NAME}` (and `${file:/path}`) in its MCP config."),
    ClientSyntax("roo", "Roo Code", "env-colon", "Roo Code resolves `${env:NAME}` from the environment."),
    ClientSyntax("vscode", "VS Code", "input",
                 "VS Code prompts once for `${input:id}` declared in `inputs` with `\"password\": true` and "
                 "stores the value outside the file; `${env:NAME}` also works. Bare `${NAME}` does not."),
    ClientSyntax("visual-studio", "Visual Studio", "input",
                 "Visual Studio resolves `${input:id}` declared in `inputs` (as VS Code)."),
    ClientSyntax("gemini", "Gemini CLI", "dollar",
                 "Gemini CLI expands `$NAME` / `${NAME}` anywhere in settings (from the environment or "
                 "`.gemini/.env`, which must stay untracked)."),
    ClientSyntax("crush", "Crush", "dollar", "Crush expands `$NAME` from the environment."),
    ClientSyntax("opencode", "opencode", "brace-env",
                 "opencode resolves `{env:NAME}` and `{file:path}` anywhere in the file."),
    ClientSyntax("continue", "Continue", "gha",
                 "Continue resolves `${{ secrets.NAME }}` from `.continue/.env`, the workspace `.env` "
                 "(both untracked) or Continue Hub secrets.", "yaml"),
    ClientSyntax("gh-aw", "GitHub Agentic Workflows", "gha",
                 "Use a repository secret: `${{ secrets.NAME }}`.", "yaml"),
    ClientSyntax("copilot-agent", "GitHub Copilot agent", "gha",
                 "Store the value as a `COPILOT_MCP_*` secret of the `copilot` environment and reference "
                 "it with `${{ secrets.NAME }}`.", "yaml"),
    ClientSyntax("codex", "Codex CLI", "names",
                 "Codex has no `${…}` interpolation: list the variable name in `env_vars = [\"NAME\"]` "
                 "(stdio) or use `bearer_token_env_var = \"NAME\"` / `env_http_headers` (HTTP).", "toml"),
    ClientSyntax("goose", "Goose", "names",
                 "Goose `envs` values are literal: move the name to `env_keys: [NAME]` and store the value "
                 "with `goose configure` (OS keyring).", "yaml"),
    ClientSyntax("mcpb", "Claude Desktop extension (MCPB)", "names",
                 "Declare a `user_config` option with `\"sensitive\": true` (OS secret store) and "
                 "reference it as `${user_config.key}` in `mcp_config`."),
    ClientSyntax("docker-mcp", "Docker MCP Toolkit", "names",
                 "Store the value with `docker mcp secret set NAME=…` and reference it from the catalog "
                 "`secrets:` entry; never commit `.mcp.env`.", "yaml"),
    ClientSyntax("dotenv", "dotenv file", "names",
                 "A dotenv file with real values must not be committed: remove it from git "
                 "(`git rm --cached`), add it to `.gitignore`; commit a `.example` copy with empty values.",
                 "dotenv"),
    ClientSyntax("claude-settings", "Claude Code settings", "none",
                 "`env` in a committed `.claude/settings.json` is plain text handed to every process. Move "
                 "the value to your shell environment or the untracked `.claude/settings.local.json`."),
    ClientSyntax("claude-desktop", "Claude Desktop", "none", _NO_INTERP.format(label="Claude Desktop")),
    ClientSyntax("cline", "Cline", "none", _NO_INTERP.format(label="Cline")),
    ClientSyntax("zed", "Zed", "none", _NO_INTERP.format(label="Zed") + " Zed reads user settings from "
                 "`~/.config/zed/settings.json`: keep secrets there, not in `.zed/settings.json`."),
    ClientSyntax("junie", "JetBrains Junie", "none", _NO_INTERP.format(label="Junie")),
    ClientSyntax("amazonq", "Amazon Q Developer", "none", _NO_INTERP.format(label="Amazon Q")),
    ClientSyntax("lmstudio", "LM Studio", "none", _NO_INTERP.format(label="LM Studio")),
    ClientSyntax("antigravity", "Antigravity", "none", _NO_INTERP.format(label="Antigravity (undocumented)")),
    ClientSyntax("smithery", "Smithery manifest", "none",
                 "`exampleConfig` and `env` in `smithery.yaml` are literal: use dummy values and declare "
                 "the real key in `configSchema` so users supply it.", "yaml"),
    ClientSyntax("generic", "MCP client", "none", _NO_INTERP.format(label="This client (unknown format)")),
)}


def syntax_for(client: str | Client) -> ClientSyntax:
    """The syntax entry for a client id; unknown ids get the honest no-interpolation advice."""
    key = client.value if isinstance(client, Client) else client
    return _SYNTAXES.get(key, _SYNTAXES["generic"])


def known_clients() -> tuple[str, ...]:
    return tuple(_SYNTAXES)


def env_name(raw: str | None, fallback: str = "MCP_SECRET") -> str:
    """A valid, upper-case environment variable name (never PR-controlled punctuation)."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", raw or "").strip("_").upper()
    if not name:
        return fallback
    return name if not name[0].isdigit() else f"_{name}"


def input_id(name: str) -> str:
    """VS Code input id for a variable: `GITHUB_TOKEN` -> `github-token`."""
    return env_name(name).lower().replace("_", "-")
