"""Speed and memory benchmark: a generated 100k-file repository with 500 MCP configs.

Reports wall time and peak RSS of `mcp-guard scan` (default settings, gitleaks on) and of
`gitleaks dir` on the same tree in interleaved rounds, the ratio of the medians with the per-round
spread, and the CLI cold start (`mcp-guard --version`). Then the Action PR path (bench/pr_path.py:
50 changed configs, 3,000 literal secrets) and the hostile single-file shapes (bench/hostile.py).
Targets (README): scan <= 0.1x gitleaks, 3,000-finding PR < 20 s, every hostile file <= ~2 s,
cold start <= 150 ms, peak memory <= 150 MiB. Not a test: figures depend on the machine.

    python bench/run_bench.py [--files 100000] [--configs 500] [--rounds 3] [--dir build/bench-repo]
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


def _isolated(argv: list[str], cwd: Path | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit code) of one command, measured in a fresh helper process
    so that RUSAGE_CHILDREN's max-RSS is this command's own."""
    code = ("import json,resource,subprocess,sys,time;"
            "t=time.perf_counter();p=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,"
            "stderr=subprocess.DEVNULL);w=time.perf_counter()-t;"
            "print(json.dumps([w,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024,p.returncode]))")
    out = subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, capture_output=True, text=True,
                         check=True).stdout
    wall, peak, rc = json.loads(out)
    return float(wall), float(peak), int(rc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--configs", type=int, default=500)
    parser.add_argument("--dir", type=Path, default=HERE.parent / "build" / "bench-repo")
    parser.add_argument("--keep", action="store_true", help="reuse an existing generated tree")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved full-scan/gitleaks rounds")
    parser.add_argument("--pr-rounds", type=int, default=3, help="rounds of each PR-path case")
    parser.add_argument("--skip-pr", action="store_true", help="skip the PR path (bench/pr_path.py)")
    parser.add_argument("--skip-hostile", action="store_true", help="skip the hostile single-file shapes")
    args = parser.parse_args()
    mcp_guard = str(Path(sys.executable).with_name("mcp-guard"))
    if not (args.keep and args.dir.exists()):
        t = time.perf_counter()
        generate(args.dir, args.files, args.configs)
        print(f"generated {args.files} files ({args.configs} MCP configs) in {time.perf_counter() - t:.1f}s")

    cold = [_isolated([mcp_guard, "--version"])[0] for _ in range(7)]
    # Reports go to a scratch directory, never to /dev/null: gitleaks replaces its report path by
    # rename, which turns /dev/null into a regular file for the whole machine.
    scratch = Path(tempfile.mkdtemp(prefix="mcp-guard-bench-"))
    gitleaks = find_gitleaks(None, os.environ)
    scan_argv = [mcp_guard, "scan", "--format", "json", "-o", str(scratch / "mcp-guard.json"), str(args.dir)]
    if gitleaks is None:
        print("gitleaks: not found; scanning with --no-gitleaks and no ratio")
        scan_argv.insert(2, "--no-gitleaks")
    gl_argv = [gitleaks or "", "dir", str(args.dir), "--no-banner", "-l", "error",
               "-r", str(scratch / "gitleaks.json"), "-f", "json", "--exit-code", "0"]
    scans: list[float] = []
    peaks: list[float] = []
    gls: list[float] = []
    ratios: list[float] = []
    scan_rc = 0
    for _ in range(args.rounds):  # interleaved, so machine load drifts hit both sides alike
        wall, peak, scan_rc = _isolated(scan_argv)
        scans.append(wall)
        peaks.append(peak)
        if gitleaks is not None:
            gl_wall = _isolated(gl_argv)[0]
            gls.append(gl_wall)
            ratios.append(wall / gl_wall)

    def spread(values: list[float]) -> str:
        return (f"median {statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f}"
                f" over {len(values)})")

    label = "mcp-guard scan (defaults)" if gitleaks is not None else "mcp-guard scan --no-gitleaks"
    print(f"{label:<29} {spread(scans)} s, peak {max(peaks):.0f} MiB, exit {scan_rc}")
    if gitleaks is not None:
        print(f"{'gitleaks dir':<29} {spread(gls)} s")
        print(f"{'ratio mcp-guard/gitleaks':<29} {statistics.median(scans) / statistics.median(gls):.3f} "
              f"of medians; per round {spread(ratios)} (target <= 0.10, aim 0.05)")
    print(f"cold start (--version):       median {statistics.median(cold) * 1000:.0f} ms "
          f"(min {min(cold) * 1000:.0f}, max {max(cold) * 1000:.0f}) over {len(cold)} runs "
          "(target <= 150 ms)")
    print(f"peak memory {max(peaks):.0f} MiB (target <= 150 MiB: {'met' if max(peaks) <= 150 else 'MISSED'})")
    shutil.rmtree(scratch, ignore_errors=True)
    if not args.skip_pr:
        import pr_path  # bench/pr_path.py: run_action on a 50-config PR and a 3,000-secret PR

        pr_path.report(rounds=args.pr_rounds)
    if not args.skip_hostile:
        import hostile  # bench/hostile.py: one file of each hostile shape, time per MiB

        hostile.report()


if __name__ == "__main__":
    main()
