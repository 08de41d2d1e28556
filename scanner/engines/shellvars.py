"""Shell launchers (`sh -c "A=…; B=…; TOKEN=$A$B exec npx …"`) read as the shell runs them: the
variables a script assigns (and the entry's `env`, which the shell inherits) are expanded into the
words that use them, so a token split over several variables is judged whole. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence

from scanner.engines.decode import shell_words
from scanner.engines.engine import Hit

_REF = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_ASSIGN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", re.S)
# Words before an assignment that keep it an assignment (`export A=x`, `env A=x cmd`).
_DECLARES = frozenset({"export", "local", "readonly", "declare", "typeset", "env"})

ArgvAnalyzer = Callable[[Sequence[str]], list[tuple[int, Hit]]]


def expanded_script_hits(script: str, env: Mapping[str, str], analyze_argv: ArgvAnalyzer) -> Iterator[Hit]:
    """Hits of `script` (one command-line string) once its `$NAME` / `${NAME}` references to
    variables it assigned earlier, or that `env` sets, are expanded: only those a credential
    spans across variables (a hit inside one variable's own value, or written as is, is found
    where it is written)."""
    if "$" not in script or "=" not in script and not env:
        return
    words = shell_words(script)
    defined = dict(env)
    written = [value for value in env.values() if value]  # values as written, before any expansion
    expanded: list[str] = []
    changed = False
    for word in words:
        text = word
        if "$" in word:
            refs = [braced or bare for braced, bare in _REF.findall(word)]
            if refs and all(ref in defined for ref in refs):
                text = _REF.sub(lambda ref: defined[ref.group(1) or ref.group(2)], word)
                changed = changed or text != word
        assign = _ASSIGN.fullmatch(text)
        if assign is not None and (not expanded or expanded[-1] in _DECLARES or _assigning(expanded)):
            defined[assign.group(1)] = assign.group(2)
            if text == word and assign.group(2):
                written.append(assign.group(2))
        expanded.append(text)
    if not changed:
        return
    for _index, hit in analyze_argv(expanded):
        # Written whole somewhere (the script, one variable): found there, where it is written.
        if hit.value not in script and not any(hit.value in value for value in written):
            yield hit


def _assigning(words: Sequence[str]) -> bool:
    """Whether the next word starts a command (after `;`, `&&`, `|`) or continues its assignments."""
    last = words[-1]
    return last in (";", "&", "&&", "|", "||") or _ASSIGN.fullmatch(last) is not None
