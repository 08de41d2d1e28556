"""The reusable org-inventory workflow: shape, pins, least privilege, linters, and its shell steps
run for real against a checkout so the artifact layout matches what `org report` reads."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from scanner.cli import main
from tests.org.orgfarm import build_repo

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "org-inventory.yml"
BIN = Path(sys.executable).parent


def _workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _tool(name: str) -> str | None:
    local = BIN / name
    return str(local) if local.is_file() else shutil.which(name)


def test_scan_jobs_are_identical_but_for_their_chunk() -> None:
    jobs = _workflow()["jobs"]
    reference = json.dumps(jobs["scan-1"])
    for n in (2, 3, 4):
        expected = reference.replace("chunk-1", f"chunk-{n}").replace("count) > 0",
                                                                      f"count) > {(n - 1) * 256}")
        assert json.dumps(jobs[f"scan-{n}"]) == expected
    assert jobs["report"]["needs"] == ["plan", "scan-1", "scan-2", "scan-3", "scan-4"]
    assert set(jobs["plan"]["outputs"]) == {"count", "chunk-1", "chunk-2", "chunk-3", "chunk-4"}


def test_triggers_pins_and_permissions() -> None:
    wf = _workflow()
    triggers = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads `on` as a boolean
    assert set(triggers) == {"workflow_call", "workflow_dispatch"}
    assert wf["permissions"] == {}
    for name, job in wf["jobs"].items():
        assert job["permissions"] == {}, name
        assert job.get("timeout-minutes"), name
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
                assert step["with"]["fetch-depth"] == 1
            assert "${{" not in step.get("run", ""), f"{name}: expression inside a run script"


def test_zizmor_offline_is_clean() -> None:
    zizmor = _tool("zizmor")
    if zizmor is None:
        pytest.skip("zizmor not installed (pip install zizmor)")
    proc = subprocess.run([zizmor, "--offline", "--persona=pedantic", str(WORKFLOW)], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_github_workflow_schema() -> None:
    checker = _tool("check-jsonschema")
    if checker is None:
        pytest.skip("check-jsonschema not installed (pip install check-jsonschema)")
    proc = subprocess.run([checker, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _step(job: str, name: str) -> dict[str, Any]:
    return next(s for s in _workflow()["jobs"][job]["steps"] if s.get("name") == name)


def _run_step(step: dict[str, Any], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120,
                          env={"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **env})


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq not installed (it is on GitHub's runners)")
def test_scan_steps_write_the_layout_the_report_reads(tmp_path: Path) -> None:
    secrets: list[str] = []
    for repo, checkout_outcome in (("acme/api.v2", "success"), ("acme/gone", "failure")):
        work = tmp_path / repo.split("/")[1]
        work.mkdir()
        if checkout_outcome == "success":
            secrets += build_repo(work / "target", 1)
        github_output = work / "out.txt"
        made = _run_step(_step("scan-1", "Result folder"), work,
                         {"REPO": repo, "GITHUB_OUTPUT": str(github_output)})
        assert made.returncode == 0, made.stderr
        folder = github_output.read_text().strip().removeprefix("dir=")
        ran = _run_step(_step("scan-1", "Inventory and scan"), work,
                        {"DIR": folder, "REPO": repo, "REF": "main", "CHECKOUT": checkout_outcome,
                         "MCP_GUARD_FINGERPRINT_KEY": "workflow-test-key-0123456789"})
        assert ran.returncode == 0, ran.stderr
        shutil.copytree(work / "results", tmp_path / "merged", dirs_exist_ok=True)  # download merge-multiple
    bad = _run_step(_step("scan-1", "Result folder"), tmp_path, {"REPO": "acme/../x",
                                                               "GITHUB_OUTPUT": str(tmp_path / "o")})
    assert bad.returncode != 0
    ran_ok = json.loads((tmp_path / "merged" / "acme__api.v2" / "status.json").read_text())
    assert (ran_ok["checkout"], ran_ok["inventory_exit"], ran_ok["scan_exit"]) == ("success", 0, 1)
    status = json.loads((tmp_path / "merged" / "acme__gone" / "status.json").read_text())
    assert status == {"repo": "acme/gone", "ref": "main", "checkout": "failure", "inventory_exit": None,
                      "scan_exit": None}
    result = CliRunner().invoke(main, ["org", "report", str(tmp_path / "merged"), "--format", "json"])
    assert result.exit_code == 2, result.output  # acme/gone was not read: the report is no pass
    doc = json.loads(result.stdout)
    assert doc["complete"] is False and doc["unread_repositories"] == ["acme/gone"]
    assert doc["repositories"] == ["acme/api.v2", "acme/gone"]
    assert doc["summary"]["servers"] > 0 and all(s["repo"] == "acme/api.v2" for s in doc["servers"])
    assert ("acme/gone", "clone-failed") in {(p["repo"], p["kind"]) for p in doc["problems"]}
    for value in secrets:
        assert value not in result.stdout


def test_report_job_writes_every_format_then_fails_when_a_repository_went_unread(tmp_path: Path) -> None:
    """Was: the report job was green whatever the problems (`org report` exited 0): a scheduled
    inventory with unread repositories passed in silence."""
    results = tmp_path / "results" / "acme__gone"
    results.mkdir(parents=True)
    (results / "status.json").write_text(json.dumps({"repo": "acme/gone", "checkout": "failure"}),
                                         encoding="utf-8")
    (tmp_path / "plan").mkdir()
    plan = [{"include": [{"repo": "acme/gone", "ref": ""}]}]
    (tmp_path / "plan" / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    output, summary = tmp_path / "out.txt", tmp_path / "summary.md"
    ran = _run_step(_step("report", "Organisation report"), tmp_path,
                    {"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)})
    assert ran.returncode == 0, ran.stderr  # the artifact upload and the summary still happen
    assert output.read_text().strip() == "exit=2"
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == [
        "org-inventory.csv", "org-inventory.html", "org-inventory.json", "org-inventory.md"]
    assert "**Incomplete**" in summary.read_text(encoding="utf-8")
    steps = _workflow()["jobs"]["report"]["steps"]
    upload = next(s for s in steps if "upload-artifact" in s.get("uses", ""))
    fail = _step("report", "Fail when the inventory is incomplete")
    assert upload.get("if") == "always()" and fail["if"] == "steps.report.outputs.exit != '0'"
    assert steps.index(fail) == len(steps) - 1
