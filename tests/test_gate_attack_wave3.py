"""Red-team regressions against main (wave 3): ways a PR's author still got a secret past the gate
("never pass in silence"). Each test drives the Action (real git repositories, a contract-checked
fake GitHub) or the CLI, with every secret built at run time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.gh.action_helpers import (
    CONFIG,
    STATUS,
    Repo,
    everything,
    expect_run,
    git,
    mcp_config,
    no_piece,
    pat,
    pr_payload,
    run,
    states,
)
from tests.gh.action_helpers import lfs_pointer as _lfs_pointer
from tests.gh.github_contract import FakeGitHub, minimal, status_reply

SAFE = mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}")










# --- 1. submodules (gitlinks) at a client's config location -------------------------------------

def _other_repo(tmp_path: Path, files: dict[str, str | None]) -> Repo:
    other = Repo(tmp_path / "other")
    other.commit(files)
    return other


def _gitlink(repo: Repo, path: str, commit: str) -> str:
    """Commit a gitlink (what `git submodule add` records) at `path` pointing at `commit`."""
    git(repo.path, "update-index", "--add", "--cacheinfo", f"160000,{commit},{path}")
    git(repo.path, "commit", "-q", "-m", f"submodule at {path}")
    return git(repo.path, "rev-parse", "HEAD")


def test_submodule_added_at_vscode_is_an_incomplete_scan_naming_the_path(tmp_path: Path,
                                                                         gh: FakeGitHub) -> None:
    # `git submodule add <repo> .vscode`: the gate cannot see the submodule's files, a client opening
    # the checked-out repository reads .vscode/mcp.json from it. main said "no MCP config changed".
    secret = pat(3101)
    other = _other_repo(tmp_path, {"mcp.json": '{"servers": {"gh": {"command": "npx", "env": '
                                               f'{{"GITHUB_PERSONAL_ACCESS_TOKEN": "{secret}"}}}}}}}}\n'})
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    git(repo.path, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(other.path), ".vscode")
    git(repo.path, "commit", "-q", "-m", "shared editor settings")
    head = git(repo.path, "rev-parse", "HEAD")
    assert (repo.path / ".vscode" / "mcp.json").is_file()  # what a client opening the checkout reads
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 2 and states(gh) == ["error"]
    assert "no MCP config changed" not in result.log
    assert "git submodule .vscode" in result.log
    no_piece(everything(result, gh), secret)


@pytest.mark.parametrize("link", [".cursor", ".codex", ".kiro/settings", ".gemini", ".mcp.json",
                                  "apps/web/.cursor"])
def test_gitlink_at_a_client_location_is_never_a_pass(tmp_path: Path, gh: FakeGitHub, link: str) -> None:
    other = _other_repo(tmp_path, {"README.md": "x\n"})
    commit = git(other.path, "rev-parse", "HEAD")
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    head = _gitlink(repo, link, commit)
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 2 and states(gh) == ["error"]
    assert f"git submodule {link}" in result.log


def test_gitlink_at_a_client_location_fails_a_full_scan_and_others_are_named(tmp_path: Path,
                                                                             gh: FakeGitHub) -> None:
    other = _other_repo(tmp_path, {"README.md": "x\n"})
    commit = git(other.path, "rev-parse", "HEAD")
    repo = Repo(tmp_path / "ws")
    repo.commit({CONFIG: SAFE})
    _gitlink(repo, "third_party/lib", commit)
    gh.add("POST", STATUS, status_reply)
    head = git(repo.path, "rev-parse", "HEAD")
    ok = run(repo.path, tmp_path, "push", {"ref": "refs/heads/main", "after": head}, scan_mode="full")
    # A vendored submodule is no client's config folder: a pass, with the unscanned content named.
    assert ok.code == 0 and states(gh) == ["success"]
    assert "third_party/lib" in ok.log and "not scanned" in ok.log
    head = _gitlink(repo, ".codex", commit)
    bad = run(repo.path, tmp_path, "push", {"ref": "refs/heads/main", "after": head}, scan_mode="full")
    assert bad.code == 2 and states(gh) == ["success", "error"]
    assert "git submodule .codex" in bad.log


def test_cli_scans_a_checked_out_submodule_at_vscode_and_fails_closed_when_absent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from scanner.cli import main

    secret = pat(3102)
    other = _other_repo(tmp_path, {"mcp.json": '{"servers": {"gh": {"command": "npx", "env": '
                                               f'{{"GITHUB_PERSONAL_ACCESS_TOKEN": "{secret}"}}}}}}}}\n'})
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    git(repo.path, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(other.path), ".vscode")
    git(repo.path, "commit", "-q", "-m", "shared editor settings")
    monkeypatch.chdir(repo.path)
    checked_out = CliRunner().invoke(main, ["scan", "--no-gitleaks"])
    assert checked_out.exit_code == 1 and "MCPG101" in checked_out.output  # what the client reads
    no_piece(checked_out.output, secret)
    inventory = CliRunner().invoke(main, ["inventory", "--no-gitleaks"])
    assert ".vscode/mcp.json" in inventory.output
    git(repo.path, "submodule", "deinit", "-q", "-f", ".vscode")
    absent = CliRunner().invoke(main, ["scan", "--no-gitleaks"])
    assert absent.exit_code == 2 and "git submodule .vscode" in absent.output


# --- 2. the files-API fallback cannot search the PR's commits ------------------------------------

FILES = "/repos/{owner}/{repo}/pulls/{pull_number}/files"


def _shallow_pr(tmp_path: Path, commits: list[dict[str, str | None]]) -> tuple[Path, str, str]:
    """A PR of `commits` on a base with a safe config; a depth-1 clone of its head that cannot fetch."""
    repo = Repo(tmp_path / "ws")
    repo.commit({CONFIG: SAFE, "README.md": "hi\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    head = base
    for files in commits:
        head = repo.commit(files)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "pr", f"file://{repo.path}", str(shallow))
    git(shallow, "remote", "remove", "origin")  # the fetch of the base commit fails, as offline
    return shallow, base, head


def _pull_files(gh: FakeGitHub, *names: str) -> None:
    listed = [minimal(FILES, "get", item=True, filename=name, status="modified", sha="0" * 40)
              for name in names]
    gh.add("GET", FILES, lambda _b, _u: (200, {}, listed))
    gh.add("GET", "/repos/{owner}/{repo}/contents/{path}", lambda _b, _u: (404, {}, {"message": "Not Found"}))


def test_files_api_fallback_with_a_secret_added_and_reverted_is_not_a_pass(tmp_path: Path,
                                                                           gh: FakeGitHub) -> None:
    # The files API lists the net change (README only): main answered "no MCP config changed".
    secret = pat(3201)
    shallow, base, head = _shallow_pr(tmp_path, [
        {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)}, {CONFIG: SAFE, "README.md": "docs\n"}])
    _pull_files(gh, "README.md")
    expect_run(gh)
    payload = pr_payload(base, head)
    payload["pull_request"]["commits"] = 2
    result = run(shallow, tmp_path, "pull_request", payload)
    assert result.code == 2 and states(gh) == ["error"]
    assert "history of the pull request not scanned" in result.log and "2 commits" in result.log
    no_piece(everything(result, gh), secret)


def test_files_api_fallback_with_several_commits_is_incomplete_but_reports_head(tmp_path: Path,
                                                                                gh: FakeGitHub) -> None:
    secret = pat(3202)
    shallow, base, head = _shallow_pr(tmp_path, [
        {"README.md": "docs\n"}, {CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)}])
    _pull_files(gh, "README.md", CONFIG)
    expect_run(gh)
    payload = pr_payload(base, head)
    del payload["pull_request"]["commits"]  # no count: nothing proves there is no other history
    result = run(shallow, tmp_path, "pull_request", payload)
    assert result.code == 2 and states(gh) == ["error"]
    assert "history of the pull request not scanned" in result.log and "unknown number" in result.log
    assert "MCPG101" in result.summary  # what head holds is still reported
    no_piece(everything(result, gh), secret)


def test_files_api_fallback_with_one_commit_is_provably_complete(tmp_path: Path, gh: FakeGitHub) -> None:
    shallow, base, head = _shallow_pr(tmp_path, [{"README.md": "docs\n", CONFIG: mcp_config(
        GITHUB_PERSONAL_ACCESS_TOKEN="${env:GITHUB_PAT}", GITHUB_HOST="github.com")}])
    _pull_files(gh, "README.md", CONFIG)
    expect_run(gh)
    result = run(shallow, tmp_path, "pull_request", pr_payload(base, head))  # the fixture says 1 commit
    assert result.code == 0 and states(gh) == ["success"]
    assert "one commit" in result.log


# --- 3. the `config` input cannot swap the base's policy for a laxer one --------------------------

STRICT = ('version: 1\nfail-on: medium\nproduction:\n  hosts: ["db.corp.example"]\n'
          '  paths:\n    ".cursor/**": dev\n')
RELAXED = ('version: 1\nfail-on: critical\nhistory: warn\n'
           'ignore-paths:\n  - path: "**"\n    reason: "examples are not checked"\n'
           'disable-rules:\n  - rule: MCPG101\n    reason: "noise"\n  - rule: MCPG201\n    reason: "noise"\n')


def _prod_db_config() -> str:
    import json

    server = {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres",
                                         "postgresql://app:${env:PGPASSWORD}@db.corp.example:5432/app"]}
    return json.dumps({"mcpServers": {"pg": server}}, indent=2) + "\n"


def test_config_input_naming_a_file_the_base_lacks_keeps_the_base_policy(tmp_path: Path,
                                                                         gh: FakeGitHub) -> None:
    # The PR adds relaxed.yml and points `config` at it: main fell back to the built-in default,
    # dropping the base policy's production hosts/paths, so a dev config reaching the production
    # database (MCPG201, medium, blocking under the base's fail-on: medium) passed.
    repo = Repo(tmp_path / "ws")
    repo.commit({CONFIG: SAFE, ".mcp-guard.yml": STRICT})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    head = repo.commit({CONFIG: _prod_db_config(), "relaxed.yml": RELAXED})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), config="relaxed.yml")
    assert result.code == 1 and states(gh) == ["failure"]
    assert "MCPG201" in result.summary
    assert "relaxed.yml, which the base branch does not have" in gh.bodies()


def test_config_input_naming_a_laxer_base_file_is_floored_by_the_default_policy(tmp_path: Path,
                                                                                gh: FakeGitHub) -> None:
    # The base keeps a relaxed example policy; a PR's workflow points `config` at it: main applied its
    # ignore-paths/disable-rules (only fail-on and branches were floored) and the secret passed.
    secret = pat(3301)
    repo = Repo(tmp_path / "ws")
    repo.commit({CONFIG: SAFE, ".mcp-guard.yml": "version: 1\n", "docs/examples/relaxed.yml": RELAXED})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    head = repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head),
                 config="docs/examples/relaxed.yml")
    assert result.code == 1 and states(gh) == ["failure"]
    assert "MCPG101" in result.summary
    no_piece(everything(result, gh), secret)


def test_config_input_naming_a_base_policy_keeps_its_suppressions_the_default_also_has(
        tmp_path: Path, gh: FakeGitHub) -> None:
    # The floor is not a blanket: a suppression both policies carry still applies.
    repo = Repo(tmp_path / "ws")
    ignore_docs = 'ignore-paths:\n  - path: "docs/**"\n    reason: "sample configs"\n'
    repo.commit({CONFIG: SAFE, ".mcp-guard.yml": "version: 1\n" + ignore_docs,
                 ".github/mcp-guard.yml": "version: 1\nfail-on: high\n" + ignore_docs})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    head = repo.commit({"docs/.mcp.json": mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=pat(3302))})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), config=".github/mcp-guard.yml")
    assert result.code == 0 and states(gh) == ["success"]


# --- 4. encoded tokens with the built-in engine alone (--no-gitleaks) ----------------------------

def _b64(text: str | bytes) -> str:
    import base64

    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def _pem(label: str, body: bytes) -> str:
    import textwrap

    lines = textwrap.wrap(_b64(body), 64)
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def _scan_json(tmp_path: Path, servers: dict[str, Any]) -> tuple[dict[str, Any], str]:
    import json

    from click.testing import CliRunner

    from scanner.cli import main

    tree = tmp_path / "tree"
    (tree / ".cursor").mkdir(parents=True, exist_ok=True)
    (tree / ".cursor" / "mcp.json").write_text(json.dumps({"mcpServers": servers}, indent=2) + "\n",
                                               encoding="utf-8")
    report = CliRunner().invoke(main, ["scan", str(tree), "--no-gitleaks", "--format", "json"])
    assert report.exit_code in (0, 1), report.output
    return json.loads(report.output), report.output


@pytest.mark.parametrize("encoding", ["base64", "base64url", "hex", "percent", "base64 then base64"])
def test_encoded_token_under_a_neutral_name_is_found_with_the_encoding_named(tmp_path: Path,
                                                                             encoding: str) -> None:
    import base64

    secret = pat(3401)
    encoded = {"base64": _b64(secret),
               "base64url": base64.urlsafe_b64encode(secret.encode()).decode().rstrip("="),
               "hex": secret.encode().hex(),
               "percent": "".join(f"%{byte:02X}" for byte in secret.encode()),
               "base64 then base64": _b64(_b64(secret))}[encoding]
    data, output = _scan_json(tmp_path, {"tool": {"command": "npx", "args": ["-y", "@acme/tool", encoded]},
                                         "other": {"command": "npx", "env": {"PAYLOAD": encoded}}})
    findings = data["findings"]
    assert isinstance(findings, list) and len(findings) == 2, findings
    assert {(f["category"], f["secret_type"]) for f in findings} == {("secret", "github-pat")}
    assert {(f["server"], f["field"]) for f in findings} == {("tool", "args[2]"), ("other", "env.PAYLOAD")}
    # base64url without `-`/`_` is plain base64 too, and is named so.
    label = "base64" if encoding == "base64url" and not {"-", "_"} & set(encoded) else encoding
    assert all(f"{label}-encoded" in f["message"] for f in findings)
    no_piece(output, secret)
    no_piece(output, encoded)


def test_encoded_credentials_in_real_shapes_are_found(tmp_path: Path) -> None:
    import json

    secret, key_body = pat(3402), bytes(range(256)) * 5
    docker = json.dumps({"auths": {"ghcr.io": {"auth": _b64(f"octocat:{secret}")}}})
    data, output = _scan_json(tmp_path, {
        "registry": {"command": "docker", "args": ["run", "-i", "acme/mcp"],
                     "env": {"DOCKER_AUTH_CONFIG": docker}},
        "kube": {"command": "kube-mcp", "env": {"KUBE_CLIENT_DATA": _b64(_pem("RSA PRIVATE KEY", key_body))}},
    })
    by_server = {f["server"]: f for f in data["findings"]}
    registry = by_server["registry"]
    assert registry["secret_type"] == "github-pat" and "base64-encoded" in registry["message"]
    assert "rivate key" in by_server["kube"]["message"] and "base64-encoded" in by_server["kube"]["message"]
    no_piece(output, secret)


def test_ordinary_encoded_data_is_not_a_secret(tmp_path: Path) -> None:
    import hashlib
    import json

    body = hashlib.sha512(b"certificate body").digest() * 12
    data, _output = _scan_json(tmp_path, {"tls": {"command": "node", "args": [
        "server.js", _b64(b"\x30\x82\x03\x00" + body),  # a DER certificate
        _b64(b"\x89PNG\r\n\x1a\n" + body),  # an image
        _b64(_pem("CERTIFICATE", body)),  # kubeconfig certificate-authority-data
        hashlib.sha256(b"x").hexdigest(),  # a digest
        _b64(json.dumps({"region": "eu-west-1", "debug": True, "name": "demo server"})),
        "https://example.com/search?q=hello%20world&lang=en"],
        "env": {"CA_DATA": _b64(_pem("CERTIFICATE", body)), "ICON": _b64(b"\x89PNG\r\n\x1a\n" + body)}}})
    assert data["findings"] == []


# --- 5. fresh pass: content the gate reads is not what the client reads ---------------------------



@pytest.mark.parametrize("path", [".continue/mcpServers/github.yaml", "sec/token.env"])
def test_config_committed_as_a_git_lfs_pointer_is_an_incomplete_scan(tmp_path: Path, gh: FakeGitHub,
                                                                     path: str) -> None:
    # With `lfs: true` the client reads the real file; git holds a pointer, which parses as a YAML
    # string (or a dotenv without keys): main reported success on a config it never saw.
    secret = pat(3501)
    real = (f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n" if path.endswith(".env") else
            "name: gh\nmcpServers:\n  - name: github\n    command: npx\n"
            f"    env:\n      GITHUB_PERSONAL_ACCESS_TOKEN: {secret}\n")
    repo = Repo(tmp_path / "ws")
    server = ('{"servers": {"github": {"command": "npx", "args": ["-y", "@acme/server-github"],'
              ' "envFile": "${workspaceFolder}/sec/token.env"}}}\n')
    repo.commit({".vscode/mcp.json": server, "sec/token.env": "GITHUB_PERSONAL_ACCESS_TOKEN=${X}\n"})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    head = repo.commit({".gitattributes": f"{path} filter=lfs diff=lfs merge=lfs -text\n",
                        path: _lfs_pointer(real)})
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 2 and states(gh) == ["error"]
    assert "Git LFS pointer" in result.log


def test_symlinked_client_folder_into_a_vendored_submodule_is_never_a_pass(tmp_path: Path,
                                                                           gh: FakeGitHub) -> None:
    import os

    other = _other_repo(tmp_path, {"cursor/mcp.json": SAFE})
    commit = git(other.path, "rev-parse", "HEAD")
    repo = Repo(tmp_path / "ws")
    repo.commit({"README.md": "hi\n"})
    _gitlink(repo, "vendor/shared", commit)  # vendored: no client's folder, a warning only
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    os.symlink("vendor/shared/cursor", repo.path / ".cursor")  # Cursor follows it into the submodule
    git(repo.path, "add", ".cursor")
    head = repo.commit({}, "share the cursor config")
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head))
    assert result.code == 2 and states(gh) == ["error"]
    assert "git submodule vendor/shared" in result.log


def test_full_scan_mode_on_a_pr_still_searches_the_prs_commits(tmp_path: Path, gh: FakeGitHub) -> None:
    # `scan-mode` is an input the PR's copy of the workflow can set: full mode scanned the head tree
    # only, so a secret committed and removed again inside the PR passed.
    secret = pat(3601)
    repo = Repo(tmp_path / "ws")
    repo.commit({CONFIG: SAFE})
    base = git(repo.path, "rev-parse", "HEAD")
    repo.checkout("-B", "pr")
    repo.commit({CONFIG: mcp_config(GITHUB_PERSONAL_ACCESS_TOKEN=secret)}, "add")
    head = repo.commit({CONFIG: SAFE}, "revert")
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(base, head), scan_mode="full")
    assert result.code == 1 and states(gh) == ["failure"]
    assert "MCPG101" in result.summary
    no_piece(everything(result, gh), secret)
