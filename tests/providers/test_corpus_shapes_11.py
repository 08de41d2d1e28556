"""Token shapes of the eleventh corpus (the values MCP servers take), built at run time.

A token written with no name to help (a positional argument, `npx -y pkg <KEY>`, or a neutral env
name) is found only by its own shape: each issuer row of providers/saas_issuers.py and the Slack
rotation / browser tokens must fire there and name their issuer. Docs sample values, placeholders
and lookalikes (a project ref, a bare key id, a URL path, base64 that is not of digits) stay quiet.
"""

from __future__ import annotations

import base64
import json

import pytest

from scanner.model import Severity
from scanner.providers.base import random_enough
from tests.engines.helpers import mcp_json, scan
from tests.fakes import fake_hex, fake_token

_URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_DIGITS = "0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _uuid(seed: int) -> str:
    h = fake_hex(32, seed)
    return "-".join((h[:8], h[8:12], h[12:16], h[16:20], h[20:]))


def _discord(seed: int, digits: int = 19) -> str:
    bot_id = "1" + fake_token("", digits - 1, seed, _DIGITS)
    head = base64.b64encode(bot_id.encode()).decode().rstrip("=")
    return head + "." + fake_token("", 6, seed, _URL) + "." + fake_token("", 38, seed + 1, _URL)


def _env(value: str, name: str = "CONFIG_VALUE") -> list[str]:
    server = {"command": "npx", "args": ["-y", "some-mcp"], "env": {name: value}}
    return [m.secret_type for m in scan(mcp_json(json.dumps({"srv": server})))]


def _positional(value: str) -> list[str]:
    server = {"command": "npx", "args": ["-y", "some-mcp", value]}
    return [m.secret_type for m in scan(mcp_json(json.dumps({"srv": server})))]


_REAL = {
    "slack-rotating-token": lambda s: "xoxe.xoxp-1-" + fake_token("", 150, s),
    "slack-refresh-token": lambda s: "xoxe-1-" + fake_token("", 140, s),
    "slack-browser-token": lambda s: "xoxc-" + "-".join(fake_token("", n, s + n, _DIGITS) for n in (12, 13))
    + "-" + fake_token("", 11, s, _DIGITS) + "-" + fake_hex(64, s),
    "trigger-dev-secret-key": lambda s: "tr_prod_" + fake_token("", 20, s),
    "trigger-dev-pat": lambda s: "tr_pat_" + fake_token("", 40, s),
    "dbt-token": lambda s: "dbtu_" + fake_token("", 20, s) + "_" + fake_token("", 29, s + 1),
    "daytona-api-key": lambda s: "dtn_" + fake_hex(64, s),
    "honeycomb-ingest-key": lambda s: "hcxik_" + fake_token("", 58, s, _LOWER),
    "launchdarkly-access-token": lambda s: "api-" + _uuid(s),
    "launchdarkly-sdk-key": lambda s: "sdk-" + _uuid(s),
    "octopus-api-key": lambda s: "API-" + fake_token("", 27, s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
    "intercom-access-token": lambda s: "dG9rOj" + fake_token("", 54, s) + "=",
    "woocommerce-consumer-key": lambda s: "cs_" + fake_hex(40, s),
    "mailchimp-api-key": lambda s: fake_hex(32, s) + "-us21",
    "twitter-bearer-token": lambda s: "A" * 22 + fake_token("", 30, s) + "%3D" + fake_token("", 50, s + 1),
    "asana-pat": lambda s: "2/1" + fake_token("", 15, s, _DIGITS) + "/1" + fake_token("", 15, s + 1, _DIGITS)
    + ":" + fake_hex(32, s),
    "tinybird-token": lambda s: "p.eyJ1IjogIj" + fake_token("", 60, s) + "." + fake_token("", 43, s, _URL),
    "dropbox-access-token": lambda s: "sl.u." + fake_token("", 140, s, _URL),
    "salesforce-access-token": lambda s: "00D" + fake_token("", 12, s) + "!" + fake_token("", 96, s + 1),
    "appwrite-api-key": lambda s: "standard_" + fake_hex(256, s),
    "mercury-api-token": lambda s: "secret-token:mercury_production_wma_" + fake_token("", 40, s) + "_x",
    "convex-deploy-key": lambda s: "prod:happy-animal-123|" + fake_token("", 90, s, _URL),
    "dynatrace-token": lambda s: "dt0c01." + fake_token("", 24, s, _UPPER) + "."
    + fake_token("", 64, s, _UPPER),
    "harness-api-token": lambda s: "pat." + fake_token("", 22, s, _URL) + "." + fake_token("", 24, s)
    + "." + fake_token("", 20, s + 1),
    "jfrog-reference-token": lambda s: "cmVmdGtuOjAxOj" + fake_token("", 50, s),
    "jfrog-api-key": lambda s: "AKCp" + fake_token("", 69, s),
    "plaid-access-token": lambda s: "access-production-" + _uuid(s),
    "scrapegraph-api-key": lambda s: "sgai-" + _uuid(s),
    "azure-ad-client-secret": lambda s: fake_token("", 3, s) + "8Q~" + fake_token("", 34, s, _URL + "~."),
    "pypi-token": lambda s: "pypi-AgEIcHlwaS5vcmc" + fake_token("", 70, s, _URL),
}


@pytest.mark.parametrize("secret_type", sorted(_REAL))
def test_corpus11_token_found_under_a_neutral_name(secret_type: str) -> None:
    assert _env(_REAL[secret_type](11)) == [secret_type]


@pytest.mark.parametrize("secret_type", sorted(_REAL))
def test_corpus11_token_found_as_a_positional_argument(secret_type: str) -> None:
    assert _positional(_REAL[secret_type](12)) == [secret_type]


# Shapes with no literal of their own count under their issuer's name only (the keyword prefilter could
# not skip them): there they name the issuer a generic finding left anonymous.
_NAMED = {
    "ghost-admin-api-key": ("GHOST_ADMIN_API_KEY", lambda s: fake_hex(24, s) + ":" + fake_hex(64, s + 1)),
    "zhipu-api-key": ("ZHIPUAI_API_KEY", lambda s: fake_hex(32, s) + "." + fake_token("", 16, s)),
    "discord-bot-token": ("DISCORD_TOKEN", _discord),
    "bitwarden-access-token": ("BWS_ACCESS_TOKEN", lambda s: "0." + _uuid(s) + "." + fake_token("", 30, s)
                               + ":" + fake_token("", 22, s + 1) + "=="),
}


@pytest.mark.parametrize("secret_type", sorted(_NAMED))
def test_corpus11_literal_free_shape_names_its_issuer_under_its_name(secret_type: str) -> None:
    name, build = _NAMED[secret_type]
    assert _env(build(14), name) == [secret_type]
    assert _env(build(14), "CONFIG_VALUE") == []  # no name, no keyword: not searched for


@pytest.mark.parametrize("digits", [17, 18, 20])
def test_discord_token_of_every_id_length_is_found(digits: int) -> None:
    assert _env(_discord(13, digits), "DISCORD_BOT_TOKEN") == ["discord-bot-token"]


# Docs sample values, placeholders and lookalikes: no finding under a neutral name or as an argument.
_QUIET = [
    "hcxik_" + "1234567890" * 5 + "12345678",  # Honeycomb's docs sample (sequential digits)
    "hcxik_" + fake_token("", 26, 1, _LOWER),  # a bare key id: a label
    "tr_proj_" + fake_token("", 20, 2),  # a Trigger.dev project ref
    "tr_dev_" + "x" * 24,
    "dbtu_" + "YOUR_API_TOKEN_HERE",
    "dtn_" + "your_api_key",
    "xoxe.xoxp-1-" + "YOUR-TOKEN",
    "API-" + "YOURAPIKEYHERE" + "X" * 13,
    "mob-" + _uuid(3),  # a LaunchDarkly mobile key ships inside apps
    "https://example.com/api-" + _uuid(4) + "/items",  # an id in a URL path
    "secret-token:mercury_production_" + "x" * 32,
    "2/" + "1234567890123456" + "/" + "1234567890123456" + ":" + "0123456789abcdef" * 2,
    "0123456789abcdef" * 2 + "-us21",
    "sgai-test-" + "00000000-0000-0000-0000-000000000000",  # a test fixture's key
    "dt0c01." + "X" * 24 + "." + "X" * 64,
    "pat." + "x" * 22 + "." + "x" * 24 + "." + "x" * 20,
    "abc" + "8Q~" + "x" * 34,

    # names after a short prefix: one letter case, no digit
    "API-" + "DOCUMENTATION" + "REFERENCEGUIDE",
    "dbtc_" + "daily_revenue_report_by_customer_segment",
    "tr_dev_" + "environment" + "configuration",
    "hcaik_" + "ingest" + "keyforproductionenvironmentfrontendservice",
]


def test_launchdarkly_mobile_key_is_public_even_under_a_key_name() -> None:
    # "Mobile keys do not need to be kept secret" (LaunchDarkly SDK credentials docs)
    assert _env("mob-" + _uuid(7), "LD_MOBILE_KEY") == []
    assert _env("sdk-" + _uuid(7), "LD_SDK_KEY") == ["launchdarkly-sdk-key"]


def test_plaid_sandbox_token_is_low_and_not_blocking() -> None:
    env = {"PLAID_TOKEN": "access-sandbox-" + _uuid(8)}
    server = {"command": "npx", "args": ["-y", "plaid-mcp"], "env": env}
    [match] = scan(mcp_json(json.dumps({"srv": server})))
    assert match.secret_type == "plaid-sandbox-access-token" and match.severity == Severity.LOW


def test_discord_shape_needs_base64_of_digits_first() -> None:
    # three dotted parts whose first is base64 of a word, not of a numeric id
    word = base64.b64encode(b"my-internal-service-01").decode().rstrip("=")
    value = word + "." + fake_token("", 6, 5, _URL) + "." + fake_token("", 38, 6, _URL)
    assert "discord-bot-token" not in _env(value, "DISCORD_TOKEN")


@pytest.mark.parametrize("value", _QUIET, ids=range(len(_QUIET)))
def test_corpus11_placeholders_and_lookalikes_are_quiet(value: str) -> None:
    assert _env(value) == []
    assert _positional(value) == []


@pytest.mark.parametrize(("body", "random"), [
    (fake_token("", 20, 7), True), ("DOCUMENTATIONREFERENCE", False), ("daily_revenue_report", False),
    ("Deployment" + "Pipeline", True), ("report" + "2024", True),
])
def test_random_enough_needs_a_digit_or_both_cases(body: str, random: bool) -> None:
    assert random_enough(body) is random


# Notification webhooks whose URL is the credential (the names end in URL, so only the shape finds
# them), and a Telegram bot token inside its Bot API URL (`bot` glued before it).
_WEBHOOKS = {
    "discord-webhook-url": lambda s: "https://discord.com/api/webhooks/" + fake_token("", 19, s, _DIGITS)
    + "/" + fake_token("", 68, s, _URL),
    "teams-webhook-url": lambda s: "https://acme.webhook.office.com/webhookb2/" + _uuid(s) + "@"
    + _uuid(s + 1) + "/IncomingWebhook/" + fake_hex(32, s) + "/" + _uuid(s + 2),
    "feishu-bot-webhook": lambda s: "https://open.feishu.cn/open-apis/bot/v2/hook/" + _uuid(s),
    "telegram-bot-api-url": lambda s: "https://api.telegram.org/bot" + fake_token("", 10, s, _DIGITS) + ":AA"
    + fake_token("", 33, s, _URL) + "/sendMessage",
}


@pytest.mark.parametrize("secret_type", sorted(_WEBHOOKS))
def test_webhook_urls_holding_their_credential_are_found(secret_type: str) -> None:
    assert _env(_WEBHOOKS[secret_type](15), "NOTIFY_WEBHOOK_URL") == [secret_type]


@pytest.mark.parametrize("url", [
    "https://discord.com/api/webhooks/" + "1234567890123456789" + "/" + "x" * 68,
    "https://discord.com/api/webhooks/<id>/<token>",
    "https://open.feishu.cn/open-apis/bot/v2/hook/" + "00000000-0000-0000-0000-000000000000",
    "https://open.feishu.cn/open-apis/bot/v2/hook/your-hook-id",
    "https://api.telegram.org/bot<YOUR_BOT_TOKEN>/sendMessage",
    "https://acme.webhook.office.com/webhookb2/xxxx",
])
def test_webhook_placeholders_are_quiet(url: str) -> None:
    assert _env(url, "NOTIFY_WEBHOOK_URL") == []
