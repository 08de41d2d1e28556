"""Merge per-repository artifacts into one organisation inventory (names, modes, fingerprints only)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from scanner.org.collect import Problem, RepoArtifacts
from scanner.org.keys import FINGERPRINT_PREFIX

NON_PROD = ("local", "dev", "staging")
# Problems that do not mean a repository went unread (the report is complete nonetheless).
NOTE_KINDS = frozenset({"unkeyed-fingerprints"})
MAX_NAMED = 20  # repositories named in the one-line "incomplete" message
SEVERITIES = ("critical", "high", "medium", "low")


@dataclass(frozen=True, slots=True)
class Credential:
    name: str
    where: str  # env / header
    mode: str  # literal / reference / placeholder / empty


@dataclass(frozen=True, slots=True)
class Secret:
    """A credential the scanner detected in a server, known only by its keyed fingerprint."""

    field: str
    secret_type: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class Server:
    repo: str
    file: str
    line: int
    client: str
    server: str
    transport: str
    target: str
    environment: str
    evidence: tuple[str, ...]
    credentials: tuple[Credential, ...]
    secrets: tuple[Secret, ...]
    disabled: bool
    package: str = ""  # what the launcher starts (inventory `package`); "" for remote servers
    reaches: tuple[str, ...] = ()  # hosts its values name (inventory `reaches`)
    access: str = "unspecified"  # write / read-only / unspecified


@dataclass(frozen=True, slots=True)
class FindingRow:
    repo: str
    rule_id: str
    severity: str
    file: str
    line: int
    server: str
    field: str
    environment: str
    redacted: str
    message: str
    blocking: bool


@dataclass(frozen=True, slots=True)
class Use:
    repo: str
    file: str
    server: str
    credential: str
    environment: str


@dataclass(frozen=True, slots=True)
class Reuse:
    fingerprint: str
    uses: tuple[Use, ...]
    crosses_production: bool

    @property
    def repos(self) -> list[str]:
        return sorted({u.repo for u in self.uses})


@dataclass
class OrgReport:
    repositories: list[str] = field(default_factory=list)
    servers: list[Server] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)
    reuse: list[Reuse] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    scanned: int = 0  # repositories with at least one usable artifact

    @property
    def unread(self) -> list[str]:
        """Repositories that could not be read completely (a failed checkout or scan, a missing or
        corrupt artifact, a skipped file, a planned repository without results)."""
        return sorted({p.repo for p in self.problems if p.kind not in NOTE_KINDS}, key=str.lower)

    @property
    def complete(self) -> bool:
        return not self.unread

    def incomplete_line(self) -> str | None:
        """One line saying which repositories were not read completely, or None when all were."""
        unread = self.unread
        if not unread:
            return None
        named = ", ".join(unread[:MAX_NAMED]) + (f" (+{len(unread) - MAX_NAMED} more)"
                                                  if len(unread) > MAX_NAMED else "")
        return (f"the report is incomplete: {len(unread)} of {len(self.repositories)} repositories could not "
                f"be read completely ({named}); see the problems")

    @property
    def production(self) -> list[Server]:
        return [s for s in self.servers if s.environment == "prod"]

    def counts(self) -> dict[str, int]:
        return {"repositories": len(self.repositories), "repositories_with_results": self.scanned,
                "servers": len(self.servers), "production_servers": len(self.production),
                "findings": len(self.findings), "blocking_findings": sum(f.blocking for f in self.findings),
                "reused_credentials": len(self.reuse),
                "reused_across_production": sum(r.crosses_production for r in self.reuse),
                "problems": len(self.problems), "unread_repositories": len(self.unread)}

    def by_client(self) -> Counter[str]:
        return Counter(s.client for s in self.servers)

    def by_transport(self) -> Counter[str]:
        return Counter(s.transport for s in self.servers)

    def credential_modes(self) -> Counter[str]:
        return Counter(c.mode for s in self.servers for c in s.credentials)

    def production_reach(self) -> Counter[str]:
        return Counter(s.environment for s in self.servers)

    def findings_by_repo(self) -> dict[str, Counter[str]]:
        out: dict[str, Counter[str]] = {}
        for f in self.findings:
            out.setdefault(f.repo, Counter())[f.severity] += 1
        return out


def _s(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _i(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _credentials(entry: dict[str, Any]) -> tuple[Credential, ...]:
    out = []
    for where, key in (("env", "env"), ("header", "headers")):
        for cred in entry.get(key) or []:
            if isinstance(cred, dict) and isinstance(cred.get("name"), str):
                out.append(Credential(cred["name"], where, _s(cred.get("mode"), "unknown")))
    return tuple(out)


def _secrets(entry: dict[str, Any]) -> tuple[Secret, ...]:
    out = []
    for item in entry.get("credential_fingerprints") or []:
        if isinstance(item, dict) and _s(item.get("fingerprint")).startswith(FINGERPRINT_PREFIX):
            out.append(Secret(_s(item.get("field"), "?"), _s(item.get("secret_type"), "unknown"),
                              item["fingerprint"]))
    return tuple(out)


def _strings(value: object) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _servers(arts: RepoArtifacts) -> list[Server]:
    out = []
    for entry in (arts.inventory or {}).get("servers") or []:
        if not isinstance(entry, dict):
            arts.problems.append(Problem(arts.repo, "corrupt-inventory", "a server entry is not an object"))
            continue
        evidence = entry.get("environment_evidence")
        out.append(Server(
            repo=arts.repo, file=_s(entry.get("file"), "?"), line=_i(entry.get("line")),
            client=_s(entry.get("client"), "unknown"), server=_s(entry.get("server"), "?"),
            transport=_s(entry.get("transport"), "unknown"), target=_s(entry.get("target")),
            environment=_s(entry.get("environment"), "unknown"),
            evidence=tuple(e for e in evidence if isinstance(e, str)) if isinstance(evidence, list) else (),
            credentials=_credentials(entry), secrets=_secrets(entry), disabled=entry.get("disabled") is True,
            package=_s(entry.get("package"), ""), reaches=_strings(entry.get("reaches")),
            access=_s(entry.get("access"), "unspecified")))
    return out


def _findings(arts: RepoArtifacts) -> list[FindingRow]:
    out = []
    for f in (arts.scan or {}).get("findings") or []:
        if not isinstance(f, dict):
            arts.problems.append(Problem(arts.repo, "corrupt-scan", "a finding is not an object"))
            continue
        out.append(FindingRow(
            repo=arts.repo, rule_id=_s(f.get("rule_id"), "?"), severity=_s(f.get("severity"), "unknown"),
            file=_s(f.get("file"), "?"), line=_i(f.get("line")), server=_s(f.get("server")),
            field=_s(f.get("field")), environment=_s(f.get("environment"), "unknown"),
            redacted=_s(f.get("redacted")), message=_s(f.get("message")), blocking=f.get("blocking") is True))
    return out


def _key_id(arts: RepoArtifacts) -> tuple[str, str] | None:
    key = (arts.inventory or {}).get("fingerprint_key")
    if isinstance(key, dict) and isinstance(key.get("key_id"), str):
        return key["key_id"], _s(key.get("source"), "unknown")
    return None


def _reuse(servers: list[Server], key_of: dict[str, str]) -> list[Reuse]:
    groups: dict[tuple[str, str], list[Use]] = {}
    for s in servers:
        for secret in s.secrets:
            if s.repo in key_of:
                groups.setdefault((key_of[s.repo], secret.fingerprint), []).append(
                    Use(s.repo, s.file, s.server, secret.field, s.environment))
    out = []
    for (_, fp), uses in groups.items():
        if len({u.repo for u in uses}) < 2:
            continue
        envs = {u.environment for u in uses}
        out.append(Reuse(fp, tuple(sorted(uses, key=lambda u: (u.repo, u.file, u.server))),
                         crosses_production="prod" in envs and bool(envs & set(NON_PROD))))
    out.sort(key=lambda r: (not r.crosses_production, -len(r.repos), r.fingerprint))
    return out


def build_report(artifacts: list[RepoArtifacts]) -> OrgReport:
    report = OrgReport()
    key_of: dict[str, str] = {}
    random_key_repos = 0
    for arts in artifacts:
        report.repositories.append(arts.repo)
        report.servers.extend(_servers(arts))
        report.findings.extend(_findings(arts))
        if arts.inventory is not None or arts.scan is not None:
            report.scanned += 1
        key = _key_id(arts)
        if key is not None:
            key_of[arts.repo] = key[0]
            random_key_repos += key[1] == "random"
        elif any(s.secrets for s in report.servers if s.repo == arts.repo):
            arts.problems.append(Problem(arts.repo, "unkeyed-fingerprints",
                                         "inventory names no fingerprint key"))
    for arts in artifacts:
        report.problems.extend(arts.problems)
    if len(set(key_of.values())) > 1:
        report.notes.append(f"credential fingerprints come from {len(set(key_of.values()))} different keys: "
                            "reuse is only detected between repositories fingerprinted with the same key "
                            "(set MCP_GUARD_FINGERPRINT_KEY for every job)")
    if random_key_repos:
        report.notes.append(f"{random_key_repos} repositories were fingerprinted with a per-run random key "
                            "(MCP_GUARD_FINGERPRINT_KEY unset)")
    report.reuse = _reuse(report.servers, key_of)
    report.servers.sort(key=lambda s: (s.repo.lower(), s.file, s.line, s.server))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    report.findings.sort(key=lambda f: (f.repo.lower(), order.get(f.severity, 9), f.file, f.line))
    return report
