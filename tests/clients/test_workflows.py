"""GitHub Actions workflows that write an MCP config: claude-code-action's `mcp_config` input and
`claude_args: --mcp-config '<json>'` (anthropics/claude-code-action docs/configuration.md, public
workflows), and `run:` heredocs writing `.mcp.json` / `~/.codex/config.toml`. The embedded config is
read at the workflow's own lines and columns; every secret-shaped value is built at run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.clients.discovery import classify_path
from scanner.model import Client
from scanner.pipeline import scan_files
from scanner.result import ScanOptions
from tests.fakes import fake_token

_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)
_PAT = fake_token("ghp_", 36, 301)
_KEY = fake_token("", 40, 302)


def _found(path: str, text: str) -> list[tuple[int, int, str | None, str, str]]:
    result = scan_files({path: text.encode()}, _OPTIONS)
    return sorted((f.location.line, f.location.column, f.server, f.field, f.client) for f in result.findings
                  if f.rule_id.startswith("MCPG1"))


def _at(text: str, value: str) -> tuple[int, int]:
    """Line and column of the opening quote of `value` in `text`."""
    lines = text.split("\n")
    line = next(i for i, body in enumerate(lines, 1) if value in body)
    return line, lines[line - 1].index(value)


_STEP = """name: claude
on:
  issue_comment:
    types: [created]
jobs:
  claude:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
"""


def test_action_mcp_config_input_block() -> None:
    text = _STEP + f"""      - uses: anthropics/claude-code-action@beta
        with:
          anthropic_api_key: ${{{{ secrets.ANTHROPIC_API_KEY }}}}
          mcp_config: |
            {{
              "mcpServers": {{
                "datadog": {{
                  "command": "npx",
                  "args": ["-y", "@winor30/mcp-server-datadog"],
                  "env": {{
                    "DATADOG_API_KEY": "{_KEY}",
                    "DATADOG_SITE": "datadoghq.com"
                  }}
                }}
              }}
            }}
          allowed_tools: "mcp__datadog__get_logs"
"""
    line, column = _at(text, _KEY)
    assert _found(".github/workflows/claude.yml", text) == [
        (line, column, "datadog", "env.DATADOG_API_KEY", "github-actions")]


def test_claude_args_mcp_config_flag_spanning_lines() -> None:
    text = _STEP + f"""      - uses: anthropics/claude-code-action@v1
        with:
          claude_args: |
            --model sonnet
            --mcp-config '{{"mcpServers":{{"github":{{
              "command":"npx","args":["-y","@modelcontextprotocol/server-github"],
              "env":{{"GITHUB_PERSONAL_ACCESS_TOKEN":"{_PAT}"}}}}}}}}'
            --allowedTools "mcp__github__get_issue"
"""
    line, column = _at(text, _PAT)
    assert _found(".github/workflows/qa.yaml", text) == [
        (line, column, "github", "env.GITHUB_PERSONAL_ACCESS_TOKEN", "github-actions")]


def test_run_heredocs_writing_client_configs() -> None:
    mcp = json.dumps({"mcpServers": {"svc": {"command": "npx", "env": {"SVC_API_KEY": _KEY}}}})
    text = _STEP + f"""      - name: MCP config
        run: |
          mkdir -p ~/.codex
          cat > ~/.codex/config.toml <<-EOF
          [mcp_servers.gh]
          url = "https://api.githubcopilot.com/mcp/"
          http_headers = {{ "Authorization" = "Bearer {_PAT}" }}
          EOF
          cat > .mcp.json << 'JSON'
          {mcp}
          JSON
          echo done
"""
    found = _found(".github/workflows/agent.yml", text)
    lines = text.split("\n")
    pat_line, _ = _at(text, _PAT)
    key_line, key_column = _at(text, _KEY)
    assert [(line, server, field) for line, _c, server, field, _cl in found] == [
        (pat_line, "gh", "http_headers.Authorization"), (key_line, "svc", "env.SVC_API_KEY")]
    assert found[1][1] == key_column and lines[pat_line - 1].count(_PAT) == 1


def test_references_placeholders_and_paths_stay_quiet() -> None:
    text = _STEP + """      - name: Write MCP config
        run: |
          cat > .mcp.json << 'JSON'
          {"mcpServers": {"pg": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres",
           "${{ secrets.DATABASE_URL }}"]}}}
          JSON
          cat > notes.txt <<EOF
          API_KEY=not-an-mcp-file
          EOF
      - uses: anthropics/claude-code-action@v1
        with:
          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}
          mcp_config: .github/mcp-servers.json
          claude_args: |
            --mcp-config '{"mcpServers":{"gh":{"command":"docker","args":["run","-i","--rm","-e",
              "GITHUB_PERSONAL_ACCESS_TOKEN","ghcr.io/github/github-mcp-server"],
              "env":{"GITHUB_PERSONAL_ACCESS_TOKEN":"${{ secrets.GITHUB_TOKEN }}"}}}}'
      - uses: anthropics/claude-code-action@v1
        with:
          mcp_config: |
            ${{ secrets.MCP_CONFIG_JSON }}
      - uses: anthropics/claude-code-base-action@beta
        with:
          mcp_config: |
            {"mcpServers": {"aws": {"command": "npx", "args": ["-y", "@awslabs/aws-api-mcp-server"],
              "env": {"AWS_ACCESS_KEY_ID": "${{ secrets.AWS_ACCESS_KEY_ID }}", "AWS_REGION": "us-east-1",
                      "API_KEY": "your-api-key-here", "TOKEN": "<YOUR_TOKEN>"}}}}
"""
    result = scan_files({".github/workflows/claude.yml": text.encode()}, _OPTIONS)
    assert [f.field for f in result.findings if f.category == "secret"] == []
    assert {s.name for c in result.configs for s in c.servers} == {"pg", "gh", "aws"}
    assert result.errors == []  # the secret holding a whole config is no JSON to parse


def test_workflow_without_an_mcp_config_is_not_one() -> None:
    text = _STEP + "      - run: npm test -- --grep mcp\n        env:\n          TOKEN: ${{ secrets.T }}\n"
    result = scan_files({".github/workflows/ci.yml": text.encode()}, _OPTIONS)
    assert result.configs == [] and result.findings == []


@pytest.mark.parametrize(("path", "client"), [
    (".github/workflows/claude.yml", Client.GITHUB_ACTIONS),
    ("sub/.github/workflows/claude.yaml", Client.GITHUB_ACTIONS),
    (".github/workflows/triage.md", Client.GH_AW),  # agentic workflow front matter, unchanged
])
def test_discovery(path: str, client: Client) -> None:
    candidate = classify_path(path)
    assert candidate is not None and candidate.hints[0] is client
    assert classify_path("workflows/claude.yml") is None


def test_heredoc_inside_a_heredoc_body_is_data() -> None:
    mcp = json.dumps({"mcpServers": {"svc": {"command": "npx", "env": {"SVC_API_KEY": _KEY}}}})
    text = _STEP + f"""      - run: |
          cat > setup.sh <<'OUTER'
          cat > .mcp.json <<'INNER'
          {{"not": "read as its own file"
          INNER
          OUTER
          cat > .cursor/mcp.json <<EOF
          {mcp}
          EOF
"""
    line, column = _at(text, _KEY)
    assert _found(".github/workflows/setup.yml", text) == [(line, column, "svc", "env.SVC_API_KEY",
                                                            "github-actions")]
    result = scan_files({".github/workflows/setup.yml": text.encode()}, _OPTIONS)
    assert [e for e in result.errors if e.kind == "parse"] == []  # the inner heredoc was not parsed


def test_gh_aw_lock_file_heredocs_are_read_as_the_shell_writes_them() -> None:
    """gh-aw compiles `.github/workflows/*.md` into `*.lock.yml` whose MCP step writes
    `/tmp/gh-aw/mcp-config/mcp-servers.json` with an unquoted heredoc and `"\\${NAME}"` (githubnext/
    gh-aw pkg/workflow RenderMCPConfig): the shell drops the backslash, so the file is valid JSON of
    references; a literal key in such a heredoc is found at its column behind the escapes."""
    text = _STEP + f"""      - name: Setup MCPs
        env:
          GITHUB_MCP_SERVER_TOKEN: ${{{{ secrets.GH_AW_GITHUB_TOKEN || secrets.GITHUB_TOKEN }}}}
        run: |
          mkdir -p /tmp/gh-aw/mcp-config
          cat > /tmp/gh-aw/mcp-config/mcp-servers.json << EOF
          {{
            "mcpServers": {{
              "github": {{
                "command": "docker",
                "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN",
                         "ghcr.io/github/github-mcp-server:v0.20.1"],
                "env": {{"GITHUB_PERSONAL_ACCESS_TOKEN": "\\${{GITHUB_MCP_SERVER_TOKEN}}",
                         "OTHER": "$GITHUB_MCP_SERVER_TOKEN"}}
              }},
              "svc": {{"command": "node",
                       "env": {{"NOTE": "\\$HOME \\\\\\\\ \\`x\\`", "SVC_API_KEY": "{_KEY}"}}}}
            }}
          }}
          EOF
"""
    line, column = _at(text, _KEY)
    result = scan_files({".github/workflows/triage.lock.yml": text.encode()}, _OPTIONS)
    assert [e.reason for e in result.errors] == []
    assert [(f.location.line, f.location.column, f.server, f.field) for f in result.findings
            if f.category == "secret"] == [(line, column, "svc", "env.SVC_API_KEY")]
    (svc,) = [s for c in result.configs for s in c.servers if s.name == "svc"]
    assert {v.key: v.text for v in svc.env}["NOTE"] == "$HOME \\ `x`"
