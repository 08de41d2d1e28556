"""What gets searched inside a file (issues 10 item 1, 11): known client config files whole, files that
do not parse line by line, and every text encoding Windows editors write. Values built at run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.clients import parse_config
from scanner.clients.discovery import classify_path
from scanner.engines.gitleaks import GitleaksEngine, find_gitleaks
from scanner.findings import Finding
from scanner.model import Category
from scanner.pipeline import scan_files
from scanner.result import ScanOptions, ScanResult
from tests.fakes import fake_token

BUNDLED = find_gitleaks(None, {"PATH": ""})
OPENAI = fake_token("sk-proj-", 48, 11)
ANTHROPIC = fake_token("sk-ant-api03-", 93, 12) + "AA"
GH = fake_token("ghp_", 36, 13)
OPAQUE = fake_token("", 40, 14)  # no provider shape: found by its credential name only


def line_of(text: str, value: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if value in line)


def run(files: dict[str, str | bytes], **kwargs: object) -> ScanResult:
    data = {path: text.encode() if isinstance(text, str) else text for path, text in files.items()}
    return scan_files(data, ScanOptions(root=Path("."), use_gitleaks=False, **kwargs))  # type: ignore[arg-type]


def secrets(result: ScanResult) -> list[tuple[str, int, str]]:
    return [(f.file, f.line, f.field) for f in result.findings if f.category is Category.SECRET]


def only(result: ScanResult) -> Finding:
    found = [f for f in result.findings if f.category is Category.SECRET]
    assert len(found) == 1, secrets(result)
    return found[0]


# -- 1. known client config files are searched whole ------------------------------------------------

WHOLE_FILE_CASES = {
    "codex env_key holding a key": (
        ".codex/config.toml",
        f'model = "o3"\n\n[model_providers.openai]\nname = "OpenAI"\nenv_key = "{OPENAI}"\n',
        (5, "model_providers.openai.env_key", "codex")),
    "codex bearer token": (
        ".codex/config.toml",
        f'[model_providers.proxy]\nbase_url = "https://llm.example.com/v1"\n'
        f'experimental_bearer_token = "{OPAQUE}"\n',
        (3, "model_providers.proxy.experimental_bearer_token", "codex")),
    "codex http header": (
        ".codex/config.toml",
        f'[model_providers.gw]\nhttp_headers = {{ "X-Api-Key" = "{OPAQUE}" }}\n',
        (2, "model_providers.gw.http_headers.X-Api-Key", "codex")),
    "codex query param": (
        ".codex/config.toml",
        f'[model_providers.azure]\nquery_params = {{ api-version = "2025-04-01", api_key = "{OPAQUE}" }}\n',
        (2, "model_providers.azure.query_params.api_key", "codex")),
    "crush provider api_key": (
        ".crush.json",
        json.dumps({"providers": {"anthropic": {"type": "anthropic", "api_key": ANTHROPIC}}}, indent=2),
        (5, "providers.anthropic.api_key", "crush")),
    "continue models apiKey": (
        ".continue/config.yaml",
        f"name: team\nversion: 1.0.0\nmodels:\n  - name: gpt\n    provider: openai\n    apiKey: {OPENAI}\n",
        (6, "models[0].apiKey", "continue")),
    "qwen env map": (
        ".qwen/settings.json",
        json.dumps({"env": {"OPENAI_API_KEY": OPENAI}, "model": {"name": "qwen3"}}, indent=2),
        (3, "env.OPENAI_API_KEY", None)),
    "qwen security auth apiKey": (
        ".qwen/settings.json",
        json.dumps({"security": {"auth": {"selectedType": "openai", "apiKey": OPAQUE}}}, indent=2),
        (5, "security.auth.apiKey", None)),
    "opencode provider options apiKey": (
        "opencode.json",
        json.dumps({"provider": {"openai": {"options": {"apiKey": OPENAI}}}}, indent=2),
        (5, "provider.openai.options.apiKey", "opencode")),
    "gemini settings without MCP": (
        ".gemini/settings.json",
        json.dumps({"theme": "Default", "apiKey": OPAQUE}, indent=2),
        (3, "apiKey", "gemini")),
    "goose provider settings": (
        ".config/goose/config.yaml",
        f"GOOSE_PROVIDER: openai\nGOOSE_MODEL: gpt-4o\nOPENAI_API_KEY: {OPENAI}\n",
        (3, "OPENAI_API_KEY", "goose")),
}


@pytest.mark.parametrize("case", sorted(WHOLE_FILE_CASES))
def test_client_config_without_mcp_section_is_searched_whole(case: str) -> None:
    path, text, (line, field, client) = WHOLE_FILE_CASES[case]
    finding = only(run({path: text}))
    assert (finding.file, finding.line, finding.field) == (path, line, field)
    if client is not None:
        assert finding.client == client


PLACEHOLDER_CASES = {
    ".codex/config.toml": '[model_providers.openai]\nenv_key = "OPENAI_API_KEY"\n'
                          '[model_providers.x]\nenv_key = "MY_PROVIDER_KEY"\n'
                          'experimental_bearer_token = ""\n',
    ".crush.json": json.dumps({"providers": {"a": {"api_key": "$ANTHROPIC_API_KEY"},
                                             "b": {"api_key": "your-api-key-here"}}}),
    ".continue/config.yaml": "models:\n  - name: a\n    apiKey: ${{ secrets.OPENAI_API_KEY }}\n"
                             "  - name: b\n    apiKey: <YOUR_API_KEY>\n",
    "opencode.json": json.dumps({"provider": {"o": {"options": {"apiKey": "{env:OPENAI_API_KEY}"}}}}),
    ".qwen/settings.json": json.dumps({"env": {"OPENAI_API_KEY": "sk-xxxxxxxxxxxxxxxxxxxxxxxx"},
                                       "security": {"auth": {"apiKey": "${QWEN_KEY}"}}}),
}


@pytest.mark.parametrize("path", sorted(PLACEHOLDER_CASES))
def test_whole_file_search_keeps_placeholders_and_references_quiet(path: str) -> None:
    result = run({path: PLACEHOLDER_CASES[path]})
    assert result.scanned_files == [path] and secrets(result) == []


@pytest.mark.parametrize(("path", "text"), [
    # `${VAR}` is literal in Codex and Zed: the reference-syntax rules speak about MCP sections only.
    (".codex/config.toml", '[model_providers.x]\nbase_url = "${LLM_BASE}"\nenv_key = "${KEY_NAME}"\n'),
    (".zed/settings.json", json.dumps({"language_models": {"openai": {"api_url": "${OPENAI_BASE}"}}})),
])
def test_mcp_specific_rules_stay_in_the_mcp_section(path: str, text: str) -> None:
    result = run({path: text})
    assert result.scanned_files == [path] and result.findings == []
    assert result.configs[0].servers == () and result.configs[0].extra_values


def test_values_beside_an_mcp_section_are_searched_once() -> None:
    text = json.dumps({"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": GH}}},
                       "security": {"auth": {"apiKey": OPAQUE}}}, indent=2)
    result = run({".gemini/settings.json": text})
    path = ".gemini/settings.json"
    assert sorted(secrets(result)) == [(path, line_of(text, GH), "env.GITHUB_TOKEN"),
                                       (path, line_of(text, OPAQUE), "security.auth.apiKey")]


@pytest.mark.skipif(BUNDLED is None, reason="no gitleaks binary")
def test_gitleaks_gets_client_files_without_mcp_section() -> None:
    path, text = ".codex/config.toml", f'[model_providers.openai]\nenv_key = "{OPENAI}"\n'
    candidate = classify_path(path)
    assert candidate is not None
    config = parse_config(candidate, text.encode())
    assert config is not None and not config.servers
    matches = GitleaksEngine(BUNDLED).detect([config], {path: text.encode()})
    assert [(m.field_name, m.location.line) for m in matches] == [("model_providers.openai.env_key", 2)]


# -- 2. files that do not parse are searched line by line -------------------------------------------

def _cursor(token_line: str) -> str:
    return ('{\n  "mcpServers": {\n    "github": {\n      "command": "npx"\n'  # missing comma on line 4
            f'      "env": {{ {token_line} }}\n    }}\n  }}\n}}\n')


def test_missing_comma_still_finds_the_token_line_accurate() -> None:
    result = run({".cursor/mcp.json": _cursor(f'"GITHUB_TOKEN": "{GH}"')})
    finding = only(result)
    assert (finding.line, finding.column, finding.field) == (5, 32, "GITHUB_TOKEN")
    assert "does not parse" in finding.message and finding.client == "cursor"
    assert [(e.path, e.kind, e.fatal) for e in result.errors] == [(".cursor/mcp.json", "parse", False)]
    assert result.complete and result.scanned_files == [".cursor/mcp.json"]


def test_strict_parse_makes_the_parse_failure_an_incomplete_scan() -> None:
    result = run({".cursor/mcp.json": _cursor(f'"GITHUB_TOKEN": "{GH}"')}, strict_parse=True)
    assert not result.complete and result.errors[0].fatal and result.findings  # still searched


def test_merge_conflict_markers_search_both_sides() -> None:
    other = fake_token("ghp_", 36, 99)
    text = ('{\n  "mcpServers": {\n    "gh": {\n      "env": {\n<<<<<<< HEAD\n'
            f'        "GITHUB_TOKEN": "{GH}"\n=======\n        "GITHUB_TOKEN": "{other}"\n'
            '>>>>>>> feature\n      }\n    }\n  }\n}\n')
    result = run({".mcp.json": text})
    assert sorted(secrets(result)) == [(".mcp.json", 6, "GITHUB_TOKEN"), (".mcp.json", 8, "GITHUB_TOKEN")]


def test_stray_toml_character_and_argument_items() -> None:
    text = (f'[mcp_servers.gh]\ncommand = "npx"\nargs = ["-y", "server", "--token", "{GH}"]\n'
            f'env = {{ API_KEY = "{OPAQUE}" }}\n]\n')
    result = run({".codex/config.toml": text})
    assert sorted(secrets(result)) == [(".codex/config.toml", 3, "--token"),
                                       (".codex/config.toml", 4, "API_KEY")]
    assert result.complete and result.errors[0].kind == "parse"


def test_hash_comment_header_on_json_is_a_warning_not_a_failure() -> None:
    text = '# generated by setup.sh\n# do not edit\n{"mcpServers": {"fs": {"command": "npx"}}}\n'
    result = run({".cursor/mcp.json": text})
    assert result.findings == [] and result.complete
    assert [e.kind for e in result.errors] == ["parse"]


@pytest.mark.parametrize("text", ["", "  \n\n", "// nothing yet\n", "# nothing yet\n"])
def test_empty_or_comment_only_file_is_nothing_to_scan(text: str) -> None:
    result = run({".cursor/mcp.json": text, ".codex/config.toml": text})
    assert result.errors == [] and result.complete and result.findings == []


def test_broken_file_keeps_placeholders_and_references_quiet() -> None:
    text = ('{\n  "mcpServers": {\n    "a": {\n      "env": {\n        "GITHUB_TOKEN": "${GITHUB_TOKEN}"\n'
            '        "API_KEY": "your-api-key-here"\n        "TOKEN": "<token>"\n      }\n  }\n')
    assert secrets(run({".mcp.json": text})) == []


@pytest.mark.skipif(BUNDLED is None, reason="no gitleaks binary")
def test_gitleaks_searches_a_broken_file() -> None:
    path, text = ".cursor/mcp.json", _cursor(f'"GITHUB_TOKEN": "{GH}"')
    candidate = classify_path(path)
    assert candidate is not None
    config = parse_config(candidate, text.encode())
    assert config is not None and config.parse_error
    matches = GitleaksEngine(BUNDLED).detect([config], {path: text.encode()})
    assert [(m.field_name, m.location.line, m.location.column) for m in matches] == [("GITHUB_TOKEN", 5, 32)]


def test_binary_file_keeps_the_scan_incomplete() -> None:
    result = run({".cursor/mcp.json": b'{"mcpServers": \x00\x01\x02}'})
    assert not result.complete and result.errors[0].fatal and result.errors[0].kind == "unreadable"


# -- 3. encodings ------------------------------------------------------------------------------------

_VSCODE = ('{\n  "servers": {\n    "gh": {\n      "command": "npx",\n      "env": {"GITHUB_TOKEN": "%s"}\n'
           '    }\n  }\n}\n')


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"),
    lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
    lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
], ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be"])
def test_utf_encodings_give_the_same_finding(encode: object) -> None:
    data = encode(_VSCODE % GH)  # type: ignore[operator]
    result = run({".vscode/mcp.json": data})
    finding = only(result)
    assert (finding.line, finding.column, finding.field) == (5, 31, "env.GITHUB_TOKEN")
    assert result.errors == [] and result.complete


def test_latin1_file_is_read_with_a_warning_and_exact_columns() -> None:
    text = ('{\n  "mcpServers": {\n    "caf\u00e9": {\n'
            '      "env": {"D\u00c9J\u00c0": "\u00e9", "GITHUB_TOKEN": "%s"}\n    }\n  }\n}\n')
    result = run({".cursor/mcp.json": (text % GH).encode("latin-1")})
    finding = only(result)
    line = (text % GH).splitlines()[3]
    assert (finding.line, finding.column) == (4, line.index(f'"{GH}"') + 1)
    assert [(e.kind, e.fatal) for e in result.errors] == [("encoding", False)] and result.complete
