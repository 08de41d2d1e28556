"""Issuers of the SaaS / developer-platform tokens MCP servers take (corpus 11, values), one Provider
row each: shape + rotation together. A token passed with no name to help (a positional argument,
`npx -y pkg <KEY>`, or a neutral env name) is found only by its own shape, so each row is a shape the
vendor documents as its own: a prefix, or a layout no other issuer uses (checked against lookalikes in
tests/providers/test_corpus_shapes_11.py). Joined into ISSUERS by providers/issuers.py.
"""

from __future__ import annotations

from scanner.model import Severity
from scanner.providers.base import LEFT, RIGHT, Provider, Rotation, pattern

H, LO = Severity.HIGH, Severity.LOW
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_END = r"(?![A-Za-z0-9_.-])"  # after a body that may hold `_` / `-`: not cut out of a longer word
_DIGITS_B64 = r"(?:[MNO][DTjz][AEIMQUYcgk][w-z0-5]){5,6}(?:[MNO][DTjz][AEIMQUYcgk]|[MNO][AQgw])?"
# Not a path segment or a longer name (`/api-<uuid>`, `x.sdk-<uuid>`).
_NOT_IN_PATH = LEFT + r"(?<![/.-])"  # LEFT first: the whole-text pass indexes rows that start with it


# Short prefixes a name could start with (`API-DOCUMENTATION…`, `dbtc_daily_revenue_report…`,
# `tr_dev_environmentconfiguration`): their bodies must look random (providers.base.random_enough).
_WORDY_PREFIX = frozenset({"trigger-dev-secret-key", "trigger-dev-pat", "dbt-token", "daytona-api-key",
                           "honeycomb-ingest-key", "octopus-api-key", "mercury-api-token"})


# Shapes with no literal of their own (hex:hex, hex.base62, 0.<uuid>, a Discord token's two-letter head):
# the keyword prefilter could not
# skip them, so each would run on every value (tests/engines/test_analysis_work.py). They count only
# under their issuer's name, where they name the issuer the generic finding would leave anonymous.
_NAMED = {"ghost-admin-api-key": r"ghost", "zhipu-api-key": r"zhipu|bigmodel|glm|(?:^|_)z_?ai(?:_|$)",
          "bitwarden-access-token": r"bitwarden|(?:^|_)bws(?:_|$)", "discord-bot-token": r"discord"}
# With no name they still count as a whole positional argument (Pattern.positional): each layout (hex:hex,
# hex.base62, 0.<uuid>.…, base64 digits . 6 . 27-38) is the issuer's alone.


# Keys their issuer documents as not secret (LaunchDarkly: "Mobile keys do not need to be kept secret"):
# matched so that no generic finding reports them, never reported themselves.
_PUBLIC = frozenset({"launchdarkly-mobile-key"})
# Test-mode credentials (they open an issuer's sandbox data only): low, as Stripe test keys are.
_SEVERITY = {"plaid-sandbox-access-token": LO}
# Shapes whose secret is one group of the match (the key inside a webhook URL's path).
_GROUP = {"feishu-bot-webhook": 1, "discord-webhook-url": 1}


def _row(pid: str, name: str, url: str, steps: str, *shapes: tuple[str, str, str, str]) -> Provider:
    """One issuer: each shape is (pattern id, regex, public prefix, description)."""
    return Provider(
        id=pid,
        patterns=tuple(pattern(sid, regex, prefix, pid, _SEVERITY.get(sid, H), text,
                               random_body=sid in _WORDY_PREFIX, name=_NAMED.get(sid), public=sid in _PUBLIC,
                               group=_GROUP.get(sid, 0), positional=sid in _NAMED)
                       for sid, regex, prefix, text in shapes),
        rotation=Rotation(pid, name, url, steps),
    )


SAAS_ISSUERS: tuple[Provider, ...] = (
    # Trigger.dev (its MCP server, `npx trigger.dev mcp`): environment secret keys tr_dev_ / tr_stg_ /
    # tr_prod_ / tr_preview_ and personal access tokens tr_pat_ (docs: management/authentication).
    # tr_proj_ is a project ref, not a secret: not in the alternation.
    _row("trigger-dev", "Trigger.dev", "https://cloud.trigger.dev/",
         "Regenerate the environment's secret key (Project > API keys) or revoke the personal access token.",
         ("trigger-dev-secret-key", LEFT + r"tr_(?:dev|stg|prod|preview)_[A-Za-z0-9]{20,}" + RIGHT, "tr_",
          "Trigger.dev environment secret key"),
         ("trigger-dev-pat", LEFT + r"tr_pat_[A-Za-z0-9]{20,}" + RIGHT, "tr_pat_",
          "Trigger.dev personal access token")),
    # dbt platform (dbt-mcp: DBT_TOKEN): personal access tokens dbtu_ and service tokens dbtc_, about 50
    # base62 characters that may hold `_` (public leaks: dbtu_ArB_Fh…).
    _row("dbt", "dbt platform", "https://cloud.getdbt.com/settings/profile#api-access",
         "Revoke the personal access token or service token (Account settings > API tokens); create another.",
         ("dbt-token", LEFT + r"dbt[uc]_[A-Za-z0-9_-]{40,}" + _END, "dbt", "dbt platform API token")),
    # Daytona sandboxes (its MCP server, DAYTONA_API_KEY): dtn_ + hex.
    _row("daytona", "Daytona", "https://app.daytona.io/dashboard/keys",
         "Revoke the API key in the Daytona dashboard and create a new one with the scopes needed.",
         ("daytona-api-key", LEFT + r"dtn_[A-Za-z0-9]{32,}" + RIGHT, "dtn_", "Daytona API key")),
    # Honeycomb (its MCP server): ingest keys are the key id hc?ik_ + secret, concatenated (docs: "API Key
    # Format", 58 characters after the prefix). A bare key id (26) is a label and stays out.
    _row("honeycomb", "Honeycomb", "https://ui.honeycomb.io/",
         "Delete the ingest key in Environment settings > API keys and create a new one.",
         ("honeycomb-ingest-key", LEFT + r"hc[a-z]ik_[a-z0-9]{50,}" + RIGHT, "hc", "Honeycomb ingest key")),
    # LaunchDarkly (its MCP server, LD_API_KEY): API access tokens api- + UUID, server-side SDK keys
    # sdk- + UUID. Mobile keys (mob-) are shipped in apps: public, as the issuer documents.
    _row("launchdarkly", "LaunchDarkly", "https://app.launchdarkly.com/settings/authorization",
         "Reset the access token (Authorization settings) or rotate the SDK key of the environment.",
         ("launchdarkly-access-token", _NOT_IN_PATH + r"api-" + _UUID + RIGHT, "api-",
          "LaunchDarkly API access token"),
         ("launchdarkly-sdk-key", _NOT_IN_PATH + r"sdk-" + _UUID + RIGHT, "sdk-",
          "LaunchDarkly server-side SDK key"),
         ("launchdarkly-mobile-key", _NOT_IN_PATH + r"mob-" + _UUID + RIGHT, "mob-",
          "LaunchDarkly mobile key (not secret by design)")),
    # Octopus Deploy (its MCP server, OCTOPUS_API_KEY): API- + 25-32 upper-case alphanumerics.
    _row("octopus", "Octopus Deploy", "https://octopus.com/docs/octopus-rest-api/how-to-create-an-api-key",
         "Revoke the API key under your profile > My API keys and create a new one.",
         ("octopus-api-key", LEFT + r"API-[A-Z0-9]{25,32}" + RIGHT, "API-", "Octopus Deploy API key")),
    # Intercom access tokens are base64 of "tok:" + ids: dG9rO + j/m (the next byte a digit or a-f).
    _row("intercom", "Intercom", "https://app.intercom.com/a/apps/_/developer-hub",
         "Regenerate the app's access token in the Developer Hub (Authentication).",
         ("intercom-access-token", LEFT + r"dG9rO[jm][A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=])", "dG9rO",
          "Intercom access token")),
    # WooCommerce REST keys (WooCommerce MCP servers): consumer key ck_ / secret cs_ + 40 hex.
    _row("woocommerce", "WooCommerce", "",
         "Revoke the key in WooCommerce > Settings > Advanced > REST API and generate a new pair.",
         ("woocommerce-consumer-key", LEFT + r"c[ks]_[a-f0-9]{40}" + RIGHT, "c", "WooCommerce REST API key")),
    # Mailchimp Marketing API keys: 32 hex + -us<data-center> (the data center is part of the key).
    _row("mailchimp", "Mailchimp", "https://admin.mailchimp.com/account/api/",
         "Revoke the API key in Account > Extras > API keys and create a new one.",
         ("mailchimp-api-key", LEFT + r"[a-f0-9]{32}-us[0-9]{1,2}" + RIGHT, "", "Mailchimp API key")),
    # X / Twitter app-only bearer tokens: 20+ A's (zero bytes, written out as the prefilter's keyword),
    # then URL-encoded base64.
    _row("twitter", "X (Twitter)", "https://developer.x.com/en/portal/dashboard",
         "Regenerate the app's bearer token in the developer portal (Keys and tokens).",
         ("twitter-bearer-token", LEFT + "A" * 20 + r"A{0,4}[A-Za-z0-9%]{40,}(?![A-Za-z0-9%_])", "",
          "X (Twitter) bearer token")),
    # Ghost Admin API keys (Ghost MCP servers, GHOST_ADMIN_API_KEY): 24-hex key id : 64-hex secret.
    _row("ghost", "Ghost", "",
         "Regenerate the Admin API key of the custom integration in Ghost Admin > Settings > Integrations.",
         ("ghost-admin-api-key", LEFT + r"[a-f0-9]{24}:[a-f0-9]{64}" + RIGHT, "", "Ghost Admin API key")),
    # Asana personal access tokens: <version>/<user gid>[/<app gid>]:<32 hex>; gids start with 1.
    _row("asana", "Asana", "https://app.asana.com/0/my-apps",
         "Deauthorize the personal access token in the developer console and create a new one.",
         ("asana-pat", LEFT + r"[012]/1[0-9]{9,19}(?:/1[0-9]{9,19})?:[a-f0-9]{32}" + RIGHT, "",
          "Asana personal access token")),
    # Tinybird (its remote MCP server takes ?token=): p. + base64url JSON + . + signature. Not a JWT:
    # one JSON part only, so the JWT shape does not see it.
    _row("tinybird", "Tinybird", "https://cloud.tinybird.co/tokens",
         "Refresh the token in the workspace's Tokens page (or delete it and create a scoped one).",
         ("tinybird-token", LEFT + r"p\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}" + RIGHT, "p.eyJ",
          "Tinybird token")),
    # Dropbox short-lived access tokens: sl. (newer sl.u.) + 130+ base64url characters.
    _row("dropbox", "Dropbox", "https://www.dropbox.com/developers/apps",
         "Revoke the token (the app's settings, or the user's connected apps) and issue a new one.",
         ("dropbox-access-token", LEFT + r"sl\.(?:u\.)?[A-Za-z0-9_-]{130,}" + _END, "sl.",
          "Dropbox access token")),
    # Salesforce session / OAuth access tokens: org id (00D + 12-15) ! + session secret.
    _row("salesforce", "Salesforce", "",
         "Revoke the session or OAuth token (Setup > Session Management / Connected Apps OAuth Usage).",
         ("salesforce-access-token", LEFT + r"00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{80,}" + RIGHT, "00D",
          "Salesforce access token")),
    # Appwrite API keys (its MCP server, APPWRITE_API_KEY): standard_ + 256 hex.
    _row("appwrite", "Appwrite", "https://cloud.appwrite.io/console",
         "Delete the API key in the project's Overview > Integrations > API keys and create a new one.",
         ("appwrite-api-key", LEFT + r"standard_[a-f0-9]{128,}" + RIGHT, "standard_", "Appwrite API key")),
    # Mercury banking API tokens (its MCP server): secret-token:mercury_<env>_... .
    _row("mercury", "Mercury", "https://app.mercury.com/settings/tokens",
         "Revoke the API token in Settings > API tokens and create a new one.",
         ("mercury-api-token",
          LEFT + r"secret-token:mercury_(?:production|sandbox)_[A-Za-z0-9_]{30,}" + RIGHT,
          "secret-token:mercury_", "Mercury API token")),
    # Bitwarden Secrets Manager machine-account access tokens: 0.<uuid>.<30>:<base64 key>.
    _row("bitwarden", "Bitwarden", "https://vault.bitwarden.com/",
         "Revoke the machine account's access token (Secrets Manager > Machine accounts > Access tokens).",
         ("bitwarden-access-token", LEFT + r"0\." + _UUID + r"\.[A-Za-z0-9]{30}:[A-Za-z0-9+/]{22}={0,2}"
          + r"(?![A-Za-z0-9+/=])", "", "Bitwarden Secrets Manager access token")),
    # Convex deploy keys (CONVEX_DEPLOY_KEY): <kind>:<deployment name>|<key>.
    _row("convex", "Convex", "https://dashboard.convex.dev/",
         "Regenerate the deploy key in the deployment's Settings > URL & deploy key.",
         ("convex-deploy-key",
          LEFT + r"(?:prod|dev|preview|project):[a-z0-9-]{3,64}\|[A-Za-z0-9_=-]{40,}" + _END,
          "", "Convex deploy key")),
    # Dynatrace (its MCP server): prefix (dt0 + type + version) . 24-character public part . 64-character
    # secret (docs: "Token format"; dt0c01 API tokens, dt0s01 OAuth clients, dt0s16 platform tokens).
    _row("dynatrace", "Dynatrace", "https://docs.dynatrace.com/docs/shortlink/token",
         "Revoke the token (Access tokens / Platform tokens in Dynatrace) and create a new one.",
         ("dynatrace-token", LEFT + r"dt0[a-z][0-9]{2}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}" + RIGHT, "dt0",
          "Dynatrace token")),
    # Harness (its MCP server, HARNESS_API_KEY): pat. / sat. + account id . token id . secret.
    _row("harness", "Harness", "https://app.harness.io/",
         "Delete the token under the API key (My profile > API keys, or the service account) and create one.",
         ("harness-api-token",
          LEFT + r"(?:pat|sat)\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}" + RIGHT, "",
          "Harness API token")),
    # JFrog Platform (its MCP server, JFROG_ACCESS_TOKEN): reference tokens are base64 of "reftkn:01:…"
    # (cmVmdGtu…), legacy API keys AKCp + 69.
    _row("jfrog", "JFrog", "https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens",
         "Revoke the access token (or the API key) in the JFrog Platform (User profile / Administration).",
         ("jfrog-reference-token", LEFT + r"cmVmdGtu[A-Za-z0-9]{50,70}" + RIGHT, "cmVmdGtu",
          "JFrog reference token"),
         ("jfrog-api-key", LEFT + r"AKCp[A-Za-z0-9]{69}" + RIGHT, "AKCp", "JFrog API key")),
    # Plaid access tokens: access-<environment>-<uuid>; sandbox ones open test data only (low).
    _row("plaid", "Plaid", "https://dashboard.plaid.com/developers/keys",
         "Remove the Item (/item/remove) the access token belongs to, or rotate the secret in the dashboard.",
         ("plaid-access-token", LEFT + r"access-(?:production|development)-" + _UUID + RIGHT, "access-",
          "Plaid access token"),
         ("plaid-sandbox-access-token", LEFT + r"access-sandbox-" + _UUID + RIGHT, "access-sandbox-",
          "Plaid sandbox access token")),
    # ScrapeGraphAI (its MCP server, SGAI_API_KEY): sgai- + UUID.
    _row("scrapegraph", "ScrapeGraphAI", "https://dashboard.scrapegraphai.com/",
         "Delete the API key in the ScrapeGraphAI dashboard and create a new one.",
         ("scrapegraph-api-key", LEFT + r"sgai-" + _UUID + RIGHT, "sgai-", "ScrapeGraphAI API key")),
    # Zhipu AI / BigModel (GLM) API keys: 32-hex key id . 16-character secret.
    _row("zhipu", "Zhipu AI (BigModel)", "https://open.bigmodel.cn/usercenter/apikeys",
         "Delete the API key in the BigModel console and create a new one.",
         ("zhipu-api-key", LEFT + r"[a-f0-9]{32}\.[A-Za-z0-9]{16}" + RIGHT, "", "Zhipu AI API key")),
    # Discord bot tokens: base64 of the bot's 17-20 digit id . 6 . 27-38 base64url. Base64 of ASCII
    # digits can only spell [MNO][DTjz][AEIMQUYcgk][w-z0-5] per 3 digits (and its 1- or 2-digit tails), so
    # the first part is checked as digits, not as any 24 characters before two dots.
    # Webhook URLs (DISCORD_WEBHOOK_URL of notification MCP servers): /api/webhooks/<id>/<token>; anyone
    # holding the URL posts as the webhook.
    _row("discord", "Discord", "https://discord.com/developers/applications",
         "Reset the bot token in the application's Bot page; delete a leaked webhook (channel settings >"
         " Integrations) and create a new one.",
         ("discord-bot-token", LEFT + _DIGITS_B64 + r"\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}" + RIGHT,
          "", "Discord bot token"),
         ("discord-webhook-url",
          r"discord(?:app)?\.com/api/webhooks/([0-9]{17,20}/[A-Za-z0-9_-]{60,80})" + _END, "",
          "Discord webhook URL")),
    # Microsoft Teams incoming webhooks (Office 365 connector URLs): tenant / group ids and a 32-hex key.
    _row("teams", "Microsoft Teams", "",
         "Remove the Incoming Webhook connector from the channel (Connectors / Workflows); create another.",
         ("teams-webhook-url", r"webhook\.office\.com/webhookb2/" + _UUID + "@" + _UUID
          + r"/IncomingWebhook/[a-f0-9]{32}/" + _UUID + r"(?:/[A-Za-z0-9_-]{20,})?" + _END, "webhook.",
          "Microsoft Teams incoming webhook URL")),
    # Feishu / Lark custom bot webhooks (FEISHU_WEBHOOK_URL of Chinese notification MCP servers): the UUID
    # in the path is the bot's credential.
    _row("feishu", "Feishu / Lark", "https://open.feishu.cn/",
         "Remove the custom bot from the group (or reset its webhook address) and add a new one.",
         ("feishu-bot-webhook", r"/open-apis/bot/v2/hook/(" + _UUID + ")" + _END, "",
          "Feishu / Lark bot webhook URL")),
)
