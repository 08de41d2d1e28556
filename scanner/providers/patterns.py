"""Provider token shapes as data: id, regex, public prefix, min entropy, provider, severity.

Regexes are deliberately a little looser than the vendors' exact lengths (real configs hold
truncated-by-copy or newer-format keys); the entropy floor and the placeholder filters keep the
false positives out. `name` makes a shape count only under a matching env/flag/header name, for
vendors whose keys have no prefix (Twilio auth token, Datadog, Cloudflare, Mistral).
"""

from __future__ import annotations

from scanner.model import Severity
from scanner.providers.base import LEFT as _L
from scanner.providers.base import RIGHT as _R
from scanner.providers.base import Pattern
from scanner.providers.base import pattern as _p
from scanner.providers.issuers import ISSUERS

C, H, M, LO = Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW

PATTERNS: tuple[Pattern, ...] = (
    _p("github-pat", _L + r"ghp_[A-Za-z0-9]{36,40}" + _R, "ghp_", "github", H,
       "GitHub personal access token"),
    _p("github-fine-grained-pat", _L + r"github_pat_[A-Za-z0-9_]{50,255}" + _R, "github_pat_", "github", H,
       "GitHub fine-grained personal access token"),
    _p("github-oauth", _L + r"gho_[A-Za-z0-9]{36,40}" + _R, "gho_", "github", H, "GitHub OAuth token"),
    _p("github-user-to-server", _L + r"ghu_[A-Za-z0-9]{36,40}" + _R, "ghu_", "github", H,
       "GitHub user-to-server token"),
    _p("github-app-token", _L + r"ghs_[A-Za-z0-9]{36,40}" + _R, "ghs_", "github", H,
       "GitHub App installation token"),
    _p("github-refresh-token", _L + r"ghr_[A-Za-z0-9]{36,76}" + _R, "ghr_", "github", H,
       "GitHub refresh token"),
    _p("gitlab-pat", _L + r"glpat-[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_.-])", "glpat-", "gitlab", H,
       "GitLab personal access token"),
    # GitLab's other token prefixes (docs: "Token prefixes"; the GitLab MCP server and CI configs carry
    # deploy, trigger and runner tokens besides PATs); ids as gitleaks names them.
    *(_p(f"gitlab-{kind}", _L + prefix + body + r"(?![A-Za-z0-9_.-])", prefix, "gitlab", H, f"GitLab {text}")
      for kind, prefix, body, text in (
          ("deploy-token", "gldt-", r"[A-Za-z0-9_-]{20,}", "deploy token"),
          ("ptt", "glptt-", r"[a-f0-9]{40}", "pipeline trigger token"),
          ("runner-authentication-token", "glrt-", r"[A-Za-z0-9_-]{20,}", "runner authentication token"),
          ("feed-token", "glft-", r"[A-Za-z0-9_-]{20,}", "feed token"),
          ("oauth-app-secret", "gloas-", r"[A-Za-z0-9_-]{64}", "OAuth application secret"),
          ("kubernetes-agent-token", "glagent-", r"[A-Za-z0-9_-]{50,}", "agent for Kubernetes token"),
          ("scim-token", "glsoat-", r"[A-Za-z0-9_-]{20,}", "SCIM token"),
          ("incoming-mail-token", "glimt-", r"[A-Za-z0-9_-]{25,}", "incoming mail token"),
          ("cicd-job-token", "glcbt-", r"[A-Za-z0-9]{1,5}_[A-Za-z0-9_-]{20,}", "CI/CD job token"),
          ("feature-flag-client-token", "glffct-", r"[A-Za-z0-9_-]{20,}", "feature flag client token"))),
    _p("openai-project-key", _L + r"sk-proj-[A-Za-z0-9_-]{40,}", "sk-proj-", "openai", H,
       "OpenAI project API key"),
    _p("openai-service-account-key", _L + r"sk-svcacct-[A-Za-z0-9_-]{40,}", "sk-svcacct-", "openai", H,
       "OpenAI service account key"),
    _p("openai-admin-key", _L + r"sk-admin-[A-Za-z0-9_-]{40,}", "sk-admin-", "openai", C, "OpenAI admin key"),
    _p("openai-api-key", _L + r"sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}" + _R, "sk-", "openai", H,
       "OpenAI API key"),
    _p("anthropic-admin-key", _L + r"sk-ant-admin01-[A-Za-z0-9_-]{32,}", "sk-ant-admin01-", "anthropic", C,
       "Anthropic admin API key"),
    _p("anthropic-api-key", _L + r"sk-ant-(?:api\d\d|oat\d\d)-[A-Za-z0-9_-]{32,}", "sk-ant-", "anthropic", H,
       "Anthropic API key"),
    _p("openrouter-api-key", _L + r"sk-or-v1-[A-Za-z0-9]{40,}" + _R, "sk-or-v1-", "openrouter", H,
       "OpenRouter API key"),
    _p("aws-access-key-id", _L + r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}" + _R, "AKIA", "aws", M,
       "AWS access key id", min_entropy=2.5),
    _p("aws-secret-access-key", r"^[A-Za-z0-9/+]{40}$", "", "aws", C, "AWS secret access key",
       min_entropy=3.5, name=r"secret_?access_?key|aws.*secret|secret.*aws"),
    _p("slack-bot-token", _L + r"xoxb-[0-9]{8,13}-[0-9A-Za-z-]{20,}" + _R, "xoxb-", "slack", H,
       "Slack bot token"),
    _p("slack-user-token", _L + r"xox[pe]-[0-9]{8,13}-[0-9A-Za-z-]{20,}" + _R, "xoxp-", "slack", H,
       "Slack user token"),
    _p("slack-app-token", _L + r"xapp-\d-[A-Za-z0-9-]{20,}" + _R, "xapp-", "slack", H,
       "Slack app-level token"),
    # Token rotation (corpus 11): access tokens xoxe.xoxp-1- / xoxe.xoxb-1- and refresh tokens xoxe-1-;
    # the browser session token xoxc- that slack-mcp-server (SLACK_MCP_XOXC_TOKEN) takes.
    _p("slack-rotating-token", _L + r"xoxe\.xox[bp]-\d-[A-Za-z0-9]{40,}" + _R, "xoxe.xox", "slack", H,
       "Slack rotating access token"),
    _p("slack-refresh-token", _L + r"xoxe-\d-[A-Za-z0-9]{40,}" + _R, "xoxe-", "slack", H,
       "Slack refresh token"),
    _p("slack-browser-token", _L + r"xoxc-[0-9]{8,13}-[0-9]{8,13}-[0-9]{8,13}-[a-f0-9]{64}" + _R, "xoxc-",
       "slack", H, "Slack browser session token"),
    _p("slack-webhook", r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}",
       "https://hooks.slack.com/", "slack", H, "Slack incoming webhook URL"),
    _p("stripe-live-key", _L + r"(?:sk|rk)_live_[A-Za-z0-9]{20,}" + _R, "sk_live_", "stripe", C,
       "Stripe live secret key", live=True),
    _p("stripe-test-key", _L + r"(?:sk|rk)_test_[A-Za-z0-9]{20,}" + _R, "sk_test_", "stripe", LO,
       "Stripe test-mode secret key"),
    _p("stripe-publishable-key", _L + r"pk_(?:live|test)_[A-Za-z0-9]{20,}" + _R, "pk_", "stripe", LO,
       "Stripe publishable key", public=True),
    _p("google-api-key", _L + r"AIza[0-9A-Za-z_-]{35}" + _R, "AIza", "google", H, "Google API key"),
    _p("supabase-access-token", _L + r"sbp_(?:v0_)?[A-Za-z0-9]{40}" + _R, "sbp_", "supabase", C,
       "Supabase personal access token (account-wide)"),
    _p("supabase-secret-key", _L + r"sb_secret_[A-Za-z0-9_-]{20,}" + _R, "sb_secret_", "supabase", C,
       "Supabase secret API key (bypasses row-level security)"),
    _p("supabase-publishable-key", _L + r"sb_publishable_[A-Za-z0-9_-]{20,}" + _R, "sb_publishable_",
       "supabase", LO, "Supabase publishable key", public=True),
    _p("notion-token", _L + r"ntn_[A-Za-z0-9]{40,}" + _R, "ntn_", "notion", H, "Notion integration token"),
    _p("notion-legacy-token", _L + r"secret_[A-Za-z0-9]{43}" + _R, "secret_", "notion", H,
       "Notion integration token (legacy)", min_entropy=3.5),
    _p("linear-api-key", _L + r"lin_api_[A-Za-z0-9]{40}" + _R, "lin_api_", "linear", H, "Linear API key"),
    # OAuth access tokens (Linear MCP servers' LINEAR_OAUTH_TOKEN / LINEAR_API_KEY): lin_oauth_ + 64 hex.
    _p("linear-oauth-token", _L + r"lin_oauth_[a-f0-9]{64}" + _R, "lin_oauth_", "linear", H,
       "Linear OAuth token"),
    _p("huggingface-token", _L + r"hf_[A-Za-z0-9]{34,}" + _R, "hf_", "huggingface", H,
       "Hugging Face access token"),
    _p("sentry-org-token", _L + r"sntrys_[A-Za-z0-9+/=_-]{40,}", "sntrys_", "sentry", H,
       "Sentry organization token"),
    _p("sentry-user-token", _L + r"sntryu_[A-Za-z0-9]{40,}" + _R, "sntryu_", "sentry", H,
       "Sentry user auth token"),
    _p("figma-token", _L + r"figd_[A-Za-z0-9_-]{38,}" + _R, "figd_", "figma", H,
       "Figma personal access token"),
    _p("npm-token", _L + r"npm_[A-Za-z0-9]{36}" + _R, "npm_", "npm", H, "npm access token"),
    _p("twilio-api-key", _L + r"SK[0-9a-fA-F]{32}" + _R, "SK", "twilio", H, "Twilio API key"),
    _p("twilio-auth-token", r"^[0-9a-fA-F]{32}$", "", "twilio", H, "Twilio auth token",
       name=r"twilio.*(?:auth|token|secret)"),
    _p("sendgrid-api-key", _L + r"SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{30,}" + _R, "SG.", "sendgrid", H,
       "SendGrid API key"),
    _p("atlassian-api-token", _L + r"ATATT3[A-Za-z0-9_=-]{50,}" + _R, "ATATT3", "atlassian", H,
       "Atlassian API token"),
    _p("tavily-api-key", _L + r"tvly-(?:dev-|prod-)?[A-Za-z0-9]{20,}" + _R, "tvly-", "tavily", H,
       "Tavily API key"),
    _p("firecrawl-api-key", _L + r"fc-[A-Za-z0-9]{24,}" + _R, "fc-", "firecrawl", H, "Firecrawl API key"),
    _p("context7-api-key", _L + r"ctx7sk-[A-Za-z0-9-]{20,}" + _R, "ctx7sk-", "context7", H,
       "Context7 API key"),
    _p("xai-api-key", _L + r"xai-[A-Za-z0-9]{40,}" + _R, "xai-", "xai", H, "xAI API key"),
    _p("perplexity-api-key", _L + r"pplx-[A-Za-z0-9]{40,}" + _R, "pplx-", "perplexity", H,
       "Perplexity API key"),
    _p("databricks-token", _L + r"dapi[a-f0-9]{32}(?:-\d)?" + _R, "dapi", "databricks", H,
       "Databricks access token"),
    _p("datadog-api-key", r"^[a-f0-9]{32}$", "", "datadog", H, "Datadog API key",
       name=r"(?:^|[_-])(?:dd|datadog)[_-]?api[_-]?key"),
    _p("datadog-app-key", r"^[a-f0-9]{40}$", "", "datadog", H, "Datadog application key",
       name=r"(?:dd|datadog)[_-]?app(?:lication)?[_-]?key"),
    _p("cloudflare-api-token", r"^[A-Za-z0-9_-]{40}$", "", "cloudflare", H, "Cloudflare API token",
       name=r"(?:cloudflare|^cf)[_-].*(?:token|key)"),
    _p("heroku-api-key", _L + r"HRKU-[A-Za-z0-9_-]{30,}" + _R, "HRKU-", "heroku", H, "Heroku API key"),
    _p("heroku-api-key-uuid", r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", "", "heroku", H,
       "Heroku API key", name=r"heroku.*(?:key|token)"),
    _p("airtable-pat", _L + r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}" + _R, "pat", "airtable", H,
       "Airtable personal access token"),
    _p("brave-api-key", _L + r"BSA[A-Za-z0-9_-]{24,}" + _R, "BSA", "brave", H, "Brave Search API key"),
    _p("groq-api-key", _L + r"gsk_[A-Za-z0-9]{40,}" + _R, "gsk_", "groq", H, "Groq API key"),
    _p("mistral-api-key", r"^[A-Za-z0-9]{32}$", "", "mistral", H, "Mistral API key", name=r"mistral"),
    _p("neon-api-key", _L + r"napi_[A-Za-z0-9]{30,}" + _R, "napi_", "neon", H, "Neon API key"),
    _p("clickup-api-token", _L + r"pk_[0-9]{4,}_[A-Za-z0-9]{20,}" + _R, "pk_", "clickup", H,
       "ClickUp API token"),
    _p("shopify-token", _L + r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}" + _R, "shp", "shopify", H,
       "Shopify access token"),
    _p("digitalocean-token", _L + r"do[opr]_v1_[a-f0-9]{64}" + _R, "dop_v1_", "digitalocean", H,
       "DigitalOcean token"),
    _p("postman-api-key", _L + r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}" + _R, "PMAK-", "postman", H,
       "Postman API key"),
    _p("doppler-token", _L + r"dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,}" + _R, "dp.", "doppler", H,
       "Doppler token"),
    _p("replicate-token", _L + r"r8_[A-Za-z0-9]{37}" + _R, "r8_", "replicate", H, "Replicate API token"),
    _p("pulumi-token", _L + r"pul-[a-f0-9]{40}" + _R, "pul-", "pulumi", H, "Pulumi access token"),
    _p("browserbase-api-key", _L + r"bb_live_[A-Za-z0-9_-]{20,}" + _R, "bb_live_", "browserbase", H,
       "Browserbase API key"),
    # Microsoft Entra ID (Azure AD) client secrets: 3 characters, a digit, Q~, then 31-34 (the format of
    # secrets made since 2021; AZURE_CLIENT_SECRET of Azure MCP servers).
    _p("azure-ad-client-secret", _L + r"(?<![~.])[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}"
       r"(?![A-Za-z0-9_~.-])", "", "azure", H, "Microsoft Entra ID client secret"),
    # Azure AI services / Azure OpenAI keys in Microsoft's identifiable format (84 characters: 52 random,
    # the signature JQQJ, 20, the service tag ACOG, 4); older keys are 32 hex and count under a name only.
    _p("azure-ai-services-key", _L + r"[A-Za-z0-9]{52}JQQJ[A-Za-z0-9]{20}ACOG[A-Za-z0-9]{4}" + _R, "",
       "azure", H, "Azure AI services (Azure OpenAI) key"),
    _p("pypi-token", _L + r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}" + _R, "pypi-", "pypi", H,
       "PyPI API token"),
    _p("telegram-bot-token", _L + r"[0-9]{8,10}:AA[A-Za-z0-9_-]{33}" + _R, "", "telegram", H,
       "Telegram bot token"),
    # The same token inside the Bot API URL (`api.telegram.org/bot<token>/sendMessage`, corpus 11):
    # `bot` glued before it hides it from the word boundary above.
    _p("telegram-bot-api-url", r"api\.telegram\.org/(?:file/)?bot([0-9]{8,10}:AA[A-Za-z0-9_-]{33})" + _R,
       "", "telegram", H, "Telegram bot token (Bot API URL)", group=1),
    # The body stops at the next `-----BEGIN ` (a key of its own): each character is scanned from
    # one header only, so many headers in one value cost linear time, not 8,000 steps per header.
    _p("private-key", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
       r"(?:(?!-----BEGIN )[\s\S]){0,8000}?"
       r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|(?=-----BEGIN )|$)",
       "-----BEGIN", "private-key", C,
       "Private key", min_entropy=0.0),
    _p("jwt", _L + r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}" + _R, "eyJ", "jwt", H,
       "JSON Web Token", min_entropy=0.0),
)

# Issuers written as one Provider row (shape + rotation + aliases together) add their shapes here.
PATTERNS += tuple(shape for issuer in ISSUERS for shape in issuer.patterns)

BY_ID: dict[str, Pattern] = {pattern.id: pattern for pattern in PATTERNS}
