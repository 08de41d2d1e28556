"""Helm chart values files of charts that run MCP servers (clients/helm.py) and the client config a
chart's values embed (LibreChat `configYamlContent`). Shapes follow public charts
(leothelyon17/kubernetes-gitops-playground helm-charts/github-mcp-server, Arbuzov/mcp-helm
charts/gitlab, TU-Wien-dataLAB/tuw-ai-stack charts/mcp-servers, the LibreChat chart); every
secret-shaped value is built at run time."""

from __future__ import annotations

import pytest

from scanner.clients import parse_config
from scanner.clients.discovery import classify_path
from scanner.model import Client
from tests.clients.helpers import line_of, scan_text
from tests.fakes import fake_token

_PAT = fake_token("ghp_", 36, 601)
_GITLAB = fake_token("glpat-", 20, 602)


def _secrets(result) -> list[tuple[int, str | None, str, str]]:  # type: ignore[no-untyped-def]
    return sorted((f.location.line, f.server, f.field, f.client) for f in result.findings
                  if f.rule_id.startswith("MCPG1"))


def _github_values(token: str) -> str:
    return f"""replicaCount: 1
image:
  repository: ghcr.io/github/github-mcp-server
  pullPolicy: IfNotPresent
  tag: ""
service:
  type: ClusterIP
  port: 8080
env:
  personalAccessToken: "{token}"
  toolsets:
    - repos
    - issues
"""


@pytest.mark.parametrize("path", ["helm-charts/github-mcp-server/charts/github-mcp-server/values.yaml",
                                  "deploy/helm/values-prod.yaml", "github-mcp-server/values.yaml"])
def test_values_of_an_mcp_chart_are_a_server_and_its_token_a_finding(path: str) -> None:
    text = _github_values(_PAT)
    result = scan_text(path, text)
    (config,) = result.configs
    assert [s.client for s in config.servers] == [Client.KUBERNETES]
    assert _secrets(result) == [(line_of(text, _PAT), config.servers[0].name, "env.personalAccessToken",
                                 "kubernetes")]
    assert _secrets(scan_text(path, _github_values(""))) == []  # the chart's own default: empty


def test_values_env_maps_secret_env_and_placeholders() -> None:
    text = f"""image:
  repository: iwakitakuma/gitlab-mcp
  tag: "latest"
env:
  GITLAB_URL: "https://gitlab.com"
  GITLAB_TOKEN: "your-gitlab-token"
envSecrets: {{}}
secretEnv:
  data:
    GITLAB_PERSONAL_ACCESS_TOKEN: "{_GITLAB}"
"""
    result = scan_text("charts/gitlab/values.yaml", text)
    assert [s.name for s in result.configs[0].servers] == ["gitlab"]
    assert _secrets(result) == [(line_of(text, _GITLAB), "gitlab", "secretEnv.GITLAB_PERSONAL_ACCESS_TOKEN",
                                 "kubernetes")]
    # the values of a chart that runs no MCP server are not read (out of scope)
    candidate = classify_path("charts/web/values.yaml")
    assert candidate is not None
    assert parse_config(candidate, text.replace("iwakitakuma/gitlab-mcp", "nginx").encode()) is None


def test_values_mcp_servers_list_and_map() -> None:
    text = f"""defaultImage:
  repository: nikolaik/python-nodejs
mcpServers:
  - name: github
    enabled: true
    command: ["npx", "-y", "@modelcontextprotocol/server-github"]
    env:
      - name: GITHUB_PERSONAL_ACCESS_TOKEN
        value: "{_PAT}"
      - name: FROM_SECRET
        valueFrom:
          secretKeyRef: {{name: gh, key: token}}
hub:
  settings:
    mcpServers:
      gitlab:
        command: npx
        args: ["-y", "@modelcontextprotocol/server-gitlab"]
        env:
          GITLAB_PERSONAL_ACCESS_TOKEN: {_GITLAB}
"""
    result = scan_text("charts/mcp-servers/values.yaml", text)
    servers = {s.name: s for s in result.configs[0].servers}
    assert set(servers) == {"github", "gitlab"}
    assert servers["github"].env_refs == ("FROM_SECRET",)
    found = _secrets(result)
    assert [(line, server) for line, server, _f, _c in found] == [
        (line_of(text, _PAT), "github"), (line_of(text, _GITLAB), "gitlab")]


def test_librechat_chart_config_yaml_content_is_read_as_librechat_yaml() -> None:
    text = f"""librechat:
  configEnv:
    ALLOW_REGISTRATION: "true"
  configYamlContent: |
    version: 1.2.1
    cache: true
    mcpServers:
      github:
        command: npx
        args: ["-y", "@modelcontextprotocol/server-github"]
        env:
          GITHUB_PERSONAL_ACCESS_TOKEN: "{_PAT}"
          OTHER: "${{OTHER_TOKEN}}"
"""
    result = scan_text("charts/librechat/values.yaml", text)
    (finding,) = [f for f in result.findings if f.rule_id.startswith("MCPG1")]
    assert (finding.location.line, finding.server, finding.client) == (
        line_of(text, _PAT), "github", "librechat")
    assert finding.location.column == text.split("\n")[finding.location.line - 1].index(_PAT)  # its quote


# Corpus 12: icoretech/helm charts/metamcp `provision.servers[]` (a list of server entries), and the same
# chart values inline in a Flux HelmRelease / an Argo CD Application of a GitOps repository.
def _provision(token: str) -> str:
    return f"""auth:
  betterAuthSecret: ""
provision:
  enabled: true
  servers:
    - name: docs
      type: SSE
      url: https://docs.internal/sse
    - name: github
      type: STDIO
      command: npx
      args: ["-y", "@modelcontextprotocol/server-github"]
      env:
        GITHUB_PERSONAL_ACCESS_TOKEN: {token}
"""


def test_values_list_entries_that_run_an_mcp_server_are_servers() -> None:
    text = _provision(_PAT)
    result = scan_text("charts/metamcp/values.yaml", text)
    field = "provision.servers[1].env.GITHUB_PERSONAL_ACCESS_TOKEN"
    assert _secrets(result) == [(line_of(text, _PAT), "github", field, "kubernetes")]
    assert _secrets(scan_text("charts/metamcp/values.yaml", _provision("${GITHUB_TOKEN}"))) == []


def _release(kind: str, values: str) -> str:
    indent = "    " if kind == "HelmRelease" else "      "
    body = "\n".join(indent + line for line in values.strip("\n").split("\n"))
    if kind == "HelmRelease":
        return ("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
                "metadata:\n  name: github-mcp-server\n"
                "spec:\n  chart:\n    spec:\n      chart: github-mcp-server\n  values:\n" + body + "\n")
    return ("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: github-mcp-server\n"
            "spec:\n  source:\n    chart: github-mcp-server\n    helm:\n      valuesObject:\n"
            + "\n".join("  " + line for line in body.split("\n")) + "\n")


@pytest.mark.parametrize("kind", ["HelmRelease", "Application"])
@pytest.mark.parametrize("path", ["clusters/prod/mcp/github-helmrelease.yaml", "apps/github-mcp.yaml"])
def test_inline_values_of_a_helm_release_are_read_as_a_values_file(kind: str, path: str) -> None:
    text = _release(kind, _github_values(_PAT))
    expected = (line_of(text, _PAT), "github-mcp-server", "env.personalAccessToken", "kubernetes")
    assert _secrets(scan_text(path, text)) == [expected]


@pytest.mark.parametrize("values", [_github_values(""), _github_values("<your-token>"),
                                    "image:\n  repository: nginx\nenv:\n  TOKEN: " + _PAT + "\n"])
def test_helm_release_lookalikes_do_not_block(values: str) -> None:
    # an empty / placeholder default, and a release of a chart that runs no MCP server
    result = scan_text("clusters/prod/mcp/web-helmrelease.yaml", _release("HelmRelease", values))
    assert [f for f in result.findings if f.blocking] == []
