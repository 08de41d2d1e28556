"""Stand-in secrets written as words: prompts glued into one word and instruction phrases.

Real-config corpus 7 shapes: `youvncpassword` / `mydbpassword` / `supersecretpassword` (a prompt or a
qualifier glued to a credential word: the README's "your VNC password"), and Supabase's documented
local JWT secret `super-secret-jwt-token-with-at-least-32-characters-long` (a sentence about the
secret, hyphenated). No issuer's credential is made of dictionary words only; a passphrase of random
words (`correct-horse-battery-staple-orange`) has no credential word and no sentence words, and stays.
"""

from __future__ import annotations

import re

# The word that names what the value stands for: it ends a glued prompt.
_CREDENTIAL_TAILS = frozenset({
    "password", "passwd", "pass", "pwd", "passphrase", "passcode", "pin", "token", "key", "apikey",
    "secret", "secretkey", "credential", "credentials"})
# Words that start a prompt ("your ...", "enter ...", "some ...").
_LEADS = frozenset({"you", "your", "yours", "my", "our", "the", "some", "enter", "insert", "put", "type",
                    "add", "set", "new", "default", "sample", "this", "a", "an"})
# What a prompt says of the credential: its service, its kind, its strength.
_QUALIFIERS = frozenset({
    "super", "secret", "secure", "strong", "long", "random", "very", "own", "real", "actual", "private",
    "personal", "master", "local", "dev", "test", "db", "database", "vnc", "ssh", "ftp", "sftp", "smtp",
    "mail", "email", "app", "api", "admin", "root", "user", "login", "account", "service", "server",
    "client", "bot", "access", "auth", "session", "jwt", "oauth", "refresh", "signing", "encryption",
    "cookie", "webhook", "postgres", "postgresql", "pg", "mysql", "mariadb", "redis", "mongo", "mongodb",
    "neo", "neo4j", "rabbit", "rabbitmq", "wifi", "router", "web", "github", "openai", "cloud", "aws",
    "azure", "gcp", "jira", "slack", "notion", "supabase", "vault", "keycloak", "grafana", "elastic",
    "kibana", "minio", "odoo", "wordpress", "wp", "smb", "ldap", "proxy", "vpn", "dummy", "fake", "demo"})
# Without a lead word, a prompt starts with how strong the secret should be (`supersecretpassword`)
# or says it is not a real one (`testpassword123`, `dummysecret`: corpus 9, a local test stack's
# stand-in); a service word first is a password like any other (`vault-dev-password`, `adminpassword`:
# judged).
_STANDIN_FIRST = frozenset({"super", "secret", "secure", "strong", "long", "random", "very", "test", "dummy",
                            "fake", "demo"})
_TAIL_ENDS = tuple(_CREDENTIAL_TAILS)
_LONGEST = max(map(len, _LEADS | _QUALIFIERS | _CREDENTIAL_TAILS))
_GLUED_MAX = 64
# A prompt is a few words (`yoursupersecretvncpassword`: 5). More words of the table glued together
# are a password chosen from them (each word a few bits): judged like any other.
_GLUED_WORDS_MAX = 6


def glued_prompt(lowered: str) -> bool:
    """True for a lower-cased value made of a prompt glued together: lead words (or a strength word
    first), qualifier words, then a credential word (and an optional `here` and a number of at most 4
    digits), with at least two words: `youvncpassword`, `my_db_password1`, `supersecretpassword`,
    `mytoken`. `vault-dev-password` (no lead, a service word first) is not one."""
    if len(lowered) > _GLUED_MAX:
        return False
    body = lowered.replace("-", "").replace("_", "").replace(".", "").replace(" ", "")
    digits = len(body) - len(body.rstrip("0123456789"))
    if digits > 4:
        return False
    body = body[: len(body) - digits]
    if body.endswith("here"):
        body = body[:-4]
    if len(body) < 5 or not body.endswith(_TAIL_ENDS) or not body.isascii() or not body.isalpha():
        return False
    return 2 <= _segments(body) <= _GLUED_WORDS_MAX


def _segments(body: str) -> int:
    """The most words of a split `lead* qualifier* tail` of `body`, or 0 when there is none."""
    size = len(body)
    # best[i]: most words covering body[:i] with leads then qualifiers (state 0: leads only so far).
    best: list[dict[int, int]] = [{} for _ in range(size + 1)]
    best[0][0] = 0
    for i in range(size):
        for state, count in best[i].items():
            for j in range(i + 1, min(size, i + _LONGEST) + 1):
                word = body[i:j]
                if state == 0 and word in _LEADS:
                    _keep(best[j], 0, count + 1)
                if word in _QUALIFIERS and (i > 0 or word in _STANDIN_FIRST):
                    _keep(best[j], 1, count + 1)
    most = 0
    for i in range(size):
        if body[i:] in _CREDENTIAL_TAILS and best[i]:
            most = max(most, max(best[i].values()) + 1)
    return most


def _keep(cell: dict[int, int], state: int, count: int) -> None:
    if cell.get(state, -1) < count:
        cell[state] = count


# Words of a sentence about a secret: function words and the instructions docs give with it.
_SENTENCE_WORDS = frozenset({
    "with", "at", "least", "this", "is", "a", "an", "the", "for", "in", "of", "to", "be", "must",
    "should", "change", "me", "it", "your", "my", "our", "long", "characters", "chars", "char", "string",
    "random", "secure", "strong", "super", "very", "here", "production", "prod", "dev", "development",
    "local", "only", "not", "use", "do", "please", "replace", "generate", "min", "minimum", "length",
    "bits", "bytes", "and", "or", "value", "that", "make", "sure", "than", "more", "secret"})
_PHRASE_PART = re.compile(r"[a-z]{1,20}|\d{1,4}")
_PHRASE_CUTS = re.compile(r"[-_.]")
# The words a stand-in sentence is made of: every word of the tables above. A sentence may name one
# thing of its own (`nextauth`, `openssl`: a short word) and give a length or two (`32`); more words
# outside the tables, or more numbers, carry a chosen secret (`secret-is-the-<20 random letters>-...`).
_PHRASE_VOCABULARY = _SENTENCE_WORDS | _CREDENTIAL_TAILS | _QUALIFIERS | _LEADS
_PHRASE_OWN_WORD_MAX = 12
_PHRASE_PARTS_MAX = 12


def standin_phrase(lowered: str) -> bool:
    """True for a hyphenated (or underscored) phrase of 5 to 12 words that reads as a sentence about a
    secret: words of the tables above (one short word of its own at most), at most two short numbers,
    a credential word among them, and at least two sentence words
    (`super-secret-jwt-token-with-at-least-32-characters-long`)."""
    if len(lowered) > 160 or lowered.count("-") + lowered.count("_") + lowered.count(".") < 4:
        return False
    parts = _PHRASE_CUTS.split(lowered)
    if not 5 <= len(parts) <= _PHRASE_PARTS_MAX or not all(_PHRASE_PART.fullmatch(part) for part in parts):
        return False
    words = [part for part in parts if not part.isdigit()]
    own = [word for word in words if word not in _PHRASE_VOCABULARY]
    if len(parts) - len(words) > 2 or len(own) > 1 or own and len(own[0]) > _PHRASE_OWN_WORD_MAX:
        return False
    return (len(words) >= 4 and any(word in _CREDENTIAL_TAILS or word == "jwt" for word in words)
            and sum(word in _SENTENCE_WORDS for word in words) >= 2)
