"""Which files a work-tree scan reads: git-tracked files (or a bounded walk), never following symlinks."""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from scanner.clients.catalog import SOURCE_EXTS
from scanner.clients.discovery import (
    SKIP_DIRS,
    Candidate,
    classify_path,
    content_candidate,
    is_skipped_dir,
    is_source,
    never_by_extension,
    never_candidate,
    plain_content_name,
    source_candidate,
)
from scanner.clients.source_code import API_WORDS
from scanner.errors import ConfigError
from scanner.model import SkippedFile
from scanner.sources import submodules as _submodules
from scanner.sources.gitlist import _IGNORED, _OTHERS, WorkTreeListings
from scanner.sources.gitlist import GitList as _GitList
from scanner.sources.probe import _PROBE_OPEN, CHILD_MIN_NAMES, CHILD_PART, ProbeChild, verdict
from scanner.sources.probe import PROBE_MARKS as _PROBE_MARKS
from scanner.sources.probe import PROBE_MAX_BYTES as PROBE_MAX_BYTES
from scanner.sources.probe import PROBE_WORDS as PROBE_WORDS
from scanner.sources.probe import _probe_bytes as _probe_bytes
from scanner.sources.probe import _read_on as _read_on
from scanner.sources.probe import holds_probe_word as holds_probe_word
from scanner.sources.source_grep import SourceGrep, file_names_api
from scanner.sources.submodules import LFS_REASON, is_lfs_pointer

# What a search of a whole tree for files that may hold an MCP config looks for: the probe's marks
# and the MCP API names a source file must hold (clients/source_code.py).
PROBE_MARKS = (*_PROBE_MARKS, *(word.encode() for word in API_WORDS))


@dataclass(frozen=True, slots=True)
class Listing:
    """Candidate MCP files of a work tree, plus the paths that had to be skipped and why.

    `unscanned` are MCP-config-looking files a scan leaves out on purpose (not tracked by git,
    git-ignored): reported as one notice, never silently. `probes` are files with names discovery
    does not know; the pipeline reads them and scans the ones whose content is an MCP config.
    """

    candidates: list[tuple[Candidate, Path]]
    skipped: list[SkippedFile]
    unscanned: list[SkippedFile] = field(default_factory=list)
    probes: list[tuple[Candidate, Path]] = field(default_factory=list)


def may_be_mcp_content(path: str | Path) -> bool:
    """False only when the file at `path` surely holds none of PROBE_WORDS (so the probe's parse
    cannot find an MCP config in it); True to let the probe read it (also when it cannot be read
    here: the probe reports nothing for such a file either way).

    The text encodings the parsers accept besides UTF-16 (UTF-8, Windows-1252) keep ASCII bytes
    as they are, so a byte search is exact; UTF-16 (with a BOM) always goes to the probe. The file
    is opened without following a link and without blocking (a FIFO swapped in is not waited on).
    """
    try:
        fd = os.open(path, _PROBE_OPEN)
    except OSError:
        return True
    try:
        info = os.fstat(fd)
        return not stat.S_ISREG(info.st_mode) or _holds_probe_word(fd, info.st_size)
    except OSError:
        return True
    finally:
        os.close(fd)


def may_hold_config(path: Path) -> bool:
    """Whether the probe reads the unknown name at `path`: over PROBE_MAX_BYTES (searched whole
    by the probe) or `may_be_mcp_content`; False when it is gone."""
    if source_candidate(path.name) is not None:  # application source: only naming an MCP API
        return path.exists() and file_names_api(path)
    try:
        return os.lstat(path).st_size > PROBE_MAX_BYTES or may_be_mcp_content(path)
    except OSError:
        return False


def _holds_probe_word(fd: int, size: int) -> bool:
    """The content test of `may_be_mcp_content` on an open regular file of `size` bytes (as fstat
    saw it): its first PROBE_MAX_BYTES + 1 bytes start with a UTF-16 BOM or hold a probe word.
    Raises OSError when a read fails."""
    return holds_probe_word(_probe_bytes(fd, size))


# For a by-content name of the git listing: whether the probe keeps it (`probe.verdict`).
_probe_tracked = verdict


UNTRACKED = "not tracked by git"
IGNORED = "ignored by git"


def _git(directory: Path, *args: str) -> list[str] | None:
    """NUL-separated output of `git -C directory <args>`, or None when git cannot answer."""
    return _GitList(directory, *args).names()


UNREADABLE_DIR = "directory could not be read; the files in it were not scanned"


def _walk(directory: Path, unreadable: list[str] | None = None) -> Iterator[str]:
    """Every file under `directory` (relative POSIX), pruning vendored trees; links not followed.

    Directories that cannot be listed are appended to `unreadable` (relative POSIX), never skipped
    in silence.
    """

    def failed(exc: OSError) -> None:
        if unreadable is not None:
            where = os.path.relpath(exc.filename or directory, directory)
            unreadable.append(where.replace(os.sep, "/"))

    for dirpath, dirnames, filenames in os.walk(directory, followlinks=False, onerror=failed):
        dirnames[:] = sorted(d for d in dirnames if not is_skipped_dir(d))
        rel_dir = os.path.relpath(dirpath, directory)
        for name in sorted(filenames):
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            yield rel.replace(os.sep, "/")
        # Symlinked directories appear in dirnames; os.walk does not descend into them, but they
        # are listed (as git lists them) so that list_candidates can see a symlinked client folder.
        for name in sorted(dirnames):
            if os.path.islink(os.path.join(dirpath, name)):
                yield name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")


def in_skipped_dir(rel: str) -> bool:
    """True for paths inside vendored/generated trees (applied to git's list as well as the walk)."""
    return "/" in rel and not SKIP_DIRS.isdisjoint(rel.split("/")[:-1])


SYMLINK_OUTSIDE = "symlink points outside the repository; its target is not scanned"


def resolve_symlink(path: Path, root: Path) -> tuple[Path | None, str]:
    """(target, "") for a link to a regular file inside `root`, else (None, why it is not read).

    MCP clients follow a symlinked config, so a link to a file inside the repository is scanned as
    the link's client config (its content is read from the target; nothing is ever written through
    it). A link out of the repository is reported as fatal: its target is not read, so the scan is
    incomplete. A dangling or looping link has no content to scan (reported, not fatal).
    """
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, "symlink is dangling or loops; not followed"
    try:
        target.relative_to(root.resolve())
    except ValueError:
        return None, SYMLINK_OUTSIDE
    if not target.is_file():
        return None, "symlink does not point to a regular file; not followed"
    return target, ""


def list_candidates(root: Path, paths: Sequence[Path], all_files: bool, *,
                    prefilter_probes: bool = True, on_listed: Callable[[int], None] | None = None) -> Listing:
    """Candidate MCP config files under the requested paths, relative to `root`.

    No paths is the default scan of `root`: in a git work tree only what git tracks (what gets
    merged), the rest reported in `unscanned`; `all_files` walks everything. A path the user names
    is scanned whatever git says about it: a directory is walked, a file is read (by content when
    its name is not a known config name).

    `prefilter_probes`: drop here the unknown names whose content cannot be an MCP config
    (`may_be_mcp_content`, one read each); False leaves that read to the caller, e.g. to do it
    while gitleaks runs. `on_listed(n)`: called with the number of names git tracks before they
    are classified (the default scan of a git work tree only), e.g. to start gitleaks then.
    """
    pending = start_listing(root, paths, all_files, prefilter_probes=prefilter_probes, on_listed=on_listed)
    return pending.finish()


class PendingListing:
    """A listing whose candidates are final and whose probes are not decided yet: `finish()`
    opens the unknown plain names of git's listing (most names of a large repository) and
    returns the Listing `list_candidates` returns, entry for entry and in the same order.

    What a scan hands gitleaks is `candidates` (known config names), so the opens can run while
    gitleaks scans them; the probes whose content is an MCP config are scanned after (their own
    gitleaks run)."""

    def __init__(self, candidates: list[tuple[Candidate, Path]], finish: Callable[[], Listing],
                 close: Callable[[], None]) -> None:
        self.candidates = candidates
        self._finish = finish
        self._close = close
        self._listing: Listing | None = None

    def finish(self) -> Listing:
        if self._listing is None:
            self._listing = self._finish()
        return self._listing

    def close(self) -> None:
        """Stop the git listings `finish` would have waited for (a scan given up before it)."""
        self._close()


def start_listing(root: Path, paths: Sequence[Path], all_files: bool, *, prefilter_probes: bool = True,
                  on_listed: Callable[[int], None] | None = None, defer: bool = True,
                  started: WorkTreeListings | None = None) -> PendingListing:
    """`list_candidates` in two steps (see PendingListing). `defer=False` decides every name at
    once, in listing order (the single-step order the deferred one reproduces). `started`: git's
    listings of `root`, started earlier (`WorkTreeListings`), taken for the default scan of a git
    work tree (no paths, not `all_files`) instead of starting them here; cancelled otherwise."""
    candidates: list[tuple[Candidate, Path]] = []
    skipped: list[SkippedFile] = []
    unscanned: list[SkippedFile] = []
    probes: list[tuple[Candidate, Path]] = []
    seen: set[str] = set()
    via_link: set[str] = set()
    folders: list[str] = []  # tracked config names that are folders on disk: gitlinks (a checkout's)
    root_prefix = os.path.join(root, "")  # `root/` (or `/`): tracked names are joined to it
    # Plain names of git's listing whose open is left to finish(): (probes and skipped lengths when
    # the name came, rel, where). finish() puts what each adds at those places.
    pending: list[tuple[int, int, str, str]] = []
    deferring = defer
    sources: list[str] = []  # tracked application source: decided by one `git grep` (SourceGrep)
    grep: SourceGrep | None = None

    def add(rel: str, base: Path, name: str, named: bool, local: str | None = None,
            tracked: bool = False) -> None:
        """`base / name` on disk is `rel`; `local`: the path below a directory the user named (its
        own prefix is never pruned); `tracked`: a name of git's listing of the default scan. Path
        objects are built only for candidates: this sees every file of the repository."""
        if rel in seen:
            return
        seen.add(rel)
        if tracked and prefilter_probes and plain_content_name(rel):
            # Most names of a large repository: classify_path is None and content_candidate a
            # by-content candidate (plain_content_name), not pruned (the listing loop checked).
            # Decided by the probe alone; the Candidate is built only for a file it keeps.
            # os.path.join(root, name) for git's relative names, without its per-call checks
            where = root_prefix + name if not name.startswith("/") else os.path.join(base, name)
            if deferring:
                pending.append((len(probes), len(skipped), rel, where))
                return
            if _plain_probed(rel, where):
                return
        _classified(rel, base, name, named, local, tracked)

    def _plain_probed(rel: str, where: str, kept: bool | None = None, decided: bool = False) -> bool:
        """The plain name `rel` decided from one open (True), or False to classify it as any other.
        `decided`: `kept` is that open's verdict already (the probe child's)."""
        if not decided:
            kept = _probe_tracked(where)
        if kept is None:
            return False
        if kept and (plain := content_candidate(rel)) is not None:
            probes.append((plain, Path(where)))
        return True

    def _entry(rel: str, where: str) -> tuple[os.stat_result, Path | None] | None:
        """`where`'s lstat and, for a symlink, its target inside the repository; None when it is
        gone (listed by git but deleted in the work tree) or a link that cannot be followed (then
        reported in `skipped`, fatal when it leads out of the repository)."""
        try:
            info = os.lstat(where)
        except OSError:
            return None
        if not stat.S_ISLNK(info.st_mode):
            return info, None
        target, reason = resolve_symlink(Path(where), root)
        if target is None:
            skipped.append(SkippedFile(rel, reason, fatal=reason == SYMLINK_OUTSIDE))
            return None
        return info, target

    def _classified(rel: str, base: Path, name: str, named: bool, local: str | None, tracked: bool) -> None:
        candidate = classify_path(rel)
        if candidate is None and local is not None and local != rel and in_skipped_dir(rel):
            inner = classify_path(local)  # inside a directory pruned by default, named by the user
            candidate = None if inner is None else replace(inner, rel_path=rel)
        if candidate is None and name and rel not in via_link and "." not in rel.rsplit("/", 1)[-1][1:]:
            # A symlinked folder (`.codex` -> `cfg`): a client opening `.codex/config.toml` reads
            # `cfg/config.toml`, so the files under it are listed at their path through the link.
            more = _through_folder_link(base, name, root)
            if more:
                for sub in more:
                    tail = sub[len(name):]
                    via_link.add(rel + tail)  # one hop: a link under a linked folder is not expanded
                    add(rel + tail, base, sub, named, None if local is None else local + tail)
                return
        if candidate is None:
            if (candidate := content_candidate(rel)) is None or in_skipped_dir(local or rel):
                return
        where = os.path.join(base, name) if name else os.fspath(base)  # a Path only when kept
        if tracked and prefilter_probes and candidate.by_content and not is_source(candidate):
            # The common case of a large repository: an unrelated JSON/YAML file under a name
            # discovery does not know. One open + fstat decides it (`_probe_tracked`).
            kept = _probe_tracked(where)
            if kept is not None:
                if kept:
                    probes.append((candidate, Path(where)))
                return
        entry = _entry(rel, where)
        if entry is None:
            return
        info, target = entry
        if target is not None:
            if candidate.by_content and not named and (not all_files or is_source(candidate)):
                probes.append((candidate, target))
            else:
                candidates.append((candidate, target))
            return
        if not stat.S_ISREG(info.st_mode):
            if tracked and stat.S_ISDIR(info.st_mode):
                folders.append(rel)
            return
        if candidate.by_content and not named and is_source(candidate):
            # application source (a walk: no git to ask): read only when it names an MCP API
            if not prefilter_probes or file_names_api(where):
                probes.append((candidate, Path(where)))
            return
        if candidate.by_content and not named and not all_files:
            if info.st_size > PROBE_MAX_BYTES or not prefilter_probes or may_be_mcp_content(where):
                probes.append((candidate, Path(where)))  # a large one is searched whole by the probe
            return
        candidates.append((candidate, base / name if name else base))

    if started is not None and (paths or all_files or started.root != root):
        started.cancel()  # not this listing's: a fresh one below, as without it
    others: _GitList | None = None
    ignored: _GitList | None = None
    child: ProbeChild | None = None
    if not paths:
        # The three listings of a git work tree run at once; the walk replaces them all otherwise.
        lists: tuple[_GitList, ...] = () if all_files else (
            started.lists if started is not None and started.root == root else WorkTreeListings(root).lists)
        tracked = lists[0].names() if lists else None
        if tracked is None:
            for pending_list in lists:
                pending_list.cancel()
            unreadable: list[str] = []
            for name in _walk(root, unreadable):
                add(name, root, name, False)
            skipped += [SkippedFile(rel, UNREADABLE_DIR) for rel in unreadable]
        else:
            if on_listed is not None:
                on_listed(len(tracked))
            sent = 0

            def stream(count: int) -> int:
                # The first CHILD_MIN_NAMES deferred names start the child, and each further
                # CHILD_PART go to it as the listing reaches them: it opens them meanwhile.
                nonlocal child, sent
                wheres = [where for _probe_at, _skipped_at, _rel, where in pending[sent:count]]
                if child is None:
                    child = ProbeChild(wheres, more=True)
                else:
                    child.send(wheres)
                sent = count
                return count + CHILD_PART

            if not all_files and prefilter_probes:
                # the source files naming an MCP API, asked of git while the names are classified
                grep = SourceGrep(root)
            try:
                _add_tracked(tracked, lambda name: add(name, root, name, False, None, not all_files),
                             not all_files and prefilter_probes and deferring, seen, pending, probes, skipped,
                             root_prefix, stream, sources if grep is not None else None)
            except BaseException:
                if child is not None:  # never left waiting for names that will not come
                    child.close()
                if grep is not None:
                    grep.cancel()
                raise
            deferring = False  # the names of submodules and named paths are decided at once
            if child is None and len(pending) >= CHILD_MIN_NAMES:  # (deferred by `add` alone)
                stream(len(pending))
            if child is not None:  # the rest of the names, and the end of them
                if sent < len(pending):
                    stream(len(pending))
                child.end()
            skipped += _through_submodules(root, tracked, add, folders)
            others, ignored = lists[1:]
    deferring = False
    for requested in paths:
        if not os.path.lexists(requested):
            raise ConfigError(f"path does not exist: {requested}")
        if requested.is_dir() and not requested.is_symlink():
            prefix = _relative(requested, root)
            prefix = "" if prefix == "." else prefix + "/"
            unreadable = []
            for name in _walk(requested, unreadable):
                add(prefix + name, requested, name, False, name)
            skipped += [SkippedFile(posixpath.normpath(prefix + rel), UNREADABLE_DIR) for rel in unreadable]
        else:
            add(_relative(requested, root), requested, "", True, requested.name)
    found, outside = _inside_root(root, candidates)

    def finish() -> Listing:
        nonlocal probes, skipped, unscanned
        if pending:
            # Each plain name decided now adds (at most) a probe or a skipped link where it came.
            before_probes, before_skipped = probes, skipped
            probes, skipped = [], []
            at_probe = at_skipped = 0
            extra_folders = len(folders)
            # The child's verdicts, or None: then each name is opened here (same function, same outcome).
            verdicts = child.verdicts() if child is not None else None
            for index, (probe_at, skipped_at, rel, where) in enumerate(pending):
                probes += before_probes[at_probe:probe_at]
                skipped += before_skipped[at_skipped:skipped_at]
                at_probe, at_skipped = probe_at, skipped_at
                if not (_plain_probed(rel, where) if verdicts is None else
                        _plain_probed(rel, where, verdicts[index], True)):
                    _classified(rel, root, rel, False, None, True)
            probes += before_probes[at_probe:]
            skipped += before_skipped[at_skipped:]
            if any(_submodules.config_paths(rel) for rel in folders[extra_folders:]):
                # Never for a plain name (tests/test_plain_content_name.py): the submodules were
                # asked about before these folders were known, so such a listing is refused.
                raise RuntimeError("listing: a plain name is a client's config folder")
            pending.clear()
        if grep is not None:
            for rel in grep.kept(sources):
                _source_probe(rel, root_prefix + rel)
        if others is not None and ignored is not None:
            unscanned = _not_tracked(root, others.names() or [], ignored.names() or [])
        kept, probe_outside = _inside_root(root, probes)
        return Listing(found, skipped + outside + probe_outside, unscanned, kept)

    def _source_probe(rel: str, where: str) -> None:
        """A tracked source file git found naming an MCP API: a probe (a link: its target inside the
        repository, as for any probe; one out of it reported)."""
        candidate = source_candidate(rel)
        if candidate is None:
            return
        entry = _entry(rel, where)
        if entry is None:
            return
        info, target = entry
        if target is not None:
            probes.append((candidate, target))
        elif stat.S_ISREG(info.st_mode):
            probes.append((candidate, Path(where)))

    def close() -> None:
        if grep is not None:
            grep.cancel()
        if child is not None:
            child.close()
        for listing in (others, ignored):
            if listing is not None:
                listing.cancel()

    return PendingListing(found, finish, close)


def _add_tracked(tracked: list[str], add: Callable[[str], None], defer_plain: bool, seen: set[str],
                 pending: list[tuple[int, int, str, str]], probes: list[tuple[Candidate, Path]],
                 skipped: list[SkippedFile], root_prefix: str,
                 stream: Callable[[int], int] | None = None, sources: list[str] | None = None) -> None:
    """`add(name)` (the listing's `add(name, root, name, False, None, tracked)`) for each name of
    git's listing that is not `never_candidate` and not `in_skipped_dir`, with the same outcome, at
    a fraction of the cost per name (this sees every file of the repository): the extension
    decides `never_candidate` once per distinct extension (`never_by_extension`), the
    pruned-directory test runs once per directory (the listing is sorted, so a directory's files
    come together), and a plain name (`plain_content_name`) is deferred here exactly as `add`
    defers it (`defer_plain`). `stream(n)`: called once `pending` holds CHILD_MIN_NAMES names and
    then whenever it reaches the count `stream` returned (the probe child gets them in parts)."""
    by_ext: dict[str, bool | None] = {}
    flush_at = CHILD_MIN_NAMES if stream is not None else 1 << 62
    source_ext: dict[str, bool] = {}
    folder: str | None = None
    pruned = False
    plain = plain_content_name  # looked up per call: tests replace it
    for name in tracked:
        slash = name.rfind("/")
        dot = name.rfind(".")
        source = False
        if dot > slash + 1 and "\\" not in name:
            ext = name[dot + 1:]
            try:
                never = by_ext[ext]
            except KeyError:
                never = by_ext[ext] = never_by_extension(ext)
                source_ext[ext] = ext.lower() in SOURCE_EXTS
            if never is None:
                never = never_candidate(name)
            if never:
                continue
            source = source_ext[ext]
        elif never_candidate(name):
            continue
        if slash > 0:
            if name[:slash] != folder:
                folder = name[:slash]
                pruned = not SKIP_DIRS.isdisjoint(folder.split("/"))
            if pruned:
                continue
        if source and sources is not None:
            # (a `.d.ts` / `.min.js` git matches is dropped by _source_probe: source_candidate)
            if name not in seen:
                seen.add(name)
                sources.append(name)
            continue
        if defer_plain and name not in seen and plain(name) and not name.startswith("/"):
            seen.add(name)
            pending.append((len(probes), len(skipped), name, root_prefix + name))
            if len(pending) >= flush_at and stream is not None:
                flush_at = stream(len(pending))
            continue
        add(name)


DIR_LINK_OUTSIDE = "a directory of this path is a symlink out of the repository; the file is not scanned"


def _inside_root(root: Path, found: list[tuple[Candidate, Path]]
                 ) -> tuple[list[tuple[Candidate, Path]], list[SkippedFile]]:
    """`found` (candidates or probes) without the files whose directory resolves outside `root` (a
    work-tree folder git tracks files under, swapped for a link out of the repository: the last
    component is opened without following, but the folders above it are followed), those reported
    as fatal: a client reading the config reads what lies outside, so the scan is incomplete.
    One real-path look-up per distinct directory."""
    top = os.path.join(os.path.realpath(root), "")
    verdict: dict[str, bool] = {}

    def inside(path: Path) -> bool:
        folder = os.path.dirname(os.fspath(path))
        if (ok := verdict.get(folder)) is None:
            ok = verdict[folder] = os.path.join(os.path.realpath(folder), "").startswith(top)
        return ok

    outside: list[SkippedFile] = []
    kept: list[tuple[Candidate, Path]] = []
    for candidate, path in found:
        if inside(path):
            kept.append((candidate, path))
        else:
            outside.append(SkippedFile(candidate.rel_path, DIR_LINK_OUTSIDE, fatal=True))
    return kept, outside


def _through_submodules(root: Path, tracked: list[str], add: Callable[[str, Path, str, bool], None],
                        folders: Sequence[str] = ()) -> list[SkippedFile]:
    """Configs a client reads inside a submodule at its config folder (`.vscode` -> another
    repository): scanned as checked out (what the client reads); not checked out, a hole."""
    from scanner.sources import submodules

    names: list[str] = []
    if ".gitmodules" not in tracked:
        # No .gitmodules: a gitlink is still listed (as its folder's path, with no file under it),
        # and the Action sees it in the tree. Only a listed name at a client's config folder that
        # is a folder in the work tree is asked about: no extra git call in the common case.
        # (~14 ms over 100k names: two C calls per name; `ls-files --stage` would cost ~25 ms more)
        names = [name for name in tracked if name.rfind(".") <= name.rfind("/") + 1  # no extension
                 and submodules.config_paths(name) and _not_a_file(root / name)]
        # and a config's own name the listing found to be a folder (`.mcp.json` as a gitlink)
        names += [name for name in folders if name not in names and submodules.config_paths(name)]
        if not names:
            return []
    staged = _git(root, "ls-files", "-z", "--stage", "--", *(f":(literal){name}" for name in names))
    if staged is None and names:  # git could not say what they are: holes, never a silent pass
        return [SkippedFile(path, submodules.reason(link) + " (git could not list its mode)")
                for path, link in submodules.through(names).items()]
    links = [meta_name[1] for meta_name in (record.partition("\t")[::2] for record in
             staged or ()) if meta_name[0].startswith("160000 ")]
    holes: list[SkippedFile] = []
    for path, link in submodules.through(links).items():
        if os.path.isfile(root / path):
            add(path, root, path, False)
        elif not os.path.lexists(root / link / ".git"):  # checked out, a missing file is just absent
            holes.append(SkippedFile(path, submodules.reason(link) + " (not checked out here)"))
    return holes


def _not_a_file(path: Path) -> bool:
    """True for a folder or nothing at `path` (a gitlink's place in a checkout), False for a file or link."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return True


def _not_tracked(root: Path, others: list[str] | None = None,
                 ignored: list[str] | None = None) -> list[SkippedFile]:
    """MCP-config-looking files of the work tree that git does not track (untracked or ignored).

    `others` / `ignored`: the output of the two `git ls-files --others` listings when the caller
    already ran them (None: run them here)."""
    out: list[SkippedFile] = []
    if others is None:
        others = _git(root, *_OTHERS)
    if ignored is None:
        ignored = _git(root, *_IGNORED)
    for name in others or ():
        if classify_path(name) is not None and not in_skipped_dir(name):
            out.append(SkippedFile(name, UNTRACKED, fatal=False))
    # `--directory` folds an ignored directory into one entry: walk only those not pruned anyway,
    # so an ignored node_modules/.venv costs nothing.
    for name in ignored or ():
        if name.endswith("/"):
            directory = name.rstrip("/")
            if in_skipped_dir(directory + "/x") or is_skipped_dir(directory.rsplit("/", 1)[-1]):
                continue
            found: Iterator[str] = (f"{directory}/{rel}" for rel in _walk(root / directory))
        else:
            found = iter((name,))
        for rel in found:
            if classify_path(rel) is not None and not in_skipped_dir(rel):
                out.append(SkippedFile(rel, IGNORED, fatal=False))
    return out


def _through_folder_link(base: Path, name: str, root: Path) -> list[str]:
    """`name/rest` for every file under the folder `name` links to (inside `root`), else []."""
    absolute = base / name
    try:
        if not stat.S_ISLNK(os.lstat(absolute).st_mode) or not absolute.is_dir():
            return []
        target = absolute.resolve(strict=True)
        target.relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):
        return []
    return [f"{name}/{rel}" for rel in _walk(target)]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        pass
    try:  # a symlinked spelling of the same place (git reports the top level with links resolved)
        return (path.absolute().parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(os.path.relpath(path.absolute(), root.absolute())).as_posix()


def read_limited(path: Path, limit: int) -> bytes:
    """Read at most `limit` bytes; raise ValueError when the file is larger (never a partial scan)
    or is a Git LFS pointer (its real content is not in this checkout)."""
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(size_limit_reason(limit))
    if is_lfs_pointer(data):  # a checkout without LFS: the client of an LFS checkout reads other content
        raise ValueError(LFS_REASON)
    return data


def size_limit_reason(limit: int) -> str:
    """The one-line reason for a file over the size limit (work tree and in-memory scans alike)."""
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"file larger than the {limit // (1024 * 1024)} MiB limit"
    return f"file larger than the {limit}-byte limit"
