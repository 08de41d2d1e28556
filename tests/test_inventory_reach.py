"""The inventory says what each server runs and reaches: the package or image its launcher starts,
the hosts its values name, the issuers of its literal credentials and its access mode, in JSON, the
text table and the organisation report; never a value. Secrets are built at run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.inventory import build_inventory, render_inventory
from scanner.pipeline import scan_files
from scanner.reach import _package
from scanner.result import ScanOptions, ScanResult
from tests.fakes import assert_no_secret, fake_token

PAT = fake_token("ghp_", 36, 71)
PASSWORD = fake_token("", 22, 72)


def _scan(servers: dict[str, object], path: str = ".cursor/mcp.json") -> ScanResult:
    data = {path: json.dumps({"mcpServers": servers}, indent=2).encode()}
    return scan_files(data, ScanOptions(root=Path("."), use_gitleaks=False))


@pytest.mark.parametrize(("line", "package"), [
    ("npx -y @modelcontextprotocol/server-github", "@modelcontextprotocol/server-github"),
    ("npx --yes --registry https://npm.acme.dev @acme/mcp@1.2.0", "@acme/mcp@1.2.0"),
    ("npx --package=@acme/tools acme-mcp --stdio", "@acme/tools"),
    ("npx -p @acme/tools acme-mcp", "@acme/tools"),
    ("bunx @upstash/context7-mcp", "@upstash/context7-mcp"),
    ("pnpm dlx @acme/mcp", "@acme/mcp"),
    ("uvx mcp-server-fetch", "mcp-server-fetch"),
    ("uvx --python 3.12 --from git+https://github.com/acme/mcp@v1 acme-mcp", "git+https://github.com/acme/mcp@v1"),
    ("uv tool run mcp-server-git --repository .", "mcp-server-git"),
    ("uv run --directory /srv/weather weather.py", "weather.py"),
    ("pipx run --spec acme-mcp==2.0 acme", "acme-mcp==2.0"),
    ("docker run -i --rm -e GITHUB_PERSONAL_ACCESS_TOKEN -v /data:/data ghcr.io/github/github-mcp-server",
     "ghcr.io/github/github-mcp-server"),
    ("docker run --env=REGION=eu --network host -i mcp/postgres:16", "mcp/postgres:16"),
    ("podman container run -i --rm docker.io/mcp/fetch", "docker.io/mcp/fetch"),
    ("python3 -m mcp_server_time --local-timezone UTC", "mcp_server_time"),
    ("node /opt/servers/acme/dist/index.js", "/opt/servers/acme/dist/index.js"),
    ("deno run -A --config deno.json jsr:@acme/mcp", "jsr:@acme/mcp"),
    ("cmd /c npx -y @acme/mcp", "@acme/mcp"),
    ("cmd /c docker run -i --rm -e ACME_KEY ghcr.io/acme/mcp", "ghcr.io/acme/mcp"),
    ("wsl -e npx -y @acme/mcp", "@acme/mcp"),
    ("C:\\Program Files\\nodejs\\npx.cmd -y @acme/mcp", ""),  # a path with a space: not split safely
    ("github-mcp-server stdio", ""),  # the program itself is the target
])
def test_package_a_launcher_starts(line: str, package: str) -> None:
    assert _package(line.split()) == package


def test_inventory_rows_say_what_runs_and_what_it_reaches() -> None:
    result = _scan({
        "db": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres",
                                          f"postgresql://app:{PASSWORD}@orders.db.acme-corp.com:5432/orders"]},
        "api": {"command": "uvx", "args": ["acme-mcp", "--read-only"],
                "env": {"ACME_BASE_URL": "https://api.acme-corp.com/v2", "ACME_AUTH": "https://${AUTH_HOST}/x",
                        "GITHUB_TOKEN": PAT}},
        "remote": {"url": "https://mcp.acme-corp.com/mcp", "headers": {"X-Backup": "https://mirror.acme-corp.com"}},
        "writer": {"command": "docker", "args": ["run", "-i", "--rm", "mcp/acme", "--allow-write"]},
    })
    rows = {row.server: row for row in build_inventory(result)}
    assert (rows["db"].package, rows["db"].reaches) == ("@modelcontextprotocol/server-postgres",
                                                         ("orders.db.acme-corp.com",))
    assert rows["db"].providers == ("postgresql",)
    assert (rows["api"].package, rows["api"].reaches, rows["api"].access) == (
        "acme-mcp", ("api.acme-corp.com",), "read-only")  # ${AUTH_HOST} names no host
    assert rows["api"].providers == ("github",)
    assert (rows["remote"].package, rows["remote"].reaches) == (
        "", ("mcp.acme-corp.com", "mirror.acme-corp.com"))
    assert (rows["writer"].package, rows["writer"].access) == ("mcp/acme", "write")

    doc = json.loads(render_inventory(build_inventory(result), "json"))
    by_name = {s["server"]: s for s in doc["servers"]}
    assert by_name["db"]["package"] == "@modelcontextprotocol/server-postgres"
    assert by_name["db"]["reaches"] == ["orders.db.acme-corp.com"] and by_name["api"]["access"] == "read-only"
    text = render_inventory(build_inventory(result), "text")
    assert "REACHES" in text.splitlines()[0] and "npx @modelcontextprotocol/server-postgres" in text
    assert_no_secret(json.dumps(doc) + text, PAT, PASSWORD)


def test_no_host_or_package_carries_a_credential() -> None:
    # A password as userinfo, a token in the query and as a flag: only the host name is listed.
    result = _scan({
        "userinfo": {"url": f"https://u:{PASSWORD}@mcp.acme-corp.com/mcp?api_key={PAT}"},
        "flag": {"command": "npx", "args": ["-y", "@acme/mcp", "--token", PAT],
                 "env": {"ACME_DSN": f"redis://:{PASSWORD}@cache.acme-corp.com:6379/0"}},
        "odd": {"command": "npx", "args": ["-y", "--token", PAT, "@acme/mcp"]},  # npx has no --token
    })
    rows = build_inventory(result)
    out = json.dumps(json.loads(render_inventory(rows, "json"))) + render_inventory(rows, "text")
    assert_no_secret(out, PASSWORD, PAT)
    by_name = {r.server: r for r in rows}
    assert by_name["userinfo"].reaches == ("mcp.acme-corp.com",)
    assert by_name["flag"].reaches == ("cache.acme-corp.com",) and by_name["flag"].package == "@acme/mcp"
    assert by_name["odd"].package == ""  # its first word is the token: no package rather than the value


def test_org_report_carries_package_reaches_and_access(tmp_path: Path) -> None:
    result = _scan({"db": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres",
                                                      "postgresql://app:${PGPASS}@db.prod.acme-corp.com/app",
                                                      "--read-only"]}})
    folder = tmp_path / "results" / "acme__svc"
    folder.mkdir(parents=True)
    inventory = render_inventory(build_inventory(result), "json")
    (folder / "inventory.json").write_text(inventory, encoding="utf-8")
    (tmp_path / "empty").mkdir()
    scan = CliRunner().invoke(main, ["scan", "--no-gitleaks", "--format", "json", str(tmp_path / "empty")])
    (folder / "scan.json").write_text(scan.output, encoding="utf-8")
    out = tmp_path / "report.json"
    CliRunner().invoke(main, ["org", "report", str(tmp_path / "results"), "--format", "json", "-o", str(out)])
    server = json.loads(out.read_text(encoding="utf-8"))["servers"][0]
    assert (server["package"], server["reaches"], server["access"]) == (
        "@modelcontextprotocol/server-postgres", ["db.prod.acme-corp.com"], "read-only")
    CliRunner().invoke(main, ["org", "report", str(tmp_path / "results"), "--format", "csv", "-o", str(out)])
    table = out.read_text(encoding="utf-8")
    header, first = table.splitlines()[:2]
    assert header.endswith("package,reaches,access") and first.endswith(
        "@modelcontextprotocol/server-postgres,db.prod.acme-corp.com,read-only")
