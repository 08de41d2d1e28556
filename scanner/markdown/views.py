"""View objects handed to templates: small frozen dataclasses built from a ScanResult.

Templates never see raw dicts or raw findings. Text our code wrote is `Safe`; every other string
(file, server, field, message, evidence) is plain and escaped by the environment's finalize hook.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.clients.catalog import ClientSyntax, syntax_for
from scanner.findings import Finding
from scanner.markdown.escape import Safe, code_block, code_span, rich_text, safe_url
from scanner.markdown.snippet import build_snippet
from scanner.model import Severity
from scanner.policy.types import Suppression
from scanner.providers.rotation import Rotation, rotation_for
from scanner.rules.base import DOCS_BASE

if TYPE_CHECKING:
    from scanner.result import ScanResult

_ICONS = {Severity.CRITICAL: "🔴", Severity.HIGH: "🟠", Severity.MEDIUM: "🟡", Severity.LOW: "🔵"}
_FAMILY_TEMPLATE = {"secret": "secret", "prod-env-reuse": "prod_env", "hardening": "hardening"}
_MAX_SOURCE = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CommentContext:
    """What the Action knows about the pull request; every text field is escaped when rendered."""

    repo: str  # owner/name
    pr_number: int | None = None
    head_sha: str = ""
    base_ref: str | None = None
    production_branch: bool = False  # the PR targets a branch the policy calls production
    blocking: bool = False  # the status check fails
    status_text: str = ""  # one line, e.g. "2 blocking findings (fail-on: high)"
    run_url: str | None = None  # link to the workflow run (job summary link)
    policy_changes: tuple[str, ...] = ()  # e.g. ("ignores added: MCPG101 in .mcp.json",)
    history_only_note: str | None = None  # shown when findings exist only in the PR's history
    scan_mode: str = "diff"  # "diff" | "full"
    truncated: bool = False  # the Action dropped findings before rendering
    max_findings: int = 25  # findings shown in full in the comment; the rest are listed
    production_branches: tuple[str, ...] = ()  # globs; named where a finding "would block a merge into"
    secrets_block_everywhere: bool = False  # blocking secrets block on every branch (input switch)


@dataclass(frozen=True, slots=True)
class RotationView:
    name: str
    url: Safe | None  # None for self-managed systems (databases)
    steps: str


@dataclass(frozen=True, slots=True)
class RunbookView:
    name: str
    url: Safe | None
    steps: str
    short_lived: str
    revoke_command: Safe | None  # fenced block; `$LEAKED_TOKEN` stands for the value
    docs: Safe | None


@dataclass(frozen=True, slots=True)
class OAuthView:
    url: Safe
    entry: Safe  # fenced block in the client's syntax
    login: str


@dataclass(frozen=True, slots=True)
class FindingView:
    rule_id: str
    rule_name: str
    title: str
    family: str  # template name under family/: secret | prod_env | hardening
    severity: str
    icon: Safe
    blocking: bool
    history_only: bool
    file: str
    line: int
    column: int
    client: str
    client_label: str
    server: str | None
    field: str
    environment: str
    secret_type: str | None
    redacted: str | None
    message: str
    evidence: tuple[str, ...]
    related: tuple[str, ...]  # "path:line"
    docs_url: Safe
    rule_remediation: Safe  # the rule's own Markdown (written by us, not by the PR author)
    client_note: Safe
    before: Safe | None  # fenced code blocks
    after: Safe | None
    extra: Safe | None
    fixable: bool
    fix_description: str | None
    rotation: RotationView | None
    env_name: str | None
    # Compact comment (set by build_report from the order findings are shown in):
    heading: Safe = Safe("")  # rule summary as Markdown: code spans, never literal backticks
    field_code: Safe = Safe("")  # the field as an inline code span
    change: Safe | None = None  # the fix as one ```diff block (- before / + after)
    same_as: str | None = None  # rule id of an earlier finding at the same place: its fix applies
    show_client_note: bool = True  # first finding of its client: say the client's syntax once
    rotation_first: bool = True  # first finding of its issuer: say the rotation steps once
    rule_first: bool = True  # first finding of its rule: link the rule's docs and say its advice once
    show_server: bool = True  # the message does not already name the server
    show_field: bool = True  # the message does not already name the field
    other_end: str | None = None  # "path:line" where this rule already reported the same pair
    also: tuple[FindingView, ...] = ()  # later findings at the same place, shown inside this one
    # Remediation (templates/partials/remediation.md.j2): risk grade from the token's shape, the
    # honest no-fix note with the client's best alternative, the revoke runbook, the OAuth entry.
    risk: str | None = None
    risk_reason: str | None = None
    no_fix_note: Safe | None = None
    runbook: RunbookView | None = None
    oauth: OAuthView | None = None


@dataclass(frozen=True, slots=True)
class ErrorView:
    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class SuppressionView:
    kind: str  # fingerprint | path | rule | baseline
    match: str
    reason: str
    expires: str | None
    count: int
    origin: str


@dataclass(frozen=True, slots=True)
class ReportView:
    findings: tuple[FindingView, ...]  # shown in full
    overflow: tuple[FindingView, ...]  # listed in one line each (comment size limit)
    total: int
    blocking: int
    counts: tuple[tuple[str, Safe, int], ...]  # (severity label, icon, count), most severe first
    files: int
    servers: int
    errors: tuple[ErrorView, ...]
    warnings: tuple[str, ...]
    complete: bool
    suppressed: int
    history_only: int
    fixable: int
    docs_url: Safe
    suppressions: tuple[SuppressionView, ...] = ()
    prod_advice: bool = False  # a shown finding is about production reuse: say the advice once
    rotations: int = 0  # shown findings that ask for a rotation
    # Where the shown credentials are rotated, once each: (issuer name, page or None), first seen first.
    rotate_at: tuple[tuple[str, Safe | None], ...] = ()
    hidden: int = 0  # findings neither shown nor listed (size limits); they still count in total

    @property
    def sections(self) -> tuple[FindingView, ...]:
        """Findings shown as sections, in display order (the others sit in an earlier one's `also`)."""
        return tuple(f for f in self.findings if f.same_as is None)

    @property
    def blocking_findings(self) -> tuple[FindingView, ...]:
        """Blocking findings shown as sections (a finding at an earlier one's place sits in its `also`)."""
        return tuple(f for f in self.findings if f.blocking and f.same_as is None)

    @property
    def other_findings(self) -> tuple[FindingView, ...]:
        return tuple(f for f in self.findings if not f.blocking and f.same_as is None)


def _rule_meta(rule_id: str) -> tuple[str, str, str, str]:
    """(name, summary, remediation, help uri) from the registry; safe defaults for unknown ids."""
    from scanner.rules import REGISTRY, all_rules

    if rule_id not in REGISTRY:
        all_rules()  # loads the rule families
    rule = REGISTRY.get(rule_id)
    if rule is None:
        return "unknown-rule", rule_id, "", DOCS_BASE
    return rule.name, rule.summary, rule.remediation, rule.help_uri()


class _Sources:
    """Reads scanned files lazily (once) to cut snippets; unreadable files give no snippet."""

    def __init__(self, root: str) -> None:
        self._root = Path(root)
        self._cache: dict[str, str | None] = {}

    def get(self, rel: str) -> str | None:
        if rel not in self._cache:
            self._cache[rel] = self._read(rel)
        return self._cache[rel]

    def _read(self, rel: str) -> str | None:
        path = self._root / rel
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > _MAX_SOURCE:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        from scanner.errors import ParseError
        from scanner.parsing import decode_text

        try:  # as the scan read it (UTF-16 with a BOM, Windows-1252): positions are the scan's
            return decode_text(data)
        except ParseError:
            return data.decode("utf-8", "replace").lstrip("\ufeff")


def _quoted_fields(finding: Finding) -> tuple[str, ...]:
    """The user-controlled strings a rule message may quote in backticks."""
    return (finding.field, finding.file, finding.server or "",
            *(loc.path for loc in finding.related), *(v for _k, v in finding.details))


def _holds_value(finding: Finding) -> bool:
    """A finding of one credential (rotation, fix and client advice apply): not MCPG106, the secret
    finding that stands for the unanalysed rest of a file (no value, no provider)."""
    return finding.redacted is not None or (finding.category.value == "secret"
                                            and finding.secret_type is not None)


def _client_note(finding: Finding, syntax: ClientSyntax) -> Safe:
    if _holds_value(finding) or syntax.style in ("names", "none"):
        return Safe(syntax.note)
    return Safe("")


def build_finding(finding: Finding, sources: _Sources) -> FindingView:
    """One finding's view: the brief view plus the fix in its client's syntax, the rich message and
    the remediation."""
    syntax = syntax_for(finding.client)
    is_secret = _holds_value(finding)
    snippet = build_snippet(finding, sources.get(finding.file)) if not finding.history_only else None
    lang = syntax.language if finding.client != "generic" else ""
    return replace(
        brief_finding(finding),
        message=rich_text(finding.message, _quoted_fields(finding)),
        before=code_block(snippet.before, lang) if snippet else None,
        after=code_block(snippet.after, lang) if snippet and snippet.after else None,
        extra=code_block(snippet.extra, lang) if snippet and snippet.extra else None,
        change=_change_block(snippet.before, snippet.after) if snippet and snippet.after else None,
        **_remediation(finding, syntax, is_secret),  # type: ignore[arg-type]
    )


def brief_finding(finding: Finding) -> FindingView:
    """A finding's view without the costly parts (snippet, fix blocks, remediation, rich message):
    what a one-line listing and the grouping in `_compact` read. `build_finding` makes the full one."""
    name, summary, remediation, uri = _rule_meta(finding.rule_id)
    syntax = syntax_for(finding.client)
    is_secret = _holds_value(finding)
    rotation: RotationView | None = None
    if is_secret or finding.detail("provider"):
        entry: Rotation = rotation_for(finding.detail("provider"))
        url, steps = _rotation_page(entry, finding.secret_type)
        rotation = RotationView(entry.name, safe_url(url) if url else None, steps)
    return FindingView(
        rule_id=finding.rule_id, rule_name=name, title=summary,
        family=_FAMILY_TEMPLATE.get(finding.category.value, "hardening"),
        severity=finding.severity.label, icon=Safe(_ICONS[finding.severity]),
        blocking=finding.blocking, history_only=finding.history_only,
        file=finding.file, line=finding.line, column=finding.column,
        client=finding.client, client_label=syntax.label, server=finding.server, field=finding.field,
        environment=finding.environment.value, secret_type=finding.secret_type,
        redacted=finding.redacted, message=finding.message,  # plain: escaped when rendered
        evidence=tuple(item for item in finding.evidence if item not in finding.message),  # said once
        related=tuple(f"{loc.path}:{loc.line}" for loc in finding.related),
        docs_url=Safe(uri), rule_remediation=Safe(remediation), client_note=_client_note(finding, syntax),
        before=None, after=None, extra=None, fixable=finding.fix is not None,
        fix_description=finding.fix.description if finding.fix is not None else None,
        rotation=rotation, env_name=finding.detail("env_name"),
        heading=_heading(summary), field_code=code_span(finding.field),
        show_server=not finding.server or f"'{finding.server}'" not in finding.message,
        show_field=f"`{finding.field}`" not in finding.message,
    )


def _rotation_page(entry: Rotation, secret_type: str | None) -> tuple[str, str]:
    """The rotation page and steps for this kind of credential (its issuer's runbook page, if any)."""
    from scanner.providers.runbooks import RUNBOOKS, kind_page

    book = RUNBOOKS.get(entry.provider)
    page = kind_page(book, secret_type) if book is not None else None
    return page if page is not None else (entry.url, entry.steps)


@functools.lru_cache(maxsize=256)
def _heading(summary: str) -> Safe:
    """A rule summary as Markdown (one per rule: cached)."""
    return rich_text(summary)


def _change_block(before: str, after: str) -> Safe:
    """Before and after as one ```diff block, common indentation removed."""
    old = before.split("\n")
    new = [] if after == "(line removed)" else after.split("\n")
    lines = [line for line in old + new if line.strip()]
    indent = min((len(line) - len(line.lstrip(" \t")) for line in lines), default=0)
    body = [f"- {line[indent:]}" for line in old] + [f"+ {line[indent:]}" for line in new]
    return code_block("\n".join(body), "diff")


def _display_order(findings: list[Finding]) -> list[Finding]:
    """Blocking first, then most severe first; the scan's file order within each (stable sort)."""
    return sorted(findings, key=lambda f: (not f.blocking, -int(f.severity)))


def _compact(views: list[FindingView]) -> list[FindingView]:
    """Say shared advice once: the client's syntax, an issuer's rotation steps, one fix per place.

    Findings at the same place as an earlier one (same file, line, column: one value) get its rule id
    in `same_as` and are also listed in the earlier one's `also`.
    """
    clients: set[str] = set()
    issuers: set[tuple[str, Safe | None]] = set()
    rules: set[str] = set()
    reported: set[tuple[str, str]] = set()  # (rule id, "path:line") already shown
    places: dict[tuple[str, int, int], int] = {}
    out: list[FindingView] = []
    for view in views:
        place = (view.file, view.line, view.column)
        first = places.get(place)
        other_end = next((loc for loc in view.related if (view.rule_id, loc) in reported), None)
        reported.add((view.rule_id, f"{view.file}:{view.line}"))
        if first is not None:
            out.append(replace(view, same_as=out[first].rule_id, rule_first=view.rule_id not in rules,
                               other_end=other_end))
            rules.add(view.rule_id)
            out[first] = replace(out[first], also=(*out[first].also, out[-1]))
            continue
        places[place] = len(out)
        issuer = (view.rotation.name, view.rotation.url) if view.rotation is not None else None
        first_issuer = issuer is None or issuer not in issuers
        out.append(replace(view, show_client_note=view.client not in clients, rotation_first=first_issuer,
                           rule_first=view.rule_id not in rules))
        rules.add(view.rule_id)
        clients.add(view.client)
        if issuer is not None:
            issuers.add(issuer)
    return out


def _remediation(finding: Finding, syntax: ClientSyntax, is_secret: bool) -> dict[str, object]:
    if not is_secret:
        return {}
    from scanner.fix.notes import no_fix_note
    from scanner.fix.oauth import oauth_entry
    from scanner.providers.runbooks import revoke_command_for, runbook_for, runbook_page

    book = runbook_page(runbook_for(finding.detail("provider")), finding.secret_type)
    command = revoke_command_for(book, finding.secret_type)
    runbook = RunbookView(
        book.name, safe_url(book.url) if book.url else None, book.steps, book.short_lived,
        code_block("# run this yourself; mcp-guard never calls it\n" + command, "sh") if command else None,
        safe_url(book.docs) if book.docs else None)
    entry = oauth_entry(finding.client, finding.server, finding.detail("provider"))
    oauth = OAuthView(safe_url(entry.url), code_block(entry.entry, entry.language), entry.login) \
        if entry is not None else None
    note = no_fix_note(finding, syntax)
    return {"risk": finding.detail("risk"), "risk_reason": finding.detail("risk_reason"),
            "no_fix_note": Safe(note) if note else None, "runbook": runbook, "oauth": oauth}


class ReportViews:
    """The views of one result's findings in display order, each built at most once and only in
    full for the findings a report shows (the comment, the summary and the Markdown report of one
    run share it: no finding is re-read or re-rendered)."""

    def __init__(self, result: ScanResult) -> None:
        self.findings = _display_order(list(result.findings))
        self._sources = _Sources(result.root)
        self._brief: list[FindingView] | None = None
        self._full: dict[int, FindingView] = {}
        self._grouped: list[FindingView] | None = None
        self._first: list[int] = []  # index of the first finding at each finding's place

    def brief(self) -> list[FindingView]:
        if self._brief is None:
            self._brief = [brief_finding(finding) for finding in self.findings]
        return self._brief

    def full(self, index: int) -> FindingView:
        view = self._full.get(index)
        if view is None:
            view = self._full[index] = build_finding(self.findings[index], self._sources)
        return view

    def compacted(self, shown: int | None) -> list[FindingView]:
        """Every view, grouped by `_compact`; the first `shown` (None: all) and the findings grouped
        into them (`also`) in full, the others brief."""
        if shown is None or shown >= len(self.findings):
            return _compact([self.full(i) for i in range(len(self.findings))])
        if self._grouped is None:  # the grouping reads only places, rules, clients and issuers
            brief = self.brief()
            self._grouped = _compact(brief)
            first: dict[tuple[str, int, int], int] = {}
            for i, view in enumerate(brief):
                self._first.append(first.setdefault((view.file, view.line, view.column), i))
        grouped, first_of = self._grouped, self._first
        out = list(grouped)
        # The first `shown`, and every later finding at a shown place (it is shown inside that one).
        wanted = [i for i in range(len(out)) if i < shown or first_of[i] < shown]
        for i in wanted:
            g = grouped[i]
            out[i] = replace(self.full(i), same_as=g.same_as, show_client_note=g.show_client_note,
                             rotation_first=g.rotation_first, rule_first=g.rule_first, other_end=g.other_end)
        members: dict[int, list[int]] = {}
        for i in wanted:
            if first_of[i] != i:
                members.setdefault(first_of[i], []).append(i)
        for i, group in members.items():
            out[i] = replace(out[i], also=tuple(out[j] for j in group))
        return out


def build_report(result: ScanResult, ctx: CommentContext | None = None, limit: int | None = -1,
                 listed: int | None = None, views: ReportViews | None = None) -> ReportView:
    """The whole report. `limit` -1 = the context's max_findings (comment), None = every finding;
    `listed` caps the one-line list of the findings past `limit` (None: all of them), the rest are
    counted in `hidden`. Pass `views` to share the built views between reports of one result."""
    if limit == -1:
        limit = ctx.max_findings if ctx is not None else None
    views = views if views is not None else ReportViews(result)
    compacted = views.compacted(limit)
    shown = compacted if limit is None else compacted[:limit]
    rest = [] if limit is None else compacted[limit:]
    overflow = tuple(rest if listed is None else rest[:listed])
    counts = Counter(finding.severity for finding in result.findings)
    return ReportView(
        findings=tuple(shown), overflow=overflow, total=len(compacted),
        blocking=sum(1 for f in result.findings if f.blocking),
        counts=tuple((sev.label, Safe(_ICONS[sev]), counts[sev]) for sev in sorted(Severity, reverse=True)
                     if counts[sev]),
        files=len(result.scanned_files), servers=sum(len(c.servers) for c in result.configs),
        errors=tuple(ErrorView(e.path, e.reason) for e in result.errors),
        warnings=tuple(result.warnings), complete=result.complete, suppressed=result.suppressed,
        history_only=sum(1 for f in result.findings if f.history_only),
        fixable=sum(1 for f in result.findings if f.fix is not None), docs_url=Safe(DOCS_BASE),
        suppressions=tuple(_suppression_view(s) for s in result.suppressions),
        prod_advice=any(f.family == "prod_env" for f in shown),
        rotations=sum(1 for f in shown if f.rotation is not None and f.same_as is None),
        rotate_at=_rotate_at(shown),
        hidden=len(rest) - len(overflow),
    )


def _rotate_at(shown: list[FindingView]) -> tuple[tuple[str, Safe | None], ...]:
    """The issuers (and their pages) of the shown findings that ask for a rotation, once each."""
    seen: dict[tuple[str, Safe | None], None] = {}
    for view in shown:
        book = view.runbook if view.runbook is not None else view.rotation
        if book is not None and view.same_as is None:
            seen.setdefault((book.name, book.url), None)
    return tuple(seen)


def _suppression_view(entry: Suppression) -> SuppressionView:
    return SuppressionView(entry.kind, entry.match, entry.reason,
                           entry.expires.isoformat() if entry.expires else None, entry.count, entry.origin)
