"""Test helpers: McpConfig from config text (through discovery + clients) and SecretMatch by hand."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from scanner.clients import parse_config
from scanner.clients.discovery import classify_path
from scanner.engines.engine import SecretMatch
from scanner.environment import classify
from scanner.findings import Finding, redact
from scanner.model import McpConfig, Severity
from scanner.policy import Policy
from scanner.rules.base import Rule, RuleContext


def config(path: str, body: Mapping[str, object] | str) -> McpConfig:
    """Parse `body` (a dict dumped as JSON, or raw text) as the file at `path`."""
    candidate = classify_path(path)
    assert candidate is not None, f"not a config path: {path}"
    text = text_of(body)
    parsed = parse_config(candidate, text.encode("utf-8"))
    assert parsed is not None, f"not parsed: {path}"
    return parsed


def text_of(body: Mapping[str, object] | str) -> str:
    """The file text `config()` parses for `body`."""
    return body if isinstance(body, str) else json.dumps(body, indent=2)


def servers(path: str, entries: Mapping[str, Mapping[str, object]], **top: object) -> McpConfig:
    """A `mcpServers` config (Claude/Cursor/Gemini family) at `path`."""
    return config(path, {"mcpServers": dict(entries), **top})


def secret(cfg: McpConfig, server: str | None, field_name: str, value: str, secret_type: str = "generic",
           provider: str = "generic", facts: Sequence[tuple[str, str]] = ()) -> SecretMatch:
    """A SecretMatch for `value` at the field of a parsed server (as the engines would make it)."""
    entry = next((s for s in cfg.servers if s.name == server), None) if server is not None else None
    values = entry.values if entry is not None else cfg.file_values
    fv = next(v for v in values if v.field == field_name)
    return SecretMatch(secret_type=secret_type, value=value, config=cfg, server=entry, fv=fv,
                       field_name=field_name, location=fv.location, severity=Severity.HIGH,
                       redacted=redact(value), provider=provider, description=f"{secret_type} value",
                       facts=tuple(facts))


def context(configs: Sequence[McpConfig], secrets: Sequence[SecretMatch] = (),
            policy: Policy | None = None, sources: Mapping[str, str] | None = None) -> RuleContext:
    """A RuleContext as pipeline.py builds it (environment verdicts included)."""
    # (imported here: bench/equivalence.py reads this module's cases with older scanner trees too)
    from scanner.fix.secrets import fixer

    file_env, server_env = classify(configs, secrets, policy)
    texts = dict(sources or {})
    return RuleContext(configs=configs, secrets=secrets, file_env=file_env, server_env=server_env,
                       policy=policy if policy is not None else Policy(), sources=texts,
                       fix_for=fixer(texts))


def run(rule: Rule, ctx: RuleContext) -> list[Finding]:
    return list(rule.check(ctx))
