"""scanner/fix/codex.py's per-name tests without per-name regexes give what those regexes gave."""

from __future__ import annotations

import random
import re

from scanner.fix.codex import _key_pattern, is_env_table


def test_env_table_test_is_the_per_server_regex() -> None:
    rng = random.Random(16)
    pieces = ["mcp_servers", ".", " ", "\t", "env", "a", "s-1", '"', "'", "q.x", "\n", "x", "\u2003", ""]
    names = ["a", "s-1", "q.x", " a", "a ", "", "env", '"a"', "mcp_servers", "a.env", "\u2003a"]
    checked = matched = 0
    for _ in range(20_000):
        name = rng.choice(names)
        spelled = rng.choice([name, f'"{name}"', f"'{name}'", "".join(rng.choice(pieces) for _ in range(2))])
        key = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))) if rng.random() < 0.2 else (
            "mcp_servers" + rng.choice(["", " ", "\t "]) + "." + rng.choice(["", " ", "  ", "\u2003"])
            + spelled
            + rng.choice(["", " "]) + "." + rng.choice(["", " "]) + rng.choice(["env", "env\n", "envx", "en"])
            + rng.choice(["", "", "\n", " "]))
        expected = re.match(r"^mcp_servers\s*\.\s*" + _key_pattern(name) + r"\s*\.\s*env$", key) is not None
        assert is_env_table(key, name) == expected, (key, name)
        checked += 1
        matched += expected
    assert checked == 20_000 and 2_000 < matched < 18_000  # both answers are exercised
