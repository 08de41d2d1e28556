"""Red-team regressions (wave 12): what corpus7 / speeddense added (stand-in words, the Supabase
local defaults, copy names, the output boundary's fast path) and the Spring properties / YAML
readers. Each drives the Action against the contract-checked fake GitHub; secrets are built at run time.

| # | attempt (the PR's file) | before | fix |
|---|---|---|---|
| 1 | `.cursor/mcp.json`: `service_role` JWT, `iss: supabase-demo`, a project secret signs it | success | a |
| 2 | the same with jwt.io's sample claims (`sub: 1234567890`, `name: John Doe`) + `role` | success | a |
| 3 | `application.properties`, lone-CR line ends: the MCP entries are one other key's value | success | b |
| 4 | `application.properties`: `env.X=${acme.key}` with `acme.key=<literal>` in the same file | success | c |
| 5 | `application.yml`: `Bearer ${acme.token}` with `acme: {token: <literal>}` | success | c |
| 6 | `application.yml`: a `server` document, `---`, then the MCP client's profile document | success | d |
| 7 | `application.yml` with the dotted key `spring.ai.mcp.client.stdio.connections.acme:` | success | e |
| 8 | `mcp.properties` that `spring.config.import=classpath:mcp.properties` loads | success | f |
| - | `supersecretpassword2024` / `mydbpassword9` as a production database URL's password | blocked | - |
| - | the documented 5+-word sentence as a remote database URL's password | success | - |
| - | Spring `${NAME:<literal>}`, nested `${A:${B:<literal>}}`, `#{'<literal>'}` | blocked | - |
| - | `\\u`-escaped key or value, token over a continuation line, `\\f` separator, Latin-1 | blocked | - |
| - | Codex TOML 1.1: Unicode bare key, `\\e` / `\\xHH`, `12:30`, comment + newline in `{}` | blocked | - |
| - | claude-code-action `settings:` inline/literal/folded/JSONC, `claude_args: --mcp-config` | blocked | - |
| - | composite `action.yml` input default read by an MCP step / claude-code-action `settings` | blocked | - |
| - | copy names (`.mcp.json.in`, `.txt`, `.dev`, `- Copy (2)`), Continue's `x-dev.yaml` | read | - |

Fixes: (a) `engines/examples.py`: an HMAC-signed token with the Supabase CLI's local claims (`iss:
supabase-demo`) or jwt.io's sample claims is that documented example only with the signature the
published sample secret makes (Supabase's servers never check `iss`; claims say nothing of who
signed); a public-key jwt.io sample only with its claims and nothing else (before: the claims alone
exempted any token); (b) `parsing/properties.py`: a natural line ends at `\\n`, `\\r\\n` or a lone
`\\r`, as java.util.Properties.load ends one (before: `\\n` only); (c) `clients/spring_refs.py`
(from `clients/sections.py`): a placeholder in `spring.ai.mcp.*` that names a property of the same
file (dotted, relaxed, indexed, chained) reads its literal, reported there under the reader's name
(before: `${acme.key}` was taken for an environment reference); (d) `clients/__init__.py`: a YAML
file whose first document holds no MCP config is read from the first later document that does
(Spring Boot reads every document; the ones after it get the line search, engines/unjudged.py);
(e) `clients/__init__.py`: the content probe takes a dotted key with `mcp` as one of its parts;
(f) `clients/discovery.py`: any `*.properties` is a Spring AI candidate, confirmed by the content
word `spring.ai.mcp` (before: `application*` / `bootstrap*` names only).
Left open: a placeholder in a later YAML document naming a property of another document; the
documented sentence password (`super-secret-jwt-token-...`) stays a placeholder in a
URL to a non-local host (a deliberate corpus7 precision choice; it is the Supabase local default).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest

from scanner.clients import sections
from scanner.model import Client, FileFormat
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


# --- 4, 5. a Spring placeholder naming a property of the same file ------------------------------------

def _spring_yaml(env_value: str, own: str, env_name: str = "ACME_API_KEY") -> Files:
    return {"src/main/resources/application.yml": (
        own + "spring:\n  ai:\n    mcp:\n      client:\n        stdio:\n          connections:\n"
        "            acme:\n              command: npx\n              args: [\"-y\", \"acme-mcp\"]\n"
        f"              env:\n                {env_name}: \"{env_value}\"\n")}


@pytest.mark.parametrize("reference", ["${acme.key}", "${acme.apiKey}", "${alias}"])
def test_properties_placeholder_reading_a_literal_of_the_file_is_judged(tmp_path: Path, gh: FakeGitHub,
                                                                       reference: str) -> None:
    secret = fake_token("", 40, 12004, _AWS_ALPHABET)
    own = (f"acme.key={secret}\nacme.api-key={secret}\nacme.keys[0]={secret}\nalias=${{acme.key}}\n"
           if reference != "${acme.apiKey}" else f"acme.api-key={secret}\n")
    files = _properties("AWS_SECRET_ACCESS_KEY", reference, "\n")
    path = "src/main/resources/application.properties"
    files[path] = own + files[path]
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_yaml_placeholder_reading_a_literal_of_the_file_is_judged(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = fake_token("", 32, 12005)
    _blocked(_pr(tmp_path, gh, [_spring_yaml("Bearer ${acme.token}", f"acme:\n  token: {secret}\n")]), secret)


def test_placeholders_reading_settings_or_the_environment_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    # `${acme.url}` reads a URL of the file, `${acme.key}` a property that is itself `${ACME_API_KEY}`
    # (the environment), `${missing.key}` nothing of the file: no literal credential anywhere.
    files = _properties("ACME_API_KEY", "${acme.key}", "\n")
    path = "src/main/resources/application.properties"
    files[path] = "acme.key=${ACME_API_KEY}\nacme.url=https://mcp.acme-tools.io\n" + files[path] + (
        f"{_CONNECTION}.env.ACME_URL=${{acme.url}}\n{_CONNECTION}.env.OTHER_TOKEN=${{missing.key}}\n")
    region = _spring_yaml("${acme.region}", "acme:\n  region: eu-west-1\n", "ACME_REGION")
    _passed(_pr(tmp_path, gh, [files, region]))


def test_spring_placeholders_resolve_to_the_literal_they_read() -> None:
    # dashed, relaxed, indexed and default-carrying names, a chain, and a dotted key kept whole next to
    # its prefix; each literal reported at its own line under the reading value's name
    own = ["acme=x", "acme.api-key=L2", "acme.keys[1]=L3", "alias=${acme.api-key}", "acme.deep.k=L5"]
    reads = ["${acme.api-key:}", "${acme.apiKey}", "${acme.keys[1]}", "${alias}", "pre ${acme.deep.k} post",
             "${ACME_FROM_ENV}", "${acme.nothing:fallback}"]
    lines = [*own, f"{_CONNECTION}.command=npx",
             *(f"{_CONNECTION}.env.K{i}={value}" for i, value in enumerate(reads))]
    config = sections.build("application.properties", parse_properties("\n".join(lines) + "\n"),
                            FileFormat.PROPERTIES, Client.SPRING_AI)
    assert config is not None
    found = sorted((fv.key, fv.text, fv.location.line, fv.location.column) for fv in config.extra_values)
    # K1 and K3 (through `alias`) read the same `acme.api-key` as K0: judged under each name
    assert found == [("K0", "L2", 2, 14), ("K1", "L2", 2, 14), ("K2", "L3", 3, 14), ("K3", "L2", 2, 14),
                     ("K4", "L5", 5, 13)]


# --- 6, 7. Spring's YAML: every document, dotted keys ------------------------------------------------

_SPRING_SERVER = ("spring:\n  config:\n    activate:\n      on-profile: prod\n  ai:\n    mcp:\n"
                  "      client:\n        stdio:\n          connections:\n            acme:\n"
                  "              command: npx\n              env:\n"
                  "                AWS_SECRET_ACCESS_KEY: {value}\n")


def test_mcp_section_in_a_later_yaml_document_is_read(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = fake_token("", 40, 12006, _AWS_ALPHABET)
    text = "server:\n  port: 8080\n---\n" + _SPRING_SERVER.format(value=secret)
    _blocked(_pr(tmp_path, gh, [{"src/main/resources/application.yml": text}]), secret)


def test_dotted_spring_key_in_yaml_is_read(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = fake_token("", 40, 12007, _AWS_ALPHABET)
    text = ("spring.ai.mcp.client.stdio.connections.acme:\n  command: npx\n  env:\n"
            f"    AWS_SECRET_ACCESS_KEY: {secret}\n")
    _blocked(_pr(tmp_path, gh, [{"src/main/resources/application.yml": text}]), secret)


def test_later_documents_and_dotted_keys_with_references_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    files: Files = {
        "src/main/resources/application.yml": "server:\n  port: 8080\n---\n"
                                              + _SPRING_SERVER.format(value="${AWS_SECRET_ACCESS_KEY}"),
        "config/application.yaml": "spring.ai.mcp.client.stdio.connections.acme:\n  command: npx\n  env:\n"
                                   "    ACME_API_KEY: ${ACME_API_KEY}\n",
        # a YAML file of other documents whose text names MCP in prose only
        "deploy/notes.yaml": "title: notes\n---\ntext: the mcp server starts here\n"}
    _passed(_pr(tmp_path, gh, [files]))


# --- 8. a properties file of any name -----------------------------------------------------------------

def test_properties_file_of_another_name_is_read(tmp_path: Path, gh: FakeGitHub) -> None:
    # `spring.config.import=classpath:mcp.properties` (or `@PropertySource`) loads any name
    secret = fake_token("", 40, 12008, _AWS_ALPHABET)
    files = _properties("AWS_SECRET_ACCESS_KEY", secret, "\n")
    files = {"src/main/resources/application.properties": "spring.config.import=classpath:mcp.properties\n",
             "src/main/resources/mcp.properties": files.popitem()[1]}
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_other_properties_files_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    files: Files = {"src/main/resources/messages.properties": "greeting=Hello\napi.key.label=API key\n",
                    "src/main/resources/mcp.properties": _properties("ACME_API_KEY", "${ACME_API_KEY}", "\n")
                    .popitem()[1],
                    "gradle/wrapper/gradle-wrapper.properties": "distributionUrl=https\\://services.gradle.org/x\n"}
    _passed(_pr(tmp_path, gh, [files]))
