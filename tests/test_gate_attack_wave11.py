"""Red-team regressions (wave 11): JSONC read as VS Code reads it (a `//` comment ends at a lone CR or
U+2028/U+2029; VS Code's wider white space between tokens), TOML 1.1 as Codex reads it, and the
YAML as Continue's `yaml` package reads it (`%YAML 1.3`, control characters), and the line-by-line search
of a file that does not parse decoding escapes, naming an item by the `--option` before it and reading
values below their key. Each drives the Action against the contract-checked fake GitHub; every secret
is built at run time.

| # | attempt (the PR's file) | before | fix |
|---|---|---|---|
| 1 | `.vscode/mcp.json`: `// note<CR>"args": [.., "<token, a letter \\u-escaped>"]` | success | a |
| 2 | the same, U+2028 or U+2029 ending the comment | success | a |
| 3 | U+00A0 / U+3000 / U+200B / `\\v` between tokens, token `\\u`-escaped | success | a, b |
| 4 | a file VS Code's fault-tolerant reader loads (`] x` after `args`), token escaped | success | b |
| 5 | Codex TOML 1.1 (`{ A = "b", }`): unparsed, `"--aws-secret-access-key", "<key>"` nameless | success | c |
| 6 | a file that does not parse, `"--aws-secret-access-key",` then the key on the next line | success | d |
| 7 | Continue block with `%YAML 1.3` + AWS secret key in a block scalar or under its key | success | e, f |
| 8 | Continue block with ESC / DEL in a comment (libyaml refuses the file) | line search | e |
| 9 | a YAML that does not parse: AWS secret key in a block scalar or plain below its key | success | f |
| - | CR / U+2028 comment over an opaque value under a credential name | blocked | - |
| - | `%YAML 1.3` Continue block, GitHub token: block scalar, `\\x`-escaped, plain | blocked | - |
| - | valid JSON with a `\\u`-escaped token | blocked | - |
| - | `${env:X}`+token, token+`${env:X}`, `${env:<token>}`, `${env:X:<token>}`, U+FF04 `{` | blocked | - |
| - | UTF-32 with BOM, UTF-16 without BOM (`.vscode/mcp.json`) | error | - |
| - | a 6.5 MB `.cursor/mcp.json`; `timeout: 0.001`; `file-timeout: 0.000001` | error | - |
| - | 400 configs in one PR; Goose `envs` given twice; Codex TOML 1.1 with a GitHub token | blocked | - |
| - | symlink `.cursor/mcp.json` -> a base-ignored `examples/`; rename out of it | blocked | - |
| - | PR-added `.mcp-guard.yml` / `.mcp-guard.yaml` (`ignore-paths: **`, `fail-on: none`) | blocked | - |
| - | PR-added `.gitattributes` (`binary`, `-diff`, `export-ignore`, LFS filter, no pointer) | blocked | - |
| - | `[skip ci]` in the commit message; `// gitleaks:allow`, `mcp-guard:ignore`, `nosec` | blocked | - |
| - | fork PR payload | blocked | - |
| - | `fail-on: none`, neither a base gate workflow nor a base policy (documented: no floor) | success | - |

Fixes: (a) `parsing/jsonc.py`: a `//` comment ends at `\\r`, U+2028 and U+2029 and VS Code's white space
set separates tokens (`vs/base/common/json.ts`: before, the rest of the line was comment text, searched
with its escapes undecoded); (b) `clients/unparsed.py`: the line-by-line search decodes the escapes of
double-quoted values (`\\uXXXX` and surrogate pairs, `\\xHH`, `\\UXXXXXXXX`, one-letter escapes);
(c) `parsing/toml_tree.py`: a text tomllib (TOML 1.0) rejects is decoded as the 1.0 text meaning the
same (TOML 1.1: line breaks, comments and a trailing comma in `{}`, `\\xHH` / `\\e`, times without
seconds), positions still from the text as written; (d) `clients/unparsed.py`: a quoted item right
after a `--name` item, on its line or the next, is keyed by that option (as an argv is read);
(e) `parsing/yaml_tree.py`: a `%YAML` version libyaml does not know is read as 1.2, and characters
outside YAML's printable set as U+FFFD (same length, positions kept), as the `yaml` package reads on;
(f) `clients/unparsed.py`: a block scalar (`KEY: |-`, `>`) and a one-word plain scalar on the line
below `KEY:` are that key's value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.clients.unparsed import line_values
from scanner.errors import ParseError
from scanner.parsing import jsonc_comments, parse_jsonc, parse_toml, parse_yaml
from tests.fakes import fake_token
from tests.gh.action_helpers import Files, pat
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub


def _escaped(token: str, at: int = 1) -> str:
    """`token` as a JSON string body with the character at `at` written as a `\\u` escape."""
    return token[:at] + f"\\u{ord(token[at]):04x}" + token[at + 1:]


def _vscode(inner: str) -> Files:
    """A `.vscode/mcp.json` with one server whose last members are `inner` (raw JSONC text)."""
    return {".vscode/mcp.json": '{\n  "servers": {\n    "acme": {\n      "command": "npx",\n'
                                + inner + "\n    }\n  }\n}\n"}


# --- 1. a `//` comment ends where VS Code ends it ----------------------------------------------------

_BREAKS = {"lone CR": "\r", "line separator": "\u2028", "paragraph separator": "\u2029"}


@pytest.mark.parametrize("name", sorted(_BREAKS))
def test_entry_after_a_comment_ending_at_a_lone_line_break_is_read(tmp_path: Path, gh: FakeGitHub,
                                                                   name: str) -> None:
    token = pat(11001)
    inner = f'      // pinned{_BREAKS[name]}"args": ["-y", "acme-mcp", "--token", "{_escaped(token)}"]'
    _blocked(_pr(tmp_path, gh, [_vscode(inner)]), token)


def test_comment_ending_at_a_lone_line_break_is_parsed_as_vscode_reads_it() -> None:
    for brk in _BREAKS.values():
        root = parse_jsonc('{"a": 1, // note' + brk + '"b": "x"}')
        assert [str(key.value) for key, _ in root.entries] == ["a", "b"]
        assert [c for _, _, c in jsonc_comments('{"a": 1, // note' + brk + '"b": "x"}')] == ["// note"]
    # CRLF and LF still end a comment where they always did; a `//` inside a string is no comment
    root = parse_jsonc('{"u": "https://x.example/a", // c\r\n"b": 2}')
    assert [str(key.value) for key, _ in root.entries] == ["u", "b"]


def test_comments_ending_at_a_lone_line_break_with_references_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    # The entry after the comment reads its secret; a comment whose text after the CR is also text
    # (a file with old Mac line ends) is still a comment line by line.
    inner = '      // pinned\r"env": {"ACME_API_KEY": "${input:acme-key}"}'
    files: Files = {**_vscode(inner),
                    ".cursor/mcp.json": '{\r  // Acme MCP server\r  "mcpServers": {\r    "acme": {\r'
                                        '      "command": "npx",\r      "args": ["-y", "acme-mcp"],\r'
                                        '      "env": {"ACME_API_KEY": "${env:ACME_API_KEY}"}\r'
                                        '    }\r  }\r}\r'}
    _passed(_pr(tmp_path, gh, [files]))


# --- 2. VS Code's white space between tokens ---------------------------------------------------------

_BLANKS = {"no-break space": "\u00a0", "ideographic space": "\u3000", "vertical tab": "\v",
           "zero width space": "\u200b"}


@pytest.mark.parametrize("name", sorted(_BLANKS))
def test_config_spaced_with_vscode_white_space_is_parsed(tmp_path: Path, gh: FakeGitHub, name: str) -> None:
    token = pat(11002)
    inner = f'      "args":{_BLANKS[name]}["-y", "acme-mcp", "--token", "{_escaped(token)}"]'
    _blocked(_pr(tmp_path, gh, [_vscode(inner)]), token)


def test_vscode_white_space_gives_the_same_tree() -> None:
    spaced = parse_jsonc('{\u00a0"servers":\u3000{"a":\v{"command":\f"npx"}}\u2028}')
    plain = parse_jsonc('{"servers": {"a": {"command": "npx"}}}')
    for root in (spaced, plain):
        servers = root.get("servers")
        server = servers.get("a") if servers is not None else None
        command = server.get("command") if server is not None else None
        assert command is not None and command.value == "npx"


# --- 3. escapes in the line-by-line search of a file that does not parse -----------------------------


def test_escaped_token_in_a_file_that_does_not_parse_is_found(tmp_path: Path, gh: FakeGitHub) -> None:
    # VS Code's reader is fault tolerant: `] x` is an error it reports and reads past.
    token = pat(11003)
    inner = f'      "args": ["-y", "acme-mcp", "--token", "{_escaped(token, 5)}"] x'
    _blocked(_pr(tmp_path, gh, [_vscode(inner)]), token)


def test_line_search_decodes_the_escapes_of_double_quoted_values() -> None:
    text = ('"a": "\\u0041\\x42\\U00000043\\n\\ud83d\\ude00" oops\n'
            "'b': 'C:\\u0041' \"c\": \"C:\\\\work\\\\q\"\n")
    values = {fv.field: fv.text for fv in line_values("x.json", text)}
    assert values == {"a": "ABC\n\U0001F600", "b": "C:\\u0041", "c": "C:\\work\\q"}


def test_escaped_ordinary_values_in_a_file_that_does_not_parse_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    inner = ('      "args": ["-y", "acme-mcp", "--root", "C:\\\\Users\\\\dev\\\\proj\\u00e9ct"],\n'
             '      "env": {"ACME_API_KEY": "\\u0024{input:acme-key}"} x')
    _passed(_pr(tmp_path, gh, [_vscode(inner)]))


# --- 4. TOML 1.1, which Codex reads (Rust `toml` 1.x) and tomllib did not ----------------------------


def _aws_secret(seed: int) -> str:
    """An AWS secret access key (40 characters of base64), alone: no key id beside it."""
    return fake_token("", 40, seed, _BASE64)


_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_TOML_1_1 = {
    "trailing comma in an inline table": 'env = { AWS_REGION = "us-east-1", }\n',
    "inline table over lines, with a comment": 'env = {\n  # region only\n  AWS_REGION = "us-east-1"\n}\n',
    "\\x escape": 'description = "AWS \\x2d read only"\n',
    "time without seconds": 'quiet_from = 22:30\n',
}


def _codex(extra: str, args: str) -> Files:
    return {".codex/config.toml": f'[mcp_servers.aws]\ncommand = "npx"\nargs = {args}\n{extra}'}


@pytest.mark.parametrize("form", sorted(_TOML_1_1))
def test_codex_config_in_toml_1_1_is_parsed(tmp_path: Path, gh: FakeGitHub, form: str) -> None:
    secret = _aws_secret(11004)
    args = f'["-y", "aws-mcp", "--aws-secret-access-key", "{secret}"]'
    _blocked(_pr(tmp_path, gh, [_codex(_TOML_1_1[form], args)]), secret)


def test_toml_1_1_values_keep_their_positions() -> None:
    text = ('[mcp_servers.aws]\nenv = {\n  # c\n  A = "\\x41\\e",\n  "k\\x42" = 1,\n}\n'
            'at = 07:32\nargs = ["x"]\n')
    root = parse_toml(text)
    servers = root.get("mcp_servers")
    server = servers.get("aws") if servers is not None else None
    assert server is not None
    env, at, args = server.get("env"), server.get("at"), server.get("args")
    assert env is not None and at is not None and args is not None
    assert [(str(k.value), v.value, v.line, v.column) for k, v in env.entries] == [
        ("A", "A\x1b", 4, 7), ("kB", 1, 5, 13)]
    assert (at.value, at.line) == ("07:32:00", 7) and (args.items[0].line, args.items[0].column) == (8, 9)
    with pytest.raises(ParseError):  # what neither version allows still fails
        parse_toml('a = {\n  b = 1,,\n}\n')


def test_codex_config_in_toml_1_1_with_references_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    config = _codex('env_vars = ["AWS_SECRET_ACCESS_KEY"]\nenv = {\n  AWS_REGION = "us-east-1",\n}\n',
                    '["-y", "aws-mcp", "--profile", "readonly"]')
    _passed(_pr(tmp_path, gh, [config]))


# --- 5. an option's value in the line-by-line search -------------------------------------------------


def test_value_after_a_named_option_in_a_file_that_does_not_parse_is_judged_by_it(tmp_path: Path,
                                                                                  gh: FakeGitHub) -> None:
    secret = _aws_secret(11005)
    inner = f'      "args": [\n        "--aws-secret-access-key",\n        "{secret}"\n      ] x'
    _blocked(_pr(tmp_path, gh, [_vscode(inner)]), secret)


def test_line_search_keys_an_item_by_the_option_before_it() -> None:
    text = ('"args": ["-y", "acme-mcp", "--api-key", "AAAAAAAAAAAA"] x\n'
            '  "--token",\n\n  "BBBBBBBBBBBB",\n  "--verbose", "CCCCCCCCCCCC", "DDDDDDDDDDDD"\n'
            '"--sheet-id"\n"x": 1\n"EEEEEEEEEEEE"\n')
    keys = {fv.text: fv.key for fv in line_values("x.json", text)}
    assert keys["AAAAAAAAAAAA"] == "--api-key" and keys["BBBBBBBBBBBB"] == "--token"
    assert keys["CCCCCCCCCCCC"] == "--verbose" and keys["DDDDDDDDDDDD"] is None
    assert keys["acme-mcp"] is None and keys["EEEEEEEEEEEE"] is None


def test_ordinary_option_values_in_a_file_that_does_not_parse_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    inner = ('      "args": ["-y", "acme-mcp", "--region", "eu-central-1", "--sheet-id",\n'
             '               "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms", "--api-key", "${input:acme}"] x')
    _passed(_pr(tmp_path, gh, [_vscode(inner)]))


# --- 6. YAML Continue reads and libyaml refused; values below their key in the line search ----------


def _continue_block(env: str, head: str = "") -> Files:
    return {".continue/mcpServers/aws.yaml": head + "name: aws\nversion: 0.0.1\nschema: v1\nmcpServers:\n"
            "  - name: aws\n    command: npx\n    args: [\"-y\", \"aws-mcp\"]\n    env:\n" + env}


_CONTINUE_ONLY = {"YAML 1.3 directive": "%YAML 1.3\n---\n",
                  "escape character in a comment": "# \x1b[1mteam servers\x1b[0m\n",
                  "delete character in a comment": "# generated\x7f\n"}


@pytest.mark.parametrize("head", sorted(_CONTINUE_ONLY))
def test_continue_block_libyaml_refuses_is_parsed(tmp_path: Path, gh: FakeGitHub, head: str) -> None:
    secret = _aws_secret(11006)
    files = _continue_block(f"      AWS_SECRET_ACCESS_KEY: {secret}\n", _CONTINUE_ONLY[head])
    outcome = _pr(tmp_path, gh, [files])
    _blocked(outcome, secret)
    assert "does not parse" not in outcome[2]  # read as Continue reads it, not line by line


def test_yaml_libyaml_refuses_keeps_its_positions() -> None:
    for head in _CONTINUE_ONLY.values():
        root = parse_yaml(head + "a:\n  b: \"x\x07y\"\n")
        a = root.get("a")
        b = a.get("b") if a is not None else None
        assert b is not None and (b.line, b.column) == (head.count("\n") + 2, 6)
    with pytest.raises(ParseError):
        parse_yaml("a: [\n")


_BELOW = {"block scalar": "      AWS_SECRET_ACCESS_KEY: |-  # rotated monthly\n        {secret}\n",
          "folded block scalar": "      AWS_SECRET_ACCESS_KEY: >\n        {secret}\n\n",
          "plain scalar under its key": "      AWS_SECRET_ACCESS_KEY:\n        {secret}\n"}


@pytest.mark.parametrize("form", sorted(_BELOW))
def test_value_below_its_key_in_a_yaml_that_does_not_parse_is_judged(tmp_path: Path, gh: FakeGitHub,
                                                                     form: str) -> None:
    secret = _aws_secret(11007)
    files = _continue_block(_BELOW[form].format(secret=secret) + "  - name: [broken\n")
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_line_search_reads_values_below_their_key() -> None:
    text = ("env:\n  nested:\n    deeper: 1\n  A: |\n    one\n\n    two\n  B: >-\n    three\n    four\n"
            "  C:\n    five\n  D:\n    two words\n- E: |2\n    six\n")
    values = {fv.field: (fv.text, fv.location.line, fv.location.column) for fv in line_values("x.yaml", text)
              if fv.field in "ABCDE"}
    assert values == {"A": ("one\n\ntwo", 5, 5), "B": ("three four", 9, 5), "C": ("five", 12, 5),
                      "E": ("six", 16, 5)}


def test_values_below_their_keys_that_are_no_secrets_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    env = ("      AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n      AWS_REGION:\n"
           "        eu-central-1\n    description: |\n      Reads the team's buckets; the key comes from\n"
           "      Continue Hub secrets.\n")
    _passed(_pr(tmp_path, gh, [_continue_block(env, _CONTINUE_ONLY["YAML 1.3 directive"])]))
