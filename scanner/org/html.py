"""A self-contained HTML page: counts, four inline-SVG bar charts and the tables. No scripts, no
external assets (a CSP forbids loading any); every artifact string is HTML-escaped."""

from __future__ import annotations

from collections import Counter
from html import escape

from scanner.org.render import (
    finding_rows,
    findings_summary_rows,
    problem_rows,
    production_rows,
    reuse_rows,
    server_rows,
)
from scanner.org.report import OrgReport

PALETTE = ("#0969da", "#1a7f37", "#9a6700", "#cf222e", "#8250df", "#bf3989", "#0550ae", "#57606a")
ENV_COLOURS = {"prod": "#cf222e", "staging": "#9a6700", "dev": "#1a7f37", "local": "#0969da",
               "unknown": "#8c959f"}
MODE_COLOURS = {"literal": "#cf222e", "reference": "#1a7f37", "placeholder": "#9a6700", "empty": "#8c959f"}
CSP = "default-src 'none'; style-src 'unsafe-inline'"
MAX_BARS = 10
TABLE_MAX_ROWS = 5000

CSS = """
body{margin:0;padding:24px 32px;background:#f6f8fa;color:#1f2328;
font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
.sub{color:#59636e;margin-bottom:16px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:26px}.card.bad b{color:#cf222e}
.charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px}
.chart{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:12px 16px}
.chart h3{margin:0 0 6px;font-size:14px}
table+table{margin-top:12px}table{border-collapse:collapse;background:#fff;width:100%;font-size:13px}
th,td{border:1px solid #d1d9e0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}code{font-size:12px;white-space:nowrap}.note{color:#9a6700}.note.bad{color:#cf222e}
.prod{color:#cf222e;font-weight:600}
"""


def _bar_chart(title: str, counter: Counter[str], colours: dict[str, str] | None = None) -> str:
    items = counter.most_common()
    if len(items) > MAX_BARS:
        rest = sum(v for _, v in items[MAX_BARS - 1:])
        items = items[:MAX_BARS - 1] + [("other", rest)]
    width, label_w, bar_h, gap = 460, 130, 22, 8
    height = max(1, len(items)) * (bar_h + gap) + 4
    top = max((v for _, v in items), default=1) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}">']
    if not items:
        parts.append('<text x="0" y="16" fill="#59636e">none</text>')
    for i, (label, value) in enumerate(items):
        y = i * (bar_h + gap) + 2
        w = max(2, round((width - label_w - 60) * value / top))
        colour = (colours or {}).get(label, PALETTE[i % len(PALETTE)])
        short = label if len(label) <= 18 else label[:17] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="12" '
                     f'fill="#1f2328">{escape(short)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" rx="3" fill="{colour}"/>'
                     f'<text x="{label_w + w + 6}" y="{y + 15}" font-size="12" fill="#1f2328">{value}</text>')
    parts.append("</svg>")
    return f'<div class="chart"><h3>{escape(title)}</h3>{"".join(parts)}</div>'


def _cell(value: object) -> str:
    text = escape(str(value))
    return f"<td><code>{text}</code></td>" if text.startswith("hmac-") else f"<td>{text}</td>"


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]], empty: str = "None.") -> str:
    if not rows:
        return f"<p>{escape(empty)}</p>"
    more = ""
    if len(rows) > TABLE_MAX_ROWS:
        more = f"<p>{len(rows) - TABLE_MAX_ROWS} more rows in the JSON and CSV reports.</p>"
        rows = rows[:TABLE_MAX_ROWS]
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def render_html(report: OrgReport, title: str = "MCP inventory") -> str:
    c = report.counts()
    cards = [("repositories", c["repositories"], False), ("MCP servers", c["servers"], False),
             ("reach production", c["production_servers"], c["production_servers"] > 0),
             ("findings", c["findings"], False),
             ("blocking", c["blocking_findings"], c["blocking_findings"] > 0),
             ("reused credentials", c["reused_credentials"], c["reused_credentials"] > 0),
             ("problems", c["problems"], c["problems"] > 0)]
    card_html = "".join(f'<div class="card{" bad" if bad else ""}"><b>{n}</b>{escape(label)}</div>'
                        for label, n, bad in cards)
    charts = "".join([
        _bar_chart("Servers by client", report.by_client()),
        _bar_chart("Servers by transport", report.by_transport()),
        _bar_chart("Credential modes", report.credential_modes(), MODE_COLOURS),
        _bar_chart("Production reach (servers by environment)", report.production_reach(), ENV_COLOURS),
    ])
    incomplete = report.incomplete_line()
    notes = (f'<p class="note bad"><b>Incomplete</b>: {escape(incomplete)}.</p>' if incomplete else "") \
        + "".join(f'<p class="note">{escape(n)}</p>' for n in report.notes)
    sections = "".join([
        f"<h2>Credentials reused across repositories ({len(report.reuse)})</h2>{_table(*reuse_rows(report))}",
        f"<h2>Servers reaching production ({len(report.production)})</h2>{_table(*production_rows(report))}",
        f"<h2>Findings per repository ({len(report.findings)})</h2>{_table(*findings_summary_rows(report))}",
        _table(*finding_rows(report), empty="") if report.findings else "",
        f"<h2>Every server ({len(report.servers)})</h2>{_table(*server_rows(report))}",
        f"<h2>Problems ({len(report.problems)})</h2>{_table(*problem_rows(report))}",
    ])
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{escape(title)}</title>'
        f'<style>{CSS}</style></head><body>'
        f'<h1>{escape(title)}</h1><div class="sub">{c["repositories_with_results"]} of {c["repositories"]} '
        'repositories with results · credentials matched by keyed fingerprint, never by value</div>'
        f'<div class="cards">{card_html}</div>{notes}<div class="charts">{charts}</div>{sections}'
        '</body></html>\n'
    )
