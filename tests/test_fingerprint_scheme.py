"""The fingerprint scheme (scanner/fingerprints.py): a fast digest only for demonstrably random
values, scrypt for every other value within a per-process budget, ephemeral fingerprints past it
(reported and gating, never suppressible, never written to a baseline), and v2 baselines/ignores
that keep matching. Values are built at run time; outputs pass the raising output boundary."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scanner import fingerprints
from scanner.cli import main
from scanner.fingerprints import SECRET_CONTEXT, ValueDigester, is_random
from tests.conftest import git
from tests.fakes import fake_hex, fake_token


def _cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Counts scrypt calls, starting from empty process caches (a fresh run)."""
    calls: list[bytes] = []
    real = hashlib.scrypt

    def counting(data: bytes, **kwargs: object) -> bytes:
        calls.append(data)
        return real(data, **kwargs)

    monkeypatch.setattr(fingerprints.hashlib, "scrypt", counting)
    for name in ("_SHARED", "_SLOW", "_NOTED", "_RANDOM_VALUES", "_V2_CACHE"):
        monkeypatch.setattr(fingerprints, name, {})
    return calls


# --- the classifier ---------------------------------------------------------------------------------

def test_random_provider_tokens_and_long_hex_are_random() -> None:
    tokens = [fake_token("ghp_", 36, seed) for seed in range(200)]
    b64 = [base64.b64encode(random.Random(seed).randbytes(32)).decode() for seed in range(200)]
    urlsafe = [base64.urlsafe_b64encode(random.Random(seed).randbytes(30)).decode() for seed in range(200)]
    hex64 = [fake_hex(64, seed) for seed in range(200)]
    # Conservative on purpose: a random value that happens to look less random stays on scrypt.
    for population in (tokens, b64, urlsafe, hex64):
        assert sum(map(is_random, population)) >= 0.9 * len(population)


@pytest.mark.parametrize("value", [
    "CorrectHorseBatteryStapleMountain",  # a dictionary passphrase: long, but words
    "correct-horse-battery-staple-mountain-river",
    "Summer" + str(2024) + "!",  # a symbol: not a token alphabet, and short
    "Tr0ub4dor" + "Tr0ub4dor" + "Tr0ub4dor",  # repeated
    string.ascii_letters[:40],  # a keyboard sequence has every character once
    string.digits * 4,
    "7" * 48,
    "1234567890" + "0987654321" + "1357913579",  # digits only
])
def test_weak_values_stay_on_scrypt(value: str, scrypt_calls: list[bytes]) -> None:
    assert not is_random(value)
    assert ValueDigester().digest(value, SECRET_CONTEXT).startswith("v2-scrypt:")
    assert len(scrypt_calls) == 1


@pytest.mark.parametrize("value", [
    fake_token("", 20, 1),  # short random: fewer than 128 bits shown
    fake_token("", 23, 2),
    fake_hex(32, 3),  # 32 hex: 128 bits at best, not "far beyond"
    fake_token("", 40, 4, string.ascii_lowercase),  # one case only: not uniform over the alphabet
])
def test_short_or_narrow_random_values_stay_on_scrypt(value: str) -> None:
    assert not is_random(value)


def _jwt(signature: str) -> str:
    def part(doc: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(doc).encode()).decode().rstrip("=")
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'role': 'service_role', 'iss': 'x'})}.{signature}"


def test_signed_jwt_is_random_by_its_signature_alone() -> None:
    signatures = [base64.urlsafe_b64encode(random.Random(s).randbytes(32)).decode().rstrip("=")
                  for s in range(100)]
    assert sum(is_random(_jwt(sig)) for sig in signatures) >= 90
    # The header and payload are guessable: a JWT with a short or made-up signature is not random.
    assert not is_random(_jwt("c2lnbmF0dXJl"))
    assert not is_random(_jwt(string.ascii_letters[:43]))


def test_uuid_and_values_with_other_characters_stay_on_scrypt() -> None:
    import uuid

    assert not any(is_random(str(uuid.UUID(int=random.Random(s).getrandbits(128)))) for s in range(50))
    token = fake_token("", 40, 7)
    assert is_random(token)
    assert not is_random(token[:20] + "!" + token[20:])  # a character outside the token alphabets
    assert not is_random("postgres://app:" + token + "@db.example.com/app")


def test_long_values_are_judged_by_a_bounded_prefix() -> None:
    blob = base64.b64encode(random.Random(9).randbytes(3 * 1024 * 1024)).decode()
    assert is_random(blob)
    assert not is_random("A" * 5000 + blob)  # a guessable prefix is not evidence of randomness


def test_random_digest_is_the_documented_formula(scrypt_calls: list[bytes]) -> None:
    value = fake_token("ghp_", 36, 5)
    assert is_random(value)
    expected = hashlib.sha256(b"mcp-guard/fingerprint/v3-random\0" + SECRET_CONTEXT.encode() + b"\0"
                              + value.encode()).hexdigest()
    assert ValueDigester().digest(value, SECRET_CONTEXT) == f"v3-random:{expected}"
    assert scrypt_calls == []


# --- scans through the CLI --------------------------------------------------------------------------

def _repo(tmp_path: Path, servers: dict[str, dict[str, str]],
          policy: dict[str, Any] | None = None) -> Path:
    root = tmp_path / "repo"
    root.mkdir(exist_ok=True)
    if not (root / ".git").exists():
        git(root, "init", "-q")
    config = {"mcpServers": {name: {"command": "npx", "args": ["-y", "svc-mcp"], "env": env}
                             for name, env in servers.items()}}
    (root / ".mcp.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    if policy is not None:
        (root / ".mcp-guard.yml").write_text(json.dumps(policy) + "\n", encoding="utf-8")
    git(root, "add", "-A")
    return root


def _scan(root: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any], str]:
    code, out, err = _cli("scan", "--no-gitleaks", "--format", "json", *extra, str(root), env=env)
    assert out, err
    return code, json.loads(out), err


def _secrets(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in doc["findings"] if f["category"] == "secret"]


def _weak_servers(count: int) -> dict[str, dict[str, str]]:
    return {f"db{i}": {"DATABASE_URL": f"postgres://app:Autumn{1990 + i}x@db{i}.internal.example.com/app"}
            for i in range(count)}


def _token_servers(count: int) -> dict[str, dict[str, str]]:
    return {f"gh{i}": {"GITHUB_TOKEN": fake_token("ghp_", 36, 300 + i)} for i in range(count)}


def test_random_tokens_cost_no_scrypt_and_are_stable(tmp_path: Path, scrypt_calls: list[bytes]) -> None:
    servers = {name: env for name, env in _token_servers(4).items()
               if is_random(env["GITHUB_TOKEN"])}
    root = _repo(tmp_path, servers)
    code, doc, _ = _scan(root)
    assert code == 1 and len(_secrets(doc)) == len(servers) >= 3
    assert scrypt_calls == []
    assert all(f["fingerprint_stable"] for f in _secrets(doc))
    for name in ("_SHARED", "_NOTED", "_RANDOM_VALUES"):  # a new process
        setattr(fingerprints, name, {})
    assert [f["fingerprint"] for f in _secrets(_scan(root)[1])] == [f["fingerprint"] for f in _secrets(doc)]


def test_past_the_budget_weak_values_are_ephemeral_and_never_suppressed(
        tmp_path: Path, scrypt_calls: list[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fingerprints, "SLOW_BUDGET", 2)
    root = _repo(tmp_path, _weak_servers(4))
    code, doc, _ = _scan(root)
    secrets = _secrets(doc)
    assert code == 1 and len(secrets) == 4 and len(scrypt_calls) == 2
    assert sorted(f["fingerprint_stable"] for f in secrets) == [False, False, True, True]
    assert any("ephemeral" in w and "MCP_GUARD_FINGERPRINT_KEY" in w for w in doc["warnings"])
    sarif = json.loads(_cli("scan", "--no-gitleaks", "--format", "sarif", str(root))[1])
    stable = [r["properties"]["fingerprintStable"] for r in sarif["runs"][0]["results"]
              if r["properties"]["category"] == "secret"]
    assert sorted(stable) == [False, False, True, True]

    # `mcp-guard baseline` refuses to write fingerprints that would never match again.
    out = tmp_path / "baseline.json"
    code, _out, err = _cli("baseline", "--no-gitleaks", "-o", str(out), str(root))
    assert code == 2 and "ephemeral" in err and not out.exists()

    # Ignoring every fingerprint of that scan (same process: the ephemeral ones are even equal)
    # suppresses the stable ones only; the ephemeral ones are still reported and still gate.
    ignores = [{"fingerprint": f["fingerprint"], "reason": "accepted"} for f in doc["findings"]]
    _repo(tmp_path, _weak_servers(4), {"version": 1, "ignore": ignores})
    code, again, _ = _scan(root)
    assert code == 1
    assert sorted(f["fingerprint"] for f in _secrets(again)) == sorted(
        f["fingerprint"] for f in secrets if not f["fingerprint_stable"])
    # A baseline holding them (and their v1 fingerprints) does not suppress them either.
    baseline = tmp_path / "hand.json"
    baseline.write_text(json.dumps({"version": 3, "findings": [{"fingerprint": f["fingerprint"]}
                                                              for f in doc["findings"]]}),
                        encoding="utf-8")
    (root / ".mcp-guard.yml").unlink()
    code, based, _ = _scan(root, "--baseline", str(baseline))
    assert code == 1 and len(_secrets(based)) == 2

    # With the key every fingerprint is stable at any volume, and the baseline is written.
    key = {"MCP_GUARD_FINGERPRINT_KEY": fake_token("k", 40, 81)}
    assert all(f["fingerprint_stable"] for f in _secrets(_scan(root, env=key)[1]))
    assert _cli("baseline", "--no-gitleaks", "-o", str(out), str(root), env=key)[0] == 0


def _v2_fingerprint(finding: dict[str, Any], value: str) -> str:
    """The fingerprint v2 published for `finding` (scrypt of every value), recomputed independently."""
    salt = hashlib.sha256(b"mcp-guard/fingerprint/v2\0" + SECRET_CONTEXT.encode()).digest()[:16]
    digest = "v2-scrypt:" + hashlib.scrypt(value.encode(), salt=salt, n=2**10, r=8, p=1, dklen=32).hex()
    parts = ("mcpg-fp-v1", finding["rule_id"], finding["file"], finding["server"] or "", finding["field"],
             digest)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def test_v2_baseline_of_random_values_still_matches_and_is_rewritten(
        tmp_path: Path, scrypt_calls: list[bytes]) -> None:
    servers = {name: env for name, env in _token_servers(5).items() if is_random(env["GITHUB_TOKEN"])}
    root = _repo(tmp_path, servers)
    findings = _scan(root)[1]["findings"]
    assert scrypt_calls == [] and len(findings) >= len(servers) >= 4
    value_of = {name: env["GITHUB_TOKEN"] for name, env in servers.items()}
    old_entries = [{"fingerprint": _v2_fingerprint(f, value_of[f["server"]]) if f["category"] == "secret"
                    else f["fingerprint"], "rule_id": f["rule_id"], "file": f["file"], "server": f["server"],
                    "field": f["field"]} for f in findings]
    for entry, finding in zip(old_entries, findings, strict=True):
        assert entry["fingerprint"] != finding["fingerprint"] or finding["category"] != "secret"
    baseline = tmp_path / "v2.json"
    baseline.write_text(json.dumps({"version": 2, "tool": {"name": "mcp-guard", "version": "0.1.0"},
                                    "findings": old_entries}), encoding="utf-8")
    scrypt_calls.clear()
    code, doc, err = _scan(root, "--baseline", str(baseline))
    assert code == 0, err
    assert doc["findings"] == [] and doc["summary"]["suppressed"] == len(findings)
    assert len(scrypt_calls) == len(_secrets({"findings": findings}))  # one per v3-random finding

    # The same entries in a version 3 file are not v2 ones: nothing is derived and nothing matches.
    current = tmp_path / "v3.json"
    current.write_text(json.dumps({"version": 3, "findings": old_entries}), encoding="utf-8")
    for name in ("_V2_CACHE",):
        setattr(fingerprints, name, {})
    scrypt_calls.clear()
    assert _scan(root, "--baseline", str(current))[0] == 1 and scrypt_calls == []

    # `mcp-guard baseline` rewrites the file with current fingerprints: matching it costs no scrypt.
    assert _cli("baseline", "--no-gitleaks", "-o", str(baseline), str(root))[0] == 0
    rewritten = json.loads(baseline.read_text(encoding="utf-8"))
    assert rewritten["version"] == 3
    assert sorted(e["fingerprint"] for e in rewritten["findings"]) == sorted(
        f["fingerprint"] for f in findings)
    scrypt_calls.clear()
    code, doc, _ = _scan(root, "--baseline", str(baseline))
    assert code == 0 and doc["summary"]["suppressed"] == len(findings) and scrypt_calls == []


def test_v2_ignore_entry_of_a_random_value_still_matches_and_names_its_replacement(
        tmp_path: Path, scrypt_calls: list[bytes]) -> None:
    servers = {name: env for name, env in _token_servers(3).items() if is_random(env["GITHUB_TOKEN"])}
    root = _repo(tmp_path, servers)
    secrets = _secrets(_scan(root)[1])
    target = secrets[0]
    old = _v2_fingerprint(target, servers[target["server"]]["GITHUB_TOKEN"])
    _repo(tmp_path, servers, {"version": 1, "ignore": [{"fingerprint": old, "reason": "test fixture"}]})
    code, doc, _ = _scan(root)
    assert [f["fingerprint"] for f in _secrets(doc)] == [f["fingerprint"] for f in secrets[1:]]
    assert any(old[:12] in w and str(target["fingerprint"]) in w for w in doc["warnings"])
    assert not any("matched no finding" in w for w in doc["warnings"])
