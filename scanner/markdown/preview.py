"""The comment as GitHub shows it: GFM to HTML with cmarkgfm (GitHub's own parser) plus alerts.

cmarkgfm does not know GitHub's `> [!WARNING]` alerts (GitHub adds them after parsing), so
`to_html` turns a blockquote whose first line is `[!NOTE]`/`[!TIP]`/`[!IMPORTANT]`/`[!WARNING]`/
`[!CAUTION]` into GitHub's `markdown-alert` markup. `page` wraps the result in a GitHub-like
comment box for screenshots (docs/make_screenshot.py) and tests.

cmarkgfm is in the `test` extra, not a runtime dependency: this module is for previews only.
"""

from __future__ import annotations

import html
import re

ALERT_KINDS = ("NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION")
_ALERT_OPEN = re.compile(r"<blockquote>\n<p>\[!(" + "|".join(ALERT_KINDS) + r")\](?:\n|</p>\n<p>)")
_QUOTE_TAG = re.compile(r"<(/?)blockquote>")


def to_html(markdown: str) -> str:
    """GitHub-flavoured HTML of `markdown` (tables, strikethrough, autolinks, raw HTML kept as GitHub
    keeps it in comments), with alerts as `<div class="markdown-alert markdown-alert-<kind>">`."""
    try:
        import cmarkgfm
        from cmarkgfm.cmark import Options
    except ImportError:  # pragma: no cover - depends on the environment
        raise RuntimeError("cmarkgfm is not installed (pip install 'mcp-guard[test]')") from None
    # UNSAFE keeps raw HTML (<details>, <sub>) as GitHub does; GitHub then sanitises it, and our
    # templates never let user text reach raw HTML (see escape.py).
    body = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    return _alerts(body)


def _alerts(body: str) -> str:
    out: list[str] = []
    pos = 0
    while (match := _ALERT_OPEN.search(body, pos)) is not None:
        kind = match.group(1).lower()
        end = _closing_quote(body, match.end())
        if end is None:
            break
        out.append(body[pos:match.start()])
        out.append(f'<div class="markdown-alert markdown-alert-{kind}">'
                   f'<p class="markdown-alert-title">{kind.title()}</p>\n<p>')
        out.append(body[match.end():end])
        out.append("</div>")
        pos = end + len("</blockquote>")
    out.append(body[pos:])
    return "".join(out)


def _closing_quote(body: str, start: int) -> int | None:
    """Index of the `</blockquote>` closing the blockquote opened just before `start`."""
    depth = 1
    for tag in _QUOTE_TAG.finditer(body, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.start()
    return None


# A GitHub-like comment box: system font, 14px body, bordered tables, grey code, coloured alerts.
CSS = """
body { margin: 0; padding: 24px; background: #fff; color: #1f2328;
  font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif,
  "Noto Color Emoji"; }
.box { max-width: 900px; border: 1px solid #d1d9e0; border-radius: 6px; }
.head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px;
  border-radius: 6px 6px 0 0; color: #59636e; }
.head b { color: #1f2328; } .bot { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 7px;
  font-size: 12px; margin: 0 4px; }
.body { padding: 16px; } .body > :first-child { margin-top: 0; }
h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin: 24px 0 16px; }
h3 { font-size: 1.25em; margin: 24px 0 16px; }
p, ul, table, pre, blockquote, details, .markdown-alert { margin: 0 0 16px; }
a { color: #0969da; text-decoration: none; }
code { font: 85% ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eff1f3;
  padding: .2em .4em; border-radius: 6px; }
pre { background: #f6f8fa; padding: 12px 16px; border-radius: 6px; overflow: auto; }
pre code { background: none; padding: 0; font-size: 85%; }
table { border-collapse: collapse; } th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
summary { cursor: pointer; }
.markdown-alert { border-left: .25em solid #9a6700; padding: 8px 16px; }
.markdown-alert > :last-child { margin-bottom: 0; }
.markdown-alert-title { color: #9a6700; font-weight: 600; margin-bottom: 4px; }
.markdown-alert-note { border-color: #0969da; } .markdown-alert-note .markdown-alert-title { color: #0969da; }
.markdown-alert-caution { border-color: #d1242f; }
.markdown-alert-caution .markdown-alert-title { color: #d1242f; }
sub { color: #59636e; }
"""


def page(body_html: str, title: str) -> str:
    """A standalone HTML page showing `body_html` as a bot comment on `title` (escaped)."""
    head = ('<div class="head"><b>github-actions</b><span class="bot">bot</span>'
            f'commented on {html.escape(title)}</div>')
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<style>{CSS}</style></head><body><div class="box">{head}<div class="body">{body_html}'
            '</div></div></body></html>')
