"""Property over every provider row x placement x client: apply the fix, re-parse, rescan: the
finding is gone and no 12-character piece of the value remains in the file, the fix edits, the diff,
the JSON report or the comment. Composite credentials (Twilio SID/key:secret, AWS key id + secret,
URL userinfo, `;` connection strings) go as one unit. Values are built at run time from each row's
own regex (tests/fakes.py); a new provider row is covered without a new test."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from scanner.fix.notes import no_fix_note
from scanner.fix.run import run_fix
from scanner.markdown.templates import render_comment
from scanner.markdown.views import CommentContext
from scanner.parsing import parse_jsonc
from scanner.providers.patterns import PATTERNS
from scanner.reporters import REPORTERS, OutputFormat
from tests.fakes import fake_from_regex, fake_hex, fake_token
from tests.fix.cases import scan_root

_PIECE = 12

# Structural shapes (JWT, PEM) are covered by the matrix; public keys are never findings.
_ROWS = [p for p in PATTERNS if not p.public and p.id not in ("jwt", "private-key")]
_NAMES = ("API_KEY", "API_TOKEN", "TOKEN", "AUTH_TOKEN", "SECRET_ACCESS_KEY", "APP_KEY")


def _name(pattern_id: str) -> str:
    """An env name the row's name rule accepts (rows without one get a neutral provider name)."""
    pattern = next(p for p in PATTERNS if p.id == pattern_id)
    base = pattern.provider.upper().replace("-", "_")
    if base[0].isdigit():  # "1password": an env name cannot start with a digit
        base = "OP" if base == "1PASSWORD" else "X" + base
    candidates = [f"{base}_{suffix}" for suffix in _NAMES] + ["DD_API_KEY", "DD_APP_KEY", "CF_API_TOKEN"]
    if pattern.name is None:
        return f"{base}_API_KEY"
    return next(c for c in candidates if pattern.name.search(c))


def _pieces(value: str) -> list[str]:
    """Every 12-character window of the value, except those inside its public prefix (`sk-ant-admin01-`
    is a documented prefix, shown in every redacted form)."""
    prefix = max((p.prefix for p in PATTERNS if p.prefix and value.startswith(p.prefix)), key=len, default="")
    if len(value) < _PIECE:
        return [value]
    # A row whose secret is one group of a longer match (an RPC key in `https://<host>/v2/<key>`, a
    # capability id in a hosted MCP URL): windows that lie wholly in the public host/path are not secret.
    start, end = len(prefix), len(value)
    for pattern in PATTERNS:
        match = pattern.regex.search(value) if pattern.group else None
        if match is not None and match.group(pattern.group):
            start, end = match.span(pattern.group)
            break
    return [value[i:i + _PIECE] for i in range(len(value) - _PIECE + 1)
            if i + _PIECE > start and i < end]


def _assert_no_piece(text: str, *values: str) -> None:
    for value in values:
        leaked = [p for p in _pieces(value) if p in text]
        assert not leaked, "a 12-character piece of the secret survived"


def _mcp(path: str, key: str, entry: dict[str, object]) -> tuple[str, str]:
    return path, json.dumps({key: {"svc": entry}}, indent=2)


Placement = Callable[[str, str], tuple[str, str]]
PLACEMENTS: dict[str, Placement] = {
    "claude-env": lambda n, v: _mcp(".mcp.json", "mcpServers", {"command": "npx", "env": {n: v}}),
    "cursor-header": lambda n, v: _mcp(".cursor/mcp.json", "mcpServers",
                                       {"url": "https://mcp.acme-tools.io/mcp", "headers": {"X-Api-Key": v}}),
    "vscode-arg": lambda n, v: _mcp(".vscode/mcp.json", "servers", {
        "type": "stdio", "command": "npx", "args": ["-y", "svc", f"--api-key={v}"]}),
    "cursor-comment": lambda n, v: (".cursor/mcp.json",
                                    '{\n  // old: ' + n + '="' + v + '"\n  "mcpServers": {}\n}\n'),
    "codex-env": lambda n, v: (".codex/config.toml",
                               f'[mcp_servers.svc]\ncommand = "npx"\n\n[mcp_servers.svc.env]\n{n} = "{v}"\n'),
    "codex-inline": lambda n, v: (".codex/config.toml",
                                  f'[mcp_servers.svc]\ncommand = "npx"\nenv = {{ {n} = "{v}" }}\n'),
    "goose-envs": lambda n, v: (".config/goose/config.yaml",
                                "extensions:\n  svc:\n    type: stdio\n    cmd: npx\n    envs:\n"
                                f"      {n}: '{v}'\n"),
    "windsurf-env": lambda n, v: _mcp("mcp_config.json", "mcpServers", {"command": "npx", "env": {n: v}}),
    "opencode-env": lambda n, v: ("opencode.json", json.dumps(
        {"mcp": {"svc": {"type": "local", "command": ["npx"], "environment": {n: v}}}}, indent=2)),
    "gemini-env": lambda n, v: _mcp(".gemini/settings.json", "mcpServers", {"command": "npx", "env": {n: v}}),
}
_ENV_ONLY = ("claude-env", "codex-env", "codex-inline", "goose-envs", "windsurf-env", "opencode-env",
             "gemini-env")


def _parses(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".toml":
        tomllib.loads(text)
    elif path.suffix == ".yaml":
        yaml.safe_load(text)
    else:
        parse_jsonc(text)
        if "//" not in text and ".vscode" not in path.parts:
            json.loads(text)


def _check(root: Path, rel: str, text: str, *secret: str) -> bool:
    """Write, scan, fix, rescan; False when nothing was detected (not this placement's shape)."""
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    result = scan_root(root)
    found = [f for f in result.findings if f.category.value == "secret"]
    if not found:
        return False
    for finding in found:
        assert finding.fix is not None or no_fix_note(finding), "neither a fix nor a no-fix note"
        for edit in finding.fix.edits if finding.fix else ():
            _assert_no_piece(edit.replacement, *secret)
    outputs = [REPORTERS[OutputFormat.JSON](result), REPORTERS[OutputFormat.SARIF](result),
               render_comment(result, CommentContext(repo="octo/demo", pr_number=1, head_sha="0" * 40))]
    diff, _count = run_fix(result, root, dry_run=False)
    for output in (*outputs, diff):
        _assert_no_piece(output, *secret)
    _parses(target)
    _assert_no_piece(target.read_text(encoding="utf-8"), *secret)
    assert [f.rule_id for f in scan_root(root).findings if f.category.value == "secret"] == []
    return True


@pytest.mark.parametrize("pattern", _ROWS, ids=lambda p: p.id)
def test_every_provider_row_is_fixed_whole_in_every_placement(tmp_path: Path, pattern: object) -> None:
    assert hasattr(pattern, "regex")
    value = fake_from_regex(pattern.regex, seed=3)  # type: ignore[attr-defined]
    name = _name(pattern.id)  # type: ignore[attr-defined]
    detected = []
    for key, place in PLACEMENTS.items():
        if pattern.name is not None and key not in _ENV_ONLY:  # type: ignore[attr-defined]
            continue
        rel, text = place(name, value)
        if _check(tmp_path / key, rel, text, value):
            detected.append(key)
    assert "claude-env" in detected and "codex-env" in detected and "goose-envs" in detected


@pytest.mark.parametrize(("case", "build"), [
    ("twilio-key-secret", lambda sid, sec: ("svc-arg", f"{sid}:{sec}")),
    ("url-userinfo", lambda sid, sec: ("svc-url", f"https://{sid}:{sec}@api.acme-tools.io/v1")),
    ("connection-string", lambda sid, sec: ("svc-conn", f"Server=db.acme.io;User Id=app;Password={sec};")),
])
def test_composite_credentials_are_replaced_as_one_unit(tmp_path: Path, case: str,
                                                        build: Callable[[str, str], tuple[str, str]]) -> None:
    key_id = "SK" + fake_hex(32, 5)
    secret = fake_token("", 32, 6)
    _kind, value = build(key_id, secret)
    for where, place in (("args", lambda v: {"command": "npx", "args": ["-y", "svc", "--credentials", v]}),
                         ("env", lambda v: {"command": "npx", "env": {"SVC_CREDENTIALS": v}})):
        rel, text = _mcp(".mcp.json", "mcpServers", place(value))
        parts = (secret, key_id) if case == "twilio-key-secret" else (secret,)
        assert _check(tmp_path / f"{case}-{where}", rel, text, *parts), f"{case} in {where} not detected"


def test_aws_key_pair_is_fixed_together(tmp_path: Path) -> None:
    key_id = fake_token("AKIA", 16, 8, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    secret = fake_token("", 40, 9, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    for key, place in PLACEMENTS.items():
        if key not in _ENV_ONLY:
            continue
        rel, text = place("AWS_ACCESS_KEY_ID", key_id)
        # Both variables of the pair in one env block.
        text = text.replace(f'"AWS_ACCESS_KEY_ID": "{key_id}"',
                            f'"AWS_ACCESS_KEY_ID": "{key_id}", "AWS_SECRET_ACCESS_KEY": "{secret}"')
        text = text.replace(f'AWS_ACCESS_KEY_ID = "{key_id}"\n',
                            f'AWS_ACCESS_KEY_ID = "{key_id}"\nAWS_SECRET_ACCESS_KEY = "{secret}"\n')
        text = text.replace(f'{{ AWS_ACCESS_KEY_ID = "{key_id}" }}',
                            f'{{ AWS_ACCESS_KEY_ID = "{key_id}", AWS_SECRET_ACCESS_KEY = "{secret}" }}')
        text = text.replace(f"      AWS_ACCESS_KEY_ID: '{key_id}'\n",
                            f"      AWS_ACCESS_KEY_ID: '{key_id}'\n      AWS_SECRET_ACCESS_KEY: '{secret}'\n")
        assert secret in text, key
        assert _check(tmp_path / key, rel, text, key_id, secret), key
