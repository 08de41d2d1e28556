"""Rule base class, the per-scan RuleContext, and the single Finding factory."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from scanner.environment import ScanEvidence
from scanner.findings import Finding, Fix, fingerprint
from scanner.fingerprints import SECRET_CONTEXT, ValueDigester
from scanner.model import Category, Environment, EnvVerdict, Location, McpConfig, ServerEntry, Severity
from scanner.output_guard import quote_safely
from scanner.policy import Policy

if TYPE_CHECKING:
    from scanner.engines.engine import SecretMatch

DOCS_BASE = "https://github.com/mcp-guard/mcp-guard/blob/main/docs/rules.md"
# RuleContext.shared key of the scan's ScanEvidence (the classifier's, put there by pipeline.py).
EVIDENCE_KEY = "environment.evidence"


@dataclass
class RuleContext:
    """Everything a rule may read for one scan. Built only by pipeline.py."""

    configs: Sequence[McpConfig]
    secrets: Sequence[SecretMatch] = ()
    # Environment verdicts keyed by config path, and by (config path, server name).
    file_env: Mapping[str, EnvVerdict] = field(default_factory=dict)
    server_env: Mapping[tuple[str, str], EnvVerdict] = field(default_factory=dict)
    policy: Policy = field(default_factory=Policy)
    # Decoded text of every scanned file by relative path (for fixes and comment scanning).
    sources: Mapping[str, str] = field(default_factory=dict)
    # Derived data several rules of one family share (computed once per scan by its first user).
    shared: dict[str, object] = field(default_factory=dict)
    # The fix for a secret match, injected by pipeline.py (scanner.fix.secrets) so rules never import
    # fix code; the default offers none.
    fix_for: Callable[[SecretMatch], Fix | None] = field(default=lambda match: None)
    # Digests secret values for fingerprints (keyed HMAC or slow scrypt; cached per scan).
    digester: ValueDigester = field(default_factory=ValueDigester)
    # The per-file limit of detailed findings and the engines' cut-off (line, column) per file
    # (scanner/detail_budget.py): what a rule may leave out, as cap_findings drops it (rules/_cutoff.py).
    detail_limit: int = 0
    cutoffs: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def secret_discriminator(self, match: SecretMatch) -> str:
        """The fingerprint discriminator of a secret value (never a fast hash of it)."""
        return self.digester.digest(match.value, SECRET_CONTEXT)

    def evidence(self) -> ScanEvidence:
        """The scan's environment evidence per server (computed once; the classifier's when the
        pipeline shares it, else made on first use for this context's secrets and policy)."""
        found = self.shared.get(EVIDENCE_KEY)
        if not isinstance(found, ScanEvidence) or found.secrets is not self.secrets \
                or found.policy is not self.policy:
            found = self.shared[EVIDENCE_KEY] = ScanEvidence(self.secrets, self.policy)
        return found

    def env_of(self, config: McpConfig, server: ServerEntry | None) -> EnvVerdict:
        if server is not None:
            verdict = self.server_env.get((config.path, server.name))
            if verdict is not None:
                return verdict
        return self.file_env.get(config.path, EnvVerdict(Environment.UNKNOWN))


class Rule:
    """One rule: all its metadata in one class; subclasses implement check()."""

    id: ClassVar[str]
    name: ClassVar[str]  # kebab-case slug
    category: ClassVar[Category]
    default_severity: ClassVar[Severity]
    summary: ClassVar[str]  # one line
    remediation: ClassVar[str]  # short markdown

    @classmethod
    def help_uri(cls) -> str:
        return f"{DOCS_BASE}#{cls.id.lower()}-{cls.name}"

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        *,
        location: Location,
        config: McpConfig,
        server: ServerEntry | None,
        field_name: str,
        message: str,
        discriminator: str,
        environment: Environment,
        severity: Severity | None = None,
        secret_type: str | None = None,
        redacted: str | None = None,
        evidence: Sequence[str] = (),
        related: Sequence[Location] = (),
        fix: Fix | None = None,
        details: Mapping[str, str] | None = None,
        legacy_discriminator: str | None = None,
    ) -> Finding:
        """The only way findings are made: id, category and fingerprint are never retyped."""
        server_name = server.name if server is not None else None
        # Messages, evidence and details quote config values as written: a found secret in one (in any
        # letter case) is shown as a redacted form shows it (output_guard.quote_safely).
        keep = (server_name or "", field_name, config.path, location.path)
        message = quote_safely(message, keep)
        evidence = [quote_safely(line, keep) for line in evidence] if evidence else ()
        details = {key: quote_safely(value, keep) for key, value in details.items()} if details else {}
        return Finding(
            rule_id=self.id,
            category=self.category,
            severity=severity if severity is not None else self.default_severity,
            location=location,
            client=config.client.value,
            server=server_name,
            field=field_name,
            environment=environment,
            secret_type=secret_type,
            redacted=redacted,
            fingerprint=fingerprint(self.id, config.path, server_name, field_name, discriminator),
            message=message,
            evidence=tuple(evidence),
            related=tuple(related),
            fix=fix,
            details=tuple(sorted(details.items())),
            legacy_fingerprints=() if legacy_discriminator is None else (
                fingerprint(self.id, config.path, server_name, field_name, legacy_discriminator),),
        )


def iter_servers(configs: Sequence[McpConfig]) -> Iterator[tuple[McpConfig, ServerEntry]]:
    for config in configs:
        for server in config.servers:
            yield config, server


REGISTRY: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator adding a rule to REGISTRY (ids are never reused)."""
    if cls.id in REGISTRY:
        raise RuntimeError(f"duplicate rule id {cls.id}")
    if not cls.id.startswith("MCPG") or not cls.name:
        raise RuntimeError(f"malformed rule metadata for {cls.__name__}")
    REGISTRY[cls.id] = cls
    return cls
