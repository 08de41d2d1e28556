"""Time budgets: an overall deadline for a run and a per-file budget for parsing.

A run (the Action, `mcp-guard scan --timeout`) executes its scan through `run_with_deadline`: the
scan runs in a worker thread while the caller waits at most the deadline, then reports an error
instead of waiting on (the status is never left pending). The budget is visible to the pipeline
through a context variable, so a file that used up its budget, or files reached after the deadline,
become fatal skipped entries (an incomplete scan), never silently dropped ones.
"""

from __future__ import annotations

import contextvars
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


def run_with_deadline(func: Callable[[], T], timeout: float | None,
                      per_file: float | None = DEFAULT_FILE_BUDGET, what: str = "the scan") -> T:
    """Run `func` under a budget; raise DeadlineExceeded when it has not returned within `timeout`.

    A worker that overruns cannot be killed (it may be inside C code); it is a daemon thread that
    sees the expired budget at its next check, and the caller reports the error meanwhile.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    budget = TimeBudget(deadline, per_file)
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
        raise DeadlineExceeded(f"{what} did not finish within {timeout:g} s (deadline)")
    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    return cast(T, outcome["value"])
