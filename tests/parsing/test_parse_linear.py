"""parse_config's work grows linearly with the file, for every format and layout (counted, not timed).

Work is the number of Python and C function calls (sys.setprofile) made while one file becomes an
McpConfig: a K-times larger file must cost about K times the calls. Covers the strict-JSON fast
path (one line, pretty-printed), the tolerant path (comments, trailing commas), TOML, YAML,
dotenv and XML.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from scanner.clients import parse_config
from scanner.clients.discovery import Candidate, classify_path, dotenv_candidate
from tests.fakes import fake_token
from tests.workcount import count_calls, count_lines

K = 4


_calls = count_calls


def _servers(n: int) -> dict[str, object]:
    return {f"srv{i}": {"command": "npx", "args": ["-y", f"pkg-{i}", "--port", str(3000 + i)],
                        "env": {"API_TOKEN": fake_token("ghp_", 36, i) if i % 3 == 0 else "${env:T}",
                                "N": i, "ON": True}}
            for i in range(n)}


def _one_line(n: int) -> tuple[str, str]:
    return ".cursor/mcp.json", json.dumps({"mcpServers": _servers(n)}, separators=(",", ":"))


def _pretty(n: int) -> tuple[str, str]:
    return ".mcp.json", json.dumps({"mcpServers": _servers(n), "other": ["x"] * n}, indent=2)


def _jsonc(n: int) -> tuple[str, str]:
    body = json.dumps({"servers": _servers(n)}, indent=2)
    return ".vscode/mcp.json", "// workspace servers\n" + body.replace("},\n", "}, // next\n")[:-1] + ",}"


def _args(n: int) -> tuple[str, str]:
    args = [item for i in range(n) for item in (f"--opt-{i}", f"v{i}", f"--token=\\u00e9{i}")]
    return ".mcp.json", json.dumps({"mcpServers": {"a": {"command": "x", "args": args}}})


def _toml(n: int) -> tuple[str, str]:
    return ".codex/config.toml", "".join(
        f'[mcp_servers.s{i}]\ncommand = "npx"\nargs = ["-y", "pkg-{i}"]\n'
        f'[mcp_servers.s{i}.env]\nGITHUB_TOKEN = "{fake_token("ghp_", 36, i)}"\n' for i in range(n))


def _yaml(n: int) -> tuple[str, str]:
    return ".config/goose/config.yaml", "extensions:\n" + "".join(
        f"  ext{i}:\n    type: stdio\n    cmd: npx\n    args: [-y, pkg-{i}, 7, true]\n"
        f"    envs:\n      API_TOKEN: {fake_token('', 30, i)}\n" for i in range(n))


def _xml(n: int) -> tuple[str, str]:
    entries = "".join(
        f'      <McpServerCommand>\n        <option name="name" value="s{i}" />\n'
        f'        <option name="programPath" value="npx" />\n'
        f'        <option name="arguments" value="-y pkg-{i} --port {3000 + i}" />\n'
        f'        <envs><env name="API_TOKEN" value="{fake_token("ghp_", 36, i)}" /></envs>\n'
        '      </McpServerCommand>\n' for i in range(n))
    return ".idea/workspace.xml", ('<project version="4">\n  <component name="McpProjectServerCommands">\n'
                                   f'    <commands>\n{entries}    </commands>\n  </component>\n</project>\n')


def _dotenv(n: int) -> tuple[str, str]:
    return ".env", "".join(f'KEY_{i}=value-{i} # c\nexport Q_{i}="a\\nb"\nS_{i}=\'x\'\n' for i in range(n))


def _candidate(path: str) -> Candidate:
    candidate = classify_path(path) or dotenv_candidate(path)
    assert candidate is not None
    return candidate


@pytest.mark.parametrize("build, n", [
    (_one_line, 20), (_pretty, 20), (_jsonc, 20), (_args, 50), (_toml, 20), (_yaml, 20), (_dotenv, 50),
    (_xml, 20),
], ids=["json-one-line", "json-pretty", "jsonc", "args", "toml", "yaml", "dotenv", "xml"])
def test_parse_config_work_grows_linearly(build: Callable[[int], tuple[str, str]], n: int) -> None:
    path, small_text = build(n)
    _, large_text = build(K * n)
    candidate = _candidate(path)
    small_data, large_data = small_text.encode(), large_text.encode()
    first = parse_config(candidate, small_data)  # warm up (lazy imports, regex compilation)
    assert first is not None and first.parse_error is None
    assert first.servers or first.extra_values or first.file_values
    small = _calls(lambda: parse_config(candidate, small_data))
    large = _calls(lambda: parse_config(candidate, large_data))
    ratio = large / small
    assert 0.7 * K <= ratio <= 1.3 * K, f"work grew {ratio:.2f}-fold for a {K}-fold larger file"


def _spring(n: int) -> tuple[str, str]:
    # Spring AI properties: N env values naming N properties of the same file (`${p_i}`, resolved by
    # clients/spring_refs.py); both the tree building and the placeholder lookups once scanned every
    # entry of a node per key (N x N lines, N calls).
    head = "spring.ai.mcp.client.stdio.connections.a.command=npx\n"
    env = "".join(f"spring.ai.mcp.client.stdio.connections.a.env.K{i}=${{p{i}}}\n" for i in range(n))
    return "src/main/resources/application.properties", head + env + "".join(
        f"p{i}=v-{i}\n" for i in range(n))


def test_spring_properties_work_grows_linearly_in_lines() -> None:
    n = 200
    path, small_text = _spring(n)
    _, large_text = _spring(K * n)
    candidate = _candidate(path)
    first = parse_config(candidate, small_text.encode())
    assert first is not None and first.parse_error is None and first.servers
    small = count_lines(lambda: parse_config(candidate, small_text.encode()))
    large = count_lines(lambda: parse_config(candidate, large_text.encode()))
    ratio = large / small
    assert 0.7 * K <= ratio <= 1.3 * K, f"work grew {ratio:.2f}-fold for a {K}-fold larger file"


def test_toml_scanner_calls_per_server() -> None:
    """The positioned TOML scanner reads `bare = one-line value`, bare dotted headers and one-line
    string arrays with one match each (wave 12): 217 calls per server of this shape before, 155 after."""
    from scanner.parsing import toml_tree

    text = "".join(f'[mcp_servers.s{i}]\ncommand = "npx"\nargs = ["-y", "pkg-{i}"]\nenabled = true\n'
                   f'[mcp_servers.s{i}.env]\nTOKEN = "${{TOKEN}}"\n' for i in range(200))
    per_server = _calls(lambda: toml_tree._Scanner(text).scan()) / 200
    assert per_server <= 170, per_server


def test_dotenv_calls_per_plain_line() -> None:
    """A `NAME=value` line without quotes, `#` or `\\r` is read with one match (wave 12): 19 calls
    per line before, 11 after; quoted values and comment lines keep the general path."""
    from scanner.parsing.dotenv import parse_dotenv

    text = "".join(f"API_TOKEN_{i}=value-{i}-{'x' * 20}\n" for i in range(500))
    root = parse_dotenv(text)
    assert len(root.entries) == 500 and root.entries[7][1].value == f"value-7-{'x' * 20}"
    assert root.entries[7][1].column == 13 and root.entries[7][0].line == 8
    per_line = _calls(lambda: parse_dotenv(text)) / 500
    assert per_line <= 13, per_line
