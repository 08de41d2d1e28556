"""Secret-shaped strings built at run time: nothing token-shaped is ever committed."""

from __future__ import annotations

import random
import re
import re._constants as _c  # noqa: I001 - the regex parser's opcodes, to build samples from token shapes
import re._parser as _sre_parse
import string
from collections.abc import Iterable
from pathlib import Path

_ALNUM = string.ascii_letters + string.digits


def fake_token(prefix: str, length: int, seed: int = 0, alphabet: str = _ALNUM) -> str:
    """prefix + `length` deterministic high-entropy characters from `alphabet`."""
    rng = random.Random(f"{prefix}:{length}:{seed}")
    return prefix + "".join(rng.choice(alphabet) for _ in range(length))


def fake_hex(length: int, seed: int = 0) -> str:
    return fake_token("", length, seed, "0123456789abcdef")


def fake_uuid(seed: int = 0) -> str:
    """A lower-case hex UUID layout (8-4-4-4-12) of deterministic characters."""
    h = fake_hex(32, seed)
    return "-".join((h[:8], h[8:12], h[12:16], h[16:20], h[20:]))


def assert_no_secret(output: str | bytes, *values: str) -> None:
    """Fail if any raw secret value appears in an output."""
    text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
    for value in values:
        assert value, "empty secret passed to assert_no_secret"
        assert value not in text, "raw secret value leaked into output"


def fake_from_regex(regex: re.Pattern[str], seed: int = 0, *, filler: str | None = None) -> str:
    """A string the (simple) token regex matches, built at run time: each character class yields
    random members (or `filler`, when it is a member, for a low-entropy placeholder of the same
    shape); repeats take their minimum count, alternations their first branch."""
    rng = random.Random(f"{regex.pattern}:{seed}")

    def pick(members: list[str]) -> str:
        if filler is None:
            return rng.choice(members)
        return filler if filler in members else members[0]

    def klass(items: list[tuple[object, object]]) -> list[str]:
        members: list[str] = []
        for op, arg in items:
            if op is _c.LITERAL:
                members.append(chr(arg))  # type: ignore[arg-type]
            elif op is _c.RANGE:
                low, high = arg  # type: ignore[misc]
                members.extend(chr(c) for c in range(low, high + 1))
            elif op is _c.CATEGORY and arg is _c.CATEGORY_DIGIT:
                members.extend(string.digits)
            elif op is _c.CATEGORY and arg is _c.CATEGORY_WORD:
                members.extend(_ALNUM + "_")
        return members

    def walk(items: Iterable[tuple[object, object]]) -> str:
        out: list[str] = []
        for op, arg in items:
            if op is _c.LITERAL:
                out.append(chr(arg))  # type: ignore[arg-type]
            elif op is _c.IN:
                out.append(pick(klass(arg)))  # type: ignore[arg-type]
            elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
                low, _high, sub = arg  # type: ignore[misc]
                out.extend(walk(sub) for _ in range(low))
            elif op is _c.SUBPATTERN:
                out.append(walk(arg[-1]))  # type: ignore[index]
            elif op is _c.BRANCH:
                out.append(walk(arg[1][0]))  # type: ignore[index]
            elif op is _c.ANY:
                out.append(pick(list(_ALNUM)))
            # AT / ASSERT / ASSERT_NOT (boundaries, lookarounds) add no characters.
        return "".join(out)

    return walk(_sre_parse.parse(regex.pattern, regex.flags))


def executable(path: Path, text: str) -> str:
    """`text` written to `path` as a script the owner may run (a stand-in binary); its path."""
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | 0o100)
    return str(path)


def token_config(token: str) -> str:
    """A small `.mcp.json` whose one server holds `token` in env GITHUB_TOKEN."""
    return '{\n"mcpServers": {"a": {"command": "npx", "env": {"GITHUB_TOKEN": "' + token + '"}}}\n}'
