"""Production-reuse rules (MCPG201-MCPG203): dev/staging configs that reach production resources,
one credential shared across environments, and production-only credentials in non-production files.

Account-wide tokens (sbp_, classic ghp_, an AWS default profile) are not production evidence here:
they grant every environment at once, which is the secret rules' concern, not a reuse pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from scanner.engines.engine import SecretMatch
from scanner.environment import Evidence
from scanner.findings import Finding
from scanner.model import Category, Environment, Location, McpConfig, ServerEntry, Severity
from scanner.rules._capability import Capability, FileApprovals, capability, file_approvals
from scanner.rules.base import Rule, RuleContext, iter_servers, register

NON_PROD = frozenset({Environment.LOCAL, Environment.DEV, Environment.STAGING})
# Evidence that MCPG203 reports instead (live keys, PAYPAL_ENVIRONMENT=PRODUCTION-style selectors).
_CREDENTIAL_KINDS = frozenset({"key", "provider-selector"})
# Explicit write switches (not defaults) that make an unknown managed host worth a finding.
_EXPLICIT_WRITE = re.compile(r"^(argument --|env |\w+ lists write|tool '|default_tools|trust|allowedTools|"
                             r"permissions\.allow)")
_CREDENTIAL_NAME = re.compile(r"(TOKEN|SECRET|KEY|PASSWORD|PASS|PAT|AUTH|CREDENTIALS?)$", re.I)
# (searched in a key's last 12 characters: a match ends at the end or before a final newline and is at
# most 11 long, and the search from every position of a 40-character key was a cost per env key)
# Other places one MCPG202 finding names: a credential in k places is k findings, and naming all
# the others in each made the output (and the time) grow k*k.
_LISTED = 10
_TIER = {Environment.LOCAL: "non-production", Environment.DEV: "non-production",
         Environment.STAGING: "staging", Environment.PROD: "production"}


def _server_secrets(ctx: RuleContext, config: McpConfig, server: ServerEntry) -> Sequence[SecretMatch]:
    # Indexed once per scan (ScanEvidence, shared with the classifier): filtering all secrets for
    # each server was servers * secrets.
    return ctx.evidence().server_secrets(config, server)


def _shift(severity: Severity, steps: int) -> Severity:
    return Severity(min(max(int(severity) + steps, Severity.LOW), Severity.CRITICAL))


@register
class ProdResourceFromNonProdConfig(Rule):
    id = "MCPG201"
    name = "prod-resource-in-dev-config"
    category = Category.PROD_ENV_REUSE
    default_severity = Severity.HIGH
    summary = "A development or staging MCP config reaches a production resource"
    remediation = ("Point developer-tool configs at a development or staging resource. If production "
                   "access is really needed, use a read-only mode (`--read-only`, `read_only=true`, a "
                   "read-only database user) and a short-lived credential from the environment.")

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        evidence_of = ctx.evidence()
        approvals: dict[str, FileApprovals] = {}  # per config path, found on first use
        for config, server in iter_servers(ctx.configs):
            file_verdict = ctx.file_env.get(config.path)
            if file_verdict is None or file_verdict.environment not in NON_PROD:
                continue
            verdict = ctx.env_of(config, server)
            if verdict.environment is not Environment.PROD and not verdict.unknown_remote:
                continue  # neither branch below can report: skip the evidence and capability walks
            if config.path not in approvals:
                approvals[config.path] = file_approvals(config)
            if verdict.environment is not Environment.PROD and not any(
                    _EXPLICIT_WRITE.match(w) for w in capability(config, server, approvals[config.path],
                                                                 urls=False).write):
                # Only the remote branch can report, and only with an explicit write switch, which
                # never comes from a URL: the URL parsing is not needed to know there is none.
                continue
            secrets = _server_secrets(ctx, config, server)
            evidence = evidence_of.server(config, server)
            cap = capability(config, server, approvals[config.path])
            prod = [e for e in evidence
                    if e.environment is Environment.PROD and e.kind not in _CREDENTIAL_KINDS]
            if verdict.environment is Environment.PROD and prod:
                yield self._report(config, server, prod, file_verdict.evidence, cap, secrets, remote=False)
            elif verdict.unknown_remote and any(_EXPLICIT_WRITE.match(w) for w in cap.write) \
                    and not cap.read_only:
                remote = [e for e in evidence if e.remote]
                yield self._report(config, server, remote, file_verdict.evidence, cap, secrets, remote=True)

    def _report(self, config: McpConfig, server: ServerEntry, targets: Sequence[Evidence],
                file_evidence: Sequence[str], cap: Capability, secrets: Sequence[SecretMatch],
                *, remote: bool) -> Finding:
        # A confirmed production target starts at high: with the default `fail-on: high` a developer
        # config pointed at production fails a pull request into a production branch (the privilege
        # path the gate exists to stop); a read-only mode lowers it to medium (reported, not blocking),
        # a literal credential or write access raises it. A managed host of unknown tier is only
        # reported with explicit write access, so write access is its premise, not a raiser.
        primary = max(targets, key=lambda e: (e.weight, e.fv is not None))
        base = Severity.LOW if remote else Severity.HIGH
        what = ("has write access to a managed host that may be production" if remote
                else "reaches a production resource")
        steps = (1 if secrets else 0) + (1 if cap.can_write and not remote else 0) \
            - (1 if cap.read_only else 0)
        parts = [f"Server '{server.name}' in {config.path} {what}: {primary.text}"]
        if secrets:
            parts.append(f"a literal credential sits in `{secrets[0].field_name}`")
        if cap.can_write:
            parts.append(f"write access ({cap.write[0]})")
        if cap.read_only:
            parts.append(f"limited by {cap.read_only[0]}")
        location = primary.fv.location if primary.fv is not None else server.location
        field_name = primary.fv.field if primary.fv is not None else "name"
        evidence = [e.text for e in targets] + list(file_evidence) + [f"write: {w}" for w in cap.write] \
            + [f"read-only: {r}" for r in cap.read_only]
        return self.finding(
            location=location, config=config, server=server, field_name=field_name,
            message="; ".join(parts) + ".", discriminator=f"{primary.kind}:{field_name}",
            environment=Environment.UNKNOWN if remote else Environment.PROD,
            severity=_shift(base, steps), evidence=tuple(dict.fromkeys(evidence)),
            details={"target": primary.text})


def _place_environment(ctx: RuleContext, match: SecretMatch) -> Environment:
    """Environment of the place a credential sits: the one verdict of its server (or file), which
    the classifier judges without key-kind evidence, so every finding at a place says the same."""
    return ctx.env_of(match.config, match.server).environment


@register
class CredentialAcrossEnvironments(Rule):
    id = "MCPG202"
    name = "credential-shared-across-environments"
    category = Category.PROD_ENV_REUSE
    default_severity = Severity.HIGH
    summary = "The same credential is used in two environments"
    remediation = ("Issue one credential per environment and rotate the shared one: a leak of the "
                   "development copy must not open production (or staging).")

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        by_value: dict[str, list[SecretMatch]] = {}
        for match in ctx.secrets:
            by_value.setdefault(match.hash, []).append(match)
        for digest, matches in by_value.items():
            if len(matches) < 2:
                continue  # one place has one tier (a value seen once needs no places: most of them)
            occurrences: dict[tuple[str, str, str, Location], tuple[SecretMatch, Environment]] = {}
            for match in matches:
                key = (match.config.path, match.server.name if match.server else "", match.field_name,
                       match.location)
                occurrences.setdefault(key, (match, _place_environment(ctx, match)))
            if len(occurrences) < 2:
                continue  # one place has one tier
            tiers = {_TIER[env] for _m, env in occurrences.values() if env in _TIER}
            if len(tiers) < 2:
                continue
            severity = Severity.HIGH if "production" in tiers else Severity.MEDIUM
            items = list(occurrences.values())
            head = items[:_LISTED + 1]  # holds every match's first _LISTED others
            for match, env in items:
                others = [(m, e) for m, e in head if m is not match][:_LISTED]
                more = len(items) - 1 - len(others)
                named = ", ".join(f"{m.config.path}" + (f" (server '{m.server.name}', {e.value})"
                                                        if m.server else f" ({e.value})") for m, e in others)
                listed = items if not more else [(match, env), *others]
                evidence = [f"{m.config.path}:{m.location.line} ({e.value})" for m, e in listed]
                if more:
                    named += f" and {more} more place{'s' if more > 1 else ''}"
                    evidence.append(f"and {more} more place{'s' if more > 1 else ''}")
                yield self.finding(
                    location=match.location, config=match.config, server=match.server,
                    field_name=match.field_name, discriminator=ctx.secret_discriminator(match),
                    legacy_discriminator=digest, environment=env, severity=severity,
                    secret_type=match.secret_type, redacted=match.redacted,
                    message=(f"This {match.description} ({env.value}) is also used in {named}; "
                             f"one credential spans {' and '.join(sorted(tiers))} environments."),
                    evidence=evidence, related=[m.location for m, _e in others],
                    details={"provider": match.provider})


@register
class ProdOnlyCredentialInNonProdConfig(Rule):
    id = "MCPG203"
    name = "prod-credential-in-dev-config"
    category = Category.PROD_ENV_REUSE
    default_severity = Severity.HIGH
    summary = "A production-only credential sits in a development or staging config"
    remediation = ("Use the provider's test mode in developer configs: its test key (`sk_test_`, "
                   "`shippo_test_`, `access_token$sandbox$`) or sandbox selector "
                   "(`PAYPAL_ENVIRONMENT=SANDBOX`, `PLAID_ENV=sandbox`). Keep live keys in the production "
                   "secret store, and rotate a live key that was committed.")

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        evidence_of = ctx.evidence()
        for match in ctx.secrets:
            file_verdict = ctx.file_env.get(match.config.path)
            if file_verdict is None or file_verdict.environment not in NON_PROD:
                continue
            if match.fact("live") == "true":
                yield self.finding(
                    location=match.location, config=match.config, server=match.server,
                    field_name=match.field_name, discriminator=ctx.secret_discriminator(match),
                    legacy_discriminator=match.hash,
                    environment=ctx.env_of(match.config, match.server).environment,
                    secret_type=match.secret_type, redacted=match.redacted,
                    message=(f"A live-mode (production-only) {match.description} sits in "
                             f"{match.config.path}, a {file_verdict.environment.value} config."),
                    evidence=[f"{match.field_name} is a live-mode key", *file_verdict.evidence],
                    details={"provider": match.provider})
        for config, server in iter_servers(ctx.configs):
            file_verdict = ctx.file_env.get(config.path)
            if file_verdict is None or file_verdict.environment not in NON_PROD:
                continue
            secrets = evidence_of.server_secrets(config, server)
            named = [v for v in (*server.env, *server.headers)
                     if _CREDENTIAL_NAME.search((v.key or "")[-12:])] if server.env or server.headers else []
            if not secrets and not named:
                continue
            for item in evidence_of.server(config, server):
                if item.kind != "provider-selector" or item.environment is not Environment.PROD \
                        or item.fv is None:
                    continue
                credential = secrets[0].field_name if secrets else named[0].field
                yield self.finding(
                    location=item.fv.location, config=config, server=server, field_name=item.fv.field,
                    discriminator=f"selector:{item.fv.key or item.fv.field}",
                    environment=ctx.env_of(config, server).environment,
                    severity=Severity.HIGH if secrets else Severity.MEDIUM,
                    message=(f"Server '{server.name}' in {config.path} selects the provider's production "
                             f"environment ({item.text}), so `{credential}` is a production credential."),
                    evidence=[item.text, *file_verdict.evidence])
