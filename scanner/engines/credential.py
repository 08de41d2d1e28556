"""The whole credential around a matched secret: composite credentials are joined by `:`.

A detector often matches one part of a credential whose other part is just as secret: Twilio
`SK…:secret` (API key SID and secret), URL userinfo `user:password@`, `client_id:client_secret`.
A fix that replaces only the matched part keeps the rest in the file and prints it in every fix
payload, so fixes replace the whole credential and the output boundary guards all of it.

A left-hand part that does not look like a credential (a database user name such as `admin`) stays:
`postgres://admin:${DB_PASSWORD}@host` keeps the URL readable and holds nothing secret.
"""

from __future__ import annotations

# Characters that end a credential part (quotes, whitespace, URL and key=value delimiters).
_STOP = frozenset(" \t\r\n\"'`;,&?#@/=<>()[]{}|\\:$")


def looks_secret(part: str) -> bool:
    """A part long and mixed enough to be a key or key id rather than a user name."""
    return len(part) >= 16 and any(c.isdigit() for c in part) and any(c.isalpha() for c in part)


def _run_left(text: str, end: int) -> int:
    start = end
    while start > 0 and text[start - 1] not in _STOP:
        start -= 1
    return start


def _run_right(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end] not in _STOP:
        end += 1
    return end


def credential_span(text: str, value: str) -> tuple[int, int] | None:
    """[start, end) of the whole credential holding `value` in `text` (first occurrence), or None."""
    index = text.find(value)
    if index < 0:
        return None
    start, end = index, index + len(value)
    # Parts to the right (`SK…:secret`, `user:password`) are always part of the credential.
    while end < len(text) and text[end] == ":":
        right = _run_right(text, end + 1)
        if right == end + 1:
            break
        end = right
    # Parts to the left only when they look like a credential themselves (not `admin:`).
    while start > 0 and text[start - 1] == ":":
        left = _run_left(text, start - 1)
        if left == start - 1 or not looks_secret(text[left:start - 1]):
            break
        start = left
    return start, end


def whole_credential(text: str, value: str) -> str:
    """The credential text around `value` (just `value` when it stands alone or is not in `text`)."""
    span = credential_span(text, value)
    return text[span[0]:span[1]] if span is not None else value
