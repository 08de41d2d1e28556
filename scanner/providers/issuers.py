"""Credential issuers written as one Provider row each: token shapes, rotation advice, aliases and
gitleaks rule ids together. A new issuer is one row here plus a case in tests/providers/; its shapes
join PATTERNS (providers/patterns.py) and its advice joins ROTATIONS (providers/rotation.py).
"""

from __future__ import annotations

from scanner.model import Severity
from scanner.providers.base import LEFT, RIGHT, Pattern, Provider, Rotation, pattern
from scanner.providers.platform_issuers import PLATFORM_ISSUERS
from scanner.providers.saas_issuers import SAAS_ISSUERS

C, H, M, LO = Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_END = r"(?![A-Za-z0-9_-])"
_END_EQ = r"(?![A-Za-z0-9_=-])"  # after a body that may hold `=` and `-`


def _key(
    pid: str,
    prefix: str,
    body: str,
    provider: str,
    description: str,
    severity: Severity = H,
    *,
    public: bool = False,
    live: bool = False,
) -> Pattern:
    """A prefixed token shape: `prefix` + `body`, between word boundaries. `live`: the prefix marks
    a production-mode key (MCPG203 reports it in a development config)."""
    return pattern(
        pid, LEFT + _re_escape(prefix) + body + RIGHT, prefix, provider, severity, description, public=public,
        live=live,
    )


def _url(
    pid: str, regex: str, provider: str, description: str, severity: Severity = H, *, min_entropy: float = 3.0
) -> Pattern:
    """A key inside a URL of one host (path segment or query): group 1 is the key."""
    return pattern(pid, regex, "", provider, severity, description, group=1, min_entropy=min_entropy)


def _re_escape(prefix: str) -> str:
    return prefix.replace(".", r"\.").replace("+", r"\+").replace("$", r"\$")


def _rot(pid: str, name: str, url: str, steps: str) -> Rotation:
    return Rotation(pid, name, url, steps)


# Names a wallet secret sits under (crypto MCP servers' READMEs: PRIVATE_KEY, WALLET_PRIVATE_KEY,
# SOLANA_PRIVATE_KEY, SIGNER_KEY, WALLET_SEED, KEYPAIR, --private-key); not *_PUBLIC_KEY, TX_HASH.
WALLET_NAME = (
    r"^(?!.*(?:public|pub[_-]?key|address|hash|slot|root)).*(?:private[_-]?key|priv[_-]?key|"
    r"secret[_-]?key|signer[_-]?key|wallet[_-]?(?:key|secret|seed)|seed|keypair|mnemonic|"
    r"deployer[_-]?(?:key|secret))"
)

ISSUERS: tuple[Provider, ...] = (
    Provider(
        id="grafana",
        # Service account tokens: glsa_ + 32 alphanumerics + _ + 8 hex (checksum); mcp-grafana reads
        # them from GRAFANA_SERVICE_ACCOUNT_TOKEN / GRAFANA_API_KEY.
        patterns=(
            pattern(
                "grafana-service-account-token",
                LEFT + r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}" + RIGHT,
                "glsa_",
                "grafana",
                Severity.HIGH,
                "Grafana service account token",
            ),
            pattern(
                "grafana-cloud-api-token",
                LEFT + r"glc_[A-Za-z0-9+/]{40,150}={0,2}" + _END,
                "glc_",
                "grafana",
                Severity.HIGH,
                "Grafana Cloud access policy token",
            ),
        ),
        rotation=Rotation(
            "grafana",
            "Grafana",
            "https://grafana.com/docs/grafana/latest/administration/service-accounts/",
            "In Grafana, Administration > Users and access > Service accounts: delete the "
            "token, add a new one, and give the account the Viewer role when the MCP server "
            "only reads.",
        ),
        aliases=("grafana-cloud",),
        gitleaks_rules=("grafana-service-account-token", "grafana-api-key", "grafana-cloud-api-token"),
    ),
    Provider(
        id="wallet",
        # EVM/Tron/Aptos secp256k1/ed25519 keys: 32 bytes as 64 hex (optionally 0x); Solana secret
        # keys: 64 bytes in base58 (86-88 chars). Both only under a key/seed/mnemonic name: a bare
        # 64-hex is as often a transaction hash or digest. BIP-39 mnemonics: engines/wallet.py.
        patterns=(
            pattern(
                "wallet-private-key-hex",
                r"^(?:0x)?[0-9a-fA-F]{64}$",
                "",
                "wallet",
                C,
                "Wallet private key (64 hex)",
                name=WALLET_NAME,
            ),
            pattern(
                "wallet-private-key-base58",
                r"^[1-9A-HJ-NP-Za-km-z]{86,88}$",
                "",
                "wallet",
                C,
                "Solana wallet secret key (base58)",
                name=WALLET_NAME,
            ),
        ),
        rotation=_rot(
            "wallet",
            "the wallet",
            "",
            "A leaked wallet key cannot be revoked: create a new wallet, move all funds and "
            "token approvals to it now, and give the MCP server a separate low-balance key.",
        ),
        aliases=("crypto-wallet", "mnemonic"),
        gitleaks_rules=("polymarket-private-key",),
    ),
    Provider(
        id="rpc",
        # Node providers put the project key in the URL path (docs of each provider); public keyless
        # endpoints (rpc.ankr.com/eth, mainnet.base.org) and Alchemy's documented `demo` key do not match.
        patterns=(
            _url(
                "alchemy-rpc-key",
                r"\.(?:g\.alchemy\.com|alchemyapi\.io)/(?:v2|nft/v[23])/"
                r"([A-Za-z0-9_-]{20,64})" + _END,
                "rpc",
                "Alchemy API key in an RPC URL",
            ),
            _url(
                "infura-rpc-key",
                r"\.infura\.io/(?:ws/)?v3/([0-9a-f]{32})" + _END,
                "rpc",
                "Infura project key in an RPC URL",
            ),
            _url(
                "quicknode-rpc-token",
                r"\.quiknode\.pro/([0-9a-f]{32,64})" + _END,
                "rpc",
                "QuickNode endpoint token",
            ),
            _url(
                "ankr-rpc-key",
                r"rpc\.ankr\.com/[a-z0-9_]{2,40}/(?:ws/)?([0-9a-f]{64})" + _END,
                "rpc",
                "Ankr premium RPC key",
            ),
            _url(
                "getblock-rpc-token",
                r"(?:go\.getblock\.(?:io|us|asia)|\.getblock\.io)/([0-9a-f]{32})" + _END,
                "rpc",
                "GetBlock access token",
            ),
            _url(
                "chainstack-rpc-key",
                r"(?:\.core\.chainstack\.com|\.p2pify\.com)/([0-9a-f]{32})" + _END,
                "rpc",
                "Chainstack node key",
            ),
            _url(
                "blastapi-rpc-key", r"\.blastapi\.io/(" + _UUID + ")" + _END, "rpc", "Blast API project key"
            ),
            _url(
                "drpc-key",
                r"\.drpc\.org/[^\s?#]*\?(?:[^\s#]*&)?dkey=([A-Za-z0-9_-]{20,64})" + _END,
                "rpc",
                "dRPC key",
            ),
        ),
        rotation=_rot(
            "rpc",
            "the RPC provider",
            "",
            "In the node provider's dashboard (Alchemy, Infura/MetaMask Developer, QuickNode, Ankr, "
            "GetBlock, Chainstack), delete or roll the key in the endpoint URL, create a new one with "
            "an allowlist, and read the URL from an environment variable.",
        ),
        aliases=("alchemy", "infura", "quicknode", "ankr", "getblock", "chainstack", "helius", "blastapi"),
    ),
    Provider(
        id="zapier",
        # "Treat this URL like a password" (Zapier MCP): the server URL carries the secret.
        patterns=(
            _url(
                "zapier-mcp-url",
                r"mcp\.zapier\.com/api/mcp/s/([A-Za-z0-9+/=_-]{20,300}?)/(?:mcp|sse)" + _END,
                "zapier",
                "Zapier MCP server URL secret",
            ),
            # The connect form of the same secret (`npx mcp-remote https://mcp.zapier.com/api/v1/connect?
            # token=<base64>`, seen committed in an mcp-servers.json).
            _url(
                "zapier-mcp-connect-token",
                r"mcp\.zapier\.com/api/v1/connect\?token=([A-Za-z0-9+/=%_-]{20,300})" + _END,
                "zapier",
                "Zapier MCP connect token",
            ),
            _key("zapier-actions-key", "sk-ak-", r"[A-Za-z0-9]{20,}", "zapier", "Zapier AI Actions key"),
        ),
        rotation=_rot(
            "zapier",
            "Zapier MCP",
            "https://mcp.zapier.com/",
            "Open the MCP server in Zapier, rotate its token on the Connect tab (the old URL stops "
            "working), and keep the new URL out of the repository.",
        ),
    ),
    Provider(
        id="composio",
        patterns=(
            _url(
                "composio-mcp-url",
                r"mcp\.composio\.dev/composio/server/(" + _UUID + ")" + _END,
                "composio",
                "Composio MCP server URL id",
            ),
            _url(
                "composio-mcp-slug",
                r"mcp\.composio\.dev/(?!composio/|partner/)[a-z0-9_-]{2,40}/"
                # The tail is a 6-character nanoid: its alphabet holds `-` and `_` (`…-horse-Y39-hm`).
                r"([a-z]{2,12}-[a-z]{2,12}-[a-z]{2,12}-[A-Za-z0-9_-]{6})" + _END,
                "composio",
                "Composio MCP server URL slug",
                min_entropy=2.5,
            ),
            _url(
                "composio-customer-id",
                r"mcp\.composio\.dev/partner/[^\s?#]*\?(?:[^\s#]*&)?customerId=(" + _UUID + ")",
                "composio",
                "Composio MCP customer id",
            ),
        ),
        rotation=_rot(
            "composio",
            "Composio",
            "https://platform.composio.dev/",
            "Delete the MCP server (or regenerate its URL) in the Composio dashboard, create a new "
            "one, and roll the project API key if it was in the same file.",
        ),
    ),
    Provider(
        id="make",
        patterns=(
            _url(
                "make-mcp-url",
                r"\.make\.com/mcp/(?:api/v1/)?u/(" + _UUID + ")" + _END,
                "make",
                "Make MCP server URL token",
            ),
            _url(
                "make-mcp-scenario-token",
                r"\.make\.com/mcp/server/" + _UUID + r"/t/([A-Za-z0-9_-]{20,})" + _END,
                "make",
                "Make MCP scenario token",
            ),
        ),
        rotation=_rot(
            "make",
            "Make",
            "https://www.make.com/en/help/ai-agents/mcp-server",
            "In Make, Profile > API/MCP access: delete the MCP token and create a new one.",
        ),
    ),
    Provider(
        id="pipedream",
        patterns=(
            _url(
                "pipedream-mcp-url",
                r"mcp\.pipedream\.net/(" + _UUID + ")/",
                "pipedream",
                "Pipedream personal MCP endpoint id",
            ),
        ),
        rotation=_rot(
            "pipedream",
            "Pipedream",
            "https://pipedream.com/settings/account",
            "Disconnect the apps of the personal MCP endpoint and move to the OAuth endpoint "
            "(mcp.pipedream.net/v2).",
        ),
    ),
    Provider(
        id="vercel",
        # vcp_ personal, vci_ integration, vca_/vcr_ app access/refresh, vck_ AI Gateway keys.
        patterns=tuple(
            _key(f"vercel-{kind}", prefix, r"[A-Za-z0-9_-]{40,}", "vercel", description)
            for kind, prefix, description in (
                ("token", "vcp_", "Vercel personal access token"),
                ("integration-token", "vci_", "Vercel integration token"),
                ("app-access-token", "vca_", "Vercel app access token"),
                ("app-refresh-token", "vcr_", "Vercel app refresh token"),
                ("ai-gateway-key", "vck_", "Vercel AI Gateway key"),
            )
        ),
        rotation=_rot(
            "vercel",
            "Vercel",
            "https://vercel.com/account/settings/tokens",
            "Delete the token and create a new one scoped to one team with an expiry.",
        ),
    ),
    Provider(
        id="modelscope",
        # ModelScope (魔搭) access tokens, sent as the API-Inference bearer key and by the
        # modelscope MCP server (`MODELSCOPE_API_TOKEN`): `ms-` + a UUID, as committed beside a hosted
        # MCP URL. The hosted URL itself (`mcp.api-inference.modelscope.net/<14 hex>/sse`) names a
        # deployment, not a credential: no row for it (tests/providers/test_gateway_urls.py).
        patterns=(_key("modelscope-access-token", "ms-", _UUID, "modelscope", "ModelScope access token"),),
        rotation=_rot(
            "modelscope",
            "ModelScope",
            "https://modelscope.cn/my/myaccesstoken",
            "Account settings > Access tokens: delete the token and create a new one.",
        ),
    ),
    Provider(
        id="apify",
        patterns=(_key("apify-api-token", "apify_api_", r"[A-Za-z0-9]{30,40}", "apify", "Apify API token"),),
        rotation=_rot(
            "apify",
            "Apify",
            "https://console.apify.com/settings/integrations",
            "Settings > API & Integrations: reset or delete the token and create a scoped one.",
        ),
    ),
    Provider(
        id="hyperbrowser",
        # `npx hyperbrowser-mcp <YOUR-HYPERBROWSER-API-KEY>` (hyperbrowserai/mcp README) or
        # HYPERBROWSER_API_KEY: hb_ + hex (28 seen committed as the positional argument).
        patterns=(
            _key("hyperbrowser-api-key", "hb_", r"[0-9a-f]{28,40}", "hyperbrowser", "Hyperbrowser API key"),
        ),
        rotation=_rot(
            "hyperbrowser",
            "Hyperbrowser",
            "https://app.hyperbrowser.ai/settings",
            "Settings > API Keys: delete the key and create a new one; pass it through "
            "HYPERBROWSER_API_KEY from the environment, not as a command-line argument.",
        ),
    ),
    Provider(
        id="pinecone",
        patterns=(
            _key(
                "pinecone-api-key",
                "pcsk_",
                r"[A-Za-z0-9]{4,8}_[A-Za-z0-9]{50,}",
                "pinecone",
                "Pinecone API key",
            ),
        ),
        rotation=_rot(
            "pinecone",
            "Pinecone",
            "https://app.pinecone.io/",
            "Project > API keys: delete the key and create a new one.",
        ),
    ),
    Provider(
        id="cloudflare-token",
        patterns=(
            _key(
                "cloudflare-user-token",
                "cfut_",
                r"[A-Za-z0-9]{40}[0-9a-f]{8}",
                "cloudflare-token",
                "Cloudflare API token",
            ),
            _key(
                "cloudflare-account-token",
                "cfat_",
                r"[A-Za-z0-9]{40}[0-9a-f]{8}",
                "cloudflare-token",
                "Cloudflare account API token",
            ),
            # The scannable Global API Key (Cloudflare docs, Token formats: cfk_ + 40 + checksum),
            # full access to every account of the user.
            _key(
                "cloudflare-global-api-key",
                "cfk_",
                r"[A-Za-z0-9]{40}[0-9a-f]{8}",
                "cloudflare-token",
                "Cloudflare Global API Key",
                C,
            ),
        ),
        rotation=_rot(
            "cloudflare-token",
            "Cloudflare",
            "https://dash.cloudflare.com/profile/api-tokens",
            "Roll or delete the API token and create a new one with the narrowest permissions (a cfk_ "
            "Global API Key: My Profile > API Tokens > Global API Key > Change; prefer a scoped token).",
        ),
    ),
    Provider(
        id="gitlab-routable",
        # GitLab 17+ routable tokens: glpat- + base64url payload + . + 2-char version + . + 7-char crc.
        patterns=(
            _key(
                "gitlab-pat-routable",
                "glpat-",
                r"[A-Za-z0-9_-]{27,300}\.[0-9a-z]{2}\.[0-9a-z]{7}",
                "gitlab-routable",
                "GitLab personal access token (routable)",
            ),
        ),
        rotation=_rot(
            "gitlab-routable",
            "GitLab",
            "https://gitlab.com/-/user_settings/personal_access_tokens",
            "Revoke the access token and create a new one with the narrowest scopes and an expiry.",
        ),
    ),
    Provider(
        id="resend",
        patterns=(
            _key(
                "resend-api-key",
                "re_",
                r"[1-9A-HJ-NP-Za-km-z]{8}_[1-9A-HJ-NP-Za-km-z]{24}",
                "resend",
                "Resend API key",
            ),
        ),
        rotation=_rot(
            "resend", "Resend", "https://resend.com/api-keys", "Delete the API key and create a new one."
        ),
    ),
    Provider(
        id="brevo",
        patterns=(
            _key("brevo-api-key", "xkeysib-", r"[a-f0-9]{64}-[A-Za-z0-9]{16}", "brevo", "Brevo API key"),
        ),
        rotation=_rot(
            "brevo",
            "Brevo",
            "https://app.brevo.com/settings/keys/api",
            "Delete the API key and create a new one.",
        ),
        aliases=("sendinblue",),
    ),
    Provider(
        id="docker",
        patterns=(
            _key("dockerhub-pat", "dckr_pat_", r"[A-Za-z0-9_-]{27,}", "docker", "Docker Hub access token"),
            _key(
                "dockerhub-oat",
                "dckr_oat_",
                r"[A-Za-z0-9_-]{27,}",
                "docker",
                "Docker Hub organization access token",
            ),
        ),
        rotation=_rot(
            "docker",
            "Docker Hub",
            "https://app.docker.com/settings/personal-access-tokens",
            "Delete the access token and create a new read-only one.",
        ),
        aliases=("dockerhub",),
    ),
    Provider(
        id="planetscale",
        patterns=(
            _key(
                "planetscale-token",
                "pscale_tkn_",
                r"[A-Za-z0-9_-]{32,64}",
                "planetscale",
                "PlanetScale service token",
            ),
            _key(
                "planetscale-password",
                "pscale_pw_",
                r"[A-Za-z0-9_-]{32,64}",
                "planetscale",
                "PlanetScale database password",
                C,
            ),
        ),
        rotation=_rot(
            "planetscale",
            "PlanetScale",
            "https://app.planetscale.com/",
            "Delete the service token or database password in the organization settings and create "
            "a new one.",
        ),
    ),
    Provider(
        id="cerebras",
        patterns=(_key("cerebras-api-key", "csk-", r"[a-z0-9]{40,}", "cerebras", "Cerebras API key"),),
        rotation=_rot(
            "cerebras", "Cerebras", "https://cloud.cerebras.ai/", "Delete the API key and create a new one."
        ),
    ),
    Provider(
        id="nvidia",
        patterns=(_key("nvidia-api-key", "nvapi-", r"[A-Za-z0-9_-]{60,70}", "nvidia", "NVIDIA API key"),),
        rotation=_rot(
            "nvidia", "NVIDIA", "https://build.nvidia.com/", "Revoke the API key and generate a new one."
        ),
    ),
    Provider(
        id="together",
        patterns=(
            _key("togetherai-api-key", "tgp_v1_", r"[A-Za-z0-9_-]{40,}", "together", "Together AI API key"),
        ),
        rotation=_rot(
            "together",
            "Together AI",
            "https://api.together.ai/settings/api-keys",
            "Revoke the API key and create a new one.",
        ),
    ),
    Provider(
        id="llamacloud",
        patterns=(
            _key("llama-cloud-api-key", "llx-", r"[A-Za-z0-9]{40,52}", "llamacloud", "LlamaCloud API key"),
        ),
        rotation=_rot(
            "llamacloud",
            "LlamaCloud",
            "https://cloud.llamaindex.ai/",
            "Delete the API key and create a new one.",
        ),
    ),
    Provider(
        id="posthog",
        patterns=(
            _key(
                "posthog-personal-api-key",
                "phx_",
                r"[A-Za-z0-9_-]{40,}",
                "posthog",
                "PostHog personal API key",
            ),
            _key(
                "posthog-project-key",
                "phc_",
                r"[A-Za-z0-9_-]{39,}",
                "posthog",
                "PostHog project key (public write-only ingest key)",
                LO,
                public=True,
            ),
        ),
        rotation=_rot(
            "posthog",
            "PostHog",
            "https://app.posthog.com/settings/user-api-keys",
            "Delete the personal API key and create a new one with the narrowest scopes.",
        ),
    ),
    Provider(
        id="langfuse",
        patterns=(
            pattern(
                "langfuse-secret-key",
                LEFT + r"sk-lf-" + _UUID + RIGHT,
                "sk-lf-",
                "langfuse",
                H,
                "Langfuse secret key",
            ),
            pattern(
                "langfuse-public-key",
                LEFT + r"pk-lf-" + _UUID + RIGHT,
                "pk-lf-",
                "langfuse",
                LO,
                "Langfuse public key",
                public=True,
            ),
        ),
        rotation=_rot(
            "langfuse",
            "Langfuse",
            "https://cloud.langfuse.com/",
            "Project settings > API keys: delete the key pair and create a new one.",
        ),
    ),
    Provider(
        id="hubspot",
        patterns=(
            pattern(
                "hubspot-private-app-token",
                LEFT + r"pat-(?:na|eu|ap)\d-" + _UUID + RIGHT,
                "pat-",
                "hubspot",
                H,
                "HubSpot private app access token",
            ),
        ),
        rotation=_rot(
            "hubspot",
            "HubSpot",
            "https://app.hubspot.com/",
            "Settings > Integrations > Private apps: rotate the app's access token.",
        ),
    ),
    Provider(
        id="tailscale",
        patterns=(
            _key(
                "tailscale-api-key",
                "tskey-",
                r"(?:api|auth|client)-[A-Za-z0-9_-]{20,64}",
                "tailscale",
                "Tailscale API/auth key",
            ),
        ),
        rotation=_rot(
            "tailscale",
            "Tailscale",
            "https://login.tailscale.com/admin/settings/keys",
            "Revoke the key and create a new one with an expiry.",
        ),
    ),
    Provider(
        id="vault",
        patterns=(
            _key("vault-service-token", "hvs.", r"[A-Za-z0-9_-]{90,}", "vault", "HashiCorp Vault token"),
            _key("vault-batch-token", "hvb.", r"[A-Za-z0-9_-]{90,}", "vault", "HashiCorp Vault batch token"),
        ),
        rotation=_rot(
            "vault",
            "HashiCorp Vault",
            "https://developer.hashicorp.com/vault/docs/commands/token/revoke",
            "Revoke the token (vault token revoke) and issue a short-lived one from an auth method.",
        ),
    ),
    Provider(
        id="1password",
        patterns=(
            _key(
                "1password-service-account-token",
                "ops_eyJ",
                r"[A-Za-z0-9+/=_-]{100,}",
                "1password",
                "1Password service account token",
                C,
            ),
        ),
        rotation=_rot(
            "1password",
            "1Password",
            "https://my.1password.com/developer-tools/infrastructure-secrets",
            "Revoke the service account token and create a new one with access to one vault.",
        ),
    ),
    Provider(
        id="newrelic",
        patterns=(
            _key("newrelic-user-api-key", "NRAK-", r"[A-Z0-9]{27}", "newrelic", "New Relic user API key"),
            # License (ingest) keys: 36 hex + NRAL; Insights insert keys NRII- (the OpenTelemetry / APM
            # side of New Relic's MCP setups: NEW_RELIC_LICENSE_KEY, OTLP `api-key` headers).
            pattern("newrelic-license-key", LEFT + r"[a-f0-9]{36}NRAL" + RIGHT, "", "newrelic", H,
                    "New Relic license key"),
            _key("newrelic-insert-key", "NRII-", r"[A-Za-z0-9_-]{32}", "newrelic",
                 "New Relic Insights insert key"),
        ),
        rotation=_rot(
            "newrelic",
            "New Relic",
            "https://one.newrelic.com/api-keys",
            "Delete the key (API keys page: user, license or insert key) and create a new one.",
        ),
    ),
    Provider(
        id="render",
        patterns=(_key("render-api-key", "rnd_", r"[A-Za-z0-9]{28,32}", "render", "Render API key"),),
        rotation=_rot(
            "render",
            "Render",
            "https://dashboard.render.com/u/settings#api-keys",
            "Revoke the API key and create a new one.",
        ),
    ),
    Provider(
        id="flyio",
        # fly.io/docs/security/tokens: `fo1_` personal/OAuth tokens; macaroon tokens `fm1a_`/`fm1r_`
        # (v1) and `fm2_` (v2), base64 bodies, sent as `FlyV1 fm2_…` (several joined by commas).
        # Fly's MCP server (`fly mcp server`) and flyctl read them from FLY_API_TOKEN.
        patterns=(
            _key("flyio-access-token", "fo1_", r"[A-Za-z0-9_-]{43}", "flyio", "Fly.io access token"),
            _key("flyio-macaroon-v1", "fm1", r"[ar]_[A-Za-z0-9+/]{100,}={0,3}", "flyio",
                 "Fly.io macaroon token"),
            _key("flyio-macaroon", "fm2_", r"[A-Za-z0-9+/]{100,}={0,3}", "flyio", "Fly.io macaroon token"),
        ),
        rotation=_rot(
            "flyio",
            "Fly.io",
            "https://fly.io/user/personal_access_tokens",
            "Revoke the token (dashboard or `fly tokens revoke`) and create a narrower one "
            "(`fly tokens create deploy` for one app) with an expiry.",
        ),
        gitleaks_rules=("flyio-access-token",),
    ),
    Provider(
        id="sourcegraph",
        patterns=(
            _key(
                "sourcegraph-token",
                "sgp_",
                r"(?:[a-f0-9]{16}_)?[a-f0-9]{40}",
                "sourcegraph",
                "Sourcegraph access token",
            ),
        ),
        rotation=_rot(
            "sourcegraph",
            "Sourcegraph",
            "https://sourcegraph.com/user/settings/tokens",
            "Delete the access token and create a new one.",
        ),
    ),
    Provider(
        id="prefect",
        patterns=(_key("prefect-api-key", "pnu_", r"[A-Za-z0-9]{36}", "prefect", "Prefect API key"),),
        rotation=_rot(
            "prefect",
            "Prefect",
            "https://app.prefect.cloud/my/api-keys",
            "Delete the API key and create a new one with an expiry.",
        ),
    ),
    Provider(
        id="typeform",
        patterns=(
            _key(
                "typeform-token",
                "tfp_",
                r"[A-Za-z0-9_-]{40,60}",
                "typeform",
                "Typeform personal access token",
            ),
        ),
        rotation=_rot(
            "typeform",
            "Typeform",
            "https://admin.typeform.com/user/tokens",
            "Delete the personal token and create a new one with the narrowest scopes.",
        ),
    ),
    Provider(
        id="mem0",
        patterns=(_key("mem0-api-key", "m0-", r"[A-Za-z0-9]{24,44}", "mem0", "Mem0 API key"),),
        rotation=_rot(
            "mem0",
            "Mem0",
            "https://app.mem0.ai/dashboard/api-keys",
            "Delete the API key and create a new one.",
        ),
    ),
    Provider(
        id="google-aq",
        # Google's newer API key format ("AQ." keys; Gemini/Stitch).
        patterns=(
            _key("google-aq-api-key", "AQ.Ab8RN6", r"[A-Za-z0-9_-]{40,50}", "google-aq", "Google API key"),
        ),
        rotation=_rot(
            "google-aq",
            "Google Cloud",
            "https://console.cloud.google.com/apis/credentials",
            "Delete or regenerate the API key and add API restrictions.",
        ),
    ),
    Provider(
        id="mapbox",
        patterns=(
            _key(
                "mapbox-secret-token",
                "sk.eyJ",
                r"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}",
                "mapbox",
                "Mapbox secret access token",
            ),
            _key(
                "mapbox-public-token",
                "pk.eyJ",
                r"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}",
                "mapbox",
                "Mapbox public token (URL-restrictable, public by design)",
                LO,
                public=True,
            ),
        ),
        rotation=_rot(
            "mapbox",
            "Mapbox",
            "https://account.mapbox.com/access-tokens/",
            "Delete the secret token and create a new one with the narrowest scopes.",
        ),
    ),
    Provider(
        id="algolia",
        patterns=(
            pattern(
                "algolia-search-key",
                r"^[a-f0-9]{32}$",
                "",
                "algolia",
                LO,
                "Algolia search-only key (public by design)",
                name=r"algolia.*search|search.*key",
                public=True,
            ),
        ),
        rotation=_rot(
            "algolia",
            "Algolia",
            "https://dashboard.algolia.com/account/api-keys",
            "Regenerate the Admin or write key; search-only keys are public but can be rate-limited.",
        ),
    ),
    # Prefixed shapes learned from Betterleaks' rule set (tokens with a distinctive prefix only).
    Provider(
        id="aws-bedrock",
        patterns=(
            _key(
                "aws-bedrock-api-key",
                "ABSK",
                r"[A-Za-z0-9+/]{109,269}={0,2}",
                "aws-bedrock",
                "Amazon Bedrock API key",
            ),
        ),
        rotation=_rot(
            "aws-bedrock",
            "Amazon Bedrock",
            "https://console.aws.amazon.com/bedrock/home#/api-keys",
            "Delete the Bedrock API key (long-lived keys are IAM service-specific credentials) and use "
            "short-lived keys or IAM roles.",
        ),
    ),
    Provider(
        id="bitbucket-dc",
        patterns=(
            _key(
                "bitbucket-dc-token",
                "BBDC-",
                r"[A-Za-z0-9+/=]{32,}",
                "bitbucket-dc",
                "Bitbucket Data Center HTTP access token",
            ),
        ),
        rotation=_rot(
            "bitbucket-dc",
            "Bitbucket Data Center",
            "",
            "Profile > Manage account > HTTP access tokens: revoke the token and create a new read-only one "
            "with an expiry.",
        ),
    ),
    Provider(
        id="buildkite",
        patterns=(
            _key(
                "buildkite-user-token", "bkua_", r"[a-z0-9]{40,53}", "buildkite", "Buildkite API access token"
            ),
        ),
        rotation=_rot(
            "buildkite",
            "Buildkite",
            "https://buildkite.com/user/api-access-tokens",
            "Revoke the API access token and create a new one with the narrowest scopes.",
        ),
    ),
    Provider(
        id="circleci",
        patterns=(
            _key(
                "circleci-personal-token",
                "CCIPAT_",
                r"[A-Za-z0-9]{22}_[a-z0-9]{40}",
                "circleci",
                "CircleCI personal API token",
            ),
        ),
        rotation=_rot(
            "circleci",
            "CircleCI",
            "https://app.circleci.com/settings/user/tokens",
            "Delete the personal API token and create a new one.",
        ),
    ),
    Provider(
        id="cloudsmith",
        patterns=(
            _key(
                "cloudsmith-api-key",
                "csa_",
                r"[a-f0-9]{30}[A-Za-z0-9]{6}",
                "cloudsmith",
                "Cloudsmith API key",
            ),
        ),
        rotation=_rot(
            "cloudsmith",
            "Cloudsmith",
            "https://cloudsmith.io/user/settings/api/",
            "Refresh (rotate) the API key on the account's API settings page.",
        ),
    ),
    Provider(
        id="cockroach",
        patterns=(
            _key(
                "cockroach-cloud-api-key",
                "CCDB1_",
                r"[A-Za-z0-9]{22}_[A-Za-z0-9]{40}",
                "cockroach",
                "CockroachDB Cloud API key",
            ),
        ),
        rotation=_rot(
            "cockroach",
            "CockroachDB Cloud",
            "https://cockroachlabs.cloud/",
            "Organization > Service accounts: delete the API key and create a new one.",
        ),
    ),
    Provider(
        id="deno",
        patterns=(_key("deno-deploy-token", "ddp_", r"[A-Za-z0-9]{36}", "deno", "Deno Deploy access token"),),
        rotation=_rot(
            "deno",
            "Deno Deploy",
            "https://dash.deno.com/account#access-tokens",
            "Delete the access token and create a new one.",
        ),
    ),
    Provider(
        id="devin",
        patterns=(
            _key(
                "devin-user-api-key",
                "apk_user_",
                r"[A-Za-z0-9+/]{120,180}={0,2}",
                "devin",
                "Devin personal API key",
            ),
        ),
        rotation=_rot(
            "devin",
            "Devin",
            "https://app.devin.ai/settings/api-keys",
            "Revoke the API key and create a new one.",
        ),
    ),
    Provider(
        id="docker-swarm",
        patterns=(
            _key(
                "docker-swarm-join-token",
                "SWMTKN-1-",
                r"[a-z0-9]{50,60}-[a-z0-9]{24,30}",
                "docker-swarm",
                "Docker Swarm join token",
            ),
        ),
        rotation=_rot(
            "docker-swarm",
            "Docker Swarm",
            "",
            "Run `docker swarm join-token --rotate worker` (and `manager`) on a manager node.",
        ),
    ),
    Provider(
        id="elastic",
        patterns=(
            _key(
                "elastic-cloud-api-key",
                "essu_",
                r"[A-Za-z0-9_-]{60,200}={0,2}",
                "elastic",
                "Elastic Cloud API key",
            ),
        ),
        rotation=_rot(
            "elastic",
            "Elastic",
            "https://cloud.elastic.co/account/keys",
            "Delete the API key and create a new one with the narrowest privileges.",
        ),
    ),
    Provider(
        id="infracost",
        patterns=(_key("infracost-api-key", "ico-", r"[A-Za-z0-9]{32}", "infracost", "Infracost API key"),),
        rotation=_rot(
            "infracost", "Infracost", "https://dashboard.infracost.io/", "Org settings: rotate the API key."
        ),
    ),
    Provider(
        id="langsmith",
        patterns=(
            _key(
                "langsmith-personal-token",
                "lsv2_pt_",
                r"[0-9a-fA-F]{32}_[0-9a-fA-F]{10}",
                "langsmith",
                "LangSmith personal access token",
            ),
            _key(
                "langsmith-service-key",
                "lsv2_sk_",
                r"[0-9a-fA-F]{32}_[0-9a-fA-F]{10}",
                "langsmith",
                "LangSmith service key",
            ),
        ),
        rotation=_rot(
            "langsmith",
            "LangSmith",
            "https://smith.langchain.com/settings",
            "Settings > API keys: delete the key and create a new one.",
        ),
    ),
    Provider(
        id="mailersend",
        patterns=(
            _key(
                "mailersend-api-token", "mlsn.", r"[A-Za-z0-9]{30,100}", "mailersend", "MailerSend API token"
            ),
        ),
        rotation=_rot(
            "mailersend",
            "MailerSend",
            "https://app.mailersend.com/api-tokens",
            "Delete the API token and create a new one with the narrowest access.",
        ),
    ),
    Provider(
        id="minimax",
        patterns=(
            _key("minimax-api-key", "sk-api-", r"[A-Za-z0-9_-]{100,130}", "minimax", "MiniMax API key"),
        ),
        rotation=_rot(
            "minimax", "MiniMax", "https://platform.minimax.io/", "Delete the API key and create a new one."
        ),
    ),
    Provider(
        id="testsprite",
        # TestSprite MCP (`npx @testsprite/testsprite-mcp`): API_KEY / TESTSPRITE_API_KEY, `sk-user-` + 131
        # base64url characters (seen committed in Antigravity and Cursor configs and setup notes).
        patterns=(
            _key("testsprite-api-key", "sk-user-", r"[A-Za-z0-9_-]{120,140}", "testsprite",
                 "TestSprite API key"),
        ),
        rotation=_rot(
            "testsprite",
            "TestSprite",
            "https://www.testsprite.com/dashboard/settings/apikey",
            "Dashboard > Settings > API Key: delete the key and create a new one; give it to the MCP server "
            "through TESTSPRITE_API_KEY from the environment.",
        ),
    ),
    Provider(
        id="pinterest",
        patterns=(
            _key(
                "pinterest-access-token",
                "pina_",
                r"[A-Za-z0-9_-]{20,200}",
                "pinterest",
                "Pinterest access token",
            ),
        ),
        rotation=_rot(
            "pinterest",
            "Pinterest",
            "https://developers.pinterest.com/apps/",
            "Revoke the token in the app's settings and create a new one.",
        ),
    ),
    Provider(
        id="polar",
        patterns=(
            _key(
                "polar-personal-token",
                "polar_pat_",
                r"[A-Za-z0-9_-]{20,100}",
                "polar",
                "Polar personal access token",
            ),
            _key(
                "polar-org-token",
                "polar_oat_",
                r"[A-Za-z0-9_-]{20,100}",
                "polar",
                "Polar organization access token",
            ),
        ),
        rotation=_rot(
            "polar",
            "Polar",
            "https://polar.sh/settings",
            "Revoke the access token and create a new one with the narrowest scopes.",
        ),
    ),
    Provider(
        id="readme",
        patterns=(_key("readme-api-key", "rdme_", r"[a-z0-9]{70}", "readme", "ReadMe API key"),),
        rotation=_rot(
            "readme",
            "ReadMe",
            "https://dash.readme.com/",
            "Project settings > API keys: revoke the key and create a new one.",
        ),
    ),
    Provider(
        id="rubygems",
        patterns=(_key("rubygems-api-key", "rubygems_", r"[a-f0-9]{48}", "rubygems", "RubyGems API key"),),
        rotation=_rot(
            "rubygems",
            "RubyGems",
            "https://rubygems.org/profile/api_keys",
            "Delete the API key and create a new one with the narrowest scopes.",
        ),
    ),
    Provider(
        id="runpod",
        patterns=(_key("runpod-api-key", "rpa_", r"[A-Z0-9]{40}[A-Za-z0-9]{6}", "runpod", "RunPod API key"),),
        rotation=_rot(
            "runpod",
            "RunPod",
            "https://www.runpod.io/console/user/settings",
            "Settings > API keys: revoke the key and create a new one.",
        ),
    ),
    Provider(
        id="shippo",
        patterns=(
            # shippo_live_ is the production token (labels are bought); test tokens are shippo_test_.
            _key("shippo-api-token", "shippo_live_", r"[a-fA-F0-9]{40}", "shippo", "Shippo live API token",
                 live=True),
        ),
        rotation=_rot(
            "shippo", "Shippo", "https://apps.goshippo.com/settings/api", "Regenerate the API token."
        ),
    ),
    Provider(
        id="braintree",
        # Braintree SDK / PayPal-via-Braintree access tokens name their environment:
        # access_token$production$<merchant id, 16>$<32 hex> vs access_token$sandbox$...
        patterns=(
            _key("braintree-access-token", "access_token$production$", r"[0-9a-z]{16}\$[0-9a-f]{32}",
                 "braintree", "Braintree production access token", C, live=True),
            _key("braintree-sandbox-access-token", "access_token$sandbox$", r"[0-9a-z]{16}\$[0-9a-f]{32}",
                 "braintree", "Braintree sandbox access token", LO),
        ),
        rotation=_rot(
            "braintree", "Braintree", "https://developer.paypal.com/braintree/docs/guides/authorization/overview",
            "Revoke the access token where it was granted (the Braintree Auth/OAuth connection or the PayPal "
            "app it came from) and issue a new one; developer configs take an access_token$sandbox$ token.",
        ),
    ),
    Provider(
        id="gocardless",
        # Access tokens name their environment: live_ / sandbox_ + 40 of [A-Za-z0-9_=-]
        # (developer.gocardless.com: separate sandbox and live accounts, each with its own tokens).
        patterns=(
            pattern("gocardless-access-token", LEFT + r"live_[A-Za-z0-9_=-]{40}" + _END_EQ, "live_",
                    "gocardless", C, "GoCardless live access token", live=True),
            pattern("gocardless-sandbox-access-token", LEFT + r"sandbox_[A-Za-z0-9_=-]{40}" + _END_EQ,
                    "sandbox_", "gocardless", LO, "GoCardless sandbox access token"),
        ),
        rotation=_rot(
            "gocardless", "GoCardless", "https://manage.gocardless.com/developers/access-tokens",
            "Developers > Access tokens: revoke the token and create a new one (sandbox tokens in "
            "manage-sandbox.gocardless.com); developer configs take a sandbox_ token.",
        ),
        gitleaks_rules=("gocardless-api-token",),
    ),
    Provider(
        id="mollie",
        # API keys: live_ / test_ + 30 alphanumerics (Mollie's API clients check `(live|test)_\w{30,}`);
        # exactly 30, so a GoCardless token (40) or a Paddle client-side token (27 hex) is not one.
        patterns=(
            pattern("mollie-live-api-key", LEFT + r"live_[A-Za-z0-9]{30}" + _END_EQ, "live_", "mollie", C,
                    "Mollie live API key", live=True),
            pattern("mollie-test-api-key", LEFT + r"test_[A-Za-z0-9]{30}" + _END_EQ, "test_", "mollie", LO,
                    "Mollie test API key"),
        ),
        rotation=_rot(
            "mollie", "Mollie", "https://docs.mollie.com/reference/authentication",
            "Web App > Developers > API access tokens: regenerate the key of the website profile (live "
            "and test keys separately); developer configs take the test_ key.",
        ),
    ),
    Provider(
        id="flutterwave",
        # v3 secret keys: FLWSECK- + 32 hex + -X (live), FLWSECK_TEST- + ... (test mode); public keys
        # FLWPUBK[_TEST]- are for browser code (developer.flutterwave.com, Authentication).
        patterns=(
            _key("flutterwave-live-secret-key", "FLWSECK-", r"[a-fA-F0-9]{32}-X", "flutterwave",
                 "Flutterwave live secret key", C, live=True),
            _key("flutterwave-test-secret-key", "FLWSECK_TEST-", r"[a-fA-F0-9]{32}-X", "flutterwave",
                 "Flutterwave test-mode secret key", LO),
            _key("flutterwave-public-key", "FLWPUBK", r"(?:_TEST)?-[a-fA-F0-9]{32}-X", "flutterwave",
                 "Flutterwave public key", LO, public=True),
        ),
        rotation=_rot(
            "flutterwave", "Flutterwave", "https://developer.flutterwave.com/docs/integration-guides/authentication",
            "Settings > Developers > API keys: generate a new secret key (it rotates the public and "
            "encryption keys too); developer configs take the FLWSECK_TEST- key.",
        ),
        gitleaks_rules=("flutterwave-secret-key", "flutterwave-public-key", "flutterwave-encryption-key"),
    ),
    Provider(
        id="paddle",
        # Paddle Billing API keys (since May 2025): pdl_live_apikey_ / pdl_sdbx_apikey_ + a 26-char
        # lower-case id + _ + the secret (developer.paddle.com, Authentication); the official Paddle MCP
        # server reads PADDLE_API_KEY.
        patterns=(
            _key("paddle-live-api-key", "pdl_live_apikey_", r"[0-9a-z]{26}_[A-Za-z0-9_]{20,40}", "paddle",
                 "Paddle live API key", C, live=True),
            _key("paddle-sandbox-api-key", "pdl_sdbx_apikey_", r"[0-9a-z]{26}_[A-Za-z0-9_]{20,40}", "paddle",
                 "Paddle sandbox API key", LO),
        ),
        rotation=_rot(
            "paddle", "Paddle", "https://developer.paddle.com/api-reference/about/api-keys",
            "Paddle > Developer tools > Authentication: revoke the API key (or rotate it) and create a "
            "new one; developer configs take a sandbox (pdl_sdbx_) key.",
        ),
    ),
    Provider(
        id="square",
        # Square credentials name their environment: application secrets sq0csp- (production) /
        # sandbox-sq0csb- + 43, legacy personal access tokens sq0atp- / sandbox-sq0atb- + 22
        # (Square developer console; square/square-mcp-server reads ACCESS_TOKEN with SANDBOX=true).
        # OAuth / access tokens `EAAA…` are left to the name rules: Facebook tokens start the same.
        patterns=(
            _key("square-application-secret", "sq0csp-", r"[A-Za-z0-9_-]{43}" + _END, "square",
                 "Square production application secret", C, live=True),
            _key("square-sandbox-application-secret", "sandbox-sq0csb-", r"[A-Za-z0-9_-]{43}" + _END,
                 "square", "Square sandbox application secret", LO),
            _key("square-access-token", "sq0atp-", r"[A-Za-z0-9_-]{22}" + _END, "square",
                 "Square production personal access token", C, live=True),
            _key("square-sandbox-access-token", "sandbox-sq0atb-", r"[A-Za-z0-9_-]{22}" + _END, "square",
                 "Square sandbox personal access token", LO),
        ),
        rotation=_rot(
            "square", "Square", "https://developer.squareup.com/apps",
            "Developer console > the application > Credentials (or OAuth): replace the secret or revoke "
            "the token (production and sandbox separately); developer configs take sandbox credentials.",
        ),
        gitleaks_rules=("square-access-token", "square-secret"),
    ),
    Provider(
        id="facebook",
        # Meta Graph API access tokens (user, page, system-user): EAA + 100+ alphanumerics, no
        # separator (gitleaks facebook-page-access-token); Square's EAAA + 60 tokens are shorter.
        patterns=(
            _key("facebook-access-token", "EAA", r"[A-Za-z0-9]{100,}", "facebook",
                 "Facebook / Meta Graph API access token"),
        ),
        rotation=_rot(
            "facebook", "Meta", "https://developers.facebook.com/tools/accesstoken/",
            "Meta for Developers > your app: invalidate the token (reset the app secret or remove the "
            "app's Business Integration / system-user token) and issue a new one with the fewest "
            "permissions.",
        ),
        gitleaks_rules=("facebook-page-access-token",),
    ),
    Provider(
        id="netlify",
        # Personal access tokens: nfp_ + 36 (the Netlify MCP server reads NETLIFY_PERSONAL_ACCESS_TOKEN).
        patterns=(_key("netlify-pat", "nfp_", r"[A-Za-z0-9]{36}", "netlify",
                       "Netlify personal access token"),),
        rotation=_rot(
            "netlify", "Netlify", "https://app.netlify.com/user/applications#personal-access-tokens",
            "Delete the personal access token and create a new one with an expiry.",
        ),
        gitleaks_rules=("netlify-access-token",),
    ),
    Provider(
        id="valtown",
        patterns=(
            _key("valtown-api-token", "vtwn_", r"[A-Za-z0-9_-]{20,80}", "valtown", "Val Town API token"),
        ),
        rotation=_rot(
            "valtown",
            "Val Town",
            "https://www.val.town/settings/api",
            "Delete the API token and create a new one.",
        ),
    ),
    Provider(
        id="wakatime",
        patterns=(_key("wakatime-api-key", "waka_", r"[a-z0-9]{36,64}", "wakatime", "WakaTime API key"),),
        rotation=_rot(
            "wakatime", "WakaTime", "https://wakatime.com/settings/api-key", "Regenerate the secret API key."
        ),
    ),
    Provider(
        id="wandb",
        patterns=(
            _key("wandb-api-key", "wandb_v1_", r"[A-Za-z0-9_]{77}", "wandb", "Weights & Biases API key"),
        ),
        rotation=_rot(
            "wandb",
            "Weights & Biases",
            "https://wandb.ai/authorize",
            "User settings > API keys: revoke the key and create a new one.",
        ),
    ),
    Provider(
        id="zuplo",
        patterns=(
            _key(
                "zuplo-consumer-key", "zpka_", r"[a-z0-9]{32}_[0-9a-f]{8}", "zuplo", "Zuplo API consumer key"
            ),
        ),
        rotation=_rot(
            "zuplo", "Zuplo", "https://portal.zuplo.com/", "Roll the consumer's API key in the Zuplo portal."
        ),
    ),
    Provider(
        id="unkey",
        patterns=(_key("unkey-root-key", "unkey_", r"[A-Za-z0-9]{20,32}", "unkey", "Unkey root key"),),
        rotation=_rot(
            "unkey",
            "Unkey",
            "https://app.unkey.com/settings/root-keys",
            "Delete the root key and create a new one with the narrowest permissions.",
        ),
    ),
    Provider(
        id="upcloud",
        patterns=(_key("upcloud-api-token", "ucat_", r"[0-9A-Za-z]{24,32}", "upcloud", "UpCloud API token"),),
        rotation=_rot(
            "upcloud",
            "UpCloud",
            "https://hub.upcloud.com/account/api",
            "Delete the API token and create a new one.",
        ),
    ),
    # Wave-4 real-world pass: issuers whose keys appear in MCP configs (server READMEs and public
    # configs) with a documented, prefixed shape; each is found even under a neutral name or as a
    # positional argument.
    Provider(
        id="google-oauth",
        # OAuth 2.0 client secrets (GOCSPX- + 28, Google Cloud console) used by Gmail/Drive/Calendar
        # MCP servers (GOOGLE_CLIENT_SECRET), and access/refresh tokens Google issues to them.
        patterns=(
            _key(
                "google-oauth-client-secret",
                "GOCSPX-",
                r"[A-Za-z0-9_-]{28}",
                "google-oauth",
                "Google OAuth client secret",
            ),
            _key(
                "google-oauth-access-token",
                "ya29.",
                r"[A-Za-z0-9_-]{50,1000}",
                "google-oauth",
                "Google OAuth access token",
            ),
            _key(
                "google-oauth-refresh-token",
                "1//0",
                r"[A-Za-z0-9_-]{40,500}",
                "google-oauth",
                "Google OAuth refresh token",
            ),
        ),
        rotation=_rot(
            "google-oauth",
            "Google OAuth",
            "https://console.cloud.google.com/apis/credentials",
            "Reset the OAuth client secret (or delete the client) and revoke the issued tokens at "
            "https://myaccount.google.com/permissions.",
        ),
        aliases=("gcp-oauth",),
    ),
    Provider(
        id="e2b",
        # E2B sandboxes (e2b-mcp-server): E2B_API_KEY = e2b_ + 40 hex.
        patterns=(_key("e2b-api-key", "e2b_", r"[0-9a-f]{40}", "e2b", "E2B API key"),),
        rotation=_rot(
            "e2b",
            "E2B",
            "https://e2b.dev/dashboard?tab=keys",
            "Delete the API key in the E2B dashboard and create a new one.",
        ),
    ),
    Provider(
        id="jina",
        # Jina AI reader/search MCP servers: JINA_API_KEY = jina_ + ~60 characters.
        patterns=(_key("jina-api-key", "jina_", r"[A-Za-z0-9_-]{40,80}", "jina", "Jina AI API key"),),
        rotation=_rot(
            "jina",
            "Jina AI",
            "https://jina.ai/api-dashboard/key-manager",
            "Revoke the key in the Jina AI key manager and create a new one.",
        ),
    ),
    Provider(
        id="elevenlabs",
        # ElevenLabs MCP server: ELEVENLABS_API_KEY = sk_ + 48 hex (Stripe keys are sk_live_/sk_test_).
        patterns=(_key("elevenlabs-api-key", "sk_", r"[0-9a-f]{48}", "elevenlabs", "ElevenLabs API key"),),
        rotation=_rot(
            "elevenlabs",
            "ElevenLabs",
            "https://elevenlabs.io/app/settings/api-keys",
            "Delete the API key and create a new one with only the permissions the server needs.",
        ),
    ),
    Provider(
        id="sonarqube",
        # SonarQube / SonarQube Cloud MCP server (SONARQUBE_TOKEN): squ_ user, sqa_ global analysis,
        # sqp_ project analysis tokens, + 40 hex (SonarQube 9.5+ token formats).
        patterns=(
            pattern(
                "sonarqube-token",
                LEFT + r"sq[apu]_[0-9a-f]{40}" + RIGHT,
                "sq",
                "sonarqube",
                H,
                "SonarQube token",
            ),
        ),
        rotation=_rot(
            "sonarqube",
            "SonarQube",
            "https://sonarcloud.io/account/security",
            "Revoke the token under My Account > Security and generate a new one.",
        ),
    ),
    Provider(
        id="atlassian-app",
        # Atlassian app passwords / tokens with their own prefix: Bitbucket app passwords (ATBB + 32),
        # Trello user tokens (ATTA + 64 hex + 8 hex checksum), used by Bitbucket/Trello MCP servers.
        patterns=(
            _key(
                "bitbucket-app-password",
                "ATBB",
                r"[A-Za-z0-9_=.-]{28,40}",
                "atlassian-app",
                "Bitbucket app password",
            ),
            _key("trello-token", "ATTA", r"[0-9a-fA-F]{64}[0-9A-F]{8}", "atlassian-app", "Trello token"),
        ),
        rotation=_rot(
            "atlassian-app",
            "Bitbucket / Trello",
            "https://id.atlassian.com/manage-profile/security",
            "Revoke the app password (Bitbucket personal settings) or the Trello token (Trello "
            "account > Applications) and create a new one.",
        ),
    ),
    Provider(
        id="contentful",
        # Contentful MCP server: CONTENTFUL_MANAGEMENT_ACCESS_TOKEN = CFPAT- + 43.
        patterns=(
            _key(
                "contentful-pat",
                "CFPAT-",
                r"[A-Za-z0-9_-]{43}",
                "contentful",
                "Contentful personal access token",
            ),
        ),
        rotation=_rot(
            "contentful",
            "Contentful",
            "https://app.contentful.com/account/profile/cma_tokens",
            "Revoke the personal access token and create a new one.",
        ),
    ),
    Provider(
        id="axiom",
        # Axiom MCP server (AXIOM_TOKEN): API tokens xaat-<uuid>, personal tokens xapt-<uuid>.
        patterns=(
            pattern("axiom-token", LEFT + r"xa[ap]t-" + _UUID + RIGHT, "xa", "axiom", H, "Axiom token"),
        ),
        rotation=_rot(
            "axiom",
            "Axiom",
            "https://app.axiom.co/settings/api-tokens",
            "Delete the token in Settings > API tokens and create a new one.",
        ),
    ),
    Provider(
        id="terraform-cloud",
        # HCP Terraform / Terraform Enterprise MCP server (TFE_TOKEN): <14>.atlasv1.<60-70>.
        patterns=(
            pattern(
                "terraform-cloud-token",
                LEFT + r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}" + _END,
                "atlasv1",
                "terraform-cloud",
                H,
                "HCP Terraform API token",
            ),
        ),
        rotation=_rot(
            "terraform-cloud",
            "HCP Terraform",
            "https://app.terraform.io/app/settings/tokens",
            "Delete the user/team/organization token and create a new one.",
        ),
    ),
    Provider(
        id="mailgun",
        # Mailgun MCP server (MAILGUN_API_KEY): legacy private API keys key- + 32 hex.
        patterns=(
            _key("mailgun-private-key", "key-", r"[0-9a-f]{32}", "mailgun", "Mailgun private API key"),
        ),
        rotation=_rot(
            "mailgun",
            "Mailgun",
            "https://app.mailgun.com/settings/api_security",
            "Delete the API key and create a new one.",
        ),
    ),
    Provider(
        id="inngest",
        # Inngest signing keys (INNGEST_SIGNING_KEY): signkey-<env>-<64 hex>.
        patterns=(
            pattern(
                "inngest-signing-key",
                LEFT + r"signkey-(?:prod|test|branch)-[0-9a-f]{64}" + RIGHT,
                "signkey-",
                "inngest",
                H,
                "Inngest signing key",
            ),
        ),
        rotation=_rot(
            "inngest",
            "Inngest",
            "https://app.inngest.com/env/production/manage/signing-key",
            "Rotate the signing key in the Inngest dashboard and deploy the new one.",
        ),
    ),
    Provider(
        id="helicone",
        # Helicone gateway keys: sk-helicone-<4 groups of 7 lowercase alphanumerics>.
        patterns=(
            pattern(
                "helicone-api-key",
                LEFT + r"sk-helicone-[a-z0-9]{7}(?:-[a-z0-9]{7}){3}" + RIGHT,
                "sk-helicone-",
                "helicone",
                H,
                "Helicone API key",
            ),
        ),
        rotation=_rot(
            "helicone",
            "Helicone",
            "https://us.helicone.ai/settings/api-keys",
            "Delete the API key and create a new one.",
        ),
    ),
)

# Rows kept in their own family module (the issuers MCP servers front, corpus 11).
ISSUERS += SAAS_ISSUERS + PLATFORM_ISSUERS
