"""XML -> positioned PNode tree (stdlib expat, with DTDs refused), for the XML options files of
JetBrains IDEs (clients/jetbrains.py).

Each element is an OBJECT with three members: `tag` (its name), `attrs` (an OBJECT of its
attributes in source order, each value positioned on its opening quote) and `children` (an ARRAY of
its child elements). Character data is dropped: the files read here keep every setting in
attributes. A `keep(tag, attributes)` test on the children of the document element leaves out the
subtrees the caller does not read (most of an IDE's workspace.xml), which are then only tokenized; a
document element `keep` accepts itself is read whole.
A document with a DOCTYPE (the only place entities can be declared) is not read, so a file can
neither include another nor grow by entity expansion.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from xml.parsers import expat

from scanner.errors import ParseError
from scanner.parsing.node import NodeKind, PNode
from scanner.parsing.positions import LineIndex

MAX_DEPTH = 256
# One attribute of a start tag as written (expat hands the values decoded, in this order).
_ATTR = re.compile(r"""([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
_TAG_NAME = re.compile(r"<([^\s/>]+)")


class _DTDRefused(Exception):
    pass


def _refuse(*_args: object) -> int:
    raise _DTDRefused


class _Builder:
    """Expat handlers that build the tree; byte offsets of start tags become codepoint positions."""

    def __init__(self, text: str, parser: expat.XMLParserType, keep: Keep | None) -> None:
        self.text = text
        self.keep = keep
        self.skipping = 0  # depth inside a subtree `keep` left out
        self.parser = parser
        self.index = LineIndex(text)
        self.ascii = text.isascii()
        self.encoded = b"" if self.ascii else text.encode("utf-8")
        self.byte_at = 0  # the last converted (byte offset, codepoint offset): start tags come in order
        self.char_at = 0
        self.stack: list[list[PNode]] = [[]]

    def _offset(self, byte_offset: int) -> int:
        if self.ascii:
            return byte_offset
        self.char_at += len(self.encoded[self.byte_at:byte_offset].decode("utf-8", "replace"))
        self.byte_at = byte_offset
        return self.char_at

    def _string(self, value: str, start: int, end: int) -> PNode:
        line, column = self.index.position(start)
        end_line, end_column = self.index.position(end)
        return PNode(NodeKind.STRING, line, column, end_line, end_column, value)

    def start(self, name: str, attributes: list[str]) -> None:
        if self.skipping:
            self.skipping += 1
            return
        if self.keep is not None and len(self.stack) == 1 and self.keep(name, attributes):
            self.keep = None  # the document element is itself a kept subtree: all of it is read
        if self.keep is not None and len(self.stack) == 2 and not self.keep(name, attributes):
            self.skipping = 1  # a child of the document element the caller does not read
            return
        if len(self.stack) > MAX_DEPTH:
            raise ParseError(f"XML nested deeper than {MAX_DEPTH} elements")
        offset = self._offset(self.parser.CurrentByteIndex)
        tag = _TAG_NAME.match(self.text, offset)
        tag_end = tag.end() if tag is not None else offset
        tag_node = self._string(name, offset, tag_end)
        written = _ATTR.finditer(self.text, tag_end)
        attrs: list[tuple[PNode, PNode]] = []
        for i in range(0, len(attributes) - 1, 2):
            match = next(written, None)
            if match is not None and match.group(1) == attributes[i]:
                key = self._string(attributes[i], match.start(1), match.end(1))
                value = self._string(attributes[i + 1], match.start(2), match.end(2))
            else:  # not where the tag says (cannot happen for well-formed input): at the tag
                key = self._string(attributes[i], offset, tag_end)
                value = self._string(attributes[i + 1], offset, tag_end)
            attrs.append((key, value))
        line, column = tag_node.line, tag_node.column
        members = [
            (self._string("tag", offset, tag_end), tag_node),
            (self._string("attrs", offset, tag_end),
             PNode(NodeKind.OBJECT, line, column, line, column, entries=attrs)),
        ]
        element = PNode(NodeKind.OBJECT, line, column, tag_node.end_line, tag_node.end_column,
                        entries=members)
        self.stack[-1].append(element)
        self.stack.append([])
        element.entries.append((self._string("children", offset, tag_end),
                                PNode(NodeKind.ARRAY, line, column, line, column)))

    def end(self, _name: str) -> None:
        if self.skipping:
            self.skipping -= 1
            return
        children = self.stack.pop()
        element = self.stack[-1][-1]
        element.entries[-1][1].items.extend(children)


# (tag, [name, value, name, value, ...]) of a child of the document element -> build its subtree?
Keep = Callable[[str, Sequence[str]], bool]


def parse_xml(text: str, keep: Keep | None = None) -> PNode:
    """The document element of `text` as a positioned tree (see the module docstring); with `keep`,
    only the children of the document element it accepts are in it.

    Raises ParseError for text that is not well-formed XML, holds a DOCTYPE, or nests deeper than
    MAX_DEPTH elements.
    """
    # The text is already decoded (parsing.decode_source: UTF-8, UTF-16 with a BOM, Windows-1252)
    # and handed to expat as UTF-8, whatever the XML declaration says it was.
    parser = expat.ParserCreate(encoding="utf-8")
    parser.ordered_attributes = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    builder = _Builder(text, parser, keep)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    try:
        parser.Parse(text.encode("utf-8"), True)
    except _DTDRefused:
        raise ParseError("XML with a DOCTYPE is not read (entities are never expanded)") from None
    except expat.ExpatError as exc:
        raise ParseError(f"not well-formed XML ({expat.ErrorString(exc.code)}, line {exc.lineno})") from None
    roots = builder.stack[0]
    if not roots:
        raise ParseError("XML without a document element")
    return roots[0]
