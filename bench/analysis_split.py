"""Where one in-memory scan of each hostile shape spends its work: parsing, the built-in engine,
fingerprint digests, and the rest (environment classification, rules, ignores, ordering).

Per shape: wall and CPU seconds per MiB of the whole scan_files, the CPU seconds per MiB of each
part (main-thread CPU, so other processes on a shared machine disturb it less than wall time), and
the function calls per MiB of the rest (a load-independent measure of work; issue 16). Not a test.

    python bench/analysis_split.py [--mib 0.25] [--rounds 3] [--only long_line,...]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from hostile import MIB, SHAPES, files_for  # noqa: E402

import scanner.pipeline as pipeline  # noqa: E402
from scanner import fingerprints  # noqa: E402
from scanner.engines import builtin  # noqa: E402

DEFAULT = ("long_line", "many_lines", "many_servers", "env_keys", "args_list", "toml_servers",
           "yaml_servers", "dotenv_lines")
_PART: list[str] = ["rest"]
_CPU: dict[str, float] = {}


def _timed(owner: object, name: str, part: str) -> None:
    real: Callable[..., object] = getattr(owner, name)

    def run(*args: object, **kwargs: object) -> object:
        outer = _PART[0]
        _PART[0] = part
        start = time.thread_time()
        try:
            return real(*args, **kwargs)
        finally:
            if outer != part:  # nested calls of one part count once
                _CPU[part] = _CPU.get(part, 0.0) + time.thread_time() - start
            _PART[0] = outer

    setattr(owner, name, run)


_timed(pipeline, "_parse_all", "parse")
_timed(builtin.BuiltinEngine, "detect", "engine")
_timed(fingerprints.ValueDigester, "prime", "digest")
_timed(fingerprints.ValueDigester, "digest", "digest")


def _rest_calls(files: dict[str, bytes], options: pipeline.ScanOptions) -> int:
    count = 0

    def profile(_frame: object, event: str, _arg: object) -> None:
        nonlocal count
        if _PART[0] == "rest" and event in ("call", "c_call"):
            count += 1

    fingerprints._SHARED.clear()
    sys.setprofile(profile)
    try:
        pipeline.scan_files(files, options)
    finally:
        sys.setprofile(None)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=float, default=0.25, help="size of each file in MiB")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per shape (best kept)")
    parser.add_argument("--only", default=",".join(DEFAULT), help="comma-separated shape names")
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n]
    unknown = set(names) - set(SHAPES)
    if unknown:
        parser.error(f"unknown shape(s): {', '.join(sorted(unknown))}")
    options = pipeline.ScanOptions(root=Path("."), use_gitleaks=False, max_file_bytes=5 * MIB)
    pipeline.scan_files(files_for("long_line", 5000), options)  # lazy imports, templates
    print("s/MiB (best of rounds); rest = everything but parse, engine and digests")
    for name in names:
        files = files_for(name, int(args.mib * MIB))
        mib = sum(len(data) for data in files.values()) / MIB
        best: tuple[float, float, dict[str, float]] | None = None
        for _ in range(args.rounds):
            _CPU.clear()
            fingerprints._SHARED.clear()  # every round digests its values again
            wall, cpu = time.perf_counter(), time.thread_time()
            pipeline.scan_files(files, options)
            wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
            parts = dict(_CPU)
            parts["rest"] = cpu - sum(parts.values())
            if best is None or parts["rest"] < best[2]["rest"]:
                best = (wall, cpu, parts)
        assert best is not None
        wall, cpu, parts = best
        calls = _rest_calls(files, options)
        shown = "  ".join(f"{key} {parts.get(key, 0.0) / mib:5.2f}"
                          for key in ("parse", "engine", "digest", "rest"))
        print(f"  {name:<14} {mib:4.2f} MiB  wall {wall / mib:6.2f}  cpu {cpu / mib:6.2f}  |  {shown}"
              f"  |  rest calls/MiB {calls / mib / 1000:7.0f}k")


if __name__ == "__main__":
    main()
