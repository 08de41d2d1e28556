"""Timeline of one full scan: the CLI's steps with wall and main-thread CPU time since the process
started, and each child process (git, the probe child, gitleaks) with its lifetime and CPU (its
`wait4` rusage). Runs `mcp-guard scan` of `tree`'s own scanner in this process.

    python bench/fullscan_timeline.py [--tree DIR] [--] scan --format json -o /tmp/r.json build/bench-repo

Run it twice: the first run may compile bytecode (use PYTHONPYCACHEPREFIX, as bench/ does). The
stamps wrap functions by name; a step a tree does not have is left out. Not a test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

T0, C0 = time.perf_counter(), time.thread_time()
EVENTS: list[tuple[str, float, float]] = []
CHILDREN: dict[int, dict[str, Any]] = {}


def _stamp(name: str) -> None:
    EVENTS.append((name, time.perf_counter() - T0, time.thread_time() - C0))


def _wrap(owner: Any, name: str, label: str | None = None, classmethod_: bool = False) -> None:
    func = getattr(owner, name, None)
    if func is None:
        return
    real: Callable[..., Any] = func.__func__ if classmethod_ else func

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        _stamp(f"> {label or name}")
        try:
            return real(*args, **kwargs)
        finally:
            _stamp(f"< {label or name}")

    setattr(owner, name, classmethod(wrapped) if classmethod_ else wrapped)


def _track_children() -> None:
    real_init = subprocess.Popen.__init__

    def init(self: subprocess.Popen[Any], args: Any, *rest: Any, **kwargs: Any) -> None:
        real_init(self, args, *rest, **kwargs)
        argv = " ".join(str(a) for a in (args if isinstance(args, list) else [args]))
        CHILDREN[self.pid] = {"argv": argv[:100], "start": time.perf_counter() - T0}

    def try_wait(self: subprocess.Popen[Any], flags: int) -> tuple[int, int]:
        try:
            pid, status, usage = os.wait4(self.pid, flags)
        except ChildProcessError:
            return (self.pid, 0)
        if pid and pid in CHILDREN:
            CHILDREN[pid].update(end=time.perf_counter() - T0, cpu=usage.ru_utime + usage.ru_stime)
        return (pid, status)

    subprocess.Popen.__init__ = init  # type: ignore[method-assign]
    subprocess.Popen._try_wait = try_wait  # type: ignore[attr-defined]


def main() -> None:
    args = sys.argv[1:]
    tree = Path(__file__).resolve().parent.parent
    if args[:1] == ["--tree"]:
        tree, args = Path(args[1]), args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    sys.path.insert(0, str(tree))
    _track_children()
    import scanner.cli as cli
    from scanner.sources import gitlist

    _stamp("cli imported")
    _wrap(gitlist.WorkTreeListings, "__init__", "git's listings started")
    try:
        from scanner.engines import gitleaks_run
        _wrap(gitleaks_run.GitleaksRun, "launch", "gitleaks launched", classmethod_=True)
    except ImportError:  # a tree before scanner/engines/gitleaks_run.py
        pass
    real_run_scan = cli._run_scan

    def run_scan(*a: Any, **k: Any) -> Any:
        _stamp("scan starts (options built)")
        import scanner.engines.gitleaks as adapter
        import scanner.pipeline as pipeline
        import scanner.sources.worktree as worktree

        _stamp("pipeline imported")
        for step in ("start_listing", "_launch_gitleaks", "_start_gitleaks", "_preparse", "_probe",
                     "_analyse", "_run_engines"):
            _wrap(pipeline, step)
        _wrap(worktree.PendingListing, "finish", "listing finish (probe child, walks)")
        _wrap(adapter.GitleaksRun, "feed", "gitleaks fed")
        _wrap(adapter.GitleaksRun, "records", "gitleaks report (waits for it)")
        return real_run_scan(*a, **k)

    cli._run_scan = run_scan
    sys.argv = ["mcp-guard", *args]
    try:
        cli.main()
    except SystemExit:
        pass
    _stamp("exit")
    for name, wall, cpu in EVENTS:
        print(f"{wall * 1000:9.1f} ms wall {cpu * 1000:8.1f} ms CPU  {name}", file=sys.stderr)
    for child in sorted(CHILDREN.values(), key=lambda c: c["start"]):
        print(f"child {child['start'] * 1000:8.1f}-{child.get('end', -1) * 1000:8.1f} ms wall, "
              f"{child.get('cpu', -1) * 1000:7.1f} ms CPU  {child['argv']}", file=sys.stderr)
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    print(f"this process: {(own.ru_utime + own.ru_stime) * 1000:.0f} ms CPU", file=sys.stderr)


if __name__ == "__main__":
    main()
