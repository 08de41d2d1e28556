"""The output boundary catches a registered value in the other forms an output can carry it in:
another letter case, percent-encoded, base64 / base64url inside a longer blob (each byte alignment).
Lookalikes stay clean: the redacted form, a fingerprint, other random text, another value's case."""

from __future__ import annotations

import base64
import random
from urllib.parse import quote

import pytest

from scanner import output_guard
from scanner.findings import redact
from tests.fakes import fake_token


def _secret() -> str:
    return fake_token("ghp_", 36, seed=77)


def _password() -> str:
    rng = random.Random(78)
    return "Pw/" + "".join(rng.choice("abcdefXYZ0123+=&") for _ in range(22))


FORMS = {
    "upper": lambda v: v.upper(),
    "lower": lambda v: v.lower(),
    "swapcase": lambda v: v.swapcase(),
    "percent": lambda v: "https://mcp.acme-tools.io/sse?key=" + quote(v, safe=""),
    "base64-0": lambda v: base64.b64encode(v.encode()).decode(),
    "base64-1": lambda v: base64.b64encode(b"u:" + v.encode()).decode(),
    "base64-2": lambda v: base64.b64encode(b"us:" + v.encode() + b"!").decode(),
    "base64url": lambda v: base64.urlsafe_b64encode(b"x" + v.encode()).decode(),
    "piece-upper": lambda v: "token " + v[3:15].upper() + " end",
}


@pytest.mark.parametrize("value", [_secret, _password], ids=["token", "password"])
@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_value_in_another_form_is_caught(value, form: str) -> None:  # type: ignore[no-untyped-def]
    secret = value()
    output_guard.register_secrets([secret])
    text = f"report: {FORMS[form](secret)}\n"
    if form == "percent" and quote(secret, safe="") == secret:
        pytest.skip("nothing to encode")
    with pytest.raises(output_guard.SecretLeakError):
        output_guard.check_output(text, "test")


def test_production_mode_masks_the_other_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(output_guard.MODE_ENV, "redact")
    secret = _secret()
    output_guard.register_secrets([secret])
    out = output_guard.check_output(f"value {secret.upper()} here", "test")
    assert secret.upper()[:12] not in out and out.startswith("value ") and out.endswith(" here")
    assert len(out) == len(f"value {secret.upper()} here")


def test_lookalikes_pass() -> None:
    secret = _secret()
    other = fake_token("ghp_", 36, seed=79)
    output_guard.register_secrets([secret])
    for text in (redact(secret), redact(secret).upper(), other, other.lower(),
                 base64.b64encode(other.encode()).decode(), quote(other + "/x", safe=""),
                 "GITHUB_PERSONAL_ACCESS_TOKEN=${GITHUB_PERSONAL_ACCESS_TOKEN}",
                 fake_token("", 64, seed=80).lower()):
        assert output_guard.check_output(text, "test") == text


def test_holds_secret_still_folds_case_and_punctuation() -> None:
    secret = _secret()
    output_guard.register_secrets([secret])
    assert output_guard.holds_secret(secret.upper().replace("_", "-"))
    assert not output_guard.holds_secret("SVC_API_TOKEN")
