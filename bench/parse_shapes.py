"""Parse-only cost of each hostile shape: `parse_config` (decode, parse, tree -> McpConfig) per MiB.

The shapes are bench/hostile.py's; this isolates the config-parsing layer from the engines (the
whole-scan figures are hostile.py's). Time is the process's CPU time, best of --rounds, so other
load on the machine moves it less than wall time. Not a test: figures depend on the machine.

    python bench/parse_shapes.py [--mib 0.5] [--rounds 5] [--only NAME,...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.hostile import MIB, SHAPES, files_for  # noqa: E402
from scanner.clients import parse_config  # noqa: E402
from scanner.clients.discovery import classify_path, dotenv_candidate  # noqa: E402


def measure(name: str, size: int, rounds: int) -> tuple[float, int]:
    """(best CPU seconds, bytes) of parse_config on the shape's main file."""
    path, data = next(iter(files_for(name, size).items()))
    candidate = classify_path(path) or dotenv_candidate(path)
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        parse_config(candidate, data)
        best = min(best, time.process_time() - start)
    return best, len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=float, default=0.5, help="size of each file in MiB")
    parser.add_argument("--rounds", type=int, default=5, help="best of this many parses")
    parser.add_argument("--only", default="", help="comma-separated shape names")
    args = parser.parse_args()
    only = [s for s in args.only.split(",") if s]
    unknown = set(only) - set(SHAPES)
    if unknown:
        parser.error(f"unknown shape(s): {', '.join(sorted(unknown))}; known: {', '.join(SHAPES)}")
    print(f"parse_config per shape ({args.mib} MiB files, CPU time, best of {args.rounds})")
    for name in only or SHAPES:
        seconds, size = measure(name, int(args.mib * MIB), args.rounds)
        print(f"  {name:<20} {size / MIB:5.2f} MiB  {seconds:6.3f} s  {seconds / (size / MIB):6.3f} s/MiB")


if __name__ == "__main__":
    main()
