"""git's listings of a default scan start before the scanner is imported (scanner/sources/gitlist.py):
the CLI starts them, `start_listing` takes them instead of starting its own and lists exactly what it
lists without them (every kind of tracked entry of the probe fixture, untracked and ignored
configs); listings of another root, or of a scan that names paths or walks every file, are stopped
and a fresh listing is made; and listings a failed scan did not collect are stopped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scanner import cli
from scanner.sources import gitlist, worktree
from scanner.sources.worktree import list_candidates, start_listing
from tests.test_listing_tracked_probe import _git, _repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "outside").mkdir()
    (tmp_path / "repo").mkdir()
    root = _repo(tmp_path / "repo", tmp_path / "outside")
    (root / ".gitignore").write_text("secret/\n")
    (root / "secret").mkdir()
    (root / "secret/.mcp.json").write_text("{}")  # ignored: a notice
    (root / ".cursor").mkdir()
    (root / ".cursor/mcp.json").write_text("{}")  # untracked: a notice
    return root


class _Made(gitlist.WorkTreeListings):
    made: list[_Made] = []

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        _Made.made.append(self)


def _listing(root: Path, monkeypatch: pytest.MonkeyPatch, **kwargs: object) -> worktree.Listing:
    with monkeypatch.context() as patch:
        patch.setattr(worktree, "WorkTreeListings", _Made)
        return start_listing(root, (), False, **kwargs).finish()  # type: ignore[arg-type]


def test_started_listings_are_taken_and_list_the_same(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _Made.made.clear()
    expected = _listing(repo, monkeypatch)
    assert len(_Made.made) == 1  # without them, start_listing starts its own
    assert expected.unscanned and expected.probes and expected.skipped  # the fixture's every kind
    started = gitlist.WorkTreeListings(repo)
    assert _listing(repo, monkeypatch, started=started) == expected
    assert len(_Made.made) == 1  # none started: the given ones were used
    assert all(listing.proc is not None and listing.proc.poll() is not None for listing in started.lists)


@pytest.mark.parametrize("case", ["other root", "paths", "all files"])
def test_listings_that_are_not_the_scan_s_are_stopped(repo: Path, tmp_path: Path, case: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / ".mcp.json").write_text('{"mcpServers": {"x": {"command": "npx"}}}')
    _git(other, "init", "-q")
    _git(other, "add", "-A")
    started = gitlist.WorkTreeListings(other if case == "other root" else repo)
    paths = (repo / "a",) if case == "paths" else ()
    all_files = case == "all files"
    with monkeypatch.context() as patch:
        patch.setattr(worktree, "WorkTreeListings", _Made)
        got = start_listing(repo, paths, all_files, started=started).finish()
    assert got == list_candidates(repo, paths, all_files)
    assert all(listing.proc is not None and listing.proc.poll() is not None for listing in started.lists)


def test_a_failed_scan_stops_what_it_did_not_collect(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[gitlist.WorkTreeListings] = []

    class Kept(gitlist.WorkTreeListings):
        def __init__(self, root: Path) -> None:
            super().__init__(root)
            made.append(self)

    def fails(*args: object, **kwargs: object) -> None:
        raise RuntimeError("scan failed")

    monkeypatch.setattr(gitlist, "WorkTreeListings", Kept)
    monkeypatch.setattr("scanner.pipeline.scan", fails)
    options = cli._build_options((repo,), False, None, True, False, None, 1024)
    with pytest.raises(RuntimeError):
        cli._run_scan(options, quiet=True)
    (listings,) = made
    assert listings.root == repo.resolve() or listings.root == repo
    assert all(listing.proc is not None and listing.proc.poll() is not None for listing in listings.lists)


_ORDER = """
import atexit, json, sys
from scanner.sources import gitlist
seen = []
real = gitlist.WorkTreeListings.__init__
def init(self, root):
    seen.append(sorted(name for name in sys.modules if name.startswith("scanner.")))
    real(self, root)
gitlist.WorkTreeListings.__init__ = init
atexit.register(lambda: sys.stderr.write("SEEN=" + json.dumps(seen) + "\\n"))
from scanner.cli import main
sys.argv = ["mcp-guard", "scan", "--no-gitleaks", "--format", "json", "-o", sys.argv[1], sys.argv[2]]
main()
"""


def test_the_cli_starts_them_before_importing_the_scanner(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-c", _ORDER, str(out), str(repo)], capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL, check=False, cwd=tmp_path)
    line = next(line for line in proc.stderr.splitlines() if line.startswith("SEEN="))
    (modules,) = json.loads(line.removeprefix("SEEN="))
    assert json.loads(out.read_text())["scanned_files"]  # the scan ran, with these listings
    assert "scanner.sources.gitlist" in modules
    heavy = {"scanner.pipeline", "scanner.sources.worktree", "scanner.clients"}
    assert not heavy & set(modules)
    # of the engines only gitleaks' process (scanner/early.py: gitleaks may be launched as early)
    light = {"scanner.engines", "scanner.engines.gitleaks_run", "scanner.engines.gitleaks_config"}
    assert {name for name in modules if name.startswith("scanner.engines")} <= light


def test_gitlist_imports_the_standard_library_only() -> None:
    source = Path(gitlist.__file__).read_text(encoding="utf-8")
    assert "import scanner" not in source and "from scanner" not in source
