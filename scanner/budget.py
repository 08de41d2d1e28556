"""Time budgets: an overall deadline for a run and a per-file budget for parsing.

A run (the Action, `mcp-guard scan --timeout`) executes its scan through `run_with_deadline`: at
the deadline the scan is interrupted (SIGALRM on the main thread, else the caller stops waiting on a
worker thread) and the caller reports an error (the status is never left pending). The budget is
visible to the pipeline through a context variable, so a file that used up its budget, or files
reached after the deadline, become fatal skipped entries (an incomplete scan), never silently
dropped ones.
"""

from __future__ import annotations

import contextvars
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from scanner.errors import McpGuardError

T = TypeVar("T")
DEFAULT_FILE_BUDGET = 30.0


class DeadlineExceeded(McpGuardError):
    """The run did not finish within its deadline."""


@dataclass(frozen=True, slots=True)
class TimeBudget:
    deadline: float | None = None  # time.monotonic() value; None: no overall deadline
    per_file: float | None = DEFAULT_FILE_BUDGET  # seconds one file may take to parse

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def expired(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0


_CURRENT: contextvars.ContextVar[TimeBudget | None] = contextvars.ContextVar("mcp_guard_budget",
                                                                            default=None)


def current_budget() -> TimeBudget:
    """The budget of the running scan (no deadline, default per-file budget outside a run)."""
    return _CURRENT.get() or TimeBudget()


def file_over_budget(seconds: float) -> str | None:
    """The skipped-file reason when one file took longer than the per-file budget, else None."""
    per_file = current_budget().per_file
    if per_file is not None and seconds > per_file:
        return f"not scanned: took longer than the {per_file:g} s per-file time budget"
    return None


DEADLINE_REASON = "not scanned: the scan deadline passed"


class _Alarm(BaseException):
    """Raised by the SIGALRM handler; a BaseException so that no `except Exception` inside the scan
    swallows it. run_with_deadline turns it into DeadlineExceeded."""


def _on_alarm(_signum: int, _frame: object) -> None:
    raise _Alarm


def _can_alarm() -> bool:
    """SIGALRM interrupts the scan itself, even inside a regular expression match (CPython's regex
    engine checks for signals): only on the main thread, and only when no timer is in use."""
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))


def run_with_deadline(func: Callable[[], T], timeout: float | None,
                      per_file: float | None = DEFAULT_FILE_BUDGET, what: str = "the scan") -> T:
    """Run `func` under a budget; raise DeadlineExceeded when it has not returned within `timeout`.

    On the main thread a SIGALRM timer interrupts `func` at the deadline (a running gitleaks child
    is killed by subprocess.run on the way out). Elsewhere `func` runs in a daemon worker thread and
    the caller stops waiting at the deadline; the worker sees the expired budget at its next check.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    budget = TimeBudget(deadline, per_file)
    message = f"{what} did not finish within {timeout or 0:g} s (deadline)"
    if timeout is None or _can_alarm():
        token = _CURRENT.set(budget)
        previous = signal.signal(signal.SIGALRM, _on_alarm) if timeout is not None else None
        try:
            try:
                if timeout is not None:
                    signal.setitimer(signal.ITIMER_REAL, timeout)
                return func()
            finally:
                if timeout is not None:
                    signal.setitimer(signal.ITIMER_REAL, 0)
        except _Alarm:
            raise DeadlineExceeded(message) from None
        finally:
            if previous is not None:
                signal.signal(signal.SIGALRM, previous)
            _CURRENT.reset(token)
    return _run_in_thread(func, timeout, budget, message)


def _run_in_thread(func: Callable[[], T], timeout: float, budget: TimeBudget, message: str) -> T:
    context = contextvars.copy_context()
    context.run(_CURRENT.set, budget)
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["value"] = context.run(func)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="mcp-guard-scan", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise DeadlineExceeded(message)
    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    return cast(T, outcome["value"])
