"""One keyword prefilter in front of the provider-shape regexes.

Every shape regex without a `name` condition needs some literal text in any match it makes: `ghp_`,
one of `sk_live_`/`rk_live_`, `.infura.io/`, `:AA` (Telegram). `required_literals` reads that from
the compiled regex itself (the standard library's regex parser), so a row can never disagree with its
keywords. A value holding none of a row's keywords cannot match the row and skips its regex; one
combined alternation of every keyword answers "none at all" (the common case) in a single pass.

A row whose regex yields no usable literal (case-insensitive, or nothing but classes and repeats)
stays on the slow path: its regex runs on every value, as before. Rows with a `name` condition are
gated by the name they sit under (cached per name) and never by keywords. The prefilter is exact: it
only skips regexes that cannot match, so the rows it returns find what running all rows finds.
"""

from __future__ import annotations

import functools
import re
import re._constants as _sre  # the standard library's own regex parse tree (Python 3.11+)
import re._parser as _sre_parse
from collections.abc import Iterable, Sequence
from typing import Any

from scanner.providers.base import Pattern

# Bounds that keep the literal sets small: a class of up to this many characters expands into
# alternatives, a run holds at most this many alternative strings.
_MAX_CLASS = 4
_MAX_ALTERNATIVES = 32
_ZERO_WIDTH = frozenset({_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT})
_REPEATS = frozenset({_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)})


def required_literals(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Strings of which every match of `regex` contains at least one, or None when there is none
    usable (then the regex must run on every value)."""
    if regex.flags & re.IGNORECASE or not isinstance(regex.pattern, str):
        return None
    try:
        tree = _sre_parse.parse(regex.pattern, regex.flags)
    except (re.error, RecursionError):  # pragma: no cover - compiled already, so it parses
        return None
    best = _best(list(tree))
    return best if best and all(best) else None


def _score(literals: frozenset[str] | None) -> tuple[int, int]:
    if not literals or not all(literals):
        return (0, 0)
    return (min(len(s) for s in literals), -len(literals))


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    return b if _score(b) > _score(a) else a


def _best(items: Sequence[tuple[Any, Any]]) -> frozenset[str] | None:
    """The best required literal set of a sequence: the strongest contiguous literal run, or a
    required literal inside a mandatory group or repeat."""
    best: frozenset[str] | None = None
    run: set[str] = {""}
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # consumes nothing: the characters either side are adjacent in the text
        expanded = _expand_item(op, av)
        if expanded is not None and len(run) * len(expanded) <= _MAX_ALTERNATIVES:
            run = {a + b for a in run for b in expanded}
            continue
        once = _expand(av[2]) if op in _REPEATS and av[0] >= 1 else None
        if once is not None and len(run) * len(once) <= _MAX_ALTERNATIVES:
            # `ab+c`: the first copy of the body follows the run ("ab"), the last one precedes
            # what comes next ("bc"); how many copies lie between is unknown.
            best = _better(best, frozenset(a + b for a in run for b in once))
            run = once
            continue
        best = _better(best, frozenset(run))
        run = {""}
        best = _better(best, _inner_best(op, av))
    return _better(best, frozenset(run))


def _inner_best(op: Any, av: Any) -> frozenset[str] | None:
    """A required literal set inside one item that is not a plain literal run."""
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return None if add_flags & _sre.SRE_FLAG_IGNORECASE else _best(list(sub))
    if op in _REPEATS:
        low, _high, sub = av
        return _best(list(sub)) if low >= 1 else None
    if op is _sre.BRANCH:
        # Every match goes through one alternative: the union of each one's literals is required.
        union: set[str] = set()
        for alternative in av[1]:
            inner = _best(list(alternative))
            if not inner or not all(inner):
                return None
            union |= inner
        return frozenset(union) if len(union) <= _MAX_ALTERNATIVES else None
    return None


def _expand(items: Iterable[tuple[Any, Any]]) -> set[str] | None:
    """Every string a sequence of items can match, when it is literal enough to list (else None)."""
    out: set[str] = {""}
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        expanded = _expand_item(op, av)
        if expanded is None or len(out) * len(expanded) > _MAX_ALTERNATIVES:
            return None
        out = {a + b for a in out for b in expanded}
    return out


def _expand_item(op: Any, av: Any) -> set[str] | None:
    if op is _sre.LITERAL:
        return {chr(av)}
    if op is _sre.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is _sre.LITERAL:
                chars.add(chr(sub_av))
            elif sub_op is _sre.RANGE and sub_av[1] - sub_av[0] < _MAX_CLASS:
                chars.update(chr(c) for c in range(sub_av[0], sub_av[1] + 1))
            else:  # NEGATE, CATEGORY, wide ranges
                return None
        return chars if 0 < len(chars) <= _MAX_CLASS else None
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return None if add_flags & _sre.SRE_FLAG_IGNORECASE else _expand(sub)
    if op is _sre.BRANCH:
        out: set[str] = set()
        for alternative in av[1]:
            expanded = _expand(alternative)
            if expanded is None:
                return None
            out |= expanded
        return out if len(out) <= _MAX_ALTERNATIVES else None
    if op in _REPEATS:
        low, high, sub = av
        if low == high and low <= 4:
            once = _expand(sub)
            if once is None:
                return None
            out = {""}
            for _ in range(low):
                out = {a + b for a in out for b in once}
                if len(out) > _MAX_ALTERNATIVES:
                    return None
            return out
    return None


def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Every character a match of `pattern` can begin with, or None when that is not known exactly
    enough to list (a class with a category or a negation, `.`, a case-insensitive part, a
    backreference) or when the pattern can match the empty string. Exact: a match always begins
    with one of them; lookarounds and anchors consume nothing and are passed over."""
    if flags & re.IGNORECASE:
        return None
    try:
        tree = _sre_parse.parse(pattern, flags)
    except (re.error, RecursionError):
        return None
    chars, nullable = _starts(list(tree))
    return None if chars is None or nullable else frozenset(chars)


def _starts(items: Sequence[tuple[Any, Any]]) -> tuple[set[str] | None, bool]:
    """(first characters, can match empty) of a sequence of parse items; (None, _) when unknown."""
    out: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        chars, nullable = _item_starts(op, av)
        if chars is None:
            return None, False
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _item_starts(op: Any, av: Any) -> tuple[set[str] | None, bool]:
    if op is _sre.LITERAL:
        return {chr(av)}, False
    if op is _sre.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is _sre.LITERAL:
                chars.add(chr(sub_av))
            elif sub_op is _sre.RANGE and sub_av[1] - sub_av[0] < 256:
                chars.update(chr(c) for c in range(sub_av[0], sub_av[1] + 1))
            else:  # NEGATE, CATEGORY, very wide ranges
                return None, False
        return chars, False
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return (None, False) if add_flags & _sre.SRE_FLAG_IGNORECASE else _starts(list(sub))
    if op is _sre.BRANCH:
        union: set[str] = set()
        empty = False
        for alternative in av[1]:
            chars_or_none, nullable = _starts(list(alternative))
            if chars_or_none is None:
                return None, False
            union |= chars_or_none
            empty = empty or nullable
        return union, empty
    if op in _REPEATS:
        low, _high, sub = av
        chars_or_none, nullable = _starts(list(sub))
        return chars_or_none, nullable or low == 0
    return None, False


class ShapeIndex:
    """The rows of a shape table a value can match, in table order, found with one keyword pass."""

    def __init__(self, rows: Sequence[Pattern]) -> None:
        self.rows = tuple(rows)
        self.keywords: tuple[frozenset[str] | None, ...] = tuple(
            None if row.name is not None else required_literals(row.regex) for row in self.rows)
        # Rows that run on every value: no name condition and no usable keyword.
        self.slow = tuple(i for i, row in enumerate(self.rows)
                          if row.name is None and self.keywords[i] is None)
        self.named = tuple(i for i, row in enumerate(self.rows) if row.name is not None)
        by_keyword: dict[str, set[int]] = {}
        for i, literals in enumerate(self.keywords):
            for literal in literals or ():
                by_keyword.setdefault(literal, set()).add(i)
        # The rows of every keyword that is a prefix of `k` (itself included): at one position the
        # trie matches the longest keyword there, and every other keyword there is a prefix of it.
        self._rows_at = {
            k: tuple(sorted({i for j in range(1, len(k) + 1) for i in by_keyword.get(k[:j], ())}))
            for k in by_keyword}
        trie = _trie(by_keyword)
        self._any = re.compile(trie) if trie else None
        self._each = re.compile(f"(?=({trie}))") if trie else None
        # Name conditions are case-insensitive, so `keywords` has none for them; but on an ASCII name
        # each needs one of its literals (read with the case flag off, then lower-cased) somewhere in
        # the lower-cased name. None: no usable literal, the condition's regex always runs.
        self.name_keywords: tuple[tuple[int, tuple[str, ...] | None], ...] = tuple(
            (i, _name_literals(self.rows[i].name)) for i in self.named)  # type: ignore[arg-type]
        # All gated rows' literals in one trie (the shape keywords' scheme above): the rows a
        # lower-cased ASCII name may satisfy are those of the literals found, plus the ungated ones.
        by_name_literal: dict[str, set[int]] = {}
        for i, name_literals in self.name_keywords:
            for literal in name_literals or ():
                by_name_literal.setdefault(literal, set()).add(i)
        self._name_rows_at = {
            k: frozenset(i for j in range(1, len(k) + 1) for i in by_name_literal.get(k[:j], ()))
            for k in by_name_literal}
        name_trie = _trie(by_name_literal)
        self._name_each = re.compile(f"(?=({name_trie}))") if name_trie else None
        self._name_ungated = frozenset(i for i, name_literals in self.name_keywords if name_literals is None)
        self._for_name = functools.lru_cache(maxsize=4096)(self._named_rows)
        # The fewest characters a match of any name-gated row's regex takes (the parser's own width):
        # a shorter text (stripped, it only gets shorter) matches none, whatever name it sits under, so
        # its name is not looked at (`KEY_1=value-1`: a distinct name per line of a dotenv file).
        self.named_min = min((_sre_parse.parse(self.rows[i].regex.pattern, self.rows[i].regex.flags)
                              .getwidth()[0] for i in self.named), default=0)
        self._always = tuple(self.rows[i] for i in self.slow)
        self._slow_only = (tuple(sorted(self.slow)), self._always)

    def _named_rows(self, name: str | None) -> tuple[tuple[int, ...], tuple[Pattern, ...]]:
        """The name-gated rows `name` satisfies, with the slow rows: as indexes and as rows."""
        if name is None:
            named: tuple[int, ...] = ()
        elif name.isascii():  # names are distinct in a findings-dense file: skip what cannot match
            gated = set(self._name_ungated)
            if self._name_each is not None:
                rows_at = self._name_rows_at
                for match in self._name_each.finditer(name.lower()):
                    gated |= rows_at[match.group(1)]
            if not gated:
                return self._slow_only
            rows = self.rows
            named = tuple(i for i in sorted(gated) if rows[i].name.search(name))  # type: ignore[union-attr]
            if not named:
                return self._slow_only
        else:
            named = tuple(i for i in self.named if self.rows[i].name.search(name))  # type: ignore[union-attr]
        indexes = tuple(sorted({*self.slow, *named}))
        return indexes, tuple(self.rows[i] for i in indexes)

    def candidates(self, text: str, name: str | None) -> tuple[Pattern, ...]:
        """The rows whose regex (or name condition) can hold for `text` under `name`."""
        if len(text) < self.named_min:
            name = None  # too short for every name-gated row
        first = self._any.search(text) if self._any is not None else None
        if first is None:  # the common case: no keyword at all
            return self._for_name(name)[1] if name is not None else self._always
        picked: set[int] = set(self._for_name(name)[0])
        if self._each is not None:
            # Nothing starts before the leftmost match; from there, the keyword at every position.
            for match in self._each.finditer(text, first.start()):
                picked.update(self._rows_at[match.group(1)])
        return tuple(self.rows[i] for i in sorted(picked))


def _name_literals(regex: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case strings one of which every case-insensitive match of `regex` on an ASCII text
    holds (compared with the text lower-cased), or None. An ASCII character matches a pattern
    character case-insensitively exactly when their lower cases are equal, unless the pattern
    character is not ASCII (the Kelvin sign matches `k`): literals with such characters are not used."""
    literals = required_literals(re.compile(regex.pattern, regex.flags & ~re.IGNORECASE))
    if literals is None or not all(literal.isascii() for literal in literals):
        return None
    return tuple(sorted({literal.lower() for literal in literals}))


def _trie(words: Iterable[str]) -> str:
    """One regex matching any of `words`, shaped as a trie: at each position it tries one branch per
    distinct next character and matches the longest word there (the optional tails are greedy).
    A flat alternation of every keyword was about five times slower."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alternatives = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not alternatives:
            return ""
        ends = "" in node
        body = "(?:" + "|".join(alternatives) + ")" if len(alternatives) > 1 or ends else alternatives[0]
        return body + "?" if ends else body

    return emit(root)
