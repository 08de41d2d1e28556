"""Evidence from what a server is pointed at beyond hosts and selectors: the kubeconfig it reads, the
dotenv file it starts with, and payment providers' live/sandbox hosts (docs/rules.md, MCPG201/203)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scanner.environment.evidence import MEDIUM, STRONG, Evidence
from scanner.environment.words import (
    PATH_DEV_WORDS,
    PROVIDER_LIVE_HOSTS,
    PROVIDER_LIVE_SUFFIXES,
    PROVIDER_PRODUCTION_MCP,
    PROVIDER_SANDBOX_HOSTS,
    segments,
    word_environment,
)
from scanner.model import Environment, FieldValue
from scanner.references import find_references

_PATH_SEP = re.compile(r"[/\\]")
_MAX_PATH = 256  # a longer "path" is not one a kubeconfig or settings file has; never echoed


def kubeconfig_evidence(label: str, path: str, fv: FieldValue | None) -> Iterator[Evidence]:
    """A kubeconfig path: the file name and its directory (`.kube/prod/config`) name the cluster; the
    home directory above them (`/home/dev`) names no tier."""
    if len(path) > _MAX_PATH:
        return
    hit = word_environment(" ".join(_PATH_SEP.split(path)[-2:]))
    if hit is not None and hit[0] is not Environment.LOCAL:
        yield Evidence(hit[0], MEDIUM, f"{label} names a '{hit[1]}' kubeconfig", "target", fv)


def settings_file_evidence(label: str, path: str, fv: FieldValue | None) -> Iterator[Evidence]:
    """A dotenv file the server starts with: its file name names the tier of its settings."""
    if len(path) > _MAX_PATH:
        return
    name = _PATH_SEP.split(path)[-1]
    if find_references(name):
        return
    words = segments(name)
    if PATH_DEV_WORDS.intersection(words):
        return  # .env.production.example: a sample of the settings, not the settings
    hit = word_environment(" ".join(words))
    if hit is not None and hit[0] is not Environment.LOCAL:
        yield Evidence(hit[0], MEDIUM, f"{label} holds '{hit[1]}' settings", "target", fv)


def provider_host_evidence(host: str, fv: FieldValue | None) -> Evidence | None:
    """A payment provider's live API host (reported with the credential it carries, MCPG203, as
    PAYPAL_ENVIRONMENT=PRODUCTION is), its production MCP server, or a sandbox host no word marks."""
    live = PROVIDER_LIVE_HOSTS.get(host) or next(
        (name for suffix, name in PROVIDER_LIVE_SUFFIXES.items() if host.endswith(suffix)), None)
    if live is not None:
        return Evidence(Environment.PROD, STRONG, f"host {host} is {live}'s live API", "provider-selector",
                        fv)
    if host in PROVIDER_PRODUCTION_MCP:
        name, sandbox = PROVIDER_PRODUCTION_MCP[host]
        return Evidence(Environment.PROD, STRONG, f"host {host} is {name}'s production MCP server "
                        f"(sandbox: {sandbox})", "host", fv)
    if host in PROVIDER_SANDBOX_HOSTS:
        return Evidence(Environment.DEV, MEDIUM, f"host {host} is {PROVIDER_SANDBOX_HOSTS[host]}'s sandbox",
                        "host", fv)
    return None
