"""The grammar of env/flag/header names, in one place: which names hold credentials or passwords,
and what a valid environment variable name looks like."""

from __future__ import annotations

import functools
import re
import unicodedata

# A valid environment variable name (use with fullmatch).
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A value that is itself the name of an upper-case variable (`GITHUB_TOKEN`): an indirection.
UPPER_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")

_SENSITIVE_PARTS = frozenset({
    "TOKEN", "KEY", "SECRET", "PASSWORD", "PASS", "PASSWD", "PWD", "PAT", "AUTH", "AUTHORIZATION",
    "CREDENTIALS", "CREDENTIAL", "APIKEY", "PASSPHRASE", "COOKIE", "PRIVATEKEY", "ACCESSKEY",
    "SECRETKEY", "AUTHTOKEN", "ACCESSTOKEN", "CLIENTSECRET", "DSN", "BEARER", "JWT", "PASSCODE",
    "CRED", "CREDS", "HMAC",
})
# Credential words only as a name's last part: `*_SK` (the secret half of Huawei Cloud's / Baidu
# Qianfan's AK/SK pairs: `HUAWEICLOUD_SDK_SK`, `QIANFAN_SK`), `*_SALT` (`HASHIDS_SALT`); `SK_REGION`
# or `SALT_ROUNDS` say nothing secret.
_SENSITIVE_LAST = frozenset({"SK", "SALT"})
# Glued credential words (`PGPASSWORD` of psql, `GHTOKEN`, `DBPASSWORD`, `OPENAIAPIKEY`): one part
# that ends with one of these counts as that word.
_SENSITIVE_ENDINGS = ("PASSWORD", "PASSWD", "TOKEN", "SECRET", "APIKEY")
# Name endings that describe a credential without being one (`GITHUB_TOKEN_LIMIT`, `AWS_KEY_ID`).
_QUALIFIER_PARTS = frozenset({
    "ID", "IDS", "REGION", "URL", "URI", "ENDPOINT", "HOST", "PORT", "PATH", "FILE", "DIR", "LIMIT",
    "LIMITS", "TYPE", "NAME", "MODE", "METHOD", "ENABLED", "ENABLE", "DISABLED", "ENV", "VAR",
    "EXPIRY", "EXPIRES", "TTL", "COUNT", "SIZE", "LENGTH", "TOKENS", "PREFIX", "ARN", "PROVIDER",
    "VERSION", "SCOPE", "SCOPES", "ISSUER", "AUDIENCE", "ALGORITHM", "ALG", "USER", "USERNAME",
    "EMAIL", "STRATEGY", "TIMEOUT", "HEADER", "FIELD", "LOCATION", "COMMAND", "HELPER", "REF",
    "PROJECT", "ACCOUNT", "TEAM", "ORG", "WORKSPACE", "REQUIRED", "FORMAT", "STORE", "SOURCE",
    "BUDGET", "MAX", "MIN", "RATE", "WINDOW", "REFRESH_INTERVAL", "INTERVAL", "HASH", "FINGERPRINT",
    "DOMAIN", "ORDER", "PRIORITY", "PRECEDENCE", "SOURCES",
})
_PUBLIC_PARTS = frozenset({"PUBLIC", "PUBLISHABLE", "ANON", "PUB"})
_NUMERIC_NAMES = re.compile(r"(?i)(?:^|_)(?:MAX|MIN|NUM)_?TOKENS?(?:$|_)|TOKENS?_(?:LIMIT|COUNT|BUDGET)")


def name_parts(name: str) -> list[str]:
    """Upper-case words of an env/flag/header name: `--figmaApiKey` -> [FIGMA, API, KEY]."""
    return list(_name_parts(name))


# Names repeat across a scan (every server has its API_TOKEN) and each value's analysis asks about
# its name several times; these are pure, so one bounded cache per question answers the repeats.
_NAME_CACHE = 16384
# The boundary itself (lookarounds): a literal replacement stays in C, where `\1_\2` expanded its
# template in Python per match (a random token used as a name has a boundary every few characters).
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^A-Za-z0-9]+")


# Cyrillic and Greek letters drawn like Latin ones (`GITHUB_TOKEN` spelt with a Cyrillic O): a name
# is read as it looks, so a lookalike cannot hide what it holds (NFKC first folds fullwidth letters).
_LOOKALIKES = str.maketrans(
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0406\u0408\u0405"
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u0261\u04bb\u051b"
    "\u051d\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5"
    "\u03a7\u03b1\u03b2\u03b5\u03b9\u03ba\u03bd\u03bf\u03c1\u03c4\u03c5\u03c7",
    "ABEKMHOPCTXIJSaeopcyxijsdghqwABEZHIKMNOPTYXabeikvoptux")


def _as_seen(name: str) -> str:
    return name if name.isascii() else unicodedata.normalize("NFKC", name).translate(_LOOKALIKES)


@functools.lru_cache(maxsize=_NAME_CACHE)
def _name_parts(name: str) -> tuple[str, ...]:
    seen = _as_seen(name).strip().lstrip("-")
    spaced = _CAMEL.sub("_", seen)
    return tuple(part for part in _NON_WORD.split(spaced.upper()) if part)


# A piece of every word in _SENSITIVE_PARTS and _SENSITIVE_ENDINGS, and of `API_HASH`. The parts of an
# ASCII name are runs of its letters and digits, upper-cased: a part holding one of these words puts
# it, lower-cased, in the lower-cased name. Names in a findings-dense file are distinct (tokens used
# as env keys, `--opt-N` flags), and splitting each was most of the names' cost.
# Whole names that hold a credential though none of their parts is a credential word: Honeycomb's auth
# header is `X-Honeycomb-Team` (its value is the API key), though `*_TEAM` is not.
_SENSITIVE_WHOLE = frozenset({("X", "HONEYCOMB", "TEAM")})
_SENSITIVE_HINT = re.compile("token|key|secret|pass|pwd|pat|auth|cred|dsn|bearer|jwt|cookie|hash"
                             "|honeycomb|hmac|salt|sk$")
assert all(_SENSITIVE_HINT.search(word.lower())
           for word in (*_SENSITIVE_PARTS, *_SENSITIVE_ENDINGS, *_SENSITIVE_LAST))
assert all(_SENSITIVE_HINT.search("_".join(whole).lower()) for whole in _SENSITIVE_WHOLE)
assert not any(char.isdigit() for word in (*_SENSITIVE_PARTS, *_SENSITIVE_ENDINGS, *_QUALIFIER_PARTS,
                                           *_PUBLIC_PARTS, *(w for whole in _SENSITIVE_WHOLE for w in whole))
               for char in word)  # is_sensitive_name is digit-blind on ASCII names


@functools.lru_cache(maxsize=_NAME_CACHE)
def is_sensitive_name(name: str) -> bool:
    """True for names that hold credentials: `*_TOKEN`, `*_API_KEY`, `*_SECRET`, `*_PASSWORD`,
    `*_PAT`, `*_AUTH`, `Authorization`, `--password`, `apiKey`; False for their non-secret
    relatives (`*_KEY_ID`, `*_TOKEN_LIMIT`, `MAX_TOKENS`, `*_PUBLIC_KEY`, `*_AUTH_URL`).
    """
    if name.isascii():
        if _SENSITIVE_HINT.search(name.lower()) is None:
            return False  # no part can be (or end with) a credential word: skip splitting the name
        # Digit-blind: no word below holds a digit and the split treats every digit alike, so
        # `KEY_1` .. `KEY_99999` (a generated file's distinct names) are one question, `KEY_0`.
        return _sensitive_parts(name.translate(_ZERO_DIGITS))
    return _sensitive_parts(name)


_ZERO_DIGITS = str.maketrans("123456789", "000000000")


@functools.lru_cache(maxsize=_NAME_CACHE)
def _sensitive_parts(name: str) -> bool:
    """is_sensitive_name's answer from the parts of `name`."""
    parts = list(_name_parts(name))
    if not parts or _NUMERIC_NAMES.search("_".join(parts)):
        return False
    if not _PUBLIC_PARTS.isdisjoint(parts):
        return False
    # Telegram-style app credentials: `*_API_HASH` is a secret although `*_HASH` usually is not.
    if parts[-2:] == ["API", "HASH"]:
        return True
    if tuple(parts) in _SENSITIVE_WHOLE:
        return True
    if parts[-1] in _QUALIFIER_PARTS:
        return False
    if parts[-1] in _SENSITIVE_LAST:
        return True
    # (set lookups first: `any(part in SENSITIVE or part.endswith(ENDINGS))` per part, in one pass)
    return not _SENSITIVE_PARTS.isdisjoint(parts) or any(part.endswith(_SENSITIVE_ENDINGS) for part in parts)


@functools.lru_cache(maxsize=_NAME_CACHE)
def is_password_name(name: str) -> bool:
    """True for password-like names, where short human passwords ("Summer2024!") still count."""
    if name.isascii() and "pass" not in (lowered := name.lower()) and "pwd" not in lowered:
        return False  # the last part (a run of the name's own characters) holds `PASS` or `PWD`
    parts = _name_parts(name)
    return bool(parts) and (parts[-1] in {"PASS", "PWD", "PASSPHRASE"}
                            or parts[-1].endswith(("PASSWORD", "PASSWD")))  # PGPASSWORD (psql)
