"""Config files as Windows and older editors write them: UTF-8 with/without BOM, UTF-16 with a BOM
(PowerShell `>` / Out-File), Windows-1252/Latin-1; true binary stays an error (issue 11)."""

from __future__ import annotations

import pytest

from scanner.errors import ParseError
from scanner.parsing import decode_source

TEXT = '{\n  "name": "café",\n  "k": "v"\n}\n'


@pytest.mark.parametrize(
    ("data", "encoding", "fallback"),
    [
        (TEXT.encode("utf-8"), "utf-8", False),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8", False),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le", False),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be", False),
        (TEXT.encode("cp1252"), "cp1252", True),
        (TEXT.encode("latin-1"), "cp1252", True),
    ],
)
def test_decodes_text_encodings(data: bytes, encoding: str, fallback: bool) -> None:
    decoded = decode_source(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding
    assert decoded.fallback is fallback


def test_windows_1252_specific_characters() -> None:
    text = 'k = "\u20ac \u201cquoted\u201d"\n'
    assert decode_source(text.encode("cp1252")).text == text


@pytest.mark.parametrize("data", [b"\x00\x01\x02\x03", b"\xff\xfe" + "a\x00b".encode("utf-16-le"),
                                  b"\xff\xfe\x00\xd8", b"\x1f\x8b\x08\x00\xff\xfe"])
def test_binary_stays_an_error(data: bytes) -> None:
    with pytest.raises(ParseError, match="^binary content"):
        decode_source(data)
