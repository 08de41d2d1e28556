"""A kustomize overlay tree outside any manifest folder (`overlays/<env>/kustomization.yaml` at the
top of the repository, `resources: [../../base]`): its `secretGenerator` literals are what the MCP
Deployment of the base reads (clients/k8s_refs.py). Secret-shaped values are built at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.clients.discovery import classify_path
from scanner.model import Environment
from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_PAT = fake_token("ghp_", 36, 961)
_DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: github-mcp
spec:
  template:
    spec:
      containers:
        - name: mcp
          image: ghcr.io/github/github-mcp-server:latest
          envFrom:
            - secretRef:
                name: github-mcp-secrets
"""
_BASE = {"base/deployment.yaml": _DEPLOYMENT, "base/kustomization.yaml": "resources:\n  - deployment.yaml\n"}


def _overlay(literal: str, resources: str = "../../base") -> str:
    return ("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
            f"resources:\n  - {resources}\nsecretGenerator:\n  - name: github-mcp-secrets\n"
            f"    literals:\n      - {literal}\n")


def _found(files: dict[str, str]) -> list[tuple[str, int, str, Environment]]:
    result = scan_files({path: text.encode() for path, text in files.items()}, _OPTIONS)
    assert result.complete
    return sorted((f.location.path, f.location.line, f.field, f.environment) for f in result.findings
                  if f.rule_id == "MCPG101")


@pytest.mark.parametrize("path", ["overlays/prod/kustomization.yaml", "kustomization.yml",
                                  "apps/agent/overlays/staging/kustomization.yaml"])
def test_kustomizations_are_manifest_candidates(path: str) -> None:
    candidate = classify_path(path)
    assert candidate is not None and candidate.manifest


@pytest.mark.parametrize(("env", "expected"), [("prod", Environment.PROD), ("staging", Environment.STAGING)])
def test_top_level_overlay_literal_feeding_the_mcp_deployment_is_found(env: str,
                                                                        expected: Environment) -> None:
    path = f"overlays/{env}/kustomization.yaml"
    files = {**_BASE, path: _overlay(f"GITHUB_PERSONAL_ACCESS_TOKEN={_PAT}")}
    field = "secretGenerator[0].literals.GITHUB_PERSONAL_ACCESS_TOKEN"
    assert _found(files) == [(path, 8, field, expected)]


# --- precision ---------------------------------------------------------------------------------------


def test_overlay_of_another_app_is_not_read() -> None:
    files = {**_BASE, "other/deployment.yaml": _DEPLOYMENT.replace("github-mcp-server", "nginx"),
             "other/kustomization.yaml": "resources:\n  - deployment.yaml\n",
             "overlays/prod/kustomization.yaml": _overlay(f"GITHUB_TOKEN={_PAT}", "../../other")}
    assert _found(files) == []


@pytest.mark.parametrize("literal", ["LOG_LEVEL=debug", "GITHUB_TOKEN=${GITHUB_TOKEN}",
                                     "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"])
def test_settings_and_placeholders_in_an_overlay_pass(literal: str) -> None:
    assert _found({**_BASE, "overlays/prod/kustomization.yaml": _overlay(literal)}) == []


def test_a_kustomization_without_mcp_workloads_is_quiet() -> None:
    files = {"overlays/prod/kustomization.yaml": _overlay(f"GITHUB_TOKEN={_PAT}", "../../web"),
             "web/kustomization.yaml": "resources:\n  - service.yaml\n"}
    assert _found(files) == []
