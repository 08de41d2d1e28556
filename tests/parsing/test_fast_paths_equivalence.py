"""The faster parsers and builders give exactly what the code before them gave (kept as oracles).

tests/parsing/oracle loads the modules as they were at a04763e (before the per-object work of issue
16) from the repository's history. Each fast path is compared with its oracle on generated
documents, on edge cases, and on the fuzz seeds and their mutations: same tree (repr: kinds,
positions, values, quoting, entry order), same error message, same comments, same servers and values.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scanner.errors import ParseError
from scanner.parsing import jsonc, toml_tree, yaml_tree
from tests.fuzz.seeds import mutate, seeds
from tests.parsing import oracle

if not oracle.available():
    pytest.skip(f"the oracle modules need the history (revision {oracle.REVISION[:7]})",
                allow_module_level=True)

from tests.parsing.oracle import jsonc as old_jsonc  # noqa: E402
from tests.parsing.oracle import toml_tree as old_toml  # noqa: E402
from tests.parsing.oracle import yaml_tree as old_yaml  # noqa: E402
from tests.parsing.test_parse_toml import CODEX as TOML_SAMPLE  # noqa: E402
from tests.parsing.test_parse_toml import _basic_string, _emit_value  # noqa: E402
from tests.parsing.test_parse_toml import _values as _TOML_VALUES  # noqa: E402


def _old_yaml_parse(text: str, line_offset: int, _parse: Callable[[str, int], Any] = old_yaml._parse) -> Any:
    """The oracle's `_parse` with the one step added since on purpose (wave 11): a `%YAML` version
    libyaml does not know is read as 1.2, and a text libyaml refuses for a character outside YAML's
    printable set is read with each one as U+FFFD."""
    text = yaml_tree._OTHER_VERSION.sub(yaml_tree._known_version, text)
    try:
        return _parse(text, line_offset)
    except ParseError as exc:
        unprintable = yaml_tree._UNPRINTABLE.sub("\ufffd", text)
        if str(exc) != "invalid YAML: unacceptable character" or unprintable == text:
            raise
        return _parse(unprintable, line_offset)


old_yaml._parse = _old_yaml_parse  # type: ignore[assignment]


def _outcome(parse: Callable[[str], object], text: str) -> str:
    try:
        return repr(parse(text))
    except ParseError as exc:
        return f"ParseError: {exc}"
    except RecursionError:
        return "RecursionError"


def _seed_texts(count: int = 12) -> list[str]:
    rng = random.Random(1604)
    texts = [data.decode("utf-8", "replace") for _, files in seeds() for data in files.values()]
    for text in list(texts):
        texts.extend(mutate(text.encode(), rng).decode("utf-8", "replace") for _ in range(count))
    return texts


_SEED_TEXTS = _seed_texts()

_TEXT = st.text(
    alphabet=st.sampled_from(["a", "Z", "0", " ", '"', "'", "\\", "/", "*", "#", "-", ":", "&", "*",
                              "!", "<", "\t", "\n", "\u00e9", "\U0001f600", "{", "}", "[", "]", ",",
                              "$", "="])
    | st.characters(codec="utf-8"),
    max_size=10,
)
_SCALARS = (st.none() | st.booleans() | st.integers(-(10**20), 10**20)
            | st.floats(allow_nan=False) | _TEXT
            | st.sampled_from(["yes", "No", "~", "0x1F", "1_000", "2001-12-14", ".inf", "<<", "12:30"]))
_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_TEXT, children, max_size=4),
    max_leaves=30,
)


# --- YAML ---------------------------------------------------------------------------------------

def _yaml_same(text: str) -> None:
    assert _outcome(yaml_tree.parse_yaml, text) == _outcome(old_yaml.parse_yaml, text), text[:200]
    assert (_outcome(yaml_tree.parse_front_matter, "---\n" + text + "\n---\n")
            == _outcome(old_yaml.parse_front_matter, "---\n" + text + "\n---\n"))


@settings(max_examples=200, deadline=None)
@given(value=_VALUES, flow=st.sampled_from([None, True, False]), width=st.sampled_from([20, 80, 1000]),
       canonical=st.booleans())
def test_yaml_generated_documents(value: Any, flow: bool | None, width: int, canonical: bool) -> None:
    _yaml_same(yaml.safe_dump(value, default_flow_style=flow, width=width, canonical=canonical,
                              allow_unicode=True))


@pytest.mark.parametrize("text", [
    "base: &b {x: 1, y: [a, b]}\nuse:\n  <<: *b\n  y: z\nall: [*b, *b]\n",
    "- &a [1, 2]\n- <<: [*a]\n",
    "a: &s str\nb: *s\n*s : key-alias\n",
    "? [complex]\n: value\n",
    "!!int 12: x\n!!bool maybe: y\n!custom 1: z\n'quoted': \"q\"\n1.5: f\nnull: n\ntrue: t\n",
    "<<: {a: 1}\n<<: [{b: 2}, {c: 3}]\nd: 4\n",
    "<<: 5\n",
    "a: *missing\n",
    "x: !!binary aGVsbG8=\nt: 2001-12-14t21:59:43.10-05:00\n",
    "first: 1\n---\nsecond: 2\n",
    "",
    "# only a comment\n",
    "plain\n",
    "&top [a, b]\n",
    "- " * 210 + "x\n",
    "a: [" * 150 + "]" * 150 + "\n",
    "k: 'unterminated\n",
    "k:\tv\n  - broken\n",
    "env:\n  A: 1\n  B: yes\n  C: ~\n  D: ''\n",
    # Alias expansion at and just past its bound (an anchored list of 999 scalars counts 1,000).
    "a: &a [" + ", ".join(["x"] * 999) + "]\nb: [" + ", ".join(["*a"] * 100) + "]\n",
    "a: &a [" + ", ".join(["x"] * 999) + "]\nb: [" + ", ".join(["*a"] * 101) + "]\n",
    "a: &a [" + ", ".join(["x"] * 998) + ", &s y]\nb: [" + ", ".join(["*a"] * 100) + ", *s]\n",
])
def test_yaml_edge_documents(text: str) -> None:
    _yaml_same(text)


def test_yaml_fuzz_seeds_and_mutations() -> None:
    for text in _SEED_TEXTS:
        _yaml_same(text)


# --- JSONC comments -------------------------------------------------------------------------------

def _comments_same(text: str) -> None:
    assert jsonc.jsonc_comments(text) == old_jsonc.jsonc_comments(text), text[:200]


@settings(max_examples=300, deadline=None)
@given(value=_VALUES, indent=st.sampled_from([None, 0, 2]), ascii_only=st.booleans(),
       seed=st.integers(0, 2**16), op=st.integers(0, 6))
def test_jsonc_comments_generated(value: Any, indent: int | None, ascii_only: bool, seed: int,
                                  op: int) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    at = random.Random(seed).randrange(len(text) + 1)
    edits = [text, text[:at] + "// c\n" + text[at:], text[:at] + "/* c */" + text[at:],
             text[:at] + "/" + text[at:], text[:at] + '"' + text[at:], "\ufeff" + text,
             text[:at] + "\\" + text[at:]]
    _comments_same(edits[op])


@pytest.mark.parametrize("text", [
    '{"u": "http://x/*y*/", "v": "//no"}',
    '{"u": "a\\"//b"}',
    '{"a": 1} // after\r\n',
    '{"a": "\\\\"}//x',
    "[" * 300 + "]" * 300 + "//deep",
    "[" * 3000 + "]" * 3000,
    '["' + "1" * 5000 + '", /* c */ 1]',
    "[" + "1" * 5000 + "]",
    '"\\ud800"',
    '/* unterminated',
    "",
])
def test_jsonc_comments_edges(text: str) -> None:
    _comments_same(text)


def test_jsonc_comments_fuzz_seeds_and_mutations() -> None:
    for text in _SEED_TEXTS:
        _comments_same(text)


# --- clients/_build ---------------------------------------------------------------------------------

_ENTRY_KEYS = st.sampled_from(["command", "args", "env", "url", "serverUrl", "httpUrl", "headers", "type",
                               "transport", "envFile", "disabled", "enabled", "cmd", "envs", "uri",
                               "env_keys", "path", "autoApprove", "tools", "x", "command"])
_ENTRY = st.lists(st.tuples(_ENTRY_KEYS | _TEXT, _VALUES), max_size=8)


def _entry_text(pairs: list[tuple[str, Any]]) -> str:
    body = ",".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in pairs)
    return '{"mcpServers": {"a": {' + body + '}, "b": "not a server", "c": null}, "top": [1, "t"]}'


_SAMPLE_ENTRY = [("command", "npx"), ("args", ["-y", "$X", {"k": 1}]), ("env", {"A": "v", "B": 2, "C": None}),
                 ("env_keys", ["K"]), ("url", "https://h/sse"), ("headers", {"H": "${T}"}), ("type", "sse"),
                 ("disabled", True), ("tools", ["a", 1, None]), ("cmd", "run"), ("command", {"path": "p"})]


@settings(max_examples=300, deadline=None)
@example(pairs=_SAMPLE_ENTRY, renames={}, reference=frozenset({"args", "command"}))
@example(pairs=_SAMPLE_ENTRY, renames={"cmd": "command", "envs": "env", "uri": "url"},
         reference=frozenset({"env_keys"}))
@given(pairs=_ENTRY, renames=st.sampled_from([{}, {"cmd": "command", "envs": "env", "uri": "url"},
                                             {"path": "command"}]),
       reference=st.sampled_from([frozenset(), frozenset({"env_keys"}), frozenset({"args", "command"})]))
def test_build_servers_match_old_builders(pairs: list[tuple[str, Any]], renames: dict[str, str],
                                          reference: frozenset[str]) -> None:
    from scanner.clients import _build
    from scanner.model import Client
    from tests.parsing.oracle import build as old_build

    root = jsonc.parse_jsonc(_entry_text(pairs))
    servers = root.get("mcpServers")
    assert servers is not None
    entry = servers.get("a")
    assert entry is not None
    name_key = servers.entries[0][0]
    new_spec = _build.EntrySpec(renames=renames)
    old_spec = old_build.EntrySpec(renames=renames)
    new_pairs, old_pairs = _build.canonical_pairs(entry, renames), old_build.canonical_pairs(entry, renames)
    assert new_pairs == old_pairs
    assert (_build.server_from_pairs("p", "a", name_key, new_pairs, Client.GOOSE, new_spec,
                                     env_refs=("R",), reference_fields=reference)
            == old_build.server_from_pairs("p", "a", name_key, old_pairs, Client.GOOSE, old_spec,
                                           env_refs=("R",), reference_fields=reference))
    assert (_build.server_from_node("p", "a", name_key, entry, Client.CURSOR)
            == old_build.server_from_node("p", "a", name_key, entry, Client.CURSOR))
    for node in (root, entry, servers):
        assert _build.string_leaves("p", node, "k", "k") == old_build.string_leaves("p", node, "k", "k")
        assert _build.uncovered_leaves("p", node, {(1, 1), (1, 20)}) == old_build.uncovered_leaves(
            "p", node, {(1, 1), (1, 20)})
    assert _build.file_flags(root, ("mcpServers",)) == old_build.file_flags(root, ("mcpServers",))
    skip = ("mcpServers",)
    assert _build.leaves_except("p", root, skip) == old_build.leaves_except("p", root, skip)


# --- model: slot-descriptor __init__ ------------------------------------------------------------------

def test_model_constructors_match_the_generated_ones() -> None:
    import dataclasses
    import inspect

    from scanner import model
    from tests.parsing.oracle import model as old_model

    names = ["Location", "FieldValue", "ServerEntry", "McpConfig", "SkippedFile", "EnvVerdict"]
    rng = random.Random(7)
    for name in names:
        new_cls, old_cls = getattr(model, name), getattr(old_model, name)
        assert str(inspect.signature(new_cls)) == str(inspect.signature(old_cls))
        fields = dataclasses.fields(new_cls)
        required = [f for f in fields if f.default is dataclasses.MISSING]
        for _ in range(20):
            values = [object() for _ in fields]
            count = rng.randint(len(required), len(fields))
            keyword = rng.random() < 0.5
            args = values[:count]
            if keyword:
                new = new_cls(**{f.name: v for f, v in zip(fields, args, strict=False)})
            else:
                new = new_cls(*args)
            old = old_cls(*args)
            assert [getattr(new, f.name) for f in fields] == [getattr(old, f.name) for f in fields]
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(new, fields[0].name, 1)
        with pytest.raises(TypeError):
            new_cls(*range(len(fields) + 1))
        if required:
            with pytest.raises(TypeError):
                new_cls(*range(len(required) - 1))
    location = model.Location("a", 1, 2)
    assert dataclasses.replace(location, line=3) == model.Location("a", 3, 2)
    assert hash(location) == hash(model.Location("a", 1, 2)) and location < model.Location("a", 1, 3)


# --- TOML ---------------------------------------------------------------------------------------------

def _toml_same(text: str) -> None:
    assert _outcome(toml_tree.parse_toml, text) == _outcome(old_toml.parse_toml, text), text[:200]


_BARE_KEYS = st.from_regex(r"[A-Za-z0-9_-]{1,6}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(tables=st.dictionaries(_BARE_KEYS | st.text(min_size=1, max_size=5),
                              st.dictionaries(_BARE_KEYS | st.text(min_size=1, max_size=5), _TOML_VALUES,
                                              max_size=4), max_size=3),
       style=st.integers(0, 5), bare=st.booleans(), crlf=st.booleans())
def test_toml_generated_documents(tables: dict[str, dict[str, Any]], style: int, bare: bool,
                                  crlf: bool) -> None:
    def key(name: str) -> str:
        return name if bare and re.fullmatch(r"[A-Za-z0-9_-]+", name) else _basic_string(name)

    text = "".join(f"[mcp_servers.{key(name)}]\n"
                   + "".join(f"{key(k)} = {_emit_value(v, style)}\n" for k, v in body.items())
                   for name, body in tables.items())
    _toml_same(text.replace("\n", "\r\n") if crlf else text)


@pytest.mark.parametrize("text", [
    TOML_SAMPLE,
    "a = 'x'\nb = \"\"\"\nml\"\"\"\nc = '''\nlit'''\nd = \"one\" # c\ne = [\"x\", 'y', \"\"\"z\n\"\"\"]\n",
    "[a.b]\nx = 1\n[a]\ny = 'q'\n",
    '"quoted key" = "v"\n\'lit key\' = "w"\na."b c".d = "e"\n',
    "k = \"unterminated\n",
    "k = 'a' 'b'\n",
    "[mcp_servers.s1]\ncommand = \"npx\"\nargs = [\"-y\", \"pkg-1\"]\n[mcp_servers.s1.env]\nT = \"${T}\"\n",
    "x = 1979-05-27T07:32:00Z\ny = 07:32:00\nz = 1979-05-27\n",
    "",
    # The scanner's one-match statements (wave 12) and the shapes next to them that must not take them.
    "a = \"\"\nb = ''\nc = \"\"\"x\"\"\"\nd = '''y'''\ne = \"q\\\"r\" # c\nf=1\ng =true\nh\t=\t-0.5e3\n",
    "x = 1979-05-27 07:32:00\ny = 1979-05-27 07:32:00.5+01:00\nz = 07:32\nw = 1979-05-27T07:32\n",
    "a . b = 1\nc. d = 2\ne .f = 3\n[ t . u ]\nk = 4\n[v.w ]\nk = 5\n[\"q\".r]\nk = 6\n[s.\"q r\"]\nk = 7\n",
    "[mcp_servers.\"0\"]\nk = 1\n[mcp_servers.a-b_c.d]\nk = 2\n[[arr.x]]\nk = 3\n[[arr.x]]\nk = 4\n",
    "a = []\nb = [ ]\nc = [\"x\",]\nd = [ 'y' , \"z\" , ]\ne = [\"x\", 1]\n"
    "f = [\"\"\"m\"\"\"]\ng = [\"a\" ,\"b\"]\n",
    "h = [\"x\",\n  \"y\"]\ni = [\"a\", # c\n]\nj = [[\"a\"], [\"b\"]]\nk = [\"]\", ',', \"\\\\\"]\n",
    "t = { a = \"x\", b.c = 'y', d = [\"1\"], e = 2 }\nu = {}\n",
    "a = \"x\"\r\nb = [\"y\"]\r\n[c.d]\r\ne = 1\r\n",
    "p = \"\\u00e9\\t\"\nq = 'C:\\\\x'\nr = \"\u00e9\u4e2d\"\ns = \"\U0001f600\" # \u00e9\n",
])
def test_toml_edge_documents(text: str) -> None:
    _toml_same(text)


def test_toml_fuzz_seeds_and_mutations() -> None:
    for text in _SEED_TEXTS:
        _toml_same(text)


# --- clients/_files ---------------------------------------------------------------------------------

_PATH_TEXTS = st.sampled_from(["./.env", ".env", "${workspaceFolder}/.env", "../x.env", "/abs/.env",
                               "a/b.env", "--env-file", "--env-file=.env.local", "--env-file=../up",
                               "{file:./k.txt}", "x {file:~/k} {file:sub/k.txt}", "${HOME}/.env",
                               "C:\\\\x.env", "", "npx"])
_FIELDS = st.sampled_from(["env_file", "envFile", "env_file[0]", "env_file[1].path", "secrets.db.file",
                           "command", "args[0]", "env.envFile", "x.env_file.y", "headers.A"])


@settings(max_examples=200, deadline=None)
@given(servers=st.lists(st.tuples(st.none() | _PATH_TEXTS, st.lists(_PATH_TEXTS, max_size=5),
                                  st.lists(st.tuples(_FIELDS, _PATH_TEXTS), max_size=4)), max_size=5),
       file_values=st.lists(st.tuples(_FIELDS, _PATH_TEXTS), max_size=4),
       config_path=st.sampled_from([".cursor/mcp.json", "app/.vscode/mcp.json", "opencode.json", ".env"]),
       client=st.sampled_from(["opencode", "cursor"]))
@example(servers=[(".env", ["--env-file", "a/b.env", "--env-file=.env.local"],
                   [("env.envFile", "c.env"), ("x.env_file.y", "d.env"), ("env_file[1].path", "e.env")])],
         file_values=[("secrets.db.file", "s.env"), ("envFile", "c.env")], config_path=".cursor/mcp.json",
         client="cursor")
def test_referenced_files_match_old(servers: list[tuple[str | None, list[str], list[tuple[str, str]]]],
                                    file_values: list[tuple[str, str]], config_path: str,
                                    client: str) -> None:
    from scanner.clients import _files
    from scanner.model import Client, FieldValue, FileFormat, Location, McpConfig, ServerEntry, Transport
    from tests.parsing.oracle import files as old_files

    def value(field: str, text: str, n: int) -> FieldValue:
        return FieldValue(field, text, Location(config_path, n, 1), n, 2, field.rsplit(".", 1)[-1])

    entries = []
    for i, (env_file, args, values) in enumerate(servers):
        env_value = value("envFile", env_file, i) if env_file is not None else None
        arg_values = tuple(value(f"args[{j}]", a, 100 + j) for j, a in enumerate(args))
        others = tuple(value(f, t, 200 + j) for j, (f, t) in enumerate(values))
        own = (env_value,) if env_value is not None else ()
        entries.append(ServerEntry(f"s{i}", Client(client), Location(config_path, i, 1), Transport.STDIO,
                                   args=arg_values, env_file=env_value, values=(*own, *arg_values, *others)))
    config = McpConfig(config_path, Client(client), FileFormat.JSON, tuple(entries),
                       tuple(value(f, t, 300 + j) for j, (f, t) in enumerate(file_values)))
    assert _files.referenced_files(config) == old_files.referenced_files(config)
    assert _files.file_references(config) == old_files.file_references(config)


# --- dotenv -------------------------------------------------------------------------------------------

_DOTENV_PIECES = st.sampled_from(["A", "export ", "B_1", "=", " = ", "v", "'q'", '"d"', '"a\\nb"', '"x\ny"',
                                  "'u", '"u', " #c", "#c", "\t#", "\r", "\n", "\r\n", " ", "${X}", "==",
                                  "\\", "é", "a#b", "  "])


# What the old parser did not read and today's does (the Node `dotenv` / VS Code envFile dialect):
# `NAME: value` / `NAME:value`, backtick quotes, a lone `\r` line break. The oracle says nothing
# about such texts.
_NODE_DIALECT = re.compile(r"(?m)^[ \t]*(?:export[ \t]+)?[A-Za-z_][\w.-]*[ \t]*:|`|\r(?!\n)")
# Nor about the two readings added in wave 19 (parsing/dotenv.py): a quoted value with more text after
# its closing quote on the line (read as Node's dotenv reads it), `NAME=value` words after an unquoted
# value's first word (a shell's further assignments). Found on the oracle's own reading.
_SHELL_WORDS = re.compile(r"\S[ \t]+[A-Za-z_]\w*=[^\s'\"`]")


def _wave19_reading(text: str, tree: object) -> bool:
    lines = text.split("\n")
    for _key, value in tree.entries:  # type: ignore[attr-defined]
        if value.quoted:
            rest = lines[value.end_line - 1][value.end_column - 1:].lstrip(" \t")
            if rest.strip() and not rest.startswith("#"):
                return True
        elif _SHELL_WORDS.search(value.value):
            return True
    return False


def _compared(text: str) -> bool:
    from tests.parsing.oracle import dotenv as old_dotenv

    return _NODE_DIALECT.search(text) is None and not _wave19_reading(text, old_dotenv.parse_dotenv(text))


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_DOTENV_PIECES, max_size=30))
def test_dotenv_generated_files(pieces: list[str]) -> None:
    from scanner.parsing import dotenv
    from tests.parsing.oracle import dotenv as old_dotenv

    text = "".join(pieces)
    if _compared(text):
        assert repr(dotenv.parse_dotenv(text)) == repr(old_dotenv.parse_dotenv(text))


def test_dotenv_fuzz_seeds_and_mutations() -> None:
    from scanner.parsing import dotenv
    from tests.parsing.oracle import dotenv as old_dotenv

    compared = 0
    for text in _SEED_TEXTS:
        if _compared(text):
            compared += 1
            assert repr(dotenv.parse_dotenv(text)) == repr(old_dotenv.parse_dotenv(text)), text[:200]
    assert compared > len(_SEED_TEXTS) // 4


def test_server_entry_field_order_is_the_positional_call_in_server_from_pairs() -> None:
    import dataclasses

    from scanner.model import ServerEntry

    assert [f.name for f in dataclasses.fields(ServerEntry)] == [
        "name", "client", "location", "transport", "command", "args", "env", "url", "headers", "env_file",
        "env_refs", "values", "flags", "disabled"]


# --- clients._whole_file ------------------------------------------------------------------------------

def _old_whole_file(candidate: Any, root: Any, config: Any) -> Any:
    """clients._whole_file as of a04763e (the covered set built through one generator per server)."""
    from dataclasses import replace

    from scanner.clients._build import uncovered_leaves
    from scanner.model import McpConfig

    covered: set[tuple[int, int]] = set()
    if config is not None:
        values = [*config.file_values, *config.extra_values]
        for server in config.servers:
            values.extend(server.values)
            values.extend(v for v in (server.command, server.url, server.env_file, *server.args,
                                      *server.env, *server.headers) if v is not None)
        covered = {(fv.location.line, fv.location.column) for fv in values}
    leaves = tuple(uncovered_leaves(candidate.rel_path, root, covered))
    if config is None:
        return McpConfig(candidate.rel_path, candidate.hints[0], candidate.fmt, extra_values=leaves)
    return replace(config, extra_values=config.extra_values + leaves) if leaves else config


@pytest.mark.parametrize("path", [".cursor/mcp.json", ".vscode/mcp.json", ".codex/config.toml",
                                  ".config/goose/config.yaml", ".zed/settings.json", "opencode.json",
                                  "docker-compose.mcp.yaml"])
def test_whole_file_matches_old(path: str) -> None:
    from scanner import clients
    from scanner.clients.discovery import classify_path

    candidate = classify_path(path)
    assert candidate is not None
    checked = 0
    texts = [*_SEED_TEXTS, json.dumps({"mcpServers": {"a": {"command": "x", "args": ["--env-file", ".e"],
                                                            "url": "u", "headers": {"H": "v"}}},
                                       "other": {"k": ["v", {"w": "z"}]}})]
    for text in texts:
        try:
            root = clients._parse(candidate.fmt, text)
        except ParseError:
            continue
        if root is None:
            continue
        config = clients._dispatch(candidate, root) if root.is_object else None
        assert clients._whole_file(candidate, root, config) == _old_whole_file(candidate, root, config)
        checked += 1
    assert checked >= 3
