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


def test_messages_quote_a_secret_value_redacted_not_as_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Rules quote values as written (`env GITHUB_READ_ONLY=<value>`, a write tool's name): one that is
    a found secret, or shaped like a random key where no engine judges values (a tool name), reads
    redacted in the message, evidence and details, and the report renders (strict mode raised on the
    found one before; the tool name was printed as written). Names and hosts stay as written."""
    import json

    from click.testing import CliRunner

    from scanner.cli import main
    from tests.conftest import git

    token, mode, tool = (fake_token("ghp_", 36, seed=n) for n in (81, 82, 83))
    server = "GitHubMcpServer2024Edition"
    config = {"mcpServers": {
        server: {"command": "npx",
                 "args": ["-y", "@modelcontextprotocol/server-github", "--env", "production"],
                 "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": token, "GITHUB_READ_ONLY": mode}},
        "db": {"type": "http", "url": "https://mcp.prod.acme-corp.io/mcp", "alwaysAllow": ["write_" + tool]}}}
    git(tmp_path, "init", "-q")
    (tmp_path / ".mcp.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    git(tmp_path, "add", "-A")
    for fmt in ("text", "json", "markdown", "sarif"):
        result = CliRunner().invoke(main, ["scan", "--no-gitleaks", "--format", fmt, str(tmp_path)])
        assert result.exit_code == 1, result.output
        folded = result.stdout.lower()
        for value in (token, mode, tool):
            assert not any(value.lower()[i:i + 12] in folded for i in range(len(value) - 11)), fmt
        assert "*" * 12 not in result.stdout
    report = json.loads(CliRunner().invoke(main, ["scan", "--no-gitleaks", "--format", "json",
                                                  str(tmp_path)]).stdout)
    quoted = " ".join(f["message"] + " ".join(f.get("evidence", [])) for f in report["findings"])
    assert f"GITHUB_READ_ONLY=…{mode[-4:]}" in quoted and f"write tool '…{tool[-4:]}'" in quoted
    assert f"Server '{server}'" in quoted and "mcp.prod.acme-corp.io" in quoted


def test_quote_safely_keeps_words_hosts_names_and_digests() -> None:
    text = ("Server 'GitHubMcpServer2024Edition' reaches host api.prod-eu1.acme.io: "
            "argument --env production; env GITHUB_PERSONAL_ACCESS_TOKEN_2=false; image sha256:"
            + fake_token("", 64, seed=84).lower()
            + "; package @modelcontextprotocol/server-github")
    assert output_guard.quote_safely(text, ["GitHubMcpServer2024Edition"]) == text
    shaped = fake_token("", 32, seed=85)
    assert output_guard.quote_safely(f"tool '{shaped}'") == f"tool '…{shaped[-4:]}'"


def test_holds_secret_between_registrations_is_linear_and_matches_a_rebuilt_registry() -> None:
    """A file of many secrets asks `holds_secret` (a fix's name) after each registration: the folded
    registry is kept up to date, not rebuilt (was: every registered piece folded again per ask, N x N)."""
    from tests.workcount import count_calls

    def run(n: int) -> int:
        output_guard.reset()
        values = [fake_token("ghp_", 36, seed=900 + i) for i in range(n)]

        def work() -> None:
            for value in values:
                output_guard.register_secrets([value])
                assert output_guard.holds_secret(f"X_{value.upper()}_Y")
        return count_calls(work)

    small, large = run(20), run(80)
    assert large < 4 * small * 1.3, (small, large)
    incremental = output_guard._REGISTRY.folded()
    rebuilt = output_guard._Registry()
    rebuilt.pieces, rebuilt.short = set(output_guard._REGISTRY.pieces), set(output_guard._REGISTRY.short)
    assert incremental == rebuilt.folded()
    output_guard.reset()
