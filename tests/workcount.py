"""Counted work for the linearity tests: how many Python and C calls one run of `fn` makes (never a
timing, so the tests hold on a loaded machine)."""

from __future__ import annotations

import sys
from collections.abc import Callable


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
