"""Red-team regressions (wave 5): a base policy's path ignore reached through a live config's
referenced file, tokens in file and folder names, opaque tokens with no name (helper commands,
positional arguments, URL path segments and short query names, `-k`), dotenv files loaded by a
command's own flag, and a secret split across dotenv variables. Each drives the Action against the
contract-checked fake GitHub (or the CLI); every secret is built at run time."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.fakes import fake_hex, fake_token
from tests.gh.action_helpers import Files, Repo, git, no_piece, pat
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import github_servers as _servers
from tests.gh.action_helpers import opaque as _opaque
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub


def _cli(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`mcp-guard scan` run inside `repo` (the default scan: git-tracked files)."""
    return subprocess.run(
        [sys.executable, "-m", "scanner", "scan", *args],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        cwd=repo,
    )


# --- 1. a path ignore of the base policy, reached through a file a live config loads ---------------

IGNORE_EXAMPLES = 'version: 1\nignore-paths:\n  - path: "examples/**"\n    reason: sample configs\n'
POLICY_BASE: Files = {".mcp-guard.yml": IGNORE_EXAMPLES, "README.md": "hi\n"}


def _loading(how: str, folder: str, secret: str) -> Files:
    """A config at the root (or in `folder` too when `folder` is examples/) loading a file under `folder`."""
    if how == "envFile":
        return {
            ".vscode/mcp.json": _servers("servers", envFile="${workspaceFolder}/" + folder + ".env"),
            folder + ".env": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n",
        }
    if how == "plugin servers file":
        return {
            ".claude-plugin/plugin.json": json.dumps(
                {"name": "acme", "mcpServers": f"./{folder}servers.json"}
            ),
            folder + "servers.json": json.dumps({"gh": {"command": "npx", "env": {"GITHUB_TOKEN": secret}}}),
        }
    env = {"GITHUB_PERSONAL_ACCESS_TOKEN": "{file:./" + folder + "token.txt}"}
    return {
        "opencode.json": json.dumps(
            {"mcp": {"gh": {"type": "local", "command": ["npx", "acme"], "environment": env}}}
        ),
        folder + "token.txt": secret + "\n",
    }


LOADS = ["envFile", "plugin servers file", "{file:} target"]


@pytest.mark.parametrize("how", LOADS)
def test_ignored_path_loaded_by_a_live_config_is_not_hidden(tmp_path: Path, gh: FakeGitHub, how: str) -> None:
    # `examples/**` hid the findings of examples/.env although .vscode/mcp.json (not ignored) loads it.
    secret = pat(5101)
    _blocked(_pr(tmp_path, gh, [_loading(how, "examples/", secret)], base=POLICY_BASE), secret)


def test_ignored_sample_config_loading_an_ignored_file_stays_hidden(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(5102)
    files = {
        "examples/.vscode/mcp.json": _servers("servers", envFile="${workspaceFolder}/.env.sample"),
        "examples/.env.sample": f"GITHUB_PERSONAL_ACCESS_TOKEN={secret}\n",
    }
    _passed(_pr(tmp_path, gh, [files], base=POLICY_BASE))


# --- 2. a token as a folder or file name ------------------------------------------------------------

SAFE = _servers(env={"GITHUB_TOKEN": "${GITHUB_TOKEN}"})


def _in_path(where: str, secret: str) -> Files:
    if where == "folder of a config":
        return {f"tools/{secret}/.mcp.json": SAFE}
    if where == "project folder":
        return {f"{secret}/.cursor/mcp.json": SAFE}
    return {
        f"plugins/{secret}/.claude-plugin/plugin.json": json.dumps(
            {
                "name": "acme",
                "mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": "${GITHUB_TOKEN}"}}},
            }
        )
    }


@pytest.mark.parametrize("where", ["folder of a config", "project folder", "plugin folder"])
def test_token_as_a_folder_name_is_found_and_never_printed(
    tmp_path: Path, gh: FakeGitHub, where: str
) -> None:
    # The path was neither judged nor redacted: the gate passed and every report named the token.
    secret = pat(5201)
    code, posted, output = _pr(tmp_path, gh, [_in_path(where, secret)])
    _blocked((code, posted, output), secret)
    assert secret[:4] + "…" + secret[-4:] in output  # the path is shown, with the token redacted


def test_token_as_a_file_name_is_found_by_the_cli_and_never_printed(tmp_path: Path) -> None:
    secret = pat(5202)
    repo = Repo(tmp_path / "ws")
    repo.commit({f"mcp/{secret}.mcp.json": SAFE, ".mcp.json": SAFE})
    for fmt in ("text", "json", "sarif", "markdown"):
        proc = _cli(repo.path, "--no-gitleaks", "--format", fmt)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        no_piece(proc.stdout + proc.stderr, secret)


def test_random_and_hashed_folder_names_stay_quiet(tmp_path: Path, gh: FakeGitHub) -> None:
    _passed(
        _pr(
            tmp_path,
            gh,
            [
                {
                    f"envs/{fake_hex(40, 5203)}/.mcp.json": SAFE,
                    f"tools/{_opaque(5204, 32)}/.cursor/mcp.json": SAFE,
                    f"apps/{uuid.UUID(int=5205, version=4)}/.vscode/mcp.json": SAFE,
                }
            ],
        )
    )


# --- 3. a credential helper that prints a literal -------------------------------------------------


@pytest.mark.parametrize("helper", ["echo {s}", "printf %s {s}", "printf '%s\\n' '{s}'", "/bin/echo -n {s}"])
def test_api_key_helper_printing_a_literal_is_the_key(tmp_path: Path, gh: FakeGitHub, helper: str) -> None:
    # `apiKeyHelper` runs a command and sends what it prints: `echo <key>` is the key, in the file.
    secret = _opaque(5301)
    settings = json.dumps({"apiKeyHelper": helper.format(s=secret)})
    _blocked(_pr(tmp_path, gh, [{".claude/settings.json": settings}]), secret)


def test_headers_helper_printing_a_literal_header_is_the_token(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(5302)
    settings = json.dumps({"otelHeadersHelper": 'echo \'{"X-Api-Key": "' + secret + "\"}'"})
    _blocked(_pr(tmp_path, gh, [{".claude/settings.json": settings}]), secret)


def test_helpers_that_fetch_the_key_stay_quiet(tmp_path: Path, gh: FakeGitHub) -> None:
    settings = json.dumps(
        {
            "apiKeyHelper": "op read op://Private/anthropic/credential",
            "otelHeadersHelper": "~/.claude/bin/otel-headers.sh",
            "awsAuthRefresh": "aws sso login --profile dev",
        }
    )
    local = json.dumps({"apiKeyHelper": 'printf %s "$(security find-generic-password -w -s claude)"'})
    env = json.dumps({"apiKeyHelper": "echo $ANTHROPIC_API_KEY"})
    _passed(
        _pr(
            tmp_path,
            gh,
            [
                {
                    ".claude/settings.json": settings,
                    "a/.claude/settings.json": local,
                    "b/.claude/settings.json": env,
                    "c/.claude/settings.json": json.dumps({"apiKeyHelper": "echo your-api-key-here"}),
                }
            ],
        )
    )


# --- 4. a dotenv file a command-line loader reads -------------------------------------------------


def _loaded(args: list[str], command: str = "npx") -> str:
    return json.dumps({"mcpServers": {"acme": {"command": command, "args": args}}}, indent=2) + "\n"


LOADER_ARGS = {
    "dotenv-cli": ["-y", "dotenv-cli", "-e", "config/mcp.secrets", "--", "node", "server.js"],
    "dotenv": ["dotenv", "-e", "config/mcp.secrets", "--", "node", "server.js"],
    "dotenvx": ["-y", "@dotenvx/dotenvx@1.31.0", "run", "-f", "config/mcp.secrets", "--", "node", "s.js"],
    "env-cmd": ["env-cmd", "-f", "config/mcp.secrets", "node", "server.js"],
    "node if-exists": ["--env-file-if-exists=config/mcp.secrets", "server.js"],
}


@pytest.mark.parametrize("loader", sorted(LOADER_ARGS))
def test_dotenv_file_a_loader_command_reads_is_scanned(tmp_path: Path, gh: FakeGitHub, loader: str) -> None:
    secret = _opaque(5401)
    command = "node" if loader.startswith("node") else "npx"
    _blocked(
        _pr(
            tmp_path,
            gh,
            [
                {
                    ".cursor/mcp.json": _loaded(LOADER_ARGS[loader], command),
                    "config/mcp.secrets": f"ACME_API_KEY={secret}\n",
                }
            ],
        ),
        secret,
    )


def test_dotenv_file_a_loader_reads_changed_alone_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(5402)
    base = {".cursor/mcp.json": _loaded(LOADER_ARGS["dotenvx"]), "config/mcp.secrets": "ACME_REGION=eu\n"}
    _blocked(_pr(tmp_path, gh, [{"config/mcp.secrets": f"ACME_API_KEY={secret}\n"}], base=base), secret)


def test_docker_env_flag_after_a_loader_is_no_file(tmp_path: Path, gh: FakeGitHub) -> None:
    # After `--` the loader's `-e` is docker's pass-through `-e NAME`, not a file to read.
    args = ["dotenv", "-e", "config/mcp.env", "--", "docker", "run", "-i", "-e", "ACME_REGION", "acme/mcp"]
    _passed(
        _pr(
            tmp_path,
            gh,
            [
                {
                    ".cursor/mcp.json": _loaded(args),
                    "config/mcp.env": "ACME_REGION=eu\n",
                    "ACME_REGION": f"ACME_API_KEY={_opaque(5403)}\n",
                }
            ],
        )
    )


# --- 5. a token split over a dotenv file's own variables --------------------------------------------


@pytest.mark.parametrize("refs", ["${A}${B}", "$A$B", "${A}${B_PART}"])
def test_token_split_over_dotenv_variables_is_joined(tmp_path: Path, gh: FakeGitHub, refs: str) -> None:
    # python-dotenv, docker compose and dotenv-cli expand `${A}` from the file's earlier lines.
    secret = pat(5501)
    lines = f"A={secret[:20]}\nB={secret[20:]}\nB_PART=${{B}}\nGITHUB_PERSONAL_ACCESS_TOKEN={refs}\n"
    _blocked(
        _pr(
            tmp_path,
            gh,
            [
                {
                    ".vscode/mcp.json": _servers("servers", envFile="${workspaceFolder}/.env.mcp"),
                    ".env.mcp": lines,
                }
            ],
        ),
        secret,
    )


def test_dotenv_variables_joined_into_urls_and_paths_stay_quiet(tmp_path: Path, gh: FakeGitHub) -> None:
    lines = (
        "ACME_HOST=api.acme-tools.io\nACME_URL=https://${ACME_HOST}/v2\nDATA_DIR=./data\n"
        "CACHE_DIR=${DATA_DIR}/cache\nGITHUB_TOKEN=${GITHUB_TOKEN}\nLOG=$LOG_LEVEL\n"
    )
    _passed(
        _pr(
            tmp_path,
            gh,
            [
                {
                    ".vscode/mcp.json": _servers("servers", envFile="${workspaceFolder}/.env.mcp"),
                    ".env.mcp": lines,
                }
            ],
        )
    )


# --- 6. opaque tokens with no name and no shape -------------------------------------------------------


def _entry(entry: dict[str, Any]) -> str:
    return json.dumps({"mcpServers": {"acme": entry}}, indent=2) + "\n"


OPAQUE_PLACES = {
    "positional": lambda s: {"command": "npx", "args": ["-y", "@acme/mcp-server", s]},
    "short flag": lambda s: {"command": "acme-mcp", "args": ["-k", s]},
    "url path": lambda s: {"url": f"https://mcp.acme-tools.io/s/{s}/mcp"},
    "url query": lambda s: {"url": f"https://mcp.acme-tools.io/sse?c={s}"},
    "proxy url": lambda s: {
        "command": "npx",
        "args": ["-y", "mcp-remote", f"https://hooks.acme-tools.io/{s}/sse"],
    },
    "shell string": lambda s: {"command": "sh", "args": ["-c", f"exec npx -y @acme/mcp-server {s}"]},
}


@pytest.mark.parametrize("place", sorted(OPAQUE_PLACES))
def test_random_token_with_no_name_is_a_secret(tmp_path: Path, gh: FakeGitHub, place: str) -> None:
    secret = _opaque(5601, 32)
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": _entry(OPAQUE_PLACES[place](secret))}]), secret)


def test_random_looking_ids_addresses_and_encodings_stay_quiet(tmp_path: Path, gh: FakeGitHub) -> None:
    solana = fake_token(
        "", 44, 5602, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    )  # an address
    args = [
        "-y",
        "acme-mcp",
        solana,
        fake_hex(40, 5603),
        str(uuid.UUID(int=5604, version=4)),
        "--spreadsheet-id",
        _opaque(5605, 44),
        "--model",
        "claude-sonnet-4-20250514",
        "--ca-cert",
        "-----BEGIN CERTIFICATE-----\n"
        + "\n".join(_opaque(5608 + i, 64) for i in range(4))
        + "\n-----END CERTIFICATE-----\n",
    ]
    servers = {
        "a": {"command": "npx", "args": args},
        "b": {"url": f"https://mcp.acme-tools.io/v1/tenants/{uuid.UUID(int=5606, version=4)}/sse"},
        "c": {
            "command": "npx",
            "args": ["-y", "acme-fetch", f"https://docs.acme-tools.io/d/{_opaque(5607, 44)}"],
        },
    }
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": json.dumps({"mcpServers": servers}, indent=2)}]))


@pytest.mark.parametrize("how", ["headers map", "mcp-remote --header"])
def test_random_header_value_under_a_neutral_name_is_a_secret(
    tmp_path: Path, gh: FakeGitHub, how: str
) -> None:
    # Every header is sent to the server: a random value is its credential whatever the header says.
    secret = _opaque(5611, 40)
    entry: dict[str, Any] = (
        {"url": "https://mcp.acme-tools.io/mcp", "headers": {"X-Acme-Org": secret}}
        if how == "headers map"
        else {
            "command": "npx",
            "args": ["-y", "mcp-remote", "https://mcp.acme-tools.io/sse", "--header", f"X-Acme-Org:{secret}"],
        }
    )
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": _entry(entry)}]), secret)


def test_ordinary_header_values_stay_quiet(tmp_path: Path, gh: FakeGitHub) -> None:
    headers = {
        "Accept": "application/json, text/event-stream",
        "User-Agent": "acme-mcp/1.4.2 (claude-code)",
        "X-Tenant-Id": str(uuid.UUID(int=5612, version=4)),
        "X-Workspace": fake_hex(40, 5613),
        "X-Acme-Region": "eu-west-1",
        "X-Api-Key": "${env:ACME_API_KEY}",
    }
    _passed(
        _pr(
            tmp_path,
            gh,
            [{".cursor/mcp.json": _entry({"url": "https://mcp.acme-tools.io/mcp", "headers": headers})}],
        )
    )


def test_token_nested_past_the_decoding_bound_is_still_found(tmp_path: Path, gh: FakeGitHub) -> None:
    # JSON in a string in a string ... five levels down: decoding stopped at three, and with it the
    # provider shapes, so a PAT there was never looked at.
    secret = pat(5621)
    value: dict[str, Any] = {"X-Api-Key": secret}
    for _ in range(5):
        value = {"headers": json.dumps(value)}
    _blocked(
        _pr(tmp_path, gh, [{".cursor/mcp.json": _servers(env={"OPENAPI_MCP_HEADERS": json.dumps(value)})}]),
        secret,
    )


# --- 7. a workflow's inline MCP config (Claude Code's GitHub Action) ---------------------------------


def _workflow(config: dict[str, Any] | None, inline: str | None = None) -> str:
    head = (
        "name: claude\non:\n  issue_comment:\n    types: [created]\n"
        "jobs:\n  claude:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - uses: anthropics/claude-code-action@v1\n"
        "        with:\n          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}\n"
    )
    if inline is not None or config is None:
        return head + (f"          mcp_config: {inline}\n" if inline is not None else "")
    body = json.dumps(config, indent=2).splitlines()
    return head + "          mcp_config: |\n" + "".join(f"            {line}\n" for line in body)


@pytest.mark.parametrize("form", ["block", "single-quoted", "claude_args line", "claude_args block"])
def test_workflow_inline_mcp_config_is_scanned(tmp_path: Path, gh: FakeGitHub, form: str) -> None:
    # `.github/workflows/*.yml` was no candidate: "no MCP config changed" for a hardcoded key there.
    secret = _opaque(5701)
    config = {
        "mcpServers": {
            "acme": {"command": "npx", "args": ["-y", "acme-mcp"], "env": {"ACME_API_KEY": secret}}
        }
    }
    if form == "block":
        text = _workflow(config)
    elif form == "single-quoted":
        text = _workflow(None, "'" + json.dumps(config) + "'")
    else:
        flag = "--model claude-sonnet-4-5 --mcp-config '" + json.dumps(
            config, indent=2 if "block" in form else None
        )
        text = _workflow(None).replace(
            "          anthropic_api_key",
            "          claude_args: "
            + (
                flag.replace("\n", "\n            ") + "'\n"
                if "line" in form
                else "|\n            " + flag.replace("\n", "\n            ") + "'\n"
            )
            + "          anthropic_api_key",
        )
    code, posted, output = _pr(tmp_path, gh, [{".github/workflows/claude.yml": text}])
    _blocked((code, posted, output), secret)
    line = next(i for i, text_line in enumerate(text.splitlines(), 1) if "ACME_API_KEY" in text_line)
    assert f"file=.github/workflows/claude.yml,line={line}," in output


def test_workflow_mcp_config_from_secrets_and_other_workflows_stay_quiet(
    tmp_path: Path, gh: FakeGitHub
) -> None:
    config = {
        "mcpServers": {
            "gh": {
                "command": "npx",
                "args": ["-y", "@modelcontextprotocol/server-github"],
                "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${{ secrets.GITHUB_TOKEN }}"},
            }
        }
    }
    ci = "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
    _passed(
        _pr(
            tmp_path,
            gh,
            [
                {
                    ".github/workflows/claude.yml": _workflow(config),
                    ".github/workflows/from-secret.yml": _workflow(None, "${{ secrets.MCP_CONFIG }}"),
                    ".github/workflows/ci.yml": ci,
                }
            ],
        )
    )


def test_random_token_that_happens_to_avoid_0_o_i_l_is_still_a_secret(tmp_path: Path, gh: FakeGitHub) -> None:
    # About one random 32-character token in eight has no 0, O, I or l: the base58 alphabet. Only a
    # public key's or address's form (43-44 characters, `1…`/`3…` addresses, `Qm…` CIDs) is left out.
    secret = "A" + fake_token("", 31, 5631, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
    _blocked(
        _pr(
            tmp_path,
            gh,
            [
                {
                    ".gemini/settings.json": json.dumps(
                        {
                            "mcpServers": {
                                "acme": {"httpUrl": f"https://mcp.acme-tools.io/mcp?session={secret}"}
                            }
                        }
                    )
                }
            ],
        ),
        secret,
    )


def test_cli_problem_lines_show_a_token_path_redacted(tmp_path: Path) -> None:
    # The CLI printed skipped files and warnings to stderr without the output boundary.
    secret = pat(5203)
    repo = Repo(tmp_path / "ws")
    link = repo.path / secret / ".cursor" / "mcp.json"
    link.parent.mkdir(parents=True)
    link.symlink_to("/etc/hostname")
    git(repo.path, "add", "--", f"{secret}/.cursor/mcp.json")
    git(repo.path, "commit", "-q", "-m", "link")
    proc = _cli(repo.path, "--no-gitleaks")
    assert proc.returncode in (1, 2), proc.stdout + proc.stderr
    assert secret[:4] + "…" + secret[-4:] in proc.stderr
    no_piece(proc.stdout + proc.stderr, secret)


# --- 8. compose files a compose file includes or extends from ---------------------------------------

MCP_SERVICE = "services:\n  github:\n    image: ghcr.io/github/github-mcp-server\n    environment:\n"


@pytest.mark.parametrize("how", ["include", "include path", "extends"])
def test_compose_file_included_or_extended_is_scanned(tmp_path: Path, gh: FakeGitHub, how: str) -> None:
    # `include:` / `extends: {file:}` pull services from files whose names say nothing: not read.
    secret = pat(5801)
    other = MCP_SERVICE + f"      GITHUB_PERSONAL_ACCESS_TOKEN: {secret}\n"
    if how == "include":
        main = "include:\n  - ops/tools.yml\nservices:\n  web:\n    image: nginx\n"
    elif how == "include path":
        main = "include:\n  - path: ./ops/tools.yml\n    project_directory: ops\n"
    else:
        main = "services:\n  github:\n    extends:\n      file: ops/tools.yml\n      service: github\n"
    _blocked(_pr(tmp_path, gh, [{"compose.yaml": main, "ops/tools.yml": other}]), secret)


def test_included_compose_file_changed_alone_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = pat(5802)
    base = {
        "compose.yaml": "include:\n  - ops/tools.yml\n",
        "ops/tools.yml": MCP_SERVICE + "      GITHUB_PERSONAL_ACCESS_TOKEN: ${GITHUB_PAT}\n",
    }
    change = {"ops/tools.yml": MCP_SERVICE + f"      GITHUB_PERSONAL_ACCESS_TOKEN: {secret}\n"}
    _blocked(_pr(tmp_path, gh, [change], base=base), secret)


def test_included_compose_files_without_mcp_services_stay_quiet(tmp_path: Path, gh: FakeGitHub) -> None:
    db = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PW}\n"
    _passed(
        _pr(
            tmp_path,
            gh,
            [
                {
                    "compose.yaml": "include:\n  - db/compose.db.yml\n  - ../outside.yml\n",
                    "db/compose.db.yml": db,
                }
            ],
        )
    )


def test_workflow_mcp_config_naming_a_file_reads_that_file(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(5702)
    servers = {"mcpServers": {"acme": {"command": "npx", "env": {"ACME_API_KEY": secret}}}}
    _blocked(
        _pr(
            tmp_path,
            gh,
            [
                {
                    ".github/workflows/claude.yml": _workflow(None, "ci/claude/tools.json"),
                    "ci/claude/tools.json": json.dumps(servers),
                }
            ],
        ),
        secret,
    )


def test_file_a_workflow_mcp_config_names_changed_alone_is_scanned(tmp_path: Path, gh: FakeGitHub) -> None:
    secret = _opaque(5703)
    safe = {"mcpServers": {"acme": {"command": "npx", "env": {"ACME_API_KEY": "${ACME_API_KEY}"}}}}
    servers = {"mcpServers": {"acme": {"command": "npx", "env": {"ACME_API_KEY": secret}}}}
    base = {
        ".github/workflows/claude.yml": _workflow(None, "ci/claude/tools.json"),
        "ci/claude/tools.json": json.dumps(safe),
    }
    _blocked(_pr(tmp_path, gh, [{"ci/claude/tools.json": json.dumps(servers)}], base=base), secret)
