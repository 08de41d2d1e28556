"""The TOML decoder: tomli's compiled wheels when installed (the lock pins them), stdlib tomllib
otherwise, with the same trees, the same errors and the same TOML 1.0 acceptance (the parser's 1.1
rewrite needs 1.1 refused).

Each case is parsed twice, once with each decoder behind `toml_tree._loads`, and the outcomes (the
tree's repr, or the error message) compared: the fuzz seeds and their mutations, the edge documents
of the fast-path tests, and TOML 1.1 texts the rewrite reads.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Callable

import pytest

from scanner.errors import ParseError
from scanner.parsing import toml_tree
from tests.fuzz.seeds import mutate, seeds
from tests.workcount import count_calls

tomli = pytest.importorskip("tomli")

_SERVERS = "".join(f'[mcp_servers.s{i}]\ncommand = "npx"\nargs = ["-y", "pkg-{i}"]\n[mcp_servers.s{i}.env]\n'
                   f'TOKEN = "${{TOKEN}}"\n' for i in range(200))
_SMALL = _SERVERS[:_SERVERS.index("[mcp_servers.s3]")]
_TOML_1_1 = [
    't = { a = "x",\n  b = [1,], # c\n  c = 2, }\n',
    'e = "\\e[1m\\x41"\nt = 07:32\n',
    '[mcp_servers.a]\nenv = {\n  K = "v",\n}\n',
]
_EDGE = [
    "",
    'a = "x"\na = "y"\n',
    "[a]\n[a]\n",
    "a.b = 1\na = 2\n",
    "x = 1979-05-27T07:32:00Z\ny = 07:32:00\nz = 1979-05-27\nw = 1979-02-30\n",
    "i = 99999999999999999999999\nf = nan\ng = -inf\nh = 0x_1\n",
    'k = "\\ud800"\n',
    "k = 'a\rb'\n",
    'k = """a\rb"""\n',
    "k = \"unterminated\n",
    "[[a]]\n[a]\n",
    "a = [1, 'x', [2], {b = 3}]\n",
    "\ufeffa = 1\n",
    "a = 1 # \x7f\n",
    "a = 1 # \x00\n",
]


def _outcome(text: str) -> str:
    try:
        return repr(toml_tree.parse_toml(text))
    except ParseError as exc:
        return f"ParseError: {exc}"


def _with(loads: Callable[[str], dict[str, object]], text: str, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(toml_tree, "_loads", loads)
        return _outcome(text)


def _texts() -> list[str]:
    base = [data for _name, files in seeds() for path, data in files.items() if path.endswith(".toml")]
    assert base, "the fuzz seeds hold TOML configs"
    rng = random.Random(16)
    mutated = [mutate(rng.choice(base), rng, rng.choice(base)) for _ in range(1500)]
    out = []
    for data in (*base, *mutated):
        try:
            out.append(data.decode("utf-8"))
        except UnicodeDecodeError:
            continue
    return [*out, *_TOML_1_1, *_EDGE, _SERVERS]


def test_both_decoders_give_the_same_trees_and_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    errors = 0
    for text in texts:
        compiled = _with(tomli.loads, text, monkeypatch)
        assert compiled == _with(tomllib.loads, text, monkeypatch), text[:200]
        errors += compiled.startswith("ParseError")
    assert 0 < errors < len(texts)  # both outcomes are exercised


def test_toml_1_1_is_refused_by_both_decoders_and_read_through_the_rewrite() -> None:
    for text in _TOML_1_1:
        for decoder in (tomli, tomllib):
            with pytest.raises(decoder.TOMLDecodeError):
                decoder.loads(text)
        assert not _outcome(text).startswith("ParseError"), text


def test_loads_shared_raises_an_error_its_callers_catch() -> None:
    with pytest.raises(toml_tree.DECODE_FAILURES):
        toml_tree.loads_shared("a = \n")
    with pytest.raises(ParseError):
        toml_tree.parse_toml("a = \n")
    with pytest.raises(toml_tree.DECODE_FAILURES):
        toml_tree.loads_shared("a = \n")  # the parser's remembered error, raised again


def test_the_compiled_decoder_is_used() -> None:
    """Decoding 200 servers makes about 150 Python calls per server in tomllib (pure Python in 3.11)
    and none in tomli's compiled wheel: the parser's own calls are what is left (~160 per server
    with tomli, ~320 with tomllib)."""
    per_server = count_calls(lambda: toml_tree.parse_toml(_SERVERS)) / 200
    assert per_server < 230, per_server


def test_without_tomli_the_standard_library_decodes_the_same() -> None:
    """An install without tomli (blocked here) falls back to tomllib and parses to the same tree."""
    import subprocess
    import sys

    probe = ("import sys; sys.modules['tomli'] = None\n"  # `import tomli` now raises ImportError
             "import tomllib\nfrom scanner.parsing import toml_tree\n"
             "assert toml_tree._loads is tomllib.loads, toml_tree._loads\n"
             "assert toml_tree.DECODE_FAILURES == (tomllib.TOMLDecodeError, RecursionError)\n"
             f"print(repr(toml_tree.parse_toml({_SMALL!r})))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         stdin=subprocess.DEVNULL, timeout=120).stdout
    assert out.strip() == repr(toml_tree.parse_toml(_SMALL))
