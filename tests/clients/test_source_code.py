"""MCP servers declared in application source (clients/source_code.py, source_py.py, source_js.py).

Shapes from public repositories (values replaced; docs/source-code-servers.md lists them): the
Python SDK's `StdioServerParameters(command="docker", args=[…, "-e", "GITHUB_PERSONAL_ACCESS_TOKEN",
…], env={…: os.getenv(…)})`, langchain-mcp-adapters `MultiServerMCPClient({"ddg": {"command": "uvx",
…, "transport": "stdio"}})`, OpenAI Agents `MCPServerStdio(params={"command": "npx", …, "env": {…}})`
and `MCPServerSse(name=…, params={"url": …})`, pydantic-ai `MCPServerStdio("deno", args=[…])`,
mcp-use `MCPClient.from_dict({"mcpServers": …})`, Claude Agent SDK `ClaudeAgentOptions(mcp_servers=
{"github": {"type": "stdio", …, "env": {"GITHUB_TOKEN": "your-token"}}})`, LlamaIndex
`BasicMCPClient("http://127.0.0.1:8000/sse")`, Mastra `new MCPClient({servers: {baiduMap: {command:
"npx", …, env: {BAIDU_MAP_API_KEY: "…"}}}})`, the TypeScript SDK's `new StdioClientTransport({command,
args, env})` and `new StreamableHTTPClientTransport(new URL(…), {requestInit: {headers:
{Authorization: `Bearer ${…}`}}})`, AI SDK `experimental_createMCPClient({transport: {type: "sse",
url: process.env.MCP_SERVER_URL!, headers: {…}}})`. Every secret-shaped value is built at run time.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

from scanner.clients import parse_config
from scanner.clients.discovery import classify_path, never_candidate
from scanner.clients.source_js import _Reader, tokenize
from scanner.fix.apply import apply_edits
from scanner.inventory import build_inventory
from scanner.model import Client
from scanner.pipeline import scan, scan_files
from scanner.result import ScanOptions, ScanResult
from tests.fakes import fake_token
from tests.workcount import count_lines

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_PAT = fake_token("ghp_", 36, 901)
_KEY = fake_token("sk-proj-", 48, 902)
_TAVILY = fake_token("tvly-", 32, 903)


def _scan(files: dict[str, str]) -> ScanResult:
    return scan_files({path: text.encode() for path, text in files.items()}, _OPTIONS)


def _secrets(result: ScanResult) -> list[tuple[str, int, str | None, str]]:
    return sorted((f.file, f.location.line, f.server, f.field) for f in result.findings
                  if f.rule_id.startswith("MCPG1"))


def _fixed(result: ScanResult, path: str, text: str) -> str:
    edits = [edit for f in result.findings if f.file == path and f.fix is not None for edit in f.fix.edits]
    assert edits, "no fix"
    return apply_edits(text, edits)


# --- detection (each of these found nothing before: source files were never read) ---------------

_PY_CASES = [
    ("agent/github.py", f'''import os
from mcp import StdioServerParameters

github = StdioServerParameters(
    command="docker",
    args=["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server"],
    env={{"GITHUB_PERSONAL_ACCESS_TOKEN": "{_PAT}", "HOME": os.environ["HOME"]}},
)
''', ("agent/github.py", 7, "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN")),
    ("src/client.py", f'''from langchain_mcp_adapters.client import MultiServerMCPClient

client = MultiServerMCPClient({{
    "tavily": {{"url": "https://mcp.tavily.com/mcp/", "transport": "streamable_http",
               "headers": {{"Authorization": "Bearer {_TAVILY}"}}}},
}})
''', ("src/client.py", 5, "tavily", "headers.Authorization")),
    ("agents/run.py", f'''from agents.mcp import MCPServerStdio

params = None
server = MCPServerStdio(name="memory", params={{"command": "npx", "args": ["-y", "mcp-memory"],
                                            "env": {{"OPENAI_API_KEY": "{_KEY}"}}}})
''', ("agents/run.py", 5, "memory", "env.OPENAI_API_KEY")),
    ("app/use.py", f'''from mcp_use import MCPClient

config = {{"mcpServers": {{"github": {{"command": "npx",
                          "args": ["-y", "@modelcontextprotocol/server-github"],
                          "env": {{"GITHUB_PERSONAL_ACCESS_TOKEN": "{_PAT}"}}}}}}}}
client = MCPClient.from_dict(config)
''', ("app/use.py", 5, "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN")),
    ("claude_agent.py", f'''from claude_agent_sdk import ClaudeAgentOptions

options = ClaudeAgentOptions(
    mcp_servers={{
        "github": {{"type": "stdio", "command": "node", "args": ["server.js"],
                   "env": {{"GITHUB_TOKEN": "{_PAT}"}}}},
    }},
)
''', ("claude_agent.py", 6, "github", "env.GITHUB_TOKEN")),
    ("tools/fallback.py", f'''import os
from mcp import StdioServerParameters

p = StdioServerParameters(command="npx", env={{"GITHUB_TOKEN": os.getenv("GITHUB_TOKEN", "{_PAT}")}})
''', ("tools/fallback.py", 4, "p", "env.GITHUB_TOKEN")),
]

_JS_CASES = [
    ("src/mcp.ts", f'''import {{ MCPClient }} from "@mastra/mcp";
export const mcp = new MCPClient({{
  servers: {{
    github: {{
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": {{ "GITHUB_PERSONAL_ACCESS_TOKEN": "{_PAT}" }},
    }},
  }},
}});
''', ("src/mcp.ts", 7, "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN")),
    ("lib/transport.js", f'''import {{ StdioClientTransport }} from "@modelcontextprotocol/sdk";
// a comment with "quotes" and /slashes/
const re = /[/]"x/g;
const transport = new StdioClientTransport({{
  command: 'npx',
  args: ['-y', '@modelcontextprotocol/server-github'],
  env: {{ GITHUB_PERSONAL_ACCESS_TOKEN: '{_PAT}', PATH: process.env.PATH ?? '' }},
}});
''', ("lib/transport.js", 7, "transport", "env.GITHUB_PERSONAL_ACCESS_TOKEN")),
    ("web/http.mts", f'''const http = new StreamableHTTPClientTransport(new URL("https://x.example"), {{
  requestInit: {{ headers: {{ Authorization: `Bearer {_TAVILY}` }} }},
}});
''', ("web/http.mts", 2, "http", "headers.Authorization")),
    ("app/ai.tsx", f'''import {{ experimental_createMCPClient }} from "ai";
const client = await experimental_createMCPClient({{
  transport: {{ type: "sse", url: "https://mcp.example.com/sse", headers: {{ "x-api-key": "{_KEY}" }} }},
}});
''', ("app/ai.tsx", 3, "client", "headers.x-api-key")),
    ("sdk/query.cjs", f'''const {{ query }} = require("@anthropic-ai/claude-agent-sdk");
query({{ prompt: "hi", options: {{ mcpServers: {{
  remote: {{ type: "http", url: "https://mcp.example.com", headers: {{ Authorization: "Bearer {_KEY}" }} }},
}} }} }});
''', ("sdk/query.cjs", 3, "remote", "headers.Authorization")),
]


@pytest.mark.parametrize(("path", "text", "expected"), [*_PY_CASES, *_JS_CASES],
                         ids=[case[0] for case in (*_PY_CASES, *_JS_CASES)])
def test_source_code_secret_is_found(path: str, text: str, expected: tuple[str, int, str, str]) -> None:
    found = _secrets(_scan({path: text}))
    assert expected in found, found


def test_source_servers_are_inventory_servers_with_their_client() -> None:
    path, text, _expected = _PY_CASES[0]
    result = _scan({path: text})
    rows = build_inventory(result)
    assert [(row.client, row.server) for row in rows] == [(Client.PYTHON_CODE.value, "github")]
    config = result.configs[0]
    server = config.servers[0]
    assert server.command is not None and server.command.text == "docker"
    env = {fv.key: fv for fv in server.env}
    assert env["HOME"].is_reference and not env["GITHUB_PERSONAL_ACCESS_TOKEN"].is_reference


def test_fix_writes_the_languages_environment_read() -> None:
    path, text, _ = _PY_CASES[0]
    fixed = _fixed(_scan({path: text}), path, text)
    assert '"GITHUB_PERSONAL_ACCESS_TOKEN": os.environ["GITHUB_PERSONAL_ACCESS_TOKEN"]' in fixed
    assert _PAT not in fixed
    ast.parse(fixed)  # still Python (parsed, never run)
    path, text, _ = _PY_CASES[1]  # inside a longer string: an f-string
    fixed = _fixed(_scan({path: text}), path, text)
    assert "f\"Bearer {os.environ['TAVILY_TOKEN']}\"" in fixed and _TAVILY not in fixed
    path, text, _ = _JS_CASES[1]
    fixed = _fixed(_scan({path: text}), path, text)
    assert "GITHUB_PERSONAL_ACCESS_TOKEN: process.env.GITHUB_PERSONAL_ACCESS_TOKEN" in fixed
    path, text, _ = _JS_CASES[2]  # a template literal without `${…}`
    fixed = _fixed(_scan({path: text}), path, text)
    assert re.search(r"Authorization: `Bearer \$\{process\.env\.[A-Z_]+\}`", fixed) and _TAVILY not in fixed


def test_python_that_does_not_parse_is_searched_line_by_line_and_reported() -> None:
    text = f'from mcp import StdioServerParameters\nenv = {{"GITHUB_TOKEN": "{_PAT}",\nif broken\n'
    result = _scan({"broken.py": text})
    assert ("broken.py", 2) in [(f.file, f.location.line) for f in result.findings]
    assert any(s.path == "broken.py" and "searched line by line" in s.reason for s in result.errors)


# --- precision --------------------------------------------------------------------------------------

_BENIGN = [
    ("docs_example.py", '''import os
from mcp import StdioServerParameters
a = StdioServerParameters(command="npx", env={"GITHUB_TOKEN": "your-token-here"})
b = StdioServerParameters(command="npx", env={"GITHUB_TOKEN": "<TOKEN>"})
c = StdioServerParameters(command="npx", env={"GITHUB_TOKEN": os.environ.get("GITHUB_TOKEN", "")})
d = StdioServerParameters(command="npx", env={"GITHUB_TOKEN": os.environ["GITHUB_TOKEN"]})
e = StdioServerParameters(command="npx", env={"GITHUB_TOKEN": f"{os.getenv('GITHUB_TOKEN')}"})
f = StdioServerParameters(command="npx", env={**os.environ, "GITHUB_TOKEN": token})
'''),
    ("example.ts", '''const t = new StdioClientTransport({ command: "npx",
  env: { GITHUB_TOKEN: process.env.GITHUB_TOKEN! } });
const h = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${process.env.MCP_TOKEN}` } },
});
const m = new MCPClient({ servers: { brave: { command: "npx",
  env: { BRAVE_API_KEY: process.env.BRAVE_API_KEY || "" } } } });
const d = new MCPClient({ servers: { x: { url: "https://mcp.example.com",
  headers: { Authorization: "Bearer YOUR_API_KEY" } } } });
'''),
]


@pytest.mark.parametrize(("path", "text"), _BENIGN, ids=[case[0] for case in _BENIGN])
def test_placeholders_and_environment_reads_are_not_secrets(path: str, text: str) -> None:
    result = _scan({path: text})
    assert result.configs and result.configs[0].servers  # read: the servers are inventory
    assert _secrets(result) == []


def test_a_source_file_without_an_mcp_api_name_holds_no_config() -> None:
    text = f'import os\nconfig = {{"command": "npx", "env": {{"GITHUB_TOKEN": "{_PAT}"}}}}\n'
    candidate = classify_path("src/settings.py")
    assert candidate is not None and candidate.by_content
    assert parse_config(candidate, text.encode()) is None
    assert not _scan({"src/settings.py": text}).findings


def test_source_names_are_content_gated_candidates() -> None:
    for path, client in (("a.py", Client.PYTHON_CODE), ("src/x.ts", Client.JS_CODE),
                         ("web/app.tsx", Client.JS_CODE), ("lib/x.mjs", Client.JS_CODE),
                         ("lib/x.cjs", Client.JS_CODE), ("lib/x.mts", Client.JS_CODE)):
        candidate = classify_path(path)
        assert candidate is not None and candidate.hints == (client,) and candidate.by_content, path
        assert not never_candidate(path)
    for path in ("node_modules/sdk/index.js", "types/index.d.ts", "dist/app.min.js", ".venv/lib/x.py"):
        assert classify_path(path) is None, path


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_work_tree_scan_reads_only_source_files_naming_an_mcp_api(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path, text, expected = _PY_CASES[0]
    (tmp_path / "agent").mkdir()
    (tmp_path / path).write_text(text)
    plain = f'TOKEN = "{_PAT}"\n'
    (tmp_path / "agent" / "settings.py").write_text(plain)  # no MCP API name: never opened
    (tmp_path / "web.ts").write_text(_JS_CASES[1][1])
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    import builtins

    real_open = builtins.open
    opened: list[str] = []

    def spy(file: object, *args: object, **kwargs: object) -> object:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", spy)
    result = scan(ScanOptions(root=tmp_path, use_gitleaks=False))
    monkeypatch.setattr(builtins, "open", real_open)
    assert expected in _secrets(result)
    assert ("web.ts", 7, "transport", "env.GITHUB_PERSONAL_ACCESS_TOKEN") in _secrets(result)
    assert not any(name.endswith("settings.py") for name in opened)
    assert all(f.file != "agent/settings.py" for f in result.findings)


# --- the tokenizer's work is linear -----------------------------------------------------------------

def _reader_lines(text: str) -> int:
    return count_lines(lambda: _Reader(text, tokenize(text)).read_all())


@pytest.mark.parametrize("unit", [
    "/",  # slashes that never close a regular expression
    "x = [/[/ ",  # regex classes that never close
    "`${`",  # unterminated template interpolations
    "{ a: ( [ ",  # never-closed brackets
    "'\\",  # unterminated strings with escapes
    "new StdioClientTransport({ env: { K: 'v', ",  # API calls that never close
])
def test_js_reader_work_is_linear(unit: str) -> None:
    small, large = unit * 200, unit * 800
    ratio = _reader_lines(large) / max(_reader_lines(small), 1)
    assert ratio < 6, (unit, ratio)


def test_a_client_config_reference_written_in_source_is_passed_literally() -> None:
    text = ('from mcp import StdioServerParameters\n'
            'p = StdioServerParameters(command="npx", env={"GITHUB_TOKEN": "${GITHUB_TOKEN}"})\n')
    rules = [(f.rule_id, f.field) for f in _scan({"a.py": text}).findings]
    assert rules == [("MCPG303", "env.GITHUB_TOKEN")]  # the SDK does not expand it: a hardening finding


def test_typescript_type_assertions_keep_the_value() -> None:
    text = (f'const t = new StdioClientTransport({{ command: "npx", env: {{ GITHUB_TOKEN: "{_PAT}",\n'
            '  HOME: process.env.HOME! } as Record<string, string>, args: ["x"] as string[] });\n')
    assert _secrets(_scan({"t.ts": text})) == [("t.ts", 1, "t", "env.GITHUB_TOKEN")]


def _blob_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths a git tree (gitrefs.TreeFiles) is asked for from now on."""
    from scanner.sources import gitrefs

    read: list[str] = []
    real = gitrefs.TreeFiles.__getitem__

    def spy(self: gitrefs.TreeFiles, rel: str) -> bytes:
        read.append(rel)
        return real(self, rel)

    monkeypatch.setattr(gitrefs.TreeFiles, "__getitem__", spy)
    return read


def test_tree_scan_reads_only_source_blobs_naming_an_mcp_api(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.sources import gitrefs

    path, text, expected = _PY_CASES[0]
    (tmp_path / "agent").mkdir()
    (tmp_path / path).write_text(text)
    (tmp_path / "agent" / "settings.py").write_text(f'TOKEN = "{_PAT}"\n')
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "x")
    tree = gitrefs.TreeFiles(tmp_path, "HEAD")
    read = _blob_reads(monkeypatch)
    result = scan_files(tree, _OPTIONS)
    assert expected in _secrets(result)
    assert "agent/settings.py" not in read


def test_overlay_tree_scan_reads_only_source_blobs_naming_an_mcp_api(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The PR path scans the base rebuilt from head (gitrefs.OverlayFiles over a TreeFiles): it asked
    # git for every source blob one process each (2,000 files: 10 s of the 50-config bench PR).
    from scanner.sources import gitrefs

    path, text, expected = _PY_CASES[0]
    (tmp_path / "agent").mkdir()
    (tmp_path / path).write_text("x = 1\n")
    (tmp_path / "agent" / "settings.py").write_text(f'TOKEN = "{_PAT}"\n')
    (tmp_path / "agent" / "other.py").write_text("y = 2\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "x")
    changes = {path: text.encode(), "agent/other.py": b"from mcp import ClientSession\n"}
    overlay = gitrefs.OverlayFiles(gitrefs.TreeFiles(tmp_path, "HEAD"), changes)
    read = _blob_reads(monkeypatch)
    result = scan_files(overlay, _OPTIONS)
    assert expected in _secrets(result)  # the replaced file's own bytes name the API
    assert "agent/settings.py" not in read
