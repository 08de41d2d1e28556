"""Red-team regressions (wave 12): what wave corpus7 / speeddense added (stand-in words, the Supabase
local defaults, copy names, the output boundary's fast path) and the Spring `.properties` reader.
Each drives the Action against the contract-checked fake GitHub; every secret is built at run time.

| # | attempt (the PR's file) | before | fix |
|---|---|---|---|
| 1 | `.cursor/mcp.json`: a `service_role` JWT with `iss: supabase-demo`, signed with another secret | success | a |
| 2 | the same with the jwt.io sample claims (`sub: 1234567890`, `name: John Doe`) and `role` | success | a |
| 3 | `application.properties` with lone-CR line ends (old Mac): the MCP client's key is one value | success | b |
| - | a real key with `-` between its letter and digit runs (5+-word sentence rule) | blocked | - |
| - | `supersecretpassword2024` / `mydbpassword9` as a production database URL's password | blocked | - |
| - | Spring `${NAME:<literal>}` default, `\\u`-escaped key or value, a token over a continuation | blocked | - |
| - | Latin-1 bytes in `application.properties` (Spring's own charset) | blocked | - |
| - | Codex TOML 1.1: Unicode bare key, `\\e` / `\\xHH`, `12:30`, comment + newline inside `{}` | blocked | - |
| - | claude-code-action `settings:` inline / literal / folded / with comments, `claude_args --mcp-config` | blocked | - |
| - | composite `action.yml` input default read by an MCP step | blocked | - |
| - | copy names (`.mcp.json.in`, `.txt`, `.dev`, `- Copy (2)`): read as the original, JSONC kept | blocked | - |
| - | `.continue/mcpServers/<name>-dev.yaml` (a name Continue loads, not a copy) | blocked | - |
| - | output boundary `passed` identity cache, gram sieve, indented JSON writer vs `json.dumps` | no leak | - |

Fixes: (a) `engines/examples.py`: a documentation JWT is one only with its documented signature: an
HMAC-signed token whose claims are the Supabase CLI's local ones (`iss: supabase-demo`) or jwt.io's
sample ones counts as that example only when the signature is the one the published sample secret
makes (Supabase's servers never check `iss`; the claims say nothing of who signed the token); a
public-key jwt.io sample only with its claims and nothing else (before: the claims alone exempted
any token); (b) `parsing/properties.py`: a natural line ends at `\\n`, `\\r\\n` or a lone `\\r`, as
java.util.Properties.load (and Spring Boot's reader) end one (before: only `\\n`, so a lone-CR file
was one entry whose value held every other line).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest

from scanner.parsing import parse_properties
from tests.engines.test_corpus_shapes import jwt_io_sample
from tests.fakes import fake_token
from tests.gh.action_helpers import Files
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub
from tests.providers.test_corpus_shapes_7 import SUPABASE_DEMO_SECRET

_AWS_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _jwt(claims: dict[str, object], key: bytes, alg: str = "HS256") -> str:
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    signed = (_b64url(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode()) + "."
              + _b64url(json.dumps(claims, separators=(",", ":")).encode()))
    return signed + "." + _b64url(hmac.new(key, signed.encode(), digest).digest())


def _supabase(key_value: str) -> Files:
    server = {"command": "npx", "args": ["-y", "@supabase/mcp-server-supabase"],
              "env": {"SUPABASE_URL": "https://acme.supabase.co", "SUPABASE_SERVICE_ROLE_KEY": key_value}}
    return {".cursor/mcp.json": json.dumps({"mcpServers": {"supabase": server}}, indent=2) + "\n"}


# --- 1, 2. a documentation JWT is one only with its documented signature ------------------------------

_SERVICE_ROLE = {"iss": "supabase-demo", "role": "service_role", "exp": 1983812996}
_JOHN_DOE = {"sub": "1234567890", "name": "John Doe", "iat": 1516239022, "role": "service_role"}


@pytest.mark.parametrize("alg", ["HS256", "HS512"])
@pytest.mark.parametrize("claims", [_SERVICE_ROLE, _JOHN_DOE], ids=["supabase-demo", "jwt-io-claims"])
def test_sample_claims_signed_with_a_project_secret_are_found(tmp_path: Path, gh: FakeGitHub,
                                                              claims: dict[str, object], alg: str) -> None:
    # A project's own JWT secret (random, 40 characters) signs a token that carries the sample's claims.
    token = _jwt(claims, fake_token("", 40, 12001).encode(), alg)
    _blocked(_pr(tmp_path, gh, [_supabase(token)]), token)


def test_documented_sample_tokens_still_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    demo = _jwt({"iss": "supabase-demo", "role": "service_role", "exp": 1983812996}, SUPABASE_DEMO_SECRET)
    files: Files = {**_supabase(demo),
                    ".vscode/mcp.json": json.dumps({"servers": {"acme": {
                        "type": "http", "url": "https://mcp.acme-tools.io/mcp",
                        "headers": {"Authorization": "Bearer " + jwt_io_sample()}}}}, indent=2) + "\n"}
    _passed(_pr(tmp_path, gh, [files]))


# --- 3. `.properties` natural lines end at a lone CR -------------------------------------------------

_CONNECTION = "spring.ai.mcp.client.stdio.connections.acme"


def _properties(env_name: str, value: str, end: str) -> Files:
    lines = ["# Acme MCP", f"{_CONNECTION}.command=npx", f"{_CONNECTION}.args[0]=acme-mcp",
             f"{_CONNECTION}.env.{env_name}={value}"]
    return {"src/main/resources/application.properties": end.join(lines) + end}


@pytest.mark.parametrize(("env_name", "secret"), [
    ("ACME_API_KEY", fake_token("", 32, 12002)),
    ("AWS_SECRET_ACCESS_KEY", fake_token("", 40, 12003, _AWS_ALPHABET)),
], ids=["opaque-key", "aws-secret-key"])
def test_properties_with_lone_cr_line_ends_are_read_as_java_reads_them(tmp_path: Path, gh: FakeGitHub,
                                                                       env_name: str, secret: str) -> None:
    _blocked(_pr(tmp_path, gh, [_properties(env_name, secret, "\r")]), secret)


def test_properties_with_lone_cr_line_ends_and_references_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    _passed(_pr(tmp_path, gh, [_properties("ACME_API_KEY", "${ACME_API_KEY}", "\r")]))


def test_properties_natural_lines_and_positions() -> None:
    text = "a=1\rb.c=two\r\nd=x\\\r  y\n# c\re=5\r\r"
    root = parse_properties(text)
    assert [str(key.value) for key, _ in root.entries] == ["a", "b", "d", "e"]
    b = root.get("b")
    assert b is not None and b.is_object
    c = b.get("c")
    d = root.get("d")
    e = root.get("e")
    assert c is not None and d is not None and e is not None
    assert (c.value, d.value, e.value) == ("two", "xy", "5")
    # positions count `\n` lines only (parsing/positions.py): `b.c` sits on line 1 after the lone CR
    assert (c.line, c.column) == (1, 9)
    assert (d.line, d.column, d.end_line) == (2, 3, 2)
    # `# c` is a comment line: the lone CR ends it, and `e=5` on the same `\n` line is an entry
    assert (e.line, e.column) == (3, 7)
