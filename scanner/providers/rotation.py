"""Where to revoke and re-issue a leaked credential, per provider id (the engines' `provider`).

A pushed secret is compromised: deleting it from the file does not remove it from git history,
forks or clones. Rotation (revoke, then issue a new one kept outside the repo) is the only fix.
"""

from __future__ import annotations

from scanner.hosts import DB_SCHEMES
from scanner.providers.base import Rotation
from scanner.providers.issuers import ISSUERS

_DB = "Change the database user's password (ALTER USER … PASSWORD / ALTER ROLE), update every client, "
_DB += "and prefer a read-only user for MCP servers."

ROTATIONS: dict[str, Rotation] = {r.provider: r for r in (
    Rotation("github", "GitHub", "https://github.com/settings/tokens",
             "Revoke the token (fine-grained tokens: Settings > Developer settings > Personal access "
             "tokens > Fine-grained tokens), then create a new fine-grained token with read-only scopes."),
    Rotation("gitlab", "GitLab", "https://gitlab.com/-/user_settings/personal_access_tokens",
             "Revoke the personal/project access token and create a new one with the narrowest scopes."),
    Rotation("openai", "OpenAI", "https://platform.openai.com/api-keys",
             "Delete the key and create a new project-scoped key."),
    Rotation("anthropic", "Anthropic", "https://console.anthropic.com/settings/keys",
             "Disable/delete the key in the Console and create a new one."),
    Rotation("aws", "AWS IAM", "https://console.aws.amazon.com/iam/home#/security_credentials",
             "Deactivate and delete the access key, review CloudTrail for its use, and move to "
             "short-lived credentials (IAM Identity Center / OIDC roles)."),
    Rotation("slack", "Slack", "https://api.slack.com/apps",
             "Open the app > OAuth & Permissions and revoke/regenerate the token (Basic Information "
             "> rotate the signing secret too if it leaked)."),
    Rotation("stripe", "Stripe", "https://dashboard.stripe.com/apikeys",
             "Roll the key (Developers > API keys > Roll key) and prefer a restricted key."),
    Rotation("google", "Google Cloud", "https://console.cloud.google.com/apis/credentials",
             "Delete or regenerate the API key / service-account key and add API and referrer restrictions."),
    Rotation("gemini", "Google AI Studio", "https://aistudio.google.com/app/apikey",
             "Delete the Gemini API key and create a new one."),
    Rotation("supabase", "Supabase", "https://supabase.com/dashboard/account/tokens",
             "Revoke the access token; for project keys roll them in Project Settings > API Keys."),
    Rotation("notion", "Notion", "https://www.notion.so/profile/integrations",
             "Open the integration and refresh (regenerate) its internal integration secret."),
    Rotation("linear", "Linear", "https://linear.app/settings/account/security",
             "Revoke the personal API key and create a new one."),
    Rotation("huggingface", "Hugging Face", "https://huggingface.co/settings/tokens",
             "Invalidate the token and create a fine-grained read-only token."),
    Rotation("sentry", "Sentry", "https://sentry.io/settings/account/api/auth-tokens/",
             "Revoke the user or organization auth token and create a new one with minimal scopes."),
    Rotation("figma", "Figma", "https://www.figma.com/settings",
             "Settings > Security > Personal access tokens: revoke the token and generate a new one."),
    Rotation("npm", "npm", "https://www.npmjs.com/settings/~/tokens",
             "Delete the access token and create a granular, read-only token."),
    Rotation("twilio", "Twilio", "https://console.twilio.com/us1/account/keys-credentials/api-keys",
             "Delete the API key (or rotate the auth token via the secondary token) and create a new one."),
    Rotation("sendgrid", "SendGrid", "https://app.sendgrid.com/settings/api_keys",
             "Delete the API key and create a new one with restricted access."),
    Rotation("atlassian", "Atlassian", "https://id.atlassian.com/manage-profile/security/api-tokens",
             "Revoke the API token (Data Center: revoke the personal access token in your profile)."),
    Rotation("cloudflare", "Cloudflare", "https://dash.cloudflare.com/profile/api-tokens",
             "Roll or delete the API token and create a new scoped token."),
    Rotation("datadog", "Datadog", "https://app.datadoghq.com/organization-settings/api-keys",
             "Revoke the API/application key (Organization Settings) and create a new one."),
    Rotation("databricks", "Databricks", "https://docs.databricks.com/en/dev-tools/auth/pat.html",
             "Workspace > Settings > Developer > Access tokens: revoke the token; prefer OAuth M2M."),
    Rotation("tavily", "Tavily", "https://app.tavily.com/home",
             "Delete the API key in the Tavily dashboard and create a new one."),
    Rotation("firecrawl", "Firecrawl", "https://www.firecrawl.dev/app/api-keys",
             "Delete the API key and create a new one."),
    Rotation("perplexity", "Perplexity", "https://www.perplexity.ai/account/api/keys",
             "Revoke the API key and generate a new one."),
    Rotation("xai", "xAI", "https://console.x.ai/",
             "Open API Keys in the xAI console, delete the key and create a new one."),
    Rotation("openrouter", "OpenRouter", "https://openrouter.ai/settings/keys",
             "Delete the key and create a new one with a credit limit."),
    Rotation("brave", "Brave Search API", "https://api-dashboard.search.brave.com/app/keys",
             "Delete the API key and create a new one."),
    Rotation("heroku", "Heroku", "https://dashboard.heroku.com/account/applications",
             "Revoke the authorization / regenerate the API key (Account settings > API Key)."),
    Rotation("airtable", "Airtable", "https://airtable.com/create/tokens",
             "Delete the personal access token and create a new one limited to the needed bases."),
    Rotation("context7", "Context7", "https://context7.com/dashboard",
             "Delete the API key in the dashboard and create a new one."),
    Rotation("neon", "Neon", "https://console.neon.tech/app/settings/api-keys",
             "Revoke the API key and create a new one."),
    Rotation("exa", "Exa", "https://dashboard.exa.ai/api-keys", "Delete the API key and create a new one."),
    Rotation("mistral", "Mistral AI", "https://console.mistral.ai/api-keys",
             "Delete the API key and create a new one."),
    Rotation("groq", "Groq", "https://console.groq.com/keys", "Delete the API key and create a new one."),
    Rotation("azure", "Microsoft Azure", "https://portal.azure.com/",
             "Regenerate the resource key (Keys and Endpoint) or the app secret; prefer managed identity."),
    Rotation("paypal", "PayPal", "https://developer.paypal.com/dashboard/applications",
             "Regenerate the app's client secret (live apps separately from sandbox)."),
    Rotation("shopify", "Shopify", "https://admin.shopify.com/settings/apps/development",
             "Uninstall/reinstall the custom app or rotate its Admin API access token."),
    Rotation("digitalocean", "DigitalOcean", "https://cloud.digitalocean.com/account/api/tokens",
             "Delete the personal access token and create a new scoped one."),
    Rotation("vercel", "Vercel", "https://vercel.com/account/settings/tokens",
             "Delete the token and create a new one scoped to one team."),
    Rotation("pypi", "PyPI", "https://pypi.org/manage/account/token/",
             "Remove the API token; prefer Trusted Publishing (OIDC)."),
    Rotation("docker", "Docker Hub", "https://app.docker.com/settings/personal-access-tokens",
             "Delete the access token and create a read-only one."),
    Rotation("telegram", "Telegram", "https://t.me/BotFather",
             "Send /revoke to @BotFather for the bot to invalidate its token and get a new one."),
    Rotation("discord", "Discord", "https://discord.com/developers/applications",
             "Open the application > Bot and reset the token."),
    Rotation("elastic", "Elastic", "https://cloud.elastic.co/account/keys",
             "Invalidate the API key (Kibana > Stack Management > API keys) and create a new one."),
    Rotation("browserbase", "Browserbase", "https://www.browserbase.com/settings",
             "Rotate the API key in the project settings."),
    Rotation("clickup", "ClickUp", "https://app.clickup.com/settings/apps",
             "Regenerate the personal API token."),
    Rotation("smithery", "Smithery", "https://smithery.ai/account/api-keys",
             "Delete the API key and create a new one."),
    Rotation("doppler", "Doppler", "https://dashboard.doppler.com/workplace/tokens",
             "Revoke the service/personal token and create a new one scoped to one config."),
    Rotation("postman", "Postman", "https://go.postman.co/settings/me/api-keys",
             "Revoke the API key and generate a new one."),
    Rotation("pulumi", "Pulumi Cloud", "https://app.pulumi.com/account/tokens",
             "Delete the access token and create a new one; prefer OIDC for CI."),
    Rotation("replicate", "Replicate", "https://replicate.com/account/api-tokens",
             "Disable the API token and create a new one."),
    Rotation("deepseek", "DeepSeek", "https://platform.deepseek.com/api_keys",
             "Delete the API key and create a new one."),
    Rotation("cohere", "Cohere", "https://dashboard.cohere.com/api-keys",
             "Delete the API key and create a new one."),
    Rotation("kagi", "Kagi", "https://kagi.com/settings?p=api", "Regenerate the API token."),
    Rotation("serper", "Serper", "https://serper.dev/api-key", "Regenerate the API key."),
    Rotation("serpapi", "SerpApi", "https://serpapi.com/manage-api-key", "Regenerate the private API key."),
    Rotation("shodan", "Shodan", "https://account.shodan.io/", "Reset the API key on the account page."),
    Rotation("twitter", "X (Twitter) developer portal", "https://developer.x.com/en/portal/dashboard",
             "Regenerate the app's API key/secret and access token/secret."),
    Rotation("zapier", "Zapier", "https://mcp.zapier.com/",
             "Delete the MCP server URL/key in Zapier and create a new one."),
    Rotation("odoo", "Odoo", "",
             "Revoke the API key (Preferences > Account Security > API Keys) or change the user's password."),
    Rotation("jwt", "the token issuer", "",
             "A signed token cannot be revoked by deleting it: rotate the issuer's signing secret or "
             "revoke the session/key it belongs to, then issue a short-lived token."),
    Rotation("private-key", "the key owner", "",
             "Generate a new key pair, install the new public key / certificate, and remove the old "
             "public key everywhere it is trusted (authorized_keys, deploy keys, cloud IAM)."),
    Rotation("url", "the service in the URL", "",
             "Change the password or key embedded in the URL on that service, then pass it via the "
             "environment instead of the URL."),
    Rotation("postgres", "PostgreSQL database", "", _DB),
    Rotation("mysql", "MySQL/MariaDB database", "", _DB),
    Rotation("mongodb", "MongoDB", "https://cloud.mongodb.com/",
             "Atlas: Database Access > edit the user > change password (self-hosted: "
             "db.changeUserPassword); prefer a read-only user."),
    Rotation("redis", "Redis", "", "Change the password (ACL SETUSER / requirepass) and restart clients."),
    Rotation("database", "database", "", _DB),
)}

# Ids other engines may emit for the same issuer.
ALIASES: dict[str, str] = {
    "gcp": "google", "google-cloud": "google", "google-maps": "google", "hf": "huggingface",
    "hugging-face": "huggingface", "postgresql": "postgres", "mariadb": "mysql", "mongo": "mongodb",
    "db": "database", "jira": "atlassian", "confluence": "atlassian", "x-ai": "xai", "grok": "xai",
    "amazon": "aws", "github-app": "github", "azure-openai": "azure",
    "gemini-api": "gemini", "elasticsearch": "elastic", "mssql": "database", "sqlserver": "database",
    "amqp": "database", "rabbitmq": "database", "rediss": "redis", "amqps": "database",
    "elasticsearch-api": "elastic", "x": "twitter",
}
for _issuer in ISSUERS:
    ROTATIONS[_issuer.id] = _issuer.rotation
    ALIASES.update(dict.fromkeys(_issuer.aliases, _issuer.id))

# Database schemes (scanner/hosts.py) without advice of their own share the database advice.
_DB_SCHEMES = (frozenset(scheme.split("+")[0].split(":")[0] for scheme in DB_SCHEMES)
               - set(ROTATIONS) - set(ALIASES))

GENERIC = Rotation(
    "generic", "the issuer", "",
    "Revoke the credential where it was issued, create a new one with the narrowest scope, and "
    "store it outside the repository (environment, OS keychain or a secret manager).",
)


def rotation_for(provider: str | None) -> Rotation:
    """The rotation entry for a provider id (aliases accepted); GENERIC when unknown."""
    if not provider:
        return GENERIC
    key = provider.strip().lower()
    key = key.split("+", 1)[0].removeprefix("jdbc:")
    key = ALIASES.get(key, key)
    if key in _DB_SCHEMES:
        key = "database"
    return ROTATIONS.get(key, GENERIC)
