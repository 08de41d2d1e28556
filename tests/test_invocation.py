"""Invocation invariance and nothing skipped in silence (issue 11): every spelling of a path gives the
same findings at the same repository-relative path, for scan (text/JSON/SARIF/Markdown), fix and
inventory; untracked, ignored and unknown-name configs are scanned when named and announced when not.

Every tree is built at run time; secret values come from tests.fakes.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scanner.cli import _Progress, main, progress_enabled
from tests.conftest import git
from tests.fakes import assert_no_secret, fake_token

TOKEN = fake_token("ghp_", 36, seed=11)
# A VS Code config whose finding set depends on the client: MCPG101 (the token) plus the VS Code
# reference-syntax rule for a bare `${NAME}` VS Code does not expand. Read as `generic`, it loses one.
VSCODE = json.dumps({"servers": {"gh": {"type": "stdio", "command": "npx", "args": ["-y", "gh-mcp"],
                                        "env": {"GITHUB_TOKEN": TOKEN, "OTHER": "${OTHER_TOKEN}"}}}},
                    indent=2)


def cursor(value: str) -> str:
    return json.dumps({"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": value}}}}, indent=2)


def make_repo(root: Path, files: dict[str, str], *, commit: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "init")
    return root


def run(cwd: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def key(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted((f["rule_id"], f["file"], f["line"], f["column"], f["client"], f["environment"],
                   f["field"], f["fingerprint"]) for f in doc["findings"])


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {".vscode/mcp.json": VSCODE, "README.md": "# demo\n"})


# (working directory relative to the repository, arguments)
SPELLINGS = [
    (".", ()), (".", (".",)), (".", (".vscode",)), (".", ("./.vscode/",)), (".", (".vscode/mcp.json",)),
    (".vscode", (".",)), (".vscode", ()), (".vscode", ("mcp.json",)), (".vscode", ("..",)),
]


def test_scan_same_findings_for_every_spelling(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = set()
    for where, args in SPELLINGS + [(".", (str(repo / ".vscode"),)), ("..", (str(repo),))]:
        code, out, err = run(repo / where if where != ".." else repo.parent, "scan", "--no-gitleaks",
                             "--format", "json", *args, monkeypatch=monkeypatch)
        assert code == 1, (where, args, err)
        doc = json.loads(out)
        assert {f["file"] for f in doc["findings"]} == {".vscode/mcp.json"}, (where, args)
        assert {f["client"] for f in doc["findings"]} == {"vscode"}, (where, args)
        seen.add(tuple(key(doc)))
    assert len(seen) == 1
    assert len(next(iter(seen))) >= 2  # the VS Code-only reference finding is there in every spelling


@pytest.mark.parametrize("fmt", ["text", "sarif", "markdown"])
def test_other_formats_name_the_repository_relative_path(repo: Path, fmt: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    outputs = set()
    for where, args in [(".", ()), (".", (".vscode",)), (".vscode", (".",)), (".vscode", ("mcp.json",))]:
        code, out, _ = run(repo / where, "scan", "--no-gitleaks", "--format", fmt, *args,
                           monkeypatch=monkeypatch)
        assert code == 1 and ".vscode/mcp.json" in out
        assert_no_secret(out, TOKEN)
        if fmt == "sarif":
            uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    for r in json.loads(out)["runs"][0]["results"]}
            assert uris == {".vscode/mcp.json"}
            out = json.dumps(sorted(uris))
        outputs.add(out)
    assert len(outputs) == 1


def test_fix_same_edits_for_every_spelling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = set()
    for index, (where, args) in enumerate(SPELLINGS):
        root = make_repo(tmp_path / f"r{index}", {".vscode/mcp.json": VSCODE})
        code, _, err = run(root / where, "fix", "--no-gitleaks", *args, monkeypatch=monkeypatch)
        assert code == 0, err
        fixed = (root / ".vscode/mcp.json").read_text(encoding="utf-8")
        assert TOKEN not in fixed and "${input:" in fixed, (where, args)
        results.add(fixed)
        shutil.rmtree(root)
    assert len(results) == 1


def test_inventory_same_rows_for_every_spelling(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCP_GUARD_FINGERPRINT_KEY", fake_token("k", 32, seed=3))  # else a random key per run
    rows = set()
    for where, args in SPELLINGS:
        code, out, _ = run(repo / where, "inventory", "--format", "json", *args, monkeypatch=monkeypatch)
        assert code == 0
        rows.add(out)
        assert ".vscode/mcp.json" in out and '"vscode"' in out
    assert len(rows) == 1


def test_policy_file_at_the_repository_root_applies_to_a_subdirectory_scan(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / ".mcp-guard.yml").write_text("fail-on: critical\n", encoding="utf-8")
    for where, args in [(".", ()), (".", (".vscode",)), (".vscode", (".",))]:
        code, out, _ = run(repo / where, "scan", "--no-gitleaks", "--format", "json", *args,
                           monkeypatch=monkeypatch)
        assert {f["blocking"] for f in json.loads(out)["findings"]} <= {False}, (where, args)
        assert code == 0


def test_without_git_a_subdirectory_argument_keeps_its_client(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "plain"
    (root / ".vscode").mkdir(parents=True)
    (root / ".vscode/mcp.json").write_text(VSCODE, encoding="utf-8")
    docs = []
    for args in [(), (".vscode",), (".vscode/mcp.json",)]:
        code, out, _ = run(root, "scan", "--no-gitleaks", "--format", "json", *args, monkeypatch=monkeypatch)
        assert code == 1
        docs.append(key(json.loads(out)))
    assert docs[0] == docs[1] == docs[2] and {d[4] for d in docs[0]} == {"vscode"}


# -- nothing skipped in silence -----------------------------------------------------------------


def test_named_untracked_and_ignored_directories_are_scanned(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "repo", {".gitignore": "private/\n", "README.md": "x\n"})
    for rel in ("new/.cursor/mcp.json", "private/.cursor/mcp.json"):
        (root / rel).parent.mkdir(parents=True)
        (root / rel).write_text(cursor(TOKEN), encoding="utf-8")
    for name in ("new", "private", "private/.cursor/mcp.json"):
        code, out, _ = run(root, "scan", "--no-gitleaks", "--format", "json", name, monkeypatch=monkeypatch)
        doc = json.loads(out)
        assert code == 1, name
        assert {f["file"] for f in doc["findings"]} == {f"{name.split('/')[0]}/.cursor/mcp.json"}
        assert {f["client"] for f in doc["findings"]} == {"cursor"}


def test_default_scan_announces_untracked_and_ignored_configs(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "repo", {".gitignore": ".cursor/\nlocal.mcp.json\n",
                                         ".mcp.json": cursor("${GITHUB_TOKEN}")})
    for rel in (".cursor/mcp.json", "local.mcp.json", "tools/.vscode/mcp.json"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(cursor(TOKEN), encoding="utf-8")
    (root / "node_modules/pkg").mkdir(parents=True)  # ignored by default, never announced
    (root / "node_modules/pkg/.mcp.json").write_text(cursor(TOKEN), encoding="utf-8")

    code, out, _ = run(root, "scan", "--no-gitleaks", monkeypatch=monkeypatch)
    assert code == 0
    notice = [line for line in out.splitlines() if "not scanned" in line]
    assert len(notice) == 1 and "3 MCP config file(s)" in notice[0] and "--all-files" in notice[0]
    assert "2 ignored by git" in notice[0] and "1 not tracked by git" in notice[0]

    code, out, _ = run(root, "scan", "--no-gitleaks", "--format", "json", monkeypatch=monkeypatch)
    skipped = {(s["file"], s["reason"]) for s in json.loads(out)["skipped"]}
    assert skipped == {(".cursor/mcp.json", "ignored by git"), ("local.mcp.json", "ignored by git"),
                       ("tools/.vscode/mcp.json", "not tracked by git")}

    code, out, _ = run(root, "scan", "--no-gitleaks", "--all-files", "--format", "json",
                       monkeypatch=monkeypatch)
    doc = json.loads(out)
    assert code == 1 and doc["skipped"] == []
    assert {f["file"] for f in doc["findings"]} == {".cursor/mcp.json", "local.mcp.json",
                                                     "tools/.vscode/mcp.json"}


def test_no_notice_when_nothing_is_left_out(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(repo, "scan", "--no-gitleaks", monkeypatch=monkeypatch)
    assert "not scanned" not in out
    assert json.loads(run(repo, "scan", "--no-gitleaks", "--format", "json",
                          monkeypatch=monkeypatch)[1])["skipped"] == []


UNKNOWN_NAMES = {
    "servers.json": json.dumps({"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": TOKEN}}}}),
    "config/tools.json": json.dumps({"servers": {"gh": {"type": "stdio", "command": "npx",
                                                        "env": {"GITHUB_TOKEN": TOKEN}}}}),
    "agents/agent.yaml": f"mcpServers:\n  gh:\n    command: npx\n    env:\n      GITHUB_TOKEN: {TOKEN}\n",
    "ops/editor.json": json.dumps({"context_servers": {"gh": {"command": "npx", "args": [],
                                                              "env": {"GITHUB_TOKEN": TOKEN}}}}),
    "ops/agent.toml": f'[mcp_servers.gh]\ncommand = "npx"\nenv = {{ GITHUB_TOKEN = "{TOKEN}" }}\n',
}


@pytest.mark.parametrize("rel", sorted(UNKNOWN_NAMES))
def test_named_file_with_unknown_name_is_read_by_content(tmp_path: Path, rel: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "repo", {rel: UNKNOWN_NAMES[rel]})
    code, out, err = run(root, "scan", "--no-gitleaks", "--format", "json", rel, monkeypatch=monkeypatch)
    doc = json.loads(out)
    assert code == 1, err
    assert [f["file"] for f in doc["findings"] if f["rule_id"].startswith("MCPG1")] == [rel]
    assert_no_secret(out + err, TOKEN)
    # The default scan reads unknown names by content too (a client can be pointed at any path).
    code, out, err = run(root, "scan", "--no-gitleaks", "--format", "json", monkeypatch=monkeypatch)
    doc = json.loads(out)
    assert code == 1, err
    assert [f["file"] for f in doc["findings"] if f["rule_id"].startswith("MCPG1")] == [rel]
    assert doc["skipped"] == []
    assert_no_secret(out + err, TOKEN)


def test_named_unrelated_files_cost_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What pre-commit passes: every staged JSON/YAML file. Unrelated and even broken ones are no error."""
    files = {"package.json": '{"name": "x", "scripts": {"mcp": "node ."}}',
             "broken.json": '{"servers": [1, 2,,]',
             "deploy.yaml": "servers:\n  - web1\n  - web2\n",
             "notes.toml": "title = 'x'\n[servers]\nalpha = '10.0.0.1'\n"}
    root = make_repo(tmp_path / "repo", files)
    code, out, err = run(root, "scan", "--no-gitleaks", "--format", "json", *files, monkeypatch=monkeypatch)
    doc = json.loads(out)
    assert code == 0, err
    assert doc["errors"] == [] and doc["findings"] == [] and doc["scanned_files"] == []
    code, out, _ = run(root, "scan", "--no-gitleaks", "--format", "json", monkeypatch=monkeypatch)
    assert json.loads(out)["skipped"] == []


# -- progress and errors -------------------------------------------------------------------------


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_on_a_tty_after_the_delay_only() -> None:
    stream = _Tty()
    progress = _Progress(True, stream)
    progress(1, 10, 0)  # within the first second: nothing
    assert stream.getvalue() == ""
    progress.started -= 2
    progress(10, 10, 3)
    assert "10/10 files, 3 MCP config(s) found" in stream.getvalue()
    progress.close()
    assert stream.getvalue().endswith("\r\033[K")
    assert not progress_enabled(io.StringIO(), {})  # piped
    assert not progress_enabled(_Tty(), {"CI": "true"})
    assert progress_enabled(_Tty(), {})


def test_unwritable_output_is_one_line_exit_2(repo: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "missing-dir" / "x.json"
    code, out, err = run(repo, "scan", "--no-gitleaks", "--format", "json", "-o", str(target),
                         monkeypatch=monkeypatch)
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and str(target) in lines[0] and "internal error" not in lines[0]
    assert "Traceback" not in err


def test_unreadable_named_path_is_reported(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = repo / ".vscode/mcp.json"
    path.chmod(0)
    try:
        if path.open("rb").readable():  # running as root: permissions do not apply
            pytest.skip("file permissions are not enforced for this user")
    except PermissionError:
        pass
    finally:
        pass
    try:
        code, _, err = run(repo, "scan", "--no-gitleaks", ".vscode/mcp.json", monkeypatch=monkeypatch)
    finally:
        path.chmod(0o644)
    assert code == 2 and "permission denied" in err and "internal error" not in err


def test_debug_is_documented() -> None:
    for command in ("scan", "fix", "inventory"):
        out = CliRunner().invoke(main, [command, "--help"]).stdout
        assert "--debug" in out, command


def test_demo_shows_one_skipped_config_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    script = Path(__file__).parents[1] / "examples/make_demo.py"
    spec = importlib.util.spec_from_file_location("make_demo", script)
    assert spec is not None and spec.loader is not None
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    demo.materialise(tmp_path / "demo")
    _, out, _ = run(tmp_path, "scan", "--no-gitleaks", "demo", monkeypatch=monkeypatch)
    notices = [line for line in out.splitlines() if "not scanned" in line]
    assert len(notices) == 1 and ".gemini/settings.json" in notices[0] and "--all-files" in notices[0]


def test_unlistable_directory_makes_the_scan_incomplete(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """os.walk drops a directory it cannot list unless asked: the walk reports it (fatal, exit 2)."""
    import os

    from scanner.sources import worktree

    root = tmp_path / "plain"
    (root / "locked").mkdir(parents=True)
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    listing = worktree.list_candidates(root, (), False)
    assert [(s.path, s.fatal) for s in listing.skipped] == [("locked", True)]
    listing = worktree.list_candidates(root, (root / "locked",), False)  # named: reported the same way
    assert [(s.path, s.fatal) for s in listing.skipped] == [("locked", True)]
