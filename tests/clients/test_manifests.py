"""Kubernetes/Helm manifests embedding an MCP client config as a ConfigMap/Secret entry
(`data: mcp.json: |`, `config.toml: |-`, base64 Secret `data:`), read as the client config the key
names, at the outer file's lines. Shapes follow public repositories; every secret-shaped value is
built at run time."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)


def _scan(path: str, text: str) -> list[tuple[str, int, int, str | None, str]]:
    result = scan_files({path: text.encode()}, _OPTIONS)
    return sorted((f.rule_id, f.location.line, f.location.column, f.server, f.field) for f in result.findings
                  if f.rule_id.startswith("MCPG1"))


# --- Kubernetes / Helm manifests -------------------------------------------------------------

_K8S_PAT = fake_token("ghp_", 36, 81)
_K8S_KEY = fake_token("sk-proj-", 48, 82)


def _manifest() -> str:
    desktop = json.dumps({"mcpServers": {"gh": {"command": "npx", "env": {"OPENAI_API_KEY": _K8S_KEY}}}})
    encoded = base64.b64encode(desktop.encode()).decode()
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{{{ .Release.Name }}}}-agent
spec:
  template:
    spec:
      containers:
        - name: agent
          env:
            - name: GITHUB_TOKEN
              valueFrom:
                secretKeyRef:
                  name: gh
                  key: token
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: mcp-config
data:
  mcp.json: |
    {{
      "mcpServers": {{
        "github": {{
          "command": "npx",
          "args": ["-y", "@modelcontextprotocol/server-github"],
          "env": {{
            "GITHUB_PERSONAL_ACCESS_TOKEN": "{_K8S_PAT}",
            "HELM": "{{{{ .Values.github.token }}}}",
            "SHELL": "${{GITHUB_TOKEN}}"
          }}
        }}
      }}
    }}
  config.toml: |-
    [mcp_servers.codex-gh]
    command = "npx"
    env = {{ "GITHUB_PERSONAL_ACCESS_TOKEN" = "{_K8S_PAT}" }}
  app.json: |
    {{"token": "{fake_token("ghp_", 36, 83)}"}}
---
apiVersion: v1
kind: Secret
metadata:
  name: mcp-secret
type: Opaque
data:
  claude_desktop_config.json: {encoded}
"""


@pytest.mark.parametrize("path", ["k8s/agent.yaml", "deploy/agent.yml",
                                  "charts/agent/templates/configmap.yaml", "manifests/base/agent.yaml",
                                  "infra/mcp-configmap.yaml"])
def test_manifest_embedded_configs_at_outer_lines(path: str) -> None:
    text = _manifest()
    found = _scan(path, text)
    lines = text.split("\n")
    pat_lines = [i for i, line in enumerate(lines, 1) if _K8S_PAT in line]
    assert len(pat_lines) == 2
    json_line, toml_line = pat_lines
    assert ("MCPG101", json_line, lines[json_line - 1].index(_K8S_PAT), "github",
            "env.GITHUB_PERSONAL_ACCESS_TOKEN") in found  # the token's opening quote
    assert ("MCPG101", toml_line, lines[toml_line - 1].index(_K8S_PAT), "codex-gh",
            "env.GITHUB_PERSONAL_ACCESS_TOKEN") in found
    secret_line = next(i for i, line in enumerate(lines, 1) if "claude_desktop_config.json:" in line)
    assert any(line == secret_line and field == "data.claude_desktop_config.json"
               for _r, line, _c, _s, field in found)  # base64 Secret data, decoded by engines/encoded.py
    # a token in an entry that is no client config (app.json) is not a server's value, but a literal
    # token in a scanned file is still reported (the engines' search outside parsed values)
    app_line = next(i for i, line in enumerate(lines, 1) if '"token"' in line)
    assert [(server, field) for _r, line, _c, server, field in found if line == app_line] == [
        (None, f"document:{app_line}")]
    # placeholders (Helm, shell) and the secretKeyRef stay quiet
    assert len(found) == 4, found


def test_manifest_without_embedded_config_is_nothing() -> None:
    from scanner.clients import parse_config
    from scanner.clients.discovery import classify_path

    text = f"""apiVersion: v1
kind: Secret
stringData:
  token: {fake_token("ghp_", 36, 84)}
  settings.json: |
    {{"mcpServers": {{}}}}
"""
    candidate = classify_path("k8s/secret.yaml")
    assert candidate is not None and candidate.manifest
    assert parse_config(candidate, text.encode()) is None
    assert classify_path("src/app/values.yaml") is None


def test_single_line_entries_keep_their_columns() -> None:
    def config(name: str) -> str:
        return json.dumps({"mcpServers": {name: {"env": {"GITHUB_TOKEN": _K8S_PAT}}}})

    text = f"kind: ConfigMap\ndata:\n  mcp.json: '{config('a')}'\n  .mcp.json: {config('b')}\n"
    found = _scan("deploy/cm.yaml", text)
    lines = text.split("\n")
    assert [(line, col, server) for _r, line, col, server, _f in found] == [
        (3, lines[2].index(_K8S_PAT), "a"), (4, lines[3].index(_K8S_PAT), "b")]


def test_helm_templated_entry_is_searched_line_by_line_at_outer_lines() -> None:
    token = fake_token("ghp_", 36, 85)
    text = f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {{{{ .Release.Name }}}}-cline-cm
  labels:
    {{{{- include "chart.labels" . | nindent 4 }}}}
data:
  cline_mcp_settings.json: |-
    {{
      "mcpServers": {{
        "MongoDB": {{
          "command": "npx",
          "env": {{
            "MDB_MCP_CONNECTION_STRING": "{{{{ index .Values.extraEnv 0 "value" }}}}",
            "GITHUB_PERSONAL_ACCESS_TOKEN": "{token}"
          }}
        }}
      }}
    }}
"""
    result = scan_files({"charts/ide/templates/cline-cm.yaml": text.encode()}, _OPTIONS)
    lines = text.split("\n")
    token_line = next(i for i, line in enumerate(lines, 1) if token in line)
    assert [(f.rule_id, f.location.line) for f in result.findings if f.rule_id.startswith("MCPG1")] == [
        ("MCPG101", token_line)]
    (warning,) = [s for s in result.errors if s.kind == "parse"]
    assert "entry at line 8" in warning.reason and not warning.fatal


@settings(max_examples=60, deadline=None)
@given(env=st.dictionaries(st.from_regex(r"[A-Z][A-Z_]{0,12}", fullmatch=True),
                           st.text(alphabet="abcXYZ019-_./:", min_size=1, max_size=30),
                           min_size=1, max_size=5),
       indent=st.integers(min_value=1, max_value=8), before=st.integers(min_value=0, max_value=4),
       pretty=st.booleans())
def test_block_values_sit_where_the_outer_file_has_them(env: dict[str, str], indent: int, before: int,
                                                        pretty: bool) -> None:
    from scanner.clients import parse_config
    from scanner.clients.discovery import classify_path

    inner = json.dumps({"mcpServers": {"s": {"command": "npx", "env": env}}}, indent=2 if pretty else None)
    block = "\n".join(" " * (2 + indent) + line for line in inner.split("\n"))
    text = "kind: ConfigMap\n" + "# note\n" * before + f"data:\n  mcp.json: |\n{block}\n  other: x\n"
    candidate = classify_path("deploy/cm.yaml")
    assert candidate is not None
    config = parse_config(candidate, text.encode())
    assert config is not None and config.path == "deploy/cm.yaml"
    (server,) = config.servers
    lines = text.split("\n")
    assert {fv.key for fv in server.env} == set(env)
    for fv in server.env:
        line = lines[fv.location.line - 1]
        assert line[fv.location.column - 1:].startswith(json.dumps(fv.text)), (line, fv)


@pytest.mark.parametrize("indicator", [">", ">-", ">+", "> # folded"])
def test_folded_json_entry_is_read_at_its_lines(indicator: str) -> None:
    token = fake_token("", 40, 86)
    text = f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: agent-mcp
data:
  mcp.json: {indicator}
    {{"mcpServers": {{"svc": {{"command": "npx", "args": ["-y", "svc-mcp"],
      "env": {{"SVC_API_KEY": "{token}", "SVC_URL": "https://svc.example.com",
               "OTHER": "${{OTHER_KEY}}"}}}}}}}}
"""
    lines = text.split("\n")
    line = next(i for i, body in enumerate(lines, 1) if token in body)
    assert _scan("k8s/agent-mcp.yaml", text) == [
        ("MCPG101", line, lines[line - 1].index(token), "svc", "env.SVC_API_KEY")]


def test_double_quoted_entry_is_read_through_its_escapes() -> None:
    """`kubectl create configmap --from-file` then `-o yaml` writes an entry with trailing spaces or
    tabs as one double-quoted line: its JSON is read, findings sit on the escaped text, and the fix
    keeps the outer string valid."""
    import yaml

    token = fake_token("ghp_", 36, 87)
    opaque = fake_token("", 40, 88)
    inner = json.dumps({"mcpServers": {"github": {"command": "npx", "env": {
        "GITHUB_PERSONAL_ACCESS_TOKEN": token, "SVC_API_KEY": opaque, "NOTE": "tab\there é",
        "REF": "${GITHUB_TOKEN}"}}}}, indent=2) + "  \n"
    entry = json.dumps(inner)  # YAML double-quoted escapes are JSON's (\n, \", \t, \u00e9 ...)
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mcp\ndata:\n  .mcp.json: {entry}\n"
    assert yaml.safe_load(text)["data"][".mcp.json"] == inner
    result = scan_files({"k8s/cm.yaml": text.encode()}, _OPTIONS)
    found = {f.field: f for f in result.findings if f.rule_id.startswith("MCPG1")}
    assert sorted(found) == ["env.GITHUB_PERSONAL_ACCESS_TOKEN", "env.SVC_API_KEY"]
    line = text.split("\n")[5]
    for value, field in ((token, "env.GITHUB_PERSONAL_ACCESS_TOKEN"), (opaque, "env.SVC_API_KEY")):
        finding = found[field]
        assert finding.location.line == 6 and line[finding.location.column - 1:].startswith('\\"' + value)
    fix = found["env.GITHUB_PERSONAL_ACCESS_TOKEN"].fix
    assert fix is not None
    (edit,) = fix.edits
    fixed_line = line[:edit.start_column - 1] + edit.replacement + line[edit.end_column - 1:]
    fixed = json.loads(yaml.safe_load(fixed_line.replace("  .mcp.json: ", "x: ", 1))["x"])
    env = fixed["mcpServers"]["github"]["env"]
    assert env["GITHUB_PERSONAL_ACCESS_TOKEN"] == "${GITHUB_PERSONAL_ACCESS_TOKEN}"
    assert env["NOTE"] == "tab\there é"


def test_secret_entries_beside_an_embedded_config_are_judged_under_their_names() -> None:
    """A Secret holding the MCP config and the values it reads (`SVC_API_KEY: …` beside
    `mcp.json: |` with `${SVC_API_KEY}`, a `.env: |` block): an opaque key there passed the built-in
    engine (it was no config entry); placeholders and plain settings beside it stay quiet."""
    key, dotenv_key = fake_token("", 40, 89), fake_token("", 40, 90)
    text = f"""apiVersion: v1
kind: Secret
metadata:
  name: agent-mcp
type: Opaque
stringData:
  mcp.json: |
    {{"mcpServers": {{"svc": {{"command": "npx", "env": {{"SVC_API_KEY": "${{SVC_API_KEY}}"}}}}}}}}
  SVC_API_KEY: "{key}"
  SVC_URL: https://svc.example.com/api
  LOG_LEVEL: debug
  HELM_KEY: "{{{{ .Values.svc.key }}}}"
  .env: |
    OTHER_API_KEY={dotenv_key}
    REGION=eu-west-1
---
apiVersion: v1
kind: ConfigMap
data:
  UNRELATED_TOKEN: {fake_token("ghp_", 36, 92)}
"""
    lines = text.split("\n")

    def at(value: str) -> tuple[int, int]:
        line = next(i for i, body in enumerate(lines, 1) if value in body)
        return line, lines[line - 1].index(value) + 1

    found = _scan("k8s/agent-mcp-secret.yaml", text)
    unrelated = len(lines) - 1  # another document: only a provider shape there is reported (as before)
    assert [(line, field) for _r, line, _c, _s, field in found] == [
        (at(key)[0], "stringData.SVC_API_KEY"), (at(dotenv_key)[0], "env.OTHER_API_KEY"),
        (unrelated, f"document:{unrelated}")]
    assert found[0][2] == at(key)[1] - 1 and found[1][2] == at(dotenv_key)[1]
