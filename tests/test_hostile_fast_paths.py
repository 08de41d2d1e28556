"""Fast paths for hostile single files (issue 16) give exactly what the code they replaced gave (that
code, or the plain form of it, is the oracle here), and skip the work they claim to skip (counted,
never timed).

Covered: the whole-text shape finder's first-character test (prefilter.first_chars), SecretMatch.hash
once per distinct value, SecretMatch.placement without the enum call, catalog.env_name's cache,
references (first syntax unmarked, absent syntaxes not searched), MCPG30x's silent-syntax skip, one
json.loads per large file, env.NAME field readings, a VS Code file's inputs read once per text, the
input uses of clients/vscode in one pass, the shared evidence of same-named servers and name pieces
in unjudged_matches (the in-place AWS key id fix: tests/fix/test_aws_pair_in_place.py).
bench/equivalence.py compares whole scans with an older revision; tests/test_linear_work.py counts
the work of the shapes that were N x N.
"""

from __future__ import annotations

import dataclasses
import re
import re._parser as sre_parse
import sys
from pathlib import Path

import pytest

from scanner import references
from scanner.clients import catalog
from scanner.engines import engine, longvalue
from scanner.engines.analyze import _shape_hit
from scanner.engines.engine import Placement, SecretMatch
from scanner.findings import value_hash
from scanner.pipeline import ScanOptions, scan_files
from scanner.providers.base import LEFT
from scanner.providers.prefilter import first_chars
from tests.matrix.secret_cases import all_cases

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from hostile import SHAPES, files_for  # noqa: E402

# --- first_chars -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("pattern", "expected"), [
    ("ghp_[A-Za-z0-9]{36}", {"g"}),
    ("(?:AKIA|ASIA)[A-Z0-9]{16}", {"A"}),
    ("x?y", {"x", "y"}),
    ("(?:ab|)c", {"a", "c"}),
    ("[0-9]{2,}:AA", set("0123456789")),
    ("(?<![a-z])(?=k)k", {"k"}),  # lookarounds consume nothing
    ("a*", None),  # can match the empty string: any position
    ("(?:a|)", None),
    ("(?i:a)b", None),  # case-insensitive part
    ("\\db", None),  # a category
    ("[^a]b", None),  # a negation
    (".b", None),
    ("(a)\\1", {"a"}),
])
def test_first_chars(pattern: str, expected: set[str] | None) -> None:
    found = first_chars(pattern)
    assert (None if found is None else set(found)) == expected


def test_first_chars_is_a_superset_on_real_matches() -> None:
    """Every match of every anchored shape in the secret corpus begins with one of its first chars."""
    _bounded, anchored, _finder = longvalue._shapes()
    bodies = [(p, first_chars(p.regex.pattern[len(LEFT):])) for _i, p in anchored]
    assert all(chars is not None for _p, chars in bodies)  # else the finder runs without the test
    seen = 0
    for case in all_cases():
        for pattern, chars in bodies:
            for match in pattern.regex.finditer(case.text):
                seen += 1
                assert case.text[match.start()] in chars  # type: ignore[operator]
    assert seen > 50


def _plain_finder() -> re.Pattern[str]:
    """The finder as it was: the lookahead union alone."""
    _bounded, anchored, _finder = longvalue._shapes()
    union = "|".join(f"(?:{p.regex.pattern[len(LEFT):]})" for _i, p in anchored)
    return re.compile(f"{LEFT}(?={union})")


def _texts() -> list[str]:
    texts = [case.text for case in all_cases()]
    for name in SHAPES:
        texts.extend(data.decode() for data in files_for(name, 16 * 1024).values())
    return texts


def test_finder_positions_equal_the_plain_union() -> None:
    plain = _plain_finder()
    _bounded, _anchored, finder = longvalue._shapes()
    assert finder.pattern != plain.pattern  # the first-character test is in
    total = 0
    for text in _texts():
        positions = [m.start() for m in finder.finditer(text)]
        assert positions == [m.start() for m in plain.finditer(text)]
        total += len(positions)
    assert total > 50


def test_shape_matches_equal_with_the_plain_finder(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    new = [[(pos, hit) for pos, hit in longvalue.shape_matches(text, None, _shape_hit)] for text in texts]
    bounded, anchored, _finder = longvalue._shapes()
    plain = _plain_finder()
    monkeypatch.setattr(longvalue, "_shapes", lambda: (bounded, anchored, plain))
    old = [[(pos, hit) for pos, hit in longvalue.shape_matches(text, None, _shape_hit)] for text in texts]
    assert new == old
    assert sum(map(len, new)) > 50


def test_shape_matches_equal_with_every_shape_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    # Only the shapes a match beginning with the character at a found position can be are tried
    # there; the oracle tries every anchored shape at every position (the bucket test off).
    texts = _texts()
    new = [[(pos, hit) for pos, hit in longvalue.shape_matches(text, None, _shape_hit)] for text in texts]
    _bounded, anchored, _finder = longvalue._shapes()
    monkeypatch.setattr(longvalue, "_by_first_char", lambda shapes: ({}, shapes))
    old = [[(pos, hit) for pos, hit in longvalue.shape_matches(text, None, _shape_hit)] for text in texts]
    assert new == old
    assert sum(map(len, new)) > 50


def test_each_found_position_tries_only_its_first_character_shapes() -> None:
    # 200 GitHub tokens used as keys: each found position tries the shapes that can begin with `g`
    # (about a tenth of the 143 anchored ones), not all of them.
    from tests.fakes import fake_token

    _bounded, anchored, _finder = longvalue._shapes()
    text = ",".join(f'"{fake_token("gh" + "p_", 36, i)}":"x"' for i in range(200))
    tried: list[int] = []

    class Counted(list[tuple[int, object]]):
        def __iter__(self):  # type: ignore[no-untyped-def]
            tried.append(len(self))
            return super().__iter__()

    by_first, unknown = longvalue._by_first_char(anchored)
    assert unknown == [] and set(by_first) >= {"g"}
    hits = list(longvalue.shape_matches(text, None, _shape_hit))
    assert len(hits) == 200
    bucket = by_first["g"]
    by_first["g"] = Counted(bucket)
    try:
        assert [hit for _pos, hit in longvalue.shape_matches(text, None, _shape_hit)] == \
            [hit for _pos, hit in hits]
    finally:
        by_first["g"] = bucket
    assert len(tried) == 200 and max(tried) <= len(anchored) // 5, (max(tried), len(anchored))


# --- SecretMatch.hash and .placement ---------------------------------------------------------------

def _dense_scan() -> list[SecretMatch]:
    from scanner.engines.builtin import BuiltinEngine
    from tests.engines.helpers import parse_files

    text = "".join(f'"KEY_{i}":"value{i}x{i}",' for i in range(300)).rstrip(",")
    configs, raw = parse_files({".mcp.json": '{"mcpServers":{"a":{"command":"x","env":{' + text + "}}}}"})
    return BuiltinEngine().detect(configs, raw)


def test_hash_is_value_hash_once_per_distinct_value(monkeypatch: pytest.MonkeyPatch) -> None:
    matches = _dense_scan()
    assert len(matches) > 250
    engine._HASHES.clear()
    calls: list[str] = []

    def counted(value: str) -> str:
        calls.append(value)
        return value_hash(value)

    monkeypatch.setattr(engine, "value_hash", counted)
    for _ in range(3):
        assert [m.hash for m in matches] == [value_hash(m.value) for m in matches]
    assert len(calls) == len({m.value for m in matches})


def test_hash_of_a_long_value_is_not_kept() -> None:
    match = _dense_scan()[0]
    long = dataclasses.replace(match, value="k" * (engine._HASHED_LEN + 1))
    engine._HASHES.clear()
    assert long.hash == value_hash(long.value)
    assert engine._HASHES == {}


def test_hash_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    match = _dense_scan()[0]
    monkeypatch.setattr(engine, "_HASHES_CAP", 10)
    engine._HASHES.clear()
    for i in range(25):
        assert dataclasses.replace(match, value=f"v{i}").hash == value_hash(f"v{i}")
        assert len(engine._HASHES) <= 10


def test_placement_equals_the_enum_call() -> None:
    match = _dense_scan()[0]
    for value in [*(p.value for p in Placement), "", "nowhere", "ENV"]:
        facts = (("placement", value),)
        got = dataclasses.replace(match, facts=facts).placement
        assert got is (Placement(value) if value in Placement._value2member_map_ else None)
    assert dataclasses.replace(match, facts=()).placement is None


# --- env_name's cache ------------------------------------------------------------------------------

def _env_name_reference(raw: str | None, fallback: str = "MCP_SECRET") -> str:
    """catalog.env_name as it was before its cache."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", raw or "").strip("_").upper()
    if not name:
        return fallback
    return name if not name[0].isdigit() else f"_{name}"


def test_env_name_cache_gives_the_uncached_names() -> None:
    names = [None, "", "KEY_1", "key-1", "1abc", "_1ABC", "__x__", "a b c", "ÄÖ", "api.key", "X" * 300,
             "___", "-", "9", "é"]
    for name in names:
        for fallback in ("MCP_SECRET", "TOKEN"):
            for _ in range(2):
                assert catalog.env_name(name, fallback) == _env_name_reference(name, fallback)
        assert catalog.env_name(name) == _env_name_reference(name)


def test_dense_file_normalises_each_env_name_once() -> None:
    """One secret finding per env key asks for its name twice (suggestion, then the reference):
    the second ask is a cache hit."""
    catalog._normalised_name.cache_clear()
    text = "".join(f'"KEY_{i}":"value{i}x{i}",' for i in range(200)).rstrip(",")
    files = {".mcp.json": ('{"mcpServers":{"a":{"command":"x","env":{' + text + "}}}}").encode()}
    result = scan_files(files, ScanOptions(root=Path("."), use_gitleaks=False, fingerprint_key="k" * 32))
    fixed = len([f for f in result.findings if f.fix is not None])
    assert fixed > 150
    info = catalog._normalised_name.cache_info()
    assert info.misses <= fixed + 5 and info.hits >= fixed


# --- references: the first matching syntax unchecked, marks only when a second one matches ---------

def _references_reference(text: str) -> tuple[references.RefMatch, ...]:
    """references._find_references as it was (every match checked against, and marking, the claims)."""
    claimed = bytearray(len(text))
    found: list[references.RefMatch] = []
    for syntax, pattern in references._PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if claimed.find(1, start, end) != -1:
                continue
            claimed[start:end] = b"\x01" * (end - start)
            found.append(references.RefMatch(syntax, match.group(1), start, end))
    found.sort(key=lambda ref: ref.start)
    return tuple(found)


_PIECES = ("${A}", "${env:B}", "$C", "%D%", "{env:E}", "${input:f}", "${file:x}", "${G:-d}", "$(op read x)",
           "op://v/i/f", "os.environ/H", "@NAME@", "${{ secrets.K }}", "${workspaceFolder}", "{file:y}",
           "plain", " ", "$", "{", "}", "%", "${", "$$", "\\$X", "${user_config.k}", "vault:a/b#c")


def test_find_references_equals_the_reference() -> None:
    import random

    rng = random.Random(16)
    texts = ["", "${A}" * 500, "$A" * 300, "${A}$B" * 200, *_PIECES]
    texts += ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    for text in texts:
        assert references._find_references(text) == _references_reference(text), text


def test_one_syntax_makes_no_claim_marks(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[int] = []

    class Counted(bytearray):
        def __init__(self, size: int) -> None:
            made.append(size)
            super().__init__(size)

    monkeypatch.setattr(references, "bytearray", Counted, raising=False)
    assert len(references._find_references("${A}" * 1000)) == 1000
    assert made == []
    assert len(references._find_references("${A}$B" * 10)) == 20
    assert made == [60]


def test_reference_needles_are_in_every_match() -> None:
    import random

    rng = random.Random(61)
    texts = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 30))) for _ in range(2000)]
    needled = references._needled()
    assert [(s, p) for s, p, _n in needled] == list(references._PATTERNS)
    assert sum(1 for _s, _p, needles in needled if needles) >= 10  # most patterns are gated
    seen = 0
    for text in [*_PIECES, *texts]:
        for _syntax, pattern, needles in needled:
            for match in pattern.finditer(text):
                seen += 1
                assert not needles or any(needle in match.group(0) for needle in needles)
    assert seen > 1000


# --- MCPG30x: a value of many references of silent syntaxes is passed over -------------------------

def test_value_issues_equal_the_per_reference_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    from scanner.clients.catalog import documents_references, resolved_syntaxes
    from scanner.model import Client, FieldValue, FileFormat, Location, McpConfig
    from scanner.rules import reference_syntax

    rng = random.Random(30)
    uniform = [piece * 40 for piece in _PIECES]
    mixed = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(17, 60))) for _ in range(150)]
    texts = [*uniform, *mixed, "${A}" * 20 + "${input:x}", "${A}" * 20 + "${env:B}"]
    clients = [c for c in Client if documents_references(c)]
    assert len(clients) > 5
    for client in clients:
        config = McpConfig("p.json", client, FileFormat.JSON, (), (), input_ids=("x",))
        resolved = resolved_syntaxes(client)
        for field in ("env.A", "args[0]", "command"):
            for text in texts:
                fv = FieldValue(field, text, Location("p.json", 1, 1), 1, 2)
                for shell in (False, True):
                    fast = list(reference_syntax._value_issues(config, None, fv, resolved, shell,
                                                               frozenset()))
                    with monkeypatch.context() as patched:
                        patched.setattr(reference_syntax, "_FEW_REFS", 10**9)
                        slow = list(reference_syntax._value_issues(config, None, fv, resolved, shell,
                                                                   frozenset()))
                    assert fast == slow


# --- jsonc: a large text is judged strict once ------------------------------------------------------

def test_large_text_is_json_loaded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from scanner.parsing import jsonc

    loads: list[int] = []
    real = json.loads

    def counted(text: str, **kwargs: object) -> object:
        loads.append(len(text))
        return real(text, **kwargs)

    monkeypatch.setattr(jsonc.json, "loads", counted)
    jsonc._STRICT_ANSWERS.clear()
    files = files_for("long_line", 200 * 1024)
    text = files[".cursor/mcp.json"].decode()
    assert "/" in text  # the comment search asks too
    scan_files(files, ScanOptions(root=Path("."), use_gitleaks=False, fingerprint_key="k" * 32))
    assert [n for n in loads if n >= len(text)] == [len(text)]
    # Answers equal json.loads' own, strict or not, large or small; at most two texts are kept.
    samples = (text, text[:-1], text + "//", '{"a": 1}', '{"a": 1,}', "[" * 10, text.replace(":", "=", 1))
    for sample in samples:
        jsonc._STRICT_ANSWERS.clear()
        for _ in range(2):
            assert jsonc._is_strict(sample) == jsonc._decide_strict(sample)
        assert len(jsonc._STRICT_ANSWERS) <= 2


# --- builtin: env.NAME fields read without the cache ------------------------------------------------

def test_field_reading_equals_the_cached_reading() -> None:
    from scanner.engines import builtin

    fields = ["env.A", "env.url", "env.A.url", "env.header", "env.HEADERS_X", "env.", "env.args[0]",
              "env.env_vars", "envs.A", "env[0]", "environment.A", "env_vars", "env_vars[0]", "args[1]",
              "command", "command[0]", "url", "headers.Authorization", "env.bearer_token", "bearer_token",
              "env.X.url.y", "env.Url", "env.command"]
    for field in fields:
        builtin._cached_reading.cache_clear()
        assert builtin._field_reading(field) == builtin._cached_reading(field), field


def test_env_fields_leave_the_reading_cache_alone() -> None:
    from scanner.engines import builtin

    builtin._cached_reading.cache_clear()
    for i in range(500):
        builtin._field_reading(f"env.KEY_{i}")
    assert builtin._cached_reading.cache_info().currsize == 0


# --- fix: a VS Code file's inputs read once per text ------------------------------------------------

def _vscode_input_edit_reference(config: object, source: str, name: str) -> object:
    """fix.build.vscode_input_edit as it was (the whole file parsed on every call)."""
    import json

    from scanner.clients.catalog import input_id
    from scanner.errors import ParseError
    from scanner.findings import TextEdit
    from scanner.parsing import parse_jsonc

    ident = input_id(name)
    if ident in config.input_ids:  # type: ignore[attr-defined]
        return True
    try:
        root = parse_jsonc(source)
    except ParseError:
        return None
    container = None
    for path in ((), ("mcp",), ("settings", "mcp"), ("customizations", "vscode", "mcp")):
        node = root
        for key in path:
            node = node.get(key) if node is not None and node.is_object else None
        if node is not None and node.is_object and node.get("servers") is not None:
            container = node
            break
    if container is None:
        return None
    entry = json.dumps({"type": "promptString", "id": ident, "description": name, "password": True})
    inputs = container.get("inputs")
    if inputs is not None and inputs.is_array:
        for item in inputs.items:
            item_id = item.get("id") if item.is_object else None
            if item_id is not None and item_id.value == ident:
                return True
        return TextEdit(config.path, inputs.line, inputs.column + 1, inputs.line,  # type: ignore[attr-defined]
                        inputs.column + 1, f"\n    {entry},")
    if inputs is not None:
        return None
    return TextEdit(config.path, container.line, container.column + 1, container.line,  # type: ignore[attr-defined]
                    container.column + 1, f'\n  "inputs": [\n    {entry}\n  ],')


_VSCODE_SOURCES = [
    '{"servers": {"a": {"command": "x"}}}',
    '{"inputs": [{"type": "promptString", "id": "api-key"}, {"id": 7}, {"id": null}, 3, [], {"x": 1}],'
    ' "servers": {}}',
    '{"inputs": {"id": "api-key"}, "servers": {}}',
    '{"inputs": [], "servers": {}}',
    '{"mcp": {"servers": {}, "inputs": [{"id": "token"}, {"id": "token", "id": "other"}]}}',
    '{"settings": {"mcp": {"servers": {}}}}',
    '{"customizations": {"vscode": {"mcp": {"servers": {}, "inputs": [{"id": "db-password"}]}}}}',
    '// a comment\n{"servers": {}, "inputs": [{"id": "api-key",},],}',
    '{"nothing": {}}',
    "not json at all",
    '{"servers": {}, "inputs": [{"id": "7"}]}',
]


def test_vscode_input_edit_equals_the_reference() -> None:
    from scanner.fix.build import vscode_input_edit
    from scanner.model import Client, FileFormat, McpConfig

    names = ["API_KEY", "token", "TOKEN", "OTHER", "DB_PASSWORD", "7", "x y", "NEW_ONE"]
    for declared in ((), ("api-key",)):
        config = McpConfig(".vscode/mcp.json", Client.VSCODE, FileFormat.JSONC, (), (), input_ids=declared)
        for source in _VSCODE_SOURCES:
            for _ in range(2):  # the second time from the kept layout
                for name in names:
                    assert vscode_input_edit(config, source, name) == \
                        _vscode_input_edit_reference(config, source, name), (source, name)


def test_vscode_file_is_parsed_once_for_all_its_fixes(monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner import parsing

    files = files_for("vscode_env_keys", 16 * 1024)
    text = files[".vscode/mcp.json"].decode()
    parses: list[int] = []
    real = parsing.parse_jsonc

    def counted(source: str) -> object:
        parses.append(len(source))
        return real(source)

    monkeypatch.setattr(parsing, "parse_jsonc", counted)
    result = scan_files(files, ScanOptions(root=Path("."), use_gitleaks=False, fingerprint_key="k" * 32))
    fixed = [f for f in result.findings if f.fix is not None and "${input:" in f.fix.description]
    assert len(fixed) > 300
    assert parses.count(len(text)) <= 2  # the scan's own parse and the fixes' one


# --- VS Code inputs: the credential name each input is used under, in one pass ----------------------

def _default_key_reference(item: object, ident: object, servers: list[object]) -> str:
    """clients.vscode._default_key as it was (every value scanned for every input's marker)."""
    from scanner.names import is_sensitive_name
    from scanner.parsing.node import NodeKind

    password = item.get("password")  # type: ignore[attr-defined]
    if password is not None and password.kind is NodeKind.BOOL and password.value is True:
        return "password"
    name = str(ident.value) if ident is not None and ident.is_string else ""  # type: ignore[attr-defined]
    if name:
        marker = "${input:" + name + "}"
        for server in servers:
            for fv in (*server.env, *server.headers, *server.values):  # type: ignore[attr-defined]
                if fv.key and marker in fv.text and is_sensitive_name(fv.key):
                    return str(fv.key)
        if is_sensitive_name(name):
            return name
    return "default"


def test_input_default_keys_equal_the_reference() -> None:
    import json
    import random

    from scanner.clients import vscode
    from scanner.clients.mcpservers import servers_of
    from scanner.model import Client
    from scanner.parsing import parse_jsonc

    rng = random.Random(92)
    ids = ["a", "b", "gh", "b}", "${input:a", "", "x y", "api_key", "TOKEN", "a}b", "}", "c"]
    keys = ["GITHUB_TOKEN", "LOG_LEVEL", "API_KEY", "key", "Authorization", "MODE"]

    def text() -> str:
        return "".join(rng.choice(["${input:" + rng.choice(ids) + "}", "${input:", "}", "x", "${env:Q}"])
                       for _ in range(rng.randint(0, 4)))

    checked = 0
    for _ in range(300):
        inputs = [{"id": rng.choice(ids), **({"password": rng.random() < 0.2} if rng.random() < 0.5 else {})}
                  for _ in range(rng.randint(0, 6))]
        servers = {f"s{j}": {"command": "x", "env": {rng.choice(keys): text() for _ in range(3)},
                             "headers": {rng.choice(keys): text()}, "url": text()}
                   for j in range(rng.randint(0, 3))}
        root = parse_jsonc(json.dumps({"inputs": inputs, "servers": servers}))
        entries = servers_of(".vscode/mcp.json", root.get("servers"), Client.VSCODE)
        used = vscode._InputUses(entries)
        for item in root.get("inputs").items:
            ident = item.get("id")
            assert vscode._default_key(item, ident, used) == _default_key_reference(item, ident, entries)
            checked += 1
    assert checked > 500


class _CountedText(str):
    """A value text that counts the substring tests made on it."""

    tests = 0

    def __contains__(self, other: object) -> bool:
        _CountedText.tests += 1
        return super().__contains__(other)  # type: ignore[operator]


def test_input_uses_read_each_value_once() -> None:
    from scanner.clients import vscode
    from scanner.model import Client, FieldValue, Location, ServerEntry, Transport
    from scanner.parsing import parse_jsonc

    n = 300
    env = tuple(FieldValue(f"env.K_{i}", _CountedText(f"${{input:k-{i}}}"), Location("p", 1, 1), 1, 2,
                           key=f"API_KEY_{i}") for i in range(n))
    server = ServerEntry("a", Client.VSCODE, Location("p", 1, 1), Transport.STDIO, None, (), env, None, (),
                         None, (), env, (), False)
    items = parse_jsonc(str([{"id": f"k-{i}"} for i in range(n)]).replace("'", '"')).items
    used = vscode._InputUses([server])
    _CountedText.tests = 0
    keys = [vscode._default_key(item, item.get("id"), used) for item in items]
    assert keys == [f"API_KEY_{i}" for i in range(n)]
    assert _CountedText.tests <= 2 * n  # one pass (env and values); the per-input scan made n * n


# --- environment: servers sharing a name share their secrets' evidence ------------------------------

def _claude_projects(n: int) -> dict[str, bytes]:
    from tests.fakes import fake_token

    projects = {f"/p{i}": {"mcpServers": {"a": {"command": "x", "env": {
        "DATABASE_URL": f"postgres://app:{fake_token('', 20, i)}@db{i % 3}.prod.example.com/app",
        "STRIPE_KEY": fake_token("sk_" + "live_", 24, i) if i % 2 else fake_token("sk_" + "test_", 24, i),
        "GITHUB_TOKEN": fake_token("ghp_", 36, i)}}}} for i in range(n)}
    import json

    return {".claude.json": json.dumps({"projects": projects}).encode()}


def test_shared_name_evidence_equals_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner import environment
    from scanner.engines.builtin import BuiltinEngine
    from scanner.environment import ScanEvidence, classify, server_evidence
    from tests.engines.helpers import parse_files

    files = _claude_projects(12)
    configs, raw = parse_files({p: d.decode() for p, d in files.items()})
    secrets = BuiltinEngine().detect(configs, raw)
    assert len(configs[0].servers) == 12 and len(secrets) >= 30
    calls: list[object] = []
    real = environment._secret_evidence

    def counted(match: object, policy: object, memo: object) -> object:
        calls.append(match)
        return real(match, policy, memo)  # type: ignore[arg-type]

    monkeypatch.setattr(environment, "_secret_evidence", counted)
    shared = ScanEvidence(secrets, None)
    with_key_evidence = 0
    for config in configs:
        for server in config.servers:
            got = shared.server(config, server)
            with_key_evidence += any(e.kind in ("key", "host") for e in got)
    assert len(calls) == len([m for m in secrets if m.server is not None])  # once per match, not per server
    monkeypatch.setattr(environment, "_secret_evidence", real)
    for config in configs:
        for server in config.servers:
            own = [m for m in secrets if m.server is not None and m.config.path == config.path
                   and m.server.name == server.name]
            assert shared.server(config, server) == server_evidence(config, server, own, None)
    assert with_key_evidence == 12
    assert classify(configs, secrets, None, shared) == classify(configs, secrets, None)


# --- unjudged: a token that is a piece of a name needs no walk over the names -----------------------

def test_name_pieces_are_substrings_of_names() -> None:
    import random

    from scanner.engines import unjudged

    rng = random.Random(68)
    alphabet = ["env", ".", "[", "]", "0", "ghp_x", "a", "b.c", "-", "KEY"]
    names = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(400)]
    pieces = unjudged._name_pieces(names)
    assert all(any(piece in name for name in names) for piece in pieces)
    assert {"env", "ghp_x", "KEY"} <= pieces
    probes = [*pieces, *("".join(rng.choice(alphabet) for _ in range(3)) for _ in range(400))]
    for probe in probes:
        assert (probe in pieces or any(probe in n for n in names)) == any(probe in n for n in names)


@pytest.mark.parametrize(("body", "head"), [
    ("ghp_[A-Za-z0-9]{36}", "g"), ("sk-(?:a|b)x", "s"), ("ab|ac", None), ("a+b", None), ("a?b", None),
    ("a{2}b", None), ("[ab]c", None), ("(?:AKIA|ASIA)[A-Z]", None), ("\\.x", None), ("a", None),
])
def test_literal_head_only_when_the_body_is_that_character_then_the_rest(body: str, head: str | None) -> None:
    assert longvalue._literal_head(body) == head
    if head is not None:
        assert re.compile(body).pattern == head + body[1:]


def test_the_finder_groups_the_shapes_by_first_character() -> None:
    _bounded, anchored, finder = longvalue._shapes()
    heads = [longvalue._literal_head(p.regex.pattern[len(LEFT):]) for _i, p in anchored]
    assert sum(head is not None for head in heads) > 150  # most shapes start with a literal character
    union = longvalue._grouped_union([p.regex.pattern[len(LEFT):] for _i, p in anchored])
    assert union in finder.pattern
    # One top-level branch per first character (plus the ungrouped shapes), not one per shape.
    (op, (_none, alternatives)), = sre_parse.parse(union).data
    assert op is sre_parse.BRANCH
    assert len(alternatives) == len(set(filter(None, heads))) + heads.count(None) < len(anchored) / 3
