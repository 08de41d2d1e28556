"""Everything mcp-guard knows about one MCP client, as one ClientSpec row per Client.

A row holds the client's label, its own "reference, not value" syntax for fixes and the prose that
explains it, the reference syntaxes it resolves, the content words a file must hold before it is
parsed, the shape builder that turns its tree into an McpConfig, and whether a developer tool reads
it. Discovery, parsing dispatch, the reference-syntax rules, remediation and the environment
classifier all read this table. The path tables below map file names to clients (one name can be
read by several clients, best first), so they are kept per name rather than per row.

Facts from reference/mcp-clients.md (cheat sheet and section 4). Clients with no documented
interpolation get honest advice (keep the real file out of git, or a wrapper that reads the OS
keychain) instead of a syntax they would pass to the server literally.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from scanner.clients import (
    claude_settings,
    codex,
    continue_dev,
    docker,
    dotenv,
    fastmcp,
    frontmatter,
    goose,
    jetbrains,
    mcpservers,
    n8n,
    sections,
    smithery,
    source_code,
)
from scanner.model import Client, FileFormat, McpConfig
from scanner.parsing.node import PNode
from scanner.references import RefSyntax

# (relative path, parsed tree, format, client hint) -> McpConfig, or None when not this shape.
Shape = Callable[[str, PNode, FileFormat, Client], McpConfig | None]


@dataclass(frozen=True, slots=True)
class ClientSpec:
    """One client: how it resolves a secret from outside the file, and how its files are read."""

    client: Client
    label: str
    # What a fix writes: "dollar-brace" | "env-colon" | "input" | "dollar" | "brace-env" | "gha" |
    # "copilot" (`$COPILOT_MCP_NAME`); "py-environ" / "js-env" (source code: `os.environ["NAME"]`,
    # `process.env.NAME`, written by fix/source.py in the language's own syntax);
    # "names" (the value moves to a list of variable names) | "none" (no honest text-only fix).
    style: str
    note: str  # Markdown we wrote (no PR-controlled text): where the value must come from
    language: str = "json"
    # Syntaxes the client documents as resolved; frozenset() = documented literal; None = undocumented.
    resolves: frozenset[RefSyntax] | None = None
    # A file of this client cannot be an MCP config unless its text holds one of these words (checked
    # before parsing, so unrelated files cost nothing); None = always parse.
    content_words: tuple[str, ...] | None = None
    # For a client whose files are read whole (content_words None): the words that confirm an undotted
    # dotfiles copy of one (a GNU stow package's `claude/settings.json` for `~/.claude/settings.json`);
    # None = such a copy is not read.
    dotfiles_words: tuple[str, ...] | None = None
    # Builder for a client with its own file shape; None = the shared JSON/YAML family dispatch.
    shape: Shape | None = None
    dev_tool: bool = True  # its config files are read by a developer tool on a workstation
    # Remediation: where the client documents what it resolves (the source of `resolves` / `style`),
    # and, for clients with no honest in-file fix, the best alternative (Markdown we wrote).
    source: str = ""
    alternative: str = ""
    # The server fields (first segment of a field path: `env`, `args`, `headers`, ...) the client
    # documents as expanded; None = every string of a server (or the whole file). A reference written
    # anywhere else is passed on literally, so a fix there would be no fix.
    expands_in: tuple[str, ...] | None = None

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
        if self.style == "py-environ":
            return f'os.environ["{name}"]'
        if self.style == "js-env":
            return f"process.env.{name}"
        if self.style == "copilot":
            name = name if name.startswith("COPILOT_MCP_") else f"COPILOT_MCP_{name}"
            return f"${{{name}}}" if followed_by_word else f"${name}"
        return None


# What a client that expands nothing does with a value; the advice is the row's `alternative`.
_NO_INTERP = ("{label} does not expand variables in this file: whatever is written here is sent to the "
              "server as is.")
_NO_INTERP_MARK = "does not expand variables in this file"

# Per-environment, short-lived identity in CI (docs.github.com: using environments for deployment;
# security hardening with OpenID Connect).
_CI_IDENTITY = ("Keep a production value in an environment secret (the job's `environment:` gates it), and "
                "for cloud access use OIDC (`permissions: id-token: write`) instead of a stored key.")


def _properties_client(root: PNode) -> Client:
    """The client of an `application*.properties`: Quarkus when it configures LangChain4j's MCP client
    (`quarkus.langchain4j.mcp`), else Spring AI (the file name is both frameworks')."""
    quarkus = root.get("quarkus")
    langchain4j = quarkus.get("langchain4j") if quarkus is not None and quarkus.is_object else None
    if langchain4j is not None and langchain4j.is_object and langchain4j.get("mcp") is not None:
        return Client.QUARKUS
    return Client.SPRING_AI


def _mcp_servers(path: str, root: PNode, fmt: FileFormat, hint: Client) -> McpConfig | None:
    servers = root.get("mcpServers")
    if servers is None or not servers.is_object:
        return None
    return mcpservers.build(path, root, hint, fmt)


_S = RefSyntax
CATALOG: dict[Client, ClientSpec] = {spec.client: spec for spec in (
    ClientSpec(Client.CLAUDE_CODE, "Claude Code", "dollar-brace",
               "Claude Code expands `${NAME}` and `${NAME:-default}` in `command`, `args`, `env`, `url` "
               "and `headers` of `.mcp.json`; set the variable in your shell, not in the file.",
               resolves=frozenset({_S.DOLLAR_BRACE, _S.USER_CONFIG, _S.PREDEFINED}),
               expands_in=("command", "args", "env", "url", "headers")),
    # Copilot CLI documents no expansion in `~/.copilot/mcp-config.json` / `.github/mcp.json` (only
    # PATH is inherited; docs.github.com copilot-cli "add MCP servers"): undocumented, no syntax claim.
    ClientSpec(Client.COPILOT_CLI, "GitHub Copilot CLI", "none",
               _NO_INTERP.format(label="Copilot CLI (no documented expansion)")),
    ClientSpec(Client.KIRO, "Kiro", "dollar-brace",
               "Kiro expands `${NAME}` for variables you approved (MCP Approved Env Vars).",
               resolves=frozenset({_S.DOLLAR_BRACE})),
    ClientSpec(Client.CURSOR, "Cursor", "env-colon",
               "Cursor resolves `${env:NAME}` in `command`, `args`, `env`, `url` and `headers`; "
               "`envFile` can point at an untracked dotenv file.",
               resolves=frozenset({_S.ENV_COLON, _S.PREDEFINED}),
               expands_in=("command", "args", "env", "url", "headers")),
    ClientSpec(Client.WINDSURF, "Windsurf", "env-colon",
               "Windsurf resolves `${env:NAME}` (and `${file:/path}`) in `command`, `args`, `env`, "
               "`serverUrl`, `url` and `headers` of its MCP config.",
               resolves=frozenset({_S.ENV_COLON, _S.FILE_COLON, _S.PREDEFINED}),
               expands_in=("command", "args", "env", "serverUrl", "url", "headers")),
    ClientSpec(Client.ROO, "Roo Code", "env-colon", "Roo Code resolves `${env:NAME}` from the environment.",
               resolves=frozenset({_S.ENV_COLON, _S.PREDEFINED})),
    ClientSpec(Client.VSCODE, "VS Code", "input",
               "VS Code prompts once for `${input:id}` declared in `inputs` with `\"password\": true` and "
               "stores the value outside the file; `${env:NAME}` also works. Bare `${NAME}` does not.",
               resolves=frozenset({_S.INPUT, _S.ENV_COLON, _S.PREDEFINED})),
    ClientSpec(Client.VISUAL_STUDIO, "Visual Studio", "input",
               "Visual Studio resolves `${input:id}` declared in `inputs` (as VS Code).",
               resolves=frozenset({_S.INPUT, _S.ENV_COLON, _S.PREDEFINED})),
    ClientSpec(Client.GEMINI, "Gemini CLI", "dollar",
               "Gemini CLI expands `$NAME` / `${NAME}` anywhere in settings (from the environment or "
               "`.gemini/.env`, which must stay untracked).",
               resolves=frozenset({_S.DOLLAR, _S.DOLLAR_BRACE, _S.PERCENT, _S.PREDEFINED}),
               content_words=("mcpServers",)),
    ClientSpec(Client.CRUSH, "Crush", "dollar", "Crush expands `$NAME` from the environment.",
               resolves=frozenset({_S.DOLLAR, _S.DOLLAR_BRACE})),
    ClientSpec(Client.OPENCODE, "opencode", "brace-env",
               "opencode resolves `{env:NAME}` and `{file:path}` anywhere in the file.",
               resolves=frozenset({_S.BRACE_ENV, _S.BRACE_FILE})),
    ClientSpec(Client.CONTINUE, "Continue", "gha",
               "Continue resolves `${{ secrets.NAME }}` from `.continue/.env`, the workspace `.env` "
               "(both untracked) or Continue Hub secrets.", "yaml",
               resolves=frozenset({_S.GHA_EXPR}),
               shape=lambda path, root, fmt, hint: continue_dev.build(path, root, fmt)),
    ClientSpec(Client.GH_AW, "GitHub Agentic Workflows", "gha",
               "Use a repository secret: `${{ secrets.NAME }}`. " + _CI_IDENTITY, "yaml",
               resolves=frozenset({_S.GHA_EXPR}),
               content_words=("mcp-servers", "\ntools:", "\nengine:"),  # top-level front matter keys
               shape=lambda path, root, fmt, hint: frontmatter.build(path, root, hint, fmt),
               dev_tool=False),
    # A workflow writing an MCP config (anthropics/claude-code-action `mcp_config` input and
    # `claude_args: --mcp-config '<json>'`, docs/configuration.md; a heredoc to `.mcp.json`): the runner
    # substitutes `${{ secrets.NAME }}` anywhere in `with:` and `run:` before the action sees the text.
    ClientSpec(Client.GITHUB_ACTIONS, "GitHub Actions workflow", "gha",
               "Store the value as a repository or environment secret and write "
               "`${{ secrets.NAME }}` in its place: the runner substitutes it before the MCP config is "
               "written or handed to the action, and masks it in the logs. " + _CI_IDENTITY, "json",
               resolves=frozenset({_S.GHA_EXPR}),
               content_words=("mcp", "modelcontextprotocol", "--plugin-dir", "settings",  # may_embed
                              "marketplaces", "claude_env", "COPILOT_MCP_"),
               dev_tool=False),
    # Copilot cloud agent: MCP JSON pasted in repository settings (copies committed as
    # `.github/copilot-mcp.json`) and custom agents' `mcp-servers:` front matter. It substitutes `$VAR`
    # / `${VAR}` from Agents secrets whose names must start with `COPILOT_MCP_` (docs.github.com
    # "Extending Copilot coding agent with MCP"); `${{ secrets.X }}` is gh-aw syntax, not this one.
    ClientSpec(Client.COPILOT_AGENT, "GitHub Copilot agent", "copilot",
               "Store the value as an Agents secret (Settings → Secrets and variables → Agents, or the "
               "`copilot` environment) whose name starts with `COPILOT_MCP_`, and reference it as "
               "`$COPILOT_MCP_NAME`.", "yaml",
               resolves=frozenset({_S.DOLLAR, _S.DOLLAR_BRACE}),
               content_words=("mcp-servers", "mcpServers"),
               shape=lambda path, root, fmt, hint: (
                   frontmatter.build(path, root, hint, fmt) if fmt is FileFormat.MARKDOWN
                   else _mcp_servers(path, root, fmt, hint)),
               dev_tool=False),
    ClientSpec(Client.CODEX, "Codex CLI", "names",
               "Codex has no `${…}` interpolation: list the variable name in `env_vars = [\"NAME\"]` "
               "(stdio) or use `bearer_token_env_var = \"NAME\"` / `env_http_headers` (HTTP).", "toml",
               resolves=frozenset(),
               content_words=("mcp_servers",),
               shape=lambda path, root, fmt, hint: codex.build(path, root, fmt)),
    ClientSpec(Client.GOOSE, "Goose", "names",
               "Goose `envs` values are literal: move the name to `env_keys: [NAME]` and store the value "
               "with `goose configure` (OS keyring).", "yaml",
               resolves=frozenset(),
               content_words=("extensions",),
               shape=lambda path, root, fmt, hint: goose.build(path, root, fmt)),
    ClientSpec(Client.MCPB, "Claude Desktop extension (MCPB)", "names",
               "Declare a `user_config` option with `\"sensitive\": true` (OS secret store) and "
               "reference it as `${user_config.key}` in `mcp_config`.",
               resolves=frozenset({_S.USER_CONFIG, _S.PREDEFINED}),
               content_words=("mcp_config",),
               shape=lambda path, root, fmt, hint: mcpservers.build_mcpb(path, root, fmt)),
    ClientSpec(Client.DOCKER_MCP, "Docker (compose / MCP Toolkit)", "names",
               "In a compose file write `${NAME}` in the service's `environment:` (compose substitutes it "
               "from the shell or an untracked `.env`) or mount it with compose `secrets:`; in an MCP "
               "Toolkit catalog store it with `docker mcp secret set NAME=…` and reference it from the "
               "`secrets:` entry; never commit `.mcp.env`.", "yaml",
               # (`SPRING_AI_MCP_CLIENT_…` / `QUARKUS_LANGCHAIN4J_MCP_…`: docker.configures_mcp_client)
               content_words=("mcp", "modelcontextprotocol", "secrets", "registry", "include", "extends",
                              "_MCP_CLIENT_", "LANGCHAIN4J_MCP_", *docker.CLIENT_WORDS),
               shape=lambda path, root, fmt, hint: docker.build(path, root, fmt),
               dev_tool=False),
    # Kubernetes manifests running MCP servers (clients/kubernetes.py): a container's `env[].value` is
    # literal, and so is a Helm chart's values file; the value belongs in a Secret the manifest names
    # (`valueFrom.secretKeyRef`, `envFrom.secretRef`: kubernetes.io/docs/concepts/configuration/secret);
    # its own fix builder (fix/kubernetes.py) writes the `secretKeyRef`, as Codex's and Goose's do.
    ClientSpec(Client.KUBERNETES, "Kubernetes manifest", "names",
               "Kubernetes passes `env[].value` to the container as written, and anyone who can read the "
               "repository reads it. Create a Secret outside git (`kubectl create secret generic NAME "
               "--from-literal=KEY=…`, or a sealed / external secret) and reference it with "
               "`valueFrom.secretKeyRef` (or `envFrom.secretRef`); in a Helm chart, leave the value empty "
               "in `values.yaml` and pass it at install time (`--set-file`, an existing Secret).", "yaml",
               dev_tool=False),
    # Launchers (clients/launchers.py): the command lines of package.json `scripts`, shell scripts and
    # Makefile / justfile / Taskfile targets that start an MCP server or client. Each is run by a shell
    # (npm: `sh -c`; make: `/bin/sh` after make's own `${NAME}` expansion from the environment; just
    # and Task: a shell), so `${NAME}` there is the environment's value.
    ClientSpec(Client.NPM_SCRIPTS, "package.json script", "dollar-brace",
               "npm runs each `scripts` entry with `sh -c` and the environment it was started in: write "
               "`${NAME}` in place of the value and set NAME in your shell, a secret manager (`op run "
               "--`) or an untracked `.env` (`dotenv -e .env -- …`), not in `package.json`.",
               resolves=frozenset({_S.DOLLAR, _S.DOLLAR_BRACE}),
               content_words=("mcp", "modelcontextprotocol", "MCP")),
    ClientSpec(Client.SHELL_SCRIPT, "shell script", "dollar-brace",
               "The shell expands `${NAME}` from the environment the script starts in: set NAME there "
               "(your shell profile, a secret manager such as `op run --` or `security "
               "find-generic-password -w`, or an untracked `.env` the script sources), not in the "
               "committed script.", "shell",
               resolves=frozenset({_S.DOLLAR, _S.DOLLAR_BRACE}),
               content_words=("mcp", "modelcontextprotocol", "MCP")),
    ClientSpec(Client.WINDOWS_SCRIPT, "PowerShell / cmd script", "env-colon",
               "PowerShell reads the environment as `$env:NAME` (`${env:NAME}` next to other word "
               "characters) and cmd as `%NAME%`: set NAME in the user or session environment or a secret "
               "manager (PowerShell SecretManagement `Get-Secret`), not in the committed script.", "shell",
               resolves=frozenset({_S.ENV_COLON, _S.DOLLAR, _S.PERCENT}),
               content_words=("mcp", "modelcontextprotocol", "MCP")),
    ClientSpec(Client.TASK_RUNNER, "Makefile / justfile / Taskfile target", "dollar-brace",
               "make expands `${NAME}` in a recipe from the environment, and just and Task hand the "
               "command to a shell that does: set NAME in the environment or an untracked `.env` (make "
               "`-include .env`, just `set dotenv-load`, Task `dotenv: ['.env']`), not in the committed "
               "file.", "shell",
               resolves=frozenset({_S.DOLLAR, _S.DOLLAR_BRACE}),
               content_words=("mcp", "modelcontextprotocol", "MCP")),
    ClientSpec(Client.DOTENV, "dotenv file", "names",
               "A dotenv file with real values must not be committed: remove it from git "
               "(`git rm --cached`), add it to `.gitignore`; commit a `.example` copy with empty values.",
               "dotenv",
               shape=lambda path, root, fmt, hint: dotenv.build(path, root),
               dev_tool=False),
    ClientSpec(Client.CLAUDE_SETTINGS, "Claude Code settings", "none",
               "`env` in a committed `.claude/settings.json` is plain text handed to every process. Move "
               "the value to your shell environment or the untracked `.claude/settings.local.json`.",
               shape=lambda path, root, fmt, hint: claude_settings.build(path, root, fmt),
               dotfiles_words=claude_settings.SETTINGS_KEYS),
    ClientSpec(Client.CLAUDE_DESKTOP, "Claude Desktop", "none", _NO_INTERP.format(label="Claude Desktop"),
               resolves=frozenset()),
    ClientSpec(Client.CLINE, "Cline", "none", _NO_INTERP.format(label="Cline"),
               resolves=frozenset()),
    ClientSpec(Client.ZED, "Zed", "none", _NO_INTERP.format(label="Zed"),  # user settings: the alternative
               resolves=frozenset(),
               content_words=("context_servers",)),
    ClientSpec(Client.JUNIE, "JetBrains Junie", "none", _NO_INTERP.format(label="Junie"),
               resolves=frozenset()),
    # JetBrains AI Assistant (clients/jetbrains.py): IDE options XML, a project's workspace.xml, and
    # `.ai/mcp/mcp.json` since 2025.3; no expansion documented (values are passed as written).
    ClientSpec(Client.JETBRAINS, "JetBrains AI Assistant", "none",
               _NO_INTERP.format(label="JetBrains AI Assistant"),
               content_words=jetbrains.CONTENT_WORDS,
               shape=lambda path, root, fmt, hint: jetbrains.build(path, root, fmt)),
    ClientSpec(Client.AMAZONQ, "Amazon Q Developer", "none", _NO_INTERP.format(label="Amazon Q"),
               resolves=frozenset()),
    # JetBrains Air (jetbrains.com/help/air/mcp-servers.html): a project's "local" servers in
    # `.air/mcp.json` (`mcpServers`); its "workspace" servers are the repository's `.mcp.json`.
    ClientSpec(Client.JETBRAINS_AIR, "JetBrains Air", "none",
               _NO_INTERP.format(label="JetBrains Air (undocumented)")),
    ClientSpec(Client.LMSTUDIO, "LM Studio", "none", _NO_INTERP.format(label="LM Studio")),
    # Warp's local agents (warpdotdev/warp skill agent-add-mcp): `~/.warp/.mcp.json` and a project's
    # `.warp/.mcp.json`, `mcpServers` as Claude Desktop writes it; no expansion documented.
    ClientSpec(Client.WARP, "Warp", "none", _NO_INTERP.format(label="Warp (undocumented)")),
    # Mistral Vibe CLI (docs.mistral.ai vibe): `./.vibe/config.toml`, else `~/.vibe/config.toml`, servers
    # as `[[mcp_servers]]` tables named by `name`; an HTTP server's key can come from the variable
    # `api_key_env` names. No expansion of the values written is documented.
    ClientSpec(Client.MISTRAL_VIBE, "Mistral Vibe", "none", _NO_INTERP.format(label="Mistral Vibe"), "toml",
               shape=lambda path, root, fmt, hint: mcpservers.build_list(path, root, hint, fmt,
                                                                         key="mcp_servers")),
    # 5ire (nanbingxyz/5ire): `<app data>/5ire/mcp.json` holds a `servers` list whose entries carry
    # their name as `key`; no expansion documented.
    ClientSpec(Client.FIVE_IRE, "5ire", "none", _NO_INTERP.format(label="5ire"),
               shape=lambda path, root, fmt, hint: mcpservers.build_list(path, root, hint, fmt)),
    ClientSpec(Client.ANTIGRAVITY, "Antigravity", "none",
               _NO_INTERP.format(label="Antigravity (undocumented)")),
    ClientSpec(Client.SMITHERY, "Smithery manifest", "none",
               "`exampleConfig` and `env` in `smithery.yaml` are literal: use dummy values and declare "
               "the real key in `configSchema` so users supply it.", "yaml",
               content_words=("startCommand",),
               shape=lambda path, root, fmt, hint: smithery.build(path, root, fmt),
               dev_tool=False),
    # FastMCP `fastmcp.json` (gofastmcp.com deployment/server-configuration): `deployment.env` is set for
    # the server by `fastmcp run`, with `${NAME}` expanded from the environment.
    ClientSpec(Client.FASTMCP, "FastMCP", "dollar-brace",
               "FastMCP expands `${NAME}` in `deployment.env` of `fastmcp.json` from the environment "
               "`fastmcp run` starts in; set the variable there (or in an untracked `.env`), not in "
               "the file.",
               resolves=frozenset({_S.DOLLAR_BRACE}),
               shape=lambda path, root, fmt, hint: fastmcp.build(path, root, fmt),
               dev_tool=False),
    # Spring AI's MCP client starter (docs.spring.io spring-ai api/mcp/mcp-client-boot-starter-docs):
    # `spring.ai.mcp.client.stdio.connections.<name>.command/args/env`, `sse` / `streamable-http`
    # `.connections.<name>.url`, in `application*.properties` (or any `*.properties` Spring is pointed
    # at: `spring.config.import`, `@PropertySource`). Spring resolves `${NAME}` (and
    # `${NAME:default}`) placeholders from the environment when it binds them.
    ClientSpec(Client.SPRING_AI, "Spring AI MCP client", "dollar-brace",
               "Spring resolves `${NAME}` placeholders in `application.properties` from the environment "
               "(and other property sources) when it binds `spring.ai.mcp.client.*`; set the variable "
               "where the application runs, not in the file.", "properties",
               resolves=frozenset({_S.DOLLAR_BRACE}),
               content_words=("spring.ai.mcp", "langchain4j.mcp"),  # Quarkus shares the file name
               shape=lambda path, root, fmt, hint: sections.build(path, root, fmt, _properties_client(root)),
               dev_tool=False),
    # Quarkus LangChain4j's MCP client (docs.quarkiverse.io quarkus-langchain4j mcp):
    # `quarkus.langchain4j.mcp.<name>.transport-type` / `.command` / `.url` / `.environment.<VAR>` in
    # `application.properties`; Quarkus expands `${NAME}` property expressions from the environment.
    ClientSpec(Client.QUARKUS, "Quarkus LangChain4j MCP client", "dollar-brace",
               "Quarkus expands `${NAME}` property expressions in `application.properties` from the "
               "environment (and other config sources) when it reads `quarkus.langchain4j.mcp.*`; set the "
               "variable where the application runs, not in the file.", "properties",
               resolves=frozenset({_S.DOLLAR_BRACE}),
               content_words=("langchain4j.mcp",),
               shape=lambda path, root, fmt, hint: sections.build(path, root, fmt, Client.QUARKUS),
               dev_tool=False),
    # .NET applications binding an MCP section of `appsettings*.json` (`McpServers`, `Mcp`) with
    # IConfiguration (public .NET MCP clients: `Command`, `Args`, `Environment`, `Url`, `Headers`).
    # .NET configuration layers environment variables (`Section__Key`) and User Secrets over the file.
    ClientSpec(Client.DOTNET, ".NET configuration (appsettings.json)", "none",
               "`appsettings*.json` is read as written and committed with the code: keep the value in "
               "User Secrets during development (`dotnet user-secrets set \"McpServers:Servers:NAME:"
               "Environment:KEY\" …`) and in an environment variable (`McpServers__Servers__NAME__"
               "Environment__KEY`) or a key vault where it runs; .NET configuration reads both over the "
               "file.",
               content_words=("mcp", "mcP", "mCp", "mCP", "Mcp", "McP", "MCp", "MCP"),  # any case
               shape=lambda path, root, fmt, hint: sections.build(path, root, fmt, Client.DOTNET),
               dev_tool=False),
    # mcporter (steipete/mcporter docs/config.md): `config/mcporter.json` is committed by design;
    # `env` takes `${VAR}` / `${VAR:-fallback}`, `headers` also `$env:VAR`.
    ClientSpec(Client.MCPORTER, "mcporter", "dollar-brace",
               "mcporter expands `${NAME}` (and `${NAME:-fallback}`) in `env` and `headers` from the "
               "environment; set the variable outside the file.",
               resolves=frozenset({_S.DOLLAR_BRACE})),
    # Qwen Code: Gemini CLI fork (qwenlm.github.io/qwen-code-docs), same settings shape and expansion.
    ClientSpec(Client.QWEN, "Qwen Code", "dollar",
               "Qwen Code expands `$NAME` / `${NAME}` in settings (from the environment or the untracked "
               "`.qwen/.env`).",
               resolves=frozenset({_S.DOLLAR, _S.DOLLAR_BRACE, _S.PREDEFINED}),
               content_words=("mcpServers", "env", "modelProviders", "security")),
    # Kilo Code: the legacy extension's `.kilocode/mcp.json` (Roo-style mcpServers; no expansion
    # documented) and Kilo 7's `kilo.json[c]` (opencode-style `mcp`), whose docs resolve
    # `{env:NAME}` (Kilo-Org/kilocode kilo-docs automate/mcp/using-in-kilo-code.md, Environment Variables).
    ClientSpec(Client.KILO, "Kilo Code (legacy .kilocode)", "none",
               _NO_INTERP.format(label="Kilo Code's legacy `.kilocode/mcp.json` (undocumented)")),
    ClientSpec(Client.KILO_CONFIG, "Kilo Code (kilo.json)", "brace-env",
               "Kilo Code resolves `{env:NAME}` in `kilo.json` / `kilo.jsonc` from the environment; set the "
               "variable outside the file.",
               resolves=frozenset({_S.BRACE_ENV, _S.BRACE_FILE})),
    # Devin CLI (Cognition docs): `.devin/mcp_config.json` shared, `.devin/mcp_config.local.json` private.
    ClientSpec(Client.DEVIN, "Devin", "env-colon",
               "Devin resolves `${env:NAME}` (and `${file:/path}`) in its MCP config; keep private values "
               "in the untracked `.devin/mcp_config.local.json` or the environment.",
               resolves=frozenset({_S.ENV_COLON, _S.FILE_COLON})),
    ClientSpec(Client.TRAE, "Trae", "none", _NO_INTERP.format(label="Trae (undocumented)")),
    # Amp: flat dotted key `amp.mcpServers` in `.amp/settings.json`, `~/.config/amp/settings.json`.
    ClientSpec(Client.AMP, "Amp", "none", _NO_INTERP.format(label="Amp (undocumented)"),
               content_words=("amp.mcpServers",)),
    ClientSpec(Client.FACTORY, "Factory Droid", "none", _NO_INTERP.format(label="Factory (undocumented)")),
    # LibreChat (librechat.ai docs, librechat_yaml mcp_servers): `${VAR}` from LibreChat's `.env`.
    ClientSpec(Client.LIBRECHAT, "LibreChat", "dollar-brace",
               "LibreChat expands `${NAME}` in `librechat.yaml` from its `.env` file (keep it untracked); "
               "per-user values can be `{{customUserVar}}` entered in the UI.", "yaml",
               resolves=frozenset({_S.DOLLAR_BRACE}),
               content_words=("mcpServers",)),
    # iFlow CLI (Gemini CLI fork; platform.iflow.cn/en/cli/configuration/settings): `.iflow/settings.json`
    # holds `mcpServers` and a top-level literal `apiKey`; every setting can instead come from an
    # `IFLOW_<key>` environment variable. No expansion documented inside the file.
    ClientSpec(Client.IFLOW, "iFlow CLI", "none",
               "iFlow CLI documents no variable expansion in `settings.json`, but reads every setting "
               "from an `IFLOW_<key>` environment variable (`IFLOW_apiKey`, ...): keep keys there or "
               "in the untracked `~/.iflow/settings.json`, not in the committed `.iflow/settings.json`.",
               content_words=("mcpServers",)),
    # Augment Code / Auggie CLI: `~/.augment/settings.json` and project `.augment/settings.json` hold
    # `mcpServers` next to tool permissions and hooks (seen committed); no documented expansion.
    ClientSpec(Client.AUGMENT, "Augment Code", "none", _NO_INTERP.format(label="Augment (undocumented)"),
               content_words=("mcpServers",)),
    # fast-agent (`fastagent.config.yaml` + `fastagent.secrets.yaml`) and lastmile mcp-agent
    # (`mcp_agent.*.yaml`): servers under `mcp.servers`; the secrets file is meant to stay untracked.
    ClientSpec(Client.FAST_AGENT, "fast-agent / mcp-agent", "none",
               "Put keys in the untracked `*.secrets.yaml` (listed in `.gitignore`) or the environment; a "
               "committed secrets file is a leak.", "yaml",
               shape=lambda path, root, fmt, hint: (
                   mcpservers.build_at(path, root, Client.FAST_AGENT, fmt, ("mcp", "servers"))
                   or sections.build(path, root, fmt, Client.FAST_AGENT))),
    # MCP servers declared in application source (clients/source_code.py): the SDKs hand `env` and
    # `headers` to the server as the code builds them, so a literal is in every clone of the code; the
    # code reads the value from the process environment instead (`os.environ["NAME"]`,
    # `process.env.NAME`), where a secret manager or an untracked `.env` puts it. Content-gated by the
    # MCP API names (`source_code.PY_API_WORDS` / `JS_API_WORDS`); fix/source.py writes the read.
    ClientSpec(Client.PYTHON_CODE, "Python MCP client code", "py-environ",
               "Read the value from the environment where the code runs: `os.environ[\"NAME\"]` (set NAME "
               "in the process environment, a secret manager or an untracked `.env` loaded with "
               "python-dotenv), not as a literal in the source.", "python",
               resolves=frozenset({_S.CODE_ENV}), content_words=source_code.PY_API_WORDS, dev_tool=False),
    ClientSpec(Client.JS_CODE, "TypeScript / JavaScript MCP client code", "js-env",
               "Read the value from the environment where the code runs: `process.env.NAME` (set NAME in "
               "the process environment, a secret manager or an untracked `.env` loaded with `dotenv` / "
               "`node --env-file`), not as a literal in the source.", "typescript",
               resolves=frozenset({_S.CODE_ENV}), content_words=source_code.JS_API_WORDS, dev_tool=False),
    # Nix modules (clients/nix.py): a string in `env` / `headers` is written into the generated config
    # and the world-readable Nix store; mcp-servers-nix documents `envFile` / `passwordCommand` instead.
    ClientSpec(Client.NIX, "Nix module (home-manager, mcp-servers-nix)", "none",
               "Nix writes this string into the generated config and into the world-readable Nix store.",
               "nix"),
    # Emacs mcp.el (clients/emacs.py): `:env` strings are handed to the server as written.
    ClientSpec(Client.EMACS, "Emacs mcp.el", "none", _NO_INTERP.format(label="mcp.el"), "elisp"),
    # n8n (clients/n8n.py): an exported workflow's MCP Client Tool node; credentials stay in n8n.
    ClientSpec(Client.N8N, "n8n workflow", "none",
               "An exported n8n workflow holds the node's parameters as written.",
               content_words=n8n.CONTENT_WORDS,
               shape=lambda path, root, fmt, hint: n8n.build(path, root, fmt), dev_tool=False),
    ClientSpec(Client.GENERIC, "MCP client", "none", _NO_INTERP.format(label="This client (unknown format)")),
)}


# Where each client documents the references it resolves (the `resolves` / `style` columns).
_SOURCES: dict[Client, str] = {
    Client.PYTHON_CODE: "modelcontextprotocol/python-sdk (StdioServerParameters env), "
                        "langchain-mcp-adapters, "
                        "openai-agents MCPServerStdio / MCPServerStreamableHttp params, pydantic-ai, mcp-use "
                        "(values are passed as written: the code reads os.environ itself)",
    Client.JS_CODE: "modelcontextprotocol/typescript-sdk (StdioClientTransport env, requestInit headers), "
                    "Mastra MCPClient, AI SDK createMCPClient (values are passed as written: the code "
                    "reads process.env itself)",
    Client.CLAUDE_CODE: "code.claude.com/docs/en/mcp (Environment variable expansion in .mcp.json: ${VAR}, "
                        "${VAR:-default} in command, args, env, url, headers)",
    Client.CURSOR: "cursor.com/docs/context/mcp (Config interpolation: ${env:NAME}; envFile)",
    Client.GITHUB_ACTIONS: "docs.github.com Actions: using secrets in a workflow (${{ secrets.NAME }})",
    Client.WINDSURF: "docs.windsurf.com/windsurf/cascade/mcp (mcp_config.json: ${env:VAR}, ${file:/path})",
    Client.VSCODE: "code.visualstudio.com/docs/copilot/reference/mcp-configuration (inputs, ${input:id}, "
                   "${env:NAME}, envFile)",
    Client.VISUAL_STUDIO: "learn.microsoft.com/visualstudio/ide/mcp-servers (.mcp.json `servers`, VS Code "
                          "format); microsoft/azure-devops-mcp docs/GETTINGSTARTED.md (VS 2022 `inputs`, "
                          "${input:ado_org})",
    Client.ROO: "Roo Code docs: using-mcp-in-roo (${env:NAME})",
    Client.GEMINI: "gemini-cli docs: configuration (settings.json expands $VAR / ${VAR})",
    Client.CRUSH: "charmbracelet/crush configuration, MCP (headers `Bearer $GH_PAT`, `$(echo $API_KEY)`)",
    Client.OPENCODE: "opencode.ai/docs/config, Variables ({env:NAME}, {file:path})",
    Client.CONTINUE: "docs.continue.dev reference: secrets (${{ secrets.NAME }})",
    Client.GH_AW: "github/gh-aw docs: frontmatter mcp-servers (${{ secrets.NAME }})",
    Client.COPILOT_AGENT: "docs.github.com: Extending Copilot coding agent with MCP (COPILOT_MCP_ secrets, "
                          "$VAR / ${VAR})",
    Client.CODEX: "developers.openai.com/codex/mcp and config reference (env_vars, bearer_token_env_var, "
                  "env_http_headers; no ${...} expansion)",
    Client.GOOSE: "goose docs: extensions (envs literal, env_keys from the keyring)",
    Client.KIRO: "kiro.dev/docs/mcp/configuration (env `${EXPANDED_VARIABLE}`; Environment variables)",
    Client.COPILOT_CLI: "docs.github.com: use Copilot CLI, add MCP servers (~/.copilot/mcp-config.json; no "
                        "expansion documented)",
    Client.MCPB: "modelcontextprotocol/mcpb MANIFEST.md (user_config, sensitive, ${user_config.key})",
    Client.DOCKER_MCP: "Docker MCP Toolkit docs / docker/mcp-registry (server.yaml `secrets:`, "
                       "`docker mcp secret set`); docs.docker.com compose Interpolation (`${VAR}` from the "
                       "shell and `.env`) and compose secrets",
    Client.DOTENV: "dotenv files hold values by design: never committed",
    Client.CLAUDE_SETTINGS: "code.claude.com/docs/en/settings (`env` is literal; settings.local.json; "
                            "apiKeyHelper)",
    Client.CLAUDE_DESKTOP: "modelcontextprotocol.io user quickstart (claude_desktop_config.json: values are "
                           "literal)",
    Client.CLINE: "docs.cline.bot/mcp/configuring-mcp-servers (env values literal; no expansion documented)",
    Client.ZED: "Zed docs, MCP (context_servers; no expansion documented)",
    Client.JUNIE: "JetBrains Junie docs, MCP settings (no expansion documented)",
    Client.JETBRAINS: "JetBrains AI Assistant docs, Model Context Protocol (Settings | Tools | AI "
                      "Assistant | MCP; project `.ai/mcp/mcp.json` since 2025.3, LLM-22682; no expansion "
                      "documented)",
    Client.AMAZONQ: "docs.aws.amazon.com/amazonq qdeveloper-ug command-line-mcp-configuration (no expansion "
                    "documented)",
    Client.JETBRAINS_AIR: "jetbrains.com/help/air/mcp-servers.html (.air/mcp.json local servers; no "
                          "expansion documented)",
    Client.LMSTUDIO: "LM Studio docs, MCP (mcp.json in Cursor notation; no expansion documented)",
    Client.MISTRAL_VIBE: "docs.mistral.ai vibe/code/cli/mcp-servers ([[mcp_servers]]: api_key_env names the "
                         "variable holding an HTTP server's key; no expansion documented)",
    Client.WARP: "docs.warp.dev agents MCP; warpdotdev/warp agent-add-mcp (.warp/.mcp.json; no expansion "
                 "documented)",
    Client.FIVE_IRE: "5ire docs, MCP tools (mcp.json `servers` list; no expansion documented)",
    Client.ANTIGRAVITY: "no public documentation of expansion in mcp_config.json",
    Client.SMITHERY: "Smithery docs, smithery.yaml (configSchema, exampleConfig)",
    Client.FASTMCP: "gofastmcp.com deployment/server-configuration (fastmcp.json deployment.env ${VAR})",
    Client.SPRING_AI: "docs.spring.io spring-ai mcp-client-boot-starter-docs (spring.ai.mcp.client.*; "
                      "Spring Boot externalized configuration, ${VAR} placeholders)",
    Client.DOTNET: "learn.microsoft.com aspnet/core/fundamentals/configuration (environment variables "
                   "`__`, User Secrets in Development; keys bound case-insensitively)",
    Client.QUARKUS: "docs.quarkiverse.io quarkus-langchain4j MCP (quarkus.langchain4j.mcp.*); quarkus.io "
                    "config reference (${VAR} property expressions)",
    Client.MCPORTER: "steipete/mcporter docs/config.md (${VAR}, ${VAR:-fallback}, $env:VAR)",
    Client.QWEN: "qwenlm.github.io/qwen-code-docs settings (Gemini CLI fork: $VAR / ${VAR})",
    Client.KILO: "Kilo-Org/kilocode kilo-docs (legacy .kilocode/mcp.json: no expansion documented)",
    Client.KILO_CONFIG: "Kilo-Org/kilocode kilo-docs automate/mcp/using-in-kilo-code.md (kilo.json[c] `mcp`: "
                        "{env:VARIABLE_NAME})",
    Client.DEVIN: "Devin CLI docs, MCP (mcp_config.json ${env:VAR}, ${file:/path}; mcp_config.local.json)",
    Client.TRAE: "Trae docs, MCP (no expansion documented)",
    Client.AMP: "Amp owner's manual (amp.mcpServers; no expansion documented)",
    Client.FACTORY: "Factory docs, MCP (no expansion documented)",
    Client.LIBRECHAT: "librechat.ai docs: librechat.yaml mcpServers (${VAR} from .env, {{customUserVar}})",
    Client.IFLOW: "platform.iflow.cn/en/cli/configuration/settings (IFLOW_<key> variables; no expansion "
                  "in the file)",
    Client.AUGMENT: "Augment Code docs, MCP (no expansion documented)",
    Client.FAST_AGENT: "fast-agent / mcp-agent docs (fastagent.secrets.yaml kept untracked)",
    Client.KUBERNETES: "kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure "
                       "(env valueFrom.secretKeyRef)",
    Client.NPM_SCRIPTS: "docs.npmjs.com/cli/using-npm/scripts (scripts run by `sh -c`, cmd.exe on Windows, "
                        "with the caller's environment: ${NAME} expanded by sh)",
    Client.SHELL_SCRIPT: "POSIX shell: parameter expansion (${NAME} from the environment)",
    Client.WINDOWS_SCRIPT: "learn.microsoft.com about_Environment_Variables ($env:NAME, ${env:NAME}); cmd "
                           "`set` (%NAME% expanded in a batch file)",
    Client.TASK_RUNNER: "GNU make manual, Variables from the Environment (${NAME} in a recipe); just manual "
                        "(recipes run by sh, dotenv-load); taskfile.dev usage (env, dotenv)",
    Client.NIX: "natsukium/mcp-servers-nix README (envFile, passwordCommand); home-manager "
                "programs.claude-code.mcpServers / programs.mcp.servers (strings written as given)",
    Client.EMACS: "lizqwerscott/mcp.el README (mcp-hub-servers :env plist, passed as written)",
    Client.N8N: "docs.n8n.io MCP Client Tool node (endpoint URL; authentication through n8n credentials)",
    Client.GENERIC: "unknown client: no expansion assumed",
}
_KEYCHAIN_LAUNCHER = ("a launcher that reads the value from the OS keychain or the environment and then "
                      "starts the server (`security find-generic-password -w` on macOS, `secret-tool lookup` "
                      "on Linux, `Get-Secret` on Windows)")
# The best alternative for clients that pass values literally (no honest in-file fix).
_ALTERNATIVES: dict[Client, str] = {
    Client.CLAUDE_DESKTOP: ("Package the server as a Desktop Extension (MCPB): declare the key in "
                           "`user_config` "
                           "with `\"sensitive\": true` (Claude Desktop keeps it in the OS keychain) and use "
                           "`${user_config.key}` in `mcp_config`; or start it through " + _KEYCHAIN_LAUNCHER
                           + "; or add a hosted server with OAuth under Settings > Connectors."),
    Client.CLINE: ("Start the server through " + _KEYCHAIN_LAUNCHER
                   + ", and keep the settings file out of git."),
    Client.ZED: ("Keep the value in your user settings (`~/.config/zed/settings.json`, outside the "
                 "repository) "
                 "or start the server through " + _KEYCHAIN_LAUNCHER + "."),
    Client.JUNIE: "Start the server through " + _KEYCHAIN_LAUNCHER + ".",
    Client.DOTNET: ("Move the value to User Secrets (`dotnet user-secrets set`) for development and to an "
                    "environment variable or a key vault where the application runs, and leave the key "
                    "empty in `appsettings*.json`."),
    Client.JETBRAINS: ("Define a server that needs a credential in the IDE-level settings (Settings | "
                       "Tools | AI Assistant | Model Context Protocol: stored outside the repository) and "
                       "keep `.idea/workspace.xml` out of git (JetBrains' own advice), or start the server "
                       "through " + _KEYCHAIN_LAUNCHER + "."),
    Client.AMAZONQ: "Start the server through " + _KEYCHAIN_LAUNCHER + ".",
    Client.JETBRAINS_AIR: ("Add a server that needs a credential as a global MCP server in JetBrains Air "
                           "(Settings | AI | MCP Servers: stored outside the repository), or start it "
                           "through " + _KEYCHAIN_LAUNCHER + "."),
    Client.LMSTUDIO: "Start the server through " + _KEYCHAIN_LAUNCHER + ".",
    Client.MISTRAL_VIBE: ("For an HTTP server, name the variable holding the key in `api_key_env` (with "
                          "`api_key_header` / `api_key_format`) and set it in your shell or the untracked "
                          "`~/.vibe/.env`; for a stdio server, start it through " + _KEYCHAIN_LAUNCHER + "."),
    Client.WARP: ("Add a server that needs a credential in Warp's own MCP server settings (Settings | "
                  "Agents | MCP servers: kept by Warp, outside the repository) instead of `.warp/.mcp.json`, "
                  "or start it through " + _KEYCHAIN_LAUNCHER + "."),
    Client.FIVE_IRE: "Start the server through " + _KEYCHAIN_LAUNCHER + ".",
    Client.NIX: ("Keep the value out of the Nix file: mcp-servers-nix `envFile = config.age.secrets.x.path;` "
                 "or `passwordCommand`, or a wrapper reading an agenix / sops-nix secret at run time "
                 "(`$(cat ${config.age.secrets.x.path})`)."),
    Client.N8N: ("Move the key out of the endpoint URL into an n8n credential (Bearer or Header auth "
                 "on the MCP Client Tool node): exports name credentials, never their values."),
    Client.EMACS: ("Compute the value when the file loads, in a backquoted list: "
                   "`,(auth-source-pick-first-password :host \"api.example.com\")` or `,(getenv \"NAME\")`."),
    Client.ANTIGRAVITY: "Start the server through " + _KEYCHAIN_LAUNCHER + ".",
    Client.GENERIC: ("Start the server through " + _KEYCHAIN_LAUNCHER
                     + ", or use the client's own secret input."),
    Client.CLAUDE_SETTINGS: ("Move the value to your shell environment or the untracked "
                             "`.claude/settings.local.json`; for `ANTHROPIC_API_KEY` use `apiKeyHelper` (a "
                             "command "
                             "that prints the key from a keychain)."),
    Client.DOTENV: ("Remove the file from git (`git rm --cached`), list it in `.gitignore`, and commit a "
                    "`.example` copy with empty values."),
    Client.SMITHERY: "Use a dummy value in `exampleConfig` and declare the real key in `configSchema`.",
    Client.DOCKER_MCP: ("In a compose file write `${NAME}` (from the shell or an untracked `.env`) or use "
                        "compose `secrets:`; in an MCP Toolkit catalog store the value with `docker mcp "
                        "secret set NAME=…` and reference it from `secrets:`."),
    Client.KUBERNETES: ("Move the value into a Secret created outside git and reference it with "
                        "`valueFrom.secretKeyRef` (or `envFrom.secretRef`)."),
    Client.MCPB: "Declare the key in `user_config` with `\"sensitive\": true` and use `${user_config.key}`.",
    Client.COPILOT_AGENT: "Store it as a `COPILOT_MCP_*` secret of the `copilot` environment.",
}
# Clients whose note is _NO_INTERP (it says what the client does, not what to do) and that have no better
# way of their own: keep the file out of git, or a launcher. Rows with their own advice keep it.
_DEFAULT_ALTERNATIVE = ("Keep the real file out of git (commit a copy with an empty value), or start the "
                        "server through " + _KEYCHAIN_LAUNCHER + ".")
for _client, _spec in list(CATALOG.items()):
    CATALOG[_client] = replace(_spec, source=_SOURCES.get(_client, ""), alternative=_ALTERNATIVES.get(
        _client, _DEFAULT_ALTERNATIVE if _NO_INTERP_MARK in _spec.note else ""))


# Names of files users copy out of their home directory into repositories (Windows users commit
# them too, so they are matched case-insensitively). Value: (format, hints, generic).
BY_NAME: dict[str, tuple[FileFormat, tuple[Client, ...], bool]] = {
    ".mcp.json": (FileFormat.JSONC, (Client.CLAUDE_CODE, Client.VISUAL_STUDIO, Client.COPILOT_CLI), False),
    "claude_desktop_config.json": (FileFormat.JSON, (Client.CLAUDE_DESKTOP,), False),
    "cline_mcp_settings.json": (FileFormat.JSON, (Client.CLINE,), False),
    "mcp_settings.json": (FileFormat.JSON, (Client.ROO, Client.CLINE, Client.GENERIC), False),
    "mcp_config.json": (FileFormat.JSON, (Client.WINDSURF, Client.ANTIGRAVITY), False),
    ".claude.json": (FileFormat.JSON, (Client.CLAUDE_CODE,), False),  # ~/.claude.json in dotfiles
    "dot_claude.json": (FileFormat.JSON, (Client.CLAUDE_CODE,), False),  # chezmoi
    # Claude Code's managed (enterprise) scope (code.claude.com settings: `/etc/claude-code/`,
    # `/Library/Application Support/ClaudeCode/`), committed by container images and IT repositories;
    # Codex's managed layer (`/etc/codex/managed_config.toml`).
    "managed-settings.json": (FileFormat.JSON, (Client.CLAUDE_SETTINGS,), False),
    "managed-mcp.json": (FileFormat.JSON, (Client.CLAUDE_CODE,), False),
    "managed_config.toml": (FileFormat.TOML, (Client.CODEX,), False),
    "mcporter.json": (FileFormat.JSONC, (Client.MCPORTER,), False),
    "mcporter.jsonc": (FileFormat.JSONC, (Client.MCPORTER,), False),
    "kilo.json": (FileFormat.JSONC, (Client.KILO_CONFIG,), False),
    "kilo.jsonc": (FileFormat.JSONC, (Client.KILO_CONFIG,), False),
    "copilot-mcp.json": (FileFormat.JSON, (Client.COPILOT_AGENT,), False),
    "librechat.yaml": (FileFormat.YAML, (Client.LIBRECHAT,), False),
    "librechat.yml": (FileFormat.YAML, (Client.LIBRECHAT,), False),
    "fastagent.config.yaml": (FileFormat.YAML, (Client.FAST_AGENT,), False),
    "fastagent.secrets.yaml": (FileFormat.YAML, (Client.FAST_AGENT,), False),
    "mcp_agent.config.yaml": (FileFormat.YAML, (Client.FAST_AGENT,), False),
    "mcp_agent.secrets.yaml": (FileFormat.YAML, (Client.FAST_AGENT,), False),
    "mcp-config.json": (FileFormat.JSON, (Client.COPILOT_CLI, Client.GENERIC), True),
    "mcp_servers.json": (FileFormat.JSON, (Client.GENERIC,), True),
    "mcp-servers.json": (FileFormat.JSON, (Client.GENERIC,), True),
    "opencode.json": (FileFormat.JSONC, (Client.OPENCODE,), False),
    "opencode.jsonc": (FileFormat.JSONC, (Client.OPENCODE,), False),
    ".crush.json": (FileFormat.JSON, (Client.CRUSH,), False),
    "crush.json": (FileFormat.JSON, (Client.CRUSH,), False),
    "gemini-extension.json": (FileFormat.JSON, (Client.GEMINI,), False),
    "manifest.json": (FileFormat.JSON, (Client.MCPB,), True),
    "smithery.yaml": (FileFormat.YAML, (Client.SMITHERY,), False),
    # GitHub Actions metadata (a composite / JavaScript / Docker action, at the root or under
    # `.github/actions/<name>/`): its steps write MCP configs as a workflow's do, its input defaults
    # are published with it (clients/workflows.py, workflow_inputs.py; content-confirmed)
    "action.yml": (FileFormat.YAML, (Client.GITHUB_ACTIONS,), True),
    "action.yaml": (FileFormat.YAML, (Client.GITHUB_ACTIONS,), True),
    "fastmcp.json": (FileFormat.JSONC, (Client.FASTMCP,), False),
    # OpenClaw's gateway config (`~/.openclaw/openclaw.json`, JSON5; >=1,580 public repositories
    # commit it, corpus realsample14): MCP servers under `mcp.servers`, and next to them the gateway
    # token, channel secrets and model providers' `apiKey` (searched whole).
    "openclaw.json": (FileFormat.JSONC, (Client.GENERIC,), False),
    "smithery.yml": (FileFormat.YAML, (Client.SMITHERY,), False),
    "server.yaml": (FileFormat.YAML, (Client.DOCKER_MCP,), True),
    "server.yml": (FileFormat.YAML, (Client.DOCKER_MCP,), True),
    # Copies of a client's config under the client's own name without an `mcp` word (seen committed
    # in hundreds of public repositories: `claude-desktop-config.json`, `examples/claude_config.json`,
    # `cursor-config.json`, an undotted `claude.json`); the ambiguous ones count only when their
    # content is an MCP config.
    "claude-desktop-config.json": (FileFormat.JSON, (Client.CLAUDE_DESKTOP,), False),
    "claude_desktop.json": (FileFormat.JSON, (Client.CLAUDE_DESKTOP,), True),
    "claude-desktop.json": (FileFormat.JSON, (Client.CLAUDE_DESKTOP,), True),
    "claude_config.json": (FileFormat.JSON, (Client.GENERIC,), True),
    "claude-config.json": (FileFormat.JSON, (Client.GENERIC,), True),
    "claude.json": (FileFormat.JSON, (Client.CLAUDE_CODE,), True),  # ~/.claude.json without its dot
    "claude-code-config.json": (FileFormat.JSON, (Client.CLAUDE_CODE,), True),
    "claude_code_config.json": (FileFormat.JSON, (Client.CLAUDE_CODE,), True),
    "cursor-config.json": (FileFormat.JSON, (Client.CURSOR,), True),
    "cursor_config.json": (FileFormat.JSON, (Client.CURSOR,), True),
    "windsurf-config.json": (FileFormat.JSON, (Client.WINDSURF,), True),
    "windsurf_config.json": (FileFormat.JSON, (Client.WINDSURF,), True),
    "cline-config.json": (FileFormat.JSON, (Client.CLINE,), True),
    "cline_config.json": (FileFormat.JSON, (Client.CLINE,), True),
    "mcpservers.json": (FileFormat.JSONC, (Client.GENERIC,), True),  # mcpServers.json
    "mcpconfig.json": (FileFormat.JSONC, (Client.GENERIC,), True),
    "mcpo.json": (FileFormat.JSONC, (Client.GENERIC,), True),  # Open WebUI's mcpo proxy
    ".mcp.env": (FileFormat.DOTENV, (Client.DOTENV,), False),
    ".env.mcp": (FileFormat.DOTENV, (Client.DOTENV,), False),
    "mcp.env": (FileFormat.DOTENV, (Client.DOTENV,), False),
}

# `<parent dir>/mcp.json` project files; matched exactly, as the clients read them on Linux.
MCP_JSON_PARENT: dict[str, tuple[FileFormat, Client]] = {
    ".cursor": (FileFormat.JSON, Client.CURSOR),
    ".vscode": (FileFormat.JSONC, Client.VSCODE),
    ".vs": (FileFormat.JSONC, Client.VISUAL_STUDIO),
    ".github": (FileFormat.JSON, Client.COPILOT_CLI),
    ".copilot": (FileFormat.JSON, Client.COPILOT_CLI),
    ".roo": (FileFormat.JSON, Client.ROO),
    ".amazonq": (FileFormat.JSON, Client.AMAZONQ),
    ".lmstudio": (FileFormat.JSON, Client.LMSTUDIO),
    ".air": (FileFormat.JSON, Client.JETBRAINS_AIR),
    "5ire": (FileFormat.JSON, Client.FIVE_IRE),
    ".agents": (FileFormat.JSONC, Client.OPENCODE),
    ".windsurf": (FileFormat.JSON, Client.WINDSURF),
    ".kilocode": (FileFormat.JSON, Client.KILO),
    ".kiro": (FileFormat.JSON, Client.KIRO),
    ".trae": (FileFormat.JSON, Client.TRAE),
    ".factory": (FileFormat.JSON, Client.FACTORY),
    ".claude": (FileFormat.JSON, Client.CLAUDE_CODE),  # read by mcporter's importer (Claude Code UNV)
}
# `<parent dir>/.mcp.json` of a client that reads the project-scope name inside its own folder (Warp's
# `{repo}/.warp/.mcp.json` and `~/.warp/.mcp.json`); `.mcp.json` anywhere else is Claude Code's.
DOT_MCP_JSON_PARENT: dict[str, tuple[FileFormat, Client]] = {
    ".warp": (FileFormat.JSONC, Client.WARP),
}
MCP_JSON_GRANDPARENT: dict[tuple[str, str], Client] = {
    (".kiro", "settings"): Client.KIRO,
    (".junie", "mcp"): Client.JUNIE,
    (".ai", "mcp"): Client.JETBRAINS,  # JetBrains AI Assistant 2025.3+ (project and ~/.ai/mcp/mcp.json)
    (".continue", "mcpServers"): Client.CONTINUE,
    ("Code", "User"): Client.VSCODE,  # VS Code user profile (~/.config/Code/User/mcp.json)
    ("Code - Insiders", "User"): Client.VSCODE,
    ("Trae", "User"): Client.TRAE,
    (".aws", "amazonq"): Client.AMAZONQ,
}
# `<parent dir>/mcp_config.json` (Windsurf's name, also used by Antigravity and Devin).
MCP_CONFIG_PARENT: dict[str, Client] = {
    ".agents": Client.ANTIGRAVITY,
    "antigravity": Client.ANTIGRAVITY,  # ~/.gemini/antigravity/mcp_config.json
    ".devin": Client.DEVIN,
    "devin": Client.DEVIN,  # ~/.config/devin/mcp_config.json
}
# Generic file names that are an MCP host's own config only inside that host's directory:
# (parent dir, lower-case name) -> (format, client, generic). Open WebUI's mcpo `mcpo/config.json`,
# MCPHub.nvim `~/.config/mcphub/servers.json` and a workspace's `.mcphub/servers.json` (both
# `mcpServers`, content-confirmed), and agent configs whose LLM `api_key` sits next to their `[mcp]`
# table (OpenHands `.openhands/config.toml`, Kimi CLI `.kimi/config.toml`: searched whole).
NAMED_IN_DIR: dict[tuple[str, str], tuple[FileFormat, Client, bool]] = {
    ("mcpo", "config.json"): (FileFormat.JSONC, Client.GENERIC, True),
    ("mcp-proxy", "config.json"): (FileFormat.JSONC, Client.GENERIC, True),
    ("mcphub", "servers.json"): (FileFormat.JSONC, Client.GENERIC, True),
    (".mcphub", "servers.json"): (FileFormat.JSONC, Client.GENERIC, True),
    (".openhands", "config.toml"): (FileFormat.TOML, Client.GENERIC, False),
    (".kimi", "config.toml"): (FileFormat.TOML, Client.GENERIC, False),
    # Mistral Vibe: its config (searched whole: providers, `[[mcp_servers]]`) and the `.env` it saves
    # the API key to at first run (`~/.vibe/.env`, committed in dotfiles trees).
    (".vibe", "config.toml"): (FileFormat.TOML, Client.MISTRAL_VIBE, False),
    (".vibe", ".env"): (FileFormat.DOTENV, Client.DOTENV, False),
    # The clients' own secret files, committed by mistake (searched whole): the dotenv files Gemini
    # CLI / Qwen Code / iFlow / Continue read their keys from (`.gemini/.env`: 89 public repos), and
    # credential stores written after a login (`.codex/auth.json`: >=330 repos; OAuth token files).
    (".gemini", ".env"): (FileFormat.DOTENV, Client.DOTENV, False),
    (".qwen", ".env"): (FileFormat.DOTENV, Client.DOTENV, False),
    (".iflow", ".env"): (FileFormat.DOTENV, Client.DOTENV, False),
    (".continue", ".env"): (FileFormat.DOTENV, Client.DOTENV, False),
    # Codex CLI loads `$CODEX_HOME/.env` at start (codex-rs arg0 `load_dotenv`), and `codex mcp login`
    # style helpers persist bearer tokens there.
    (".codex", ".env"): (FileFormat.DOTENV, Client.DOTENV, False),
    (".codex", "auth.json"): (FileFormat.JSON, Client.GENERIC, False),
    (".claude", ".credentials.json"): (FileFormat.JSON, Client.GENERIC, False),
    (".gemini", "oauth_creds.json"): (FileFormat.JSON, Client.GENERIC, False),
    (".gemini", "mcp-oauth-tokens.json"): (FileFormat.JSON, Client.GENERIC, False),
    (".qwen", "oauth_creds.json"): (FileFormat.JSON, Client.GENERIC, False),
    (".mcporter", "credentials.json"): (FileFormat.JSON, Client.GENERIC, False),
    ("goose", "secrets.yaml"): (FileFormat.YAML, Client.GENERIC, False),  # ~/.config/goose/secrets.yaml
    (".goose", "secrets.yaml"): (FileFormat.YAML, Client.GENERIC, False),  # the same, dotfiles layout
    ("opencode", "auth.json"): (FileFormat.JSON, Client.GENERIC, False),  # ~/.local/share/opencode/
    # JetBrains AI Assistant keeps MCP servers in XML options (clients/jetbrains.py): the IDE's
    # `options/llm.mcpServers.xml` (JetBrains settings-sync and dotfiles repositories) and a project's
    # `.idea/workspace.xml` (committed in many repositories; Rider: `.idea/.idea.<Sln>/.idea/`). Only
    # their MCP component is read, and only when the text names it.
    (".idea", "workspace.xml"): (FileFormat.XML, Client.JETBRAINS, True),
    ("options", "llm.mcpservers.xml"): (FileFormat.XML, Client.JETBRAINS, True),
}
SETTINGS_PARENT: dict[str, tuple[FileFormat, Client]] = {
    ".vscode": (FileFormat.JSONC, Client.VSCODE),
    ".gemini": (FileFormat.JSON, Client.GEMINI),
    ".qwen": (FileFormat.JSON, Client.QWEN),  # Gemini CLI fork, same settings shape
    ".iflow": (FileFormat.JSON, Client.IFLOW),  # Gemini CLI fork: mcpServers + apiKey
    ".augment": (FileFormat.JSON, Client.AUGMENT),  # Augment / Auggie CLI
    ".amp": (FileFormat.JSON, Client.AMP),
    ".zed": (FileFormat.JSONC, Client.ZED),
    ".claude": (FileFormat.JSON, Client.CLAUDE_SETTINGS),
}
# Launcher files (clients/launchers.py), read only when a command line of theirs starts an MCP
# server or client: lower-case base name -> (format, client); these extensions anywhere; and files
# without an extension under LAUNCHER_DIRS when they start with a shebang (`bin/start-mcp`).
LAUNCHER_NAMES: dict[str, tuple[FileFormat, Client]] = {
    "package.json": (FileFormat.JSON, Client.NPM_SCRIPTS),
    "makefile": (FileFormat.SHELL, Client.TASK_RUNNER),
    "gnumakefile": (FileFormat.SHELL, Client.TASK_RUNNER),
    "justfile": (FileFormat.SHELL, Client.TASK_RUNNER),
    ".justfile": (FileFormat.SHELL, Client.TASK_RUNNER),
    "taskfile.yml": (FileFormat.YAML, Client.TASK_RUNNER),
    "taskfile.yaml": (FileFormat.YAML, Client.TASK_RUNNER),
    "taskfile.dist.yml": (FileFormat.YAML, Client.TASK_RUNNER),
    "taskfile.dist.yaml": (FileFormat.YAML, Client.TASK_RUNNER),
}
LAUNCHER_EXTS: dict[str, Client] = {"sh": Client.SHELL_SCRIPT, "bash": Client.SHELL_SCRIPT,
                                    "zsh": Client.SHELL_SCRIPT, "mk": Client.TASK_RUNNER,
                                    "ps1": Client.WINDOWS_SCRIPT, "cmd": Client.WINDOWS_SCRIPT,
                                    "bat": Client.WINDOWS_SCRIPT}
LAUNCHER_DIRS = frozenset({"bin", "scripts", "script"})
# Configuration languages read by a tokeniser of their own, only when their text says MCP (never
# evaluated): Nix modules (clients/nix.py) and Emacs Lisp init files (clients/emacs.py).
TEXT_EXTS: dict[str, tuple[FileFormat, Client]] = {"nix": (FileFormat.NIX, Client.NIX),
                                                   "el": (FileFormat.ELISP, Client.EMACS)}
# Application source that may declare MCP servers (clients/source_code.py), read only when its text
# holds one of the MCP API names (the listing asks `git grep` which do: no other source file is read).
SOURCE_EXTS: dict[str, tuple[FileFormat, Client]] = {
    "py": (FileFormat.PYTHON, Client.PYTHON_CODE),
    **{ext: (FileFormat.JAVASCRIPT, Client.JS_CODE)
       for ext in ("ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs")},
}
SOURCE_CLIENTS = frozenset({Client.PYTHON_CODE, Client.JS_CODE})
LAUNCHER_CLIENTS = frozenset({Client.NPM_SCRIPTS, Client.SHELL_SCRIPT, Client.WINDOWS_SCRIPT,
                              Client.TASK_RUNNER})
# Directories whose JSON files are all credential stores (mcp-remote's `~/.mcp-auth/<version>/`).
CREDENTIAL_DIRS = frozenset({".mcp-auth"})
# Shared-name files (VS Code settings.json / *.code-workspace / devcontainer.json) and generic
# names (mcp.json, mcp.yaml, ...) must hold one of these words before they are parsed.
SHARED_CONTENT_WORDS = ("mcp",)
GENERIC_CONTENT_WORDS = ("mcp", "servers", "extensions", "context_servers", "secrets",
                         "modelContextProtocolServers")  # Continue's legacy config.json

ClientSyntax = ClientSpec  # the name remediation code used for the fix-syntax part of a row


def spec_for(client: Client) -> ClientSpec:
    return CATALOG[client]


def syntax_for(client: str | Client) -> ClientSpec:
    """The row for a client id; unknown ids get the honest no-interpolation advice (GENERIC)."""
    try:
        return CATALOG[Client(client)]
    except ValueError:
        return CATALOG[Client.GENERIC]


def known_clients() -> tuple[str, ...]:
    return tuple(client.value for client in CATALOG)


def resolved_syntaxes(client: Client) -> frozenset[RefSyntax]:
    """The reference syntaxes `client` documents as resolved (empty: literal or undocumented)."""
    return CATALOG[client].resolves or frozenset()


def documents_references(client: Client) -> bool:
    """True when the client's docs say which syntaxes it resolves (possibly none)."""
    return CATALOG[client].resolves is not None


DEV_TOOL_CLIENTS = frozenset(spec.client for spec in CATALOG.values() if spec.dev_tool)


_NOT_NAME_CHARS = re.compile(r"[^A-Za-z0-9_]+")


def env_name(raw: str | None, fallback: str = "MCP_SECRET") -> str:
    """A valid, upper-case environment variable name (never PR-controlled punctuation)."""
    return _normalised_name(raw or "") or fallback


@functools.lru_cache(maxsize=4096)
def _normalised_name(raw: str) -> str:
    """env_name without the fallback ("" for none). Pure, hence cached: a fix asks for the name of
    its suggestion and again for the name inside the reference it writes (the same text once
    normalised), once per secret finding."""
    name = _NOT_NAME_CHARS.sub("_", raw).strip("_").upper()
    if not name:
        return ""
    return name if not name[0].isdigit() else f"_{name}"


def input_id(name: str) -> str:
    """VS Code input id for a variable: `GITHUB_TOKEN` -> `github-token`."""
    return env_name(name).lower().replace("_", "-")
