"""Exact prefilters of the wave-11 hostile shapes (issue 16; docs/performance.md, "Wave 11"): each skips
the work it claims to skip (counted, never timed) and decides as the full computation does (the
unfiltered computation, or its pieces, is the oracle).

Covered: names.is_sensitive_name without a credential word's piece, builtin.names_env_var without
`env`, environment._named_raw without a tail word, words.word_environment's lowered ASCII hint,
analyze.db_client_family's joined-argv hint, prod_env's credential suffix and one whole-file
tomllib decode for a Codex file with AWS pairs. bench/equivalence.py compares whole scans.
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scanner import environment, names
from scanner.engines import analyze, builtin
from scanner.environment import words
from scanner.parsing import toml_tree
from scanner.pipeline import ScanOptions, scan_files
from scanner.rules import prod_env
from tests.fakes import fake_token
from tests.workcount import Counted as _Counted

_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-."
# The pieces the prefilters look for, spelt out here (the tests also run against older code).
_CREDENTIAL_PIECE = re.compile("token|key|secret|pass|pwd|pat|auth|cred|dsn|bearer|jwt|cookie|hash"
                               "|hmac|salt|sk$")
_TAIL_PIECE = re.compile("|".join(words._SELECTOR_TAILS | words._HOST_TAILS | words._TARGET_TAILS))


def _random_names(count: int, seed: int, keep: Callable[[str], bool]) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        name = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 40)))
        if keep(name):
            out.append(name)
    return out


def test_names_without_a_credential_piece_are_not_split(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = [f"--opt-{i}" for i in range(500)] + [f"LOG_LEVEL_{i}" for i in range(500)]
    plain += _random_names(1000, 1, lambda name: _CREDENTIAL_PIECE.search(name.lower()) is None)
    sensitive = ["API_TOKEN", "--api-key", "figmaApiKey", "PGPASSWORD", "TELEGRAM_API_HASH", "dbPwd"]
    names.is_sensitive_name.cache_clear()
    names._sensitive_parts.cache_clear()  # (the digit-blind answer per name, wave 12)
    counted = _Counted(names._name_parts)
    monkeypatch.setattr(names, "_name_parts", counted)
    assert not any(names.is_sensitive_name(name) for name in plain)
    assert counted.calls == 0  # was one split per distinct name
    assert all(names.is_sensitive_name(name) for name in sensitive)
    assert counted.calls == len(sensitive)
    names.is_sensitive_name.cache_clear()
    # The unfiltered rule (the parts themselves) agrees on names with and without a piece.
    monkeypatch.undo()
    for name in plain + _random_names(3000, 2, lambda _name: True):
        parts = names._name_parts(name)
        possible = parts[-2:] == ("API", "HASH") or bool(parts) and parts[-1] in names._SENSITIVE_LAST or any(
            part in names._SENSITIVE_PARTS or part.endswith(names._SENSITIVE_ENDINGS) for part in parts)
        assert names.is_sensitive_name(name) <= possible
        if possible:
            assert _CREDENTIAL_PIECE.search(name.lower()) is not None


def test_camel_boundary_split_matches_the_backreference_form() -> None:
    old = re.compile(r"([a-z0-9])([A-Z])")
    for text in _random_names(20000, 3, lambda _name: True) + ["aBCdE1F", "\u212aey", "xÄy"]:
        assert names._CAMEL.sub("_", text) == old.sub(r"\1_\2", text)


def test_keys_without_env_are_not_split(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = [fake_token("ghp_", 36, i) for i in range(300) if "env" not in fake_token("ghp_", 36, i).lower()]
    counted = _Counted(builtin.name_parts)
    monkeypatch.setattr(builtin, "name_parts", counted)
    assert not any(builtin.names_env_var(key) for key in keys)
    assert counted.calls == 0  # was one split per key
    # (a Cyrillic `о` reads as `o`: a non-ASCII key is always split)
    assert all(builtin.names_env_var(key) for key in
               ("api_key_env", "apiKeyEnv", "token_env_var", "SECRET_ENV_NAME", "t\u043ekenEnv"))
    assert counted.calls == 5


def test_names_without_a_tail_are_not_segmented(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _random_names(1000, 4, lambda name: _TAIL_PIECE.search(name.lower()) is None)
    counted = _Counted(environment.segments)
    monkeypatch.setattr(environment, "segments", counted)
    for name in plain:
        list(environment._named_raw(name, "some-value", None, None, "env", None))
    assert counted.calls == 0  # was one split per name
    found = list(environment._named_raw("DB_HOST", "prod-db.internal", None, None, "env", None))
    assert counted.calls == 1 and found


def test_word_hint_on_lowered_ascii_decides_as_the_case_folding_search(
        monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _random_names(20000, 5, lambda _name: True)
    texts += ["PROD", "Staging", "xUaT", "DeV1", "\u212aey-prod", "\u017ftaging", "stag\u0131ng", "ﬁle-dev"]
    for text in texts:
        reference = words._spelled(text, False) if words._WORD_HINT.search(text) else None
        assert words.word_environment(text) == reference
    counted = _Counted(words._WORD_HINT)
    monkeypatch.setattr(words, "_WORD_HINT", counted)
    ascii_texts = [text for text in texts if text.isascii()]
    for text in ascii_texts:
        words.word_environment(text)
    assert counted.calls == 0  # the case-folding search ran for every text
    words.word_environment("\u212aey-prod")
    assert counted.calls == 1


def _db_reference(argv: list[str]) -> str | None:
    for word in argv:
        for family, regex in analyze._DB_CLIENTS:
            if regex.search(word.strip()):
                return family
    return None


def test_db_client_family_searches_each_word_only_when_the_argv_names_a_client(
        monkeypatch: pytest.MonkeyPatch) -> None:
    argv = [f"--opt-{i}" if i % 2 else f"v{i}" for i in range(2000)]
    counted = _Counted(analyze._ANY_DB_CLIENT)
    monkeypatch.setattr(analyze, "_ANY_DB_CLIENT", counted)
    assert analyze.db_client_family(argv) is None
    assert counted.calls == 0  # was one search per word
    assert analyze.db_client_family([*argv, "/usr/bin/mysql"]) == "mysql"
    monkeypatch.undo()
    rng = random.Random(6)
    clients = ["mysql", "MySQL", "my\u017fql", "mariadb-dump", "mycli", "jdbc:mariadb://h", "mongosh",
               "MONGO.exe", "sqlcmd", "bcp", "redis-cli", "valkey-CLI", "keydb-cli", "mcp-server-mysql",
               " mysql ", "x/mysql\n"]
    for _round in range(3000):
        words_ = [rng.choice(clients) if rng.random() < 0.1
                  else "".join(rng.choice(_ALPHABET + "/\\@:") for _ in range(rng.randint(0, 9)))
                  for _ in range(rng.randint(0, 6))]
        assert analyze.db_client_family(words_) == _db_reference(words_)


def test_credential_suffix_in_the_last_twelve_characters() -> None:
    keys = _random_names(20000, 7, lambda _name: True)
    keys += [f"{prefix}{word}{end}" for prefix in ("", "x" * 30) for end in ("", "\n", "_ID")
             for word in ("TOKEN", "credentials", "Pass", "\u212aEY", "auth")]
    search = prod_env._CREDENTIAL_NAME.search
    for key in keys:
        assert bool(search(key[-12:])) == bool(search(key))


def test_codex_file_with_aws_pairs_is_decoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = []
    for i in range(40):
        key_id = "AK" + "IA" + fake_token("", 16, i, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        blocks.append(f'[mcp_servers.s{i}]\ncommand = "npx"\n[mcp_servers.s{i}.env]\n'
                      f'AWS_ACCESS_KEY_ID = "{key_id}"\nAWS_SECRET_ACCESS_KEY = "{fake_token("", 40, i)}"\n')
    text = "\n".join(blocks)
    whole = 0
    real = toml_tree._loads

    def loads(source: str, **kwargs: Any) -> dict[str, Any]:
        nonlocal whole
        whole += source == text
        return real(source, **kwargs)

    monkeypatch.setattr(toml_tree, "_loads", loads)  # the parser's decoder (tomli, else tomllib)
    monkeypatch.setattr(tomllib, "loads", loads)  # and the standard library's, which a fix might call
    options = ScanOptions(root=Path("."), use_gitleaks=False)
    result = scan_files({".codex/config.toml": text.encode()}, options)
    assert sum(finding.fix is not None for finding in result.findings) >= 40
    assert whole == 1  # the parser's decode; the AWS-pair fix decoded the whole file again


def test_hash_comments_walk_only_lines_holding_a_hash() -> None:
    from scanner.engines.decode import _hash_comments
    from tests.workcount import count_lines

    plain = [f'KEY_{i} = "value-{i}-{"x" * 40}"' for i in range(2000)]
    text = "\n".join([*plain[:1000], "# note: 'quoted' # here", 'a = "x # y" # tail', *plain[1000:]])
    assert _hash_comments(text) == [(1001, 2, " note: 'quoted' # here"), (1002, 14, " tail")]
    lines = count_lines(lambda: _hash_comments(text))
    assert lines < 5 * len(plain)  # was one Python step per character (~60 per line)
    assert _hash_comments("\n".join(plain)) == []


def test_script_loads_skip_words_without_a_blank() -> None:
    from scanner.clients._files import _script_loads
    from tests.workcount import count_calls

    argv = [f"--opt-{i}" if i % 2 else f"v{i}" for i in range(2000)]
    assert _script_loads([*argv, "source .env && node x"]) == [".env"]
    assert count_calls(lambda: _script_loads(argv)) < 2 * len(argv)  # was a generator per word (7 calls)


def test_reference_gates_are_one_search_per_pattern() -> None:
    from scanner import references
    from tests.workcount import count_calls

    values = [f"${{input:k-{i}}}" for i in range(1000)]
    references._find_references("x")  # the gates are built on first use
    calls = count_calls(lambda: [references._find_references(value) for value in values])
    assert calls < 50 * len(values)  # was ~75 per value: a generator per gated pattern
    assert [ref.name for ref in references._find_references("${input:a} ${env:B} $C")] == ["a", "B", "C"]
    texts = ["".join(random.Random(i).choices("${}:%@/ envinputfile.ABC_", k=12)) for i in range(300)]
    for (_syntax, pattern, needles), (_same, _pattern, gate) in zip(
            references._needled(), references._gates(), strict=True):
        assert _pattern is pattern and (gate is None) == (not needles)
        for text in texts if needles else ():
            assert (gate is not None and gate.search(text) is not None) == any(n in text for n in needles)


def test_mnemonic_name_is_not_searched_for_short_values(monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.engines import wallet

    counted = _Counted(wallet._NAME)
    monkeypatch.setattr(wallet, "_NAME", counted)
    for i in range(500):
        assert wallet.mnemonic_hit(f"value-{i}", fake_token("ghp_", 36, i)) is None
    assert counted.calls == 0  # was one name search per value
    assert wallet.mnemonic_hit(" ".join(["abandon"] * 11 + ["about"]), "SEED_PHRASE") is None  # 2 words
    assert counted.calls == 1


def test_short_plain_argv_words_are_decided_without_the_readers() -> None:
    from tests.workcount import count_calls

    rng = random.Random(8)
    plain = ["-y", "-e", "--stdio", "v12", "basic", "Bearer", "key", "ghp_x", "sk-1", "a.b_c-d", "0123456"]
    plain += ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 7))) for _ in range(20000)]
    for word in plain:  # the full analysis (no cache, every depth) finds nothing in any of them
        for depth in range(5):
            assert analyze._analyze(word, None, "arg", depth) == []
    analyze.clear_caches()
    words_ = [f"v{i}" for i in range(1000)]
    assert count_calls(lambda: [analyze.analyze(word, None, "arg") for word in words_]) < 4 * len(words_)
    # Outside the class, longer, named or of another kind: the full analysis still runs.
    assert analyze.analyze(fake_token("ghp_", 36, 1), None, "arg")
    analyze.clear_caches()
    assert count_calls(lambda: analyze.analyze("v1", "PASSWORD", "arg")) > 10
