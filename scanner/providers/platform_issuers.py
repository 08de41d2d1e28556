"""Issuers of tokens popular MCP servers take (corpus 11 misses and round 14 of public shapes), one
Provider row each: shape + rotation together. Every shape is one the vendor documents as its own or one
seen in several public leaks (the search corpora: committed .env files and configs), so a token passed
with no name to help (`npx -y pkg <KEY>`) is named by its shape alone. Lookalikes and placeholders are
checked in tests/providers/test_platform_issuers.py. Joined into ISSUERS by providers/issuers.py.
"""

from __future__ import annotations

from scanner.model import Severity
from scanner.providers.base import LEFT, RIGHT, Provider, Rotation, pattern

H = Severity.HIGH
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_END = r"(?![A-Za-z0-9_.-])"  # not cut out of a longer word, a dotted name or a dashed key

# Short prefixes a word could start with (`as-ExpectedByTheCaller…`, `fw_Something…`): their bodies must
# look random (providers.base.random_enough).
# SiliconFlow's body is 48 letters of one case: random_enough judges it by how rare its vowels are.
_WORDY_PREFIX = frozenset({"modal-token-secret", "fireworks-api-key", "tencent-maps-key",
                           "azure-devops-pat-legacy", "siliconflow-api-key", "steel-api-key",
                           "browser-use-api-key", "xata-api-key", "supermemory-api-key", "chroma-api-key",
                           "socket-api-key"})
# Shapes whose only literal is a `-` (every value with a dash would run them): searched under their
# issuer's name, and with no name as a whole positional argument (Pattern.positional).
# Legacy Azure DevOps PATs (52 lower-case base32) likewise: no literal at all.
_NAMED = {"tencent-maps-key": r"tencent|(?:^|_)(?:qq|lbs|tmap|t?map)(?:_|$)",
          "azure-devops-pat-legacy": r"azure|devops|(?:^|_)(?:ado|azdo|vsts)(?:_|$)"}


def _row(pid: str, name: str, url: str, steps: str, *shapes: tuple[str, str, str, str]) -> Provider:
    """One issuer: each shape is (pattern id, regex, public prefix, description)."""
    return Provider(
        id=pid,
        patterns=tuple(pattern(sid, regex, prefix, pid, H, text,
                               random_body=sid in _WORDY_PREFIX,
                               name=_NAMED.get(sid), positional=sid in _NAMED)
                       for sid, regex, prefix, text in shapes),
        rotation=Rotation(pid, name, url, steps),
    )


PLATFORM_ISSUERS: tuple[Provider, ...] = (
    # Fireworks AI (FIREWORKS_API_KEY): fw_ + 24 base62 (public leaks).
    _row("fireworks", "Fireworks AI", "https://app.fireworks.ai/settings/users/api-keys",
         "Delete the API key in Fireworks (Settings > API keys, or `firectl delete api-key`) and create one.",
         ("fireworks-api-key", LEFT + r"fw_[A-Za-z0-9]{24,}" + RIGHT, "fw_", "Fireworks AI API key")),
    # Modal (MODAL_TOKEN_ID / MODAL_TOKEN_SECRET): a token pair ak-<22> / as-<22>; the id names the
    # token, the secret (as-) is the credential.
    _row("modal", "Modal", "https://modal.com/settings/tokens",
         "Revoke the token in Modal (Settings > API tokens) and create a new token pair.",
         ("modal-token-secret", LEFT + r"as-[A-Za-z0-9]{22}" + RIGHT, "as-", "Modal token secret")),
    # Cursor Admin / Cloud Agents API keys (CURSOR_API_KEY): key_ + 64 hex (public leaks, and the
    # format Cursor's dashboard shows, `key_xxxxxxxx…`).
    _row("cursor", "Cursor", "https://cursor.com/dashboard?tab=integrations",
         "Revoke the API key in the Cursor dashboard (Settings > Advanced > Admin API keys / Integrations).",
         ("cursor-api-key", LEFT + r"key_[a-f0-9]{64}" + RIGHT, "key_", "Cursor API key")),
    # Klaviyo private API keys: "the prefix pk_ followed by a longer alphanumeric string" (docs); public
    # leaks hold 34 hex. The public key is a 6-character site id (no shape). Stripe's pk_live_/pk_test_
    # and ClickUp's pk_<digits>_ hold a `_` after the prefix and do not match.
    _row("klaviyo", "Klaviyo", "https://www.klaviyo.com/settings/account/api-keys",
         "Revoke the private API key in Klaviyo (Settings > API keys) and create one with the scopes needed.",
         ("klaviyo-private-key", LEFT + r"pk_[a-f0-9]{34}" + RIGHT, "pk_", "Klaviyo private API key")),
    # Infisical service tokens (INFISICAL_TOKEN): st.<token id>.<secret>.<key>, hex parts (the Python
    # SDK's own regex: st\.[a-f0-9]+\.[a-f0-9]+\.[a-f0-9]+).
    _row("infisical", "Infisical", "https://app.infisical.com/",
         "Revoke the service token in the project's Access control > Service tokens and create a new one.",
         ("infisical-service-token",
          LEFT + r"st\.(?:[a-f0-9]{24,40}|" + _UUID + r")\.[a-f0-9]{32,64}\.[a-f0-9]{32,64}" + RIGHT, "st.",
          "Infisical service token")),
    # SiliconFlow (SILICONFLOW_API_KEY of Chinese MCP servers): sk- + 48 lower-case letters.
    _row("siliconflow", "SiliconFlow", "https://cloud.siliconflow.cn/account/ak",
         "Delete the API key in the SiliconFlow console (API keys) and create a new one.",
         ("siliconflow-api-key", LEFT + r"sk-[a-z]{48}" + RIGHT, "sk-", "SiliconFlow API key")),
    # sk- + 32 hex: the keys of several OpenAI-compatible providers (DeepSeek, Alibaba DashScope /
    # Bailian), one shape the issuer cannot be told from; the server's base URL or env name tells which.
    _row("openai-compatible", "OpenAI-compatible provider (DeepSeek, Alibaba DashScope, ...)", "",
         "Revoke the key at the provider whose API the server calls (DeepSeek platform > API keys, Alibaba"
         " Cloud Model Studio > API keys, ...) and create a new one.",
         ("openai-compatible-api-key", LEFT + r"sk-[a-f0-9]{32}" + RIGHT, "sk-",
          "OpenAI-compatible API key (DeepSeek / DashScope shape)")),
    # Tencent Location Service (Tencent Maps) keys: six groups of five upper-case letters and digits. Keys
    # of web pages and mini programs are sent to browsers, but a leaked one is billed and rate-limited to
    # its owner unless a referrer allow-list or signature is set: reported as Google API keys are.
    _row("tencent-maps", "Tencent Location Service", "https://lbs.qq.com/dev/console/application/mine",
         "Reset the key in the Tencent Location Service console (Application management) and restrict it.",
         ("tencent-maps-key", LEFT + r"(?<!-)[A-Z0-9]{5}(?:-[A-Z0-9]{5}){5}" + _END, "",
          "Tencent Maps key")),
    # Upstash Redis REST tokens (UPSTASH_REDIS_REST_TOKEN): base64 of a binary header, A + 3 + AAI[jn]c
    # + the rest (public .env files: AUp5AAIncDJ…, ARxRAAIjc…).
    _row("upstash", "Upstash", "https://console.upstash.com/",
         "Reset the database's password in the Upstash console (the database > Reset password): it renews the"
         " REST tokens and the redis:// password together; update every client.",
         ("upstash-redis-rest-token",
          LEFT + r"A[A-Za-z0-9]{3}AAI[jn]c[A-Za-z0-9]{30,}={0,2}(?![A-Za-z0-9_=-])",
          "", "Upstash Redis REST token")),
    # Azure DevOps personal access tokens (AZURE_DEVOPS_PAT of the Azure DevOps MCP server) in the format
    # of 2024 on: 84 characters, 52 random, the Microsoft signature JQQJ and the service tag AZDO.
    _row("azure-devops", "Azure DevOps", "https://learn.microsoft.com/azure/devops/organizations/accounts/"
         "use-personal-access-tokens-to-authenticate",
         "Revoke the personal access token (User settings > Personal access tokens) and create one scoped to"
         " what the server needs.",
         ("azure-devops-pat", LEFT + r"[A-Za-z0-9]{52}JQQJ[A-Za-z0-9]{20}AZDO[A-Za-z0-9]{4}" + RIGHT, "",
          "Azure DevOps personal access token"),
         ("azure-devops-pat-legacy", r"^[a-z2-7]{52}$", "",
          "Azure DevOps personal access token (52 base32)")),
    # Miro REST API access tokens (MIRO_ACCESS_TOKEN of Miro MCP servers): base64url of
    # {"miro.origin":"<region>"} _ + the secret.
    _row("miro", "Miro", "https://miro.com/app/settings/user-profile/apps",
         "Uninstall the app from the team (or revoke its token) and install it again for a new token.",
         ("miro-access-token", LEFT + r"eyJtaXJvLm9yaWdpbiI6I[A-Za-z0-9]{4,16}fQ_[A-Za-z0-9_-]{20,48}" + _END,
          "eyJtaXJvLm9yaWdpbiI6I", "Miro access token")),
    # Agent-infrastructure services with MCP servers of their own; prefixes from public .env files and
    # the vendors' setup pages (STEEL_API_KEY=ste-…, BROWSER_USE_API_KEY=bu_…, XATA_API_KEY=xau_…,
    # SUPERMEMORY_API_KEY=sm_…, CHROMA_API_KEY=ck-…, SOCKET_API_KEY=sktsec_…).
    _row("steel", "Steel", "https://app.steel.dev/settings/api-keys",
         "Delete the API key in the Steel dashboard (Settings > API keys) and create a new one.",
         ("steel-api-key", LEFT + r"ste-[A-Za-z0-9]{40,}" + RIGHT, "ste-", "Steel API key")),
    _row("browser-use", "Browser Use", "https://cloud.browser-use.com/settings",
         "Revoke the API key in Browser Use Cloud (Settings > API keys) and create a new one.",
         ("browser-use-api-key", LEFT + r"bu_[A-Za-z0-9_-]{40,}" + _END, "bu_", "Browser Use API key")),
    _row("xata", "Xata", "https://app.xata.io/settings",
         "Delete the API key in Xata (Account settings > Personal API keys) and create a new one.",
         ("xata-api-key", LEFT + r"xau_[A-Za-z0-9]{30,}" + RIGHT, "xau_", "Xata API key")),
    _row("supermemory", "Supermemory", "https://console.supermemory.ai/",
         "Delete the API key in the Supermemory console (API keys) and create a new one.",
         ("supermemory-api-key", LEFT + r"sm_[A-Za-z0-9_]{40,}" + RIGHT, "sm_", "Supermemory API key")),
    _row("chroma", "Chroma Cloud", "https://trychroma.com/",
         "Delete the API key in Chroma Cloud (the database's Settings > API keys) and create a new one.",
         ("chroma-api-key", LEFT + r"ck-[A-Za-z0-9]{40,50}" + RIGHT, "ck-", "Chroma Cloud API key")),
    _row("socket", "Socket", "https://socket.dev/dashboard",
         "Revoke the API token in the Socket dashboard (Settings > API tokens) and create a new one.",
         ("socket-api-key", LEFT + r"sktsec_[A-Za-z0-9_]{20,}" + RIGHT, "sktsec_", "Socket API token")),
)
