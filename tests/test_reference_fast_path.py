"""A value that is one `${input:id}` / `${env:NAME}` / `${NAME}` reference is read with one match
(scanner/references.py `_WHOLE`): the same references as every pattern's pass, which it skips."""

from __future__ import annotations

import random

import pytest

from scanner import references
from scanner.references import PREDEFINED_NAMES, RefSyntax


def _names(rng: random.Random) -> list[str]:
    pieces = ["A", "api", "KEY", "_", "1", "-", ".", "x9", "É", "ß", "process", "env", "os", "input",
              "file", "vault", "arn", "aws", "secrets", "user_config", "localEnv",
              ":", "/", "@", "%", "{", "}"]
    out = sorted(PREDEFINED_NAMES) + ["", "-x", "?x", "-", "9", "_", "a" * 300]
    for _ in range(3000):
        out.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))))
    return out


def _texts() -> list[str]:
    rng = random.Random(16)
    texts: list[str] = []
    for name in _names(rng):
        for form in ("${input:%s}", "${env:%s}", "${%s}", "${env:%s}x", " ${%s}", "${%s:-d}", "$%s",
                     "${{ secrets.%s }}", "{env:%s}", "${input:%s}${input:%s}"):
            texts.append(form.replace("%s", name))
    return texts


def test_whole_references_equal_every_pattern() -> None:
    fast = 0
    for text in _texts():
        expected = references._every_pattern(text)
        assert references._find_references(text) == expected, text
        if references._WHOLE.fullmatch(text):
            fast += 1
            assert len(expected) == 1 and (expected[0].start, expected[0].end) == (0, len(text))
    assert fast > 3000
    assert {ref.syntax for text in _texts() if references._WHOLE.fullmatch(text)
            for ref in references._every_pattern(text)} == {
        RefSyntax.INPUT, RefSyntax.ENV_COLON, RefSyntax.DOLLAR_BRACE, RefSyntax.PREDEFINED}


def test_a_whole_reference_skips_every_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = references._every_pattern

    def counting(text: str) -> tuple[references.RefMatch, ...]:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(references, "_every_pattern", counting)
    references.clear_caches()
    values = [f"${{input:k-{i}}}" for i in range(500)] + [f"${{env:API_KEY_{i}}}" for i in range(500)]
    values += [f"${{TOKEN_{i}}}" for i in range(500)] + ["${workspaceFolder}"]
    for value in values:
        assert len(references.find_references(value)) == 1
    assert calls == []
    # Anything else takes every pattern's pass, as before.
    for value in ("${A}${B}", "${A:-x}", "x${A}", "${input:a.b}", "${env:A.B}"):
        references.find_references(value)
    assert len(calls) == 5
    references.clear_caches()
