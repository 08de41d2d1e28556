"""Value types shared by every stage: severities, clients, locations, configs, servers, values."""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import Any, TypeVar

_T = TypeVar("_T")


def _slot_init(cls: type[_T]) -> type[_T]:
    """Give a frozen slotted dataclass an `__init__` that stores through its slot descriptors.

    The generated one calls `object.__setattr__(self, name, value)` per field (a frozen class
    refuses plain assignment); the slot's own setter does the same store without the attribute
    lookup, a third faster, and configs build a few of these per value. Same signature and
    defaults; classes with default factories, keyword-only or init=False fields or a
    `__post_init__` keep the generated `__init__`.
    """
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if hasattr(cls, "__post_init__") or any(
        not f.init or f.kw_only or f.default_factory is not dataclasses.MISSING for f in fields
    ):
        return cls
    namespace: dict[str, object] = {}
    params = ["self"]
    body = []
    for f in fields:
        namespace[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        body.append(f"    _set_{f.name}(self, {f.name})")
    exec(f"def __init__({', '.join(params)}) -> None:\n" + "\n".join(body) + "\n", namespace)  # noqa: S102
    init: Any = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = dict(cls.__init__.__annotations__)
    setattr(cls, "__init__", init)  # noqa: B010  # a method assignment mypy refuses
    return cls


class Severity(enum.IntEnum):
    """Ordered severity; compare with <, >=; print with .label."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def from_label(cls, label: str) -> Severity:
        try:
            return cls[label.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {label!r}") from None


class Category(str, enum.Enum):
    SECRET = "secret"
    PROD_ENV_REUSE = "prod-env-reuse"
    HARDENING = "hardening"


class Environment(str, enum.Enum):
    LOCAL = "local"
    DEV = "dev"
    STAGING = "staging"
    PROD = "prod"
    UNKNOWN = "unknown"


class FileFormat(str, enum.Enum):
    JSON = "json"  # parsed tolerantly (JSONC) in every case
    JSONC = "jsonc"
    YAML = "yaml"
    MARKDOWN = "markdown"  # YAML front matter inside Markdown
    TOML = "toml"
    DOTENV = "dotenv"
    PROPERTIES = "properties"  # Java .properties (Spring Boot application*.properties)
    XML = "xml"  # JetBrains IDE options (llm.mcpServers.xml, .idea/workspace.xml)
    SHELL = "shell"  # shell scripts, Makefiles, justfiles: command lines read line by line
    PYTHON = "python"  # application source declaring MCP servers (clients/source_py.py)
    JAVASCRIPT = "javascript"  # TypeScript / JavaScript source (clients/source_js.py)
    NIX = "nix"  # Nix modules declaring MCP servers (clients/nix.py: tokenised, never evaluated)
    ELISP = "elisp"  # Emacs Lisp init files (clients/emacs.py: s-expressions, never evaluated)


class Transport(str, enum.Enum):
    STDIO = "stdio"
    HTTP = "http"
    SSE = "sse"
    WS = "ws"
    UNKNOWN = "unknown"


class Client(str, enum.Enum):
    """Client ids, as in the cheat sheet of reference/mcp-clients.md."""

    CLAUDE_CODE = "claude-code"
    CLAUDE_SETTINGS = "claude-settings"  # .claude/settings*.json: env + approvals, no servers
    CLAUDE_DESKTOP = "claude-desktop"
    MCPB = "mcpb"
    CURSOR = "cursor"
    VSCODE = "vscode"
    VISUAL_STUDIO = "visual-studio"
    COPILOT_CLI = "copilot-cli"
    COPILOT_AGENT = "copilot-agent"
    GH_AW = "gh-aw"
    GITHUB_ACTIONS = "github-actions"  # a workflow writing an MCP config (mcp_config, --mcp-config, heredoc)
    WINDSURF = "windsurf"
    CLINE = "cline"
    ROO = "roo"
    CONTINUE = "continue"
    ZED = "zed"
    GEMINI = "gemini"
    CODEX = "codex"
    GOOSE = "goose"
    OPENCODE = "opencode"
    AMAZONQ = "amazonq"
    KIRO = "kiro"
    JUNIE = "junie"
    JETBRAINS = "jetbrains-ai"  # JetBrains AI Assistant: options XML, .idea/workspace.xml, .ai/mcp/mcp.json
    JETBRAINS_AIR = "jetbrains-air"  # JetBrains Air: project `.air/mcp.json`
    LMSTUDIO = "lmstudio"
    WARP = "warp"  # Warp's agents: `~/.warp/.mcp.json`, a repository's `.warp/.mcp.json`
    MISTRAL_VIBE = "mistral-vibe"  # Mistral Vibe CLI: `[[mcp_servers]]` in `.vibe/config.toml`
    NIX = "nix"  # home-manager `programs.*.mcpServers` / mcp-servers-nix modules (clients/nix.py)
    EMACS = "emacs"  # Emacs mcp.el `mcp-hub-servers` (clients/emacs.py)
    N8N = "n8n"  # n8n workflow exports with MCP Client Tool nodes (clients/n8n.py)
    FIVE_IRE = "5ire"  # 5ire desktop client: `5ire/mcp.json` with a `servers` list (`key` names each)
    ANTIGRAVITY = "antigravity"
    CRUSH = "crush"
    SMITHERY = "smithery"
    FASTMCP = "fastmcp"  # FastMCP project file fastmcp.json (deployment.env)
    SPRING_AI = "spring-ai"  # Spring AI MCP client: application*.properties spring.ai.mcp.client.*
    QUARKUS = "quarkus"  # Quarkus LangChain4j MCP client: application.properties quarkus.langchain4j.mcp.*
    DOTNET = "dotnet"  # a .NET application's appsettings*.json MCP sections (IConfiguration)
    MCPORTER = "mcporter"
    QWEN = "qwen"
    KILO = "kilo"  # legacy extension: `.kilocode/mcp.json` (Roo-style mcpServers)
    KILO_CONFIG = "kilo-config"  # Kilo Code 7 / Kilo CLI: `kilo.json[c]` (opencode-style `mcp`)
    DEVIN = "devin"
    TRAE = "trae"
    AMP = "amp"
    FACTORY = "factory"
    LIBRECHAT = "librechat"
    IFLOW = "iflow"  # iFlow CLI (Gemini CLI fork): .iflow/settings.json
    AUGMENT = "augment"  # Augment Code / Auggie CLI: .augment/settings.json
    FAST_AGENT = "fast-agent"  # fast-agent and lastmile mcp-agent (same `mcp.servers` YAML)
    DOCKER_MCP = "docker-mcp"
    KUBERNETES = "kubernetes"  # workloads / operator resources running MCP servers (clients/kubernetes.py)
    DOTENV = "dotenv"  # .mcp.env / .env.mcp / a dotenv file a config references
    # Launchers starting MCP servers / clients from command lines (clients/launchers.py):
    NPM_SCRIPTS = "npm-scripts"  # package.json `scripts`
    SHELL_SCRIPT = "shell-script"  # *.sh / *.bash / *.zsh, bin/ and scripts/ files with a shebang
    WINDOWS_SCRIPT = "windows-script"  # PowerShell *.ps1, cmd *.cmd / *.bat
    TASK_RUNNER = "task-runner"  # Makefile, justfile, Taskfile.yml targets
    PYTHON_CODE = "python-code"  # MCP servers declared in Python source (SDK calls, dict literals)
    JS_CODE = "js-code"  # MCP servers declared in TypeScript / JavaScript source
    GENERIC = "generic"  # generic file name (mcp.json, ...) with an mcpServers-style body


@_slot_init
@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A position in a scanned file: relative POSIX path, 1-based line and column (codepoints)."""

    path: str
    line: int
    column: int


@_slot_init
@dataclass(frozen=True, slots=True)
class FieldValue:
    """One string value of a config, where it sits, and whether it is a reference.

    `field` uses the JSON-contract notation: `env.GITHUB_TOKEN`, `args[3]`, `headers.Authorization`,
    `url`, `command`, `oauth.clientSecret`. `key` is the last mapping key (env var / header name)
    when the value sits under one. `end_line`/`end_column` is the exclusive end of the value's token
    (quotes included), so a fix can replace exactly the token. The text is never in the repr.
    """

    field: str
    text: str = dataclasses.field(repr=False)
    location: Location
    end_line: int
    end_column: int
    key: str | None = None
    is_reference: bool = False
    quoted: bool = True  # False for bare scalars (YAML plain, TOML bare numbers)


@_slot_init
@dataclass(frozen=True, slots=True)
class ServerEntry:
    """One MCP server declared in a config, normalised across clients."""

    name: str
    client: Client
    location: Location  # where the server's name/key is
    transport: Transport
    command: FieldValue | None = None
    args: tuple[FieldValue, ...] = ()
    env: tuple[FieldValue, ...] = ()  # field "env.NAME", key NAME (env/environment/envs/...)
    url: FieldValue | None = None  # url / serverUrl / httpUrl / uri
    headers: tuple[FieldValue, ...] = ()  # field "headers.Name", key Name
    env_file: FieldValue | None = None  # envFile (Cursor/VS Code)
    env_refs: tuple[str, ...] = ()  # names resolved elsewhere: Codex env_vars, Goose env_keys, ...
    values: tuple[FieldValue, ...] = ()  # EVERY string leaf of the entry, the ones above included
    flags: tuple[tuple[str, str], ...] = ()  # non-string settings as (field, text): ("trust", "true")
    disabled: bool = False

    def env_value(self, name: str) -> FieldValue | None:
        for value in self.env:
            if value.key == name:
                return value
        return None

    def header(self, name: str) -> FieldValue | None:
        lowered = name.lower()
        for value in self.headers:
            if value.key is not None and value.key.lower() == lowered:
                return value
        return None


@_slot_init
@dataclass(frozen=True, slots=True)
class McpConfig:
    """One parsed config file: which client, which format, its servers and file-level values."""

    path: str  # relative POSIX path from the scan root
    client: Client
    format: FileFormat
    servers: tuple[ServerEntry, ...] = ()
    file_values: tuple[FieldValue, ...] = ()  # string leaves outside servers (settings env, inputs, ...)
    input_ids: tuple[str, ...] = ()  # VS Code `inputs[].id` declared in the file
    flags: tuple[tuple[str, str], ...] = ()  # file-level non-string settings, e.g. enableAllProjectMcpServers
    # String leaves outside any MCP section of a known client config file (provider keys, model
    # settings): searched for secrets like file_values, never read by the MCP-specific rules.
    extra_values: tuple[FieldValue, ...] = ()
    # Why the file did not parse, when its values come from a line-by-line search instead.
    parse_error: str | None = None


# The reason of an unknown name over the file limit that a whole-tree scan did not probe for an MCP
# config (a note, not fatal); the notice's hint for it is --max-file-size, not --all-files.
NOT_PROBED = "not probed for an MCP config"


@_slot_init
@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A candidate that could not be scanned, and why (one line, no values).

    `fatal` is False for entries that lose no content (a symlink, which is never followed: its
    target inside the root is scanned at its own path); any fatal entry makes the scan incomplete.
    """

    path: str
    reason: str
    fatal: bool = True
    # What went wrong: "unreadable" (read/size/binary/deadline), "parse" (did not parse; searched line
    # by line), "encoding" (decoded with a fallback), "symlink".
    kind: str = "unreadable"


@_slot_init
@dataclass(frozen=True, slots=True)
class EnvVerdict:
    """Environment of a config file or server, with the evidence that decided it."""

    environment: Environment
    evidence: tuple[str, ...] = ()
    # True when the target is a managed/remote host with no environment word (possibly prod).
    unknown_remote: bool = False
