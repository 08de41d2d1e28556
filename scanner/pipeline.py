"""The only place the stages meet: files -> configs -> secrets/environments -> rules -> ScanResult.

ScanOptions/ScanResult live in scanner/result.py (re-exported here for callers of scan()).
"""

from __future__ import annotations

import functools
import gc
import os
import posixpath
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.budget import DEADLINE_REASON, current_budget, file_over_budget
from scanner.clients.discovery import Candidate, classify_path, content_candidate, is_source
from scanner.detail_budget import DetailBudget
from scanner.engines.gitleaks_run import EARLY_LAUNCH_NAMES
from scanner.errors import EngineError, EngineUnavailable, ParseError
from scanner.findings import Finding, sort_key
from scanner.model import NOT_PROBED, Client, FileFormat, McpConfig, ServerEntry, SkippedFile
from scanner.result import DEFAULT_MAX_FILE_BYTES, Progress, ScanOptions, ScanResult
from scanner.sources.worktree import (
    SYMLINK_OUTSIDE,
    PendingListing,
    read_limited,
    resolve_symlink,
    size_limit_reason,
    start_listing,
)

if TYPE_CHECKING:
    from scanner.engines.engine import SecretMatch
    from scanner.engines.gitleaks import GitleaksRun
    from scanner.fingerprints import ValueDigester
    from scanner.sources.gitlist import WorkTreeListings


def scan(options: ScanOptions, progress: Progress | None = None,
         listings: WorkTreeListings | None = None, gitleaks: GitleaksRun | None = None) -> ScanResult:
    """Scan a work tree (git-tracked files when it is a git repository). `listings`: git's listings
    of `options.root`, started by the caller before its imports (`start_listing` takes them);
    `gitleaks`: a run the caller launched (`GitleaksRun.launch`, not fed) for this scan to feed,
    which this scan then ends (fed or not) as it ends one it launched itself."""
    launched: list[GitleaksRun] = [] if gitleaks is None else [gitleaks]

    def listed(count: int) -> None:
        # A large listing takes longer than gitleaks' own start-up: launch it now (it waits for
        # its configuration and files, see GitleaksRun.launch) instead of after the listing.
        if not launched and count >= _EARLY_GITLEAKS_NAMES and (run := _launch_gitleaks(options)) is not None:
            launched.append(run)

    started: GitleaksRun | None = None
    pending: PendingListing | None = None
    try:
        # gitleaks gets the candidates (known config names) before the unknown JSON/YAML/TOML
        # names of git's listing are opened for the probe words (`finish`): it scans them meanwhile.
        pending = start_listing(options.root, options.paths, options.all_files, on_listed=listed,
                                started=listings)
        loaded: dict[str, bytes] = {}
        unread: list[SkippedFile] = []
        candidates: list[Candidate] = []
        for candidate, path in pending.candidates:
            try:
                loaded[candidate.rel_path] = read_limited(path, options.max_file_bytes)
                candidates.append(candidate)
            except (OSError, ValueError) as exc:
                unread.append(SkippedFile(candidate.rel_path, _io_reason(exc)))
        started = _start_gitleaks(loaded, options, launched[0] if launched else None)
        # The known configs are parsed while the listing's probe child opens the unknown names;
        # not when gitleaks is on but did not start here (`_analyse` then starts it over `loaded`,
        # which must hold the bytes as read, as it did before).
        preparsed: _Preparsed | None = None
        if started is not None or not options.use_gitleaks:
            preparsed = _preparse(candidates, loaded, options, progress)
        listing = pending.finish()
        errors = [*listing.skipped, *unread]
        skipped = list(listing.unscanned)
        # Files of names discovery does not know whose content is an MCP config are scanned: a
        # client is pointed at any path (`--mcp-config tools/x.json`). gitleaks, fed before their
        # content was known, gets a second run over these files alone (GitleaksEngine.detect).
        found = _probe(listing.probes, options.max_file_bytes, skipped)
        if found:  # a file a scanned config links to is scanned as that config, not again by itself
            linked = {os.path.realpath(path) for _candidate, path in pending.candidates}
            for candidate, data, path in found:
                if os.path.realpath(path) not in linked:
                    loaded[candidate.rel_path] = data
                    candidates.append(candidate)
    except BaseException:
        for run in (*launched, started):
            if run is not None:
                run.close()
        if pending is not None:
            pending.close()
        raise
    skipped.sort(key=lambda entry: entry.path)
    def read_extra(rel: str) -> bytes | None:
        path = options.root / rel
        if path.is_symlink():  # the client follows it: read the target inside the repository
            target, reason = resolve_symlink(path, options.root)
            if target is None:
                if reason == SYMLINK_OUTSIDE:
                    raise ValueError(reason)
                return None
            path = target
        if not path.is_file():
            return None
        return read_limited(path, options.max_file_bytes)

    read_extra.locate = _DiskLocator(options.root)  # type: ignore[attr-defined]
    result = _analyse(candidates, loaded, errors, options, read_extra, progress, started,
                      [entry.path for entry in skipped], preparsed)
    return replace(result, skipped=skipped) if skipped else result


# (configs, parse notes, count) of the first `count` candidates, parsed before the rest were known.
_Preparsed = tuple[list[McpConfig], list[SkippedFile], int]


def _preparse(candidates: list[Candidate], loaded: dict[str, bytes], options: ScanOptions,
              progress: Progress | None) -> _Preparsed:
    """`_parse_all` of the candidates known so far (the cycle collector paused, as in `_analyse`):
    `_analyse_started` parses only the ones found after, and the configs and notes of both come
    in the order one `_parse_all` over all of them gives (each file is parsed on its own)."""
    notes: list[SkippedFile] = []
    collecting = gc.isenabled()
    gc.disable()
    try:
        configs = _parse_all(candidates, loaded, notes, progress, options.strict_parse)
    finally:
        if collecting:
            gc.enable()
    return configs, notes, len(candidates)


def _probe(probes: Sequence[tuple[Candidate, Path]], max_bytes: int,
           unprobed: list[SkippedFile]) -> list[tuple[Candidate, bytes, Path]]:
    """The probed files (names discovery does not know) whose content is an MCP config, read.

    A file over PROBE_MAX_BYTES is searched whole for the probe words (its first bytes alone do
    not tell: a config padded past them); one over `max_bytes` that may hold a config is named
    in `unprobed` (not fatal: an unknown name over the file limit is data, not a client's config,
    but the report says it was not looked at)."""
    from scanner.sources.worktree import PROBE_MAX_BYTES, holds_probe_word, may_be_mcp_content

    found: list[tuple[Candidate, bytes, Path]] = []
    for candidate, path in probes:
        try:
            large = path.stat().st_size > PROBE_MAX_BYTES
        except OSError:
            continue
        # none of the MCP key words: not parsed (a source file was kept for naming an MCP API, which
        # holds none of them: `StdioClientTransport` imported through a local re-export)
        if not large and not is_source(candidate) and not may_be_mcp_content(path):
            continue
        try:
            data = read_limited(path, max_bytes if large else PROBE_MAX_BYTES)
        except ValueError as exc:  # over the limit (a Git LFS pointer is never that large)
            if large and _holds_probe_word_anywhere(path):
                unprobed.append(SkippedFile(candidate.rel_path, f"{NOT_PROBED}: {exc}",
                                            fatal=False))
            continue
        except OSError:
            continue
        if (not large or is_source(candidate) or holds_probe_word(data)) and holds_config(candidate, data):
            found.append((candidate, data, path))
    return found


def _holds_probe_word_anywhere(path: Path) -> bool:
    """Whether the file at `path` (over the file limit) holds a probe word anywhere, read in
    chunks (bounded memory) that overlap by a word's length so none is cut in two."""
    from scanner.sources.worktree import PROBE_WORDS, holds_probe_word

    overlap = max(len(word) for word in PROBE_WORDS) - 1
    try:
        with open(path, "rb") as handle:
            tail = handle.read(_CHUNK)
            if holds_probe_word(tail):  # the BOM test is on the first chunk
                return True
            while chunk := handle.read(_CHUNK):
                window = tail[-overlap:] + chunk
                if any(word in window for word in PROBE_WORDS):
                    return True
                tail = chunk
    except OSError:
        return False
    return False


_CHUNK = 1024 * 1024


def probed_candidate(rel: str, files: Mapping[str, bytes], max_bytes: int) -> Candidate | None:
    """The by-content candidate of `rel` in `files` when its content is an MCP config, else None.

    Raises ValueError (the size reason) for a file over `max_bytes` that may hold one (a probe
    word): it is not parsed, and padding a config past a limit must not make it unseen."""
    from scanner.sources.worktree import holds_probe_word, in_skipped_dir

    named = classify_path(rel)  # a launcher (`package.json`, `*.sh`): a config by content too
    candidate = named if named is not None and named.by_content else content_candidate(rel)
    if candidate is None or in_skipped_dir(rel):
        return None
    try:
        data = files[rel]
    except (KeyError, ValueError):  # gone, or a link out of the repository: not a config here
        return None
    if len(data) > max_bytes:
        if holds_probe_word(data):
            raise ValueError(size_limit_reason(max_bytes))
        return None
    return candidate if holds_config(candidate, data) else None


def holds_config(candidate: Candidate, data: bytes) -> bool:
    """True when `data`, under a name discovery does not know (`candidate` by content), parses
    as an MCP config with servers or values: such a file is scanned like a known one."""
    from scanner.clients import parse_config
    from scanner.clients._files import config_references

    try:
        config = parse_config(candidate, data)
    except (ValueError, ParseError, RecursionError):
        return False  # an unrelated file that is not even valid JSON/YAML/TOML
    # (or a launcher naming the configs a client loads: `claude --plugin-dir vendor/acme`)
    if config is not None and config.parse_error is not None and is_source(candidate):
        return True  # source naming an MCP API that does not parse: searched line by line, reported
    return config is not None and bool(config.servers or config.file_values or config_references(config))


def scan_files(files: Mapping[str, bytes], options: ScanOptions, probe: Collection[str] = (),
               probe_limit_fatal: bool = True) -> ScanResult:
    """Scan an in-memory tree (relative POSIX path -> bytes), e.g. the content of a git ref.

    `probe`: paths (e.g. a pull request's changed files) that are scanned, under a name discovery
    does not know, when their content is an MCP config (`holds_config`), as `scan` does. One over
    the file limit that may hold a config makes the scan incomplete (a changed file padded past the
    limit), or, with `probe_limit_fatal` False (every file of a tree), is named as not probed."""
    candidates: list[Candidate] = []
    errors: list[SkippedFile] = []
    loaded: dict[str, bytes] = {}
    naming = _sources_naming_api(files)
    for rel in sorted(files):
        candidate = classify_path(rel)
        if candidate is not None and naming is not None and is_source(candidate) and rel not in naming \
                and rel not in probe:
            continue  # application source naming no MCP API (asked of git for the whole tree at once)
        if candidate is None:
            if rel in probe:
                # A changed file (few of them): read up to the normal limit, not the probe's.
                try:
                    candidate = probed_candidate(rel, files, options.max_file_bytes)
                except ValueError as exc:
                    errors.append(SkippedFile(rel, str(exc)) if probe_limit_fatal else
                                  SkippedFile(rel, f"{NOT_PROBED}: {exc}", fatal=False))
                    continue
                if candidate is not None:
                    candidates.append(candidate)
                    loaded[rel] = files[rel]
            continue
        if candidate.rel_path != rel:
            # classify_path reads `a\\b` as Windows' `a/b`; the tree's own key is what gets read.
            candidate = replace(candidate, rel_path=rel)
        try:
            data = files[rel]
        except KeyError:  # e.g. a dangling symlink: no content to scan
            continue
        except ValueError as exc:  # a symlink out of the repository: reported, the scan is incomplete
            errors.append(SkippedFile(rel, str(exc)))
            continue
        if candidate.by_content:  # a launcher: scanned when its content is an MCP config, as a probe
            try:
                candidate = probed_candidate(rel, files, options.max_file_bytes)
            except ValueError as exc:
                errors.append(SkippedFile(rel, str(exc)))
                continue
            if candidate is None:
                continue
            candidate = replace(candidate, rel_path=rel)
        elif len(data) > options.max_file_bytes:
            errors.append(SkippedFile(rel, size_limit_reason(options.max_file_bytes)))
            continue
        candidates.append(candidate)
        loaded[rel] = data
    return _analyse(candidates, loaded, errors, options, _TreeReader(files))


def _sources_naming_api(files: Mapping[str, bytes]) -> set[str] | None:
    """For a tree that can search its own blobs (`gitrefs.TreeFiles.holding`: one `git grep`), its
    application source files that name an MCP API (or are links); None for another mapping (each
    source file is then read and its text gated by the reader)."""
    holding = getattr(files, "holding", None)
    if holding is None:
        return None
    from scanner.clients.discovery import source_candidate
    from scanner.clients.source_code import API_WORDS

    sources = [rel for rel in files if source_candidate(rel) is not None]
    if not sources:
        return set()
    found: set[str] = holding(tuple(word.encode() for word in API_WORDS), sources)
    return found


def _io_reason(exc: BaseException) -> str:
    if isinstance(exc, ValueError):
        return str(exc)
    if isinstance(exc, PermissionError):
        return "file is not readable (permission denied)"
    return "file could not be read"


def _parse_all(candidates: Sequence[Candidate], loaded: dict[str, bytes], errors: list[SkippedFile],
               progress: Progress | None = None, strict_parse: bool = False) -> list[McpConfig]:
    from scanner.clients import parse_config
    from scanner.parsing import decode_source

    budget = current_budget()
    configs: list[McpConfig] = []
    for index, candidate in enumerate(candidates, 1):
        if progress is not None:
            progress(index, len(candidates), len(configs))
        rel = candidate.rel_path
        if budget.expired():
            errors.append(SkippedFile(rel, DEADLINE_REASON))
            continue
        started = time.monotonic()
        try:
            decoded = decode_source(loaded[rel])
            config = parse_config(candidate, loaded[rel], decoded.text)
        except ParseError as exc:  # binary: nothing could be searched
            if not candidate.by_content:  # a named file of unknown name that is not JSON/YAML/TOML
                errors.append(SkippedFile(rel, str(exc)))
            continue
        except RecursionError:
            errors.append(SkippedFile(rel, "nesting too deep to parse"))
            continue
        if decoded.encoding != "utf-8":
            # The engines (gitleaks included) read UTF-8: positions are codepoints either way.
            loaded[rel] = decoded.text.encode("utf-8")
        if decoded.fallback and config is not None:
            errors.append(SkippedFile(rel, "not valid UTF-8: read as Windows-1252 (Latin-1)", fatal=False,
                                      kind="encoding"))
        if config is not None and config.parse_error is not None and candidate.by_content \
                and not is_source(candidate):
            continue  # a named file of unknown name that does not parse is not an MCP config
        if config is not None and config.parse_error is not None:
            # Searched line by line: a warning, unless the user asked for parse failures to count.
            # An XML options file that names an MCP component is read by the IDE's own parser: one
            # expat refuses (a DOCTYPE, an encoding it was not handed) holds values the line search
            # cannot read as the IDE does (`value="&#103;&#104;…"`, `<env name value>`), so it is
            # an incomplete scan.
            errors.append(SkippedFile(rel, f"{config.parse_error} (searched line by line)",
                                      fatal=strict_parse or config.format is FileFormat.XML, kind="parse"))
        over = file_over_budget(time.monotonic() - started)
        if over is not None:  # fail closed: a file that ate its budget makes the scan incomplete
            errors.append(SkippedFile(rel, over))
        if config is not None:
            configs.append(config)
    return configs


def _referenced_dotenv(configs: Sequence[McpConfig], loaded: dict[str, bytes],
                       read_extra: Callable[[str], bytes | None],
                       errors: list[SkippedFile], loaders: Loaders) -> list[Candidate]:
    """Dotenv files that configs point at (envFile, --env-file) and that are not scanned yet."""
    from scanner.clients import referenced_files

    extra: list[Candidate] = []
    for config in configs:
        for rel in referenced_files(config):
            rel = _located(posixpath.normpath(rel), read_extra)
            if rel.startswith("../") or rel == "..":
                continue
            _loaded_by(loaders, rel, config.path)
            if rel in loaded:
                continue
            if (data := _read_reference(rel, read_extra, errors)) is None:
                continue
            loaded[rel] = data
            extra.append(Candidate(rel, FileFormat.DOTENV, (Client.DOTENV,), False))
    return extra


# Further rounds of config references after the first (a reference chain longer than this is not read).
_REFERENCE_ROUNDS = 3

# Referenced file -> the configs that load it (envFile, a plugin's servers file, `{file:}`): a path
# ignore hides a referenced file's findings only when every config loading it is ignored too.
Loaders = dict[str, set[str]]


def _loaded_by(loaders: Loaders, rel: str, config: str) -> None:
    if rel != config:
        loaders.setdefault(rel, set()).add(config)


def _read_reference(rel: str, read_extra: Callable[[str], bytes | None],
                    errors: list[SkippedFile]) -> bytes | None:
    """The content of a file a config references, or None when it is absent or could not be read
    (then the reason is in `errors`)."""
    try:
        return read_extra(rel)
    except (OSError, ValueError) as exc:
        errors.append(SkippedFile(rel, _io_reason(exc)))
        return None


def _located(rel: str, read_extra: Callable[[str], bytes | None]) -> str:
    """The path a client opens for `rel`: `rel`, or the one file whose path differs from it only in
    case (macOS and Windows open `secrets.env` for `Secrets.ENV`); `read_extra.locate` knows the tree."""
    locate = getattr(read_extra, "locate", None)
    return locate(rel) if callable(locate) else rel


class _DiskLocator:
    """`_TreeReader.locate` for the work tree of one scan: `rel` when it exists, else the one path
    whose every component differs from it only in case (a case-insensitive file system opens that
    one); a component without such a single match keeps `rel` (read then finds nothing). Each
    directory is listed (and case-folded) once per scan, however many references look in it:
    every config of a repository may point at the same absent file (Gemini's parent `.env`), and
    listing the repository's top folder per reference made the reference pass (references x
    entries of the folder) the largest single step of a full scan's analysis."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._folded: dict[str, dict[str, list[str]] | None] = {}  # directory -> casefold -> names

    def _names(self, here: Path) -> dict[str, list[str]] | None:
        key = os.fspath(here)
        if key not in self._folded:
            try:
                entries = os.listdir(here)
            except OSError:
                self._folded[key] = None
                return None
            folded: dict[str, list[str]] = {}
            for name in entries:
                folded.setdefault(name.casefold(), []).append(name)
            self._folded[key] = folded
        return self._folded[key]

    def __call__(self, rel: str) -> str:
        root = self.root
        if rel.startswith("../") or rel == ".." or os.path.lexists(root / rel):
            return rel
        found = ""
        for part in rel.split("/"):
            here = root / found if found else root
            if not os.path.lexists(here / part):
                folded = self._names(here)
                if folded is None:
                    return rel
                names = folded.get(part.casefold(), [])
                if len(names) != 1:
                    return rel
                part = names[0]
            found = f"{found}/{part}" if found else part
        return found


class _TreeReader:
    """`files.get` for the referenced files of an in-memory tree, with a case-insensitive `locate`."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self._files = files
        self._folded: dict[str, list[str]] | None = None

    def __call__(self, rel: str) -> bytes | None:
        return self._files.get(rel)

    def locate(self, rel: str) -> str:
        try:
            if rel in self._files:
                return rel
        except ValueError:  # there but unreadable (a link out of the tree, an LFS pointer): read reports it
            return rel
        if self._folded is None:  # built on the first miss only
            self._folded = {}
            for path in self._files:
                self._folded.setdefault(path.casefold(), []).append(path)
        found = self._folded.get(rel.casefold(), [])
        return found[0] if len(found) == 1 else rel


def _referenced_configs(configs: Sequence[McpConfig], loaded: dict[str, bytes],
                        read_extra: Callable[[str], bytes | None],
                        errors: list[SkippedFile], loaders: Loaders) -> list[Candidate]:
    """MCP config files that configs point at and the client loads as configs (a Claude Code plugin
    manifest's `mcpServers` path), whatever their name, and that are not scanned yet."""
    from scanner.clients._files import config_references
    from scanner.clients.source_code import imported_modules

    extra: list[Candidate] = []
    # Read already under a generic name and no servers found (a flat servers file): read again as one;
    # not when it could not be read or parsed at all (that is reported once).
    served = {config.path for config in configs if config.servers} | {error.path for error in errors}
    again: set[str] = set()
    for config in configs:
        # A compose file's includes are compose files (content-confirmed); the rest a plugin's servers.
        candidate: Callable[[str], Candidate] = (
            (lambda rel: Candidate(rel, FileFormat.YAML, (Client.DOCKER_MCP,), True))
            if config.client is Client.DOCKER_MCP else
            # a module a source file imports: read as that language's source, whatever it names
            functools.partial(_imported_module, config) if imported_modules(config) else
            (lambda rel: Candidate(rel, FileFormat.JSONC, (Client.CLAUDE_CODE,), False)))
        for rel in config_references(config):
            rel = _located(rel, read_extra)
            _loaded_by(loaders, rel, config.path)
            if rel in loaded:
                if rel not in served and rel not in again and config.client is not Client.DOCKER_MCP:
                    again.add(rel)
                    extra.append(candidate(rel))
                continue
            if (data := _read_reference(rel, read_extra, errors)) is None:
                continue
            loaded[rel] = data
            extra.append(candidate(rel))
    return extra


def _imported_module(config: McpConfig, rel: str) -> Candidate:
    """The candidate of a local module a source file's MCP API calls read names from."""
    return Candidate(rel, config.format, (config.client,), True, by_content=False)


def _referenced_raw(configs: Sequence[McpConfig], loaded: dict[str, bytes],
                    read_extra: Callable[[str], bytes | None], errors: list[SkippedFile],
                    loaders: Loaders) -> list[McpConfig]:
    """Files whose whole content a client substitutes into a value (opencode `{file:path}`).

    Each becomes a one-value config at the file's own path (line 1), keyed like the value that
    loads it, so the engines judge the content as that value.
    """
    from scanner.clients._files import file_references
    from scanner.model import FieldValue, Location

    out: list[McpConfig] = []
    for config in configs:
        for rel, key in file_references(config):
            rel = _located(rel, read_extra)
            _loaded_by(loaders, rel, config.path)
            if rel in loaded:
                continue
            if (data := _read_reference(rel, read_extra, errors)) is None:
                continue
            text = data.decode("utf-8", "replace").lstrip("\ufeff")
            value = text.strip()
            if not value:
                continue
            loaded[rel] = data
            fv = FieldValue(f"env.{key}" if key else "file", value, Location(rel, 1, 1), 1, len(value) + 1,
                            key=key, quoted=False)
            out.append(McpConfig(rel, Client.DOTENV, FileFormat.DOTENV, (), (fv,)))
    return out


def _referenced_manifests(configs: Sequence[McpConfig], loaded: dict[str, bytes],
                          read_extra: Callable[[str], bytes | None], errors: list[SkippedFile],
                          loaders: Loaders) -> list[McpConfig]:
    """The ConfigMaps / Secrets an MCP workload reads from another manifest of its folder (read
    already) or of its kustomization, and the kustomization's generated literals
    (clients/k8s_refs.py), each as a config of values at its own path."""
    if not any(config.client is Client.KUBERNETES and config.servers for config in configs):
        return []
    from scanner.clients import k8s_refs

    folders: dict[str, list[str]] = {}
    for rel in loaded:
        if rel.lower().endswith((".yaml", ".yml")):
            folders.setdefault(posixpath.dirname(rel), []).append(rel)

    def read(rel: str) -> bytes | None:
        return loaded[rel] if rel in loaded else _read_reference(rel, read_extra, errors)

    out: list[McpConfig] = []
    overlays = [rel for rel in loaded if posixpath.basename(rel) in k8s_refs.KUSTOMIZATIONS]
    for rel, config, data, reader in k8s_refs.referenced_configs(configs, lambda f: folders.get(f, ()), read,
                                                                 overlays):
        loaded[rel] = data
        _loaded_by(loaders, rel, reader)
        out.append(config)
    return out


# Listings of at least this many tracked names launch gitleaks before they are classified (the CLI
# launches it before it imports this module when the work tree's index holds that many entries).
_EARLY_GITLEAKS_NAMES = EARLY_LAUNCH_NAMES


def _launch_gitleaks(options: ScanOptions) -> GitleaksRun | None:
    """gitleaks launched before its files are known (GitleaksRun.launch), or None."""
    if not options.use_gitleaks:
        return None
    from scanner.engines.gitleaks import GitleaksRun, find_gitleaks

    binary = find_gitleaks(options.gitleaks_path, options.environ or os.environ)
    return None if binary is None else GitleaksRun.launch(binary, _gitleaks_timeout(options))


def _start_gitleaks(loaded: Mapping[str, bytes], options: ScanOptions,
                    launched: GitleaksRun | None = None) -> GitleaksRun | None:
    """gitleaks started now over the candidates read so far (UTF-8 ones: the bytes the engines get),
    so that its start-up overlaps parsing and the built-in engine; `launched` (from
    `_launch_gitleaks`) is fed them instead when given. None when it is off or cannot start:
    `_run_engines` then runs it (and reports why it could not) as before."""
    if not options.use_gitleaks or not loaded:
        if launched is not None:
            launched.close()  # nothing for it to scan
        return None
    files = {rel: data for rel, data in loaded.items() if data.isascii() or _is_utf8(data)}
    if launched is not None:
        try:
            launched.feed(files)
            return launched
        except EngineError:
            launched.close()  # e.g. a full tmpfs: a fresh run below, with its own fallbacks
    from scanner.engines.gitleaks import GitleaksEngine, find_gitleaks

    binary = find_gitleaks(options.gitleaks_path, options.environ or os.environ)
    if binary is None:
        return None
    try:
        return GitleaksEngine(binary, _gitleaks_timeout(options)).start(files)
    except EngineError:
        return None


def _gitleaks_timeout(options: ScanOptions) -> int:
    """gitleaks' timeout: the configured one, never past the overall deadline."""
    left = current_budget().remaining()
    return options.gitleaks_timeout if left is None else max(1, min(options.gitleaks_timeout, int(left)))


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _run_engines(configs: list[McpConfig], sources: dict[str, bytes], options: ScanOptions,
                 warnings: list[str], digester: ValueDigester | None = None,
                 started: GitleaksRun | None = None,
                 pending: list[threading.Thread] | None = None,
                 budget: DetailBudget | None = None) -> tuple[list[SecretMatch], tuple[str, ...]]:
    """The merged matches of the engines, none at or after a file's cut-off of `budget` (the built-in
    engine sets the cut-offs: scanner/detail_budget.py; gitleaks' matches there are dropped before
    any digest, fix or evidence is made for them). The slow digests of the built-in matches' values start in
    threads at once (scrypt releases the GIL): beside gitleaks' own process (joined here), or, with
    gitleaks off, beside the caller's next steps (the thread goes to `pending`, which the caller
    joins before it digests the rest: a value is never digested twice)."""
    from scanner.engines.builtin import BuiltinEngine
    from scanner.engines.dotenv_hosts import raise_remote_loaded
    from scanner.engines.merge import merge

    builtin = BuiltinEngine().detect(configs, sources, budget)
    builtin = raise_remote_loaded(builtin, _loaders(configs))
    gitleaks_matches: list[SecretMatch] = []
    engines: tuple[str, ...] = ("builtin",)
    if not (options.use_gitleaks and configs):
        if pending is not None:
            overlap = _prime_in_background(digester, [m.value for m in builtin])
            if overlap is not None:
                pending.append(overlap)
    else:
        from scanner.engines.gitleaks import GitleaksEngine, find_gitleaks

        # Values only gitleaks finds are digested afterwards.
        overlap = _prime_in_background(digester, [m.value for m in builtin])
        binary = find_gitleaks(options.gitleaks_path, options.environ or os.environ)
        try:
            if binary is None:
                raise EngineUnavailable("binary not found (see --gitleaks-path, MCP_GUARD_GITLEAKS)")
            engine = GitleaksEngine(binary, _gitleaks_timeout(options))
            gitleaks_matches = engine.detect(configs, sources, started)
            engines += ("gitleaks",)
        except EngineError as exc:
            if options.require_gitleaks:  # fail closed, naming the cause
                raise type(exc)(f"gitleaks did not run: {exc}") from None
            warnings.append(f"gitleaks did not run: {exc}; built-in detection only")
        finally:
            if overlap is not None:
                overlap.join()
    if budget is not None and budget.cutoffs:
        from scanner.detail_budget import before

        builtin = [m for m in builtin if before(m.location, budget.cutoffs)]
        gitleaks_matches = [m for m in gitleaks_matches if before(m.location, budget.cutoffs)]
    return merge(builtin, gitleaks_matches), engines


def _loaders(configs: list[McpConfig]) -> dict[str, list[ServerEntry]]:
    """Each file a config loads (its dotenv files) -> the servers of the configs that load it."""
    from scanner.clients import referenced_files

    found: dict[str, list[ServerEntry]] = {}
    for config in configs:
        if config.servers:
            for rel in referenced_files(config):
                found.setdefault(rel, []).extend(config.servers)
    return found


def _prime_in_background(digester: ValueDigester | None, values: list[str]) -> threading.Thread | None:
    """Start digesting `values` in a thread (unkeyed digests only: HMAC is fast)."""
    from scanner.fingerprints import SECRET_CONTEXT

    if digester is None or digester.keyed or not values:
        return None

    def work() -> None:
        try:
            digester.prime(values, SECRET_CONTEXT)
        except Exception:  # noqa: BLE001  # the main thread's own prime recomputes (and raises) it
            return

    thread = threading.Thread(target=work, name="mcp-guard-digest", daemon=True)
    thread.start()
    return thread


def _analyse(candidates: list[Candidate], loaded: dict[str, bytes], errors: list[SkippedFile],
             options: ScanOptions, read_extra: Callable[[str], bytes | None],
             progress: Progress | None = None, started: GitleaksRun | None = None,
             listed: Sequence[str] = (), preparsed: _Preparsed | None = None) -> ScanResult:
    if started is None:
        started = _start_gitleaks(loaded, options)
    # The cycle collector is paused while one scan's objects are built: they live until the result
    # is returned, so its passes over them (every few hundred allocations) found nothing to free and
    # cost ~15% of a findings-dense file's main-thread time. Reference counting still frees everything
    # acyclic (peak RSS of every bench/hostile.py shape at 2 MiB was unchanged by the pause).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _analyse_started(candidates, loaded, errors, options, read_extra, progress, started, listed,
                                preparsed)
    finally:
        if collecting:
            gc.enable()
        if started is not None:
            started.close()


def _analyse_started(candidates: list[Candidate], loaded: dict[str, bytes], errors: list[SkippedFile],
                     options: ScanOptions, read_extra: Callable[[str], bytes | None],
                     progress: Progress | None, started: GitleaksRun | None,
                     listed: Sequence[str], preparsed: _Preparsed | None = None) -> ScanResult:
    from scanner.fingerprints import ValueDigester

    if preparsed is None:
        configs = _parse_all(candidates, loaded, errors, progress, options.strict_parse)
    else:
        configs, parse_notes, done = preparsed
        errors.extend(parse_notes)
        configs = [*configs, *_parse_all(candidates[done:], loaded, errors, progress, options.strict_parse)]
    first = {config.path for config in configs}
    notes: list[SkippedFile] = []
    loaders: Loaders = {}
    referenced = _parse_all(_referenced_configs(configs, loaded, read_extra, errors, loaders), loaded, notes,
                            strict_parse=options.strict_parse)
    # A referenced file parsed already under its generic name (`mcp/servers.json`) without servers:
    # read as the servers file the reference says it is, that reading replaces the generic one
    # when it finds servers (else the generic reading stays, with its own notes only).
    redone = {config.path for config in referenced if config.path in first and config.servers}
    if redone:
        configs = [config for config in configs if config.path not in redone]
    configs += [config for config in referenced if config.path not in first or config.path in redone]
    errors.extend(note for note in notes if note.path not in first)
    # What those configs load in turn (a settings file's directory marketplace -> its plugins' servers),
    # a few levels deep: each round reads only files no round has read.
    frontier = [config for config in referenced if config.path not in first]
    for _round in range(_REFERENCE_ROUNDS):
        read = {config.path for config in configs}
        found = _referenced_configs(frontier, loaded, read_extra, errors, loaders)
        more = [config for config in _parse_all(found, loaded, errors, strict_parse=options.strict_parse)
                if config.path not in read]
        if not more:
            break
        configs += more
        frontier = more
    raw_files = _referenced_raw(configs, loaded, read_extra, errors, loaders)
    configs += _parse_all(_referenced_dotenv(configs, loaded, read_extra, errors, loaders), loaded, errors,
                          strict_parse=options.strict_parse)
    parsed = {c.path for c in configs}
    configs += [raw for raw in raw_files if raw.path not in parsed]
    configs += _referenced_manifests(configs, loaded, read_extra, errors, loaders)
    configs.sort(key=lambda config: config.path)
    sources = {config.path: loaded[config.path] for config in configs}
    warnings: list[str] = []
    from scanner.engines.longvalue import long_value_holes, long_value_warnings

    warnings.extend(long_value_warnings(configs))  # binary data only partly searched: named, never silent
    # Text only partly searched (an opaque key in it is never judged): the scan is incomplete.
    errors.extend(SkippedFile(path, reason) for path, reason in long_value_holes(configs))
    digester = ValueDigester(options.fingerprint_key)
    digesting: list[threading.Thread] = []
    try:
        return _scan_matches(configs, sources, options, warnings, errors, listed, loaders, digester,
                             started, digesting)
    finally:
        for thread in digesting:  # a scan that raised leaves no thread behind either
            thread.join()


def _scan_matches(configs: list[McpConfig], sources: dict[str, bytes], options: ScanOptions,
                  warnings: list[str], errors: list[SkippedFile], listed: Sequence[str], loaders: Loaders,
                  digester: ValueDigester, started: GitleaksRun | None,
                  digesting: list[threading.Thread]) -> ScanResult:
    """The engines, the environment verdicts and the rules over the parsed configs."""
    from scanner.baseline import in_baseline
    from scanner.detail_budget import cap_findings
    from scanner.engines.credential import whole_credential
    from scanner.engines.named import secrets_in_names
    from scanner.engines.paths import path_secrets
    from scanner.environment import ScanEvidence, classify
    from scanner.fingerprints import SECRET_CONTEXT
    from scanner.fix.secrets import fixer
    from scanner.output_guard import register_redactions, register_secrets
    from scanner.policy import Policy, apply_ignores
    from scanner.rules import all_rules
    from scanner.rules.base import EVIDENCE_KEY, RuleContext

    budget = DetailBudget(options.max_findings_per_file)
    secrets, engines = _run_engines(configs, sources, options, warnings, digester, started, digesting, budget)
    # Every path a report can name: a token as a folder or file name is a finding, shown redacted.
    in_paths = path_secrets([*(c.path for c in configs), *(e.path for e in errors), *listed],
                            {config.path: config for config in configs})
    if in_paths:
        register_redactions({m.value: m.redacted for m in in_paths})
        secrets = [*secrets, *in_paths]
    register_secrets(v for m in secrets for v in (m.value, whole_credential(m.fv.text, m.value)
                                                   if m.fv is not None else m.value))
    named = secrets_in_names(configs, secrets)  # a token as a server or env name: shown redacted too
    if named:
        register_redactions(named)

    policy = options.policy if options.policy is not None else Policy()
    evidence = ScanEvidence(secrets, policy)  # each server's evidence once, for classify and the rules
    file_env, server_env = classify(configs, secrets, policy, evidence)
    texts = {path: data.decode("utf-8", "replace").lstrip("\ufeff") for path, data in sources.items()}
    ctx = RuleContext(configs=configs, secrets=secrets, file_env=file_env, server_env=server_env,
                      policy=policy, sources=texts, fix_for=fixer(texts),
                      digester=digester, shared={EVIDENCE_KEY: evidence}, cutoffs=budget.cutoffs,
                      detail_limit=budget.limit)
    for thread in digesting:
        thread.join()
    ctx.digester.prime((m.value for m in secrets), SECRET_CONTEXT)
    findings: list[Finding] = []
    for rule in all_rules():
        findings.extend(rule.check(ctx))
    findings = _dedupe(findings)
    # At most the limit of detailed findings per file, and one MCPG106 finding for each file's rest.
    findings = cap_findings(findings, budget.cutoffs, budget.limit, configs, texts, ctx.digester)

    outcome = apply_ignores(findings, policy, options.today or date.today(), loaders)
    warnings.extend(outcome.warnings)
    kept = [f for f in outcome.kept if not in_baseline(f, options.baseline)]
    suppressed = len(outcome.suppressed) + (len(outcome.kept) - len(kept))
    suppressions = outcome.suppressions
    if len(outcome.kept) > len(kept):
        from scanner.policy import Suppression

        suppressions += (Suppression("baseline", "baseline", "accepted in the baseline file", None,
                                     len(outcome.kept) - len(kept), "baseline"),)
    fail_on = options.fail_on  # a copy only where `blocking` changes (dataclass replace is per-field)
    kept = sorted((f if f.blocking is (fail_on is not None and f.severity >= fail_on)
                   else f.with_blocking(fail_on) for f in kept), key=sort_key)
    errors.sort(key=lambda skipped: skipped.path)
    return ScanResult(
        root=str(options.root), scanned_files=[config.path for config in configs], errors=errors,
        findings=kept, configs=configs, warnings=warnings,
        complete=not any(e.fatal for e in errors), suppressed=suppressed,
        suppressions=suppressions, engines=engines, file_env=file_env, server_env=server_env,
    )


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Drop exact fingerprint duplicates (one finding per rule, place and value)."""
    seen: dict[str, Finding] = {}
    for finding in findings:
        previous = seen.get(finding.fingerprint)
        if previous is None or finding.severity > previous.severity:
            seen[finding.fingerprint] = finding
    return list(seen.values())


__all__ = ["DEFAULT_MAX_FILE_BYTES", "Progress", "ScanOptions", "ScanResult", "scan", "scan_files"]
