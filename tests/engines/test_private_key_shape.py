"""The private-key shape in linear time (make fuzz #34237: a 313 KB value of repeated PEM headers
took 10.8 s, 8,000 lazy steps per header). Headers and bodies built at run time."""

from __future__ import annotations

import base64
import random

from scanner.engines.analyze import analyze, clear_caches
from scanner.providers.patterns import PATTERNS

_ROW = next(p for p in PATTERNS if p.id == "private-key")
_HEADER = "-----BEGIN " + "RSA PRIVATE" + " KEY-----"
_FOOTER = "-----END " + "RSA PRIVATE" + " KEY-----"


def _body(seed: int) -> str:
    return base64.b64encode(random.Random(seed).randbytes(600)).decode()


def test_each_header_is_scanned_only_up_to_the_next_one() -> None:
    text = (_HEADER + "x") * 5000
    matches = list(_ROW.regex.finditer(text))
    assert len(matches) == 5000  # one per header; none spans another header
    assert all(m.group(0).count("-----BEGIN ") == 1 for m in matches)


def test_complete_key_after_a_truncated_one_is_still_a_key_of_its_own() -> None:
    clear_caches()
    whole = _HEADER + "\n" + _body(1) + "\n" + _FOOTER
    text = _HEADER + "\n" + _body(2)[:40] + "\n" + whole
    found = [m.group(0) for m in _ROW.regex.finditer(text)]
    assert whole in found
    assert any(hit.secret_type == "private-key" for hit in analyze(text, "SSH_KEY"))


def test_a_key_with_its_footer_is_matched_whole() -> None:
    whole = _HEADER + "\n" + _body(3) + "\n" + _FOOTER
    assert [m.group(0) for m in _ROW.regex.finditer("k=" + whole + " tail")] == [whole]
