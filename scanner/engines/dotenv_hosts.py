"""A dotenv password is low when the file's own host settings name the developer's machine
(engines/builtin.py `_local_database`). The server that loads the file may set another host itself:
VS Code and Cursor start it with `env` over `envFile`, and a database URL or a tunnel of its command
line leads elsewhere. Such a password is as severe as the same password for a remote machine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from scanner.engines.engine import SecretMatch
from scanner.hosts import forwards_a_port, names_remote_host, remote_database_url
from scanner.model import ServerEntry, Severity

_LOOPBACK = ("loopback", "true")


def reaches_elsewhere(server: ServerEntry) -> bool:
    """True when a server's own values name a machine other than the developer's: a host setting or
    flag, a database URL, or a tunnel its command line starts."""
    command = (server.command,) if server.command is not None else ()
    argv = [value.text for value in (*command, *server.args)]
    return (names_remote_host(((value.key, value.text) for value in server.env if value.key),
                              [value.text for value in server.args])
            or any(remote_database_url(value.text) for value in server.values) or forwards_a_port(argv))


def raise_remote_loaded(matches: Sequence[SecretMatch],
                        loaders: Mapping[str, Sequence[ServerEntry]]) -> list[SecretMatch]:
    """`matches` with each loopback-low match of a file some server of `loaders` (path -> the
    servers of the configs that load it) sends elsewhere raised to its remote severity."""
    out: list[SecretMatch] = []
    remote: dict[str, bool] = {}
    for match in matches:
        path = match.config.path
        if _LOOPBACK in match.facts and path in loaders:
            if path not in remote:
                remote[path] = any(reaches_elsewhere(server) for server in loaders[path])
            if remote[path]:
                severity = Severity.CRITICAL if match.secret_type == "db-password" else Severity.HIGH
                match = replace(match, severity=max(severity, match.severity),
                                facts=tuple(fact for fact in match.facts if fact != _LOOPBACK),
                                description=match.description.replace(
                                    "on the developer's machine (its host is loopback)",
                                    "whose loading server names another host"))
        out.append(match)
    return out
