"""Production markers in an MCP server's env (scanner/environment): the environment selectors of
frameworks and telemetry SDKs (DD_ENV, SENTRY_ENVIRONMENT, RAILS_ENV, APP_ENV, ENVIRONMENT, STAGE,
ASPNETCORE_ENVIRONMENT, OTEL_RESOURCE_ATTRIBUTES' `deployment.environment`, DD_TAGS' `env`) name the
tier; runtime and build modes (NODE_ENV, FLASK_ENV, BABEL_ENV) do not (docs/rules.md, "NODE_ENV")."""

from __future__ import annotations

import pytest

from scanner.environment import classify, word_environment
from scanner.model import Environment
from tests.matrix.builders import servers

P, S, D = Environment.PROD, Environment.STAGING, Environment.DEV


def _verdict(env: dict[str, str]) -> tuple[Environment, tuple[str, ...]]:
    entry = {"command": "npx", "args": ["-y", "@acme/mcp-server"], "env": env}
    cfg = servers(".cursor/mcp.json", {"s": entry})
    _files, by_server = classify([cfg], [], None)
    verdict = by_server[(cfg.path, "s")]
    return verdict.environment, verdict.evidence


@pytest.mark.parametrize(("name", "value"), [
    ("DD_ENV", "production"), ("SENTRY_ENVIRONMENT", "production"), ("RAILS_ENV", "production"),
    ("APP_ENV", "prod"), ("ENVIRONMENT", "live"), ("STAGE", "prod"), ("ASPNETCORE_ENVIRONMENT", "Production"),
    ("DD_ENV", "prd"), ("SENTRY_ENVIRONMENT", "production-eu"), ("RACK_ENV", "production"),
    ("MIX_ENV", "prod"), ("ELASTIC_APM_ENVIRONMENT", "production"),
])
def test_environment_selectors_are_production_evidence(name: str, value: str) -> None:
    environment, evidence = _verdict({name: value})
    assert environment is P
    assert any(f"{name}={value}" in line for line in evidence)


@pytest.mark.parametrize(("name", "value"), [
    ("OTEL_RESOURCE_ATTRIBUTES", "service.name=acme-mcp,deployment.environment=production"),
    ("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=prod,service.version=1.2"),
    ("DD_TAGS", "team:ai env:production"),
    ("DD_TAGS", "env:prod,team:ai"),
])
def test_telemetry_tag_lists_name_the_environment(name: str, value: str) -> None:
    environment, evidence = _verdict({name: value})
    assert environment is P
    assert any(f"{name} tag" in line for line in evidence)


@pytest.mark.parametrize(("env", "expected"), [
    ({"NODE_ENV": "production"}, D),  # the Node runtime mode (kept: docs/rules.md)
    ({"FLASK_ENV": "production"}, D),  # only the debugger / reloader switch
    ({"BABEL_ENV": "production"}, D),  # a build preset
    ({"SENTRY_ENVIRONMENT": "prod-like"}, S),  # made to resemble production
    ({"DD_ENV": "production_like"}, S),
    ({"APP_ENV": "${APP_ENV}"}, D),
    ({"OTEL_RESOURCE_ATTRIBUTES": "service.name=prod-exporter,deployment.environment=staging"}, S),
    ({"OTEL_RESOURCE_ATTRIBUTES": "service.name=production-mirror"}, D),  # not the environment key
    ({"DD_TAGS": "team:production-support"}, D),
])
def test_modes_and_lookalikes_are_not_production(env: dict[str, str], expected: Environment) -> None:
    assert _verdict(env)[0] is expected


def test_prod_like_words() -> None:
    assert word_environment("prod-like") == (S, "prod-like")
    assert word_environment("prod-replica") == (P, "prod")  # a replica of production holds its data
    assert word_environment("likely-prod") == (P, "prod")
