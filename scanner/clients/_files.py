"""Dotenv files a config points at (`envFile`, `--env-file`, compose `env_file` / secrets files),
as scan-root-relative POSIX paths that never leave the scan root."""

from __future__ import annotations

import posixpath
import re
import shlex

from scanner.clients.runlines import CONFIG_FILE_FIELD, PLUGIN_DIR_FIELD
from scanner.clients.source_code import imported_modules
from scanner.model import Client, FieldValue, McpConfig

# Predefined variables that name the workspace (project) root.
_ROOT_VARS = ("${workspaceFolder}", "${workspaceRoot}", "${CLAUDE_PROJECT_DIR}", "${PWD}", "${pwd}")
_SECRET_FILE = re.compile(r"secrets\.[^.]+\.file$")
_ENV_FILE_FIELD = re.compile(r"(?:env_file|envFile)(?:\[\d+\])?(?:\.path)?$")


def project_dir(config_path: str) -> str:
    """Directory a relative path in the config is resolved against: the config's directory, minus a
    trailing client directory (`app/.vscode/mcp.json` -> `app`, `.kiro/settings/mcp.json` -> ``)."""
    parts = config_path.split("/")[:-1]
    for index, part in enumerate(parts):
        if part.startswith(".") and part not in (".", ".."):
            return "/".join(parts[:index])
    return "/".join(parts)


# `${workspaceFolder:name}`: a named folder of a multi-root workspace (the root of a one-folder one).
_NAMED_ROOT = re.compile(r"^\$\{workspaceFolder:[^}]*\}")
# A variable inside the path that no one sets for the client: it expands to nothing
# (`${workspaceFolder}/${env:UNSET}secrets.env` reads `secrets.env`); the gate reads that file.
_INNER_VAR = re.compile(r"\$\{(?:env:)?[A-Za-z_][A-Za-z0-9_]*\}")


def resolve(text: str, base: str) -> str | None:
    """Scan-root-relative path for a path written in a config, or None when it is outside the
    repository (absolute, home, another variable) or escapes the scan root."""
    value = _NAMED_ROOT.sub("${workspaceFolder}", text.strip().strip("\"'"), count=1)
    for var in _ROOT_VARS:
        if value.startswith(var):
            value = _INNER_VAR.sub("", value[len(var):]).lstrip("/\\") or "."
            break
    else:
        value = _INNER_VAR.sub("", value) if "$" in value else value
    if not value or value.startswith(("/", "~", "\\")) or "$" in value or "%" in value:
        return None
    if re.match(r"^[A-Za-z]:[\\/]", value) or "://" in value:
        return None
    joined = posixpath.normpath(posixpath.join(base, value.replace("\\", "/")))
    if joined in (".", "..") or joined.startswith("../"):
        return None
    return joined


def referenced_files(config: McpConfig) -> list[str]:
    """Relative paths of dotenv files the config references, in source order, without duplicates."""
    base = project_dir(config.path)
    found: list[str] = []
    seen = {config.path}  # what `found` holds, for a membership test that does not grow with it

    def add(text: str) -> None:
        rel = resolve(text, base)
        if rel is not None and rel not in seen:
            seen.add(rel)
            found.append(rel)

    for server in config.servers:
        if server.env_file is not None:
            add(server.env_file.text)
        words = [v.text for v in (server.command, *server.args) if v is not None]
        if _may_load(words):
            for path in _loader_files(words):
                add(path)
            for path in _script_loads(words):
                add(path)
        for fv in server.env:
            if fv.key in _ENV_FILE_VARS or fv.key == "NODE_OPTIONS":  # _env_var_loads' only names
                for path in _env_var_loads(fv.key, fv.text):
                    add(path)
        for value in server.values:
            field = value.field  # the substring test decides most fields without the regex
            if ("env_file" in field or "envFile" in field) and value is not server.env_file \
                    and _ENV_FILE_FIELD.search(field):
                add(value.text)
            elif field == "cwd" and not value.is_reference:  # dotenv / python-dotenv read `<cwd>/.env`
                add(posixpath.join(value.text.strip().rstrip("/\\"), ".env"))
    run_args: list[str] = []
    for value in config.file_values:
        if _SECRET_FILE.match(value.field) or _ENV_FILE_FIELD.match(value.field):
            add(value.text)
        elif value.field.startswith("runArgs["):  # devcontainer.json: `docker run` flags
            run_args.append(value.text)
    for path in _loader_files(run_args) if run_args else ():
        add(path)
    if config.servers:  # the `.env` files the client loads by itself (no config names them)
        for rel in implicit_dotenv_paths(config.path, config.client):
            if rel not in seen:
                seen.add(rel)
                found.append(rel)
    return found


# Clients whose project settings sit in a folder of their own and that load `.env` files by
# themselves: Gemini CLI (and its forks) search `.env` in the folder they run in, then in each
# parent folder (geminicli.com configuration docs: "`.env` is searched from the cwd up").
_DOT_DIR_LOADERS = frozenset({Client.GEMINI, Client.QWEN, Client.IFLOW})
# A config file name whose client loads an implicit `.env` (a cheap test before classifying a path).
IMPLICIT_LOADER_HINTS = ("settings.json", "librechat.y", "compose", ".continue/", "gemini-extension.json")
_EXTENSION_MANIFEST = "gemini-extension.json"


def implicit_dotenv_paths(config_path: str, client: Client) -> list[str]:
    """The `.env` files (scan-root-relative) that `client` loads by itself when it runs the config
    at `config_path`, so that its `$VAR` / `${VAR}` / `${{ secrets.VAR }}` references resolve
    from them: Gemini CLI, Qwen Code and iFlow (`<project>/.gemini/settings.json`: the project's
    `.env` and every parent folder's, up to the repository root; a `gemini-extension.json`: the `.env`
    of the extension's folder, where its settings are kept), Continue (the workspace `.env`
    next to `.continue/`), docker compose (the `.env` of the compose file's own folder, which it
    interpolates `${VAR}` from) and LibreChat (the `.env` next to `librechat.yaml`)."""
    parts = config_path.split("/")
    if client in _DOT_DIR_LOADERS and parts[-1] == _EXTENSION_MANIFEST:
        # an extension's settings live in the `.env` of its folder, which Gemini CLI loads into its MCP
        # servers' environment (geminicli.com extension reference: settings, `envVar`); an extension
        # repository is copied whole on install, a committed `.env` with it
        return ["/".join([*parts[:-1], ".env"])]
    if client in _DOT_DIR_LOADERS:
        if len(parts) < 2 or parts[-1].lower() != "settings.json":
            return []
        project = parts[:-2]
        return ["/".join([*project[:end], ".env"]) for end in range(len(project), -1, -1)]
    if client is Client.CONTINUE:
        if ".continue" not in parts[:-1]:
            return []
        return ["/".join([*parts[:parts.index(".continue")], ".env"])]
    if client is Client.LIBRECHAT or client is Client.DOCKER_MCP and "compose" in parts[-1].lower():
        return ["/".join([*parts[:-1], ".env"])]
    return []


# `--env-file FILE` / `--env-file=FILE` (docker, uv, node, bun, deno) and node's
# `--env-file-if-exists`, on any command line.
_ENV_FILE_FLAGS = frozenset({"--env-file", "--env-file-if-exists"})
# Dotenv loaders that run a command with a file's variables, and their file flags (read up to `--`):
# dotenv-cli `dotenv -e FILE -- cmd`, dotenvx `dotenvx run -f FILE -- cmd`, env-cmd `env-cmd -f FILE
# cmd`, python-dotenv `dotenv -f FILE run cmd`.
_LOADERS = {"dotenv": frozenset({"-e", "-f", "--file"}), "dotenv-cli": frozenset({"-e"}),
            "dotenvx": frozenset({"-f", "--env-file"}), "env-cmd": frozenset({"-f", "--file"})}
_LOADER_NAME = re.compile(r"^(?:@[\w.-]+/)?([\w.-]+?)(?:@[\w.^~<>=*-]+)?$")


def _may_load(words: list[str]) -> bool:
    """False when neither _loader_files nor _script_loads can find a file in `words`: no loader or
    `--env-file` flag (each holds one of _LOADER_NEEDLES), no dotenv preload argument (`dotenv`) and
    no word with a blank (every script needle holds one). One substring pass over the joined argv."""
    joined = "\0".join(words)
    return " " in joined or "dotenv" in joined or "--env-file" in joined or "env-cmd" in joined


def _loader_files(words: list[str]) -> list[str]:
    """The dotenv files an argv loads: `--env-file` forms anywhere, a loader's own flags after it."""
    joined = "\0".join(words)  # one substring pass decides nearly every argv (no loader, no flag)
    if "--env-file" not in joined and "dotenv" not in joined and "env-cmd" not in joined:
        return []
    out: list[str] = []
    flags: frozenset[str] = _ENV_FILE_FLAGS
    for index, word in enumerate(words):
        if word == "--":
            flags = _ENV_FILE_FLAGS
            continue
        name = _LOADER_NAME.match(posixpath.basename(word.replace("\\", "/")))
        loader = _LOADERS.get(name.group(1).lower()) if name is not None else None
        if loader is not None:
            flags = _ENV_FILE_FLAGS | loader
            continue
        flag, eq, inline = word.partition("=")
        if flag not in flags:
            continue
        if eq:
            out.append(inline)
        elif index + 1 < len(words):
            out.append(words[index + 1])
    return out


# Variables that name a dotenv file the launched command loads: uv's `UV_ENV_FILE` (space-separated
# list), the `dotenv/config` preload's `DOTENV_CONFIG_PATH`; `NODE_OPTIONS` may carry `--env-file`.
_ENV_FILE_VARS = frozenset({"UV_ENV_FILE", "DOTENV_CONFIG_PATH"})
_DOTENV_PRELOAD_ARG = "dotenv_config_path="  # `node -r dotenv/config app.js dotenv_config_path=FILE`
# Shell words that read a file into the script's environment: `. FILE` / `source FILE` (as a
# command: first, or after a separator), `$(cat FILE | xargs)`, `< FILE`.
_SOURCING = frozenset({".", "source"})
_READING = frozenset({"cat", "$(cat", "`cat", "<"})
_SEPARATORS = frozenset({";", "&&", "||", "|", "&"})
_SCRIPT_NEEDLES = ("source ", ". ", "cat ", "< ")
assert all(" " in needle for needle in _SCRIPT_NEEDLES)  # _script_loads skips words without a blank
# _loader_files and _may_load look for these words in the joined argv first: every `--env-file` flag
# and loader name (a loader's own flags count only after its name), and the preload argument, holds one.
assert all(any(needle in word for needle in ("--env-file", "dotenv", "env-cmd"))
           for word in (*_ENV_FILE_FLAGS, *_LOADERS, _DOTENV_PRELOAD_ARG))


def _env_var_loads(name: str | None, value: str) -> list[str]:
    if name in _ENV_FILE_VARS:
        return value.split()
    if name == "NODE_OPTIONS" and "--env-file" in value:
        return _loader_files(value.split())
    return []


def _script_loads(words: list[str]) -> list[str]:
    """The files a launcher's argv or `sh -c` script reads into its environment: dotenv's preload
    argument, and `. FILE` / `source FILE` / `export $(cat FILE | xargs)` in a script."""
    out = [word[len(_DOTENV_PRELOAD_ARG):] for word in words if word.startswith(_DOTENV_PRELOAD_ARG)]
    for word in words:
        if " " not in word or not any(needle in word for needle in _SCRIPT_NEEDLES):  # (each holds a blank)
            continue  # no script reads a file here (one substring pass per argv item)
        try:
            lexer = shlex.shlex(word, posix=True, punctuation_chars=";&|")
            lexer.whitespace_split = True
            tokens = list(lexer)
        except ValueError:
            tokens = word.split()
        for index, token in enumerate(tokens[:-1]):
            command = index == 0 or tokens[index - 1] in _SEPARATORS
            if token in _READING or token in _SOURCING and command:
                target = tokens[index + 1].rstrip(")`")
                if target and not target.startswith("-"):
                    out.append(target)
    return out


_BRACE_FILE = re.compile(r"(?<!\$)\{file:([^}]+)\}")
_DOLLAR_FILE = re.compile(r"\$\{file:([^}]+)\}")  # Windsurf's and Devin's `${file:path}` interpolation
_FILE_INTERPOLATING = frozenset({Client.OPENCODE, Client.WINDSURF, Client.DEVIN})


def file_references(config: McpConfig) -> list[tuple[str, str | None]]:
    """opencode `{file:path}` / Windsurf and Devin `${file:path}` targets as (scan-root-relative
    path, key of the value that loads it).

    The client substitutes the file's content into the value; opencode resolves a relative path
    against the folder of the config file itself, the others against the project (the folder above
    `.windsurf/`, `.devin/`); `~` and absolute paths are outside the repository and not read.
    """
    if config.client not in _FILE_INTERPOLATING:
        return []
    opencode = config.client is Client.OPENCODE
    pattern, needle = (_BRACE_FILE, "{file:") if opencode else (_DOLLAR_FILE, "${file:")
    base = posixpath.dirname(config.path) if opencode else project_dir(config.path)
    found: list[tuple[str, str | None]] = []
    seen = {config.path}
    values = [*config.file_values, *(v for server in config.servers for v in server.values)]
    for value in values:
        if needle not in value.text:
            continue
        for match in pattern.finditer(value.text):
            rel = resolve(match.group(1), base)
            if rel is not None and rel not in seen:
                seen.add(rel)
                found.append((rel, value.key))
    return found


_PLUGIN_SERVERS = re.compile(r"mcpServers(?:\[\d+\])?$")


def config_references(config: McpConfig) -> list[str]:
    """MCP config files a config points at, which the client loads as MCP configs of their own: a
    Claude Code plugin manifest's `"mcpServers": "./servers.json"` (or a list of such paths),
    relative to the plugin root (the folder holding `.claude-plugin/`), `${CLAUDE_PLUGIN_ROOT}` too;
    the compose files a compose file includes or extends from."""
    if config.client is Client.DOCKER_MCP:
        return _compose_references(config)
    if modules := imported_modules(config):  # the local modules a source file's API calls read from
        return modules
    if config.path.startswith(".github/workflows/") or config.client is Client.GITHUB_ACTIONS:
        # `mcp_config: <file>` (a workflow's or an action's step), from the workspace root
        return [rel for value in config.extra_values for rel in _named_file(value, "")]
    if config.client in _LAUNCHERS:  # `claude --mcp-config <file>` in a script or a target
        return _launcher_references(config)
    if config.client is Client.SPRING_AI:  # `stdio.servers-configuration=classpath:mcp-servers.json`
        return _spring_server_files(config)
    if config.client is Client.CLAUDE_SETTINGS:  # a directory marketplace the project declares
        return _directory_marketplaces(config)
    if ("/" + config.path).endswith("/.claude-plugin/marketplace.json"):
        return _marketplace_references(config)
    if not config.path.endswith(".claude-plugin/plugin.json") and config.path != ".claude-plugin/plugin.json":
        return []
    base = project_dir(config.path)
    found: list[str] = []
    for value in (*config.file_values, *config.extra_values):
        if not _PLUGIN_SERVERS.fullmatch(value.field):
            continue
        text = value.text.strip()
        if text.startswith("${CLAUDE_PLUGIN_ROOT}"):
            text = text[len("${CLAUDE_PLUGIN_ROOT}"):].lstrip("/\\") or "."
        rel = resolve(text, base)
        if rel is not None and rel != config.path and rel not in found:
            found.append(rel)
    return found


# Spring AI's `spring.ai.mcp.client.stdio.servers-configuration` (relaxed binding: `serversConfiguration`
# too): a Claude Desktop format JSON file of stdio servers, as a Spring resource (`classpath:` from the
# module's `src/main/resources/`, `file:` or a bare path from the working directory: the repository).
_SPRING_SERVERS = re.compile(r"(?i)\.stdio\.servers-?configuration$")


def _spring_server_files(config: McpConfig) -> list[str]:
    own = posixpath.dirname(config.path)
    cut = ("/" + own + "/").find("/src/main/resources/")
    classpath = own[:cut] + ("/" if cut > 0 else "") + "src/main/resources" if cut >= 0 else own
    found: list[str] = []
    for value in (*config.file_values, *config.extra_values):
        if not _SPRING_SERVERS.search(value.field):
            continue
        text = value.text.strip()
        if text.startswith("classpath:"):
            rel = resolve(text[len("classpath:"):].lstrip("/"), classpath)
        else:
            rel = resolve(text[len("file:"):] if text.startswith("file:") else text, "")
        if rel is not None and rel != config.path and rel not in found:
            found.append(rel)
    return found


# npm runs a script, make / just / Task a recipe, in the folder of its file; a shell script runs in its
# caller's folder: the repository root (`./scripts/agent.sh`), or its own after a `cd "$(dirname "$0")"`.
_LAUNCHERS = frozenset({Client.NPM_SCRIPTS, Client.TASK_RUNNER, Client.SHELL_SCRIPT})


def _launcher_references(config: McpConfig) -> list[str]:
    """The files a launcher's `--mcp-config <file>` names (clients/workflows.py reads the flag)."""
    own = posixpath.dirname(config.path)
    bases = (own, "") if config.client is Client.SHELL_SCRIPT and own else (own,)
    found: list[str] = []
    for value in config.extra_values:
        for base in bases:
            for rel in _named_file(value, base):
                if rel != config.path and rel not in found:
                    found.append(rel)
    return found


def _named_file(value: FieldValue, base: str) -> list[str]:
    """The configs a command line's file value names (clients/workflows.py `_named_files`): an
    `mcp_config` file itself, a `plugin_dir` folder's `.mcp.json` and plugin manifest."""
    if value.field not in (CONFIG_FILE_FIELD, PLUGIN_DIR_FIELD) or (rel := resolve(value.text, base)) is None:
        return []
    if value.field == CONFIG_FILE_FIELD:
        return [rel]
    return [posixpath.normpath(posixpath.join(rel, own)) for own in _PLUGIN_OWN]


_DIRECTORY_SOURCE = re.compile(r"extraKnownMarketplaces\.(.+)\.source\.(source|path)$")


def _directory_marketplaces(config: McpConfig) -> list[str]:
    """`extraKnownMarketplaces.<name>.source: {"source": "directory", "path": "./plugins"}` in Claude
    Code settings: the marketplace manifest in that folder (its plugins are read from it in turn), from
    the project root. Other sources (github, git, url) are not in the repository."""
    kinds: dict[str, str] = {}
    paths: dict[str, str] = {}
    for value in config.file_values:
        match = _DIRECTORY_SOURCE.fullmatch(value.field)
        if match is not None:
            (kinds if match.group(2) == "source" else paths)[match.group(1)] = value.text.strip()
    found: list[str] = []
    for name, path in paths.items():
        folder = resolve(path, project_dir(config.path)) if kinds.get(name) == "directory" else None
        if folder is not None:
            rel = posixpath.normpath(posixpath.join(folder, ".claude-plugin/marketplace.json"))
            if rel not in found:
                found.append(rel)
    return found


_COMPOSE_FILE = re.compile(r"include(?:\[\d+\])?(?:\.path(?:\[\d+\])?)?|services\..+\.extends\.file")


def _compose_references(config: McpConfig) -> list[str]:
    """The compose files a compose file includes or extends from, relative to its own folder."""
    base = posixpath.dirname(config.path)
    found: list[str] = []
    for value in config.file_values:
        if _COMPOSE_FILE.fullmatch(value.field):
            rel = resolve(value.text, base)
            if rel is not None and rel != config.path and rel not in found:
                found.append(rel)
    return found


_MARKET_FIELD = re.compile(r"plugins\[(\d+)\]\.(source|mcpServers(?:\[\d+\])?)$")
# What Claude Code loads from a plugin folder by itself (found by name too, except under a folder
# the listing prunes: `vendor/acme`); one level: a manifest read this way is not followed further.
_PLUGIN_OWN = (".mcp.json", ".claude-plugin/plugin.json")


def _marketplace_references(config: McpConfig) -> list[str]:
    """A plugin marketplace's (`.claude-plugin/marketplace.json`) plugin entries with a local
    `source` folder (relative to the marketplace root, `metadata.pluginRoot` prepended to it):
    the folder's `.mcp.json` and plugin manifest, and the entry's own `mcpServers` path(s)
    (`strict: false`), relative to that folder. A remote source (object, URL) is not in the repository."""
    root = project_dir(config.path)
    plugin_root: str | None = None
    sources: dict[str, str] = {}
    servers: list[tuple[str, str]] = []
    for value in config.extra_values:
        if value.field == "metadata.pluginRoot":
            plugin_root = value.text.strip()
            continue
        match = _MARKET_FIELD.fullmatch(value.field)
        if match is None:
            continue
        if match.group(2) == "source":
            sources[match.group(1)] = value.text.strip()
        else:
            servers.append((match.group(1), value.text.strip()))
    folders: dict[str, list[str]] = {}
    for index, source in sources.items():
        if "://" in source or source.startswith(("git@", "github:")):
            continue
        # Whether pluginRoot applies to a `./x` source is not documented: both folders are read.
        bases = [root] if plugin_root is None else [root, _folder(plugin_root, root)]
        folders[index] = [rel for base in bases if base is not None
                          if (rel := _folder(source, base)) is not None]
    found: dict[str, None] = {}
    for dirs in folders.values():
        for folder in dirs:
            found.update((posixpath.join(folder, tail) if folder else tail, None) for tail in _PLUGIN_OWN)
    for index, text in servers:
        if text.startswith("${CLAUDE_PLUGIN_ROOT}"):
            text = text[len("${CLAUDE_PLUGIN_ROOT}"):].lstrip("/\\") or "."
        for folder in folders.get(index, []):
            if (rel := resolve(text, folder)) is not None:
                found[rel] = None
    found.pop(config.path, None)
    return list(found)


def _folder(text: str, base: str) -> str | None:
    """`resolve` for a folder: the scan root itself (`./`) is `""`."""
    if posixpath.normpath(text.strip().replace("\\", "/") or ".") == ".":
        return base
    return resolve(text, base)
