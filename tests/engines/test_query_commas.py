"""A URL query keeps going past a comma (RFC 3986 sub-delimiter): hosted MCP URLs list their tools
comma-separated before the key (`?tools=web_search_exa,crawling_exa&exaApiKey=<uuid>`, corpus
realsample14). The key after such a list is found; placeholders and references after one are not,
and a comma that starts another URL still ends the first one. Every value is built at run time."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from scanner.engines.decode import query_params
from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_hex

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_KEY = str(uuid.UUID(fake_hex(32, 14)))
_TOOLS = "tools=web_search_exa,get_code_context_exa,crawling_exa"


def _blocking(url: str) -> list[tuple[int, str | None]]:
    text = json.dumps({"mcpServers": {"exa": {"httpUrl": url}}}, indent=2)
    result = scan_files({".gemini/settings.json": text.encode()}, _OPTIONS)
    return [(f.line, f.secret_type) for f in result.findings if f.category.value == "secret" and f.blocking]


def test_key_after_a_comma_separated_list_is_found() -> None:
    found = _blocking(f"https://mcp.exa.ai/mcp?{_TOOLS}&exaApiKey={_KEY}")
    assert len(found) == 1 and found[0][0] == 4


def test_query_params_read_past_commas_at_the_value_offset() -> None:
    text = f'"https://mcp.exa.ai/mcp?{_TOOLS}&exaApiKey={_KEY}"'
    params = {key: (value, offset) for key, value, offset in query_params(text)}
    value, offset = params["exaApiKey"]
    assert value == _KEY and text[offset:offset + len(_KEY)] == _KEY
    assert params["tools"][0] == "web_search_exa,get_code_context_exa,crawling_exa"


@pytest.mark.parametrize("value", ["your-exa-api-key", "${EXA_API_KEY}", "<EXA_API_KEY>", "YOUR_EXA_KEY"])
def test_placeholders_after_a_comma_list_pass(value: str) -> None:
    assert _blocking(f"https://mcp.exa.ai/mcp?{_TOOLS}&exaApiKey={value}") == []


def test_comma_list_without_a_key_passes() -> None:
    assert _blocking(f"https://mcp.exa.ai/mcp?{_TOOLS}&ids={_KEY},{_KEY}") == []


def test_a_comma_before_another_url_still_ends_the_first() -> None:
    text = "https://a.example/mcp?x=1,https://b.example/mcp?y=2"
    assert [(k, v) for k, v, _ in query_params(text)] == [("x", "1"), ("y", "2")]
