"""Which repository paths may hold an MCP config, for which client, in which format (pure; no I/O).

Cheap basename checks run first because this is called for every path of large repositories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scanner.clients.catalog import BY_NAME, MCP_JSON_GRANDPARENT, MCP_JSON_PARENT, SETTINGS_PARENT
from scanner.model import Client, FileFormat

C = Client
F = FileFormat

# Directories never descended into: third-party or tool-generated trees whose copies of MCP configs
# are not the repository owner's (fixtures inside packages, caches). `build/`, `dist/` and `target/`
# are NOT skipped: when committed they are the owner's own output, and a secret there is a real leak.
SKIP_DIRS: frozenset[str] = frozenset(
    {
        ".git", ".hg", ".svn",
        "node_modules", "bower_components", "jspm_packages", ".pnpm-store", ".yarn",
        "vendor", "site-packages", "dist-packages", ".venv", "venv", "__pycache__",
        ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache",
        ".terraform", ".gradle", ".next", ".nuxt", ".cache",
    }
)

# File extensions that can be a candidate at all; everything else is rejected on the first check.
_EXTS = frozenset({"json", "jsonc", "yaml", "yml", "toml", "md", "env", "mcp", "code-workspace"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A path that may be an MCP config: its format, likely clients (best first), and whether the
    name is generic (then `clients.parse_config` only accepts it when the content is MCP)."""

    rel_path: str
    fmt: FileFormat
    hints: tuple[Client, ...]
    generic: bool = False
    # True for a file whose name discovery does not know, read because the user named it (or asked
    # for --all-files): it is an MCP config only if its content says so, and a parse failure there
    # is not an error (most such files are unrelated JSON/YAML/TOML).
    by_content: bool = False


def is_skipped_dir(name: str) -> bool:
    """True for a directory name that is never scanned (see SKIP_DIRS)."""
    return name in SKIP_DIRS


def dotenv_candidate(rel_path: str) -> Candidate:
    """Candidate for a dotenv file that a config references (envFile, --env-file, compose secrets)."""
    return Candidate(rel_path, F.DOTENV, (C.DOTENV,), False)


# JSON files that are never MCP configs even inside an `mcp/` directory.
_NEVER_JSON = frozenset(
    {"package.json", "package-lock.json", "tsconfig.json", "jsconfig.json", "composer.json",
     "composer.lock", "deno.json", "turbo.json", "lerna.json", "renovate.json", ".eslintrc.json",
     ".prettierrc.json", "biome.json", "tslint.json", "app.json", "vercel.json", "nx.json",
     "project.json", "angular.json", "firebase.json", "appsettings.json", "launch.json",
     "tasks.json", "extensions.json", "schema.json"}
)
# A delimited `mcp` token in a file stem: mcp.dev.json, .mcp.prod.json, prod-mcp.json, mcp_servers.yaml.
_MCP_TOKEN = re.compile(r"(?:^|[._-])mcp(?:[._-]|$)")
_COMPOSE = re.compile(r"^(?:docker-)?compose(?:[._-][\w.-]*)?\.ya?ml$|[._-]compose\.ya?ml$")


_CONTENT_FORMATS = {"json": F.JSONC, "jsonc": F.JSONC, "yaml": F.YAML, "yml": F.YAML, "toml": F.TOML}


def content_candidate(rel_path: str) -> Candidate | None:
    """A by-content candidate for a JSON/YAML/TOML file with a name discovery does not know."""
    base = rel_path.rsplit("/", 1)[-1].lower()
    fmt = _CONTENT_FORMATS.get(base.rsplit(".", 1)[-1]) if "." in base else None
    if fmt is None or base in _NEVER_JSON or base.endswith(".lock.json"):
        return None
    hints = (C.CODEX, C.GENERIC) if fmt is F.TOML else (C.GENERIC,)
    return Candidate(rel_path, fmt, hints, True, by_content=True)


def classify_path(rel_path: str) -> Candidate | None:
    """The candidate for a relative POSIX path, or None when it can never be an MCP config."""
    slash = rel_path.rfind("/")
    base = rel_path[slash + 1:]
    dot = base.rfind(".")
    if dot < 0 or base[dot + 1:].lower() not in _EXTS:
        return None
    if "\\" in rel_path:  # paths recorded on Windows
        rel_path = rel_path.replace("\\", "/")
        slash = rel_path.rfind("/")
        base = rel_path[slash + 1:]
    dirs = rel_path.split("/")[:-1]
    found = _classify(rel_path, base, base.lower(), dirs)
    if found is None or any(d in SKIP_DIRS for d in dirs):
        return None
    return found


def _classify(path: str, base: str, lower: str, dirs: list[str]) -> Candidate | None:
    parent = dirs[-1] if dirs else ""
    grand = dirs[-2] if len(dirs) >= 2 else ""
    ext = lower[lower.rfind(".") + 1:]
    if lower == "mcp.json":
        if (hit := MCP_JSON_PARENT.get(parent)) is not None:
            return Candidate(path, hit[0], (hit[1],))
        if (client := MCP_JSON_GRANDPARENT.get((grand, parent))) is not None:
            return Candidate(path, F.JSON, (client,))
        return Candidate(path, F.JSONC, (C.GENERIC, C.LMSTUDIO), True)
    if lower == "mcp_config.json" and parent == ".agents":
        return Candidate(path, F.JSON, (C.ANTIGRAVITY, C.WINDSURF))
    if (named := BY_NAME.get(lower)) is not None:
        return Candidate(path, named[0], named[1], named[2])
    if ".continue" in dirs:
        return _continue(path, ext)
    if ext in ("json", "jsonc"):
        return _json(path, base, lower, parent, grand)
    if ext in ("yaml", "yml"):
        return _yaml(path, lower, dirs)
    if ext == "toml":
        if base == "config.toml" and parent in (".codex", ".grok"):
            return Candidate(path, F.TOML, (C.CODEX,))
        if _MCP_TOKEN.search(lower[:-5]):
            return Candidate(path, F.TOML, (C.CODEX, C.GENERIC), True)
        return None
    if ext == "md":
        if grand == ".github" and parent == "agents" or lower.endswith(".agent.md") and ".github" in dirs:
            return Candidate(path, F.MARKDOWN, (C.COPILOT_AGENT,))
        if grand == ".github" and parent == "workflows":
            return Candidate(path, F.MARKDOWN, (C.GH_AW,))
        return None
    if ext == "code-workspace":
        return Candidate(path, F.JSONC, (C.VSCODE,))
    return None


def _continue(path: str, ext: str) -> Candidate | None:
    if ext in ("yaml", "yml"):
        return Candidate(path, F.YAML, (C.CONTINUE,))
    if ext in ("json", "jsonc"):
        return Candidate(path, F.JSONC, (C.CONTINUE,), True)
    return None


def _json(path: str, base: str, lower: str, parent: str, grand: str) -> Candidate | None:
    if base in ("settings.json", "settings.local.json"):
        hit = SETTINGS_PARENT.get(parent)
        if hit is None or (base == "settings.local.json" and parent != ".claude"):
            return None
        return Candidate(path, hit[0], (hit[1],))
    if base == "devcontainer.json" and ".devcontainer" in (parent, grand) or base == ".devcontainer.json":
        return Candidate(path, F.JSONC, (C.VSCODE,), True)
    if base == "plugin.json" and parent == ".claude-plugin":
        return Candidate(path, F.JSON, (C.CLAUDE_CODE,))
    if parent == ".amazonq" and base == "default.json" or (grand, parent) == (".amazonq", "cli-agents"):
        return Candidate(path, F.JSON, (C.AMAZONQ,))
    if (grand, parent) == (".kiro", "agents"):
        return Candidate(path, F.JSON, (C.KIRO,))
    if lower in _NEVER_JSON:
        return None
    if _MCP_TOKEN.search(lower[: lower.rfind(".")]) or parent.lower() in ("mcp", ".mcp"):
        return Candidate(path, F.JSONC, (C.GENERIC,), True)
    return None


def _yaml(path: str, lower: str, dirs: list[str]) -> Candidate | None:
    if _COMPOSE.search(lower):
        return Candidate(path, F.YAML, (C.DOCKER_MCP,), True)
    if lower.startswith("catalog"):
        return Candidate(path, F.YAML, (C.DOCKER_MCP,), True)
    # Goose recipes have no fixed name: look at the usual places and names, then confirm by content.
    if "recipe" in lower or any("goose" in d.lower() or d == "recipes" for d in dirs):
        return Candidate(path, F.YAML, (C.GOOSE,), True)
    if _MCP_TOKEN.search(lower[: lower.rfind(".")]):
        return Candidate(path, F.YAML, (C.GENERIC, C.CONTINUE, C.GOOSE, C.DOCKER_MCP), True)
    return None
