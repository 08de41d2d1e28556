"""Git submodules (gitlinks, tree mode 160000): content the gate cannot see.

A gitlink records only another repository's commit id; its files are not in this repository's
object store. A client opening a checkout made with `submodules: true` (or `git submodule update`)
still reads a config inside it, so a gitlink at a client's config location (`.vscode`, `.cursor`,
`.codex`, `.kiro/settings`, or the config path itself) is a hole in the scan: every config path a
client would read through it is reported as not scanned (the scan is incomplete, never a pass).
A gitlink anywhere else is noted as a warning: no client reads a config from it when this
repository is opened, and vendored submodules are common. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scanner.clients.discovery import classify_path

SUBMODULE_REASON = ("git submodule {link}: its content is another repository's and is not scanned; "
                    "a client opening this repository reads the config inside it")
# Files a client reads inside its own folder. Only names whose meaning depends on that folder are
# probed (`.vscode/settings.json` is VS Code's, `foo/settings.json` is nothing); a name that is a
# config anywhere (`.mcp.json`) would make every vendored submodule a hole.
_TAILS = ("mcp.json", "mcp.jsonc", "settings.json", "settings.local.json", "mcp_config.json", "config.toml",
          "config.json", "config.yaml", "config.yml", "mcp.yaml", "mcp.yml", "mcp_settings.json",
          "settings/mcp.json", "mcp/mcp.json", "mcpServers/mcp.json", "mcpServers/mcp.yaml",
          "User/mcp.json", "User/settings.json", "Code/User/mcp.json", "Code/User/settings.json")
_NEUTRAL = "x-not-a-client-folder"


def _folder_specific(tail: str) -> bool:
    found = classify_path(f"{_NEUTRAL}/{tail}")
    return found is None or found.generic


def config_paths(link: str) -> list[str]:
    """The config paths a client would read through a gitlink at `link` ([] when none)."""
    own = classify_path(link)
    paths = [link] if own is not None and not own.generic else []
    for tail in _TAILS:
        path = f"{link}/{tail}"
        found = classify_path(path)
        if found is not None and not found.generic and _folder_specific(tail):
            paths.append(path)
    return paths


def through(links: Iterable[str]) -> dict[str, str]:
    """Config path through a gitlink -> the gitlink, for every gitlink at a client location."""
    return {path: link for link in sorted(set(links)) for path in config_paths(link)}


def reason(link: str) -> str:
    return SUBMODULE_REASON.format(link=link)


def under(path: str, links: Iterable[str]) -> str | None:
    """The gitlink `path` lies inside (or is), else None."""
    for link in links:
        if path == link or path.startswith(link + "/"):
            return link
    return None


def elsewhere_warning(links: Iterable[str], at_clients: Mapping[str, str]) -> str | None:
    """One warning naming the gitlinks that are at no client location (not scanned, not a hole)."""
    holes = set(at_clients.values())
    rest = sorted(set(links) - holes)
    if not rest:
        return None
    shown = ", ".join(rest[:5]) + (f" and {len(rest) - 5} more" if len(rest) > 5 else "")
    return (f"git submodule{'s' if len(rest) > 1 else ''} not scanned (another repository's content): "
            f"{shown}; scan {'their repositories' if len(rest) > 1 else 'its repository'} with mcp-guard")


# Git LFS keeps a file's content outside git: the blob is a small pointer text (git-lfs spec v1).
# A checkout with LFS (`lfs: true`) gives the client the real file; the gate reads the pointer.
LFS_REASON = ("Git LFS pointer: the file's content is in LFS storage, not in git, and is not scanned; "
              "a client reads the real file from an LFS checkout")
_LFS_PREFIXES = (b"version https://git-lfs.github.com/spec/", b"version https://hawser.github.com/spec/")


def is_lfs_pointer(data: bytes) -> bool:
    """True for a Git LFS pointer blob (small, and starting with the spec's version line)."""
    return len(data) < 1024 and data.startswith(_LFS_PREFIXES)
