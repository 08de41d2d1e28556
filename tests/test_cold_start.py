"""Cold start: `mcp-guard --version` and a plain scan stay off the heavy imports (not timed; the
figures are bench/run_bench.py's). Each check runs in a fresh interpreter: pytest's own process has
imported everything already."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click

from scanner.cli import FORMATS, main
from scanner.reporters import OutputFormat

# Third-party packages that only some commands need (GitHub API, templates, schema checks, tests).
HEAVY = ("github", "jinja2", "markupsafe", "jsonschema", "hypothesis", "requests", "urllib3",
         "cryptography", "jwt", "pytest", "responses", "cmarkgfm")

_PROBE = """
import atexit, json, sys
def dump():
    sys.stderr.write("MODULES=" + json.dumps(sorted(sys.modules)) + "\\n")
atexit.register(dump)
from scanner.cli import main
sys.argv = ["mcp-guard", *json.loads(sys.argv[1])]
main()
"""


def _modules_after(args: list[str], cwd: Path) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(args)], cwd=cwd, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL, check=False)
    line = next(line for line in proc.stderr.splitlines() if line.startswith("MODULES="))
    return set(json.loads(line.removeprefix("MODULES=")))


def _top(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_version_imports_click_and_the_cli_only(tmp_path: Path) -> None:
    modules = _modules_after(["--version"], tmp_path)
    assert "scanner.cli" in modules  # the probe ran the real entry point
    assert not _top(modules) & {*HEAVY, "yaml"}
    ours = {name for name in modules if name.startswith("scanner.")}
    assert ours <= {"scanner.cli", "scanner.exits"}, sorted(ours)


def test_plain_scan_does_not_import_github_templates_or_schemas(tmp_path: Path) -> None:
    (tmp_path / ".cursor").mkdir()
    (tmp_path / ".cursor" / "mcp.json").write_text(
        '{"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": "${env:GITHUB_TOKEN}"}}}}')
    for fmt in ("text", "json", "sarif"):
        out = tmp_path / f"report.{fmt}"
        modules = _modules_after(["scan", "--no-gitleaks", "--format", fmt, "-o", str(out), str(tmp_path)],
                                 tmp_path)
        assert "scanner.pipeline" in modules and out.is_file()  # the scan really ran
        assert not _top(modules) & set(HEAVY), (fmt, sorted(_top(modules) & set(HEAVY)))
        assert not any(name.startswith(("scanner.gh", "scanner.org", "scanner.markdown")) for name in modules)


def test_json_and_toml_scan_does_not_import_yaml(tmp_path: Path) -> None:
    # A repository whose configs are JSON and TOML (the bench tree's kind) never needs PyYAML: it is
    # imported when a YAML file is parsed or a policy file is read, not by the scan's own imports.
    (tmp_path / ".cursor").mkdir()
    (tmp_path / ".cursor" / "mcp.json").write_text(
        '{"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": "${env:GITHUB_TOKEN}"}}}}')
    (tmp_path / ".codex").mkdir()
    (tmp_path / ".codex" / "config.toml").write_text('[mcp_servers.gh]\ncommand = "npx"\n')
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "servers.json").write_text('{"servers": {"a": {"command": "node"}}}')
    (tmp_path / "notes.md").write_text("# notes\n")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    out = tmp_path / "report.json"
    modules = _modules_after(["scan", "--no-gitleaks", "--format", "json", "-o", str(out), str(tmp_path)],
                             tmp_path)
    report = json.loads(out.read_text())
    assert report["complete"] and report["scanned_files"] == [".codex/config.toml", ".cursor/mcp.json",
                                                              "data/servers.json"]  # it really scanned
    assert "yaml" not in _top(modules), sorted(name for name in modules if "yaml" in name)


def test_yaml_config_and_policy_still_load_yaml(tmp_path: Path) -> None:
    # The lazy import is taken when it is needed: a YAML config is parsed, a policy file is read.
    (tmp_path / ".mcp-guard.yml").write_text("version: 1\n")
    (tmp_path / "mcp.yaml").write_text("mcpServers:\n  gh:\n    command: npx\n")
    out = tmp_path / "report.json"
    modules = _modules_after(["scan", "--no-gitleaks", "--format", "json", "-o", str(out), str(tmp_path)],
                             tmp_path)
    assert "yaml" in _top(modules) and json.loads(out.read_text())["scanned_files"] == ["mcp.yaml"]


def test_format_choices_are_the_reporters_formats() -> None:
    assert FORMATS == tuple(fmt.value for fmt in OutputFormat)


def test_org_group_is_loaded_on_demand() -> None:
    ctx = click.Context(main)
    assert "org" in main.list_commands(ctx)
    org = main.get_command(ctx, "org")
    assert isinstance(org, click.Group) and {"plan", "report"} <= set(org.commands)
