"""String-leaf walkers: uncovered_leaves is string_leaves minus the covered positions, and
parse_config's whole-file values are exactly the leaves no server or file value holds."""

from __future__ import annotations

import random

from scanner import parsing
from scanner.clients import parse_config
from scanner.clients._build import string_leaves, uncovered_leaves
from scanner.clients.discovery import classify_path
from scanner.errors import ParseError
from tests.fuzz.seeds import seeds


def _trees() -> list[tuple[str, parsing.PNode]]:
    out: list[tuple[str, parsing.PNode]] = []
    for _, files in seeds():
        for path, data in files.items():
            text = parsing.decode_text(data)
            for parse in (parsing.parse_jsonc, parsing.parse_yaml, parsing.parse_toml, parsing.parse_dotenv):
                try:
                    out.append((path, parse(text)))
                except ParseError:
                    continue
    return out


def test_uncovered_leaves_is_string_leaves_minus_covered() -> None:
    rng = random.Random(16)
    trees = _trees()
    assert len(trees) >= 8
    for path, root in trees:
        every = string_leaves(path, root, "")
        for share in (0.0, 0.5, 1.0):
            covered = {(fv.location.line, fv.location.column) for fv in every if rng.random() < share}
            expected = [fv for fv in every if (fv.location.line, fv.location.column) not in covered]
            assert uncovered_leaves(path, root, covered) == expected


def test_whole_file_values_cover_each_leaf_once() -> None:
    text = ('{"mcpServers": {"a": {"command": "npx", "args": ["-y", "p"], "env": {"K": "v"}}},'
            ' "model": {"apiKey": "k1", "list": ["x", {"deep": "y"}]}, "n": 1}')
    candidate = classify_path(".cursor/mcp.json")
    assert candidate is not None
    config = parse_config(candidate, text.encode())
    assert config is not None
    server_values = {(v.location.line, v.location.column) for v in config.servers[0].values}
    outside = [(v.field, v.text) for v in (*config.file_values, *config.extra_values)
               if (v.location.line, v.location.column) not in server_values]
    assert sorted(outside) == [("model.apiKey", "k1"), ("model.list[0]", "x"), ("model.list[1].deep", "y")]


def test_name_value_pairs_are_judged_under_their_name() -> None:
    """`headers: [{name: X-Api-Key, value: …}]` and `env: [{name: API_KEY, value: …}]` (header and env
    lists): the value sits under the word `value`, the name it is sent as is its pair's; an opaque
    key there passed. The `key` member of a pair is a name, not a secret under the word `key`."""
    from pathlib import Path

    from scanner.pipeline import scan_files
    from scanner.result import ScanOptions
    from tests.fakes import fake_token

    key, bearer = fake_token("", 40, 401), fake_token("", 40, 402)
    config = {"mcpServers": {"r": {
        "type": "http", "url": "https://mcp.example.com/mcp",
        "headers": [{"name": "X-Api-Key", "value": key},
                    {"name": "X-Tenant", "value": "platform-team-prod-eu"},
                    {"key": "Authorization", "value": f"Bearer {bearer}"},
                    {"key": "X-Other-Key", "value": "<your-api-key>"},
                    {"name": "X-Ref", "value": "${REF_TOKEN}"}],
    }, "s": {"command": "npx", "env": [{"name": "SVC_API_KEY", "value": key}, {"name": "LOG_LEVEL",
                                                                                "value": "debug"}]}}}
    import json

    result = scan_files({".mcp.json": json.dumps(config, indent=2).encode()},
                        ScanOptions(root=Path("."), use_gitleaks=False))
    assert sorted((f.server, f.field) for f in result.findings if f.category == "secret") == [
        ("r", "headers[0].value"), ("r", "headers[2].value"), ("s", "env[0].value")]
    tree = parsing.parse_jsonc('{"h": [{"name": "N", "value": "v"}]}')
    (leaf,) = [v for v in string_leaves("x", tree, "") if v.field == "h[0].value"]
    assert leaf.key == "N"
