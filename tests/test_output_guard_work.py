"""Counted work of the output boundary on the shapes a large scan gives it (never a timing): ~44,000
quoted texts of which ~1,000 are distinct, a token registered again as a name's redaction, the folded
registry `holds_secret` reads built from ~150 pieces per secret. Each result is also compared with the
uncached path, so the saving cannot change what an output shows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scanner import output_guard, output_pieces
from tests.fakes import fake_token
from tests.workcount import count_calls


@pytest.fixture(autouse=True)
def _fresh_registry() -> Iterator[None]:
    output_guard.reset()
    yield
    output_guard.reset()


def _tokens(n: int, seed: int) -> list[str]:
    return [fake_token("ghp_", 36, seed=seed + i) for i in range(n)]


def test_a_repeated_text_is_searched_once_while_nothing_new_is_registered() -> None:
    tokens = _tokens(50, seed=300)
    output_guard.register_secrets(tokens)
    text = f"`${{NAME}}` reference to GITHUB_TOKEN is not resolved: {tokens[7].upper()} and {tokens[9][2:20]}"
    first = output_guard.quote_safely(text, ("server-a",))
    once = count_calls(lambda: output_guard.quote_safely(text, ("server-b",)))
    many = count_calls(lambda: [output_guard.quote_safely(text, (f"server-{i}",)) for i in range(200)])
    assert many < 200 * once and many < 40 * 200, (once, many)  # was ~200 x a full leak search
    assert first == output_guard.quote_safely(text) and tokens[7][-12:] not in first.lower()
    output_guard._REGISTRY.quoted.clear()
    assert output_guard.quote_safely(text, ("server-c",)) == first
    # A remembered text is searched again after a registration.
    later = _tokens(1, seed=400)[0]
    text = f"argument --env {later}"
    assert output_guard.quote_safely(text, (later,)) == text  # a key-shaped run the finding names
    output_guard.register_secrets([later])
    assert later[-12:] not in output_guard.quote_safely(text, (later,))
    # The keep strings still decide per call for a remembered text.
    run = "Ab3" * 9
    text = f"tool {run} is exposed"
    assert output_guard.quote_safely(text, ("server",)) == "tool …3Ab3 is exposed"
    assert output_guard.quote_safely(text, (f"x{run}y",)) == text


def test_registering_a_value_again_costs_no_pieces() -> None:
    tokens = _tokens(20, seed=330)
    first = count_calls(lambda: output_guard.register_secrets(tokens))
    pieces = set(output_guard._REGISTRY.pieces)
    again = count_calls(lambda: [output_guard.register_secrets([token]) for token in tokens])
    assert again < first / 4, (first, again)  # each value's forms were sliced and hashed again
    assert output_guard._REGISTRY.pieces == pieces


def test_the_folded_registry_is_built_in_calls_independent_of_the_piece_count() -> None:
    def build(n: int) -> int:
        output_guard.reset()
        output_guard.register_secrets(_tokens(n, seed=340))
        return count_calls(output_guard._REGISTRY.folded)

    small, large = build(10), build(100)
    assert large < 50 and small < 50, (small, large)  # was one _fold call per piece: ~150 per secret
    registry = output_guard._REGISTRY
    assert registry.folded()[0] == {output_pieces.fold(piece) for piece in registry.pieces}
    # A non-ASCII piece is folded alone (its lower case may be longer), and so are its pieces.
    value = "İstanbul-Σecret-" + fake_token("x", 20, seed=350)
    output_guard.register_secrets([value])
    folded = output_guard._REGISTRY.folded()[0]
    assert {output_pieces.fold(piece) for piece in output_guard._REGISTRY.pieces} <= folded
    assert output_guard.holds_secret("X_" + value.upper() + "_Y")
