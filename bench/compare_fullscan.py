"""Full scan of the bench tree: this tree against an older revision, in the same minutes.

The revision is exported with `git archive` into a temporary directory; each round runs
`mcp-guard scan` of the generated tree (bench/run_bench.py, build/bench-repo) once per tree in a
fresh process, the order alternating, and reports per tree the median and range of the wall time
and of the CPU time (the process and its children: git, gitleaks). Modules are read from a
private bytecode cache per tree (one unmeasured warm-up run each), as an installed copy does.
Use it to compare a change on a shared machine, where absolute times drift within the hour.

    python bench/compare_fullscan.py --against 48baa60 [--rounds 7] [--no-gitleaks] [--dir build/bench-repo]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

_MEASURE = """
import json, resource, subprocess, sys, time
tree, argv = sys.argv[1], sys.argv[2:]
code = ('import sys; sys.path.insert(0, sys.argv.pop(1)); from scanner.cli import main; '
        'sys.argv[0] = "mcp-guard"; main()')
start = time.perf_counter()
proc = subprocess.run([sys.executable, '-c', code, tree, *argv], stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([wall, usage.ru_utime + usage.ru_stime, proc.returncode]))
"""


def _run(tree: Path, argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(tree), *argv], check=True, capture_output=True,
                         text=True, stdin=subprocess.DEVNULL, env=env).stdout
    wall, cpu, code = json.loads(out)
    return float(wall), float(cpu), int(code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="the older revision (any git rev)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=HERE.parent / "build" / "bench-repo")
    parser.add_argument("--no-gitleaks", action="store_true")
    args = parser.parse_args()
    if not args.dir.is_dir():
        raise SystemExit(f"{args.dir}: generate it first (python bench/run_bench.py)")
    archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", args.against], check=True,
                             capture_output=True, stdin=subprocess.DEVNULL).stdout
    with tempfile.TemporaryDirectory(prefix="mcp-guard-old-") as scratch:
        old = Path(scratch) / "old"
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(old, filter="data")
        trees = {args.against: old, "this tree": HERE.parent}
        envs: dict[str, dict[str, str]] = {}
        for i, name in enumerate(trees):
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / f"pycache{i}")
            envs[name] = env
        reports = {name: str(Path(scratch) / f"report{i}.json") for i, name in enumerate(trees)}
        argvs = {name: ["scan", *(["--no-gitleaks"] if args.no_gitleaks else []), "--format", "json",
                        "-o", reports[name], str(args.dir)] for name in trees}
        for name, tree in trees.items():  # warm-up: bytecode caches, page cache
            _run(tree, argvs[name], envs[name])
        walls: dict[str, list[float]] = {name: [] for name in trees}
        cpus: dict[str, list[float]] = {name: [] for name in trees}
        codes: set[int] = set()
        for i in range(args.rounds):
            for name in (list(trees) if i % 2 == 0 else list(reversed(trees))):
                wall, cpu, code = _run(trees[name], argvs[name], envs[name])
                walls[name].append(wall)
                cpus[name].append(cpu)
                codes.add(code)
        same = Path(reports[args.against]).read_bytes() == Path(reports["this tree"]).read_bytes()
    for name in trees:
        w, c = walls[name], cpus[name]
        print(f"{name:<12} wall median {statistics.median(w):.3f} s ({min(w):.3f}-{max(w):.3f}), "
              f"CPU median {statistics.median(c):.3f} s ({min(c):.3f}-{max(c):.3f}) over {args.rounds}")
    new, old_rev = "this tree", args.against
    print(f"ratio this/old: wall {statistics.median(walls[new]) / statistics.median(walls[old_rev]):.3f}"
          f", CPU {statistics.median(cpus[new]) / statistics.median(cpus[old_rev]):.3f}; "
          f"exit codes {sorted(codes)}; JSON reports {'identical' if same else 'DIFFER'}; "
          f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
