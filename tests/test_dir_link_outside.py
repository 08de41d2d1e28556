"""A folder git tracks files under, swapped in the work tree for a link out of the repository: the
file is opened without following its last component, but the folders above it are followed, so
the listing checks where each kept file's folder really is. Outside the repository: not read and
the scan is incomplete (a client reads what lies outside). A folder link inside the repository is
read as the client reads it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import CliRunner

from scanner.cli import main
from scanner.sources.worktree import DIR_LINK_OUTSIDE, list_candidates
from tests.fakes import fake_token


def _repo(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "repo"
    token = fake_token("ghp_", 36, 7)
    config = json.dumps({"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": token}}}})
    for rel in (".cursor/mcp.json", "tools/servers.json", "apps/web/.vscode/mcp.json"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(config.replace('"mcpServers"', '"servers"') if ".vscode" in rel else config)
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True, stdin=subprocess.DEVNULL)
    subprocess.run([*git, "add", "-A"], check=True, stdin=subprocess.DEVNULL)
    subprocess.run([*git, "commit", "-qm", "x"], check=True, stdin=subprocess.DEVNULL)
    return root, token


def _swap_for_link(folder: Path, target: Path) -> None:
    folder.rename(target)
    folder.symlink_to(target, target_is_directory=True)


def test_folder_linked_out_of_the_repository_is_an_incomplete_scan(tmp_path: Path) -> None:
    root, token = _repo(tmp_path)
    _swap_for_link(root / ".cursor", tmp_path / "elsewhere-cursor")  # a known name
    _swap_for_link(root / "tools", tmp_path / "elsewhere-tools")  # a probed name
    _swap_for_link(root / "apps" / "web", tmp_path / "elsewhere-web")  # a folder above a known name
    listing = list_candidates(root, [], False)
    assert listing.candidates == [] and listing.probes == []
    outside = {(s.path, s.reason, s.fatal) for s in listing.skipped}
    assert outside == {(rel, DIR_LINK_OUTSIDE, True) for rel in
                       (".cursor/mcp.json", "tools/servers.json", "apps/web/.vscode/mcp.json")}
    result = CliRunner().invoke(main, ["scan", "--no-gitleaks", str(root)])
    assert result.exit_code == 2, result.output
    assert DIR_LINK_OUTSIDE in result.output and token not in result.output


def test_folder_linked_inside_the_repository_is_read(tmp_path: Path) -> None:
    root, _token = _repo(tmp_path)
    _swap_for_link(root / ".cursor", root / "shared-cursor")
    listing = list_candidates(root, [], False)
    assert [c.rel_path for c, _ in listing.candidates] == [".cursor/mcp.json", "apps/web/.vscode/mcp.json"]
    assert not [s for s in listing.skipped if s.fatal]
    result = CliRunner().invoke(main, ["scan", "--no-gitleaks", "--format", "json", str(root)])
    assert result.exit_code == 1, result.output  # the token is found through the inside link
    assert any(f["file"] == ".cursor/mcp.json" for f in json.loads(result.output)["findings"])
