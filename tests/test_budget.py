"""run_with_deadline: the deadline interrupts the scan, even inside a backtracking regex match."""

from __future__ import annotations

import re
import threading
import time

import pytest

from scanner.budget import DeadlineExceeded, current_budget, run_with_deadline


def _backtrack() -> object:
    # Exponential backtracking (seconds of C code) built at run time; the budget must cut it short.
    return re.match(r"(a+)+$", "a" * 27 + "b")


def test_deadline_interrupts_a_regex_match_on_the_main_thread() -> None:
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded, match=r"did not finish within 0.2 s"):
        run_with_deadline(_backtrack, 0.2)
    assert time.monotonic() - started < 2.0  # the match alone runs for many seconds


def test_deadline_off_the_main_thread_stops_waiting() -> None:
    seen: list[BaseException] = []

    def caller() -> None:
        try:
            run_with_deadline(lambda: time.sleep(1.5), 0.1)
        except DeadlineExceeded as exc:
            seen.append(exc)

    thread = threading.Thread(target=caller)
    thread.start()
    thread.join(1.0)
    assert not thread.is_alive() and len(seen) == 1


def test_budget_is_visible_inside_and_reset_after() -> None:
    inside = run_with_deadline(current_budget, 30, per_file=5)
    assert inside.per_file == 5 and inside.deadline is not None
    assert current_budget().deadline is None
