"""Revoke runbooks per provider id: the official revoke/rotate page, the steps, the short-lived or
workload-identity alternative, a copy-paste revoke command where the provider offers one that needs
no account access, and the vendor's hosted MCP endpoint with OAuth (so no secret is needed at all).

Sources: /work/research/providers.md (vendor docs; hosted MCP URLs seen in vendor docs and public
configs). mcp-guard never runs a revoke command: it prints it for the user, with `$LEAKED_TOKEN`
standing for the value (which mcp-guard never prints). URLs are vendor pages, never secrets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from scanner.providers.rotation import ALIASES, rotation_for


@dataclass(frozen=True, slots=True)
class Runbook:
    provider: str
    name: str
    url: str  # official revoke / rotate page ("" for self-managed systems)
    steps: str  # plain text
    short_lived: str = ""  # the short-lived / workload-identity alternative ("" = none known)
    revoke_command: str = ""  # runs with the leaked value only (no account login); uses $LEAKED_TOKEN
    oauth_url: str = ""  # hosted MCP endpoint that authorises with OAuth (no secret in the config)
    docs: str = ""  # docs page for the revoke command / alternative
    revoke_types: tuple[str, ...] = ()  # secret types the command accepts (empty: every type)
    # (secret type, page, steps) for an issuer whose kinds of credential are revoked on different
    # pages (a classic GitHub token is not listed where fine-grained ones are).
    pages: tuple[tuple[str, str, str], ...] = ()


_GH_REVOKE = ('curl -sS -X POST https://api.github.com/credentials/revoke '
              '-H "Accept: application/vnd.github+json" -H "X-GitHub-Api-Version: 2022-11-28" '
              '-d "{\\"credentials\\":[\\"$LEAKED_TOKEN\\"]}"')
_GH_APPS = ("Settings > Applications > Authorized GitHub Apps: revoke the app's authorization (its user "
            "and refresh tokens stop working), then sign in again.")
_GH_PAGES = (
    ("github-pat", "https://github.com/settings/tokens",
     "Settings > Developer settings > Personal access tokens > Tokens (classic): delete the token, then "
     "create a fine-grained token with read-only access to only the repositories the server needs and an "
     "expiry."),
    ("github-fine-grained-pat", "https://github.com/settings/personal-access-tokens",
     "Settings > Developer settings > Fine-grained tokens: revoke the token and create one with read-only "
     "access to only the repositories the server needs and an expiry."),
    ("github-oauth", "https://github.com/settings/applications",
     "Settings > Applications > Authorized OAuth Apps: revoke the app's access (its tokens stop working); "
     "if the app's client secret leaked too, its owner resets it."),
    ("github-user-to-server", "https://github.com/settings/apps/authorizations", _GH_APPS),
    ("github-refresh-token", "https://github.com/settings/apps/authorizations", _GH_APPS),
    ("github-app-token", "https://docs.github.com/en/rest/apps/installations#revoke-an-installation-access-token",
     "An installation token expires within an hour: revoke it now (`DELETE /installation/token` with the "
     "token), and if the app's private key leaked too, generate a new key in the app's settings and delete "
     "the old one."),
)
_DB = ("Change the database user's password (ALTER ROLE … PASSWORD), update every client, and give the MCP "
       "server a read-only user.")
_DB_SHORT = ("Short-lived database credentials: HashiCorp Vault dynamic secrets (database secrets engine), "
             "or IAM database authentication (AWS RDS IAM auth, GCP Cloud SQL IAM, Azure Entra auth).")
_KEYS = ("Delete the API key in the dashboard and create a new one; keep it in the environment or a "
         "secret manager.")

RUNBOOKS: dict[str, Runbook] = {r.provider: r for r in (
    Runbook("github", "GitHub", "https://github.com/settings/personal-access-tokens",
            "Open Settings > Developer settings > Personal access tokens (classic tokens: "
            "https://github.com/settings/tokens), delete the token, then create a fine-grained token with "
            "read-only permissions on the repositories the server needs and an expiry.",
            "GitHub App installation tokens (expire after 1 hour), the Actions GITHUB_TOKEN, or OAuth "
            "through the hosted GitHub MCP server.",
            _GH_REVOKE, "https://api.githubcopilot.com/mcp/",
            "https://docs.github.com/en/rest/credentials/revoke",
            ("github-pat", "github-fine-grained-pat"),  # the API takes personal access tokens only
            _GH_PAGES),
    Runbook("gitlab", "GitLab", "https://gitlab.com/-/user_settings/personal_access_tokens",
            "Revoke the personal/project access token and create one with the narrowest scopes and an "
            "expiry.",
            "CI_JOB_TOKEN, OIDC id_tokens to cloud providers, or OAuth through GitLab's MCP endpoint.",
            'curl -sS -X DELETE -H "PRIVATE-TOKEN: $LEAKED_TOKEN" '
            "https://gitlab.com/api/v4/personal_access_tokens/self",
            "https://gitlab.com/api/v4/mcp",
            "https://docs.gitlab.com/api/personal_access_tokens/", ("gitlab-pat",)),
    Runbook("openai", "OpenAI", "https://platform.openai.com/api-keys",
            "Delete the key and create a project-scoped key with restricted permissions (admin keys: "
            "https://platform.openai.com/settings/organization/admin-keys).",
            "No short-lived API keys: use a project key with restricted permissions and a budget."),
    Runbook("anthropic", "Anthropic", "https://console.anthropic.com/settings/keys",
            "Disable and delete the key in the Claude Console (admin keys: Settings > Admin keys) and "
            "create a new one in a workspace with a spend limit.",
            "Claude Code subscription login (OAuth) instead of an API key; Bedrock/Vertex through IAM or "
            "workload identity federation."),
    Runbook("aws", "AWS IAM", "https://console.aws.amazon.com/iam/home#/users",
            "IAM > Users > the user > Security credentials > Access keys: Deactivate, then Delete the key "
            "(find the account with `aws sts get-access-key-info --access-key-id <key id>`); review "
            "CloudTrail for its use. Temporary ASIA keys: revoke the role's active sessions.",
            "Short-lived credentials: IAM Identity Center (`aws sso login`, pass AWS_PROFILE only), IAM "
            "roles with STS, OIDC federation for CI (aws-actions/configure-aws-credentials).",
            docs="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"),
    Runbook("google", "Google Cloud", "https://console.cloud.google.com/apis/credentials",
            "Delete or regenerate the API key and add API and application restrictions (Gemini keys: "
            "https://aistudio.google.com/apikey; service-account keys: IAM > Service accounts > Keys).",
            "Workload Identity Federation, service-account impersonation or Application Default "
            "Credentials (`gcloud auth application-default login`) instead of keys.",
            'curl -sS -X POST https://oauth2.googleapis.com/revoke -d "token=$LEAKED_TOKEN"  '
            "# OAuth access/refresh tokens only (ya29. / 1//), not API keys",
            revoke_types=("google-oauth-token", "google-oauth-refresh-token")),
    Runbook("gemini", "Google AI Studio", "https://aistudio.google.com/apikey",
            "Delete the Gemini API key and create a new one restricted to the Generative Language API.",
            "Vertex AI through Application Default Credentials / Workload Identity Federation."),
    Runbook("azure", "Microsoft Azure", "https://entra.microsoft.com",
            "App registrations > the app > Certificates & secrets: delete the secret; resource keys: Keys "
            "and Endpoint > Regenerate; storage: `az storage account keys renew`.",
            "Managed identities or workload identity federation (GitHub OIDC with azure/login)."),
    Runbook("slack", "Slack", "https://api.slack.com/apps",
            "Open the app > OAuth & Permissions: revoke the token / reinstall; incoming webhooks: remove the "
            "webhook; enable token rotation.",
            "Token rotation (12-hour tokens) or OAuth through Slack's hosted MCP server.",
            'curl -sS -X POST https://slack.com/api/auth.revoke -H "Authorization: Bearer $LEAKED_TOKEN"',
            "https://mcp.slack.com/mcp", "https://api.slack.com/methods/auth.revoke",
            ("slack-bot-token", "slack-user-token")),
    Runbook("stripe", "Stripe", "https://dashboard.stripe.com/apikeys",
            "Developers > API keys > the key > Roll key (old key expires now); prefer a restricted rk_ key "
            "with only the permissions the server uses.",
            "Restricted keys, or OAuth through Stripe's hosted MCP server.", "", "https://mcp.stripe.com"),
    Runbook("supabase", "Supabase", "https://supabase.com/dashboard/account/tokens",
            "Revoke the access token; project keys: Project Settings > API Keys (create a new secret key, "
            "delete the old one; legacy JWT keys: rotate the JWT secret).",
            "OAuth through Supabase's hosted MCP server (project-scoped, read_only=true).", "",
            "https://mcp.supabase.com/mcp"),
    Runbook("notion", "Notion", "https://www.notion.so/profile/integrations",
            "Open the integration and refresh (regenerate) its internal integration secret.",
            "OAuth through Notion's hosted MCP server.", "", "https://mcp.notion.com/mcp"),
    Runbook("linear", "Linear", "https://linear.app/settings/account/security",
            "Revoke the personal API key and create a new one.",
            "OAuth through Linear's hosted MCP server.", "", "https://mcp.linear.app/mcp"),
    Runbook("atlassian", "Atlassian", "https://id.atlassian.com/manage-profile/security/api-tokens",
            "Revoke the API token (Data Center: Profile > Personal Access Tokens) and create one with an "
            "expiry.",
            "OAuth 2.1 through the Atlassian Rovo MCP server.", "", "https://mcp.atlassian.com/v1/mcp"),
    Runbook("sentry", "Sentry", "https://sentry.io/settings/account/api/auth-tokens/",
            "Revoke the user token (organization tokens: Settings > Developer Settings > Organization "
            "Tokens) "
            "and create one with minimal scopes.",
            "OAuth through Sentry's hosted MCP server.", "", "https://mcp.sentry.dev/mcp"),
    Runbook("neon", "Neon", "https://console.neon.tech/app/settings/api-keys",
            "Revoke the API key and create a new one (role passwords: Branch > Roles > Reset password).",
            "OAuth through Neon's hosted MCP server.", "", "https://mcp.neon.tech/mcp"),
    Runbook("vercel", "Vercel", "https://vercel.com/account/settings/tokens",
            "Delete the token and create a new one scoped to one team with an expiry.",
            "Vercel OIDC tokens for deployments, or OAuth through Vercel's hosted MCP server.", "",
            "https://mcp.vercel.com"),
    Runbook("context7", "Context7", "https://context7.com/dashboard",
            "Delete the API key in the dashboard and create a new one.",
            "OAuth through Context7's hosted MCP server.", "", "https://mcp.context7.com/mcp/oauth"),
    Runbook("figma", "Figma", "https://www.figma.com/settings",
            "Settings > Security > Personal access tokens: revoke the token and generate a new one with "
            "an expiry.",
            "OAuth through Figma's hosted MCP server.", "", "https://mcp.figma.com/mcp"),
    Runbook("cloudflare", "Cloudflare", "https://dash.cloudflare.com/profile/api-tokens",
            "Roll or delete the API token and create a scoped token with a TTL and IP filtering.",
            "OAuth through Cloudflare's hosted MCP servers.", "", "https://mcp.cloudflare.com/mcp"),
    Runbook("datadog", "Datadog", "https://app.datadoghq.com/organization-settings/api-keys",
            "Revoke the API key (application keys: /organization-settings/application-keys; other sites "
            "use their own host) and create a new one.",
            "OAuth through Datadog's hosted MCP server.", "",
            "https://mcp.datadoghq.com/api/unstable/mcp-server/mcp"),
    Runbook("huggingface", "Hugging Face", "https://huggingface.co/settings/tokens",
            "Invalidate the token and create a fine-grained read-only token.",
            "OAuth through Hugging Face's hosted MCP server.", "", "https://huggingface.co/mcp"),
    Runbook("npm", "npm", "https://www.npmjs.com/settings/~/tokens",
            "Delete the access token and create a granular read-only token with an expiry.",
            "Trusted publishing (OIDC from GitHub Actions / GitLab CI) instead of tokens."),
    Runbook("twilio", "Twilio", "https://console.twilio.com/us1/account/keys-credentials/api-keys",
            "Delete the SK API key; for the account auth token create a secondary token, promote it and "
            "delete the old one. Replace the SID/key and secret together.",
            "Twilio Access Tokens (JWT, up to 24 hours) and revocable API keys instead of the auth token."),
    Runbook("sendgrid", "SendGrid", "https://app.sendgrid.com/settings/api_keys",
            "Delete the API key and create one with restricted access."),
    Runbook("tavily", "Tavily", "https://app.tavily.com/home", _KEYS),
    Runbook("firecrawl", "Firecrawl", "https://www.firecrawl.dev/app/api-keys", _KEYS),
    Runbook("xai", "xAI", "https://console.x.ai/",
            "Open API Keys in the xAI console, delete the key, create a new one."),
    Runbook("perplexity", "Perplexity", "https://www.perplexity.ai/account/api/keys", _KEYS),
    Runbook("openrouter", "OpenRouter", "https://openrouter.ai/settings/keys",
            "Delete the key and create a new one with a credit limit."),
    Runbook("databricks", "Databricks", "https://docs.databricks.com/en/dev-tools/auth/pat.html",
            "Workspace > Settings > Developer > Access tokens: revoke the token.",
            "OAuth machine-to-machine (service principal) or OAuth user-to-machine instead of PATs."),
    Runbook("heroku", "Heroku", "https://dashboard.heroku.com/account/applications",
            "Revoke the authorization (`heroku authorizations:revoke <id>`) or regenerate the API key."),
    Runbook("airtable", "Airtable", "https://airtable.com/create/tokens",
            "Delete the personal access token and create one limited to the bases the server needs.",
            "OAuth integrations instead of personal access tokens."),
    Runbook("brave", "Brave Search API", "https://api-dashboard.search.brave.com/app/keys", _KEYS),
    Runbook("groq", "Groq", "https://console.groq.com/keys", _KEYS),
    Runbook("mistral", "Mistral AI", "https://console.mistral.ai/api-keys", _KEYS),
    Runbook("clickup", "ClickUp", "https://app.clickup.com/settings/apps",
            "Settings > Apps > API Token > Regenerate.", "OAuth apps instead of the personal token."),
    Runbook("shopify", "Shopify", "https://admin.shopify.com/settings/apps/development",
            "Apps > Develop apps > the app > API credentials: rotate the Admin API token (or uninstall and "
            "reinstall the custom app).", "OAuth apps with the narrowest access scopes."),
    Runbook("digitalocean", "DigitalOcean", "https://cloud.digitalocean.com/account/api/tokens",
            "Delete the personal access token and create a scoped one with an expiry."),
    Runbook("postman", "Postman", "https://go.postman.co/settings/me/api-keys",
            "Revoke the API key and generate a new one."),
    Runbook("doppler", "Doppler", "https://dashboard.doppler.com/workplace/tokens",
            "Revoke the token and create a service token scoped to one config.",
            "Doppler service accounts with OIDC identities (no static token in CI)."),
    Runbook("replicate", "Replicate", "https://replicate.com/account/api-tokens",
            "Disable the API token and create a new one."),
    Runbook("pulumi", "Pulumi Cloud", "https://app.pulumi.com/account/tokens",
            "Delete the access token and create a new one.", "OIDC token exchange for CI instead of tokens."),
    Runbook("browserbase", "Browserbase", "https://www.browserbase.com/settings",
            "Rotate the API key in the project settings."),
    Runbook("telegram", "Telegram", "https://t.me/BotFather",
            "Send /revoke to @BotFather, pick the bot: the old token stops working and a new one is issued."),
    Runbook("grafana", "Grafana",
            "https://grafana.com/docs/grafana/latest/administration/service-accounts/",
            "Administration > Users and access > Service accounts: delete the token and add a new one with "
            "the Viewer role when the server only reads."),
    Runbook("private-key", "the key owner", "",
            "Generate a new key pair, install the new public key or certificate, and remove the old public "
            "key everywhere it is trusted (authorized_keys, deploy keys, cloud IAM).",
            "Short-lived certificates (SSH CA, Vault SSH secrets engine) or keyless signing (OIDC)."),
    Runbook("jwt", "the token issuer", "",
            "Deleting a signed token does not revoke it: revoke the session or key it belongs to, or rotate "
            "the issuer's signing secret, then issue a short-lived token.",
            "Short-lived tokens from an OAuth flow instead of a long-lived bearer token."),
    Runbook("database", "database", "", _DB, _DB_SHORT),
    Runbook("postgres", "PostgreSQL database", "", _DB, _DB_SHORT),
    Runbook("mysql", "MySQL/MariaDB database", "", _DB, _DB_SHORT),
    Runbook("mongodb", "MongoDB", "https://cloud.mongodb.com/",
            "Atlas: Database Access > edit the user > Edit password (self-hosted: db.changeUserPassword); "
            "prefer a read-only user.",
            "Atlas service accounts (1-hour OAuth tokens), AWS IAM or OIDC workload authentication."),
    Runbook("redis", "Redis", "", "Change the password (ACL SETUSER / requirepass) and restart clients."),
    Runbook("url", "the service in the URL", "",
            "Change the password or key embedded in the URL on that service, then pass it from the "
            "environment."),
    Runbook("generic", "the issuer", "",
            "Revoke the credential where it was issued, create a new one with the narrowest scope, and "
            "store it outside the repository (environment, OS keychain or a secret manager)."),
)}


def revoke_command_for(book: Runbook, secret_type: str | None) -> str:
    """The copy-paste revoke command for this kind of credential ("" when the API does not take it)."""
    if not book.revoke_command or (book.revoke_types and secret_type not in book.revoke_types):
        return ""
    return book.revoke_command


def kind_page(book: Runbook, secret_type: str | None) -> tuple[str, str] | None:
    """(page, steps) for this kind of credential when the issuer revokes it on a page of its own."""
    return next(((url, steps) for kind, url, steps in book.pages if kind == secret_type), None)


def runbook_page(book: Runbook, secret_type: str | None) -> Runbook:
    """`book` with the page and steps for this kind of credential, when the issuer has one."""
    page = kind_page(book, secret_type)
    return book if page is None else replace(book, url=page[0], steps=page[1])


def runbook_for(provider: str | None) -> Runbook:
    """The runbook for a provider id (aliases accepted); a provider without a row gets one built from
    its rotation advice, so a new detector row is never left without steps."""
    key = (provider or "generic").strip().lower().split("+", 1)[0].removeprefix("jdbc:")
    key = ALIASES.get(key, key)
    if key in RUNBOOKS:
        return RUNBOOKS[key]
    rotation = rotation_for(key)
    if rotation.provider in RUNBOOKS:
        return RUNBOOKS[rotation.provider]
    return Runbook(rotation.provider, rotation.name, rotation.url, rotation.steps)


OAUTH_SERVERS: dict[str, str] = {r.provider: r.oauth_url for r in RUNBOOKS.values() if r.oauth_url}
