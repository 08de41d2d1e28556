"""Parsing layer: bytes/text -> positioned PNode trees (JSONC, YAML + front matter, TOML, dotenv,
Java properties, XML)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scanner.errors import ParseError
from scanner.parsing.dotenv import parse_dotenv
from scanner.parsing.jsonc import jsonc_comments, parse_jsonc
from scanner.parsing.node import NodeKind, PNode
from scanner.parsing.properties import parse_properties
from scanner.parsing.toml_tree import parse_toml

__all__ = [
    "Decoded",
    "NodeKind",
    "PNode",
    "decode_source",
    "decode_text",
    "jsonc_comments",
    "parse_dotenv",
    "parse_front_matter",
    "parse_jsonc",
    "parse_properties",
    "parse_toml",
    "parse_xml",
    "parse_yaml",
    "parse_yaml_document",
]

_BOM = "\ufeff"


# The YAML tree (and PyYAML under it, ~20 ms of imports) is loaded when YAML is first parsed: a scan
# of JSON and TOML configs alone never needs it (tests/test_cold_start.py).
def parse_yaml(text: str) -> PNode:
    """`yaml_tree.parse_yaml`: the first YAML document of `text` as a positioned tree."""
    from scanner.parsing import yaml_tree

    return yaml_tree.parse_yaml(text)


def parse_yaml_document(text: str, first_line: int) -> PNode:
    """`yaml_tree.parse_yaml_document`: one document cut out of a file, at the file's lines."""
    from scanner.parsing import yaml_tree

    return yaml_tree.parse_yaml_document(text, first_line)


def parse_xml(text: str, keep: Callable[[str, Sequence[str]], bool] | None = None) -> PNode:
    """`xml_tree.parse_xml`: an XML document as a positioned tree (DTDs refused), with only the
    children of the document element that `keep` accepts."""
    from scanner.parsing import xml_tree

    return xml_tree.parse_xml(text, keep)


def parse_front_matter(text: str) -> PNode | None:
    """`yaml_tree.parse_front_matter`: a Markdown file's YAML front matter, or None."""
    from scanner.parsing import yaml_tree

    return yaml_tree.parse_front_matter(text)


# Control bytes no text file holds (tab, newlines, form feed and ESC excepted) plus the five bytes
# Windows-1252 leaves undefined: in data that is not UTF-8 they mean binary, not Latin-1 text.
_NOT_TEXT = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f\x81\x8d\x8f\x90\x9d]")


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text (BOM removed) and the encoding it was read as."""

    text: str
    encoding: str  # "utf-8" | "utf-16-le" | "utf-16-be" | "cp1252"

    @property
    def fallback(self) -> bool:
        """True when the bytes were not valid UTF-8/UTF-16 and were read as Windows-1252."""
        return self.encoding == "cp1252"


def decode_source(data: bytes) -> Decoded:
    """Decode a config file: UTF-8 (BOM optional), UTF-16 LE/BE with a BOM (PowerShell `>` and
    `Out-File`), else Windows-1252 (a superset of Latin-1's printable characters; byte offsets are
    character offsets, so positions stay exact).

    Raises ParseError("binary content") when the decoded text holds NUL characters.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and not data.startswith(b"\xff\xfe\x00\x00"):
        encoding = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        try:
            text = data[2:].decode(encoding)
        except UnicodeDecodeError:
            raise ParseError("binary content (not valid UTF-16)") from None
        return Decoded(_no_nul(text), encoding)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if _NOT_TEXT.search(data):
            raise ParseError("binary content") from None
        return Decoded(data.decode("cp1252"), "cp1252")
    return Decoded(_no_nul(text[1:] if text.startswith(_BOM) else text), "utf-8")


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise ParseError("binary content")
    return text


def decode_text(data: bytes) -> str:
    """The text of `decode_source(data)` (UTF-8, UTF-16 with BOM, Windows-1252 fallback).

    Raises ParseError("binary content") for binary data.
    """
    return decode_source(data).text
