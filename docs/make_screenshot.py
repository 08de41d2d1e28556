"""Regenerate docs/comment.png: the real sticky PR comment for the demo repository, as GitHub shows it.

Builds the demo repository in a temp dir, scans it, renders the comment with scanner.render and
screenshots it with headless Chromium. Nothing secret-shaped reaches the HTML or the image.

Needs, outside the project's dependencies (keep them out of .venv):
    apt-get install -y chromium fonts-noto-color-emoji
    python3 -m venv /tmp/shotvenv && /tmp/shotvenv/bin/pip install markdown-it-py pillow
Run from the repository root with the project's interpreter and the throwaway venv on the path:
    PYTHONPATH=/tmp/shotvenv/lib/python3.11/site-packages .venv/bin/python docs/make_screenshot.py
"""

from __future__ import annotations

import argparse
import html
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
from scanner.pipeline import ScanOptions, scan  # noqa: E402
from scanner.render import FINDING_MARKER, CommentContext, render_comment  # noqa: E402

# A GitHub-like comment box: system font, 14px body, bordered tables, grey code background.
CSS = """
body { margin: 0; padding: 24px; background: #fff; color: #1f2328;
  font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
.box { max-width: 900px; border: 1px solid #d1d9e0; border-radius: 6px; }
.head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px;
  border-radius: 6px 6px 0 0; color: #59636e; }
.head b { color: #1f2328; } .bot { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 7px;
  font-size: 12px; margin: 0 4px; }
.body { padding: 16px; } .body > :first-child { margin-top: 0; }
h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin: 24px 0 16px; }
h3 { font-size: 1.25em; margin: 24px 0 16px; }
p, ul, table, pre, blockquote, .alert { margin: 0 0 16px; }
a { color: #0969da; text-decoration: none; }
code { font: 85% ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eff1f3;
  padding: .2em .4em; border-radius: 6px; }
pre { background: #f6f8fa; padding: 12px 16px; border-radius: 6px; overflow: auto; }
pre code { background: none; padding: 0; font-size: 85%; }
table { border-collapse: collapse; } th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
th { font-weight: 600; } tr:nth-child(2n) { background: #f6f8fa; }
.alert { border-left: .25em solid #9a6700; padding: 0 1em; }
.alert-title { color: #9a6700; font-weight: 600; margin: 0; padding-top: 4px; }
.alert.note { border-color: #0969da; } .alert.note .alert-title { color: #0969da; }
sub { color: #59636e; }
.cut { border-top: 2px dashed #d1d9e0; color: #59636e; text-align: center; padding-top: 8px;
  font-style: italic; margin: 8px 0 16px; }
"""

ALERT = re.compile(r"<blockquote>\s*<p>\[!(WARNING|NOTE)\]\s*", re.IGNORECASE)


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
        run_url="https://github.com/acme/payments/actions/runs/1234567890", scan_mode="diff")
    return render_comment(result, ctx)


def keep_findings(markdown: str, count: int) -> str:
    """The header and the first `count` findings, then a visible cut line (the image stays short)."""
    parts = markdown.split(FINDING_MARKER)
    if len(parts) - 1 <= count:
        return markdown
    rest = len(parts) - 1 - count
    kept = FINDING_MARKER.join(parts[: count + 1])
    footer_at = parts[-1].rfind("<sub>")  # the footer line follows the last finding
    footer = parts[-1][footer_at:] if footer_at >= 0 else ""
    return kept + f'\n<div class="cut">… {rest} more findings in the full comment …</div>\n\n' + footer


def to_html(markdown: str) -> str:
    """GitHub-flavoured rendering: tables, fenced code, raw <details>/<sub>, alert blockquotes."""
    from markdown_it import MarkdownIt  # from the throwaway venv, see the module docstring

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    body = md.render(markdown)
    # GitHub turns "> [!WARNING]" blockquotes into coloured alerts; markdown-it leaves them plain.
    body = ALERT.sub(lambda m: f'<blockquote class="alert {m.group(1).lower()}"><p class="alert-title">'
                               f'{m.group(1).title()}</p><p>', body)
    head = ('<div class="head"><b>github-actions</b><span class="bot">bot</span>'
            f'commented on pull request {html.escape("acme/payments#42")}</div>')
    return (f'<!doctype html><html><head><meta charset="utf-8"><style>{CSS}</style></head>'
            f'<body><div class="box">{head}<div class="body">{body}</div></div></body></html>')


def assert_no_secret(text: str, values: dict[str, str]) -> None:
    for name, value in values.items():
        if value in text:
            raise SystemExit(f"refusing to continue: the demo value {name} appears unredacted")


def screenshot(page: Path, png: Path, width: int, height: int) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium not found (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--hide-scrollbars", f"--window-size={width},{height}",
             f"--screenshot={png}", page.as_uri()],
            check=True, capture_output=True, timeout=120)


def crop_bottom(png: Path, margin: int = 24) -> None:
    """Cut the empty white space below the comment box (the window is taller than the page)."""
    from PIL import Image, ImageChops  # from the throwaway venv

    with Image.open(png) as image:
        rgb = image.convert("RGB")
    bbox = ImageChops.difference(rgb, Image.new("RGB", rgb.size, (255, 255, 255))).getbbox()
    if bbox is not None:
        rgb = rgb.crop((0, 0, rgb.width, min(rgb.height, bbox[3] + margin)))
    rgb.save(png, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="Regenerate docs/comment.png from the demo repository.")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "comment.png")
    parser.add_argument("--findings", type=int, default=3, help="findings shown before the cut line")
    parser.add_argument("--html", type=Path, help="also keep the HTML page here")
    args = parser.parse_args()
    demo = load_demo()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "demo-repo"
        demo.materialise(repo)
        markdown = comment_markdown(repo)
        assert_no_secret(markdown, demo.VALUES)
        page_html = to_html(keep_findings(markdown, args.findings))
        assert_no_secret(page_html, demo.VALUES)
        page = Path(tmp) / "comment.html"
        page.write_text(page_html, encoding="utf-8")
        if args.html is not None:
            shutil.copyfile(page, args.html)
        screenshot(page, args.output, width=948, height=4000)
    crop_bottom(args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
