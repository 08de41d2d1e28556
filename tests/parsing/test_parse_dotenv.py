"""parse_dotenv and decode_text."""

from __future__ import annotations

import pytest

from scanner.errors import ParseError
from scanner.parsing import decode_text, parse_dotenv
from tests.fakes import fake_token
from tests.parsing.helpers import source_at

ENV = (
    "# comment\n"
    "\n"
    "PLAIN=value\n"
    'export EXPORTED = "dq \\"x\\" \\n end" # note\n'
    "SINGLE='lit \\n $HOME'\n"
    "COMMENTED=abc # trailing\r\n"
    "EMPTY=\n"
    "HASH=#not-a-comment\n"
    'MULTI="one\n'
    'two"\n'
    "not an assignment\n"
    "  INDENTED=🔑x\n"
    "PLAIN=second\n"
)


@pytest.mark.parametrize(
    ("name", "value", "line", "column", "quoted"),
    [
        ("EXPORTED", 'dq "x" \n end', 4, 19, True),
        ("SINGLE", "lit \\n $HOME", 5, 8, True),
        ("COMMENTED", "abc", 6, 11, False),
        ("EMPTY", "", 7, 7, False),
        ("HASH", "#not-a-comment", 8, 6, False),
        ("MULTI", "one\ntwo", 9, 7, True),
        ("INDENTED", "🔑x", 12, 12, False),
        ("PLAIN", "second", 13, 7, False),
    ],
)
def test_parse_dotenv_values_and_positions(
    name: str, value: str, line: int, column: int, quoted: bool
) -> None:
    node = parse_dotenv(ENV).get(name)
    assert node is not None
    assert (node.value, node.line, node.column, node.quoted) == (value, line, column, quoted)


def test_parse_dotenv_keys_and_spans() -> None:
    root = parse_dotenv(ENV)
    assert root.keys() == [
        "PLAIN",
        "EXPORTED",
        "SINGLE",
        "COMMENTED",
        "EMPTY",
        "HASH",
        "MULTI",
        "INDENTED",
        "PLAIN",
    ]
    assert source_at(ENV, root.get("SINGLE")) == "'lit \\n $HOME'"  # type: ignore[arg-type]
    assert source_at(ENV, root.get("MULTI")) == '"one\ntwo"'  # type: ignore[arg-type]
    key = root.entries[1][0]
    assert (key.value, key.line, key.column, key.quoted) == ("EXPORTED", 4, 8, False)


def test_parse_dotenv_secret_value_position() -> None:
    secret = fake_token("sk-ant-api03-", 80, seed=4)
    text = f"A=1\nANTHROPIC_API_KEY='{secret}'\n"
    node = parse_dotenv(text).get("ANTHROPIC_API_KEY")
    assert node is not None and (node.value, node.line, node.column) == (secret, 2, 19)


def test_decode_text_strips_bom_and_keeps_text() -> None:
    assert decode_text('\ufeff{"é": 1}'.encode()) == '{"é": 1}'
    assert decode_text(b"a\r\nb") == "a\r\nb"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe{\x00\x00\x00", "binary content"),  # UTF-16 text holding a NUL character
        (b"PK\x03\x04\x00\x00", "binary content"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content"),
        (b"\xc3\x28\x01\x02\x90", "binary content"),  # not UTF-8 and control bytes: not Latin-1 text
    ],
)
def test_decode_text_rejects(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=f"^{message}$"):
        decode_text(data)
