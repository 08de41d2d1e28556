"""Dotenv files a config points at (`envFile`, `--env-file`, compose `env_file` / secrets files),
as scan-root-relative POSIX paths that never leave the scan root."""

from __future__ import annotations

import posixpath
import re

from scanner.model import Client, McpConfig

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


def resolve(text: str, base: str) -> str | None:
    """Scan-root-relative path for a path written in a config, or None when it is outside the
    repository (absolute, home, another variable) or escapes the scan root."""
    value = text.strip().strip("\"'")
    for var in _ROOT_VARS:
        if value.startswith(var):
            value = value[len(var):].lstrip("/\\") or "."
            break
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

    def add(text: str) -> None:
        rel = resolve(text, base)
        if rel is not None and rel not in found and rel != config.path:
            found.append(rel)

    for server in config.servers:
        if server.env_file is not None:
            add(server.env_file.text)
        args = [arg.text for arg in server.args]
        for index, arg in enumerate(args):
            if arg == "--env-file" and index + 1 < len(args):
                add(args[index + 1])
            elif arg.startswith("--env-file="):
                add(arg.split("=", 1)[1])
        for value in server.values:
            if value is not server.env_file and _ENV_FILE_FIELD.search(value.field):
                add(value.text)
    for value in config.file_values:
        if _SECRET_FILE.match(value.field) or _ENV_FILE_FIELD.match(value.field):
            add(value.text)
    return found


_BRACE_FILE = re.compile(r"(?<!\$)\{file:([^}]+)\}")


def file_references(config: McpConfig) -> list[tuple[str, str | None]]:
    """opencode `{file:path}` targets as (scan-root-relative path, key of the value that loads it).

    opencode substitutes the file's content into the value and resolves a relative path against
    the folder of the config file itself (not the project root); `~` and absolute paths are outside
    the repository and not read.
    """
    if config.client is not Client.OPENCODE:
        return []
    base = posixpath.dirname(config.path)
    found: list[tuple[str, str | None]] = []
    values = [*config.file_values, *(v for server in config.servers for v in server.values)]
    for value in values:
        for match in _BRACE_FILE.finditer(value.text):
            rel = resolve(match.group(1), base)
            if rel is not None and rel != config.path and rel not in (f for f, _k in found):
                found.append((rel, value.key))
    return found
