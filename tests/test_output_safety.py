"""Output safety (issue 13 items 3, 6, 7, 8, 11): composite credentials, the output boundary,
Markdown injection, no-follow writes, symlinked configs, fingerprints that reveal nothing.

Every secret is built at run time; the output boundary raises in tests (conftest sets
MCP_GUARD_OUTPUT_CHECK=raise), so any reporter that would print secret material fails here.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner import output_guard
from scanner.cli import main
from tests.conftest import git
from tests.fakes import fake_hex, fake_token


def _cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def _pieces(secret: str, size: int = 12) -> list[str]:
    return [secret[i:i + size] for i in range(len(secret) - size + 1)] or [secret]


def assert_no_piece(text: str, *secrets: str) -> None:
    for secret in secrets:
        for piece in _pieces(secret):
            assert piece not in text, "a 12-character piece of a secret reached the output"


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    return root


def _server_config(env: dict[str, str], name: str = "svc") -> str:
    return json.dumps({"mcpServers": {name: {"command": "npx", "args": ["-y", "svc-mcp"], "env": env}}},
                      indent=2) + "\n"


# --- 3. composite credentials ----------------------------------------------------------------------

def _twilio() -> tuple[str, str]:
    return "SK" + fake_hex(32, 71), fake_token("", 32, 72)


@pytest.mark.parametrize("shape", ["pair", "url"])
def test_twilio_compound_credential_fix_replaces_the_whole_credential(tmp_path: Path, shape: str) -> None:
    sid, secret = _twilio()
    value = f"{sid}:{secret}" if shape == "pair" else f"https://{sid}:{secret}@api.twilio.com/2010-04-01"
    root = _repo(tmp_path, {".mcp.json": _server_config({"TWILIO_CREDENTIALS": value})})
    outputs = []
    for fmt in ("json", "sarif", "text", "markdown"):
        code, out, err = _cli("scan", "--no-gitleaks", "--format", fmt, str(root))
        assert code == 1, err
        outputs.append(out + err)
    findings = json.loads(_cli("scan", "--no-gitleaks", "--format", "json", str(root))[1])["findings"]
    assert findings and all(f["fix"] is not None for f in findings)
    code, diff, err = _cli("fix", "--no-gitleaks", "--dry-run", str(root))
    assert code == 0, err
    outputs.append(diff + err)
    for text in outputs:
        assert_no_piece(text, secret, sid)
    assert _cli("fix", "--no-gitleaks", str(root))[0] == 0
    fixed = (root / ".mcp.json").read_text(encoding="utf-8")
    assert_no_piece(fixed, secret, sid)
    assert "${TWILIO_CREDENTIALS}" in fixed
    if shape == "url":
        assert "@api.twilio.com/2010-04-01" in fixed  # only the userinfo moved out


def test_database_url_fix_keeps_a_plain_user_and_drops_the_password(tmp_path: Path) -> None:
    password = fake_token("", 20, 73)
    url = f"postgres://app_user:{password}@db.prod.example.com:5432/app"
    root = _repo(tmp_path, {".mcp.json": _server_config({"DATABASE_URL": url})})
    assert _cli("fix", "--no-gitleaks", str(root))[0] == 0
    fixed = (root / ".mcp.json").read_text(encoding="utf-8")
    assert "postgres://app_user:${DATABASE_PASSWORD}@db.prod.example.com:5432/app" in fixed
    assert_no_piece(fixed, password)


# --- output safety at the boundary ------------------------------------------------------------------

def test_boundary_raises_in_strict_mode_and_redacts_in_production(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    token = fake_token("ghp_", 36, 74)
    root = _repo(tmp_path, {".mcp.json": _server_config({"GITHUB_TOKEN": token})})
    assert _cli("scan", "--no-gitleaks", str(root))[0] == 1  # the scan registers the value
    leaky = f"reporter bug: {token[5:17]} and {token}"
    with pytest.raises(output_guard.SecretLeakError) as raised:
        output_guard.check_output(leaky, "a test report")
    assert token[5:17] not in str(raised.value)
    monkeypatch.setenv(output_guard.MODE_ENV, "redact")
    redacted = output_guard.check_output(leaky, "a test report")
    assert redacted.startswith("reporter bug: ") and "*" * 12 in redacted
    assert_no_piece(redacted, token)
    body = output_guard.check_json({"body": leaky, "n": 1, "list": [leaky]}, "a request")
    assert_no_piece(json.dumps(body), token) and body["n"] == 1
    assert output_guard.check_output("nothing secret here", "x") == "nothing secret here"


# --- 6. Markdown injection --------------------------------------------------------------------------

HOSTILE_KEYS = [
    "A``` `![px](https://evil.example/p.png) ``B_TOKEN",  # closes one span, opens another
    "K`![px](https://evil.example/p.png)`_TOKEN",
    "X_TOKEN`` `[click](https://evil.example/) <img src=x onerror=alert(1)> @octocat``",
    "Z`</code><img src=https://evil.example/p.png>`_SECRET",
]


def _live_markup(markdown: str) -> list[str]:
    """Constructs that would render live on GitHub: images, links, raw HTML tags, @mentions."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    html = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    found = re.findall(r"<img\b|<a\b[^>]*evil|<[a-z][^>]*onerror", html)
    found += re.findall(r"(?<![\w&#;])@octocat", html)
    return found


HOSTILE_SERVER = "srv`` `![s](https://evil.example/s.png)"
HOSTILE_DIR = "tools/`a`![p](https://evil.example/f.png)`"


@pytest.mark.parametrize(("key", "server", "folder"), [
    *((key, "svc", "") for key in HOSTILE_KEYS),
    (HOSTILE_KEYS[0], HOSTILE_SERVER, ""),
    ("GITHUB_TOKEN", HOSTILE_SERVER, HOSTILE_DIR + "/"),
    (HOSTILE_KEYS[0], "svc", HOSTILE_DIR + "/"),
])
def test_hostile_names_render_inert_in_markdown(tmp_path: Path, key: str, server: str, folder: str) -> None:
    token = fake_token("ghp_", 36, 75)
    root = _repo(tmp_path, {folder + ".mcp.json": _server_config({key: token}, name=server)})
    code, out, err = _cli("scan", "--no-gitleaks", "--format", "markdown", str(root))
    assert code == 1, err
    assert "MCPG10" in out
    assert _live_markup(out) == []


# --- 7. writes never follow symlinks ----------------------------------------------------------------

def test_cli_outputs_and_baseline_refuse_symlinks(tmp_path: Path) -> None:
    token = fake_token("ghp_", 36, 76)
    root = _repo(tmp_path, {".mcp.json": _server_config({"GITHUB_TOKEN": token})})
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n", encoding="utf-8")
    link = tmp_path / "report.json"
    os.symlink(victim, link)
    code, _out, err = _cli("scan", "--no-gitleaks", "--format", "json", "-o", str(link), str(root))
    assert code == 2 and "symbolic link" in err
    code, _out, err = _cli("baseline", "--no-gitleaks", "-o", str(link), str(root))
    assert code == 2 and "symbolic link" in err
    assert victim.read_text(encoding="utf-8") == "keep\n"


def test_fix_never_writes_through_a_symlinked_config(tmp_path: Path) -> None:
    token = fake_token("ghp_", 36, 77)
    root = _repo(tmp_path, {"configs/cursor.json": _server_config({"GITHUB_TOKEN": token})})
    (root / ".cursor").mkdir()
    os.symlink("../configs/cursor.json", root / ".cursor/mcp.json")
    git(root, "add", "-A")
    before = (root / "configs/cursor.json").read_text(encoding="utf-8")
    code, out, err = _cli("fix", "--no-gitleaks", str(root))
    assert code == 0, err
    assert "symbolic link" in out
    assert (root / "configs/cursor.json").read_text(encoding="utf-8") == before
    assert (root / ".cursor/mcp.json").is_symlink()


# --- 8. symlinked configs are scanned as the client reads them --------------------------------------

def test_symlinked_config_inside_the_repo_is_scanned_as_that_client(tmp_path: Path) -> None:
    token = fake_token("ghp_", 36, 78)
    root = _repo(tmp_path, {"notes/token-holder.txt": _server_config({"GITHUB_TOKEN": token})})
    (root / ".cursor").mkdir()
    os.symlink("../notes/token-holder.txt", root / ".cursor/mcp.json")
    git(root, "add", "-A")
    code, out, err = _cli("scan", "--no-gitleaks", "--format", "json", str(root))
    assert code == 1, err
    doc = json.loads(out)
    assert [(f["file"], f["client"]) for f in doc["findings"]] == [(".cursor/mcp.json", "cursor")]


def test_symlinked_env_file_is_scanned(tmp_path: Path) -> None:
    token = fake_token("ghp_", 36, 79)
    server = {"servers": {"gh": {"type": "stdio", "command": "npx", "args": ["gh"],
                                 "envFile": "${workspaceFolder}/.env.mcp"}}}
    root = _repo(tmp_path, {".vscode/mcp.json": json.dumps(server),
                            "secrets/real.env": f"GITHUB_TOKEN={token}\n"})
    os.symlink("secrets/real.env", root / ".env.mcp")
    code, out, err = _cli("scan", "--no-gitleaks", "--format", "json", str(root))
    assert code == 1, err
    assert any(f["file"] == ".env.mcp" for f in json.loads(out)["findings"])


def test_symlink_out_of_the_repository_makes_the_scan_incomplete(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text(_server_config({"GITHUB_TOKEN": "${env:GITHUB_TOKEN}"}), encoding="utf-8")
    root = _repo(tmp_path, {"README.md": "x\n"})
    os.symlink(outside, root / ".mcp.json")
    git(root, "add", "-A")
    code, out, err = _cli("scan", "--no-gitleaks", "--format", "json", str(root))
    assert code == 2
    doc = json.loads(out)
    assert doc["complete"] is False and "outside the repository" in err


# --- 11. fingerprints that reveal nothing -----------------------------------------------------------

def _weak_password() -> str:
    return "Summer" + str(2000 + 24) + "!"


def _v1_fingerprint(rule: str, path: str, server: str, field: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()
    parts = ("mcpg-fp-v1", rule, path, server, field, digest)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _db_repo(tmp_path: Path, password: str, padding: int = 0) -> Path:
    url = f"postgres://app:{password}@db.prod.example.com/app"
    text = "\n" * padding + _server_config({"DATABASE_URL": url}, name="db")
    root = tmp_path / "repo"
    if not root.exists():
        return _repo(tmp_path, {".mcp.json": text})
    (root / ".mcp.json").write_text(text, encoding="utf-8")
    return root


def _secret_prints(root: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    doc = json.loads(_cli("scan", "--no-gitleaks", "--format", "json", str(root), env=env)[1])
    return {f["rule_id"]: f["fingerprint"] for f in doc["findings"] if f["category"] == "secret"}


def test_fingerprint_of_a_weak_password_is_not_a_fast_hash(tmp_path: Path) -> None:
    password = _weak_password()
    root = _db_repo(tmp_path, password)
    prints = _secret_prints(root)
    assert prints == {"MCPG103": prints["MCPG103"]}
    sarif = _cli("scan", "--no-gitleaks", "--format", "sarif", str(root))[1]
    # The v1 formula (a guess of the password checked with two sha256) no longer matches anything.
    old = _v1_fingerprint("MCPG103", ".mcp.json", "db", "env.DATABASE_URL", password)
    assert prints["MCPG103"] != old and old not in sarif
    assert hashlib.sha256(password.encode()).hexdigest() not in sarif
    # Stable across runs and line moves.
    assert _secret_prints(_db_repo(tmp_path, password, padding=5)) == prints
    # A keyed fingerprint differs from the unkeyed one and is stable for one key.
    key = {"MCP_GUARD_FINGERPRINT_KEY": fake_token("k", 40, 80)}
    keyed = _secret_prints(root, env=key)
    assert keyed != prints and keyed == _secret_prints(root, env=key)


def test_v1_baseline_still_matches_and_is_rewritten_as_current(tmp_path: Path) -> None:
    password = _weak_password()
    root = _db_repo(tmp_path, password)
    old = _v1_fingerprint("MCPG103", ".mcp.json", "db", "env.DATABASE_URL", password)
    # The production-reuse finding's fingerprint holds no secret digest: the same in v1 and v2.
    findings = json.loads(_cli("scan", "--no-gitleaks", "--format", "json", str(root))[1])["findings"]
    others = [f["fingerprint"] for f in findings if f["category"] != "secret"]
    baseline = tmp_path / "baseline.json"
    entries = [{"fingerprint": fp} for fp in (old, *others)]
    baseline.write_text(json.dumps({"version": 1, "tool": {"name": "mcp-guard", "version": "0.1.0"},
                                    "findings": entries}), encoding="utf-8")
    code, out, err = _cli("scan", "--no-gitleaks", "--format", "json", "--baseline", str(baseline), str(root))
    assert code == 0, err
    assert json.loads(out)["summary"]["suppressed"] == len(findings) == 1 + len(others)
    assert _cli("baseline", "--no-gitleaks", "-o", str(baseline), str(root))[0] == 0
    doc = json.loads(baseline.read_text(encoding="utf-8"))
    assert doc["version"] == 3
    assert sorted(e["fingerprint"] for e in doc["findings"]) == sorted([_secret_prints(root)["MCPG103"],
                                                                       *others])
    assert old not in baseline.read_text(encoding="utf-8")
    code, out, _ = _cli("scan", "--no-gitleaks", "--format", "json", "--baseline", str(baseline), str(root))
    assert code == 0 and json.loads(out)["summary"]["suppressed"] == len(findings)


@pytest.mark.parametrize(("config_path", "reference", "target"), [
    ("opencode.json", "{file:./secrets/github.txt}", "secrets/github.txt"),
    # opencode resolves relative to the config file's own folder, not the repository root.
    ("apps/web/opencode.json", "{file:keys/gh}", "apps/web/keys/gh"),
])
def test_opencode_file_reference_target_is_scanned(tmp_path: Path, config_path: str, reference: str,
                                                    target: str) -> None:
    token = fake_token("ghp_", 36, 87)
    config = {"$schema": "https://opencode.ai/config.json", "mcp": {"gh": {
        "type": "local", "command": ["npx", "-y", "gh-mcp"], "environment": {"GITHUB_TOKEN": reference}}}}
    root = _repo(tmp_path, {config_path: json.dumps(config), target: token + "\n",
                            "keys/gh": "not-this-one\n"})
    code, out, err = _cli("scan", "--no-gitleaks", "--format", "json", str(root))
    assert code == 1, err
    assert [f["file"] for f in json.loads(out)["findings"] if f["category"] == "secret"] == [target]


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_redacted_report_still_parses_when_a_leak_runs_into_a_closing_quote(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    # A value ending in `_SECRET_KEY"` shares that 12-character piece with the field name
    # `"env.MY_SECRET_KEY"` of the report: the boundary masks the piece, but not the quote that
    # closes the JSON string (corpus 11: a flagged `ENV["STRIPE_SECRET_KEY"]` broke the JSON report).
    value = fake_token("", 20, 76) + "_SECRET_KEY" + '"'
    root = _repo(tmp_path, {".mcp.json": _server_config({"MY_SECRET_KEY": value})})
    monkeypatch.setenv(output_guard.MODE_ENV, "redact")
    code, out, _ = _cli("scan", "--no-gitleaks", "--format", fmt, str(root))
    assert code == 1
    json.loads(out)
    assert_no_piece(out, value)


def test_masking_keeps_escape_pairs_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = fake_token("", 16, 77) + "\\"  # a value ending in a backslash, next to a quote in the report
    output_guard.register_secrets([secret])
    monkeypatch.setenv(output_guard.MODE_ENV, "redact")
    try:
        text = json.dumps({"a": secret, "b": "q"})
        masked = output_guard.check_output(text, "a test report")
        assert json.loads(masked)["b"] == "q"
        assert_no_piece(masked, secret, json.dumps(secret)[1:-1])
    finally:
        output_guard.reset()
