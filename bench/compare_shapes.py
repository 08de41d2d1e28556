"""Hostile shapes, CPU seconds per MiB: this tree against an older revision, in the same minutes.

The revision is exported with `git archive` into a temporary directory; each shape is scanned in a
fresh process per tree (`time.process_time()` around `scan_files`, threads included, the
process-wide tables warmed first), the trees alternating, and the median of the runs printed.
Use it to compare a change on a shared machine, where absolute times drift within the hour.

    python bench/compare_shapes.py --against a04763e [--mib 0.5] [--runs 3] [--only long_line,...]
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

_MEASURE = """
import sys, time
root = sys.argv[1]; sys.path.insert(0, root)
from pathlib import Path
from scanner.pipeline import ScanOptions, scan_files  # the tree's own scanner, imported first
sys.path.insert(0, sys.argv[4])
import hostile  # this tree's shapes (it puts its own tree on sys.path: scanner is already imported)
assert sys.modules['scanner.pipeline'].__file__.startswith(root), 'measured the wrong tree'
name, size = sys.argv[2], float(sys.argv[3])
files = hostile.files_for(name, int(size * 1024 * 1024))
options = ScanOptions(root=Path('.'), use_gitleaks=False, max_file_bytes=5 << 20)
scan_files({'.mcp.json': b'{"mcpServers":{"a":{"command":"x"}}}'}, options)
start = time.process_time()
scan_files(files, options)
print((time.process_time() - start) / size)
"""


def _cpu_per_mib(tree: Path, shape: str, mib: float) -> float:
    # The shapes are this tree's (bench/hostile.py): both trees scan the same input, new shapes included.
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(tree), shape, str(mib), str(HERE)], check=True,
                         capture_output=True, text=True, stdin=subprocess.DEVNULL).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="the older revision (any git rev)")
    parser.add_argument("--mib", type=float, default=0.5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated shape names")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import hostile

    shapes = [s for s in args.only.split(",") if s] or list(hostile.SHAPES)
    archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", args.against], check=True,
                             capture_output=True, stdin=subprocess.DEVNULL).stdout
    with tempfile.TemporaryDirectory(prefix="mcp-guard-old-") as old:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(old, filter="data")
        print(f"CPU s/MiB at {args.mib:g} MiB, median of {args.runs} alternating runs")
        print(f"{'shape':<22}{args.against[:10]:>12}{'this tree':>12}{'change':>9}")
        for shape in shapes:
            before: list[float] = []
            after: list[float] = []
            for _ in range(args.runs):
                before.append(_cpu_per_mib(Path(old), shape, args.mib))
                after.append(_cpu_per_mib(HERE.parent, shape, args.mib))
            b, a = statistics.median(before), statistics.median(after)
            print(f"{shape:<22}{b:>12.2f}{a:>12.2f}{(a - b) / b:>+9.0%}")


if __name__ == "__main__":
    main()
