"""Red-team regressions (wave 13): what corpus7 / redteam12 added last (stand-in words, claude-code-action
inputs, Spring AI properties, copy names, the output boundary). Each drives the Action against the
contract-checked fake GitHub; every secret is built at run time.

| # | attempt (the PR's file) | before | fix |
|---|---|---|---|
| 1 | `.cursor/mcp.json`: `secret-is-the-<20 random letters>-<20 more>`, API key / DB password | success | a |
| 2 | the same with 4-digit groups (`secret-with-the-at-1234-5678-9012-...`) | success | a |
| 3 | 7+ table words glued (`mydbvncsshftpsmtprootpassword`) as an API key | success | b |
| 4 | workflow: `claude_env: "ACME_API_KEY: <key>"` (one line) | success | c |
| 5 | workflow: `claude_env: "DEBUG: 1\\nACME_API_KEY: <key>"` (escaped line break) | success | c |
| 6 | workflow: `claude_env: \\|` block, `ACME_API_KEY:<key>` (no blank after `:`) | success | c |
| 7 | workflow: `claude_env` line `${{ '' }}ACME_API_KEY: <key>` (the runner drops it) | success | c |
| 8 | workflow: `claude_env: ${{ env.EXTRA }}`, `env: {EXTRA: "ACME_API_KEY: <key>"}` | success | d |
| 9 | workflow: `claude_env` line `ACME_API_KEY: ${{ env.ACME }}`, `env: {ACME: <key>}` | success | d |
| 10 | `plugin_marketplaces: https://x:${{ env.ACME }}@host/…` or `https://${{ … }}@` | success | e |
| 11 | `<20 random>` + `...` / `***` / `-example-` / `{{x}}` + `<20 random>` (env, DB URL) | success | f |
| 12 | a Continue YAML that does not parse: `ACME_API_KEY: 'x''<key>'` (YAML's `''` escape) | success | g |
| 13 | a Codex TOML that does not parse: `env = { ACME_API_KEY = '''x'<key>''' }` | success | g |
| 14 | `claude_env` / `mcp_config` / `settings` / marketplaces as `*a`, `&a` elsewhere | success | h |
| - | a fake Ansible Vault body whose ciphertext line is the hex of a token (hex of hex) | success | - |
| - | composite `action.yml`: claude_env / settings / mcp_config / marketplace input defaults | blocked | - |
| - | claude_env block under a quoted `"claude_env"` key or `\\|2`; `settings` inline / block | blocked | - |
| - | `mcp_config` token split by `${{ '' }}` / `${{ 'X' }}` / `format()` (credential name) | blocked | - |
| - | Spring properties: `[acme]` / `env["K"]`, camelCase, `:` / blank separators, `args` list | blocked | - |
| - | Spring properties: `sse` URL query key, `streamable-http` `headers.Authorization` | blocked | - |
| - | a detected token / URL password as a server name or env key (all four formats) | no piece | - |
| - | RS256 token with jwt.io's sample claims only (its signature is not checked) | success | - |
| - | Spring properties keys in upper case (`SPRING.AI.MCP.CLIENT...`) | success | - |

Fixes: (a) `engines/standins.py`: a stand-in sentence is made of the tables' words (one short word of
its own at most: `openssl`, `nextauth`), at most two short numbers and 5-12 parts (before: any part of
up to 20 letters, any number of 4-digit groups, so 40 random letters dressed as a sentence passed);
(b) a glued prompt is 2-6 table words (`yoursupersecretvncpassword`: 5); more of them glued are a chosen
password; (c) `clients/action_steps.py`: `claude_env` is read as claude-code-action reads it (its text
split at line breaks, each line at its first `:`): a one-line value, a double-quoted one with `\\n`
escapes (positions through the escapes), `NAME:value`, any text before the `:` (before: only a `|`
block of `NAME: value` lines); (d) a `${{ … }}` claude_env value (whole, or one line's) is a reference
that clients/workflows.py resolves to the `env:` literal or input default it reads, whose lines are then
read as env lines (`action_steps.env_text_values`); (e) `clients/workflows.py`: a literal read through a
reference in a URL's userinfo is judged as a password (`user:${{ … }}@`) or a token (`${{ … }}@`), and
a marketplace URL word keeps its `${{ … }}` whole (before: split at the blanks inside); (f)
`engines/filters.py`: a placeholder marker with random pieces of 8+ characters around it that make 32+
together is a key cut by the marker, sent whole (`stands_in`; URI passwords too, `engines/uri.py`);
before, only one unbroken random run of 24+ counted, so two halves of 23 passed; (g)
`clients/unparsed.py`: the line search reads TOML's one-line triple-quoted strings and YAML's `''` inside
a single-quoted value (before: the value ended at the first inner quote, the rest was nameless);
(h) `clients/action_steps.py` `anchors` / `aliased`: an input written as a YAML alias (GitHub Actions reads
anchors since 2025) is read from its anchor's value, where it is written (clients/workflows.py too).
Left open: an envelope holding an encoded plaintext (an Ansible Vault body whose ciphertext line is a
token's hex; the client sends the envelope, never the token); an RS256 token carrying exactly
jwt.io's sample claims (`sub`, `name`, `iat: 1516239022`, `admin`) is exempt whatever key signed it
(no RSA check here); Spring property names in upper case or with dashes inside `spring.ai.mcp`
(Spring's relaxed binding may accept them; not confirmed); a stand-in sentence or glued prompt
chosen word by word from the tables (a few bits a word).
"""

from __future__ import annotations

import json
import random
import string
from pathlib import Path

import pytest

from scanner.engines import filters
from scanner.engines.standins import glued_prompt, standin_phrase
from tests.fakes import fake_token
from tests.gh.action_helpers import Files
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub


def _letters(count: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(string.ascii_letters) for _ in range(count))


def _cursor(env: dict[str, str], args: list[str] | None = None) -> Files:
    server = {"command": "npx", "args": args or ["-y", "acme-mcp"], "env": env}
    return {".cursor/mcp.json": json.dumps({"mcpServers": {"acme": server}}, indent=2) + "\n"}


# --- 1, 2, 3. stand-ins carry no chosen secret ---------------------------------------------------------

def _dressed_sentences() -> list[str]:
    return ["-".join(["secret", "is", "the", _letters(20, 13001), _letters(20, 13002)]),
            "-".join(["secret", "with", "the", "at", *(str(random.Random(13003 + i).randint(1000, 9999))
                                                       for i in range(6))])]


@pytest.mark.parametrize("where", ["env", "url"])
@pytest.mark.parametrize("index", [0, 1], ids=["random-words", "number-groups"])
def test_random_parts_dressed_as_a_sentence_are_found(tmp_path: Path, gh: FakeGitHub, where: str,
                                                      index: int) -> None:
    secret = _dressed_sentences()[index]
    files = (_cursor({"ACME_API_KEY": secret}) if where == "env" else
             _cursor({}, ["-y", "@modelcontextprotocol/server-postgres",
                          f"postgresql://admin:{secret}@db.acme-corp.com:5432/app"]))
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_many_table_words_glued_are_a_password(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = "my" + "db" + "vnc" + "ssh" + "ftp" + "smtp" + "root" + "password"
    assert not filters.is_placeholder(secret)
    _blocked(_pr(tmp_path, gh, [_cursor({"ACME_API_KEY": secret})]), secret)


_DOC_SENTENCES = ["-".join(["super", "secret", "jwt", "token", "with", "at", "least", "32", "characters",
                            "long"]),
                  "-".join(["your", "super", "secret", "and", "long", "postgres", "password"]),
                  "-".join(["generate", "a", "random", "secret", "with", "openssl"]),
                  "-".join(["this", "is", "my", "nextauth", "secret", "key", "change", "it"])]


def test_documented_sentences_and_prompts_stay_stand_ins(tmp_path: Path, gh: FakeGitHub) -> None:
    for value in _DOC_SENTENCES:
        assert standin_phrase(value), value
    assert glued_prompt("your" + "super" + "secret" + "vnc" + "password")
    env = {f"KEY_{i}": value for i, value in enumerate(_DOC_SENTENCES)}
    env["VNC_PASSWORD"] = "my" + "super" + "secret" + "password"
    _passed(_pr(tmp_path, gh, [_cursor(env)]))


# --- 4-9. claude_env as claude-code-action reads it -------------------------------------------------

_HEAD = "name: claude\non: [pull_request]\n"
_STEP = ("jobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n"
         "      - uses: anthropics/claude-code-action@v1\n        with:\n")
_WORKFLOW = ".github/workflows/claude.yml"


def _claude_env(with_lines: str, env: str = "") -> Files:
    return {_WORKFLOW: _HEAD + env + _STEP + with_lines}


@pytest.mark.parametrize("shape", ["one-line", "escaped-break", "no-blank", "expression-prefix"])
def test_claude_env_values_the_action_reads_are_judged(tmp_path: Path, gh: FakeGitHub, shape: str) -> None:
    secret = fake_token("", 40, 13010)
    with_lines = {
        "one-line": f'          claude_env: "ACME_API_KEY: {secret}"\n',
        "escaped-break": f'          claude_env: "DEBUG: 1\\nACME_API_KEY: {secret}"\n',
        "no-blank": f"          claude_env: |\n            DEBUG: 1\n            ACME_API_KEY:{secret}\n",
        "expression-prefix": f"          claude_env: |\n            ${{{{ '' }}}}ACME_API_KEY: {secret}\n",
    }[shape]
    _blocked(_pr(tmp_path, gh, [_claude_env(with_lines)]), secret)


@pytest.mark.parametrize("shape", ["whole", "one-line-of-block"])
def test_claude_env_reading_a_workflow_literal_is_judged(tmp_path: Path, gh: FakeGitHub, shape: str) -> None:
    secret = fake_token("", 40, 13011)
    if shape == "whole":
        files = _claude_env("          claude_env: ${{ env.EXTRA }}\n",
                            f'env:\n  EXTRA: "DEBUG: 1\\nACME_API_KEY: {secret}"\n')
    else:
        files = _claude_env("          claude_env: |\n            ACME_API_KEY: ${{ env.ACME }}\n",
                            f"env:\n  ACME: {secret}\n")
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_claude_env_values_are_positioned_through_escapes() -> None:
    from scanner.clients.action_steps import env_line_values
    secret = fake_token("", 24, 13012)
    line = f'          claude_env: "A: 1\\tx\\nACME_API_KEY: {secret}"'
    rest = line[line.index('"'):]
    found = list(env_line_values(_WORKFLOW, [line], 0, "claude_env", rest, line.index('"') + 1))
    assert [(fv.key, fv.text) for fv in found] == [("A", "1\tx"), ("ACME_API_KEY", secret)]
    key = found[1]
    assert line[key.location.column - 1:key.end_column - 1] == secret


# --- 10. a marketplace URL reading a literal ---------------------------------------------------------

@pytest.mark.parametrize("userinfo", ["x-access-token:${{ env.ACME }}", "${{ env.ACME }}"])
def test_marketplace_url_reading_a_workflow_literal_is_judged(tmp_path: Path, gh: FakeGitHub,
                                                             userinfo: str) -> None:
    secret = fake_token("", 40, 13013)
    files = _claude_env(f"          plugin_marketplaces: https://{userinfo}@github.com/acme/plugins.git\n",
                        f"env:\n  ACME: {secret}\n")
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_claude_inputs_with_references_and_settings_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    benign = _claude_env(
        "          plugin_marketplaces: https://${{ env.GH_USER }}@github.com/acme/a.git,"
        " https://x:${{ secrets.MARKET_TOKEN }}@github.com/acme/b.git\n"
        "          claude_env: |\n            # region: the default one\n            NODE_ENV: production\n"
        "            REGION: ${{ env.REGION }}\n            ACME_API_KEY: ${{ secrets.ACME_API_KEY }}\n"
        "            ACME_URL: https://mcp.acme-tools.io/mcp\n",
        "env:\n  GH_USER: octocat\n  REGION: eu-west-1\n  EXTRA: \"NODE_ENV: production\"\n")
    one_line = {".github/workflows/other.yml": _HEAD + _STEP
                + '          claude_env: "DEBUG: true\\nACME_API_KEY: ${{ secrets.ACME_API_KEY }}"\n'}
    whole = {".github/workflows/whole.yml": _HEAD + "env:\n  EXTRA: \"NODE_ENV: production\"\n" + _STEP
             + "          claude_env: ${{ env.EXTRA }}\n"}
    _passed(_pr(tmp_path, gh, [{**benign, **one_line, **whole}]))


# --- 11. a random key cut in two by a placeholder marker ---------------------------------------------

@pytest.mark.parametrize("marker", ["...", "***", "-example-", "{{x}}", "\u2026"])
@pytest.mark.parametrize("where", ["env", "url"])
def test_random_halves_around_a_marker_are_found(tmp_path: Path, gh: FakeGitHub, marker: str,
                                                 where: str) -> None:
    halves = fake_token("", 20, 13020), fake_token("", 20, 13021)
    secret = halves[0] + marker + halves[1]
    files = (_cursor({"ACME_API_KEY": secret}) if where == "env" else
             _cursor({}, ["-y", "@modelcontextprotocol/server-postgres",
                          f"postgresql://admin:{secret}@db.acme-corp.com:5432/app"]))
    _blocked(_pr(tmp_path, gh, [files]), *halves)


def test_docs_truncations_and_prompts_stay_placeholders(tmp_path: Path, gh: FakeGitHub) -> None:
    env = {"A_API_KEY": "sk-proj-" + "abc123" + "..." + "xyz789",
           "B_API_KEY": "sk-ant-api03-" + "AbCdEf12" + "...", "C_API_KEY": "<YOUR_OPENAI_API_KEY_HERE>",
           "D_TOKEN": "ghp_" + "x" * 36,
           "E_API_KEY": "sk-" + "1234567890abcdef" * 2 + "...", "F_API_KEY": "YourApiKeyGoesHere" + "..."}
    url = "postgresql://admin:" + "<your-password>" + "@db.acme-corp.com/app"
    _passed(_pr(tmp_path, gh, [_cursor(env, ["-y", "@modelcontextprotocol/server-postgres", url])]))


# --- 12, 13. the line search reads the quotes as the formats do -------------------------------------

def test_yaml_single_quote_escape_in_a_file_that_does_not_parse(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = fake_token("", 40, 13030)
    text = ("name: a\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: acme\n    command: npx\n    env:\n"
            f"      ACME_API_KEY: 'x''{secret}'\n  broken: [\n")
    _blocked(_pr(tmp_path, gh, [{".continue/mcpServers/acme.yaml": text}]), secret)


def test_toml_one_line_triple_literal_in_a_file_that_does_not_parse(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = fake_token("", 40, 13031)
    text = ('[mcp_servers.acme]\ncommand = "npx"\n'
            f"env = {{ ACME_API_KEY = '''x'{secret}''' }}\nbroken = \n")
    _blocked(_pr(tmp_path, gh, [{".codex/config.toml": text}]), secret)


def test_line_search_quotes_keep_exact_positions() -> None:
    from scanner.clients.unparsed import line_values
    text = "a: 'It''s here'\nb = '''raw'x'''\nc = \"\"\"q\\u0041\"\"\"\n"
    found = {fv.key: fv for fv in line_values("f", text)}
    assert (found["a"].text, found["b"].text, found["c"].text) == ("It's here", "raw'x", "qA")
    lines = text.split("\n")
    for key, line in (("a", 0), ("b", 1), ("c", 2)):
        fv = found[key]
        assert lines[line][fv.location.column - 1] in "'\"" and lines[line][fv.end_column - 2] in "'\""


def test_quoted_prose_in_a_file_that_does_not_parse_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    text = ("name: a\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: acme\n    command: npx\n"
            "    description: 'It''s the acme server, don''t change it'\n    env:\n"
            "      ACME_API_KEY: '${{ secrets.ACME_API_KEY }}'\n  broken: [\n")
    _passed(_pr(tmp_path, gh, [{".continue/mcpServers/acme.yaml": text}]))


# --- 14. inputs written as YAML aliases -------------------------------------------------------------

def _aliased(anchor_line: str, block: str, input_line: str) -> Files:
    return {_WORKFLOW: _HEAD + "jobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n"
            f"      - name: prepare\n        run: echo ok\n        env:\n          {anchor_line}\n{block}"
            "      - uses: anthropics/claude-code-action@v1\n        with:\n" f"          {input_line}\n"}


def _indented(text: str) -> str:
    return "".join("            " + line + "\n" for line in text.splitlines())


@pytest.mark.parametrize("shape", ["claude_env", "mcp_config", "settings", "plugin_marketplaces"])
def test_inputs_written_as_aliases_are_read_from_their_anchor(tmp_path: Path, gh: FakeGitHub,
                                                              shape: str) -> None:
    secret = fake_token("", 40, 13040)
    servers = json.dumps({"mcpServers": {"acme": {"command": "npx", "args": ["-y", "acme-mcp"],
                                                  "env": {"ACME_API_KEY": secret}}}}, indent=2)
    files = {
        "claude_env": _aliased("NOTE: &a |", _indented(f"ACME_API_KEY: {secret}"), "claude_env: *a"),
        "mcp_config": _aliased("NOTE: &a |", _indented(servers), "mcp_config: *a"),
        "settings": _aliased("NOTE: &a '" + json.dumps({"env": {"ACME_API_KEY": secret}}) + "'", "",
                             "settings: *a"),
        "plugin_marketplaces": _aliased(f"NOTE: &a https://x-access-token:{secret}@github.com/acme/p.git", "",
                                        "plugin_marketplaces: *a"),
    }[shape]
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_aliases_to_references_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    lines = _indented("ACME_API_KEY: ${{ secrets.ACME_API_KEY }}\nNODE_ENV: production")
    files = _aliased("NOTE: &a |", lines, "claude_env: *a")
    _passed(_pr(tmp_path, gh, [files]))
