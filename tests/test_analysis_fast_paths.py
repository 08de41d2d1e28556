"""The per-server, per-value and per-finding fast paths after parsing give exactly what the code they
replaced gave (that code is kept here as the oracle), and skip the work they claim to skip (counted,
never timed).

Covered: Finding.with_blocking (the constructor instead of dataclasses.replace), grade() (one
startswith over every prefix first), the output guard's escaped form (made only when json.dumps
escapes something), ValueDigester.prime (is_random and the budget judged once per value: the same
digests and the same budget as digesting one by one), suggest_env_name's env-key shortcut, the
lazily made value spans of unjudged_matches, long_value_warnings' length-first walk, classify's
no-evidence shortcut and capability(urls=False) for the MCPG201 pre-check. bench/equivalence.py
compares whole scans with an older revision.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from scanner import fingerprints, output_guard
from scanner.engines import longvalue, unjudged
from scanner.engines.builtin import BuiltinEngine, suggest_env_name
from scanner.engines.builtin import _suggested as _suggest_reference  # the rule without its shortcut
from scanner.engines.engine import Hit
from scanner.environment import ScanEvidence, classify, decide, file_evidence, server_evidence
from scanner.findings import Finding, Fix, TextEdit
from scanner.fingerprints import SECRET_CONTEXT, ValueDigester
from scanner.model import Category, Environment, FieldValue, Location, McpConfig, Severity
from scanner.pipeline import ScanOptions, scan_files
from scanner.policy import Policy, parse_policy
from scanner.providers import grading
from scanner.providers.grading import Grade, grade
from scanner.rules._capability import capability
from scanner.rules.prod_env import _EXPLICIT_WRITE
from tests.engines.helpers import parse_files
from tests.fakes import fake_token
from tests.matrix.env_configs import generated
from tests.matrix.prod_cases import build, cases


def _scans() -> Iterator[tuple[str, list[McpConfig], dict[str, bytes], Policy | None]]:
    for case in cases():
        configs, _matches, sources = build(case)
        policy = parse_policy(case.policy, ".mcp-guard.yml") if case.policy else None
        yield case.name, configs, {p: t.encode() for p, t in sources.items()}, policy
    for name, files, policy_text in generated(120, seed=23):
        configs, raw = parse_files({p: d.decode() for p, d in files.items()})
        yield name, configs, raw, parse_policy(policy_text, ".mcp-guard.yml") if policy_text else None


# --- Finding.with_blocking -------------------------------------------------------------------------

def _finding(rng: random.Random) -> Finding:
    loc = Location(f"p{rng.randint(0, 9)}.json", rng.randint(1, 99), rng.randint(1, 99))
    fix = Fix("replace", (TextEdit(loc.path, 1, 2, 3, 4, "${X}"),))
    return Finding(
        rule_id=f"MCPG{rng.randint(100, 399)}", category=rng.choice(list(Category)),
        severity=rng.choice(list(Severity)), location=loc, client="cursor", server=rng.choice([None, "s"]),
        field="env.X", environment=rng.choice(list(Environment)), secret_type=rng.choice([None, "t"]),
        redacted=rng.choice([None, "****"]), fingerprint=f"{rng.random()}", message="m",
        blocking=rng.random() < 0.5, evidence=("e",), related=(loc,), fix=rng.choice([None, fix]),
        history_only=rng.random() < 0.5, details=(("k", "v"),), legacy_fingerprints=("l",))


def test_with_blocking_equals_dataclasses_replace() -> None:
    rng = random.Random(3)
    for _ in range(300):
        finding = _finding(rng)
        for fail_on in (None, *Severity):
            expected = dataclasses.replace(
                finding, blocking=fail_on is not None and finding.severity >= fail_on)
            got = finding.with_blocking(fail_on)
            assert got == expected
            assert [getattr(got, f.name) for f in dataclasses.fields(Finding)] == \
                [getattr(expected, f.name) for f in dataclasses.fields(Finding)]


# --- grade -----------------------------------------------------------------------------------------

def _grade_reference(value: str, secret_type: str | None = None) -> Grade:
    claims = grading._jwt_claims(value)
    if claims is not None:
        return grade(value, secret_type)  # the JWT branch is unchanged
    for prefix, lifetime, scope, reason in grading._PREFIXES:
        if value.startswith(prefix):
            return Grade(lifetime, scope, reason)
    if secret_type in ("db-password", "password"):
        return Grade("long-lived", "", "password: valid until changed")
    if secret_type == "aws-secret-access-key":
        return Grade("long-lived", "", "AWS secret access key: paired with a key id, valid until deactivated")
    return Grade("unknown", "", "the shape does not tell its lifetime: treat it as long-lived")


def _jwt_claims_reference(value: str) -> dict[str, object] | None:
    import base64
    import binascii

    parts = value.split(".")
    if len(parts) != 3 or not value.startswith("eyJ"):
        return None
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return claims if isinstance(claims, dict) else None


def test_grade_equals_the_per_prefix_loop() -> None:
    import base64

    values = [prefix + fake_token("", 30, i) for i, (prefix, *_rest) in enumerate(grading._PREFIXES)]
    values += [prefix[:-1] + "x" for prefix, *_rest in grading._PREFIXES]  # one character short
    values += ["", "x", "value12", "eyJ", "eyJa.b", "eyJa.b.c.d", fake_token("", 40, 99)]
    header = base64.urlsafe_b64encode(b'{"alg":"HS256"}').decode().rstrip("=")
    for claims in ({"role": "anon"}, {"exp": 5, "iat": 1}, [1], "x"):
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
        values.append(f"{header}.{body}.{fake_token('', 20, 5)}")
    for value in values:
        assert grading._jwt_claims(value) == _jwt_claims_reference(value)
        for secret_type in (None, "db-password", "password", "aws-secret-access-key", "github-pat"):
            assert grade(value, secret_type) == _grade_reference(value, secret_type)


# --- the output guard's escaped form ---------------------------------------------------------------

def test_escape_check_agrees_with_json_dumps_for_every_bmp_character() -> None:
    for code in range(0x10000):
        char = chr(code)
        escaped = json.dumps(char, ensure_ascii=False)[1:-1] != char
        assert escaped == bool(output_guard._JSON_ESCAPED.search(char)), hex(code)


def _reference_registry(values: list[str]) -> tuple[set[str], set[str], set[str]]:
    piece = output_guard.PIECE
    pieces: set[str] = set()
    short: set[str] = set()
    alphabet: set[str] = set()
    for value in values:
        if not value:
            continue
        forms = {value, json.dumps(value, ensure_ascii=False)[1:-1], quote(value, safe="")}
        raw = value.encode()
        for skip in (0, 1, 2) if len(raw) >= piece else ():  # base64 at each byte alignment
            encoded = base64.b64encode(raw[skip:skip + (len(raw) - skip) // 3 * 3]).decode()
            forms |= {encoded, encoded.translate(str.maketrans("+/", "-_"))}
        for form in ("".join(c.lower() if "A" <= c <= "Z" else c for c in f) for f in forms):
            if len(form) >= piece:
                pieces.update(form[i:i + piece] for i in range(len(form) - piece + 1))
                alphabet.update(form)
            elif len(form) >= output_guard.MIN_WHOLE:
                short.add(form)
    return pieces, short, alphabet


def test_registered_secrets_equal_the_reference_registry() -> None:
    values = [fake_token("ghp_", 36, 1), 'pa"ss\\word\n12345', "short", "12345678", "tab\there1",
              "ünïcødé-sécret-välue", "", fake_token("ghp_", 36, 1), "x" * 11 + '"']
    output_guard.reset()
    output_guard.register_secrets(values)
    registry = output_guard._REGISTRY
    assert (registry.pieces, registry.short, registry.alphabet) == _reference_registry(values)


# --- ValueDigester.prime ---------------------------------------------------------------------------

@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    calls: list[bytes] = []
    real = hashlib.scrypt

    def counting(data: bytes, **kwargs: object) -> bytes:
        calls.append(data)
        return real(data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fingerprints.hashlib, "scrypt", counting)
    _fresh(monkeypatch)
    return calls


def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fingerprints, "_SHARED", {})
    monkeypatch.setattr(fingerprints, "_SLOW", {})
    monkeypatch.setattr(fingerprints, "_RESERVED", set())
    monkeypatch.setattr(fingerprints, "_STATE", {"slow_used": 0})


def _values() -> list[str]:
    weak = [f"Winter{2000 + i}!" for i in range(7)]
    random_ = [fake_token("ghp_", 36, i) for i in range(3)]
    return [weak[0], random_[0], weak[1], weak[2], random_[1], weak[0], weak[3], weak[4], random_[2],
            weak[5], weak[6], weak[3]]


def _reference_digest(value: str, context: str) -> str:
    """The digest the old one-value path gave (no prime): the scheme of scanner/fingerprints.py."""
    cache_key = (value, context)
    if cache_key in fingerprints._SLOW:
        return fingerprints._SLOW[cache_key]
    if fingerprints.is_random(value):
        return fingerprints._random_digest(value, context)
    if fingerprints._reserve_slow(value, context):
        return fingerprints._SLOW.setdefault(cache_key, fingerprints._scrypt_digest(value, context))
    key, scheme = fingerprints._EPHEMERAL_KEY, fingerprints.SCHEME_EPHEMERAL
    return fingerprints._hmac_digest(key, value, context, scheme)


@pytest.mark.parametrize("budget", [100, 4])
def test_prime_gives_what_digesting_one_by_one_gives(monkeypatch: pytest.MonkeyPatch,
                                                      scrypt_calls: list[bytes], budget: int) -> None:
    monkeypatch.setattr(fingerprints, "SLOW_BUDGET", budget)
    values = _values()
    expected = [_reference_digest(v, SECRET_CONTEXT) for v in values]
    reference_calls = len(scrypt_calls)

    _fresh(monkeypatch)
    scrypt_calls.clear()
    digester = ValueDigester()
    digester.prime(values, SECRET_CONTEXT)
    got = [digester.digest(v, SECRET_CONTEXT) for v in values]
    assert got == expected  # ephemeral ones too: the key is per process, the same here
    assert len(scrypt_calls) == reference_calls == min(budget, 7)
    assert fingerprints._STATE["slow_used"] == min(budget, 7)
    digester.prime(values, SECRET_CONTEXT)  # a second prime finds everything, computes nothing
    ValueDigester().prime(values, SECRET_CONTEXT)
    assert len(scrypt_calls) == reference_calls


def test_prime_with_a_key_costs_no_scrypt(scrypt_calls: list[bytes]) -> None:
    digester = ValueDigester("k")
    digester.prime(_values(), SECRET_CONTEXT)
    assert not scrypt_calls
    assert all(digester.digest(v, SECRET_CONTEXT).startswith("v2-hmac:") for v in _values())


def test_hmac_digest_is_the_documented_formula() -> None:
    import hmac as hmac_module

    value = "Winter2024!"
    message = SECRET_CONTEXT.encode() + b"\0" + value.encode()
    mac = hmac_module.new(b"key", message, hashlib.sha256).hexdigest()
    assert ValueDigester("key").digest(value, SECRET_CONTEXT) == f"v2-hmac:{mac}"


# --- suggest_env_name ------------------------------------------------------------------------------

def test_suggest_env_name_equals_the_reference() -> None:
    names = [None, "", "API_KEY", "api_key", "KEY_1", "LOG_LEVEL", "X-Api-Key", "Authorization",
             "my token", "DB_URL", "GITHUB_TOKEN", "1BAD", "secret"]
    loc = Location("a.json", 1, 1)
    checked = 0
    for name in names:
        for key in names:
            fv = FieldValue(f"env.{key}", "v", loc, 1, 2, key) if key is not None else None
            for placement in ("env", "dotenv", "args", "header", "file"):
                for secret_type, provider in (("generic-secret", "generic"), ("db-password", "postgres"),
                                              ("github-pat", "github")):
                    hit = Hit("v", secret_type, provider, Severity.HIGH, "d", "****", name)
                    for server in (None, "my-server", "API"):
                        assert suggest_env_name(server, hit, fv, placement) == \
                            _suggest_reference(server, hit, fv, placement)
                        checked += 1
    assert checked > 1000


# --- unjudged_matches: spans made lazily, equal to the reference -----------------------------------

def _spans_reference(config: McpConfig, line_starts: list[int], length: int) -> list[tuple[int, int]]:
    def offset(line: int, column: int) -> int:
        if line < 1 or line > len(line_starts):
            return length
        return min(length, line_starts[line - 1] + max(column, 1) - 1)

    raw = sorted((offset(fv.location.line, fv.location.column), offset(fv.end_line, fv.end_column))
                 for fv in unjudged._values(config) if fv.location.path == config.path)
    merged: list[tuple[int, int]] = []
    for start, end in raw:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, max(start, end)))
    return merged


def test_value_spans_equal_the_reference() -> None:
    import re

    checked = 0
    for _name, configs, sources, _policy in _scans():
        for config in configs:
            text = sources[config.path].decode("utf-8", "replace").removeprefix("\ufeff")
            line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
            for length in (len(text), len(text) // 2):
                assert unjudged._value_spans(config, line_starts, length) == \
                    _spans_reference(config, line_starts, length)
            checked += 1
    assert checked > 100


def test_spans_are_made_only_when_a_token_shape_appears(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real = unjudged._value_spans

    def counting(config: McpConfig, line_starts: list[int], length: int) -> list[tuple[int, int]]:
        made.append(config.path)
        return real(config, line_starts, length)

    monkeypatch.setattr(unjudged, "_value_spans", counting)
    servers = {f"s{i}": {"command": f"x{i}", "env": {"LOG_LEVEL": "info"}} for i in range(200)}
    plain = json.dumps({"mcpServers": servers})
    configs, sources = parse_files({".mcp.json": plain})
    assert BuiltinEngine().detect(configs, sources) == []
    assert made == []
    token = fake_token("ghp_", 36, 4)
    servers["s7"]["env"] = {token: "x"}  # a token used as a name: outside every value
    configs, sources = parse_files({".mcp.json": json.dumps({"mcpServers": servers})})
    found = BuiltinEngine().detect(configs, sources)
    assert made == [".mcp.json"]
    assert [m.value for m in found] == [token]


# --- long_value_warnings ---------------------------------------------------------------------------

def test_long_values_are_the_long_ones_of_the_reference_walk() -> None:
    big = "a b " * (longvalue.MAX_TEXT // 3)
    servers = {"a": {"command": "x", "args": [big, "y"], "env": {"K": big, "L": "short"}},
               "b": {"url": "https://x.example/" + "p" * (longvalue.MAX_TEXT + 5)}}
    configs, _sources = parse_files({".mcp.json": json.dumps({"mcpServers": servers})})
    for config in [*configs, *(c for _n, cs, _s, _p in _scans() for c in cs)]:
        expected = [(w, fv) for w, fv in longvalue._values(config) if len(fv.text) > longvalue.MAX_TEXT]
        assert list(longvalue._long_values(config)) == expected
    assert len(list(longvalue._long_values(configs[0]))) == 3


# --- classify's no-evidence shortcut ---------------------------------------------------------------

def test_classify_equals_deciding_every_server() -> None:
    checked = 0
    for name, configs, sources, policy in _scans():
        secrets = BuiltinEngine().detect(configs, sources)
        file_env, server_env = classify(configs, secrets, policy, ScanEvidence(secrets, policy))
        for config in configs:
            file_verdict = decide(file_evidence(config, policy))
            assert file_env[config.path] == file_verdict, name
            for server in config.servers:
                own = [m for m in secrets if m.server is not None and m.config.path == config.path
                       and m.server.name == server.name]
                verdict = decide([e for e in server_evidence(config, server, own, policy) if e.kind != "key"])
                if verdict.environment is Environment.UNKNOWN and not verdict.unknown_remote:
                    verdict = file_verdict
                assert server_env[(config.path, server.name)] == verdict, name
                checked += 1
    assert checked > 300


# --- capability(urls=False): the MCPG201 pre-check -------------------------------------------------

def test_explicit_writes_never_come_from_urls() -> None:
    urls = ["https://mcp.supabase.com/mcp?project_ref=x", "https://mcp.supabase.com/mcp?read_only=true",
            "postgres://readonly:${P}@db.internal/app", "postgres://app:${P}@db.internal/app?readonly=1"]
    extra = json.dumps({"mcpServers": {f"u{i}": {"url": u, "args": ["--read-only", u],
                                                 "env": {"DB_URL": u, "READ_ONLY": "false"}}
                                       for i, u in enumerate(urls)}})
    configs, _sources = parse_files({".cursor/mcp.json": extra})
    checked = 0
    for config in [*configs, *(c for _n, cs, _s, _p in _scans() for c in cs)]:
        for server in config.servers:
            full = capability(config, server)
            without = capability(config, server, urls=False)
            assert [w for w in full.write if _EXPLICIT_WRITE.match(w)] == \
                [w for w in without.write if _EXPLICIT_WRITE.match(w)]
            assert set(without.write) <= set(full.write)
            checked += 1
    assert checked > 300


# --- fix: the values outside the MCP section as a set -------------------------------------------

def test_value_set_membership_is_the_tuples() -> None:
    from scanner.fix.build import _value_set

    loc = Location("a.json", 1, 1)
    values = tuple(FieldValue(f"f{i}", f"t{i % 3}", Location("a.json", i, 1), i, 5, "k")
                   for i in range(1, 40))
    probes = [*values, FieldValue("f1", "t1", Location("a.json", 1, 1), 1, 5, "k"),  # equal, not identical
              FieldValue("f1", "t0", loc, 1, 5, "k"), FieldValue("g", "t", loc, 1, 1)]
    for tup in (values, values[:1], ()):
        for fv in probes:
            assert (fv in _value_set(tup)) == (fv in tup)
    assert _value_set(values) is _value_set(values)


# --- a findings-dense file: every finding's parts once, no replace() per finding -------------------

def test_dense_file_makes_no_dataclass_copy_per_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from hostile import files_for

    copies: list[object] = []
    real = dataclasses.replace

    def counting(obj: object, /, **changes: object) -> object:
        copies.append(type(obj))
        return real(obj, **changes)  # type: ignore[type-var]

    monkeypatch.setattr(dataclasses, "replace", counting)
    files = files_for("env_keys", 16 * 1024)
    result = scan_files(files, ScanOptions(root=Path("."), use_gitleaks=False, fail_on=Severity.LOW))
    assert len(result.findings) > 500 and all(f.blocking for f in result.findings)
    assert Finding not in copies


def test_server_secrets_is_secrets_of_without_the_copy() -> None:
    for _name, configs, sources, policy in _scans():
        secrets = BuiltinEngine().detect(configs, sources)
        evidence = ScanEvidence(secrets, policy)
        for config in configs:
            for server in config.servers:
                assert list(evidence.server_secrets(config, server)) == evidence.secrets_of(config, server)


def test_line_index_is_made_once_per_text_object() -> None:
    from scanner.fix import build

    text = "a\nbb\nccc\n" * 50
    first = build._line_index(text)
    assert build._line_index(text) is first
    equal = "".join(list(text))  # equal value, another object: its own index, the same positions
    assert equal is not text
    other = build._line_index(equal)
    assert other.starts == first.starts


def _later_line_reference(text: str) -> int | None:
    content = False
    line = 0
    for line, raw in enumerate(text.split("\n")):
        if unjudged._DOC_MARKER.match(raw):
            if content:
                return line
            continue
        stripped = raw.strip()
        if stripped and not stripped.startswith(("#", "%")):
            content = True
    return None


def test_later_yaml_documents_line_equals_the_line_walk() -> None:
    heads = ["", "---\n", "# c\n", "%YAML 1.2\n---\n", "a: 1\n"]
    markers = ["---", "--- ", "---\t", "---x", "----", "...", "... ", "---\r", " ---", "-- -", "--- a: 1"]
    tails = ["", "\n", "\nb: 2\n", "\n# only a comment\n"]
    configs, _sources = parse_files({".config/goose/config.yaml": "extensions: {}\n"})
    config = configs[0]
    checked = 0
    for head in heads:
        for marker in markers:
            for middle in ("", "x: 1\n", "\n\n"):
                for tail in tails:
                    text = head + middle + marker + tail
                    assert unjudged._later_documents_line(config, text) == _later_line_reference(text), text
                    checked += 1
    assert checked > 500
