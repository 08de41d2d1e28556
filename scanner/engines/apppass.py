"""Application passwords pasted the way their issuer displays them: groups of four characters
separated by single spaces.

- WordPress application passwords: 24 letters and digits shown as six groups of four
  (`WP_Application_Passwords`, WordPress 5.6+; the REST API accepts them with or without spaces),
  under `WORDPRESS_APP_PASSWORD`, `WP_APPLICATION_PASSWORD`, ... in WordPress MCP servers.
- Google app passwords: 16 lower-case letters shown as four groups of four
  (support.google.com/accounts/answer/185833), under `EMAIL_PASSWORD`, `SMTP_PASS`,
  `GMAIL_APP_PASSWORD` in mail MCP servers.

Written with its spaces such a value has 4-8 words, which the generic reader takes for prose
("set in keychain"); under a password name it is the password. The placeholders READMEs write in the
same layout (`xxxx xxxx xxxx xxxx`, `abcd efgh ijkl mnop`, `aaaa bbbb cccc dddd`) are repeats,
alphabet runs or too uniform, and stay quiet.
"""

from __future__ import annotations

import re

from scanner.engines.filters import is_example_sequence, is_placeholder, is_repeated, shannon_entropy

_GROUPED = re.compile(r"[A-Za-z0-9]{4}(?: [A-Za-z0-9]{4}){3,7}")
# 16 random lower-case letters average ~3.6 bits of entropy per character; README fillers sit
# at 2 ("aaaa bbbb cccc dddd").
_MIN_ENTROPY = 3.0


def is_grouped_app_password(value: str) -> bool:
    """True for 4-8 space-separated groups of four letters/digits that are not a placeholder."""
    text = value.strip()
    if not _GROUPED.fullmatch(text):
        return False
    joined = text.replace(" ", "")
    if joined.isdigit() or len({group.lower() for group in text.split(" ")}) == 1:
        return False  # card / phone numbers; one group repeated
    if is_placeholder(text) or is_repeated(joined) or is_example_sequence(joined):
        return False
    return shannon_entropy(joined) >= _MIN_ENTROPY
