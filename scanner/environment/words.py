"""Environment words and how a name, path or value spells an environment: whole segments only
(`prod-db` is prod, `product-catalog` is not), with `pre-`/`non-` flipping a prod word."""

from __future__ import annotations

import functools
import re

from scanner.model import Environment

PROD_WORDS = frozenset({"prod", "production", "prd", "prods"})
# "live" marks production only where the value is an environment selector (STAGE=live); as a host
# or name segment it is too common (live-server, livekit, live.example.com docs hosts).
SELECTOR_PROD_WORDS = PROD_WORDS | {"live"}
STAGING_WORDS = frozenset({"staging", "stage", "stg", "stag", "uat", "preprod", "preproduction",
                           "qa", "nonprod", "nonproduction", "preview"})
DEV_WORDS = frozenset({"dev", "develop", "development", "devel", "test", "tests", "testing",
                       "sandbox", "sbx", "demo"})
# Only in file paths: a config under examples/ or fixtures/ is a sample, but example.com is no tier.
PATH_DEV_WORDS = frozenset({"example", "examples", "fixture", "fixtures", "sample", "samples"})
LOCAL_WORDS = frozenset({"local", "localhost"})
# Two-segment spellings that flip the meaning of a prod word: pre-prod, non-prod; and after it:
# prod-like / production-like (an environment made to resemble production, not production).
_PREFIX_NEGATORS = frozenset({"pre", "non"})
_SUFFIX_NEGATORS = frozenset({"like"})  # not "replica" / "mirror": a prod replica holds prod data

# Path segments that are tool directories, not environment words (".vscode" -> "vscode").
_TOOL_SEGMENTS = frozenset({"vscode", "cursor", "claude", "gemini", "codex", "roo", "kiro", "zed",
                            "amazonq", "junie", "continue", "windsurf", "github", "mcp", "json",
                            "jsonc", "yaml", "yml", "toml", "env", "settings", "config"})


# Env var names whose value names an environment (NODE_ENV, APP_ENV, STAGE, AWS_PROFILE, ...).
_SELECTOR_TAILS = frozenset({"env", "environment", "stage", "profile", "context", "tier"})
_SELECTOR_NAMES = frozenset({"spring_profiles_active", "kube_context", "kubecontext", "kubectl_context"})
# Names whose value is the runtime's build/run mode, not a target: NODE_ENV only switches Node and its
# libraries between development and production behaviour (logging, caching, error pages); a local
# `npx some-mcp-server` with NODE_ENV=production still reaches whatever its URLs, hosts and keys say.
# Neither value is environment evidence (docs/rules.md, "NODE_ENV"); a policy's production.env can
# still name it.
# FLASK_ENV (Flask < 2.3) only turns the debugger and reloader on or off, BABEL_ENV picks a
# build-time preset: modes, like NODE_ENV. Not RAILS_ENV / RACK_ENV / MIX_ENV / ASPNETCORE_ENVIRONMENT:
# those select the application's configuration for that environment (database.yml, config/prod.exs,
# appsettings.Production.json), with its production targets.
RUNTIME_MODE_NAMES = frozenset({"node_env", "flask_env", "babel_env"})
# Telemetry settings that list `key<sep>value` tags, one of which names the deployment environment
# (OpenTelemetry's `deployment.environment[.name]` resource attribute; Datadog's `env` tag, which
# DD_ENV sets alone): (item separators, key/value separator, environment keys).
TAG_LISTS: dict[str, tuple[str, str, frozenset[str]]] = {
    "otel_resource_attributes": (",", "=",
                                 frozenset({"deployment.environment", "deployment.environment.name"})),
    "dd_tags": (", ", ":", frozenset({"env"})),
}
# Env var names whose value names a target (project, cluster, database, ...).
_TARGET_TAILS = frozenset({"name", "project", "cluster", "database", "db", "namespace", "account",
                           "workspace", "bucket", "tenant", "instance", "schema", "index", "dbname"})
_HOST_TAILS = frozenset({"host", "hostname", "server", "endpoint", "url", "uri", "dsn", "addr",
                         "address", "domain"})
# Env var names and flags whose value is a kubeconfig file: its name, or its directory under ~/.kube,
# names the cluster (`~/.kube/prod-cluster.yaml`, `~/.kube/config-production`); the rest of the path is
# the user's home (`/home/dev`), which names no tier.
KUBECONFIG_NAMES = frozenset({"kubeconfig", "kube_config", "kube_config_path", "kubeconfig_path"})
KUBECONFIG_FLAGS = frozenset({"--kubeconfig", "--kube-config"})
# Flags whose value is a dotenv file: `.env.production` is the production settings of the app the
# server runs with (`.env.production.example` is a sample, not settings).
ENV_FILE_FLAGS = frozenset({"--env-file", "--envfile"})
# Flags whose value is an environment selector (strong) or a target name (medium).
SELECTOR_FLAGS = frozenset({"--env", "--environment", "--stage", "--profile", "--aws-profile",
                            "--context", "--kube-context", "--kubecontext", "--tier"})
TARGET_FLAGS = frozenset({"--namespace", "--cluster", "--database", "--db", "--project",
                          "--project-name", "--workspace", "--account"})
HOST_FLAGS = frozenset({"--host", "--hostname", "--url", "--dsn", "--connection-string", "--db-url",
                        "--database-url", "--server", "--endpoint", "--api-url", "--base-url",
                        "--supabase-url", "--uri", "--conn", "--connection"})
# Credential providers whose own *_ENVIRONMENT/_ENV/_MODE variable switches keys to production.
PROVIDER_SELECTOR_PREFIXES = frozenset({"paypal", "square", "plaid", "adyen", "braintree", "stripe",
                                        "klarna", "mollie", "razorpay", "authnet", "authorizenet",
                                        "worldpay", "checkout", "coinbase", "shopify", "ebay"})

# Payment providers' production API hosts, whose sandbox twin is a different host (the host is the
# mode switch, like PAYPAL_ENVIRONMENT): a credential sent there is a live one. Exact hosts, then
# suffixes (Adyen's live endpoints carry the merchant's prefix).
PROVIDER_LIVE_HOSTS = {
    "api-m.paypal.com": "PayPal",  # sandbox: api-m.sandbox.paypal.com
    "api.paypal.com": "PayPal",  # sandbox: api.sandbox.paypal.com
    "connect.squareup.com": "Square",  # sandbox: connect.squareupsandbox.com
    "api.gocardless.com": "GoCardless",  # sandbox: api-sandbox.gocardless.com
    "api.braintreegateway.com": "Braintree",  # sandbox: api.sandbox.braintreegateway.com
    "checkoutshopper-live.adyen.com": "Adyen",  # test: checkoutshopper-test.adyen.com
}
PROVIDER_LIVE_SUFFIXES = {"-checkout-live.adyenpayments.com": "Adyen", "-pal-live.adyenpayments.com": "Adyen"}
# Providers' hosted MCP servers that come in a production and a sandbox edition (PayPal's README:
# mcp.paypal.com is Production, mcp.sandbox.paypal.com Sandbox): the production one, signed in with
# OAuth, is a production resource itself.
PROVIDER_PRODUCTION_MCP = {"mcp.paypal.com": ("PayPal", "mcp.sandbox.paypal.com")}
# Sandbox hosts whose labels spell no development word (`squareupsandbox` is one label).
PROVIDER_SANDBOX_HOSTS = {"connect.squareupsandbox.com": "Square"}

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_ENV_PAIR_FLAGS = frozenset({"-e", "--env", "--env-var", "--set-env"})


def segments(text: str) -> list[str]:
    """Lower-case whole segments: split on punctuation and camelCase, trailing digits dropped."""
    return list(_segments(text))


@functools.lru_cache(maxsize=4096)  # the same names are split by several rules per server
def _segments(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for part in _SPLIT.split(_CAMEL.sub(" ", text)):
        word = part.lower().rstrip("0123456789")
        if word:
            out.append(word)
    return tuple(out)


# Every environment word above contains one of these (tests/test_evidence_cache.py checks it), and a
# segment is a piece of the text (ASCII letters, case aside): text without any of them spells none.
_WORD_HINT = re.compile(r"prod|prd|stag|stg|uat|qa|preview|dev|test|sandbox|sbx|demo|local|live", re.I)
# The same hint on ASCII text lowered first: an ASCII character matches a letter of the hint case-
# insensitively exactly when its lower case is that letter, and the case-sensitive search is several
# times cheaper (every env key of a file is looked at; a 40-character token as a key took ~7 us).
_WORD_HINT_LOWER = re.compile(_WORD_HINT.pattern)


def word_environment(text: str, *, selector: bool = False) -> tuple[Environment, str] | None:
    """The environment a name or value spells, with the segment that decided it, else None."""
    if (_WORD_HINT_LOWER.search(text.lower()) if text.isascii() else _WORD_HINT.search(text)) is None:
        return None
    return _spelled(text, selector)


def _spelled(text: str, selector: bool) -> tuple[Environment, str] | None:
    """word_environment without the keyword prefilter (the reference the tests compare it with)."""
    segs = segments(text)
    prod_words = SELECTOR_PROD_WORDS if selector else PROD_WORDS
    found: dict[Environment, str] = {}
    for index, seg in enumerate(segs):
        before = index > 0 and segs[index - 1] in _PREFIX_NEGATORS
        after = index + 1 < len(segs) and segs[index + 1] in _SUFFIX_NEGATORS
        if seg in prod_words:
            env = Environment.STAGING if before or after else Environment.PROD
            label = f"{segs[index - 1]}-{seg}" if before else f"{seg}-{segs[index + 1]}" if after else seg
            found.setdefault(env, label)
        elif seg in STAGING_WORDS:
            found.setdefault(Environment.STAGING, seg)
        elif seg in DEV_WORDS:
            found.setdefault(Environment.DEV, seg)
        elif seg in LOCAL_WORDS:
            found.setdefault(Environment.LOCAL, seg)
    for env in (Environment.PROD, Environment.STAGING, Environment.DEV, Environment.LOCAL):
        if env in found:
            return env, found[env]
    return None
