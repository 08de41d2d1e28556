"""Round 14 of real-world values: the issuer rows of providers/platform_issuers.py (and the Linear OAuth
and Azure AI services shapes of providers/patterns.py), name-gated shapes counted as a whole positional
argument, padded / standard base64 and WordPress application passwords as positional arguments, a header
pair passed as one argument, and `file:` secret locators. Every value is built at run time.
"""

from __future__ import annotations

import base64
import json

import pytest

from scanner.model import Severity
from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_hex, fake_token, fake_uuid

_URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def _server(value: str, name: str | None = None, floor: Severity = Severity.LOW) -> list[str]:
    """Secret types found for `value` under env `name`, or as a positional argument (no name)."""
    server: dict[str, object] = {"command": "npx", "args": ["-y", "some-mcp"]}
    if name is None:
        server["args"] = ["-y", "some-mcp", value]
    else:
        server["env"] = {name: value}
    return [m.secret_type for m in scan(mcp_json(json.dumps({"srv": server}))) if m.severity >= floor]


def _blocking(value: str, name: str | None = None) -> list[str]:
    return _server(value, name, Severity.HIGH)


def _ms_key(seed: int, tag: str) -> str:
    """Microsoft's identifiable key layout: 52 random, JQQJ, 20, the service tag, 4."""
    return (fake_token("", 52, seed) + "JQQJ99" + fake_token("", 18, seed + 1) + tag
            + fake_token("", 4, seed + 2))


# Shapes with a literal of their own: found under any name and as a positional argument.
_SHAPED = {
    "fireworks-api-key": lambda s: "fw_" + fake_token("", 24, s),
    "modal-token-secret": lambda s: "as-" + fake_token("", 22, s),
    "cursor-api-key": lambda s: "key_" + fake_hex(64, s),
    "klaviyo-private-key": lambda s: "pk_" + fake_hex(34, s),
    "infisical-service-token": lambda s: "st." + fake_hex(24, s) + "." + fake_hex(32, s + 1) + "."
    + fake_hex(32, s + 2),
    "siliconflow-api-key": lambda s: "sk-" + fake_token("", 48, s, _LOWER),
    "openai-compatible-api-key": lambda s: "sk-" + fake_hex(32, s),
    "upstash-redis-rest-token": lambda s: "AUp5AAIncDJ" + fake_token("", 50, s),
    "azure-devops-pat": lambda s: _ms_key(s, "AZDO"),
    "azure-ai-services-key": lambda s: _ms_key(s, "ACOG"),
    "miro-access-token": lambda s: "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_" + fake_token("", 27, s, _URL),
    "linear-oauth-token": lambda s: "lin_oauth_" + fake_hex(64, s),
    "newrelic-license-key": lambda s: fake_hex(36, s) + "NRAL",
    "newrelic-insert-key": lambda s: "NRII-" + fake_token("", 32, s, _URL),
    "gitlab-deploy-token": lambda s: "gldt-" + fake_token("", 20, s, _URL),
    "gitlab-ptt": lambda s: "glptt-" + fake_hex(40, s),
    "gitlab-runner-authentication-token": lambda s: "glrt-" + fake_token("", 20, s),
    "gitlab-cicd-job-token": lambda s: "glcbt-" + "64_" + fake_token("", 20, s),
    "gitlab-oauth-app-secret": lambda s: "gloas-" + fake_hex(64, s),
    "steel-api-key": lambda s: "ste-" + fake_token("", 64, s),
    "browser-use-api-key": lambda s: "bu_" + fake_token("", 43, s, _URL),
    "xata-api-key": lambda s: "xau_" + fake_token("", 33, s),
    "supermemory-api-key": lambda s: "sm_" + fake_token("", 70, s, _URL.replace("-", "")),
    "chroma-api-key": lambda s: "ck-" + fake_token("", 44, s),
    "socket-api-key": lambda s: "sktsec_" + fake_token("", 40, s),
}


@pytest.mark.parametrize("secret_type", sorted(_SHAPED))
def test_round14_shape_is_named_under_a_neutral_name(secret_type: str) -> None:
    assert _server(_SHAPED[secret_type](21), "CONFIG_VALUE") == [secret_type]


@pytest.mark.parametrize("secret_type", sorted(_SHAPED))
def test_round14_shape_is_named_as_a_positional_argument(secret_type: str) -> None:
    assert _server(_SHAPED[secret_type](22)) == [secret_type]


def test_infisical_token_with_a_uuid_id_is_found() -> None:
    token = "st." + fake_uuid(3) + "." + fake_hex(32, 4) + "." + fake_hex(32, 5)
    assert _server(token) == ["infisical-service-token"]


# Shapes with no usable literal: under their issuer's name, or with no name as a whole positional
# argument; under a neutral env name they are not searched for.
_POSITIONAL = {
    "ghost-admin-api-key": ("GHOST_ADMIN_API_KEY", lambda s: fake_hex(24, s) + ":" + fake_hex(64, s + 1)),
    "zhipu-api-key": ("ZHIPUAI_API_KEY", lambda s: fake_hex(32, s) + "." + fake_token("", 16, s)),
    "bitwarden-access-token": ("BWS_ACCESS_TOKEN", lambda s: "0." + fake_uuid(s) + "." + fake_token("", 30, s)
                               + ":" + fake_token("", 22, s + 1) + "=="),
    "discord-bot-token": ("DISCORD_TOKEN", lambda s: base64.b64encode(
        ("1" + fake_token("", 18, s, "0123456789")).encode()).decode().rstrip("=") + "."
        + fake_token("", 6, s, _URL) + "." + fake_token("", 38, s + 1, _URL)),
    "tencent-maps-key": ("TENCENT_MAP_KEY", lambda s: "-".join(
        fake_token("", 5, s + k, _UPPER_DIGITS) for k in range(6))),
    "azure-devops-pat-legacy": ("AZURE_DEVOPS_PAT", lambda s: fake_token("", 52, s, _BASE32)),
}


@pytest.mark.parametrize("secret_type", sorted(_POSITIONAL))
def test_name_gated_shape_counts_as_a_whole_positional_argument(secret_type: str) -> None:
    name, build = _POSITIONAL[secret_type]
    assert _server(build(31)) == [secret_type]
    assert _server(build(31), name) == [secret_type]
    assert _server(build(31), "CONFIG_VALUE") == []


def test_name_gated_shape_inside_a_longer_argument_is_not_taken_whole() -> None:
    name, build = _POSITIONAL["ghost-admin-api-key"]
    assert "ghost-admin-api-key" not in _server("--key-file=/tmp/" + build(32))


_QUIET = [
    "fw_" + "x" * 24,
    "fw_" + "YOURFIREWORKSAPIKEYHERE" + "X",  # one case, no digit: a name
    "as-" + "ExpectedByTheCallerValue",  # `as-` + a CamelCase phrase
    "as-" + "is",
    "key_" + "0" * 64,
    "key_" + "0123456789abcdef" * 4,
    "pk_" + "your_private_api_key_here",
    "pk_live_" + fake_token("", 24, 1),  # a Stripe publishable key: public by design
    "st." + "x" * 24 + "." + "x" * 32 + "." + "x" * 32,
    "sk-" + "thisisnotarealkeyjustaplaceholdervalueforthereadme",  # 48 letters of words
    "sk-" + "x" * 32,
    "sk-" + "0123456789abcdef" * 2,
    "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX",
    "YOURK-EYHER-EPLEA-SEFIL-LINTH-ISNOW",  # no digit: a placeholder written in the layout
    "AXXXxxx" + "AAIncDJ" + "x" * 40,
    "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_" + "x" * 27,
    "lin_oauth_" + "xxx",
    "gldt-" + "x" * 20,
    "glrt-" + "your-runner-token-here",
    "glptt-" + "0" * 40,
    "ste-" + "your-api-key-here",
    "bu_" + "your_key_here",
    "xau_" + "x" * 33,
    "sm_" + "your_api_key_here",
    "sm_" + "small_screen_breakpoint_for_the_sidebar_panel",  # a setting name after `sm_`
    "ck-" + "your-chromadb-cloud-api-key",
    "sktsec_" + "your_api_key_here_api",
    "lin_oauth_" + "0" * 64,
    "a" * 52,
    ("thisisaverylongplaceholdervaluewrittenforthereadmefile" * 2)[:52],  # words run together
]


@pytest.mark.parametrize("value", _QUIET, ids=range(len(_QUIET)))
def test_round14_placeholders_and_lookalikes_are_quiet(value: str) -> None:
    assert _blocking(value, "CONFIG_VALUE") == []
    assert _blocking(value) == []


def test_microsoft_key_with_another_service_tag_is_not_named_devops() -> None:
    assert "azure-devops-pat" not in _server(_ms_key(40, "ABCD"), "CONFIG_VALUE")


# Base64 of random bytes in its padded or standard alphabet, as a positional argument.
@pytest.mark.parametrize("value", [
    fake_token("", 43, 50, _B64) + "=",
    fake_token("", 42, 51, _B64) + "==",
    fake_token("", 40, 52, _URL) + "=",
])
def test_padded_or_standard_base64_positional_is_an_opaque_token(value: str) -> None:
    assert _server(value) == ["opaque-token"]


def test_padded_base64_counts_only_as_a_positional_argument() -> None:
    # In a URL query or a header a padded base64 value is as often a checksum or a signature.
    digest = fake_token("", 43, 53, _B64) + "="
    server = {"url": "https://mcp.acme.dev/mcp?checksum=" + digest, "headers": {"X-Acme-Digest": digest}}
    assert [m.secret_type for m in scan(mcp_json(json.dumps({"srv": server})))] == []


@pytest.mark.parametrize("value", [
    "/Users/JaneDoe/Projects2024/McpServer",
    "src/Components/Button2/IndexStories",
    "Owner2/RepoName/tree/Main2024Branch",
    "https://Example.com/Path2024/ToResource",
    base64.b64encode(b"host=db.internal;port=5432;user=Reader").decode(),  # base64 of a setting
    "//Server2/ShareName2024/FolderAbc",
])
def test_paths_and_encoded_settings_are_not_opaque_tokens(value: str) -> None:
    assert _blocking(value) == []


def test_wordpress_application_password_as_a_positional_argument() -> None:
    password = " ".join(fake_token("", 4, 60 + k) for k in range(6))
    assert _server(password) == ["password"]


@pytest.mark.parametrize("value", [
    "this will make your life easy",
    "xxxx xxxx xxxx xxxx xxxx xxxx",
    "abcd efgh ijkl mnop qrst uvwx",
    "Path With Four Char Word Grp",
    "2024 2025 2026 2027 2028 2029",
])
def test_four_letter_prose_as_an_argument_is_not_a_password(value: str) -> None:
    assert _blocking(value) == []


def test_header_pair_passed_as_one_argument_is_judged_as_the_header() -> None:
    key = fake_token("", 22, 70)
    assert _server("x-honeycomb-team=" + key) != []
    assert _blocking("x-request-id=" + "abc123") == []
    assert _blocking("x-honeycomb-team=" + "YOUR_API_KEY") == []
    assert _blocking("x-honeycomb-team=${HONEYCOMB_API_KEY}") == []


@pytest.mark.parametrize("value", [
    "file:/run/secrets/api_key", "file:///run/secrets/ts-authkey", "file:~/.config/acme/token",
    "secretref:jira-pat", "secretref:atlassian-personal-access-token-prod",
])
def test_file_secret_locator_is_not_a_secret(value: str) -> None:
    assert _blocking(value, "ACCESS_TOKEN") == []


def test_file_locator_does_not_hide_a_token_after_it() -> None:
    assert _blocking("file:" + fake_token("", 40, 80), "ACCESS_TOKEN") != []
    assert _blocking("file:/../" + fake_token("", 40, 81), "ACCESS_TOKEN") != []
    assert _blocking("secretref:" + fake_token("", 40, 82), "ACCESS_TOKEN") != []


# The Azure Storage emulator's account key, published by Microsoft for everyone (built here in pieces).
_AZURITE = "".join(("Eby8vdM02xNO", "cqFlqUwJPLlm", "EtlCDXJ1OUzF", "T50uSRZ6IFsu", "Fq2UVErCz4I6",
                    "tq/K1SZFPTOt", "r/KBHBeksoGM", "Gw=="))


def test_azure_storage_emulator_key_is_a_documented_non_secret() -> None:
    conn = ("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + _AZURITE
            + ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;")
    assert _blocking(conn, "AZURE_STORAGE_CONNECTION_STRING") == []
    assert _blocking(_AZURITE, "AZURE_STORAGE_KEY") == []


def test_another_storage_key_with_the_emulator_prefix_is_still_found() -> None:
    key = _AZURITE[:8] + fake_token("", 78, 90, _B64) + "=="
    assert _blocking(key, "AZURE_STORAGE_KEY") != []
