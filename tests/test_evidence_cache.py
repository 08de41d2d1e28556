"""The per-scan caches of the environment classifier and the rules change no result, and their work
is linear: each server's evidence is computed once per scan, and the classifier + rules part of a scan
grows about k-fold for a k-times larger file (counted, never timed).

Equivalence: ScanEvidence (one memo for a whole scan, shared by classify and the prod-env rules) gives
exactly what the uncached reference `server_evidence` gives for every server of the prod matrix and
of generated configs (same Evidence, same FieldValues, same order), and the prefilters equal the
computations they guard. bench/equivalence.py compares whole scans with an older revision.
"""

from __future__ import annotations

import ipaddress
import json
import random
import string
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scanner import environment
from scanner.engines.builtin import BuiltinEngine
from scanner.environment import ScanEvidence, classify, server_evidence
from scanner.environment import words as env_words
from scanner.model import McpConfig
from scanner.pipeline import ScanOptions, scan_files
from scanner.policy import Policy, parse_policy
from tests.engines.helpers import parse_files
from tests.fakes import fake_token
from tests.matrix.env_configs import generated
from tests.matrix.prod_cases import build, cases

K = 4


def _scans() -> Iterator[tuple[str, list[McpConfig], dict[str, bytes], Policy | None]]:
    for case in cases():
        configs, _matches, sources = build(case)
        policy = parse_policy(case.policy, ".mcp-guard.yml") if case.policy else None
        yield case.name, configs, {p: t.encode() for p, t in sources.items()}, policy
    for name, files, policy_text in generated(150, seed=11):
        configs, sources = parse_files({p: d.decode() for p, d in files.items()})
        yield name, configs, sources, parse_policy(policy_text, ".mcp-guard.yml") if policy_text else None


def test_scan_evidence_equals_the_uncached_reference() -> None:
    servers = with_evidence = 0
    for name, configs, sources, policy in _scans():
        secrets = BuiltinEngine().detect(configs, sources)
        shared = ScanEvidence(secrets, policy)
        for config in configs:
            for server in config.servers:
                own = [m for m in secrets if m.server is not None and m.config.path == config.path
                       and m.server.name == server.name]
                expected = server_evidence(config, server, own, policy)
                assert shared.server(config, server) == expected, name
                assert shared.server(config, server) == expected, name  # the cached copy too
                servers += 1
                with_evidence += bool(expected)
        assert classify(configs, secrets, policy, shared) == classify(configs, secrets, policy), name
    assert servers > 500 and with_evidence > 300  # the corpus exercises the evidence paths


def test_word_prefilter_equals_the_full_segment_walk() -> None:
    every = (env_words.PROD_WORDS | env_words.SELECTOR_PROD_WORDS | env_words.STAGING_WORDS
             | env_words.DEV_WORDS | env_words.LOCAL_WORDS)
    assert all(env_words._WORD_HINT.search(word) for word in every)
    rng = random.Random(3)
    pieces = [*every, "pre", "non", "x", "Prod", "PRD", "qA", "2", "-", "_", ".", " ", "İ", "K", "é"]
    texts = [*every, "product-catalog", "preProd", "NON_PROD", "myStagingDb", "db-prod1.internal", ""]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(4000)]
    texts += ["".join(rng.choice(string.ascii_letters + "-_.0") for _ in range(12)) for _ in range(2000)]
    for text in texts:
        for selector in (False, True):
            assert env_words.word_environment(text, selector=selector) == env_words._spelled(text, selector)


def test_ip_shape_check_equals_ipaddress() -> None:
    hosts = ["127.0.0.1", "10.0.0.5", "::1", "fe80::1%eth0", "1.2.3", "1.2.3.4.5", "01.2.3.4",
             "db.internal", "localhost", "٣.٣.٣.٣", "１.２.３.４", "2001:db8::",
             "::ffff:127.0.0.1", "a:b", "", ".", "256.1.1.1"]
    for host in hosts:
        try:
            expected: object = ipaddress.ip_address(host)
        except ValueError:
            expected = None
        assert environment._ip(host) == expected, host


# --- Work counts -------------------------------------------------------------------------------

def _servers_one_line(n: int) -> dict[str, bytes]:
    servers = {f"srv{i}": {"command": "npx", "args": ["-y", f"pkg-{i}", "--port", str(3000 + i)],
                           "env": {"API_TOKEN": fake_token("ghp_", 36, i) if i % 3 == 0 else "${env:T}",
                                   "LOG_LEVEL": "info", "DATABASE_URL": f"postgres://app:${{P}}@db{i}.internal/a"}}
               for i in range(n)}
    return {".cursor/mcp.json": json.dumps({"mcpServers": servers}, separators=(",", ":")).encode()}


def _tiny_servers(n: int) -> dict[str, bytes]:
    servers = {f"s{i}": {"command": f"x{i}"} for i in range(n)}
    return {".mcp.json": json.dumps({"mcpServers": servers}).encode()}


def _env_keys(n: int) -> dict[str, bytes]:
    env = {f"OPT_{i}": f"mode{i}" if i % 2 else f"https://h{i}.prod.internal/x?env=prod" for i in range(n)}
    return {".mcp.json": json.dumps({"mcpServers": {"a": {"command": "x", "env": env}}}).encode()}


def _args(n: int) -> dict[str, bytes]:
    args = [a for i in range(n)
            for a in (f"--opt-{i}", f"v{i}", f"--host=db{i}.staging.internal", f"K{i}=prod")]
    return {".mcp.json": json.dumps({"mcpServers": {"a": {"command": "x", "args": args}}}).encode()}


def _trusted(n: int) -> dict[str, bytes]:
    # Gemini `trust: true` per server: its location is looked up in the file text for each one.
    servers = {f"s{i}": {"command": "npx", "args": [f"pkg-{i}"], "trust": True} for i in range(n)}
    return {".gemini/settings.json": json.dumps({"mcpServers": servers}, indent=2).encode()}


def _approvals(n: int) -> dict[str, bytes]:
    # Amazon Q: a file-level allowedTools list naming tools of every server.
    body = {"mcpServers": {f"s{i}": {"command": "npx", "env": {"DB_HOST": f"db{i}.prod.internal"}}
                           for i in range(n)},
            "allowedTools": [f"@s{i}/execute_sql" for i in range(n)]}
    return {".amazonq/mcp.json": json.dumps(body).encode()}


def _shared_token(n: int) -> dict[str, bytes]:
    # One credential in prod and dev servers: n MCPG202 findings, each naming (some of) the others.
    token = fake_token("ghp_", 36, 5)
    servers = {f"prod-{i}" if i % 2 else f"dev-{i}": {"command": "npx", "env": {"GITHUB_TOKEN": token}}
               for i in range(n)}
    return {".mcp.json": json.dumps({"mcpServers": servers}).encode()}


def _vscode_inputs(n: int) -> dict[str, bytes]:
    # n declared inputs and n servers each using one (plus one undeclared): a membership test each.
    body = {"inputs": [{"type": "promptString", "id": f"tok{i}", "password": True} for i in range(n)],
            "servers": {f"s{i}": {"command": "npx", "env": {"T": f"${{input:tok{i}}}", "U": "${input:nope}"}}
                        for i in range(n)}}
    return {".vscode/mcp.json": json.dumps(body).encode()}


def _counted_scan(files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """(calls inside classify and the rules' checks, evidence computations) of one scan."""
    import scanner.rules as rules_module

    state = {"on": 0, "calls": 0, "evidence": 0}
    real_classify, real_rules, real_evidence = environment.classify, rules_module.all_rules, \
        environment._server_evidence

    def counted(fn: Callable[..., object]) -> Callable[..., object]:
        def run(*args: object, **kwargs: object) -> object:
            state["on"] += 1
            try:
                result = fn(*args, **kwargs)
                return list(result) if not isinstance(result, tuple) else result  # type: ignore[call-overload]
            finally:
                state["on"] -= 1
        return run

    def all_rules() -> list[object]:
        found = real_rules()
        for rule in found:
            rule.check = counted(rule.check)  # type: ignore[method-assign]
        return list(found)

    def evidence(*args: object) -> object:
        state["evidence"] += 1
        return real_evidence(*args)  # type: ignore[arg-type]

    def profile(_frame: object, event: str, _arg: object) -> None:
        if state["on"] and event in ("call", "c_call"):
            state["calls"] += 1

    monkeypatch.setattr(environment, "classify", counted(real_classify))
    monkeypatch.setattr(rules_module, "all_rules", all_rules)
    monkeypatch.setattr(environment, "_server_evidence", evidence)
    options = ScanOptions(root=Path("."), use_gitleaks=False)
    sys.setprofile(profile)
    try:
        scan_files(files, options)
    finally:
        sys.setprofile(None)
    return state["calls"], state["evidence"]


@pytest.mark.parametrize("build_files, n, servers_of", [
    (_servers_one_line, 12, lambda n: n), (_tiny_servers, 40, lambda n: n), (_env_keys, 40, lambda n: 1),
    (_args, 20, lambda n: 1), (_trusted, 12, lambda n: n), (_approvals, 12, lambda n: n),
    (_shared_token, 30, lambda n: n), (_vscode_inputs, 20, lambda n: n),
], ids=["servers-one-line", "tiny-servers", "env-keys", "args", "gemini-trust", "amazonq-approvals",
        "shared-token", "vscode-inputs"])
def test_classify_and_rules_work_is_linear(build_files: Callable[[int], dict[str, bytes]], n: int,
                                           servers_of: Callable[[int], int],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _counted_scan(build_files(n // 2 + 1), monkeypatch)  # warm up lazy imports on another input
    small, small_evidence = _counted_scan(build_files(n), monkeypatch)
    large, large_evidence = _counted_scan(build_files(K * n), monkeypatch)
    # Each server's evidence once per scan (classify and MCPG201/MCPG203 used to compute it 3 times).
    assert (small_evidence, large_evidence) == (servers_of(n), servers_of(K * n))
    ratio = large / small
    assert 0.5 * K <= ratio <= 1.3 * K, f"work grew {ratio:.2f}-fold for a {K}-fold larger input"


def test_shared_credential_findings_name_a_bounded_number_of_places() -> None:
    options = ScanOptions(root=Path("."), use_gitleaks=False)
    for n, listed in ((6, 5), (11, 10), (40, 10)):
        findings = [f for f in scan_files(_shared_token(n), options).findings if f.rule_id == "MCPG202"]
        assert len(findings) == n  # every place is still reported
        for finding in findings:
            assert len(finding.related) == listed and finding.location not in finding.related
            more = n - 1 - listed
            if more:
                assert f"and {more} more places; one credential spans" in finding.message
                assert finding.evidence[-1] == f"and {more} more places"
                assert len(finding.evidence) == listed + 2
            else:
                assert "more place" not in finding.message and len(finding.evidence) == n


def test_url_mode_prefilter_skips_only_urls_without_modes() -> None:
    from scanner.rules import _capability

    rng = random.Random(5)
    parts = ["https://", "postgres://", "ro_user@", "app:${P}@", "MCP.SUPABASE.COM", "mcp.supabase.com",
             "db.x", "/mcp", "?", "read_only=true", "READONLY=1", "%72ead_only=true", "&", "x=1", ":5432",
             "#f", "[::1]"]
    urls = ["".join(rng.choice(parts) for _ in range(rng.randint(1, 7))) for _ in range(3000)]
    for url in urls:
        lowered = url.lower()
        if "@" not in url and "%" not in url and "read" not in lowered and "mcp.supabase.com" not in lowered:
            assert _capability._url_modes(url) == ([], []), url
