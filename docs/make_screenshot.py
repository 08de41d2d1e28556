"""Regenerate docs/comment.png: the real sticky PR comment for the demo repository, as GitHub shows it.

Builds the demo repository in a temp dir, scans it, renders the comment with the bundled templates,
turns it into HTML with GitHub's parser (cmarkgfm, plus GitHub's `> [!WARNING]` alerts; see
scanner/markdown/preview.py) and screenshots it with headless Chromium. Nothing secret-shaped
reaches the HTML or the image (checked before Chromium runs).

Needs the test extra (cmarkgfm) and Chromium; `make screenshot` runs it:
    apt-get install -y chromium fonts-noto-color-emoji
    .venv/bin/python docs/make_screenshot.py [--html build/comment.html] [--markdown build/comment.md]
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a source checkout without installing

from scanner.gh.status import decide_status  # noqa: E402
from scanner.markdown.preview import page, to_html  # noqa: E402
from scanner.markdown.templates import CommentContext, render_comment  # noqa: E402
from scanner.pipeline import ScanOptions, scan  # noqa: E402

WIDTH = 948
# Written into the page after layout; read back with --dump-dom to size the screenshot window.
MEASURE = ("<script>document.documentElement.setAttribute('data-height', String(Math.ceil("
           "document.querySelector('.box').getBoundingClientRect().bottom) + 24));</script>")


def load_demo() -> ModuleType:
    """examples/make_demo.py, which generates the demo's secret-shaped values at run time."""
    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "examples" / "make_demo.py")
    if spec is None or spec.loader is None:
        raise SystemExit("examples/make_demo.py not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def comment_markdown(demo_root: Path) -> str:
    """The comment the Action would post on a PR to acme/payments' production branch."""
    result = scan(ScanOptions(root=demo_root, use_gitleaks=False))
    # The same status decision the Action posts, for a PR into the production branch "main".
    decision = decide_status(complete=result.complete, blocking=result.blocking_count,
                             total=len(result.findings), base_branch="main", production_branches=("main",))
    ctx = CommentContext(
        repo="acme/payments", pr_number=42, head_sha="4f2a9c1", base_ref="main",
        production_branch=True, blocking=decision.state == "failure", status_text=decision.description,
        run_url="https://github.com/acme/payments/actions/runs/1234567890", scan_mode="diff",
        production_branches=("main",))
    return render_comment(result, ctx)


def assert_no_secret(text: str, values: dict[str, str]) -> None:
    for name, value in values.items():
        pieces = {value[i:i + 12] for i in range(max(1, len(value) - 11))}
        if any(piece in text for piece in pieces):
            raise SystemExit(f"refusing to continue: a piece of the demo value {name} appears unredacted")


def _chromium() -> str:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        raise SystemExit("chromium not found (apt-get install -y chromium fonts-noto-color-emoji)")
    return chromium


def _run_chromium(args: list[str], profile: str) -> str:
    base = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--hide-scrollbars"]
    done = subprocess.run([*base, *args], check=True, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    return done.stdout


def screenshot(page_file: Path, png: Path) -> None:
    """Measure the page's height in one headless run, then shoot exactly that window."""
    with tempfile.TemporaryDirectory() as profile:
        dom = _run_chromium([f"--window-size={WIDTH},1000", "--virtual-time-budget=3000", "--dump-dom",
                             page_file.as_uri()], profile)
        match = re.search(r'data-height="(\d+)"', dom)
        height = min(int(match.group(1)), 8000) if match else 3000
        _run_chromium([f"--window-size={WIDTH},{height}", f"--screenshot={png}", page_file.as_uri()], profile)


def main() -> None:
    parser = argparse.ArgumentParser(description="Regenerate docs/comment.png from the demo repository.")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "comment.png")
    parser.add_argument("--html", type=Path, help="also keep the HTML page here")
    parser.add_argument("--markdown", type=Path, help="also keep the comment's Markdown here")
    args = parser.parse_args()
    demo = load_demo()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "demo-repo"
        demo.materialise(repo)
        markdown = comment_markdown(repo)
        assert_no_secret(markdown, demo.VALUES)
        page_html = page(to_html(markdown), "pull request acme/payments#42").replace(
            "</body>", MEASURE + "</body>")
        assert_no_secret(page_html, demo.VALUES)
        page_file = Path(tmp) / "comment.html"
        page_file.write_text(page_html, encoding="utf-8")
        for keep, text in ((args.html, page_html), (args.markdown, markdown)):
            if keep is not None:
                keep.parent.mkdir(parents=True, exist_ok=True)
                keep.write_text(text, encoding="utf-8")
        screenshot(page_file, args.output.resolve())
    print(f"wrote {args.output} ({len(markdown.encode())} bytes of Markdown)")


if __name__ == "__main__":
    main()
