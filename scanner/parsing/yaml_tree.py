"""YAML -> PNode from PyYAML's event stream (C parser when available), plus Markdown front matter.

We compose nodes ourselves from `yaml.parse()` events instead of calling `yaml.compose()`: the
composer recurses once per nesting level (RecursionError, or a C stack overflow with CSafeLoader,
on deep input) and expands nothing lazily. Building iteratively lets us stop at 200 levels and
bound alias expansion (billion laughs) while keeping PyYAML's own marks and tag resolution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

import yaml
from yaml import events

from scanner.errors import ParseError
from scanner.parsing.node import ARRAY, BOOL, NULL, NUMBER, OBJECT, STRING, NodeKind, PNode

MAX_DEPTH = 200
# Upper bound on nodes added by alias expansion: far above any real config, far below a bomb.
# Nodes written out in the file are bounded by the caller's size limit instead.
MAX_EXPANDED_NODES = 100_000

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_MERGE_TAG = _TAG + "merge"
# PyYAML problem texts quote at most one source character, a token name or a tag handle. Drop
# quoted words of 2+ characters anyway (defence in depth); keep "expected ',' or ']'" readable.
_QUOTED = re.compile(r"\s*(?:'[^'\s]{2,}'|\"[^\"\s]{2,}\")")
# Front matter fences. The first line is `---` once Go's strings.TrimSpace took the Unicode white
# space around it off (gh-aw, pkg/parser/frontmatter.go: `  ---`, `---\u00a0`). gh-aw ends it at the
# first later line that is `---` the same way (an indented `  ---`); most other readers (Jekyll,
# python-frontmatter) at a `---` or `...` line at column 0, which may come later: both are read.
_GO_LINE_SPACE = r"[ \t\v\f\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*"
_FRONT_MATTER_FENCE = re.compile(rf"{_GO_LINE_SPACE}---{_GO_LINE_SPACE}\n")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
_GH_AW_FRONT_MATTER_END = re.compile(rf"^{_GO_LINE_SPACE}---{_GO_LINE_SPACE}$", re.M)


class _Mark(Protocol):
    """yaml.Mark and the C parser's Mark: 0-based line/column in codepoints."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


@dataclass(slots=True)
class _Frame:
    """An open collection: its node, the key waiting for a value, and bookkeeping."""

    node: PNode
    anchor: str | None
    key: PNode | None = None
    key_is_merge: bool = False
    size: int = 1
    height: int = 1  # collections above the deepest scalar, this one included
    merged: list[list[tuple[PNode, PNode]]] | None = None  # made at the first `<<` (most have none)


def parse_yaml(text: str) -> PNode:
    """Parse the first YAML document of `text` (later documents are ignored, unvalidated).

    Scalars become STRING/NUMBER/BOOL/NULL by their resolved tag (YAML 1.1, as PyYAML does);
    timestamps, binary and custom tags stay STRING with the source text. `quoted` is False for
    plain scalars. Mapping keys must be scalars and become STRING nodes holding the key text.
    Aliases are expanded by sharing the anchored node (its positions point at the anchor), bounded
    by MAX_EXPANDED_NODES; `<<` merge keys are applied (explicit keys win). An empty stream is a
    NULL node at 1:1. Block collections end where the next token starts.
    """
    return _parse(text, 0)


def parse_yaml_document(text: str, first_line: int) -> PNode:
    """parse_yaml of one document cut out of a larger file, which starts at the file's 0-based line
    `first_line`: positions are the file's (no padding: linear in the document, not the file)."""
    return _parse(text, first_line)


def parse_front_matter(text: str) -> PNode | None:
    """YAML front matter of a Markdown file, positioned in the Markdown file's coordinates.

    Front matter is a first line `---`, YAML, then a line `---` (or `...`); see the fences above for
    the white space each reader allows. None when the file has no front matter or it is empty.
    """
    fence = _FRONT_MATTER_FENCE.match(text)
    if fence is None:
        return None
    end = _FRONT_MATTER_END.search(text, fence.end())
    early = _GH_AW_FRONT_MATTER_END.search(text, fence.end(), end.start() if end is not None else len(text))
    if end is None and early is None:
        return None
    if end is None:
        assert early is not None
        return _body(text[fence.end() : early.start()])
    try:
        return _body(text[fence.end() : end.start()])
    except ParseError as exc:
        if early is None:
            raise
        # gh-aw reads only the text up to its earlier end (an indented `---` the longer text fails
        # on); had the longer text parsed, it would have held all of that.
        try:
            return _body(text[fence.end() : early.start()])
        except ParseError:
            raise exc from None


def _body(body: str) -> PNode | None:
    return _parse(body, 1) if body.strip() else None


# A `%YAML` directive naming a version libyaml does not know (`%YAML 1.3`): libyaml stops there, while
# the `yaml` package Continue reads its blocks with warns and reads the document as YAML 1.2.
_OTHER_VERSION = re.compile(r"(?m)^(%YAML[ \t]+)(?!1\.[12](?![\d.]))(\d+\.\d+)")


def _known_version(match: re.Match[str]) -> str:
    return match.group(1) + "1.2".ljust(len(match.group(2)))  # same length: positions stay


def _parse(text: str, line_offset: int) -> PNode:
    if "%YAML" in text:
        text = _OTHER_VERSION.sub(_known_version, text)
    try:
        loader = _Loader(text)
        try:
            return _Builder(line_offset).build(loader)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = _QUOTED.sub("", exc.problem or exc.context or "syntax error").strip()
        where = f" at {mark.line + 1 + line_offset}:{mark.column + 1}" if mark is not None else ""
        raise ParseError(f"invalid YAML{where}: {problem}") from None
    except yaml.YAMLError:
        # Reader errors (control characters, bad encoding) carry the offending character. libyaml
        # refuses a character outside YAML's printable set anywhere (`# \x1b[1m` in a comment), the
        # `yaml` package (Continue) reads past it: read the text with each one as U+FFFD (same length).
        unprintable = _UNPRINTABLE.sub("\ufffd", text)
        if unprintable == text:
            raise ParseError("invalid YAML: unacceptable character") from None
        return _parse(unprintable, line_offset)


_UNPRINTABLE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


class _Builder:
    """Turns an event stream into a PNode tree without recursion."""

    def __init__(self, line_offset: int) -> None:
        self.line_offset = line_offset
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()
        self.anchors: dict[str, tuple[PNode, int, int]] = {}  # node, size, height
        self.expanded = 0
        # Tag resolution and scalar construction depend on the scalar's text (and implicit flags)
        # only: each distinct one is resolved once per document.
        self.tags: dict[tuple[str, tuple[bool, bool]], str] = {}
        self.built: dict[tuple[str, str], tuple[NodeKind, object] | None] = {}
        # The first characters the resolver has an implicit (plain scalar) pattern for, the empty
        # text's "" included: `Resolver.resolve` gives every other plain scalar, and every quoted
        # one, its default tag, str. None (always ask the resolver) should its tables ever hold a
        # pattern for any first character or a path resolver.
        implicit = self.resolver.yaml_implicit_resolvers
        self.pattern_starts: frozenset[str] | None = (
            frozenset(implicit) if None not in implicit and not self.resolver.yaml_path_resolvers
            and self.resolver.DEFAULT_SCALAR_TAG == _STR_TAG else None)

    def position(self, mark: _Mark | None) -> tuple[int, int]:
        if mark is None:  # PyYAML always sets marks on parser events; typeshed allows None
            return 1 + self.line_offset, 1
        return mark.line + 1 + self.line_offset, mark.column + 1

    def new_node(self, kind: NodeKind, event: events.NodeEvent) -> PNode:
        start, end = event.start_mark, event.end_mark
        if start is None or end is None:
            line, column = self.position(start)
            end_line, end_column = self.position(end)
            return PNode(kind, line, column, end_line, end_column)
        offset = self.line_offset + 1
        return PNode(kind, start.line + offset, start.column + 1, end.line + offset, end.column + 1)

    def count(self, nodes: int) -> None:
        """Account for `nodes` nodes reached again through an alias."""
        self.expanded += nodes
        if self.expanded > MAX_EXPANDED_NODES:
            raise ParseError("YAML alias expansion too large")

    def build(self, loader: yaml.SafeLoader) -> PNode:
        stack: list[_Frame] = []
        root: PNode | None = None
        next_event = loader.get_event
        scalar_event, mapping_start, sequence_start = events.ScalarEvent, events.MappingStartEvent, \
            events.SequenceStartEvent
        mapping_end, sequence_end = events.MappingEndEvent, events.SequenceEndEvent
        scalar, anchors, array_kind, object_kind = self.scalar, self.anchors, ARRAY, OBJECT
        string_kind, offset, pattern_starts = STRING, self.line_offset + 1, self.pattern_starts
        while True:
            event = next_event()
            if event is None:  # after the stream end
                break
            event_type = type(event)
            if event_type is scalar_event:
                # NOTE: the scalar case of `attach`, inline: a scalar has size 1 and height 0, so the
                # parent's height and the depth bound cannot change, and it is always a valid key.
                start, end, text = event.start_mark, event.end_mark, event.value
                if (event.tag is None and start is not None and end is not None and pattern_starts is not None
                        and (not event.implicit[0] or text[:1] not in pattern_starts)):
                    # the str case of `scalar`, inline: no implicit pattern applies (quoted), or none
                    # for its first character
                    node = PNode(string_kind, start.line + offset, start.column + 1, end.line + offset,
                                 end.column + 1, text, quoted=bool(event.style))
                else:
                    node = scalar(event)
                if event.anchor is not None:
                    anchors[event.anchor] = (node, 1, 0)
                if not stack:
                    root = node
                    continue
                parent = stack[-1]
                parent.size += 1
                parent_node = parent.node
                if parent_node.kind is array_kind:
                    parent_node.items.append(node)
                elif parent.key is None:
                    parent.key = node if node.kind is string_kind else self.key_node(node, event)
                    parent.key_is_merge = (
                        event.value == "<<"
                        and (event.tag is None or event.tag == "!")
                        and bool(event.implicit[0])
                    )
                elif parent.key_is_merge:
                    self.merge(parent, node, event)
                else:
                    parent_node.entries.append((parent.key, node))
                    parent.key = None
                continue
            if event_type is mapping_start or event_type is sequence_start:
                if len(stack) >= MAX_DEPTH:
                    raise ParseError(f"nesting deeper than {MAX_DEPTH} levels")
                kind = object_kind if event_type is mapping_start else array_kind
                start, end = event.start_mark, event.end_mark
                if start is None or end is None:
                    node = self.new_node(kind, event)
                else:  # new_node, inline
                    node = PNode(kind, start.line + offset, start.column + 1, end.line + offset,
                                 end.column + 1)
                stack.append(_Frame(node, event.anchor))
                continue
            if event_type is mapping_end or event_type is sequence_end:
                done, is_merge = self.close(stack.pop(), event), False
            elif isinstance(event, events.AliasEvent):
                target = self.anchors.get(event.anchor or "")
                if target is None:
                    raise self.error(event, "undefined or recursive alias")
                self.count(target[1])
                done, is_merge = target, False
            elif isinstance(event, events.MappingStartEvent | events.SequenceStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise ParseError(f"nesting deeper than {MAX_DEPTH} levels")
                kind = OBJECT if isinstance(event, events.MappingStartEvent) else ARRAY
                stack.append(_Frame(self.new_node(kind, event), event.anchor))
                continue
            elif isinstance(event, events.MappingEndEvent | events.SequenceEndEvent):
                done, is_merge = self.close(stack.pop(), event), False
            elif isinstance(event, events.DocumentEndEvent):
                break
            else:  # stream/document start
                continue
            if not stack:
                root = done[0]
                continue
            self.attach(stack, done, is_merge, event)
        if root is None:
            return PNode(NULL, 1 + self.line_offset, 1, 1 + self.line_offset, 1, quoted=False)
        return root

    def close(self, frame: _Frame, event: events.Event) -> tuple[PNode, int, int]:
        """Finish the collection of `frame` at its end event: (node, size, height)."""
        node, end = frame.node, event.end_mark
        if end is None:
            node.end_line, node.end_column = self.position(end)
        else:  # position(), inline
            node.end_line, node.end_column = end.line + 1 + self.line_offset, end.column + 1
        if frame.merged:
            # First merged mapping wins over later ones, explicit keys over all (last wins).
            merged = [pair for entries in reversed(frame.merged) for pair in entries]
            frame.node.entries[:0] = merged
        done = (frame.node, frame.size, frame.height)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = done
        return done

    def attach(
        self, stack: list[_Frame], done: tuple[PNode, int, int], is_merge: bool, event: events.Event
    ) -> None:
        """Add a finished node to the innermost open collection."""
        node, size, height = done
        parent = stack[-1]
        parent.size += size
        if height >= parent.height:
            parent.height = height + 1
        if len(stack) + height > MAX_DEPTH:  # an alias can graft a deep tree onto a deep spot
            raise ParseError(f"nesting deeper than {MAX_DEPTH} levels")
        if parent.node.kind is ARRAY:
            parent.node.items.append(node)
        elif parent.key is None:
            if (
                node.kind is not STRING
                and node.kind is not NUMBER
                and (node.kind is not BOOL and node.kind is not NULL)
            ):
                raise ParseError(
                    f"invalid YAML at {node.line}:{node.column}: complex mapping keys are not supported"
                )
            parent.key = self.key_node(node, event)
            parent.key_is_merge = is_merge
        elif parent.key_is_merge:
            self.merge(parent, node, event)
        else:
            parent.node.entries.append((parent.key, node))
            parent.key = None

    def merge(self, frame: _Frame, node: PNode, event: events.Event) -> None:
        """The value of a `<<` key: its entries wait in `frame` until the mapping closes."""
        if frame.merged is None:
            frame.merged = []
        frame.merged.append(self.merge_entries(node, event))
        frame.key = None

    def merge_entries(self, node: PNode, event: events.Event) -> list[tuple[PNode, PNode]]:
        if node.kind is OBJECT:
            return list(node.entries)
        if node.kind is ARRAY and all(item.kind is OBJECT for item in node.items):
            # `<<: [*a, *b]`: *a wins over *b, so *b's entries come first.
            return [pair for item in reversed(node.items) for pair in item.entries]
        raise self.error(event, "merge key needs a mapping or a list of mappings")

    def key_node(self, node: PNode, event: events.Event) -> PNode:
        """Keys are STRING nodes holding the key as written (`8080:` -> "8080")."""
        if node.kind is STRING:
            return node
        text = node.scalar_text() if not isinstance(event, events.ScalarEvent) else event.value
        return PNode(
            STRING,
            node.line,
            node.column,
            node.end_line,
            node.end_column,
            text if text is not None else "",
            quoted=node.quoted,
        )

    def scalar(self, event: events.ScalarEvent) -> PNode:
        start, end = event.start_mark, event.end_mark
        text = event.value
        if start is None or end is None:
            node = self.new_node(STRING, event)
            node.value = text
        else:
            offset = self.line_offset + 1
            node = PNode(STRING, start.line + offset, start.column + 1, end.line + offset,
                         end.column + 1, text)
        if not event.style:
            node.quoted = False
        tag = event.tag
        if tag is None or tag == "!":
            implicit = event.implicit
            starts = self.pattern_starts
            if starts is not None and (not implicit[0] or text[:1] not in starts):
                return node  # resolve() would give str: quoted, or no pattern for its first character
            tag = self.tags.get((text, implicit))
            if tag is None:
                tag = self.tags[(text, implicit)] = self.resolver.resolve(yaml.ScalarNode, text, implicit)
        if tag == _STR_TAG:
            return node
        if tag in _SCALAR_KINDS:
            key = (tag, text)
            if key in self.built:
                built = self.built[key]
            else:
                kind, construct = _SCALAR_KINDS[tag]
                try:
                    built = (kind, construct(self.constructor, yaml.ScalarNode(tag, text)))
                except (ValueError, KeyError, IndexError, yaml.YAMLError):  # `!!bool maybe`, `!!int ""`
                    built = None  # e.g. `!!int abc`: keep the text
                self.built[key] = built
            if built is not None:
                node.kind, node.value = built  # type: ignore[assignment]
        return node

    def error(self, event: events.Event, problem: str) -> ParseError:
        line, column = self.position(event.start_mark)
        return ParseError(f"invalid YAML at {line}:{column}: {problem}")


_STR_TAG = _TAG + "str"
_SC = yaml.constructor.SafeConstructor
_SCALAR_KINDS = {
    _TAG + "int": (NUMBER, _SC.construct_yaml_int),
    _TAG + "float": (NUMBER, _SC.construct_yaml_float),
    _TAG + "bool": (BOOL, _SC.construct_yaml_bool),
    _TAG + "null": (NULL, _SC.construct_yaml_null),
}
