"""Red-team regressions (wave 8): a pull request branched from an older commit whose merge makes a base
config load the file it adds, codex-action's `codex-args` as a JSON array, dev containers'
`${localEnv:NAME:default}`, a token base64-encoded in a URL query parameter, client words written with
escapes, a token split over several `${NAME:-default}`, a workflow `env:` literal a written config
reads, and outputs that carried a secret (a git URL's userinfo, a UTF-16 config's snippet). Each
drives the Action against the contract-checked fake GitHub (or the CLI); every secret is built at
run time."""

from __future__ import annotations

import base64
import json
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.sources import gitrefs
from tests.gh.action_helpers import (
    Files,
    Repo,
    everything,
    expect_run,
    git,
    no_piece,
    pat,
    pr_payload,
    run,
    states,
)
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import opaque as _opaque
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub

_HEAD = "on: pull_request\njobs:\n  review:\n    runs-on: ubuntu-latest\n"


def _servers(env: dict[str, str], key: str = "mcpServers", **extra: object) -> str:
    server = {"command": "npx", "args": ["-y", "@acme/mcp-server"], "env": env, **extra}
    return json.dumps({key: {"acme": server}}, indent=2) + "\n"


Outcome = tuple[int, list[str], str]


# --- 1. the merge result: a base config loads what a stale pull request adds -------------------------

_REFERENCED = {"ACME_API_KEY": "${env:ACME_API_KEY}"}


def _stale_pr(tmp_path: Path, gh: FakeGitHub, on_main: Files, in_pr: Files,
              shared: Files | None = None) -> Outcome:
    """main moves on (`on_main`) after the commit the attacker branches from; the pull request
    (`in_pr`, on the older commit) targets main's tip."""
    repo = Repo(tmp_path / "ws")
    old = repo.commit({"README.md": "hi\n", ".cursor/mcp.json": _servers(_REFERENCED), **(shared or {})})
    tip = repo.commit(on_main, "maintainer change")
    repo.checkout("-B", "pr", old)
    head = repo.commit(in_pr, "attack")
    expect_run(gh)
    result = run(repo.path, tmp_path, "pull_request", pr_payload(tip, head))
    return result.code, states(gh), everything(result, gh)


def test_file_a_base_config_started_loading_after_the_branch_point_is_scanned(
        tmp_path: Path, gh: FakeGitHub) -> None:
    # Head's own .cursor/mcp.json does not name config/acme.env: the fast path said "no MCP config
    # changed". Merged into main, whose .cursor/mcp.json loads it, the token is live.
    secret = _opaque(8001)
    loading = _servers({"ACME_REGION": "eu"}, envFile="${workspaceFolder}/config/acme.env")
    on_main = {".cursor/mcp.json": loading}
    _blocked(_stale_pr(tmp_path, gh, on_main, {"config/acme.env": f"ACME_API_KEY={secret}\n"}), secret)


def test_file_a_base_workflow_started_naming_after_the_branch_point_is_scanned(
        tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(8002)
    workflow = _HEAD + "    steps:\n      - run: claude -p hi --mcp-config ci/agent-servers\n"
    _blocked(_stale_pr(tmp_path, gh, {".github/workflows/agent.yml": workflow},
                       {"ci/agent-servers": _servers({"ACME_API_KEY": secret})}), secret)


def test_config_both_sides_changed_is_judged_as_merged(tmp_path: Path, gh: FakeGitHub) -> None:
    # The pull request also edits the config main changed (another line): the merge has main's
    # envFile line and the pull request's edit; head's copy has only the edit.
    secret = _opaque(8003)
    config = json.dumps({"mcpServers": {
        "acme": {"command": "npx", "args": ["-y", "@acme/mcp-server"], "env": _REFERENCED},
        "docs": {"command": "npx", "args": ["-y", "@acme/docs-mcp"]}}}, indent=2) + "\n"
    loading = config.replace('"env": {', '"envFile": "config/acme.env",\n      "env": {')
    on_main = {".cursor/mcp.json": loading}
    in_pr = {".cursor/mcp.json": config.replace("@acme/docs-mcp", "@acme/docs-mcp@2.1.0"),
             "config/acme.env": f"ACME_API_KEY={secret}\n"}
    _blocked(_stale_pr(tmp_path, gh, on_main, in_pr, shared={".cursor/mcp.json": config}), secret)


def test_stale_pull_request_without_secrets_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    on_main = {".cursor/mcp.json": _servers({"ACME_REGION": "eu"}, envFile="config/acme.env"),
               "src/app.py": "print('hi')\n"}
    code, posted, output = _stale_pr(tmp_path, gh, on_main, {"config/acme.env": "ACME_API_KEY=\n",
                                                               "docs/notes.md": "notes\n"})
    assert (code, posted) == (0, ["success"]), output[-2000:]


def test_stale_pull_request_changing_nothing_mcp_stays_on_the_fast_path(tmp_path: Path,
                                                                        gh: FakeGitHub) -> None:
    code, posted, output = _stale_pr(tmp_path, gh, {"src/app.py": "print('hi')\n"},
                                     {"docs/notes.md": "notes\n"})
    assert (code, posted) == (0, ["success"]) and "no MCP config changed" in output, output[-2000:]


def test_stale_pull_request_whose_merge_conflicts_is_judged_by_its_head(tmp_path: Path,
                                                                        gh: FakeGitHub) -> None:
    secret = _opaque(8004)
    _blocked(_stale_pr(tmp_path, gh, {".cursor/mcp.json": _servers({"ACME_API_KEY": "${env:ACME_KEY}"})},
                       {".cursor/mcp.json": _servers({"ACME_API_KEY": secret})}), secret)


# --- 2. codex-action `codex-args` as a JSON array ---------------------------------------------------


def _codex_args(items: list[str]) -> str:
    return (_HEAD + "    steps:\n      - uses: openai/codex-action@v1\n        with:\n"
            "          prompt: review\n"
            f"          codex-args: '{json.dumps(items)}'\n")


@pytest.mark.parametrize("form", ["-c, toml string", "--config, bare", "-c, inline table"])
def test_codex_args_json_array_override_is_scanned(tmp_path: Path, gh: FakeGitHub, form: str) -> None:
    # codex-action takes `codex-args` "as a JSON array of strings or a shell-like string" (action.yml).
    secret = _opaque(8010)
    items = {"-c, toml string": ["-c", 'mcp_servers.acme.command="npx"', "-c",
                                 f'mcp_servers.acme.env.ACME_API_KEY="{secret}"'],
             "--config, bare": ["--config", f"mcp_servers.acme.env.ACME_API_KEY={secret}"],
             "-c, inline table": ["-c", f'mcp_servers.acme.env={{ACME_API_KEY="{secret}"}}']}[form]
    _blocked(_pr(tmp_path, gh, [{".github/workflows/agent.yml": _codex_args(items)}]), secret)


def test_codex_args_json_array_with_references_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    items = ["-c", 'mcp_servers.acme.command="npx"', "-c",
             'mcp_servers.acme.env.ACME_API_KEY="${{ secrets.ACME_API_KEY }}"', "-c",
             'mcp_servers.acme.env_vars=["ACME_API_KEY"]', "--config", 'model="o4-mini"']
    _passed(_pr(tmp_path, gh, [{".github/workflows/agent.yml": _codex_args(items)}]))


# --- 3. dev containers' `${localEnv:NAME:default}` ---------------------------------------------------


def _devcontainer(env_value: str, where: str) -> str:
    server = {"command": "npx", "args": ["-y", "@acme/mcp-server"]}
    doc: dict[str, object] = {"name": "app", "image": "mcr.microsoft.com/devcontainers/base:bookworm"}
    if where == "server env":
        server["env"] = {"ACME_API_KEY": env_value}
    else:
        doc["remoteEnv"] = {"ACME_API_KEY": env_value}
    doc["customizations"] = {"vscode": {"mcp": {"servers": {"acme": server}}}}
    return json.dumps(doc, indent=2) + "\n"


@pytest.mark.parametrize("where", ["server env", "remoteEnv"])
@pytest.mark.parametrize("syntax", ["localEnv", "containerEnv"])
def test_dev_container_variable_default_is_the_value(tmp_path: Path, gh: FakeGitHub, where: str,
                                                     syntax: str) -> None:
    # containers.dev: `${localEnv:NAME:default}` is the default when NAME is unset on the host.
    secret = _opaque(8020)
    config = _devcontainer(f"${{{syntax}:ACME_API_KEY:{secret}}}", where)
    _blocked(_pr(tmp_path, gh, [{".devcontainer/devcontainer.json": config}]), secret)


def test_dev_container_variables_without_literal_defaults_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    plain = _devcontainer("${localEnv:ACME_API_KEY}", "server env")
    files: Files = {".devcontainer/devcontainer.json": plain,
                    ".devcontainer/other/devcontainer.json": _devcontainer(
                        "${localEnv:ACME_API_KEY:${localEnv:ACME_KEY}}", "remoteEnv").replace(
                        '"remoteEnv": {', '"containerEnv": {"HOME_DIR": "${localEnv:HOME:/home/vscode}"},\n'
                        '  "remoteEnv": {')}
    _passed(_pr(tmp_path, gh, [files]))


# --- 4. a token base64-encoded in a URL query parameter of any name ----------------------------------


def _remote(url: str) -> str:
    return json.dumps({"mcpServers": {"acme": {"url": url}}}, indent=2) + "\n"


@pytest.mark.parametrize("quoted", [True, False])
def test_token_base64_encoded_in_a_query_parameter_is_found(tmp_path: Path, gh: FakeGitHub,
                                                            quoted: bool) -> None:
    secret = pat(8030)
    encoded = base64.b64encode(secret.encode()).decode()
    param = urllib.parse.quote(encoded, safe="") if quoted else encoded
    url = "https://mcp.acme-tools.io/mcp?profile=" + param
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": _remote(url)}]), secret, encoded)


def test_encoded_ordinary_query_parameters_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    settings = json.dumps({"team": "platform", "region": "eu-west-1"})
    state = base64.urlsafe_b64encode(settings.encode()).decode()
    digest = base64.b64encode(bytes(range(7, 71, 2))).decode()
    url = (f"https://mcp.acme-tools.io/mcp?state={urllib.parse.quote(state)}&checksum={urllib.parse.quote(digest)}"
           "&hex=" + "deadbeefcafebabe" * 2)
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": _remote(url)}]))


# --- 5. client words written with escapes -------------------------------------------------------------


def _escaped(text: str, word: str) -> str:
    written = "".join(f"\\u{ord(c):04x}" if c in "_sScC" else c for c in word)
    return text.replace(f'"{word}"', f'"{written}"')


def test_mcpb_manifest_with_an_escaped_mcp_config_key_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    # The check for the client's word looked at the text as written, not as JSON reads it.
    secret = _opaque(8040)
    manifest = json.dumps({"manifest_version": "0.2", "name": "acme", "version": "1.0.0", "server": {
        "type": "node", "entry_point": "server/index.js",
        "mcp_config": {"command": "node", "args": ["server/index.js"], "env": {"ACME_API_KEY": secret}}}})
    _blocked(_pr(tmp_path, gh, [{"manifest.json": _escaped(manifest, "mcp_config")}]), secret)


def test_config_of_unknown_name_with_an_escaped_servers_key_is_scanned(tmp_path: Path,
                                                                       gh: FakeGitHub) -> None:
    secret = _opaque(8041)
    script = json.dumps({"name": "app", "scripts": {"agent": "claude --mcp-config tools/agent.json"}})
    files: Files = {"tools/agent.json": _escaped(_servers({"ACME_API_KEY": secret}), "mcpServers"),
                    "package.json": script + "\n"}
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_escaped_json_without_mcp_servers_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    files: Files = {"data/strings.json": json.dumps({"greeting": "caf\u00e9 \u2603", "path": "C:\\tools\\x"},
                                                    ensure_ascii=True) + "\n",
                    "manifest.json": json.dumps({"name": "acme", "short_name": "\u00c5cme"}) + "\n"}
    _passed(_pr(tmp_path, gh, [files]))


# --- 6. a token split over several `${NAME:-default}` -------------------------------------------------


def test_token_split_over_reference_defaults_is_joined(tmp_path: Path, gh: FakeGitHub) -> None:
    # Claude Code expands `${VAR:-default}` in .mcp.json: with A and B unset the value is both defaults.
    secret = pat(8050)
    value = "${A:-" + secret[:14] + "}${B:-" + secret[14:] + "}"
    _blocked(_pr(tmp_path, gh, [{".mcp.json": _servers({"NOTE": value})}]), secret)


def test_reference_defaults_joined_into_addresses_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    env = {"ACME_URL": "${ACME_SCHEME:-https}://${ACME_HOST:-localhost}:${ACME_PORT:-8443}/v1",
           "ACME_PATH": "${HOME:-/home/dev}/${ACME_DIR:-.acme}/cache",
           "ACME_API_KEY": "${ACME_API_KEY:-}${ACME_KEY_SUFFIX:-}"}
    _passed(_pr(tmp_path, gh, [{".mcp.json": _servers(env)}]))


# --- 7. a workflow `env:` literal that a written config reads -----------------------------------------


def _env_workflows(secret: str) -> dict[str, str]:
    config = _servers({"ACME_API_KEY": "${{ env.CFG_A }}"}).replace("\n", "")
    shell_config = _servers({"ACME_API_KEY": "${CFG_A}"}).replace("\n", "")
    return {
        "job env, ${{ env.X }} in mcp_config": (
            _HEAD + f"    env:\n      CFG_A: {secret}\n    steps:\n"
            "      - uses: anthropics/claude-code-action@v1\n"
            f"        with:\n          mcp_config: '{config}'\n"),
        "workflow env, claude mcp add": (
            f"on: pull_request\nenv:\n  CFG_A: \"{secret}\"\njobs:\n  review:\n    runs-on: ubuntu-latest\n"
            "    steps:\n"
            "      - run: claude mcp add acme -e ACME_API_KEY=${{ env.CFG_A }} -- npx -y acme-mcp\n"),
        "step env, ${X} expanded by Claude Code": (
            _HEAD + "    steps:\n      - uses: anthropics/claude-code-action@v1\n        env:\n"
            f"          CFG_A: '{secret}'\n        with:\n          mcp_config: '{shell_config}'\n"),
    }


@pytest.mark.parametrize("how", sorted(_env_workflows("x")))
def test_workflow_env_literal_a_written_config_reads_is_a_secret(tmp_path: Path, gh: FakeGitHub,
                                                                 how: str) -> None:
    secret = _opaque(8060)
    _blocked(_pr(tmp_path, gh, [{".github/workflows/agent.yml": _env_workflows(secret)[how]}]), secret)


def test_workflow_env_of_secrets_and_settings_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    config = _servers({"ACME_API_KEY": "${{ env.ACME_API_KEY }}", "ACME_REGION": "${{ env.ACME_REGION }}",
                       "ACME_HOME": "${ACME_HOME}"}).replace("\n", "")
    workflow = (_HEAD + "    env:\n      ACME_API_KEY: ${{ secrets.ACME_API_KEY }}\n"
                "      ACME_REGION: eu-west-1\n"
                "      ACME_HOME: /opt/acme-tools/data\n      BUILD_ID: 0123456789abcdef0123456789abcdef\n"
                "    steps:\n      - uses: anthropics/claude-code-action@v1\n        with:\n"
                f"          mcp_config: '{config}'\n")
    _passed(_pr(tmp_path, gh, [{".github/workflows/agent.yml": workflow}]))


# --- 8. outputs that carried a secret ----------------------------------------------------------------


@pytest.mark.parametrize("userinfo", ["{}", "oauth2:{}"])
def test_git_url_with_a_token_in_its_userinfo_is_blocked_and_never_printed(tmp_path: Path, gh: FakeGitHub,
                                                                         userinfo: str) -> None:
    # MCPG314 (unpinned git URL) printed the URL with its userinfo: strict output checking turned
    # the run into an error, production masked the characters.
    secret = _opaque(8070)
    url = f"git+https://{userinfo.format(secret)}@gitlab.acme-tools.io/acme/mcp-server.git"
    config = json.dumps({"mcpServers": {"acme": {"command": "uvx", "args": ["--from", url, "acme-mcp"]}}})
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": config + "\n"}]), secret)


def _utf16_step(secret: str) -> object:
    def step(repo: Repo) -> None:
        target = repo.path / ".vscode" / "mcp.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = _servers({"ACME_API_KEY": secret}, key="servers")
        target.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
        git(repo.path, "add", "--", ".vscode/mcp.json")
        git(repo.path, "commit", "-q", "-m", "utf-16 config")
    return step


def test_utf16_config_is_blocked_and_its_snippet_never_prints_the_secret(tmp_path: Path,
                                                                         gh: FakeGitHub) -> None:
    # The comment's fix diff was cut from the file read as UTF-8: it held the secret's tail.
    secret = _opaque(8071)
    _blocked(_pr(tmp_path, gh, [_utf16_step(secret)]), secret)  # type: ignore[list-item]


def test_cli_markdown_report_of_a_utf16_config_shows_the_fix_redacted(tmp_path: Path) -> None:
    secret = _opaque(8072)
    tree = tmp_path / "tree"
    (tree / ".vscode").mkdir(parents=True)
    (tree / ".vscode" / "mcp.json").write_bytes(
        b"\xff\xfe" + _servers({"ACME_API_KEY": secret}, key="servers").encode("utf-16-le"))
    result = CliRunner().invoke(main, ["scan", str(tree), "--no-gitleaks", "--format", "markdown"])
    assert result.exit_code == 1, result.output
    assert '+ "ACME_API_KEY": "${input:acme-api-key}"' in result.output
    no_piece(result.output, secret)


def test_shallow_checkout_judges_github_s_test_merge_commit(tmp_path: Path, gh: FakeGitHub) -> None:
    # actions/checkout with `fetch-depth: 2`: GitHub's test merge (GITHUB_SHA) and its two parents,
    # base and head, but not their branch point: only that commit tells what the merge makes.
    secret = _opaque(8005)
    repo = Repo(tmp_path / "origin")
    old = repo.commit({"README.md": "hi\n", ".cursor/mcp.json": _servers(_REFERENCED)})
    tip = repo.commit({".cursor/mcp.json": _servers({"ACME_REGION": "eu"}, envFile="config/acme.env")})
    repo.checkout("-B", "pr", old)
    head = repo.commit({"config/acme.env": f"ACME_API_KEY={secret}\n"}, "attack")
    repo.checkout("-B", "pull/7/merge", tip)
    git(repo.path, "merge", "-q", "--no-ff", "-m", "Merge pr into main", head)
    shallow = tmp_path / "ws"
    git(tmp_path, "clone", "-q", "--depth", "2", "--branch", "pull/7/merge", f"file://{repo.path}",
        str(shallow))
    assert gitrefs.merge_base(shallow, tip, head) is None
    expect_run(gh)
    result = run(shallow, tmp_path, "pull_request", pr_payload(tip, head))
    _blocked((result.code, states(gh), everything(result, gh)), secret)


# --- 9. names a case-insensitive file system folds to a client's ------------------------------------


@pytest.mark.parametrize("path", [".claude/\u017fettings.json", ".claude/settings.j\u017fon",
                                  ".claude/sett\u0131ngs.json"])
def test_settings_named_with_letters_a_file_system_folds_are_scanned(tmp_path: Path, gh: FakeGitHub,
                                                                     path: str) -> None:
    # macOS folds `ſ` to `s`, Windows upper-cases `ı` to `I`: Claude Code opening
    # .claude/settings.json reads these files there. Their `env` is no MCP content, so no probe saw it.
    secret = _opaque(8080)
    settings = json.dumps({"env": {"ANTHROPIC_AUTH_TOKEN": secret}}) + "\n"
    _blocked(_pr(tmp_path, gh, [{path: settings}]), secret)


def test_cli_scans_a_config_named_with_folded_letters(tmp_path: Path) -> None:
    secret = _opaque(8081)
    tree = tmp_path / "tree"
    (tree / ".claude").mkdir(parents=True)
    settings = json.dumps({"env": {"ANTHROPIC_AUTH_TOKEN": secret}})
    (tree / ".claude" / "\u017fettings.json").write_text(settings, encoding="utf-8")
    git(tmp_path, "init", "-q", str(tree))
    git(tree, "add", "-A")
    result = CliRunner().invoke(main, ["scan", str(tree), "--no-gitleaks", "--format", "json"])
    assert result.exit_code == 1, result.output
    no_piece(result.output, secret)


# --- 10. a compose file of any name (a dev container's `dockerComposeFile`, `compose -f`) ----------

_STACK = ("services:\n  acme-mcp:\n    image: acme/mcp-server:1.2.0\n    environment:\n"
          "      ACME_API_KEY: {}\n")
_DEV_CONTAINER = json.dumps({"name": "app", "dockerComposeFile": ["../ops/stack.yml"],
                             "service": "app"}) + "\n"


def test_compose_file_of_any_name_running_an_mcp_server_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    # The dev container starts every service of ops/stack.yml; the probe knew only client keys.
    secret = _opaque(8090)
    files: Files = {".devcontainer/devcontainer.json": _DEV_CONTAINER, "ops/stack.yml": _STACK.format(secret)}
    _blocked(_pr(tmp_path, gh, [files]), secret)


def test_compose_file_of_any_name_changed_alone_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(8091)
    base: Files = {"README.md": "hi\n", ".devcontainer/devcontainer.json": _DEV_CONTAINER,
                   "ops/stack.yml": _STACK.format("${ACME_API_KEY}")}
    _blocked(_pr(tmp_path, gh, [{"ops/stack.yml": _STACK.format(secret)}], base=base), secret)


def test_compose_files_of_any_name_without_literal_mcp_secrets_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    web = ("services:\n  web:\n    image: nginx:1.27\n    environment:\n"
           f"      SESSION_SECRET: {_opaque(8092, 32)}\n")  # a service that is no MCP server
    _passed(_pr(tmp_path, gh, [{"ops/stack.yml": _STACK.format("${ACME_API_KEY:?set it}"),
                                "ops/web.yml": web}]))
