"""Secret rules (MCPG101-MCPG105): one finding per secret match, routed by where the secret sits,
because the advice differs (move to env / keep off the command line / rotate a DB password / ...);
MCPG106: the rest of a file past the per-file limit of detailed findings."""

from __future__ import annotations

from collections.abc import Iterable

from scanner.engines.engine import Placement, SecretMatch
from scanner.findings import Finding
from scanner.model import Category, Client, Environment, FileFormat, Location, McpConfig, Severity
from scanner.providers.grading import grade
from scanner.rules.base import Rule, RuleContext, register

_SETTINGS_CLIENTS = frozenset({Client.CLAUDE_SETTINGS, Client.DOTENV})


def route(match: SecretMatch) -> str:
    """The one rule id a match belongs to (each match yields exactly one secret finding)."""
    placement = match.placement
    if placement is Placement.COMMENT:
        return "MCPG105"
    if match.secret_type == "db-password":
        return "MCPG103"
    if (match.config.client in _SETTINGS_CLIENTS or match.config.format is FileFormat.DOTENV
            or placement is Placement.DOTENV):
        return "MCPG104"
    if placement in (Placement.ARGS, Placement.COMMAND):
        return "MCPG102"
    return "MCPG101"


class _SecretRule(Rule):
    category = Category.SECRET

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        cached = ctx.shared.get("secret.routes")
        routed: dict[str, list[SecretMatch]]
        if isinstance(cached, dict):
            routed = cached
        else:  # every MCPG10x rule reads the same routing: do it once
            routed = {}
            for match in ctx.secrets:
                routed.setdefault(route(match), []).append(match)
            ctx.shared["secret.routes"] = routed
        for match in routed.get(self.id, ()):
            yield self._finding(match, ctx)

    def _message(self, match: SecretMatch, where: str) -> str:
        return f"{match.description} {where}"

    def _where(self, match: SecretMatch) -> str:
        server = f" of server '{match.server.name}'" if match.server is not None else ""
        # A file that did not parse was searched line by line: say so, the field is only the nearest key.
        unparsed = " (the file does not parse; found by a line-by-line search)" \
            if match.config.parse_error is not None else ""
        return f"hardcoded in `{match.field_name}`{server}{unparsed}"

    def _finding(self, match: SecretMatch, ctx: RuleContext) -> Finding:
        config = match.config
        facts: dict[str, str] = {}
        for key, value in match.facts:  # the first value of each key, as match.fact() reads them
            if key not in facts:
                facts[key] = value
        details = {"provider": match.provider, "placement": facts.get("placement") or "",
                   "env_name": facts.get("env_name") or "", "engine": match.engine,
                   "description": match.description}
        risk = grade(match.value, match.secret_type)
        details["risk"], details["risk_reason"] = risk.label, risk.reason
        for key in ("host", "db_scheme", "role", "live"):
            fact = facts.get(key)
            if fact:
                details[key] = fact
        return self.finding(
            location=match.location, config=config, server=match.server, field_name=match.field_name,
            message=self._message(match, self._where(match)),
            discriminator=ctx.secret_discriminator(match),
            legacy_discriminator=match.hash,
            environment=ctx.env_of(config, match.server).environment, severity=match.severity,
            secret_type=match.secret_type, redacted=match.redacted, fix=ctx.fix_for(match),
            details=details)


@register
class HardcodedSecret(_SecretRule):
    id = "MCPG101"
    name = "hardcoded-secret"
    default_severity = Severity.HIGH
    summary = "Credential written literally in an MCP server entry"
    remediation = ("Move the value to an environment variable or the client's secret input and reference "
                   "it (`${VAR}`, `${env:VAR}`, `${input:id}` depending on the client); rotate the "
                   "credential, since it is in git history.")


@register
class SecretOnCommandLine(_SecretRule):
    id = "MCPG102"
    name = "secret-on-command-line"
    default_severity = Severity.HIGH
    summary = "Credential passed in `args`/`command`: stored in the repo and visible in process listings"
    remediation = ("Pass the credential through `env` (most servers read an env var instead of the flag) "
                   "or a reference, never as a command-line argument; rotate it.")

    def _where(self, match: SecretMatch) -> str:
        return super()._where(match) + " (command line, visible in process listings)"


@register
class DatabasePassword(_SecretRule):
    id = "MCPG103"
    name = "database-url-with-password"
    default_severity = Severity.CRITICAL
    summary = "Database connection string with a literal password"
    remediation = ("Reference the connection string from the environment (e.g. `DATABASE_URL`), use a "
                   "read-only database user for MCP servers, and change the database password.")

    def _message(self, match: SecretMatch, where: str) -> str:
        host = match.fact("host") or "a database"
        return f"Database password for {host} {where}"


@register
class SecretInSettingsFile(_SecretRule):
    id = "MCPG104"
    name = "secret-in-settings-file"
    default_severity = Severity.HIGH
    summary = "Credential in a committed dotenv or agent settings file"
    remediation = ("Remove the file from git (add it to .gitignore), keep secrets in the user's own "
                   "environment or secret store, and rotate the credential.")

    def _where(self, match: SecretMatch) -> str:
        return f"in committed file `{match.config.path}` (`{match.field_name}`)"


@register
class SecretInComment(_SecretRule):
    id = "MCPG105"
    name = "secret-in-comment"
    default_severity = Severity.HIGH
    summary = "Credential left in a comment of an MCP config"
    remediation = "Delete the commented-out value and rotate the credential; comments are committed too."

    def _where(self, match: SecretMatch) -> str:
        return f"in a comment of `{match.config.path}` (line {match.location.line})"


@register
class FindingsLimitReached(Rule):
    """Made by the pipeline's per-file cap (scanner/detail_budget.py), after every other rule: it
    counts their findings. It stands for the part of a file that was not analysed in detail, which
    may hold any number of secrets, so it is critical (it blocks at every threshold that blocks a
    secret) and its fingerprint is a digest of that part (a change there makes it new)."""

    id = "MCPG106"
    name = "findings-limit-reached"
    category = Category.SECRET
    default_severity = Severity.CRITICAL
    summary = "File not analysed in detail past the per-file limit of findings"
    remediation = ("Remove the literal values from the file (a file with this many findings is usually "
                   "generated data or a pasted dump), or raise the limit with `--max-findings-per-file N` "
                   "/ `max-findings-per-file: N` in `.mcp-guard.yml` (0 = no limit) to see every finding.")

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return ()  # made by cap_findings: the findings it counts exist only after the other rules

    def limit_finding(self, config: McpConfig, location: Location, shown: int, limit: int,
                      digest: str) -> Finding:
        """The finding for the rest of `config`'s file from `location` on (`digest` of that rest)."""
        message = (f"{shown:,} finding(s) of this file are reported in detail; the rest of the file, from "
                   f"line {location.line} column {location.column} on, was not analysed in detail (the "
                   f"limit is {limit:,} findings per file) and may hold more secrets. Raise the limit with "
                   "--max-findings-per-file or `max-findings-per-file` in .mcp-guard.yml (0 = no limit).")
        return self.finding(location=location, config=config, server=None, field_name="file",
                            message=message, discriminator=digest, environment=Environment.UNKNOWN,
                            details={"shown": str(shown), "limit": str(limit)})
