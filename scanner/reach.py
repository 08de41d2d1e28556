"""What a server runs and what it reaches, for the inventory: the package or image its launcher starts,
the hosts its values name, the providers whose literal credentials it holds, and its access mode.

Only names leave this module (a package spec, a host name, a provider): never a value, and nothing
that overlaps a credential the detectors find in the same server.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from scanner.model import McpConfig, ServerEntry

MAX_HOSTS = 20  # per server; a server naming more is a generated file, the first ones tell enough

# Launchers and the flags of theirs that take the next word as their value.
_NPX = frozenset({"npx", "bunx", "pnpx"})
_NPX_VALUED = frozenset({"-p", "--package", "--registry", "--cache", "--userconfig", "-c", "--call"})
_UVX_VALUED = frozenset({"--from", "--with", "--with-requirements", "--with-editable", "--python", "-p",
                         "--index", "--index-url", "--extra-index-url", "--directory", "--project",
                         "--env-file", "--refresh-package", "--reinstall-package", "--python-preference",
                         "--cache-dir", "--config-file"})
_PIPX_VALUED = frozenset({"--spec", "--python", "--pip-args", "--index-url"})
_CONTAINER_VALUED = frozenset({
    "-e", "--env", "--env-file", "-v", "--volume", "--mount", "--name", "--network", "--net", "-p",
    "--publish", "-w", "--workdir", "-u", "--user", "--entrypoint", "--platform", "-l", "--label",
    "--add-host", "--cpus", "-m", "--memory", "--pull", "-h", "--hostname", "--dns", "--device",
    "--cap-add", "--cap-drop", "--security-opt", "--ulimit", "--tmpfs", "--restart", "--log-driver",
    "--log-opt", "--ipc", "--pid", "--gpus", "--shm-size", "--stop-signal", "--userns", "--cidfile",
    "--label-file", "--expose", "--group-add", "--runtime", "--health-cmd", "--isolation"})
_DENO_VALUED = frozenset({"--config", "-c", "--import-map", "--env-file", "--lock", "--location"})
_SCRIPT_RUNNERS = frozenset({"node", "bun", "deno", "python", "python3", "ruby", "java", "dotnet", "go"})
_SHELLS = frozenset({"cmd", "cmd.exe", "wsl", "wsl.exe"})
_URLISH = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,15}://(?:\$\{[^}\s]{0,64}\}|[^\s\"'<>()\[\]{},;])+")
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
                   r"|^[0-9a-f:.]+$")


@dataclass(frozen=True, slots=True)
class Reach:
    package: str  # "" for a remote server or when the launcher's package is not written out
    hosts: tuple[str, ...]
    providers: tuple[str, ...]
    access: str  # write | read-only | unspecified


def _base(word: str) -> str:
    name = word.strip().replace("\\", "/").rsplit("/", 1)[-1].lower()
    for suffix in (".exe", ".cmd", ".bat"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _first_positional(words: Sequence[str], valued: frozenset[str], *, picked: tuple[str, ...] = ()) -> str:
    """The first word that is neither a flag nor a flag's value (`picked`: a flag whose value is the
    package itself, as npx `--package X` and uvx `--from X`)."""
    skip = False
    for i, word in enumerate(words):
        if skip:
            skip = False
            continue
        if word == "--":
            return words[i + 1] if i + 1 < len(words) else ""
        if word.startswith("-"):
            flag, eq, value = word.partition("=")
            if flag in picked:
                return value if eq else (words[i + 1] if i + 1 < len(words) else "")
            skip = not eq and flag in valued
            continue
        return word
    return ""


def _package(words: Sequence[str]) -> str:
    """The package, image, module or script a command line starts (launcher prefix kept short)."""
    while words and _base(words[0]) in _SHELLS:  # `cmd /c npx …`, `wsl -e npx …`: the shell's own flags
        words = list(words[1:])
        while words and words[0].lower() in ("/c", "/s", "/k", "/d", "-e", "--exec", "--"):
            words = words[1:]
    if not words:
        return ""
    program, rest = _base(words[0]), list(words[1:])
    if program in _NPX:
        return _first_positional(rest, _NPX_VALUED, picked=("--package", "-p"))
    if program in ("pnpm", "yarn", "npm") and rest and rest[0] in ("dlx", "exec", "x"):
        return _first_positional(rest[1:], _NPX_VALUED, picked=("--package", "-p"))
    if program == "uvx" or (program == "uv" and rest[:2] == ["tool", "run"]):
        return _first_positional(rest[2:] if program == "uv" else rest, _UVX_VALUED, picked=("--from",))
    if program == "uv" and rest and rest[0] == "run":
        return _first_positional(rest[1:], _UVX_VALUED)
    if program == "pipx" and rest and rest[0] == "run":
        return _first_positional(rest[1:], _PIPX_VALUED, picked=("--spec",))
    if program in ("docker", "podman", "nerdctl") and rest and rest[0] in ("run", "create"):
        return _first_positional(rest[1:], _CONTAINER_VALUED)
    if program in ("docker", "podman") and rest[:2] == ["container", "run"]:
        return _first_positional(rest[2:], _CONTAINER_VALUED)
    if program in _SCRIPT_RUNNERS:
        if program.startswith("python") and rest and rest[0] == "-m" and len(rest) > 1:
            return rest[1]
        if rest and rest[0] == "run" and program in ("deno", "bun", "go", "dotnet"):
            rest = rest[1:]
        return _first_positional(rest, _DENO_VALUED)
    return ""


def _hosts(texts: Iterable[str]) -> list[str]:
    found: dict[str, None] = {}
    for text in texts:
        if "://" not in text:
            continue
        for match in _URLISH.finditer(text):
            try:
                host = urlsplit(match.group(0)).hostname
            except ValueError:
                continue
            if host and _HOST.match(host) and ("." in host or ":" in host or host == "localhost"):
                found.setdefault(host, None)
    return list(found)


def reach(config: McpConfig, server: ServerEntry, secrets: Sequence[str], providers: Iterable[str]) -> Reach:
    """The server's reach; `secrets`: the credential values found in it (a name overlapping one is
    left out), `providers`: the issuers of those credentials."""
    from scanner.rules._capability import capability

    def clean(name: str) -> bool:
        return bool(name) and "${" not in name and not any(
            s and (s in name or name in s) for s in secrets)

    words = [*(server.command.text.split() if server.command is not None else ()),
             *(a.text for a in server.args)]
    package = _package(words) if server.url is None else ""
    texts = [server.url.text] if server.url is not None else []
    texts += [a.text for a in server.args] + [v.text for v in (*server.env, *server.headers)]
    hosts = [h for h in _hosts(texts) if clean(h)][:MAX_HOSTS]
    cap = capability(config, server)
    access = "write" if cap.can_write else "read-only" if cap.read_only else "unspecified"
    return Reach(package=package if clean(package) else "", hosts=tuple(hosts),
                 providers=tuple(dict.fromkeys(p for p in providers if p)), access=access)
