"""Which repository paths may hold an MCP config, for which client, in which format (pure; no I/O).

Cheap basename checks run first because this is called for every path of large repositories.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from scanner.clients.catalog import (
    BY_NAME,
    CATALOG,
    CREDENTIAL_DIRS,
    DOT_MCP_JSON_PARENT,
    LAUNCHER_DIRS,
    LAUNCHER_EXTS,
    LAUNCHER_NAMES,
    MCP_CONFIG_PARENT,
    MCP_JSON_GRANDPARENT,
    MCP_JSON_PARENT,
    NAMED_IN_DIR,
    SETTINGS_PARENT,
    SOURCE_EXTS,
    TEXT_EXTS,
)
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
_EXTS = frozenset({"json", "jsonc", "yaml", "yml", "toml", "md", "env", "mcp", "code-workspace",
                   "properties", "xml", "iws"})


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
    # True for a deployment manifest (Kubernetes/Helm/kustomize YAML): only the client configs
    # embedded in its ConfigMap/Secret entries are read (clients/manifests.py).
    manifest: bool = False


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


# Renamed copies people commit next to (or instead of) the real file: `claude_desktop_config_FINAL.json`,
# `mcp.example.json`, `.vscode/mcp.json.example`, `config.toml.bak`, `mcp (1).json`, `mcp-copy.json`,
# `.devcontainer/images/mcp.json.tpl` (kodflow/devcontainer-template).
# Template copies rendered into the real file by configuration management: Ansible/Jinja `.j2`,
# `.jinja`, `.jinja2` (roles/*/templates/mcp.json.j2, claude_mcp.json.j2, .mcp.json.j2 in public repos),
# Chef/Puppet `.erb`.
# Copies switched off or kept aside (`.mcp.json.disabled`, `.tmp`, `.bk`, `.new`, `.off`, `.original`,
# numbered `.bak2` / `.old1` / `.bak.20250101`), per-environment copies (`.mcp.json.production`,
# `.cursor/mcp.staging.json`, `.mcp.prod.json`) and Windows Explorer / Finder copies (`mcp - Copy.json`,
# `mcp - Copy (2).json`, `mcp copy 2.json`), and a config saved as text (`claude_desktop_config.json.txt`,
# `mcp.json.txt`) or as the input of a CMake / autoconf `configure_file` (`.mcp.json.in`): each is read as
# the file it was made from.
_COPY_WORD = (r"(?:final|example|examples|sample|bak|backup|orig|old|local|copy|template|tmpl|tpl|dist|"
              r"default|save|j2|jinja|jinja2|erb|disabled|disable|tmp|temp|bk|new|off|original|inactive|"
              r"unused|prev|previous|draft|wip|ignore|ignored|archive|archived|deprecated|prod|production|"
              r"dev|develop|development|staging|stage|stg|test|qa|uat|preprod|live|sandbox|txt|in)")
# A copy word may carry a number (`bak2`, `old1`) and number or date groups after it (`.bak.1`,
# `_20250101`, `-2025-01-01`, ` 2`).
_COPY_NUMBERS = r"\d{0,3}(?:[._ -]\d{1,14}){0,4}"
_COPY_SUFFIX = re.compile(rf"(?i)(?:[._ -]+{_COPY_WORD}{_COPY_NUMBERS}|\s?\(\d{{1,3}}\)|~)+$")
_COPY_EXTS = ("json", "jsonc", "yaml", "yml", "toml")
# Dotenv names whose copies are read as the file they were made from (`.env.mcp.local`,
# `.env.mcp.example`, `mcp.env.production`; `mcp/.env.local` in an MCP server's folder): the MCP-named
# dotenv files and `.env` itself (a copy counts only where its original does: see _classify).
_DOTENV_ORIGINALS = frozenset({".env", *(name for name, row in BY_NAME.items() if row[0] is F.DOTENV)})


def _original_name(base: str) -> str | None:
    """The config name a renamed copy was made from, or None when `base` is not such a copy."""
    lower = base.lower()
    for ext in _COPY_EXTS:
        if lower.endswith("." + ext):  # mcp.example.json, claude_desktop_config_FINAL.json
            stem = base[: -len(ext) - 1]
            if not _ends_like_copy(lower[: len(stem)]):
                return None  # the common case: no copy word, `)` or `~` before the extension
            cut = _COPY_SUFFIX.search(stem)
            return stem[: cut.start()] + "." + ext if cut and cut.start() > 0 else None
    if not _ends_like_copy(lower):
        return None
    cut = _COPY_SUFFIX.search(base)  # .vscode/mcp.json.example, config.toml.bak
    if cut is None or cut.start() == 0:
        return None
    original = base[: cut.start()]
    lower_original = original.lower()
    if lower_original.rsplit(".", 1)[-1] in _COPY_EXTS or lower_original in _DOTENV_ORIGINALS:
        return original
    return None


# Dotfiles trees keep user-level configs without the leading dot (GNU stow packages, chezmoi
# `dot_` names, `config/` for `~/.config/`): `config/codex/config.toml`, `dot_config/zed/settings.json`.
_CONFIG_DIRS = frozenset({".config", "config", "dot_config", "xdg_config", "xdg-config"})


def _dotted(dirs: list[str]) -> list[str]:
    """`dirs` with chezmoi `dot_x` as `.x`, and `<config dir>/<app>` as `.config/.<app>`."""
    out = ["." + d[4:] if d.startswith("dot_") and len(d) > 4 else d for d in dirs]
    for i in range(1, len(out)):
        if out[i - 1] in _CONFIG_DIRS and not out[i].startswith("."):
            out[i - 1], out[i] = ".config", "." + out[i]
    return out


def classify_path(rel_path: str) -> Candidate | None:
    """The candidate for a relative POSIX path, or None when it can never be an MCP config."""
    found = _classify_path(rel_path)
    if found is not None and not found.generic:
        return found
    if found is None and (launcher := _launcher(rel_path)) is not None:
        return launcher
    if found is None and (source := source_candidate(rel_path)) is not None:
        return source
    base = rel_path[rel_path.replace("\\", "/").rfind("/") + 1:]
    ext = base[base.rfind(".") + 1:].lower()
    if found is None and (ext in ("md", "code-workspace")
                          or ext not in _EXTS and not _COPY_TAIL.search(base)):
        # chezmoi `dot_env` (`.env`): its extension appears only once `dot_` is the leading dot.
        return _dotfile(rel_path) if "dot_" in base else None  # else a source file, an image, ...
    # `settings.local.json` is Claude Code's own name; other editors never read it (a real local file).
    original = _original_name(base) if base.lower() != "settings.local.json" else None
    if original is not None:
        head = rel_path[: len(rel_path) - len(base)]
        copy = _classify_path(head + original) or _dotfile(head + original)
        if copy is not None and (found is None or not copy.generic):  # `.cursor/mcp.sample.json`: Cursor
            return Candidate(rel_path, copy.fmt, copy.hints, copy.generic, copy.by_content)
        return found
    if found is not None:
        # a generic name (`mcp.json`) in a dotfiles layout of a client folder (chezmoi
        # `dot_cursor/mcp.json`, stow `config/kiro/settings/mcp.json`) is that client's file
        dotted = _dotfile(rel_path)
        return dotted if dotted is not None and not dotted.generic else found
    return _dotfile(rel_path)


def _launcher(rel_path: str) -> Candidate | None:
    """A launcher file (package.json, `*.sh`, Makefile, justfile, Taskfile, an extensionless file
    under `bin/` / `scripts/`): content-confirmed, as a name discovery does not know is (only a
    command line starting an MCP server or client makes it a config: clients/launchers.py)."""
    path = rel_path.replace("\\", "/")
    slash = path.rfind("/")
    lower = path[slash + 1:].lower()
    dot = lower.rfind(".")
    if (named := LAUNCHER_NAMES.get(lower)) is not None:
        fmt, client = named
    elif dot > 0 and (by_ext := LAUNCHER_EXTS.get(lower[dot + 1:])) is not None:
        fmt, client = F.SHELL, by_ext
    elif dot > 0 and (reader := TEXT_EXTS.get(lower[dot + 1:])) is not None:
        fmt, client = reader  # a Nix module or an Emacs init file: only its MCP servers are read
    elif dot < 0 and slash > 0 and path[:slash].rsplit("/", 1)[-1] in LAUNCHER_DIRS:
        fmt, client = F.SHELL, C.SHELL_SCRIPT  # `bin/start-mcp`: only with a shebang
    else:
        return None
    if slash > 0 and any(part in SKIP_DIRS for part in path[:slash].split("/")):
        return None
    return Candidate(rel_path, fmt, (client,), True, by_content=True)


def source_candidate(rel_path: str) -> Candidate | None:
    """Application source (`*.py`, `*.ts`, `*.js`, ...: catalog.SOURCE_EXTS) outside pruned folders:
    content-confirmed (only a file naming an MCP API is read: clients/source_code.py)."""
    base = rel_path[rel_path.rfind("/") + 1:]
    dot = base.rfind(".")
    hit = SOURCE_EXTS.get(base[dot + 1:].lower()) if dot > 0 else None
    if hit is None or base.lower().endswith((".d.ts", ".min.js")):
        return None  # type declarations and minified bundles declare no servers of the owner's
    path = rel_path.replace("\\", "/")
    if "/" in path and not SKIP_DIRS.isdisjoint(path.split("/")[:-1]):
        return None
    return Candidate(rel_path, hit[0], (hit[1],), True, by_content=True)


def is_source(candidate: Candidate) -> bool:
    """True for an application-source candidate (source_candidate)."""
    return candidate.fmt is F.PYTHON or candidate.fmt is F.JAVASCRIPT


_COPY_TAIL = re.compile(rf"(?i)(?:[._ -]{_COPY_WORD}{_COPY_NUMBERS}|\)|~)$")
# The endings _COPY_TAIL can match once its number groups are cut, for a test that runs before it:
# str.rstrip and str.endswith on a tuple are cheap.
_COPY_ENDS = (*_COPY_WORD[3:-1].split("|"), ")", "~")
_NUMBER_TAIL = "0123456789._ -"


def _copy_stem(stem: str) -> bool:
    """True when a copy word (after a separator), `)` or `~` ends `stem` (`plain` and `login` end in
    `in` but hold no copy word)."""
    return _ends_like_copy(stem) and _COPY_TAIL.search(stem) is not None


def _ends_like_copy(lower: str) -> bool:
    """False when neither _COPY_SUFFIX nor _COPY_TAIL can match the lower-cased `lower` (a prefilter)."""
    return lower.endswith(_COPY_ENDS) or lower.rstrip(_NUMBER_TAIL).endswith(_COPY_ENDS)  # `j2`, `bak2`


def never_candidate(rel_path: str) -> bool:
    """True when `classify_path` and `content_candidate` are both None for `rel_path`, decided from
    its extension alone (the common case of a large repository: source files, images, docs).

    False means "ask them". A name without an extension is never decided here: it may be a
    symlinked client folder (`.codex`), which the listing expands.
    """
    if "\\" in rel_path:
        return False
    base = rel_path[rel_path.rfind("/") + 1:]
    dot = base.rfind(".")
    ext = base[dot + 1:].lower() if dot > 0 else ""
    if ext == "md":  # only agent/workflow files (`.github/`, `.claude/agents/`, ...) or a known name
        lower = rel_path.lower()
        return (".github" not in lower and "agents/" not in lower and ".openhands/" not in lower
                and base.lower() not in BY_NAME)
    if not ext or ext in _EXTS or ext in LAUNCHER_EXTS or ext in SOURCE_EXTS or ext in TEXT_EXTS:
        return False
    return not _ends_like_copy(base.lower()) or _COPY_TAIL.search(base) is None


def never_by_extension(ext: str) -> bool | None:
    """`never_candidate(rel)` for every path whose base name has a dot after its first character,
    holds no backslash and ends in `.ext` (`ext` as written, ASCII, no dot or slash in it), or None
    when the answer depends on more than the extension (`md`, non-ASCII): the listing asks once per
    extension instead of once per name (100,000 names, a few dozen extensions).

    Every test of `never_candidate` on such a name reads the extension only: the extension sets
    compare `ext.lower()`; a copy word or `)` / `~` at the end of the base name either lies inside
    the extension or would have to hold the dot before it (no copy word holds a dot). An extension of
    digits alone is the number group of a copy word before it (`mcp.json.bak.1`): asked per name."""
    if (not ext.isascii() or ext.lower() == "md" or "." in ext or "/" in ext or "\\" in ext
            or not ext.rstrip(_NUMBER_TAIL)):
        return None
    return never_candidate("x." + ext)

_KNOWN_DOT_DIRS = frozenset({*MCP_JSON_PARENT, *SETTINGS_PARENT, *MCP_CONFIG_PARENT, ".codex", ".grok",
                             ".gemini", ".kiro", ".junie", ".continue", ".claude", ".mcporter", ".kilo",
                             ".opencode", ".aws"})


# chezmoi attribute prefixes that keep a file's content as is (`private_dot_codex/config.toml`,
# `dot_codex/private_config.toml`: chezmoi's own advice for files holding credentials).
_CHEZMOI_ATTRS = re.compile(r"^(?:(?:create|empty|private|readonly|executable|exact)_)+(?=.)")


def _dotfile(rel_path: str) -> Candidate | None:
    """A user-level config in a dotfiles layout (undotted or chezmoi directory names)."""
    parts = rel_path.replace("\\", "/").split("/")
    if "_" in rel_path:
        named = [_CHEZMOI_ATTRS.sub("", part) for part in parts]
        if named != parts and any(part.startswith("dot_") for part in named):
            parts = named  # only in a chezmoi tree: a `private_` prefix elsewhere is the name itself
    base = parts[-1]
    if not (base.startswith("dot_") or len(parts) > 1 and (
            "." + parts[-2] in _KNOWN_DOT_DIRS or any(d in _CONFIG_DIRS or d.startswith("dot_")
                                                      for d in parts[:-1]))):
        return None
    dirs = _dotted(parts[:-1])
    if base.startswith("dot_"):
        base = "." + base[4:]
        if base.endswith(".tmpl"):  # a chezmoi template (`dot_env.tmpl`): the file it makes, `.env`
            base = base[:-5]
    if dirs == parts[:-1] and base == parts[-1]:
        if not dirs or dirs[-1].startswith("."):
            return None
        # a stow package `codex/config.toml`, `zed/settings.json`: only for clients whose files are
        # confirmed by content words before they count (a generic name stays precise).
        hit = _classify_path("/".join([*dirs[:-1], "." + dirs[-1], base]))
        if hit is None:
            return None
        spec = CATALOG[hit.hints[0]]
        if spec.content_words is None and spec.dotfiles_words is None:
            return None
        return Candidate(rel_path, hit.fmt, hit.hints, True)  # generic: its content must confirm it
    hit = _classify_path("/".join([*dirs, base]))
    return None if hit is None else Candidate(rel_path, hit.fmt, hit.hints, hit.generic)


def fold_case(text: str) -> str:
    """`text` as a case-insensitive file system compares it: macOS folds case (`ſ` is `s`, the Kelvin
    sign `k`, `ﬁ` is `fi`), Windows upper-cases (`ı` is `I`). `.curſor/mcp.json` is Cursor's config
    on both; a plain lower() keeps those letters."""
    return text.lower() if text.isascii() else text.casefold().replace("\u0131", "i")


def _classify_path(rel_path: str) -> Candidate | None:
    slash = rel_path.rfind("/")
    base = rel_path[slash + 1:]
    dot = base.rfind(".")
    if dot < 0 or fold_case(base[dot + 1:]) not in _EXTS:
        return None
    if "\\" in rel_path:  # paths recorded on Windows
        rel_path = rel_path.replace("\\", "/")
        slash = rel_path.rfind("/")
        base = rel_path[slash + 1:]
    dirs = rel_path.split("/")[:-1]
    found = _classify(rel_path, base, base.lower(), dirs)
    if (found is None or found.generic) and rel_path != (folded := fold_case(rel_path)):
        # Case-insensitive file systems (macOS, Windows) open `.Codex/config.toml` when a client
        # asks for `.codex/config.toml`: a case variant is that client's config too.
        name = folded[folded.rfind("/") + 1:]
        variant = _classify(rel_path, name, name, folded.split("/")[:-1])
        if variant is not None and (found is None or not variant.generic):
            found = variant
    if found is None or any(d in SKIP_DIRS for d in dirs):
        return None
    return found


_EXTENSION_HOMES = frozenset({".gemini"})  # `~/.gemini/extensions/<name>/.env`
_IN_DIR_NAMES = frozenset(name for _parent, name in NAMED_IN_DIR)
# Subagent definitions whose front matter may declare MCP servers inline.
_AGENT_DIRS = {".claude": C.CLAUDE_CODE, ".gemini": C.GEMINI}
# Folders of Markdown skills an agent loads from the repository (OpenHands: `.agents/skills/`,
# `.openhands/skills/`, `.openhands/microagents/`, any depth), whose front matter may start MCP servers.
_SKILL_DIRS = frozenset({(".agents", "skills"), (".openhands", "skills"), (".openhands", "microagents")})


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
    if lower == "mcp_config.json" or lower == "mcp_config.local.json" and parent in (".devin", "devin"):
        client = MCP_CONFIG_PARENT.get(parent)
        if client is None and (grand, parent) == (".gemini", "config"):
            client = C.ANTIGRAVITY  # Antigravity CLI: ~/.gemini/config/mcp_config.json
        if client is not None:
            return Candidate(path, F.JSON, (client, C.WINDSURF))
    if lower == ".mcp.json" and (own := DOT_MCP_JSON_PARENT.get(parent)) is not None:
        return Candidate(path, own[0], (own[1],))
    if (named := BY_NAME.get(lower)) is not None:
        return Candidate(path, named[0], named[1], named[2])
    if lower in _IN_DIR_NAMES and (in_dir := NAMED_IN_DIR.get((parent.lower(), lower))) is not None:
        return Candidate(path, in_dir[0], (in_dir[1],), in_dir[2])
    if lower.endswith(".env") and (_MCP_TOKEN.search(parent.lower()) or _MCP_TOKEN.search(grand.lower())):
        # the `.env` of an MCP server's own folder (`mcp/.env`, `github-mcp/.env`, one level down in a
        # folder of servers: `mcp-servers/github/.env`, `mcp/config/.env`): the dotenv loaders of its
        # runtime (python-dotenv, dotenv, Bun, Deno) read it from the working directory; and the named
        # environment files kept beside it (`mcp/prod.env`, `mcp/secrets.env`: `--env-file`, `envFile`)
        return Candidate(path, F.DOTENV, (C.DOTENV,))
    if lower == ".env" and len(dirs) >= 3 and dirs[-2] == "extensions" and dirs[-3] in _EXTENSION_HOMES:
        # a Gemini CLI extension's settings (`gemini extensions config`): kept in the `.env` of the
        # extension's folder, whose values the CLI hands to the extension's MCP servers
        return Candidate(path, F.DOTENV, (C.DOTENV,))
    if ext == "json" and CREDENTIAL_DIRS.intersection(dirs):
        return Candidate(path, F.JSON, (C.GENERIC,))
    if ".continue" in dirs:
        return _continue(path, ext)
    if ext in ("json", "jsonc"):
        return _json(path, base, lower, parent, grand)
    if ext in ("yaml", "yml"):
        return _yaml(path, lower, dirs)
    if ext == "toml":
        if parent in (".codex", ".grok") and (base == "config.toml" or lower.endswith(".config.toml")):
            return Candidate(path, F.TOML, (C.CODEX,))  # .codex/<profile>.config.toml too
        if _MCP_TOKEN.search(lower[:-5]):
            return Candidate(path, F.TOML, (C.CODEX, C.GENERIC), True)
        return None
    if ext == "md":
        if grand == ".github" and parent == "agents" or lower.endswith(".agent.md") and ".github" in dirs:
            return Candidate(path, F.MARKDOWN, (C.COPILOT_AGENT,))
        if _under(dirs, ".github", "workflows"):
            # a workflow, or a component it imports (`imports: [shared/mcp/acme.md]`, any depth)
            return Candidate(path, F.MARKDOWN, (C.GH_AW,))
        if parent == "agents" and grand in _AGENT_DIRS:  # subagents with inline `mcpServers`
            return Candidate(path, F.MARKDOWN, (_AGENT_DIRS[grand],))
        if any(_under(dirs, *pair) for pair in _SKILL_DIRS):
            # OpenHands repository skills / microagents: `mcp_tools:` front matter (read by content)
            return Candidate(path, F.MARKDOWN, (C.GENERIC,), True, by_content=True)
        return None
    if ext == "code-workspace":
        return Candidate(path, F.JSONC, (C.VSCODE,))
    if ext == "iws":
        # the workspace file of a file-based IntelliJ project (`<name>.ipr` beside it): the IDE keeps
        # the components `.idea/workspace.xml` holds in a directory-based project there, the MCP ones
        # included (content-confirmed: the text must name one)
        return Candidate(path, F.XML, (C.JETBRAINS,), True)
    if ext == "properties":
        # Spring Boot's config files (`application.properties`, `application-prod.properties`,
        # `bootstrap.properties`) and any other it is pointed at (`spring.config.import=classpath:
        # mcp.properties`, `@PropertySource`, `--spring.config.location`): a Spring AI MCP client's
        # connections (content-confirmed: the text must hold `spring.ai.mcp`)
        return Candidate(path, F.PROPERTIES, (C.SPRING_AI,), True)
    return None


def _under(dirs: list[str], first: str, second: str) -> bool:
    """True when `first/second/` is among the folders of a path (at any depth)."""
    return any(a == first and b == second for a, b in zip(dirs, dirs[1:], strict=False))


def _continue(path: str, ext: str) -> Candidate | None:
    if ext in ("yaml", "yml"):
        return Candidate(path, F.YAML, (C.CONTINUE,))
    if ext in ("json", "jsonc"):
        return Candidate(path, F.JSONC, (C.CONTINUE,), True)
    return None


_MANAGED_DROP_INS = "managed-settings.d"
_APPSETTINGS = "appsettings"
# VS Code's user settings folder (`~/.config/Code/User/`, `AppData/Roaming/Code/User/`, `Library/
# Application Support/Code/User/`), committed in dotfiles: its settings.json held the user's MCP
# servers under `mcp.servers` before the user `mcp.json` existed (>=3,000 public repositories hold
# `.config/Code/User/settings.json`).
_VSCODE_USER = frozenset({"Code", "Code - Insiders", "VSCodium", "Code - OSS"})


def _json(path: str, base: str, lower: str, parent: str, grand: str) -> Candidate | None:
    if base == "settings.json" and (parent == "User" and grand in _VSCODE_USER or parent == "vscode"):
        # content-confirmed (only its `mcp` section is read); `vscode/settings.json`: a stow package
        return Candidate(path, F.JSONC, (C.VSCODE,), True)
    if parent == _MANAGED_DROP_INS:  # Claude Code reads every `*.json` there after managed-settings.json
        return Candidate(path, F.JSON, (C.CLAUDE_SETTINGS,))
    if base in ("settings.json", "settings.local.json"):
        hit = SETTINGS_PARENT.get(parent)
        if hit is None or (base == "settings.local.json" and parent != ".claude"):
            return None
        return Candidate(path, hit[0], (hit[1],))
    if base == "devcontainer.json" and ".devcontainer" in (parent, grand) or base == ".devcontainer.json":
        return Candidate(path, F.JSONC, (C.VSCODE,), True)
    # Claude Code plugins: `plugin.json` and the marketplace's plugin entries may declare
    # `mcpServers` inline (code.claude.com plugins reference); both are searched whole.
    if base in ("plugin.json", "marketplace.json") and parent == ".claude-plugin":
        return Candidate(path, F.JSON, (C.CLAUDE_CODE,))
    if parent == ".amazonq" and base == "default.json" or (grand, parent) == (".amazonq", "cli-agents"):
        return Candidate(path, F.JSON, (C.AMAZONQ,))
    if (grand, parent) == (".kiro", "agents"):
        return Candidate(path, F.JSON, (C.KIRO,))
    if lower.startswith(_APPSETTINGS) and lower.endswith(".json"):
        # a .NET application's configuration (`appsettings.Development.json`): its MCP sections only
        return Candidate(path, F.JSONC, (C.DOTNET,), True)
    if lower in _NEVER_JSON:
        return None
    if lower.endswith(".fastmcp.json") or lower.startswith("fastmcp.") and lower.count(".") == 2:
        # FastMCP per-environment files (`prod.fastmcp.json`, `fastmcp.http.json`): content-confirmed
        return Candidate(path, F.JSONC, (C.FASTMCP,), True)
    if ("n8n" in parent.lower() or "n8n" in grand.lower()) and lower not in LAUNCHER_NAMES:
        # an n8n workflow export (`n8n/workflows/agent.json`): content-confirmed by its MCP node type
        return Candidate(path, F.JSON, (C.N8N,), True)
    # any JSON of an MCP-named folder (`mcp/`, `mcp-config/servers.json`, `github-mcp/config.json`):
    # content-confirmed, as every generic name is
    if _MCP_TOKEN.search(lower[: lower.rfind(".")]) or _MCP_TOKEN.search(parent.lower()):
        return Candidate(path, F.JSONC, (C.GENERIC,), True)
    return None


def _yaml(path: str, lower: str, dirs: list[str]) -> Candidate | None:
    if len(dirs) >= 2 and dirs[-1] == "workflows" and dirs[-2] == ".github":
        # GitHub Actions: an `mcp_config` input, `--mcp-config '<json>'`, a heredoc writing .mcp.json
        return Candidate(path, F.YAML, (C.GITHUB_ACTIONS,), True)
    if _COMPOSE.search(lower):
        return Candidate(path, F.YAML, (C.DOCKER_MCP,), True)
    stem = lower[: lower.rfind(".")]
    if stem.startswith("catalog") or stem.endswith("catalog") or _toolkit_file(lower, dirs):
        # MCP Toolkit catalogs (`catalog.yaml`, `rg-mcp-catalog.yaml`, `~/.docker/mcp/catalogs/*.yaml`)
        # and its `~/.docker/mcp/config.yaml` (per-server settings) in a dotfiles tree or a gateway
        # image's build folder: content-confirmed (clients/docker.py)
        return Candidate(path, F.YAML, (C.DOCKER_MCP,), True)
    # Goose recipes have no fixed name: look at the usual places and names, then confirm by content.
    if "recipe" in lower or any("goose" in d.lower() or d == "recipes" for d in dirs):
        return Candidate(path, F.YAML, (C.GOOSE,), True)
    if _MCP_TOKEN.search(stem):
        return Candidate(path, F.YAML, (C.GENERIC, C.CONTINUE, C.GOOSE, C.DOCKER_MCP), True)
    if ("configmap" in lower or "secret" in lower or _WORKLOAD_NAME.search(stem) or stem in _RELEASE_FILES
            or any(d.lower() in _MANIFEST_DIRS for d in dirs)
            or _MCP_DIR_MANIFEST.search(stem) and any(_MCP_TOKEN.search(d.lower()) for d in dirs)):
        # `k8s/`, `charts/x/templates/`, `github-mcp-server/deployment.yaml` (koosha-t/K8sMCPs),
        # `mcp-servers/github/service.yaml`: content-confirmed (clients/manifests.py, kubernetes.py)
        return Candidate(path, F.YAML, (C.GENERIC,), True, manifest=True)
    return None


# The MCP Toolkit's folder (`~/.docker/mcp/`: `config.yaml`, `catalogs/*.yaml`), as
# dotfiles keep it (`.docker/mcp/`, chezmoi `dot_docker/mcp/`, stow `docker/.docker/mcp/`).
_TOOLKIT_DIRS = frozenset({".docker", "dot_docker", "docker"})


def _toolkit_file(lower: str, dirs: list[str]) -> bool:
    if len(dirs) >= 2 and dirs[-1] == "mcp" and dirs[-2] in _TOOLKIT_DIRS:
        return lower in ("config.yaml", "registry.yaml")
    return len(dirs) >= 2 and dirs[-1] == "catalogs" and dirs[-2] == "mcp"


# Names people give Kubernetes workload manifests outside a manifests directory: `deployment.yaml`,
# `github-deployment.yml`, `statefulset.yaml`, `k8s.yaml`, `cloudrun-service.yaml` (content-confirmed).
_WORKLOAD_NAME = re.compile(r"(?:^|[._-])(?:deployment|statefulset|daemonset|cronjob|k8s|kube|kubernetes|"
                            r"knative|cloudrun)s?(?:[._-]|$)")
# A kustomization anywhere (a top-level `overlays/prod/kustomization.yaml` building `../../base`): its
# `secretGenerator` literals are what the workloads of the folders it builds read (clients/k8s_refs.py).
_KUSTOMIZATION = "kustomization"
# A helmfile (`helmfile.yaml`: its `releases[]` values configure the charts it installs; helm.py).
_HELMFILE = "helmfile"
_RELEASE_FILES = frozenset({_KUSTOMIZATION, _HELMFILE})
# More manifest names, counted only in a directory named with an `mcp` token (`github-mcp-server/`):
# elsewhere they name too many other files (a lock file or CI config there is not read).
_MCP_DIR_MANIFEST = re.compile(r"(?:^|[._-])(?:service|pod|job|values|kustomization|helmrelease|manifest|"
                               r"deploy|app)s?(?:[._-]|$)")
# Its words alone, for the listing's fast path (a superset of its matches: cheaper on every name).
_WORKLOAD_WORD = re.compile(r"deployment|statefulset|daemonset|cronjob|k8s|kube|knative|cloudrun")


# Where deployment manifests live (`k8s/`, `deploy/`, `charts/<chart>/templates/`, `manifests/`, ...):
# their ConfigMaps and Secrets may embed a client config mounted into an agent's container.
_MANIFEST_DIRS = frozenset({"k8s", "kube", "kubernetes", "deploy", "deployment", "deployments", "manifests",
                            "helm", "charts", "kustomize", "openshift"})


# --- Fast path for the listing of large repositories (additive: the functions above decide) ----
# Every directory name the functions above look at, without its leading dot and lower-cased: a
# component equal to one of these (or holding a dot, `goose`, a `dot_` prefix, an upper-case or
# non-ASCII character or a backslash) makes a path not plain. Derived from the catalog tables, so a
# new client folder there is covered; a new literal in the code above must be added here (the
# property test feeds every string constant of this module to both sides and fails otherwise).
_PLAIN_DIR_WORDS = frozenset(
    name.lstrip(".").lower()
    for name in (*MCP_JSON_PARENT, *DOT_MCP_JSON_PARENT, *(d for pair in MCP_JSON_GRANDPARENT for d in pair),
                 *MCP_CONFIG_PARENT, *SETTINGS_PARENT, *_KNOWN_DOT_DIRS, *_CONFIG_DIRS, *SKIP_DIRS,
                 ".devin", ".gemini", "config", ".continue", ".devcontainer", ".claude-plugin", ".amazonq",
                 "cli-agents", ".kiro", "agents", "mcp", ".mcp", ".codex", ".grok", ".github", "workflows",
                 "recipes", "goose", _MANAGED_DROP_INS, *_MANIFEST_DIRS))
# A plain base name: lower-case ASCII, a JSON/YAML/TOML extension, none of the words the name rules
# read (mcp, compose, recipe, a leading catalog / dot_ / dot), no copy-suffix characters.
_PLAIN_BASE = re.compile(r"[a-z0-9_-][a-z0-9_.-]*\.(?:json|jsonc|yaml|yml|toml)")


def plain_content_name(rel_path: str) -> bool:
    """True only when `classify_path(rel_path)` is None and `content_candidate(rel_path)` is a
    by-content candidate, decided without running them: a lower-case ASCII path whose base name and
    directories are none of the names discovery looks at. False means "ask them".

    The common case of a large repository (`src/components/chart.json`, `conf/values.yaml`):
    the listing then builds a Candidate only for a file whose content the probe keeps.
    """
    slash = rel_path.rfind("/")
    base = rel_path[slash + 1:]
    if (_PLAIN_BASE.fullmatch(base) is None or "mcp" in base or "compose" in base or "recipe" in base
            or "configmap" in base or "secret" in base
            or base.startswith(("taskfile", _KUSTOMIZATION, _HELMFILE))
            or base[-1] == "l" and _WORKLOAD_WORD.search(base) is not None
            or base.startswith(("dot_", _APPSETTINGS)) or "catalog" in base or base in BY_NAME
            or base in _NEVER_JSON
            or _copy_stem(base[: base.rfind(".")]) or base.endswith(".lock.json")):
        return False
    return slash < 0 or _plain_dirs(rel_path[:slash])


@functools.lru_cache(maxsize=4096)  # a listing is sorted: the files of a directory come together
def _plain_dirs(directory: str) -> bool:
    if not directory.isascii() or directory != directory.lower() or "\\" in directory:
        return False
    for part in directory.split("/"):
        if (not part or "." in part or part.startswith("dot_") or part in _PLAIN_DIR_WORDS or "goose" in part
                or "mcp" in part or "n8n" in part):
            return False
    return True
