"""gitleaks adapter: binary lookup order, argv/exit-code handling, report mapping, cleanup."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from scanner.engines import gitleaks_run as gitleaks_module
from scanner.engines.builtin import BuiltinEngine
from scanner.engines.gitleaks import GitleaksEngine, find_gitleaks
from scanner.engines.merge import merge
from scanner.errors import EngineError, EngineUnavailable
from tests.engines.helpers import parse_files
from tests.fakes import assert_no_secret, executable, fake_token

BUNDLED = find_gitleaks(None, {"PATH": ""})


def _fake_binary(tmp_path: Path, body: str) -> str:
    return executable(tmp_path / "fake-gitleaks", "#!/bin/sh\n" + body + "\n")


def test_lookup_order(tmp_path: Path) -> None:
    explicit = _fake_binary(tmp_path, "exit 0")
    on_path = tmp_path / "bin"
    on_path.mkdir()
    (on_path / "gitleaks").write_text("#!/bin/sh\n")
    (on_path / "gitleaks").chmod(0o755)
    env = {"PATH": str(on_path), "MCP_GUARD_GITLEAKS": explicit}
    assert find_gitleaks(explicit, {}) == explicit
    assert find_gitleaks(None, env) == explicit
    assert find_gitleaks(None, {"PATH": str(on_path)}) == str(on_path / "gitleaks")
    assert find_gitleaks(str(tmp_path / "missing"), env) is None  # explicit never falls through
    assert BUNDLED is None or BUNDLED.endswith("/bin/gitleaks")


def test_relative_explicit_path_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # gitleaks runs in the scan root or a temp dir: a relative path must name the same binary there
    binary = _fake_binary(tmp_path, "exit 0")
    monkeypatch.chdir(tmp_path)
    assert find_gitleaks(Path(binary).name, {}) == binary
    assert find_gitleaks("./" + Path(binary).name, {}) == binary


def test_missing_binary_is_unavailable() -> None:
    configs, sources = parse_files({".mcp.json": '{"mcpServers": {}}'})
    with pytest.raises(EngineUnavailable):
        GitleaksEngine(None).detect(configs, sources)


def test_error_exit_is_engine_error_and_temp_dir_is_removed(tmp_path: Path) -> None:
    token = fake_token("ghp_", 36, 1)
    binary = _fake_binary(tmp_path, f'pwd > "{tmp_path}/cwd"; echo {token}; exit 1')
    configs, sources = parse_files({".mcp.json": '{"mcpServers": {"a": {"command": "npx"}}}'})
    with pytest.raises(EngineError) as info:
        GitleaksEngine(binary, 5).detect(configs, sources)
    assert str(info.value) == "gitleaks exited with status 1"
    cwd = (tmp_path / "cwd").read_text().strip()
    assert cwd.startswith((tempfile.gettempdir(), "/dev/shm")) and not os.path.exists(cwd)


def test_private_copy_falls_back_when_tmpfs_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    full = tmp_path / "full"
    full.write_text("")  # mkdtemp under a file fails (OSError) like a full or read-only tmpfs
    monkeypatch.setattr(gitleaks_module, "_scratch_bases", lambda: [str(full), None])
    copy = gitleaks_module._private_copy({"a/.mcp.json": b"{}"})
    try:
        assert copy.parent == Path(tempfile.gettempdir())
        assert (copy / "tree/a/.mcp.json").read_bytes() == b"{}"
        assert (copy / "ignore").is_dir() and not any((copy / "ignore").iterdir())
        assert oct(copy.stat().st_mode & 0o777) == "0o700"
    finally:
        shutil.rmtree(copy)


def test_tmpfs_used_only_when_it_is_a_real_writable_directory(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    link = tmp_path / "shm"
    link.symlink_to(tmp_path)
    monkeypatch.setattr(gitleaks_module, "_TMPFS", str(link))
    assert gitleaks_module._scratch_bases() == [None]
    monkeypatch.setattr(gitleaks_module, "_TMPFS", str(tmp_path / "missing"))
    assert gitleaks_module._scratch_bases() == [None]
    monkeypatch.setattr(gitleaks_module, "_TMPFS", str(tmp_path))
    assert gitleaks_module._scratch_bases() == [str(tmp_path), None]


def test_untrusted_report_is_mapped_and_filtered(tmp_path: Path) -> None:
    token = fake_token("glpat-", 20, 2)
    text = '{\n"mcpServers": {"a": {"command": "npx", "env": {"T": "' + token + '", "P": "${X}"}}}\n}'
    report = [
        # Paths as gitleaks reports them: below the staging share `f/` of its source root.
        {"RuleID": "gitlab-pat", "File": "f/.mcp.json", "StartLine": 2, "Secret": token},
        {"RuleID": "generic-api-key", "File": "f/.mcp.json", "StartLine": 2, "Secret": "${X}"},
        {"RuleID": "x", "File": "../../etc/passwd", "StartLine": 1, "Secret": "3"},
        {"RuleID": "bad id!", "File": "f/.mcp.json", "StartLine": 2, "Secret": token},
        {"RuleID": "gitlab-pat", "File": ".mcp.json", "StartLine": 2, "Secret": token},  # not staged there
    ]
    binary = _fake_binary(tmp_path, "r=''; while [ $# -gt 0 ]; do [ \"$1\" = -r ] && r=$2; shift; done; "
                                    f"cat > \"$r\" <<'JSON'\n{json.dumps(report)}\nJSON\nexit 2")
    configs, sources = parse_files({".mcp.json": text})
    [match] = GitleaksEngine(binary, 5).detect(configs, sources)
    assert (match.engine, match.field_name, match.secret_type) == ("gitleaks", "env.T", "gitlab-pat")
    assert match.server is not None and match.server.name == "a"
    assert_no_secret(repr(match) + match.redacted, token)


@pytest.mark.parametrize("junk", ['"junk"',
                                  '{"RuleID": "x", "File": ".mcp.json", "StartLine": "1", "Secret": 3}'])
def test_malformed_report_record_fails_the_engine(tmp_path: Path, junk: str) -> None:
    binary = _fake_binary(tmp_path, "r=''; while [ $# -gt 0 ]; do [ \"$1\" = -r ] && r=$2; shift; done; "
                                    f"cat > \"$r\" <<'JSON'\n[{junk}]\nJSON\nexit 2")
    configs, sources = parse_files({".mcp.json": '{"mcpServers": {"a": {"command": "npx"}}}'})
    with pytest.raises(EngineError, match="unexpected shape"):
        GitleaksEngine(binary, 5).detect(configs, sources)


@pytest.mark.skipif(BUNDLED is None, reason="no gitleaks binary")
def test_real_gitleaks_merges_under_builtin() -> None:
    token = fake_token("ghp_", 36, 3)
    text = '{\n"mcpServers": {"a": {"command": "npx", "env": {"GITHUB_TOKEN": "' + token + '"}}}\n}'
    configs, sources = parse_files({".mcp.json": text})
    found = GitleaksEngine(BUNDLED, 60).detect(configs, sources)
    assert [m.field_name for m in found] == ["env.GITHUB_TOKEN"]
    merged = merge(BuiltinEngine().detect(configs, sources), found)
    assert [(m.engine, m.secret_type) for m in merged] == [("builtin", "github-pat")]
