"""Speed and memory benchmark: a generated 100k-file repository with 500 MCP configs.

One run reports, side by side and against their targets: wall time and peak RSS of `mcp-guard scan`
(default settings, gitleaks on) and of `gitleaks dir` on the same tree in interleaved rounds (the
order alternates each round so that load drifts hit both sides alike), the ratio of the medians with
the per-round spread, the CLI cold start (`mcp-guard --version`, next to a bare `python -c pass`),
the Action PR path (bench/pr_path.py: 50 changed configs, 3,000 literal secrets) and the hostile
single-file shapes (bench/hostile.py). Targets (README): scan <= 0.1x gitleaks (aim 0.05),
3,000-finding PR < 20 s, every hostile file <= ~2 s, cold start <= 150 ms, peak memory <= 150 MiB.
Not a test: figures depend on the machine and its load.

    python bench/run_bench.py [--files 100000] [--configs 500] [--rounds 5] [--dir build/bench-repo]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from scanner.engines.gitleaks import find_gitleaks  # noqa: E402

CONFIG_PATHS = (".cursor/mcp.json", ".vscode/mcp.json", ".mcp.json", ".codex/config.toml",
                ".gemini/settings.json", "claude_desktop_config.json")


def _token(rng: random.Random, prefix: str, n: int) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return prefix + "".join(rng.choice(alphabet) for _ in range(n))


def _config(rng: random.Random, kind: str, i: int) -> str:
    leak = i % 5 == 0
    value = _token(rng, "ghp_", 36) if leak else "${env:GITHUB_TOKEN}"
    if kind.endswith(".toml"):
        return (f'[mcp_servers.gh{i}]\ncommand = "npx"\nargs = ["-y", "server-github"]\n'
                f'[mcp_servers.gh{i}.env]\nGITHUB_PERSONAL_ACCESS_TOKEN = "{value}"\n')
    top = "servers" if kind == ".vscode/mcp.json" else "mcpServers"
    servers = {f"srv{j}": {"command": "npx", "args": ["-y", f"pkg-{j}", "--port", str(3000 + j)],
                           "env": {"API_TOKEN" if j == 0 else f"OPT_{j}": value if j == 0 else "1"}}
               for j in range(4)}
    return json.dumps({top: servers}, indent=2)


def generate(root: Path, files: int, configs: int) -> None:
    """A repository of `files` files of which `configs` are MCP configs (deterministic)."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(42)
    per_dir = 50
    written = 0
    for i in range(configs):
        kind = CONFIG_PATHS[i % len(CONFIG_PATHS)]
        path = root / f"svc{i:04d}" / kind
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_config(rng, kind, i), encoding="utf-8")
        written += 1
    filler = ("import os\n\n\ndef handler(event):\n    return {'ok': True, 'n': %d}\n" * 3)
    i = 0
    while written < files:
        d = root / f"pkg{i // per_dir:05d}"
        d.mkdir(parents=True, exist_ok=True)
        ext = (".py", ".ts", ".md", ".json", ".yaml")[i % 5]
        (d / f"file{i}{ext}").write_text(filler % (i, i, i), encoding="utf-8")
        written += 1
        i += 1
    git = ["git", "-C", str(root), "-c", "user.name=b", "-c", "user.email=b@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "bench", "--no-verify"], check=True)


_LAST_CPU: list[float] = []  # CPU seconds (user + system, children included) of each _isolated run


_ENV: dict[str, str] | None = None  # the environment of the measured commands (None: inherited)


def _bytecode_env(scratch: Path) -> dict[str, str]:
    """The environment of an installed mcp-guard: modules read from compiled bytecode.

    `pip install` (the Action image, a user's venv) compiles every module at install time; an
    editable checkout under PYTHONDONTWRITEBYTECODE=1 (this repository's Makefile venv in an
    environment that sets it, as the Dockerfile does for the image's own later imports) compiles
    ~80 modules from source on every run instead (~0.15 s CPU here). Measured commands use a
    private bytecode cache (PYTHONPYCACHEPREFIX, written by one unmeasured warm-up run), so the
    bench reports what an installed copy does; `--source-bytecode` measures the other case."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    return env


def _isolated(argv: list[str], cwd: Path | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit code) of one command, measured in a fresh helper process
    so that RUSAGE_CHILDREN's max-RSS is this command's own; its CPU seconds go to _LAST_CPU."""
    code = ("import json,resource,subprocess,sys,time;"
            "t=time.perf_counter();p=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,"
            "stderr=subprocess.DEVNULL);w=time.perf_counter()-t;"
            "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
            "print(json.dumps([w,u.ru_maxrss/1024,p.returncode,u.ru_utime+u.ru_stime]))")
    out = subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, capture_output=True, text=True,
                         check=True, env=_ENV).stdout
    wall, peak, rc, cpu = json.loads(out)
    _LAST_CPU.append(float(cpu))
    return float(wall), float(peak), int(rc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--configs", type=int, default=500)
    parser.add_argument("--dir", type=Path, default=HERE.parent / "build" / "bench-repo")
    parser.add_argument("--keep", action="store_true", help="reuse an existing generated tree")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved full-scan/gitleaks rounds")
    parser.add_argument("--pr-rounds", type=int, default=3, help="rounds of each PR-path case")
    parser.add_argument("--skip-pr", action="store_true", help="skip the PR path (bench/pr_path.py)")
    parser.add_argument("--skip-hostile", action="store_true", help="skip the hostile single-file shapes")
    parser.add_argument("--hostile-mib", type=float, default=4.9, help="size of each hostile file (MiB)")
    parser.add_argument("--hostile-fresh", action="store_true",
                        help="also scan each hostile shape in a new process (bench/hostile.py --fresh)")
    parser.add_argument("--source-bytecode", action="store_true",
                        help="leave the bytecode setting as inherited (e.g. compile from source each run)")
    args = parser.parse_args()
    mcp_guard = str(Path(sys.executable).with_name("mcp-guard"))
    if not (args.keep and args.dir.exists()):
        t = time.perf_counter()
        generate(args.dir, args.files, args.configs)
        print(f"generated {args.files} files ({args.configs} MCP configs) in {time.perf_counter() - t:.1f}s")

    # Reports go to a scratch directory, never to /dev/null: gitleaks replaces its report path by
    # rename, which turns /dev/null into a regular file for the whole machine.
    scratch = Path(tempfile.mkdtemp(prefix="mcp-guard-bench-"))
    gitleaks = find_gitleaks(None, os.environ)
    scan_argv = [mcp_guard, "scan", "--format", "json", "-o", str(scratch / "mcp-guard.json"), str(args.dir)]
    if gitleaks is None:
        print("gitleaks: not found; scanning with --no-gitleaks and no ratio")
        scan_argv.insert(2, "--no-gitleaks")
    global _ENV
    if not args.source_bytecode:
        _ENV = _bytecode_env(scratch)
        _isolated(scan_argv)  # warm-up, not measured: writes the bytecode cache
        _LAST_CPU.clear()
        print("modules read from bytecode (as installed); --source-bytecode to compile them each run")
    cold: list[float] = []
    bare: list[float] = []
    for _ in range(7):  # interleaved with the interpreter's own start, the floor of any CLI
        cold.append(_isolated([mcp_guard, "--version"])[0])
        bare.append(_isolated([sys.executable, "-c", "pass"])[0])
    gl_argv = [gitleaks or "", "dir", str(args.dir), "--no-banner", "-l", "error",
               "-r", str(scratch / "gitleaks.json"), "-f", "json", "--exit-code", "0"]
    scans: list[float] = []
    scan_cpu: list[float] = []
    gl_cpu: list[float] = []
    peaks: list[float] = []
    gls: list[float] = []
    ratios: list[float] = []
    scan_rc = 0
    gl_peaks: list[float] = []
    for i in range(args.rounds):  # interleaved, order alternating, so load drifts hit both sides alike
        gl_first = gitleaks is not None and i % 2 == 1
        if gl_first:
            gl_wall, gl_peak, _ = _isolated(gl_argv)
            gl_cpu.append(_LAST_CPU[-1])
        wall, peak, scan_rc = _isolated(scan_argv)
        scan_cpu.append(_LAST_CPU[-1])
        scans.append(wall)
        peaks.append(peak)
        if gitleaks is not None:
            if not gl_first:
                gl_wall, gl_peak, _ = _isolated(gl_argv)
                gl_cpu.append(_LAST_CPU[-1])
            gls.append(gl_wall)
            gl_peaks.append(gl_peak)
            ratios.append(wall / gl_wall)

    def spread(values: list[float]) -> str:
        return (f"median {statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f}"
                f" over {len(values)})")

    label = "mcp-guard scan (defaults)" if gitleaks is not None else "mcp-guard scan --no-gitleaks"
    # CPU seconds (user + system, child processes included) next to wall time: on a loaded machine
    # the wall time of a single-threaded scan stretches far more than its CPU time.
    print(f"{label:<29} {spread(scans)} s, CPU median {statistics.median(scan_cpu):.2f} s, "
          f"peak {max(peaks):.0f} MiB, exit {scan_rc}")
    summary: list[tuple[str, str, str, bool]] = []  # (what, figure, target, met)
    if gitleaks is not None:
        print(f"{'gitleaks dir':<29} {spread(gls)} s, CPU median {statistics.median(gl_cpu):.2f} s, "
              f"peak {max(gl_peaks):.0f} MiB")
        ratio = statistics.median(scans) / statistics.median(gls)
        print(f"{'ratio mcp-guard/gitleaks':<29} {ratio:.3f} of medians; per round {spread(ratios)} "
              "(target <= 0.10, aim 0.05)")
        cpu_ratio = statistics.median(scan_cpu) / statistics.median(gl_cpu)
        print(f"{'CPU ratio mcp-guard/gitleaks':<29} {cpu_ratio:.3f} of medians (both sides' CPU seconds)")
        rounds = f"{ratio:.3f} (rounds {min(ratios):.3f}-{max(ratios):.3f}; CPU {cpu_ratio:.3f})"
        summary.append(("full scan / gitleaks dir", rounds, "<= 0.10 (aim 0.05)", ratio <= 0.10))
    print(f"cold start (--version):       median {statistics.median(cold) * 1000:.0f} ms "
          f"(min {min(cold) * 1000:.0f}, max {max(cold) * 1000:.0f}) over {len(cold)} runs "
          f"(target <= 150 ms); bare interpreter median {statistics.median(bare) * 1000:.0f} ms")
    summary.append(("cold start --version", f"{statistics.median(cold) * 1000:.0f} ms "
                    f"(python -c pass {statistics.median(bare) * 1000:.0f} ms)", "<= 150 ms",
                    statistics.median(cold) <= 0.150))
    print(f"peak memory {max(peaks):.0f} MiB (largest process of the scan, gitleaks included; "
          f"target <= 150 MiB: {'met' if max(peaks) <= 150 else 'MISSED'})")
    summary.append(("peak memory (full scan)", f"{max(peaks):.0f} MiB", "<= 150 MiB", max(peaks) <= 150))
    shutil.rmtree(scratch, ignore_errors=True)
    if not args.skip_pr:
        import pr_path  # bench/pr_path.py: run_action on a 50-config PR and a 3,000-secret PR

        medians = pr_path.report(rounds=args.pr_rounds)
        for name, seconds in medians.items():
            bound = 20.0 if name == "findings3000" else None
            summary.append((f"PR path {name}", f"{seconds:.2f} s",
                            "< 20 s" if bound else "-", bound is None or seconds < bound))
    if not args.skip_hostile:
        import hostile  # bench/hostile.py: one file of each hostile shape, time per MiB

        worst = hostile.report(mib=args.hostile_mib, fresh=args.hostile_fresh)
        summary.append((f"worst hostile file ({args.hostile_mib:g} MiB)", f"{worst:.2f} s", "<= ~2 s",
                        worst <= 2.0))
    print(f"\nsummary ({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end)")
    for what, figure, target, met in summary:
        print(f"  {what:<30} {figure:<40} target {target:<20} {'met' if met else 'MISSED'}")

if __name__ == "__main__":
    main()
