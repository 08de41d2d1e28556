"""Recognise "reference, not value" syntaxes (`${env:X}`, `${input:id}`, `{env:X}`, ...).

Which client resolves which syntax is a column of scanner/clients/catalog.py."""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass
from operator import attrgetter

from scanner.model import _slot_init


class RefSyntax(str, enum.Enum):  # noqa: UP042 (same shape as model.py enums)
    """Each interpolation syntax seen in MCP configs (see reference/mcp-clients.md)."""

    ENV_COLON = "${env:NAME}"
    INPUT = "${input:ID}"
    DOLLAR_BRACE = "${NAME}"  # also ${NAME:-default}, ${NAME:?message}
    GHA_EXPR = "${{ secrets.NAME }}"  # also ${{ inputs.NAME }}
    BRACE_ENV = "{env:NAME}"  # opencode
    BRACE_FILE = "{file:path}"  # opencode
    FILE_COLON = "${file:path}"  # windsurf
    USER_CONFIG = "${user_config.KEY}"  # mcpb / claude plugins
    DOLLAR = "$NAME"  # gemini, crush
    PERCENT = "%NAME%"  # gemini on windows
    # editor/plugin path variables: ${userHome}, ${CLAUDE_PLUGIN_ROOT}, ${/}, ...
    PREDEFINED = "${workspaceFolder}"
    # Not resolved by any MCP client, but never a literal secret either: what people commit so a
    # launcher or their tooling fetches the value (no client claims them, so no hardening rule).
    # A secret-store reference: 1Password `op://vault/item/field`, HashiCorp Vault `vault:path#key`,
    # vals/helm-secrets `ref+<backend>://...`, AWS `arn:aws:secretsmanager:...` / `arn:aws:ssm:...`,
    # GCP `projects/<p>/secrets/<name>[/versions/<v>]` and berglas `sm://` / `berglas://`.
    SECRET_STORE = "op://vault/item/field"
    # Shell command substitution that reads a secret store, as in a `sh -c` launcher:
    # `$(security find-generic-password -s NAME -w)`, `$(op read op://...)`, `$(pass show x)`,
    # Crush's `$(echo Bearer $TOKEN)`.
    COMMAND = "$(security find-generic-password ...)"
    LITELLM = "os.environ/NAME"  # LiteLLM proxy configs (model_list[].litellm_params.api_key)
    # devcontainer.json's own variables (containers.dev reference): the host's `${localEnv:NAME}` and
    # the container's `${containerEnv:NAME}` (optionally `:default`), resolved by the dev container
    # tooling before VS Code or its MCP servers start.
    DEVCONTAINER_ENV = "${localEnv:NAME}"
    AT_NAME = "@NAME@"  # Maven/Gradle resource filtering tokens
    # Application source reading the process environment (clients/source_code.py): the readers write
    # each read (and each value an f-string / template literal computes) as `{os.environ["NAME"]}`
    # (Python) or `${process.env.NAME}` (TypeScript / JavaScript); the bare forms are what fixes write.
    CODE_ENV = 'os.environ["NAME"]'


@_slot_init
@dataclass(frozen=True, slots=True)
class RefMatch:
    syntax: RefSyntax
    name: str
    start: int
    end: int


# Path-like variables the editors and plugin hosts define themselves; never secrets and never an
# env lookup, so they are not judged by the "does this client resolve ${X}" hardening rules.
PREDEFINED_NAMES = frozenset({
    "workspaceFolder", "workspaceFolderBasename", "workspaceRoot", "userHome", "pathSeparator", "/",
    "cwd", "fileDirname", "file", "relativeFile", "CLAUDE_PLUGIN_ROOT", "CLAUDE_PLUGIN_DATA",
    "CLAUDE_PROJECT_DIR", "extensionPath", "workspacePath", "__dirname", "DESKTOP", "DOCUMENTS",
    "DOWNLOADS",
})
_PREDEFINED_RE = "|".join(re.escape(name) for name in sorted(PREDEFINED_NAMES, key=len, reverse=True))

# Order matters: the most specific forms first, and spans already claimed are skipped. Bodies never
# cross a `{`, so an unclosed `${file:` or `${A:-` scans only to the next brace, not to the end of
# the text for each of thousands of openings.
_PATTERNS: tuple[tuple[RefSyntax, re.Pattern[str]], ...] = (
    (RefSyntax.CODE_ENV, re.compile(
        r"""(?:\$?\{)?(?:os\.environ\[["']|process\.env\.)([A-Za-z_][A-Za-z0-9_]*)(?:["']\])?\}?""")),
    (RefSyntax.COMMAND, re.compile(
        r"\$\(((?:security|op|pass|gopass|secret-tool|keyring|aws|gcloud|az|vault|bw|bws|doppler|infisical|"
        r"lpass|sops|kubectl|gh|printenv)\s[^()]{0,400}|cat\s+[~$/.\w-][^()\s]{0,200}|"
        r"echo\s+(?:[A-Za-z]+\s+)?\$\{?[A-Za-z_]\w*\}?\s*)\)")),
    (RefSyntax.SECRET_STORE, re.compile(
        r"(?<![\w+./-])((?:op|sm|berglas|ref\+[a-z0-9]+)://[^\s\"'{}()<>]+|vault:[\w./-]+(?:#[\w.-]+)?|"
        r"arn:aws[\w-]*:(?:secretsmanager|ssm):[\w-]*:\d*:[^\s\"'{}()<>]+|"
        r"projects/[\w.-]+/secrets/[\w.-]+(?:/versions/[\w.-]+)?)")),
    (RefSyntax.LITELLM, re.compile(r"(?<![\w./])os\.environ/([A-Za-z_][A-Za-z0-9_]*)")),
    (RefSyntax.AT_NAME, re.compile(r"(?<![\w@])@([A-Z_][A-Z0-9_]{2,})@(?![\w@])")),
    (RefSyntax.GHA_EXPR, re.compile(r"\$\{\{\s*(?:secrets|inputs|env|vars)\.([A-Za-z_][\w-]*)\s*\}\}")),
    (RefSyntax.ENV_COLON, re.compile(r"\$\{env:([A-Za-z_][\w]*)\}")),
    (RefSyntax.DEVCONTAINER_ENV, re.compile(r"\$\{(?:localEnv|containerEnv):([A-Za-z_][\w]*)(?::[^{}]*)?\}")),
    (RefSyntax.INPUT, re.compile(r"\$\{input:([\w.-]+)\}")),
    (RefSyntax.FILE_COLON, re.compile(r"\$\{file:([^{}]+)\}")),
    (RefSyntax.USER_CONFIG, re.compile(r"\$\{(user_config\.[\w.-]+)\}")),
    (RefSyntax.PREDEFINED, re.compile(r"\$\{(" + _PREDEFINED_RE + r")\}")),
    # `${NAME:-default}` (the default is judged too: engines/uri.py), `${NAME:?message}` (compose, shells:
    # an error when NAME is unset; the message is no value); Spring's `${NAME:default}` / `${NAME:}`
    # (a default without blanks: `${cmd: op read …}` is another tool's command).
    (RefSyntax.DOLLAR_BRACE, re.compile(r"\$\{([A-Za-z_][\w]*+)(?::?[-?][^{}]*+|:[^{}\s]*+)?\}")),
    (RefSyntax.BRACE_ENV, re.compile(r"(?<!\$)\{env:([A-Za-z_][\w]*)\}")),
    (RefSyntax.BRACE_FILE, re.compile(r"(?<!\$)\{file:([^{}]+)\}")),
    (RefSyntax.DOLLAR, re.compile(r"(?<![\w$\\])\$([A-Za-z_][A-Za-z0-9_]*)")),
    (RefSyntax.PERCENT, re.compile(r"(?<![\w%])%([A-Za-z_][A-Za-z0-9_]*)%(?![\w%])")),
)


# Openings of the syntaxes without `$`, `{` or `%` (secret stores, LiteLLM, `@NAME@`).
_OTHER_OPENINGS = re.compile(r"op://|sm://|berglas://|ref\+|vault:|arn:aws|/secrets/|os\.environ[/\[]|process\.env\."
                             r"|@[A-Z_]")


def find_references(text: str) -> list[RefMatch]:
    """Every reference in `text`, non-overlapping, in source order."""
    if "$" not in text and "{" not in text and "%" not in text and _OTHER_OPENINGS.search(text) is None:
        return []
    if len(text) <= _SHORT_LEN:
        return list(_cached_short(text))
    if len(text) > _CACHE_MAX_LEN:
        return list(_cached_long(text))
    return list(_cached_references(text))


# The same value is looked at by many rules and analysis steps in one scan (about 23 times per
# server), in passes over the whole file; the caches make that one regex pass per distinct value.
# The function is pure, so bounded process-wide caches are safe. Short values (nearly all) get a
# cache that holds a whole 5 MiB config's worth, so a later pass still finds the first one's
# results; long values get caches of their own with fewer entries.
_SHORT_LEN = 256
_CACHE_MAX_LEN = 4096


@functools.lru_cache(maxsize=65536)
def _cached_short(text: str) -> tuple[RefMatch, ...]:
    return _find_references(text)


@functools.lru_cache(maxsize=8192)
def _cached_references(text: str) -> tuple[RefMatch, ...]:
    return _find_references(text)


@functools.lru_cache(maxsize=8)
def _cached_long(text: str) -> tuple[RefMatch, ...]:
    return _find_references(text)


def clear_caches() -> None:
    """Forget every cached result (tests that count work start from nothing)."""
    _cached_short.cache_clear()
    _cached_references.cache_clear()
    _cached_long.cache_clear()


def _find_references(text: str) -> tuple[RefMatch, ...]:
    whole = _WHOLE.fullmatch(text)
    if whole is not None:
        return (_whole_reference(whole),)
    return _every_pattern(text)


# A value that is one reference of the commonest forms, `${input:id}`, `${env:NAME}` or `${NAME}` (no
# dot, colon, slash, `@`, `%`, quote or bracket inside), holds no opening of any other syntax: no
# pattern before its own matches anywhere in it, the patterns after it match (`${NAME}` for the first
# two) only its own span, which is claimed, and `$NAME` needs a letter after the `$`. So it is that one
# reference, which every pattern's pass over it found (17 literal gates and 4-5 regex passes per
# value of a VS Code file of 64,000 `${input:k-<n>}`: 10% of its scan; tests/test_reference_fast_path.py).
_WHOLE = re.compile(r"\$\{(?:input:([\w-]+)|env:([A-Za-z_]\w*)|([A-Za-z_]\w*))\}")


def _whole_reference(whole: re.Match[str]) -> RefMatch:
    end = whole.end()
    if whole.group(1) is not None:
        return RefMatch(RefSyntax.INPUT, whole.group(1), 0, end)
    if whole.group(2) is not None:
        return RefMatch(RefSyntax.ENV_COLON, whole.group(2), 0, end)
    name = whole.group(3)
    syntax = RefSyntax.PREDEFINED if name in PREDEFINED_NAMES else RefSyntax.DOLLAR_BRACE
    return RefMatch(syntax, name, 0, end)


def _every_pattern(text: str) -> tuple[RefMatch, ...]:
    # One byte per character marks what an earlier (more specific) pattern claimed: checking a
    # span costs its length, and the spans of one pattern do not overlap, so this is linear
    # (comparing each match with every claimed span was quadratic: 16,000 `${A}` took 14.6 s).
    # The marks are made only when a second pattern matches: the first pattern that matches takes
    # all its matches unchecked (nothing is claimed before it), which is every match of a value of
    # one syntax (131,072 `${A}` paid a check and a mark each).
    claimed: bytearray | None = None
    found: list[RefMatch] = []
    syntaxes = 0  # how many patterns matched: the matches of one alone are in order already
    for syntax, pattern, gate in _gates():
        if gate is not None and gate.search(text) is None:
            continue  # a text holding none of the strings every match holds: no pass over it
        if not found:
            found = [RefMatch(syntax, match.group(1), *match.span()) for match in pattern.finditer(text)]
            syntaxes = 1 if found else 0
            continue
        before = len(found)
        for match in pattern.finditer(text):
            if claimed is None:
                claimed = bytearray(len(text))
                for ref in found:
                    claimed[ref.start:ref.end] = b"\x01" * (ref.end - ref.start)
            start, end = match.span()
            if claimed.find(1, start, end) != -1:
                continue
            claimed[start:end] = b"\x01" * (end - start)
            found.append(RefMatch(syntax, match.group(1), start, end))
        syntaxes += len(found) > before
    if syntaxes > 1:
        found.sort(key=_START)
    return tuple(found)


_START = attrgetter("start")


@functools.cache
def _needled() -> tuple[tuple[RefSyntax, re.Pattern[str], frozenset[str]], ...]:
    """_PATTERNS with the strings one of which every match of each holds (prefilter.required_literals,
    read off the regex itself, so exact; empty when none, or too many to be worth testing)."""
    from scanner.providers.prefilter import required_literals  # NOTE: lazy, keeps cold start light

    out = []
    for syntax, pattern in _PATTERNS:
        literals = required_literals(pattern)
        usable = literals is not None and len(literals) <= 4
        out.append((syntax, pattern, literals if usable and literals is not None else frozenset()))
    return tuple(out)


@functools.cache
def _gates() -> tuple[tuple[RefSyntax, re.Pattern[str], re.Pattern[str] | None], ...]:
    """_needled with each pattern's strings as one literal search (a C call: `any(needle in text
    ...)` ran a generator per pattern and value), None for an ungated pattern."""
    return tuple((syntax, pattern, re.compile("|".join(map(re.escape, sorted(needles)))) if needles else None)
                 for syntax, pattern, needles in _needled())


def is_reference(text: str) -> bool:
    """True when the value holds at least one reference (its secret part is resolved elsewhere).

    The secret engines still look at the text around the references ("app:${PASS}@prod-db" leaks
    a host, and a literal token next to a reference is still a literal).
    """
    return bool(find_references(text))


def strip_references(text: str) -> str:
    """`text` with every reference removed (what is left is literal)."""
    refs = find_references(text)
    if not refs:
        return text
    out: list[str] = []
    pos = 0
    for ref in refs:
        out.append(text[pos:ref.start])
        pos = ref.end
    out.append(text[pos:])
    return "".join(out)
