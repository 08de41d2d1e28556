"""Red-team regressions (wave 16): what a pull request's author controls of the GATE itself: the
severity a database password gets from the host it names, policy / baseline / ignore files the PR
adds, the per-file budget of findings, renames from base, binary-looking content. Each drives the
Action against the contract-checked fake GitHub; every secret is built at run time.

| # | attempt (the PR's file) | before | fix |
|---|---|---|---|
| 1 | `postgresql://u:<pw>@db01.corp.local/…` (an AD domain, mDNS host): low | success | a |
| 2 | `PGHOST=localhost` + `PGHOSTADDR=203.0.113.10` + `PGPASSWORD`: low | success | b |
| 3 | `postgresql://u:<pw>@localhost/db?host=prod…` / `?hostaddr=…` (libpq overrides): low | success | c |
| 4 | `mysql -h localhost -h db01… -p<pw>`, `redis-cli -h localhost -h … -a <pw>`: low | success | d |
| 5 | `mysql --host=127.0.0.1 --host=db01…`, `mongosh --host localhost,db01…`: low | success | d |
| 6 | `PGHOST=localhost`, `PGPASSWORD`, `postgresql://u@db01…/db` in args / env / dotenv | success | e |
| 7 | `sh -c "ssh -L … / kubectl port-forward / cloud-sql-proxy … && … @localhost…"`: low | success | f |
| 8 | `postgresql://u:<random pw>@server|cluster|host|db-host|your-db…/db`: no finding | success | g |
| 9 | `MYSQL_HOST=localhost`, a password, `--host db01…` / `--mysql-host=` / `DATABASE_HOST=` | success | e |
| 10 | `.env.mcp` with `MYSQL_HOST=localhost`; its VS Code server sets `env` host db01 | success | h |
| - | `localhost,prod-db.example.com` multi-host authority | blocked | - |
| - | 1,001 low decoys before the token (MCPG106); token appended to a base file of decoys | blocked | - |
| - | a config just over the 5 MiB size limit | error | - |
| - | PR-added `.mcp-guard.yml` in a subfolder; PR-added baseline holding the new fingerprint | blocked | - |
| - | a secret `git mv`-ed from a non-client path of base into `.cursor/mcp.json` | blocked | - |
| - | `.vscode/mcp.json` with NUL bytes in a leading comment | error | - |

Left open: a short password (3-8 characters) under a password name stays low by design; a default
password (`postgres`, user = password) at a single-label host is a demo stack's; a tunnel started
outside the server's own command line (a separate terminal, another server entry) is not seen.

Fixes: (a) `hosts.py`: `.local` is no loopback suffix (RFC 6761 reserves `.localhost` only); it is an
internal host suffix; (b) `hosts.py`: `HOSTADDR` is a host tail of its own (`PGHOSTADDR`'s stem is
`PG`, as `PGPASSWORD`'s); (c) `engines/uri.py`: a URI password is loopback only when the `host` /
`hostaddr` query parameters name loopback hosts (or a Unix socket folder) too; (d) `engines/analyze.py`:
a database client's command line is on loopback only when every host flag (the last wins) and every
host of a list is; (e) `engines/builtin.py` + `hosts.py`: a password setting with loopback host settings
stays high when a database URL, another host setting or a `--…host` flag of the same server (or
dotenv file) reaches another host (libpq sends PGPASSWORD to the URL's host; PGHOST is only its
default); (f) `engines/builtin.py` + `hosts.py`: a
loopback password of a server whose command line starts a tunnel (ssh -L, port-forward, SQL proxies,
SSM / IAP / Bastion tunnels, socat, sshuttle) is as severe as for the machine it leads to; (g)
`engines/uri.py` + `engines/filters.py`: a placeholder-like host drops a URI password only when the
password is no random one (`random_password`: 12+ characters, entropy > 3.5, a random run); (h)
`engines/dotenv_hosts.py` + `pipeline.py`: a loopback-low dotenv password whose loading server names
another host (its `env` wins over `envFile`), a database URL or a tunnel is raised again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakes import fake_token
from tests.gh.action_helpers import Files, Repo, git, pat
from tests.gh.action_helpers import assert_blocked as _blocked
from tests.gh.action_helpers import assert_passed as _passed
from tests.gh.action_helpers import github_servers as _servers
from tests.gh.action_helpers import open_pr as _pr
from tests.gh.github_contract import FakeGitHub

GH = pat(16001)
PW = fake_token("", 20, seed=16002)  # a strong database password


def _postgres(env: dict[str, str], args: list[str] | None = None) -> str:
    server = {"command": "npx", "args": args or ["-y", "@modelcontextprotocol/server-postgres"], "env": env}
    return json.dumps({"mcpServers": {"orders": server}}, indent=2) + "\n"


# --- 1. a password downgraded to low by a host that is not the developer's machine -----------------

@pytest.mark.parametrize("host", ["db01.corp.local", "orders-prod.local", "nas.local"])
def test_database_url_on_a_dot_local_network_host_blocks(tmp_path: Path, gh: FakeGitHub, host: str) -> None:
    url = f"postgresql://orders:{PW}@{host}:5432/orders"
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": _postgres({"DATABASE_URL": url})}]), PW)


def test_libpq_hostaddr_beside_a_loopback_host_blocks(tmp_path: Path, gh: FakeGitHub) -> None:
    env = {"PGHOST": "localhost", "PGHOSTADDR": "203.0.113.10", "PGUSER": "orders", "PGPASSWORD": PW}
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": _postgres(env)}]), PW)


@pytest.mark.parametrize("query", ["host=prod-db.example.com", "hostaddr=203.0.113.10",
                                   "host=localhost&hostaddr=203.0.113.10"])
def test_database_url_whose_query_names_another_host_blocks(tmp_path: Path, gh: FakeGitHub,
                                                            query: str) -> None:
    url = f"postgresql://orders:{PW}@localhost:5432/orders?{query}"
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": _postgres({"DATABASE_URL": url})}]), PW)


def test_database_url_with_a_second_remote_host_blocks(tmp_path: Path, gh: FakeGitHub) -> None:
    url = f"postgresql://orders:{PW}@localhost:5432,prod-db.example.com:5432/orders"
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": _postgres({"DATABASE_URL": url})}]), PW)


# --- 2. files the PR adds to steer the gate ---------------------------------------------------------

@pytest.mark.parametrize("path", ["apps/web/.mcp-guard.yml", ".cursor/.mcp-guard.yml",
                                  ".github/.mcp-guard.yml"])
def test_policy_in_a_subfolder_added_by_the_pr_hides_nothing(tmp_path: Path, gh: FakeGitHub,
                                                             path: str) -> None:
    policy = ("fail-on: critical\nignore-paths:\n  - path: '**'\n    reason: x\n"
              "disable-rules:\n  - rule: MCPG101\n    reason: x\n")
    cfg = path.rsplit("/", 1)[0] + "/.cursor/mcp.json" if path.startswith("apps") else ".cursor/mcp.json"
    files: Files = {path: policy, cfg: _servers(env={"GITHUB_PERSONAL_ACCESS_TOKEN": GH})}
    _blocked(_pr(tmp_path, gh, [files]), GH)


def test_baseline_added_by_the_pr_with_the_new_secrets_fingerprint_hides_nothing(tmp_path: Path,
                                                                                 gh: FakeGitHub) -> None:
    from click.testing import CliRunner

    from scanner.cli import main
    tree = tmp_path / "probe"
    (tree / ".cursor").mkdir(parents=True)
    config = _servers(env={"GITHUB_PERSONAL_ACCESS_TOKEN": GH})
    (tree / ".cursor/mcp.json").write_text(config, encoding="utf-8")
    out = CliRunner().invoke(main, ["baseline", str(tree), "--no-gitleaks", "-o", str(tmp_path / "b.json")])
    assert out.exit_code == 0, out.output
    baseline = (tmp_path / "b.json").read_text(encoding="utf-8")
    files: Files = {".mcp-guard-baseline.json": baseline,
                    ".cursor/mcp.json": _servers(env={"GITHUB_PERSONAL_ACCESS_TOKEN": GH})}
    _blocked(_pr(tmp_path, gh, [files]), GH)


# --- 3. renames from base and binary-looking content ------------------------------------------------

def test_secret_moved_from_a_non_client_path_of_base_into_a_client_path_blocks(tmp_path: Path,
                                                                               gh: FakeGitHub) -> None:
    text = _servers(env={"GITHUB_PERSONAL_ACCESS_TOKEN": GH})

    def move(repo: Repo) -> None:
        (repo.path / ".cursor").mkdir(exist_ok=True)
        git(repo.path, "mv", "notes/github.json.txt", ".cursor/mcp.json")
        git(repo.path, "commit", "-q", "-m", "move")

    _blocked(_pr(tmp_path, gh, [move], base={"README.md": "hi\n", "notes/github.json.txt": text}), GH)


@pytest.mark.parametrize("prefix", ["// \x00\n", "/* \x00\x00\x00 */\n"])
def test_jsonc_config_with_a_nul_in_a_comment_is_never_a_pass(tmp_path: Path, gh: FakeGitHub,
                                                               prefix: str) -> None:
    body = json.dumps({"servers": {"github": {"command": "npx",
                                              "args": ["-y", "@modelcontextprotocol/server-github"],
                                              "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": GH}}}}, indent=2)
    code, posted, output = _pr(tmp_path, gh, [{".vscode/mcp.json": prefix + body + "\n"}])
    assert code != 0 and posted != ["success"], output[-2000:]


@pytest.mark.parametrize("url", [
    "postgresql://orders:{pw}@localhost:5432/orders",
    "postgresql://orders:{pw}@db.localhost:5432/orders",
    "postgresql://orders:{pw}@localhost/orders?host=/var/run/postgresql",
    "postgresql://orders:{pw}@localhost/orders?host=127.0.0.1&hostaddr=%3A%3A1",
    "postgresql://orders:{pw}@127.0.0.1/orders?sslmode=disable&application_name=hostaddr",
])
def test_database_url_on_the_developers_machine_stays_low(tmp_path: Path, gh: FakeGitHub, url: str) -> None:
    config = _postgres({"DATABASE_URL": url.format(pw=PW)})
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": config}]))


def test_libpq_settings_all_on_loopback_stay_low(tmp_path: Path, gh: FakeGitHub) -> None:
    env = {"PGHOST": "localhost", "PGHOSTADDR": "127.0.0.1", "PGUSER": "orders", "PGPASSWORD": PW}
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": _postgres(env)}]))


def test_database_url_on_a_dot_local_host_reading_its_password_passes(tmp_path: Path, gh: FakeGitHub) -> None:
    url = "postgresql://orders:${env:PGPASSWORD}@db01.corp.local:5432/orders"
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": _postgres({"DATABASE_URL": url})}]))


# --- 4. a database client's command line naming loopback first and another host after -----------

_MYSQL_PW = "-p" + PW


def _shell(argv: list[str]) -> str:
    server = {"command": "uvx", "args": ["mcp-shell", "--", *argv]}
    return json.dumps({"mcpServers": {"db": server}}, indent=2) + "\n"


@pytest.mark.parametrize("argv", [
    ["mysql", "-h", "localhost", "-h", "db01.example.com", "-u", "orders", _MYSQL_PW],  # the last -h wins
    ["mysql", "--host=127.0.0.1", "--host=db01.example.com", "-u", "orders", _MYSQL_PW],
    ["mongosh", "--host", "localhost,db01.example.com", "-u", "orders", "-p", PW],  # a host list
    ["redis-cli", "-h", "localhost", "-h", "cache01.example.com", "-a", PW],
])
def test_database_client_reaching_another_host_after_loopback_blocks(tmp_path: Path, gh: FakeGitHub,
                                                                     argv: list[str]) -> None:
    config = _shell(argv)
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": config}]), PW)


@pytest.mark.parametrize("argv", [
    ["mysql", "-h", "localhost", "-h", "127.0.0.1", "-u", "orders", _MYSQL_PW],
    ["mongosh", "--host", "localhost,127.0.0.1", "-u", "orders", "-p", PW],
])
def test_database_client_on_loopback_hosts_only_stays_low(tmp_path: Path, gh: FakeGitHub,
                                                          argv: list[str]) -> None:
    config = _shell(argv)
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": config}]))


# --- 5. a loopback PGHOST beside a connection string that reaches another host -----------------

@pytest.mark.parametrize("where", ["args", "env"])
def test_password_setting_beside_a_remote_connection_string_blocks(tmp_path: Path, gh: FakeGitHub,
                                                                   where: str) -> None:
    url = "postgresql://orders@db01.example.com:5432/orders"  # libpq takes PGPASSWORD for it
    env = {"PGHOST": "localhost", "PGPASSWORD": PW}
    args = ["-y", "@modelcontextprotocol/server-postgres"]
    if where == "args":
        args.append(url)
    else:
        env["DATABASE_URL"] = url
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": _postgres(env, args)}]), PW)


def test_dotenv_password_beside_a_remote_connection_string_blocks(tmp_path: Path,
                                                                  gh: FakeGitHub) -> None:
    dotenv = f"PGHOST=localhost\nPGPASSWORD={PW}\nDATABASE_URL=postgresql://orders@db01.example.com/orders\n"
    config = _postgres({"DATABASE_URL": "${env:DATABASE_URL}"})
    config = config.replace('"env"', '"envFile": ".env.mcp", "env"')
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": config, ".env.mcp": dotenv}]), PW)


def test_password_setting_beside_a_loopback_connection_string_stays_low(tmp_path: Path,
                                                                         gh: FakeGitHub) -> None:
    args = ["-y", "@modelcontextprotocol/server-postgres", "postgresql://orders@localhost:5432/orders"]
    config = _postgres({"PGHOST": "localhost", "PGPASSWORD": PW}, args)
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": config}]))


# --- 6. the per-file budget of findings, the size limit ------------------------------------------

def _decoys(count: int, last: dict[str, str]) -> str:
    servers = {f"s{i}": {"command": "npx", "args": ["x"], "env": {"DB_PASSWORD": f"pw{i:05d}"}}
               for i in range(count)}
    servers["github"] = {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": last}
    return json.dumps({"mcpServers": servers}, indent=1) + "\n"


def test_secret_behind_a_thousand_low_decoys_blocks(tmp_path: Path, gh: FakeGitHub) -> None:
    """1,001 short passwords (low, not blocking) fill the budget; the real token after them is not
    analysed in detail, and MCPG106 (critical) stands for it."""
    files: Files = {".cursor/mcp.json": _decoys(1001, {"GITHUB_PERSONAL_ACCESS_TOKEN": GH})}
    code, posted, output = _pr(tmp_path, gh, [files])
    assert (code, posted) == (1, ["failure"]) and "MCPG106" in output, output[-1500:]


def test_secret_appended_to_a_base_file_of_decoys_blocks(tmp_path: Path, gh: FakeGitHub) -> None:
    base: Files = {"README.md": "hi\n",
                   ".cursor/mcp.json": _decoys(1001, {"GITHUB_PERSONAL_ACCESS_TOKEN": "${env:GH}"})}
    head: Files = {".cursor/mcp.json": _decoys(1001, {"GITHUB_PERSONAL_ACCESS_TOKEN": GH})}
    _blocked(_pr(tmp_path, gh, [head], base=base), GH)


def test_config_just_over_the_size_limit_is_never_a_pass(tmp_path: Path, gh: FakeGitHub) -> None:
    config = _servers(env={"GITHUB_PERSONAL_ACCESS_TOKEN": GH}, description="x" * (5 * 1024 * 1024))
    code, posted, output = _pr(tmp_path, gh, [{".cursor/mcp.json": config}])
    assert code != 0 and posted != ["success"], output[-1500:]


# --- 7. loopback that is a tunnel to another machine ---------------------------------------------

_TUNNELS = {
    "ssh -L": "ssh -fN -L 5432:db01.example.com:5432 ops@bastion.example.com",
    "kubectl port-forward": "kubectl port-forward -n data svc/orders-db 5432:5432 &",
    "cloud-sql-proxy": "cloud-sql-proxy --port 5432 acme:europe-west1:orders &",
    "aws ssm": ("aws ssm start-session --target i-0abc "
                "--document-name AWS-StartPortForwardingSessionToRemoteHost "
                "--parameters host=db01.example.com,portNumber=5432,localPortNumber=5432 &"),
}


@pytest.mark.parametrize("tunnel", sorted(_TUNNELS))
def test_loopback_database_reached_through_a_tunnel_blocks(tmp_path: Path, gh: FakeGitHub,
                                                          tunnel: str) -> None:
    script = (f"{_TUNNELS[tunnel]} && sleep 2 && exec npx -y @modelcontextprotocol/server-postgres "
              f"postgresql://orders:{PW}@localhost:5432/orders")
    config = json.dumps({"mcpServers": {"orders": {"command": "sh", "args": ["-c", script]}}}, indent=2)
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": config + "\n"}]), PW)


@pytest.mark.parametrize("before", ["", "ssh-add -l; ", "kubectl config use-context kind-dev && ",
                                    "ssh -V; ls -L . && "])
def test_loopback_database_beside_a_tunnel_word_in_prose_stays_low(tmp_path: Path, gh: FakeGitHub,
                                                                   before: str) -> None:
    script = (f"{before}exec npx -y @modelcontextprotocol/server-postgres "
              f"postgresql://orders:{PW}@localhost:5432/orders")
    server = {"command": "sh", "args": ["-c", script],
              "description": "local db; no ssh tunnel or port-forward"}
    config = json.dumps({"mcpServers": {"orders": server}}, indent=2)
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": config + "\n"}]))


# --- 8. a random password behind a host that reads like a docs placeholder -----------------------

@pytest.mark.parametrize("host", ["server", "cluster", "db-host", "host", "your-db.acme.io"])
def test_random_password_at_a_placeholder_like_host_blocks(tmp_path: Path, gh: FakeGitHub, host: str) -> None:
    """A single-label host resolves through the DNS search domain (or a compose / cluster service of
    that name); a random password is a real one whatever the host reads like."""
    args = ["-y", "@modelcontextprotocol/server-postgres", f"postgresql://orders:{PW}@{host}:5432/orders"]
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": _postgres({}, args)}]), PW)


@pytest.mark.parametrize("password", ["s3cr3tP4ssw0rd", "mysecretpassword", "YOUR_PASSWORD", "changeme123",
                                      "P@ssw0rd!"])
def test_docs_password_at_a_placeholder_host_passes(tmp_path: Path, gh: FakeGitHub, password: str) -> None:
    args = ["-y", "@modelcontextprotocol/server-postgres", f"postgresql://orders:{password}@host:5432/orders"]
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": _postgres({}, args)}]))


@pytest.mark.parametrize(("env", "args"), [
    ({"MYSQL_HOST": "localhost", "MYSQL_PASSWORD": PW}, ["--host", "db01.example.com"]),
    ({"MYSQL_HOST": "localhost", "MYSQL_PASSWORD": PW}, ["--mysql-host=db01.example.com"]),
    ({"PGHOST": "localhost", "PGPASSWORD": PW, "DATABASE_HOST": "db01.example.com"}, []),
])
def test_password_setting_beside_another_remote_host_setting_blocks(tmp_path: Path, gh: FakeGitHub,
                                                                     env: dict[str, str],
                                                                     args: list[str]) -> None:
    config = _postgres(env, ["-y", "@acme/mcp-db", *args])
    _blocked(_pr(tmp_path, gh, [{".cursor/mcp.json": config}]), PW)


def test_password_setting_beside_loopback_host_settings_only_stays_low(tmp_path: Path,
                                                                       gh: FakeGitHub) -> None:
    env = {"MYSQL_HOST": "localhost", "MYSQL_PASSWORD": PW, "REDIS_HOST": "127.0.0.1"}
    config = _postgres(env, ["-y", "@acme/mcp-db", "--host", "localhost", "--port", "3306"])
    _passed(_pr(tmp_path, gh, [{".cursor/mcp.json": config}]))


def test_dotenv_password_whose_loading_server_sets_another_host_blocks(tmp_path: Path,
                                                                       gh: FakeGitHub) -> None:
    """VS Code: `env` wins over `envFile`; the dotenv's own loopback host is not the one used."""
    server = {"type": "stdio", "command": "npx", "args": ["-y", "@acme/mcp-mysql"],
              "envFile": "${workspaceFolder}/.env.mcp", "env": {"MYSQL_HOST": "db01.example.com"}}
    files: Files = {".vscode/mcp.json": json.dumps({"servers": {"db": server}}, indent=2) + "\n",
                    ".env.mcp": f"MYSQL_HOST=localhost\nMYSQL_PASSWORD={PW}\n"}
    _blocked(_pr(tmp_path, gh, [files]), PW)


def test_dotenv_password_whose_loading_server_stays_on_loopback_stays_low(tmp_path: Path,
                                                                          gh: FakeGitHub) -> None:
    server = {"type": "stdio", "command": "npx", "args": ["-y", "@acme/mcp-mysql", "--port", "3306"],
              "envFile": "${workspaceFolder}/.env.mcp", "env": {"MYSQL_HOST": "127.0.0.1", "LOG": "debug"}}
    files: Files = {".vscode/mcp.json": json.dumps({"servers": {"db": server}}, indent=2) + "\n",
                    ".env.mcp": f"MYSQL_HOST=localhost\nMYSQL_PASSWORD={PW}\n"}
    code, posted, output = _pr(tmp_path, gh, [files])
    assert "MCPG104" in output and "its host is loopback" in output, output[-1500:]
