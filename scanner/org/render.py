"""The org report as JSON, Markdown (job summary), CSV (spreadsheets); HTML lives in html.py.

Only names, modes, redacted forms and keyed fingerprints reach any format: the artifacts hold no
values, and every string from them is escaped for the target format (cells, markup, formulas).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

from scanner import __version__
from scanner.org.report import OrgReport, Server

MARKDOWN_MAX_ROWS = 1000  # the job summary is limited to 1 MiB: the full list is in JSON/CSV/HTML


def _server_dict(s: Server) -> dict[str, Any]:
    return {"repo": s.repo, "file": s.file, "line": s.line, "client": s.client, "server": s.server,
            "transport": s.transport, "target": s.target, "package": s.package, "reaches": list(s.reaches),
            "access": s.access, "environment": s.environment, "evidence": list(s.evidence),
            "disabled": s.disabled,
            "credentials": [{"name": c.name, "in": c.where, "mode": c.mode} for c in s.credentials],
            "detected_secrets": [{"field": x.field, "secret_type": x.secret_type,
                                  "fingerprint": x.fingerprint} for x in s.secrets]}


def to_dict(report: OrgReport) -> dict[str, Any]:
    return {
        "version": 1,
        "tool": {"name": "mcp-guard", "version": __version__},
        "complete": report.complete,
        "unread_repositories": report.unread,
        "summary": report.counts(),
        "charts": {"servers_by_client": dict(report.by_client().most_common()),
                   "servers_by_transport": dict(report.by_transport().most_common()),
                   "credential_modes": dict(report.credential_modes().most_common()),
                   "servers_by_environment": dict(report.production_reach().most_common())},
        "servers": [_server_dict(s) for s in report.servers],
        "production": [{"repo": s.repo, "file": s.file, "server": s.server, "target": s.target,
                        "reaches": list(s.reaches), "access": s.access, "evidence": list(s.evidence)}
                       for s in report.production],
        "findings": [{"repo": f.repo, "rule_id": f.rule_id, "severity": f.severity, "file": f.file,
                      "line": f.line, "server": f.server, "field": f.field, "environment": f.environment,
                      "redacted": f.redacted, "message": f.message, "blocking": f.blocking}
                     for f in report.findings],
        "reused_credentials": [{"fingerprint": r.fingerprint, "repositories": r.repos,
                                "crosses_production": r.crosses_production,
                                "uses": [{"repo": u.repo, "file": u.file, "server": u.server,
                                          "credential": u.credential, "environment": u.environment}
                                         for u in r.uses]} for r in report.reuse],
        "problems": [{"repo": p.repo, "kind": p.kind, "detail": p.detail} for p in report.problems],
        "notes": list(report.notes),
        "repositories": list(report.repositories),
    }


def render_json(report: OrgReport) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


# --- Markdown -----------------------------------------------------------------------------------
def md_cell(text: object) -> str:
    """One table cell: no line breaks, pipes, backticks or HTML from artifact strings."""
    value = " ".join(str(text).split())
    for ch, rep in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("`", "'"),
                    ("[", "\\["), ("]", "\\]"), ("*", "\\*"), ("_", "\\_")):
        value = value.replace(ch, rep)
    return value or " "


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return out + [""]


def _capped(rows: list[tuple[object, ...]], what: str) -> tuple[list[tuple[object, ...]], list[str]]:
    if len(rows) <= MARKDOWN_MAX_ROWS:
        return rows, []
    return rows[:MARKDOWN_MAX_ROWS], [f"_{len(rows) - MARKDOWN_MAX_ROWS} more {what} in the JSON, CSV and "
                                      "HTML reports._", ""]


def _creds(s: Server) -> str:
    return ", ".join(f"{c.name}={c.mode}" for c in s.credentials) or "-"


def _counter_line(counter: Counter[str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counter.most_common()) or "none"


# Table rows shared by the Markdown and HTML reports: (header, rows) per concern.
Rows = tuple[tuple[str, ...], list[tuple[object, ...]]]
SEV_COLS = ("critical", "high", "medium", "low")


def reuse_rows(report: OrgReport) -> Rows:
    return (("Fingerprint", "Repositories", "Across prod/non-prod", "Uses"),
            [(r.fingerprint[:28] + "…", ", ".join(r.repos), "yes" if r.crosses_production else "no",
              "; ".join(f"{u.repo}:{u.file} {u.server}.{u.credential} ({u.environment})" for u in r.uses))
             for r in report.reuse])


def _target(s: Server) -> str:
    return f"{s.target} {s.package}" if s.package else s.target


def _reaches(s: Server) -> str:
    return ", ".join(s.reaches[:3]) + (f" +{len(s.reaches) - 3}" if len(s.reaches) > 3 else "") or "-"


def production_rows(report: OrgReport) -> Rows:
    return (("Repository", "File", "Server", "Target", "Reaches", "Access", "Evidence"),
            [(s.repo, s.file, s.server, _target(s), _reaches(s), s.access, "; ".join(s.evidence) or "-")
             for s in report.production])


def findings_summary_rows(report: OrgReport) -> Rows:
    blocking = Counter(f.repo for f in report.findings if f.blocking)
    return (("Repository", *SEV_COLS, "blocking"),
            [(repo, *(cnt.get(s, 0) for s in SEV_COLS), blocking.get(repo, 0))
             for repo, cnt in sorted(report.findings_by_repo().items())])


def finding_rows(report: OrgReport) -> Rows:
    return (("Repository", "Severity", "Rule", "Location", "Server", "Field", "Redacted"),
            [(f.repo, f.severity, f.rule_id, f"{f.file}:{f.line}", f.server, f.field, f.redacted or "-")
             for f in report.findings])


def server_rows(report: OrgReport) -> Rows:
    return (("Repository", "File", "Client", "Server", "Transport", "Target", "Reaches", "Environment",
             "Credentials"),
            [(s.repo, f"{s.file}:{s.line}", s.client, s.server + (" (disabled)" if s.disabled else ""),
              s.transport, _target(s), _reaches(s), s.environment, _creds(s)) for s in report.servers])


def problem_rows(report: OrgReport) -> Rows:
    return (("Repository", "Kind", "Detail"), [(p.repo, p.kind, p.detail) for p in report.problems])


def _section(title: str, table: Rows, what: str) -> list[str]:
    header, rows = table
    out = [f"## {title}", ""]
    if not rows:
        return out + ["None.", ""]
    shown, more = _capped(rows, what)
    return out + _table(header, shown) + more


def render_markdown(report: OrgReport) -> str:
    c = report.counts()
    incomplete = report.incomplete_line()
    out = ["# MCP inventory for the organisation", ""]
    if incomplete is not None:
        out += [f"**Incomplete**: {md_cell(incomplete)}.", ""]
    out += [f"**{c['repositories']}** repositories ({c['repositories_with_results']} with results), "
           f"**{c['servers']}** MCP servers, **{c['production_servers']}** reaching production, "
           f"**{c['findings']}** findings ({c['blocking_findings']} blocking), "
           f"**{c['reused_credentials']}** credentials reused across repositories "
           f"({c['reused_across_production']} across production and non-production), "
           f"**{c['problems']}** problems.", "",
           f"- Servers by client: {md_cell(_counter_line(report.by_client()))}",
           f"- Servers by transport: {md_cell(_counter_line(report.by_transport()))}",
           f"- Credential modes: {md_cell(_counter_line(report.credential_modes()))}",
           f"- Servers by environment: {md_cell(_counter_line(report.production_reach()))}", ""]
    out += [f"> {md_cell(n)}" for n in report.notes] + ([""] if report.notes else [])
    out += _section(f"Credentials reused across repositories ({len(report.reuse)})", reuse_rows(report),
                    "reused credentials")
    out += _section(f"Servers reaching production ({len(report.production)})", production_rows(report),
                    "production servers")
    out += _section(f"Findings per repository ({len(report.findings)})", findings_summary_rows(report),
                    "repositories")
    if report.findings:
        header, rows = finding_rows(report)
        shown, more = _capped(rows, "findings")
        out += _table(header, shown) + more
    out += _section(f"Every server ({len(report.servers)})", server_rows(report), "servers")
    out += _section(f"Problems ({len(report.problems)})", problem_rows(report), "problems")
    return "\n".join(out)




# --- CSV ----------------------------------------------------------------------------------------
CSV_COLUMNS = ("record", "repo", "file", "line", "client", "server", "transport", "target", "environment",
               "credentials", "severity", "rule_id", "fingerprint", "detail", "package", "reaches", "access")


def csv_cell(value: object) -> str:
    """No spreadsheet formulas from artifact strings (=, +, -, @, tab, CR lead a formula)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(report: OrgReport) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows: list[tuple[object, ...]] = []
    for s in report.servers:
        rows.append(("server", s.repo, s.file, s.line, s.client, s.server, s.transport, s.target,
                     s.environment, ", ".join(f"{c.name}={c.mode}" for c in s.credentials), "", "", "",
                     "; ".join(s.evidence), s.package, " ".join(s.reaches), s.access))
    for f in report.findings:
        rows.append(("finding", f.repo, f.file, f.line, "", f.server, "", "", f.environment, f.field,
                     f.severity, f.rule_id, "", f.redacted))
    for r in report.reuse:
        for u in r.uses:
            rows.append(("reuse", u.repo, u.file, "", "", u.server, "", "", u.environment, u.credential,
                         "", "", r.fingerprint, "crosses production" if r.crosses_production else ""))
    for p in report.problems:
        rows.append(("problem", p.repo, "", "", "", "", "", "", "", "", "", p.kind, "", p.detail))
    rows.append(("summary", "", "", "", "", "", "", "", "", "", "", "", "",
                 report.incomplete_line() or f"complete: {len(report.repositories)} repositories read"))
    width = len(CSV_COLUMNS)
    writer.writerows(tuple(csv_cell(v) for v in (*row, *("",) * (width - len(row)))) for row in rows)
    return buf.getvalue()
