"""Secrets that reach an output through a side door: a token used as a name (server, env key),
names a fix derives from it, the baseline file, policy errors and policy evidence, error lines.

Every value is built at run time. The output boundary raises in tests (conftest: strict mode), so a
report that printed a token raw fails here before any assertion; the assertions check the shown
(redacted) forms and the letter-case-folded forms the boundary cannot see.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner import output_guard
from scanner.cli import main
from scanner.errors import ConfigError
from scanner.exits import error_handler
from scanner.fix.apply import apply_edits
from tests.clients.helpers import scan_text
from tests.fakes import fake_token
from tests.test_output_safety import _repo, _server_config, assert_no_piece


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert not isinstance(result.exception, AssertionError), "the output boundary refused a report"
    return result.exit_code, result.stdout, result.stderr


def assert_no_folded_piece(text: str, secret: str) -> None:
    """No 12-character piece of `secret` in any letter case, `-`/`.` read as `_` (an env name made of it)."""
    folded = text.lower().replace("-", "_").replace(".", "_")
    wanted = secret.lower().replace("-", "_").replace(".", "_")
    assert not any(wanted[i:i + 12] in folded for i in range(len(wanted) - 11)), "a folded piece leaked"


def _redacted(token: str) -> str:
    return f"{token[:4]}…{token[-4:]}"


# --- a token as a name ----------------------------------------------------------------------------

def test_token_as_server_name_is_shown_redacted_in_every_report_and_the_baseline(tmp_path: Path) -> None:
    token = fake_token("ghp_", 36, 1301)
    root = _repo(tmp_path, {".mcp.json": _server_config({"GITHUB_TOKEN": token}, name=token)})
    outputs = []
    for fmt in ("text", "json", "sarif", "markdown"):
        code, out, err = _cli("scan", "--no-gitleaks", "--format", fmt, str(root))
        assert code == 1, err
        outputs.append(out + err)
    doc = json.loads(_cli("scan", "--no-gitleaks", "--format", "json", str(root))[1])
    assert {f["server"] for f in doc["findings"] if f["field"] == "env.GITHUB_TOKEN"} == {_redacted(token)}
    for fmt in ("text", "json"):
        code, out, err = _cli("inventory", "--format", fmt, str(root))
        assert code == 0, err
        assert _redacted(token) in out
        outputs.append(out + err)
    baseline = tmp_path / "baseline.json"
    assert _cli("baseline", "--no-gitleaks", "-o", str(baseline), str(root))[0] == 0
    written = baseline.read_text(encoding="utf-8")
    assert _redacted(token) in written
    for text in (*outputs, written):
        assert_no_piece(text, token)


def test_baseline_names_a_token_path_in_its_redacted_form(tmp_path: Path) -> None:
    token = fake_token("ghp_", 36, 1302)
    secret = fake_token("ghp_", 36, 1303)
    root = _repo(tmp_path, {f"tools/{token}/.mcp.json": _server_config({"GITHUB_TOKEN": secret})})
    baseline = tmp_path / "baseline.json"
    code, _out, err = _cli("baseline", "--no-gitleaks", "-o", str(baseline), str(root))
    assert code == 0, err
    written = baseline.read_text(encoding="utf-8")
    assert f"tools/{_redacted(token)}/.mcp.json" in written
    assert_no_piece(written + err, token, secret)


def test_token_as_env_key_and_value_fix_writes_a_generic_name_not_the_token(tmp_path: Path) -> None:
    token = fake_token("ghp_", 36, 1304)
    root = _repo(tmp_path, {".mcp.json": _server_config({token: token})})
    code, out, err = _cli("scan", "--no-gitleaks", "--format", "json", str(root))
    assert code == 1, err
    (finding,) = json.loads(out)["findings"]
    assert finding["field"] == f"env.{_redacted(token)}"
    assert finding["fix"]["edits"][0]["replacement"] == '"${MCP_SECRET}"'
    sarif = _cli("scan", "--no-gitleaks", "--format", "sarif", str(root))[1]
    code, diff, err = _cli("fix", "--no-gitleaks", "--dry-run", str(root))
    assert code == 0, err
    for text in (out, sarif, diff + err):
        assert_no_folded_piece(text, token)
    assert _cli("fix", "--no-gitleaks", str(root))[0] == 0
    fixed = (root / ".mcp.json").read_text(encoding="utf-8")
    assert '"${MCP_SECRET}"' in fixed
    assert fixed.count(token) == 1  # the key stays as the user wrote it; no new copy, in no case
    assert_no_folded_piece(fixed.replace(token, ""), token)


def test_kubernetes_fix_names_no_secret_key_after_a_token(tmp_path: Path) -> None:
    token = fake_token("ghp_", 36, 1305)
    text = f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: github-mcp
spec:
  template:
    spec:
      containers:
      - name: server
        image: ghcr.io/github/github-mcp-server:latest
        env:
        - name: {token}
          value: "{token}"
"""
    result = scan_text("k8s/deployment.yaml", text)
    (finding,) = [f for f in result.findings if f.rule_id.startswith("MCPG1") and f.fix is not None]
    assert finding.fix is not None and "secretKeyRef" in finding.fix.description
    fixed = apply_edits(text, finding.fix.edits)
    assert "key: MCP_SECRET" in fixed and "name: github-mcp-secrets" in fixed
    assert_no_folded_piece(finding.fix.description, token)
    assert_no_folded_piece(fixed.replace(token, ""), token)


def test_names_that_merely_resemble_a_secret_keep_their_suggested_name(tmp_path: Path) -> None:
    token = fake_token("ghp_", 36, 1306)
    root = _repo(tmp_path, {".mcp.json": _server_config({"GITHUB_PERSONAL_ACCESS_TOKEN": token},
                                                        name="github-mcp-1")})
    code, out, err = _cli("scan", "--no-gitleaks", "--format", "json", str(root))
    assert code == 1, err
    (finding,) = [f for f in json.loads(out)["findings"] if f["category"] == "secret"]
    assert finding["server"] == "github-mcp-1"
    assert finding["fix"]["edits"][0]["replacement"] == '"${GITHUB_PERSONAL_ACCESS_TOKEN}"'


# --- output_guard.holds_secret ---------------------------------------------------------------------

def test_holds_secret_sees_a_piece_in_any_case_and_punctuation_but_not_plain_names() -> None:
    token = fake_token("xoxb-", 40, 1307)
    short = fake_token("", 9, 1308)
    assert not output_guard.holds_secret(token)  # nothing registered yet
    output_guard.register_secrets([token, short])
    assert output_guard.holds_secret(token)
    assert output_guard.holds_secret("MY_" + token[3:20].upper().replace("-", "_") + "_TOKEN")
    assert output_guard.holds_secret(f"X_{short.upper()}")
    for name in ("GITHUB_TOKEN", "SLACK_BOT_TOKEN", "mcp-gateway/gateway", "MCP_SECRET", token[:11]):
        assert not output_guard.holds_secret(name)


# --- policy errors and policy evidence -------------------------------------------------------------

@pytest.mark.parametrize("policy", [
    "version: 1\nignore:\n  - fingerprint: {token}\n    reason: accepted\n",
    "version: 1\nfail-on: {token}\n",
    "version: 1\n{token}: 1\n",
    "version: 1\nproduction:\n  env:\n    {token}: [1]\n",
])
def test_policy_errors_never_quote_a_token(tmp_path: Path, policy: str) -> None:
    token = fake_token("ghp_", 36, 1309)
    root = _repo(tmp_path, {".mcp.json": _server_config({"GITHUB_TOKEN": "${GITHUB_TOKEN}"}),
                            ".mcp-guard.yml": policy.format(token=token)})
    code, out, err = _cli("scan", "--no-gitleaks", str(root))
    assert code == 2 and "policy .mcp-guard.yml" in err
    assert_no_piece(out + err, token)


@pytest.mark.parametrize(("policy", "quoted"), [
    ("version: 1\nfail-on: hihg\n", "'hihg' is not one of"),
    ("version: 1\nignore-pathz: []\n", "ignore-pathz: unknown key"),
    ("version: 1\nhistory: block-everything\n", "'block-everything' is not one of"),
])
def test_policy_errors_still_quote_words(tmp_path: Path, policy: str, quoted: str) -> None:
    root = _repo(tmp_path, {".mcp.json": _server_config({"GITHUB_TOKEN": "${GITHUB_TOKEN}"}),
                            ".mcp-guard.yml": policy})
    code, _out, err = _cli("scan", "--no-gitleaks", str(root))
    assert code == 2 and quoted in err


def test_policy_production_env_evidence_names_the_glob_not_the_value(tmp_path: Path) -> None:
    password = fake_token("", 20, 1310)
    policy = "version: 1\nproduction:\n  env:\n    API_KEY: '*'\n    APP_ENV: 'prod*'\n"
    root = _repo(tmp_path, {".mcp.json": _server_config({"API_KEY": password, "APP_ENV": "production"}),
                            ".mcp-guard.yml": policy})
    code, out, err = _cli("scan", "--no-gitleaks", "--format", "json", str(root))
    assert code == 1, err
    evidence = [e for f in json.loads(out)["findings"] for e in f["evidence"]]
    assert "env API_KEY matches policy production.env API_KEY: '*'" in evidence
    assert "env APP_ENV matches policy production.env APP_ENV: 'prod*'" in evidence
    code, inventory, err = _cli("inventory", "--format", "json", str(root))
    assert code == 0, err
    assert_no_piece(out + inventory, password)


# --- error lines ------------------------------------------------------------------------------------

def test_error_line_and_debug_traceback_pass_the_output_boundary(monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    token = fake_token("ghp_", 36, 1311)
    output_guard.register_secrets([token])
    monkeypatch.setenv(output_guard.MODE_ENV, "redact")
    for error, debug in ((ConfigError(f"cannot use {token}"), False), (ValueError(f"bad {token}"), True)):
        with pytest.raises(SystemExit) as exited, error_handler(debug):
            raise error
        assert exited.value.code == 2
        err = capsys.readouterr().err
        assert "mcp-guard: error: cannot use " in err if not debug else "Traceback" in err
        assert_no_piece(err, token)


# --- escaped copies -------------------------------------------------------------------------------

def _escaped(text: str) -> str:
    return "".join(f"\\u{ord(ch):04x}" for ch in text)


def test_markdown_snippet_cuts_a_secret_written_in_escapes(tmp_path: Path) -> None:
    key = fake_token("", 24, 1312)
    url = "http://mcp.prod.example.com/sse?api_key=" + _escaped(key)
    config = json.dumps({"mcpServers": {"svc": {"url": "URL"}}}).replace("URL", url) + "\n"
    root = _repo(tmp_path, {".mcp.json": config})
    outputs = []
    for fmt in ("markdown", "json", "sarif", "text"):
        code, out, err = _cli("scan", "--no-gitleaks", "--format", fmt, str(root))
        assert code == 1, err
        outputs.append(out + err)
    assert "sse?api_key=" in outputs[0]  # the snippet is still shown, the key cut
    for text in outputs:
        assert_no_piece(text, key, _escaped(key), _escaped(key).replace("\\", "\\\\"))


def test_boundary_sees_an_escaped_copy_and_leaves_other_escapes_alone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    token = fake_token("ghp_", 36, 1313)
    output_guard.register_secrets([token])
    for form in (_escaped(token), _escaped(token).replace("\\", "\\\\"),
                 token[:10] + "".join(f"\\x{ord(ch):02x}" for ch in token[10:])):
        with pytest.raises(output_guard.SecretLeakError):
            output_guard.check_output(f"snippet: {form} end", "a test report")
    monkeypatch.setenv(output_guard.MODE_ENV, "redact")
    masked = output_guard.check_output(f"snippet: {_escaped(token)} end", "a test report")
    assert masked.startswith("snippet: ") and masked.endswith(" end") and "\\u" not in masked
    benign = ('path C:\\\\Users\\\\dev, "ghp_\\u2026' + token[-4:]
              + '", https:\\/\\/example.com\\/a \\x41\\u0042')
    assert output_guard.check_output(benign, "a test report") == benign
