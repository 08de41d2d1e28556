"""docs/remediation.md lists, per client, the reference a fix writes and where the client documents
it, generated from the catalog rows (scanner/clients/catalog.py): the page cannot drift from what
the comment and `mcp-guard fix` say. Regenerate with MCP_GUARD_UPDATE_GOLDEN=1."""

from __future__ import annotations

import os
from pathlib import Path

from scanner.clients.catalog import CATALOG, ClientSpec
from scanner.model import Client

DOC = Path(__file__).resolve().parents[2] / "docs" / "remediation.md"

_HEAD = """# Remediation per client

What mcp-guard's PR comment and `mcp-guard fix` write in place of a literal secret, per MCP client,
and where each client documents that it resolves it. Clients that expand nothing get no in-file
fix: the comment says so and gives the client's best alternative (a launcher reading the OS
keychain, the client's own secret store, or keeping the file out of git). Every credential found is
also to be rotated at its issuer (the comment links the issuer's page).

Generated from `scanner/clients/catalog.py` by `tests/clients/test_catalog_docs.py`.

| Client | The fix writes | Where the client documents it |
|---|---|---|
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# The two clients whose fix moves the value's name to a list the client reads from its environment.
_NAMES = {Client.CODEX: '`env_vars = ["API_KEY"]`, `bearer_token_env_var = "API_KEY"`, `env_http_headers`',
          Client.GOOSE: "`env_keys: [API_KEY]` (the value in the OS keyring, `goose configure`)"}


# Fixes written in the syntax of the script's own language (fix/launcher.py), not one style.
_OWN = {Client.WINDOWS_SCRIPT: "`$env:API_KEY` (PowerShell; `${env:API_KEY}` before a word character), "
                               "`%API_KEY%` (cmd)",
        Client.DOCKER_MCP: "`${API_KEY}` in a compose service's `environment:`; in an MCP Toolkit catalog "
                           "no in-file fix: store it with `docker mcp secret set NAME=…` and reference it "
                           "from `secrets:`"}


def _writes(spec: ClientSpec) -> str:
    if spec.client in _OWN:
        return _OWN[spec.client]
    if spec.interpolates:
        return f"`{spec.reference('API_KEY')}`"
    if spec.client in _NAMES:
        return _NAMES[spec.client]
    return "no in-file fix: " + (spec.alternative or spec.note)


def render() -> str:
    rows = [f"| {_cell(spec.label)} | {_cell(_writes(spec))} | {_cell(spec.source)} |"
            for spec in sorted(CATALOG.values(), key=lambda s: s.label.lower())]
    return _HEAD + "\n".join(rows) + "\n"


def test_remediation_page_matches_the_catalog() -> None:
    text = render()
    if os.environ.get("MCP_GUARD_UPDATE_GOLDEN") == "1":
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, "docs/remediation.md is stale: MCP_GUARD_UPDATE_GOLDEN=1"
