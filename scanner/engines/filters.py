"""False-positive predicates for secret candidates: references, placeholders, examples, names.

Each predicate is small, pure and says in its docstring what it drops. The built-in engine and the
gitleaks adapter apply the same ones, so both engines agree on what is "not a secret".
"""

from __future__ import annotations

import base64
import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from scanner.engines.standins import glued_prompt, standin_phrase
from scanner.engines.tokenslots import is_token_slot
from scanner.hosts import DEFAULT_LOCAL_PASSWORDS
from scanner.names import UPPER_ENV_NAME, is_password_name, is_sensitive_name, name_parts
from scanner.references import find_references, strip_references

__all__ = ["is_password_name", "is_sensitive_name", "name_parts"]  # re-exported: names.py owns them


def shannon_entropy(text: str) -> float:
    """Shannon entropy in bits per character (0.0 for the empty string)."""
    if not text:
        return 0.0
    total = len(text)
    # The counts in order of first occurrence either way (Counter's order), so the sum adds the same
    # terms in the same order; str.count per distinct character is cheaper on short values.
    if total <= _COUNT_BY_CHAR:
        count = text.count
        counts: Iterable[int] = [count(char) for char in dict.fromkeys(text)]
    else:
        counts = Counter(text).values()
    log2 = math.log2
    return -sum([n / total * log2(n / total) for n in counts])


_COUNT_BY_CHAR = 24


def is_empty(text: str) -> bool:
    """Drops "" and whitespace-only values (unused env keys are often left empty)."""
    return not text.strip()


def is_reference_only(text: str) -> bool:
    """Drops values whose secret part is a reference: `${env:X}`, `Bearer ${TOKEN}`, `{env:X}`.

    True when the value holds a reference and what is left after removing references is only
    punctuation, whitespace or an auth scheme word (nothing that could be a secret by itself).
    """
    if not find_references(text):
        return False
    rest = strip_references(text)
    rest = _AUTH_WORD.sub("", rest)
    return not _ALNUM_6.search(rest)


_AUTH_WORD = re.compile(r"(?i)\b(?:bearer|basic|token|apikey)\b")
_ALNUM_6 = re.compile(r"[A-Za-z0-9]{6,}")


_PLACEHOLDER_WORDS = re.compile(
    r"(?i)(?:^|[^a-z])(?:(?:your|yours|insert|replace|enter|paste|fill)[-_ ]?|(?:my|add|put|set)[-_ ])"
    r"(?:own[-_ ]?|actual[-_ ]?|real[-_ ]?|the[-_ ]?|a[-_ ]?|in[-_ ]?|here[-_ ]?)?"
    # Up to five words: at most four separator-ended runs, then one run with an optional separator.
    # The same strings as `(?:[a-z0-9]+[-_ ]?){0,5}`, without its exponential backtracking (that form
    # tried every split of one long run: "set " + 100 letters took a minute).
    r"(?:[a-z0-9]+[-_ ]){0,4}(?:[a-z0-9]+[-_ ]?)?(?:key|token|secret|password|pass|pat|here|id|value|"
    r"credential|credentials|auth|api|string|url|uri|dsn)"
)
# Exact prefilters for an ASCII value, run on its lower-cased form: each check below cannot succeed
# unless one of its literals occurs (_PLACEHOLDER_MARKERS and _has_template: the first 19 and the
# three anchored ones; _PLACEHOLDER_FOREIGN: its ASCII literals; _placeholder_words: its verbs).
# Non-ASCII values always run the checks (re's case folding is not str.lower()).
def _needles(*needles: str) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(needle) for needle in needles))


_MARKER_NEEDLES = re.compile(_needles(
    "<", "{{", "here", "your", "xxx", "***", "..", "change", "replace", "redacted", "placeholder",
    "example", "dummy", "fake", "real", "sample", "todo", "yyyy", "zzzz").pattern + r"|^xx|^\[|^\{")
_FOREIGN_NEEDLES = _needles(
    "tu", "su", "seu", "vo", "ton", "dein", "ihr", "kunci", "anahtar", "aqu", "reemplaz", "substitu",
    "remplac", "ersetzen", "einf", "sostituisci", "khoa", "anda")
_VERB_NEEDLES = _needles("your", "insert", "replace", "enter", "paste", "fill", "my", "add", "put", "set")


# _PLACEHOLDER_WORDS.search, linear on any value (the regex rescans one long run from every verb in
# it: "1your" * 2,000 took seconds). A match is a verb (after the start or a non-letter), an optional
# filler word, then a keyword that starts within the reach of up to five runs: `(?:[a-z0-9]+[-_ ]){0,4}`
# `(?:[a-z0-9]+[-_ ]?)?` accepts exactly the prefixes of "five runs joined by single separators, plus
# one separator", so every keyword start up to the end of that stretch matches.
_WORD_RUN = re.compile(r"(?i)[a-z0-9]+")
_NOT_LETTER = re.compile(r"(?i)[^a-z]")
_VERB_AT = re.compile(r"(?i)(?=your|insert|replace|enter|paste|fill|my|add|put|set)")
_VERBS = tuple((re.compile("(?i)" + word), required) for word, required in (
    ("your", False), ("yours", False), ("insert", False), ("replace", False), ("enter", False),
    ("paste", False), ("fill", False), ("my", True), ("add", True), ("put", True), ("set", True)))
_FILLERS = tuple(re.compile("(?i)" + word) for word in ("own", "actual", "real", "the", "a", "in", "here"))
_KEYWORD_AT = re.compile(r"(?i)(?=key|token|secret|password|pass|pat|here|id|value|credential|credentials|"
                         r"auth|api|string|url|uri|dsn)")
_WORD_SEPARATORS = "-_ "


def _placeholder_words(value: str) -> bool:
    """bool(_PLACEHOLDER_WORDS.search(value)), in time linear in the value."""
    keys = [m.start() for m in _KEYWORD_AT.finditer(value)]
    if not keys:
        return False
    size = len(value)
    runs = [m.span() for m in _WORD_RUN.finditer(value)]
    run_starts = [start for start, _ in runs]

    def reach(pos: int) -> int:  # the last keyword start allowed after a filler ending at `pos`
        k = bisect.bisect_right(run_starts, pos) - 1
        if k < 0 or runs[k][1] <= pos:
            return pos  # not inside a run: only a keyword right here
        for _ in range(4):
            end = runs[k][1]
            if (end < size and value[end] in _WORD_SEPARATORS and k + 1 < len(runs)
                    and runs[k + 1][0] == end + 1):
                k += 1
            else:
                break
        end = runs[k][1]
        return end + 1 if end < size and value[end] in _WORD_SEPARATORS else end

    for verb_at in _VERB_AT.finditer(value):
        start = verb_at.start()
        if start > 0 and not _NOT_LETTER.match(value, start - 1):
            continue
        for verb, separator_required in _VERBS:
            found = verb.match(value, start)
            if not found:
                continue
            end = found.end()
            ends = [end + 1] if end < size and value[end] in _WORD_SEPARATORS else []
            if not separator_required:
                ends.append(end)
            for after_verb in ends:
                positions = [after_verb]
                for filler in _FILLERS:
                    word = filler.match(value, after_verb)
                    if word:
                        positions.append(word.end())
                        if word.end() < size and value[word.end()] in _WORD_SEPARATORS:
                            positions.append(word.end() + 1)
                for pos in positions:
                    i = bisect.bisect_left(keys, pos)
                    if i < len(keys) and keys[i] <= reach(pos):
                        return True
    return False


_PLACEHOLDER_EXACT = frozenset({
    "changeme", "change_me", "change-me", "replaceme", "replace_me", "replace-me", "todo", "tbd", "fixme",
    "none", "null", "nil", "undefined", "optional", "required", "secret", "password", "token", "apikey",
    "api_key", "api-key", "example", "sample", "dummy", "fake", "test", "testing", "placeholder",
    "redacted", "hidden", "masked", "xxx", "n/a", "na", "empty", "default", "string", "value",
    "test-key", "test_key", "testkey", "mykey", "my-key", "secretkey", "secret-key", "pass", "passwd",
    "sk-", "key", "your-key", "your_key", "abc123", "123456", "12345678", "password123", "qwerty",
})
_PLACEHOLDER_MARKERS = re.compile(
    r"(?i)(?:^<.*>$|<[A-Za-z][\w .-]*>|^\[[^\]]*\]$|^\{[A-Za-z_][\w.]*\}$|"
    r"_here$|-here$|\bhere\b|^your[-_]|[-_]your[-_]|(?-i:x{4,}|X{4,})|[-_.]x{3}$|\*{3,}|\.{3}|…|"
    r"changeme|change[-_]me|replace[-_]?me|redacted|placeholder|\bexample\b|example[-_.]|"
    r"[-_.]example|dummy|\bfake\b|fake[-_]|[-_]fake|not[-_ ]?a[-_ ]?real|notreal|sample[-_]|"
    r"^todo\b|^(?-i:x{2,}|X{2,})(?![A-Za-z0-9])|(?-i:yyyy|YYYY|zzzz|ZZZZ)|^(?:sk|pk|rk)[-_](?:test|live)?[-_]?\.{2,}|"
    # Vendor docs examples that end in an upper-case EXAMPLE (AWS: AKIA...EXAMPLE, ...EXAMPLEKEY).
    r"(?-i:[A-Z0-9/]EXAMPLE(?:KEY)?$))"
)


# "your key / paste here / replace" in the languages READMEs are written in (Chinese, Japanese, Korean,
# Spanish, Portuguese, French, German, Italian, Russian, Turkish, Indonesian, Vietnamese).
_PLACEHOLDER_FOREIGN = re.compile(
    r"(?i)你的|您的|替换|填写|填入|此处|在此|请输入|請輸入|あなたの|ここに|を入力|여기에|당신의|입력|"
    r"ваш|вставьте|замен|введите|"
    r"(?:^|[-_ ])(?:tu|tus|su|sua|seu|votre|vos|ton|dein|deine|ihr|ihre|il[-_ ]tuo|la[-_ ]tua|tuo|tua|"
    r"kunci[-_ ]anda|anahtar)[-_ ]|_aqui$|[-_ ]aqui$|aqu[ií][-_]|"
    r"reemplaz|substitu|remplac|ersetzen|einf[uü]gen|sostituisci|cole[-_ ]aqui|coloca[-_ ]tu|khoa[-_]cua|"
    r"anahtariniz|[-_]anda$")


# Two or more letters of a CJK script in a row (Han ideographs, kana, Hangul syllables): words of
# prose, which no issuer puts in a credential.
_CJK_WORDS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]{2}")


def is_placeholder(text: str) -> bool:
    """Drops documentation placeholders: `<YOUR_TOKEN>`, `YOUR_API_KEY`, `your_api_key_here`,
    `xoxb-your-bot-token`, `ntn_****`, `sk-...`, `[REDACTED_API_KEY]`, `changeme`, `{{ x }}`,
    `example`/`dummy`/`fake` values, `secret_xxx`, `0xYOUR_PRIVATE_KEY`, and the same prompts in
    other languages (`你的API密钥`, `あなたのAPIキー`, `tu_clave_aqui`, `votre-cle-api`, `ваш_ключ`).
    """
    value = text.strip().strip("\"'")
    if value[:2] in ("0x", "0X") and not re.fullmatch(r"0[xX][0-9a-fA-F]+", value):
        value = value[2:]  # `0xYOUR_KEY`: a hex prefix on a placeholder
    lowered = value.lower()
    if lowered in _PLACEHOLDER_EXACT:
        return True
    if camel_prompt(value):
        return True
    ascii_only = value.isascii()
    if ((not ascii_only or _MARKER_NEEDLES.search(lowered))
            and (_PLACEHOLDER_MARKERS.search(value) or _has_template(value))):
        return True
    if (not ascii_only or _FOREIGN_NEEDLES.search(lowered)) and _PLACEHOLDER_FOREIGN.search(value):
        return True
    if not ascii_only and _CJK_WORDS.search(value) and not _has_long_random_run(value):
        return True  # setup prose in a CJK script (`需自行申请高德API Key`): no credential has such words
    if _TRIAL_NEEDLES.search(lowered) and _trial_words_only(lowered):
        return True
    if glued_prompt(lowered) or standin_phrase(lowered):
        return True  # `youvncpassword`, `super-secret-jwt-token-with-at-least-32-characters-long`
    if is_token_slot(value):
        return True  # `#{GITHUB_TOKEN}#`, `__API_KEY__`, `keychain:github-token`
    return ((not ascii_only or bool(_VERB_NEEDLES.search(lowered))) and _placeholder_words(value)
            and not _has_long_random_run(value))


# Values made of nothing but a test/demo word, credential words and a short number: the stand-ins of
# deployment examples (`test-token-123` in docker/mcp-gateway examples/kubernetes/deployment.yaml,
# `demo-key`, `test_api_key_1`). Without a test/demo word (`dev-password-2024`) a value is judged.
_TRIAL_WORDS = frozenset({"test", "testing", "demo", "dummy", "fake", "sample", "example", "mock",
                          "placeholder"})
_CREDENTIAL_WORDS = frozenset({
    "token", "tokens", "key", "keys", "api", "apikey", "secret", "secrets", "password", "pass", "pwd",
    "auth", "access", "bearer", "value", "string", "mcp", "gateway", "server", "client", "user", "admin",
    "app", "bot", "jwt", "pat", "id", "credential", "credentials", "only", "my", "your", "a", "the"})
_TRIAL_NEEDLES = _needles("test", "demo", "dummy", "fake", "sample", "example", "mock", "placeholder")
_WORD_CUTS = re.compile(r"[-_.: ]+")


# `YourWalletPrivateKeyHere`, `InsertApiKey`, `MyBotTokenHere`: the prompt written as one CamelCase
# word (the marker regexes want a separator between `your` and the rest).
_CAMEL_WORDS = re.compile(r"(?:[A-Z][a-z]+){2,10}")
_CAMEL_VERBS = frozenset({"your", "my", "insert", "replace", "enter", "paste", "put", "add"})


def camel_prompt(value: str) -> bool:
    """True for a prompt written as one CamelCase word (`0x` hex prefix allowed): a verb first or
    `Here` last, and a credential word."""
    if value[:2] in ("0x", "0X"):
        value = value[2:]
    if len(value) > 80 or _CAMEL_WORDS.fullmatch(value) is None:
        return False
    words = [word.lower() for word in re.findall(r"[A-Z][a-z]+", value)]
    return ((words[0] in _CAMEL_VERBS or words[-1] == "here")
            and any(word in _CREDENTIAL_WORDS and word not in _CAMEL_VERBS for word in words))


def _trial_words_only(lowered: str) -> bool:
    """True when every part of `lowered` (cut at `-_.: `) is a test/demo word, a credential word or
    a number of at most 4 digits, and one of them is a test/demo word."""
    parts = [part for part in _WORD_CUTS.split(lowered) if part]
    if not 1 <= len(parts) <= 6 or not any(part in _TRIAL_WORDS for part in parts):
        return False
    return all(part in _TRIAL_WORDS or part in _CREDENTIAL_WORDS or part.isdigit() and len(part) <= 4
               for part in parts)


def _has_template(value: str) -> bool:
    """`{{ ... }}` on one line: the marker `\\{\\{.*\\}\\}`, without its rescan from every `{{`."""
    start = value.find("{{")
    while start >= 0:
        line_end = value.find("\n", start)
        if line_end < 0:
            line_end = len(value)
        if value.find("}}", start + 2, line_end) >= 0:
            return True
        start = value.find("{{", line_end)
    return False


def _pasted_run(value: str) -> bool:
    """A random run of 24+ letters/digits (not a docs sequence or a repetition) inside `value`, a
    strictly random one of 16-23 (`short_random_run`: `your-key-<20 random>`), or random pieces of 8+
    that make 32+ together: a key cut by a marker (`<23 random>...<23 random>`, `-example-` or `<x>` in
    its middle) is still sent whole, its random halves with it."""
    if any(shannon_entropy(run) > 3.5 and not is_example_sequence(run) and not is_repeated(run)
           and not camel_prompt(run) for run in _random_candidates(value)):
        return True
    if any(short_random_run(run) for run in _SHORT_RUN.findall(value)):
        return True
    if len(value) < _CUT_TOTAL:
        return False
    pieces = [run for run in _PIECE.findall(value) if _random_piece(run)]
    return sum(map(len, pieces)) >= _CUT_TOTAL and shannon_entropy("".join(pieces)) > 3.5


_PIECE = re.compile(r"[A-Za-z0-9]{8,}")
_CUT_TOTAL = 32


def _random_piece(run: str) -> bool:
    """A run that reads as random: letters and digits mixed, or both cases outside CamelCase words;
    no docs sequence, repetition or JWT header."""
    digits, lower, upper = (any(c.isdigit() for c in run), any(c.islower() for c in run),
                            any(c.isupper() for c in run))
    mixed = digits and (lower or upper) or lower and upper and _CAMEL_WORDS.fullmatch(run) is None
    return (mixed and not is_example_sequence(run) and not is_repeated(run) and not _jwt_header(run)
            and not camel_prompt(run))


_SHORT_RUN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{16,23}(?![A-Za-z0-9])")
# Letter-case words and digit groups of a run: random base62 splits into pieces of about 1.6 characters,
# made-up stand-ins into words and years (`MyProjectToken2024`: 4.5, `Abc123Xyz789Def456`: 3).
_SEGMENT = re.compile(r"[A-Z][a-z]*|[a-z]+|[0-9]+")
_MAX_SEGMENT = 2.5
_SHORT_UNIFORMITY = 0.88


def short_random_run(run: str) -> bool:
    """A 16-23 character run a placeholder's words do not hide (precision study, docs/real-world-corpus-
    values.md): upper case, lower case and digits, near-uniform (entropy >= 0.88 log2 n), no docs sequence
    or repetition, and short pieces (no words or number groups). 0 of the 92 placeholders of corpora 11/12
    and 0 of 12 docs-style stand-ins hold one; about 3 in 4 random 16-23 keys pass."""
    n = len(run)
    if not 16 <= n <= 23 or not (any(c.isdigit() for c in run) and any(c.isupper() for c in run)
                                 and any(c.islower() for c in run)):
        return False
    return (shannon_entropy(run) >= _SHORT_UNIFORMITY * math.log2(n)
            and n / len(_SEGMENT.findall(run)) <= _MAX_SEGMENT
            and not is_example_sequence(run) and not is_repeated(run))


def random_password(value: str) -> bool:
    """A password no one writes as an example: 12+ characters of high entropy with a random-looking
    letter/digit run (`s3cr3tP4ssw0rd`, `mysecretpassword` are not)."""
    return (len(value) >= 12 and shannon_entropy(value) > 3.5 and not is_example_sequence(value)
            and not is_repeated(value) and any(_random_piece(run) for run in _PIECE.findall(value)))


def stands_in(value: str) -> bool:
    """A placeholder (`is_placeholder`) with no random run pasted into it: `<your-password>`, not
    `<23 random>...<23 random>` (a password or key cut by a marker is sent whole)."""
    return is_placeholder(value) and not _pasted_run(strip_references(value))


def _has_long_random_run(value: str) -> bool:
    # "YOUR_KEY" words next to a 30-char random run means someone pasted a real key after the prompt.
    return (any(shannon_entropy(run) > 3.5 for run in _random_candidates(value))
            or any(short_random_run(run) for run in _SHORT_RUN.findall(value)))


def _random_candidates(value: str) -> list[str]:
    """The 24+ letter/digit runs of `value` that could be random, less JWT headers: a header
    (`eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9`, base64 of `{"alg":…}`) is the same for every token of
    its kind, so `<header>.your-anon-key` is a docs stand-in; a real token's payload and signature
    runs still count."""
    return [run for run in re.findall(r"[A-Za-z0-9]{24,}", value) if not _jwt_header(run)]


def _jwt_header(run: str) -> bool:
    if not run.startswith("eyJ") or len(run) > 400:
        return False
    try:
        decoded = base64.urlsafe_b64decode(run + "=" * (-len(run) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    return decoded.startswith("{") and decoded.endswith("}") and '"alg"' in decoded


_SEQUENCES = ("0123456789", "1234567890", "abcdefghijklmnopqrstuvwxyz", "abcdef0123456789",
              "0123456789abcdef", "qwertyuiop")


_MAX_EXAMPLE_LEN = 256


def is_example_sequence(text: str) -> bool:
    """Drops docs examples built from runs: `ghp_1234567890abcdef1234...`, `pat123.abc123`.

    True when at least half of the body (after a known-prefix separator) is covered by sequential
    runs of 6+ characters (3+ for bodies up to 16 characters) of digit/alphabet/hex sequences.
    """
    # The same value is checked by every engine and rule that sees it: walk it once per process.
    if len(text) <= _CACHED_LEN:
        return _example_sequence_cached(text)
    return _example_sequence(text)


_CACHED_LEN = 1024


@lru_cache(maxsize=16384)
def _example_sequence_cached(text: str) -> bool:
    return _example_sequence(text)


_KNOWN_PREFIX = re.compile(r"^[A-Za-z]{1,12}[-_]")
_SEPARATORS = str.maketrans("", "", "-_.")


def _without_known_prefix(text: str) -> str:
    """_KNOWN_PREFIX.sub("", text): the pattern is anchored, so it can only match once, at 0."""
    found = _KNOWN_PREFIX.match(text)
    return text[found.end():] if found else text


def _example_sequence(text: str) -> bool:
    body = _without_known_prefix(text).lower().translate(_SEPARATORS)
    # Docs examples are short; a long value is never waved through as one (and the walk below,
    # a few steps per character and sequence, stays off multi-kilobyte values).
    if len(body) < 8 or len(body) > _MAX_EXAMPLE_LEN:
        return False
    # (The walk is one regex search: counting the sequence pairs first, to skip it, cost as much.)
    # Short docs examples are built from short runs ("pat123.abc123"); long ones from long runs.
    min_run = 3 if len(body) <= 16 else 6
    return _covered(body, min_run) * 2 >= len(body)


def _covered(body: str, min_run: int) -> int:
    """Characters covered by a greedy left-to-right walk over runs of `min_run`+ sequence characters:
    at each position the longest run there (of any sequence) is taken when it has `min_run`+
    characters, else the walk moves one character on. One regex search does that walk in C: it
    matches, at each position, the longest substring of `min_run`+ characters of a sequence (a trie
    of them: every prefix of such a substring that is long enough is one too, so the deepest node the
    text reaches is the longest run), and goes on after the run it took, as the walk does (a Python
    step per character and sequence was ~15% of a dotenv file of `KEY_<n>=value-<n>-abcdef` lines)."""
    return sum(map(len, _runs(min_run).findall(body)))


@cache
def _runs(min_run: int) -> re.Pattern[str]:
    """Any substring of `min_run`+ characters of a sequence, the longest at a position first."""
    root: dict[str, Any] = {}
    for seq in _SEQUENCES:
        for start in range(len(seq) - min_run + 1):
            node = root
            for ch in seq[start:]:
                node = node.setdefault(ch, {})

    def emit(node: dict[str, Any], depth: int) -> str:
        alternatives = [re.escape(ch) + emit(node[ch], depth + 1) for ch in sorted(node)]
        if not alternatives:
            return ""
        if depth >= min_run:  # a run may end at any depth >= min_run: the rest is optional (greedy)
            return "(?:" + "|".join(alternatives) + ")?"
        return "(?:" + "|".join(alternatives) + ")" if len(alternatives) > 1 else alternatives[0]

    return re.compile(emit(root, 0))


def is_repeated(text: str) -> bool:
    """Drops values made of one repeated character or a short repeated unit (`aaaa`, `abab...`)."""
    body = _without_known_prefix(text)
    if len(body) < 4:
        return False
    if len(set(body)) <= 2:
        return True
    for unit in range(2, 5):
        if len(body) >= unit * 3 and body == (body[:unit] * (len(body) // unit + 1))[: len(body)]:
            return True
    return False


# Whole-value expressions that something else evaluates (or nothing does): shell command
# substitution, dotted template lookups (`${secrets.X}`) and bare `env:NAME` pointers.
_EXPRESSION = re.compile(r"^(?:\$\(.*\)|`[^`]+`|\$\{[A-Za-z_][\w.-]*\}|env:[A-Za-z_]\w*)$", re.S)


def is_expression(text: str) -> bool:
    """Drops `$(cat ~/.token)`, `` `op read ...` ``, `${secrets.X}`, `env:NAME` (after an auth scheme
    word): the credential is produced elsewhere. `${X:-default}` is not matched, its default may be
    a real value."""
    value = _SCHEME_WORD.sub("", text).strip()
    return bool(_EXPRESSION.match(value))


_SCHEME_WORD = re.compile(r"(?i)^\s*(?:bearer|basic|token)\s+")


def is_not_a_secret(text: str) -> bool:
    """The combined pre-filter: empty, reference-only, expression, placeholder, docs example or
    repetition."""
    return (is_empty(text) or is_reference_only(text) or is_expression(text) or is_placeholder(text)
            or is_example_sequence(text) or is_repeated(text))


_BOOL_OR_NUMBER = re.compile(r"(?i)^(?:true|false|yes|no|on|off|enabled|disabled|-?\d+(?:\.\d+)?[kmg]?)$")
_URL_NO_CREDS = re.compile(r"(?i)^[a-z][a-z0-9+.-]*://[^@\s/]*(?:[/?#][^\s]*)?$")
_PATH = re.compile(r"^(?:~|\.{1,2})?/[\w.@~/-]*$|^[A-Za-z]:[\\/]|^\.{1,2}/|^~/")
_TOKEN_RUN = re.compile(r"[A-Za-z0-9+/=]{30,}")
_NAMED_FILE = re.compile(r"[\w.-]{1,64}\.[A-Za-z][A-Za-z0-9]{0,4}")  # `firebase-key.json`, `sa.pem`


def _path_with_token(value: str) -> bool:
    """A path-shaped value that may be a token: a run of 30+ base64 characters. A run counts
    across `/` (a base64 key that starts with `/` is path-shaped) unless the value ends in a named
    file (`/mnt/Dados1/Estudos/APPDOWNLOADYOUTUBE/android/app/firebase-key.json`: a long path to a
    key file, not a key) and no single directory or file name is itself such a run."""
    if _TOKEN_RUN.search(value) is None:
        return False
    segments = re.split(r"[\\/]", value)
    if _NAMED_FILE.fullmatch(segments[-1]) is None:
        return True
    return any(_TOKEN_RUN.search(segment) for segment in segments)
_MODEL_NAME = re.compile(
    r"(?i)^(?:gpt|claude|gemini|llama|mistral|o\d|text-embedding|command|sonar|grok)[\w.:-]*$")
_MODEL_PARTS = re.compile(r"[-_.:/]")


def _model_like(value: str) -> bool:
    """A model id is short words and versions (`claude-3-5-sonnet-20241022`, `o3-mini`); a random
    token that happens to start with `o1`/`gpt`/`command` (1 in 200 random keys start with o<digit>)
    is one long run, and was dropped as a model name."""
    return all(len(part) <= 14 for part in _MODEL_PARTS.split(value))


# The name Supabase gives a token the CLI creates (`cli_<user>@<host>_<unix time>`), pasted where the
# token (`sbp_…`) belongs: a label shown in the dashboard, not the token.
_CLI_TOKEN_NAME = re.compile(r"^cli_[^\s@]{1,64}@[^\s@]{1,64}_\d{10}$")


def is_non_secret_value(text: str) -> bool:
    """Drops values that cannot be a credential under a sensitive name: booleans, numbers, URLs
    without userinfo or secret query, file paths, model names, CLI token names, multi-word prose,
    key=value lists.
    """
    value = text.strip()
    if _BOOL_OR_NUMBER.match(value) or _MODEL_NAME.match(value) and _model_like(value):
        return True
    if _URL_NO_CREDS.match(value) and "@" not in value:
        return True
    if _PATH.match(value) and not _path_with_token(value):
        return True
    if _CLI_TOKEN_NAME.match(value):
        return True
    # Prose ("set in keychain", "see README") is never a secret; passwords rarely have 2+ spaces.
    return len(value.split()) >= 3


# The word "password" and well-known demo values, in several languages: what a README puts under a
# password name when it means "put yours here".
PLACEHOLDER_PASSWORDS = frozenset({
    "password", "passwort", "contraseña", "contrasena", "senha", "mot_de_passe", "motdepasse", "wachtwoord",
    "parola", "hasło", "haslo", "пароль", "密码", "密碼", "パスワード", "비밀번호", "yourpassword",
    "mypassword",
    "toor", "demo", "guest", "user", "admin", "root", "pw", "pwd", "pass", "passwd", "1234", "12345", "abc",
    "abcd", "none", "null", "nil", "empty", "***", "...",
})


_NOT_PASSWORDS = DEFAULT_LOCAL_PASSWORDS | PLACEHOLDER_PASSWORDS
_PLAIN_WORD = re.compile(r"[a-z]{1,15}")
# Words are at most 20 letters: `sk-` and 48 lower-case letters (a SiliconFlow key) is not a setting.
_PLAIN_WORDS = re.compile(r"[a-z]{1,20}(?:[-_][a-z]{1,20})+")
# A key prefix and one short lower-case word, maybe counted (`ctx7sk-env`, `fc-abc123`, `tvly-dev`:
# test values in public repositories, corpus realsample14): a real key's body is a random run.
_PREFIXED_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]{0,11}[-_][a-z]{1,10}[0-9]{0,3}")


def generic_ok(value: str, name: str) -> bool:
    """A literal under a sensitive name is a secret unless it is clearly not one."""
    if "://" in value:  # URIs are judged by their userinfo/query only (uri_hit, _query)
        return False
    # Under a name that is no password's, a value shorter than 8 ends below in False on every path
    # (`_pasted_run` needs 24+ characters; `--api-key=k12` skips every other test).
    if len(value) < 8 and not is_password_name(name):
        return False
    # A value holding a reference ends below in False (the first test) or in `_pasted_run` of its
    # literal part: when that is False, so is the answer (`${input:key-1}` skips the other tests).
    if find_references(value) and not _pasted_run(strip_references(value)):
        return False
    if is_empty(value) or is_expression(value) or is_example_sequence(value) or is_repeated(value):
        return False
    if is_placeholder(value) or find_references(value) or len(value.split()) >= 3:
        # A prompt, a reference or a remark around a key pasted next to it still holds the key:
        # `<YOUR_TOKEN>kT9…`, `${env:PREFIX}kT9…`, `kT9… # replace me` send the random run as is.
        return _pasted_run(strip_references(value))
    if is_non_secret_value(value):
        return False
    # (is_reference_only(value) is False here: is_not_a_secret checked it.)
    if UPPER_ENV_NAME.fullmatch(value):  # indirection: the value names a var
        return False
    if is_password_name(name):
        return len(value) >= 3 and value.lower() not in _NOT_PASSWORDS
    if len(value) < 8:
        return False
    if _PLAIN_WORD.fullmatch(value) or _PLAIN_WORDS.fullmatch(value) or _PREFIXED_WORD.fullmatch(value):
        return False  # plain words ("keychain", "read-only") are settings, not keys
    return shannon_entropy(value) >= 2.5
