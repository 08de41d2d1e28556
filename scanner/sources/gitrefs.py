"""Read-only git plumbing for diff mode: changed paths, file content at a ref, commit ranges, lazy trees.

Every call is an argv list with a timeout; nothing from the repository is executed (no hooks, no
filters: `cat-file` reads raw blobs). Paths are repository-relative POSIX strings.
"""

from __future__ import annotations

import bisect
import os
import posixpath
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from scanner.errors import GitError
from scanner.sources import submodules

_TIMEOUT = 120
# Regular files only: symlinks (120000) and submodules (160000) are never read as configs.
_FILE_MODES = (b"100644", b"100755")


def _git(repo: Path, *args: str, check: bool = True,
         timeout: int = _TIMEOUT) -> subprocess.CompletedProcess[bytes]:
    argv = ["git", "-C", str(repo), "-c", "core.quotepath=off", *args]
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=timeout, check=False,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]} could not run ({type(exc).__name__})") from None
    if check and proc.returncode != 0:
        # stderr of git names refs and paths, never file content.
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {detail[-1] if detail else proc.returncode}")
    return proc


def _split_z(data: bytes) -> list[str]:
    return [part.decode("utf-8", "surrogateescape") for part in data.split(b"\0") if part]


def has_commit(repo: Path, ref: str) -> bool:
    """Whether `ref` names a commit present in the local object store (shallow clones often lack base)."""
    return _git(repo, "cat-file", "-e", f"{ref}^{{commit}}", check=False).returncode == 0


def fetch_commits(repo: Path, *shas: str, timeout: int = 120) -> bool:
    """Best effort `git fetch origin <sha>...` for commits a shallow checkout lacks; True on success."""
    proc = _git(repo, "fetch", "--no-tags", "--quiet", "--no-recurse-submodules", "origin", *shas,
                check=False, timeout=timeout)
    return proc.returncode == 0


def changed_files(repo: Path, base: str, head: str) -> list[str]:
    """Paths that differ between the merge base of base/head and head (what a PR shows).

    Renames are reported as delete + add so both the old and the new path are listed.
    Falls back to a two-dot diff when no merge base is available (shallow history).
    """
    proc = _git(repo, "diff", "--name-only", "-z", "--no-renames", f"{base}...{head}", "--", check=False)
    if proc.returncode != 0:
        proc = _git(repo, "diff", "--name-only", "-z", "--no-renames", base, head, "--")
    return sorted(set(_split_z(proc.stdout)))


def paths_with_words(repo: Path, ref: str, words: Iterable[bytes], paths: Iterable[str]) -> set[str]:
    """The `paths` whose blob at `ref` holds one of `words` anywhere (bytes, as they are in the
    blob: no textconv, no encoding): one `git grep` over the tree instead of a read per file,
    limited to the extensions of `paths` (case-insensitively) so that other blobs are not read."""
    wanted = set(paths)
    if not wanted:
        return set()
    patterns = [arg for word in words for arg in ("-e", os.fsdecode(word))]
    # `*.json` for a name with an extension, `*Makefile` for one without (a launcher: Makefile,
    # justfile, bin/run); a pathspec's `*` matches across folders. A name a pathspec would have
    # to escape: the whole tree.
    ends = {"." + base.rpartition(".")[2].lower() if "." in base else base
            for base in (path.rsplit("/", 1)[-1] for path in wanted)}
    if all(end.lstrip(".").replace("-", "").replace("_", "").isalnum() and end.isascii() for end in ends):
        specs = [f":(icase)*{end}" for end in sorted(ends)]
    else:
        specs = []
    proc = _git(repo, "grep", "-l", "-z", "-F", "--no-color", "--no-textconv", *patterns, ref, "--", *specs,
                check=False)
    if proc.returncode not in (0, 1):  # 1: no blob holds any of them
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git grep failed: {detail[-1] if detail else proc.returncode}")
    prefix = f"{ref}:"
    return {name[len(prefix):] for name in _split_z(proc.stdout) if name.startswith(prefix)} & wanted


def merge_base(repo: Path, base: str, head: str) -> str | None:
    proc = _git(repo, "merge-base", base, head, check=False)
    text = proc.stdout.decode("ascii", "replace").strip()
    return text if proc.returncode == 0 and text else None


def is_shallow(repo: Path) -> bool:
    """Whether the checkout's history is cut (actions/checkout's default `fetch-depth: 1`)."""
    proc = _git(repo, "rev-parse", "--is-shallow-repository", check=False)
    return proc.returncode == 0 and proc.stdout.strip() == b"true"


_DEEPEN_STEPS = ("--deepen=100", "--deepen=1000", "--unshallow")


def deepen_to_branch_point(repo: Path, base: str, head: str) -> str | None:
    """Fetch more of `base`'s and `head`'s history into a shallow checkout until their branch point
    is known (100, then 1000 more commits, then all of it); the branch point, or None when it cannot
    be fetched (no remote, no credentials) or the histories are unrelated."""
    for step in _DEEPEN_STEPS:
        proc = _git(repo, "fetch", "--no-tags", "--quiet", "--no-recurse-submodules", step, "origin",
                    base, head, check=False, timeout=300)
        point = merge_base(repo, base, head)
        if point is not None:
            return point
        if proc.returncode != 0 or not is_shallow(repo):
            return None
    return None


def merged_tree(repo: Path, base: str, head: str, test_merge: str | None = None) -> str | None:
    """The tree that merging `head` into `base` makes (`git merge-tree --write-tree`, git 2.38+, the
    merge GitHub makes), when `base` moved on since `head` branched off; None when `base` is an
    ancestor of `head` (the merge is head's own tree) or the merge conflicts (the pull request cannot
    merge as it is: resolving it makes a new head, judged again). `test_merge`: GitHub's own test merge
    commit of the pull request (`refs/pull/N/merge`, GITHUB_SHA of a pull_request run); when its
    parents are `base` and `head` its tree is the merge, known even in a shallow checkout, where the
    branch point is not; without it a shallow checkout is deepened until the branch point is known
    (GitError when it cannot be fetched: the merge would go unjudged).

    A pull request branched from an older commit is merged with what the base added since: a config
    the base changed may then load a file the pull request adds, which head's own tree never shows.
    Raises GitError when git cannot tell (too old a git): the merge result would go unjudged.
    """
    point = merge_base(repo, base, head)
    base_commit = _git(repo, "rev-parse", f"{base}^{{commit}}").stdout.decode("ascii", "replace").strip()
    if point is not None and point == base_commit:
        return None
    tree = _tree_of_merge(repo, test_merge, (base, head)) if test_merge else None
    if tree is not None:
        return tree
    if point is None:
        if not is_shallow(repo):  # unrelated histories: there is no merge to judge but head's tree
            return None
        point = deepen_to_branch_point(repo, base, head)
        if point is None:
            raise GitError("the checkout is shallow and the branch point of the pull request could not "
                           "be fetched, so what merging it makes cannot be judged; check out with "
                           "fetch-depth: 0")
        if point == base_commit:
            return None
    proc = _git(repo, "merge-tree", "--write-tree", "--no-messages", base, head, check=False)
    if proc.returncode == 1:
        return None
    if proc.returncode != 0 or not proc.stdout.strip():
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError("git merge-tree could not merge the pull request into its base "
                       f"({detail[-1] if detail else proc.returncode}); git 2.38 or later is needed")
    return proc.stdout.split()[0].decode("ascii")


def _tree_of_merge(repo: Path, sha: str, parents: tuple[str, str]) -> str | None:
    """The tree of commit `sha` when its parents are exactly `parents`, read from the raw commit (a
    shallow checkout's grafts hide the parents from rev-parse, not from the object)."""
    proc = _git(repo, "cat-file", "commit", sha, check=False)
    if proc.returncode != 0:
        return None
    header = proc.stdout.split(b"\n\n", 1)[0].decode("ascii", "replace").splitlines()
    tree = next((line[5:] for line in header if line.startswith("tree ")), None)
    found = tuple(line[7:] for line in header if line.startswith("parent "))
    return tree if tree is not None and found == parents else None


def read_at(repo: Path, ref: str, path: str, max_bytes: int | None = None) -> bytes | None:
    """Raw bytes of `path` at `ref`; None when it does not exist there or is not a regular file.

    Raises GitError when larger than `max_bytes` (the caller records it as skipped).
    """
    entry = _git(repo, "ls-tree", "-z", ref, "--", path, check=False)
    if entry.returncode != 0:
        if not has_commit(repo, ref):
            raise GitError(f"commit {ref[:12]} is not available in the local repository")
        return None
    fields = entry.stdout.split(b"\0", 1)[0]
    meta, _, name = fields.partition(b"\t")
    parts = meta.split()
    if len(parts) != 3 or parts[0] not in _FILE_MODES or parts[1] != b"blob":
        return None
    if name.decode("utf-8", "surrogateescape") != path:
        return None
    blob = parts[2].decode("ascii")
    if max_bytes is not None:
        size = int(_git(repo, "cat-file", "-s", blob).stdout.strip() or 0)
        if size > max_bytes:
            raise GitError(f"{path} at {ref[:12]} is larger than the size limit")
    return _git(repo, "cat-file", "blob", blob).stdout


def list_files(repo: Path, ref: str) -> list[str]:
    """Every regular file in the tree of `ref`."""
    proc = _git(repo, "ls-tree", "-r", "-z", "--full-tree", ref)
    files: list[str] = []
    for record in proc.stdout.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        parts = meta.split()
        if len(parts) == 3 and parts[0] in _FILE_MODES and parts[1] == b"blob":
            files.append(name.decode("utf-8", "surrogateescape"))
    return files


def list_folder(repo: Path, ref: str, folder: str) -> list[str]:
    """The regular files directly in `folder` of the tree of `ref` (not its subfolders), as paths."""
    proc = _git(repo, "ls-tree", "-z", "--full-tree", ref, "--", folder.rstrip("/") + "/")
    files: list[str] = []
    for record in proc.stdout.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        parts = meta.split()
        if len(parts) == 3 and parts[0] in _FILE_MODES and parts[1] == b"blob":
            files.append(name.decode("utf-8", "surrogateescape"))
    return files


def list_gitlinks(repo: Path, ref: str) -> list[str]:
    """Every submodule (gitlink, mode 160000) in the tree of `ref`: its content is not in this repository."""
    proc = _git(repo, "ls-tree", "-r", "-z", "--full-tree", ref)
    links: list[str] = []
    for record in proc.stdout.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        parts = meta.split()
        if len(parts) == 3 and parts[0] == b"160000":
            links.append(name.decode("utf-8", "surrogateescape"))
    return links


def commit_paths(repo: Path, base: str, head: str) -> list[tuple[str, frozenset[str]]]:
    """Every commit in base..head (oldest first, no cap) with the paths it added, changed or deleted.

    Merge commits are diffed against all their parents (`--cc`): a path whose merge result matches
    none of the parents (a change made inside the merge, an "evil merge") is listed like any other
    change; plain `git log` shows no paths for merges. Content a merge takes unchanged from a parent
    is either in the range already (that parent's own commits) or in the base's history, so it is
    not listed again (`-m` would list every file an "update branch" merge brings from the base).
    """
    proc = _git(repo, "log", "--reverse", "--cc", "--format=%x01%H", "--name-only", "-z", "--no-renames",
                f"{base}..{head}", "--")
    order: list[str] = []
    paths: dict[str, set[str]] = {}
    for chunk in proc.stdout.split(b"\x01"):
        fields = chunk.split(b"\0")
        sha = fields[0].decode("ascii", "replace").strip()
        if not sha:
            continue
        if sha not in paths:
            order.append(sha)
            paths[sha] = set()
        paths[sha].update(_split_z(b"\0".join(f.lstrip(b"\n") for f in fields[1:])))
    return [(sha, frozenset(paths[sha])) for sha in order]


def symlink_commits(repo: Path, base: str, head: str) -> list[str]:
    """Commits of base..head that add, change or delete a symlink (merges against each parent):
    a folder link that existed only inside the range made the files under its target configs."""
    proc = _git(repo, "log", "-m", "--raw", "-z", "--no-renames", "--no-abbrev", "--format=%x01%H",
                f"{base}..{head}", "--")
    found: list[str] = []
    for chunk in proc.stdout.split(b"\x01"):
        sha, _, rest = chunk.partition(b"\0")
        sha_text = sha.decode("ascii", "replace").strip()
        # raw records are ":<old mode> <new mode> <old id> <new id> <status>"
        if sha_text and (b":120000 " in rest or b" 120000 " in rest) and sha_text not in found:
            found.append(sha_text)
    return found


SYMLINK_OUTSIDE = "symlink points outside the repository; its target is not scanned"
_MAX_LINK_HOPS = 8


def list_symlinks(repo: Path, ref: str) -> dict[str, str]:
    """Every symlink (mode 120000) in the tree of `ref`: path -> blob id of its link text."""
    proc = _git(repo, "ls-tree", "-r", "-z", "--full-tree", ref)
    links: dict[str, str] = {}
    for record in proc.stdout.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        parts = meta.split()
        if len(parts) == 3 and parts[0] == b"120000" and parts[1] == b"blob":
            links[name.decode("utf-8", "surrogateescape")] = parts[2].decode("ascii")
    return links


def link_target(path: str, text: str) -> str | None:
    """Repository-relative path a symlink at `path` with link text `text` points to; None outside."""
    if text.startswith("/") or not text:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), text))
    if joined in (".", "..") or joined.startswith("../"):
        return None
    return joined


def resolve_links(path: str, link_text: Callable[[str], str | None]) -> str | None:
    """The path `path` names once every symlink on the way is followed, as the OS does: a link may
    be the file itself or any folder above it (`.codex` -> `cfg` makes `.codex/config.toml` read
    `cfg/config.toml`). `link_text(p)` is the link text when `p` is a symlink, else None. None when a
    link points out of the repository or the chain is too long."""
    parts, index, hops = path.split("/"), 0, 0
    while index < len(parts):
        prefix = "/".join(parts[:index + 1])
        text = link_text(prefix)
        if text is None:
            index += 1
            continue
        hops += 1
        target = link_target(prefix, text) if hops <= _MAX_LINK_HOPS else None
        if target is None:
            return None
        parts, index = [*target.split("/"), *parts[index + 1:]], 0
    return "/".join(parts)


def read_following(repo: Path, ref: str, path: str, max_bytes: int | None = None) -> bytes | None:
    """Like read_at, but symlinks on the way (the file, or a folder above it) to a place in the same
    tree are followed, as a client opening the path would; None for a link out of the repository."""
    data = read_at(repo, ref, path, max_bytes)
    if data is not None:
        return data

    def link_text(prefix: str) -> str | None:
        entry = _git(repo, "ls-tree", "-z", ref, "--", prefix, check=False)
        meta, _, name = entry.stdout.split(b"\0", 1)[0].partition(b"\t")
        parts = meta.split()
        if entry.returncode != 0 or len(parts) != 3 or parts[0] != b"120000" \
                or name.decode("utf-8", "surrogateescape") != prefix:
            return None
        return _git(repo, "cat-file", "blob", parts[2].decode("ascii")).stdout[:4096].decode(
            "utf-8", "surrogateescape")

    target = resolve_links(path, link_text)
    return None if target is None or target == path else read_at(repo, ref, target, max_bytes)


def _link_texts(repo: Path, links: Mapping[str, str]) -> dict[str, str]:
    """Link path -> link text for every link, read by one `git cat-file --batch`."""
    if not links:
        return {}
    blobs = sorted(set(links.values()))
    argv = ["git", "-C", str(repo), "cat-file", "--batch"]
    try:  # the blob ids are the only input: nothing inherited from the runner's stdin
        proc = subprocess.run(argv, input="".join(f"{blob}\n" for blob in blobs).encode("ascii"),
                              capture_output=True, timeout=_TIMEOUT, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(f"git cat-file could not read symlinks ({type(exc).__name__})") from None
    texts: dict[str, str] = {}
    data, offset = proc.stdout, 0
    for _blob in blobs:
        end = data.index(b"\n", offset)
        header = data[offset:end].split()
        if len(header) != 3:  # "<id> missing"
            offset = end + 1
            continue
        size = int(header[2])
        texts[header[0].decode("ascii")] = data[end + 1:end + 1 + min(size, 4096)].decode(
            "utf-8", "surrogateescape")
        offset = end + 1 + size + 1
    return {path: texts[blob] for path, blob in links.items() if blob in texts}


def symlinks_to(repo: Path, ref: str, paths: Iterable[str]) -> dict[str, str]:
    """Paths through symlinks of `ref`'s tree that lead to one of `paths`: a change to a link's
    target is a change to the config the link is. Path through a link -> target path. A link to a
    folder maps `link/rest` for each `folder/rest` in `paths`."""
    texts = _link_texts(repo, list_symlinks(repo, ref))
    wanted = sorted(set(paths))
    found: dict[str, str] = {}
    for link in texts:
        target = resolve_links(link, texts.get)
        if target is None:
            continue
        if target in wanted:
            found[link] = target
        folder = target + "/"
        for path in wanted[bisect.bisect_left(wanted, folder):]:
            if not path.startswith(folder):
                break
            found[link + path[len(target):]] = path
    return found


def links_in_range(repo: Path, base: str, head: str, paths: Iterable[str]) -> list[dict[str, str]]:
    """symlinks_to at head and, for every commit of base..head that changes a symlink, at that
    commit and at its parent (head first): a folder link added (or retargeted) and removed again
    inside the range made the files under its target configs in the commits between. When no commit
    changes a link, head's links are those of the whole range (one tree listing, as before)."""
    wanted = set(paths)
    refs = dict.fromkeys((head, *(ref for commit in symlink_commits(repo, base, head)
                                  for ref in (commit, f"{commit}^"))))
    found: list[dict[str, str]] = []
    for ref in refs:
        try:
            found.append(symlinks_to(repo, ref, wanted))
        except GitError:
            if not ref.endswith("^"):
                raise
            # a root commit has no parent: no links before it
    return found


def symlinks_in_range(repo: Path, base: str, head: str, paths: Iterable[str]) -> dict[str, str]:
    """links_in_range as one map, head's links winning when a path maps twice."""
    found: dict[str, str] = {}
    for links in links_in_range(repo, base, head, paths):
        found = {**links, **found}
    return found


class TreeFiles(Mapping[str, bytes]):
    """A commit's tree as a lazy mapping path -> bytes: only the files the scanner asks for are read.

    A symlink to a regular file of the same tree maps to that file's content (clients follow the
    link); one pointing out of the repository raises ValueError(SYMLINK_OUTSIDE) when read. A symlink
    to a folder of the tree lists the MCP config candidates under it at their path through the link
    (`.codex` -> `cfg`: `.codex/config.toml`), since a client opening that path reads them.
    """

    def __init__(self, repo: Path, ref: str) -> None:
        self._repo = repo
        self._ref = ref
        self.ref = ref  # a commit or a tree (the merge result of a pull request)
        self._links = list_symlinks(repo, ref)
        files = list_files(repo, ref)
        self._known = set(files)
        self._texts = _link_texts(repo, self._links) if self._links else {}
        self.gitlinks = list_gitlinks(repo, ref)
        # Config paths a client reads inside a submodule: listed so that reading them reports the hole.
        self.through_gitlinks = submodules.through(self.gitlinks)
        for link in self._links if self.gitlinks else ():  # `.cursor` -> a folder inside a submodule
            target = resolve_links(link, self._texts.get)
            inside = submodules.under(target, self.gitlinks) if target is not None else None
            if inside is not None:
                self.through_gitlinks.update(dict.fromkeys(submodules.config_paths(link), inside))
        self._paths = sorted({*files, *self._links, *self._through_folder_links(sorted(files)),
                              *self.through_gitlinks})
        self._cache: dict[str, bytes] = {}

    def _through_folder_links(self, files: list[str]) -> list[str]:
        from scanner.clients.discovery import classify_path

        found: list[str] = []
        for link in self._links:
            target = resolve_links(link, self._texts.get)
            if target is None or target in self._known:
                continue
            folder = target + "/"
            for path in files[bisect.bisect_left(files, folder):]:
                if not path.startswith(folder):
                    break
                through = link + path[len(target):]
                if classify_path(through) is not None:
                    found.append(through)
        return found

    def holding(self, words: Iterable[bytes], paths: Iterable[str]) -> set[str]:
        """The `paths` of this tree that may hold one of `words`: files whose blob holds one
        (`paths_with_words`) and symlinks, which are read as their target (never searched here)."""
        wanted = set(paths)
        links = wanted & set(self._links)
        return links | paths_with_words(self._repo, self._ref, words, wanted - links)

    def __getitem__(self, path: str) -> bytes:
        if path not in self._known:
            target = resolve_links(path, self._texts.get)
            if target is None:
                raise ValueError(SYMLINK_OUTSIDE)
            link = submodules.under(target, self.gitlinks) if self.gitlinks else None
            if link is not None:  # the config (or a symlink to it) is inside a submodule: not visible
                raise ValueError(submodules.reason(link))
            path = target
        if path not in self._known:
            raise KeyError(path)
        if path not in self._cache:
            data = read_at(self._repo, self._ref, path)
            if data is None:
                raise KeyError(path)
            self._cache[path] = data
        if submodules.is_lfs_pointer(self._cache[path]):
            raise ValueError(submodules.LFS_REASON)
        return self._cache[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


class OverlayFiles(Mapping[str, bytes]):
    """`base` with some paths replaced (bytes) or removed (None): the base tree rebuilt from head."""

    def __init__(self, base: Mapping[str, bytes], changes: Mapping[str, bytes | None]) -> None:
        self._base = base
        self._changes = dict(changes)
        self._paths = sorted((set(base) - {p for p, v in changes.items() if v is None})
                             | {p for p, v in changes.items() if v is not None})
        if callable(getattr(base, "holding", None)):
            # `holding` only when the base has it (scan_files reads each source file otherwise)
            self.holding = self._holding

    def _holding(self, words: Iterable[bytes], paths: Iterable[str]) -> set[str]:
        """`base.holding` for the unchanged paths; a replaced path's own bytes are searched here."""
        wanted = tuple(words)
        changed: set[str] = set()
        unchanged: list[str] = []
        for path in paths:
            if path not in self._changes:
                unchanged.append(path)
            elif (value := self._changes[path]) is not None and any(word in value for word in wanted):
                changed.add(path)
        found: set[str] = self._base.holding(wanted, unchanged)  # type: ignore[attr-defined]
        return changed | found

    def __getitem__(self, path: str) -> bytes:
        if path in self._changes:
            value = self._changes[path]
            if value is None:
                raise KeyError(path)
            return value
        return self._base[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


class WorkTreeFiles(Mapping[str, bytes]):
    """The checked-out work tree's tracked files, lazily (fallback when head is not a local commit)."""

    def __init__(self, root: Path) -> None:
        self._root = root
        proc = _git(root, "ls-files", "-z", "--cached", "--stage", check=False)
        entries = [record.partition("\t") for record in _split_z(proc.stdout)] if proc.returncode == 0 else []
        self.gitlinks = sorted({name for meta, _, name in entries if meta.startswith("160000 ")})
        self.through_gitlinks = submodules.through(self.gitlinks)
        self._known = {name for meta, _, name in entries if not meta.startswith("160000 ")}
        self._paths = sorted(self._known | set(self.through_gitlinks))

    def __getitem__(self, path: str) -> bytes:
        if path in self.through_gitlinks:  # a checked-out submodule's files are another repository's
            raise ValueError(submodules.reason(self.through_gitlinks[path]))
        target = self._root / path
        if path not in self._known or target.is_symlink() or not target.is_file():
            raise KeyError(path)
        data = target.read_bytes()
        if submodules.is_lfs_pointer(data):
            raise ValueError(submodules.LFS_REASON)
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)
