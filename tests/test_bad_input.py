"""Bad input: every case is one error line, never a traceback, and other files are still scanned."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from scanner.pipeline import scan
from scanner.result import ScanOptions
from tests.conftest import WriteRepo
from tests.fakes import assert_no_secret


def good_config(token: str) -> str:
    return json.dumps({"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": token}}}})


BAD_TEXT: dict[str, str] = {
    "invalid-json": '{"mcpServers": {"a": }',
    "invalid-yaml": "mcpServers:\n  - name: [unclosed\n",
    "invalid-toml": "[mcp_servers.x\ncommand = 'npx'\n",
    "deep-json": "[" * 10_000 + "]" * 10_000,
    "deep-yaml": "mcpServers: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "alias-bomb": "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)
    ) + "mcpServers: *j\n",
}
BAD_PATH = {
    "invalid-json": ".cursor/mcp.json",
    "invalid-yaml": ".continue/mcpServers/x.yaml",
    "invalid-toml": ".codex/config.toml",
    "deep-json": ".vscode/mcp.json",
    "deep-yaml": ".continue/mcpServers/deep.yaml",
    "alias-bomb": ".continue/mcpServers/bomb.yaml",
}


def scan_root(root: Path, **kwargs: object) -> object:
    return scan(ScanOptions(root=root, use_gitleaks=False, **kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("case", sorted(BAD_TEXT))
def test_bad_text_is_one_error_and_others_scanned(write_repo: WriteRepo, github_pat: str, case: str,
                                                  strict: bool) -> None:
    root = write_repo({BAD_PATH[case]: BAD_TEXT[case], ".mcp.json": good_config(github_pat)})
    started = time.monotonic()
    result = scan_root(root, strict_parse=strict)
    assert time.monotonic() - started < 20  # bounded, not a speed target
    assert [e.path for e in result.errors] == [BAD_PATH[case]]  # type: ignore[attr-defined]
    message = result.errors[0].reason  # type: ignore[attr-defined]
    assert "\n" not in message and message
    # Searched line by line: a warning (kind "parse"), an incomplete scan only with strict_parse.
    assert result.errors[0].kind == "parse" and "searched line by line" in message  # type: ignore[attr-defined]
    assert result.complete is (not strict)  # type: ignore[attr-defined]
    assert any(f.file == ".mcp.json" for f in result.findings)  # type: ignore[attr-defined]


@pytest.mark.parametrize("data", [b"\x00\x01\x02binary\x00", b'{"mcpServers": {"a": "\xff\xfe"}}'])
def test_binary_and_invalid_utf8(write_repo: WriteRepo, github_pat: str, data: bytes) -> None:
    root = write_repo({".mcp.json": good_config(github_pat)})
    (root / ".cursor").mkdir()
    (root / ".cursor/mcp.json").write_bytes(data)
    result = scan_root(root)
    assert [e.path for e in result.errors] == [".cursor/mcp.json"]  # type: ignore[attr-defined]
    assert result.findings  # type: ignore[attr-defined]


def test_file_over_size_limit(write_repo: WriteRepo, github_pat: str) -> None:
    big = '{"mcpServers": {}, "pad": "' + "x" * 2000 + '"}'
    root = write_repo({".cursor/mcp.json": big, ".mcp.json": good_config(github_pat)})
    result = scan_root(root, max_file_bytes=1000)
    assert [e.path for e in result.errors] == [".cursor/mcp.json"]  # type: ignore[attr-defined]
    assert "limit" in result.errors[0].reason  # type: ignore[attr-defined]
    assert result.findings  # type: ignore[attr-defined]


def test_symlinks_never_followed_out_of_root_and_loops_end(write_repo: WriteRepo, tmp_path: Path,
                                                           github_pat: str) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text(good_config(github_pat), encoding="utf-8")
    root = write_repo({"README.md": "x"})
    (root / ".cursor").mkdir()
    os.symlink(outside, root / ".cursor/mcp.json")
    os.symlink(root / ".mcp.json", root / ".mcp.json.tmp")
    os.symlink("loop-b", root / "loop-a")
    os.symlink("loop-a", root / "loop-b")
    os.symlink(root, root / "self")  # a directory loop
    (root / ".vscode").mkdir()
    os.symlink(root / ".vscode/mcp.json", root / ".vscode/mcp.json")  # self-loop on a candidate name
    result = scan_root(root)
    paths = {e.path for e in result.errors}  # type: ignore[attr-defined]
    assert ".cursor/mcp.json" in paths and ".vscode/mcp.json" in paths
    assert result.findings == []  # type: ignore[attr-defined]


def test_unreadable_file(write_repo: WriteRepo, github_pat: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_repo({".cursor/mcp.json": good_config(github_pat), ".mcp.json": good_config(github_pat)})
    import scanner.pipeline as pipeline

    real = pipeline.read_limited

    def deny(path: Path, limit: int) -> bytes:
        if path.name == "mcp.json" and path.parent.name == ".cursor":
            raise PermissionError(13, "denied")
        return real(path, limit)

    monkeypatch.setattr(pipeline, "read_limited", deny)
    result = scan_root(root)
    assert [(e.path, e.reason) for e in result.errors] == [  # type: ignore[attr-defined]
        (".cursor/mcp.json", "file is not readable (permission denied)")]
    assert result.findings  # type: ignore[attr-defined]


def test_error_messages_never_carry_values(write_repo: WriteRepo, github_pat: str) -> None:
    root = write_repo({".cursor/mcp.json": '{"mcpServers": {"a": {"env": {"T": "' + github_pat + '"}} ',
                       ".codex/config.toml": f'[mcp_servers.a]\nbearer_token = "{github_pat}\n'})
    result = scan_root(root)
    assert len(result.errors) == 2  # type: ignore[attr-defined]
    assert_no_secret(" ".join(e.reason for e in result.errors), github_pat)  # type: ignore[attr-defined]
