"""referenced_files reads a server's argv with the loader and script searches only when the joined argv
holds a word either one looks for, and an env value only under a name that loads files (counted: the
searches are not called for the plain servers of a large config, and the files found are the same)."""

from __future__ import annotations

import pytest

from scanner.clients import _files, parse_config
from scanner.clients.discovery import classify_path

_PLAIN = '"s{i}": {{"command": "npx", "args": ["-y", "pkg-{i}", "--port={i}"], "env": {{"T{i}": "v"}}}}'
# Each of these servers loads a file (or names one) in a way one of the searches finds.
_LOADING = [
    '"a": {"command": "docker", "args": ["run", "--env-file", "a.env", "img"]}',
    '"b": {"command": "npx", "args": ["dotenv-cli@7", "-e", "b.env", "--", "srv"]}',
    '"c": {"command": "npx", "args": ["env-cmd", "-f", "c.env", "srv"]}',
    '"d": {"command": "node", "args": ["-r", "dotenv/config", "app.js", "dotenv_config_path=d.env"]}',
    '"e": {"command": "sh", "args": ["-c", ". ./e.env && exec srv"]}',
    '"f": {"command": "uv", "args": ["run", "srv"], "env": {"UV_ENV_FILE": "f.env"}}',
    '"g": {"command": "node", "args": ["srv.js"], "env": {"NODE_OPTIONS": "--env-file=g.env"}}',
    '"h": {"command": "node", "args": ["--env-file-if-exists=h.env", "srv.js"]}',
]


def _config(n: int) -> bytes:
    servers = [_PLAIN.format(i=i) for i in range(n)] + _LOADING
    return ('{"mcpServers": {' + ", ".join(servers) + "}}").encode()


def _counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"loader": 0, "script": 0, "env": 0}
    for name, attr in (("loader", "_loader_files"), ("script", "_script_loads"), ("env", "_env_var_loads")):
        original = getattr(_files, attr)

        def counted(*args: object, _name: str = name, _original: object = original) -> object:
            calls[_name] += 1
            return _original(*args)  # type: ignore[operator]

        monkeypatch.setattr(_files, attr, counted)
    return calls


def test_plain_servers_skip_the_searches(monkeypatch: pytest.MonkeyPatch) -> None:
    candidate = classify_path(".cursor/mcp.json")
    assert candidate is not None
    config = parse_config(candidate, _config(500))
    assert config is not None and len(config.servers) == 508
    calls = _counted(monkeypatch)
    found = _files.referenced_files(config)
    assert found == ["a.env", "b.env", "c.env", "d.env", "e.env", "f.env", "g.env", "h.env"]
    # the loading servers only: each search for the 6 argvs that may load, the env search for the 2
    # names that load (NODE_OPTIONS' flags are one more argv); every server's argv was searched with
    # each and every env value once (509 and 502 calls)
    assert calls == {"loader": 7, "script": 6, "env": 2}
