"""`make fuzz`: the parse + scan path over many mutated MCP configs (all client formats).

Fails (exit 1) on any uncaught exception, or on any input under 1 MiB that takes more than the
slow bound (default 2 s) to scan. Inputs are derived deterministically from (--seed, index), so a
reported index reproduces with `--only INDEX`; failing inputs are also written to --out (they hold
only fake values built at run time). Not part of `make test`: a benchmark-style run.

    python tests/fuzz/run.py [--count 100000] [--jobs 2] [--seed 0] [--slow 2.0]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scanner.pipeline import ScanOptions, scan_files  # noqa: E402
from tests.fuzz.seeds import mutate, seeds  # noqa: E402

MIB = 1 << 20
_SEEDS = seeds()
_OPTIONS = ScanOptions(root=Path("."), use_gitleaks=False)


def make_input(seed: int, index: int) -> tuple[str, dict[str, bytes]]:
    """The `index`-th fuzz input: one seed tree with one or more of its files mutated."""
    rng = random.Random(f"{seed}:{index}")
    name, files = _SEEDS[index % len(_SEEDS)]
    donor = rng.choice(_SEEDS)[1]
    other = rng.choice(list(donor.values()))
    out = dict(files)
    for path in files:
        if path == next(iter(files)) or rng.random() < 0.3:
            out[path] = mutate(files[path], rng, other)
    return name, out


def run_one(args: tuple[int, int]) -> tuple[int, str, int, float, str | None, int, int]:
    """(index, seed name, bytes, seconds, error or None, findings, skipped files)."""
    seed, index = args
    name, files = make_input(seed, index)
    size = max(len(data) for data in files.values())
    start = time.perf_counter()
    try:
        result = scan_files(files, _OPTIONS)
    except Exception:  # noqa: BLE001 - the point of the fuzzer: report anything uncaught
        return index, name, size, time.perf_counter() - start, traceback.format_exc(limit=6), 0, 0
    return index, name, size, time.perf_counter() - start, None, len(result.findings), len(result.errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slow", type=float, default=2.0, help="seconds allowed per input under 1 MiB")
    parser.add_argument("--only", type=int, default=None, help="run one input by index")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "fuzz-failures")
    args = parser.parse_args()
    indices = [args.only] if args.only is not None else list(range(args.count))
    work = [(args.seed, i) for i in indices]
    started = time.perf_counter()
    per_seed: Counter[str] = Counter()
    crashes: list[tuple[int, str, str]] = []
    slow: list[tuple[int, str, int, float]] = []
    skipped = findings = 0
    total_bytes = 0
    worst = (0.0, -1, 0)
    with multiprocessing.Pool(max(1, args.jobs)) as pool:
        for done, (index, name, size, seconds, error, nfind, nskip) in enumerate(
                pool.imap_unordered(run_one, work, chunksize=64), 1):
            per_seed[name] += 1
            total_bytes += size
            findings += nfind
            skipped += nskip
            if seconds > worst[0]:
                worst = (seconds, index, size)
            if error is not None:
                crashes.append((index, name, error))
            elif seconds > args.slow and size < MIB:
                slow.append((index, name, size, seconds))
            if done % 10_000 == 0:
                print(f"  {done} inputs, {time.perf_counter() - started:.0f} s", flush=True)
    elapsed = time.perf_counter() - started
    print(f"fuzz: {len(work)} inputs in {elapsed:.1f} s ({len(work) / elapsed:.0f}/s, {args.jobs} jobs), "
          f"{total_bytes / MIB:.1f} MiB scanned")
    print("  per seed: " + ", ".join(f"{name} {n}" for name, n in sorted(per_seed.items())))
    print(f"  findings {findings}, files skipped as unparsable {skipped}")
    print(f"  slowest input: #{worst[1]} {worst[2]} bytes {worst[0]:.3f} s")
    print(f"  uncaught exceptions: {len(crashes)}; inputs under 1 MiB over {args.slow:g} s: {len(slow)}")
    if crashes or slow:
        args.out.mkdir(parents=True, exist_ok=True)
        for index, name, error in crashes[:20]:
            print(f"  CRASH #{index} ({name}):\n" + error)
        for index, name, size, seconds in slow[:20]:
            print(f"  SLOW #{index} ({name}) {size} bytes {seconds:.2f} s")
        for index in [c[0] for c in crashes] + [s[0] for s in slow]:
            _name, files = make_input(args.seed, index)
            for path, data in files.items():
                target = args.out / str(index) / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        print(f"  failing inputs written under {args.out} (reproduce: --seed {args.seed} --only INDEX)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
