"""Precision/recall on the labeled secret matrix: mcp-guard (built-in + gitleaks, merged) versus
gitleaks alone (default rules), each case a file in one temp tree.

Usage: .venv/bin/python bench/secret_matrix.py [--gitleaks PATH]
Prints counts and case ids only, never a value.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scanner.engines.builtin import BuiltinEngine  # noqa: E402
from scanner.engines.gitleaks import GitleaksEngine, find_gitleaks  # noqa: E402
from scanner.engines.merge import merge  # noqa: E402
from tests.engines.helpers import parse_files  # noqa: E402
from tests.matrix.secret_cases import Case, all_cases  # noqa: E402
from tests.matrix.secret_score import Score, score  # noqa: E402

PREFIX = "cases"


def _rel(case: Case) -> str:
    return f"{PREFIX}/{case.id}/{case.path}"


def _case_of(rel: str) -> str:
    parts = rel.removeprefix("./").split("/")
    return parts[1] if len(parts) > 2 and parts[0] == PREFIX else ""


def run_mcp_guard(cases: list[Case], binary: str | None) -> Score:
    """Built-in engine + our gitleaks run over all cases at once, merged as the pipeline does."""
    configs, sources = parse_files({_rel(c): c.text for c in cases})
    builtin = BuiltinEngine().detect(configs, sources)
    extra = GitleaksEngine(binary, 120).detect(configs, sources) if binary else []
    found: dict[str, list[str]] = {}
    for match in merge(builtin, extra):
        found.setdefault(_case_of(match.config.path), []).append(match.value)
    return score(cases, found)


def run_gitleaks_alone(cases: list[Case], binary: str) -> Score:
    """Plain `gitleaks dir` with its default config over a tree holding every case file."""
    tmp = Path(tempfile.mkdtemp(prefix="mcpg-bench-"))
    try:
        root = tmp / "tree"
        for case in cases:
            target = root / _rel(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(case.text, encoding="utf-8")
        report = tmp / "report.json"
        proc = subprocess.run([binary, "dir", ".", "-f", "json", "-r", str(report), "--exit-code", "2",
                               "--no-banner", "--no-color", "-l", "error"], cwd=root,
                              env={"PATH": os.defpath, "HOME": str(tmp)}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=300, check=False)
        if proc.returncode not in (0, 2):
            raise SystemExit(f"gitleaks exited with status {proc.returncode}")
        found: dict[str, list[str]] = {}
        for item in json.loads(report.read_text(encoding="utf-8")):
            found.setdefault(_case_of(str(item.get("File", ""))), []).append(str(item.get("Secret", "")))
        return score(cases, found)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _line(label: str, result: Score) -> str:
    return (f"{label:<28} precision {result.precision:.3f}  recall {result.recall:.3f}  "
            f"(tp {result.tp}, fp {result.fp}, fn {result.fn})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gitleaks", default=None, help="gitleaks binary (default: lookup as the CLI does)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list missed / false-hit case ids")
    args = parser.parse_args()
    binary = find_gitleaks(args.gitleaks, os.environ)
    cases = all_cases()
    positives = sum(1 for c in cases if c.expect)
    print(f"matrix: {len(cases)} cases ({positives} positive, {len(cases) - positives} negative)")
    builtin_only = run_mcp_guard(cases, None)
    print(_line("mcp-guard built-in only", builtin_only))
    if binary is None:
        print("gitleaks not found: skipping the comparison")
        return 0
    combined = run_mcp_guard(cases, binary)
    alone = run_gitleaks_alone(cases, binary)
    print(_line("mcp-guard (built-in+gitleaks)", combined))
    print(_line("gitleaks alone (default)", alone))
    if args.verbose:
        for label, result in (("mcp-guard", combined), ("gitleaks", alone)):
            print(f"{label} missed: {', '.join(result.misses) or '-'}")
            print(f"{label} false hits: {', '.join(result.false_hits) or '-'}")
    beats = combined.recall > alone.recall
    print("mcp-guard recall beats gitleaks alone:", "yes" if beats else "NO")
    return 0 if beats else 1


if __name__ == "__main__":
    raise SystemExit(main())
