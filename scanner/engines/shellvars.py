"""Shell launchers (`sh -c "A=…; B=…; TOKEN=$A$B exec npx …"`) read as the shell runs them: the
variables a script assigns (and the entry's `env`, which the shell inherits) are expanded into the
words that use them, so a token split over several variables is judged whole; a command
substitution that prints a literal (`$(echo …)`, through `| base64 -d` too) is that literal. Pure: no I/O."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator, Mapping, Sequence

from scanner.engines.decode import shell_words
from scanner.engines.engine import Hit

# `$NAME` / `${NAME}`: a reference a shell (or a dotenv loader that expands them) replaces.
VAR_REF = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
# `NAME=value` as one shell word (use with fullmatch).
ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", re.S)
# Words before an assignment that keep it an assignment (`export A=x`, `env A=x cmd`).
_DECLARES = frozenset({"export", "local", "readonly", "declare", "typeset", "env"})

ArgvAnalyzer = Callable[[Sequence[str]], list[tuple[int, Hit]]]


def expand_vars(text: str, defined: Mapping[str, str]) -> str | None:
    """`text` with each `$NAME` / `${NAME}` replaced by its value in `defined`; None when it holds
    no reference, or one that `defined` does not set (then it is left as it is)."""
    refs = [braced or bare for braced, bare in VAR_REF.findall(text)]
    if not refs or not all(ref in defined for ref in refs):
        return None
    return VAR_REF.sub(lambda ref: defined[ref.group(1) or ref.group(2)], text)


def expanded_script_hits(script: str, env: Mapping[str, str], analyze_argv: ArgvAnalyzer,
                         env_reports: Callable[[str], bool] = lambda _value: False) -> Iterator[Hit]:
    """Hits of `script` (one command-line string) once its `$NAME` / `${NAME}` references to
    variables it assigned earlier, or that `env` sets, are expanded: a credential split over
    variables, or moved from a variable of no telling name into one (or a header, a flag). A value
    an `env` entry reports by itself (`env_reports`) is left to that entry; one the script writes
    is the same place as the script's own hit (the caller's dedupe keeps one)."""
    if "$" not in script or "=" not in script and not env:
        return
    words = shell_words(script)
    defined = dict(env)
    expanded: list[str] = []
    changed = False
    for word in words:
        text = word
        if "$" in word and (expanded_word := expand_vars(word, defined)) is not None:
            text = expanded_word
            changed = changed or text != word
        assign = ASSIGNMENT.fullmatch(text)
        if assign is not None and (not expanded or expanded[-1] in _DECLARES or _assigning(expanded)):
            defined[assign.group(1)] = assign.group(2)
        expanded.append(text)
    if not changed:
        return
    for _index, hit in analyze_argv(expanded):
        if not env_reports(hit.value):
            yield hit


def _assigning(words: Sequence[str]) -> bool:
    """Whether the next word starts a command (after `;`, `&&`, `|`) or continues its assignments."""
    last = words[-1]
    return last in (";", "&", "&&", "|", "||") or ASSIGNMENT.fullmatch(last) is not None


_PRINTERS = re.compile(r"^(?:/usr)?(?:/bin/)?(?:echo|printf)$")
_SHELL_META = re.compile(r"[$`|;&<>\\]|\s#")


def printed_literal(command: str) -> str | None:
    """What `echo …` / `printf [%s] …` prints when every word is a literal (no expansion,
    substitution, pipe, redirection or list), else None: `echo "$(op read …)"` prints a reference."""
    if _SHELL_META.search(command.replace("%s\\n", "").replace("%s", "")) is not None:
        return None
    words = shell_words(command)
    if len(words) < 2 or _PRINTERS.match(words[0]) is None:
        return None
    rest = words[1:]
    if words[0].endswith("echo"):
        while rest and rest[0] in ("-n", "-e", "-E", "-ne", "-en"):
            rest = rest[1:]
    elif rest[0] in ("%s", "%s\\n") and len(rest) > 1:
        rest = rest[1:]
    elif "%" in rest[0]:
        return None  # another format: what it prints is not simply its arguments
    return " ".join(rest) or None


# `$(cmd)` and `` `cmd` `` without nested parentheses or backticks.
_SUBSTITUTION = re.compile(r"\$\(([^()]{1,4096})\)|`([^`]{1,4096})`")
_BASE64_DECODE = frozenset({("base64", "-d"), ("base64", "--decode"), ("base64", "-D")})


def substituted(text: str) -> str | None:
    """`text` with each command substitution that prints a literal (`$(echo X)`, `` `printf %s X` ``,
    optionally piped through `base64 -d` / `--decode` / `-D`) replaced by what it prints; None when
    none does (a substitution that reads a store, an expansion, any other command stays as it is)."""
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        command = match.group(1) if match.group(1) is not None else match.group(2)
        stages = [stage.strip() for stage in command.split("|")]
        printed = printed_literal(stages[0])
        if printed is None:
            return match.group(0)
        for stage in stages[1:]:
            if tuple(stage.split()) not in _BASE64_DECODE:
                return match.group(0)
            try:
                printed = base64.b64decode(printed.strip(), validate=True).decode("utf-8")
            except (binascii.Error, ValueError):
                return match.group(0)
        changed = True
        return printed

    out = _SUBSTITUTION.sub(replace, text)
    return out if changed else None
