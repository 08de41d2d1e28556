"""Parsing layer: bytes/text -> positioned PNode trees (JSONC, YAML + front matter, TOML, dotenv)."""

from __future__ import annotations

from scanner.errors import ParseError
from scanner.parsing.dotenv import parse_dotenv
from scanner.parsing.jsonc import jsonc_comments, parse_jsonc
from scanner.parsing.node import NodeKind, PNode
from scanner.parsing.toml_tree import parse_toml
from scanner.parsing.yaml_tree import parse_front_matter, parse_yaml

__all__ = [
    "NodeKind",
    "PNode",
    "decode_text",
    "jsonc_comments",
    "parse_dotenv",
    "parse_front_matter",
    "parse_jsonc",
    "parse_toml",
    "parse_yaml",
]

_BOM = "\ufeff"


def decode_text(data: bytes) -> str:
    """Strict UTF-8 decode with a leading BOM removed.

    Raises ParseError("binary content") when the data holds NUL bytes (binary files, UTF-16) and
    ParseError("not valid UTF-8") otherwise when decoding fails.
    """
    if b"\x00" in data:
        raise ParseError("binary content")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ParseError("not valid UTF-8") from None
    return text[1:] if text.startswith(_BOM) else text
