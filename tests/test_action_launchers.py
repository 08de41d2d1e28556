"""The Action on pull requests that change launchers (clients/launchers.py) and the ConfigMaps an
MCP workload reads from another file (clients/k8s_refs.py): the diff path, its history scan and
the no-MCP-change gate see them. Every secret-shaped value is built at run time."""

from __future__ import annotations

import json
from pathlib import Path

from tests.gh.action_helpers import Files, assert_blocked, assert_passed, open_pr, pat
from tests.gh.github_contract import FakeGitHub


def _package(**scripts: str) -> str:
    return json.dumps({"name": "svc", "scripts": {"build": "tsc", **scripts}}, indent=2) + "\n"


_DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: github-mcp-server
spec:
  template:
    spec:
      containers:
      - name: server
        image: ghcr.io/github/github-mcp-server
        envFrom:
        - configMapRef:
            name: github-mcp-config
"""


def _configmap(value: str) -> str:
    return ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: github-mcp-config\ndata:\n"
            f"  GITHUB_PERSONAL_ACCESS_TOKEN: \"{value}\"\n")


def test_pr_adding_a_token_to_an_npm_mcp_script_is_blocked(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(7101)
    base: Files = {"package.json": _package(inspect="npx @modelcontextprotocol/inspector node dist/index.js")}
    head: Files = {"package.json": _package(
        inspect=f"npx @modelcontextprotocol/inspector -e GITHUB_TOKEN={secret} node dist/index.js")}
    assert_blocked(open_pr(tmp_path, gh, [head], base=base), secret)


def test_launcher_added_with_a_token_then_deleted_is_found_in_history(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(7102)
    first: Files = {"scripts/start-mcp.sh": f"#!/bin/sh\nexport GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n"
                                            "exec npx -y @modelcontextprotocol/server-github\n"}
    assert_blocked(open_pr(tmp_path, gh, [first, {"scripts/start-mcp.sh": None}]), secret)


def test_package_json_change_without_mcp_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    assert_passed(open_pr(tmp_path, gh, [{"package.json": _package(lint="eslint .")}],
                          base={"package.json": _package()}))


def test_pr_adding_a_token_to_a_configmap_an_mcp_workload_reads(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(7103)
    base: Files = {"base/deployment.yaml": _DEPLOYMENT, "base/env.yaml": _configmap("changeme"),
                   "base/kustomization.yaml": "resources:\n  - deployment.yaml\n  - env.yaml\n"}
    assert_blocked(open_pr(tmp_path, gh, [{"base/env.yaml": _configmap(secret)}], base=base), secret)
