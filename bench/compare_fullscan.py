"""Full scan of the bench tree: this tree against an older revision, in the same minutes.

The revision is exported with `git archive` into a temporary directory; each round runs
`mcp-guard scan` of the generated tree (bench/run_bench.py, build/bench-repo) once per tree in a
fresh process, the order alternating, and reports per tree the median and range of the wall time
and of the CPU time (the process and its children: git, gitleaks). Modules are read from a
private bytecode cache per tree (one unmeasured warm-up run each), as an installed copy does.
With `--gitleaks-dir` each round also runs `gitleaks dir` on the tree (bench/run_bench.py's
command line), so both trees' ratios to it come from the same minutes.
Use it to compare a change on a shared machine, where absolute times drift within the hour.

    python bench/compare_fullscan.py --against 48baa60 [--rounds 7] [--no-gitleaks] [--gitleaks-dir]
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
sys.path.insert(0, str(HERE.parent))

from scanner.engines.gitleaks import find_gitleaks  # noqa: E402

_MEASURE = """
import json, resource, subprocess, sys, time
tree, argv = sys.argv[1], sys.argv[2:]
code = ('import sys; sys.path.insert(0, sys.argv.pop(1)); from scanner.cli import main; '
        'sys.argv[0] = "mcp-guard"; main()')
command = [sys.executable, '-c', code, tree, *argv] if tree else argv
start = time.perf_counter()
proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([wall, usage.ru_utime + usage.ru_stime, proc.returncode]))
"""


def _run(tree: Path | None, argv: list[str], env: dict[str, str] | None) -> tuple[float, float, int]:
    """(wall, CPU of the process and its children, exit code) of `mcp-guard` from `tree`, or of
    the command `argv` itself when `tree` is None."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(tree or ""), *argv], check=True,
                         capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env).stdout
    wall, cpu, code = json.loads(out)
    return float(wall), float(cpu), int(code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="the older revision (any git rev)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=HERE.parent / "build" / "bench-repo")
    parser.add_argument("--no-gitleaks", action="store_true")
    parser.add_argument("--gitleaks-dir", action="store_true", help="also run `gitleaks dir` each round")
    args = parser.parse_args()
    gitleaks = find_gitleaks(None, os.environ) if args.gitleaks_dir else None
    if args.gitleaks_dir and gitleaks is None:
        raise SystemExit("gitleaks: not found")
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
        order = [*trees, *(["gitleaks dir"] if gitleaks else [])]
        gl_argv = [gitleaks or "", "dir", str(args.dir), "--no-banner", "-l", "error", "-r",
                   str(Path(scratch) / "gitleaks.json"), "-f", "json", "--exit-code", "0"]
        walls: dict[str, list[float]] = {name: [] for name in order}
        cpus: dict[str, list[float]] = {name: [] for name in order}
        codes: set[int] = set()
        for i in range(args.rounds):
            for name in order[i % len(order):] + order[:i % len(order)]:  # each goes first in turn
                if name == "gitleaks dir":
                    wall, cpu, _ = _run(None, gl_argv, None)
                else:
                    wall, cpu, code = _run(trees[name], argvs[name], envs[name])
                    codes.add(code)
                walls[name].append(wall)
                cpus[name].append(cpu)
        same = Path(reports[args.against]).read_bytes() == Path(reports["this tree"]).read_bytes()
    for name in order:
        w, c = walls[name], cpus[name]
        vs = ""
        if gitleaks and name != "gitleaks dir":
            gl_w, gl_c = walls["gitleaks dir"], cpus["gitleaks dir"]
            per_round = [a / b for a, b in zip(w, gl_w, strict=True)]
            vs = (f"; / gitleaks dir: wall {statistics.median(w) / statistics.median(gl_w):.3f}"
                  f" (rounds {min(per_round):.3f}-{max(per_round):.3f}), CPU "
                  f"{statistics.median(c) / statistics.median(gl_c):.3f}")
        print(f"{name:<12} wall median {statistics.median(w):.3f} s ({min(w):.3f}-{max(w):.3f}), "
              f"CPU median {statistics.median(c):.3f} s ({min(c):.3f}-{max(c):.3f}) over {args.rounds}{vs}")
    new, old_rev = "this tree", args.against
    print(f"ratio this/old: wall {statistics.median(walls[new]) / statistics.median(walls[old_rev]):.3f}"
          f", CPU {statistics.median(cpus[new]) / statistics.median(cpus[old_rev]):.3f}; "
          f"exit codes {sorted(codes)}; JSON reports {'identical' if same else 'DIFFER'}; "
          f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
