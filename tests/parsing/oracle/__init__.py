"""The parsing and building modules as they were at a04763e (before the per-object speed work of
issue 16), read from the repository's own history at test time, as oracles for the fast paths.

`from tests.parsing.oracle import jsonc` gives the old scanner/parsing/jsonc.py as a module of its
own (its `scanner.` imports are today's modules, as they were when the copy was made). Without the
history (a shallow or exported checkout) `available()` is False and the equivalence tests skip,
saying why: the old code is never copied into the tree.
"""

from __future__ import annotations

import subprocess
import sys
import types
from functools import cache
from pathlib import Path

REVISION = "a04763e432a11cc14b7434b0767c0b074b476448"
PATHS = {
    "build": "scanner/clients/_build.py",
    "dotenv": "scanner/parsing/dotenv.py",
    "files": "scanner/clients/_files.py",
    "jsonc": "scanner/parsing/jsonc.py",
    "model": "scanner/model.py",
    "toml_tree": "scanner/parsing/toml_tree.py",
    "yaml_tree": "scanner/parsing/yaml_tree.py",
}
_TOP = Path(__file__).resolve().parents[3]


@cache
def _source(path: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(_TOP), "show", f"{REVISION}:{path}"], capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.decode("utf-8") if proc.returncode == 0 else None


def available() -> bool:
    """True when every oracle module can be read from the history."""
    return all(_source(path) is not None for path in PATHS.values())


@cache
def load(name: str) -> types.ModuleType:
    source = _source(PATHS[name])
    if source is None:
        raise ImportError(f"{PATHS[name]} at {REVISION[:7]} is not in this checkout's history")
    module = types.ModuleType(f"{__name__}.{name}")
    module.__file__ = f"{REVISION[:7]}:{PATHS[name]}"
    sys.modules[module.__name__] = module  # dataclasses look their module up while decorating
    exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102 - our own history
    return module


def __getattr__(name: str) -> types.ModuleType:
    if name in PATHS:
        return load(name)
    raise AttributeError(name)
