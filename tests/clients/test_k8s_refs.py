"""ConfigMaps and Secrets an MCP workload reads from another file (clients/k8s_refs.py): the layouts
of public repositories (`openshift/` with deployment.yaml + configmap.yaml + kustomization.yaml,
`deploy/kubernetes/`, a kustomize `base/` listing `configmap.yaml` under `resources:`, a
`secretGenerator` with `literals:`), read through `envFrom[].configMapRef` / `secretRef` and
`env[].valueFrom.configMapKeyRef` / `secretKeyRef`. Every secret-shaped value is built at run time."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest

from scanner.diff import DiffInput, scan_diff
from scanner.gh.events import NO_MCP_CHANGE, unchanged_reason
from scanner.pipeline import scan, scan_files
from scanner.result import ScanOptions, ScanResult
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_PAT = fake_token("ghp_", 36, 901)
_SLACK = fake_token("xoxb-", 40, 902)


def _deployment(image: str = "ghcr.io/github/github-mcp-server", refs: str = "") -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: github-mcp-server
spec:
  template:
    spec:
      containers:
      - name: server
        image: {image}
        envFrom:
        - configMapRef:
            name: github-mcp-config
        env:
        - name: SLACK_BOT_TOKEN
          valueFrom:
            secretKeyRef:
              name: slack-mcp
              key: token
{refs}"""


def _configmap(value: str, name: str = "github-mcp-config") -> str:
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
data:
  MCP_PORT: "4001"
  LOG_LEVEL: INFO
  GITHUB_PERSONAL_ACCESS_TOKEN: "{value}"
"""


def _secret(value: str) -> str:
    return f"""apiVersion: v1
kind: Secret
metadata:
  name: slack-mcp
type: Opaque
stringData:
  token: {value}
"""


def _scan(files: dict[str, str]) -> ScanResult:
    return scan_files({path: text.encode() for path, text in files.items()}, _OPTIONS)


def _secrets(result: ScanResult) -> list[tuple[str, int, int, str, bool]]:
    return sorted((f.file, f.location.line, f.location.column, f.field, f.blocking) for f in result.findings
                  if f.rule_id.startswith("MCPG1"))


def _at(text: str, value: str) -> tuple[int, int]:
    lines = text.split("\n")
    line = next(i for i, body in enumerate(lines, 1) if value in body)
    return line, lines[line - 1].index(value) + 1


@pytest.mark.parametrize("folder", ["openshift", "deploy/kubernetes", "k8s/base"])
def test_configmap_and_secret_in_sibling_files(folder: str) -> None:
    cm, secret = _configmap(_PAT), _secret(_SLACK)
    result = _scan({f"{folder}/deployment.yaml": _deployment(), f"{folder}/configmap.yaml": cm,
                    f"{folder}/secret.yaml": secret, f"{folder}/service.yaml": "kind: Service\n"})
    line, column = _at(cm, _PAT)
    assert _secrets(result) == sorted([
        (f"{folder}/configmap.yaml", line, column - 1, "data.GITHUB_PERSONAL_ACCESS_TOKEN", True),
        (f"{folder}/secret.yaml", *_at(secret, _SLACK), "stringData.token", True)])


def test_kustomization_resources_of_any_name() -> None:
    # `base/` is no manifest folder and `env.yaml` no manifest name: read because the kustomization lists it
    files = {"base/deployment.yaml": _deployment(), "base/env.yaml": _configmap(_PAT),
             "base/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                                        "resources:\n  - deployment.yaml\n  - env.yaml\n"}
    found = [(f[0], f[3]) for f in _secrets(_scan(files))]
    assert found == [("base/env.yaml", "data.GITHUB_PERSONAL_ACCESS_TOKEN")]
    del files["base/kustomization.yaml"]
    assert _secrets(_scan(files)) == []  # no other YAML file of the repository is opened


def test_base64_secret_data_in_another_file_is_decoded() -> None:
    encoded = base64.b64encode(_SLACK.encode()).decode()
    secret = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: slack-mcp\ndata:\n  token: {encoded}\n"
    result = _scan({"k8s/deployment.yaml": _deployment(), "k8s/slack-secret.yaml": secret})
    assert [(f[0], f[3]) for f in _secrets(result)] == [("k8s/slack-secret.yaml", "data.token")]


def test_only_referenced_names_of_mcp_workloads() -> None:
    other = _configmap(_PAT, name="billing-config")
    # a sibling ConfigMap no MCP workload names, and the named one beside a workload that runs no MCP server
    assert _secrets(_scan({"k8s/deployment.yaml": _deployment(), "k8s/configmap.yaml": other})) == []
    assert _secrets(_scan({"k8s/deployment.yaml": _deployment(image="nginx:1.27"),
                           "k8s/configmap.yaml": _configmap(_PAT)})) == []
    # the same name in another folder is another application's
    elsewhere = {"k8s/deployment.yaml": _deployment(), "other/configmap.yaml": _configmap(_PAT)}
    assert _secrets(_scan(elsewhere)) == []


@pytest.mark.parametrize("value", ["changeme", "${GITHUB_TOKEN}", "<your-github-token>", ""])
def test_placeholders_in_a_referenced_configmap(value: str) -> None:
    files = {"k8s/deployment.yaml": _deployment(), "k8s/configmap.yaml": _configmap(value)}
    assert _secrets(_scan(files)) == []


def test_kustomization_secret_generator_literals() -> None:
    kustomization = ("resources:\n  - deployment.yaml\nsecretGenerator:\n  - name: slack-mcp\n    literals:\n"
                     f"      - token={_SLACK}\n      - region=eu\n")
    result = _scan({"k8s/deployment.yaml": _deployment(), "k8s/kustomization.yaml": kustomization})
    assert _secrets(result) == [("k8s/kustomization.yaml", *_at(kustomization, _SLACK),
                                 "secretGenerator[0].literals.token", True)]


def test_pull_request_adding_a_token_to_the_referenced_configmap() -> None:
    folder = "base"
    kustomization = "resources:\n  - deployment.yaml\n  - env.yaml\n"
    head = {f"{folder}/deployment.yaml": _deployment().encode(),
            f"{folder}/env.yaml": _configmap(_PAT).encode(),
            f"{folder}/kustomization.yaml": kustomization.encode()}
    base = _configmap("changeme").encode()
    outcome = scan_diff(DiffInput(head, [f"{folder}/env.yaml"], lambda _path: base), _OPTIONS,
                        history_blocks=True)
    assert [(f[0], f[3]) for f in _secrets(outcome.result)] == [
        (f"{folder}/env.yaml", "data.GITHUB_PERSONAL_ACCESS_TOKEN")]
    assert f"{folder}/env.yaml" in outcome.relevant_changes
    # the no-MCP-change gate lets a changed ConfigMap through, not an unrelated YAML file
    assert unchanged_reason([f"{folder}/env.yaml"], head, ()) is None
    assert unchanged_reason(["src/app.yaml"], {"src/app.yaml": b"title: x\n"}, ()) == NO_MCP_CHANGE


def test_work_tree_scan(tmp_path: Path) -> None:
    (tmp_path / "openshift").mkdir()
    (tmp_path / "openshift" / "deployment.yaml").write_text(_deployment())
    (tmp_path / "openshift" / "configmap.yaml").write_text(_configmap(_PAT))
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    result = scan(ScanOptions(root=tmp_path, use_gitleaks=False))
    assert [(f[0], f[3]) for f in _secrets(result)] == [("openshift/configmap.yaml",
                                                         "data.GITHUB_PERSONAL_ACCESS_TOKEN")]
    assert "openshift/configmap.yaml" in result.scanned_files


# --- kustomize overlays and bases (`resources: [../../base]`) -----------------------------------------

_BASE = "resources:\n  - deployment.yaml\n"
_KIND = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"


def _overlay(extra: str = "") -> str:
    return _KIND + "resources:\n  - ../../base\n" + extra


def test_overlay_generator_literal_for_a_workload_of_its_base() -> None:
    overlay = _overlay(f"secretGenerator:\n  - name: slack-mcp\n    literals:\n      - token={_SLACK}\n")
    files = {"k8s/base/deployment.yaml": _deployment(), "k8s/base/kustomization.yaml": _BASE,
             "k8s/overlays/prod/kustomization.yaml": overlay}
    assert _secrets(_scan(files)) == [("k8s/overlays/prod/kustomization.yaml", *_at(overlay, _SLACK),
                                       "secretGenerator[0].literals.token", True)]


def test_overlay_secret_file_for_a_workload_of_its_base() -> None:
    secret = _secret(_SLACK)
    files = {"deploy/base/deployment.yaml": _deployment(), "deploy/base/kustomization.yaml": _BASE,
             "deploy/overlays/staging/kustomization.yaml": _overlay("  - slack.yaml\n"),
             "deploy/overlays/staging/slack.yaml": secret}
    assert [(f[0], f[3]) for f in _secrets(_scan(files))] == [
        ("deploy/overlays/staging/slack.yaml", "stringData.token")]


def test_base_configmap_for_a_workload_of_its_overlay() -> None:
    # the workload sits in the overlay; the ConfigMap it reads comes from the base it lists
    files = {"k8s/overlays/dev/deployment.yaml": _deployment(),
             "k8s/overlays/dev/kustomization.yaml": _overlay("  - deployment.yaml\n"),
             "k8s/base/kustomization.yaml": "resources:\n  - settings.yaml\n",
             "k8s/base/settings.yaml": _configmap(_PAT)}
    assert [(f[0], f[3]) for f in _secrets(_scan(files))] == [
        ("k8s/base/settings.yaml", "data.GITHUB_PERSONAL_ACCESS_TOKEN")]


def test_overlays_of_other_bases_and_circular_lists_pass() -> None:
    other = (_KIND + "resources:\n  - ../../billing\n"
             f"secretGenerator:\n  - name: billing\n    literals:\n      - token={_SLACK}\n")
    files = {"k8s/base/deployment.yaml": _deployment(),
             "k8s/base/kustomization.yaml": _BASE + "  - ../loop\n",
             "k8s/loop/kustomization.yaml": "resources:\n  - ../base\n  - .\n",
             "k8s/billing/kustomization.yaml": "resources:\n  - app.yaml\n",
             "k8s/overlays/billing/kustomization.yaml": other}
    assert _secrets(_scan(files)) == []


def _toolhive(secret_name: str) -> str:
    return f"""apiVersion: toolhive.stacklok.dev/v1alpha1
kind: MCPServer
metadata:
  name: github
spec:
  image: ghcr.io/github/github-mcp-server:latest
  transport: stdio
  secrets:
    - name: {secret_name}
      key: token
      targetEnvName: GITHUB_PERSONAL_ACCESS_TOKEN
"""


def _named_secret(name: str, value: str) -> str:
    return f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\nstringData:\n  token: \"{value}\"\n"


def test_secret_a_toolhive_mcpserver_names_in_spec_secrets_is_read() -> None:
    # corpus 12: chezmoidotsh/arcane-style `mcp-servers/github.yaml` + the Secret in a file beside it
    secret = _named_secret("github-mcp-secret", _PAT)
    result = _scan({"k8s/mcp-servers/github.yaml": _toolhive("github-mcp-secret"),
                    "k8s/mcp-servers/github-secret.yaml": secret})
    line, column = _at(secret, _PAT)
    expected = ("k8s/mcp-servers/github-secret.yaml", line, column - 1, "stringData.token", True)
    assert _secrets(result) == [expected]


@pytest.mark.parametrize("secret_name,value", [
    ("other-secret", _PAT),  # a Secret the MCPServer does not name
    ("github-mcp-secret", "ghp_XXXXXXXXXXXXXXXXXXXX"),  # the docs' placeholder
    ("github-mcp-secret", "<your-github-token>"),
])
def test_toolhive_secret_lookalikes_do_not_block(secret_name: str, value: str) -> None:
    result = _scan({"k8s/mcp-servers/github.yaml": _toolhive("github-mcp-secret"),
                    "k8s/mcp-servers/github-secret.yaml": _named_secret(secret_name, value)})
    assert [f for f in _secrets(result) if f[-1]] == []
