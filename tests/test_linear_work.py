"""Work on one file grows linearly with its size (counted, never timed), and the inputs that were
once super-linear stay fixed (minimal reproductions of issue 13 item 4 and issue 16).

Work is counted as the number of Python and C function calls the scan makes (sys.setprofile): a
loop that compares each element with all the others, or recomputes a per-server verdict for each
secret, shows up as calls growing k*k-fold for a k-times larger input. Regex backtracking happens
inside one C call, so the regex reproductions run at their original sizes (each took 14-42 s
before) and assert their results, plus a call-count bound.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from scanner.errors import ParseError
from scanner.parsing import parse_toml
from scanner.pipeline import ScanOptions, ScanResult, scan_files
from scanner.references import RefSyntax, find_references, strip_references
from tests.fakes import fake_token
from tests.workcount import count_calls

K = 4


def _calls(fn: Callable[[], object]) -> int:
    _clear_caches()
    return count_calls(fn)


def _clear_caches() -> None:
    from scanner import references
    from scanner.clients import catalog
    from scanner.engines import analyze, engine
    from scanner.fix import codex as codex_fix

    re.purge()  # per-name patterns compiled for the warm-up input must not be free for the next
    references.clear_caches()
    analyze.clear_caches()
    codex_fix._layout.cache_clear()
    codex_fix._table_has.cache_clear()
    catalog._normalised_name.cache_clear()
    engine._HASHES.clear()


def _scan(path: str, text: str) -> ScanResult:
    return scan_files({path: text.encode()}, ScanOptions(root=Path("."), use_gitleaks=False))


def _ratio(build: Callable[[int], tuple[str, str]], n: int) -> float:
    _scan(*build(n // 2 + 1))  # warm up (lazy imports, templates), on another input: no cache hits
    small_input, large_input = build(n), build(K * n)
    small = _calls(lambda: _scan(*small_input))
    large = _calls(lambda: _scan(*large_input))
    return large / small


def _servers_one_line(n: int) -> tuple[str, str]:
    servers = {f"srv{i}": {"command": "npx", "args": ["-y", f"pkg-{i}", "--port", str(3000 + i)],
                           "env": {"API_TOKEN": fake_token("ghp_", 36, i) if i % 3 == 0 else "${env:T}",
                                   "DATABASE_URL": f"postgres://app:${{P}}@db{i}.internal/app"}}
               for i in range(n)}
    return ".cursor/mcp.json", json.dumps({"mcpServers": servers}, separators=(",", ":"))


def _env_keys(n: int) -> tuple[str, str]:
    # Literal values under sensitive names: one finding per key, all in one server.
    env = {f"API_KEY_{i}": fake_token("", 24, i) for i in range(n)}
    return ".mcp.json", json.dumps({"mcpServers": {"a": {"command": "x", "env": env}}})


def _vscode_env_keys(n: int) -> tuple[str, str]:
    # The same in a VS Code file: each fix declares an `${input:}` (the file was parsed per finding).
    env = {f"API_KEY_{i}": fake_token("", 24, i) for i in range(n)}
    return ".vscode/mcp.json", json.dumps({"servers": {"a": {"command": "x", "env": env}}})


def _claude_projects(n: int) -> tuple[str, str]:
    # One server name in every project of a `.claude.json`: the servers share their secrets' evidence.
    projects = {f"/p{i}": {"mcpServers": {"a": {"command": "x", "env": {
        "GITHUB_TOKEN": fake_token("ghp_", 36, i)}}}}
                for i in range(n)}
    return ".claude.json", json.dumps({"projects": projects})


def _tokens_as_keys(n: int) -> tuple[str, str]:
    # Tokens used as env keys: each one found in the text was looked for in every name.
    env = {fake_token("ghp_", 36, i): "x" for i in range(n)}
    return ".mcp.json", json.dumps({"mcpServers": {"a": {"command": "x", "env": env}}})


def _aws_pair(i: int) -> tuple[str, str]:
    return "AK" + "IA" + fake_token("", 16, i, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), fake_token("", 40, i)


def _vscode_aws_pairs(n: int) -> tuple[str, str]:
    # AWS key id + secret per server in a VS Code file: each pair's fix re-parsed the file it left.
    servers = {f"s{i}": {"command": "x", "env": dict(zip(("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
                                                         _aws_pair(i), strict=True))} for i in range(n)}
    return ".vscode/mcp.json", json.dumps({"servers": servers}, indent=2)


def _vscode_settings_aws_pairs(n: int) -> tuple[str, str]:
    # The same pairs in the VS Code files read only when their text holds `mcp` (user settings, a
    # workspace, a dev container): their fixes took the whole-file way (a parse per pair).
    path, text = _vscode_aws_pairs(n)
    section = json.loads(text)
    layouts = {".vscode/settings.json": {"editor.fontSize": 12, "mcp": section},
               "x.code-workspace": {"folders": [], "settings": {"mcp": section}},
               ".devcontainer/devcontainer.json": {"image": "x",
                                                   "customizations": {"vscode": {"mcp": section}}}}
    path = (".vscode/settings.json", "x.code-workspace", ".devcontainer/devcontainer.json")[n % 3]
    return path, json.dumps(layouts[path], indent=2)


def _codex_aws_pairs(n: int) -> tuple[str, str]:
    # The same in Codex TOML (env table and inline `env`, alternately).
    def server(i: int) -> str:
        key_id, secret = _aws_pair(i)
        if i % 2:
            return (f'[mcp_servers.s{i}]\ncommand = "x"\n'
                    f'env = {{ AWS_ACCESS_KEY_ID = "{key_id}", AWS_SECRET_ACCESS_KEY = "{secret}" }}\n')
        return (f'[mcp_servers.s{i}]\ncommand = "x"\n[mcp_servers.s{i}.env]\nAWS_ACCESS_KEY_ID = "{key_id}"\n'
                f'AWS_SECRET_ACCESS_KEY = "{secret}"\n')

    return ".codex/config.toml", "".join(server(i) for i in range(n))


def _args(n: int) -> tuple[str, str]:
    args = [item for i in range(n) for item in (f"--opt-{i}", f"v{i}", f"--token={fake_token('', 20, i)}")]
    return ".mcp.json", json.dumps({"mcpServers": {"a": {"command": "x", "args": args}}})


def _toml_servers(n: int) -> tuple[str, str]:
    return ".codex/config.toml", "".join(
        f'[mcp_servers.s{i}]\ncommand = "npx"\nargs = ["-y", "pkg-{i}"]\n'
        f'[mcp_servers.s{i}.env]\nGITHUB_TOKEN = "{fake_token("ghp_", 36, i)}"\n' for i in range(n))


def _yaml_servers(n: int) -> tuple[str, str]:
    return ".config/goose/config.yaml", "extensions:\n" + "".join(
        f"  ext{i}:\n    type: stdio\n    cmd: npx\n    args: [-y, pkg-{i}]\n"
        f"    envs:\n      API_TOKEN: {fake_token('', 30, i)}\n" for i in range(n))


def _comment_pairs(n: int) -> tuple[str, str]:
    words = " ".join(("k=v", '"k": "v', "x:", "a" * 50)[i % 4] for i in range(n))
    return ".vscode/mcp.json", '{"servers": {}}\n// ' + words + "\n"


def _codex_described_aws_pairs(n: int) -> tuple[str, str]:
    # The same with a multi-line description in every server: each pair took the whole-file way.
    def server(i: int) -> str:
        key_id, secret = _aws_pair(i)
        return (f'[mcp_servers.s{i}]\ncommand = "x"\ndescription = """\nserver {i}\n"""\n'
                f'[mcp_servers.s{i}.env]\nAWS_ACCESS_KEY_ID = "{key_id}"\n'
                f'AWS_SECRET_ACCESS_KEY = "{secret}"\n')

    return ".codex/config.toml", "".join(server(i) for i in range(n))


def _codex_interleaved_aws_pairs(n: int) -> tuple[str, str]:
    # Every server's own table first, every env table at the end: the pair's slice of the file ran
    # from the server's header down to its env table, past every other server's tables.
    heads = "".join(f'[mcp_servers.s{i}]\ncommand = "x"\n' for i in range(n))
    envs = "".join(f'[mcp_servers.s{i}.env]\nAWS_ACCESS_KEY_ID = "{_aws_pair(i)[0]}"\n'
                   f'AWS_SECRET_ACCESS_KEY = "{_aws_pair(i)[1]}"\n' for i in range(n))
    return ".codex/config.toml", heads + envs


def _codex_header_aws_pairs(n: int) -> tuple[str, str]:
    # The pair in a remote server's `http_headers` table: each pair took the whole-file way.
    return ".codex/config.toml", "".join(
        f'[mcp_servers.s{i}]\nurl = "https://h{i}.example.com/mcp"\n[mcp_servers.s{i}.http_headers]\n'
        f'AWS_ACCESS_KEY_ID = "{_aws_pair(i)[0]}"\nAWS_SECRET_ACCESS_KEY = "{_aws_pair(i)[1]}"\n'
        for i in range(n))


@pytest.mark.parametrize("build, n", [
    (_servers_one_line, 10), (_env_keys, 25), (_vscode_env_keys, 25), (_claude_projects, 25),
    (_tokens_as_keys, 150), (_args, 25), (_toml_servers, 10), (_yaml_servers, 10), (_comment_pairs, 600),
    (_vscode_aws_pairs, 10), (_vscode_settings_aws_pairs, 9), (_vscode_settings_aws_pairs, 10),
    (_vscode_settings_aws_pairs, 11), (_codex_aws_pairs, 10), (_codex_described_aws_pairs, 10),
    (_codex_interleaved_aws_pairs, 40), (_codex_header_aws_pairs, 10),
], ids=["servers-one-line", "env-keys", "vscode-env-keys", "claude-projects", "tokens-as-keys", "args",
        "toml-servers", "yaml-servers", "comment-pairs", "vscode-aws-pairs", "vscode-settings-aws-pairs",
        "vscode-workspace-aws-pairs", "devcontainer-aws-pairs", "codex-aws-pairs",
        "codex-described-aws-pairs", "codex-interleaved-aws-pairs", "codex-header-aws-pairs"])
def test_scan_work_grows_linearly(build: Callable[[int], tuple[str, str]], n: int) -> None:
    ratio = _ratio(build, n)
    # Fixed per-scan costs make the ratio a little under K; a quadratic path would give ~K*K.
    assert 0.5 * K <= ratio <= 1.3 * K, f"work grew {ratio:.2f}-fold for a {K}-fold larger input"


# --- Minimal reproductions of past slow inputs -------------------------------------------------

def test_long_trailing_comment_word_is_scanned_once() -> None:
    # 20 KB `//` comment word: the comment key/value regex retried every suffix (42 s).
    def build(n: int) -> tuple[str, str]:
        return ".vscode/mcp.json", '{"servers": {}}\n// ' + "a" * n + "\n"

    result = _scan(*build(20_000))
    assert result.complete and result.findings == []
    assert _ratio(build, 5_000) <= 1.3  # one word is one comment whatever its length
    # The pair extraction still reads key/value fragments around long words.
    token = fake_token("ghp_", 36, 7)
    result = _scan(".vscode/mcp.json", '{"servers": {}}\n// ' + "a" * 20_000 + f' GITHUB_TOKEN="{token}"\n')
    assert [f.rule_id for f in result.findings if f.rule_id.startswith("MCPG1")]


def test_thousands_of_references_in_one_value() -> None:
    # 16,000 `${A}` in one value: the overlap check compared each match with all before it (14.6 s).
    value = "${A}" * 16_000
    _clear_caches()
    refs = find_references(value)
    assert len(refs) == 16_000 and {r.syntax for r in refs} == {RefSyntax.DOLLAR_BRACE}
    assert strip_references(value) == ""
    small = _calls(lambda: find_references("${A}" * 4_000))
    large = _calls(lambda: find_references("${A}" * 16_000))
    assert large <= 1.3 * K * small
    # Mixed syntaxes still claim their spans once, most specific first.
    mixed = "${env:X}${X}{env:Y}$Z" * 2_000
    assert len(find_references(mixed)) == 8_000


def test_unclosed_reference_openings_do_not_rescan() -> None:
    # `${file:` / `${A:-` with no closing brace: each opening must not scan to the end of the text.
    for unit in ("${file:", "${A:-", "{file:"):
        text = unit * 20_000
        assert find_references(text) == []
        assert _calls(lambda t=unit * 80_000: find_references(t)) <= 1.3 * K * _calls(
            lambda t=text: find_references(t))
    assert [r.name for r in find_references("${A:-x}${file:/a}")] == ["A", "/a"]


def test_unterminated_toml_string_of_escaped_quotes() -> None:
    # 16,000 `\"` in an unterminated string: the depth pre-scan restarted at every quote (20.5 s).
    text = '[mcp_servers.a]\ncommand = "' + '\\"' * 16_000
    with pytest.raises(ParseError, match="unterminated string"):
        parse_toml(text)
    multi = '[mcp_servers.a]\ncommand = """' + '\\"' * 16_000
    with pytest.raises(ParseError):
        parse_toml(multi)
    result = _scan(".codex/config.toml", text)
    assert not result.complete or result.errors  # reported, never silently clean
    # The pre-scan still skips terminated strings and still catches deep brackets.
    assert parse_toml('a = "[[[[" \nb = \'{{{\'\n').get("a") is not None
    with pytest.raises(ParseError, match="nesting deeper"):
        parse_toml("a = " + "[" * 300 + "]" * 300)


@pytest.mark.parametrize("opening", ['"', '"""', "'''"])
def test_toml_1_1_rewrite_reads_an_unterminated_string_as_one_token(opening: str) -> None:
    # The TOML 1.1 -> 1.0 rewrite (tried when tomllib refuses a file) once restarted a string at every
    # quote of an unterminated one and scanned to the end each time: 0.2 MiB of `\"` took 196 s. The
    # regex work is in C, so the test counts tokens: an unterminated string is one, whatever its length.
    from scanner.parsing.toml_tree import _TOKENS_1_1, _toml_1_0

    body = opening + '\\"' * 20_000 + " 'x"
    tokens = list(_TOKENS_1_1.finditer(body))
    assert len(tokens) == 1 and tokens[0].group() == body
    text = "[mcp_servers.a]\ncommand = " + body
    assert _toml_1_0(text) == text
    with pytest.raises(ParseError):
        parse_toml(text)
    # Terminated strings keep their extent; what follows is read as before.
    assert [m.group() for m in _TOKENS_1_1.finditer('a = "x\\"y" # c')][4:] == ['"x\\"y"', " ", "# c"]
    assert _toml_1_0("a = { b = 1, }\nt = 07:32\n") == "a = { b = 1 }\nt = 07:32:00\n"

