"""Kubernetes manifests running MCP servers (clients/kubernetes.py): workloads whose containers run an
MCP image or command, also in `kind: List` and multi-document files, the MCP operators' resources
(ToolHive MCPServer, kagent RemoteMCPServer / ToolServer), Helm templates that are not YAML, and the
secretKeyRef fix. Shapes follow public repositories (docker/mcp-gateway
examples/kubernetes/deployment.yaml, koosha-t/K8sMCPs github-mcp-server/deployment.yaml, the ToolHive
and kagent docs); every secret-shaped value is built at run time."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from scanner.clients import parse_config
from scanner.clients.discovery import classify_path, plain_content_name
from scanner.fix.apply import apply_edits
from scanner.model import Client, Transport
from scanner.result import ScanOptions
from tests.clients.helpers import line_of, scan_text
from tests.fakes import fake_token

_PAT = fake_token("ghp_", 36, 501)
_KEY = fake_token("sk-proj-", 48, 502)
_SLACK = fake_token("xoxb-", 40, 507)


def _secrets(result) -> list[tuple[int, str | None, str]]:  # type: ignore[no-untyped-def]
    return sorted((f.location.line, f.server, f.field) for f in result.findings
                  if f.rule_id.startswith("MCPG1"))


def _pod(value: str) -> str:
    """A Pod whose MCP container has `value` under GITHUB_PERSONAL_ACCESS_TOKEN (its last line)."""
    return f"""apiVersion: v1
kind: Pod
metadata:
  name: gh
spec:
  containers:
  - name: gh
    image: mcp/github
    env:
    - name: GITHUB_PERSONAL_ACCESS_TOKEN
      value: "{value}"
"""


def _gateway() -> str:
    # docker/mcp-gateway examples/kubernetes/deployment.yaml, with one real-looking token added
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: mcp-gateway
spec:
  template:
    spec:
      initContainers:
      - name: copy-bridge
        image: docker/mcp-gateway:latest
        command: ["sh", "-c"]
      containers:
      # Gateway container
      - name: gateway
        image: docker/mcp-gateway:latest
        args:
          - --transport=streaming
          - --servers=duckduckgo,fetch
        env:
        - name: MCP_GATEWAY_AUTH_TOKEN
          value: "test-token-123"  # In production, use a Secret
        - name: GITHUB_PERSONAL_ACCESS_TOKEN
          value: "{_PAT}"
        - name: DOCKER_MCP_IN_CONTAINER
          value: "1"
        - name: FROM_SECRET
          valueFrom:
            secretKeyRef:
              name: github-mcp-token
              key: token
        livenessProbe:
          httpGet:
            httpHeaders:
            - name: Authorization
              value: "Bearer test-token-123"
      - name: mcp-fetch
        image: mcp/fetch@sha256:ef9535a3f07249142f9ca5a6033d7024950afdb6dc05e98292794a23e9f5dfbe
        command: ["/mcp-bridge/misc/docker-mcp-bridge"]
        args: ["mcp-server-fetch"]
"""


@pytest.mark.parametrize("path", ["k8s/gateway.yaml", "github-mcp-server/deployment.yaml", "deployment.yaml",
                                  "infra/mcp-gateway.yaml", "charts/gw/templates/deployment.yaml"])
def test_gateway_deployment_is_an_inventory_of_servers_and_its_literal_token_a_finding(path: str) -> None:
    text = _gateway()
    result = scan_text(path, text)
    (config,) = result.configs
    assert config.client is Client.KUBERNETES
    servers = {s.name: s for s in config.servers}
    assert set(servers) == {"mcp-gateway/copy-bridge", "mcp-gateway/gateway", "mcp-gateway/mcp-fetch"}
    gateway = servers["mcp-gateway/gateway"]
    assert gateway.transport is Transport.HTTP  # --transport=streaming
    assert gateway.env_refs == ("FROM_SECRET",)  # a secretKeyRef is a reference, not a value
    # the literal token is found under its server; `test-token-123` (value and probe header) is quiet
    assert _secrets(result) == [
        (line_of(text, _PAT), "mcp-gateway/gateway", "env.GITHUB_PERSONAL_ACCESS_TOKEN")]


def test_secret_key_ref_fix_keeps_the_value_out_of_the_file() -> None:
    text = _gateway()
    result = scan_text("k8s/gateway.yaml", text)
    (finding,) = [f for f in result.findings if f.rule_id.startswith("MCPG1")]
    assert finding.fix is not None and "secretKeyRef" in finding.fix.description
    fixed = apply_edits(text, finding.fix.edits)
    assert _PAT not in fixed
    at = line_of(fixed, "- name: GITHUB_PERSONAL_ACCESS_TOKEN")
    assert fixed.split("\n")[at:at + 4] == [
        "          valueFrom:", "            secretKeyRef:", "              name: mcp-gateway-secrets",
        "              key: GITHUB_PERSONAL_ACCESS_TOKEN"]
    again = scan_text("k8s/gateway.yaml", fixed)
    assert _secrets(again) == []
    gateway = next(s for s in again.configs[0].servers if s.name == "mcp-gateway/gateway")
    assert "GITHUB_PERSONAL_ACCESS_TOKEN" in gateway.env_refs


def test_list_multi_document_and_job_kinds_with_npx_and_uvx_commands() -> None:
    text = f"""apiVersion: v1
kind: Secret
metadata:
  name: mcp-creds
stringData:
  OPENAI_API_KEY: {_KEY}
  PLACEHOLDER: YOUR_TOKEN_HERE
data:
  GITHUB_TOKEN: {base64.b64encode(b"changeme").decode()}
---
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: StatefulSet
  metadata:
    name: github
  spec:
    template:
      spec:
        containers:
        - name: server
          image: node:22
          command: ["npx", "-y", "@modelcontextprotocol/server-github"]
          env:
          - name: GITHUB_PERSONAL_ACCESS_TOKEN
            value: {_PAT}
          - name: SLACK_TOKEN
            value: "<your-token>"
        - name: db
          image: postgres:16
          env:
          - name: POSTGRES_PASSWORD
            value: example
--- # a CronJob
apiVersion: batch/v1
kind: CronJob
metadata:
  name: fetcher
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: fetch
            image: ghcr.io/astral-sh/uv:python3.12-bookworm
            command: [uvx, mcp-server-fetch]
"""
    result = scan_text("deploy/mcp.yaml", text)
    (config,) = result.configs
    assert [s.name for s in config.servers] == ["github/server", "fetcher/fetch"]  # not the database
    assert _secrets(result) == [
        (line_of(text, _KEY), None, "stringData.OPENAI_API_KEY"),  # the Secret the workload reads
        (line_of(text, _PAT), "github/server", "env.GITHUB_PERSONAL_ACCESS_TOKEN")]


def test_base64_secret_data_beside_an_mcp_workload_is_decoded() -> None:
    encoded = base64.b64encode(_PAT.encode()).decode()
    text = f"""apiVersion: v1
kind: Secret
metadata:
  name: github-mcp-token
data:
  token: {encoded}
---
apiVersion: v1
kind: Pod
metadata:
  name: github-mcp
spec:
  containers:
  - name: github-mcp-server
    image: ghcr.io/github/github-mcp-server
    envFrom:
    - secretRef:
        name: github-mcp-token
"""
    result = scan_text("k8s/github.yaml", text)
    assert [s.name for s in result.configs[0].servers] == ["github-mcp/github-mcp-server"]
    assert [(line, field) for line, _s, field in _secrets(result)] == [(line_of(text, encoded), "data.token")]


def test_helm_template_is_searched_line_by_line_without_a_parse_warning() -> None:
    # leothelyon17/kubernetes-gitops-playground helm-charts/github-mcp-server templates/deployment.yaml
    text = f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{{{ include "github-mcp-server.fullname" . }}}}
  labels:
    {{{{- include "github-mcp-server.labels" . | nindent 4 }}}}
spec:
  template:
    spec:
      containers:
        - name: {{{{ .Chart.Name }}}}
          image: "{{{{ .Values.image.repository }}}}:{{{{ .Values.image.tag | default .Chart.AppVersion }}}}"
          env:
          - name: GITHUB_PERSONAL_ACCESS_TOKEN
            value: "{{{{ .Values.env.personalAccessToken }}}}"
          - name: OPENAI_API_KEY
            value: "{_KEY}"
          {{{{- with .Values.volumeMounts }}}}
          volumeMounts:
            {{{{- toYaml . | nindent 12 }}}}
          {{{{- end }}}}
"""
    result = scan_text("charts/github-mcp-server/templates/deployment.yaml", text)
    assert [line for line, _s, _f in _secrets(result)] == [line_of(text, _KEY)]
    assert [e for e in result.errors if e.kind == "parse"] == []


def test_untemplated_document_that_does_not_parse_is_a_parse_warning() -> None:
    text = _pod(_PAT) + "     broken: [\n"
    result = scan_text("k8s/pod.yaml", text)
    assert [line for line, _s, _f in _secrets(result)] == [line_of(text, _PAT)]
    (warning,) = [e for e in result.errors if e.kind == "parse"]
    assert "document at line 1" in warning.reason and not warning.fatal


def test_operator_resources_toolhive_and_kagent() -> None:
    header = "Bearer " + fake_token("", 40, 503)
    text = f"""apiVersion: toolhive.stacklok.dev/v1alpha1
kind: MCPServer
metadata:
  name: github
spec:
  image: ghcr.io/github/github-mcp-server
  transport: stdio
  secrets:
    - name: github-token
      key: token
      targetEnvName: GITHUB_PERSONAL_ACCESS_TOKEN
  env:
    - name: OPENAI_API_KEY
      value: {_KEY}
---
apiVersion: kagent.dev/v1alpha2
kind: RemoteMCPServer
metadata:
  name: tools
spec:
  url: http://tools.kagent:8080/mcp
  protocol: STREAMABLE_HTTP
  headersFrom:
    - name: Authorization
      value: "{header}"
    - name: X-Other
      valueFrom:
        type: Secret
        name: keycloak-token
        key: token
---
apiVersion: kagent.dev/v1alpha1
kind: ToolServer
metadata:
  name: gh-stdio
spec:
  config:
    stdio:
      command: npx
      args: ["-y", "@modelcontextprotocol/server-github"]
      env:
        GITHUB_PERSONAL_ACCESS_TOKEN: {_PAT}
      envFrom:
        - name: API_KEY
          valueFrom: {{type: Secret, name: keys, key: api}}
---
apiVersion: kagent.dev/v1alpha2
kind: ToolServer
metadata:
  name: cert-manager-mcp-server
spec:
  type: MCP
  mcp:
    deployment:
      image: your-registry/kagent-tools-cert-manager:latest
      env:
        - name: KUBERNETES_SERVICE_HOST
          value: "kubernetes.default.svc"
        - name: SLACK_BOT_TOKEN
          value: "{_SLACK}"
"""
    result = scan_text("k8s/mcp-servers.yaml", text)
    servers = {s.name: s for s in result.configs[0].servers}
    assert servers["github"].env_refs == ("GITHUB_PERSONAL_ACCESS_TOKEN",)
    assert servers["github"].transport is Transport.STDIO
    assert servers["tools"].url is not None and servers["tools"].transport is Transport.HTTP
    assert servers["tools"].env_refs == ("X-Other",)
    assert servers["gh-stdio"].transport is Transport.STDIO and servers["gh-stdio"].env_refs == ("API_KEY",)
    assert [v.key for v in servers["cert-manager-mcp-server"].env] == [
        "KUBERNETES_SERVICE_HOST", "SLACK_BOT_TOKEN"]
    found = _secrets(result)
    assert (line_of(text, _KEY), "github", "env.OPENAI_API_KEY") in found
    assert (line_of(text, header), "tools", "headers.Authorization") in found
    assert (line_of(text, _PAT), "gh-stdio", "env.GITHUB_PERSONAL_ACCESS_TOKEN") in found
    assert (line_of(text, _SLACK), "cert-manager-mcp-server", "env.SLACK_BOT_TOKEN") in found
    assert len(found) == 4


def test_discovery_names_and_cheap_content_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    for path in ("github-mcp-server/deployment.yaml", "infra/github-deployment.yml", "statefulset.yaml",
                 "mcp-servers/github/service.yaml"):
        candidate = classify_path(path)
        assert candidate is not None and candidate.manifest, path
        assert not plain_content_name(path), path
    assert classify_path("src/app/values.yaml") is None and classify_path("conf/service.yaml") is None
    assert classify_path("packages/mcp-server/pnpm-lock.yaml") is None  # in an MCP directory: not a manifest
    # a manifest that names no MCP server is never parsed as YAML (only cheap text checks run)
    from scanner import parsing

    parsed: list[str] = []
    real = parsing.parse_yaml_document
    monkeypatch.setattr(parsing, "parse_yaml_document",
                        lambda text, line: parsed.append(text) or real(text, line))
    web = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.27
        env:
        - name: API_TOKEN
          value: hunter2hunter2
"""
    candidate = classify_path("k8s/web.yaml")
    assert candidate is not None
    assert parse_config(candidate, web.encode()) is None
    assert parsed == []
    assert parse_config(candidate, web.replace("nginx:1.27", "mcp/github").encode()) is not None
    assert len(parsed) == 1


@pytest.mark.parametrize(("value", "quiet"), [
    ("test-token-123", True), ("demo-key", True), ("test_api_key_1", True), ("Bearer test-token-123", True),
    ("changeme", True), ("<your-token>", True), ("YOUR_TOKEN_HERE", True),
    ("dev-password-2024", False), ("test-" + fake_token("", 20, 504), False), (_PAT, False)])
def test_deployment_example_stand_ins_are_placeholders(value: str, quiet: bool) -> None:
    text = _pod(value)
    assert (_secrets(scan_text("k8s/pod.yaml", text)) == []) is quiet


def test_cloud_run_knative_service_runs_an_mcp_image() -> None:
    # a Cloud Run service YAML (serving.knative.dev/v1 Service): its container has no name
    text = f"""apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: mcp-gdrive
  annotations:
    run.googleapis.com/ingress: all
spec:
  template:
    spec:
      containerConcurrency: 80
      containers:
      - image: gcr.io/PROJECT_ID/mcp-gdrive
        ports:
        - containerPort: 8080
        env:
        - name: NODE_ENV
          value: "production"
        - name: GDRIVE_CLIENT_SECRET
          value: "{fake_token("GOCSPX-", 28, 505)}"
"""
    result = scan_text("cloudrun-service.yaml", text)
    assert [s.name for s in result.configs[0].servers] == ["mcp-gdrive"]
    assert _secrets(result) == [(line_of(text, "GOCSPX-"), "mcp-gdrive", "env.GDRIVE_CLIENT_SECRET")]


def test_unknown_name_running_an_mcp_server_is_scanned(tmp_path: Path) -> None:
    import subprocess

    from scanner.pipeline import scan

    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "github.yaml").write_text(_gateway(), encoding="utf-8")
    (tmp_path / "infra" / "web.yaml").write_text(_gateway().replace("mcp", "web"), encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    result = scan(ScanOptions(root=tmp_path, use_gitleaks=False))
    assert result.skipped == []  # its content is an MCP server's: scanned by default
    assert [(f.file, f.server) for f in result.findings if f.rule_id.startswith("MCPG1")] == [
        ("infra/github.yaml", "mcp-gateway/gateway")]


def test_documents_are_parsed_once_each_without_padding(monkeypatch: pytest.MonkeyPatch) -> None:
    # each document is parsed at its own lines: the text handed to the parser adds up to the file
    # (a document padded with the lines above it made a file of N documents cost N * N)
    from scanner import parsing

    handed: list[int] = []
    real = parsing.parse_yaml_document
    monkeypatch.setattr(parsing, "parse_yaml_document",
                        lambda text, line: handed.append(len(text)) or real(text, line))
    text = "".join(f"---\n{_gateway().replace('name: mcp-gateway', f'name: gw{i}')}" for i in range(40))
    result = scan_text("k8s/all.yaml", text)
    assert len(handed) == 40 and sum(handed) <= len(text)
    assert len(result.configs[0].servers) == 120
    assert len([f for f in result.findings if f.rule_id.startswith("MCPG1")]) == 40  # one per document


@pytest.mark.parametrize("path", ["infra/deployment.yaml", "k8s/agent-config.yaml", "deploy/servers.yml"])
def test_client_config_under_a_manifest_path_is_still_read(path: str) -> None:
    # a manifest path that holds a client config, not Kubernetes: read as the generic config it is
    text = f"""mcpServers:
  github:
    command: npx
    args: ["-y", "@modelcontextprotocol/server-github"]
    env:
      GITHUB_PERSONAL_ACCESS_TOKEN: "{_PAT}"
"""
    assert _secrets(scan_text(path, text)) == [
        (line_of(text, _PAT), "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN")]
    # a Helm template that does not parse and names no client key stays quiet, without a warning
    template = "{{- if .Values.enabled }}\nservers:\n  - {{ .Values.name }}\n{{- end }}\n"
    result = scan_text(path, template)
    assert result.findings == [] and [e for e in result.errors if e.kind == "parse"] == []


def test_every_value_of_a_file_that_runs_an_mcp_server_is_searched() -> None:
    # the first document (not an MCP server) holds a password no provider shape names: judged under
    # its variable's name, as every other value of a file that runs an MCP server
    password = fake_token("", 24, 506)
    text = f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
spec:
  template:
    spec:
      containers:
      - name: postgres
        image: postgres:16
        env:
        - name: POSTGRES_PASSWORD
          value: "{password}"
---
{_gateway()}"""
    found = _secrets(scan_text("k8s/stack.yaml", text))
    assert (line_of(text, password), None, "spec.template.spec.containers[0].env[0].value") in found
    assert (line_of(text, _PAT), "mcp-gateway/gateway", "env.GITHUB_PERSONAL_ACCESS_TOKEN") in found
    assert len(found) == 2


def test_only_documents_that_can_run_a_server_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    # an operator bundle: the CRD schemas and the Service mention MCPServer, but run nothing
    from scanner import parsing

    handed: list[str] = []
    real = parsing.parse_yaml_document
    monkeypatch.setattr(parsing, "parse_yaml_document",
                        lambda text, line: handed.append(text) or real(text, line))
    crd = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: mcpservers.toolhive.stacklok.dev
spec:
  names:
    kind: MCPServer
"""
    service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: mcp\nspec:\n  ports:\n  - port: 8080\n"
    text = f"{crd}---\n{service}---\n{_gateway()}"
    result = scan_text("deploy/operator.yaml", text)
    assert len(result.configs[0].servers) == 3
    assert len(handed) == 2 and "kind: Deployment" in handed[1]  # the Service (a Knative kind), the pod
