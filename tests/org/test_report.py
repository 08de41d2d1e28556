"""`mcp-guard org report` over 40 per-repository results: reuse found, every server listed, no value
leaked."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scanner.cli import main
from tests.fakes import fake_token
from tests.org.orgfarm import Farm, build_farm, build_repo, run_repo

COUNT = 40
FORMATS = ("json", "markdown", "csv", "html")
DEV_REPO, PROD_REPO = 7, 23


def _planted() -> str:
    return fake_token("ghp_", 36, 777)


def _plants(value: str) -> dict[int, dict[str, str]]:
    dev = {"mcpServers": {"gh-helper": {"command": "npx",
                                         "args": ["-y", "@modelcontextprotocol/server-github"],
                                         "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": value}}}}
    prod = {"mcpServers": {"gh-deploy": {"type": "http", "url": "https://api.githubcopilot.com/mcp/",
                                          "headers": {"Authorization": f"Bearer {value}"}}}}
    return {DEV_REPO: {".gemini/settings.json": json.dumps(dev, indent=2)},
            PROD_REPO: {"deploy/production/mcp.json": json.dumps(prod, indent=2)}}


@pytest.fixture(scope="module")
def farm(tmp_path_factory: pytest.TempPathFactory) -> Farm:
    planted = _planted()
    return build_farm(tmp_path_factory.mktemp("org"), COUNT, "org-test-key-" + fake_token("", 24, 5),
                      _plants(planted), [planted])


def _report(directory: Path, fmt: str, *extra: str) -> Any:
    return CliRunner().invoke(main, ["org", "report", str(directory), "--format", fmt, *extra])


def _grams(text: str, size: int = 12) -> set[str]:
    return {text[i:i + size] for i in range(len(text) - size + 1)}


def assert_no_secret_piece(text: str, secrets: list[str]) -> None:
    """Neither a value nor any 12-character piece of one appears in the text."""
    grams = _grams(text)
    for value in secrets:
        assert len(value) >= 12
        assert not (_grams(value) & grams), "a 12+ character piece of a secret reached the report"


def test_reuse_found_every_server_listed_and_no_value_in_any_format(farm: Farm) -> None:
    outputs = {}
    for fmt in FORMATS:
        result = _report(farm.results, fmt)
        assert result.exit_code == 0, result.output
        outputs[fmt] = result.stdout
        assert_no_secret_piece(result.output, farm.secrets)  # stdout and stderr
    for artifact in farm.results.rglob("*.json"):  # the per-repository artifacts hold no value either
        assert_no_secret_piece(artifact.read_text(encoding="utf-8"), farm.secrets)
    doc = json.loads(outputs["json"])
    # The planted credential, and only it, is shared between repositories; it crosses production.
    reuse = doc["reused_credentials"]
    assert [r["repositories"] for r in reuse] == [["acme/service-07", "acme/service-23"]]
    assert reuse[0]["crosses_production"] is True
    uses = {(u["repo"], u["server"], u["environment"]) for u in reuse[0]["uses"]}
    assert uses == {("acme/service-07", "gh-helper", "dev"), ("acme/service-23", "gh-deploy", "prod")}
    assert doc["summary"]["reused_credentials"] == 1 and doc["summary"]["reused_across_production"] == 1
    # Every server of every repository, in JSON and CSV, and by name in Markdown and HTML.
    expected = {(repo, entry) for repo, entries in farm.servers.items() for entry in entries}
    assert len(expected) > COUNT * 4
    assert {(s["repo"], f"{s['file']}:{s['server']}") for s in doc["servers"]} == expected
    assert doc["summary"]["servers"] == len(expected) and doc["summary"]["repositories"] == COUNT
    rows = [r for r in csv.DictReader(io.StringIO(outputs["csv"])) if r["record"] == "server"]
    assert {(r["repo"], f"{r['file']}:{r['server']}") for r in rows} == expected
    for fmt in ("markdown", "html"):
        assert f"Every server ({len(expected)})" in outputs[fmt]
        for repo in farm.servers:
            assert repo in outputs[fmt]
    assert outputs["html"].count("<tr>") >= len(expected)
    assert "fingerprint" in outputs["markdown"].lower() and "hmac-sha256:" in outputs["csv"]
    # Production reach carries its evidence; findings are counted per repository.
    assert all(p["evidence"] for p in doc["production"])
    assert {f["repo"] for f in doc["findings"]} == set(farm.servers)
    assert doc["problems"] == [] and doc["complete"] is True and doc["unread_repositories"] == []
    assert "Incomplete" not in outputs["markdown"] and "Incomplete" not in outputs["html"]


def test_html_is_self_contained_with_the_four_charts(farm: Farm) -> None:
    html = _report(farm.results, "html").stdout
    assert html.count("<svg") == 4
    for title in ("Servers by client", "Servers by transport", "Credential modes", "Production reach"):
        assert title in html
    assert "<script" not in html and "http-equiv=\"Content-Security-Policy\"" in html
    for marker in ('src="', "href=", "url(", "@import"):
        assert marker not in html


def test_missing_corrupt_and_unplanned_artifacts_are_reported_not_fatal(farm: Farm, tmp_path: Path) -> None:
    results = tmp_path / "results"
    shutil.copytree(farm.results, results)
    (results / "acme__service-03" / "scan.json").unlink()  # only the inventory survived
    (results / "acme__service-04" / "inventory.json").write_text('{"servers": [', encoding="utf-8")
    (results / "acme__service-05" / "status.json").write_text(
        json.dumps({"repo": "acme/service-05", "checkout": "failure"}), encoding="utf-8")
    (results / "acme__service-05" / "inventory.json").unlink()
    (results / "acme__service-05" / "scan.json").unlink()
    plan = tmp_path / "plan.json"
    entries = [{"repo": r, "ref": "main"} for r in [*farm.servers, "acme/never-ran"]]
    plan.write_text(json.dumps([{"include": entries}]), encoding="utf-8")
    result = _report(results, "json", "--plan", str(plan))
    # Written, but never a pass: four repositories could not be read completely.
    assert result.exit_code == 2, result.output
    doc = json.loads(result.stdout)
    assert doc["complete"] is False and doc["summary"]["unread_repositories"] == 4
    assert doc["unread_repositories"] == ["acme/never-ran", "acme/service-03", "acme/service-04",
                                          "acme/service-05"]
    assert result.stderr.strip().splitlines()[-1] == (
        f"mcp-guard: error: the report is incomplete: 4 of {len(farm.servers) + 1} repositories could not "
        "be read completely (acme/never-ran, acme/service-03, acme/service-04, acme/service-05); "
        "see the problems")
    kinds = {(p["repo"], p["kind"]) for p in doc["problems"]}
    assert {("acme/service-03", "missing-scan"), ("acme/service-04", "corrupt-inventory"),
            ("acme/service-05", "clone-failed"), ("acme/never-ran", "not-in-artifacts")} <= kinds
    servers = {(s["repo"], f"{s['file']}:{s['server']}") for s in doc["servers"]}
    # A folder with only its inventory is used as far as it goes.
    assert {("acme/service-03", e) for e in farm.servers["acme/service-03"]} <= servers
    assert not any(s["repo"] == "acme/service-04" for s in doc["servers"])
    assert any(f["repo"] == "acme/service-04" for f in doc["findings"])  # its scan.json still counts
    assert "problem: acme/service-04: corrupt-inventory" in result.stderr
    for fmt in ("markdown", "html", "csv"):
        out = _report(results, fmt, "--plan", str(plan))
        assert out.exit_code == 2 and "acme/never-ran" in out.stdout and "corrupt-inventory" in out.stdout
        assert "the report is incomplete: 4 of" in out.stdout  # said in the report itself too
    markdown = _report(results, "markdown", "--plan", str(plan)).stdout
    assert "**Incomplete**: the report is incomplete" in markdown


def test_fingerprints_under_another_key_do_not_match_and_are_noted(farm: Farm, tmp_path: Path) -> None:
    results = tmp_path / "results"
    shutil.copytree(farm.results, results)
    checkout = tmp_path / "r23"
    planted = _planted()
    build_repo(checkout, 23, _plants(planted)[PROD_REPO])
    shutil.rmtree(results / "acme__service-23")
    run_repo(checkout, results / "acme__service-23", {"MCP_GUARD_FINGERPRINT_KEY": ""})  # per-run random key
    doc = json.loads(_report(results, "json").stdout)
    assert doc["reused_credentials"] == []
    assert any("different keys" in n for n in doc["notes"]) and any("random key" in n for n in doc["notes"])


def test_report_fails_only_when_it_cannot_be_built(tmp_path: Path) -> None:
    missing = _report(tmp_path / "nope", "json")
    assert missing.exit_code == 2 and "results directory not found" in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    ok = _report(empty, "markdown")
    assert ok.exit_code == 0 and "**0** repositories" in ok.stdout
    unwritable = _report(empty, "json", "-o", str(tmp_path / "no-such-dir" / "r.json"))
    assert unwritable.exit_code == 2 and "cannot write" in unwritable.stderr


def test_artifact_strings_cannot_inject_markup_or_formulas(tmp_path: Path) -> None:
    folder = tmp_path / "results" / "acme__evil"
    folder.mkdir(parents=True)
    server = {"file": "a|b.json", "line": 1, "client": "cursor", "server": "<img src=x onerror=alert(1)>",
              "transport": "stdio", "target": "=HYPERLINK(\"http://x\")", "env": [], "headers": [],
              "environment": "dev", "disabled": False}
    (folder / "inventory.json").write_text(json.dumps({"version": 1, "servers": [server]}), encoding="utf-8")
    html = _report(tmp_path / "results", "html").stdout
    assert "<img" not in html and "&lt;img" in html
    md = _report(tmp_path / "results", "markdown").stdout
    assert "<img" not in md and "a\\|b.json" in md
    rows = list(csv.reader(io.StringIO(_report(tmp_path / "results", "csv").stdout)))
    assert rows[1][7].startswith("'=")


def test_a_repository_with_thousands_of_configs(tmp_path: Path) -> None:
    folder = tmp_path / "results" / "acme__monorepo"
    folder.mkdir(parents=True)
    servers = [{"file": f"pkg{i}/.mcp.json", "line": 3, "client": "claude-code", "server": f"s{i}",
                "transport": "stdio", "target": "npx", "env": [{"name": "API_KEY", "mode": "reference"}],
                "headers": [], "environment": "dev", "disabled": False} for i in range(5000)]
    (folder / "inventory.json").write_text(json.dumps({"version": 1, "servers": servers}), encoding="utf-8")
    doc = json.loads(_report(tmp_path / "results", "json").stdout)
    assert doc["summary"]["servers"] == 5000
    md = _report(tmp_path / "results", "markdown").stdout
    assert "Every server (5000)" in md and "4000 more servers in the JSON, CSV and HTML reports" in md
    assert len(md.encode()) < 1_000_000  # fits the job summary
    rows = list(csv.DictReader(io.StringIO(_report(tmp_path / "results", "csv").stdout)))
    assert sum(r["record"] == "server" for r in rows) == 5000


def test_an_unparsed_file_searched_line_by_line_is_named_as_such_and_still_incomplete(
        farm: Farm, tmp_path: Path) -> None:
    """A config that did not parse was searched line by line (its secrets count) but its servers are not in
    the inventory: the repository is still not read completely, and the problem says what happened rather
    than calling the file skipped. A file that could not be searched at all stays "file-skipped"."""
    results = tmp_path / "results"
    shutil.copytree(farm.results, results)
    for name, fatal in (("acme__service-03", False), ("acme__service-04", True)):
        scan_path = results / name / "scan.json"
        scan = json.loads(scan_path.read_text(encoding="utf-8"))
        scan["errors"] = [{"file": ".roo/mcp.json", "kind": "parse", "fatal": fatal,
                           "message": "invalid JSON at 6:7: expected ',' or '}'"
                                      + (" (searched line by line)" if not fatal else "")}]
        scan_path.write_text(json.dumps(scan), encoding="utf-8")
    result = _report(results, "json")
    assert result.exit_code == 2, result.output
    doc = json.loads(result.stdout)
    kinds = {(p["repo"], p["kind"]) for p in doc["problems"]}
    assert ("acme/service-03", "file-unparsed") in kinds and ("acme/service-03", "file-skipped") not in kinds
    assert ("acme/service-04", "file-skipped") in kinds
    assert doc["unread_repositories"] == ["acme/service-03", "acme/service-04"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_api_token_never_reaches_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                fmt: str) -> None:
    """An artifact that carries the job's API token (a server named with it, in another case) gets it
    masked in every format: the report command registers GITHUB_TOKEN / GH_TOKEN at the boundary."""
    monkeypatch.setenv("MCP_GUARD_OUTPUT_CHECK", "redact")
    token = fake_token("ghs_", 36, seed=322)
    folder = tmp_path / "results" / "acme__leaky"
    folder.mkdir(parents=True)
    server = {"file": ".mcp.json", "line": 1, "client": "cursor", "server": "svc-" + token.lower(),
              "transport": "stdio", "target": token, "env": [], "headers": [],
              "environment": "dev", "disabled": False}
    (folder / "inventory.json").write_text(json.dumps({"version": 1, "servers": [server]}), encoding="utf-8")
    result = CliRunner().invoke(main, ["org", "report", str(tmp_path / "results"), "--format", fmt],
                                env={"GITHUB_TOKEN": token})
    assert result.stdout and "acme" in result.stdout
    assert_no_secret_piece(result.stdout.lower(), [token.lower()])
