"""Values that look like credentials but are not one anybody can use: documentation examples and
ciphertext. Both engines drop them (the built-in one as it collects hits, the gitleaks adapter with
its other filters), whatever name or shape reported them.

- The jwt.io debugger's sample token (claims `sub: "1234567890"`, `name: "John Doe"`): the example
  every JWT tutorial and README pastes; it signs nothing of anyone's. An HMAC-signed one counts only
  with the signature of the debugger's published sample secret: the same claims signed with anybody
  else's key are that service's token (the claims say nothing of who signed it).
- A token cut short with an ellipsis before its signature (`eyJhbGciOiJIUzI1NiIs...`): the header
  (and claims) a README shows; without the signature it authenticates nothing. So does a JOSE header
  with one more part and no signature (`eyJhbGciOiJIUzI1NiJ9.abc`, a test value): no JWS / JWE.
- Words-and-counting test values (`test-api-key-12345`, `my_demo_token_123`): only words a README
  uses for a fake value, plus an optional counting run of digits; no random part at all.
- The Supabase CLI's local development keys, the same on every machine (`supabase start` prints them;
  its docs and templates paste them): the default secret and publishable keys (`sb_secret_…`,
  `sb_publishable_…`, matched by digest) and the JWTs it signs with the documented local JWT secret
  (claims `iss: "supabase-demo"`, signed with the documented local JWT secret). They open only a
  database on the developer's machine; `iss` is not checked by Supabase's servers, so a token with
  that claim signed with a project's own JWT secret is that project's key and stays a finding.
- The Azure Storage emulator's account key (Azurite / the legacy Storage Emulator, account
  `devstoreaccount1`): one well-known key Microsoft publishes in its docs, the same for everyone, that
  opens only the emulator on the developer's machine (matched by digest).
- SOPS ciphertext (`ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`, getsops/sops) and Ansible Vault
  blocks (`$ANSIBLE_VAULT;1.1;AES256`): the committed form of an encrypted secret, which is the
  remediation, not the leak.

Pure and cheap: each check starts with a literal prefix or a short full match.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re

from scanner.engines.decode import b64url_decode, jwt_payload

# Words a README or test puts together for a value that is obviously not real.
_FAKE_WORDS = frozenset({
    "test", "testing", "demo", "dummy", "fake", "sample", "example", "mock", "placeholder",
    "my", "your", "api", "key", "token", "secret", "password", "pass", "access", "auth", "app", "dev",
    "local", "value", "string",
})
# At least one word that says "not real" (api-key-12345 alone is a weak real key as often as not).
_FAKE_MARKERS = frozenset({"test", "testing", "demo", "dummy", "fake", "sample", "example", "mock",
                           "placeholder"})
_PARTS = re.compile(r"[-_.]")
_COUNTING = "1234567890"
_SOPS = re.compile(r"ENC\[AES256_GCM,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,"
                   r"type:[a-z]+\]")
_VAULT = re.compile(r"\$ANSIBLE_VAULT;1\.[12];AES256(?:;[\w-]+)?\s+[0-9a-f\s]+")
_MAX_WORDS_VALUE = 64
# sha256 of the Supabase CLI's default local secret key and publishable key (the values themselves are
# not kept here: they are shaped like real keys).
_SUPABASE_LOCAL_KEYS = frozenset({
    "c85debb55f2f204d868cc1552c42faa143b4c675f61363ab040dd50b5b5304cd",
    "9705102db0d5f99ee08daa19a73e510d9877a2a9add9369da247cbbe6c2a0140"})
# sha256 of the Azure Storage emulator's published account key (devstoreaccount1).
_EMULATOR_DIGESTS = frozenset({
    "0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059"})

# The HMAC keys the samples are signed with, as their docs publish them: the jwt.io debugger's
# (older and current) and the Supabase CLI's local JWT secret (`supabase status`, its docs).
_JWT_IO_KEYS = (b"your-256-bit-secret", b"your-384-bit-secret", b"your-512-bit-secret",
                b"a-string-secret-at-least-256-bits-long")
_SUPABASE_DEMO_KEYS = (b"super-secret-jwt-token-with-at-least-32-characters-long",)
_HMAC_ALGS = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}
# The claims of jwt.io's public-key samples (RS256 / ES256 / PS256: signed with its published
# private key, which a signature check here would need a crypto library for): these claims only.
_JWT_IO_CLAIMS = frozenset({"sub", "name", "iat", "admin"})


def is_documented_non_secret(value: str) -> bool:
    """True for a documentation example or a ciphertext (see the module docstring)."""
    text = value.strip()
    if text.startswith("eyJ"):
        return _is_example_jwt(text)
    if text.startswith("sb_"):
        return hashlib.sha256(text.encode()).hexdigest() in _SUPABASE_LOCAL_KEYS
    if text.startswith("Eby8vdM0"):
        return hashlib.sha256(text.encode()).hexdigest() in _EMULATOR_DIGESTS
    if text.startswith("ENC["):
        return bool(_SOPS.fullmatch(text))
    if text.startswith("$ANSIBLE_VAULT;"):
        return bool(_VAULT.fullmatch(text))
    return _is_test_words(text)


def _is_example_jwt(token: str) -> bool:
    for ellipsis in ("...", "\u2026"):
        if token.endswith(ellipsis):
            return len(token[: -len(ellipsis)].rstrip(".").split(".")) < 3
    if token.count(".") == 1:  # a JOSE header and one more part: no JWS (3 parts) or JWE (5), when
        head, rest = token.split(".")  # that part is claims or a short tail, not a random run pasted on
        return _jose_header(head) and (len(rest) < 16 or _json_object(rest) is not None)
    claims = jwt_payload(token)
    if claims is None:
        return False
    if claims.get("iss") == "supabase-demo":  # the Supabase CLI's local anon / service_role keys
        return _signed_with(token, _SUPABASE_DEMO_KEYS) is True
    if claims.get("sub") != "1234567890" or claims.get("name") != "John Doe":
        return False
    signed = _signed_with(token, _JWT_IO_KEYS)
    if signed is None:  # not HMAC: jwt.io's public-key sample carries its claims and nothing else
        return set(claims) <= _JWT_IO_CLAIMS and claims.get("iat") == 1516239022
    return signed


def _json_object(segment: str) -> dict[str, object] | None:
    """The JSON object a base64url segment encodes, or None."""
    raw = b64url_decode(segment)
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _jose_header(segment: str) -> bool:
    """True when `segment` is a base64url JOSE header (a JSON object naming its `alg`)."""
    header = _json_object(segment)
    return header is not None and isinstance(header.get("alg"), str)


def _signed_with(token: str, keys: tuple[bytes, ...]) -> bool | None:
    """True when the HMAC signature of `token` is the one one of `keys` makes, False when it is
    another, None when the header names no HMAC algorithm (HS256 / HS384 / HS512)."""
    head, body, signature = token.split(".")
    raw = b64url_decode(head)
    try:
        header = json.loads(raw.decode("utf-8")) if raw is not None else None
    except (UnicodeDecodeError, ValueError):
        header = None
    alg = header.get("alg") if isinstance(header, dict) else None
    digest = _HMAC_ALGS.get(alg) if isinstance(alg, str) else None
    if digest is None:
        return None
    given = b64url_decode(signature)
    if given is None:
        return False
    message = f"{head}.{body}".encode()
    return any(hmac.compare_digest(hmac.new(key, message, digest).digest(), given) for key in keys)


def _is_test_words(text: str) -> bool:
    if len(text) > _MAX_WORDS_VALUE or not text.isascii():
        return False
    parts = [part for part in _PARTS.split(text.lower()) if part]
    if len(parts) < 2:
        return False
    words = [part for part in parts if not part.isdigit()]
    digits = [part for part in parts if part.isdigit()]
    if not words or len(digits) > 1 or not all(word in _FAKE_WORDS for word in words):
        return False
    if _FAKE_MARKERS.isdisjoint(words):
        return False
    # A trailing counting run (123, 12345) or a year-like short number is the "unique" suffix of a
    # made-up value; a long or irregular number could be the real part of a weak key.
    return not digits or _COUNTING.startswith(digits[0]) or len(digits[0]) <= 4
