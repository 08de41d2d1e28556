"""Event handling for an always-running required check: the fast "no MCP config changed" gate.

A required status must be reported on every pull request and merge group (GitHub documents that
required workflows must not be path-filtered, and `merge_group` has no path filter). So most runs see
a change that touches no MCP config; those must answer `success` in well under two seconds without
starting gitleaks or scanning the tree. The decision here is deliberately conservative: any changed
path that could be, or be read by, an MCP config or a settings file makes the run scan as usual.
"""

from __future__ import annotations

import posixpath
import re
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from scanner.clients.discovery import classify_path, is_skipped_dir, source_candidate
from scanner.diff import unknown_names
from scanner.errors import ParseError
from scanner.pipeline import probed_candidate
from scanner.result import ScanResult
from scanner.sources.worktree import PROBE_MAX_BYTES

NO_MCP_CHANGE = "no MCP config changed"


def _referenced_by_head(head_files: Mapping[str, bytes], mentioning: set[str] | None) -> set[str] | None:
    """Paths the head tree's MCP configs read (envFile, --env-file, compose secrets, opencode
    `{file:...}`), or None when a config could not be parsed (then nobody can say what it
    references: scan).

    `mentioning`: when given, only these configs can reference a changed path (see `_mentions`).
    """
    from scanner.clients import parse_config, referenced_files
    from scanner.clients._files import config_references, file_references

    referenced: set[str] = set()
    for rel in head_files if mentioning is None else sorted(mentioning):
        candidate = classify_path(rel) or source_candidate(rel)  # (a source file: the modules it imports)
        if candidate is None:
            continue
        try:
            config = parse_config(candidate, head_files[rel])
        except (ParseError, RecursionError, KeyError):
            return None
        if config is not None and config.parse_error is not None:
            return None  # searched line by line: what it references is unknown
        if config is not None:
            referenced.update(posixpath.normpath(path) for path in referenced_files(config))
            # opencode `{file:path}` targets: their content is substituted into the config's values.
            referenced.update(posixpath.normpath(path) for path, _key in file_references(config))
            # a plugin manifest's `mcpServers` file: an MCP config of the plugin, whatever its name
            referenced.update(posixpath.normpath(path) for path in config_references(config))
    return referenced


def _mentions(repo: Path, ref: str, names: Iterable[str]) -> set[str] | None:
    """Files of `ref` whose text contains one of `names` (file base names), by one `git grep`.

    A config can only reference a changed file by writing its name, so only those configs need
    parsing; this keeps the fast path at one git process instead of one per config. None when git
    cannot answer (then every config is parsed). Binary files are searched as text (`-a`): the PR's
    own `.gitattributes` can mark a config `binary`, and `-I` would then skip it.
    """
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as handle:
        # A backslash too: an escaped name (JSON "\u0074oken.env", a YAML/TOML escape or line
        # continuation) does not contain the name as written, so such a config is always parsed.
        handle.write("\n".join(sorted({*names, "\\"})) + "\n")
        patterns = handle.name
    try:
        # -i: a config may name the file in another case (macOS and Windows open it all the same).
        proc = subprocess.run(["git", "-C", str(repo), "grep", "-l", "-z", "-F", "-i", "-a", "-f", patterns,
                               ref], stdin=subprocess.DEVNULL, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    finally:
        Path(patterns).unlink(missing_ok=True)
    if proc.returncode not in (0, 1):  # 1: no match
        return None
    prefix = f"{ref}:"
    return {item.decode("utf-8", "surrogateescape").removeprefix(prefix)
            for item in proc.stdout.split(b"\0") if item}


def _source_importers(git_head: tuple[Path, str]) -> set[str] | None:
    """The head's source files naming an MCP API (those whose imports `_referenced_by_head` follows)."""
    from scanner.sources.source_grep import api_files_at

    return api_files_at(*git_head)


def _implicit_loaders(head_files: Mapping[str, bytes], changed: Sequence[str]) -> set[str]:
    """The head configs whose client loads one of the changed `.env` files by itself
    (clients._files.implicit_dotenv_paths): their text never names it, so `_mentions` misses them."""
    from scanner.clients._files import IMPLICIT_LOADER_HINTS, implicit_dotenv_paths

    dotenvs = {posixpath.normpath(path).casefold() for path in changed
               if posixpath.basename(path).casefold() == ".env"}
    if not dotenvs:
        return set()
    found: set[str] = set()
    for rel in head_files:
        if not any(hint in rel.lower() for hint in IMPLICIT_LOADER_HINTS):
            continue
        candidate = classify_path(rel)
        if candidate is not None and any(path.casefold() in dotenvs
                                         for client in candidate.hints
                                         for path in implicit_dotenv_paths(rel, client)):
            found.add(rel)
    return found


# A manifest an MCP workload of another file may read by name: a ConfigMap, a Secret, a kustomization.
_KUBERNETES_DATA = re.compile(rb"(?m)^kind:[ \t]*[\"']?(?:ConfigMap|Secret|Kustomization)\b")


def _kubernetes_data(path: str, head_files: Mapping[str, bytes]) -> bool:
    if not path.lower().endswith((".yaml", ".yml")) and posixpath.basename(path) != "Kustomization":
        return False
    try:
        data = head_files.get(path)
    except ValueError:  # there but unreadable: the scan reports it
        return True
    return data is not None and _KUBERNETES_DATA.search(data) is not None


def _pruned_config(path: str) -> bool:
    """True for a client config by name inside a folder discovery never lists (`vendor/x/.mcp.json`):
    only a config pointing there loads it (a directory plugin marketplace, a plugin source folder),
    possibly without naming the file, so its change is scanned rather than judged by name."""
    parts = path.split("/")
    pruned = [index for index, part in enumerate(parts[:-1]) if is_skipped_dir(part)]
    if not pruned:
        return False
    named = classify_path("/".join(parts[pruned[-1] + 1:]))
    return named is not None and not named.by_content


def unchanged_reason(changed: Sequence[str], head_files: Mapping[str, bytes],
                     settings_files: Iterable[str], git_head: tuple[Path, str] | None = None) -> str | None:
    """NO_MCP_CHANGE when none of `changed` can affect the result, else None (scan normally).

    A path matters when it is a candidate MCP config (by name, as discovery classifies it), one of
    the settings files (policy, baseline), or a file a head config references. Only the configs of
    the head tree are parsed here (no secret engines), and with `git_head` (repository, head commit)
    only the configs that mention a changed file's name: cheap even on large repositories.
    """
    settings = set(settings_files)
    for path in changed:
        if path in settings or (named := classify_path(path)) is not None and not named.by_content:
            return None  # (a launcher, `package.json`, counts by content: below)
        if named is None and _pruned_config(path):
            return None  # a config by name in a folder the listing prunes: one a config loads from there
        if _kubernetes_data(path, head_files):
            return None  # a ConfigMap / Secret an MCP workload may read by name (clients/k8s_refs.py)
    for path in unknown_names(changed):  # a config under a name discovery does not know
        try:
            if path not in head_files or probed_candidate(path, head_files, PROBE_MAX_BYTES) is not None:
                return None  # at head a config, or gone (a version in the range may have been one)
        except ValueError:  # too large to tell here: the scan reads it up to its own limit
            return None
    if not changed:
        return NO_MCP_CHANGE
    mentioning = None
    if git_head is not None:
        # (a `.env` a server's `cwd` names is written as its folder: `cwd: tools/acme` loads its .env)
        folders = [posixpath.basename(posixpath.dirname(p)) for p in changed
                   if posixpath.basename(p).casefold() == ".env" and "/" in p]
        names = [*(posixpath.basename(p) for p in changed), *folders]
        mentioning = _mentions(git_head[0], git_head[1], names)
        if mentioning is not None:  # configs load an implicit `.env` without writing its name
            mentioning |= _implicit_loaders(head_files, changed)
        if mentioning is not None and any(source_candidate(path) is not None for path in changed):
            # a module an MCP client file imports is named by its module path, not its file name
            importers = _source_importers(git_head)
            mentioning = None if importers is None else mentioning | importers
    referenced = _referenced_by_head(head_files, mentioning)
    if referenced is None or {path.casefold() for path in referenced}.intersection(
            posixpath.normpath(p).casefold() for p in changed):
        return None
    return NO_MCP_CHANGE


def empty_result(root: Path) -> ScanResult:
    """The result of a run that had nothing to scan: an empty SARIF closes nothing it should not
    (diff mode reports only what the change adds) and lets an upload step always find its file."""
    return ScanResult(str(root), [], [], [], [])
