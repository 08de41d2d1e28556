"""What is special about the issue-10 detectors, beyond the wild matrix: checksum-dependent
severity, client-dependent flags, remote default passwords, encoded configs, foreign placeholders."""

from __future__ import annotations

import json

import pytest

from scanner.engines.analyze import analyze, analyze_argv
from scanner.engines.filters import is_placeholder
from scanner.engines.wallet import mnemonic_hit
from scanner.model import Severity
from tests.fakes import fake_hex, fake_token
from tests.matrix.wild_cases import mnemonic, solana_secret


def test_mnemonic_checksum_decides_severity() -> None:
    phrase = mnemonic(12, 3)
    hit = mnemonic_hit(phrase, "WALLET_MNEMONIC")
    assert hit is not None and hit.severity is Severity.CRITICAL and phrase not in hit.redacted
    words = phrase.split()
    swapped = " ".join([words[1], words[0], *words[2:]])
    broken = mnemonic_hit(swapped, "WALLET_MNEMONIC")
    # A swap keeps every word in the list; the checksum almost always breaks (then: medium).
    assert broken is not None and broken.severity in (Severity.MEDIUM, Severity.CRITICAL)
    assert mnemonic_hit(phrase, "DESCRIPTION") is None  # the name is required
    assert mnemonic_hit(" ".join(words[:11]), "MNEMONIC") is None  # 11 words is no BIP-39 length
    assert mnemonic_hit(phrase.replace(words[4], "zzzz"), "MNEMONIC") is None  # not in the wordlist


def test_wallet_hex_needs_a_key_name_and_base58_needs_the_length() -> None:
    key = "0x" + fake_hex(64, 1)
    assert [h.secret_type for h in analyze(key, "ETH_PRIVATE_KEY", "env")] == ["wallet-private-key-hex"]
    for name in ("TX_HASH", "BLOCK_HASH", "WALLET_ADDRESS", "WALLET_PUBLIC_KEY", "MERKLE_ROOT"):
        assert analyze(key, name, "env") == [], name
    assert [h.secret_type for h in analyze(solana_secret(4), "SOLANA_PRIVATE_KEY", "env")] == [
        "wallet-private-key-base58"
    ]


@pytest.mark.parametrize(
    ("argv", "found"),
    [
        (["mysql", "-h", "db.acme-corp.io", "-uapp", "-p{pw}"], Severity.HIGH),
        (["mysql", "-h", "127.0.0.1", "-uapp", "-p{pw}"], Severity.LOW),
        (["mysql", "-h", "db.acme-corp.io", "-uroot", "-proot"], Severity.LOW),  # a default, but remote
        (["mysql", "-uroot", "-proot"], None),  # local default
        (["mysql", "-uapp", "-p", "sales"], None),  # `-p` alone prompts; `sales` is the database
        (["psql", "-h", "db.acme-corp.io", "-p5432", "-U", "app"], None),  # psql -p is the port
        (["docker", "run", "-p3000:3000", "img"], None),
        (["mongosh", "mongodb://db.acme-corp.io/x", "-u", "svc", "-p", "{pw}"], Severity.HIGH),
        (["redis-cli", "-h", "cache.acme-corp.io", "-a", "{pw}"], Severity.HIGH),
        (["sqlcmd", "-S", "sql.acme-corp.io", "-U", "sa", "-P{pw}"], Severity.HIGH),
        (["mysql", "-uroot", "-p${MYSQL_ROOT_PASSWORD}"], None),
        (["mysql", "-uroot", "-p$MYSQL_PWD"], None),
    ],
)
def test_database_client_password_flags(argv: list[str], found: Severity | None) -> None:
    pw = fake_token("", 12, 5)
    words = [w.replace("{pw}", pw) for w in argv]
    hits = [h for _i, h in analyze_argv(words) if h.secret_type == "db-client-password"]
    assert [h.severity for h in hits] == ([found] if found else [])


def test_mysql_flags_in_args_use_the_command_as_context() -> None:
    pw = fake_token("", 12, 6)
    hits = analyze_argv(["-h", "db.acme-corp.io", "-uapp", f"-p{pw}"], context=("mysql",))
    assert [(i, h.value, h.name) for i, h in hits] == [(3, pw, "MYSQL_PWD")]
    assert analyze_argv(["-h", "db.acme-corp.io", "-uapp", f"-p{pw}"]) == []  # no client, no password flag


def test_smithery_config_parameter_is_reported_as_the_encoded_literal() -> None:
    import base64

    inner = fake_token("tvly-", 32, 7)
    cfg = base64.b64encode(json.dumps({"tavilyApiKey": inner}).encode()).decode()
    hits = analyze(f"https://server.smithery.ai/@acme/tavily/mcp?config={cfg}", "url", "url")
    assert [(h.value, h.provider) for h in hits] == [(cfg, "tavily")]
    plain = base64.b64encode(json.dumps({"region": "eu"}).encode()).decode()
    assert analyze(f"https://server.smithery.ai/@acme/x/mcp?config={plain}", "url", "url") == []


def test_firebase_web_config_key_is_public_but_a_bare_google_key_is_not() -> None:
    key = fake_token("AIza", 35, 8)
    web = {"apiKey": key, "authDomain": "acme.firebaseapp.com", "projectId": "acme", "appId": "1:2:web:3"}
    assert analyze(json.dumps(web), "FIREBASE_CONFIG", "env") == []
    assert [h.secret_type for h in analyze(json.dumps({"apiKey": key}), "CONFIG", "env")] == [
        "google-api-key"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "替换为你的API密钥",
        "あなたのAPIキー",
        "여기에_API_키",
        "tu_clave_aqui",
        "SUA_CHAVE_AQUI",
        "votre-cle-api",
        "dein-api-key",
        "ваш_api_ключ",
        "0xYOUR_PRIVATE_KEY",
    ],
)
def test_foreign_language_placeholders(text: str) -> None:
    assert is_placeholder(text)


def test_foreign_markers_do_not_swallow_random_tokens() -> None:
    assert not any(is_placeholder(fake_token("", 40, seed)) for seed in range(200))
