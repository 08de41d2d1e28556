"""Applying the policy's suppressions to findings: fingerprint ignores, path ignores, rule disables.

Expired or unused entries become warnings; every entry that hid something is returned as a
`Suppression` so reports always show what the policy took out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from scanner import fingerprints
from scanner.findings import Finding
from scanner.policy.globs import match_path_glob
from scanner.policy.types import Policy, Suppression


@dataclass(frozen=True, slots=True)
class IgnoreOutcome:
    kept: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    warnings: tuple[str, ...]  # one line each, fingerprints shortened, never values
    suppressions: tuple[Suppression, ...] = ()  # entries that hid at least one finding, file order


@dataclass(slots=True)
class _Entry:
    kind: str
    key: str  # config key, for messages: ignore | ignore-paths | disable-rules
    index: int
    label: str  # shown: fingerprint[:12], path glob or rule id
    reason: str
    expires: dt.date | None
    matches: Callable[[Finding], bool]
    ident: str  # what makes two entries the same (full fingerprint, glob, rule id)
    count: int = 0


def _fingerprint_matcher(fingerprint: str) -> Callable[[Finding], bool]:
    # v1 fingerprints (before slow secret digests) still match until the entry is rewritten; an
    # ephemeral fingerprint (scanner/fingerprints.py) is never suppressed by a fingerprint entry.
    fingerprint = fingerprint.lower()
    return lambda f: not fingerprints.is_ephemeral(f.fingerprint) and any(
        k == fingerprint for k in (f.fingerprint, *f.legacy_fingerprints))


def _path_matcher(glob: str) -> Callable[[Finding], bool]:
    return lambda f: match_path_glob(f.file, glob)


# The rest of a file past the per-file limit (scanner/detail_budget.py) is never disabled as a rule:
# it may hold any secret. An entry naming it hides nothing (and is reported as unused).
_NOT_DISABLED = "MCPG106"


def _rule_matcher(rule: str) -> Callable[[Finding], bool]:
    return lambda f: f.rule_id == rule and rule != _NOT_DISABLED


def _entries(policy: Policy) -> list[_Entry]:
    out = [_Entry("fingerprint", "ignore", i, e.fingerprint[:12], e.reason, e.expires,
                  _fingerprint_matcher(e.fingerprint), e.fingerprint) for i, e in enumerate(policy.ignores)]
    out += [_Entry("path", "ignore-paths", i, e.path, e.reason, e.expires,
                   _path_matcher(e.path), e.path)
            for i, e in enumerate(policy.ignore_paths)]
    out += [_Entry("rule", "disable-rules", i, e.rule, e.reason, e.expires,
                   _rule_matcher(e.rule), e.rule)
            for i, e in enumerate(policy.disable_rules)]
    return out


def apply_ignores(findings: Sequence[Finding], policy: Policy, today: dt.date,
                  loaders: Mapping[str, Collection[str]] | None = None) -> IgnoreOutcome:
    """Split findings into kept/suppressed by the policy; warn on expired and unused entries.

    An entry is valid through its `expires` day; after that it suppresses nothing and warns, so an
    accepted risk is looked at again instead of being forgotten. A finding matched by several
    entries counts for each of them (none is reported unused because another matched first).
    `loaders` maps a referenced file (an envFile, a plugin's servers file, a `{file:}` target) to the
    configs that load it: a path ignore hides its findings only when every config loading it is in
    an ignored path too (a live `.vscode/mcp.json` reading `examples/.env` sends that file's values,
    whatever `examples/**` was meant to hide).
    """
    warnings: list[str] = []
    name = policy.origin or ".mcp-guard.yml"
    active: list[_Entry] = []
    seen: set[tuple[str, str]] = set()
    for entry in _entries(policy):
        if entry.expires is not None and entry.expires < today:
            warnings.append(f"{name}: {entry.key}[{entry.index}] ({entry.label}) expired on "
                            f"{entry.expires.isoformat()}; {_again(entry.kind)}")
            continue
        ident = (entry.kind, entry.ident)
        if ident not in seen:  # a duplicate entry: the first one is the one in use
            seen.add(ident)
            active.append(entry)
    if loaders:
        _loaded_files_stay(active, loaders)
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        hit = False
        for entry in active:
            if entry.matches(finding):
                entry.count += 1
                hit = True
        (suppressed if hit else kept).append(finding)
    kept, suppressed = _match_v2(active, kept, suppressed, warnings, name)
    ephemeral = sum(1 for f in findings if fingerprints.is_ephemeral(f.fingerprint))
    if ephemeral:
        warnings.append(fingerprints.EPHEMERAL_WARNING.format(count=ephemeral,
                                                              budget=fingerprints.SLOW_BUDGET))
    for entry in active:
        if not entry.count:
            warnings.append(f"{name}: {entry.key}[{entry.index}] ({entry.label}) matched no finding; "
                            "remove it")
    suppressions = tuple(Suppression(e.kind, e.label, e.reason, e.expires, e.count, name)
                         for e in active if e.count)
    return IgnoreOutcome(tuple(kept), tuple(suppressed), tuple(warnings), suppressions)


def _loaded_files_stay(active: list[_Entry], loaders: Mapping[str, Collection[str]]) -> None:
    """Path entries match a referenced file only when every config that loads it is ignored too."""
    globs = [entry.ident for entry in active if entry.kind == "path"]
    memo: dict[str, bool] = {}

    def ignored(path: str, seen: frozenset[str]) -> bool:
        """Whether `path` and, transitively, every config loading it are in an ignored path."""
        if path in memo:
            return memo[path]
        if path in seen:  # a loading cycle: the rest of the cycle decides
            return True
        answer = any(match_path_glob(path, glob) for glob in globs) and all(
            ignored(loader, seen | {path}) for loader in loaders.get(path, ()))
        memo[path] = answer
        return answer

    for entry in active:
        if entry.kind == "path":
            glob = entry.ident
            entry.matches = lambda f, glob=glob: (match_path_glob(f.file, glob)  # type: ignore[misc]
                                                  and ignored(f.file, frozenset()))


def _match_v2(active: list[_Entry], kept: list[Finding], suppressed: list[Finding], warnings: list[str],
              name: str) -> tuple[list[Finding], list[Finding]]:
    """Ignore entries written with a v2 fingerprint of a value now digested as v3-random.

    Only when some fingerprint entry matched nothing: the v2 fingerprints of the kept v3-random
    findings are re-derived in memory (one scrypt each, within the process's slow-hash budget; past
    it they stay reported, which fails closed), and each entry that matches says its new fingerprint.
    """
    unused = {entry.ident.lower(): entry for entry in active
              if entry.kind == "fingerprint" and not entry.count}
    candidates = [f for f in kept if fingerprints.is_random_scheme(f.fingerprint)]
    if not unused or not candidates:
        return kept, suppressed
    old = fingerprints.v2_fingerprints((f.fingerprint for f in candidates), budgeted=True)
    still: list[Finding] = []
    for finding in kept:
        entry = unused.get(old.get(finding.fingerprint, ""))
        if entry is None:
            still.append(finding)
            continue
        entry.count += 1
        suppressed.append(finding)
        warnings.append(f"{name}: {entry.key}[{entry.index}] ({entry.label}) is a fingerprint from before "
                        f"v3; replace it with {finding.fingerprint}")
    if len(old) < len(candidates):
        warnings.append(f"{name}: {len(candidates) - len(old)} finding(s) were not compared with older "
                        "(v2) ignore fingerprints (slow-hash budget spent); rewrite old entries with the "
                        "fingerprints of the current JSON/SARIF output")
    return still, suppressed


def _again(kind: str) -> str:
    return {"fingerprint": "the finding is reported again",
            "path": "findings in these files are reported again",
            "rule": "the rule reports again"}[kind]
