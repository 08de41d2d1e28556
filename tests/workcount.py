"""Counted work for the linearity tests: how many Python and C calls one run of `fn` makes (never a
timing, so the tests hold on a loaded machine)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def count_calls(fn: Callable[[], object]) -> int:
    count = 0

    def profile(_frame: object, event: str, _arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count


def count_lines(fn: Callable[[], object]) -> int:
    """Python lines executed by one run of `fn`: counts the iterations of loops inside a function too
    (a linear scan per lookup is N x N lines, though only N calls)."""
    count = 0

    def trace(_frame: object, event: str, _arg: object) -> Callable[..., object] | None:
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)  # type: ignore[arg-type]
    try:
        fn()
    finally:
        sys.settrace(None)
    return count


class Counted:
    """A stand-in for a function or a compiled pattern that counts its calls (or `.search`es)."""

    def __init__(self, target: Any) -> None:
        self.target, self.calls = target, 0

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        return self.target(*args)

    def search(self, *args: Any) -> Any:
        self.calls += 1
        return self.target.search(*args)
